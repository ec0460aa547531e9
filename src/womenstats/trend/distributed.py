"""Batch projections of many regions on Dask: :func:`project_batch` per group of regions, one answer.

The series of a long table are split by region (the first key column) into groups of whole
regions; each group is one Dask task that calls :func:`womenstats.trend.batch.project_batch` in a
worker (one process, no pool of its own), and the answers are joined in region order. The result is
the same frame, byte for byte, as one ``project_batch`` call on every row:

- ``project_batch`` sorts the series by their keys, so groups of consecutive regions, joined in
  order, list the series in the same order;
- the closed-form candidates sum each series over a NaN-padded row as wide as the longest series of
  the call, and numpy's pairwise sums group the terms by that width, so the last bit of a sum can
  depend on it. Every task therefore projects one series of the greatest length beside its own
  (the first longest series of the whole table, when it is not already in the group) and drops its
  rows from the answer: every row is summed at the same width as in the single call.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from womenstats.errors import InputError
from womenstats.trend.batch import project_batch

#: Tasks per worker (more, smaller tasks even out the work; every task projects one extra series).
TASKS_PER_WORKER = 4
#: Series below which one process is faster than starting a local cluster (2 cores, full rule:
#: 10 200 series 1.4 s in one process, 2.6 s on 2 workers with the start; 30 000: 4.2 s and 3.8 s;
#: docs/scale.md).
DASK_MIN_SERIES = 25_000


def _task(part: pd.DataFrame, years: np.ndarray, keys: list[str], damped: bool,
          extra: tuple | None) -> pd.DataFrame:
    """Project one group of regions in a worker; drop the rows of the added longest series."""
    out = project_batch(part, years, keys=keys, workers=1, damped=damped)
    if extra is not None:
        mask = np.ones(len(out), dtype=bool)
        for key, value in zip(keys, extra, strict=True):
            mask &= (out[key] == value).to_numpy()
        out = out.loc[~mask]
    return out


def _default_workers(values: pd.DataFrame, keys: list[str]) -> int:
    """One per core when the series are many enough for a local cluster to pay, else 1 (this process)."""
    from womenstats import cluster

    n_series = values.groupby(keys, sort=False).ngroups if len(values) else 0
    return cluster.cores() if n_series >= DASK_MIN_SERIES else 1


def region_groups(regions: np.ndarray, n_groups: int) -> list[np.ndarray]:
    """Split sorted distinct regions into ``n_groups`` runs of consecutive regions, as even as possible."""
    n_groups = max(1, min(int(n_groups), len(regions)))
    return [part for part in np.array_split(regions, n_groups) if len(part)]


def project_regions(obs: pd.DataFrame, years, *, keys, client=None, scheduler: str | None = None,
                    workers: int | None = None, damped: bool = True, tasks: int | None = None,
                    progress: bool = False) -> pd.DataFrame:
    """Project every series of a long table on Dask, as one :func:`project_batch` call would.

    Parameters
    ----------
    obs : pandas.DataFrame
        As for :func:`project_batch`: the ``keys`` columns, ``year``, ``value``, ``lower``,
        ``upper`` and optionally ``per``, ``numerator``, ``denominator``.
    years : int or array-like of int
        Years to project every series to.
    keys : list of str
        Columns identifying a series; the first names the region (the series are split by it).
    client : distributed.Client, optional
        The cluster to use. Without it, one is reached at ``scheduler`` or a ``LocalCluster`` of
        ``workers`` processes is started for this call (see :func:`womenstats.cluster.connect`).
    scheduler : str, optional
        Address of a running Dask scheduler.
    workers : int, optional
        Local worker processes. 1 without ``client`` and ``scheduler`` makes the single
        ``project_batch`` call in this process, without Dask; the default is one per core from
        :data:`DASK_MIN_SERIES` series on, and 1 below (where one process is faster).
    damped : bool, default True
        As for :func:`project_batch` (False restricts the choice to the closed-form candidates).
    tasks : int, optional
        Groups of regions; default :data:`TASKS_PER_WORKER` per worker. The result does not
        depend on it.
    progress : bool
        Show a progress bar of the tasks on stderr.

    Returns
    -------
    pandas.DataFrame
        Equal (``pandas.testing.assert_frame_equal``, exact) to ``project_batch(obs, years,
        keys=keys, damped=damped)``.

    Raises
    ------
    InputError
        If a series repeats a year or has a value outside its bounds (listing every group of
        regions that failed, after the others have finished).
    womenstats.cluster.ClusterError
        When ``scheduler`` cannot be reached or has no worker.
    """
    from womenstats import cluster

    keys = list(keys)
    years = np.atleast_1d(np.asarray(years, dtype=int))
    values = obs.dropna(subset=["value"])
    if client is None and scheduler is None and workers is None:
        workers = _default_workers(values, keys)
    if client is None and scheduler is None and (workers == 1 or values.empty):
        return project_batch(obs, years, keys=keys, workers=1, damped=damped)
    if client is None:
        with cluster.connect(scheduler, workers) as own:
            return project_regions(obs, years, keys=keys, client=own, damped=damped, tasks=tasks,
                                   progress=progress)
    region = keys[0]
    sizes = values.groupby(keys, sort=True).size()
    longest = sizes.index[int(np.argmax(sizes.to_numpy()))]  # the first of the longest, in key order
    longest = longest if isinstance(longest, tuple) else (longest,)
    selector = np.ones(len(values), dtype=bool)
    for key, value in zip(keys, longest, strict=True):
        selector &= (values[key] == value).to_numpy()
    extra_rows = values.loc[selector]
    regions = np.sort(values[region].unique())
    n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    groups = region_groups(regions, tasks or TASKS_PER_WORKER * n_workers)
    parts, extras = [], []
    for group in groups:
        part = values.loc[values[region].isin(group)]
        extras.append(None if longest[0] in set(group) else longest)
        parts.append(part if extras[-1] is None else pd.concat([part, extra_rows]))
    # The data goes straight to the workers (not through the scheduler inside the task graph).
    scattered = client.scatter(parts, hash=False)
    futures = {client.submit(_task, data, years, keys, bool(damped), extra, pure=False): number
               for number, (data, extra) in enumerate(zip(scattered, extras, strict=True))}
    del parts, scattered
    done = cluster.gather(futures, progress=progress, desc="批量预测", unit="组")
    failed = [(n, error) for n, (_, error) in sorted(done.items()) if error]
    if failed:
        detail = "；".join(f"{region} {groups[n][0]}–{groups[n][-1]}：{error}" for n, error in failed)
        raise InputError(f"{len(failed)} 组地区的批量预测失败：{detail}", code="E_BATCH_SERIES")
    return pd.concat([done[n][0] for n in range(len(groups))], ignore_index=True)
