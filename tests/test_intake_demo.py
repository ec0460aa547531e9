"""The embedded demonstration data (模拟数据): reproducible, labelled simulated, on a county scale."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from womenstats import catalog
from womenstats.catalog import regions
from womenstats.demo import REGIONS, generate
from womenstats.demo.simulate import region_code
from womenstats.intake import Store, build_store

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
DEMO = RAW / "demo"


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "README.md"
    }


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("demo") / "womenstats.sqlite"
    build_store(path)
    return Store(path)


def test_the_script_regenerates_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    generate(tmp_path)
    assert _digests(tmp_path) == _digests(DEMO)


def test_every_demo_value_is_simulated_and_every_national_value_real(store: Store) -> None:
    obs = store.observations()
    national = obs["region_code"] == "000000"
    assert national.any() and (~national).any()
    assert (obs.loc[national, "simulated"] == 0).all()
    assert (obs.loc[~national, "simulated"] == 1).all()
    assert set(obs.loc[~national, "region_code"]) == {region_code(r) for r in REGIONS}


def test_the_demo_city_has_all_its_counties_each_different_and_one_late(store: Store) -> None:
    obs = store.observations()
    city = obs[obs["region_code"].isin(regions.children("440700"))]
    assert set(city["region_code"]) == set(regions.children("440700"))
    assert len(regions.children("440700")) == 7
    years = city.groupby("region_code")["year"].max()
    assert years["440781"] == 2023
    assert (years.drop("440781") == 2024).all()
    # Sizes differ: 蓬江's births are more than twice 江海's; levels differ by standing (蓬江 ahead of 恩平).
    births = city[(city["indicator_id"] == "health.maternal_mortality")
                  & (city["sex"].isin(["female", "total"])) & (city["residence"] == "all")
                  & (city["year"] == 2020)].set_index("region_code")["denominator"]
    assert births["440703"] > 2 * births["440704"]
    share = city[(city["indicator_id"] == "decision.village_committee_female_share")
                 & (city["sex"] == "female") & (city["year"] == 2020)].set_index("region_code")["value"]
    assert share.nunique() == len(share) >= 6


def test_counties_have_their_own_scale_of_births_and_maternal_deaths(store: Store) -> None:
    # 临河 (540 000 people, Inner Mongolia's birth rate about 0.8 of the nation's): some 2 700–4 800
    # births a year as the national rate fell from 10.94‰ (2018) to 6.39‰ (2023), and 0–3 maternal deaths
    linhe = catalog.plan("linhe").region_code
    mmr = store.observations(region_code=linhe, indicator_id="health.maternal_mortality")
    mmr = mmr[(mmr["sex"].isin(["female", "total"])) & (mmr["residence"] == "all")].set_index("year")
    assert len(mmr) >= 5
    assert mmr["denominator"].between(2500, 5000).all()
    assert mmr.loc[2018, "denominator"] > 1.4 * mmr.loc[2023, "denominator"]
    assert mmr["numerator"].between(0, 3).all()


def test_the_flaws_real_returns_have(store: Store) -> None:
    taobei = store.observations(plan="taobei")
    assert 2022 not in set(taobei["year"])
    revisions = store.revisions()
    assert (revisions["region_code"] == catalog.plan("kaiping").region_code).any()
    assert len(store.normalisations()) > 0


def test_building_twice_gives_the_same_content(store: Store, tmp_path: Path) -> None:
    again = tmp_path / "again.sqlite"
    build_store(again)
    assert Store(again).content_sha256() == store.content_sha256()


#: What a real county could report, by unit: written here from what the units mean, independent of
#: the generator's assumptions (a share of 0–100%, abortions per 1 000 women well under 100, an
#: incidence per 100 000 in the hundreds at most, ages of 55–90, years of schooling of 5–16 …).
UNIT_RANGES = {"%": (0.0, 100.0), "‰": (0.0, 100.0), "1/10万": (0.0, 2000.0), "岁": (55.0, 90.0),
               "年": (5.0, 16.0), "比值": (0.1, 5.0), "分钟": (0.0, 600.0)}
#: How far a county may stand from the national level of the same indicator (ratio), by unit.
NATIONAL_RATIO = {"岁": (0.88, 1.12), "年": (0.7, 1.3), "%": (1 / 3, 3.0)}


def test_every_simulated_value_is_one_a_real_county_could_report(store: Store) -> None:
    from scipy import stats

    from womenstats.demo import national_levels
    from womenstats.intake import reference

    registry = reference.indicators()
    national = national_levels()
    populations = {region_code(r): regions.population(region_code(r)) for r in REGIONS}
    obs = store.observations()
    checked = 0
    for row in obs[obs["simulated"] == 1].itertuples(index=False):
        info = registry[row.indicator_id]
        where = f"{row.indicator_id} {row.region_code} {row.year} {row.sex}/{row.residence}: {row.value}"
        if info.lower is not None:
            assert row.value >= info.lower, where
        if info.upper is not None:
            assert row.value <= info.upper, where
        if info.unit in UNIT_RANGES:
            low, high = UNIT_RANGES[info.unit]
            low = -high if info.lower is not None and info.lower < 0 else low
            assert low <= row.value <= high, where
        else:  # counts of people, institutions, bases: at most the county's population
            assert 0 <= row.value <= populations[row.region_code], where
        levels = [v for (ind, _s, _r), points in national.items() if ind == row.indicator_id
                  for _y, v in points]
        if not levels:
            continue
        if info.from_counts and row.numerator == row.numerator and info.per > 100:
            # a rate from small counts: the count is one a Poisson process at three times the
            # highest national rate could give (the value itself swings with 0, 1, 2 events)
            expected = 3 * max(levels) * row.denominator / info.per
            assert row.numerator <= stats.poisson.ppf(0.9999, expected), where
        elif info.unit in NATIONAL_RATIO and min(levels) > 0 and not row.denominator < 100:
            # (a share of fewer than 100 — two infants of HIV-positive mothers — is judged on its counts
            # against the declared range below)
            low, high = NATIONAL_RATIO[info.unit]
            assert low * min(levels) <= row.value <= high * max(levels), where
        checked += 1
    assert checked >= 100


def test_simulated_series_vary_at_least_as_much_as_the_national_series(store: Store) -> None:
    import numpy as np

    from womenstats.demo import national_levels, national_noise

    noise, rho = national_noise(national_levels())
    assert 0.0 <= rho <= 0.9 and 0.001 < noise[""] < 0.2  # calibrated from the real series
    obs = store.observations(plan="kaiping")
    spread = []
    for _key, series in obs[obs["unit"] == "%"].groupby(["indicator_id", "sex", "residence", "age_group"]):
        if len(series) >= 6 and series["value"].between(5, 95).all():
            series = series.sort_values("year")
            years, values = series["year"].to_numpy(float), series["value"].to_numpy(float)
            resid = values - np.polyval(np.polyfit(years, values, 1), years)
            spread.append(np.sqrt((resid**2).sum() / (len(values) - 2)) / values.mean())
    assert len(spread) >= 10
    # a county's shares move at least as much from year to year as the nation's do (not a flat 1% of
    # the level for all), and none is a perfectly straight line
    assert np.median(spread) >= noise["%"] and min(spread) > 0


def _sizes() -> dict[str, tuple[str, float]]:
    codes = [region_code(r) for r in REGIONS]
    return {code: (regions.level(code), regions.population(code)) for code in codes}


def test_every_simulated_county_year_lies_within_the_declared_ranges(store: Store) -> None:
    """The registry's plausible ranges, walked value by value (written here, not through intake)."""
    from scipy import stats

    from womenstats.intake import reference

    registry = reference.indicators()
    structure = catalog.structure()
    sizes = _sizes()
    obs = store.observations()
    checked = denominators = 0
    for row in obs[obs["simulated"] == 1].itertuples(index=False):
        info = registry[row.indicator_id]
        level, population = sizes[row.region_code]
        where = f"{row.indicator_id} {row.region_code} {row.year} {row.sex}/{row.residence}: {row.value}"
        whole = row.residence == "all" and row.age_group == "all" and (
            row.sex == "total" or (row.sex == "female" and "sex" not in info.breakdowns))
        span = info.plausible.value_span(level, population, info.scale, counted=info.additive)
        low, high = span if whole or not info.additive else (0.0, span[1])
        if row.numerator == row.numerator and row.denominator and info.is_rate:
            # a rate from counts: no true rate inside the range is rejected by its counts at 0.001
            x, n, per = int(row.numerator), int(row.denominator), float(info.per)
            assert stats.binom.sf(x - 1, n, high / per) >= 0.001 or x <= n * high / per, where
            assert stats.binom.cdf(x, n, low / per) >= 0.001 or x >= n * low / per, where
        else:
            assert low <= row.value <= high, where
        element = structure.get(info.plausible.denominator or "")
        if element is not None and row.denominator == row.denominator:
            low, high = element.span(level, population)
            assert (low if whole else 0) <= row.denominator <= high, f"{where} / {row.denominator}"
            denominators += 1
        checked += 1
    assert checked > 5000 and denominators > 2500
    # and intake, which reads the same ranges, warned about none of them
    assert store.warnings(["W_IMPLAUSIBLE_VALUE", "W_IMPLAUSIBLE_DENOMINATOR", "W_GAP_MISMATCH"]).empty


