"""Run a report notebook with papermill and write its four files, all or nothing.

``run_report("kaiping", "midterm", 2025)`` executes ``notebooks/02_midterm_evaluation.ipynb`` with
the parameters ``plan, year, store, out_dir, method``, strips the run-specific metadata, and writes
``reports/kaiping/2025/midterm.{ipynb,html,docx,xlsx}``. The four files are first written in a
staging folder beside the destination and moved into place only when all four exist, so a failed
run leaves the destination as it was.
"""

from __future__ import annotations

import contextlib
import importlib
import math
import os
import shutil
import sys
import tempfile
import threading
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from womenstats import catalog, paths
from womenstats.catalog import regions
from womenstats.errors import WomenstatsError
from womenstats.paths import display_path, resolve_path
from womenstats.report import precomputed
from womenstats.report.run import parallel
from womenstats.report.run.normalise import normalise_notebook
from womenstats.report.titles import KIND_LABELS, report_title

#: Report kind -> notebook file in ``notebooks/``.
NOTEBOOKS: dict[str, str] = {
    "annual": "01_annual_monitoring.ipynb",
    "midterm": "02_midterm_evaluation.ipynb",
    "final": "03_final_evaluation.ipynb",
}
#: The Jupyter kernel the notebooks name (registered inside the environment by ``make setup``).
KERNEL = "womenstats"
#: Methods a report can be run with (see ``womenstats.assess``).
METHODS = ("ours", "open-sdg", "escap")
#: Report kinds whose notebook draws the areas' small multiples (rendered early by the runner's worker).
CHARTED_KINDS = ("midterm", "final")
#: File types written for every report.
SUFFIXES = (".ipynb", ".html", ".docx", ".xlsx")


class ReportError(WomenstatsError):
    """A report could not be produced (bad parameters, or a notebook cell failed)."""


@dataclass
class RunSummary:
    """Outcome of running one kind of report for several plans.

    Attributes
    ----------
    written : dict
        plan id -> list of the four files written.
    failed : dict
        plan id -> the Chinese error message.
    """

    written: dict[str, list[Path]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """0 when every report was written, 1 when any failed."""
        return 1 if self.failed else 0


def notebook_path(kind: str) -> Path:
    """Return the notebook of a report kind, raising :class:`ReportError` for an unknown kind."""
    if kind not in NOTEBOOKS:
        raise ReportError(f"未知的报告类型 {kind!r}：请使用 {', '.join(NOTEBOOKS)} 之一。")
    return paths.notebooks_dir() / NOTEBOOKS[kind]


def report_parameters(plan_id: str, year: int, **settings) -> dict:
    """Return the notebook parameters of a plan's report run, paths written relative to the project root.

    ``settings`` are those of :func:`run_settings` (``store``, ``out``, ``method``).

    Raises
    ------
    ReportError
        For an unknown plan or method, or a store file that does not exist.
    """
    if plan_id not in catalog.plans():
        raise ReportError(f"未知的规划代码 {plan_id!r}：可用的有 {', '.join(catalog.plans())}。")
    return {"plan": plan_id, "year": int(year), **run_settings(**settings)}


def run_settings(
    *,
    store: str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] | None = None,
    method: str = "ours",
) -> dict:
    """Return the ``store``, ``out_dir`` and ``method`` parameters every report type shares.

    Raises
    ------
    ReportError
        For an unknown method, or a store file that does not exist.
    """
    if method not in METHODS:
        raise ReportError(f"未知的评估方法 {method!r}：请使用 {', '.join(METHODS)} 之一。")
    # Paths given on the command line are relative to the current folder; the kernel runs in the
    # project root, so they are resolved here and written relative to the root when inside it.
    store_path = Path(store).resolve() if store is not None else paths.default_store()
    if not store_path.is_file():
        raise ReportError(
            f"找不到数据库 {display_path(store_path)}：请先运行 `womenstats data build` 或用 --store 指定。"
        )
    out_path = Path(out).resolve() if out is not None else paths.reports_dir()
    return {"store": display_path(store_path), "out_dir": display_path(out_path), "method": method}


