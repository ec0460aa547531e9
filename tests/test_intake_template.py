"""The reporting template (监测数据报送表): derived from the catalog, protected, validated, and read back."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from womenstats import catalog
from womenstats.cli import main
from womenstats.intake import validate_file
from womenstats.intake.readers import read_return
from womenstats.intake.template import INFO_SHEET, build_template, save_workbook

PLAN = "linhe"
YEAR = 2024


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("template") / "报送表.xlsx"
    assert main(["template", "--plan", PLAN, "--year", str(YEAR), "--out", str(out)]) == 0
    return out


def test_every_measured_indicator_of_the_plan_has_a_row(template: Path) -> None:
    targets = catalog.load(PLAN)
    wanted = set(targets.loc[targets["kind"] != "qualitative", "indicator_id"].dropna())
    workbook = openpyxl.load_workbook(template)
    listed = {
        row[0]
        for sheet in workbook.worksheets[1:]
        for row in sheet.iter_rows(min_row=4, values_only=True)
        if row[0]
    }
    assert wanted <= listed
    departments = {catalog.indicator(i).department for i in wanted}
    assert set(workbook.sheetnames[1:]) == departments
    assert workbook.sheetnames[0] == INFO_SHEET


def test_labels_are_locked_and_inputs_are_open_with_validation(template: Path) -> None:
    workbook = openpyxl.load_workbook(template)
    _, cells = build_template(PLAN, YEAR)
    for sheet in workbook.worksheets:
        assert sheet.protection.sheet
    (sheet_name, ref) = next(iter(cells.values()))
    sheet = workbook[sheet_name]
    assert sheet[ref].protection.locked is False
    assert sheet["A4"].protection.locked is True
    assert sheet["B3"].value == "指标名称"
    covered = set()
    for validation in sheet.data_validations.dataValidation:
        for rng in validation.sqref.ranges:
            covered |= {f"{get_column_letter(col)}{row}" for row, col in rng.cells}
    inputs = {ref for (name, ref) in cells.values() if name == sheet_name}
    assert inputs <= covered


def test_the_same_template_twice_is_byte_identical(template: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.xlsx"
    assert main(["template", "--plan", PLAN, "--year", str(YEAR), "--out", str(again)]) == 0
    assert again.read_bytes() == template.read_bytes()


def _filled(tmp_path: Path) -> tuple[Path, dict]:
    workbook, cells = build_template(PLAN, YEAR)
    key = next(k for k in cells if k[0] == "health.maternal_mortality" and k[2] == "数值")
    num = next(k for k in cells if k[0] == key[0] and k[2] == "分子" and k[3:] == key[3:])
    den = next(k for k in cells if k[0] == key[0] and k[2] == "分母" and k[3:] == key[3:])
    for k, value in ((key, 25.0), (num, 1), (den, 4000)):
        sheet, ref = cells[k]
        workbook[sheet][ref] = value
    out = tmp_path / "filled.xlsx"
    save_workbook(workbook, out)
    return out, {"value": cells[key], "numerator": cells[num]}


def test_a_filled_template_reads_back_with_cell_references(tmp_path: Path) -> None:
    path, where = _filled(tmp_path)
    result = validate_file(path, label="filled.xlsx", plan=PLAN)
    assert not result.errors, [str(p) for p in result.problems]
    row = result.rows.query("indicator_id == 'health.maternal_mortality'").iloc[0]
    assert (row["value"], row["numerator"], row["denominator"], int(row["year"])) == (25.0, 1.0, 4000.0, YEAR)
    assert (row["sheet"], row["cell"]) == where["value"]
    assert row["region_code"] == catalog.plan(PLAN).region_code


def test_a_note_is_kept_with_its_values_and_stray_cells_are_warned(tmp_path: Path) -> None:
    path, where = _filled(tmp_path)
    sheet_name, value_ref = where["value"]
    row = int(value_ref[1:])
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[sheet_name]
    sheet[f"K{row}"] = "含流动人口"
    sheet[f"N{row}"] = "旁注"
    below = sheet.max_row + 2
    sheet[f"K{below}"] = "填表人：张三"
    noted = tmp_path / "noted.xlsx"
    save_workbook(workbook, noted)
    result = validate_file(noted, label="noted.xlsx", plan=PLAN)
    assert not result.errors, [str(p) for p in result.problems]
    mmr = result.rows.query("indicator_id == 'health.maternal_mortality'").iloc[0]
    assert mmr["source"] == f"{sheet_name};备注:含流动人口"  # clean_text makes the punctuation half-width
    ignored = sorted(str(p.location) for p in result.problems if p.code == "W_IGNORED_CELL")
    assert ignored == sorted([f"noted.xlsx:{sheet_name}:N{row}", f"noted.xlsx:{sheet_name}:K{below}"])


def test_moved_header_rows_are_refused_where_found(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path, where = _filled(tmp_path)
    workbook = openpyxl.load_workbook(path)
    sheet_name = where["value"][0]
    workbook[sheet_name].insert_rows(1)
    moved = tmp_path / "moved.xlsx"
    save_workbook(workbook, moved)
    assert main(["validate", str(moved)]) == 1
    out = capsys.readouterr().out
    assert f"moved.xlsx:{sheet_name}:A4: 错误 E_TEMPLATE_LAYOUT: " in out.replace(str(tmp_path) + "/", "")


def test_merged_cells_in_a_template_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path, where = _filled(tmp_path)
    workbook = openpyxl.load_workbook(path)
    sheet_name = where["value"][0]
    workbook[sheet_name].merge_cells("K4:K5")
    merged = tmp_path / "merged.xlsx"
    save_workbook(workbook, merged)
    assert main(["validate", str(merged)]) == 1
    assert f"merged.xlsx:{sheet_name}:K4: 错误 E_MERGED_CELLS: " in capsys.readouterr().out.replace(
        str(tmp_path) + "/", ""
    )


def test_a_year_outside_the_plan_is_refused(tmp_path: Path) -> None:
    assert main(["template", "--plan", PLAN, "--year", "2045", "--out", str(tmp_path / "x.xlsx")]) == 2
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize(
    ("sheet", "cell", "typed", "where", "words"),
    [
        (0, "A3", "地区名称", "A3", "说明页第3行应为“规划代码”"),
        (1, "B3", "名称", "B3", "第3行第B列的表头应为“指标名称”"),
        (1, "A4", None, "A4", "第4行的指标代码或填报项"),
        (1, "D5", "数值", "D5", "的“数值”行出现两次（第4行和第5行）"),
    ],
)
def test_each_layout_change_is_refused_at_its_cell(
    template: Path, tmp_path: Path, sheet: int, cell: str, typed: str | None, where: str, words: str
) -> None:
    workbook = openpyxl.load_workbook(template)
    target = workbook.worksheets[sheet]
    target[cell] = typed
    changed = tmp_path / "changed.xlsx"
    save_workbook(workbook, changed)
    layout = [p for p in read_return(changed, "changed.xlsx").problems if p.code == "E_TEMPLATE_LAYOUT"]
    assert [(p.location.sheet, p.location.cell) for p in layout] == [(target.title, where)]
    assert words in layout[0].message
