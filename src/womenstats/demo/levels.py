"""Which series a simulated county reports, at what level, and how much they swing.

Levels are anchored to the real national series or the plans' own targets; the year-to-year swing
is calibrated on the national series (:func:`national_noise`). Part of :mod:`womenstats.demo`.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from womenstats import catalog
from womenstats.demo.assumptions import (
    DEFAULT_RHO,
    DRIFT,
    LINKS,
    REGIONAL_SPREAD,
    RegionAssumption,
    typical_levels,
)
from womenstats.intake import reference
from womenstats.intake.national import national_validation
from womenstats.intake.rules import female_only

#: The breakdown value a gap row carries for the breakdown it subtracts across.
ACROSS = {"sex": "total", "residence": "all"}


def national_levels(raw: Path | None = None) -> dict[tuple[str, str, str], list[tuple[int, float]]]:
    """Return the national series by (indicator, sex, residence): (year, value) sorted."""
    out: dict[tuple[str, str, str], list[tuple[int, float]]] = {}
    rows = national_validation(raw).rows
    for row in rows.itertuples(index=False):
        if row.age_group == "all":
            out.setdefault((row.indicator_id, row.sex, row.residence), []).append(
                (int(row.year), float(row.value))
            )
    return {key: sorted(values) for key, values in out.items()}


def region_code(region: RegionAssumption) -> str:
    """Return the GB/T 2260 code of a simulated region (its own, else its plan's)."""
    return region.code or str(catalog.plan(region.plan).region_code)


def targets_of(plans: tuple[str, ...]) -> pd.DataFrame:
    """Return the targets of the plans, one table."""
    return pd.concat([catalog.load(p) for p in plans], ignore_index=True)


def needed(plans: str | tuple[str, ...]) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """Return (indicator, age group) → the (sex, residence) pairs a county reports, with breakdowns.

    Every indicator the plans' quantitative or directional targets name (restatements skipped), in
    the breakdowns the targets need plus the total and the parts the cross-checks of ``validate``
    use; the two components of every gap a target names (a gap is computed from them); every basic
    sex-disaggregated statistic of the registry (``sex_core``) for women, men and the total; and the
    women's statistics those are linked to (:data:`~womenstats.demo.assumptions.LINKS`).
    """
    targets = targets_of((plans,) if isinstance(plans, str) else plans)
    registry = reference.indicators()
    out: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for row in targets.itertuples(index=False):
        ind = str(row.indicator_id or "").strip() if isinstance(row.indicator_id, str) else ""
        if not ind or ind not in registry or row.kind == "qualitative":
            continue
        if isinstance(getattr(row, "links_to", ""), str) and row.links_to.strip():
            continue
        age = str(row.age_group or "all") if isinstance(row.age_group, str) else "all"
        out.setdefault((ind, age), set()).add((str(row.sex or "total"), str(row.residence or "all")))
    for ind, info in registry.items():
        if info.sex_core:
            out.setdefault((ind, "all"), set()).add(("female", "all"))
    for ind, age in list(out):
        spec = registry[ind].derived
        if spec is not None:
            base = "female" if female_only(registry[spec.source]) else "total"
            side = [(s, "all") for s in (spec.minuend, spec.subtrahend)] if spec.by == "sex" else [
                (base, r) for r in (spec.minuend, spec.subtrahend)]
            out.setdefault((spec.source, age), set()).update(side)
    for ind, source in LINKS.items():
        if (ind, "all") in out:
            out.setdefault((source, "all"), set()).add(("female", "all"))
    return {key: _with_parts(registry[key[0]], combos) for key, combos in out.items()}


def _with_parts(info: reference.IndicatorInfo, combos: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Add the total and the parts a breakdown's cross-checks need (a women-only measure: women's rows)."""
    if info.derived is not None:
        return {("female" if female_only(info) else "total", "all")}
    if female_only(info):
        combos = {("female", res) for _, res in combos}
    if "sex" in info.breakdowns and any(sex != "total" for sex, _ in combos):
        combos |= {("female", "all"), ("male", "all"), ("total", "all")}
    if "residence" in info.breakdowns and any(res != "all" for _, res in combos):
        base = "female" if female_only(info) else "total"
        combos |= {(base, "urban"), (base, "rural"), (base, "all")}
    return combos


def anchor(
    info: reference.IndicatorInfo,
    region: RegionAssumption,
    combo: tuple[str, str],
    national: dict,
    rng: np.random.Generator,
    population: float,
    shared: tuple[float, float, float] = (0.5, 0.5, 1.0),
) -> tuple[float, float]:
    """Return the 2020 level and the yearly change of a simulated series.

    Rules (written out in README.md): a level a plan says the county keeps (``maintain``:
    保持/巩固在X以上) stands just beyond that value (:func:`held_level`, :func:`_held_anchor`);
    otherwise the national value nearest 2020 when the national series has
    the indicator and breakdown (and the value is no national total of a count), times a regional
    factor (±8%, ±3% for ages and years; the yearly change is the national least-squares slope, or a
    small improvement when there is one point); otherwise the plans' own target (the first of
    ``region.plans`` that has one): for ``>=`` 90–100% of the target value, for ``<=`` 100–125%, for
    ``≈``/``=`` the value itself, moving by 0.5–3% of the level a year (0.1–0.4% for ages and years,
    :data:`DRIFT`) in the better direction; without a target value, the typical county level of
    :func:`~womenstats.demo.assumptions.typical_levels` (a count per resident, times ``population``).
    The region's ``standing`` then moves the level that share in the better direction. Some series
    are set to move the wrong way (about one in eight).

    The regional factor, the yearly change and whether the series goes the wrong way are drawn once
    per indicator (``shared``: three uniform draws on 0–1, shared by its breakdowns), so women and
    men, town and country of a county stand near each other and move together; a breakdown without
    a series or level of its own deviates from the shared level by at most ±1.5%.
    """
    quantile, pace, wrong_way = shared
    sex, residence = combo
    series = None if info.additive else national.get((info.id, sex, residence)) or national.get(
        (info.id, "female" if female_only(info) else "total", "all"))
    step_sign = {"higher": 1.0, "lower": -1.0}.get(info.better, 0.0)
    own_level = combo in (("total", "all"), ("female", "all"))
    targets = targets_of(region.plans)
    rows = targets[(targets["indicator_id"] == info.id)]
    held = _held_value(rows)
    if held is not None:
        own = (info.id, sex, residence) in national if series else own_level
        return _held_anchor(info, held, own, shared, rng)
    if series:
        years = np.array([y for y, _ in series], dtype=float)
        values = np.array([v for _, v in series], dtype=float)
        nearest = int(np.argmin(np.abs(years - 2020)))
        level = float(values[nearest])
        slope = float(np.polyfit(years, values, 1)[0]) if len(series) >= 2 and np.ptp(years) > 0 else 0.0
        if slope == 0.0:
            slope = step_sign * 0.01 * abs(level)
        level = level + slope * (2020 - years[nearest])
        own = (info.id, sex, residence) in national
        factor = _factor(REGIONAL_SPREAD.get(info.unit, 0.08), quantile, own, rng)
        return level * factor * (1 + region.standing * step_sign), slope
    value = next((float(v) for v in rows["value"] if _is_number(v)), None)
    operator = next((str(o) for o in rows["operator"] if isinstance(o, str) and o), "")
    if value is None:
        levels = typical_levels()
        default = levels.get((info.id, "any"), 50.0 if info.unit == "%" else 1.0)
        typical = levels.get((info.id, sex), default)
        level = typical * population / info.scale if info.additive and typical < 1 else typical
        own = (info.id, sex) in levels or own_level
        level *= _factor(REGIONAL_SPREAD.get(info.unit, 0.15), quantile, own, rng)
    elif operator == ">=":
        level = value * (0.90 + 0.10 * quantile) * _factor(0.0, quantile, own_level, rng)
    elif operator == "<=":
        level = value * (1.00 + 0.25 * quantile) * _factor(0.0, quantile, own_level, rng)
    else:
        level = value
    level *= 1 + region.standing * step_sign
    low, high = DRIFT.get(info.unit, (0.005, 0.03))
    drift = (low + (high - low) * pace) * abs(level) * step_sign
    if wrong_way < 0.125:
        drift = -drift
    return level, drift


def held_level(info: reference.IndicatorInfo, plans: tuple[str, ...]) -> float | None:
    """Return the value of a ``maintain`` target (保持/巩固在X以上) the plans set for an indicator.

    A plan that says a county will *keep* a level says the county has it: the level is the plan's
    own evidence of the county, stronger than the national average (a county whose plan says
    “农村自来水普及率巩固在99%以上” does not report 87%). None when no plan says so.
    """
    targets = targets_of(plans)
    return _held_value(targets.loc[targets["indicator_id"] == info.id])


def _held_value(rows: pd.DataFrame) -> float | None:
    """Return the value of the first ``maintain`` target among one indicator's target rows."""
    return next((float(v) for v in rows.loc[rows["operator"] == "maintain", "value"] if _is_number(v)), None)


