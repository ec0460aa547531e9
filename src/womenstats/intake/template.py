"""The reporting workbook (监测数据报送表): its layout, and writing it from the catalog.

A filled copy is read back by :mod:`womenstats.intake.template_reader`.

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
from womenstats.errors import InputError
from womenstats.intake import reference

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

    Every indicator the plan's targets name gets a row per age group its targets use, and every
    basic sex-disaggregated statistic of the registry (``sex_core``) a row for all ages, so that
    women's and men's values are returned whether or not a target names them; a column is open
    when the indicator has that breakdown or a target asks for it.

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
    for ind, info in registry.items():
        if info.sex_core:
            wanted.setdefault(ind, {}).setdefault("all", set()).add(("female", "all"))
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
    plan_id, year : as in :func:`build_template`
    out : path-like
        The .xlsx file to write.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    workbook, _ = build_template(plan_id, year)
    return save_workbook(workbook, out)
