"""The real national series: every published row is loaded or set aside with a reason."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from womenstats.errors import InputError
from womenstats.intake.national import national_dir, national_validation, selected_rows


def _observed() -> list[dict[str, str]]:
    with open(national_dir() / "national_observed.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_row_is_loaded_or_set_aside_with_a_reason() -> None:
    keep, dropped = selected_rows(national_dir())
    numbers = sorted([n for n, _ in keep] + [n for n, _, _ in dropped])
    assert numbers == list(range(2, len(_observed()) + 2))
    assert all(reason.split("：", 1)[1].strip() for _, _, reason in dropped)


def test_the_documented_choices() -> None:
    rows = (
        national_validation()
        .rows.set_index(["indicator_id", "sex", "residence", "year"])["value"]
        .sort_index()
    )
    assert rows.loc[("health.hospital_delivery", "female", "all", 2016)] == 99.8
    employed = rows.loc[("economy.employed_female_share", "female", "all")]
    assert 2013 not in employed.index
    assert (employed > 42).all() and (employed < 45).all()


def test_national_rows_validate_without_errors_and_keep_their_source() -> None:
    validation = national_validation()
    assert not validation.errors
    assert (validation.rows["region_code"] == "000000").all()
    assert (validation.rows["simulated"] == 0).all()
    assert validation.rows["source"].str.len().min() > 0
    mmr = validation.rows.query("indicator_id == 'health.maternal_mortality' and residence == 'all'")
    assert mmr.set_index("year").loc[2020, "value"] == 16.9


def test_an_undecided_second_source_stops_the_build(tmp_path: Path) -> None:
    folder = tmp_path / "national"
    shutil.copytree(national_dir(), folder)
    with open(folder / "choices.csv", encoding="utf-8", newline="") as fh:
        lines = fh.read().splitlines(keepends=True)
    kept = [line for line in lines if ",2016,99.7," not in line]
    (folder / "choices.csv").write_text("".join(kept), encoding="utf-8")
    with pytest.raises(InputError, match=r"choices\.csv"):
        selected_rows(folder)


def test_the_values_added_for_the_final_evaluation_are_quoted_from_their_pages() -> None:
    rows = _observed()
    added = rows[140:]  # rows 142 on: read for the final evaluation of 2011–2020 (issue 25)
    assert len(added) == 14
    for row in added:
        assert row["report"] and row["source_url"].startswith("http")
        value = row["value"]
        assert value in row["quote"] or value.rstrip("0").rstrip(".") in row["quote"], row
    loaded = national_validation().rows.set_index(["indicator_id", "sex", "residence", "year"])["value"]
    assert loaded.loc[("education.preschool_gross_enrollment", "total", "all", 2020)] == 85.2
    assert loaded.loc[("education.high_school_gross_enrollment", "total", "all", 2019)] == 89.5
    assert loaded.loc[("environment.rural_tap_water", "total", "all", 2020)] == 83