#: How far above a held level (toward the indicator's bound) a county stands, at most: 5% of the level.
HELD_MARGIN = 0.05
#: A held level moves this share of the usual yearly change (:data:`DRIFT`): it is kept, not raised.
HELD_PACE = 0.1


def _held_anchor(info: reference.IndicatorInfo, value: float, own: bool, shared: tuple[float, float, float],
                 rng: np.random.Generator) -> tuple[float, float]:
    """Return the 2020 level and yearly change of a series whose plan holds ``value`` (:func:`held_level`).

    The level stands between the held value and the indicator's bound, at most :data:`HELD_MARGIN`
    of the value beyond it and never on the bound (98%以上 → 98.1–99.9%), and moves
    :data:`HELD_PACE` of the usual change in the better direction (about one series in eight the
    other way, as every series). ``own`` is whether the breakdown has a level of its own: a
    breakdown without one takes ±30% of the shared margin, drawing from ``rng`` exactly as
    :func:`anchor`'s rule for it would (its ±1.5%).
    """
    quantile, pace, wrong_way = shared
    step_sign = {"higher": 1.0, "lower": -1.0}.get(info.better, 0.0)
    bound = info.upper if step_sign > 0 else info.lower
    room = abs(bound - value) if bound is not None else HELD_MARGIN * abs(value)
    jitter = 1 + 20 * (_factor(0.0, quantile, own, rng) - 1)  # a breakdown without its own level: ±30%
    share = min(0.95, (0.1 + 0.7 * quantile) * jitter)  # of the margin: never on the bound itself
    level = clip(info, value + step_sign * min(room, HELD_MARGIN * abs(value)) * share)
    low, high = DRIFT.get(info.unit, (0.005, 0.03))
    drift = HELD_PACE * (low + (high - low) * pace) * abs(level) * step_sign
    return level, -drift if wrong_way < 0.125 else drift


