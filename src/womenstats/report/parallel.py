"""Work a report can do on a second core while the notebook goes on: other assessments and charts.

A report notebook runs its cells one after another in one kernel process, while the machine has
more cores. The independent heavy steps (the peers' assessments; rendering the charts of the areas)
can run in forked worker processes: the fork shares what the kernel already holds (imports, the
report's context, the assessment), so a worker starts in milliseconds and needs nothing pickled but
its answer. The results are the same objects, byte for byte, as when computed in the kernel; if a
worker cannot be started or fails, the kernel computes the result itself.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path

#: What forked workers read (set just before the pool forks them; inherited, never pickled).
_STATE: dict[str, object] = {}


def cores() -> int:
    """Return the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def fork_pool(workers: int) -> Executor | None:
    """Return a pool of ``workers`` forked processes, or None where forking is not available.

    None also when the process may use a single core (a worker would only compete with the
    kernel) or when ``WOMENSTATS_NO_FORK`` is set (run everything in the kernel).
    """
    if not fork_pool_possible():
        return None
    return ProcessPoolExecutor(max_workers=max(1, workers), mp_context=multiprocessing.get_context("fork"))


def fork_pool_possible() -> bool:
    """Whether forked workers may be used: two cores or more, fork available, not disabled."""
    return not os.environ.get("WOMENSTATS_NO_FORK") and cores() >= 2 \
        and "fork" in multiprocessing.get_all_start_methods()


def share(**state: object) -> None:
    """Make objects visible to workers forked from now on (:data:`_STATE`)."""
    _STATE.update(state)


def shared(name: str) -> object:
    """Return an object shared with :func:`share` (in a worker: as it was when the worker forked)."""
    return _STATE[name]


def result_or(future: Future | None, compute):
    """Return a worker's result, or ``compute()`` when there is no worker or it failed."""
    if future is not None:
        try:
            return future.result()
        except Exception:  # a worker that died or raised: the kernel computes it, the same way
            pass
    return compute()


# --------------------------------------------------------------------------- early assessments

#: Environment variable naming the folder where the runner's worker leaves assessments for the kernel.
EARLY_ENV = "WOMENSTATS_EARLY_ASSESSMENTS"
#: Marker file present in that folder while the worker is still computing.
RUNNING = "running"
#: File listing the assessments the worker computes (their :func:`early_name`).
PLANNED = "planned"
#: Longest the kernel waits for the worker before computing an assessment itself (seconds).
EARLY_WAIT = 60.0


#: The part name that marks a run whose worker renders the charts (:func:`early_charts_planned`).
CHARTS = "charts"


def early_name(plan_id: str, year: int, store: str, method: str, part: str = "") -> str:
    """Return the file name of one early result (the key: plan, year, store file, method, part).

    ``part`` is empty for the assessment, an area code for that area's charts, :data:`CHARTS`
    for the mark that charts are planned.
    """
    import hashlib

    key = "\n".join([plan_id, str(int(year)), str(Path(store).resolve()), method, part])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24] + ".pkl"


def _early_work(folder: str, plan_id: str, year: int, store: str, methods: list[str],
                charts: tuple[str, str] | None, stage: str | None = None) -> None:
    import pickle

    from womenstats import assess
    from womenstats.intake import Store

    def put(name: str, value: object) -> None:
        target = Path(folder) / name
        partial = target.with_suffix(".part")
        partial.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, target)

    try:
        for i, method in enumerate(methods):
            table = assess.assess_plan(plan_id, year, store=Store(store), method=method, stage=stage)
            put(early_name(plan_id, year, store, method), table)
            if i == 0 and charts is not None:  # the report's own charts before any other assessment
                _early_charts(put, table, plan_id, year, store, method, *charts)
    finally:
        (Path(folder) / RUNNING).unlink(missing_ok=True)


def _early_charts(put, table, plan_id: str, year: int, store: str, method: str, kind: str,
                  store_parameter: str) -> None:
    """Render every area's small multiples as the kernel would (same context, same assessment)."""
    from womenstats.report.charts import charted_rows, render_area
    from womenstats.report.context import open_report

    ctx = open_report(kind, plan=plan_id, year=year, store=store_parameter, method=method)
    ctx._assessments[method] = table
    for area in dict.fromkeys(table["area"]):
        if charted_rows(table, area):
            put(early_name(plan_id, year, store, method, area), render_area(ctx, table, area))


def start_early_assessments(folder: Path, plan_id: str, year: int, store: str, methods: list[str],
                            charts: tuple[str, str] | None = None, stage: str | None = None):
    """Compute a report's assessments (and charts) in a forked process while papermill starts the kernel.

    The kernel spends its first seconds starting and importing; meanwhile the other core computes
    ``assess.assess_plan`` for each method and leaves the tables in ``folder`` (the run's own
    scratch folder, named to the kernel by :data:`EARLY_ENV`). :func:`early_assessment` in the
    kernel takes them: the same tables, computed by the same function on the same store. With
    ``charts`` (the report kind and the notebook's ``store`` parameter), the worker then renders
    the small multiples of every area, as :func:`~womenstats.report.charts.render_area` renders
    them in the kernel (:func:`early_charts`). ``stage`` is the evaluation's kind, as
    ``assess.assess_plan`` takes it. Returns the process, or None (one core, no fork,
    ``WOMENSTATS_NO_FORK``).
    """
    if not fork_pool_possible():
        return None
    planned = [early_name(plan_id, year, store, m) for m in methods]
    if charts is not None:
        planned.append(early_name(plan_id, year, store, methods[0], CHARTS))
    (folder / PLANNED).write_text("\n".join(planned))
    (folder / RUNNING).touch()
    work = (str(folder), plan_id, int(year), str(store), list(methods), charts, stage)
    process = multiprocessing.get_context("fork").Process(target=_early_work, args=work, daemon=True)
    process.start()
    return process


def early_assessment(plan_id: str, year: int, store: str, method: str):
    """Return the assessment the runner's worker computed for this report, or None.

    Only inside a run of the runner (:data:`EARLY_ENV` set); waits while the worker is still
    computing (at most :data:`EARLY_WAIT` seconds).
    """
    if not early_planned(plan_id, year, store, method):
        return None
    return _take(early_name(plan_id, year, store, method))


def early_charts_planned(plan_id: str, year: int, store: str, method: str) -> bool:
    """Whether the runner's worker renders this report's area charts (:func:`early_charts`)."""
    return early_planned(plan_id, year, store, method, CHARTS)


def early_charts(plan_id: str, year: int, store: str, method: str, area: str):
    """Return an area's PNGs and captions rendered by the runner's worker, or None."""
    if not early_charts_planned(plan_id, year, store, method):
        return None
    return _take(early_name(plan_id, year, store, method, area))


def _take(name: str):
    """Return the worker's result ``name`` once written (waiting while it runs), or None."""
    import pickle
    import time

    folder = Path(os.environ[EARLY_ENV])
    target = folder / name
    deadline = time.monotonic() + EARLY_WAIT
    while not target.exists() and (folder / RUNNING).exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    if not target.exists():
        return None
    return pickle.loads(target.read_bytes())


def early_planned(plan_id: str, year: int, store: str, method: str, part: str = "") -> bool:
    """Whether the runner's worker computes (or computed) this result for this run."""
    folder = os.environ.get(EARLY_ENV)
    if not folder or not (Path(folder) / PLANNED).exists():
        return False
    return early_name(plan_id, year, store, method, part) in (Path(folder) / PLANNED).read_text().split()
