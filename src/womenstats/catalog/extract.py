"""Extract candidate targets from a plan's text, for a person to review.

:func:`extract_targets` reads a plan (.txt or .docx), finds the eight areas (``（一）妇女与健康`` …
``（八）妇女与法治``), their ``主要目标`` and ``策略措施`` sections, a ``重点工程`` (``重点项目``)
chapter when there is one, and the numbered items in them. Each item is split into sentences (at
``。；``) and each sentence into the statements it holds:

- a **quantitative** statement has a value: a number with a rate unit (``12/10万``, ``95%``,
  ``8‰``), a ratio (``1.5:1``, ``1:3``), a fraction in words (``三分之一`` → 33.3%), years for a
  life expectancy (``80岁``) or a schooling length (``11.6年``), a count the registry knows
  (``建设1所…妇幼保健机构``) or introduced by ``至少``, or a coverage in words (``实现全覆盖``,
  ``覆盖所有``, ``全部参加``, ``每个…都有`` → 100%);
- its operator is read from the words around the value: ``左右`` → ``≈``; ``以上``, ``不低于``,
  ``至少`` → ``>=`` (``保持/稳定在…以上`` → ``maintain``); ``以下``, ``以内``, ``控制在``,
  ``下降到`` → ``<=``; a bare ``达到`` follows the indicator's better direction;
- a **directional** statement (主要目标 only) names an indicator and a direction without a value
  (``提高``/``延长`` → ``increase``, ``降低``/``减少`` → ``decrease``, ``缩小…差距`` → ``narrow``);
- a 主要目标 sentence with neither is kept as **qualitative**.

Years (``2025年``), age ranges (``35-64岁``, ``3岁以下``), other ranges (``80%-90%``), item
numbers and document numbers are never taken for values: only the forms above are. Each statement
is mapped to the registry indicator whose Chinese name or alias (:func:`womenstats.catalog.indicators`)
it contains, preferring the longest name and the statement's unit; failing
that, to the indicator whose name (without its measure word, ``率``, ``比例``, ``人数``…) shares
at least :data:`FUZZY_THRESHOLD` of its character pairs with the statement. The rules are generic:
nothing in them names a particular plan.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from womenstats.catalog.loader import indicators as registry
from womenstats.catalog.loader import plan as plan_record
from womenstats.catalog.schema import TARGET_COLUMNS
from womenstats.catalog.text import normalise, read_plan_text
from womenstats.errors import CatalogError

#: Columns of :func:`extract_targets`' result: ``plan`` then the targets CSV columns.
EXTRACT_COLUMNS: tuple[str, ...] = ("plan", *TARGET_COLUMNS)

#: Share of an indicator name's character pairs a statement must contain to be matched to it
#: when no name or alias appears in the statement word for word.
FUZZY_THRESHOLD: float = 0.8

# ---------------------------------------------------------------- document structure

# Area headings: the word after 妇女与/妇女参与 decides the area.
_AREA_WORDS: tuple[tuple[str, str], ...] = (
    ("健康", "health"),
    ("教育", "education"),
    ("经济", "economy"),
    ("决策", "decision"),
    ("社会保障", "social_security"),
    ("家庭", "family"),
    ("环境", "environment"),
    ("法", "law"),
)
_AREA_HEADING = re.compile(
    r"^(?:[（(][一二三四五六七八][）)]|[一二三四五六七八]、)\s*妇女(?:与|参与)(.{1,8}?)(?:$|[:：]|主要目标|[（(\d])"
)
# An area heading without 妇女与: "（一）健康领域", "二、教育" (a short heading line, or one
# followed by its 主要目标).
_BARE_AREA_HEADING = re.compile(
    r"^(?:[（(][一二三四五六七八][）)]|[一二三四五六七八]、)\s*"
    r"(健康|教育|经济|参与决策和管理|决策和管理|社会保障|家庭建设|家庭|环境|法治|法律)(?:领域)?"
    r"(?=$|[:：]|主要目标|\d)"
)
_CHAPTER = re.compile(r"^[一二三四五六七八九十]、(.*)")
_SECTION = re.compile(
    r"^(?:\d{1,2}[.、]|[（(][一二三四五六七八九十\d]{1,2}[）)])?\s*[【\[]?(主要目标|策略措施)[】\]]?\s*[:：]?"
)
# Item numbers, each form with its reading; "3.35-64岁…" is item 3 about ages 35-64, "3.5%" a value
# (a decimal age or year never opens a sentence; the numbering must also run on, see _items).
_NOT_A_VALUE = r"(?!\d+(?:\.\d+)?\s*(?:%|‰|:|/|\.))"
_ITEM_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dot", re.compile(r"^(\d{1,2})[.、]" + _NOT_A_VALUE)),
    ("paren", re.compile(r"^[（(](\d{1,2})[）)]")),
    ("circled", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")),
    ("chinese", re.compile(r"^[（(]([一二三四五六七八九十]{1,2})[）)]")),
)
_CHINESE_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)} | {
    c: i for i, c in enumerate("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳", start=1)
}
_PROJECT_CHAPTER = ("重点工程", "重点项目")

# 重点工程 items name no area: the words of the project's name decide when its numbers name no
# registry indicator.
_PROJECT_AREAS: tuple[tuple[str, str], ...] = (
    ("健康", "health"),
    ("教育", "education"),
    ("就业", "economy"),
    ("乡村振兴", "economy"),
    ("科技", "economy"),
    ("家政", "economy"),
    ("决策", "decision"),
    ("保障", "social_security"),
    ("家庭", "family"),
    ("家风", "family"),
    ("母婴", "environment"),
    ("环境", "environment"),
    ("法", "law"),
    ("维权", "law"),
)

# ---------------------------------------------------------------- values

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
# The age group a value is about, in its own clause: "35-64岁" -> 35-64, "65岁及以上" -> 65+.
_AGE_RANGE = re.compile(r"(?<![\d.])(\d{1,3})\s*[-—–~～至到]\s*(\d{1,3})\s*周?岁")
_AGE_FROM = re.compile(r"(?<![\d.])(\d{1,3})\s*周?岁(?:及|或)?以上")
_TARGET_YEAR = re.compile(
    r"(?:到|至|在)(20\d\d)年|(20\d\d)年(?:底|末)?前?[,，]?(?=达到|达|实现|力争|降至|下降到|控制在|提高到)"
)
_AT_LEAST_WORD = re.compile(r"至少[各再都均]?(?:配备|设置|设立|建立|建设|建成|建有|拥有|有|培育|打造)?[各]?$")
_EVERY = re.compile(r"每[个一所家]?|各[个级]?|所有|全部")

# ---------------------------------------------------------------- operators

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
_SENTENCE_END = re.compile(r"(?<=[。；;！？])")
_CLAUSE_MARK = re.compile(r"[，,；;：:]")
# Measure words a name ends with; its stem (the name without one) is matched loosely.
_MEASURE_WORD = re.compile(r"(?:覆盖率|普及率|参保率|配置率|知晓率|比例|比重|人数|个数|数|率)$")


# ---------------------------------------------------------------- the registry's words


class _Entry(NamedTuple):
    """A registry name in comparable form, with the indicator's id, unit, direction and area."""

    key: str
    id: str
    unit: str
    better: str
    area: str
    name: str  # the indicator's own name (the key may be an alias)
    by_residence: bool  # the indicator is reported by urban/rural


