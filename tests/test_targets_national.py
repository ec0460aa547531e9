"""The national outlines' targets agree, row by row, with the published reference table.

``data/raw/national/national_targets.csv`` (copied from the shared reference, each row with the
address it was read at) is the independent source: every one of its rows must appear in
``targets/national.csv`` (2021–2030 outline) or ``targets/national_2011.csv`` (2011–2020 outline)
with the registry indicator of that name, the same value, unit, target year and operator, and a
sentence quoted from the row. Two operator codes differ by the catalog's conventions, and only
these: a gap that shrinks (``差距缩小``) is ``narrow``, and ``保持在X以上`` is ``maintain`` with
the value.
"""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from womenstats import catalog, paths

OUTLINES = {"2021-2030": ("national", 2030), "2011-2020": ("national_2011", 2020)}
REFERENCE = paths.raw_dir() / "national" / "national_targets.csv"


def _reference() -> pd.DataFrame:
    return pd.read_csv(REFERENCE, dtype=str, keep_default_na=False, encoding="utf-8")


def _indicator_by_label() -> dict[str, str]:
    frame = catalog.indicators()
    out = {}
    for ident, row in frame.iterrows():
        for label in (row["name"], *row["aliases"]):
            out[label] = str(ident)
    return out


def _expected_operator(ref: pd.Series) -> str:
    if "差距" in ref["indicator"] and ref["operator"] == "decrease":
        return "narrow"
    if "保持在" in ref["sentence"] and ref["operator"] == ">=":
        return "maintain"
    return ref["operator"]


def _reference_rows():
    ref = _reference()
    return [pytest.param(row, id=f"{row['outline']}:{row['indicator']}") for _, row in ref.iterrows()]


def test_reference_covers_both_outlines():
    ref = _reference()
    assert set(ref["outline"]) == set(OUTLINES)
    assert len(ref) == 16


@pytest.mark.parametrize("ref", _reference_rows())
def test_every_reference_row_is_a_catalog_target(ref):
    plan_id, final_year = OUTLINES[ref["outline"]]
    targets = catalog.load(plan_id)
    indicator_id = _indicator_by_label()[ref["indicator"]]
    residence = "rural" if ref["indicator"].startswith("农村孕产妇") else "all"
    hits = targets[(targets["indicator_id"] == indicator_id) & (targets["residence"] == residence)]
    assert len(hits) == 1, f"{ref['indicator']} -> {indicator_id}: {len(hits)} rows"
    hit = hits.iloc[0]
    assert hit["operator"] == _expected_operator(ref)
    assert hit["target_year"] == int(ref["target_year"]) == final_year
    if ref["value"]:
        assert hit["kind"] == "quantitative"
        assert hit["value"] == float(ref["value"])
        assert hit["unit"] == ref["unit"]
    else:
        assert hit["kind"] == "directional"
        assert math.isnan(hit["value"])
    # The sentence is quoted from the reference row (its source annotation and item number cut).
    assert hit["sentence"] and hit["sentence"] in ref["sentence"]
    assert ref["source_url"] in hit["note"]


@pytest.mark.parametrize(("plan_id", "n_rows"), [("national", 7), ("national_2011", 26)])
def test_outline_files_pass_the_schema_check(plan_id, n_rows):
    problems = [p for p in catalog.check() if p.file == f"targets/{plan_id}.csv"]
    assert problems == []
    targets = catalog.load(plan_id)
    assert len(targets) == n_rows
    assert targets["target_id"].is_unique
    assert (targets["section"] == "主要目标").all()
    assert set(targets["plan"]) == {plan_id}


def test_secondary_sources_are_marked():
    """The README's caveats travel with the rows: 据报道 rows and the implementation plan's two."""
    national = catalog.load("national").set_index("indicator_id")
    for ident in ("health.cervical_cancer_screening", "health.hiv_mother_to_child_transmission"):
        assert "非纲要原文" in national.loc[ident, "note"]
        assert "实施方案" in national.loc[ident, "note"]
    old = catalog.load("national_2011")
    reported = old[old["note"].str.contains("据报道")]
    assert sorted(reported["value"]) == [85.0, 96.0, 98.0]
    assert set(reported["indicator_id"]) == {
        "health.maternal_system_management",
        "health.hospital_delivery",
    }
    primary = old[~old.index.isin(reported.index)]
    assert not primary["note"].str.contains("据报道").any()


def test_outline_beside_a_county_target_in_one_unit():
    """A county's maternal mortality target can be set beside the outline's: same id and unit."""
    national = catalog.target("national.health.02-1")
    assert national["indicator"] == "孕产妇死亡率"
    assert (national["operator"], national["value"], national["unit"]) == ("<=", 12.0, "1/10万")
    assert catalog.target("national_2011.health.02-1")["value"] == 20.0


