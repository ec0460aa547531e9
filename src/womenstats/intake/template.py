"""The reporting workbook (监测数据报送表): write it from the catalog, read it back when filled.

Layout, fixed so a filled copy can be read back and checked:

* sheet ``填报说明``: plan id, region, region code, year, template version in B3:B8, then instructions;
* one sheet per reporting department: title (row 1), note (row 2), header (row 3, :data:`HEADER`),
  then one row per indicator and age group (``填报项`` = 数值), and for a rate from counts two more
  rows for its numerator (``分子：…``) and denominator (``分母：…``). Columns F–J hold 合计/女/男/城镇/农村;
  a column an indicator has no breakdown for is grey and locked.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from womenstats import catalog
from womenstats._io import atomic_path, normalize_zip
from womenstats._safe import put_cell
from womenstats.errors import InputError, Location
from womenstats.intake import reference
from womenstats.intake.problems import problem
from womenstats.intake.records import RawRecord, ReadResult, filled
from womenstats.intake.xlsx import Book, Sheet, split_ref

TEMPLATE_VERSION = "womenstats-template-1"
INFO_SHEET = "填报说明"
#: Labels of the information block on the instructions sheet (column A), rows 3–8.
INFO_LABELS: tuple[tuple[str, str], ...] = (
    ("plan", "规划代码"),
    ("region_name", "地区"),
    ("region_code", "地区代码"),
    ("year", "报告年份"),
    ("version", "模板版本"),
    ("simulated", "模拟数据"),
)
INFO_FIRST_ROW = 3
#: Row of the reporting unit (填报单位) on the instructions sheet; 联系人 and 联系电话 follow.
CONTACT_ROW = INFO_FIRST_ROW + len(INFO_LABELS) + 1
HEADER_ROW = 3
HEADER: tuple[str, ...] = (
    "指标代码",
    "指标名称",
    "年龄组",
    "填报项",
    "单位",
    "合计",
    "女",
    "男",
    "城镇",
    "农村",
    "备注",
    "指标解释",
)
#: Column of 备注: a note there is kept with the values of its indicator (in ``source``).
NOTE_COLUMN = "K"
#: Value columns: letter → (sex, residence).
VALUE_COLUMNS: dict[str, tuple[str, str]] = {
    "F": ("total", "all"),
    "G": ("female", "all"),
    "H": ("male", "all"),
    "I": ("total", "urban"),
    "J": ("total", "rural"),
}
MEASURES = ("数值", "分子", "分母")
#: Fixed document times, so the same template is the same bytes.
FIXED_TIME = dt.datetime(2021, 1, 1, 0, 0, 0)

_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_OFF_FILL = PatternFill("solid", fgColor="D9D9D9")
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


@dataclass(frozen=True)
class TemplateRow:
    """One row of a department sheet."""

    indicator: reference.IndicatorInfo
    age_group: str
    measure: str
    columns: tuple[str, ...]


def plan_rows(plan_id: str) -> dict[str, list[TemplateRow]]:
    """Return the template rows of a plan, grouped by department (sheet order).

    Every indicator the plan's targets name gets a row per age group its targets use; a column is
    open when the indicator has that breakdown or a target asks for it.

    Parameters
    ----------
    plan_id : str
        A plan id from the catalog.

    Returns
    -------
    dict
        Department → rows, departments and rows in a stable order.
    """
    targets = catalog.load(plan_id)
    registry = reference.indicators()
    targets = targets[targets["indicator_id"].fillna("").astype(str).str.strip() != ""]
    wanted: dict[str, dict[str, set[tuple[str, str]]]] = {}
    for row in targets.itertuples(index=False):
        ind = str(row.indicator_id).strip()
        if ind not in registry:
            continue
        age = _text(getattr(row, "age_group", "")) or "all"
        sex = _text(getattr(row, "sex", "")) or "total"
        if registry[ind].subject == "female" and "sex" not in registry[ind].breakdowns:
            sex = "total"  # a women-only statistic has one value: it goes in the 合计 column
        residence = _text(getattr(row, "residence", "")) or "all"
        wanted.setdefault(ind, {}).setdefault(age, set()).add((sex, residence))
    groups: dict[str, list[TemplateRow]] = {}
    for ind in sorted(wanted):
        info = registry[ind]
        for age in sorted(wanted[ind], key=lambda a: (a != "all", a)):
            combos = set(wanted[ind][age])
            if "sex" in info.breakdowns:
                combos |= {("total", "all"), ("female", "all"), ("male", "all")}
            if "residence" in info.breakdowns:
                combos |= {("total", "all"), ("total", "urban"), ("total", "rural")}
            columns = tuple(col for col, combo in VALUE_COLUMNS.items() if combo in combos)
            if not columns:
                columns = ("F",)
            measures = MEASURES if info.from_counts else MEASURES[:1]
            for measure in measures:
                groups.setdefault(info.department, []).append(TemplateRow(info, age, measure, columns))
    return dict(sorted(groups.items()))


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _measure_label(row: TemplateRow) -> str:
    if row.measure == "分子":
        return f"分子：{row.indicator.numerator}"
    if row.measure == "分母":
        return f"分母：{row.indicator.denominator}"
    return "数值"


def build_template(plan_id: str, year: int, *, simulated: bool = False) -> tuple[openpyxl.Workbook, dict]:
    """Build the reporting workbook of a plan and year in memory.

    Parameters
    ----------
    plan_id : str
        A plan id.
    year : int
        The reporting year.
    simulated : bool
        Mark the workbook as simulated data (模拟数据), for the demonstration returns.

    Returns
    -------
    (openpyxl.Workbook, dict)
        The workbook, and the input cells: ``(indicator_id, age_group, measure, sex, residence)`` →
        ``(sheet, cell)``.

    Raises
    ------
    InputError
        When the year is outside the plan's span.
    """
    plan = catalog.plan(plan_id)
    first, last = reference.plan_span(plan_id)
    if not first <= int(year) <= last:
        raise InputError(
            f"年份 {year} 不在规划“{plan_id}”可报送的年份（{first}—{last}）内，请核对。",
            code="E_YEAR_OUT_OF_SPAN",
        )
    workbook = openpyxl.Workbook()
    _info_sheet(workbook.active, plan, plan_id, int(year), simulated)
    cells: dict[tuple[str, str, str, str, str], tuple[str, str]] = {}
    for department, rows in plan_rows(plan_id).items():
        _department_sheet(workbook.create_sheet(department), department, plan, int(year), rows, cells)
    props = workbook.properties
    props.creator = "womenstats"
    props.title = f"{plan.name}监测数据报送表（{year}年）"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    return workbook, cells


def _info_sheet(sheet, plan, plan_id: str, year: int, simulated: bool) -> None:
    sheet.title = INFO_SHEET
    sheet["A1"] = f"{plan.name}监测数据报送表（{year}年）"
    sheet["A1"].font = Font(bold=True, size=14)
    values = {
        "plan": plan_id,
        "region_name": str(getattr(plan, "region_name", "")),
        "region_code": str(plan.region_code),
        "year": year,
        "version": TEMPLATE_VERSION,
        "simulated": "是" if simulated else "否",
    }
    for offset, (key, label) in enumerate(INFO_LABELS):
        row = INFO_FIRST_ROW + offset
        sheet.cell(row, 1, label).font = Font(bold=True)
        put_cell(sheet, row, 2, values[key])
    contact = CONTACT_ROW
    for offset, label in enumerate(("填报单位", "联系人", "联系电话")):
        sheet.cell(contact + offset, 1, label).font = Font(bold=True)
        cell = sheet.cell(contact + offset, 2)
        cell.protection = Protection(locked=False)
        cell.fill = _INPUT_FILL
    notes = (
        "填报说明：",
        "1. 每个部门一张工作表，只在黄色单元格中填写本年度数据；灰色单元格表示该指标没有此分组，不必填写。",
        "2. 数值按“单位”一栏填写，不要带单位或百分号；没有数据的留空或填“—”，不要填 0。",
        "3. 比率类指标请同时填写分子和分母（如孕产妇死亡人数和活产数），系统会核对三者是否一致。",
        "4. 请勿插入、删除或移动表头行和列，勿合并单元格，勿修改本页第3—8行；否则报送表无法读取。",
        "5. 填好后用 womenstats validate 文件名.xlsx 检查，无“错误”后再报送。",
    )
    for offset, text in enumerate(notes):
        sheet.cell(contact + 4 + offset, 1, text)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 40
    sheet.protection.sheet = True


def _department_sheet(sheet, department: str, plan, year: int, rows: list[TemplateRow], cells: dict) -> None:
    sheet["A1"] = f"{department}：{plan.name}监测数据（{year}年）"
    sheet["A1"].font = Font(bold=True, size=12)
    sheet["A2"] = (
        f"地区：{getattr(plan, 'region_name', '')}（{plan.region_code}）。"
        "黄色单元格填报，灰色不适用；比率请同时填分子、分母。"
    )
    for col, label in enumerate(HEADER, start=1):
        cell = sheet.cell(HEADER_ROW, col, label)
        cell.font = Font(bold=True)
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(horizontal="center")
    validations: dict[tuple, DataValidation] = {}
    for index, row in enumerate(rows):
        rownum = HEADER_ROW + 1 + index
        info = row.indicator
        unit = info.unit if row.measure == "数值" else "人（例）"
        labels = (info.id, info.name, row.age_group, _measure_label(row), unit)
        for col, value in enumerate(labels, start=1):
            put_cell(sheet, rownum, col, value)
        put_cell(sheet, rownum, 12, info.definition)
        remark = sheet.cell(rownum, 11)
        remark.protection = Protection(locked=False)
        for letter, combo in VALUE_COLUMNS.items():
            cell = sheet[f"{letter}{rownum}"]
            if letter not in row.columns:
                cell.fill = _OFF_FILL
                continue
            cell.fill = _INPUT_FILL
            cell.protection = Protection(locked=False)
            _validation(sheet, validations, row).add(cell.coordinate)
            cells[(info.id, row.age_group, row.measure, *combo)] = (sheet.title, cell.coordinate)
    widths = {"A": 30, "B": 34, "C": 8, "D": 22, "E": 9, "K": 16, "L": 40}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"F{HEADER_ROW + 1}"
    sheet.protection.sheet = True


def _validation(sheet, validations: dict, row: TemplateRow) -> DataValidation:
    """Return (creating once per sheet and rule) the Excel data validation for a row's inputs."""
    info = row.indicator
    if row.measure == "数值":
        low = info.lower if info.lower is not None else -1e15
        high = info.upper if info.upper is not None else 1e15
        key = ("decimal", low, high)
        message = f"请填写 {low:g} 到 {high:g} 之间的数字（单位：{info.unit}），无数据请留空。"
    else:
        key = ("whole", 0, 10**12)
        message = "请填写不小于 0 的整数（人数或例数），无数据请留空。"
    if key not in validations:
        rule = DataValidation(
            type=key[0],
            operator="between",
            formula1=repr(key[1]),
            formula2=repr(key[2]),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="数值无效",
            error=message,
        )
        sheet.add_data_validation(rule)
        validations[key] = rule
    return validations[key]


