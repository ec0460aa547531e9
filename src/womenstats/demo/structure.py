"""A simulated county's structure, drawn before any indicator: its people, births, villages, bodies.

Every rate's denominator is then the count of the element of the structure it belongs to (the
registry's ``plausible.denominator``, ``catalog/data/structure.yaml``): the maternal-health rates
share the county's live births, the village committee's female share counts the members of its
villages' committees, the people's congress its deputies. Nothing is a multiple of the population
chosen for the indicator. The magnitudes are public county-level figures for the four provinces
of the demonstration (广东, 山西, 内蒙古, 吉林), each with its source in ``data/raw/demo/README.md``:

* population: the region registry's 2020 census figure, moving by the province's recent yearly
  change (七普 vs 六普, provincial communiqués);
* births: the population times the national crude birth rate of the year
  (:data:`~womenstats.demo.assumptions.BIRTH_RATE`) times the province's ratio to it;
* age and sex: the 七普 shares (the province's for 65 and over);
* villages and communities: the 2020 national ratios of 村委会 to rural and 居委会 to urban residents
  (民政部), the province's density of villages; members 3–7 per village committee and 5–9 per
  residents' committee as the laws fix them;
* bodies the law sizes: people's congress deputies by 选举法第十二条 (140 + 1 per 5 000 people, at most
  450), held for a term (县乡换届 2016 and 2021; 村（社区）“两委” 2021);
* rare conditions: HIV- and syphilis-positive mothers, cervical cancer patients, as Poisson counts.

Survey samples, inspections and other counts that belong to one indicator are drawn for it alone.
Part of :mod:`womenstats.demo`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from womenstats.catalog import regions
from womenstats.demo.assumptions import BIRTH_RATE, SEED, YEARS, RegionAssumption, plan_seed


@dataclass(frozen=True)
class Province:
    """What differs by province: births, age, villages, population change (sources in README.md)."""

    name: str
    birth_ratio: float  # the province's crude birth rate over the national one
    elderly: float  # share 65 and over, 七普
    village_density: float  # villages per rural resident, over the national ratio
    growth: tuple[float, float]  # yearly population change of a county, low–high


#: By the first two digits of the GB/T 2260 code; ``""``: a simulated province (national values).
PROVINCES: dict[str, Province] = {
    "44": Province("广东", 1.25, 0.0858, 0.6, (0.002, 0.010)),
    "14": Province("山西", 0.96, 0.1290, 1.5, (-0.005, -0.001)),
    "15": Province("内蒙古", 0.80, 0.1305, 1.4, (-0.004, 0.0)),
    "22": Province("吉林", 0.60, 0.1561, 1.0, (-0.013, -0.007)),
    "": Province("全国", 1.00, 0.1350, 1.0, (-0.005, 0.005)),
}

#: A city whose crude birth rate differs from its province's (by the first four digits of the code):
#: 江门市 8.54‰ in 2021 and 7.42‰ in 2022 (江门统计公报, 统计年鉴) against 7.52‰ and 6.77‰ nationally.
CITY_BIRTH_RATIO: dict[str, float] = {"4407": 1.10}

#: Shares of the resident population (七普, national): the element, its share, the spread of a
#: county around it (a county's factor is drawn uniformly in 1 ± spread and kept for all years).
POPULATION_SHARES: dict[str, tuple[float, float]] = {
    "women": (0.488, 0.02), "women_15_49": (0.235, 0.10), "women_20_64": (0.320, 0.08),
    "women_35_64": (0.225, 0.10), "children_3_5": (0.033, 0.15), "age_6_11": (0.075, 0.15),
    "age_12_14": (0.036, 0.15), "age_15_17": (0.033, 0.15), "age_18_22": (0.053, 0.25),
    "age_15_plus": (0.820, 0.03), "age_15_50": (0.500, 0.08), "primary_cohort": (0.0115, 0.15),
    "employed": (0.532, 0.10), "party_members": (0.065, 0.15), "preschool_pupils": (0.034, 0.15),
    "compulsory_students": (0.110, 0.15), "high_school_students": (0.029, 0.20),
    "professionals": (0.022, 0.30), "insured_workers": (0.25, 0.30),
    "urban_unit_employed": (0.12, 0.40), "schools": (0.00038, 0.30), "social_org_leaders": (0.0011, 0.30),
    "public_institution_leaders": (0.0007, 0.30), "enterprise_managers": (0.005, 0.50),
    "employee_directors": (0.00015, 0.50), "employee_supervisors": (0.00015, 0.50),
    "workers_congress_deputies": (0.005, 0.50), "male_toilet_places": (0.0012, 0.40),
    "higher_ed_students": (0.004, 0.90), "postgraduates": (0.0002, 0.90),
}

#: Shares of another element: the element, the one it is part of, the share, the spread.
PART_SHARES: dict[str, tuple[str, float, float]] = {
    "employed_women": ("employed", 0.435, 0.05), "senior_professionals": ("professionals", 0.14, 0.15),
    "skilled_workers": ("employed", 0.26, 0.15), "industry_employed": ("employed", 0.05, 0.50),
    "female_workers": ("urban_unit_employed", 0.42, 0.10), "women_to_insure": ("women", 0.75, 0.05),
    "general_high_school_students": ("high_school_students", 0.60, 0.10),
    "high_school_girls": ("high_school_students", 0.47, 0.03),
    "undergraduates": ("higher_ed_students", 0.80, 0.10),
    "adult_students": ("higher_ed_students", 0.20, 0.30), "women_in_need": ("women", 0.004, 0.40),
    "needy_families": ("households", 0.02, 0.40), "disabled_girls": ("compulsory_students", 0.006, 0.40),
    "rural_trainees": ("rural_population", 0.006, 0.50), "screened_women": ("women_20_64", 0.55, 0.20),
    "planned_pregnancy": ("births", 2.2, 0.10), "delivery_beds": ("births", 0.015, 0.25),
}

#: Elements held for a body's term (elected 2016–2017, then in 2021): they change only at an election.
TERM_ELEMENTS: frozenset[str] = frozenset({
    "npc_deputies", "npc_standing", "cppcc_members", "cppcc_standing", "party_congress_deputies",
    "gov_leadership", "village_committee_members", "village_party_members", "village_representatives",
    "residents_committee_members", "community_party_members",
})

#: First year of the term in force: the returns of 2018–2020 show the body elected before 2018.
TERM_STARTS: tuple[int, ...] = (YEARS[0], 2021)

#: Elements that belong to one indicator (a survey's sample, an inspection): drawn for it alone,
#: uniformly between the bounds, for each indicator, sex and year.
SAMPLES: dict[str, tuple[int, int]] = {
    "survey_sample": (400, 1500), "inspection_batches": (40, 300), "water_samples": (60, 400),
    "public_places": (40, 200), "surveyed_enterprises": (60, 400),
}

#: Crude marriage rate, ‰ of the population (民政部 marriage registrations over the national
#: population: 1 013.9万 couples in 2018 … 683.5万 in 2022).
MARRIAGE_RATE: dict[int, float] = {2018: 7.3, 2019: 6.6, 2020: 5.8, 2021: 5.4, 2022: 4.8, 2023: 5.4,
                                   2024: 4.3}

#: 2020 national ratios (民政部 2020: 50.2万 村委会, 11.3万 居委会; 七普: 50 979万 rural, 90 199万
#: urban residents).
VILLAGES_PER_RURAL = 50.2e4 / 50_979e4
COMMUNITIES_PER_URBAN = 11.3e4 / 90_199e4

#: Yearly rates of rare events (range a county's rate is drawn in): HIV-positive mothers per live
#: birth (about 5 in 10 000 nationally, fewer in these provinces), all infected mothers (syphilis in
#: pregnancy 2‰–5‰, 中华预防医学会); cervical cancer per woman (10–20 per 10万); crimes against women
#: filed by the police and cases taken by the courts per woman.
RARE: dict[str, tuple[str, float, float]] = {
    "hiv_exposed_infants": ("births", 0.0002, 0.0007),
    "infected_mothers": ("births", 0.0025, 0.0045),
    "cervical_cancer_patients": ("women", 0.0001, 0.0002),
    "cases_filed": ("women", 0.0001, 0.0003),
    "cases_accepted": ("women", 0.00005, 0.0002),
}


@dataclass
class Structure:
    """A county's structure: each element's count in each year, for the whole county."""

    region: RegionAssumption
    urban_share: float
    counts: dict[str, dict[int, float]] = field(default_factory=dict)

    def count(self, element: str, year: int, key: str = "") -> float:
        """Return an element's count in a year; an indicator's own sample is drawn for ``key``."""
        if element in SAMPLES:
            low, high = SAMPLES[element]
            seed = int(hashlib.sha256(f"{element}|{key}|{year}".encode()).hexdigest()[:8], 16)
            rng = np.random.default_rng([SEED, plan_seed(self.region.plan), seed])
            return float(rng.integers(low, high + 1))
        return self.counts[element][year]

    def population(self, year: int) -> float:
        """Return the resident population in a year."""
        return self.counts["population"][year]


def province_of(code: str) -> Province:
    """Return the province whose magnitudes a county takes (by the first two digits of its code)."""
    return PROVINCES.get(code[:2], PROVINCES[""])


def region_population(region: RegionAssumption, code: str) -> float:
    """Return a region's 2020 population: its own, else the region registry's (the 2020 census)."""
    if region.population is not None:
        return float(region.population)
    people = regions.population(code)
    if people is None:
        raise ValueError(f"no population for region {code}")
    return float(people)


def draw_structure(region: RegionAssumption, code: str) -> Structure:
    """Draw a county's structure for every simulated year (one generator per county, fixed seed).

    Parameters
    ----------
    region : RegionAssumption
        The county.
    code : str
        Its GB/T 2260 code (the province is read from it).

    Returns
    -------
    Structure
        Counts of every element of ``catalog/data/structure.yaml`` a simulated return uses.
    """
    rng = np.random.default_rng([SEED, plan_seed(region.plan), 2])
    province = province_of(code)
    base = region_population(region, code)
    growth = rng.uniform(*province.growth)
    years = list(YEARS)
    pop = {y: base * (1 + growth) ** (y - 2020) for y in years}
    out = Structure(region, region.urban_share)
    counts = out.counts
    counts["population"] = pop

    def each(factor: float) -> dict[int, float]:
        return {y: pop[y] * factor for y in years}

    for element, (share, spread) in POPULATION_SHARES.items():
        counts[element] = each(share * rng.uniform(1 - spread, 1 + spread))
    counts["elderly_65"] = each(province.elderly * rng.uniform(0.8, 1.25))
    rural = 1 - region.urban_share
    counts["rural_population"] = each(rural)
    counts["households"] = each(1 / rng.uniform(2.4, 2.9))
    counts["rural_households"] = each(rural / rng.uniform(2.6, 3.4))
    birth_factor = CITY_BIRTH_RATIO.get(code[:4], province.birth_ratio) * rng.uniform(0.92, 1.08)
    counts["births"] = {y: pop[y] * BIRTH_RATE[y] / 1000 * birth_factor for y in years}
    marriages = rng.uniform(0.9, 1.1)
    counts["marriage_couples"] = {y: pop[y] * MARRIAGE_RATE[y] / 1000 * marriages for y in years}
    counts["marriage_persons"] = {y: 2 * v for y, v in counts["marriage_couples"].items()}
    for element, (whole, share, spread) in PART_SHARES.items():
        factor = share * rng.uniform(1 - spread, 1 + spread)
        counts[element] = {y: counts[whole][y] * factor for y in years}
    for element, (whole, low, high) in RARE.items():
        rate = rng.uniform(low, high)
        counts[element] = {y: float(rng.poisson(counts[whole][y] * rate)) for y in years}
    _admin(out, rng, base, rural, province)
    _bodies(out, rng, pop)
    return out


def _admin(out: Structure, rng: np.random.Generator, base: float, rural: float, province: Province) -> None:
    """Towns, villages, communities and the other counts of places (fixed over the years)."""
    counts = out.counts

    def fixed(value: float) -> dict[int, float]:
        return {y: float(value) for y in YEARS}

    villages = round(base * rural * VILLAGES_PER_RURAL * province.village_density * rng.uniform(0.8, 1.2))
    communities = max(round(base * out.urban_share * COMMUNITIES_PER_URBAN * rng.uniform(0.8, 1.2)), 1)
    towns = int(np.clip(round(base / 50_000 * rng.uniform(0.7, 1.3)), 5, 30))
    counts["villages"] = fixed(villages)
    counts["communities"] = fixed(communities)
    counts["towns"] = fixed(towns)
    counts["villages_and_communities"] = fixed(villages + communities)
    counts["admin_units"] = fixed(towns + villages + communities)
    counts["natural_villages"] = fixed(round(villages * rng.uniform(3, 8)))
    counts["counties"] = fixed(1)
    counts["midwifery_institutions"] = fixed(int(rng.integers(max(towns // 2, 3), towns + 6)))
    counts["drinking_water_sources"] = fixed(int(rng.integers(2, 9)))
    counts["monitoring_days"] = {y: float((366 if y % 4 == 0 else 365) - int(rng.integers(0, 8)))
                                 for y in YEARS}
    counts["new_civil_servants"] = {y: float(rng.integers(20, 90)) for y in YEARS}
    counts["gov_department_leaders"] = fixed(int(rng.integers(25, 36)) * 4)
    counts["chief_cadres"] = fixed(int(rng.integers(25, 36)) + towns)


def _bodies(out: Structure, rng: np.random.Generator, pop: dict[int, float]) -> None:
    """Bodies sized by law or practice, drawn at the start of each term and held for it."""
    counts = out.counts
    for element in TERM_ELEMENTS:
        counts[element] = {}
    for start in TERM_STARTS:
        people = pop[start]
        # 选举法第十二条: 140 + 1 per 5 000 people, at most 450 (fewer than 140 under 50 000 people)
        deputies = min(140 + people // 5000, 450) if people >= 50_000 else max(round(people / 400), 30)
        cppcc = round(deputies * rng.uniform(0.7, 1.0))
        size = {
            "npc_deputies": deputies,
            "npc_standing": int(rng.integers(19, 30)) if people < 1_000_000 else int(rng.integers(29, 41)),
            "cppcc_members": cppcc,
            "cppcc_standing": round(cppcc * rng.uniform(0.12, 0.18)),
            "party_congress_deputies": int(rng.integers(200, 301)),
            "gov_leadership": int(rng.integers(7, 11)),
            "village_committee_members": round(counts["villages"][start] * rng.uniform(4.0, 6.0)),
            "village_party_members": round(counts["villages"][start] * rng.uniform(3.5, 5.5)),
            "village_representatives": round(counts["villages"][start] * rng.uniform(25, 45)),
            "residents_committee_members": round(counts["communities"][start] * rng.uniform(5.0, 7.0)),
            "community_party_members": round(counts["communities"][start] * rng.uniform(5.0, 7.0)),
        }
        for year in YEARS:
            if term_start(year) == start:
                for element, value in size.items():
                    counts[element][year] = float(value)


def term_start(year: int) -> int:
    """Return the first simulated year of the term in force in ``year``."""
    return max(s for s in TERM_STARTS if s <= year)


__all__ = ["PROVINCES", "SAMPLES", "TERM_ELEMENTS", "Structure", "draw_structure", "province_of",
           "region_population", "term_start"]
