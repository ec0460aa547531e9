"""Target or figure: whether a value is set for the future or reports the past or the present.

Part of :mod:`womenstats.catalog.extract` (internal). Plans, and texts about plans (news items,
新闻发布会 transcripts, monitoring reports), state two kinds of numbers side by side: targets
(``到2030年…控制在10/10万以下``) and observed values (``截至2020年…已达到25%``). A value is read
as observed when

1. it stands in a 发展现状/发展基础/主要成就 section (:data:`BASELINE`): such a section is read
   for baselines only;
2. the last time marker before it in its sentence is one of the past or present
   (:data:`_PAST`: ``截至``, ``目前``, ``已``, ``现已``, ``据悉``, ``据统计``, ``上一个…周期``, ``以来``,
   ``比上年``, ``一直保持``, ``实现了`` …, or a year that is no target year of the plan:
   ``2020年…为``); the last marker being one of the future (:data:`_FUTURE`: ``到2030年``,
   ``力争``, ``确保``, ``提出``, ``明确``, ``要求``, ``目标`` …) makes it a target, so that
   ``截至2020年已达到25%，力争到2025年达到30%以上`` holds one of each;

and, in prose only (text under no 主要目标/策略措施/重点工程 heading, or a text with none):

3. no marker precedes it but the first marker after it is of the past (``达28.6%，较上届提高``);
4. nothing around it sets a level (``为62.4%``, ``占全市人口的二分之一``: no ``达到``, ``以上``,
   ``控制在`` …);
5. the sentence before it in the same passage ended in the past, and its own words set no
   bound (``以上``, ``以下``, ``左右``, ``不低于``, ``不超过``, ``控制在``).

Under a target heading a value with no marker before it is a target, as the plan's numbered items
are. An observed value is kept apart with the year it is about: the year of the past marker just
before it, else the last past year named earlier in its passage (none after ``目前``, ``现已``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from womenstats.catalog.extract.values import _AFTER_WORDS, _AT_LEAST, _AT_MOST, _DOWN_TO, _MAINTAIN
from womenstats.catalog.loader import plan as plan_record
from womenstats.errors import CatalogError

#: How a passage is read: under a target heading, a 发展现状-type section, or prose.
TARGET, BASELINE, PROSE = "target", "baseline", "prose"

# Markers of the past or present. 已 is "already" but not 已婚 (married), 而已 or 不得已.
_PAST = re.compile(
    r"截至|截止|目前|当前|现已|现有|(?<![而得])已(?:经)?(?!婚|知|故|有成果)|业已|据悉|据统计|据了解|据介绍|"
    r"数据显示|统计显示|监测显示|上一(?:个)?[^，,。；;：:]{0,8}?周期|上一轮|上周期|以来|十三五|去年|上年|同比|"
    r"[比较]上[年届]|一直|始终|(?:达到|提高|下降|降低|提升|增长|增加|实现|超过|完成|减少|缩小)了"
)

# Markers of the past that mean "as of now": whatever year was named before, the value is today's.
_NOW = re.compile(r"目前|当前|现已|现有|以来|一直|始终|至今")

# Markers of the future: the plan sets the value.
_FUTURE = re.compile(
    r"(?:到|至)(?:本)?规划期末|力争|确保|争取|提出|明确|要求|目标|规划期内|今后|未来"
)

# A year, with the word before it (到2030年, 由2015年, 比2020年; not the 至 of 截至) and after it
# (2025年前).
_YEAR = re.compile(
    r"(?P<lead>(?<![截止])(?:到|至)|由|从|比|较|在)?(?<![\d\-—–~～])(?P<year>20\d\d)年(?P<tail>底前|前|以前|之前)?"
)

# Words before a value that set a bound on it as a target does (控制在10/10万以下, 力争…).
_BOUND_BEFORE = re.compile(r"(?:控制在|力争|确保)[^，,；;]{0,12}$")

# A verb just before a value that sets it as a level to reach: not 为, nor a bare 达 (达28.6%), which
# report one; plans write 达到70% or 达96%以上.
_REACH_VERB = re.compile(r"(?:达到|提高到|提高至|提升到|提升至|增加到|增加至|延长到|延长至|实现)$")


@dataclass(frozen=True)
class Period:
    """The years a plan sets targets for, to tell a target year from a past one."""

    start: int | None
    final: int | None
    target_years: frozenset[int]

    def is_past(self, year: int) -> bool | None:
        """Return whether ``year`` is past (True), a target year (False), or either (None).

        The plan's final and mid-term years, and any later year, are target years; a year before
        the period is past; another year of the period is either: ``2022年…为`` in a monitoring
        report, ``2027年达到…左右`` in a plan's item. Without a known period, a year from 2025 on
        that is a multiple of five is a target year, any other year past.
        """
        if self.final is None:
            return not (year >= 2025 and year % 5 == 0)
        if year in self.target_years or year > self.final:
            return False
        if self.start is None or year < self.start:
            return True
        return None


def plan_period(text: str, plan_id: str | None) -> Period:
    """Return the plan's period: the catalog plan's, else the one its title states.

    A catalog plan gives its start, final and mid-term years; otherwise the first
    ``20xx—20xx年`` of the document's head (its title) does, a 10-year period having its
    mid-term five years before its end; ``十四五`` is 2021–2025 and ``十五五`` 2026–2030.
    """
    if plan_id:
        try:
            record = plan_record(plan_id)
        except CatalogError:  # a plan not in the catalog: read the period from the document
            pass
        else:
            years = frozenset({int(record.final_year), int(record.midterm_year)})
            return Period(int(record.period_start), int(record.final_year), years)
    head = text[:3000]
    period = re.search(r"(20\d\d)\s*[-—–~至]\s*(20\d\d)\s*年", head)
    if period:
        start, final = int(period.group(1)), int(period.group(2))
    elif "十四五" in head:
        start, final = 2021, 2025
    elif "十五五" in head:
        start, final = 2026, 2030
    else:
        return Period(None, None, frozenset())
    return Period(start, final, frozenset({final, final - 5} if final - start >= 9 else {final}))


@dataclass(frozen=True)
class _Marker:
    start: int
    end: int
    past: bool
    year: int | None = None
    now: bool = False


def _markers(sentence: str, period: Period, kind: str) -> list[_Marker]:
    """Return the time markers of a sentence, in order.

    A year of the plan's period that is no target year (:meth:`Period.is_past` None) takes the
    tense of the marker before it in the sentence (``提出，2027年达到``); with none, it is a target
    year under a target heading and a past one elsewhere.
    """
    found = [_Marker(m.start(), m.end(), False) for m in _FUTURE.finditer(sentence)]
    for m in _PAST.finditer(sentence):
        found.append(_Marker(m.start(), m.end(), True, now=_NOW.fullmatch(m.group()) is not None))
    years = []
    for m in _YEAR.finditer(sentence):
        lead, year, tail = m.group("lead"), int(m.group("year")), m.group("tail")
        after = sentence[m.end() : m.end() + 4]
        if re.match(r"\s*[-—–~～至到]\s*\d|\d{1,2}月\d{1,2}日", after) or lead in ("比", "较"):
            continue  # a range, a date (发布时间：2022年3月4日), the base of a change (比2020年下降10%)
        if after.startswith(("基础", "的基础")):
            continue  # 在2020年基础上
        if lead in ("到", "至") or tail:
            found.append(_Marker(m.start(), m.end(), False))
        elif lead in ("由", "从"):
            found.append(_Marker(m.start(), m.end(), True, year))
        else:
            years.append((m, year, period.is_past(year)))
    for m, year, past in years:
        if past is None:
            earlier = [k for k in found if k.end <= m.start()]
            past = max(earlier, key=lambda k: k.end).past if earlier else kind != TARGET
        found.append(_Marker(m.start(), m.end(), past, year if past else None))
    return sorted(found, key=lambda k: (k.end, k.start))


def _sets_a_level(before: str, after: str, form: str) -> bool:
    """Return whether the words around a value set a level (达到, 以上, 控制在, 提高到 …)."""
    if form not in {"rate", "ratio", "fraction", "years"}:
        return True  # counts, coverage in words and changes carry their own verbs
    tail = before[-8:]
    return bool(
        after.startswith(_AFTER_WORDS)
        or _AT_LEAST.search(tail)
        or _AT_MOST.search(tail)
        or _DOWN_TO.search(tail)
        or _MAINTAIN.search(tail)
        or _REACH_VERB.search(tail)
    )


def _sets_a_bound(before: str, after: str) -> bool:
    """Return whether a value is bounded as a target is (以上, 以下, 左右, 不低于, 控制在 …)."""
    tail = before[-8:]
    return bool(
        after.startswith(_AFTER_WORDS) or _AT_LEAST.search(tail) or _AT_MOST.search(tail)
        or _BOUND_BEFORE.search(before)
    )


@dataclass
class Reading:
    """How the sentences of one passage are read, one after the other.

    Attributes
    ----------
    kind : str
        :data:`TARGET` (a 主要目标, 策略措施 or 重点工程 item), :data:`BASELINE` (a 发展现状
        section) or :data:`PROSE` (anything else).
    period : Period
        The plan's period, to tell target years from past ones.
    past : bool
        The sentence read last ended in the past (its last marker was of the past).
    year : int or None
        The last past year named in the passage so far.
    """

    kind: str
    period: Period
    past: bool = False
    year: int | None = None

    def observed(self, sentence: str, start: int, end: int, form: str) -> tuple[bool, int | None]:
        """Return whether the value at ``start:end`` is observed, and the year it is about.

        Parameters
        ----------
        sentence : str
            The value's sentence.
        start, end : int
            Where the value is written in it.
        form : str
            How the value is written (``rate``, ``count``, ``full`` …, see ``values._Value``).

        Returns
        -------
        tuple of (bool, int or None)
            Observed or not, and for an observed value the year it is about (None when unsaid).
        """
        markers = _markers(sentence, self.period, self.kind)
        before = [k for k in markers if k.end <= start]
        year = self._year(before)
        if self.kind == BASELINE:
            return True, year
        if before:
            return before[-1].past, year
        if self.kind == TARGET:
            return False, None
        after = [k for k in markers if k.start >= end]
        head, tail = sentence[:start], sentence[end : end + 4]
        if (after and after[0].past) or not _sets_a_level(head, tail, form):
            return True, year
        if self.past and not _sets_a_bound(head, tail):
            return True, year
        return False, None

    def _year(self, before: list[_Marker]) -> int | None:
        """Return the last past year among ``before`` (None after ``目前``), else the passage's."""
        for marker in reversed(before):
            if marker.year is not None:
                return marker.year
            if marker.now:
                return None
        return self.year

    def read(self, sentence: str) -> None:
        """Take note of a sentence read: whether it ended in the past, and its past years."""
        markers = _markers(sentence, self.period, self.kind)
        self.past = bool(markers) and markers[-1].past
        if markers:
            self.year = self._year(markers)
