"""Our method: judge one target on one series from its projection (``method="ours"``).

:func:`assess_series` is a pure function of a series, a target and its indicator: the plan-level
:func:`womenstats.assess.plan.assess_plan`, the batch path and the peers' methods all meet at its
signature (see :mod:`womenstats.assess.methods`). The rules are in ``docs/status_rules.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from womenstats import trend
from womenstats.assess import early_warnings as ew
from womenstats.assess.series import baseline_value
from womenstats.assess.small_numbers import is_small, pooled_rate, regress_test
from womenstats.assess.status import (
    FINAL_LAG,
    RELATIVE_COMPARISONS,
    classify,
    judged_level,
    relative_level,
    status_label,
    value_operator,
)
from womenstats.catalog.codes import UNITS
from womenstats.catalog.facts import indicator_info, target_info
from womenstats.errors import InputError
from womenstats.trend import meets

#: Keys of the dict :func:`assess_series` returns (the per-series columns of an assessment).
RESULT_KEYS: tuple[str, ...] = (
    "n_obs", "last_year", "last_value", "model", "proj_value", "proj_lo80", "proj_hi80", "proj_lo95",
    "proj_hi95", "p_attain", "status", "warnings", "status_label", "warning_text", "target_level",
    "comparison", "final",
)

DIRECTIONS = ("increase", "decrease")


@dataclass(frozen=True)
class Evidence:
    """What the status rule needs: met now, nearly met, probabilities of attainment and of moving away.

    Attributes
    ----------
    met_now : bool
        The judged value meets the target (for a direction: it has moved the stated way from the
        baseline by more than the published precision, or sits at the bound the direction leads to).
    p_attain : float
        Probability under the projection that the target-year value meets the target.
    p_worse : float
        Probability that the series moves away from the target (for ``≈`` and ``=``, NaN when the
        latest value sits on it: no side is away).
    point_meets : bool or None
        Whether the projection's point value for the target year meets it (None: no point value).
    regress : bool or None
        For small counts, whether the pooled recent rate is significantly worse than the pooled
        earlier one (:func:`~womenstats.assess.small_numbers.regress_test`; None: not tested).
    nearly : bool
        The judged value is short of the target by no more than the indicator's ``near`` (基本达标).
    """

    met_now: bool
    p_attain: float
    p_worse: float
    point_meets: bool | None
    regress: bool | None = None
    nearly: bool = False


@dataclass(frozen=True)
class Bar:
    """A value target as it is judged: the comparison, the level, the tolerance of ``≈``.

    ``step`` is half a unit in the last digit the indicator is published with: a value within it
    of the level prints as the level and meets it (a coverage of 99.96% reads 100.0%). ``near``
    is the indicator's tolerance of 基本达标.
    """

    cmp: str
    level: float
    tol: float
    step: float
    near: float

    def loosened(self, by: float) -> tuple[float, float]:
        """Return ``(level, tolerance)`` widened by ``by`` on the side a value falls short."""
        if self.cmp == ">=":
            return self.level - by, self.tol
        if self.cmp == "<=":
            return self.level + by, self.tol
        return self.level, self.tol + by

    def met(self, x: float) -> bool:
        """Whether ``x`` meets the target at the published precision."""
        return meets(self.cmp, x, *self.loosened(self.step))

    def nearly(self, x: float) -> bool:
        """Whether ``x`` misses the target by no more than the tolerance of 基本达标."""
        return self.near > 0 and not self.met(x) and meets(self.cmp, x, *self.loosened(self.near))


def _num(x) -> float:
    return math.nan if x is None or pd.isna(x) else float(x)


def _digits(value: float) -> int:
    """Return the digits after the decimal point of a number as written (``99.95`` -> 2, ``70.0`` -> 0)."""
    if math.isnan(value) or not math.isfinite(value):
        return 0
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def published_step(indicator, value: float = math.nan) -> float:
    """Return half a unit in the last digit a value is published to.

    The digits are the indicator's unit's (:attr:`womenstats.catalog.Unit.decimals`, one for a %)
    or the target's own when it is written more finely (``99.95%``): a value within this step of
    a target prints as the target and meets it. 0 for an unknown unit.

    Parameters
    ----------
    indicator : str, womenstats.catalog.Indicator or mapping
        The indicator (its ``unit``; :func:`indicator_info`).
    value : float, optional
        The target value as written.

    Returns
    -------
    float

    Examples
    --------
    >>> published_step({"unit": "%"}), published_step({"unit": "%"}, 99.95)
    (0.05, 0.005)
    """
    unit = UNITS.get(str(indicator_info(indicator).get("unit") or ""))
    if unit is None:
        return 0.0
    return 0.5 * 10.0 ** (-max(unit.decimals, _digits(value)))


def _small(series: pd.DataFrame, indicator: Mapping) -> bool:
    """Whether the latest value is a rate from few events (not a share of a body counted in full)."""
    return (not series.empty and not indicator.get("enumerated", False)
            and is_small(_num(series["numerator"].iloc[-1])) and _num(series["denominator"].iloc[-1]) > 0)


def _away(cmp: str, last: float, value: float) -> str | None:
    """Return the direction that moves away from ``cmp value`` from the latest value."""
    if cmp == ">=":
        return "decrease"
    if cmp == "<=":
        return "increase"
    if math.isnan(last) or last == value:
        return None
    return "increase" if last > value else "decrease"


def _p_worse(proj: trend.Projection, direction: str | None) -> float:
    return math.nan if direction is None else proj.p_direction(direction)


def value_bar(target, indicator, value: float | None = None) -> Bar:
    """Return how a value target (``<=, >=, ≈, =, maintain``) is judged on its indicator.

    Parameters
    ----------
    target : str, pandas.Series or mapping
        The target (its ``operator, value, tolerance``): an id, a catalog row or a mapping
        (:func:`womenstats.catalog.target_info`).
    indicator : str, womenstats.catalog.Indicator or mapping
        Its indicator (``better, lower, upper, band, near, unit``; :func:`indicator_info`).
    value : float, optional
        The level to use instead of the target's value (the baseline for ``maintain`` without
        one). The target's digits set the published precision unless ``computed`` is true in
        ``target`` (a level computed from the baseline: the unit's digits).

    Returns
    -------
    Bar
    """
    target, indicator = target_info(target), indicator_info(indicator)
    value = _num(target["value"]) if value is None else value
    tol = _num(target.get("tolerance"))
    band = _num(indicator.get("band"))
    band = None if math.isnan(band) else band
    cmp = value_operator(target["operator"], value, indicator["better"], _num(indicator.get("lower")),
                         _num(indicator.get("upper")), band)
    if math.isnan(tol):
        tol = band if (cmp == "≈" and band is not None and target["operator"] == "maintain") else 0.0
    near = _num(indicator.get("near"))
    written = math.nan if target.get("computed") else value  # a level computed from a baseline
    return Bar(cmp, judged_level(target["operator"], value, tol, cmp), tol if cmp == "≈" else 0.0,
               published_step(indicator, written), 0.0 if math.isnan(near) else near)


def _observed(series: pd.DataFrame, indicator: Mapping) -> tuple[float, bool | None]:
    """Return the value a target is judged on (pooled over 3 years for small counts) and the regress test."""
    last = float(series["value"].iloc[-1])
    if _small(series, indicator) and indicator.get("per"):
        counts = (series["year"], series["numerator"], series["denominator"])
        pooled = pooled_rate(*counts, float(indicator["per"]))
        return (pooled.rate if pooled is not None else last), regress_test(*counts, indicator["better"])
    return last, None


def _value_evidence(series, proj, bar: Bar, indicator, point, target_year: int) -> Evidence:
    """Evidence for a value target: met (or nearly) by the latest (or pooled small-count) value."""
    observed, regress = _observed(series, indicator)
    level, tol = bar.loosened(bar.step)
    return Evidence(
        met_now=bar.met(observed),
        nearly=bar.nearly(observed),
        p_attain=proj.prob(bar.cmp, level, target_year, tolerance=tol),
        p_worse=_p_worse(proj, _away(bar.cmp, float(series["value"].iloc[-1]), bar.level)),
        point_meets=None if math.isnan(point) else meets(bar.cmp, point, level, tol),
        regress=regress,
    )


def _baseline(series: pd.DataFrame, baseline_year: int | None) -> tuple[int, float]:
    if baseline_year is not None and (series["year"] == baseline_year).any():
        row = series.loc[series["year"] == baseline_year].iloc[0]
    else:
        row = series.iloc[0]
    return int(row["year"]), float(row["value"])


def _at_limit(direction: str, last: float, limits: tuple[float, float], step: float) -> bool:
    """Whether the latest value sits at the bound the stated direction leads to (提高 at 100%)."""
    lower, upper = limits
    if direction == "increase":
        return not math.isnan(upper) and last >= upper - step
    return not math.isnan(lower) and last <= lower + step


def _direction_evidence(series, proj, direction, point, baseline_year, indicator, limits) -> Evidence:
    """Evidence for ``increase``/``decrease`` (and ``narrow`` on the gap's size): the trend's sign.

    Met now when the latest value is better than the baseline's by more than the published
    precision, or already at the bound the direction leads to (提高 at 100%, 降低 or 缩小 to 0).
    """
    step = published_step(indicator)
    base_year, base = _baseline(series, baseline_year)
    last_year, last = int(series["year"].iloc[-1]), float(series["value"].iloc[-1])
    sign = 1.0 if direction == "increase" else -1.0
    p = proj.p_direction(direction)
    regress = None
    if _small(series, indicator):
        better = "higher" if direction == "increase" else "lower"
        regress = regress_test(series["year"], series["numerator"], series["denominator"], better)
    improved = last_year > base_year and sign * (last - base) > step
    return Evidence(
        met_now=improved or _at_limit(direction, last, limits, step),
        p_attain=p,
        p_worse=1.0 - p,
        point_meets=None if math.isnan(point) else meets(">" if sign > 0 else "<", point, last),
        regress=regress,
    )


def _break_interval(series, operator, indicator) -> tuple[float, float]:
    """95% interval for the latest year from the model fitted to the years before it."""
    earlier = series.iloc[:-1]
    if len(earlier) < ew.BREAK_MIN_EARLIER:
        return math.nan, math.nan
    proj = target_projection(earlier, operator, indicator)
    if "exact_fit" in proj.flags:
        return math.nan, math.nan
    row = proj.forecast(years=int(series["year"].iloc[-1])).iloc[0]
    return float(row["lo95"]), float(row["hi95"])


def _warnings(series, evidence, operator, indicator, *, final, target_year, year) -> list[ew.EarlyWarning]:
    years, values = series["year"].to_numpy(), series["value"].to_numpy(float)
    held = evidence.met_now or evidence.nearly
    found = [
        ew.shortfall(met_now=held, final=final, p_attain=evidence.p_attain,
                     point_meets=evidence.point_meets, target_year=target_year),
        None if final else ew.slipping(met_now=held, p_attain=evidence.p_attain,
                                       point_meets=evidence.point_meets, target_year=target_year),
        ew.volatile(years, values),
        ew.trend_break(int(years[-1]), float(values[-1]), *_break_interval(series, operator, indicator)),
        ew.small_numbers(_num(series["numerator"].iloc[-1])) if _small(series, indicator) else None,
        ew.stale(int(years[-1]), year),
    ]
    return [w for w in found if w is not None]


def _empty(status: str, series: pd.DataFrame | None = None, *, final: bool = False,
           stage: str = "annual") -> dict[str, object]:
    out: dict[str, object] = dict.fromkeys(RESULT_KEYS, math.nan)
    seen = series is not None and not series.empty
    out.update(n_obs=0 if series is None else len(series), model="none", status=status,
               status_label=status_label(status, final=final, stage=stage), warnings="", warning_text="",
               last_year=int(series["year"].iloc[-1]) if seen else None,
               last_value=float(series["value"].iloc[-1]) if seen else math.nan, comparison="", final=final)
    return out


def target_projection(series: pd.DataFrame, operator: str, indicator) -> trend.Projection:
    """Project a target's series exactly as :func:`assess_series` does.

    :func:`womenstats.trend.project` on the series with the indicator: its bounds (``(0, None)``
    for the size of a gap, ``narrow``), ``per`` and ``better``, and the series' numerators and
    denominators when any is stored. A projection made by hand with
    ``trend.project(series, indicator=...)`` is therefore the assessment's (the same call).

    Parameters
    ----------
    series : pandas.DataFrame
        Columns ``year, value, numerator, denominator`` (rows with a value; for ``narrow`` the
        gap's size).
    operator : str
        The target's operator.
    indicator : str, womenstats.catalog.Indicator or mapping
        The indicator (:func:`indicator_info`): ``lower, upper, better, per``.

    Returns
    -------
    womenstats.trend.Projection
    """
    bounds = (0.0, None) if operator == "narrow" else None
    return trend.project(series, indicator=indicator, bounds=bounds)


def _relative(series, target, baseline_year):
    """Turn a change from the baseline into a level target, or None without a baseline-year value."""
    base = baseline_value(series, baseline_year)
    if base is None:
        return None
    operator, level = relative_level(target["operator"], _num(target["value"]), base)
    return {**target, "operator": operator, "value": level, "tolerance": math.nan, "computed": True}


def _too_old(last_year: int, target_year: int, year: int) -> str:
    """Return why a final verdict cannot rest on data this old (empty when it can)."""
    reference = min(target_year, year)
    if last_year >= reference - FINAL_LAG:
        return ""
    return (f"最新数据为{last_year}年，早于目标年（{reference}年）{FINAL_LAG}年以上，"
            "不能据此作出终期判定，请补报近年数据。")


def assess_series(series: pd.DataFrame, target, indicator=None, *, year: int,
                  baseline_year: int | None = None) -> dict[str, object]:
    """Judge one target on one series: position first, then projection, status and warnings.

    Parameters
    ----------
    series : pandas.DataFrame
        Columns ``year, value, numerator, denominator``; for a ``narrow`` target the gap as the
        registry defines it (signed; judged on its size); years after ``year`` are left out.
    target : str, pandas.Series or mapping
        The target: its id (``kaiping.health.02-1``), its catalog row or a mapping
        (:func:`womenstats.catalog.target_info`) with ``kind, operator, value, tolerance,
        target_year``, and optionally ``stage`` (``annual``, ``midterm`` or ``final``: the
        evaluation's kind, which sets the labels; a final evaluation judges every target as a
        final verdict).
    indicator : str, womenstats.catalog.Indicator or mapping, optional
        Its indicator (:func:`indicator_info`): ``lower, upper, better, per``, and ``near``
        (tolerance of 基本达标), ``band`` (two-sided band of a neutral indicator) and ``unit`` (its
        published precision) when known. The target's ``indicator_id`` when omitted.
    year : int
        Assessment year.
    baseline_year : int, optional
        The plan's baseline year (the reference of directional targets; the first observation
        when it is not observed).

    Returns
    -------
    dict
        Keys :data:`RESULT_KEYS`. ``p_attain`` is the probability of attainment for a value target,
        the probability that the trend goes the stated way for a directional one.
        ``target_level`` is the level judged against and ``comparison`` how (``>=``, ``<=``,
        ``≈``): “45%左右” on an indicator where higher is better is ``>= 44``; for a change from
        the baseline (``decrease_pct`` …) the level it sets
        (:func:`~womenstats.assess.status.relative_level`); without a baseline-year value such a
        target is ``insufficient_data``. ``final`` is True for a final verdict (the target year has
        come, or a final evaluation), whose status is ``achieved``, ``nearly_achieved``,
        ``not_achieved`` or ``insufficient_data`` (data older than two years before the target
        year). For ``narrow`` ``last_value`` is the signed gap, the projection its size.
    """
    target = target_info(target)
    if indicator is None:
        indicator = target.get("indicator_id") or {}
        if not indicator and target.get("kind") != "qualitative":
            raise InputError("目标没有 indicator_id：请传入 indicator=指标 id、名称或对象。",
                             code="E_NO_INDICATOR")
    indicator = indicator_info(indicator)
    stage = str(target.get("stage") or "annual")
    target_year = int(target["target_year"])
    final = stage == "final" or int(year) >= target_year
    if target["kind"] == "qualitative" or not target.get("operator"):
        return _empty("qualitative", final=final, stage=stage)
    series = series.dropna(subset=["value"])
    series = series.loc[series["year"] <= year].sort_values("year").reset_index(drop=True)
    if series.empty:
        return _empty("insufficient_data", final=final, stage=stage)
    operator = target["operator"]
    if operator in RELATIVE_COMPARISONS:
        target = _relative(series, target, baseline_year)
        if target is None:
            out = _empty("insufficient_data", series, final=final, stage=stage)
            out["warning_text"] = f"无基期（{baseline_year}年）数值，无法按“比基期变化”判定。"
            return out
        operator = target["operator"]
    signed_last = float(series["value"].iloc[-1])
    if operator == "narrow":
        series = series.assign(value=series["value"].abs())
    if len(series) < 2 and (operator in (*DIRECTIONS, "narrow") or (
            operator == "maintain" and math.isnan(_num(target["value"])))):
        return _empty("insufficient_data", series, final=final, stage=stage)  # a direction needs two values
    old = _too_old(int(series["year"].iloc[-1]), target_year, int(year)) if final else ""
    proj = target_projection(series, operator, indicator)
    forecast = proj.forecast(years=target_year).iloc[0]
    point = float(forecast["point"])
    if operator in DIRECTIONS or operator == "narrow":
        direction = "decrease" if operator == "narrow" else operator
        limits = (0.0, math.nan) if operator == "narrow" else (
            _num(indicator.get("lower")), _num(indicator.get("upper")))
        evidence = _direction_evidence(series, proj, direction, point, baseline_year, indicator, limits)
        bar = None
    else:
        value = _num(target["value"])
        if operator == "maintain" and math.isnan(value):
            value = _baseline(series, baseline_year)[1]
        bar = value_bar(target, indicator, value)
        evidence = _value_evidence(series, proj, bar, indicator, point, target_year)
    status = "insufficient_data" if old else classify(
        kind=target["kind"], n_obs=proj.n_obs, met_now=evidence.met_now, nearly=evidence.nearly,
        p_attain=evidence.p_attain, p_worse=evidence.p_worse, final=final, regress_test=evidence.regress,
        point_meets=evidence.point_meets)
    warnings = _warnings(series, evidence, operator, indicator, final=final, target_year=target_year,
                         year=year)
    return {
        "n_obs": proj.n_obs,
        "last_year": proj.last_year,
        "last_value": signed_last,
        "model": proj.model,
        "proj_value": point,
        "proj_lo80": float(forecast["lo80"]),
        "proj_hi80": float(forecast["hi80"]),
        "proj_lo95": float(forecast["lo95"]),
        "proj_hi95": float(forecast["hi95"]),
        "p_attain": evidence.p_attain,
        "status": status,
        "warnings": ";".join(w.code for w in warnings),
        "status_label": status_label(status, final=final, stage=stage),
        "warning_text": old + "".join(w.text for w in warnings),
        "target_level": bar.level if bar is not None else math.nan,
        "comparison": bar.cmp if bar is not None else operator,
        "final": final,
    }
