"""Simulating a plan's series from the written assumptions.

Levels are anchored to the real national series or the plan's target, deviations are AR(1) and
calibrated on the national series, counts are binomial on a county's own denominators. Part of
:mod:`womenstats.demo`.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from womenstats import catalog
from womenstats.demo.assumptions import (
    BIRTH_RATE,
    COUNTY_SCALE,
    DEFAULT_RHO,
    DEFAULT_SHARE,
    DENOMINATORS,
    DRIFT,
    N_MISSING,
    N_SHORT,
    REGIONAL_SPREAD,
    SEED,
    TYPICAL_LEVELS,
    YEARS,
    RegionAssumption,
    Series,
    plan_seed,
)
from womenstats.intake import reference
from womenstats.intake.national import national_validation
from womenstats.intake.rules import female_only


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


def _targets(plans: tuple[str, ...]) -> pd.DataFrame:
    return pd.concat([catalog.load(p) for p in plans], ignore_index=True)


def needed(plans: str | tuple[str, ...]) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """Return (indicator, age group) → the (sex, residence) pairs the plans' targets need, with breakdowns."""
    targets = _targets((plans,) if isinstance(plans, str) else plans)
    registry = reference.indicators()
    out: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for row in targets.itertuples(index=False):
        ind = str(row.indicator_id or "").strip() if isinstance(row.indicator_id, str) else ""
        if not ind or ind not in registry or row.kind == "qualitative":
            continue
        if isinstance(getattr(row, "links_to", ""), str) and row.links_to.strip():
            continue
        info = registry[ind]
        age = str(row.age_group or "all") if isinstance(row.age_group, str) else "all"
        combos = out.setdefault((ind, age), set())
        combos.add((str(row.sex or "total"), str(row.residence or "all")))
        if female_only(info):
            combos = {("female", res) for _, res in combos}
            out[(ind, age)] = combos
        if "sex" in info.breakdowns and any(sex != "total" for sex, _ in combos):
            combos |= {("female", "all"), ("male", "all"), ("total", "all")}
        if "residence" in info.breakdowns and any(res != "all" for _, res in combos):
            base = "female" if female_only(info) else "total"
            combos |= {(base, "urban"), (base, "rural"), (base, "all")}
    return out


def anchor(
    info: reference.IndicatorInfo,
    region: RegionAssumption,
    combo: tuple[str, str],
    national: dict,
    rng: np.random.Generator,
) -> tuple[float, float]:
    """Return the 2020 level and the yearly change of a simulated series.

    Rules (written out in README.md): the national value nearest 2020 when the national series has
    the indicator and breakdown, times a regional factor (±8%, ±3% for ages and years; the yearly
    change is the national least-squares slope, or a small improvement when there is one point);
    otherwise the plans' own target (the first of ``region.plans`` that has one): for ``>=`` 90–100%
    of the target value, for ``<=`` 100–125%, for ``≈``/``=`` the value itself, moving by 0.5–3% of
    the level a year (0.1–0.4% for ages and years, :data:`DRIFT`) in the better direction; without a
    target value, the typical county level of :data:`TYPICAL_LEVELS`. The region's ``standing`` then
    moves the level that share in the better direction. Some series are set to move the wrong way
    (about one in eight).
    """
    sex, residence = combo
    series = national.get((info.id, sex, residence)) or national.get(
        (info.id, "female" if female_only(info) else "total", "all")
    )
    step_sign = {"higher": 1.0, "lower": -1.0}.get(info.better, 0.0)
    if series:
        years = np.array([y for y, _ in series], dtype=float)
        values = np.array([v for _, v in series], dtype=float)
        nearest = int(np.argmin(np.abs(years - 2020)))
        level = float(values[nearest])
        slope = float(np.polyfit(years, values, 1)[0]) if len(series) >= 2 and np.ptp(years) > 0 else 0.0
        if slope == 0.0:
            slope = step_sign * 0.01 * abs(level)
        level = level + slope * (2020 - years[nearest])
        spread = REGIONAL_SPREAD.get(info.unit, 0.08)
        return level * rng.uniform(1 - spread, 1 + spread) * (1 + region.standing * step_sign), slope
    targets = _targets(region.plans)
    rows = targets[(targets["indicator_id"] == info.id)]
    value = next((float(v) for v in rows["value"] if _is_number(v)), None)
    operator = next((str(o) for o in rows["operator"] if isinstance(o, str) and o), "")
    if value is None:
        typical = TYPICAL_LEVELS.get(info.id, 50.0 if info.unit == "%" else 1.0)
        level = typical * region.population if info.additive and typical < 1 else typical
        spread = REGIONAL_SPREAD.get(info.unit, 0.15)
        level *= rng.uniform(1 - spread, 1 + spread)
    elif operator == ">=":
        level = value * rng.uniform(0.90, 1.00)
    elif operator == "<=":
        level = value * rng.uniform(1.00, 1.25)
    else:
        level = value
    level *= 1 + region.standing * step_sign
    drift = rng.uniform(*DRIFT.get(info.unit, (0.005, 0.03))) * abs(level) * step_sign
    if rng.random() < 0.125:
        drift = -drift
    return level, drift


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


def _clip(info: reference.IndicatorInfo, value: float) -> float:
    low = info.lower if info.lower is not None else -math.inf
    high = info.upper if info.upper is not None else math.inf
    return float(min(max(value, low), high))


def _denominator(info: reference.IndicatorInfo, region: RegionAssumption, year: int, share: float) -> float:
    name = info.denominator or ""
    kind, value = next(((k, v) for word, k, v in DENOMINATORS if word in name), ("share", DEFAULT_SHARE))
    if kind == "births":
        return region.population * BIRTH_RATE[year] / 1000 * share
    if kind == "count":
        return value * share
    return region.population * value * share


