"""Draw a projection: observations with their intervals, the trend, the fan and the target.

:func:`plot_projection` is :meth:`womenstats.trend.Projection.plot`. With ``ax=None`` it draws on a
new pyplot figure, so that a notebook shows it inline (in a fresh kernel too: ipykernel's inline
backend shows every pyplot figure at the end of the cell); given an Axes it draws there, for the
user's own layout. matplotlib is imported only here, when a chart is asked for.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

#: Colour of the observations, the central line and the target line (dark: prints in grey).
INK = "#222222"
#: Colour of the fan (the 80% band drawn darker than the 95% band).
FAN = "#4c72b0"
#: Colour of the target line.
TARGET = "#b2182b"
#: Dash pattern of the target line.
TARGET_DASHES = (0, (6, 3))
#: Years drawn past the latest observation when no target year says how far.
DEFAULT_AHEAD = 5

#: Words of an operator in the target line's label.
OPERATOR_WORDS: dict[str, str] = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "≈": "≈", "=": "=",
                                  "maintain": "保持"}


def observation_intervals(years, values, numerators, denominators, per, alpha: float = 0.05) -> pd.DataFrame:
    """Return each observation with the ``1 - alpha`` interval its counts give (NaN without counts).

    A value with ``per <= 100`` whose numerator does not exceed its denominator is a proportion:
    Wilson's interval; any other rate (per 1 000, per 100 000) is a Poisson count over its exposure:
    Garwood's exact interval (:mod:`womenstats.gender.intervals`, ``docs/gender.md``), as the
    reports draw them.

    Parameters
    ----------
    years, values : array-like
        The observations.
    numerators, denominators : array-like or None
        Their counts.
    per : float or None
        The rate's scale.
    alpha : float, default 0.05
        ``1 - alpha`` intervals.

    Returns
    -------
    pandas.DataFrame
        Columns ``year, value, lower, upper``.

    References
    ----------
    Wilson, E. B. (1927). JASA 22, 209-212. Garwood, F. (1936). Biometrika 28, 437-442.
    """
    out = pd.DataFrame({"year": np.asarray(years, dtype=float), "value": np.asarray(values, dtype=float)})
    out["lower"] = out["upper"] = np.nan
    if numerators is None or denominators is None or not per:
        return out
    num, den = np.asarray(numerators, dtype=float), np.asarray(denominators, dtype=float)
    have = ~np.isnan(num) & ~np.isnan(den) & (den > 0) & (num >= 0)
    if not have.any():
        return out
    from womenstats.gender.intervals import poisson_rate, proportion

    if float(per) <= 100 and (num[have] <= den[have]).all():
        est = proportion(num[have], den[have], per=float(per), alpha=alpha)
    else:
        est = poisson_rate(num[have], den[have], per=float(per), alpha=alpha)
    out.loc[have, "lower"] = np.asarray(est["lower"], dtype=float)
    out.loc[have, "upper"] = np.asarray(est["upper"], dtype=float)
    return out


def _target(target) -> tuple[float, str, int | None, str]:
    """Return a target's value, operator, year and unit from a number, an id, a row or a mapping."""
    if target is None:
        return math.nan, "", None, ""
    if isinstance(target, int | float | np.integer | np.floating) and not isinstance(target, bool):
        return float(target), "", None, ""
    from womenstats.catalog.facts import target_info

    info = target_info(target)
    value = info.get("value")
    due = info.get("target_year")
    return (math.nan if value is None or pd.isna(value) else float(value), str(info.get("operator") or ""),
            None if due is None or pd.isna(due) else int(due), str(info.get("unit") or ""))


def target_label(value: float, operator: str, unit: str) -> str:
    """Return the legend label of a target line: ``目标 ≥ 85%``, ``目标 ≤ 12 1/10万``.

    Examples
    --------
    >>> target_label(85, ">=", "%"), target_label(12, "<=", "1/10万"), target_label(1.0, "", "比值")
    ('目标 ≥ 85%', '目标 ≤ 12 1/10万', '目标 1')
    """
    shown = "" if unit in ("", "比值") else (unit if unit in ("%", "‰") else f" {unit}")
    words = OPERATOR_WORDS.get(operator, "")
    return f"目标 {words} {value:g}{shown}".replace("  ", " ")


