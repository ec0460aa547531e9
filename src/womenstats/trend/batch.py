"""Project many series at once with the numbers of :func:`womenstats.trend.project`.

The OLS-based candidates (``linear``, ``loglinear``, ``logit``) have a closed form, so they are
fitted to every series together: each series is a row of a padded array and the normal equations
of all rows are solved with numpy at once. For ``g(y) = b0 + b1 t`` with ``n`` points::

    b1 = S_tz / S_tt,  b0 = mean(z) - b1 mean(t),  s^2 = SSR / (n - 2)
    loglik = -n/2 (log(2 pi) + log(SSR / n) + 1) + sum log |g'(y)|

and the prediction interval at year ``t`` is ``g^{-1}(loc + scale * t_{n-2, q})`` with
``loc = mean(z) + b1 (t - mean(t))`` and ``scale^2 = s^2 (1 + 1/n + (t - mean(t))^2 / S_tt)``
(the OLS prediction interval; Hyndman and Athanasopoulos, FPP3 section 7.9). The choice among
candidates is the same rule (:func:`womenstats.trend.select.choose`): AICc, or the indicator's
scale with three or four values.

The damped-trend exponential smoothing candidate is fitted to all its series together by
:func:`womenstats.trend.ets_batch.fit_damped` (``ets="vectorised"``, the default), or one by one
with statsmodels in worker processes (``ets="statsmodels"``, the one-series path's fit); either way
the choice is made here with the closed-form candidates' criteria. Whole projections of count
series run in worker processes (``concurrent.futures``). Series with fewer than three values
(growth extrapolation or no projection) are projected one by one here. The numbers equal the
one-series path to rounding (tests check 1e-8).
"""

from __future__ import annotations

import contextlib
import math
import os
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np
import pandas as pd
from scipy import stats

from womenstats.errors import InputError
from womenstats.trend.ets_batch import K as DAMPED_K
from womenstats.trend.ets_batch import fit_damped
from womenstats.trend.intervals import NORMAL_Z, near_bound
from womenstats.trend.models import DAMPED_MIN_OBS, DampedFit
from womenstats.trend.projection import FORECAST_COLUMNS, project
from womenstats.trend.select import RARE_SHARE, SMALL_DENOMINATOR, aicc, scale_rank

#: Columns of :func:`project_batch` after the series keys.
BATCH_COLUMNS: tuple[str, ...] = ("model", "n_obs", "last_year", "route", *FORECAST_COLUMNS)
#: Quantiles of the forecast columns.
QUANTILES: dict[str, float] = {"lo80": 0.10, "hi80": 0.90, "lo95": 0.025, "hi95": 0.975}
#: Parameters of every OLS candidate (intercept, slope, error variance).
OLS_K = 3
#: Series per task sent to a worker process.
CHUNK = 64
#: Last values whose year-to-year changes give the noise floor (as ``projection.noise_floor``).
NOISE_VALUES = 7
#: Estimators of the damped-trend candidate (``project_batch(ets=...)``).
ETS_ESTIMATORS: tuple[str, ...] = ("vectorised", "statsmodels")
#: Environment that keeps each worker's BLAS single-threaded (tiny fits pay heavily for threads).
WORKER_ENV: dict[str, str] = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


# ------------------------------------------------------------------------------ padded arrays


def _padded(obs: pd.DataFrame, keys: list[str]) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """One row per series (keys, bounds, n) and its columns as (series x max n) NaN-padded arrays."""
    obs = obs.sort_values([*keys, "year"], kind="stable").reset_index(drop=True)
    series_id = obs.groupby(keys, sort=False).ngroup().to_numpy()
    position = obs.groupby(keys, sort=False).cumcount().to_numpy()
    first = obs.drop_duplicates(keys, keep="first").reset_index(drop=True)
    n = np.bincount(series_id)
    width = int(n.max()) if len(n) else 0
    arrays = {}
    for col in ("year", "value", "numerator", "denominator"):
        if col in obs:
            a = np.full((len(first), width), np.nan)
            a[series_id, position] = obs[col].to_numpy(dtype=float)
            arrays[col] = a
    info = first[[*keys, "lower", "upper"]].copy()
    info["per"] = first.get("per", np.nan)
    info["n"] = n
    return info, arrays