def execute_notebook(source: str | os.PathLike[str], parameters: dict, *, kernel_name: str = KERNEL):
    """Execute a report notebook with papermill and return it, normalised.

    The kernel runs in the project root, so the relative paths in ``parameters`` resolve.

    Parameters
    ----------
    source : path-like
        The notebook: one of ``notebooks/`` or an executed report (its parameters cell is replaced).
    parameters : dict
        Notebook parameters (see :func:`report_parameters`).
    kernel_name : str
        Jupyter kernel to run.

    Returns
    -------
    nbformat.NotebookNode

    Raises
    ------
    ReportError
        When a cell fails; the message names the cell and the error.
    """
    import papermill as pm

    source = Path(source)
    with tempfile.TemporaryDirectory(prefix="womenstats-run-") as scratch:
        output = Path(scratch) / source.name
        try:
            pm.execute_notebook(
                str(source),
                str(output),
                parameters=parameters,
                kernel_name=kernel_name,
                progress_bar=False,
                request_save_on_cell_execute=False,
                cwd=str(paths.project_root()),
                shutdown_kernel="immediate",  # the notebook is done: no graceful half second
            )
        except pm.PapermillExecutionError as exc:
            raise ReportError(
                f"报告笔记本 {source.name} 的第 {exc.exec_count} 个代码单元执行失败："
                f"{exc.ename}: {exc.evalue}（参数 {parameters}）。请检查数据和参数后重试。"
            ) from exc
        import nbformat

        nb = nbformat.read(output, as_version=4)
    return normalise_notebook(nb)


def write_notebook(nb, path: str | os.PathLike[str]) -> None:
    """Write a notebook as nbformat does (sorted keys, one-space indent, UTF-8)."""
    import nbformat  # imported when needed: it costs seconds (jsonschema's format checkers)

    Path(path).write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


#: The writers' modules, imported by :func:`prefetch_writers` while a notebook runs.
WRITER_MODULES = ("womenstats.report.write.html", "womenstats.report.write.docx",
                  "womenstats.report.write.xlsx")


def prefetch_writers() -> threading.Thread:
    """Import the writers (python-docx, openpyxl) in a background thread and return it.

    A report's kernel works for seconds while this process only waits for it; importing the
    writers meanwhile takes their import time off the report's wall time. Imports are safe from
    a thread (each module has its own import lock); an import error surfaces again, in the main
    thread, when :func:`write_outputs` imports the writer.
    """

    def work() -> None:
        for name in WRITER_MODULES:
            with contextlib.suppress(Exception):
                importlib.import_module(name)

    thread = threading.Thread(target=work, name="womenstats-prefetch", daemon=True)
    thread.start()
    return thread


def write_outputs(nb, folder: Path, kind: str, title: str) -> list[Path]:
    """Write ``<kind>.{ipynb,html,docx,xlsx}`` of an executed notebook into ``folder``."""
    from womenstats.report.write.docx import write_docx
    from womenstats.report.write.html import write_html
    from womenstats.report.write.xlsx import write_xlsx

    files = [folder / f"{kind}{suffix}" for suffix in SUFFIXES]
    # The Word file, the slowest, is written by a forked worker while this process writes the rest.
    precomputed.share(outputs_nb=nb)
    pool = precomputed.fork_pool(1)
    future = pool.submit(_write_shared_docx, str(files[2]), title) if pool else None
    write_notebook(nb, files[0])
    write_html(nb, files[1], title)
    write_xlsx(nb, files[3], title)
    precomputed.result_or(future, lambda: write_docx(nb, files[2], title))
    if pool is not None:
        pool.shutdown()
    return files


def _write_shared_docx(path: str, title: str) -> None:
    """Write the Word file of the notebook shared by :func:`write_outputs` (in a forked worker)."""
    from womenstats.report.write.docx import write_docx

    write_docx(precomputed.shared("outputs_nb"), path, title)


def run_report(
    plan_id: str,
    kind: str,
    year: int,
    *,
    store: str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] | None = None,
    method: str = "ours",
    kernel_name: str = KERNEL,
) -> list[Path]:
    """Run one report and write its four files, all or nothing.

    Parameters
    ----------
    plan_id : str
        Catalog plan id.
    kind : str
        ``annual``, ``midterm`` or ``final``.
    year : int
        The report year (the last data year considered).
    store : path-like, optional
        The observation store (default ``data/processed/womenstats.sqlite``).
    out : path-like, optional
        Root folder of the reports (default ``reports/``); files go to ``<out>/<plan>/<year>/``.
    method : str
        Assessment method: ``ours`` (default), ``open-sdg`` or ``escap``.
    kernel_name : str
        Jupyter kernel.

    Returns
    -------
    list of pathlib.Path
        The ``.ipynb``, ``.html``, ``.docx`` and ``.xlsx`` written.

    Raises
    ------
    ReportError
        For bad parameters or a failing notebook; nothing is written then.
    """
    source = notebook_path(kind)
    parameters = report_parameters(plan_id, year, store=store, out=out, method=method)
    destination = Path(out if out is not None else paths.reports_dir()) / plan_id / str(int(year))
    with tempfile.TemporaryDirectory(prefix="womenstats-early-") as early:
        # The report's assessment and its charts, computed on the other core while papermill
        # starts the kernel (the notebook takes them: parallel.early_assessment, early_charts);
        # the peers' assessments the kernel forks for itself once started (ReportContext.prefetch),
        # when this worker is busy with the charts and the kernel would only wait. Forked before
        # the writers' import thread starts, so no import lock is held across the fork.
        charts = (kind, parameters["store"]) if kind in CHARTED_KINDS else None
        worker = parallel.start_early_assessments(Path(early), plan_id, year,
                                                  str(resolve_path(parameters["store"])), [method], charts,
                                                  stage=kind)
        prefetch = prefetch_writers()
        before = os.environ.get(precomputed.EARLY_ENV)
        os.environ[precomputed.EARLY_ENV] = early
        try:
            nb = execute_notebook(source, parameters, kernel_name=kernel_name)
        finally:
            _restore(precomputed.EARLY_ENV, before)
            if worker is not None:
                worker.join(timeout=0.5)
                if worker.is_alive():
                    worker.terminate()
    prefetch.join()
    nb.metadata["womenstats"] = {"kind": kind}
    return write_atomically(nb, destination, kind, report_title(plan_id, kind, year))


