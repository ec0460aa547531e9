"""The written assumptions of the demonstration data: regions, sizes, birth rates, noise, quirks.

Part of :mod:`womenstats.demo`; ``data/raw/demo/README.md`` and ``assumptions.csv`` set them out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

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

#: Typical county levels by sex of the sex-disaggregated statistics without a national series (order
#: of magnitude of the published figures: 公民科学素质 2020 10.56%, men above women; 时间利用调查
#: 2018, women's housework about two hours a day, men's under one; women's labour income about
#: four fifths of men's, 妇女社会地位调查; 健康素养 2020 23.15%).
TYPICAL_BY_SEX: dict[tuple[str, str], float] = {
    ("education.science_literacy", "female"): 8.5, ("education.science_literacy", "male"): 12.5,
    ("family.housework_time", "female"): 140.0, ("family.housework_time", "male"): 55.0,
    ("economy.average_income", "female"): 46_000.0, ("economy.average_income", "male"): 57_000.0,
    ("health.health_literacy", "female"): 22.0, ("health.health_literacy", "male"): 21.0,
}


#: Typical county levels (about 2020) of the indicators that neither the national series nor a
#: plan's target value anchors: the order of magnitude of the published national figures
#: (统计监测报告, 卫生健康统计年鉴, 人社统计公报, 公民科学素质调查, 时间利用调查). A count unit (人)
#: is given per person of the county's population.
TYPICAL_LEVELS: dict[str, float] = {
    "decision.chief_cadres_female_share": 15.0, "decision.community_party_female_share": 40.0,
    "decision.community_party_secretary_female_share": 35.0, "decision.cppcc_standing_female_share": 20.0,
    "decision.enterprise_management_female_share": 30.0,
    "decision.gov_departments_leadership_female_share": 20.0,
    "decision.gov_leadership_female_share": 15.0, "decision.npc_standing_female_share": 20.0,
    "decision.party_members_female_share": 29.0, "decision.public_institution_leadership_female_share": 30.0,
    "decision.social_org_leaders_female_share": 25.0, "decision.village_party_female_share": 18.0,
    "decision.village_party_secretary_female_share": 10.0,
    "economy.female_occupational_disease_incidence": 5.0,
    "economy.female_occupational_injury_incidence": 150.0,
    "economy.high_tech_employed_female_share": 40.0,
    "economy.skilled_workers_female_share": 35.0, "education.high_school_vocational_female_share": 40.0,
    "education.science_literacy_female": 8.0, "economy.employed_persons": 0.53,
    "education.young_adult_illiteracy": 0.5, "environment.nursing_room_coverage": 70.0,
    "environment.urban_drinking_water_source_quality": 95.0,
    "health.breast_cancer_screening": 40.0, "health.cancer_prevention_awareness": 70.0,
    "health.cervical_cancer_screening": 45.0, "health.exercise_participation_female": 35.0,
    "health.fitness_standard_female": 90.0, "health.health_literacy_female": 22.0,
    "health.healthy_life_expectancy_female": 69.0, "health.induced_abortion_rate": 25.0,
    "health.maternal_anemia": 15.0, "health.mental_health_literacy_female": 20.0,
    "law.crimes_against_women_clearance": 90.0, "law.crimes_against_women_closure": 95.0,
    "law.crimes_against_women_incidence": 15.0, "law.rights_law_awareness": 80.0,
    "social_security.female_unemployment_insured": 0.04, "social_security.female_work_injury_insured": 0.05,
    "social_security.maternity_insurance_coverage": 90.0,
    "social_security.unemployment_insurance_coverage": 85.0,
}


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
