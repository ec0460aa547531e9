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
    if os.environ.get("WOMENSTATS_NO_FORK") or cores() < 2:
        return None
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return ProcessPoolExecutor(max_workers=max(1, workers), mp_context=multiprocessing.get_context("fork"))


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
