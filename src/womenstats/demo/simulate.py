"""Simulating a county's series: its structure first, then each indicator on the structure it counts.

The county's structure (:mod:`.structure`: population, births, villages, deputies …) is drawn
first; every rate's denominator is the count of the element the registry names
(``plausible.denominator``) for the year and the breakdown, and its numerator a binomial draw at the
rate the series stands at that year (:mod:`.levels`: anchored to the national series or the plans'
targets, with calibrated AR(1) swings). Bodies elected for a term keep their members for the term.
A gap is computed from its two components, never drawn apart from them; the women's rows of a
sex-disaggregated statistic are the women's statistic it is linked to. Part of :mod:`womenstats.demo`.
"""

from __future__ import annotations

import numpy as np

from womenstats.catalog.codes import UNITS
from womenstats.demo.assumptions import (
    COUNTY_SCALE,
    LINKS,
    N_MISSING,
    N_SHORT,
    RESIDENCE_PARTS,
    SEED,
    SEX_SHARES,
    YEARS,
    RegionAssumption,
    Series,
    plan_seed,
)
from womenstats.demo.levels import (
    ACROSS,
    anchor,
    ar1,
    clip,
    national_levels,
    national_noise,
    needed,
    region_code,
)
from womenstats.demo.structure import TERM_ELEMENTS, Structure, draw_structure, term_start
from womenstats.intake import reference
from womenstats.intake.rules import female_only

__all__ = ["national_levels", "national_noise", "region_code", "simulate_plan"]

#: Women's share of a population other elements (七普: 48.8% of residents).
FEMALE_SHARE = 0.488

#: Elected heads hold their office for a term, like the bodies of :data:`TERM_ELEMENTS`.
ELECTED_HEADS: frozenset[str] = frozenset({"villages", "communities"})


def simulate_plan(region: RegionAssumption, national: dict) -> tuple[list[Series], list[dict[str, object]]]:
    """Simulate every series a county reports; return them with the assumption record of each.

    Parameters
    ----------
    region : RegionAssumption
        The county and its return's format.
    national : dict
        National series from :func:`national_levels`.

    Returns
    -------
    (list of Series, list of dict)
        The series, and one record per series for ``assumptions.csv``.
    """
    rng = np.random.default_rng([SEED, plan_seed(region.plan)])
    registry = reference.indicators()
    structure = draw_structure(region, region_code(region))
    noise, rho = national_noise(national)
    wanted = needed(region.plans)
    keys = sorted(wanted)
    drawn = [k for k in keys if registry[k[0]].derived is None]
    # the flaws never fall on a linked women's statistic: the sex-disaggregated statistic made from it
    # then agrees with it in every year
    flawed = [k for k in drawn if k[0] not in set(LINKS.values())]
    order = rng.permutation(len(flawed))
    missing = {flawed[i] for i in order[:N_MISSING]}
    short = {flawed[i] for i in order[N_MISSING : N_MISSING + N_SHORT]}
    series: dict[tuple[str, str], Series] = {}
    notes: list[dict[str, object]] = []
    for key in drawn:
        info = registry[key[0]]
        status = "missing" if key in missing else ("short" if key in short else "series")
        years = () if status == "missing" else (YEARS[-2:] if status == "short" else YEARS)
        item = Series(info, key[1], {})
        combos = sorted(wanted[key])
        parts = _parts(combos)
        shared = (rng.random(), rng.random(), rng.random())
        for combo in parts:
            level, drift = anchor(info, region, combo, national, rng, structure.population(2020), shared)
            swing = ar1(len(YEARS), rho, COUNTY_SCALE * noise.get(info.unit, noise[""]), rng)
            notes.append(_note(region, info, key[1], combo, status, level, drift))
            held: dict[int, tuple] = {}
            for year in years:
                mean = _mean(info, level + drift * (year - 2020), swing[YEARS.index(year)])
                value = _draw(info, key[1], mean, structure, year, combo, rng)
                if _held(info) and value[2] is not None:
                    value = held.setdefault(term_start(year), value)
                if value[0] is not None:
                    item.values[(year, *combo)] = value
        series[key] = item
    _link(series)
    for key in drawn:
        _totals(series[key], sorted(wanted[key]), _parts(sorted(wanted[key])))
    for key in keys:
        info = registry[key[0]]
        if info.derived is not None:
            series[key] = _gap(info, key[1], series.get((info.derived.source, key[1])))
            notes.append(_note(region, info, key[1], next(iter(wanted[key])), "derived", None, None))
    return [series[k] for k in keys], notes