#: The 2011–2020 outline's monitorable targets that the NBS monitoring reports report on, each
#: with the series (indicator, sex, residence) it is judged on.
OUTLINE_2011 = {
    ("health.life_expectancy_female", "female", "all", "increase"),
    ("health.maternal_mortality", "female", "all", "<="),
    ("health.maternal_mortality_rural_urban_gap", "female", "all", "narrow"),
    ("health.common_disease_screening", "female", "all", ">="),
    ("health.maternal_system_management", "female", "all", ">="),
    ("health.hospital_delivery", "female", "all", ">="),
    ("health.hospital_delivery", "female", "rural", ">="),
    ("education.compulsory_consolidation", "total", "all", ">="),
    ("education.gross_enrollment_higher", "total", "all", ">="),
    ("education.preschool_gross_enrollment", "total", "all", ">="),
    ("education.high_school_gross_enrollment", "total", "all", ">="),
    ("economy.employed_female_share", "female", "all", "maintain"),
    ("economy.urban_employed_female_share", "female", "all", "increase"),
    ("economy.senior_professionals_female_share", "female", "all", ">="),
    ("economy.female_labour_protection_enterprises", "total", "all", "increase"),
    ("decision.village_committee_female_share", "female", "all", ">="),
    ("decision.village_committee_chair_female_share", "female", "all", "increase"),
    ("decision.npc_deputies_female_share", "female", "all", "increase"),
    ("decision.cppcc_members_female_share", "female", "all", "increase"),
    ("decision.residents_committee_female_share", "female", "all", "≈"),
    ("decision.employee_directors_female_share", "female", "all", "increase"),
    ("decision.employee_supervisors_female_share", "female", "all", "increase"),
    ("environment.rural_sanitary_toilet", "total", "all", ">="),
    ("environment.rural_tap_water", "total", "all", ">="),
}


def test_the_2011_outline_is_complete_and_each_target_names_its_source():
    targets = catalog.load("national_2011")
    judged = targets[targets["kind"] != "qualitative"]
    got = {(r.indicator_id, r.sex, r.residence, r.operator) for r in judged.itertuples(index=False)}
    assert got == OUTLINE_2011
    assert judged["note"].str.contains("来源").all()


def test_the_rural_delivery_target_is_judged_on_the_rural_series(tmp_path):
    from womenstats.assess import assess_plan
    from womenstats.intake import build_store

    store = tmp_path / "store.sqlite"
    build_store(store)
    out = assess_plan("national_2011", 2020, store=store).set_index("target_id")
    rural, overall = out.loc["national_2011.health.04-3"], out.loc["national_2011.health.04-2"]
    # rural: 99.6 (2014) and 99.8 (2018); overall: 99.8 (2016), 99.9 (2017, 2018)
    assert (rural["n_obs"], rural["last_value"]) == (2, 99.8)
    assert (overall["n_obs"], overall["last_value"]) == (3, 99.9)


#: What the sources print for the 2021–2030 outline, read independently of the reference table:
#: target -> (indicator, operator, value, unit, the words of the sentence that carry the value).
NATIONAL_FACTS = {
    "national.health.02-1": ("health.maternal_mortality", "<=", 12.0, "1/10万", "下降到12/10万以下"),
    "national.health.03-1": ("health.cervical_cancer_screening", ">=", 70.0, "%", "达到70%以上"),
    "national.health.03-2": ("health.hiv_mother_to_child_transmission", "<=", 2.0, "%", "下降到2%以下"),
}


def test_the_2021_outline_values_are_those_printed():
    national = catalog.load("national").set_index("target_id")
    quantitative = national[national["kind"] == "quantitative"]
    assert set(quantitative.index) == set(NATIONAL_FACTS)
    for target_id, (ident, operator, value, unit, words) in NATIONAL_FACTS.items():
        row = national.loc[target_id]
        got = (row["indicator_id"], row["operator"], row["value"], row["unit"])
        assert got == (ident, operator, value, unit)
        assert row["target_year"] == 2030
        assert words in row["sentence"]


def test_each_2021_outline_row_names_the_page_it_was_read_on():
    national = catalog.load("national")
    assert national["note"].str.contains(r"来源：https?://", regex=True).all()
    assert (national["target_year"] == 2030).all()
    assert (national["section"] == "主要目标").all()


def test_the_catalog_says_what_it_lacks_of_the_2021_outline():
    """Only areas with rows are not declared wholly missing, and every area is accounted for."""
    plan = catalog.plan("national")
    coverage = plan.coverage
    assert coverage is not None
    targets = catalog.load("national")
    present = set(targets["area"])
    assert present == {"health"}
    assert coverage.missing_areas("partial") == ("health",)
    assert set(coverage.missing_areas("all")) == set(catalog.AREAS) - present
    # 75 main targets as published (Xinhua); the catalog holds three items, one not the outline's own words.
    assert coverage.main_targets == 75
    assert sorted(set(targets["item"])) == ["01", "02", "03"]
    assert "75项主要目标" in coverage.basis
    assert re.search(r"来源：https?://", coverage.basis)
    # The health gap names the page the two health items were read on, as the rows do.
    health = coverage.missing[0]
    url = "https://wsa.jianshu.io/p/722d61435987"
    assert url in health.note
    assert targets.loc[targets["item"].isin(["01", "02"]), "note"].str.contains(url, regex=False).all()
