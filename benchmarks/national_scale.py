"""National scale: 2 844 counties x 60 targets x 15 years, projected by the batch path and by a loop.

Generated data (fixed seed): 60 indicators — 30 percentages (bounds 0-100), 15 rates with a lower
bound of 0, 15 bounded life-expectancy-like values (0-120) — each county's series a level, a trend
and noise over 2011-2025. Two versions: every county-year observed (as specified), and 20% of
county-years missing at random (as county returns are).

Printed: the closed-form stage on every series (timed), the batch path with the full model-choice
rule and the plain loop over ``trend.project`` (statsmodels fits one series at a time), each on a
seeded sample and extrapolated to the whole case, their ratio, and whether the whole case fits in
60 s on 2 cores.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np
import pandas as pd

from womenstats.trend import project
from womenstats.trend.batch import project_batch
from womenstats.trend.models import DAMPED_MIN_OBS

COUNTIES = 2844
TARGETS = 60
YEARS = np.arange(2011, 2026)
OUT_YEARS = [2030]
SEED = 20261122
GOAL_SECONDS = 60.0
WORKERS = 2
LOOP_SAMPLE = 40


def generate(missing: float, seed: int = SEED) -> pd.DataFrame:
    """Long table of the national case; ``missing`` is the share of county-years not observed."""
    rng = np.random.default_rng(seed)
    kinds = np.repeat([0, 1, 2], [30, 15, 15])
    lower = np.array([0.0, 0.0, 0.0])[kinds]
    upper = np.array([100.0, np.nan, 120.0])[kinds]
    centre = np.array([60.0, 30.0, 78.0])[kinds]
    spread = np.array([20.0, 10.0, 3.0])[kinds]
    step = np.array([0.8, -0.6, 0.25])[kinds]
    noise = np.array([1.5, 2.0, 0.3])[kinds]
    level = centre[None, :] + spread[None, :] * rng.uniform(-1, 1, (COUNTIES, TARGETS))
    slope = step[None, :] * rng.uniform(0, 2, (COUNTIES, TARGETS))
    t = YEARS - YEARS[0]
    values = level[..., None] + slope[..., None] * t + noise[None, :, None] * rng.normal(
        size=(COUNTIES, TARGETS, len(YEARS)))
    values = np.clip(values, (lower + 0.5)[None, :, None],
                     np.where(np.isnan(upper), np.inf, upper - 0.5)[None, :, None])
    observed = rng.random(values.shape) >= missing
    county, target, year = np.nonzero(observed)
    return pd.DataFrame({
        "county": county.astype(np.int32), "target": target.astype(np.int16),
        "year": YEARS[year], "value": values[observed],
        "lower": lower[target], "upper": upper[target],
    })


def sample(obs: pd.DataFrame, size: int, seed: int) -> pd.DataFrame:
    """Observations of ``size`` series drawn without replacement (seeded)."""
    keys = obs[["county", "target"]].drop_duplicates()
    chosen = keys.sample(n=size, random_state=seed)
    return obs.merge(chosen, on=["county", "target"])


def loop(obs: pd.DataFrame) -> int:
    """The plain path: one ``trend.project`` (statsmodels fits) per series."""
    n = 0
    for _, part in obs.groupby(["county", "target"], sort=True):
        upper = part["upper"].iloc[0]
        proj = project(part["year"], part["value"], bounds=(0.0, None if np.isnan(upper) else upper))
        proj.forecast(OUT_YEARS)
        n += 1
    return n


def timed(func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - start


def scenario(name: str, missing: float, batch_sample: int) -> dict[str, float]:
    obs, seconds = timed(generate, missing)
    keys = ["county", "target"]
    n_series = obs.groupby(keys).ngroups
    print(f"\n== {name}: {COUNTIES} counties x {TARGETS} targets x {len(YEARS)} years, "
          f"{missing:.0%} county-years missing: {n_series:,} series, {len(obs):,} values "
          f"(generated in {seconds:.1f} s)")
    _, closed_seconds = timed(project_batch, obs, OUT_YEARS, keys=keys, workers=1, damped=False)
    print(f"batch path, closed-form candidates only (linear/log/logit; damped=False), every series, one "
          f"process: {closed_seconds:.1f} s = {n_series / closed_seconds:,.0f} series/s")
    part = sample(obs, batch_sample, SEED)
    full, full_seconds = timed(project_batch, part, OUT_YEARS, keys=keys, workers=WORKERS)
    _, part_closed = timed(project_batch, part, OUT_YEARS, keys=keys, workers=1, damped=False)
    routes = full.drop_duplicates(keys)["route"]
    n_damped = int((routes == "damped").sum())
    spans = obs.groupby(keys)["year"].agg(["min", "max", "count"])
    eligible = (spans["count"] >= DAMPED_MIN_OBS) & (spans["max"] - spans["min"] + 1 == spans["count"])
    damped_all = int(eligible.sum())
    per_damped = (full_seconds - part_closed) / max(n_damped, 1)
    whole = closed_seconds + damped_all * per_damped
    print(f"batch path, full rule ({WORKERS} worker processes fit the damped candidate), sample of "
          f"{batch_sample}: {batch_sample / full_seconds:,.1f} series/s; {n_damped} of them need the "
          f"damped fit, {per_damped * 1000:,.0f} ms each on {WORKERS} workers (incl. start-up)")
    print(f"  whole case: {damped_all:,} series need the damped fit -> estimated {whole:,.0f} s "
          f"= {n_series / whole:,.0f} series/s")
    loop_part = sample(obs, LOOP_SAMPLE, SEED + 1)
    n, seconds = timed(loop, loop_part)
    loop_rate = n / seconds
    print(f"plain loop over trend.project (statsmodels, one process), sample of {LOOP_SAMPLE}: "
          f"{loop_rate:,.1f} series/s -> whole case ~{n_series / loop_rate:,.0f} s")
    print(f"ratio batch / loop (full rule): {n_series / whole / loop_rate:,.1f}x; closed-form only: "
          f"{n_series / closed_seconds / loop_rate:,.0f}x")
    verdict = {True: "met", False: "NOT met"}
    print(f"goal < {GOAL_SECONDS:.0f} s on {WORKERS} cores: full rule {verdict[whole < GOAL_SECONDS]} "
          f"(~{whole:,.0f} s); closed-form candidates only {verdict[closed_seconds < GOAL_SECONDS]} "
          f"({closed_seconds:.1f} s)")
    return {"closed_seconds": closed_seconds, "whole_seconds": whole, "loop_rate": loop_rate}


def main() -> int:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"national-scale benchmark (seed {SEED}; {os.cpu_count()} CPUs visible, load average {load}: "
          f"timings scale with the machine's other work; projecting to {OUT_YEARS[0]})")
    scenario("complete series (as specified)", 0.0, batch_sample=400)
    scenario("county returns with gaps", 0.2, batch_sample=2000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
