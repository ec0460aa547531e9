"""Read an .xlsx return safely: limits checked before parsing, cells streamed, nothing out of proportion.

An .xlsx is a zip of XML parts. Before any XML is parsed, :func:`open_book` checks the archive
itself with :func:`womenstats._ooxml.check_package`: no entry flagged encrypted, the declared
uncompressed size of all entries within :data:`~womenstats._ooxml.MAX_UNCOMPRESSED`, and no XML part
that declares a DTD or entities (billion laughs, external entities), in whatever part it hides:
``[Content_Types].xml``, ``docProps/core.xml``, the workbook, its relationships, shared strings or
sheets. Only the parts needed are then parsed, with lxml's
``iterparse`` (entities never resolved, no network, no DTD), one cell at a time: a cell is kept only
inside :data:`MAX_ROWS` × :data:`MAX_COLUMNS`, and a cell beyond them is reported by its address,
never materialised with every empty cell in between. A formula without a cached value is reported
(the file was written by a program that does not calculate, and its value is unknown).

Every failure is a :class:`~womenstats.intake.problems.Problem` (``E_UNREADABLE``, ``E_TOO_LARGE``,
``E_FORMULA_NO_VALUE``), never an exception from the XML or zip libraries.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

from lxml import etree
from openpyxl.utils import column_index_from_string, get_column_letter

from womenstats._ooxml import MAX_UNCOMPRESSED, OLE_MAGIC, ZIP_ERRORS, PackageRefusedError, check_package
from womenstats.errors import Location
from womenstats.intake.problems import Problem, problem

__all__ = ["MAX_CELLS", "MAX_COLUMNS", "MAX_ROWS", "MAX_UNCOMPRESSED", "Book", "Sheet", "SparseRow",
           "Uncalculated", "open_book", "package_problem", "split_ref"]

#: Rows and columns a return may use; a cell beyond them is reported by address (E_TOO_LARGE).
MAX_ROWS = 50_000
MAX_COLUMNS = 64
#: The most worksheets a workbook may list.
MAX_SHEETS = 255
#: The most non-empty cells read from one file.
MAX_CELLS = 500_000
#: Far-away cells named one by one before the rest are counted.
FAR_CELLS_SHOWN = 5

#: Any namespace: transitional (schemas.openxmlformats.org) and strict (purl.oclc.org) OOXML alike.
_ANY = "{*}"
_REF = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")


class Uncalculated:
    """A formula cell without a cached value (the value is unknown until Excel calculates it)."""

    def __init__(self, formula: str):
        self.formula = formula

    def __str__(self) -> str:
        return f"={self.formula}"


class SparseRow(Sequence):
    """One worksheet row as ``(value, ref)`` pairs, without materialising its empty cells.

    It reads like a list of the row's cells up to its last one (``row[4]`` is ``(value, "E7")``, empty
    cells ``(None, ref)``), and :meth:`nonblank` gives only the cells that hold something. A row with a
    cell in column 64 costs one entry, not 64.
    """

    def __init__(self, number: int, values: dict[int, object]):
        self.number = number
        self.values = values
        self.width = max(values, default=0)

    def __len__(self) -> int:
        return self.width

    def __getitem__(self, position):  # type: ignore[override]
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(self.width))]
        if not 0 <= position < self.width:
            raise IndexError(position)
        return self.values.get(position + 1), f"{get_column_letter(position + 1)}{self.number}"

    def nonblank(self) -> list[tuple[int, object, str]]:
        """Return ``(position, value, ref)`` of the cells holding anything, left to right (0-based)."""
        return [(c - 1, v, f"{get_column_letter(c)}{self.number}") for c, v in sorted(self.values.items())
                if v is not None and str(v).strip() != ""]


@dataclass
class Sheet:
    """The non-empty cells of one worksheet, sparse, with its merged ranges.

    Attributes
    ----------
    title : str
        Sheet name.
    cells : dict
        ``(row, column)`` (1-based) → value (str, int, float, bool).
    merged : list of str
        Merged ranges such as ``"A1:B2"``, in file order.
    """

    title: str
    cells: dict[tuple[int, int], object] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)

    @cached_property
    def _by_row(self) -> dict[int, dict[int, object]]:
        by_row: dict[int, dict[int, object]] = {}
        for (r, c), value in self.cells.items():
            by_row.setdefault(r, {})[c] = value
        return by_row

    @cached_property
    def max_row(self) -> int:
        """The last row holding a cell (0 for an empty sheet)."""
        return max(self._by_row, default=0)

    @cached_property
    def max_column(self) -> int:
        """The last column holding a cell (0 for an empty sheet)."""
        return max((c for _, c in self.cells), default=0)

    def value(self, row: int, column: int) -> object:
        """Return the value at ``(row, column)``, None when the cell is empty."""
        return self.cells.get((row, column))

    def at(self, ref: str) -> object:
        """Return the value of a cell named like ``"F7"``."""
        row, column = split_ref(ref)
        return self.value(row, column)

    def row(self, number: int) -> SparseRow:
        """Return one row (1-based) as a :class:`SparseRow`."""
        return SparseRow(number, self._by_row.get(number, {}))

    def rows(self) -> list[SparseRow]:
        """Return the rows down to the last used one (each costs only its non-empty cells)."""
        return [self.row(r) for r in range(1, self.max_row + 1)]


@dataclass
class Book:
    """The worksheets of an .xlsx, in workbook order, and the problems found reading it."""

    sheets: list[Sheet] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def sheetnames(self) -> list[str]:
        """Sheet names in workbook order."""
        return [s.title for s in self.sheets]

    def __getitem__(self, title: str) -> Sheet:
        return next(s for s in self.sheets if s.title == title)


class _RefusedError(Exception):
    """Stops reading a file; carries the problem that says why."""

    def __init__(self, item: Problem):
        super().__init__(item.message)
        self.problem = item


class _BrokenPartError(Exception):
    """An XML part that does not parse: which part, and lxml's description."""

    def __init__(self, part: str, exc: etree.XMLSyntaxError):
        super().__init__(str(exc))
        self.part = part
        self.line = getattr(exc, "lineno", None)
        self.reason = exc.msg


