"""Statements of a sentence: quantitative (a value), directional (a direction) or qualitative.

Part of :mod:`womenstats.catalog.extract` (internal): each value found is linked to its
indicators, given an operator, a target year, an age group and a residence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from womenstats.catalog.extract.lexicon import (
    _DISTRIBUTIVE,
    _coverage,
    _distinct,
    _Entry,
    _in_order,
    _Lexicon,
    _same_unit,
    link_problem,
    list_items,
)
from womenstats.catalog.extract.structure import _clause_after, _clause_before, _clauses, _sentences
from womenstats.catalog.extract.tense import BASELINE, Reading
from womenstats.catalog.extract.values import (
    _AFTER_WORDS,
    _AGE_FROM,
    _AGE_RANGE,
    _AT_LEAST_WORD,
    _COUNT,
    _DIRECTIONS,
    _EVERY,
    _PLACE,
    _TARGET_YEAR,
    _URBAN_RURAL,
    _change_operator,
    _observed_operator,
    _operator,
    _Value,
    _values,
)


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
    note: str = ""  # what the reviewer should know (a link refused, …)
    observed: bool = False  # a value reported as reached, not set for the future (see .tense)
    year: int | None = None  # for an observed value, the year it is about
    subject: str = ""  # the subject of a list the value is given to (A、B和C…均达到)


# A registry share of bodies that have something (配备女干部的乡镇领导班子比例, …覆盖率), unlike a
# share of people (村委会成员中女性比例).
_BODY_SHARE = re.compile(r"^(?:配备|建有|设有|有|纳入)|(?:覆盖率|配置率)$")


# An activity said to reach everyone (宣传教育培训实现全覆盖): an aim, not a measured coverage,
# unless the registry has a coverage rate for it.
_ACTIVITY = re.compile(r"(?:宣传|教育|培训|宣讲|普及)(?:工作|活动)?(?:实现|达到)?$")


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
    机构``) or when ``至少`` introduces it. A count of people is a count per body
    (``至少有1名女性成员``: at least 1 人), unless the registry measures the share of bodies that
    have them (``乡镇领导班子至少配备一名女干部``: 配备女干部的乡镇领导班子比例, 100%); a count of
    things under ``每个…至少一个``, or with a registry coverage rate, is a coverage of 100%.
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
    if value.unit == "人":
        bodies = [e for e in found if _BODY_SHARE.search(e.name)]
        return (bodies[:1], "%", 100.0) if bodies else ([], value.unit, value.value)
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
        entries = _coverage(lexicon.find(clause + _clause_after(sentence, value.start), "%"))[:1]
        if not entries and _ACTIVITY.search(clause):
            return None
        return entries, "%", 100.0
    if value.form == "change_pct":  # a share of the baseline value: any indicator's unit
        return _distinct(lexicon.find(clause)), value.unit, value.value
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


def _residences(clause: str, entry: _Entry | None, residence: str) -> list[str]:
    """Return the residences a value holds for: ``城镇和农村…均达到`` gives urban and rural.

    A value given for one side (``农村孕产妇住院分娩率``) is that side's, unless the side is part of
    the indicator's own name; ``residence`` already read (a ``分别`` pairing) is kept.
    """
    if residence != "all" or entry is None or not entry.by_residence:
        return [residence]
    if _URBAN_RURAL.search(clause) and _DISTRIBUTIVE.search(clause):
        return ["urban", "rural"]
    place = _PLACE.search(clause)
    if place and place.group(0) not in entry.name:
        return ["rural" if place.group(0) == "农村" else "urban"]
    return ["all"]


def _subjects(clause: str, value: _Value, lexicon: _Lexicon) -> list[tuple[_Entry | None, str]] | None:
    """Return each subject a value is given to, with its indicator (None: not in the registry).

    ``村党组织书记、村委会主任和社区居委会主任中女性比例均达到30%以上`` gives three rows, one per
    subject, each linked on its own (:func:`.lexicon.list_items`); a subject the registry does
    not measure (``感染…乙肝的孕产妇…比例``) still gives its row. None when the value is not
    given to a list of three or more.
    """
    items = list_items(clause) if value.form in {"rate", "years", "ratio", "fraction"} else None
    if items is None:
        return None
    out: list[tuple[_Entry | None, str]] = []
    for subject, said in items:
        taken = [entry for entry, _ in out]
        found = [e for e in _same_unit(lexicon.find(said, value.unit), value.unit) if e not in taken]
        out.append((found[0] if found else None, subject))
    return out


def _quantities(sentence: str, lexicon: _Lexicon, reading: Reading, lead: str = "") -> list[_Statement]:
    """Return the quantitative statements of one sentence, in the order of their values.

    Each is a target or an observed value as ``reading`` tells (:meth:`.tense.Reading.observed`).
    ``lead`` is the colon-introduced lead of an earlier sentence that this one continues
    (see :func:`_named_from_sentence`).
    """
    out: list[_Statement] = []
    values = sorted(_values(sentence), key=lambda v: (v.start, v.form))
    paired = _respectively(sentence, values, lexicon)
    for value in values:
        read = _value_entries(sentence, value, lexicon)
        if read is None:
            continue
        entries, unit, number = read
        after, residence = sentence[value.end : value.end + 4], "all"
        clause = _clause_before(sentence, value.start)
        if value.start in paired:
            entries, after, residence = paired[value.start]
        years = ["".join(y) for y in _TARGET_YEAR.findall(sentence[: value.start])]
        about = _count_subject(sentence, value) if value.form == "count" else clause
        observed, year = reading.observed(sentence, value.start, value.end, value.form)
        subjects = None if value.start in paired else _subjects(clause, value, lexicon)
        for entry, subject in subjects or [(e, "") for e in entries or [None]]:
            if value.form in {"full", "count"}:
                op = ">="
            elif value.form.startswith("change"):
                op = _change_operator(sentence[: value.start], value.form)
            elif observed:
                op = _observed_operator(sentence[: value.start], after)
            else:
                better = entry.better if entry else ("lower" if unit in {"1/10万", "‰"} else "higher")
                op = _operator(sentence[: value.start], after, better)
            note = ""
            problem = entry and link_problem(entry, about, op)
            if problem:
                note = f"未链接指标：{problem}；请审核是否新增指标。"
                entry = None
            elif subject and entry is None:
                note = f"未链接指标：分项“{subject}”在指标库中没有对应指标；请审核是否新增指标。"
            for place in _residences(clause, entry, residence):
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
                        residence=place,
                        form=value.form,
                        start=value.start,
                        note=note,
                        observed=observed,
                        year=year,
                        subject=subject,
                    )
                )
    return _once(_named_from_sentence(sentence, out, lexicon, lead))


def _named_from_sentence(
    sentence: str, statements: list[_Statement], lexicon: _Lexicon, lead: str = ""
) -> list[_Statement]:
    """Name the measure of a value whose own clause names none from the sentence before it.

    ``提高农村卫生厕所普及率，2025年达到85%左右``: the value's clause names nothing, the
    sentence does. ``…知识宣传：城市人群覆盖率达到90%以上；农村人群覆盖率达到80%以上``:
    the second sentence names nothing, the lead before the colon does (``lead``). The first
    measure of the right unit named before the value (word for word, then loosely) that no
    other value of the sentence already has is taken: another value of the same tense and
    target year (``为9.2/10万，低于规划目标（10/10万以下）`` names the measure once for an
    observed value and a target), and whose link makes sense (:func:`link_problem`).
    """
    used = {(st.observed, st.target_year, st.indicator_id) for st in statements if st.indicator_id}
    for st in statements:
        if st.indicator_id or st.note or st.form not in {"rate", "ratio", "fraction", "years"}:
            continue
        for entry in lexicon.ranked(lead + sentence[: st.start]):
            key = (st.observed, st.target_year, entry.id)
            if entry.unit == st.unit and key not in used and (st.unit != "%" or st.value <= 100):
                if link_problem(entry, sentence[: st.start], st.operator):
                    continue
                st.indicator_id, st.area = entry.id, entry.area
                used.add(key)
                break
    return statements


def _once(statements: list[_Statement]) -> list[_Statement]:
    """Drop repeats in a sentence: the same measure, operator and value said twice.

    A statement without an indicator repeats any statement with the same operator, value and
    unit (``全部配备母婴室，配置率达到100%``), unless it is a count of its own: ``各配备1名以上女干部，
    …至少有1名女性成员`` are two bodies, each with its count.
    """

    def level(st: _Statement) -> tuple:
        own = st.start if st.form == "count" else None
        return (st.operator, st.value, st.unit, st.residence, st.age_group, st.observed, st.subject, own)

    named = {level(st) for st in statements if st.indicator_id}
    out, seen = [], set()
    for st in statements:
        key = (st.indicator_id, *level(st))
        if key in seen or (not st.indicator_id and level(st) in named):
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


def _statements(section: str, text: str, lexicon: _Lexicon, reading: Reading) -> Iterator[_Statement]:
    """Yield the statements of an item's text: values, and in 主要目标 directions or a judgement.

    In a 主要目标 sentence every clause without a value may hold a directional statement
    (``孕产妇死亡率下降到12/10万以下，城乡、区域差距缩小`` gives a value and a ``narrow``); a
    sentence with neither is one qualitative statement. A sentence of a 发展现状 section, or one
    whose last time marker is of the past, holds no direction or judgement: it reports.
    ``reading`` is told of each sentence read, in order (:meth:`.tense.Reading.read`). A lead
    that ends in a colon (``…知识宣传：``) is said of the sentences after it up to the next full
    stop.
    """
    lead = ""
    for sentence in _sentences(text):
        found = _quantities(sentence, lexicon, reading, lead)
        colon = max(sentence.rfind("："), sentence.rfind(":"))
        lead = "" if sentence.endswith("。") else sentence[: colon + 1] if colon >= 0 else lead
        reading.read(sentence)
        reports = reading.kind == BASELINE or reading.past or any(st.observed for st in found)
        if section == "主要目标" and not reports:
            starts = [st.start for st in found]
            for a, b in _clauses(sentence):
                if not any(a <= start < b for start in starts):
                    found += _directions(sentence, a, b, lexicon)
            if not found:
                found = [_Statement("qualitative", "", None, "", sentence, "")]
        yield from sorted(found, key=lambda st: st.start)
