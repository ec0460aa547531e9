"""Intake warns about magnitudes no region of its size can have, and gaps that disagree with their parts."""

from __future__ import annotations

from pathlib import Path

import pytest

from womenstats.cli import main
from womenstats.intake import Store, ingest_files, validate_file
from womenstats.intake.national import national_read
from womenstats.intake.validate import check

HEADER = "地区代码,年份,指标代码,性别,年龄组,城乡,数值,分子,分母,单位\n"


def _return(tmp_path: Path, name: str, *rows: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def _codes(validation) -> list[tuple[str, str]]:
    return [(p.code, str(p.location)) for p in validation.problems]


def test_41367_of_150000_female_deputies_in_kaiping_is_warned_at_the_denominator(tmp_path: Path) -> None:
    path = _return(tmp_path, "deputies.csv",
                   "440783,2024,decision.npc_deputies_female_share,女,all,合计,27.58,41367,150000,%")
    validation = validate_file(path, label="deputies.csv")
    assert validation.ok  # a warning: the file still loads
    [warning] = [p for p in validation.problems if p.code == "W_IMPLAUSIBLE_DENOMINATOR"]
    assert str(warning.location) == "deputies.csv:第2行"
    assert "150000" in warning.message and "41367" in warning.message
    assert "至多 450" in warning.message and "选举法" in warning.message  # what a county can have, and why
    assert "请核对" in warning.message
    assert warning.key == ("440783", 2024, "decision.npc_deputies_female_share", "female", "all", "all")


def test_283_of_5078_infants_of_hiv_positive_mothers_is_warned(tmp_path: Path) -> None:
    path = _return(tmp_path, "hiv.csv",
                   "440783,2024,health.hiv_mother_to_child_transmission,女,all,合计,5.57,283,5078,%")
    validation = validate_file(path, label="hiv.csv")
    codes = [p.code for p in validation.problems]
    assert "W_IMPLAUSIBLE_DENOMINATOR" in codes and validation.ok


def test_a_county_sized_return_gives_no_warning(tmp_path: Path) -> None:
    path = _return(tmp_path, "fine.csv",
                   "440783,2024,decision.npc_deputies_female_share,女,all,合计,28.33,85,300,%",
                   "440783,2024,health.hiv_mother_to_child_transmission,女,all,合计,0,0,4,%",
                   "440783,2024,health.maternal_mortality,女,all,合计,33.33,2,6000,1/10万")
    validation = validate_file(path, label="fine.csv")
    assert not [p for p in validation.problems if p.code.startswith("W_IMPLAUSIBLE")]


@pytest.mark.parametrize(
    ("row", "warned"),
    [
        # a transmission rate over 10% that the counts bear out
        ("health.hiv_mother_to_child_transmission,女,all,合计,30,12,40,%", True),
        # 1 of 3 is 33%, but three exposed infants cannot show that the true rate is above 10%
        ("health.hiv_mother_to_child_transmission,女,all,合计,33.33,1,3,%", False),
        # without counts the value itself is judged
        ("health.hiv_mother_to_child_transmission,女,all,合计,12.5,,,%", True),
        # 282.9 per 100 000: 14 maternal deaths of 4 949 births; 2 of 3 000 (66.7) is chance
        ("health.maternal_mortality,女,all,合计,282.9,14,4949,1/10万", True),
        ("health.maternal_mortality,女,all,合计,66.67,2,3000,1/10万", False),
        # a hospital delivery rate of 50% is no county's
        ("health.hospital_delivery,女,all,合计,50,2500,5000,%", True),
    ],
)
def test_rates_are_judged_on_their_counts(tmp_path: Path, row: str, warned: bool) -> None:
    validation = validate_file(_return(tmp_path, "r.csv", f"440783,2024,{row}"), label="r.csv")
    assert ("W_IMPLAUSIBLE_VALUE" in [p.code for p in validation.problems]) is warned


def test_villages_cannot_have_more_chairs_than_a_county_of_its_size_has_villages(tmp_path: Path) -> None:
    # 江海区 (365 000 people): at most 40 villages per 10 000 residents, so 1 460 chairs; 5 000 is too many
    path = _return(tmp_path, "v.csv",
                   "440704,2024,decision.village_committee_chair_female_share,女,all,合计,10,500,5000,%")
    validation = validate_file(path, label="v.csv")
    [warning] = [p for p in validation.problems if p.code == "W_IMPLAUSIBLE_DENOMINATOR"]
    assert "常住人口约 36 万" in warning.message and "行政村" in warning.message


def test_a_gap_must_agree_with_its_components_in_the_same_return(tmp_path: Path) -> None:
    rows = ["440783,2024,health.maternal_mortality,女,all,城镇,0,0,2400,1/10万",
            "440783,2024,health.maternal_mortality,女,all,农村,0,0,2100,1/10万"]
    good = _return(tmp_path, "good.csv", *rows,
                   "440783,2024,health.maternal_mortality_rural_urban_gap,女,all,合计,0,,,1/10万")
    assert "E_GAP_MISMATCH" not in [p.code for p in validate_file(good, label="good.csv").problems]
    bad = _return(tmp_path, "bad.csv", *rows,
                  "440783,2024,health.maternal_mortality_rural_urban_gap,女,all,合计,8.35,,,1/10万")
    validation = validate_file(bad, label="bad.csv")
    [error] = [p for p in validation.problems if p.code == "E_GAP_MISMATCH"]
    assert str(error.location) == "bad.csv:第4行" and not validation.ok


def test_a_relative_gap_allows_the_rounding_of_its_components(tmp_path: Path) -> None:
    rows = ["440783,2024,economy.average_income,男,all,合计,52345,,,元",
            "440783,2024,economy.average_income,女,all,合计,41234,,,元"]
    good = _return(tmp_path, "g.csv", *rows, "440783,2024,economy.gender_income_gap,合计,all,合计,21.23,,,%")
    assert validate_file(good, label="g.csv").ok
    bad = _return(tmp_path, "b.csv", *rows, "440783,2024,economy.gender_income_gap,合计,all,合计,25,,,%")
    assert "E_GAP_MISMATCH" in [p.code for p in validate_file(bad, label="b.csv").problems]


def test_a_gap_against_stored_components_is_a_warning(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    parts = _return(tmp_path, "parts.csv",
                    "440783,2023,health.maternal_mortality,女,all,城镇,0,0,2400,1/10万",
                    "440783,2023,health.maternal_mortality,女,all,农村,40,1,2500,1/10万")
    assert ingest_files([parts], store=store).loaded
    gap = _return(tmp_path, "gap.csv",
                  "440783,2023,health.maternal_mortality_rural_urban_gap,女,all,合计,10,,,1/10万")
    validation = validate_file(gap, label="gap.csv", history=store.observations())
    assert [p.code for p in validation.problems if "GAP" in p.code] == ["W_GAP_MISMATCH"]


def test_the_store_keeps_warned_values_with_their_provenance(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    path = _return(tmp_path, "deputies.csv",
                   "440783,2024,decision.npc_deputies_female_share,女,all,合计,27.58,41367,150000,%")
    result = ingest_files([path], store=store, labels=["deputies.csv"])
    assert result.loaded
    warnings = store.warnings(["W_IMPLAUSIBLE_DENOMINATOR"])
    assert len(warnings) == 1
    row = warnings.iloc[0]
    assert (row["region_code"], row["year"], row["value"]) == ("440783", 2024, 27.58)
    assert row["source_file"] == "deputies.csv" and row["cell"] == "第2行" and bool(row["current"])
    # a corrected value replaces the warned one: the warning stays in the history, no longer current
    fixed = _return(tmp_path, "fixed.csv",
                    "440783,2024,decision.npc_deputies_female_share,女,all,合计,27.33,82,300,%")
    assert ingest_files([fixed], store=store, labels=["fixed.csv"], revise=True).loaded
    assert not store.warnings(["W_IMPLAUSIBLE_DENOMINATOR"])["current"].any()


def test_national_series_are_checked_against_national_ranges() -> None:
    read = national_read()
    assert not [p for p in check(read, simulated=False).problems if p.code.startswith("W_IMPLAUSIBLE")]
    record = next(r for r in read.records if r.fields["indicator_id"] == "health.maternal_mortality")
    record.fields["value"] = "169"  # 16.9 written with the decimal point lost
    warned = [p for p in check(read, simulated=False).problems if p.code == "W_IMPLAUSIBLE_VALUE"]
    assert len(warned) == 1 and "全国" in warned[0].message


def test_validate_on_the_command_line_warns_and_exits_zero(tmp_path: Path, capsys) -> None:
    deputies = _return(tmp_path, "deputies.csv",
                       "440783,2024,decision.npc_deputies_female_share,女,all,合计,27.58,41367,150000,%")
    hiv = _return(tmp_path, "hiv.csv",
                  "440783,2024,health.hiv_mother_to_child_transmission,女,all,合计,5.57,283,5078,%")
    code = main(["validate", str(deputies), str(hiv), "--store", str(tmp_path / "none.sqlite")])
    out = capsys.readouterr()
    assert code == 0
    assert out.out.count("警告 W_IMPLAUSIBLE_DENOMINATOR") == 2 and "通过校验" not in out.err
