"""Reading values and operators: rates, ratios, fractions, years, counts, coverage in words.

Part of :mod:`womenstats.catalog.extract` (internal). A value is a number in one of the forms
below; its operator comes from the words just before and after it; years, ranges, item numbers
and changes are never values.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from womenstats.catalog.extract.structure import _clause_before

_NUM = r"(\d+(?:\.\d+)?)"


_CN_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)} | {"两": 2}


# A rate: 95%, 8‰, 12/10万 (also 12/十万).
_RATE = re.compile(r"(?<![\d.])" + _NUM + r"(%|‰|/10万|/十万)")


_RATE_UNITS = {"%": "%", "‰": "‰", "/10万": "1/10万", "/十万": "1/10万"}


# A ratio a:b (the text module turns ：∶ between digits into :).
_RATIO = re.compile(r"(?<![\d.:])" + _NUM + r":" + _NUM + r"(?![\d.:])")


# A fraction in words: 三分之一, 3分之1.
_FRACTION = re.compile(r"([二三四五六七八九十]|\d+)分之([一二三四五六七八九]|\d+)")


# Years of life or of schooling; only taken when the clause is about one (寿命 / 年限).
_YEARS = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)(岁|年)(?![代度])")


_YEARS_NEED = {"岁": "寿命", "年": "年限"}


# A count: 1所, 一名, 4.5个.
_COUNT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?|[一两二三四五六七八九十])(名|个|所|家|处|支|人次|人|次)")


_COUNT_UNITS = {
    "名": "人",
    "人": "人",
    "个": "个",
    "所": "个",
    "家": "个",
    "处": "个",
    "支": "个",
    "人次": "次",
    "次": "次",
}


# Coverage in words: 100%.
_FULL = re.compile(
    r"(?<![健齐周安完])全(?:[区市县镇乡]|市域|域)?覆盖|全部覆盖|覆盖(?:全部|所有)|全部参加|全部配备|全部纳入"
    r"|每个[^，,；;。]{1,12}?都(?:有|建有|设有|配备|建立)"
)


# The number just before a dash (range head) or just after one (range tail) is no value.
_RANGE_HEAD = re.compile(r"^(?:%|‰|岁)?\s*[-—–~～至到]\s*\d")


_RANGE_TAIL = re.compile(r"\d(?:%|‰|岁)?\s*[-—–~～至到]\s*$")


# A change rather than a level: "比2020年下降20%", "提高5个百分点" (read as a direction instead).
_CHANGE_BEFORE = re.compile(r"(?:下降|降低|减少|提高|增加|增长|上升|提升|缩小|扩大)了?$")


_CHANGE_AFTER = re.compile(r"^\s*个?百分点")
# A change in percentage points: "提高5个百分点".
_POINTS = re.compile(r"(?<![\d.%])(\d+(?:\.\d+)?)\s*个?百分点")
_DECREASE_VERB = re.compile(r"(?:下降|降低|减少|缩小)了?$")


# The age group a value is about, in its own clause: "35-64岁" -> 35-64, "65岁及以上" -> 65+.
_AGE_RANGE = re.compile(r"(?<![\d.])(\d{1,3})\s*[-—–~～至到]\s*(\d{1,3})\s*周?岁")


_AGE_FROM = re.compile(r"(?<![\d.])(\d{1,3})\s*周?岁(?:及|或)?以上")


_TARGET_YEAR = re.compile(
    r"(?:到|至|在)(20\d\d)年|(20\d\d)年(?:底|末)?前?[,，]?(?=达到|达|实现|力争|降至|下降到|控制在|提高到)"
)


_AT_LEAST_WORD = re.compile(r"至少[各再都均]?(?:配备|设置|设立|建立|建设|建成|建有|拥有|有|培育|打造)?[各]?$")


_EVERY = re.compile(r"每[个一所家]?|各[个级]?|所有|全部")


# 保持在、稳定在、巩固在、保持并巩固在: a maintain verb at most four characters before the value
# (never the 巩固 of 巩固率, a name).
_MAINTAIN = re.compile(r"(?:保持|稳定|维持|巩固)(?!率)[^，,、率]{0,4}$")


_AT_LEAST = re.compile(r"(?:不低于|不少于|至少|(?<!不)(?:高于|超过|大于))$")


_AT_MOST = re.compile(r"(?:不高于|不超过|不大于|(?<![不至])(?:低于|少于|小于))$")


_DOWN_TO = re.compile(
    r"(?:控制在|下降到|下降至|降至|降到|降低到|降低至|减少到|减少至|减少|缩小到|缩小至|缩短到|缩短至)$"
)


_REACH = re.compile(r"(?:达到|达|提高到|提高至|提升到|提升至|增加到|增加至|为|在|实现)$")


_DIRECTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("narrow", re.compile(r"缩小|缩短")),
    ("decrease", re.compile(r"降低|下降|减少|减缓|遏制|控制")),
    ("increase", re.compile(r"提高|提升|增加|延长|增强|扩大|增多|上升")),
    ("maintain", re.compile(r"保持|稳定在|巩固")),
)


@dataclass(frozen=True)
class _Value:
    """A value found in a sentence: where it is, what it is, and how it was written."""

    start: int
    end: int
    value: float
    unit: str
    form: str  # rate, ratio, fraction, years, count, full; change_pct, change_pp (from the baseline)


def _number(text: str) -> float:
    return float(_CN_DIGITS[text]) if text in _CN_DIGITS else float(text)


def _in_range(sentence: str, start: int, end: int) -> bool:
    return bool(_RANGE_TAIL.search(sentence[:start]) or _RANGE_HEAD.match(sentence[end:]))


def _is_change(sentence: str, start: int, end: int) -> bool:
    """Return whether the value at ``start:end`` is a change (``下降20%``) rather than a level."""
    return bool(_CHANGE_BEFORE.search(sentence[:start]) or _CHANGE_AFTER.match(sentence[end:]))


# A time of day, not a ratio: "09:30", "上午10:30", or a date run into it ("2022-05-2009:30").
_CLOCK_BEFORE = re.compile(r"(?:上午|下午|晚上|时间[:：]?|\d{4}[-/.]\d{1,2}[-/.])$")


def _is_clock(sentence: str, m: re.Match[str]) -> bool:
    """Return whether the ratio ``m`` is a time of day (``09:30``, ``上午10:30``)."""
    hours, minutes = m.group(1), m.group(2)
    if not re.fullmatch(r"\d\d", minutes):
        return False
    return hours.startswith("0") or bool(_CLOCK_BEFORE.search(sentence[: m.start()]))


def _values(sentence: str) -> Iterator[_Value]:
    """Yield the values written in a sentence, in order (years, ranges, item numbers skipped)."""
    for m in _RATE.finditer(sentence):
        if _in_range(sentence, m.start(), m.end()):
            continue
        if not _is_change(sentence, m.start(), m.end()):
            yield _Value(m.start(), m.end(), float(m.group(1)), _RATE_UNITS[m.group(2)], "rate")
        elif m.group(2) == "%" and _CHANGE_BEFORE.search(sentence[: m.start()]):
            yield _Value(m.start(), m.end(), float(m.group(1)), "%", "change_pct")
    for m in _POINTS.finditer(sentence):
        if _CHANGE_BEFORE.search(sentence[: m.start()]):
            yield _Value(m.start(), m.end(), float(m.group(1)), "%", "change_pp")
    for m in _RATIO.finditer(sentence):
        first, second = float(m.group(1)), float(m.group(2))
        if first > 0 and second > 0 and not _is_clock(sentence, m):
            clause = sentence[: m.start()]
            # Ratios are stored women to men: 男女厕位比例 1:1.5 is 1.5 (女/男).
            men_first = "男" in clause and ("女" not in clause or clause.rindex("男") < clause.rindex("女"))
            value = second / first if men_first else first / second
            yield _Value(m.start(), m.end(), round(value, 3), "比值", "ratio")
    for m in _FRACTION.finditer(sentence):
        whole, part = _number(m.group(1)), _number(m.group(2))
        if 0 < part < whole:
            yield _Value(m.start(), m.end(), round(100 * part / whole, 1), "%", "fraction")
    for m in _YEARS.finditer(sentence):
        clause = _clause_before(sentence, m.start())
        if _YEARS_NEED[m.group(2)] in clause and not _in_range(sentence, m.start(), m.end()):
            yield _Value(m.start(), m.end(), float(m.group(1)), m.group(2), "years")
    for m in _COUNT.finditer(sentence):
        yield _Value(m.start(), m.end(), _number(m.group(1)), _COUNT_UNITS[m.group(2)], "count")
    for m in _FULL.finditer(sentence):
        yield _Value(m.start(), m.end(), 100.0, "%", "full")


def _change_operator(before: str, form: str) -> str:
    """Return the operator of a change from the baseline (``decrease_pct``, ``increase_pp`` …)."""
    direction = "decrease" if _DECREASE_VERB.search(before) else "increase"
    return f"{direction}_{'pct' if form == 'change_pct' else 'pp'}"


def _operator(before: str, after: str, better: str) -> str:
    """Return the operator of a value from the words just before and after it."""
    if after.startswith(("左右", "上下")):
        return "≈"
    tail = before[-8:]
    if after.startswith(("以上", "及以上")):
        return "maintain" if _MAINTAIN.search(tail) else ">="
    if after.startswith(("以下", "以内", "之内", "及以下")):
        return "<="
    if _AT_LEAST.search(tail):
        return ">="
    if _AT_MOST.search(tail) or _DOWN_TO.search(tail):
        return "<="
    if _MAINTAIN.search(tail):
        return "maintain"
    if better == "lower":
        return "<="
    if better == "neutral" and not _REACH.search(tail):
        return "="
    return ">="


def _observed_operator(before: str, after: str) -> str:
    """Return how the words around an observed value bound it: ``=`` unless they say more.

    ``达到25%`` reports 25; ``超过40%``, ``98%以上`` at least; ``以下``, ``不到`` at most.
    """
    if after.startswith(("左右", "上下")):
        return "≈"
    tail = before[-8:]
    if after.startswith(("以上", "及以上")) or _AT_LEAST.search(tail):
        return ">="
    if after.startswith(("以下", "以内", "之内", "及以下")) or _AT_MOST.search(tail) or tail.endswith("不到"):
        return "<="
    return "="


# A value about one side only: 农村孕产妇住院分娩率 is the rural rate of 孕产妇住院分娩率.
_PLACE = re.compile(r"(?<!城乡)(?:农村|城镇|城市)(?![、和与及]?(?:农村|城镇|城市))")


_URBAN_RURAL = re.compile(r"城镇[、和与及]农村|城市[、和与及]农村|城乡")


_AFTER_WORDS = ("左右", "上下", "以上", "及以上", "以下", "以内", "之内", "及以下")