def save_workbook(workbook: openpyxl.Workbook, out: str | os.PathLike[str]) -> Path:
    """Save a workbook with reproducible bytes (fixed document times, fixed zip entry times).

    Parameters
    ----------
    workbook : openpyxl.Workbook
        The workbook.
    out : path-like
        Destination (written atomically).

    Returns
    -------
    pathlib.Path
        The written file.
    """
    out = Path(out)
    with atomic_path(out) as tmp:
        workbook.save(tmp)
        _fix_core_times(tmp)
        normalize_zip(tmp)
    return out


def _fix_core_times(path: Path) -> None:
    """Overwrite the modification time openpyxl stamps into ``docProps/core.xml`` on save."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as zin:
        entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(?:modified|created)[^>]*>)[^<]*(</dcterms:)", rf"\g<1>{stamp}\g<2>", text
                )
                data = text.encode("utf-8")
            zout.writestr(info, data)


def write_template(plan_id: str, year: int, out: str | os.PathLike[str]) -> Path:
    """Write the reporting workbook for a plan and year (``womenstats template``).

    Parameters
    ----------
    plan_id : str
        A plan id.
    year : int
        The reporting year.
    out : path-like
        The .xlsx file to write.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    workbook, _ = build_template(plan_id, year)
    return save_workbook(workbook, out)