def _clean_name(text: str) -> str:
    """Return the comparable form of a name or statement.

    No 的/中, no parenthesised remarks, and a pair of sexes said once: ``女厕位与男厕位``,
    ``女厕位比男厕位`` and ``男厕位与女厕位`` read as ``男女厕位``.
    """
    text = re.sub(r"[（(][^）)]*[）)]", "", text)
    text = re.sub(r"[的中\s]", "", text)
    return re.sub(r"[女男]([\u4e00-\u9fff]{1,4})[与和比][男女]\1", r"男女\1", text)


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _expand_parallel(text: str) -> list[str]:
    """Spell out ``A、B<suffix>`` as ``A<suffix>`` and ``B<suffix>``.

    ``小学、初中阶段净入学率`` gives ``小学阶段净入学率`` (among other cuts of ``B``) and
    ``初中阶段净入学率``; ``区委、区政府领导班子`` gives ``区委领导班子`` and ``区政府领导班子``.
    """
    out = []
    for m in re.finditer("、", text):
        left, right = text[: m.start()], text[m.end() :]
        for k in range(1, min(6, len(right) - 1) + 1):
            out.append(left + right[k:])
        for k in range(1, min(6, len(left)) + 1):
            out.append(left[: len(left) - k] + right)
    return out


@dataclass(frozen=True)
class _Lexicon:
    """The registry's names and aliases (longest first), and their stems."""

    entries: tuple[_Entry, ...]
    stems: tuple[_Entry, ...]

    @classmethod
    def from_registry(cls) -> _Lexicon:
        frame = registry()
        seen: dict[str, _Entry] = {}
        names = [(n, str(i)) for i, row in frame.iterrows() for n in (row["name"], *row["aliases"])]
        for name, ident in names:
            key = _clean_name(name)
            if len(key) >= 3 and key not in seen:
                row = frame.loc[ident]
                seen[key] = _Entry(
                    key,
                    ident,
                    row["unit"],
                    row["better"],
                    row["area"],
                    row["name"],
                    "residence" in row["breakdowns"],
                )
        entries = sorted(seen.values(), key=lambda e: (-len(e.key), e.key))
        stems = {}
        for entry in entries:
            stem = _MEASURE_WORD.sub("", entry.key)
            if len(stem) >= 4:
                stems.setdefault((stem, entry.id), entry._replace(key=stem))
        return cls(tuple(entries), tuple(sorted(stems.values(), key=lambda e: (-len(e.key), e))))

    def exact(self, text: str, unit: str = "") -> list[_Entry]:
        """Return the entries named word for word in ``text`` or its ``A、B`` expansions.

        Best first: an entry with the statement's unit beats one without; then the longer name.
        """
        clean = _clean_name(text)
        found: dict[str, tuple[int, _Entry]] = {}
        for variant in (clean, *_expand_parallel(clean)):
            for entry in self.entries:
                if entry.key in variant:
                    score = len(entry.key) + (100 if unit and entry.unit == unit else 0)
                    if entry.id not in found or found[entry.id][0] < score:
                        found[entry.id] = (score, entry)
                    break
        return [e for _, e in sorted(found.values(), key=lambda p: (-p[0], p[1].id))]

    def loose(self, text: str, unit: str = "") -> list[_Entry]:
        """Return the entries whose stem shares most character pairs with ``text``.

        For each reading of ``text`` (itself and its ``A、B`` expansions) the stem with the largest
        share of its pairs in the reading (at least :data:`FUZZY_THRESHOLD`; ties: the statement's
        unit, then the longer stem) is taken; the result lists the distinct indicators found.
        """
        clean = _clean_name(text)
        found: dict[str, _Entry] = {}
        for variant in (clean, *_expand_parallel(clean)):
            have = _pairs(variant)
            best: tuple[float, int, int, _Entry] | None = None
            for entry in self.stems:
                pairs = _pairs(entry.key)
                share = len(pairs & have) / len(pairs)
                if share >= FUZZY_THRESHOLD:
                    rank = (share, int(bool(unit) and entry.unit == unit), len(entry.key), entry)
                    if best is None or rank[:3] > best[:3]:
                        best = rank
            if best is not None:
                found.setdefault(best[3].id, best[3])
        return list(found.values())

    def ranked(self, text: str) -> list[_Entry]:
        """Return every entry named in ``text``: word for word first, then loosely, best first."""
        clean = _clean_name(text)
        have = set().union(*(_pairs(v) for v in (clean, *_expand_parallel(clean))))
        loose = []
        for entry in self.stems:
            pairs = _pairs(entry.key)
            share = len(pairs & have) / len(pairs)
            if share >= FUZZY_THRESHOLD:
                loose.append((-share, -len(entry.key), entry.id, entry))
        return self.exact(text) + [e for *_, e in sorted(loose)]

    def find(self, text: str, unit: str = "") -> list[_Entry]:
        """Return :meth:`exact`'s entries, or :meth:`loose`'s when none is named word for word."""
        return self.exact(text, unit) or self.loose(text, unit)


