"""The projection of one series: :func:`project` and the :class:`Projection` it returns.

A projection's predictive distribution is the chosen model's, censored at the indicator's bounds:
quantiles are clipped to ``[lower, upper]`` and the mass beyond a bound sits on it, so that
``P(Y = 100)`` for a percentage is the probability that the model's value reaches 100. Where the
model's 95% interval reaches a bound of a bounded series, the projected intervals are no narrower
than the series' own year-to-year scatter (:meth:`Projection.noise_floor`), so a rate near 100%
keeps an honest interval below it instead of one of zero width.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from womenstats.errors import InputError
from womenstats.trend.inputs import series_input
from womenstats.trend.intervals import (
    MAX_STEPS,
    forecast_level,
    near_bound,
    noise_floor,
    normal_z,
    with_level,
)
from womenstats.trend.models import Fit, GrowthFit
from womenstats.trend.result import ProjectionResults
from womenstats.trend.select import CANDIDATE_COLUMNS, choose, fit_candidates

#: Columns of :meth:`Projection.forecast`.
FORECAST_COLUMNS: tuple[str, ...] = ("year", "point", "lo80", "hi80", "lo95", "hi95")

#: Flags a projection may carry.
FLAGS: dict[str, str] = {
    "no_data": "没有观测值，无法预测",
    "one_point": "只有一个观测值，无法预测",
    "two_points": "只有两个观测值，仅按年均增长率外推，无预测区间",
    "gaps": "观测年份不连续",
    "exact_fit": "模型与观测值完全吻合，预测区间宽度为零，应谨慎解读",
    "counts": "按分子分母计数建模（泊松或负二项）",
    "constant": "各年观测值完全相同，数据没有波动，预测区间宽度为零",
}

#: Operators :meth:`Projection.prob` understands.
PROB_OPERATORS = ("<=", ">=", "<", ">", "≈", "=")


def _text(bound: float, infinite: str) -> str:
    return infinite if math.isnan(bound) else f"{bound:g}"


@dataclass(frozen=True, eq=False)
class Projection(ProjectionResults):
    """Where a series is heading: the chosen model, its candidates and its predictive distribution.

    Read like a statsmodels result: :meth:`summary`, :attr:`params`, :meth:`conf_int`,
    :attr:`fittedvalues`, :attr:`resid`, :attr:`aicc`, :attr:`model_result`,
    :meth:`forecast` and :meth:`plot` (:class:`womenstats.trend.result.ProjectionResults`).

    Attributes
    ----------
    model : str
        Code of the chosen model (see :mod:`womenstats.trend.models`), ``growth`` for two points,
        ``none`` for fewer.
    n_obs : int
        Observations used.
    last_year : int or None
        Year of the latest observation.
    flags : tuple of str
        Codes of :data:`FLAGS`.
    candidates : pandas.DataFrame
        Columns ``model, k, loglik, aic, aicc, criterion, value, chosen``.
    years, values : numpy.ndarray
        The observations, sorted by year.
    bounds : (float, float)
        Lower and upper bound (NaN when unbounded).
    fit : Fit or None
        The chosen fitted model.
    fits : tuple of Fit
        Every fitted candidate.
    numerators, denominators : numpy.ndarray or None
        The counts behind the observations, when given.
    per : float or None
        Scale of a rate (100 for %).
    label, unit : str
        The series' name (the indicator's Chinese name when one was given) and unit, for
        :meth:`summary` and :meth:`plot`.
    """

    model: str
    n_obs: int
    last_year: int | None
    flags: tuple[str, ...]
    candidates: pd.DataFrame
    years: np.ndarray
    values: np.ndarray
    bounds: tuple[float, float]
    fit: Fit | None
    fits: tuple[Fit, ...] = ()
    numerators: np.ndarray | None = None
    denominators: np.ndarray | None = None
    per: float | None = None
    label: str = ""
    unit: str = ""

    # ----------------------------------------------------------- distribution

    def _clip(self, x: np.ndarray) -> np.ndarray:
        lower, upper = self.bounds
        out = np.asarray(x, dtype=float)
        if not math.isnan(lower):
            out = np.maximum(out, lower)
        if not math.isnan(upper):
            out = np.minimum(out, upper)
        return out

    def forecast(self, steps: int = 1, alpha: float = 0.05, *, years=None) -> pd.DataFrame:
        """Central projection and prediction intervals for the next ``steps`` years, or for ``years``.

        As statsmodels' ``forecast(steps)``, ``steps`` counts years after the latest observation
        (``forecast(3)`` after 2024 is 2025, 2026 and 2027); ``years=`` names calendar years instead
        (any year; past years give the fitted trend). ``point`` is the predictive median (the mean
        rate for count models; the growth path for two points); ``lo80, hi80`` are the 10% and 90%
        quantiles, ``lo95, hi95`` the 2.5% and 97.5% quantiles of the predictive distribution,
        each clipped to the bounds. An ``alpha`` other than 0.05 or 0.2 adds its own
        ``100(1 - alpha)%`` interval as two more columns (``alpha=0.1``: ``lo90, hi90``). NaN
        where the projection has no distribution (two points: intervals only) or no model (fewer
        points). A count model's predictive count is discrete: with fewer than about 0.1 events
        expected (two exposed infants a year) every central interval is {0} while the mean rate is
        not, so such an interval is widened to hold the point (it only gains coverage).

        Parameters
        ----------
        steps : int, default 1
            Years ahead of the latest observation; ignored when ``years`` is given.
        alpha : float, default 0.05
            The interval ``lo{L}, hi{L}`` with ``L = 100 (1 - alpha)`` is always in the result.
        years : int or array-like of int, optional
            Calendar years to project.

        Returns
        -------
        pandas.DataFrame
            Columns ``year, point, lo80, hi80, lo95, hi95`` (:data:`FORECAST_COLUMNS`), and
            ``lo{L}, hi{L}`` for another ``alpha``; one row per year.

        Raises
        ------
        InputError
            When ``steps`` is not a positive number of years (``forecast(2030)`` asks for 2030
            steps: calendar years go in ``years=``) or ``alpha`` is not in (0, 1).
        """
        years = self._forecast_years(steps, years)
        level = forecast_level(alpha)
        out = pd.DataFrame({"year": years})
        if self.fit is None:
            for col in FORECAST_COLUMNS[1:]:
                out[col] = np.nan
            return with_level(out, level, np.nan, np.nan)
        out["point"] = self._clip(self.fit.point(years))
        limits = self._limits(years, out["point"].to_numpy(), (0.10, 0.90, 0.025, 0.975, *level))
        for col, q in (("lo80", 0.10), ("hi80", 0.90), ("lo95", 0.025), ("hi95", 0.975)):
            out[col] = self._clip(limits[q])
        if not level:
            return out
        return with_level(out, level, self._clip(limits[level[0]]), self._clip(limits[level[1]]))

    def _forecast_years(self, steps, years) -> np.ndarray:
        if years is not None:
            return np.atleast_1d(np.asarray(years, dtype=int))
        if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or not 1 <= steps < MAX_STEPS:
            hint = f"按年份预测请写 forecast(years={steps})。" if isinstance(steps, int | np.integer) and \
                steps >= MAX_STEPS else ""
            raise InputError(f"forecast(steps) 的 steps 是最新观测年之后的预测年数（如 3），应为 1 到 "
                             f"{MAX_STEPS - 1} 的整数，而不是 {steps!r}。{hint}", code="E_FORECAST_STEPS")
        last = self.last_year if self.last_year is not None else 0
        return np.arange(last + 1, last + int(steps) + 1)

    def _limits(self, years: np.ndarray, point: np.ndarray, quantiles) -> dict[float, np.ndarray]:
        """Return the model's quantiles, widened near a bound to one year's scatter (unclipped)."""
        floor = self.noise_floor()
        limits = {q: self.fit.quantile(years, q) for q in quantiles}
        if floor > 0:
            # near a bound, no narrower than one year's observed scatter around the point
            ahead = years > (self.last_year if self.last_year is not None else years.max())
            near = ahead & near_bound(limits[0.025], limits[0.975], *self.bounds, floor)
            for q, bound in limits.items():
                spread = point + normal_z(q) * floor
                widened = np.minimum(bound, spread) if q < 0.5 else np.maximum(bound, spread)
                limits[q] = np.where(near, widened, bound)
        if "counts" in self.flags:
            for q in limits:
                limits[q] = np.minimum(limits[q], point) if q < 0.5 else np.maximum(limits[q], point)
        return limits

    def noise_floor(self) -> float:
        """Return one year's scatter of a bounded series, the least spread of its intervals near a bound.

        A series with both bounds (a percentage) whose projection reaches a bound would otherwise
        get an interval of zero width (the model's whole distribution clipped onto the bound), as
        if the value could no longer vary. Its observations say how much it varies from year to
        year: the standard deviation of the last (up to six) year-to-year changes divided by
        ``sqrt(2)`` (the scatter of one value when each change is the difference of two
        independent scatters). 0 for an unbounded series, fewer than three values, or a series
        whose values never change (then nothing says it can vary: flag ``constant``).

        Returns
        -------
        float
        """
        return noise_floor(self.values, *self.bounds)

    def _le(self, year: int, x: float) -> float:
        lower, upper = self.bounds
        if not math.isnan(upper) and x >= upper:
            return 1.0
        if not math.isnan(lower) and x < lower:
            return 0.0
        return float(self.fit.prob_le([year], x)[0])

    def _ge(self, year: int, x: float) -> float:
        lower, upper = self.bounds
        if not math.isnan(lower) and x <= lower:
            return 1.0
        if not math.isnan(upper) and x > upper:
            return 0.0
        return float(self.fit.prob_ge([year], x)[0])

    def prob(self, operator: str, value: float, year: int, *, tolerance: float = 0.0) -> float:
        """Probability that the value in ``year`` meets ``operator value`` (probability of attainment).

        From the predictive distribution censored at the bounds: ``<=``: ``P(Y <= v)``;
        ``>=``: ``P(Y >= v)``; ``<``: ``1 - P(Y >= v)``; ``>``: ``1 - P(Y <= v)``; ``≈`` and ``=``:
        ``P(v - t <= Y <= v + t) = P(Y <= v + t) + P(Y >= v - t) - 1`` with tolerance ``t`` (0 for
        ``=``, which is then positive only at a bound, where the censored distribution has mass).
        For the t-based models ``P(Y <= v) = F_t((g(v) - loc) / scale; n - 2)`` with ``g`` the
        model's monotone transform (Hyndman & Athanasopoulos, FPP3 section 5.5).

        Parameters
        ----------
        operator : str
            One of ``<=, >=, <, >, ≈, =``.
        value : float
            Target value, in the indicator's unit.
        year : int
            Target year.
        tolerance : float, default 0
            Half-width of ``≈``.

        Returns
        -------
        float
            NaN when there is no predictive distribution (fewer than three observations).
        """
        if operator not in PROB_OPERATORS:
            known = "、".join(PROB_OPERATORS)
            raise InputError(f"无法计算达标概率：未知的比较符“{operator}”，应为 {known}。")
        if self.fit is None or isinstance(self.fit, GrowthFit):
            return math.nan
        v = float(value)
        if operator == "<=":
            p = self._le(year, v)
        elif operator == ">=":
            p = self._ge(year, v)
        elif operator == "<":
            p = 1.0 - self._ge(year, v)
        elif operator == ">":
            p = 1.0 - self._le(year, v)
        else:
            t = float(tolerance) if operator == "≈" else 0.0
            p = self._le(year, v + t) + self._ge(year, v - t) - 1.0
        return float(min(max(p, 0.0), 1.0))

    def first_year_meeting(self, operator: str, value: float, until: int, *,
                           tolerance: float = 0.0) -> int | None:
        """First year after the latest observation whose central projection meets the target.

        Parameters
        ----------
        operator : str
            ``<=, >=, <, >, ≈`` or ``=``.
        value : float
            Target value.
        until : int
            Last year to look at.
        tolerance : float, default 0
            Half-width of ``≈``.

        Returns
        -------
        int or None
            None when no year up to ``until`` meets it (or there is no projection).
        """
        if self.fit is None or self.last_year is None or until <= self.last_year:
            return None
        years = np.arange(self.last_year + 1, until + 1)
        points = self.forecast(years=years)["point"].to_numpy()
        for year, x in zip(years, points, strict=True):
            if meets(operator, float(x), float(value), tolerance):
                return int(year)
        return None

    def p_direction(self, direction: str) -> float:
        """Probability that the trend goes the given way, from the slope of a trend model.

        ``P(slope > 0) = F((b - 0) / se(b))`` with ``F`` the t distribution on the model's degrees
        of freedom (normal for count models). The slope is the chosen model's; when the chosen
        model has none (``damped``, ``poisson_const``) it is the best-ranked candidate's that has
        one. All transforms are increasing, so the sign on the model's scale is the sign on the
        indicator's.

        Parameters
        ----------
        direction : str
            ``increase`` or ``decrease``.

        Returns
        -------
        float
            NaN when no fitted model has a slope (fewer than three observations).
        """
        from scipy import stats

        ranked = sorted(
            zip(self.fits, self.candidates["value"].fillna(np.inf), strict=True),
            key=lambda pair: (self.fit is not pair[0], pair[1]),
        )
        for fit, _ in ranked:
            slope = fit.slope()
            if slope is None:
                continue
            b, se, df = slope
            if se <= 0 or not math.isfinite(se):
                p_up = 1.0 if b > 0 else (0.0 if b < 0 else 0.5)
            else:
                dist = stats.norm if math.isinf(df) else stats.t(df)
                p_up = float(dist.cdf(b / se))
            return p_up if direction == "increase" else 1.0 - p_up
        return math.nan


def meets(operator: str, x: float, value: float, tolerance: float = 0.0) -> bool:
    """Whether ``x`` meets ``operator value``.

    Parameters
    ----------
    operator : str
        ``<=, >=, <, >``, ``≈`` (``|x - value| <= tolerance``) or ``=`` (equal up to rounding).
    x, value : float
        The observed (or projected) value and the target value.
    tolerance : float, default 0
        Half-width of ``≈``.

    Returns
    -------
    bool
        False when ``x`` is NaN.
    """
    if x is None or math.isnan(x):
        return False
    slack = 1e-9 * max(1.0, abs(value))
    if operator == "<=":
        return x <= value + slack
    if operator == ">=":
        return x >= value - slack
    if operator == "<":
        return x < value
    if operator == ">":
        return x > value
    if operator in ("≈", "="):
        return abs(x - value) <= (tolerance if operator == "≈" else 0.0) + slack
    raise InputError(f"未知的比较符“{operator}”，应为 <=、>=、<、>、≈ 或 =。")


def _empty_candidates() -> pd.DataFrame:
    return pd.DataFrame({col: pd.Series(dtype=object) for col in CANDIDATE_COLUMNS})


def project(y, values=None, *, indicator=None, bounds=None, numerators=None, denominators=None, per=None,
            better=None) -> Projection:
    """Project an annual series: fit the candidate models, choose one, keep its predictive distribution.

    Three or more observations: the candidates of :func:`womenstats.trend.select.fit_candidates`
    are fitted and one is chosen by AICc, or with three or four values by the indicator's scale
    (:func:`womenstats.trend.select.choose`). Two: constant compound growth, point only (flag
    ``two_points``). One or none: no projection (``one_point``, ``no_data``). Missing values (NaN)
    are dropped; years may have gaps.

    Given the indicator, the model is the one the assessment chooses for the same series
    (:func:`womenstats.assess.target_projection` calls this function): its bounds, ``per`` and
    better direction come from the registry.

    Parameters
    ----------
    y : pandas.Series, pandas.DataFrame or array-like
        A Series of values indexed by year (``obs.set_index("year")["value"]``); a DataFrame with
        ``year`` and ``value`` columns and, when reported, ``numerator`` and ``denominator``
        (:func:`womenstats.assess.target_series`); or the years, with ``values``.
    values : array-like, optional
        The values, one a year, in the indicator's unit, when ``y`` holds the years.
    indicator : str, womenstats.catalog.Indicator or mapping, optional
        The indicator, by id, Chinese name or alias, or its catalog object or a mapping
        (:func:`womenstats.catalog.facts.indicator_info`): supplies ``bounds``, ``per`` and
        ``better`` where they are not given, and the title of :meth:`Projection.summary` and
        :meth:`Projection.plot`.
    bounds : (float or None, float or None), optional
        The bounds (``(0, 100)`` for a percentage); intervals and points stay inside. The
        indicator's by default; without an indicator, unbounded (with an
        :class:`~womenstats.trend.inputs.UnboundedWarning` unless given as ``(None, None)``).
    numerators, denominators : array-like, optional
        Counts behind each value (NaN when not reported); a frame's ``numerator`` and
        ``denominator`` columns by default. When every observation has both and the events are
        rare, count models are used.
    per : float, optional
        Scale of the rate (100 for %, 100 000 for 1/10万), needed with the counts; the indicator's
        by default.
    better : str, optional
        ``higher``, ``lower`` or ``neutral``; kept for callers and the batch path (the model choice
        does not depend on it).

    Returns
    -------
    Projection

    Raises
    ------
    InputError
        If lengths differ, a year is repeated, a value lies outside the bounds, or the series is
        given in a form not listed above.
    womenstats.errors.CatalogError
        For an indicator that is no id, name or alias of the registry.

    References
    ----------
    Hyndman, R. J. and Athanasopoulos, G. (2021). Forecasting: Principles and Practice, 3rd ed.
    OTexts. Hurvich, C. M. and Tsai, C.-L. (1989). Biometrika 76, 297-307.

    Examples
    --------
    >>> import pandas as pd
    >>> y = pd.Series([60.1, 62.0, 63.2, 65.0], index=[2021, 2022, 2023, 2024])
    >>> project(y, bounds=(0, 100)).forecast(2)["year"].tolist()
    [2025, 2026]
    """
    given = series_input(y, values, indicator=indicator, bounds=bounds, numerators=numerators,
                         denominators=denominators, per=per, better=better)
    years, values, num, den = given.years, given.values, given.numerators, given.denominators
    lower, upper = given.bounds
    below = not math.isnan(lower) and bool((values < lower).any())
    above = not math.isnan(upper) and bool((values > upper).any())
    if below or above:
        span = f"[{_text(lower, '-∞')}, {_text(upper, '+∞')}]"
        raise InputError(f"数值超出指标的取值范围 {span}，请核对单位和数值。")
    n = len(values)
    flags: list[str] = []
    last_year = int(years[-1]) if n else None
    if n >= 2 and (np.diff(years) > 1).any():
        flags.append("gaps")
    common = {"years": years, "values": values, "bounds": (lower, upper), "n_obs": n, "last_year": last_year,
              "numerators": num, "denominators": den, "per": given.per, "label": given.label,
              "unit": given.unit}
    if n <= 1:
        flag = "no_data" if n == 0 else "one_point"
        return Projection(
            model="none", flags=(flag, *flags), candidates=_empty_candidates(), fit=None, **common
        )
    if n == 2:
        return Projection(model="growth", flags=("two_points", *flags), candidates=_empty_candidates(),
                          fit=GrowthFit(years, values), **common)
    fits = fit_candidates(years, values, bounds=(lower, upper), numerators=num, denominators=den,
                          per=given.per)
    fit, table = choose(fits)
    if fit.exact:
        flags.append("exact_fit")
    if np.ptp(values) == 0:
        flags.append("constant")
    if fit.model in ("poisson_const", "poisson", "negbin", "poisson_zero"):
        flags.append("counts")
    return Projection(model=fit.model, flags=tuple(flags), candidates=table, fit=fit, fits=tuple(fits),
                      **common)
