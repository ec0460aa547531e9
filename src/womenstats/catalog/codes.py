"""The codes the catalog files may use, and the units with their conversions.

Every code here is the one fixed in ``docs/architecture.md``; the schema check
(:mod:`womenstats.catalog.schema`) rejects anything else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

#: Areas of a plan, in the order the plans list them: code -> Chinese name.
AREAS: dict[str, str] = {
    "health": "妇女与健康",
    "education": "妇女与教育",
    "economy": "妇女与经济",
    "decision": "妇女参与决策和管理",
    "social_security": "妇女与社会保障",
    "family": "妇女与家庭建设",
    "environment": "妇女与环境",
    "law": "妇女与法治",
}

#: Sections of a plan a target can come from (the Chinese words are the codes), in document order.
SECTIONS: tuple[str, ...] = ("主要目标", "策略措施", "重点工程")

#: Kinds of target: ``quantitative`` has a value, ``directional`` has none, ``qualitative`` is judged.
KINDS: tuple[str, ...] = ("quantitative", "directional", "qualitative")

#: Operators: code -> Chinese reading.
OPERATORS: dict[str, str] = {
    "<=": "不高于",
    ">=": "不低于",
    "≈": "左右",
    "=": "等于",
    "increase": "提高",
    "decrease": "降低",
    "maintain": "保持",
    "narrow": "缩小",
    "decrease_pct": "比基期下降（%）",
    "increase_pct": "比基期提高（%）",
    "decrease_pp": "比基期下降（百分点或指标单位）",
    "increase_pp": "比基期提高（百分点或指标单位）",
}

#: Operators of a change from the plan's baseline year (quantitative: the value is the change).
#: ``*_pct``: by a percentage of the baseline value (unit ``%``); ``*_pp``: by an amount in the
#: indicator's own unit (percentage points for a %), e.g. 提高5个百分点.
RELATIVE_OPERATORS: frozenset[str] = frozenset({"decrease_pct", "increase_pct", "decrease_pp", "increase_pp"})

#: Operators that need a value (a quantitative target); ``maintain`` may have one or not.
VALUE_OPERATORS: frozenset[str] = frozenset({"<=", ">=", "≈", "="}) | RELATIVE_OPERATORS

#: Operators of a directional target (no value).
DIRECTION_OPERATORS: frozenset[str] = frozenset({"increase", "decrease", "maintain", "narrow"})

SEXES: tuple[str, ...] = ("female", "male", "total")
RESIDENCES: tuple[str, ...] = ("all", "urban", "rural")
BETTER: tuple[str, ...] = ("higher", "lower", "neutral")
SUBJECTS: tuple[str, ...] = ("female", "both", "total")
BREAKDOWNS: tuple[str, ...] = ("sex", "residence", "age_group")
LEVELS: tuple[str, ...] = ("county", "city", "province", "national")
STATUSES: tuple[str, ...] = ("final", "draft")
#: Scope of a plan's ``coverage.missing`` entry: the whole area, or part of it, is not catalogued.
GAP_SCOPES: tuple[str, ...] = ("all", "partial")

#: Pattern of an age group other than ``all``: ``35-64``, ``15-49``, ``65+``.
AGE_GROUP_PATTERN = r"^(all|\d{1,3}-\d{1,3}|\d{1,3}\+)$"


@dataclass(frozen=True)
class Unit:
    """A unit as printed in the plans, with the scale that converts it.

    Attributes
    ----------
    name : str
        The unit as printed (``%``, ``1/10万``, ``岁``...).
    kind : str
        ``rate`` (a proportion expressed per ``per``), ``years``, ``count``, ``ratio``, ``money``,
        ``duration``.
    per : int or None
        For rates the denominator base: 100 for ``%``, 1000 for ``‰``, 100000 for ``1/10万``.
    scale : float
        Multiplier to the kind's base quantity: a proportion for rates (``%`` -> 0.01), persons
        for counts (``万人`` -> 10000), minutes for durations (``小时`` -> 60), else 1.
    decimals : int
        Digits after the decimal point a published value carries (the 国家统计局 monitoring
        reports print percentages and rates per 10万 to one decimal, ages and years of schooling
        to two): the precision reports print and targets are judged at (``docs/status_rules.md``).
    """

    name: str
    kind: str
    per: int | None
    scale: float
    decimals: int = 1

    @property
    def half_step(self) -> float:
        """Half a unit in the last published digit: a value within it of a target prints as the target."""
        return 0.5 * 10.0 ** (-self.decimals)


#: Units the catalog knows: unit -> :class:`Unit`. Units of the same ``kind`` convert into each other.
UNITS: dict[str, Unit] = {
    "%": Unit("%", "rate", 100, 1 / 100, 1),
    "‰": Unit("‰", "rate", 1000, 1 / 1000, 1),
    "1/10万": Unit("1/10万", "rate", 100000, 1 / 100000, 1),
    "岁": Unit("岁", "years", None, 1.0, 2),
    "年": Unit("年", "years", None, 1.0, 2),
    "人": Unit("人", "count", None, 1.0, 0),
    "万人": Unit("万人", "count", None, 10000.0, 2),
    "个": Unit("个", "number", None, 1.0, 0),
    "次": Unit("次", "times", None, 1.0, 0),
    "比值": Unit("比值", "ratio", None, 1.0, 2),
    "元": Unit("元", "money", None, 1.0, 0),
    "小时": Unit("小时", "duration", None, 60.0, 1),
    "分钟": Unit("分钟", "duration", None, 1.0, 0),
}


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a value between two units of the same kind.

    ``value_to = value_from * scale_from / scale_to``; for rates this is the change of base
    ``x per p1 = x * p2 / p1 per p2`` (e.g. 0.5% = 5‰ = 500/10万), computed from the bases so
    that whole numbers stay exact.

    Parameters
    ----------
    value : float
        The value in ``from_unit``.
    from_unit, to_unit : str
        Units in :data:`UNITS`.

    Returns
    -------
    float
        The value in ``to_unit``.

    Raises
    ------
    ValueError
        If a unit is unknown or the two are of different kinds (e.g. ``%`` and ``岁``).
    """
    try:
        source, dest = UNITS[from_unit], UNITS[to_unit]
    except KeyError as exc:
        raise ValueError(f"未知单位 {exc.args[0]!r}，可用单位：{'、'.join(UNITS)}") from None
    if source.kind != dest.kind:
        raise ValueError(f"单位 {from_unit} 与 {to_unit} 不是同一类量，不能换算")
    if from_unit == to_unit:
        return float(value)
    if source.per is not None and dest.per is not None:
        return float(value) * dest.per / source.per
    return float(value) * source.scale / dest.scale


def default_tolerance(value_text: str) -> float:
    """Return the tolerance of a ``左右`` (≈) target when the catalog row gives none.

    The rule: one unit in the last digit the plan printed. ``80岁左右`` -> 1 (79-81),
    ``107左右`` -> 1, ``1.5左右`` -> 0.1, ``0.25左右`` -> 0.01. A target of ``≈ v`` with
    tolerance ``t`` is met when ``|x - v| <= t``.

    Parameters
    ----------
    value_text : str
        The value as written in the catalog file (its digits fix the precision).

    Returns
    -------
    float
        The tolerance, a positive number.

    Raises
    ------
    ValueError
        If ``value_text`` is not a finite number.
    """
    try:
        number = Decimal(value_text.strip())
    except InvalidOperation:
        raise ValueError(f"{value_text!r} 不是数值") from None
    if not number.is_finite():
        raise ValueError(f"{value_text!r} 不是有限数值")
    exponent = number.normalize().as_tuple().exponent if "." in value_text else 0
    tol = float(Decimal(1).scaleb(min(int(exponent), 0)))
    return tol if math.isfinite(tol) and tol > 0 else 1.0