def split_ref(ref: str) -> tuple[int, int]:
    """Return ``(row, column)`` of a cell reference such as ``"F7"`` (``ValueError`` when malformed)."""
    match = _REF.match(ref.strip().replace("$", "").upper())
    if match is None:
        raise ValueError(f"bad cell reference {ref!r}")
    return int(match.group(2)), column_index_from_string(match.group(1))


def open_book(path: Path, name: str) -> Book:
    """Read an .xlsx within the limits of this module.

    Parameters
    ----------
    path : pathlib.Path
        The file.
    name : str
        Name used in messages.

    Returns
    -------
    Book
        The sheets; when the file cannot be read, no sheets and one problem (``E_UNREADABLE`` or
        ``E_TOO_LARGE``) saying why and what to do.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive, name)
            return _read_book(archive, name)
    except _RefusedError as exc:
        return Book(problems=[exc.problem])
    except zipfile.BadZipFile as exc:
        with open(path, "rb") as fh:
            head = fh.read(len(OLE_MAGIC))
        hint = ("它是加密（设了打开密码）或旧版 .xls 格式的文件；请在 Excel 中取消密码并另存为 .xlsx 后重报。"
                if head == OLE_MAGIC else "请用 Excel 打开后另存为 .xlsx 再重报。")
        return Book(problems=[_unreadable(name, f"不是有效的 Excel（.xlsx）文件（{exc}）：{hint}")])
    except _BrokenPartError as exc:
        where = f"第{exc.line}行：" if exc.line else ""
        return Book(problems=[_unreadable(
            name, f"文件内部部件 {exc.part} 的 XML 已损坏（{where}{exc.reason}）："
                  "文件可能被截断或被其他程序改写；请用 Excel 打开后另存为 .xlsx 再重报。")])
    except (*ZIP_ERRORS, KeyError, IndexError) as exc:
        return Book(problems=[_unreadable(
            name, f"文件内容已损坏，无法读取（{type(exc).__name__}: {exc}）；"
                  "请用 Excel 打开后另存为 .xlsx 再重报。")])


def package_problem(path: Path, name: str) -> Problem | None:
    """Return why an Office file (.xlsx, .docx) named ``name`` must not be parsed, or None.

    The checks :func:`open_book` makes before parsing anything (:func:`womenstats._ooxml.check_package`):
    a zip, no encrypted entry, within the size and entry limits, no DTD or entity declaration in any part.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive, name)
    except _RefusedError as exc:
        return exc.problem
    except ZIP_ERRORS as exc:
        return _unreadable(name, f"不是有效的 Office 文件（{type(exc).__name__}: {exc}）。")
    return None


