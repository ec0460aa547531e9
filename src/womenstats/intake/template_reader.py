"""Reading a filled reporting workbook (:mod:`womenstats.intake.template`) back into raw records.

Every value keeps the cell it was typed in; content outside the input area is reported by address
(``W_IGNORED_CELL``), and a workbook whose layout was changed is refused with the place named.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from womenstats.errors import Location
from womenstats.intake.problems import Problem, problem
from womenstats.intake.records import RawRecord, ReadResult, filled
from womenstats.intake.template import (
    HEADER,
    HEADER_ROW,
    INFO_FIRST_ROW,
    INFO_LABELS,
    INFO_SHEET,
    MEASURES,
    NOTE_COLUMN,
    VALUE_COLUMNS,
)
from womenstats.intake.xlsx import Book, Sheet, split_ref


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
    workbook, name : as in :func:`womenstats.intake.readers.read_long_xlsx`

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
            result.problems.append(_layout(
                name, INFO_SHEET, f"A{row}",
                f"说明页第{row}行应为“{label}”，现为“{info.value(row, 1) or ''}”；说明页第3—8行被移动或删改，"
                "请用 womenstats template 重新生成报送表后再填。",
            ))
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
            result.problems.append(_layout(
                name, title, f"{'A' if not ind else 'D'}{rownum}",
                f"第{rownum}行的指标代码或填报项（“{ind}”/“{measure}”）被删改，请恢复模板原有的标签列（A—E列）。",
            ))
            continue
        slot = groups.setdefault((ind, age or "all"), {})
        if kind in slot:
            result.problems.append(_layout(
                name, title, f"D{rownum}",
                f"指标 {ind} 的“{kind}”行出现两次（第{slot[kind]}行和第{rownum}行），请删去多出的一行。",
            ))
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


def _layout(name: str, sheet: str, cell: str, message: str) -> Problem:
    """Return an ``E_TEMPLATE_LAYOUT`` problem: the template's layout was changed at ``cell``."""
    return problem("E_TEMPLATE_LAYOUT", Location(name, sheet, cell), message)


def _layout_problem(sheet, name: str, header: list[object]) -> Problem:
    """Describe how the header row of a department sheet was changed."""
    title = sheet.title
    for rownum in range(1, min(sheet.max_row, 30) + 1):
        if rownum != HEADER_ROW and sheet.value(rownum, 1) == HEADER[0]:
            return _layout(
                name, title, f"A{rownum}",
                f"表头行应在第{HEADER_ROW}行，现在在第{rownum}行（表头上方插入或删除了行），"
                "请恢复模板原样或重新生成报送表。",
            )
    for col, (got, want) in enumerate(zip(header, HEADER, strict=True), start=1):
        if got != want:
            letter = get_column_letter(col)
            return _layout(
                name, title, f"{letter}{HEADER_ROW}",
                f"第{HEADER_ROW}行第{letter}列的表头应为“{want}”，现为“{got or ''}”（列被插入、删除或改名），"
                "请恢复模板原样或重新生成报送表。",
            )
    raise AssertionError("header differs but no column differs")