def test_bodies_have_the_size_the_law_gives_them(store: Store) -> None:
    obs = store.observations()

    def denominators(region: str, indicator: str) -> pd.Series:
        rows = obs[(obs["region_code"] == region) & (obs["indicator_id"] == indicator)]
        return rows.set_index("year")["denominator"]

    # 选举法第十二条: 140 + 1 per 5 000 people: 开平, 750 000 people, about 290 deputies, fixed for a term
    deputies = denominators("440783", "decision.npc_deputies_female_share")
    assert deputies.between(280, 300).all() and deputies.loc[2018] == deputies.loc[2020]
    # village committees: one chair per village, 3–7 members each (村民委员会组织法第六条)
    compared = 0
    for region in sorted(set(obs["region_code"]) - {"000000"}):
        chairs = denominators(region, "decision.village_committee_chair_female_share")
        members = denominators(region, "decision.village_committee_female_share")
        for year in sorted(set(chairs.index) & set(members.index)):
            assert 3 * chairs[year] <= members[year] <= 7 * chairs[year], (region, year)
            compared += 1
    assert compared >= 50


def test_no_denominator_serves_two_kinds_of_population(store: Store) -> None:
    """A county-year's denominators: one number is one thing counted (births, deputies, villages …)."""
    from womenstats.intake import reference

    registry = reference.indicators()
    obs = store.observations()
    from womenstats.demo.structure import SAMPLES

    obs = obs[(obs["simulated"] == 1) & (obs["denominator"] >= 100)]
    # a survey's or an inspection's sample belongs to its indicator alone (drawn for it)
    own = {i for i, info in registry.items() if info.plausible and info.plausible.denominator in SAMPLES}
    obs = obs[~obs["indicator_id"].isin(own)]
    coincidences, values = [], 0
    for (region, year), rows in obs.groupby(["region_code", "year"]):
        elements: dict[float, set[str]] = {}
        for row in rows.itertuples(index=False):
            info = registry[row.indicator_id]
            sex = "total" if info.subject == "female" and "sex" not in info.breakdowns else row.sex
            kind = f"{info.plausible.denominator}/{sex}/{row.residence}"
            elements.setdefault(row.denominator, set()).add(kind)
        coincidences += [(region, year, den, kinds) for den, kinds in elements.items() if len(kinds) > 1]
        values += len(elements)
    # two counts of a county may happen to be equal (299 members of community party committees and
    # of residents' committees), but no number stands for many things at once, as 150 000 did for
    # the indicators of five areas of 开平
    assert all(len(kinds) == 2 for *_, kinds in coincidences), coincidences
    assert len(coincidences) < 0.01 * values
    # and the births are the same number for every maternal-health rate of a county-year
    births = obs[obs["indicator_id"].isin(["health.maternal_mortality", "health.hospital_delivery",
                                           "health.postpartum_visit", "health.maternal_system_management"])
                 & (obs["residence"] == "all")]
    assert (births.groupby(["region_code", "year"])["denominator"].nunique() == 1).all()


