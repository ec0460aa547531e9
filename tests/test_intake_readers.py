"""Readers and normalisation: encodings detected, headers in Chinese or English, cells cleaned and recorded.

Also the validation warnings (a jump, a missing year, a small denominator), each triggered and not.
"""

from __future__ import annotations

import math
from pathlib import Path

import openpyxl
import pytest

from womenstats import catalog
from womenstats.intake import Store, parse_number, validate_file
from womenstats.intake.ingest import ingest_files
from womenstats.intake.template import save_workbook

CN = ["地区代码", "年份", "指标代码", "性别", "年龄组", "城乡", "数值", "分子", "分母", "单位", "来源"]
EN = [
    "region_code",
    "year",
    "indicator_id",
    "sex",
    "age_group",
    "residence",
    "value",
    "numerator",
    "denominator",
    "unit",
    "source",
]
ROWS = [
    ["440783", "2021", "education.illiteracy_rate", "女", "", "", "3.0", "300", "10000", "%", "教育局"],
    ["440783", "2021", "education.illiteracy_rate", "男", "", "", "2.0", "200", "10000", "%", "教育局"],
    ["440783", "2021", "education.illiteracy_rate", "合计", "", "", "2.5", "500", "20000", "%", "教育局"],
    ["440783", "2021", "health.maternal_mortality", "", "", "", "25.0", "1", "4000", "1/10万", "卫健局"],
]


def _mmr(year: str, value: str, numerator: str, denominator: str) -> list[str]:
    return [
        "440783",
        year,
        "health.maternal_mortality",
        "",
        "",
        "",
        value,
        numerator,
        denominator,
        "1/10万",
        "卫健局",
    ]


def _csv(path: Path, header: list[str], rows: list[list[str]], encoding: str) -> Path:
    text = "\r\n".join(",".join(cells) for cells in [header, *rows]) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def _values(path: Path) -> list[tuple]:
    result = validate_file(path, label=path.name)
    assert not result.errors, [str(p) for p in result.problems]
    frame = result.rows.sort_values(["indicator_id", "sex"])
    return list(frame[["indicator_id", "sex", "value", "numerator", "denominator"]].itertuples(index=False))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_every_encoding_excel_writes_reads_the_same(encoding: str, tmp_path: Path) -> None:
    reference = _values(_csv(tmp_path / "ref.csv", CN, ROWS, "utf-8"))
    assert _values(_csv(tmp_path / f"{encoding}.csv", CN, ROWS, encoding)) == reference
    assert ("education.illiteracy_rate", "female", 3.0, 300.0, 10000.0) in reference


def test_english_headers_and_a_long_xlsx_read_the_same(tmp_path: Path) -> None:
    reference = _values(_csv(tmp_path / "ref.csv", CN, ROWS, "utf-8"))
    assert _values(_csv(tmp_path / "en.csv", EN, ROWS, "utf-8")) == reference
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    for cells in [CN, *ROWS]:
        sheet.append(cells)
    save_workbook(workbook, tmp_path / "long.xlsx")
    assert _values(tmp_path / "long.xlsx") == reference


def test_an_unknown_column_with_content_is_warned_not_dropped_silently(tmp_path: Path) -> None:
    rows = [[*cells, "已复核" if i == 1 else "", ""] for i, cells in enumerate(ROWS)]
    result = validate_file(_csv(tmp_path / "r.csv", [*CN, "备注", "空列"], rows, "utf-8"), label="r.csv")
    assert not result.errors
    warned = [str(p) for p in result.problems if p.code == "W_UNKNOWN_COLUMN"]
    assert len(warned) == 1 and "第12列“备注”" in warned[0] and "r.csv:第1行" in warned[0]  # 空列: no content
    assert _values(tmp_path / "r.csv") == _values(_csv(tmp_path / "ref.csv", CN, ROWS, "utf-8"))


