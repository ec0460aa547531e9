"""How numbers read in a report: values with their unit, differences in 个百分点, probabilities.

One function per kind of number, used by every table and every sentence, so that a figure never
reads one way in a table and another in the text. The digits are the unit's published precision
(:attr:`womenstats.catalog.Unit.decimals`: one decimal for a % and a rate per 10万, two for ages),
as the 国家统计局 monitoring reports print them; a difference between two percentages is in
个百分点 (percentage points), never “%”.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

from womenstats.catalog.codes import UNITS

#: Units written straight after the number (no space): ``85.3%``, ``5.4‰``, ``16.9/10万``.
_ATTACHED = {"%": "%", "‰": "‰", "1/10万": "/10万"}
#: Units of a count, printed as whole numbers with thousands separators.
_COUNTS = ("人", "个", "次", "元")
#: How a difference between two values of a rate reads.
_POINTS = {"%": "个百分点", "‰": "个千分点"}


def is_missing(value) -> bool:
    """Whether a value is missing: None, NaN or pandas' NA (a number or a string never is).

    Examples
    --------
    >>> import pandas as pd
    >>> [is_missing(v) for v in (None, float("nan"), pd.NA, 0.0, "")]
    [True, True, True, False, False]
    """
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN is the one value unequal to itself
    except TypeError:  # pandas' NA refuses to be read as a bool
        return True


#: Fewest decimals a number is printed with, set for a block by :func:`precision`.
_MIN_DIGITS: ContextVar[int] = ContextVar("womenstats_min_digits", default=0)


def decimals(unit: str) -> int:
    """Return the digits a value of ``unit`` is printed with (1 if unknown; at least :func:`precision`'s)."""
    return max(UNITS[unit].decimals if unit in UNITS else 1, _MIN_DIGITS.get())


def written_digits(value) -> int:
    """Return the decimals a target's value is written with: 2 for 99.95, 0 for 100 or a missing value.

    Examples
    --------
    >>> written_digits(99.95), written_digits(12.5), written_digits(100.0), written_digits(None)
    (2, 1, 0, 0)
    """
    if is_missing(value):
        return 0
    text = f"{float(value):g}"
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


@contextlib.contextmanager
def precision(digits: int) -> Iterator[None]:
    """Print numbers with at least ``digits`` decimals inside the block, as ``pandas.option_context`` does.

    A target written “保持在99.95%以上” needs its values, gaps and changes at two decimals: at a
    percentage's one, 99.93% prints as 99.9% and its shortfall as 0.0 or 0.1 points. The report
    formats each target's numbers inside ``with precision(written_digits(target_value))``.

    Examples
    --------
    >>> with precision(2):
    ...     value_text(99.934, "%"), difference_text(0.016, "%")
    ('99.93%', '0.02个百分点')
    >>> value_text(99.934, "%")
    '99.9%'
    """
    token = _MIN_DIGITS.set(int(digits))
    try:
        yield
    finally:
        _MIN_DIGITS.reset(token)


def number_text(value, unit: str) -> str:
    """Return a number at its unit's precision, without the unit: ``85.3``, ``3,063``, ``−25.8``.

    A negative number takes the minus sign (−, as printed statistics set it), never “-0.0”.

    Examples
    --------
    >>> number_text(85.26, "%"), number_text(3063.0, "人"), number_text(1.4166, "比值")
    ('85.3', '3,063', '1.42')
    >>> number_text(-25.8, "%"), number_text(-0.04, "%")
    ('−25.8', '0.0')
    """
    if is_missing(value):
        return "—"
    digits = decimals(unit)
    text = f"{float(value):,.{digits}f}" if unit in _COUNTS or digits == 0 else f"{float(value):.{digits}f}"
    if text.startswith("-"):
        text = text[1:] if not text.strip("-0.,") else "−" + text[1:]
    return text


def interval_text(lower, upper, unit: str) -> str:
    """Return an interval at its unit's precision: ``84.5～86.2``, ``−2.9～−1.8`` (``—`` without both).

    The bounds are separated by ～ and a negative bound takes the minus sign (−), so that an
    interval of two negative gaps never reads ``-2.9–-1.8``.

    Examples
    --------
    >>> interval_text(84.46, 86.21, "%"), interval_text(-2.93, -1.8, "%"), interval_text(None, 3.0, "%")
    ('84.5～86.2', '−2.9～−1.8', '—')
    """
    if is_missing(lower) or is_missing(upper):
        return "—"
    return f"{number_text(float(lower), unit)}～{number_text(float(upper), unit)}"


def value_text(value, unit: str) -> str:
    """Return a value with its unit: ``85.3%``, ``16.9/10万``, ``78.12岁``, ``3,063人``, ``1.42``.

    Examples
    --------
    >>> value_text(85.26, "%"), value_text(16.94, "1/10万"), value_text(3063.0, "人")
    ('85.3%', '16.9/10万', '3,063人')
    """
    if is_missing(value):
        return "—"
    text = number_text(value, unit)
    if unit in _ATTACHED:
        return text + _ATTACHED[unit]
    return text if unit in ("", "比值") else text + unit


def difference_text(difference, unit: str) -> str:
    """Return the size of a difference between two values: ``3.0个百分点``, ``2.0/10万``, ``0.12岁``.

    The sign is left to the words around it (高于, 低于, 提高, 下降): this is always a magnitude.

    Examples
    --------
    >>> difference_text(-3.01, "%"), difference_text(2.04, "1/10万"), difference_text(1.5, "‰")
    ('3.0个百分点', '2.0/10万', '1.5个千分点')
    """
    if is_missing(difference):
        return "—"
    size = abs(float(difference))
    if unit in _POINTS:
        return number_text(size, unit) + _POINTS[unit]
    return value_text(size, unit)


#: The groups of a gap, in words.
GROUP_WORDS: dict[str, str] = {"female": "女性", "male": "男性", "urban": "城镇", "rural": "农村"}


def gap_value_text(value, unit: str, derivation) -> str:
    """Return a gap indicator's value as the group ahead and its size: ``男性高4.5个百分点``.

    A gap is stored signed by its registry convention (:class:`womenstats.catalog.models.Derivation`:
    ``minuend − subtrahend``, positive when the group the plans worry about is behind), which a
    reader cannot see in “−25.8/10万”. A difference reads as the group that is higher and its
    size; a relative gap (男女收入差距 = 100 (men − women) / men) is a percentage of the
    minuend's value, so it reads with the group that is lower, in %: ``女性低20.6%``. A gap that
    prints as zero has no group.

    Parameters
    ----------
    value : float
        The gap, signed as stored.
    unit : str
        The gap indicator's unit.
    derivation : womenstats.catalog.models.Derivation
        How the gap is computed (``minuend``, ``subtrahend``, ``form``).

    Examples
    --------
    >>> from womenstats.catalog.models import Derivation
    >>> mmr = Derivation("health.maternal_mortality", "residence", "rural", "urban")
    >>> income = Derivation("economy.average_income", "sex", "male", "female", "relative")
    >>> gap_value_text(-25.83, "1/10万", mmr), gap_value_text(20.61, "%", income)
    ('城镇高25.8/10万', '女性低20.6%')
    """
    if is_missing(value):
        return "—"
    relative = derivation.form == "relative"
    size = value_text(abs(float(value)), "%") if relative else difference_text(value, unit)
    who = gap_side(value, unit, derivation)
    return who + size


def gap_side(value, unit: str, derivation) -> str:
    """Return which group a gap puts ahead: ``男性高``, ``城镇高``, ``女性低`` (relative); empty at zero.

    See :func:`gap_value_text` for the conventions.

    Examples
    --------
    >>> from womenstats.catalog.models import Derivation
    >>> literacy = Derivation("education.science_literacy", "sex", "male", "female")
    >>> gap_side(1.5, "%", literacy), gap_side(-2.5, "%", literacy), gap_side(0.01, "%", literacy)
    ('男性高', '女性高', '')
    """
    if is_missing(value) or number_text(abs(float(value)), unit) == number_text(0.0, unit):
        return ""
    if derivation.form == "relative":
        return GROUP_WORDS.get(derivation.subtrahend, "") + ("低" if value > 0 else "高")
    return GROUP_WORDS.get(derivation.minuend if value > 0 else derivation.subtrahend, "") + "高"


def signed_difference_text(difference, unit: str) -> str:
    """Return a gap with its sign, as a table column of gaps prints it: ``+16.8个百分点``, ``−0.4个百分点``.

    A gap that prints as zero has no sign.

    Examples
    --------
    >>> [signed_difference_text(gap, "%") for gap in (16.84, -0.42, 0.01)]
    ['+16.8个百分点', '−0.4个百分点', '0.0个百分点']
    """
    size = difference_text(difference, unit)
    if is_missing(difference) or size == difference_text(0.0, unit):
        return size
    return ("+" if difference > 0 else "−") + size


def change_text(change, unit: str, *, words: tuple[str, str] = ("提高", "下降")) -> str:
    """Return a change over time in words: ``提高2.9个百分点``, ``下降1.2/10万``, ``持平``.

    Parameters
    ----------
    change : float
        Later value minus earlier value.
    unit : str
        The indicator's unit.
    words : (str, str), default ("提高", "下降")
        The words for a rise and a fall (提高 is up, 下降 is down whatever is better); a gap's size
        moves by 扩大 and 缩小.

    Examples
    --------
    >>> change_text(2.89, "%"), change_text(-1.24, "1/10万"), change_text(0.01, "%")
    ('提高2.9个百分点', '下降1.2/10万', '持平')
    >>> change_text(1.4, "%", words=("扩大", "缩小"))
    '扩大1.4个百分点'
    """
    if is_missing(change):
        return "—"
    if number_text(abs(float(change)), unit) == number_text(0.0, unit):
        return "持平"
    return (words[0] if change > 0 else words[1]) + difference_text(change, unit)


def gap_phrase(comparison: str, level, value, unit: str, *, tolerance: float = 0.0) -> str:
    """Return how far a value misses its target, in words: ``低于目标3.0个百分点``.

    ``>=``: 低于目标; ``<=``: 高于目标上限; ``≈`` (a two-sided band ``level ± tolerance``):
    高于目标区间上限 or 低于目标区间下限. Empty when the value meets the target: a met target
    never gets a 差 phrase.

    Parameters
    ----------
    comparison : str
        ``>=``, ``<=`` or ``≈`` (the assessment's ``comparison``).
    level : float
        The level judged against (the assessment's ``target_level``).
    value : float
        The observed value.
    unit : str
        The indicator's unit.
    tolerance : float, default 0
        Half-width of a two-sided band.

    Returns
    -------
    str

    Examples
    --------
    >>> gap_phrase(">=", 90, 86.99, "%"), gap_phrase("<=", 15, 17.0, "1/10万"), gap_phrase(">=", 90, 91, "%")
    ('低于目标3.0个百分点', '高于目标上限2.0/10万', '')
    """
    if is_missing(level) or is_missing(value):
        return ""
    level, value = float(level), float(value)
    if comparison == ">=" and value < level:
        return "低于目标" + difference_text(level - value, unit)
    if comparison == "<=" and value > level:
        return "高于目标上限" + difference_text(value - level, unit)
    if comparison == "≈" and value > level + tolerance:
        return "高于目标区间上限" + difference_text(value - level - tolerance, unit)
    if comparison == "≈" and value < level - tolerance:
        return "低于目标区间下限" + difference_text(level - tolerance - value, unit)
    return ""


def probability_text(p) -> str:
    """Return a probability as a report prints it, in tables and text alike: ``81%``, ``不到1%``.

    Rounded to whole percent; below 0.5% reads 不到1%, above 99.5% reads 超过99%, so that neither
    0% nor 100% is printed for a probability that is neither.

    Examples
    --------
    >>> probability_text(0.8066), probability_text(0.0001), probability_text(0.9999)
    ('81%', '不到1%', '超过99%')
    """
    if is_missing(p):
        return "—"
    p = float(p)
    if p < 0.005:
        return "不到1%"
    if p > 0.995:
        return "超过99%"
    return f"{100 * p:.0f}%"


__all__ = [
    "GROUP_WORDS",
    "change_text",
    "decimals",
    "difference_text",
    "gap_phrase",
    "gap_side",
    "gap_value_text",
    "interval_text",
    "is_missing",
    "number_text",
    "precision",
    "probability_text",
    "signed_difference_text",
    "value_text",
    "written_digits",
]
