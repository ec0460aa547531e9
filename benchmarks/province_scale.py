"""A province of 120 counties: how long its roll-up and its report take.

The province is simulated (:mod:`womenstats.demo.province`: 12 cities of 10 counties, 模拟省
``990000``, every county's returns 2018–2024 simulated like the demonstration counties) and loaded
into a scratch store; its registry is written to a scratch file that ``WOMENSTATS_REGIONS`` names,
as a province would use its own complete registry. Timed, each in this process:

- the roll-up of every indicator for the latest year (:func:`womenstats.gender.rollup.rollup`
  over the 120 counties) and of the whole series 2018–2024 through the cities
  (:func:`womenstats.assess.region.rolled_observations` with the cities rolled up first);
- the province's mid-term report (``run_region_report``: roll-up, assessment of the province and
  of its 12 cities, all four files), and one city's (10 counties).

Figures are printed; there is no goal for them (issue #13 asks for the figures).
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from pathlib import Path

N_CITIES, COUNTIES_PER_CITY = 12, 10
YEARS = range(2018, 2025)


def _peak_gib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024**2


def main() -> int:
    """Simulate the province, time its roll-up and reports, print the figures; return 0."""
    with tempfile.TemporaryDirectory(prefix="womenstats-province-") as scratch:
        folder = Path(scratch)
        from womenstats.demo.province import PROVINCE, simulate_province, write_registry

        start = time.perf_counter()
        rows, obs = simulate_province(N_CITIES, COUNTIES_PER_CITY)
        os.environ["WOMENSTATS_REGIONS"] = str(write_registry(rows, folder / "regions.csv"))
        from womenstats.intake.store import PreparedFile, Store

        store = Store(folder / "province.sqlite")
        store.load([PreparedFile("模拟省.csv", "0" * 64, obs)])
        setup = time.perf_counter() - start
        n_counties = sum(r["level"] == "county" for r in rows)
        print(
            f"province: {n_counties} counties in {N_CITIES} cities, {len(obs)} observations "
            f"(simulated and stored in {setup:.1f} s, not timed below)"
        )

        from womenstats.assess.region import rolled_observations, with_rolled_children
        from womenstats.gender.rollup import rollup
        from womenstats.report.run.chain import run_region_report

        start = time.perf_counter()
        counties = sorted(obs["region_code"].unique())
        latest = rollup(obs, PROVINCE, max(YEARS), children=counties)
        one_year = time.perf_counter() - start
        start = time.perf_counter()
        series = rolled_observations(with_rolled_children(obs, PROVINCE, YEARS), PROVINCE, YEARS)
        all_years = time.perf_counter() - start
        print(f"rollup {max(YEARS)} (every indicator, {len(latest)} points, 120 counties): {one_year:.2f} s")
        print(f"rollup {min(YEARS)}-{max(YEARS)} through the cities ({len(series)} rows): {all_years:.2f} s")
        for region, label in (
            (PROVINCE, "province report (12 cities, 120 counties)"),
            ("990100", "city report (10 counties)"),
        ):
            start = time.perf_counter()
            run_region_report(region, "midterm", 2025, store=store.path, out=folder / "reports")
            print(f"{label}, four files: {time.perf_counter() - start:.1f} s")
        print(f"memory peak: {_peak_gib():.2f} GiB")
        del os.environ["WOMENSTATS_REGIONS"]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
