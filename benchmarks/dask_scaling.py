"""Dask scaling from 1 to 2 workers: a province's county reports and a national batch projection.

Province case: :data:`COUNTIES` county reports (annual monitoring, 2025) of one province. The
catalog has five county plans, so the province is simulated by running their reports again into
separate output folders (county 6 is the first plan again, and so on): each task is a whole report
in its own process, as ``womenstats report --plan ...`` runs them. Every report computes in one
process (``WOMENSTATS_NO_FORK=1``: its helpers on a second core are off), so that a worker is one
core and the figure measures Dask's scaling (with the helpers on, a 1-worker run already uses the second
core, so 1 -> 2 workers gains less by construction).

National case: the 2,844 counties x 60 targets x 15 years of ``national_scale.py`` (complete
series), every series with the full model-choice rule (the damped-trend candidate fitted by the
vectorised estimator, :mod:`womenstats.trend.ets_batch`); the closed-form candidates alone
(``damped=False``) are timed too.

Efficiency = t1 / (2 t2): 1.0 is perfect scaling. Each cluster is started and its workers import
the package before the clock starts (start-up is printed separately). Each worker count is timed
:data:`REPEATS` times, alternated, and the best of each is compared. Memory: the peak of the
summed resident memory of this process and all its descendants (sampled every 0.2 s with psutil)
and ``ru_maxrss`` of this process plus its largest finished child; the goal takes the larger.
"""

from __future__ import annotations

import contextlib
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

import national_scale
from _goal import goal_line
from womenstats import catalog, cluster, paths
from womenstats.report.run.isolated import report_env, run_isolated
from womenstats.trend.distributed import project_regions

COUNTIES = 8
KIND, YEAR = "annual", 2025
OUT_YEARS = [2030]
GOAL_EFFICIENCY = 0.8
GOAL_GIB = 4.0
#: Timings of each worker count, alternated (1, 2, 1, 2); the best of each is compared, since
#: another process on the machine can only slow a run down.
REPEATS = int(os.environ.get("WOMENSTATS_BENCH_REPEATS", "2"))


class TreeMemory:
    """Peak of the summed RSS of this process and its descendants, sampled in a thread."""

    def __init__(self, interval: float = 0.2):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):  # a process that just ended
                    total += proc.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def _warm(client, module: str) -> None:
    """Import ``module`` in every worker (a lambda: cloudpickle sends it by value)."""
    import importlib

    client.run(lambda name: importlib.import_module(name) and None, module)


def _timed_cluster(workers: int, warm: str, work) -> tuple[float, float, object, float]:
    """Start a LocalCluster of ``workers``; return (start-up s, work s, work's result, task s summed).

    The tasks' own compute time, summed (Dask's task stream), tells Dask's overhead and idle workers
    (busy share = task time / (workers x wall time)) from tasks that simply ran slower side by side
    (task time with 2 workers / with 1: above 1 means the two workers did not get two free cores).
    """
    from distributed import get_task_stream

    start = time.perf_counter()
    with cluster.connect(None, workers) as client:
        _warm(client, warm)
        ready = time.perf_counter()
        with get_task_stream(client=client) as stream:
            result = work(client)
        done = time.perf_counter()
    busy = sum(part["stop"] - part["start"] for task in stream.data for part in task.get("startstops", ())
               if part.get("action") == "compute")
    return ready - start, done - ready, result, busy


def province(no_fork: bool) -> tuple[float, float, float]:
    """Time the province's reports on 1 and 2 workers; return (t1, t2, efficiency)."""
    plans = [p for p in catalog.plans() if catalog.plan(p).level == "county"]
    store = str(paths.default_store())
    env = report_env()
    if no_fork:
        env["WOMENSTATS_NO_FORK"] = "1"

    def work(client, scratch: Path):
        futures = [client.submit(run_isolated, (plans[i % len(plans)], KIND, YEAR, store,
                                                str(scratch / f"county{i + 1:02d}"), "ours", "womenstats"),
                                 env, pure=False) for i in range(COUNTIES)]
        answers = client.gather(futures)
        failed = [a[0] for a in answers if a[1] is None]
        if failed:
            raise RuntimeError(f"reports failed: {failed}: {answers}")
        return len(answers)

    times: dict[int, list[float]] = {1: [], 2: []}
    for workers in _order():
        with tempfile.TemporaryDirectory(prefix="womenstats-dask-bench-") as scratch:
            load = os.getloadavg()[0]
            up, seconds, n, busy = _timed_cluster(workers, "womenstats.report.run.runner",
                                                  lambda c, s=Path(scratch): work(c, s))
        times[workers].append(seconds)
        print(f"  {workers} worker(s): {n} reports in {seconds:.1f} s ({seconds / n:.1f} s a report; "
              f"tasks {busy:.1f} s summed, workers busy {busy / (workers * seconds):.0%}; "
              f"cluster start-up {up:.1f} s; load average at start {load:.1f})", flush=True)
    t1, t2 = min(times[1]), min(times[2])
    return t1, t2, t1 / (2 * t2)