def _note(region: RegionAssumption, info: reference.IndicatorInfo, age: str, combo: tuple[str, str],
          status: str, level: float | None, drift: float | None) -> dict[str, object]:
    return {"plan": region.plan, "indicator_id": info.id, "age_group": age, "sex": combo[0],
            "residence": combo[1], "status": status,
            "level_2020": "" if level is None else round(level, 4),
            "change_per_year": "" if drift is None else round(drift, 4)}


def _held(info: reference.IndicatorInfo) -> bool:
    """Whether a share is of a body elected for a term (its members change only at an election)."""
    element = info.plausible.denominator if info.plausible else None
    return element in TERM_ELEMENTS or (info.id.startswith("decision.") and element in ELECTED_HEADS)


def _parts(combos: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Return the breakdowns drawn directly; totals of drawn parts are summed, not drawn."""
    drawn = set(combos)
    for sex in ("total", "female"):
        if {(sex, "urban"), (sex, "rural")} <= drawn:
            drawn.discard((sex, "all"))
    if {("female", "all"), ("male", "all")} <= drawn:
        drawn.discard(("total", "all"))
    return sorted(drawn)


def _proportion(info: reference.IndicatorInfo) -> bool:
    """Whether values are a share of a denominator: bounded by 0 and the rate's base (binomial draws)."""
    return info.per is not None and info.lower == 0.0 and info.upper == float(info.per)


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
    return clip(info, trend * (1 + swing))


def denominator(info: reference.IndicatorInfo, age: str, structure: Structure, year: int,
                combo: tuple[str, str]) -> float | None:
    """Return a rate's denominator: the count of the structure element it belongs to, for the breakdown.

    A sex's part is its share of the element (:data:`SEX_SHARES`; a women-only statistic counts the
    whole element); urban and rural parts are the county's urban share of it, or other elements
    (:data:`RESIDENCE_PARTS`: the communities and the villages). None when the registry names no
    element (a denominator that is no count, such as tonnes of waste).
    """
    element = info.plausible.denominator if info.plausible else None
    if element is None:
        return None
    sex, residence = combo
    key = f"{info.id}|{age}|{residence}"  # one sample of both sexes
    if residence != "all" and element in RESIDENCE_PARTS:
        part = RESIDENCE_PARTS[element][0 if residence == "urban" else 1]
        count = float(round(structure.count(part, year, key)))
    else:
        count = _split(float(round(structure.count(element, year, key))), structure.urban_share,
                       {"urban": 0, "rural": 1}.get(residence))
    if sex in ("female", "male") and not female_only(info):
        count = _split(count, SEX_SHARES.get(element, FEMALE_SHARE), 0 if sex == "female" else 1)
    if age != "all" and element.startswith("women_"):
        count = float(round(count * 0.4))  # an age group within the element's ages (35–45 of 35–64)
    return count


def _split(whole: float, share: float, part: int | None) -> float:
    """Return the first (``part`` 0) or second part of a whole count at ``share``; the parts add up."""
    if part is None:
        return whole
    first = float(round(whole * share))
    return first if part == 0 else whole - first


def _draw(
    info: reference.IndicatorInfo, age: str, mean: float, structure: Structure, year: int,
    combo: tuple[str, str], rng: np.random.Generator,
) -> tuple[float | None, float | None, float | None]:
    """Draw one value: a share as a binomial count on the structure's denominator, else the mean.

    The numerator and denominator are reported with the value when the registry names them; a
    denominator of 0 (no HIV-positive mother that year) gives no value.
    """
    if _proportion(info):
        den = denominator(info, age, structure, year, combo)
        if den is None:
            return round(mean, 2), None, None
        if den == 0:
            return None, None, None
        num = int(rng.binomial(int(den), min(max(mean / float(info.per), 0.0), 1.0)))
        value = round(num / den * float(info.per), 2)
        return (value, float(num), den) if info.from_counts else (value, None, None)
    if info.additive:
        sex = combo[0]
        shares = {"female": FEMALE_SHARE, "male": 1 - FEMALE_SHARE}
        share = 1.0 if female_only(info) else shares.get(sex, 1.0)
        scale = structure.population(year) / structure.population(2020)
        return float(max(round(mean * share * scale, UNITS[info.unit].decimals), 0)), None, None
    return round(mean, _digits(info)), None, None


def _digits(info: reference.IndicatorInfo) -> int:
    """Decimals a value is reported with: whole yuan, minutes and counts; two decimals otherwise."""
    unit = UNITS.get(info.unit)
    return 0 if unit is not None and unit.kind in ("money", "duration", "count", "number", "times") else 2


def _link(series: dict[tuple[str, str], Series]) -> None:
    """Make a sex-disaggregated statistic's women's rows the women's statistic it is linked to.

    就业人员数: women = the numerator of 就业人员中的女性比例, total = its denominator, men the rest;
    a rate's women's rows are the women's rate's (value and counts).
    """
    for target, source in LINKS.items():
        item, women = series.get((target, "all")), series.get((source, "all"))
        if item is None or women is None:
            continue
        for (year, sex, residence), (value, num, den) in women.values.items():
            if sex != "female" or residence != "all":
                continue
            if item.indicator.additive:
                if num is None or den is None:
                    continue
                item.values[(year, "female", "all")] = (num, None, None)
                item.values[(year, "male", "all")] = (den - num, None, None)
                item.values.pop((year, "total", "all"), None)
            else:
                item.values[(year, "female", "all")] = (value, num, den)


def _totals(series: Series, combos: list[tuple[str, str]], parts: list[tuple[str, str]]) -> None:
    """Fill totals that were not drawn from their parts (sums of counts, weighted means otherwise)."""
    info = series.indicator
    years = sorted({year for year, _, _ in series.values})
    for total, (a, b) in (
        (("total", "all"), (("female", "all"), ("male", "all"))),
        (("total", "all"), (("total", "urban"), ("total", "rural"))),
        (("female", "all"), (("female", "urban"), ("female", "rural"))),
    ):
        if total not in combos or total in parts:
            continue
        weight = FEMALE_SHARE if a[0] == "female" and b[0] == "male" else 0.5
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
                mean = weight * first[0] + (1 - weight) * second[0]
                series.values[(year, *total)] = (round(mean, _digits(info)), None, None)


def _gap(info: reference.IndicatorInfo, age: str, components: Series | None) -> Series:
    """Compute a gap's series from its components' values as reported.

    A county with no maternal death in town or country has a gap of 0.
    """
    spec = info.derived
    out = Series(info, age, {})
    if components is None:
        return out
    sex = "female" if female_only(info) else "total"
    for (year, c_sex, c_res), _ in sorted(components.values.items()):
        point = (c_sex, c_res)
        if spec.by == "sex" and (c_res != "all" or c_sex != spec.minuend):
            continue
        if spec.by == "residence" and c_res != spec.minuend:
            continue
        other = (spec.subtrahend, c_res) if spec.by == "sex" else (c_sex, spec.subtrahend)
        a, b = components.values[(year, *point)][0], components.values.get((year, *other), (None,))[0]
        if b is None or (spec.form == "relative" and a == 0):
            continue
        across = (sex, c_res) if spec.by == "sex" else (sex, ACROSS["residence"])
        out.values[(year, *across)] = (round(float(spec.compute(a, b)), 2), None, None)
    return out