def write_atomically(nb, destination: Path, kind: str, title: str, *, stem: str | None = None) -> list[Path]:
    """Write the four files of an executed report into ``destination``, all or nothing.

    They are written in a staging folder beside the destination and moved into place only when
    all four exist, so a failure leaves the destination as it was.

    Returns
    -------
    list of pathlib.Path
        ``<stem>.{ipynb,html,docx,xlsx}`` in ``destination`` (``stem`` is the kind by default).
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{kind}-staging-", dir=destination.parent))
    try:
        staged = write_outputs(nb, staging, stem or kind, title)
        destination.mkdir(parents=True, exist_ok=True)
        final = [destination / path.name for path in staged]
        for path, target in zip(staged, final, strict=True):
            path.chmod(0o644)  # readable by the committee's other accounts, like any report
            os.replace(path, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


def _restore(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value


def resolve_plans(spec: str) -> list[str]:
    """Return the plan ids a ``--plan`` value names: one id, ``ID1,ID2``, ``all`` or ``region:CODE``.

    ``all`` means every local plan in the catalog (county, city and province levels; the national
    outlines are run by naming them). ``region:CODE`` means every plan of a region below ``CODE``
    at any depth (``region:440000``: the plans of Guangdong's cities and counties).

    Raises
    ------
    ReportError
        When a named plan is not in the catalog, or no plan lies below the region.
    womenstats.errors.CatalogError
        When the region code is not in the region table.
    """
    known = catalog.plans()
    if spec.strip() == "all":
        return [p for p in known if catalog.plan(p).level != "national"]
    if spec.strip().startswith("region:"):
        code = spec.strip()[len("region:"):].strip()
        regions.name(code)  # an unknown code is a CatalogError naming the region table
        below = [p for p in known if code in regions.parents(catalog.plan(p).region_code)]
        if not below:
            raise ReportError(f"--plan {spec}：目录中没有 {code}（{regions.name(code)}）下属地区的规划；"
                              "请先用 `womenstats catalog extract` 登记各地规划，"
                              "或用 all、逗号分隔的规划代码。")
        return below
    ids = [part.strip() for part in spec.split(",") if part.strip()]
    unknown = [p for p in ids if p not in known]
    if unknown or not ids:
        raise ReportError(f"未知的规划代码 {', '.join(unknown) or spec!r}：可用的有 {', '.join(known)}。")
    return ids


def _run_one(job: tuple) -> tuple[str, list[Path] | None, str]:
    """Run one report of :func:`run_many` (in a worker process): (plan, files, error message)."""
    plan_id, kind, year, store, out, method, kernel_name = job
    try:
        return plan_id, run_report(plan_id, kind, year, store=store, out=out, method=method,
                                   kernel_name=kernel_name), ""
    except WomenstatsError as exc:
        return plan_id, None, str(exc)
    except Exception as exc:  # one plan's failure must not stop the others
        return plan_id, None, f"{type(exc).__name__}: {exc}"


#: What a report costs, in units of one report run serially (its helpers on a second core: 4.0 s),
#: as ``benchmarks/dask_scaling.py`` measured it on 2 cores (docs/scale.md): a report in a Dask
#: worker (one core, no helpers: 4.75 s) and starting a local cluster with its report processes
#: (2.2 s). Checked whole: 2 reports take 10.6 s one after another, 9.4 s on 2 workers; 3 reports
#: 13.9 s and 13.6 s.
WORKER_REPORT_COST = 1.2
CLUSTER_START_COST = 0.55


#: The options every report run takes (:func:`run_options`).
RUN_OPTIONS: tuple[str, ...] = ("store", "out", "method", "kernel_name")


def default_jobs(n_reports: int) -> int:
    """Return how many reports run at once by default: whatever is fastest here.

    One per core the process may use, at most one per report, when Dask pays: the cluster's
    start and ``ceil(n / jobs)`` reports a worker, each :data:`WORKER_REPORT_COST` times a serial
    report, against ``n`` serial reports. Otherwise 1: the reports run one after another in this
    process, without starting a cluster to lose time (a single report; on 2 cores a cluster wins from 2).
    """
    from womenstats.cluster import cores

    jobs = max(1, min(n_reports, cores()))
    if jobs == 1:
        return 1
    parallel = CLUSTER_START_COST + math.ceil(n_reports / jobs) * WORKER_REPORT_COST
    return jobs if parallel < n_reports else 1


def run_options(options: Mapping) -> dict:
    """Return a run's options with their defaults: ``store``, ``out``, ``method``, ``kernel_name``.

    As in :func:`run_report`; anything else is a ``TypeError``, as for a misspelt keyword argument.
    """
    unknown = sorted(set(options) - set(RUN_OPTIONS))
    if unknown:
        raise TypeError(f"unexpected keyword argument {unknown[0]!r}")
    return {"store": None, "out": None, "method": "ours", "kernel_name": KERNEL, **options}


def run_many(plan_ids: Sequence[str], kind: str, year: int, *, progress: bool = True, jobs: int | None = None,
             scheduler: str | None = None, **options) -> RunSummary:
    """Run one kind of report for several plans, on Dask when faster; a failure does not stop the others.

    Each report is a Dask task (:func:`womenstats.report.run.isolated.run_isolated`): the worker hands
    it to its report process, started with this process's environment, which runs it with its own
    kernel and staging folder, so the files are the same, byte for byte, as when the reports run one
    after another here. The tasks run on a ``LocalCluster`` of ``jobs`` worker processes (one thread
    each), or on the existing cluster at ``scheduler``. A report that fails, or whose worker dies, is
    listed in ``failed``; the others are written.

    Parameters
    ----------
    plan_ids : sequence of str
        Plans to report on, in order.
    kind, year
        As in :func:`run_report`.
    progress : bool
        Show a tqdm progress bar on stderr.
    jobs : int, optional
        Local worker processes; default :func:`default_jobs` (whatever is fastest here). 1 (or a
        single plan) without ``scheduler`` runs the reports in this process, one after another,
        without Dask.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://HOST:8786``); its workers must see the same
        project folder, store and output folder at the same paths.
    **options
        ``store``, ``out``, ``method``, ``kernel_name``: as in :func:`run_report`.

    Returns
    -------
    RunSummary
        Files written per plan (in the order of ``plan_ids``) and error messages per failed plan.

    Raises
    ------
    womenstats.cluster.ClusterError
        When ``scheduler`` cannot be reached or has no worker.
    """
    options = run_options(options)
    store, out, method, kernel_name = (options[k] for k in RUN_OPTIONS)
    from tqdm import tqdm

    plan_ids = list(dict.fromkeys(plan_ids))  # a plan named twice is run once
    jobs = default_jobs(len(plan_ids)) if jobs is None else max(1, int(jobs))
    desc = f"{KIND_LABELS.get(kind, kind)} {year}"
    results: dict[str, tuple[list[Path] | None, str]] = {}
    if scheduler is None and (jobs == 1 or len(plan_ids) <= 1):
        with tqdm(total=len(plan_ids), desc=desc, unit="份", disable=not progress, file=sys.stderr) as bar:
            for plan_id in plan_ids:
                _, files, error = _run_one((plan_id, kind, year, store, out, method, kernel_name))
                results[plan_id] = (files, error)
                bar.update()
    else:
        from womenstats import cluster
        from womenstats.report.run.isolated import report_env, run_isolated

        # Absolute paths: a worker's process may run in another folder.
        store_abs = None if store is None else str(Path(store).resolve())
        out_abs = None if out is None else str(Path(out).resolve())
        env = report_env()
        if scheduler is not None or jobs >= cluster.cores():
            # every core runs a report: a report's helpers would only compete with the others
            env["WOMENSTATS_NO_FORK"] = "1"
        with cluster.connect(scheduler, jobs) as client:
            token = uuid.uuid4().hex[:12]  # task keys unique on a shared scheduler
            jobs_of = {p: (p, kind, int(year), store_abs, out_abs, method, kernel_name) for p in plan_ids}
            futures = {client.submit(run_isolated, job, env, pure=False, key=f"report-{p}-{token}"): p
                       for p, job in jobs_of.items()}
            for plan_id, (answer, error) in cluster.gather(futures, progress=progress, desc=desc,
                                                           unit="份").items():
                results[plan_id] = (answer[1], answer[2]) if answer is not None else (None, error)
    summary = RunSummary()
    for plan_id in plan_ids:
        files, error = results[plan_id]
        if files is not None:
            summary.written[plan_id] = files
        else:
            summary.failed[plan_id] = error
    return summary