def _order() -> list[int]:
    """Worker counts in the order they are timed: 1, 2, 1, 2, ... (:data:`REPEATS` of each)."""
    return [1, 2] * REPEATS


def national() -> tuple[float, float, float]:
    """Time the national batch on 1 and 2 workers; return (t1, t2, efficiency) of the full rule."""
    keys = ["county", "target"]
    obs = national_scale.generate(0.0)
    n_series = obs.groupby(keys).ngroups
    results = {}
    for label, frame, damped in ((f"full rule (vectorised damped-trend fit), all {n_series:,} series",
                                  obs, True),
                                 (f"closed-form candidates only (damped=False), all {n_series:,} series",
                                  obs, False)):
        times: dict[int, list[float]] = {1: [], 2: []}
        frames = {}
        busy: dict[int, list[float]] = {1: [], 2: []}
        for workers in _order():
            _, seconds, frames[workers], task_seconds = _timed_cluster(
                workers, "womenstats.trend.batch",
                lambda c, f=frame, d=damped: project_regions(f, OUT_YEARS, keys=keys, client=c, damped=d))
            times[workers].append(seconds)
            busy[workers].append(task_seconds)
        same = frames[1].equals(frames[2])
        t1, t2 = min(times[1]), min(times[2])
        eff = t1 / (2 * t2)
        runs = "; ".join(f"{w} worker(s) {', '.join(f'{t:.1f}' for t in times[w])} s (tasks "
                         f"{', '.join(f'{b:.1f}' for b in busy[w])} s summed)" for w in (1, 2))
        print(f"  {label}: best of {REPEATS}: 1 worker {t1:.1f} s, 2 workers {t2:.1f} s, "
              f"efficiency {eff:.2f} (runs: {runs}); results identical: {same}", flush=True)
        results[damped] = (t1, t2, eff)
        del frames
    return results[True]


def main() -> int:
    if not paths.default_store().is_file():
        print("dask_scaling: no store; run `make data` first")
        return 1
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Dask scaling, 1 -> 2 workers ({os.cpu_count()} CPUs visible, load average {load}; "
          "each worker one process with one thread)", flush=True)
    with TreeMemory() as memory:
        print(f"province: {COUNTIES} county {KIND} reports {YEAR} (the 5 catalog counties run again into "
              "separate folders), each report in one process (WOMENSTATS_NO_FORK=1):", flush=True)
        t1, t2, eff_province = province(no_fork=True)
        print(f"  best of {REPEATS}: 1 worker {t1:.1f} s, 2 workers {t2:.1f} s, "
              f"efficiency {eff_province:.2f}")
        print("national batch projection (national_scale.py's case, complete series, to 2030):", flush=True)
        _, _, eff_national = national()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    gib = 1024 ** 3
    peak = max(memory.peak, own + child) / gib
    print("load average at the end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    print(f"memory: peak of the process tree's summed RSS {memory.peak / gib:.2f} GiB; ru_maxrss self "
          f"{own / gib:.2f} GiB + largest child {child / gib:.2f} GiB = {(own + child) / gib:.2f} GiB")
    print(goal_line("dask_scaling_province", eff_province, GOAL_EFFICIENCY, eff_province >= GOAL_EFFICIENCY))
    print(goal_line("dask_scaling_national", eff_national, GOAL_EFFICIENCY, eff_national >= GOAL_EFFICIENCY))
    print(goal_line("dask_memory_gib", peak, GOAL_GIB, peak <= GOAL_GIB))
    return 0


if __name__ == "__main__":
    sys.exit(main())