# ---------------------------------------------------------------- statements


@dataclass
class _Statement:
    kind: str
    operator: str
    value: float | None
    unit: str
    sentence: str
    indicator_id: str
    area: str = ""
    target_year: int | None = None
    age_group: str = "all"
    residence: str = "all"
    form: str = ""  # how the value was written (see _Value.form)
    start: int = 0  # where in the sentence the statement's value or clause begins


@dataclass(frozen=True)
class _Value:
    """A value found in a sentence: where it is, what it is, and how it was written."""

    start: int
    end: int
    value: float
    unit: str
    form: str  # rate, ratio, fraction, years, count, full


def _number(text: str) -> float:
    return float(_CN_DIGITS[text]) if text in _CN_DIGITS else float(text)


def _in_range(sentence: str, start: int, end: int) -> bool:
    return bool(_RANGE_TAIL.search(sentence[:start]) or _RANGE_HEAD.match(sentence[end:]))


def _is_change(sentence: str, start: int, end: int) -> bool:
    """Return whether the value at ``start:end`` is a change (``下降20%``) rather than a level."""
    return bool(_CHANGE_BEFORE.search(sentence[:start]) or _CHANGE_AFTER.match(sentence[end:]))


def _values(sentence: str) -> Iterator[_Value]:
    """Yield the values written in a sentence, in order (years, ranges, item numbers skipped)."""
    for m in _RATE.finditer(sentence):
        if not _in_range(sentence, m.start(), m.end()) and not _is_change(sentence, m.start(), m.end()):
            yield _Value(m.start(), m.end(), float(m.group(1)), _RATE_UNITS[m.group(2)], "rate")
    for m in _RATIO.finditer(sentence):
        first, second = float(m.group(1)), float(m.group(2))
        if first > 0 and second > 0:
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


