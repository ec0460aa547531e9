"""Read returns: filled reporting templates and long tables (.xlsx, .csv in any common encoding).

A reader turns a file into :class:`~womenstats.intake.records.RawRecord` objects (one candidate
value each, still as typed, with the cell or row it came from) plus the problems found while
reading. Nothing is interpreted here.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from womenstats.errors import Location
from womenstats.intake.columns import REQUIRED_LONG_COLUMNS, header_to_column
from womenstats.intake.encodings import LikelyBig5Error, UndecodableError, decode_csv, uncommon_rows
from womenstats.intake.problems import problem
from womenstats.intake.records import RawRecord, ReadResult, filled
from womenstats.intake.template_reader import is_template, read_template
from womenstats.intake.xlsx import MAX_CELLS, MAX_ROWS, Book, SparseRow, open_book

#: The largest CSV read (a national long table is a few MiB).
MAX_CSV_BYTES = 64 * 1024 * 1024
#: Longest CSV field read (Python's default): a longer one is nearly always an unpaired quote that
#: swallowed the rows after it. Set for each read, since other libraries (frictionless) raise the
#: process-wide limit.
MAX_FIELD_CHARS = 131_072

#: How many leading rows of a long table are searched for its header row.
HEADER_SEARCH_ROWS = 10


def read_return(path: str | Path, label: str | None = None, *, encoding: str | None = None) -> ReadResult:
    """Read a return of any supported kind.

    Parameters
    ----------
    path : path-like
        The file: ``.xlsx`` (a filled template or a long table) or ``.csv`` (a long table).
    label : str, optional
        Name used in messages; defaults to the path as given (never made absolute).
    encoding : str, optional
        The encoding of a CSV, when the user knows it (detected otherwise).

    Returns
    -------
    ReadResult
        The records and the problems found while reading.
    """
    path = Path(path)
    name = label if label is not None else str(path)
    if path.is_dir():
        return _unreadable(name, "这是一个文件夹，不是文件；请逐个列出其中的报送文件（如 文件夹/*.xlsx）。")
    if not path.is_file():
        return _unreadable(name, "找不到该文件，请检查文件名和路径。")
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt"}:
        return read_csv(path, name, encoding)
    if suffix in {".xlsx", ".xlsm"}:
        book = open_book(path, name)
        if not book.sheets:
            return ReadResult(name, "unreadable", problems=book.problems or [problem(
                "E_EMPTY", Location(file=name), "工作簿中没有工作表，请填入数据后重报。")])
        if any(p.code in {"E_UNREADABLE", "E_TOO_LARGE"} and p.location.cell is None for p in book.problems):
            return ReadResult(name, "unreadable", problems=book.problems)
        result = read_template(book, name) if is_template(book) else read_long_xlsx(book, name)
        result.problems[:0] = book.problems
        return result
    if suffix == ".xls":
        return _unreadable(name, "不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 或 CSV 后重报。")
    return _unreadable(name, f"不支持的文件类型“{path.suffix}”，请报送 .xlsx 或 .csv 文件。")


def _unreadable(name: str, message: str) -> ReadResult:
    return ReadResult(name, "unreadable", problems=[problem("E_UNREADABLE", Location(file=name), message)])


def read_csv(path: Path, name: str, encoding: str | None = None) -> ReadResult:
    """Read a long table from a CSV file in UTF-8, UTF-8 with BOM, UTF-16 or GB18030/GBK (or as told).

    Parameters
    ----------
    path, name : as in :func:`womenstats.intake.xlsx.open_book`
    encoding : str, optional
        The file's encoding when the user knows it; detected otherwise
        (:func:`womenstats.intake.encodings.decode_csv`).

    Returns
    -------
    ReadResult
        One record per non-empty data row; locations are rows (the header is row 1). Bytes that do not
        decode are ``E_BAD_ENCODING`` (or ``E_UNREADABLE`` when no encoding fits) with the row and byte
        offset; bytes that read as more common Chinese in Big5 than in GB18030 are ``E_BAD_ENCODING`` at
        the first row that reads differently, with both readings; a guessed GB18030 decoding that yields
        uncommon characters is ``W_UNCOMMON_TEXT``.
    """
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        return _refused(name, "E_TOO_LARGE", f"文件有 {size / 1024 / 1024:.1f} MiB，超过上限 "
                        f"{MAX_CSV_BYTES // 1024 // 1024} MiB，未读取；请拆成几个文件后重报。")
    data = path.read_bytes()
    if not data.strip():
        return ReadResult(
            name, "long", problems=[problem("E_EMPTY", Location(file=name), "文件是空的，请填入数据后重报。")]
        )
    try:
        text, used = decode_csv(data, encoding)
    except UndecodableError as exc:
        return _decode_refusal(name, exc, encoding)
    except LikelyBig5Error as exc:
        return _refused(name, "E_BAD_ENCODING",
                        f"第{exc.row}行按 GB18030（简体）读作“{exc.as_gb18030}”，按 Big5（繁体）读作"
                        f"“{exc.as_big5}”：文件多半是 Big5 编码，未按猜测导入。请确认后加 --encoding big5"
                        "（确属简体则 --encoding gb18030）重新校验。", row=exc.row)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    budget = MAX_CELLS
    before = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        for row in reader:
            budget -= sum(1 for value in row if value.strip())
            if budget < 0 or len(rows) >= MAX_ROWS:
                return _refused(name, "E_TOO_LARGE",
                                f"文件超过可读取的上限（{MAX_ROWS} 行或 {MAX_CELLS} 个有内容的字段），"
                                f"读到第{reader.line_num}行为止未入库；请拆成几个文件后重报。",
                                row=reader.line_num)
            rows.append(row)
    except csv.Error as exc:
        line = reader.line_num
        if "field larger than field limit" in str(exc):
            return _refused(name, "E_TOO_LARGE", f"第{line}行附近有一个字段超过 {MAX_FIELD_CHARS} 个字符"
                            "（多半是引号没有配对，使后面的行都并进了一个字段）；请检查该行的引号后重报。",
                            row=line)
        return _refused(name, "E_UNREADABLE", f"第{line}行附近不是有效的 CSV（{exc}）；"
                        "请用 Excel 打开后另存为 CSV 再重报。", row=line)
    finally:
        csv.field_size_limit(before)
    result = _read_rows(name, None, [[(value, None) for value in row] for row in rows])
    result.encoding = used
    if encoding is None and used == "gb18030":
        odd = uncommon_rows(text)
        if odd:
            listed = "；".join(f"第{row}行“{chars}”" for row, chars in odd)
            result.problems.append(problem(
                "W_UNCOMMON_TEXT", Location(file=name, row=odd[0][0]),
                f"按 GB18030 解码后出现不常见的字符（{listed}），文件可能是别的编码（如繁体的 Big5）；"
                "请核对这些文字，如有乱码请加 --encoding 指明编码（如 --encoding big5）后重新校验。"))
    return result


def _refused(name: str, code: str, message: str, row: int | None = None) -> ReadResult:
    return ReadResult(name, "unreadable", problems=[problem(code, Location(file=name, row=row), message)])


def _decode_refusal(name: str, exc: UndecodableError, given: str | None) -> ReadResult:
    """Say where the bytes stop decoding and what to do."""
    where = f"第{exc.row}行（字节偏移 {exc.offset}，从文件开头的 0 算起）"
    if given is not None:
        return _refused(name, "E_BAD_ENCODING", f"按指定的编码 {given} 无法解码{where}；"
                        "请核对 --encoding，或把文件另存为 UTF-8 编码的 CSV 后重报。", row=exc.row)
    if exc.mixed:
        return _refused(name, "E_BAD_ENCODING", f"文件前面各行是 UTF-8 编码，但{where}不是 UTF-8"
                        "（多半是从 GBK/GB18030 编码的文件粘贴进来的）；请把整个文件另存为同一种编码"
                        "（UTF-8）后重报，或用 --encoding 指明编码。", row=exc.row)
    return _refused(name, "E_UNREADABLE", f"无法识别文件编码（已尝试 UTF-8、UTF-8-BOM、UTF-16、GB18030/GBK；"
                    f"按 UTF-8 在{where}出错）；它可能不是文本文件。请另存为 UTF-8 编码的 CSV，"
                    "或用 --encoding 指明编码。", row=exc.row)


def read_long_xlsx(workbook: Book, name: str) -> ReadResult:
    """Read a long table from the first worksheet of a workbook that has a recognised header row.

    Parameters
    ----------
    workbook : womenstats.intake.xlsx.Book
        The workbook, read by :func:`womenstats.intake.xlsx.open_book`.
    name : str
        Name used in messages.

    Returns
    -------
    ReadResult
        One record per non-empty data row, with cell references.
    """
    for sheet in workbook.sheets:
        rows = sheet.rows()
        if _find_header(rows) is not None:
            result = _read_rows(name, sheet.title, rows)
            for coord in sheet.merged:
                result.problems.append(
                    problem(
                        "E_MERGED_CELLS",
                        Location(file=name, sheet=sheet.title, cell=coord.split(":")[0]),
                        f"单元格 {coord} 被合并，合并后只保留左上角的值，请取消合并并逐行填写。",
                    )
                )
            return result
    first = workbook.sheets[0].title if workbook.sheets else None
    return ReadResult(
        name,
        "long",
        problems=[
            problem(
                "E_MISSING_COLUMN",
                Location(file=name, sheet=first, row=1),
                "找不到表头行：长表须有“地区代码、年份、指标代码、数值”等列"
                "（或 region_code, year, indicator_id, value），"
                "请使用报送模板或按说明补齐表头。",
            )
        ],
    )


def _find_header(rows: list[list[tuple[object, str | None]]]) -> int | None:
    """Return the index of the first row naming at least three known columns, or None."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        known = {header_to_column(value) for value, _ in row} - {None}
        if len(known) >= 3:
            return index
    return None


