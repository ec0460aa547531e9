"""Backtests: hide the last years of real series, project them, and score the projections.

For every series the last ``k`` observations are held out; the earlier ones (at least
:data:`MIN_TRAIN` of them) are projected to the held-out years by each method:

``ours``
    :func:`womenstats.trend.project`'s chosen model (the default rule).
``linear``, ``loglinear``, ``logit``, ``damped`` (and the count models when counts are stored)
    Each candidate the rule fitted, alone, with its own prediction intervals.
``growth``
    The baseline: constant compound growth through the last two training values (two-point
    extrapolation), point only.
``naive``
    The last training value carried forward, point only.

Scores, per method, over all held-out values:

* **MASE** (Hyndman and Koehler 2006): the mean of ``|y - ŷ| / s`` with ``s`` the series' in-sample
  mean absolute first difference. Observation years may have gaps, so a difference is taken per
  year, ``s = mean(|y_i - y_{i-1}| / (t_i - t_{i-1}))`` (identical to the usual scale for annual
  series without gaps). Series with ``s = 0`` are left out (their MASE is undefined).
* **Coverage** of the 80% and 95% prediction intervals: the share of held-out values inside
  ``[lo, hi]`` (methods with intervals only), with the number of intervals and a 95%
  Clopper-Pearson interval for the share (the counts are small; with ``k > 1`` the held-out values
  of one series are not independent, so the interval is then optimistic).

References
----------
Hyndman, R. J. and Koehler, A. B. (2006). Another look at measures of forecast accuracy.
International Journal of Forecasting 22(4), 679-688.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from womenstats.errors import InputError, Location
from womenstats.gender.intervals import clopper_pearson_limits
from womenstats.trend.projection import Projection, project

#: Columns identifying a series in the store.
SERIES_KEYS: tuple[str, ...] = ("indicator_id", "sex", "age_group", "residence")
#: Fewest training observations: three, so that every method (and our model choice) applies.
MIN_TRAIN = 3
#: Held-out observations allowed.
K_VALUES: tuple[int, ...] = (1, 2, 3)
#: Methods in report order; candidate models appear when the rule fitted them.
METHOD_ORDER: tuple[str, ...] = (
    "ours", "linear", "loglinear", "logit", "damped", "poisson_const", "poisson", "negbin",
    "poisson_zero", "growth", "naive",
)
#: Columns of :attr:`Backtest.summary`.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "method", "n_series", "n_forecasts", "mase", "coverage80", "coverage80_lo", "coverage80_hi",
    "coverage95", "coverage95_lo", "coverage95_hi", "n_intervals",
)
#: Columns of :attr:`Backtest.details` after the series keys.
DETAIL_COLUMNS: tuple[str, ...] = (
    "method", "model", "year", "horizon", "actual", "point", "lo80", "hi80", "lo95", "hi95", "scale",
    "scaled_error", "in80", "in95",
)


@dataclass(frozen=True)
class Backtest:
    """A backtest's result.

    Attributes
    ----------
    k : int
        Observations held out per series.
    summary : pandas.DataFrame
        One row per method: :data:`SUMMARY_COLUMNS`.
    details : pandas.DataFrame
        One row per series, method and held-out year: the series keys and :data:`DETAIL_COLUMNS`.
    excluded : pandas.DataFrame
        Series not scored and why (``too_short`` or ``flat``): the keys and ``reason``.
    """

    k: int
    summary: pd.DataFrame
    details: pd.DataFrame
    excluded: pd.DataFrame


def mase_scale(years, values) -> float:
    """In-sample mean absolute first difference per year, the MASE scale.

    Parameters
    ----------
    years, values : array-like
        Training observations sorted by year (at least two).

    Returns
    -------
    float
        ``mean(|y_i - y_{i-1}| / (t_i - t_{i-1}))``; NaN with fewer than two observations.

    References
    ----------
    Hyndman and Koehler (2006), equation for ``q_t`` (non-seasonal scale).
    """
    t = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    if t.size < 2:
        return math.nan
    return float(np.mean(np.abs(np.diff(y)) / np.diff(t)))


def _alone(proj: Projection, fit) -> Projection:
    return dataclasses.replace(proj, fit=fit, model=fit.model)


def method_forecasts(years, values, horizon, *, bounds=(None, None), numerators=None,
                     denominators=None, per=None) -> dict[str, pd.DataFrame]:
    """Project a training series to the held-out years by every method.

    Parameters
    ----------
    years, values : array-like
        Training observations (at least :data:`MIN_TRAIN`), sorted by year.
    horizon : array-like of int
        Years to project.
    bounds : (float or None, float or None)
        The indicator's bounds.
    numerators, denominators, per : optional
        Counts and rate scale, passed to :func:`womenstats.trend.project`.

    Returns
    -------
    dict of str to pandas.DataFrame
        Method -> forecast (``year, point, lo80, hi80, lo95, hi95``), with a ``model`` column.
    """
    years = np.asarray(years, dtype=float)
    values = np.asarray(values, dtype=float)
    proj = project(years, values, bounds=bounds, numerators=numerators, denominators=denominators,
                   per=per)
    out = {"ours": proj.forecast(years=horizon).assign(model=proj.model)}
    for fit in proj.fits:
        out[fit.model] = _alone(proj, fit).forecast(years=horizon).assign(model=fit.model)
    two = project(years[-2:], values[-2:], bounds=bounds)
    out["growth"] = two.forecast(years=horizon).assign(model=two.model)
    naive = pd.DataFrame({"year": np.atleast_1d(np.asarray(horizon, dtype=int))})
    naive["point"] = values[-1]
    for col in ("lo80", "hi80", "lo95", "hi95"):
        naive[col] = np.nan
    out["naive"] = naive.assign(model="naive")
    return out


def _inside(actual: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        inside = ((actual >= lo) & (actual <= hi)).astype(float)
    return np.where(np.isnan(lo) | np.isnan(hi), np.nan, inside)


def _series_rows(key: tuple, part: pd.DataFrame, k: int) -> tuple[list[pd.DataFrame], str | None]:
    part = part.sort_values("year", kind="stable")
    if len(part) < MIN_TRAIN + k:
        return [], "too_short"
    train, test = part.iloc[:-k], part.iloc[-k:]
    scale = mase_scale(train["year"], train["value"])
    if not scale > 0:
        return [], "flat"
    first = part.iloc[0]
    bounds = (first["lower"], first["upper"])
    per = None if pd.isna(first.get("per", np.nan)) else float(first["per"])
    counts = {}
    if {"numerator", "denominator"} <= set(part.columns):
        counts = {"numerators": train["numerator"].to_numpy(dtype=float),
                  "denominators": train["denominator"].to_numpy(dtype=float)}
    forecasts = method_forecasts(train["year"], train["value"], test["year"].to_numpy(dtype=int),
                                 bounds=bounds, per=per, **counts)
    actual = test["value"].to_numpy(dtype=float)
    last = float(train["year"].iloc[-1])
    rows = []
    for method, fc in forecasts.items():
        frame = fc.copy()
        frame.insert(0, "method", method)
        frame["horizon"] = frame["year"] - last
        frame["actual"] = actual
        frame["scale"] = scale
        frame["scaled_error"] = np.abs(actual - frame["point"].to_numpy()) / scale
        frame["in80"] = _inside(actual, frame["lo80"].to_numpy(), frame["hi80"].to_numpy())
        frame["in95"] = _inside(actual, frame["lo95"].to_numpy(), frame["hi95"].to_numpy())
        for name, value in zip(SERIES_KEYS, key, strict=True):
            frame[name] = value
        rows.append(frame)
    return rows, None


def backtest_frame(obs: pd.DataFrame, k: int = 1) -> Backtest:
    """Backtest every series of a long table of observations.

    Parameters
    ----------
    obs : pandas.DataFrame
        Columns :data:`SERIES_KEYS`, ``year``, ``value``, ``lower``, ``upper`` and optionally
        ``per``, ``numerator``, ``denominator``. Rows with a missing value are dropped.
    k : int, default 1
        Observations held out at the end of each series (1 to 3).

    Returns
    -------
    Backtest
    """
    if k not in K_VALUES:
        raise InputError(f"留出年数 k 应为 1、2 或 3，收到 {k}。", code="E_BACKTEST_K")
    obs = obs.dropna(subset=["value"])
    details, excluded = [], []
    for key, part in obs.groupby(list(SERIES_KEYS), sort=True):
        rows, reason = _series_rows(key, part, k)
        details.extend(rows)
        if reason:
            excluded.append({**dict(zip(SERIES_KEYS, key, strict=True)), "reason": reason})
    columns = [*SERIES_KEYS, *DETAIL_COLUMNS]
    table = pd.concat(details, ignore_index=True)[columns] if details else pd.DataFrame(columns=columns)
    return Backtest(k=k, summary=summarise(table), details=table,
                    excluded=pd.DataFrame(excluded, columns=[*SERIES_KEYS, "reason"]))


def _coverage(inside: pd.Series, level: str) -> dict[str, float]:
    """Share inside and its 95% Clopper-Pearson limits (NaN without intervals)."""
    n = len(inside)
    if n == 0:
        return dict.fromkeys((f"coverage{level}", f"coverage{level}_lo", f"coverage{level}_hi"), math.nan)
    hits = float(inside.sum())
    lo, hi = clopper_pearson_limits(np.array([hits]), np.array([float(n)]), 0.05)
    return {f"coverage{level}": hits / n, f"coverage{level}_lo": float(lo[0]),
            f"coverage{level}_hi": float(hi[0])}


def summarise(details: pd.DataFrame) -> pd.DataFrame:
    """Score each method: MASE and interval coverage over all its held-out values.

    Parameters
    ----------
    details : pandas.DataFrame
        :attr:`Backtest.details`.

    Returns
    -------
    pandas.DataFrame
        :data:`SUMMARY_COLUMNS`, methods in :data:`METHOD_ORDER`. ``mase`` is
        ``mean(|y - ŷ| / s)``; ``coverage80`` / ``coverage95`` the share of values inside the
        interval among forecasts with one (``n_intervals``), with 95% Clopper-Pearson limits
        (``_lo``, ``_hi``; Clopper and Pearson 1934); NaN without intervals.
    """
    rows = []
    present = [m for m in METHOD_ORDER if m in set(details["method"])]
    for method in present:
        part = details[details["method"] == method]
        with_interval = part["in80"].notna()
        row = {
            "method": method,
            "n_series": int(part[list(SERIES_KEYS)].drop_duplicates().shape[0]),
            "n_forecasts": len(part),
            "mase": float(part["scaled_error"].mean()),
            "n_intervals": int(with_interval.sum()),
        }
        for level in ("80", "95"):
            row.update(_coverage(part.loc[with_interval, f"in{level}"], level))
        rows.append(row)
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def national_series(store) -> pd.DataFrame:
    """Real national observations (region ``000000``, not simulated) with their indicator's bounds.

    Parameters
    ----------
    store : str or pathlib.Path
        The SQLite store built by ``womenstats data build``.

    Returns
    -------
    pandas.DataFrame
        Store rows with ``lower``, ``upper`` and ``per`` from the indicator catalog.
    """
    from womenstats import catalog
    from womenstats.intake import Store

    path = Path(store)
    if not path.is_file():
        raise InputError(
            "数据库文件不存在，请先运行 womenstats data build --store 该文件 生成数据库。",
            Location(file=path.name), code="E_NO_STORE",
        )
    obs = Store(path).observations(region_code="000000")
    obs = obs[obs["simulated"] == 0]
    info = catalog.indicators()[["lower", "upper", "per"]]
    merged = obs.merge(info, left_on="indicator_id", right_index=True, how="left")
    for col in ("lower", "upper", "per"):
        merged[col] = pd.to_numeric(merged[col], errors="coerce")
    return merged


def backtest(k: int = 1, *, store=None) -> Backtest:
    """Backtest every real national series in the store.

    Parameters
    ----------
    k : int, default 1
        Observations held out at the end of each series (1 to 3).
    store : str or pathlib.Path, optional
        Store file; ``data/processed/womenstats.sqlite`` when omitted.

    Returns
    -------
    Backtest
        See :func:`backtest_frame`.
    """
    from womenstats import paths

    return backtest_frame(national_series(store if store is not None else paths.default_store()), k)