def _clause_before(sentence: str, start: int) -> str:
    """Return the text from the last clause mark before ``start`` up to ``start``."""
    before = sentence[:start]
    cut = max((b.end() for b in _CLAUSE_MARK.finditer(before)), default=0)
    return before[cut:]


def _clause_after(sentence: str, end: int) -> str:
    """Return the text from ``end`` up to the next clause mark."""
    after = sentence[end:]
    cut = _CLAUSE_MARK.search(after)
    return after[: cut.start()] if cut else after


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


def _same_unit(entries: list[_Entry], unit: str) -> list[_Entry]:
    return [e for e in entries if e.unit == unit]


def _coverage(entries: list[_Entry]) -> list[_Entry]:
    """Return the entries that can be a coverage: a percentage where higher is better."""
    return [e for e in entries if e.unit == "%" and e.better == "higher"]


def _distinct(entries: list[_Entry]) -> list[_Entry]:
    """Return the best entry, plus the others when they name distinct parallel measures (A、B)."""
    if not entries:
        return []
    best = [entries[0]]
    for entry in entries[1:]:
        if all(entry.key not in b.key and b.key not in entry.key for b in best) and len(entry.key) >= 5:
            best.append(entry)
    return best if len(best) > 1 and all(len(b.key) >= 5 for b in best) else best[:1]


def _count_subject(sentence: str, value: _Value) -> str:
    """Return the words a count is about: its clause without earlier counted nouns, and its noun.

    In ``每个镇至少设置一个社工服务站、一个家政服务中心`` the second count is about
    ``每个镇至少设置一个家政服务中心``.
    """
    before = re.sub(_COUNT.pattern + r"[^、，,；;]*、", "", _clause_before(sentence, value.start))
    noun = re.split(r"[，,；;。]|、(?=" + _COUNT.pattern + ")", sentence[value.start :], maxsplit=1)[0]
    return before + noun


def _count_entries(sentence: str, value: _Value, lexicon: _Lexicon) -> tuple[list[_Entry], str, float] | None:
    """Return the indicators, unit and value of a count, or None when it is no target.

    A count is a target when the registry has a count of that thing (``建设1所标准化妇幼保健
    机构``) or when ``至少`` introduces it; ``每个…至少一个`` or a registry coverage rate
    (``乡镇领导班子至少配备一名女干部``) makes it a coverage of 100%.
    """
    subject = _count_subject(sentence, value)
    before = subject[: subject.rfind(sentence[value.start : value.end])]
    at_least = bool(_AT_LEAST_WORD.search(before) or re.match(r"及?以上", sentence[value.end :]))
    found = lexicon.find(subject, value.unit)
    counted = _same_unit(found, value.unit)
    if counted:
        return counted, value.unit, value.value
    if not at_least:
        return None
    coverage = _coverage(found)
    if coverage or (_EVERY.search(subject) and value.value == 1):
        return coverage[:1], "%", 100.0
    return [], value.unit, value.value


def _value_entries(sentence: str, value: _Value, lexicon: _Lexicon) -> tuple[list[_Entry], str, float] | None:
    """Return the indicators, unit and value of a value found in a sentence (None: no target)."""
    if value.form == "count":
        return _count_entries(sentence, value, lexicon)
    clause = _clause_before(sentence, value.start)
    if value.form == "full":
        clause += _clause_after(sentence, value.start)
        return _coverage(lexicon.find(clause, "%"))[:1], "%", 100.0
    found = _same_unit(lexicon.exact(clause, value.unit), value.unit)
    found = found or _same_unit(lexicon.loose(clause, value.unit), value.unit)
    return _distinct(found), value.unit, value.value


def _age_group(sentence: str, start: int, entry: _Entry | None) -> str:
    """Return the age group named in the clause of the value at ``start`` (``all`` when none).

    An age that is part of the indicator's own name (``65岁以上老年人…管理服务率``) is no breakdown.
    """
    clause = _clause_before(sentence, start) + _clause_after(sentence, start)
    ages = _AGE_RANGE.search(clause)
    older = _AGE_FROM.search(clause)
    found = ages or older
    if not found or (entry is not None and re.sub("[及或]", "", found.group(0)) in entry.name):
        return "all"
    return f"{int(ages.group(1))}-{int(ages.group(2))}" if ages else f"{int(older.group(1))}+"