def clip(info: reference.IndicatorInfo, value: float) -> float:
    """Return ``value`` within the indicator's bounds (``lower``, ``upper``; unbounded where None)."""
    low = info.lower if info.lower is not None else -math.inf
    high = info.upper if info.upper is not None else math.inf
    return float(min(max(value, low), high))


def _factor(spread: float, quantile: float, own: bool, rng: np.random.Generator) -> float:
    """Return the regional factor at ``quantile`` of 1 ± spread; a breakdown without its own level ±1.5%."""
    factor = 1 - spread + 2 * spread * quantile
    return factor if own else factor * rng.uniform(0.985, 1.015)


def national_noise(national: dict) -> tuple[dict[str, float], float]:
    """Calibrate the year-to-year noise from the real national series.

    For every national series with four or more years, the residuals from its least-squares line
    give a relative standard deviation ``sqrt(sum(r^2) / (n - 2)) / mean``; their median by unit is
    the structural noise of that unit (the overall median for units without a series), and the
    median lag-1 correlation of residuals in consecutive years is the autocorrelation
    (:data:`DEFAULT_RHO` when fewer than three series have three consecutive pairs).

    Returns
    -------
    (dict, float)
        Unit -> relative standard deviation (key ``""``: all units), and the lag-1 autocorrelation.
    """
    registry = reference.indicators()
    by_unit: dict[str, list[float]] = {}
    rhos: list[float] = []
    for (indicator, _sex, _res), points in sorted(national.items()):
        if len(points) < 4 or indicator not in registry:
            continue
        years = np.array([y for y, _ in points], dtype=float)
        values = np.array([v for _, v in points], dtype=float)
        resid = values - np.polyval(np.polyfit(years, values, 1), years)
        rel = math.sqrt(float((resid**2).sum()) / (len(values) - 2)) / abs(float(values.mean()))
        by_unit.setdefault(registry[indicator].unit, []).append(rel)
        by_unit.setdefault("", []).append(rel)
        pairs = [(resid[i], resid[i + 1]) for i in range(len(years) - 1) if years[i + 1] - years[i] == 1]
        if len(pairs) >= 3 and np.ptp([a for a, _ in pairs]) > 0:
            rhos.append(float(np.corrcoef(np.array(pairs).T)[0, 1]))
    noise = {unit: float(np.median(rel)) for unit, rel in by_unit.items()}
    rho = float(np.median(rhos)) if len(rhos) >= 3 else DEFAULT_RHO
    return noise, min(max(rho, 0.0), 0.9)


def ar1(n: int, rho: float, sd: float, rng: np.random.Generator) -> np.ndarray:
    """Return ``n`` stationary AR(1) deviations: ``e_t = rho e_{t-1} + sqrt(1 - rho^2) sd z_t``."""
    out = np.empty(n)
    out[0] = rng.normal(0.0, sd)
    for t in range(1, n):
        out[t] = rho * out[t - 1] + math.sqrt(1 - rho**2) * rng.normal(0.0, sd)
    return out


def _is_number(value: object) -> bool:
    try:
        return not math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


__all__ = ["ACROSS", "HELD_MARGIN", "HELD_PACE", "anchor", "ar1", "clip", "held_level", "national_levels",
           "national_noise", "needed", "region_code", "targets_of"]