def _proportion(info: reference.IndicatorInfo) -> bool:
    """Whether values are a share of a denominator: bounded by 0 and the rate's base (binomial draws)."""
    return info.per is not None and info.lower == 0.0 and info.upper == float(info.per)


def simulate_plan(region: RegionAssumption, national: dict) -> tuple[list[Series], list[dict[str, object]]]:
    """Simulate every series a plan needs; return them with the assumption record of each.

    Parameters
    ----------
    region : RegionAssumption
        The plan's region and format.
    national : dict
        National series from :func:`national_levels`.

    Returns
    -------
    (list of Series, list of dict)
        The series, and one record per series for ``assumptions.csv``.
    """
    rng = np.random.default_rng([SEED, plan_seed(region.plan)])
    registry = reference.indicators()
    noise, rho = national_noise(national)
    wanted = needed(region.plans)
    keys = sorted(wanted)
    order = rng.permutation(len(keys))
    missing = {keys[i] for i in order[:N_MISSING]}
    short = {keys[i] for i in order[N_MISSING : N_MISSING + N_SHORT]}
    out: list[Series] = []
    notes: list[dict[str, object]] = []
    for key in keys:
        info = registry[key[0]]
        combos = sorted(wanted[key])
        status = "missing" if key in missing else ("short" if key in short else "series")
        years = () if status == "missing" else (YEARS[-2:] if status == "short" else YEARS)
        series = Series(info, key[1], {})
        parts = _parts(combos)
        for combo in parts:
            level, drift = anchor(info, region, combo, national, rng)
            swing = ar1(len(YEARS), rho, COUNTY_SCALE * noise.get(info.unit, noise[""]), rng)
            notes.append(
                {
                    "plan": region.plan,
                    "indicator_id": info.id,
                    "age_group": key[1],
                    "sex": combo[0],
                    "residence": combo[1],
                    "status": status,
                    "level_2020": round(level, 4),
                    "change_per_year": round(drift, 4),
                }
            )
            for year in years:
                mean = _mean(info, level + drift * (year - 2020), swing[YEARS.index(year)])
                series.values[(year, *combo)] = _draw(info, mean, region, year, combo, rng)
        _totals(info, series, combos, parts)
        out.append(series)
    return out, notes


def _parts(combos: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Return the breakdowns drawn directly; totals of drawn parts are summed, not drawn."""
    drawn = set(combos)
    for sex in ("total", "female"):
        if {(sex, "urban"), (sex, "rural")} <= drawn:
            drawn.discard((sex, "all"))
    if {("female", "all"), ("male", "all")} <= drawn:
        drawn.discard(("total", "all"))
    return sorted(drawn)


def _mean(info: reference.IndicatorInfo, trend: float, swing: float) -> float:
    """Return a year's expected value: the trend moved by the year's structural deviation.

    A share moves by ``swing`` times its distance to the nearer bound (so a rate near 100% moves
    little and never crosses it) and stays below 99.9% of its base (a county rarely reports
    exactly 100% every year); any other value moves by ``swing`` times itself and is clipped to the
    indicator's bounds.
    """
    if _proportion(info):
        top = 0.999 * float(info.per)
        inside = min(max(trend, 0.0), top)
        return min(max(inside + swing * min(inside, float(info.per) - inside), 0.0), top)
    return _clip(info, trend * (1 + swing))


def _draw(
    info: reference.IndicatorInfo,
    mean: float,
    region: RegionAssumption,
    year: int,
    combo: tuple[str, str],
    rng: np.random.Generator,
) -> tuple[float, float | None, float | None]:
    """Draw one value: a share as a binomial count on the county's own denominator, else the mean.

    The numerator and denominator are reported with the value when the registry names them.
    """
    sex, residence = combo
    # A women-only measure counts every woman (or every birth): its "female" is the whole denominator.
    share = 1.0 if female_only(info) else {"female": 0.49, "male": 0.51}.get(sex, 1.0)
    share *= {"urban": region.urban_share, "rural": 1 - region.urban_share}.get(residence, 1.0)
    if _proportion(info):
        den = max(round(_denominator(info, region, year, share)), 10)
        num = int(rng.binomial(den, min(max(mean / float(info.per), 0.0), 1.0)))
        value = round(num / den * float(info.per), 2)
        return (value, float(num), float(den)) if info.from_counts else (value, None, None)
    if info.additive:
        return float(max(round(mean * share), 0)), None, None
    return round(mean, 2), None, None


def _totals(
    info: reference.IndicatorInfo, series: Series, combos: list[tuple[str, str]], parts: list[tuple[str, str]]
) -> None:
    """Fill totals that were not drawn from their parts (sums of counts, weighted means of rates)."""
    years = sorted({year for year, _, _ in series.values})
    for total, (a, b) in (
        (("total", "all"), (("female", "all"), ("male", "all"))),
        (("total", "all"), (("total", "urban"), ("total", "rural"))),
        (("female", "all"), (("female", "urban"), ("female", "rural"))),
    ):
        if total not in combos or total in parts:
            continue
        for year in years:
            first, second = series.values.get((year, *a)), series.values.get((year, *b))
            if first is None or second is None:
                continue
            if first[1] is not None and second[1] is not None:
                num, den = first[1] + second[1], first[2] + second[2]
                series.values[(year, *total)] = (round(num / den * float(info.per), 2), num, den)
            elif info.additive:
                series.values[(year, *total)] = (first[0] + second[0], None, None)
            else:
                series.values[(year, *total)] = (round((first[0] + second[0]) / 2, 2), None, None)
