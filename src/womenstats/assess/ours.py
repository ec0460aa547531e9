"""Our method: judge one target on one series from its projection (``method="ours"``).

:func:`assess_series` is a pure function of a series, a target and its indicator: the plan-level
:func:`womenstats.assess.plan.assess_plan`, the batch path and the peers' methods all meet at its
signature (see :mod:`womenstats.assess.methods`). The rules are in ``docs/status_rules.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from womenstats import trend
from womenstats.assess import early_warnings as ew
from womenstats.assess.series import baseline_value
from womenstats.assess.small_numbers import POOL_YEARS, is_small, pooled_rate, regress_test
from womenstats.assess.status import (
    RELATIVE_COMPARISONS,
    STATUS_LABELS,
    classify,
    relative_level,
    value_operator,
)
from womenstats.trend import meets

#: Keys of the dict :func:`assess_series` returns (the per-series columns of an assessment).
RESULT_KEYS: tuple[str, ...] = (
    "n_obs", "last_year", "last_value", "model", "proj_value", "proj_lo80", "proj_hi80", "proj_lo95",
    "proj_hi95", "p_attain", "status", "warnings", "status_label", "warning_text", "target_level",
)

DIRECTIONS = ("increase", "decrease")


@dataclass(frozen=True)
class Evidence:
    """What the status rule needs: met now, probability of attainment, of moving away, and more."""

    met_now: bool
    p_attain: float
    p_worse: float
    point_meets: bool | None
    regress: bool | None = None


def _num(x) -> float:
    return math.nan if x is None or pd.isna(x) else float(x)


def _counts(series: pd.DataFrame) -> tuple[np.ndarray | None, np.ndarray | None]:
    num, den = series["numerator"].to_numpy(float), series["denominator"].to_numpy(float)
    if np.isnan(num).all() or np.isnan(den).all():
        return None, None
    return num, den


def _small(series: pd.DataFrame) -> bool:
    return not series.empty and is_small(_num(series["numerator"].iloc[-1])) and _num(
        series["denominator"].iloc[-1]) > 0


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


def _point_meets(cmp: str, point: float, value: float, tol: float) -> bool | None:
    return None if math.isnan(point) else meets(cmp, point, value, tol)


def _value_evidence(series, proj, target, indicator, point) -> Evidence:
    """Evidence for ``<=, >=, ≈, =``: met by the latest (or pooled small-count) value."""
    value, tol = _num(target["value"]), _num(target.get("tolerance"))
    tol = 0.0 if math.isnan(tol) else tol
    cmp = value_operator(target["operator"], value, indicator["better"], _num(indicator.get("lower")),
                         _num(indicator.get("upper")))
    last = float(series["value"].iloc[-1])
    observed = last
    regress = None
    if _small(series) and indicator.get("per"):
        counts = (series["year"], series["numerator"], series["denominator"])
        pooled = pooled_rate(*counts, float(indicator["per"]))
        observed = pooled.rate if pooled is not None else last
        regress = regress_test(*counts, indicator["better"])
    return Evidence(
        met_now=meets(cmp, observed, value, tol),
        p_attain=proj.prob(cmp, value, int(target["target_year"]), tolerance=tol),
        p_worse=_p_worse(proj, _away(cmp, last, value)),
        point_meets=_point_meets(cmp, point, value, tol),
        regress=regress,
    )


def _baseline(series: pd.DataFrame, baseline_year: int | None) -> tuple[int, float]:
    if baseline_year is not None and (series["year"] == baseline_year).any():
        row = series.loc[series["year"] == baseline_year].iloc[0]
    else:
        row = series.iloc[0]
    return int(row["year"]), float(row["value"])


def _direction_evidence(series, proj, direction, point, baseline_year) -> Evidence:
    """Evidence for ``increase``/``decrease`` (and ``narrow`` on the gap): the trend's sign."""
    base_year, base = _baseline(series, baseline_year)
    last_year, last = int(series["year"].iloc[-1]), float(series["value"].iloc[-1])
    cmp = ">" if direction == "increase" else "<"
    p = proj.p_direction(direction)
    regress = None
    if _small(series):
        better = "higher" if direction == "increase" else "lower"
        regress = regress_test(series["year"], series["numerator"], series["denominator"], better)
    return Evidence(
        met_now=last_year > base_year and meets(cmp, last, base),
        p_attain=p,
        p_worse=1.0 - p,
        point_meets=_point_meets(cmp, point, last, 0.0),
        regress=regress,
    )


