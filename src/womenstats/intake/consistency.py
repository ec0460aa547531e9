"""Checks across the records of one file: duplicate keys, and parts that must add up to their total.

Female + male = total and urban + rural = total for counts (numerators and denominators for rates),
within the rounding of the values as written; a total rate between the female and the male rate.
"""

from __future__ import annotations

import math

from womenstats.intake.problems import Problem, problem
from womenstats.intake.rules import Checked, fmt


def cross_checks(items: list[Checked], file: str) -> list[Problem]:
    """Duplicate keys, and sexes or residences that do not add up."""
    problems: list[Problem] = []
    seen: dict[tuple, Checked] = {}
    for item in items:
        first = seen.get(item.key)
        if first is None:
            seen[item.key] = item
            continue
        same = math.isclose(first.value, item.value, rel_tol=1e-9, abs_tol=1e-12)
        code = "W_DUPLICATE_ROW" if same else "E_DUPLICATE_KEY"
        message = (
            f"与 {first.location} 重复（同一地区、年份、指标和分组），数值相同，只保留一行即可。"
            if same
            else f"与 {first.location} 是同一地区、年份、指标和分组，但数值不同（{fmt(first.value)} 与 "
            f"{fmt(item.value)}），请只保留正确的一个。"
        )
        problems.append(problem(code, item.location, message))
        item.key = ()  # type: ignore[assignment]
    unique = dict(seen)
    for (region, year, ind, sex, age, residence), total in unique.items():
        if sex == "total":
            female = unique.get((region, year, ind, "female", age, residence))
            male = unique.get((region, year, ind, "male", age, residence))
            problems += _parts_check(total, female, male, "sex")
        if residence == "all":
            urban = unique.get((region, year, ind, sex, age, "urban"))
            rural = unique.get((region, year, ind, sex, age, "rural"))
            problems += _parts_check(total, urban, rural, "residence")
    return problems


def _parts_check(total: Checked, first: Checked | None, second: Checked | None, kind: str) -> list[Problem]:
    """Check that two parts (female/male or urban/rural) agree with their total."""
    info = total.info
    names = ("女性", "男性", "E_SEX_SUM") if kind == "sex" else ("城镇", "农村", "E_RESIDENCE_SUM")
    out: list[Problem] = []
    if info.additive:
        if kind == "sex" and first is not None and first.value > total.value + _tol(first, total):
            out.append(
                problem(
                    "E_FEMALE_GT_TOTAL",
                    first.location,
                    f"女性 {fmt(first.value)} 大于合计 {fmt(total.value)}（{total.location}），请核对。",
                )
            )
            return out
        if first is not None and second is not None:
            out += _sum_check(total, first, second, "value", names)
        return out
    if kind == "sex" and first is not None:
        for column, label in (("numerator", "分子"), ("denominator", "分母")):
            part, whole = getattr(first, column), getattr(total, column)
            if part is not None and whole is not None and part > whole:
                message = (f"女性{label} {fmt(part)} 大于合计{label} {fmt(whole)}"
                           f"（{total.location}），请核对。")
                out.append(problem("E_FEMALE_GT_TOTAL", first.location, message))
                return out
    if first is None or second is None:
        return out
    for column in ("numerator", "denominator"):
        out += _sum_check(total, first, second, column, names)
    if out:
        return out
    low, high = sorted((first.value, second.value))
    tol = _tol(first, second, total)
    if not low - tol <= total.value <= high + tol:
        out.append(
            problem(
                "E_TOTAL_NOT_BETWEEN",
                total.location,
                f"合计 {fmt(total.value)} 不在{names[0]} {fmt(first.value)} 与{names[1]} "
                f"{fmt(second.value)} 之间（合计比率是两者的加权平均），请核对。",
            )
        )
    return out


def _sum_check(
    total: Checked, first: Checked, second: Checked, column: str, names: tuple[str, str, str]
) -> list[Problem]:
    values = [getattr(item, column) for item in (total, first, second)]
    if any(v is None for v in values):
        return []
    tol = _tol(first, second, total) if column == "value" else 0.5
    if abs(values[1] + values[2] - values[0]) > tol:
        label = {"value": "", "numerator": "分子", "denominator": "分母"}[column]
        return [
            problem(
                names[2],
                total.location,
                f"{names[0]}{label} {fmt(values[1])} + {names[1]}{label} {fmt(values[2])} = "
                f"{fmt(values[1] + values[2])}，与合计{label} {fmt(values[0])} 不符，请核对。",
            )
        ]
    return []


def _tol(*items: Checked) -> float:
    """Return the rounding tolerance: half a unit in the last written decimal of each value, summed."""
    return sum(0.5 * 10.0 ** (-item.decimals) for item in items) * 1.0001 + 1e-9