# A value about one side only: 农村孕产妇住院分娩率 is the rural rate of 孕产妇住院分娩率.
_PLACE = re.compile(r"(?<!城乡)(?:农村|城镇|城市)(?![、和与及]?(?:农村|城镇|城市))")
_URBAN_RURAL = re.compile(r"城镇[、和与及]农村|城市[、和与及]农村|城乡")
_AFTER_WORDS = ("左右", "上下", "以上", "及以上", "以下", "以内", "之内", "及以下")


def _respectively(
    sentence: str, values: list[_Value], lexicon: _Lexicon
) -> dict[int, tuple[list[_Entry], str, str]]:
    """Pair the names and the values of a ``分别`` statement, in order.

    ``宫颈癌、乳腺癌人群筛查率分别达到70%和50%以上``: the first value is the first name's, the
    second the second's, and ``以上`` after the last value holds for all. Returns, for each
    value's start, ``(entries, words after, residence)``; a name list that does not pair up gives
    no indicator rather than a wrong one (one name: it holds for every value, and ``城镇、农村``
    before it makes the two values urban and rural).
    """
    groups: dict[int, list[_Value]] = {}
    for value in values:
        clause = _clause_before(sentence, value.start)
        if value.form in {"rate", "years", "ratio"} and "分别" in clause:
            groups.setdefault(value.start - len(clause), []).append(value)
    out: dict[int, tuple[list[_Entry], str, str]] = {}
    for start, group in groups.items():
        if len(group) < 2:
            continue
        subject = sentence[start : sentence.index("分别", start)]
        parts = re.split("[、和及与]", subject)
        named = lexicon.exact(subject) + [e for part in parts for e in lexicon.exact(part)]
        entries = _in_order(subject, list({e.id: e for e in named}.values()))
        if len(entries) == len(group):
            paired = [[e] if e.unit == v.unit else [] for e, v in zip(entries, group, strict=True)]
        else:
            paired = [entries[:1] if len(entries) == 1 and entries[0].unit == v.unit else [] for v in group]
        places = ("urban", "rural") if len(group) == 2 and _URBAN_RURAL.search(subject) else ("all",) * 2
        last = sentence[group[-1].end : group[-1].end + 4]
        for n, (value, found) in enumerate(zip(group, paired, strict=True)):
            own = sentence[value.end : value.end + 4]
            residence = places[n] if len(entries) == 1 else "all"
            out[value.start] = (found, own if own.startswith(_AFTER_WORDS) else last, residence)
    return out


def _in_order(text: str, entries: list[_Entry]) -> list[_Entry]:
    """Return ``entries`` in the order the text names them (by the character pairs only each has)."""
    clean = _clean_name(text)

    def place(entry: _Entry) -> int:
        others = set().union(*(_pairs(e.key) for e in entries if e is not entry))
        own = [clean.find(p) for p in _pairs(entry.key) - others if p in clean]
        return min(own, default=len(clean))

    return sorted(entries, key=place)


def _quantities(sentence: str, lexicon: _Lexicon) -> list[_Statement]:
    """Return the quantitative statements of one sentence, in the order of their values."""
    out: list[_Statement] = []
    values = sorted(_values(sentence), key=lambda v: (v.start, v.form))
    paired = _respectively(sentence, values, lexicon)
    for value in values:
        read = _value_entries(sentence, value, lexicon)
        if read is None:
            continue
        entries, unit, number = read
        after, residence = sentence[value.end : value.end + 4], "all"
        place = _PLACE.search(_clause_before(sentence, value.start))
        if value.start in paired:
            entries, after, residence = paired[value.start]
        years = ["".join(y) for y in _TARGET_YEAR.findall(sentence[: value.start])]
        for entry in entries or [None]:
            if (
                place
                and entry
                and entry.by_residence
                and residence == "all"
                and place.group(0) not in entry.name
            ):
                residence = "rural" if place.group(0) == "农村" else "urban"
            if value.form in {"full", "count"}:
                op = ">="
            else:
                better = entry.better if entry else ("lower" if unit in {"1/10万", "‰"} else "higher")
                op = _operator(sentence[: value.start], after, better)
            out.append(
                _Statement(
                    kind="quantitative",
                    operator=op,
                    value=number,
                    unit=unit,
                    sentence=sentence,
                    indicator_id=entry.id if entry else "",
                    area=entry.area if entry else "",
                    target_year=int(years[-1]) if years else None,
                    age_group=_age_group(sentence, value.start, entry),
                    residence=residence,
                    form=value.form,
                    start=value.start,
                )
            )
    return _once(_named_from_sentence(sentence, out, lexicon))


