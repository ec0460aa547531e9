"""Validation of one typed record: breakdowns allowed, counts, units, bounds, rate against counts.

Each rule reads the typed cells of a :class:`~womenstats.intake.normalise.TypedRecord` and either
passes or records a problem at the cell concerned; a record that passes every rule becomes a
:class:`Checked` value, the unit of the checks across records (:mod:`womenstats.intake.consistency`)
and against the series' history (:mod:`womenstats.intake.history`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from womenstats.errors import Location
from womenstats.intake import reference
from womenstats.intake.normalise import Parsed, TypedRecord, convert_rate
from womenstats.intake.problems import Findings
from womenstats.intake.records import RawRecord


@dataclass
class Checked:
    """A record that passed the record rules, with its final value in the registry's unit."""

    key: tuple[str, int, str, str, str, str]
    value: float
    numerator: float | None
    denominator: float | None
    decimals: int
    info: reference.IndicatorInfo
    location: Location
    record: RawRecord
    source: str
    simulated: int


def female_only(info: reference.IndicatorInfo) -> bool:
    """Return True for a statistic about women only that has no sex breakdown (e.g. 孕产妇死亡率)."""
    return info.subject == "female" and "sex" not in info.breakdowns


def fmt(value: float | None) -> str:
    """Format a number for a message: integers without a decimal point."""
    if value is None:
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"


def decimals_of(value: float) -> int:
    """Decimals of a float as Excel would show it (from its shortest repr, at most 10)."""
    text = repr(round(float(value), 10))
    if "e" in text or "." not in text:
        return 0
    return min(len(text.split(".", 1)[1].rstrip("0")), 10)


def check_record(item: TypedRecord, found: Findings) -> Checked | None:
    """Apply the record rules to one typed record.

    Parameters
    ----------
    item : TypedRecord
        The typed record.
    found : Findings
        Where problems and cleaning steps go.

    Returns
    -------
    Checked or None
        The checked value, or None when a rule failed (the problem is in ``found``).
    """
    file, info = found.file, item.info
    sex = "female" if female_only(info) and item.sex == "total" else item.sex
    if not _breakdown_allowed(item, sex, found):
        return None
    num, den = item.numerator.value, item.denominator.value
    if not _counts(item, num, den, found):
        return None
    value = item.value
    if value.value is None and num is not None and den is not None and info.is_rate and den > 0:
        value = Parsed(num / den * float(info.per), decimals=None, steps=["数值空缺，由分子/分母计算"])
        found.note(item.at(file, "value"), "", value.value, value.steps)
    if value.value is None:
        return None
    val = _unit(item, value, found)
    if val is None or not _bounds(item, val, found):
        return None
    decimals = value.decimals if value.decimals is not None else decimals_of(val)
    if not _rate_agrees(item, val, decimals, num, den, found):
        return None
    return Checked(
        key=(item.region, item.year, info.id, sex, item.age, item.residence),
        value=val, numerator=num, denominator=den, decimals=decimals, info=info,
        location=item.at(file, "value"), record=item.record, source=item.source, simulated=item.simulated,
    )


def _breakdown_allowed(item: TypedRecord, sex: str, found: Findings) -> bool:
    info = item.info
    problems = []
    if sex != "total" and "sex" not in info.breakdowns and not (sex == "female" and info.subject == "female"):
        problems.append(f"性别（{sex}）")
    if item.residence != "all" and "residence" not in info.breakdowns:
        problems.append(f"城乡（{item.residence}）")
    if item.age != "all" and "age_group" not in info.breakdowns:
        problems.append(f"年龄组（{item.age}）")
    if problems:
        found.add(
            "E_BREAKDOWN_NOT_ALLOWED", item.at(found.file),
            f"指标 {info.id}（{info.name}）不按{'、'.join(problems)}分组，请填在合计一栏或核对指标代码。",
        )
        return False
    return True