def _maintain_evidence(series, proj, target, indicator, point, forecast, baseline_year) -> Evidence:
    """Evidence for ``maintain``: recent years all meet X and the 80% bound stays beyond it."""
    value = _num(target["value"])
    if math.isnan(value):
        value = _baseline(series, baseline_year)[1]
    cmp = value_operator("maintain", value, indicator["better"], None, None)
    recent = series["value"].iloc[-POOL_YEARS:]
    bound = float(forecast["lo80"] if cmp == ">=" else forecast["hi80"])
    bound_ok = math.isnan(bound) or meets(cmp, bound, value)
    last = float(series["value"].iloc[-1])
    return Evidence(
        met_now=all(meets(cmp, float(v), value) for v in recent) and bound_ok,
        p_attain=proj.prob(cmp, value, int(target["target_year"])),
        p_worse=_p_worse(proj, _away(cmp, last, value)),
        point_meets=_point_meets(cmp, point, value, 0.0),
    )


def _break_interval(series, operator, indicator) -> tuple[float, float]:
    """95% interval for the latest year from the model fitted to the years before it."""
    earlier = series.iloc[:-1]
    if len(earlier) < ew.BREAK_MIN_EARLIER:
        return math.nan, math.nan
    proj = target_projection(earlier, operator, indicator)
    if "exact_fit" in proj.flags:
        return math.nan, math.nan
    row = proj.forecast(int(series["year"].iloc[-1])).iloc[0]
    return float(row["lo95"]), float(row["hi95"])


def _warnings(series, evidence, operator, indicator, *, final, target_year, year) -> list[ew.EarlyWarning]:
    years, values = series["year"].to_numpy(), series["value"].to_numpy(float)
    found = [
        ew.shortfall(met_now=evidence.met_now, final=final, p_attain=evidence.p_attain,
                     point_meets=evidence.point_meets, target_year=target_year),
        ew.slipping(met_now=evidence.met_now, p_attain=evidence.p_attain, point_meets=evidence.point_meets,
                    target_year=target_year),
        ew.volatile(years, values),
        ew.trend_break(int(years[-1]), float(values[-1]), *_break_interval(series, operator, indicator)),
        ew.small_numbers(_num(series["numerator"].iloc[-1])),
        ew.stale(int(years[-1]), year),
    ]
    return [w for w in found if w is not None]


def _empty(status: str, series: pd.DataFrame | None = None) -> dict[str, object]:
    out: dict[str, object] = dict.fromkeys(RESULT_KEYS, math.nan)
    seen = series is not None and not series.empty
    out.update(n_obs=0 if series is None else len(series), model="none", status=status,
               status_label=STATUS_LABELS[status], warnings="", warning_text="",
               last_year=int(series["year"].iloc[-1]) if seen else None,
               last_value=float(series["value"].iloc[-1]) if seen else math.nan)
    return out


def target_projection(series: pd.DataFrame, operator: str, indicator: Mapping) -> trend.Projection:
    """Project a target's series exactly as :func:`assess_series` does.

    :func:`womenstats.trend.project` on ``year, value`` with the indicator's bounds (``(0, None)``
    for the size of a gap, ``narrow``), its numerators and denominators when any is stored, ``per``
    and ``better``.

    Parameters
    ----------
    series : pandas.DataFrame
        Columns ``year, value, numerator, denominator`` (rows with a value).
    operator : str
        The target's operator.
    indicator : mapping
        ``lower, upper, better, per``.

    Returns
    -------
    womenstats.trend.Projection
    """
    limits = (_num(indicator.get("lower")), _num(indicator.get("upper")))
    if operator == "narrow":
        limits = (0.0, math.nan)
    bounds = tuple(None if math.isnan(b) else b for b in limits)
    num, den = _counts(series)
    return trend.project(series["year"], series["value"], bounds=bounds, numerators=num, denominators=den,
                         per=indicator.get("per"), better=indicator.get("better"))


