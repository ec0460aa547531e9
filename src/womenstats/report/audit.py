"""Audit a report: re-execute its notebook with the same parameters and compare every output.

The executed report ``.ipynb`` is itself re-run (its code, not the current ``notebooks/`` copy), with
the parameters papermill recorded in it, and each code cell's outputs are compared with the stored
ones after the same normalisation the runner applies. Any change in data, catalog, code or
library versions that alters a number, a table, a chart or the provenance block shows up as a
difference in the cell that shows it.
"""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import nbformat

from womenstats.report.normalise import parameters_of
from womenstats.report.runner import KERNEL, ReportError, execute_notebook


@dataclass(frozen=True)
class Difference:
    """One code cell whose outputs differ on re-execution.

    Attributes
    ----------
    cell : int
        Index of the cell in the notebook (0-based).
    source : str
        The cell's first line of code.
    detail : str
        A unified diff (shortened) of the stored and the new outputs.
    """

    cell: int
    source: str
    detail: str

    def __str__(self) -> str:
        return f"第 {self.cell} 个单元（{self.source}）的输出不同：\n{self.detail}"


def _output_text(outputs: list) -> list[str]:
    """Return outputs as comparable text lines (JSON with sorted keys, one line per line)."""
    return json.dumps(outputs, sort_keys=True, indent=1, ensure_ascii=False).splitlines()


def compare_notebooks(stored, rerun, *, context: int = 1, max_lines: int = 40) -> list[Difference]:
    """Compare the code-cell outputs of two executed notebooks, cell by cell.

    Parameters
    ----------
    stored, rerun : nbformat.NotebookNode
        The report as stored and as re-executed.
    context : int
        Lines of context in each diff.
    max_lines : int
        Diff lines kept per cell.

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
            diff = list(difflib.unified_diff(before, after, "报告中", "重新执行", n=context, lineterm=""))
            detail = "\n".join(diff[:max_lines] + (["…"] if len(diff) > max_lines else []))
            first = old.source.splitlines()[0] if old.source else ""
            found.append(Difference(index[id(old)], first, detail))
    if len(old_cells) != len(new_cells):
        n = min(len(old_cells), len(new_cells))
        counts = f"代码单元数不同：报告中 {len(old_cells)} 个，重新执行 {len(new_cells)} 个"
        found.append(Difference(n, "", counts))
    return found


def audit_report(path: str | os.PathLike[str], *, kernel_name: str = KERNEL) -> list[Difference]:
    """Re-execute a report notebook with its recorded parameters and list the outputs that differ.

    Parameters
    ----------
    path : path-like
        An executed report ``.ipynb`` written by :func:`womenstats.report.run_report`.
    kernel_name : str
        Jupyter kernel.

    Returns
    -------
    list of Difference
        Empty when the re-execution reproduces every output exactly.

    Raises
    ------
    ReportError
        When the file is not a report notebook (no recorded parameters) or a cell fails.
    """
    source = Path(path)
    if not source.is_file():
        raise ReportError(f"找不到报告文件 {source.name}：请给出 womenstats report 生成的 .ipynb 文件。")
    stored = nbformat.read(source, as_version=4)
    parameters = parameters_of(stored)
    if not parameters:
        raise ReportError(
            f"{source.name} 中没有记录运行参数（metadata.papermill.parameters）："
            "它不是 womenstats report 生成的报告。"
        )
    rerun = execute_notebook(source, parameters, kernel_name=kernel_name)
    return compare_notebooks(stored, rerun)
