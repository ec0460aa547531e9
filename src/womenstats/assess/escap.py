"""UN ESCAP's Anticipated Progress Index for one series (Asia-Pacific SDG Progress Report method).

The index asks whether the target will be met by the target year if the observed trend continues.
The value anticipated for the target year comes from a time-weighted linear regression on the
observed years (recent years weigh more; weight ``w_i = t_i - t_min + 1``); the 2017–2019 editions
used the compound annual growth rate instead (``projection="cagr"``). The anticipated gap is
measured against the progress required from the base year to the target year::

    gap = d (y* - ŷ_T) / (d (y* - y_0))      (d = +1 higher is better, -1 lower is better)

``gap <= 0``: the target will be met (``on_track``); ``0 < gap <= 1``: progress, but too slow
(``acceleration_needed``); ``gap > 1``: the anticipated value is worse than the base value
(``regression``). When the base value already meets the target the required progress is nil: the
status is ``on_track`` if the anticipated value still meets it, else ``regression``.

References
----------
UN ESCAP, *Asia and the Pacific SDG Progress Report*, Annex "Technical notes – methodology to measure
progress" (2020–2025 editions); A. Bidarbakht Nia (2017), *A weighted extrapolation method for
measuring the SDGs progress*, ESCAP SD Working Paper 04; UNECE, *SDG progress report*, technical
notes ("time-weighted linear regression ... gap relative to the progress required").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm

#: Status code -> (Chinese label, English name as ESCAP's dashboard words it).
STATUSES: dict[str, tuple[str, str]] = {
    "on_track": ("预计可达标（保持进度）", "Target will be met / maintain progress"),
    "acceleration_needed": ("需加快进度", "Acceleration needed"),
    "regression": ("倒退（需扭转趋势）", "Regression / reverse trend"),
    "insufficient_data": ("数据不足", "Insufficient data"),
    "no_target": ("无量化目标，不适用", "No quantitative target (not assessed)"),
}

#: How the target-year value is anticipated.
PROJECTIONS = ("weighted", "cagr")


@dataclass(frozen=True)
class Anticipation:
    """The numbers behind the index: base, latest and anticipated value and the gap ratio.

    Attributes
    ----------
    base_year, base_value
        The first observed year at or after the requested base year, and its value ``y_0``.
    current_year, current_value
        The latest observed year and its value.
    anticipated : float
        ``ŷ_T``, the value expected in the target year by the time-weighted trend (or CAGR).
    gap : float
        ``d (y* - ŷ_T) / (d (y* - y_0))``; NaN when the base value already meets the target.
    """

    base_year: int
    base_value: float
    current_year: int
    current_value: float
    anticipated: float
    gap: float


def time_weights(years: np.ndarray) -> np.ndarray:
    """Weights of the time-weighted regression: ``w_i = t_i - min(t) + 1``.

    Parameters
    ----------
    years : numpy.ndarray
        Observed years.

    Returns
    -------
    numpy.ndarray
        Weights 1, 2, ... for consecutive years, growing linearly with time.
    """
    return years - years.min() + 1.0


def weighted_trend(years, values, target_year: int) -> float:
    """Value in ``target_year`` of the time-weighted least-squares line through the series.

    Parameters
    ----------
    years, values : array-like
        At least two distinct observed years.
    target_year : int
        Year to extrapolate to.

    Returns
    -------
    float
        ``a + b * target_year`` where ``(a, b)`` minimise ``sum w_i (y_i - a - b t_i) ** 2`` with
        :func:`time_weights` (statsmodels ``WLS``).
    """
    t = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    origin = t.max()
    fit = sm.WLS(y, sm.add_constant(t - origin, has_constant="add"), weights=time_weights(t)).fit()
    return float(fit.params[0] + fit.params[1] * (target_year - origin))


def cagr_trend(base_year: int, base_value: float, year: int, value: float, target_year: int) -> float:
    """Value in ``target_year`` continuing the compound annual growth rate from base to latest.

    Parameters
    ----------
    base_year, base_value : int, float
        Start of the observed period.
    year, value : int, float
        Latest observation.
    target_year : int
        Year to extrapolate to.

    Returns
    -------
    float
        ``value * (1 + CAGR) ** (target_year - year)`` with
        ``CAGR = (value / base_value) ** (1 / (year - base_year)) - 1``; NaN when the values differ
        in sign or the base value is zero.
    """
    if base_value == 0 or value / base_value < 0:
        return math.nan
    growth = (value / base_value) ** (1.0 / (year - base_year))
    return value * growth ** (target_year - year)


def gap_ratio(anticipated: float, target: float, base_value: float, direction: int) -> float:
    """Anticipated gap relative to the required progress: ``d (y* - ŷ_T) / (d (y* - y_0))``.

    Parameters
    ----------
    anticipated : float
        Anticipated target-year value ``ŷ_T``.
    target : float
        Target value ``y*``.
    base_value : float
        Base-year value ``y_0``.
    direction : {1, -1}
        +1 when higher is better, -1 when lower is better.

    Returns
    -------
    float
        The ratio; NaN when no progress is required (the base value meets the target).
    """
    required = direction * (target - base_value)
    if required <= 0:
        return math.nan
    return direction * (target - anticipated) / required


def anticipate(years, values, *, target: float, direction: int, base_year: int, target_year: int,
               projection: str = "weighted") -> Anticipation | None:
    """Compute the anticipated value and gap ratio of one series.

    Parameters
    ----------
    years, values : array-like
        The series; pairs with a missing value are dropped.
    target : float
        Target value.
    direction : {1, -1}
        +1 when higher is better, -1 when lower is better.
    base_year : int
        Start of the required progress; when not observed, the first observed year after it.
    target_year : int
        Year the target is due.
    projection : {'weighted', 'cagr'}, default 'weighted'
        Time-weighted regression (current method) or CAGR from base to latest (2017–2019 method).

    Returns
    -------
    Anticipation or None
        None with fewer than two observed years or no observation at or after the base year.
    """
    if projection not in PROJECTIONS:
        raise ValueError(f"projection must be one of {PROJECTIONS}, not {projection!r}")
    t = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    keep = ~np.isnan(t) & ~np.isnan(y)
    t, y = t[keep], y[keep]
    order = np.argsort(t, kind="stable")
    t, y = t[order], y[order]
    later = t[t >= base_year]
    if np.unique(t).size < 2 or later.size == 0:
        return None
    base = later.min()
    base_value = float(y[t == base][0])
    current, current_value = int(t[-1]), float(y[t == t[-1]][0])
    if projection == "weighted":
        anticipated = weighted_trend(t, y, target_year)
    elif current == base:
        return None
    else:
        anticipated = cagr_trend(int(base), base_value, current, current_value, target_year)
    gap = gap_ratio(anticipated, target, base_value, direction)
    return Anticipation(int(base), base_value, current, current_value, anticipated, gap)


def status_of(result: Anticipation | None, *, target: float, direction: int) -> str:
    """Map an anticipation to its ESCAP status.

    Parameters
    ----------
    result : Anticipation or None
        From :func:`anticipate`; None is ``insufficient_data``.
    target : float
        Target value.
    direction : {1, -1}
        +1 when higher is better, -1 when lower is better.

    Returns
    -------
    str
        ``on_track`` (gap <= 0), ``acceleration_needed`` (0 < gap <= 1), ``regression`` (gap > 1),
        or, when the base already meets the target, ``on_track``/``regression`` by whether the
        anticipated value still meets it.
    """
    if result is None or math.isnan(result.anticipated):
        return "insufficient_data"
    if math.isnan(result.gap):
        return "on_track" if direction * (result.anticipated - target) >= 0 else "regression"
    if result.gap <= 0:
        return "on_track"
    if result.gap <= 1:
        return "acceleration_needed"
    return "regression"
