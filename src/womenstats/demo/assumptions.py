"""The written assumptions of the demonstration data: regions, sizes, birth rates, noise, quirks.

Part of :mod:`womenstats.demo`; ``data/raw/demo/README.md`` and ``assumptions.csv`` set them out.
"""

from __future__ import annotations

import csv
import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from womenstats.intake import reference

#: Years simulated.
YEARS: tuple[int, ...] = (2018, 2019, 2020, 2021, 2022, 2023, 2024)


#: Base seed; each plan's generator is seeded with (SEED, a stable number derived from the plan id).
SEED = 20240601


@dataclass(frozen=True)
class RegionAssumption:
    """Scale, standing and file format of one region's simulated returns.

    ``plan`` names the region's folder and seed: a catalog plan id when the region has a plan, else
    a short name of the county (``code`` then gives its GB/T 2260 code). ``targets`` are the plans
    whose targets decide which indicators the county reports (default: its own plan). ``standing``
    moves every level that many parts in the better direction (a well-off district +0.05, a
    lagging county -0.06), on top of the random regional factor, so counties differ for real.
    """

    plan: str
    population: int | None  # None: the region registry's 2020 census figure
    urban_share: float
    file_format: str  # "template" (filled xlsx), "csv-gb18030", "csv-utf8-bom", "xlsx-long"
    missing_year: int | None = None
    revised_year: int | None = None
    code: str | None = None
    targets: tuple[str, ...] = ()
    standing: float = 0.0

    @property
    def plans(self) -> tuple[str, ...]:
        """The catalog plans whose targets the region's returns cover."""
        return self.targets or (self.plan,)


#: The regions, their urban shares and the format each sends; their 2020 populations are the region
#: registry's (``catalog/data/regions.csv``, the 2020 census).
REGIONS: tuple[RegionAssumption, ...] = (
    RegionAssumption("guxian", None, 0.40, "template"),
    RegionAssumption("kaiping", None, 0.55, "template", revised_year=2023),
    RegionAssumption("linhe", None, 0.70, "csv-gb18030"),
    RegionAssumption("nansha", None, 0.75, "xlsx-long"),
    RegionAssumption("taobei", None, 0.60, "csv-gb18030", missing_year=2022),
    # The other six county-level units of 江门市 (440700), the demonstration city: no plan of their
    # own in the catalog, so they report the indicators of 开平's plan and of the national outline
    # (the city's targets). 台山 is late with its 2024 return.
    *(
        RegionAssumption(key, None, urban, fmt, missing_year=late, code=code,
                         targets=("kaiping", "national"), standing=standing)
        for key, code, urban, fmt, late, standing in (
            ("pengjiang", "440703", 0.95, "xlsx-long", None, 0.05),
            ("jianghai", "440704", 0.90, "csv-utf8-bom", None, 0.03),
            ("xinhui", "440705", 0.70, "xlsx-long", None, 0.0),
            ("taishan", "440781", 0.55, "csv-gb18030", 2024, -0.03),
            ("heshan", "440784", 0.65, "csv-utf8-bom", None, 0.01),
            ("enping", "440785", 0.55, "csv-gb18030", None, -0.06),
        )
    ),
)


#: National crude birth rate, ‰ (国家统计局, 统计公报), used for the number of live births.
BIRTH_RATE: dict[int, float] = {
    2018: 10.94,
    2019: 10.48,
    2020: 8.52,
    2021: 7.52,
    2022: 6.77,
    2023: 6.39,
    2024: 6.77,
}


#: A sex's share of a structure element its denominator counts (the 七普 sex ratios by age; women's
#: share of the employed, 2020: 43.5%); other elements 48.8% women. A survey samples both sexes
#: alike (a women-only survey samples only women).
SEX_SHARES: dict[str, float] = {
    "marriage_persons": 0.5, "insured_workers": 0.45, "elderly_65": 0.53, "employed": 0.435,
    "children_3_5": 0.475, "age_6_11": 0.475, "age_12_14": 0.475, "age_15_17": 0.47, "age_18_22": 0.47,
    "primary_cohort": 0.475, "survey_sample": 0.5,
}

#: Elements whose urban and rural parts are other elements (the communities and the villages).
RESIDENCE_PARTS: dict[str, tuple[str, str]] = {
    "villages_and_communities": ("communities", "villages"), "admin_units": ("communities", "villages"),
}

#: A sex-disaggregated statistic whose women's rows are another indicator's (so the two agree):
#: 就业人员数 by sex from the counts of 就业人员中的女性比例; 居民健康素养水平 and 公民科学素质 of women
#: are 妇女健康素养水平 and 女性公民具备科学素质的比例.
LINKS: dict[str, str] = {
    "economy.employed_persons": "economy.employed_female_share",
    "health.health_literacy": "health.health_literacy_female",
    "education.science_literacy": "education.science_literacy_female",
}

#: Typical county levels (about 2020) of the indicators that neither the national series nor a plan's
#: target value anchors, each with its basis (the order of magnitude of a published national figure).
TYPICAL_FILE = Path(__file__).with_name("typical_levels.csv")


@functools.cache
def typical_levels() -> dict[tuple[str, str], float]:
    """Return the typical county levels of :data:`TYPICAL_FILE` by (indicator id, sex).

    Returns
    -------
    dict
        ``(indicator_id, sex) -> level``; sex ``any`` is the level of every breakdown, ``female`` or
        ``male`` the level of one sex. A count unit (人) is given per resident of the county.
    """
    with TYPICAL_FILE.open(encoding="utf-8", newline="") as handle:
        return {(row["indicator_id"], row["sex"]): float(row["level"]) for row in csv.DictReader(handle)}


#: A county's own year-to-year swings beside the nation's: the structural deviation's standard
#: deviation is this many times the national series' (county administrative series move more).
COUNTY_SCALE = 2.0


#: Lag-1 autocorrelation used when the national series have too few consecutive years to estimate it.
DEFAULT_RHO = 0.5


#: Regional spread of a level around the national one: ±8%, and ±3% for ages and years of schooling.
REGIONAL_SPREAD = {"岁": 0.03, "年": 0.03}


#: Yearly change of a level anchored to a target, as a share of the level: 0.5–3%, and
#: 0.1–0.4% for ages and years of schooling (life expectancy gains about 0.2–0.3 years a year).
DRIFT = {"岁": (0.001, 0.004), "年": (0.001, 0.004)}


#: How many indicators per plan are left without any data, to show 数据不足.
N_MISSING = 2


#: How many indicators per plan get only the last two years, to show a short series.
N_SHORT = 2


@dataclass
class Series:
    """A simulated series: one value a year per breakdown."""

    indicator: reference.IndicatorInfo
    age_group: str
    values: dict[
        tuple[int, str, str], tuple[float, float | None, float | None]
    ]  # (year, sex, res) → (v, n, d)


def plan_seed(plan_id: str) -> int:
    """Return a stable seed for a plan (from its id's SHA-256, not Python's salted hash)."""
    return SEED + int(hashlib.sha256(plan_id.encode("utf-8")).hexdigest()[:8], 16)
