"""Dask against the best single-process run of the same work: a province's county reports, the nation's batch.

Speed-up = t_single / t_2, where t_single is the fastest way to do the work without Dask and t_2 the
same work on a ``LocalCluster`` of 2 workers (``womenstats.cluster.connect``). Each is the median of
:data:`REPEATS` runs, alternated so both see the same machine load. The cluster is started, and its
workers have imported the package, before the clock starts; its start-up is printed beside, with
the speed-up it leaves when counted.

Province: :data:`COUNTIES` county reports (annual monitoring, 2025). The catalog has five county
plans, so the province is simulated by running their reports again into separate output folders
(county 6 is the first plan again, and so on). t_single: one Python process runs them one after
another, each with its helpers on the second core (``womenstats report --jobs 1``, here through
:func:`womenstats.report.run.runner._run_one` in a fresh process). t_2: each report is a Dask task,
handed by its worker to the worker's report process (:mod:`womenstats.report.run.isolated`), every
core running a report and no helpers (``run_many``'s settings).

Nation: the 2,844 counties x 60 targets x 15 years of ``national_scale.py`` (complete series), the
full model-choice rule. t_single: one ``project_batch`` call in this process. t_2:
``project_regions`` on 2 workers. Beside it, one group of regions (an eighth of the counties) in a
plain process and as a task inside a one-worker cluster: the worker's own speed.

Memory: the peak of the summed resident memory of this process and all its descendants (sampled
every 0.2 s with psutil) and ``ru_maxrss`` of this process plus its largest finished child.
"""

from __future__ import annotations

import contextlib
import os
import resource
import statistics
import subprocess
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
from womenstats.trend.batch import project_batch
from womenstats.trend.distributed import project_regions

COUNTIES = 8
KIND, YEAR = "annual", 2025
OUT_YEARS = [2030]
KEYS = ["county", "target"]
GOAL_SPEEDUP = 1.6
GOAL_WORKER_RATIO = 1.25
GOAL_GIB = 4.0
#: Runs of each way (the median of each is compared); at least 3.
REPEATS = max(3, int(os.environ.get("WOMENSTATS_BENCH_REPEATS", "3")))


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


@contextlib.contextmanager
def _cluster(workers: int, warm: str):
    """Yield (client, start-up seconds) of a LocalCluster whose workers imported ``warm``."""
    start = time.perf_counter()
    with cluster.connect(None, workers) as client:
        _warm(client, warm)
        yield client, time.perf_counter() - start


def _jobs(scratch: Path) -> list[tuple]:
    plans = [p for p in catalog.plans() if catalog.plan(p).level == "county"]
    store = str(paths.default_store())
    return [(plans[i % len(plans)], KIND, YEAR, store, str(scratch / f"county{i + 1:02d}"), "ours",
             "womenstats") for i in range(COUNTIES)]


def serial_province(scratch: str) -> int:
    """Run the province's reports one after another in this process (the ``--jobs 1`` path)."""
    from womenstats.report.run.runner import _run_one

    failed = [job[0] for job in _jobs(Path(scratch)) if _run_one(job)[1] is None]
    if failed:
        print(f"reports failed: {failed}", file=sys.stderr)
    return 1 if failed else 0


def _time_serial_province() -> float:
    with tempfile.TemporaryDirectory(prefix="womenstats-dask-bench-") as scratch:
        start = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--serial-province", scratch], check=True,
                       cwd=paths.project_root(), env={**os.environ, **report_env()})
        return time.perf_counter() - start


def _time_dask_province(client) -> float:
    env = {**report_env(), "WOMENSTATS_NO_FORK": "1"}  # as run_many sets it when every core works
    with tempfile.TemporaryDirectory(prefix="womenstats-dask-bench-") as scratch:
        start = time.perf_counter()
        answers = client.gather([client.submit(run_isolated, job, env, pure=False)
                                 for job in _jobs(Path(scratch))])
        seconds = time.perf_counter() - start
    failed = [a[0] for a in answers if a[1] is None]
    if failed:
        raise RuntimeError(f"reports failed: {failed}: {answers}")
    return seconds


def province() -> tuple[float, float, float]:
    """Time the province serially and on 2 workers; return (t_single, t_2, start-up)."""
    single, double = [], []
    with _cluster(2, "womenstats.report.run.isolated") as (client, up):
        first = _time_dask_province(client)  # each worker starts its report process
        for _ in range(REPEATS):
            single.append(_time_serial_province())
            double.append(_time_dask_province(client))
    t1, t2 = statistics.median(single), statistics.median(double)
    start = up + max(0.0, first - t2)  # the cluster, and the report processes the first run started
    print(f"  one process, one report after another: {_runs(single)} s, median {t1:.1f} s "
          f"({t1 / COUNTIES:.1f} s a report)")
    print(f"  2 workers: {_runs(double)} s, median {t2:.1f} s; start-up {start:.1f} s (cluster {up:.1f} s, "
          f"first run {first:.1f} s with the report processes starting; speed-up counting it "
          f"{t1 / (t2 + start):.2f})", flush=True)
    return t1, t2, start