def draw_fan(ax, forecast: pd.DataFrame) -> None:
    """Draw the 95% and 80% prediction intervals of a forecast as a fan (nothing without them).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    forecast : pandas.DataFrame
        Columns ``year, lo80, hi80, lo95, hi95`` (:meth:`~womenstats.trend.Projection.forecast`).
    """
    if forecast.empty or not forecast["lo95"].notna().any():
        return
    ax.fill_between(forecast["year"], forecast["lo95"], forecast["hi95"], color=FAN, alpha=0.18, linewidth=0,
                    label="95% 预测区间")
    ax.fill_between(forecast["year"], forecast["lo80"], forecast["hi80"], color=FAN, alpha=0.38, linewidth=0,
                    label="80% 预测区间")


def draw_observed(ax, observed: pd.DataFrame, *, level: float = 95, markersize: float = 5,
                  linewidth: float = 1.4, capsize: float = 2) -> None:
    """Draw observations as points joined by a line, with the interval of each that has one.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    observed : pandas.DataFrame
        Columns ``year, value`` and optionally ``lower, upper`` (:func:`observation_intervals`).
    level : float, default 95
        The intervals' confidence level in %, for the legend.
    markersize, linewidth, capsize : float
        Sizes of the points, the line and the interval caps.
    """
    if {"lower", "upper"} <= set(observed.columns):
        spans = observed.dropna(subset=["lower", "upper"])
        if len(spans):
            ax.errorbar(spans["year"], spans["value"],
                        yerr=[spans["value"] - spans["lower"], spans["upper"] - spans["value"]], fmt="none",
                        ecolor="#777777", elinewidth=0.8, capsize=capsize,
                        label=f"观测值的{level:g}%置信区间")
    ax.plot(observed["year"], observed["value"], color=INK, marker="o", markersize=markersize,
            linewidth=linewidth, label="观测值")


def plot_projection(proj, ax=None, *, target=None, until: int | None = None, alpha: float = 0.05):
    """Draw a projection on an Axes and return it.

    Observations are points joined by a line, with the ``1 - alpha`` interval of each value that
    has its counts (:func:`observation_intervals`); the fitted trend runs through the observed
    years (dashed) and on to ``until`` with the 80% and 95% prediction intervals as a fan from the
    latest observation (:meth:`~womenstats.trend.Projection.forecast`); a target draws its level as
    a horizontal line and its year as a vertical one.

    Parameters
    ----------
    proj : womenstats.trend.Projection
        The projection.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new pyplot figure when omitted (shown inline in a notebook).
    target : float, str, pandas.Series or mapping, optional
        A target level; or a target by id (``kaiping.economy.03``), a row of
        :func:`womenstats.catalog.load` or a mapping with ``value, operator, target_year``.
    until : int, optional
        Last year drawn: the target's year, else five years after the latest observation.
    alpha : float, default 0.05
        Level of the observations' intervals.

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    value, operator, target_year, unit = _target(target)
    unit = unit or proj.unit
    last = proj.last_year
    if until is None:
        ahead = (last if last is not None else 0) + DEFAULT_AHEAD
        until = max(ahead, target_year or ahead)
    if proj.fit is not None and last is not None:
        first = int(proj.years[0])
        path = proj.forecast(years=np.arange(first, max(until, last) + 1))
        draw_fan(ax, path.loc[path["year"] >= last])
        ax.plot(path["year"], path["point"], color=INK, linestyle="--", linewidth=1.2,
                label=f"趋势（{proj.model}）")
    observed = observation_intervals(proj.years, proj.values, proj.numerators, proj.denominators, proj.per,
                                     alpha)
    draw_observed(ax, observed, level=100 * (1 - alpha))
    if not math.isnan(value):
        ax.axhline(value, color=TARGET, linestyle=TARGET_DASHES, linewidth=1.3,
                   label=target_label(value, operator, unit))
    if target_year is not None:
        ax.axvline(target_year, color="#555555", linestyle=":", linewidth=1.1, label=f"目标年 {target_year}")
    ax.set_title(proj.label or "趋势预测", loc="left")
    ax.set_xlabel("年份")
    if unit:
        ax.set_ylabel(unit)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.legend(loc="best", fontsize=8, frameon=False)
    return ax
