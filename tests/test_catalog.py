"""The catalog loader on the package's own data: plans, the indicator registry, units."""

from __future__ import annotations

import dataclasses

import pytest

from womenstats import catalog
from womenstats.catalog import UNITS, convert, default_tolerance
from womenstats.errors import CatalogError

PLAN_FACTS = {
    # id: (region_code, level, period, midterm, final, status)
    "linhe": ("150802", "county", (2021, 2030), 2025, 2030, "final"),
    "kaiping": ("440783", "county", (2021, 2030), 2025, 2030, "final"),
    "nansha": ("440115", "county", (2021, 2030), 2025, 2030, "final"),
    "taobei": ("220802", "county", (2021, 2030), 2025, 2030, "draft"),
    "guxian": ("141025", "county", (2021, 2025), 2023, 2025, "final"),
    "national": ("000000", "national", (2021, 2030), 2025, 2030, "final"),
    "national_2011": ("000000", "national", (2011, 2020), 2015, 2020, "final"),
}


def test_plans_are_the_five_seeds_and_the_two_outlines():
    assert catalog.plans() == sorted(PLAN_FACTS)


@pytest.mark.parametrize("plan_id", sorted(PLAN_FACTS))
def test_plan_facts(plan_id):
    plan = catalog.plan(plan_id)
    code, level, period, midterm, final, status = PLAN_FACTS[plan_id]
    assert plan.id == plan_id
    assert plan.region_code == code
    assert plan.level == level
    assert (plan.period_start, plan.period_end) == period
    assert (plan.midterm_year, plan.final_year) == (midterm, final)
    assert plan.status == status
    assert plan.baseline_year == period[0] - 1
    assert plan.source.document
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.name = "x"  # type: ignore[misc]


def test_plan_parents_nearest_first():
    plan = catalog.plan("kaiping")
    assert [(p.code, p.name) for p in plan.parents] == [("440700", "江门市"), ("440000", "广东省")]
    assert catalog.plan("guxian").parents[0].code == "141000"
    assert catalog.plan("national").parents == ()


def test_unknown_plan_lists_known_ones():
    with pytest.raises(CatalogError, match="kaiping"):
        catalog.plan("atlantis")


def test_registry_shape():
    frame = catalog.indicators()
    assert frame.index.name == "id"
    assert frame.index.is_unique
    assert len(frame) > 100
    assert set(frame["area"]) == set(catalog.AREAS)
    assert all(i.split(".")[0] == a for i, a in zip(frame.index, frame["area"], strict=True))
    rates = frame[frame["unit"].isin(["%", "‰", "1/10万"])]
    assert (rates["per"] == rates["unit"].map({u: UNITS[u].per for u in UNITS})).all()


def test_maternal_mortality_as_the_brief_describes_it():
    ind = catalog.indicator("health.maternal_mortality")
    assert (ind.name, ind.unit, ind.better, ind.subject) == ("孕产妇死亡率", "1/10万", "lower", "female")
    assert (ind.numerator, ind.denominator, ind.per) == ("孕产妇死亡数", "活产数", 100000)
    assert ind.department == "卫健"
    assert (ind.lower, ind.upper) == (0.0, 100000.0)
    assert type(ind.lower) is float


def test_women_only_and_both_sex_measures_are_told_apart():
    assert catalog.indicator("decision.village_committee_female_share").subject == "female"
    assert catalog.indicator("education.schooling_years_gap").subject == "both"
    assert catalog.indicator("family.housework_time_gap").subject == "both"
    assert catalog.indicator("environment.rural_sanitary_toilet").subject == "total"
    assert catalog.indicator("education.gross_enrollment_higher").name == "高等教育毛入学率"


def test_unknown_indicator():
    with pytest.raises(CatalogError, match=r"health\.nothing"):
        catalog.indicator("health.nothing")


def test_names_and_aliases_do_not_collide():
    frame = catalog.indicators()
    labels = [*frame["name"], *(a for aliases in frame["aliases"] for a in aliases)]
    duplicated = sorted({x for x in labels if labels.count(x) > 1})
    assert duplicated == []


def test_indicators_returns_a_copy():
    frame = catalog.indicators()
    frame.loc["health.maternal_mortality", "name"] = "changed"
    assert catalog.indicator("health.maternal_mortality").name == "孕产妇死亡率"


@pytest.mark.parametrize(
    ("value", "source", "dest", "expected"),
    [
        (0.5, "%", "‰", 5.0),
        (0.5, "%", "1/10万", 500.0),
        (12.0, "1/10万", "%", 0.012),
        (3.0, "‰", "1/10万", 300.0),
        (2.5, "万人", "人", 25000.0),
        (1.5, "小时", "分钟", 90.0),
        (7.0, "%", "%", 7.0),
    ],
)
def test_unit_conversion(value, source, dest, expected):
    assert convert(value, source, dest) == pytest.approx(expected, rel=1e-12)


def test_unit_conversion_refuses_different_kinds():
    with pytest.raises(ValueError, match="不是同一类量"):
        convert(1.0, "%", "岁")
    with pytest.raises(ValueError, match="未知单位"):
        convert(1.0, "%", "percent")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("80", 1.0), ("107", 1.0), ("45", 1.0), ("1.5", 0.1), ("0.25", 0.01), ("78.10", 0.1)],
)
def test_default_tolerance_is_one_unit_of_the_last_printed_digit(text, expected):
    assert default_tolerance(text) == pytest.approx(expected)


def test_plan_texts_are_named_inside_the_repository():
    from womenstats import paths

    for plan_id in catalog.plans():
        source = catalog.plan(plan_id).source
        if source.file is None:
            continue
        assert source.file.startswith("data/raw/"), (plan_id, source.file)
        assert (paths.raw_dir().parent.parent / source.file).is_file(), source.file
