"""A simulated province (模拟省) for scale tests: cities of counties, each county's returns simulated.

The counties are simulated as the demonstration counties are (:func:`womenstats.demo.simulate_plan`:
levels anchored to the real national series, calibrated AR(1) swings, binomial counts on the
county's own size), with a size, an urban share and a standing drawn from one seeded generator, so
the province is the same on every run. The codes are of the form ``99CCXX`` (province ``990000``,
city ``99CC00``, county ``99CCXX``), which GB/T 2260 does not use, and every name says 模拟. The
registry rows go to a CSV file that :envvar:`WOMENSTATS_REGIONS` can name
(:mod:`womenstats.catalog.regions`).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from womenstats.catalog import regions
from womenstats.demo.assumptions import SEED, RegionAssumption
from womenstats.demo.levels import national_levels
from womenstats.demo.simulate import simulate_plan
from womenstats.intake.store import OBS_COLUMNS

#: The simulated province's code.
PROVINCE = "990000"


def province_regions(n_cities: int, counties_per_city: int) -> list[dict[str, str]]:
    """Return the registry rows of a simulated province: itself, its cities and their counties."""
    if not 1 <= n_cities <= 99 or not 1 <= counties_per_city <= 99:
        raise ValueError("n_cities and counties_per_city must be between 1 and 99")
    rows = [{"code": PROVINCE, "name": "模拟省", "level": "province", "parent": "000000", "note": "模拟"}]
    for c in range(1, n_cities + 1):
        city = f"99{c:02d}00"
        rows.append({"code": city, "name": f"模拟{c}市", "level": "city", "parent": PROVINCE, "note": "模拟"})
        rows += [
            {
                "code": f"99{c:02d}{k:02d}",
                "name": f"模拟{c}市{k}县",
                "level": "county",
                "parent": city,
                "note": "模拟",
            }
            for k in range(1, counties_per_city + 1)
        ]
    return rows


def write_registry(rows: list[dict[str, str]], path: Path) -> Path:
    """Write the package's registry followed by ``rows`` as one registry CSV file; return ``path``."""
    with regions.REGIONS_FILE.open(encoding="utf-8", newline="") as fh:
        base = list(csv.DictReader(fh))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(
            fh, fieldnames=["code", "name", "level", "parent", "population", "note"], lineterminator="\n",
            restval="",
        )
        writer.writeheader()
        writer.writerows(base + rows)
    return path


def county_rows(region: RegionAssumption, national: dict) -> pd.DataFrame:
    """Return one simulated county's observations (store columns, ``simulated = 1``)."""
    series, _ = simulate_plan(region, national)
    rows = []
    for item in series:
        info = item.indicator
        for (year, sex, residence), (value, num, den) in sorted(item.values.items()):
            rows.append(
                {
                    "region_code": region.code,
                    "year": year,
                    "indicator_id": info.id,
                    "sex": sex,
                    "age_group": item.age_group,
                    "residence": residence,
                    "value": value,
                    "numerator": np.nan if num is None else num,
                    "denominator": np.nan if den is None else den,
                    "unit": info.unit,
                    "source_file": f"模拟/{region.code}.csv",
                    "source_sha256": "",
                    "sheet": "",
                    "cell": "",
                    "source": "模拟",
                    "simulated": 1,
                }
            )
    return pd.DataFrame(rows, columns=list(OBS_COLUMNS))


def simulate_province(
    n_cities: int = 12, counties_per_city: int = 10, *, targets: tuple[str, ...] = ("kaiping", "national")
) -> tuple[list[dict[str, str]], pd.DataFrame]:
    """Simulate a province's counties.

    Parameters
    ----------
    n_cities, counties_per_city : int
        The province's shape (12 × 10 = 120 counties, about a large province).
    targets : tuple of str
        Plans whose targets decide the indicators every county reports.

    Returns
    -------
    (list of dict, pandas.DataFrame)
        The registry rows (:func:`province_regions`) and the counties' observations.
    """
    rows = province_regions(n_cities, counties_per_city)
    rng = np.random.default_rng([SEED, 99])
    national = national_levels()
    frames = []
    totals: dict[str, int] = {}
    for row in rows:
        if row["level"] != "county":
            continue
        county = RegionAssumption(
            f"sim{row['code']}",
            int(rng.integers(150_000, 1_300_000)),
            float(rng.uniform(0.3, 0.95)),
            "csv-utf8-bom",
            code=row["code"],
            targets=targets,
            standing=float(rng.uniform(-0.06, 0.06)),
        )
        row["population"] = str(county.population)
        for parent in (row["parent"], PROVINCE):
            totals[parent] = totals.get(parent, 0) + int(county.population or 0)
        frames.append(county_rows(county, national))
    for row in rows:
        if row["code"] in totals:
            row["population"] = str(totals[row["code"]])
    return rows, pd.concat(frames, ignore_index=True)


__all__ = ["PROVINCE", "county_rows", "province_regions", "simulate_province", "write_registry"]
