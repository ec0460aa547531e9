"""The reports along the reporting chain besides a plan's: a parent region's and a member department's.

``run_region_report("440700", "midterm", 2025)`` runs ``notebooks/04_region_report.ipynb`` for a city
(its children's returns rolled up, assessed against the governing plan's targets) and writes
``reports/440700/2025/midterm.{ipynb,html,docx,xlsx}``. ``run_department_report("kaiping", "卫健",
"midterm", 2025)`` runs ``notebooks/05_department_report.ipynb``, the 成员单位自评报告 of one
department, and writes ``reports/kaiping/2025/midterm-卫健.*``. Both write all four files or none
(:func:`~womenstats.report.run.runner.write_atomically`), and ``womenstats audit`` re-runs them.

:data:`REPORT_TYPES` describes each kind of report (its notebook, parameters and title) for the
runner and the audit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from womenstats import catalog, paths
from womenstats.catalog import regions
from womenstats.errors import WomenstatsError
from womenstats.paths import display_path
from womenstats.report.run.runner import (
    METHODS,
    NOTEBOOKS,
    ReportError,
    execute_notebook,
    report_parameters,
    run_options,
    run_settings,
    write_atomically,
)
from womenstats.report.titles import KIND_LABELS, report_title

#: The notebook of a parent region's report (every kind).
REGION_NOTEBOOK = "04_region_report.ipynb"
#: The notebook of a department's self-evaluation (mid-term and final).
DEPARTMENT_NOTEBOOK = "05_department_report.ipynb"
#: Kinds a department writes a self-evaluation for.
DEPARTMENT_KINDS = ("midterm", "final")


@dataclass(frozen=True)
class ReportType:
    """One kind of report: its parameters (in the order papermill writes them) and their types."""

    name: str
    parameters: tuple[str, ...]
    types: tuple[type, ...]

    def notebook(self, kind: str) -> Path:
        """Return the project's notebook this report type runs for ``kind``."""
        if self.name == "region":
            return paths.notebooks_dir() / REGION_NOTEBOOK
        if self.name == "department":
            return paths.notebooks_dir() / DEPARTMENT_NOTEBOOK
        return paths.notebooks_dir() / NOTEBOOKS[kind]

    def title(self, parameters: dict, kind: str) -> str:
        """Return the report's title from its parameters."""
        if self.name == "region":
            return region_title(parameters["region"], kind, parameters["year"])
        if self.name == "department":
            return department_title(parameters["plan"], parameters["department"], kind, parameters["year"])
        return report_title(parameters["plan"], kind, parameters["year"])

    def known(self, parameters: dict) -> bool:
        """Return whether the plan, region, department and method a report names exist."""
        if parameters.get("method") not in METHODS:
            return False
        if self.name == "region":
            return parameters["region"] in regions.codes()
        if parameters["plan"] not in catalog.plans():
            return False
        return self.name != "department" or parameters["department"] in departments(parameters["plan"])


#: Report type -> its description (the metadata ``womenstats.report`` of an executed report).
REPORT_TYPES: dict[str, ReportType] = {
    "plan": ReportType("plan", ("plan", "year", "store", "out_dir", "method"), (str, int, str, str, str)),
    "region": ReportType(
        "region", ("region", "kind", "year", "store", "out_dir", "method"), (str, str, int, str, str, str)
    ),
    "department": ReportType(
        "department",
        ("plan", "department", "kind", "year", "store", "out_dir", "method", "narrative"),
        (str, str, str, int, str, str, str, str),
    ),
}


def region_title(region_code: str, kind: str, year: int) -> str:
    """Return a parent region's report title, e.g. ``江门市妇女发展规划实施情况2025年中期评估报告``."""
    return f"{regions.name(region_code)}妇女发展规划实施情况{year}年{KIND_LABELS[kind]}"


def department_title(plan_id: str, department: str, kind: str, year: int) -> str:
    """Return a department's self-evaluation title (…2025年中期评估 卫健 自评报告)."""
    label = KIND_LABELS[kind].removesuffix("报告")
    return f"{catalog.plan(plan_id).name}{year}年{label}（{department}自评报告）"


def departments(plan_id: str) -> list[str]:
    """Return the departments responsible for at least one indicator a plan's targets name, sorted."""
    targets = catalog.load(plan_id)
    ids = sorted({i for i in targets["indicator_id"].fillna("") if i})
    return sorted({catalog.indicator(i).department for i in ids if catalog.indicator(i).department})


