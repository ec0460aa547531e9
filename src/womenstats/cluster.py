"""Dask distributed for the work that spans many regions: a client, and tasks that fail one by one.

Two kinds of work scale out over regions: the reports of many plans (``womenstats report --plan all``,
:func:`womenstats.report.run.runner.run_many`) and batch projections of every county's series
(:func:`womenstats.trend.distributed.project_regions`). Both use :func:`connect`, which gives a
``distributed.Client`` either to a ``LocalCluster`` sized to this machine (worker processes with one
thread each and single-threaded BLAS) or to an existing cluster named by its scheduler's address
(``--scheduler tcp://HOST:8786``, started with ``dask scheduler`` and ``dask worker``), and
:func:`gather`, which waits for the tasks with a progress bar and returns each task's result or its
error, so one failing region never stops the others.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Hashable, Iterator, Mapping

from womenstats.errors import WomenstatsError

#: Environment of every local worker process: one BLAS thread (tiny fits pay heavily for threads,
#: and one thread fixes the order of sums, so results are byte-identical to a serial run).
WORKER_ENV: dict[str, str] = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
#: Dask settings under which a worker computes as fast as a plain process (docs/scale.md):
#:
#: - the nanny sets ``MALLOC_TRIM_THRESHOLD_=65536`` in a worker's environment; setting it at all
#:   turns off glibc's dynamic mmap threshold, so every large temporary array is mapped and
#:   unmapped again (page faults on every call): 1.86x a plain process on the batch projection.
#:   None unsets it (``distributed.nanny._get_env_variables``);
#: - the worker's statistical profiler samples every thread every 10 ms: another 5%.
WORKER_CONFIG: dict[str, object] = {
    "distributed.nanny.pre-spawn-environ": {"MALLOC_TRIM_THRESHOLD_": None, **WORKER_ENV},
    "distributed.worker.profile.enabled": False,
}
#: The same settings for ``dask worker`` started by hand (``--scheduler`` users), as environment
#: variables (dask reads ``DASK_…`` variables with ``ast.literal_eval``).
WORKER_SHELL_ENV: dict[str, str] = {
    "DASK_DISTRIBUTED__NANNY__PRE_SPAWN_ENVIRON__MALLOC_TRIM_THRESHOLD_": "None",
    "DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED": "False",
    **WORKER_ENV,
}
#: Seconds to wait for a scheduler to answer, and for an existing cluster to have a worker.
CONNECT_TIMEOUT = 10


class ClusterError(WomenstatsError):
    """The Dask cluster cannot be reached or has no workers (the command exits with code 2)."""


def cores() -> int:
    """Return the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@contextlib.contextmanager
def connect(scheduler: str | None = None, workers: int | None = None) -> Iterator:
    """Yield a ``distributed.Client``: to the cluster at ``scheduler``, or to a new ``LocalCluster``.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler, e.g. ``tcp://127.0.0.1:8786``. None starts a
        ``LocalCluster`` (closed on exit) of ``workers`` processes with one thread each.
    workers : int, optional
        Local worker processes; default one per core. Ignored with ``scheduler``.

    Yields
    ------
    distributed.Client

    Raises
    ------
    ClusterError
        When the scheduler does not answer within :data:`CONNECT_TIMEOUT` seconds or has no worker.
    """
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(
                f"无法连接 --scheduler {scheduler}（{type(exc).__name__}: {exc}）：请确认已用 "
                "`dask scheduler` 启动调度器，地址和端口正确（如 tcp://127.0.0.1:8786），"
                "或去掉 --scheduler 在本机运行。") from exc
        with client:
            try:
                client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as exc:
                raise ClusterError(
                    f"--scheduler {scheduler} 没有可用的 worker：请先用 `dask worker {scheduler} "
                    "--nthreads 1` 启动至少一个 worker，或去掉 --scheduler 在本机运行。") from exc
            yield client
        return
    import dask

    with dask.config.set(WORKER_CONFIG):  # read by each nanny when it starts its worker
        cluster = LocalCluster(n_workers=workers or cores(), threads_per_worker=1, processes=True,
                               env=dict(WORKER_ENV), dashboard_address=":0", silence_logs=logging.ERROR)
    with cluster, Client(cluster, set_as_default=False) as client:
        yield client


def gather(futures: Mapping, *, progress: bool = False, desc: str = "", unit: str = "个"
           ) -> dict[Hashable, tuple[object, str]]:
    """Wait for Dask futures as they finish; return ``{name: (result, "")}`` or ``{name: (None, error)}``.

    Parameters
    ----------
    futures : mapping
        ``distributed.Future`` -> the name of its task (a plan id, a chunk number).
    progress : bool
        Show a tqdm progress bar on stderr while the tasks run.
    desc, unit : str
        The progress bar's label and unit.

    Returns
    -------
    dict
        Task name -> (result, "") for a task that finished, (None, Chinese error message) for one
        that raised or whose worker died; in the order the tasks finished.
    """
    from distributed import as_completed
    from tqdm import tqdm

    results: dict[Hashable, tuple[object, str]] = {}
    if not futures:
        return results
    loop = next(iter(futures)).client.loop  # the futures' own client (none is set as the default)
    with tqdm(total=len(futures), desc=desc, unit=unit, disable=not progress, file=sys.stderr) as bar:
        for future in as_completed(list(futures), loop=loop):
            name = futures[future]
            try:
                results[name] = (future.result(), "")
            except WomenstatsError as exc:
                results[name] = (None, str(exc))
            except Exception as exc:  # the task raised, or its worker died (KilledWorker)
                results[name] = (None, f"集群任务失败（{type(exc).__name__}: {exc}）；请单独重新运行该项。")
            bar.update()
    return results