# -- reading a filled template ------------------------------------------------------------------
def is_template(workbook: Book) -> bool:
    """Return True when a workbook is a reporting template (it has the 填报说明 sheet and version label)."""
    if INFO_SHEET not in workbook.sheetnames:
        return False
    sheet = workbook[INFO_SHEET]
    return any(
        value == "模板版本" or (isinstance(value, str) and value.startswith("womenstats-template"))
        for (row, col), value in sheet.cells.items()
        if row <= 30 and col <= 4
    )


def read_template(workbook: Book, name: str) -> ReadResult:
    """Read a filled reporting template, checking that its layout is intact.

    Header rows that were moved, columns inserted or renamed, and merged cells are reported
    (``E_TEMPLATE_LAYOUT``, ``E_MERGED_CELLS``) at the cell where they were found.

    Parameters
    ----------
    workbook : womenstats.intake.xlsx.Book
        The workbook, read by :func:`womenstats.intake.xlsx.open_book`.
    name : str
        Name used in messages.

    Returns
    -------
    ReadResult
        Records (one per filled column of an indicator row) and layout problems.
    """
    result = ReadResult(name, "template")
    info = workbook[INFO_SHEET]
    meta: dict[str, object] = {"sheet": INFO_SHEET, "cells": {}}
    for offset, (key, label) in enumerate(INFO_LABELS):
        row = INFO_FIRST_ROW + offset
        if info.value(row, 1) != label:
            result.problems.append(
                problem(
                    "E_TEMPLATE_LAYOUT",
                    Location(name, INFO_SHEET, f"A{row}"),
                    f"说明页第{row}行应为“{label}”，现为“{info.value(row, 1) or ''}”；"
                    "说明页第3—8行被移动或删改，"
                    "请用 womenstats template 重新生成报送表后再填。",
                )
            )
            return result
        meta[key] = info.value(row, 2)
        meta["cells"][key] = f"B{row}"
    result.meta = meta
    for sheet in workbook.sheets:
        if sheet.title != INFO_SHEET:
            _read_sheet(sheet, name, result)
    return result


