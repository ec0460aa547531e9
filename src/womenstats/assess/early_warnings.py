"""Early warnings (预警): each a stable code and a Chinese sentence a report can print.

Every check is a pure function of numbers that returns an :class:`EarlyWarning` or None, so each
can be triggered and not triggered in tests. The thresholds are module constants, written down in
``docs/status_rules.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm

from womenstats.assess.small_numbers import MIN_EVENTS, POOL_YEARS

#: Warning code -> short Chinese name, in the order warnings are listed.
WARNING_LABELS: dict[str, str] = {
    "shortfall": "预计达标困难",
    "slipping": "已达标但有回落",
    "volatile": "波动较大",
    "break": "趋势突变",
    "small_numbers": "小数字",
    "stale": "数据陈旧",
}

#: Detrended coefficient of variation above which a series is ``volatile``.
VOLATILITY_CV = 0.10
#: Fewest observations for the volatility check (two residual degrees of freedom).
VOLATILITY_MIN_OBS = 4
#: Fewest earlier observations for the break check (a model with a predictive distribution).
BREAK_MIN_EARLIER = 3
#: Years the latest value may lag the assessment year before it is ``stale``.
STALE_YEARS = 2


@dataclass(frozen=True)
class EarlyWarning:
    """A warning: its code and the sentence a report prints."""

    code: str
    text: str


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def shortfall(*, met_now: bool, final: bool, p_attain: float, point_meets: bool | None,
              target_year: int) -> EarlyWarning | None:
    """Projected shortfall (预计达标困难): before the target year, a miss is more likely than not.

    Triggered when the target is not met now, the target year is still ahead, and either
    ``p_attain < 0.5`` or (no distribution, two observations) the central projection misses.

    Parameters
    ----------
    met_now : bool
        Whether the target is met by the latest (pooled) value.
    final : bool
        True when the assessment year is the target year or later.
    p_attain : float
        Probability of attainment (NaN when there is none).
    point_meets : bool or None
        Whether the central projection at the target year meets the target.
    target_year : int
        The target year.

    Returns
    -------
    EarlyWarning or None
    """
    if met_now or final:
        return None
    if not math.isnan(p_attain):
        if p_attain >= 0.5:
            return None
        return EarlyWarning(
            "shortfall", f"预计达标困难：按当前趋势，{target_year}年达标的概率仅为{p_attain:.0%}。"
        )
    if point_meets is False:
        return EarlyWarning("shortfall", f"预计达标困难：按两年数据外推，{target_year}年仍达不到目标。")
    return None


def slipping(*, met_now: bool, p_attain: float, point_meets: bool | None,
             target_year: int) -> EarlyWarning | None:
    """Achieved but slipping (已达标但有回落): met now, yet the trend leads away from the target.

    Triggered when the target is met now and ``p_attain < 0.5`` (or, without a distribution, the
    central projection at the target year misses).

    Parameters
    ----------
    met_now, p_attain, point_meets, target_year : as in :func:`shortfall`

    Returns
    -------
    EarlyWarning or None
    """
    if not met_now:
        return None
    missing = p_attain < 0.5 if not math.isnan(p_attain) else point_meets is False
    if not missing:
        return None
    text = f"已达标但有回落：目前已达到目标，但按当前趋势{target_year}年可能回落到目标之外。"
    return EarlyWarning("slipping", text)


def detrended_cv(years, values) -> float:
    """Detrended coefficient of variation: residual SD of a linear trend over the mean level.

    ``CV = sqrt(SSR / (n - 2)) / |mean(y)|`` with ``SSR`` from OLS of ``y`` on the year
    (Hyndman & Athanasopoulos, FPP3 section 3.2, on decomposing trend and remainder).

    Parameters
    ----------
    years, values : array-like
        The series.

    Returns
    -------
    float
        NaN with fewer than three values or a zero mean.
    """
    y = np.asarray(values, dtype=float)
    if len(y) < 3 or np.mean(y) == 0:
        return math.nan
    fit = sm.OLS(y, sm.add_constant(np.asarray(years, dtype=float))).fit()
    return float(math.sqrt(fit.ssr / (len(y) - 2)) / abs(np.mean(y)))


def volatile(years, values) -> EarlyWarning | None:
    """Volatility (波动较大): detrended CV above :data:`VOLATILITY_CV` (at least 4 observations).

    Parameters
    ----------
    years, values : as in :func:`detrended_cv`

    Returns
    -------
    EarlyWarning or None
    """
    if len(values) < VOLATILITY_MIN_OBS:
        return None
    cv = detrended_cv(years, values)
    if math.isnan(cv) or cv <= VOLATILITY_CV:
        return None
    return EarlyWarning(
        "volatile",
        f"波动较大：去除线性趋势后，年际波动（残差标准差）相当于平均水平的{cv:.0%}，超过{VOLATILITY_CV:.0%}。",
    )


def trend_break(year: int, value: float, lo95: float, hi95: float) -> EarlyWarning | None:
    """Break (趋势突变): the latest value lies outside the 95% prediction interval of earlier years.

    Parameters
    ----------
    year, value : int, float
        The latest observation.
    lo95, hi95 : float
        95% prediction interval for that year from the model fitted to the years before it (NaN
        when there is none: fewer than :data:`BREAK_MIN_EARLIER` earlier values, or an exact fit).

    Returns
    -------
    EarlyWarning or None
    """
    if math.isnan(lo95) or math.isnan(hi95) or lo95 <= value <= hi95:
        return None
    return EarlyWarning(
        "break",
        f"趋势突变：{year}年的值{_fmt(value)}超出按此前各年拟合的95%预测区间"
        f"[{_fmt(lo95)}, {_fmt(hi95)}]，请核实数据或关注变化原因。",
    )


def small_numbers(numerator: float) -> EarlyWarning | None:
    """Small numbers (小数字): the latest rate rests on fewer than :data:`MIN_EVENTS` events.

    Parameters
    ----------
    numerator : float
        Events behind the latest value (NaN when not reported: no warning).

    Returns
    -------
    EarlyWarning or None
    """
    if numerator is None or math.isnan(numerator) or numerator >= MIN_EVENTS:
        return None
    return EarlyWarning(
        "small_numbers",
        f"小数字：最近一年仅{numerator:.0f}例（少于{MIN_EVENTS}例），比率受偶然波动影响大；"
        f"是否达标按近{POOL_YEARS}年合并的比率判断，是否倒退用精确检验判断。",
    )


def stale(last_year: int | None, year: int) -> EarlyWarning | None:
    """Stale data (数据陈旧): the latest value is older than ``year - 2``.

    Parameters
    ----------
    last_year : int or None
        Year of the latest observation (None: no data, no warning).
    year : int
        Assessment year.

    Returns
    -------
    EarlyWarning or None
    """
    if last_year is None or last_year >= year - STALE_YEARS:
        return None
    return EarlyWarning(
        "stale", f"数据陈旧：最新数据为{last_year}年，早于评估年份{year}年前{STALE_YEARS}年，请补报近年数据。"
    )