def test_a_gap_is_computed_from_its_stored_components(store: Store) -> None:
    from womenstats.gender import derivations

    obs = store.observations()
    obs = obs[obs["simulated"] == 1]
    compared = 0
    for gap_id, spec in derivations().items():
        gaps = obs[obs["indicator_id"] == gap_id]
        parts = obs[obs["indicator_id"] == spec.source].set_index(["region_code", "year", spec.by])
        for row in gaps.itertuples(index=False):
            other = "sex" if spec.by == "residence" else "residence"
            same = parts[parts[other] == getattr(row, other)]
            a = same.loc[(row.region_code, row.year, spec.minuend), "value"]
            b = same.loc[(row.region_code, row.year, spec.subtrahend), "value"]
            assert abs(row.value - round(float(spec.compute(a, b)), 2)) < 1e-9, (gap_id, row)
            compared += 1
    assert compared >= 100
    # a county with no maternal death in town or country has a gap of 0
    mmr = obs[obs["indicator_id"] == "health.maternal_mortality"]
    mmr = mmr.set_index(["region_code", "year", "residence"])
    gap = obs[obs["indicator_id"] == "health.maternal_mortality_rural_urban_gap"]
    zero = [r for r in gap.itertuples(index=False)
            if mmr.loc[(r.region_code, r.year, "urban"), "numerator"] == 0
            and mmr.loc[(r.region_code, r.year, "rural"), "numerator"] == 0]
    assert zero and all(r.value == 0 for r in zero)