def _read_sheet(sheet: Sheet, name: str, result: ReadResult) -> None:
    title = sheet.title
    merged = sorted(sheet.merged, key=lambda coord: split_ref(coord.split(":")[0]))
    for coord in merged:
        result.problems.append(
            problem(
                "E_MERGED_CELLS",
                Location(name, title, coord.split(":")[0]),
                f"单元格 {coord} 被合并，报送表不能合并单元格，请取消合并并按原样逐格填写。",
            )
        )
    if merged:
        return
    header = [sheet.value(HEADER_ROW, col) for col in range(1, len(HEADER) + 1)]
    if tuple(header) != HEADER:
        result.problems.append(_layout_problem(sheet, name, header))
        return
    groups: dict[tuple[str, str], dict[str, int]] = {}
    for rownum in range(HEADER_ROW + 1, sheet.max_row + 1):
        values = [sheet.value(rownum, col) for col in range(1, 11)]
        empty = not any(filled(v) for v in values)
        _ignored_cells(sheet, name, rownum, empty, result)
        if empty:
            continue
        ind, age, measure = (str(values[i] or "").strip() for i in (0, 2, 3))
        kind = next((m for m in MEASURES if measure.startswith(m)), None)
        if not ind or kind is None:
            result.problems.append(
                problem(
                    "E_TEMPLATE_LAYOUT",
                    Location(name, title, f"{'A' if not ind else 'D'}{rownum}"),
                    f"第{rownum}行的指标代码或填报项（“{ind}”/“{measure}”）被删改，请恢复模板原有的标签列（A—E列）。",
                )
            )
            continue
        slot = groups.setdefault((ind, age or "all"), {})
        if kind in slot:
            result.problems.append(
                problem(
                    "E_TEMPLATE_LAYOUT",
                    Location(name, title, f"D{rownum}"),
                    f"指标 {ind} 的“{kind}”行出现两次（第{slot[kind]}行和第{rownum}行），请删去多出的一行。",
                )
            )
            continue
        slot[kind] = rownum
    for (ind, age), slot in groups.items():
        for letter, (sex, residence) in VALUE_COLUMNS.items():
            refs = {kind: f"{letter}{rownum}" for kind, rownum in slot.items()}
            cells = {
                col: refs[kind]
                for col, kind in (("value", "数值"), ("numerator", "分子"), ("denominator", "分母"))
                if kind in refs
            }
            fields = {col: sheet.at(ref) for col, ref in cells.items()}
            if not any(filled(v) for v in fields.values()):
                continue
            anchor = slot.get("数值", min(slot.values()))
            cells["indicator_id"] = f"A{anchor}"
            cells["age_group"] = f"C{anchor}"
            cells.setdefault("value", f"{letter}{anchor}")
            fields.update(
                {
                    "indicator_id": ind,
                    "age_group": age,
                    "sex": sex,
                    "residence": residence,
                    "unit": sheet.at(f"E{slot['数值']}") if "数值" in slot else None,
                }
            )
            if "数值" in slot:
                cells["unit"] = f"E{slot['数值']}"
            notes = [(r, str(sheet.at(f"{NOTE_COLUMN}{r}")).strip()) for r in sorted(slot.values())
                     if filled(sheet.at(f"{NOTE_COLUMN}{r}"))]
            if notes:
                fields["source"] = f"{title}；备注：" + "；".join(text for _, text in notes)
                cells["source"] = f"{NOTE_COLUMN}{notes[0][0]}"
            result.records.append(RawRecord(fields, cells, title, anchor))