def _counts(item: TypedRecord, num: float | None, den: float | None, found: Findings) -> bool:
    ok = True
    for column, label, number in (("numerator", "分子", num), ("denominator", "分母", den)):
        if number is None:
            continue
        loc = item.at(found.file, column)
        if number < 0:
            found.add("E_NEGATIVE_COUNT", loc, f"{label} {fmt(number)} 是负数，人数、例数不能为负，请核对。")
            ok = False
        elif not float(number).is_integer():
            found.add("E_NOT_INTEGER_COUNT", loc,
                      f"{label} {fmt(number)} 不是整数，分子分母应填人数或例数，请核对。")
            ok = False
    if not ok or num is None or den is None:
        return ok
    if den == 0:
        found.add("E_ZERO_DENOMINATOR", item.at(found.file, "denominator"),
                  "分母为 0，无法计算比率，请核对分母或留空该行。")
        return False
    if item.info.is_rate and num > den:
        found.add("E_NUMERATOR_GT_DENOMINATOR", item.at(found.file, "numerator"),
                  f"分子 {fmt(num)} 大于分母 {fmt(den)}，请核对两者是否填反或填错。")
        return False
    return True


def _unit(item: TypedRecord, value: Parsed, found: Findings) -> float | None:
    info, given, val = item.info, item.unit, value.value
    assert val is not None
    if value.percent and (given or info.unit) != "%":
        said = f"单位填的是“{given}”" if given else f"指标 {info.id} 的单位是“{info.unit}”"
        found.add("E_UNIT_MISMATCH", item.at(found.file, "value"),
                  f"数值带百分号，但{said}：百分号只能用在单位为 % 的数值上，请去掉百分号或统一单位。")
        return None
    from_unit = given or ("%" if value.percent else info.unit)
    if from_unit == info.unit:
        return val
    converted = convert_rate(val, from_unit, info.unit, info.per)
    if converted is None:
        where = item.at(found.file, "unit") if given else item.at(found.file, "value")
        found.add("E_UNIT_MISMATCH", where,
                  f"单位“{from_unit}”与指标 {info.id} 的单位“{info.unit}”不一致且不能换算，"
                  f"请按“{info.unit}”填报。")
        return None
    found.note(item.at(found.file, "value"), f"{fmt(val)}{from_unit}", converted,
               [f"单位换算：{from_unit} → {info.unit}"])
    return converted


def _bounds(item: TypedRecord, val: float, found: Findings) -> bool:
    info = item.info
    loc = item.at(found.file, "value")
    if info.additive and val < 0:
        found.add("E_NEGATIVE_COUNT", loc, f"数值 {fmt(val)} 是负数，{info.name}不能为负，请核对。")
        return False
    low = info.lower if info.lower is not None else -math.inf
    high = info.upper if info.upper is not None else math.inf
    if not low <= val <= high:
        low_text = fmt(info.lower) if info.lower is not None else "-∞"
        high_text = fmt(info.upper) if info.upper is not None else "∞"
        span = f"{low_text}—{high_text}"
        found.add("E_OUT_OF_RANGE", loc,
                  f"{info.name}为 {fmt(val)}{info.unit}，超出取值范围 {span}{info.unit}，请核对数值和单位。")
        return False
    return True


def _rate_agrees(item: TypedRecord, val: float, decimals: int, num: float | None, den: float | None,
                 found: Findings) -> bool:
    info = item.info
    if not info.is_rate or num is None or den is None:
        return True
    expected = num / den * float(info.per)
    tolerance = 0.5 * 10.0 ** (-decimals) * 1.0001 + 1e-9
    if abs(expected - val) > tolerance:
        found.add(
            "E_RATE_MISMATCH", item.at(found.file, "value"),
            f"数值 {fmt(val)} 与分子/分母算出的 {expected:.{max(decimals, 2)}f}（{info.unit}）"
            f"（{fmt(num)}/{fmt(den)}×{fmt(info.per)}）不一致，请核对数值、分子和分母。",
        )
        return False
    return True