def test_every_county_reports_at_least_ten_indicators_for_women_and_men(store: Store) -> None:
    obs = store.observations()
    obs = obs[obs["simulated"] == 1]
    for region, rows in obs.groupby("region_code"):
        by_sex = rows[rows["sex"].isin(["female", "male"])].groupby("indicator_id")["sex"].nunique()
        assert (by_sex == 2).sum() >= 10, (region, sorted(by_sex[by_sex == 2].index))


def test_a_level_the_plan_says_the_county_keeps_is_the_level_it_reports() -> None:
    # “农村自来水普及率巩固在99%以上” says the county has 99%: its level is not the national 83%.
    # Every series of an indicator a region's plans hold (``maintain`` with a value) starts in 2020
    # on the better side of that value and inside the indicator's bounds (the generator's own
    # record, ``assumptions.csv``; a year's value adds the year's noise to it).
    from womenstats.demo.levels import held_level
    from womenstats.intake import reference

    registry = reference.indicators()
    levels = pd.read_csv(DEMO / "assumptions.csv")
    checked = 0
    for region in REGIONS:
        rows = levels.loc[(levels["plan"] == region.plan) & (levels["status"] != "derived")]
        for row in rows.itertuples(index=False):
            info = registry[row.indicator_id]
            held = held_level(info, region.plans)
            if held is None:
                continue
            sign = {"higher": 1, "lower": -1}[info.better]
            assert sign * (row.level_2020 - held) > 0, (region.plan, row)
            assert (info.lower or 0) <= row.level_2020 <= (info.upper or float("inf")), (region.plan, row)
            checked += 1
    assert checked >= 20


def test_every_typical_level_is_a_registered_indicator_with_its_basis_and_a_possible_county_value() -> None:
    # The typical levels are data with a basis per row: the indicator and its name as the registry
    # has them, the unit (a count per resident for 人), a level a county can have, and a source.
    from womenstats.demo.assumptions import TYPICAL_FILE

    table = pd.read_csv(TYPICAL_FILE, dtype={"level": float})
    registry = catalog.indicators()
    assert not table.duplicated(["indicator_id", "sex"]).any()
    assert set(table["sex"]) <= {"any", "female", "male"}
    assert table["basis"].str.len().min() >= 10
    for row in table.itertuples(index=False):
        entry = registry.loc[row.indicator_id]
        assert row.name == entry["name"], row
        span = entry["plausible"].county
        if entry["plausible"].per_10k:
            assert row.unit == "每名常住人口" and span[0] <= row.level * 10_000 <= span[1], row
        else:
            assert row.unit == entry["unit"] and span[0] <= row.level <= span[1], row
    assert len(table) == 49