def _run(report: str, kind: str, parameters: dict, options: dict, destination: Path, title: str,
         stem: str | None = None) -> list[Path]:
    """Execute a report type's notebook with ``parameters`` and write its four files, all or nothing."""
    nb = execute_notebook(REPORT_TYPES[report].notebook(kind), parameters,
                          kernel_name=run_options(options)["kernel_name"])
    nb.metadata["womenstats"] = {"kind": kind, "report": report}
    return write_atomically(nb, destination, kind, title, stem=stem)


def _settings(options: dict) -> tuple[dict, Path]:
    """Split a run's options into those of :func:`run_settings` and the root folder of the reports.

    The options are checked by :func:`~womenstats.report.run.runner.run_options`.
    """
    options = run_options(options)
    settings = {k: options[k] for k in ("store", "out", "method")}
    return settings, Path(options["out"]) if options["out"] is not None else paths.reports_dir()


def run_region_report(region_code: str, kind: str, year: int, **options) -> list[Path]:
    """Run a parent region's report and write its four files, all or nothing.

    Parameters
    ----------
    region_code : str
        A region of the registry with children (a city, a province).
    kind : str
        ``annual``, ``midterm`` or ``final``.
    year : int
        Report year.
    **options
        ``store``, ``out``, ``method``, ``kernel_name`` as in
        :func:`womenstats.report.run.runner.run_report`; files go to ``<out>/<region>/<year>/``.

    Returns
    -------
    list of pathlib.Path

    Raises
    ------
    ReportError
        For an unknown region or one without children, an unknown kind, or a failing notebook.
    """
    if kind not in NOTEBOOKS:
        raise ReportError(f"未知的报告类型 {kind!r}：请使用 {', '.join(NOTEBOOKS)} 之一。")
    try:
        children = regions.children(str(region_code))
    except WomenstatsError as exc:
        raise ReportError(f"--region：{exc}") from exc
    if not children:
        raise ReportError(
            f"--region：地区 {region_code}（{regions.name(str(region_code))}）在地区表中没有下级地区，"
            "无法汇总；县级报告请用 --plan。"
        )
    settings, root = _settings(options)
    parameters = {"region": str(region_code), "kind": kind, "year": int(year), **run_settings(**settings)}
    return _run("region", kind, parameters, options, root / str(region_code) / str(int(year)),
                region_title(str(region_code), kind, int(year)))


def run_department_report(plan_id: str, department: str, kind: str, year: int, *,
                          narrative: str | os.PathLike[str] | None = None, **options) -> list[Path]:
    """Run a member department's self-evaluation (成员单位自评报告) and write its four files.

    Parameters
    ----------
    plan_id : str
        The plan.
    department : str
        A department responsible for indicators of the plan (:func:`departments`), e.g. ``卫健``.
    kind : str
        ``midterm`` or ``final``.
    year : int
        Report year.
    narrative : path-like, optional
        The department's text (主要措施, 存在问题, 下一步打算), checked by
        :func:`womenstats.report.department.context.read_narrative`; blanks to fill in Word without it.
    **options
        ``store``, ``out``, ``method``, ``kernel_name`` as in
        :func:`womenstats.report.run.runner.run_report`; files go to
        ``<out>/<plan>/<year>/<kind>-<department>.*``.

    Raises
    ------
    ReportError
        For an unknown department or kind, a narrative file that fails its check, or a failing notebook.
    """
    from womenstats.report.department.context import read_narrative

    if kind not in DEPARTMENT_KINDS:
        raise ReportError(
            f"--kind：成员单位自评报告只有 {', '.join(DEPARTMENT_KINDS)} 两种，不能是 {kind!r}。"
        )
    settings, root = _settings(options)
    base = report_parameters(plan_id, year, **settings)
    known = departments(plan_id)
    if department not in known:
        raise ReportError(
            f"--department：{department!r} 不是规划 {plan_id} 指标的责任单位；可用的有 {'、'.join(known)}。"
        )
    text_path = ""
    if narrative is not None:
        read_narrative(narrative)  # refuse a bad file before anything runs
        text_path = display_path(Path(narrative).resolve())
    parameters = {"plan": plan_id, "department": department, "kind": kind, "year": int(year),
                  "store": base["store"], "out_dir": base["out_dir"], "method": base["method"],
                  "narrative": text_path}
    return _run("department", kind, parameters, options, root / plan_id / str(int(year)),
                department_title(plan_id, department, kind, int(year)), stem=f"{kind}-{department}")


__all__ = [
    "DEPARTMENT_KINDS",
    "REPORT_TYPES",
    "ReportType",
    "department_title",
    "departments",
    "region_title",
    "run_department_report",
    "run_region_report",
]
