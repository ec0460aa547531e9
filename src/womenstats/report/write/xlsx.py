"""The Excel file of a report: every table of the executed notebook on its own sheet."""

from __future__ import annotations

import datetime as dt
import os
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from womenstats._io import atomic_path, normalize_zip
from womenstats._safe import put_cell
from womenstats.report.write.display import iter_items, provenance_of
from womenstats.report.write.style import SIMULATED_LABEL, label_fills

#: Creation and modification time written into Office files (fixed, so reruns are byte-identical).
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
#: Excel's limit on a sheet name's length.
SHEET_NAME_MAX = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_STATUS_FILLS = label_fills()


def sheet_name(title: str, taken: set[str]) -> str:
    r"""Return a valid, unused sheet name made from a table title.

    Characters Excel forbids (``[]:*?/\\``) are removed, the name is cut to 31 characters, and a
    number is appended when the name is already used.
    """
    base = _FORBIDDEN.sub("", title).strip() or "表"
    base = base[:SHEET_NAME_MAX]
    name, n = base, 1
    while name in taken:
        n += 1
        suffix = f"_{n}"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
    taken.add(name)
    return name


def _fit_columns(ws, header_row: int) -> None:
    for idx, cells in enumerate(ws.iter_cols(min_row=header_row), start=1):
        width = max((len(str(c.value)) if c.value is not None else 0) for c in cells)
        ws.column_dimensions[get_column_letter(idx)].width = min(60, max(8, width * 1.6 + 2))


def _number_format(values: list) -> str | None:
    """Return the number format of a column: whole numbers with separators, else its decimals."""
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if not numbers:
        return None
    if all(float(v).is_integer() for v in numbers) and max(abs(float(v)) for v in numbers) >= 1000:
        return "#,##0"
    fractions = [repr(float(v)).split(".")[1].rstrip("0") for v in numbers if not float(v).is_integer()]
    digits = max((len(f) for f in fractions), default=0)
    return "0" if digits == 0 else "0." + "0" * min(digits, 4)


def _write_table(ws, payload: dict) -> None:
    """Write one table: title in row 1, header in row 2 (frozen, with a filter), numbers formatted.

    A table that carries its workbook form (``data``: numbers as numbers, intervals as two columns,
    a unit column) is written in that form; status cells take their status's fill.
    """
    table = payload.get("data") or payload
    put_cell(ws, 1, 1, payload["title"]).font = Font(bold=True, size=12)
    for col, name in enumerate(table["columns"], start=1):
        cell = put_cell(ws, 2, col, name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    formats = [_number_format([row[c] for row in table["rows"]]) for c in range(len(table["columns"]))]
    for r, row in enumerate(table["rows"], start=3):
        for c, value in enumerate(row, start=1):
            cell = put_cell(ws, r, c, value)
            if formats[c - 1] and isinstance(value, int | float) and not isinstance(value, bool):
                cell.number_format = formats[c - 1]
            look = _STATUS_FILLS.get(value) if isinstance(value, str) else None
            if look:
                cell.fill = PatternFill("solid", start_color=look[0], end_color=look[0])
                cell.font = Font(color=look[1])
    if payload["note"]:
        put_cell(ws, len(table["rows"]) + 4, 1, payload["note"])
    ws.freeze_panes = "A3"
    if table["columns"]:
        last = get_column_letter(len(table["columns"]))
        ws.auto_filter.ref = f"A2:{last}{max(2, len(table['rows']) + 2)}"
    _fit_columns(ws, 2)


#: Name of the last sheet: the provenance (an appendix, as in the other files).
PROVENANCE_SHEET = "附录 数据来源"


def _write_lines(ws, lines: list[str]) -> None:
    for r, line in enumerate(lines, start=1):
        put_cell(ws, r, 1, line)
    ws["A1"].font = Font(bold=True, size=12)
    ws.column_dimensions["A"].width = 100


def _write_about(ws, nb, title: str, sheets: list[str]) -> None:
    """Write the first sheet: the title, the 模拟数据 notice, and the sheets that follow."""
    record = provenance_of(nb) or {}
    lines = [title]
    if record.get("simulated"):
        lines.append(f"{SIMULATED_LABEL}：本报告使用的地区数据为模拟数据，仅用于演示方法。")
    lines.append("本工作簿的各表（每表一张工作表，按报告顺序）：")
    lines += [f"  {name}" for name in sheets]
    lines.append(f"数据来源与可复核信息（软件版本、参数、各文件的 SHA-256）见最后一张工作表"
                 f"“{PROVENANCE_SHEET}”。")
    _write_lines(ws, lines)


def _write_provenance(ws, nb, title: str) -> None:
    """Write the last sheet: the provenance record of the report."""
    record = provenance_of(nb) or {}
    lines = [f"{title}：数据来源与可复核信息", f"womenstats {record.get('version', '')}"]
    for key, value in record.get("parameters", {}).items():
        lines.append(f"参数 {key} = {value}")
    lines.append(f"数据库内容 SHA-256 = {record.get('store_content_sha256', '')}")
    lines.append(f"requirements.lock SHA-256 = {record.get('requirements_lock_sha256', '')}")
    for row in record.get("inputs", []):
        lines.append(f"输入文件 {row['file']} SHA-256 = {row['sha256']}")
    _write_lines(ws, lines)


def write_xlsx(nb, path: str | os.PathLike[str], title: str) -> None:
    """Write the tables of an executed report notebook to an Excel workbook, atomically.

    The first sheet 说明 holds the title, the 模拟数据 notice when it applies and the list of
    sheets; then one sheet per table, in report order; the last sheet (:data:`PROVENANCE_SHEET`)
    holds the provenance. Each table sheet has the title in row 1, the header in row 2 and
    status cells filled with the status colours. Properties and zip entry times are fixed, so the
    file's bytes depend only on the notebook.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed, normalised notebook.
    path : path-like
        The ``.xlsx`` to write.
    title : str
        The report's title.
    """
    wb = Workbook()
    about = wb.active
    about.title = "说明"
    taken = {"说明", PROVENANCE_SHEET}
    names = []
    for item in iter_items(nb):
        if item.kind in ("table", "data"):
            names.append(sheet_name(item.title, taken))
            _write_table(wb.create_sheet(names[-1]), item.data)
    _write_about(about, nb, title, names)
    _write_provenance(wb.create_sheet(PROVENANCE_SHEET), nb, title)
    wb.properties.creator = "womenstats"
    wb.properties.lastModifiedBy = "womenstats"
    wb.properties.title = title
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    with atomic_path(path) as tmp:
        # ExcelWriter directly: openpyxl's save_workbook stamps the current time as "modified".
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            ExcelWriter(wb, archive).write_data()
        normalize_zip(tmp)