def _runs(times: list[float]) -> str:
    return ", ".join(f"{t:.1f}" for t in times)


def _group_task(frame):
    """Project one group inside a worker; return the seconds the call took there."""
    start = time.perf_counter()
    project_batch(frame, OUT_YEARS, keys=KEYS, workers=1)
    return time.perf_counter() - start


def worker_speed(obs) -> float:
    """Time one group of regions in this process and as a task in a one-worker cluster; return the ratio."""
    counties = sorted(obs["county"].unique())
    group = obs.loc[obs["county"].isin(counties[: len(counties) // 8])].reset_index(drop=True)
    n_series = group.groupby(KEYS).ngroups
    _group_task(group)
    plain = [_group_task(group) for _ in range(REPEATS)]
    with _cluster(1, "womenstats.trend.batch") as (client, _):
        [data] = client.scatter([group], hash=False)
        client.submit(_group_task, data, pure=False).result()
        inside = [client.submit(_group_task, data, pure=False).result() for _ in range(REPEATS)]
    p, w = statistics.median(plain), statistics.median(inside)
    print(f"  one group ({n_series:,} series): plain process {_runs(plain)} s, median {p:.2f} s; "
          f"task in a worker (timed inside) {_runs(inside)} s, median {w:.2f} s; ratio {w / p:.2f}",
          flush=True)
    return w / p


def national(obs) -> tuple[float, float, float]:
    """Time the national batch in one process and on 2 workers; return (t_single, t_2, start-up)."""
    n_series = obs.groupby(KEYS).ngroups
    single, double = [], []
    frames = {}
    with _cluster(2, "womenstats.trend.batch") as (client, up):
        for _ in range(REPEATS):
            start = time.perf_counter()
            frames[1] = project_batch(obs, OUT_YEARS, keys=KEYS, workers=1)
            single.append(time.perf_counter() - start)
            start = time.perf_counter()
            frames[2] = project_regions(obs, OUT_YEARS, keys=KEYS, client=client)
            double.append(time.perf_counter() - start)
    same = frames[1].equals(frames[2])
    t1, t2 = statistics.median(single), statistics.median(double)
    print(f"  all {n_series:,} series, full rule: one process {_runs(single)} s, median {t1:.1f} s; "
          f"2 workers {_runs(double)} s, median {t2:.1f} s; cluster start-up {up:.1f} s (speed-up counting "
          f"it {t1 / (t2 + up):.2f}); results identical: {same}", flush=True)
    return t1, t2, up


def main() -> int:
    import cloudpickle

    # the group task is this module's: sent to the workers by value (benchmarks/ is not importable there)
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    if not paths.default_store().is_file():
        print("dask_scaling: no store; run `make data` first")
        return 1
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Dask against one process ({os.cpu_count()} CPUs visible, load average {load}; "
          f"medians of {REPEATS})", flush=True)
    with TreeMemory() as memory:
        print(f"province: {COUNTIES} county {KIND} reports {YEAR} (the 5 catalog counties run again into "
              "separate folders):", flush=True)
        p1, p2, _ = province()
        print("nation: national_scale.py's case, complete series, to 2030:", flush=True)
        obs = national_scale.generate(0.0)
        ratio = worker_speed(obs)
        n1, n2, _ = national(obs)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    gib = 1024 ** 3
    peak = max(memory.peak, own + child) / gib
    print("load average at the end: " + ", ".join(f"{x:.1f}" for x in os.getloadavg()))
    print(f"memory: peak of the process tree's summed RSS {memory.peak / gib:.2f} GiB; ru_maxrss self "
          f"{own / gib:.2f} GiB + largest child {child / gib:.2f} GiB = {(own + child) / gib:.2f} GiB")
    print(goal_line("dask_worker_vs_process", ratio, GOAL_WORKER_RATIO, ratio <= GOAL_WORKER_RATIO))
    print(goal_line("dask_speedup_national", n1 / n2, GOAL_SPEEDUP, n1 / n2 >= GOAL_SPEEDUP))
    print(goal_line("dask_speedup_province", p1 / p2, GOAL_SPEEDUP, p1 / p2 >= GOAL_SPEEDUP))
    print(goal_line("dask_memory_gib", peak, GOAL_GIB, peak <= GOAL_GIB))
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--serial-province"]:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        sys.exit(serial_province(sys.argv[2]))
    sys.exit(main())