def _check(info: pd.DataFrame, t: np.ndarray, y: np.ndarray, keys: list[str]) -> None:
    """Refuse repeated years and values outside the bounds, as :func:`project` does."""
    repeated = (np.diff(t, axis=1) == 0).any(axis=1)
    lower = info["lower"].to_numpy(dtype=float)[:, None]
    upper = info["upper"].to_numpy(dtype=float)[:, None]
    with np.errstate(invalid="ignore"):
        outside = ((y < lower) | (y > upper)).any(axis=1)
    for bad, what in ((repeated, "年份重复，每年只能有一个数值，请删去重复的行"),
                      (outside, "数值超出指标的取值范围，请核对单位和数值")):
        if bad.any():
            row = info.loc[int(np.argmax(bad)), keys]
            name = "、".join(f"{k}={v}" for k, v in row.items())
            raise InputError(f"序列（{name}）{what}。", code="E_BATCH_SERIES")


# ------------------------------------------------------------------------------ closed-form OLS


def _transformed(name: str, y: np.ndarray, lower: np.ndarray, upper: np.ndarray):
    """``g(y)``, the log-Jacobian per series and which series admit the transform."""
    valid = ~np.isnan(y)
    with np.errstate(divide="ignore", invalid="ignore"):
        if name == "identity":
            return y, np.zeros(len(y)), np.ones(len(y), dtype=bool)
        if name == "log":
            admits = (lower[:, 0] == 0.0) & np.where(valid, y > 0, True).all(axis=1)
            z = np.log(y)
            return z, -np.where(valid, z, 0.0).sum(axis=1), admits
        width = upper - lower
        inside = np.where(valid, (y > lower) & (y < upper), True).all(axis=1)
        admits = np.isfinite(lower[:, 0]) & np.isfinite(upper[:, 0]) & inside
        z = np.log((y - lower) / (upper - y))
        jac = np.where(valid, np.log(width) - np.log(y - lower) - np.log(upper - y), 0.0).sum(axis=1)
        return z, jac, admits


