"""Interval helpers of a projection: the noise floor near a bound and the levels of ``forecast``.

:func:`noise_floor` and :func:`near_bound` are shared by :meth:`womenstats.trend.Projection.forecast`
and the batch path (:mod:`womenstats.trend.batch`), which widen intervals near a bound the same way
(``docs/trend.md``, "Intervals at a bound"); :func:`forecast_level` and :func:`level_columns` name
the extra interval an ``alpha`` asks for.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from womenstats.errors import InputError

#: Standard normal quantiles of the interval limits (for :meth:`~womenstats.trend.Projection.noise_floor`).
NORMAL_Z: dict[float, float] = {0.10: -1.2815515655446004, 0.90: 1.2815515655446004,
                                0.025: -1.959963984540054, 0.975: 1.959963984540054}

#: ``forecast(steps)`` refuses this many steps or more: such a number is a calendar year.
MAX_STEPS = 1000


def normal_z(q: float) -> float:
    """Return the standard normal quantile ``q`` (the tabulated value for the four usual limits)."""
    if q in NORMAL_Z:
        return NORMAL_Z[q]
    from scipy import stats

    return float(stats.norm.ppf(q))


def forecast_level(alpha: float) -> tuple[float, ...]:
    """Return the quantiles of a ``1 - alpha`` interval not among the usual columns (else empty)."""
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 < float(alpha) < 1:
        raise InputError(f"alpha 应为 0 到 1 之间的数（0.05 即 95% 区间），而不是 {alpha!r}。",
                         code="E_ALPHA")
    if round(float(alpha), 12) in (0.05, 0.2):
        return ()
    return (float(alpha) / 2, 1 - float(alpha) / 2)


def level_columns(alpha: float) -> tuple[str, str]:
    """Return the names of the ``1 - alpha`` interval's columns (``lo90, hi90`` for 0.1)."""
    level = f"{100 * (1 - float(alpha)):.10g}"
    return f"lo{level}", f"hi{level}"


def with_level(out: pd.DataFrame, level: tuple[float, ...], lo, hi) -> pd.DataFrame:
    """Add the columns of the extra interval (:func:`forecast_level`) to a forecast, if there is one."""
    if level:
        lo_col, hi_col = level_columns(2 * level[0])
        out[lo_col], out[hi_col] = lo, hi
    return out


def noise_floor(values, lower: float, upper: float) -> float:
    """Return one year's scatter of a series with two bounds (``Projection.noise_floor``).

    ``std(diff(last seven values), ddof=1) / sqrt(2)``; 0 when a bound is missing (NaN), with
    fewer than three values, or when the values never change.
    """
    values = np.asarray(values, dtype=float)
    if math.isnan(lower) or math.isnan(upper) or len(values) < 3:
        return 0.0
    return float(np.std(np.diff(values[-7:]), ddof=1) / math.sqrt(2))


def near_bound(lo95, hi95, lower: float, upper: float, floor) -> np.ndarray:
    """Whether a 95% interval comes within ``floor`` of a bound (where the bound squeezes it)."""
    return (np.asarray(lo95) <= lower + floor) | (np.asarray(hi95) >= upper - floor)