def _ignored_cells(sheet, name: str, rownum: int, empty: bool, result: ReadResult) -> None:
    """W_IGNORED_CELL for content the reader does not take.

    On an indicator row, anything right of the table (after 指标解释); on a row without an
    indicator (A-J empty: below the table, say), anything in 备注 or further right.
    """
    first = HEADER.index("备注") + 1 if empty else len(HEADER) + 1
    for position, value, ref in sheet.row(rownum).nonblank():
        if position + 1 < first:
            continue
        result.problems.append(problem(
            "W_IGNORED_CELL", Location(name, sheet.title, ref),
            f"单元格 {ref} 有内容“{str(value).strip()[:20]}”，但不在填报区内，不会入库；"
            "说明请写在该指标所在行的“备注”列。",
        ))


def _layout_problem(sheet, name: str, header: list[object]):
    """Describe how the header row of a department sheet was changed."""
    title = sheet.title
    for rownum in range(1, min(sheet.max_row, 30) + 1):
        if rownum != HEADER_ROW and sheet.value(rownum, 1) == HEADER[0]:
            return problem(
                "E_TEMPLATE_LAYOUT",
                Location(name, title, f"A{rownum}"),
                f"表头行应在第{HEADER_ROW}行，现在在第{rownum}行（表头上方插入或删除了行），"
                "请恢复模板原样或重新生成报送表。",
            )
    for col, (got, want) in enumerate(zip(header, HEADER, strict=True), start=1):
        if got != want:
            letter = openpyxl.utils.get_column_letter(col)
            return problem(
                "E_TEMPLATE_LAYOUT",
                Location(name, title, f"{letter}{HEADER_ROW}"),
                f"第{HEADER_ROW}行第{letter}列的表头应为“{want}”，现为“{got or ''}”（列被插入、删除或改名），"
                "请恢复模板原样或重新生成报送表。",
            )
    raise AssertionError("header differs but no column differs")
