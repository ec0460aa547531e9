"""Audit a report: check its code is the project's, re-run the project's notebook, compare all four files.

Before anything runs, the report notebook is checked against the project's own notebook for its kind
(``notebooks/`` at audit time, so edits to the notebooks are followed): the SHA-256 of every code
cell's source must equal that of the template's cell in the same position, and the cell papermill
injected may hold only literal assignments of the report parameters, equal to the parameters
recorded in the metadata. A notebook that fails is refused, naming the cell, and nothing is executed.

Then the *project's* notebook (never the report's) is executed with the recorded parameters, the four
files are written again into a scratch folder the way :func:`~womenstats.report.run.runner.run_report`
writes them, and each is compared with the report's: the ``.ipynb`` cell by cell, the ``.html`` line by
line, the ``.docx`` and ``.xlsx`` by their visible content. A number changed by hand in any of them
fails the audit.
"""

from __future__ import annotations

import ast
import hashlib
import os
import tempfile
from pathlib import Path

import nbformat

from womenstats.report.audit.files import Difference, compare_file, compare_notebooks, diff_lines
from womenstats.report.run.chain import REPORT_TYPES, ReportType
from womenstats.report.run.normalise import INJECTED_ID, parameters_of
from womenstats.report.run.runner import (
    KERNEL,
    NOTEBOOKS,
    SUFFIXES,
    ReportError,
    execute_notebook,
    notebook_path,
    write_outputs,
)

__all__ = ["PARAMETER_NAMES", "AuditRefusedError", "Difference", "audit_report", "check_code",
           "check_parameters", "compare_notebooks"]

#: The parameters of a plan's report notebook (see :func:`womenstats.report.run.runner.report_parameters`).
PARAMETER_NAMES: tuple[str, ...] = REPORT_TYPES["plan"].parameters
#: Every name a report's injected-parameters cell may assign (any report type).
ALL_PARAMETER_NAMES: frozenset[str] = frozenset(n for t in REPORT_TYPES.values() for n in t.parameters)


class AuditRefusedError(ReportError):
    """A report the audit will not execute: its code or parameters are not the project's."""


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _first_line(cell) -> str:
    lines = cell.source.strip().splitlines()
    return lines[0][:60] if lines else ""


def _is_injected(cell) -> bool:
    return INJECTED_ID in cell.metadata.get("tags", []) or cell.get("id") == INJECTED_ID


def report_type(stored) -> ReportType:
    """Return the type of a report (plan, region, department) from its metadata (``plan`` if unset)."""
    name = stored.metadata.get("womenstats", {}).get("report", "plan")
    if name not in REPORT_TYPES:
        raise AuditRefusedError(f"报告记录的报告种类 {name!r} 未知：拒绝执行。")
    return REPORT_TYPES[name]


def check_parameters(stored) -> dict:
    """Return the recorded parameters after checking they are plain values of the expected names.

    The expected names and types are those of the report's type (:data:`REPORT_TYPES`).

    Raises
    ------
    AuditRefusedError
        When a name is missing or unexpected, a value has the wrong type, or the plan, region,
        department or method is unknown.
    """
    spec = report_type(stored)
    parameters = parameters_of(stored)
    if not parameters:
        raise AuditRefusedError(
            "报告中没有记录运行参数（metadata.papermill.parameters）：它不是 womenstats report 生成的报告。"
        )
    if set(parameters) != set(spec.parameters):
        raise AuditRefusedError(
            f"报告记录的参数应为 {', '.join(spec.parameters)}，"
            f"现为 {', '.join(sorted(parameters))}：拒绝执行。"
        )
    for name, kind in zip(spec.parameters, spec.types, strict=True):
        value = parameters[name]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise AuditRefusedError(
                f"参数 {name} 的值 {value!r} 类型不对（应为 {kind.__name__}）：拒绝执行。"
            )
    if not spec.known(parameters):
        named = "、".join(f"{k}={parameters[k]!r}" for k in ("plan", "region", "department", "method")
                         if k in parameters)
        raise AuditRefusedError(f"参数中的 {named} 不在目录中：拒绝执行。")
    # In the order the runner passes them (papermill writes the injected cell in this order).
    return {name: parameters[name] for name in spec.parameters}


def _injected_values(cell, index: int) -> dict:
    """Return the assignments of the injected-parameters cell, refusing anything but ``name = literal``."""
    try:
        tree = ast.parse(cell.source)
    except SyntaxError as exc:
        raise AuditRefusedError(
            f"第 {index} 个单元（papermill 注入的参数）不是有效的 Python：拒绝执行。"
        ) from exc
    values: dict = {}
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None
        if not isinstance(target, ast.Name) or target.id not in ALL_PARAMETER_NAMES:
            raise AuditRefusedError(
                f"第 {index} 个单元（papermill 注入的参数）第 {node.lineno} 行不是参数赋值"
                f"（“{ast.get_source_segment(cell.source, node) or ''}”）：参数单元只能有 "
                "报告参数的字面值赋值，拒绝执行。"
            )
        try:
            values[target.id] = ast.literal_eval(node.value)
        except ValueError as exc:
            raise AuditRefusedError(
                f"第 {index} 个单元（papermill 注入的参数）给 {target.id} 赋的不是字面值：拒绝执行。"
            ) from exc
    return values


