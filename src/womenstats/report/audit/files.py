"""Compare a report's files with the files a re-run writes, and say where they differ.

Every report file is byte-reproducible, so equality is byte equality. When bytes differ, the
difference is located in terms a reader understands: the cell of the notebook whose outputs changed,
the lines of the HTML, the paragraphs and table cells of the Word file, the sheet and cell of the
workbook. Office files are checked by :func:`womenstats.intake.xlsx.package_problem` before they are
opened (a tampered file may be a zip or XML bomb), and read with the guarded reader of the intake.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

#: Lines of a unified diff kept per difference.
MAX_DIFF_LINES = 40


@dataclass(frozen=True)
class Difference:
    """One place where a report differs from its re-run.

    Attributes
    ----------
    cell : int or None
        Index of the notebook cell (0-based) whose outputs differ; None for a difference elsewhere.
    source : str
        The cell's first line of code, or the file's name.
    detail : str
        A unified diff (shortened) of the report's and the re-run's content.
    file : str
        The report file concerned (``midterm.ipynb``, ``midterm.html`` …).
    """

    cell: int | None
    source: str
    detail: str
    file: str = ""

    def __str__(self) -> str:
        if self.cell is not None:
            return f"{self.file}：第 {self.cell} 个单元（{self.source}）的输出不同：\n{self.detail}"
        return f"{self.file}：{self.source}\n{self.detail}"


def diff_lines(before: list[str], after: list[str], *, context: int = 1) -> str:
    """Return a shortened unified diff of two texts given as lines (report vs re-run)."""
    diff = list(difflib.unified_diff(before, after, "报告中", "重新执行", n=context, lineterm=""))
    return "\n".join(diff[:MAX_DIFF_LINES] + (["…"] if len(diff) > MAX_DIFF_LINES else []))


def _output_text(outputs: list) -> list[str]:
    """Return outputs as comparable text lines (JSON with sorted keys, one line per line)."""
    return json.dumps(outputs, sort_keys=True, indent=1, ensure_ascii=False).splitlines()


def compare_notebooks(stored, rerun, *, context: int = 1, file: str = "") -> list[Difference]:
    """Compare the code-cell outputs of two executed notebooks, cell by cell.

    Parameters
    ----------
    stored, rerun : nbformat.NotebookNode
        The report as stored and as re-executed.
    context : int
        Lines of context in each diff.
    file : str
        The report file's name, for the messages.

    Returns
    -------
    list of Difference
        Empty when every output is identical. A different number of cells is one difference at
        the first missing cell.
    """
    old_cells = [c for c in stored.cells if c.cell_type == "code"]
    new_cells = [c for c in rerun.cells if c.cell_type == "code"]
    index = {id(c): i for i, c in enumerate(stored.cells)}
    found: list[Difference] = []
    for old, new in zip(old_cells, new_cells, strict=False):
        before, after = _output_text(old.outputs), _output_text(new.outputs)
        if before != after:
            first = old.source.splitlines()[0] if old.source else ""
            found.append(Difference(index[id(old)], first, diff_lines(before, after, context=context), file))
    if len(old_cells) != len(new_cells):
        n = min(len(old_cells), len(new_cells))
        counts = f"代码单元数不同：报告中 {len(old_cells)} 个，重新执行 {len(new_cells)} 个"
        found.append(Difference(n, "", counts, file))
    return found


def compare_file(stored: Path, rerun: Path) -> list[Difference]:
    """Compare one report file with its re-run (the ``.ipynb`` is compared by the caller).

    Parameters
    ----------
    stored : pathlib.Path
        The report's file (may be missing or tampered with).
    rerun : pathlib.Path
        The file the re-run wrote.

    Returns
    -------
    list of Difference
        Empty when the bytes are equal; else one difference saying where the content differs.
    """
    name = stored.name
    if not stored.is_file():
        missing = f"报告旁边没有 {name}：报告的四个文件应放在一起核对。"
        return [Difference(None, "文件缺失，无法核对", missing, name)]
    if stored.read_bytes() == rerun.read_bytes():
        return []
    suffix = stored.suffix.lower()
    if suffix == ".html":
        before = stored.read_text(encoding="utf-8", errors="replace").splitlines()
        detail = diff_lines(before, rerun.read_text(encoding="utf-8").splitlines())
    elif suffix in (".docx", ".xlsx"):
        detail = _office_diff(stored, rerun)
    else:
        detail = ""
    detail = detail or "文件的字节不同（可见内容之外的部分被改动）。"
    return [Difference(None, "内容与重新生成的不同", detail, name)]


def _office_diff(stored: Path, rerun: Path) -> str:
    """Locate the difference of two Office files in their visible content."""
    from womenstats.intake.xlsx import package_problem

    refused = package_problem(stored, stored.name)
    if refused is not None:
        return f"报告中的文件无法安全打开：{refused.message}"
    reader = _xlsx_lines if stored.suffix.lower() == ".xlsx" else _docx_lines
    try:
        before = reader(stored)
    except Exception as exc:  # a tampered file may be damaged in any way; the audit reports, never crashes
        return f"报告中的文件已损坏，无法打开（{type(exc).__name__}）。"
    return diff_lines(before, reader(rerun), context=0)


def _xlsx_lines(path: Path) -> list[str]:
    """Every non-empty cell as ``sheet!ref: value``, in sheet and cell order."""
    from openpyxl.utils import get_column_letter

    from womenstats.intake.xlsx import open_book

    book = open_book(path, path.name)
    if book.problems and not book.sheets:
        raise ValueError(book.problems[0].message)
    return [f"{sheet.title}!{get_column_letter(c)}{r}: {sheet.cells[(r, c)]!r}"
            for sheet in book.sheets for r, c in sorted(sheet.cells)]


def _docx_lines(path: Path) -> list[str]:
    """Paragraphs, then table cells as ``表N 行R 列C: text``."""
    from docx import Document

    doc = Document(str(path))
    lines = [f"段落: {p.text}" for p in doc.paragraphs if p.text.strip()]
    for t, table in enumerate(doc.tables, start=1):
        for r, row in enumerate(table.rows, start=1):
            lines += [f"表{t} 行{r} 列{c}: {cell.text}" for c, cell in enumerate(row.cells, start=1)]
    return lines
