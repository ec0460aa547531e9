"""Results computed on a second core while the notebook goes on, and how the notebook takes them.

A report notebook runs its cells one after another in one kernel process, while the machine has
more cores. The independent heavy steps (the peers' assessments; rendering the charts of the areas)
can run in forked worker processes: the fork shares what the kernel already holds (imports, the
report's context, the assessment), so a worker starts in milliseconds and needs nothing pickled but
its answer. The results are the same objects, byte for byte, as when computed in the kernel; if a
worker cannot be started or fails, the kernel computes the result itself.

This module is the reading side and the fork helpers, which the report kinds use; what the runner's
worker computes before the kernel starts is :mod:`womenstats.report.run.parallel`, which the runner
starts (a report kind never imports the runner).
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