def _unreadable(name: str, message: str, sheet: str | None = None) -> Problem:
    return problem("E_UNREADABLE", Location(file=name, sheet=sheet), message)


def _check_archive(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse what :func:`womenstats._ooxml.check_package` refuses, as a problem with the remedy."""
    try:
        check_package(archive)
    except PackageRefusedError as exc:
        remedy = {
            "E_TOO_LARGE": "报送表通常不到 1 MiB；请删去无关的工作表、图片和格式，或拆成几个文件后重报。",
            "E_UNREADABLE": "请在 Excel 中打开（如有密码请取消）并另存为 .xlsx 后重报。",
        }[exc.code]
        raise _RefusedError(problem(exc.code, Location(file=name), f"{exc.reason}。{remedy}")) from None


def _parse(archive: zipfile.ZipFile, part: str, tags: tuple[str, ...], events=("end",)):
    """Stream the elements ``tags`` of one XML part (entities not resolved, no DTD, no network)."""
    with archive.open(part) as fh:
        try:
            yield from etree.iterparse(fh, events=events, tag=tags, resolve_entities=False, load_dtd=False,
                                       no_network=True, huge_tree=False, remove_comments=True)
        except etree.XMLSyntaxError as exc:
            raise _BrokenPartError(part, exc) from None


def _read_book(archive: zipfile.ZipFile, name: str) -> Book:
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names:
        raise _RefusedError(_unreadable(name, "文件中没有工作簿（xl/workbook.xml）：它不是 Excel 工作簿；"
                                         "请用 Excel 另存为 .xlsx 后重报。"))
    targets: dict[str, str] = {}
    rels = "xl/_rels/workbook.xml.rels"
    if rels in names:
        for _, el in _parse(archive, rels, (f"{_ANY}Relationship",)):
            target = el.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            targets[el.get("Id", "")] = path
            el.clear()
    listed: list[tuple[str, str]] = []
    for _, el in _parse(archive, "xl/workbook.xml", (f"{_ANY}sheet",)):
        rel_id = next((v for k, v in el.attrib.items() if k.startswith("{") and k.endswith("}id")), "")
        listed.append((el.get("name", ""), targets.get(rel_id, "")))
        el.clear()
    if len(listed) > MAX_SHEETS:
        raise _RefusedError(problem(
            "E_TOO_LARGE", Location(file=name),
            f"工作簿有 {len(listed)} 张工作表，超过上限 {MAX_SHEETS}；请拆成几个文件后重报。"))
    strings = _shared_strings(archive) if "xl/sharedStrings.xml" in names else []
    book = Book()
    budget = [MAX_CELLS]
    parsed: dict[str, str] = {}
    for title, part in listed:
        if part in parsed:  # each part is parsed once: the work stays bounded by the file's size
            book.problems.append(_unreadable(
                name, f"工作表“{title}”与“{parsed[part]}”指向同一内容（{part}），文件已被改动；"
                      "请用 Excel 另存为 .xlsx 后重报。", title))
            continue
        parsed[part] = title
        if part not in names:
            book.problems.append(_unreadable(name, f"工作表“{title}”的内容（{part}）缺失，文件不完整；"
                                                   "请用 Excel 另存为 .xlsx 后重报。", title))
            continue
        book.sheets.append(_read_sheet(archive, part, title, strings, name, book.problems, budget))
    return book


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    strings: list[str] = []
    for _, el in _parse(archive, "xl/sharedStrings.xml", (f"{_ANY}si",)):
        strings.append(_text_of(el))
        el.clear()
    return strings


def _local(el) -> str:
    """Return an element's tag without its namespace."""
    return etree.QName(el).localname


def _text_of(el) -> str:
    """Return the text of a string item or an inline string: every ``t`` but phonetic runs (``rPh``)."""
    return "".join(t.text or "" for t in el.iter(f"{_ANY}t") if _local(t.getparent()) != "rPh")


def _read_sheet(archive, part: str, title: str, strings: list[str], name: str,
                problems: list[Problem], budget: list[int]) -> Sheet:
    """Stream one sheet's cells, keeping those inside the limits and naming the ones beyond."""
    sheet = Sheet(title)
    far: list[str] = []
    n_far = 0
    row_number, column_number = 0, 0
    tags = (f"{_ANY}row", f"{_ANY}c", f"{_ANY}mergeCell")
    for event, el in _parse(archive, part, tags, events=("start", "end")):
        tag = _local(el)
        if event == "start":
            if tag == "row":
                row_number = int(el.get("r") or row_number + 1)
                column_number = 0
            continue
        if tag == "mergeCell":
            ref = el.get("ref", "")
            for corner in ref.split(":"):
                split_ref(corner)  # a malformed reference is a damaged file (ValueError → E_UNREADABLE)
            sheet.merged.append(ref)
        elif tag == "c":
            ref = el.get("r")
            if ref:
                row_number, column_number = split_ref(ref)
            else:
                column_number += 1
            value = _cell_value(el, strings)
            if value is not None and not (isinstance(value, str) and value == ""):
                where = f"{get_column_letter(column_number)}{row_number}"
                if row_number > MAX_ROWS or column_number > MAX_COLUMNS:
                    n_far += 1
                    if len(far) < FAR_CELLS_SHOWN:
                        far.append(where)
                elif isinstance(value, Uncalculated):
                    problems.append(problem(
                        "E_FORMULA_NO_VALUE", Location(file=name, sheet=title, cell=where),
                        f"单元格 {where} 是公式“{value}”，但文件中没有它的计算结果"
                        "（文件不是由 Excel 保存的）；"
                        "请用 Excel 打开该文件、保存后重报，或把公式换成数值。"))
                else:
                    budget[0] -= 1
                    if budget[0] < 0:
                        raise _RefusedError(problem(
                            "E_TOO_LARGE", Location(file=name, sheet=title, cell=where),
                            f"文件中有内容的单元格超过上限 {MAX_CELLS}；请拆成几个文件后重报。"))
                    sheet.cells[(row_number, column_number)] = value
        el.clear()
    if far:
        more = f" 等 {n_far} 个单元格" if n_far > FAR_CELLS_SHOWN else ""
        shown = "、".join(far) + more
        problems.append(problem(
            "E_TOO_LARGE", Location(file=name, sheet=title, cell=far[0]),
            f"单元格 {shown} 有内容，但远在数据区之外（报送文件最多读取 {MAX_ROWS} 行、{MAX_COLUMNS} 列）；"
            "多半是误按了键。请删除这些单元格后重报。"))
    return sheet


def _cell_value(el, strings: list[str]) -> object:
    """Return the value of a ``c`` element as Excel shows it (the cached result for a formula)."""
    kind = el.get("t", "n")
    v = el.find(f"{_ANY}v")
    text = v.text if v is not None else None
    if kind == "inlineStr":
        inline = el.find(f"{_ANY}is")
        return _text_of(inline) if inline is not None else None
    if text is None:
        formula = el.find(f"{_ANY}f")
        if formula is not None and (formula.text or formula.get("t") == "shared"):
            return Uncalculated(formula.text or "（共享公式）")
        return None
    if kind == "s":
        return strings[int(text)]
    if kind in ("str", "e", "d"):
        return text
    if kind == "b":
        return text.strip() in ("1", "true")
    number = float(text)
    whole = number.is_integer() and re.fullmatch(r"-?\d+", text.strip())
    return int(number) if whole else number