def assess_series(series: pd.DataFrame, target: Mapping, indicator: Mapping, *, year: int,
                  baseline_year: int | None = None) -> dict[str, object]:
    """Judge one target on one series: projection, probability of attainment, status and warnings.

    Parameters
    ----------
    series : pandas.DataFrame
        Columns ``year, value, numerator, denominator`` (the gap's size for a ``narrow`` target);
        years after ``year`` are left out.
    target : mapping
        ``kind, operator, value, tolerance, target_year`` of the target.
    indicator : mapping
        ``lower, upper, better, per`` of its indicator.
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
        ``target_level`` is the level judged against: the value, or for a change from the
        baseline (``decrease_pct`` …) the level it sets (:func:`~womenstats.assess.status.relative_level`);
        without a baseline-year value such a target is ``insufficient_data``.
    """
    if target["kind"] == "qualitative" or not target.get("operator"):
        return _empty("qualitative")
    series = series.dropna(subset=["value"])
    series = series.loc[series["year"] <= year].sort_values("year").reset_index(drop=True)
    if series.empty:
        return _empty("insufficient_data")
    operator = target["operator"]
    level = _num(target.get("value")) if operator in ("<=", ">=", "≈", "=", "maintain") else math.nan
    if operator in RELATIVE_COMPARISONS:
        base = baseline_value(series, baseline_year)
        if base is None:
            out = _empty("insufficient_data", series)
            out["warning_text"] = f"无基期（{baseline_year}年）数值，无法按“比基期变化”判定。"
            return out
        operator, level = relative_level(operator, _num(target["value"]), base)
        target = {**target, "operator": operator, "value": level}
    if len(series) < 2 and (operator in (*DIRECTIONS, "narrow") or (
            operator == "maintain" and math.isnan(_num(target["value"])))):
        return _empty("insufficient_data", series)  # a direction needs two values
    target_year = int(target["target_year"])
    proj = target_projection(series, operator, indicator)
    # judged on observed values once the target year itself is observed (data lag a year or two)
    final = int(series["year"].iloc[-1]) >= target_year
    forecast = proj.forecast(target_year).iloc[0]
    point = float(forecast["point"])
    if operator in DIRECTIONS or operator == "narrow":
        direction = "decrease" if operator == "narrow" else operator
        evidence = _direction_evidence(series, proj, direction, point, baseline_year)
    elif operator == "maintain":
        evidence = _maintain_evidence(series, proj, target, indicator, point, forecast, baseline_year)
    else:
        evidence = _value_evidence(series, proj, target, indicator, point)
    status = classify(kind=target["kind"], n_obs=proj.n_obs, met_now=evidence.met_now,
                      p_attain=evidence.p_attain, p_worse=evidence.p_worse, final=final,
                      regress_test=evidence.regress, point_meets=evidence.point_meets)
    warnings = _warnings(series, evidence, operator, indicator, final=final, target_year=target_year,
                         year=year)
    return {
        "n_obs": proj.n_obs,
        "last_year": proj.last_year,
        "last_value": float(series["value"].iloc[-1]),
        "model": proj.model,
        "proj_value": point,
        "proj_lo80": float(forecast["lo80"]),
        "proj_hi80": float(forecast["hi80"]),
        "proj_lo95": float(forecast["lo95"]),
        "proj_hi95": float(forecast["hi95"]),
        "p_attain": evidence.p_attain,
        "status": status,
        "warnings": ";".join(w.code for w in warnings),
        "status_label": STATUS_LABELS[status],
        "warning_text": "".join(w.text for w in warnings),
        "target_level": level,
    }