def _named_from_sentence(sentence: str, statements: list[_Statement], lexicon: _Lexicon) -> list[_Statement]:
    """Name the measure of a value whose own clause names none from the sentence before it.

    ``提高农村卫生厕所普及率，2025年达到85%左右``: the value's clause names nothing, the
    sentence does. The first measure of the right unit named before the value (word for word,
    then loosely) that no other value of the sentence already has is taken.
    """
    used = {st.indicator_id for st in statements if st.indicator_id}
    for st in statements:
        if st.indicator_id or st.form not in {"rate", "ratio", "fraction", "years"}:
            continue
        for entry in lexicon.ranked(sentence[: st.start]):
            if entry.unit == st.unit and entry.id not in used and (st.unit != "%" or st.value <= 100):
                st.indicator_id, st.area = entry.id, entry.area
                used.add(entry.id)
                break
    return statements


def _once(statements: list[_Statement]) -> list[_Statement]:
    """Drop repeats in a sentence: the same measure, operator and value said twice.

    A statement without an indicator repeats any statement with the same operator, value and
    unit (``全部配备母婴室，配置率达到100%``).
    """
    named = {(st.operator, st.value, st.unit) for st in statements if st.indicator_id}
    out, seen = [], set()
    for st in statements:
        key = (st.indicator_id, st.operator, st.value, st.unit)
        if key in seen or (not st.indicator_id and key[1:] in named):
            continue
        seen.add(key)
        out.append(st)
    return out


def _inherited(before: str, clause: str, lexicon: _Lexicon) -> list[_Entry]:
    """Return the measures a clause names through the subject of an earlier clause.

    ``孕产妇死亡率下降到12/10万以下，城乡、区域差距缩小``: the second clause is about
    ``孕产妇死亡率城乡、区域差距``. Only a longer name that begins with the earlier one counts.
    """
    earlier = lexicon.exact(before)
    if not earlier:
        return []
    head = earlier[0].key
    return [e for e in lexicon.exact(head + clause) if e.key.startswith(head) and e.key != head]


def _directions(sentence: str, start: int, end: int, lexicon: _Lexicon) -> list[_Statement]:
    """Return the directional statement of a clause naming an indicator and a direction, if any."""
    clause = sentence[start:end]
    matches = lexicon.find(clause) or _inherited(sentence[:start], clause, lexicon)
    if not matches:
        return []
    for op, pattern in _DIRECTIONS:
        if pattern.search(clause) and (op != "narrow" or "差" in clause):
            entry = matches[0]
            return [_Statement("directional", op, None, "", sentence, entry.id, entry.area, start=start)]
    return []


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip("。；; ")]


