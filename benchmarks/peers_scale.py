"""The peers' methods at national scale: open-sdg and ESCAP verdicts for 170 640 series at once.

Uses the national case of :mod:`national_scale` (complete series) with a ``>=`` target per series
(due 2030, base year 2015) and prints series per second of the vectorised ``peer_frame`` and of a
loop over ``peer_verdict`` on a sample.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from national_scale import SEED, generate
from womenstats.assess.peers import peer_frame, peer_verdict

LOOP_SAMPLE = 2000


def main() -> int:
    obs = generate(0.0)
    keys = ["county", "target"]
    targets = obs.groupby(keys, as_index=False)["value"].last()
    rng = np.random.default_rng(SEED)
    targets["target_value"] = targets.pop("value") * rng.uniform(0.9, 1.3, len(targets))
    targets["operator"], targets["better"] = ">=", "higher"
    targets["base_year"], targets["target_year"] = 2015, 2030
    print(f"\npeers at national scale: {len(targets):,} series")
    for method in ("open-sdg", "escap"):
        start = time.perf_counter()
        frame = peer_frame(method, obs[[*keys, "year", "value"]], targets, keys=keys)
        seconds = time.perf_counter() - start
        sample = targets.sample(n=LOOP_SAMPLE, random_state=SEED)
        parts = {key: (g["year"].to_numpy(), g["value"].to_numpy())
                 for key, g in obs.merge(sample[keys], on=keys).groupby(keys)}
        start = time.perf_counter()
        for row in sample.itertuples(index=False):
            years, values = parts[(row.county, row.target)]
            peer_verdict(method, years, values, operator=">=", target_value=row.target_value,
                         base_year=2015, target_year=2030)
        loop_seconds = time.perf_counter() - start
        rate, loop_rate = len(targets) / seconds, LOOP_SAMPLE / loop_seconds
        counts = frame["status"].value_counts().to_dict()
        print(f"{method}: vectorised {seconds:.1f} s = {rate:,.0f} series/s; loop over peer_verdict "
              f"(sample of {LOOP_SAMPLE}) {loop_rate:,.0f} series/s; "
              f"ratio {rate / loop_rate:,.0f}x; statuses {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