def _read_rows(name: str, sheet: str | None, rows: list[list[tuple[object, str | None]]]) -> ReadResult:
    """Turn a header row and data rows into records, checking the header."""
    result = ReadResult(name, "long")
    header_index = _find_header(rows)
    if header_index is None:
        result.problems.append(
            problem(
                "E_MISSING_COLUMN",
                Location(file=name, sheet=sheet, row=1),
                "找不到表头行：长表须有“地区代码、年份、指标代码、数值”等列"
                "（或 region_code, year, indicator_id, value），"
                "请按说明补齐表头。",
            )
        )
        return result
    header_row = header_index + 1
    columns: dict[int, str] = {}
    seen: dict[str, int] = {}
    for position, (value, cell) in enumerate(rows[header_index]):
        column = header_to_column(value)
        if column is None:
            continue
        if column in seen:
            result.problems.append(
                problem(
                    "E_DUPLICATE_COLUMN",
                    _where(name, sheet, cell, header_row),
                    f"“{value}”与第{seen[column] + 1}列表示同一项（{column}），请删去一列。",
                )
            )
            continue
        seen[column] = position
        columns[position] = column
    missing = [col for col in REQUIRED_LONG_COLUMNS if col not in seen]
    for col in missing:
        result.problems.append(
            problem(
                "E_MISSING_COLUMN",
                Location(file=name, sheet=sheet, row=header_row),
                f"缺少必需的列“{_CHINESE_OF[col]}”（{col}），请在表头中补上。",
            )
        )
    if missing:
        return result
    headed = {position for position, (value, _) in enumerate(rows[header_index]) if filled(value)}
    unknown = {position: str(rows[header_index][position][0]).strip() for position in headed
               if header_to_column(rows[header_index][position][0]) is None}
    used: set[int] = set()
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        nonblank = _nonblank(row)
        if not nonblank:
            continue
        fields: dict[str, object] = {}
        cells: dict[str, str] = {}
        for position, column in columns.items():
            value, cell = row[position] if position < len(row) else (None, None)
            fields[column] = value
            if cell:
                cells[column] = cell
        result.records.append(RawRecord(fields, cells, sheet, index + 1))
        used.update(p for p, _, _ in nonblank if p in unknown)
        result.problems.extend(_extra_field(name, sheet, index + 1, p, v, c) for p, v, c in nonblank
                               if p not in headed)
    header_cells = rows[header_index]
    for position in sorted(used):
        result.problems.append(problem(
            "W_UNKNOWN_COLUMN", _where(name, sheet, header_cells[position][1], header_row),
            f"第{position + 1}列“{unknown[position]}”不是可识别的列，其内容不会入库；"
            "如需保留，请并入“来源”列后重报。",
        ))
    if not result.records:
        result.problems.append(
            problem(
                "E_EMPTY",
                Location(file=name, sheet=sheet, row=header_row),
                "表头下没有数据行，请填入数据后重报。",
            )
        )
    return result


def _nonblank(row) -> list[tuple[int, object, str | None]]:
    """``(position, value, ref)`` of a row's cells that hold anything (sparse rows skip their gaps)."""
    if isinstance(row, SparseRow):
        return row.nonblank()
    return [(p, v, c) for p, (v, c) in enumerate(row) if filled(v)]


def _where(name: str, sheet: str | None, cell: str | None, row: int) -> Location:
    """Return the cell when the reader knows it (a workbook), else the row (a CSV)."""
    return Location(file=name, sheet=sheet, cell=cell) if cell else Location(file=name, row=row)


def _extra_field(name: str, sheet: str | None, rownum: int, position: int, value: object, cell: str | None):
    """E_EXTRA_FIELD: content in a column the header does not name (a shifted row, as a rule)."""
    return problem(
        "E_EXTRA_FIELD", _where(name, sheet, cell, rownum),
        f"第{position + 1}列有内容“{str(value).strip()[:20]}”，但表头中这一列为空：多半是某个数值含逗号而未加"
        "引号，使该行错列。请核对该行（数值中不要用千位分隔逗号），或给该列加上表头。",
    )


_CHINESE_OF = {"region_code": "地区代码", "year": "年份", "indicator_id": "指标代码", "value": "数值"}