def check_code(stored, kind: str, parameters: dict, template_path: Path | None = None) -> Path:
    """Check that a report's code is the project's notebook for its kind; return that notebook.

    Parameters
    ----------
    stored : nbformat.NotebookNode
        The report notebook.
    kind : str
        The report kind recorded in it.
    parameters : dict
        The parameters recorded in its metadata (already checked).
    template_path : pathlib.Path, optional
        The project's notebook to compare with; the plan report's of ``kind`` by default.

    Returns
    -------
    pathlib.Path
        The project's notebook (``notebooks/``) the report must have been run from.

    Raises
    ------
    AuditRefusedError
        Naming the first cell whose code differs from the template (by SHA-256 of its source), or an
        injected-parameters cell that is missing, repeated, or holds anything but literal assignments
        equal to the recorded parameters.
    """
    template_path = template_path or notebook_path(kind)
    template = nbformat.read(template_path, as_version=4)
    wanted = [c for c in template.cells if c.cell_type == "code"]
    injected = [(i, c) for i, c in enumerate(stored.cells) if c.cell_type == "code" and _is_injected(c)]
    if len(injected) != 1:
        raise AuditRefusedError(
            f"报告中应有且只有一个 papermill 注入的参数单元，现有 {len(injected)} 个：拒绝执行。"
        )
    index, cell = injected[0]
    if _injected_values(cell, index) != parameters:
        raise AuditRefusedError(
            f"第 {index} 个单元（papermill 注入的参数）与报告记录的参数不一致：拒绝执行。"
        )
    code = [(i, c) for i, c in enumerate(stored.cells) if c.cell_type == "code" and not _is_injected(c)]
    for position, ((i, have), want) in enumerate(zip(code, wanted, strict=False)):
        if _sha(have.source) != _sha(want.source):
            raise AuditRefusedError(
                f"第 {i} 个单元（“{_first_line(have)}”）的代码与项目笔记本 notebooks/{template_path.name} "
                f"的第 {position + 1} 个代码单元不同（SHA-256 {_sha(have.source)[:12]}… ≠ "
                f"{_sha(want.source)[:12]}…）：报告的代码被改动过，拒绝执行。"
                "请用 womenstats report 重新生成报告。"
            )
    if len(code) != len(wanted):
        raise AuditRefusedError(
            f"报告有 {len(code)} 个代码单元，项目笔记本 notebooks/{template_path.name} 有 {len(wanted)} 个："
            "报告的代码被改动过（或由旧版笔记本生成），拒绝执行。请用 womenstats report 重新生成报告。"
        )
    return template_path


def audit_report(path: str | os.PathLike[str], *, kernel_name: str = KERNEL) -> list[Difference]:
    """Verify a report's four files against a re-run of the project's notebook.

    Parameters
    ----------
    path : path-like
        An executed report ``.ipynb`` written by :func:`womenstats.report.run_report`; its ``.html``,
        ``.docx`` and ``.xlsx`` are expected beside it.
    kernel_name : str
        Jupyter kernel.

    Returns
    -------
    list of Difference
        Empty when the re-run reproduces all four files exactly.

    Raises
    ------
    AuditRefusedError
        When the report's code or parameters are not the project's (nothing is executed then).
    ReportError
        When the file is not a report notebook, or a cell of the re-run fails.
    """
    source = Path(path)
    if not source.is_file():
        raise ReportError(f"找不到报告文件 {source.name}：请给出 womenstats report 生成的 .ipynb 文件。")
    try:
        stored = nbformat.read(source, as_version=4)
    except Exception as exc:  # any malformed JSON or notebook structure
        raise ReportError(f"{source.name} 不是有效的笔记本文件（{type(exc).__name__}）：无法复核。") from exc
    parameters = check_parameters(stored)
    kind = stored.metadata.get("womenstats", {}).get("kind")
    if kind not in NOTEBOOKS:
        raise AuditRefusedError(
            f"{source.name} 没有记录报告类型（metadata.womenstats.kind）：无法确定对照的项目笔记本。"
        )
    spec = report_type(stored)
    template = check_code(stored, kind, parameters, spec.notebook(kind))
    rerun = execute_notebook(template, parameters, kernel_name=kernel_name)
    rerun.metadata["womenstats"] = dict(stored.metadata["womenstats"])
    title = spec.title(parameters, kind)
    with tempfile.TemporaryDirectory(prefix="womenstats-audit-") as scratch:
        fresh = write_outputs(rerun, Path(scratch), kind, title)
        found = compare_notebooks(stored, rerun, file=source.name)
        if not found and source.read_bytes() != fresh[0].read_bytes():
            before = source.read_text(encoding="utf-8", errors="replace").splitlines()
            found.append(Difference(None, "笔记本中输出以外的部分不同", diff_lines(
                before, fresh[0].read_text(encoding="utf-8").splitlines()), source.name))
        for suffix, new in zip(SUFFIXES[1:], fresh[1:], strict=True):
            found += compare_file(source.with_suffix(suffix), new)
    return found