def _clauses(sentence: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each clause of a sentence (cut at ，,；;：:)."""
    cuts = [0, *(m.end() for m in _CLAUSE_MARK.finditer(sentence)), len(sentence) + 1]
    return [(a, b) for a, b in pairwise(cuts) if sentence[a:b].strip("，,；;：:。 ")]


def _statements(section: str, text: str, lexicon: _Lexicon) -> Iterator[_Statement]:
    """Yield the statements of an item's text: values, and in 主要目标 directions or a judgement.

    In a 主要目标 sentence every clause without a value may hold a directional statement
    (``孕产妇死亡率下降到12/10万以下，城乡、区域差距缩小`` gives a value and a ``narrow``); a
    sentence with neither is one qualitative statement.
    """
    for sentence in _sentences(text):
        found = _quantities(sentence, lexicon)
        if section == "主要目标":
            starts = [st.start for st in found]
            for a, b in _clauses(sentence):
                if not any(a <= start < b for start in starts):
                    found += _directions(sentence, a, b, lexicon)
            if not found:
                found = [_Statement("qualitative", "", None, "", sentence, "")]
        yield from sorted(found, key=lambda st: st.start)


# ---------------------------------------------------------------- items


def _area_of(heading_word: str) -> str | None:
    for word, area in _AREA_WORDS:
        if heading_word.startswith(word) or word in heading_word:
            return area
    return None


def _project_area(body: str) -> str:
    """Return the area of a 重点工程 item from the words of its name (text before the first 。)."""
    name = body.split("。", 1)[0]
    for word, area in _PROJECT_AREAS:
        if word in name:
            return area
    return ""


def _chinese_number(text: str) -> int:
    """Return the value of an item number: ``3``, ``③``, ``三``, ``十二``."""
    if text.isascii() and text.isdigit():
        return int(text)
    if len(text) == 2:  # 十一…十九; 二十 does not number items
        return 10 + _CHINESE_NUMERALS.get(text[1], 0) if text[0] == "十" else 0
    return _CHINESE_NUMERALS.get(text, 0)


def _item_start(line: str, section: str, style: str | None) -> tuple[str, int, str] | None:
    """Return ``(form, number, rest)`` when ``line`` starts an item of the section.

    The first item of a section fixes the form of its numbers (``1.``, ``（1）``, ``①``, or
    ``（一）`` in a 重点工程 chapter), so that sub-items in another form stay inside their item.
    """
    forms = _ITEM_FORMS if section == "重点工程" else _ITEM_FORMS[:3]
    for form, pattern in forms:
        if style is not None and form != style:
            continue
        m = pattern.match(line)
        if m:
            return form, _chinese_number(m.group(1)), line[m.end() :]
    return None


@dataclass
class _Cursor:
    """Where the reader of :func:`_items` is: area, section, item, and the item's text so far."""

    area: str | None = None
    section: str | None = None
    item: str | None = None
    number: int = 0
    style: str | None = None
    buffer: list[str] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)

    def flush(self) -> Iterator[tuple[str, str, str, str]]:
        """Yield the item read so far (or, for a section without numbered items, its text)."""
        if self.area is None or not self.section:
            return
        if self.item and self.buffer:
            yield self.area, self.section, self.item, "".join(self.buffer)
        elif not self.item and self.number == 0 and self.preamble and self.section != "重点工程":
            yield self.area, self.section, _item_code(self.section, 1), "".join(self.preamble)

    def enter(self, area: str | None, section: str | None) -> None:
        self.area, self.section = area, section
        self.item, self.number, self.style, self.buffer, self.preamble = None, 0, None, [], []


def _item_code(section: str, number: int) -> str:
    return {"主要目标": f"{number:02d}", "策略措施": f"s{number}"}.get(section, f"p{number}")


def _items(text: str) -> Iterator[tuple[str, str, str, str]]:
    """Yield ``(area, section, item, text)`` for every numbered item of the plan.

    Areas come from their headings (``（一）妇女与健康`` or ``一、妇女与健康``), sections from
    ``主要目标``/``策略措施`` (also ``1.主要目标``, ``【主要目标】``), a ``重点工程`` or
    ``重点项目`` chapter is a section of its own whose ``area`` is empty (the statement's indicator
    or the project's name decides). Items are numbered consecutively in one form; a section
    without numbered items is read as one item.
    """
    cur = _Cursor()
    for line in text.split("\n"):
        heading = _AREA_HEADING.match(line)
        if not heading and cur.section != "重点工程":
            heading = _BARE_AREA_HEADING.match(line)
        if heading:
            yield from cur.flush()
            cur.enter(_area_of(heading.group(1)), None)
            line = line[heading.end(1) :]
            if not _SECTION.match(line):
                continue
        elif _CHAPTER.match(line):
            yield from cur.flush()
            title = _CHAPTER.match(line).group(1)
            project = any(word in title for word in _PROJECT_CHAPTER)
            cur.enter("" if project else None, "重点工程" if project else None)
            continue
        section = _SECTION.match(line)
        if section and cur.area is not None:
            yield from cur.flush()
            cur.enter(cur.area, section.group(1))
            line = line[section.end() :]
            if not line:
                continue
        if not cur.section:
            continue
        start = _item_start(line, cur.section, cur.style)
        if start and start[1] == cur.number + 1:
            yield from cur.flush()
            cur.style, cur.number = start[0], start[1]
            cur.item, cur.buffer = _item_code(cur.section, start[1]), [start[2]]
        elif cur.item:
            cur.buffer.append(line)
        else:
            cur.preamble.append(line)
    yield from cur.flush()


def _plan_year(text: str, plan_id: str | None) -> int | None:
    """Return the default target year: the catalog plan's final year, else the document's own."""
    if plan_id:
        try:
            return int(plan_record(plan_id).final_year)
        except CatalogError:  # a plan not in the catalog: read the period from the document
            pass
    head = text[:3000]
    period = re.search(r"(20\d\d)\s*[-—–~至]\s*(20\d\d)\s*年", head)
    if period:
        return int(period.group(2))
    if "十四五" in head:
        return 2025
    if "十五五" in head:
        return 2030
    return None


