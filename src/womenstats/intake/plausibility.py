"""Checks of a value and its denominator against what a region of its size can have.

Every indicator declares in the registry what a region's value can be and which structure its
denominator counts (``plausible``, :mod:`womenstats.catalog.plausible`); the region registry gives
each region's level and resident population (:func:`womenstats.catalog.regions.population`). A
value, or a denominator, outside what a region of that level and size can have is a warning
located at its cell or row, in Chinese, saying what to check: ``W_IMPLAUSIBLE_DENOMINATOR`` (150 000
people's congress deputies in a county of 750 000 people, which has at most 450; 5 078 births to
HIV-positive mothers, where a county has a handful) and ``W_IMPLAUSIBLE_VALUE`` (a mother-to-child
transmission rate above 10%). Warnings do not stop a file from loading; the store keeps them with
the value (:meth:`womenstats.intake.Store.warnings`).

A rate reported with its counts is judged on the counts, not on the rate: with ``x`` events of
``n``, the value is implausible when an exact binomial test rejects every true rate in the declared
range ``[low, high]`` at :data:`ALPHA` — ``P(X >= x | n, high) < ALPHA`` or ``P(X <= x | n, low) <
ALPHA`` (Clopper & Pearson 1934, *Biometrika* 26, 404–413, the same tail probabilities). A county of
3 000 births with two maternal deaths (67 per 10万) is no warning against a bound of 150; a county
with 283 infected infants of 330 exposed ones is. Without counts the value itself must lie in the
range.
"""

from __future__ import annotations

from scipy import stats

from womenstats import catalog
from womenstats.catalog import regions
from womenstats.errors import CatalogError
from womenstats.intake.problems import Problem, problem
from womenstats.intake.rules import Checked, female_only, fmt

#: Significance of the exact test of a rate's counts against its declared range.
ALPHA = 0.001

#: How a level is named in a message.
LEVEL_WORDS = {"county": "县（市、区）", "city": "市", "province": "省", "national": "全国"}


def region_size(code: str) -> tuple[str | None, float | None]:
    """Return a region's level and resident population from the region registry (None when unknown)."""
    try:
        return regions.level(code), regions.population(code)
    except CatalogError:
        return None, None


def plausibility_checks(items: list[Checked], file: str) -> list[Problem]:
    """Warn about values and denominators outside what their region can have.

    Parameters
    ----------
    items : list of Checked
        The file's checked values.
    file : str
        The file's name (in every location).

    Returns
    -------
    list of Problem
        ``W_IMPLAUSIBLE_VALUE`` and ``W_IMPLAUSIBLE_DENOMINATOR`` warnings, each with its value's key.
    """
    structure = catalog.structure()
    sizes: dict[str, tuple[str | None, float | None]] = {}
    out: list[Problem] = []
    for item in items:
        if not item.key or item.info.plausible is None:
            continue
        region = item.key[0]
        if region not in sizes:
            sizes[region] = region_size(region)
        level, population = sizes[region]
        if level is None:
            continue
        where = _where(level, population)
        out += _value(item, level, population, where)
        out += _denominator(item, structure, level, population, where, file)
    return out


def is_part(item: Checked) -> bool:
    """Whether a value is about part of its indicator's population (one sex, urban or rural, an age group)."""
    _, _, _, sex, age, residence = item.key
    sex_part = sex != "total" and not (sex == "female" and female_only(item.info))
    return sex_part or residence != "all" or age != "all"


def _where(level: str, population: float | None) -> str:
    words = LEVEL_WORDS.get(level, level)
    if level == "national" or population is None:
        return words
    return f"常住人口约 {population / 10_000:.0f} 万的{words}"


def unit_text(unit: str) -> str:
    """Return a unit as written after a number: ``/10万`` for ``1/10万``, else the unit itself."""
    return unit[1:] if unit.startswith("1/") else unit


def _span_text(low: float, high: float, unit: str = "") -> str:
    return f"{_number(low)}—{_number(high)}{unit}"


def _number(value: float) -> str:
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}".replace(",", "")
    return f"{value:.3g}"


def _value(item: Checked, level: str, population: float | None, where: str) -> list[Problem]:
    info = item.info
    span = info.plausible.value_span(level, population, info.scale, counted=info.additive)
    if span is None:
        return []
    low, high = (0.0, span[1]) if info.additive and is_part(item) else span
    unit = unit_text(info.unit)
    if info.is_rate and item.numerator is not None and item.denominator:
        per = float(info.per)
        x, n = int(item.numerator), int(item.denominator)
        p_high, p_low = min(high / per, 1.0), max(low / per, 0.0)
        above = stats.binom.sf(x - 1, n, p_high) if x > n * p_high else 1.0
        below = stats.binom.cdf(x, n, p_low) if x < n * p_low else 1.0
        if min(above, below) >= ALPHA:
            return []
        side = "高于" if above < ALPHA else "低于"
        message = (
            f"{info.name}为 {fmt(item.value)}{unit}（{fmt(item.numerator)}/{fmt(item.denominator)}），"
            f"{where}的{info.name}通常在 {_span_text(low, high, unit)} 之间；按分子、分母精确检验，"
            f"真实水平{side}这一范围（P<{ALPHA:g}）。请核对分子“{info.numerator}”和分母“{info.denominator}”"
            "是否填错了口径、单位或位数。"
        )
    elif low <= item.value <= high:
        return []
    else:
        message = (
            f"{info.name}为 {fmt(item.value)}{unit}，超出{where}可能的范围 {_span_text(low, high, unit)}；"
            "请核对数值、单位和统计口径。"
        )
    return [problem("W_IMPLAUSIBLE_VALUE", item.location, message, item.key)]


def _denominator(item: Checked, structure: dict, level: str, population: float | None, where: str,
                 file: str) -> list[Problem]:
    info = item.info
    element = structure.get(info.plausible.denominator or "")
    if element is None or item.denominator is None:
        return []
    span = element.span(level, population)
    if span is None:
        return []
    low, high = (0.0, span[1]) if is_part(item) else span
    den = item.denominator
    if low <= den <= high:
        return []
    counts = f"分母 {fmt(den)}（{info.denominator}）"
    if item.numerator is not None and item.numerator > high:
        counts += f"和分子 {fmt(item.numerator)}（{info.numerator}）"
    bound = f"超过了{where}可能有的{element.name}数（至多 {_number(high)}" if den > high else (
        f"少于{where}至少会有的{element.name}数（至少 {_number(low)}")
    basis = element.basis.split("；")[0]
    message = (
        f"{counts}{bound}；依据：{basis}）。请核对分母是否填成了常住人口、户籍人口或其他口径，"
        f"并按“{info.denominator}”重填分子和分母。"
    )
    location = item.record.location(file, "denominator")
    return [problem("W_IMPLAUSIBLE_DENOMINATOR", location, message, item.key)]


__all__ = ["ALPHA", "is_part", "plausibility_checks", "region_size"]