def test_content_beyond_the_header_is_an_error_at_its_cell(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    for cells in [CN, *ROWS]:
        sheet.append(cells)
    sheet["M3"] = "多填的一格"
    save_workbook(workbook, tmp_path / "long.xlsx")
    result = validate_file(tmp_path / "long.xlsx", label="long.xlsx")
    errors = [str(p) for p in result.problems if p.code == "E_EXTRA_FIELD"]
    assert len(errors) == 1
    assert errors[0].startswith("long.xlsx:数据:M3: 错误 E_EXTRA_FIELD: 第13列有内容“多填的一格”")


@pytest.mark.parametrize(
    ("raw", "value", "step"),
    [
        ("85.3%", 85.3, "去掉百分号"),
        ("８５．３", 85.3, "全角字符转为半角"),
        ("3,046", 3046.0, "去掉千位分隔符"),
        ("  12.5 ", 12.5, "去掉首尾空格"),
        (7, 7.0, None),
    ],
)
def test_parse_number_cleans_and_records(raw: object, value: float, step: str | None) -> None:
    parsed = parse_number(raw)
    assert parsed.ok and not parsed.missing
    assert parsed.value == value
    if step:
        assert step in parsed.steps


@pytest.mark.parametrize("marker", [None, "", "空白", "—", "-", "/", "无", "…", "nan"])
def test_missing_markers_are_missing_never_zero(marker: object) -> None:
    parsed = parse_number(marker)
    assert parsed.missing and parsed.value is None


@pytest.mark.parametrize("raw", ["约99", "99.5（估）", "1.2.3", "inf", "12万"])
def test_text_that_is_not_a_number_is_refused(raw: str) -> None:
    assert not parse_number(raw).ok


def test_missing_marker_in_a_file_is_not_stored_as_zero(tmp_path: Path) -> None:
    rows = [ROWS[3], _mmr("2022", "—", "", "")]
    store = Store(tmp_path / "s.sqlite")
    result = ingest_files([_csv(tmp_path / "r.csv", CN, rows, "utf-8")], store=store)
    assert result.loaded
    values = store.observations().set_index("year")["value"]
    assert 0.0 not in values.tolist()
    assert 2022 not in values.index or math.isnan(values.loc[2022])


def test_per_mille_is_converted_to_the_registry_unit_and_recorded(tmp_path: Path) -> None:
    rows = [
        ["440783", "2021", "education.illiteracy_rate", "合计", "", "", "25", "500", "20000", "‰", "教育"]
    ]
    result = validate_file(_csv(tmp_path / "r.csv", CN, rows, "utf-8"), label="r.csv")
    assert not result.errors, [str(p) for p in result.problems]
    row = result.rows.iloc[0]
    assert row["unit"] == "%" and row["value"] == pytest.approx(2.5)
    assert any("‰" in str(note["steps"]) or "‰" in str(note["original"]) for note in result.normalisations)


def _series(years: list[int], values: list[float]) -> list[list[str]]:
    return [
        ["440783", str(y), "health.hospital_delivery", "", "", "", str(v), "", "", "%", "卫健局"]
        for y, v in zip(years, values, strict=True)
    ]


def _warnings(tmp_path: Path, history_rows: list[list[str]], new_rows: list[list[str]]) -> list[str]:
    store = Store(tmp_path / "s.sqlite")
    if history_rows:
        assert ingest_files([_csv(tmp_path / "h.csv", CN, history_rows, "utf-8")], store=store).loaded
    result = validate_file(
        _csv(tmp_path / "n.csv", CN, new_rows, "utf-8"), label="n.csv", history=store.observations()
    )
    assert not result.errors, [str(p) for p in result.problems]
    return [p.code for p in result.problems]


def test_a_jump_far_outside_the_history_is_warned(tmp_path: Path) -> None:
    history = _series([2018, 2019, 2020, 2021, 2022], [97.0, 97.2, 97.5, 97.6, 97.9])
    assert "W_JUMP" in _warnings(tmp_path, history, _series([2023], [62.0]))


def test_a_value_in_line_with_the_history_is_not_warned(tmp_path: Path) -> None:
    history = _series([2018, 2019, 2020, 2021, 2022], [97.0, 97.2, 97.5, 97.6, 97.9])
    assert _warnings(tmp_path, history, _series([2023], [98.1])) == []


def test_a_missing_year_between_reported_ones_is_warned(tmp_path: Path) -> None:
    history = _series([2019, 2020, 2021], [97.2, 97.5, 97.6])
    assert "W_MISSING_YEAR" in _warnings(tmp_path, history, _series([2023], [97.9]))


def test_a_small_denominator_is_warned_and_a_large_one_is_not(tmp_path: Path) -> None:
    small = [_mmr("2021", "25.0", "1", "4000")]
    large = [_mmr("2021", "16.0", "1600", "10000000")]
    assert "W_SMALL_DENOMINATOR" in _warnings(tmp_path, [], small)
    (tmp_path / "large").mkdir()
    assert "W_SMALL_DENOMINATOR" not in _warnings(tmp_path / "large", [], large)


def _share(indicator: str, numerator: int, denominator: int, department: str) -> list[str]:
    value = f"{100 * numerator / denominator:.1f}"
    return ["440783", "2021", indicator, "", "", "", value, str(numerator), str(denominator), "%", department]


def test_a_share_of_a_body_counted_in_full_is_not_warned_as_a_small_count(tmp_path: Path) -> None:
    # 3 women among 18 政协常委 is 16.7% exactly: no interval to read, nothing to pool. One
    # transmission among 5 exposed infants is a rate from few events: warned.
    assert catalog.enumerated("decision.cppcc_standing_female_share")
    assert not catalog.enumerated("health.hiv_mother_to_child_transmission")
    body = [_share("decision.cppcc_standing_female_share", 3, 18, "政协")]
    assert "W_SMALL_DENOMINATOR" not in _warnings(tmp_path, [], body)
    (tmp_path / "events").mkdir()
    events = [_share("health.hiv_mother_to_child_transmission", 1, 5, "卫健")]
    assert "W_SMALL_DENOMINATOR" in _warnings(tmp_path / "events", [], events)


def test_a_folder_is_unreadable_with_a_hint(tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    folder.mkdir()
    result = validate_file(folder, label="returns")
    assert [p.code for p in result.problems] == ["E_UNREADABLE"] and "文件夹" in str(result.problems[0])
