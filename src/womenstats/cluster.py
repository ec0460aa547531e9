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
from pathlib import Path

from womenstats.errors import WomenstatsError

#: Environment of every local worker process: one BLAS thread (tiny fits pay heavily for threads,
#: and one thread fixes the order of sums, so results are byte-identical to a serial run).
WORKER_ENV: dict[str, str] = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
#: The folder of ``womenstats.yaml``: the Dask settings under which a worker computes as fast as a
#: plain process (no ``MALLOC_TRIM_THRESHOLD_``, no statistical profiler; docs/scale.md).
CONFIG_DIR = Path(__file__).resolve().parent / "dask_config"
#: Environment for ``dask worker`` started by hand (``--scheduler`` users): dask reads the settings
#: from :data:`CONFIG_DIR`, and BLAS runs one thread.
WORKER_SHELL_ENV: dict[str, str] = {"DASK_CONFIG": str(CONFIG_DIR), **WORKER_ENV}
#: Seconds to wait for a scheduler to answer, and for an existing cluster to have a worker.
CONNECT_TIMEOUT = 10


def worker_config() -> dict:
    """Return the Dask settings of :data:`CONFIG_DIR` (``womenstats.yaml``) as a nested dict."""
    import yaml

    return yaml.safe_load((CONFIG_DIR / "womenstats.yaml").read_text(encoding="utf-8"))


def _dotted(tree: Mapping, prefix: str = "") -> dict[str, object]:
    """Flatten nested settings to dotted keys (``dask.config.set`` replaces a nested dict whole)."""
    out: dict[str, object] = {}
    for key, value in tree.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        out.update(_dotted(value, name) if isinstance(value, Mapping) else {name: value})
    return out


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

    with dask.config.set(_dotted(worker_config())):  # read by each nanny when it starts its worker
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
