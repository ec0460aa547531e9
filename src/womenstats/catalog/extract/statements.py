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
)
from womenstats.catalog.extract.structure import _clause_after, _clause_before, _clauses, _sentences
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
        clause = _clause_before(sentence, value.start)
        if value.start in paired:
            entries, after, residence = paired[value.start]
        years = ["".join(y) for y in _TARGET_YEAR.findall(sentence[: value.start])]
        about = _count_subject(sentence, value) if value.form == "count" else clause
        for entry in entries or [None]:
            if value.form in {"full", "count"}:
                op = ">="
            elif value.form.startswith("change"):
                op = _change_operator(sentence[: value.start], value.form)
            else:
                better = entry.better if entry else ("lower" if unit in {"1/10万", "‰"} else "higher")
                op = _operator(sentence[: value.start], after, better)
            note = ""
            problem = entry and link_problem(entry, about, op)
            if problem:
                note = f"未链接指标：{problem}；请审核是否新增指标。"
                entry = None
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
        if st.indicator_id or st.note or st.form not in {"rate", "ratio", "fraction", "years"}:
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
    named = {(st.operator, st.value, st.unit, st.residence, st.age_group) for st in statements
             if st.indicator_id}
    out, seen = [], set()
    for st in statements:
        key = (st.indicator_id, st.operator, st.value, st.unit, st.residence, st.age_group)
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