def _inverse(name: str, z: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    if name == "identity":
        return z
    if name == "log":
        return np.exp(z)
    return lower + (upper - lower) / (1.0 + np.exp(-z))


def _ols(t: np.ndarray, z: np.ndarray, n: np.ndarray) -> dict[str, np.ndarray]:
    """Least squares of every row of ``z`` on its years (NaN-padded), in centred form."""
    valid = ~np.isnan(t)
    tbar = np.nansum(t, axis=1) / n
    zbar = np.where(valid, z, 0.0).sum(axis=1) / n
    tc = np.where(valid, t - tbar[:, None], 0.0)
    zc = np.where(valid, z - zbar[:, None], 0.0)
    stt = (tc * tc).sum(axis=1)
    slope = (tc * zc).sum(axis=1) / stt
    resid = np.where(valid, zc - slope[:, None] * tc, 0.0)
    ssr = (resid * resid).sum(axis=1)
    return {"tbar": tbar, "zbar": zbar, "stt": stt, "slope": slope, "ssr": ssr,
            "zz": np.where(valid, z * z, 0.0).sum(axis=1)}


def _ols_candidates(info: pd.DataFrame, t: np.ndarray, y: np.ndarray) -> list[dict[str, np.ndarray]]:
    """Fit linear, log-linear and logit-linear to every row; criteria as :func:`select.choose`."""
    n = info["n"].to_numpy(dtype=float)
    lower = info["lower"].to_numpy(dtype=float)[:, None]
    upper = info["upper"].to_numpy(dtype=float)[:, None]
    out = []
    for name, model in (("identity", "linear"), ("log", "loglinear"), ("logit", "logit")):
        z, jac, admits = _transformed(name, y, lower, upper)
        with np.errstate(divide="ignore", invalid="ignore"):
            fit = _ols(t, z, n)
            exact = fit["ssr"] <= 1e-20 * np.maximum(1.0, fit["zz"])
            loglik = -0.5 * n * (np.log(2 * np.pi) + np.log(fit["ssr"] / n) + 1.0) + jac
        fit.update(name=name, model=model, admits=admits, exact=exact,
                   loglik=np.where(exact, np.inf, loglik))
        out.append(fit)
    return out


def _criterion(loglik: np.ndarray, k: int, n: np.ndarray, model: str) -> np.ndarray:
    """AICc where ``n > k + 1``, else the model's scale rank (as :func:`womenstats.trend.select.choose`).

    Every candidate of a row has the same ``n`` and the value models the same ``k``, so a row is
    ranked either wholly by AICc or wholly by :func:`~womenstats.trend.select.scale_rank`.
    """
    return np.where(n > k + 1, aicc(loglik, k, n), scale_rank(model))


def _ols_forecast(fit: dict, rows: np.ndarray, years: np.ndarray, n: np.ndarray, lower, upper) -> dict:
    """Point and quantiles of one OLS candidate for the given rows at every output year."""
    h = years[None, :] - fit["tbar"][rows, None]
    df = n[rows] - 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        s2 = fit["ssr"][rows] / df
        loc = fit["zbar"][rows, None] + fit["slope"][rows, None] * h
        var = s2[:, None] * (1.0 + 1.0 / n[rows, None] + h * h / fit["stt"][rows, None])
    scale = np.sqrt(np.maximum(var, 0.0))
    lo, up = lower[rows], upper[rows]
    out = {"point": _inverse(fit["name"], loc, lo, up)}
    distinct, which = np.unique(df, return_inverse=True)  # few distinct df: ppf once per df
    for col, q in QUANTILES.items():
        ppf = stats.t.ppf(q, distinct)[which]
        out[col] = _inverse(fit["name"], loc + scale * ppf[:, None], lo, up)
    return out


# ------------------------------------------------------------------------------ worker tasks


def _damped_task(chunk: list[tuple[np.ndarray, np.ndarray]], years: np.ndarray) -> list:
    """Fit the damped-trend candidate to each series: (k, loglik, forecast dict) or None."""
    out = []
    for t, y in chunk:
        try:
            fit = DampedFit(t, y)
        except (ValueError, np.linalg.LinAlgError):
            out.append(None)
            continue
        fc = {"point": fit.point(years), **{c: fit.quantile(years, q) for c, q in QUANTILES.items()}}
        out.append((fit.k, fit.loglik, fc))
    return out


def _damped_candidate(t: np.ndarray, y: np.ndarray, n: np.ndarray, years: np.ndarray, ets: str,
                      workers: int) -> tuple[int, np.ndarray, dict[str, np.ndarray]]:
    """Damped-trend fits of the given rows: k, log-likelihoods (NaN without a fit), forecasts.

    ``ets="vectorised"`` fits all rows together (:func:`~womenstats.trend.ets_batch.fit_damped`);
    ``"statsmodels"`` fits each with :class:`DampedFit` in worker processes.
    """
    if ets == "vectorised":
        fit = fit_damped(y, n)
        loc, scale = fit.loc_scale(years[None, :] - np.nanmin(t, axis=1)[:, None])
        return fit.k, fit.loglik, {"point": loc, **{c: loc + scale * stats.norm.ppf(q)
                                                    for c, q in QUANTILES.items()}}
    m = n.astype(int)
    results = _run(_damped_task, [(t[i, :m[i]], y[i, :m[i]]) for i in range(len(m))], years, workers)
    loglik = np.array([np.nan if r is None else r[1] for r in results])
    blank = np.full(len(years), np.nan)
    fc = {c: np.array([blank if r is None else r[2][c] for r in results]).reshape(len(m), len(years))
          for c in FORECAST_COLUMNS[1:]}
    return DAMPED_K, loglik, fc


def _project_task(chunk: list[dict], years: np.ndarray) -> list:
    """Run the one-series path on each series: (model, forecast dict)."""
    out = []
    for item in chunk:
        proj = project(item["t"], item["y"], bounds=item["bounds"], numerators=item.get("num"),
                       denominators=item.get("den"), per=item["per"])
        fc = proj.forecast(years=years)
        out.append((proj.model, {c: fc[c].to_numpy() for c in FORECAST_COLUMNS[1:]}))
    return out


@contextlib.contextmanager
def _worker_env():
    saved = {k: os.environ.get(k) for k in WORKER_ENV}
    os.environ.update(WORKER_ENV)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _run(task, items: list, years: np.ndarray, workers: int) -> list:
    """Run ``task`` over ``items`` in chunks, in worker processes when ``workers > 1``."""
    chunks = [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]
    if workers <= 1 or len(chunks) <= 1:
        return [r for chunk in chunks for r in task(chunk, years)]
    with _worker_env(), ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        results = list(pool.map(task, chunks, [years] * len(chunks)))
    return [r for part in results for r in part]


# ------------------------------------------------------------------------------ the batch


def _count_rows(arrays: dict[str, np.ndarray], info: pd.DataFrame) -> np.ndarray:
    """Series whose every observation has counts, rare when pooled or all small, and a rate scale."""
    if "numerator" not in arrays or "denominator" not in arrays:
        return np.zeros(len(info), dtype=bool)
    valid = ~np.isnan(arrays["year"])
    num, den = arrays["numerator"], arrays["denominator"]
    with np.errstate(invalid="ignore"):
        ok = ~np.isnan(num) & ~np.isnan(den) & (den > 0) & (num >= 0)
    every = np.where(valid, ok, True).all(axis=1)
    events = np.where(valid & ok, num, 0.0).sum(axis=1)
    exposure = np.where(valid & ok, den, 0.0).sum(axis=1)
    small = np.where(valid, den < SMALL_DENOMINATOR, True).all(axis=1) & (events <= 0.5 * exposure)
    return every & ((events <= RARE_SHARE * exposure) | small) & info["per"].notna().to_numpy()


def project_batch(obs: pd.DataFrame, years, *, keys, workers: int | None = None,
                  damped: bool = True, ets: str = "vectorised") -> pd.DataFrame:
    """Project every series of a long table to the given years, as :func:`project` would one by one.

    Parameters
    ----------
    obs : pandas.DataFrame
        One row per observation: the ``keys`` columns, ``year``, ``value``, the indicator's
        ``lower`` and ``upper`` bounds (NaN when unbounded) and optionally ``per``, ``numerator``,
        ``denominator``. Rows with a missing value are dropped.
    years : int or array-like of int
        Years to project every series to.
    keys : list of str
        Columns identifying a series.
    workers : int, optional
        Worker processes for the count series and, with ``ets="statsmodels"``, the damped fits;
        ``os.cpu_count()`` by default, 1 runs everything in this process.
    damped : bool, default True
        Whether the damped-trend candidate is fitted where the rule admits it (ten or more
        consecutive years). False is *not* the default rule: it restricts the choice to the
        closed-form candidates.
    ets : {"vectorised", "statsmodels"}, default "vectorised"
        Estimator of the damped-trend candidate: all series together with numpy
        (:func:`~womenstats.trend.ets_batch.fit_damped`; a likelihood no worse than statsmodels' on
        every series compared, see ``docs/trend.md``; about a hundred times faster), or statsmodels
        one series at a time in worker processes (the one-series path's numbers exactly; tens of
        milliseconds a series).

    Returns
    -------
    pandas.DataFrame
        One row per series and year, sorted by the keys and year: the keys and
        :data:`BATCH_COLUMNS`. ``route`` says how the series was projected: ``vectorised``
        (closed-form OLS candidates), ``damped`` (closed form plus the damped candidate),
        ``worker`` (the one-series path in a worker: count series) or ``single`` (fewer than
        three values, projected here).

    Raises
    ------
    InputError
        If a series repeats a year or has a value outside its bounds, or ``ets`` is unknown.

    Notes
    -----
    Series whose every value is missing are not listed. Worker processes are started with the
    ``spawn`` method (so that each can run single-threaded BLAS): a script calling this with
    ``workers > 1`` must do so under ``if __name__ == "__main__":``.
    """
    if ets not in ETS_ESTIMATORS:
        raise InputError(f"未知的阻尼趋势估计方法 {ets!r}，可选：{'、'.join(ETS_ESTIMATORS)}。",
                         code="E_BATCH_ETS")
    keys = list(keys)
    years = np.atleast_1d(np.asarray(years, dtype=int))
    workers = (os.cpu_count() or 1) if workers is None else int(workers)
    obs = obs.dropna(subset=["value"])
    info, arrays = _padded(obs, keys)
    t, y = arrays["year"], arrays["value"]
    _check(info, t, y, keys)
    n = info["n"].to_numpy(dtype=float)
    lower = info["lower"].to_numpy(dtype=float)[:, None]
    upper = info["upper"].to_numpy(dtype=float)[:, None]
    span = np.nanmax(t, axis=1) - np.nanmin(t, axis=1) + 1 if len(t) else np.array([])
    counts = _count_rows(arrays, info)
    few = n < 3
    damped = ~few & ~counts & (n >= DAMPED_MIN_OBS) & (span == n) & bool(damped)
    closed = ~few & ~counts
    out = {c: np.full((len(info), len(years)), np.nan) for c in FORECAST_COLUMNS[1:]}
    model = np.full(len(info), "none", dtype=object)
    route = np.where(few, "single", np.where(counts, "worker", np.where(damped, "damped", "vectorised")))
    # closed-form candidates and their criteria
    rows = np.flatnonzero(closed)
    fits = _ols_candidates(info.iloc[rows].reset_index(drop=True), t[rows], y[rows])
    crit = np.full((len(rows), 4), np.inf)
    for j, fit in enumerate(fits):
        value = _criterion(fit["loglik"], OLS_K, n[rows], fit["model"])
        crit[:, j] = np.where(fit["admits"] & ~np.isnan(value), value, np.inf)
    damped_rows = np.flatnonzero(damped[rows])
    picked = rows[damped_rows]
    k, loglik, damped_fc = _damped_candidate(t[picked], y[picked], n[picked], years, ets, workers)
    value = _criterion(loglik, k, n[picked], "damped")
    crit[damped_rows, 3] = np.where(np.isnan(value), np.inf, value)
    best = np.argmin(crit, axis=1)  # first minimum: the candidates' tie-break order
    local = np.arange(len(rows))
    for j, fit in enumerate(fits):
        chosen = local[best == j]
        if chosen.size:
            fc = _ols_forecast(fit, chosen, years.astype(float), n[rows], lower[rows], upper[rows])
            for c in fc:
                out[c][rows[chosen]] = fc[c]
            model[rows[chosen]] = fit["model"]
    chosen = best[damped_rows] == 3
    for c, v in damped_fc.items():
        out[c][picked[chosen]] = v[chosen]
    model[picked[chosen]] = "damped"
    # the rest: the one-series path (count series in workers, short series here)
    for mask, n_workers in ((counts, workers), (few, 1)):
        idx = np.flatnonzero(mask)
        items = [_item(info, arrays, i) for i in idx]
        for i, (name, fc) in zip(idx, _run(_project_task, items, years, n_workers), strict=True):
            model[i] = name
            for c, v in fc.items():
                out[c][i] = v
    _floor_at_bounds(out, rows, y, n, lower, upper, years, t)
    return _assemble(info, keys, years, out, model, route, t)


def _floor_at_bounds(out: dict, rows: np.ndarray, y: np.ndarray, n: np.ndarray, lower: np.ndarray,
                     upper: np.ndarray, years: np.ndarray, t: np.ndarray) -> None:
    """Widen near-bound intervals of the rows fitted here as :meth:`Projection.forecast` does.

    The rows projected by the one-series path (counts, short series) already are.
    """
    floor = _noise_floors(y[rows], n[rows], lower[rows, 0], upper[rows, 0])
    rows, floor = rows[floor > 0], floor[floor > 0][:, None]
    lo, up = lower[rows], upper[rows]
    ahead = years[None, :] > np.nanmax(t[rows], axis=1)[:, None]
    near = ahead & near_bound(out["lo95"][rows], out["hi95"][rows], lo, up, floor)
    point = np.minimum(np.maximum(out["point"][rows], lo), up)
    for col, q in QUANTILES.items():
        spread = point + NORMAL_Z[q] * floor
        widened = np.minimum(out[col][rows], spread) if q < 0.5 else np.maximum(out[col][rows], spread)
        out[col][rows] = np.where(near, widened, out[col][rows])


def _noise_floors(y: np.ndarray, n: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """:func:`~womenstats.trend.projection.noise_floor` of every row (NaN-padded, left-aligned)."""
    last = NOISE_VALUES
    pos = n.astype(int)[:, None] - last + np.arange(last)[None, :]
    values = np.where(pos >= 0, np.take_along_axis(y, np.clip(pos, 0, None), axis=1), np.nan)
    diffs = np.diff(values, axis=1)
    count = np.minimum(n, last) - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.nansum(diffs, axis=1) / count
        var = np.nansum((diffs - mean[:, None]) ** 2, axis=1) / (count - 1)
    floor = np.sqrt(var) / math.sqrt(2)
    return np.where(np.isnan(lower) | np.isnan(upper) | (n < 3), 0.0, floor)


def _item(info: pd.DataFrame, arrays: dict[str, np.ndarray], i: int) -> dict:
    m = int(info["n"].iloc[i])
    item = {"t": arrays["year"][i, :m], "y": arrays["value"][i, :m],
            "bounds": (_none(info["lower"].iloc[i]), _none(info["upper"].iloc[i])),
            "per": _none(info["per"].iloc[i])}
    if "numerator" in arrays and "denominator" in arrays:
        item.update(num=arrays["numerator"][i, :m], den=arrays["denominator"][i, :m])
    return item


def _none(x) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) or pd.isna(x) else float(x)


def _assemble(info, keys, years, out, model, route, t) -> pd.DataFrame:
    lower = info["lower"].to_numpy(dtype=float)[:, None]
    upper = info["upper"].to_numpy(dtype=float)[:, None]
    m = len(years)
    frame = info.loc[np.repeat(np.arange(len(info)), m), keys].reset_index(drop=True)
    frame["model"] = np.repeat(model, m)
    frame["n_obs"] = np.repeat(info["n"].to_numpy(), m)
    last = np.nanmax(t, axis=1) if t.size else np.array([])
    frame["last_year"] = pd.array(np.repeat(last, m), dtype="Int64")
    frame["route"] = np.repeat(route, m)
    frame["year"] = np.tile(years, len(info))
    for c in FORECAST_COLUMNS[1:]:
        v = out[c]
        v = np.where(np.isnan(lower), v, np.maximum(v, lower))
        v = np.where(np.isnan(upper), v, np.minimum(v, upper))
        frame[c] = v.reshape(-1)
    return frame[[*keys, *BATCH_COLUMNS]]