# ---------------------------------------------------------------- public API


def extract_text(text: str, plan_id: str | None = None) -> pd.DataFrame:
    """Extract candidate targets from a plan's text already read into memory.

    Parameters
    ----------
    text : str
        The plan's text, as read (it is normalised here, see :func:`womenstats.catalog.text.normalise`).
    plan_id : str, optional
        Plan id for ``plan`` and ``target_id``; when it names a catalog plan its final year is
        the default ``target_year``. Defaults to ``plan``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EXTRACT_COLUMNS`, one row per candidate statement in document order.
        ``value`` and ``tolerance`` are floats (NaN when none), ``target_year`` Int64;
        ``indicator_id`` is blank when no registry indicator was recognised.
    """
    clean = normalise(text)
    lexicon = _Lexicon.from_registry()
    default_year = _plan_year(clean, plan_id)
    pid = plan_id or "plan"
    subjects = registry()["subject"].to_dict()
    rows = []
    counters: dict[tuple[str, str], int] = {}
    # A text without the usual headings is read as one list of targets, areas from indicators.
    items = list(_items(clean)) or [("", "主要目标", "01", clean.replace("\n", ""))]
    for area, section, item, body in items:
        for st in _statements(section, body, lexicon):
            row_area = area or st.area or (_project_area(body) if section == "重点工程" else "")
            if not row_area:
                continue
            key = (row_area, item)
            counters[key] = counters.get(key, 0) + 1
            rows.append(
                {
                    "plan": pid,
                    "target_id": f"{pid}.{row_area}.{item}-{counters[key]}",
                    "area": row_area,
                    "section": section,
                    "item": item,
                    "indicator_id": st.indicator_id,
                    "sex": "female" if subjects.get(st.indicator_id, "female") == "female" else "total",
                    "residence": st.residence,
                    "age_group": st.age_group,
                    "kind": st.kind,
                    "operator": st.operator,
                    "tolerance": float("nan"),
                    "value": st.value if st.value is not None else float("nan"),
                    "unit": st.unit,
                    "target_year": st.target_year or default_year,
                    "links_to": "",
                    "sentence": st.sentence,
                    "note": "",
                }
            )
    frame = pd.DataFrame.from_records(rows, columns=list(EXTRACT_COLUMNS))
    frame["value"] = frame["value"].astype(float)
    frame["tolerance"] = frame["tolerance"].astype(float)
    frame["target_year"] = frame["target_year"].astype("Int64")
    frame["links_to"] = _restated(frame)
    return frame


def _restated(frame: pd.DataFrame) -> pd.Series:
    """Return, for each 策略措施 or 重点工程 candidate, the 主要目标 candidate it restates.

    A restatement names the same indicator with the same operator and value as a 主要目标
    quantitative candidate; its ``links_to`` is that candidate's ``target_id`` (blank otherwise).
    """
    quantitative = frame[(frame["kind"] == "quantitative") & (frame["indicator_id"] != "")]
    goals = quantitative[quantitative["section"] == "主要目标"]
    first = goals.drop_duplicates(["indicator_id", "operator", "value"]).set_index(
        ["indicator_id", "operator", "value"]
    )["target_id"]
    links = pd.Series("", index=frame.index, dtype=object)
    for index, row in quantitative[quantitative["section"] != "主要目标"].iterrows():
        links[index] = first.get((row["indicator_id"], row["operator"], row["value"]), "")
    return links


def extract_targets(path: str | Path, plan_id: str | None = None) -> pd.DataFrame:
    """Read a plan document and return its candidate targets for review.

    Parameters
    ----------
    path : str or Path
        The plan's text: ``.txt`` (UTF-8, UTF-8 with BOM, GB18030 or Big5) or ``.docx``.
    plan_id : str, optional
        The plan's id, used in ``plan`` and ``target_id`` (``plan`` when omitted); a catalog
        plan's final year becomes the default ``target_year``.

    Returns
    -------
    pandas.DataFrame
        Same columns as a targets CSV, preceded by ``plan`` (:data:`EXTRACT_COLUMNS`); one row per
        candidate statement in document order. Candidates are drafts: a person checks each.

    Raises
    ------
    InputError
        If the file cannot be read (missing, wrong type, undecodable); the message names it.

    Examples
    --------
    >>> frame = extract_targets("data/raw/plans/linhe.txt", plan_id="linhe")  # doctest: +SKIP
    >>> frame.loc[frame.kind == "quantitative", ["indicator_id", "operator", "value"]]  # doctest: +SKIP
    """
    return extract_text(read_plan_text(path), plan_id)
