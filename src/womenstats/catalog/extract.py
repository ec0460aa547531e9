"""Extract candidate targets from a plan's text, for a person to review.

:func:`extract_targets` reads a plan (.txt or .docx), finds the eight areas (``（一）妇女与健康`` …
``（八）妇女与法治``), their ``主要目标`` and ``策略措施`` sections, a ``重点工程`` chapter when
there is one, and the numbered items in them. Each item is split into sentences (at ``。；``) and
each sentence into the statements it holds:

- a **quantitative** statement has a number with a unit (``12/10万``, ``95%``, ``‰``, ``1.5:1``,
  ``78.1岁`` for a life expectancy, ``11.6年`` for years of schooling) and an operator read from the
  words around it (``以上``/``不低于`` → ``>=``, ``以下``/``控制在``/``下降到`` → ``<=``, ``左右`` → ``≈``,
  ``保持在…以上`` → ``maintain``; a bare ``达到`` follows the indicator's better direction);
- a **directional** statement (主要目标 only) names an indicator and a direction without a number
  (``提高``/``增加``/``延长`` → ``increase``, ``降低``/``减少`` → ``decrease``, ``缩小…差距`` → ``narrow``);
- a 主要目标 sentence with neither is kept as **qualitative**.

Years (``2025年``), age ranges (``35-64岁``, ``3岁以下``), item numbers and document numbers are never
taken for values: only numbers followed by a rate, ratio or known unit are. Each statement is mapped
to the registry indicator whose Chinese name or alias (:func:`womenstats.catalog.indicators`, plus
:data:`SYNONYMS`) it contains, preferring the longest name and the statement's unit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from womenstats.catalog.loader import indicators as registry
from womenstats.catalog.loader import plan as plan_record
from womenstats.catalog.schema import TARGET_COLUMNS
from womenstats.catalog.text import normalise, read_plan_text

#: Columns of :func:`extract_targets`' result: ``plan`` then the targets CSV columns.
EXTRACT_COLUMNS: tuple[str, ...] = ("plan", *TARGET_COLUMNS)

#: Phrases the plans use for a registry indicator, beyond its name and ``aliases``.
SYNONYMS: dict[str, str] = {
    "女性平均受教育年限": "education.mean_schooling_years",
    "妇女平均受教育年限": "education.mean_schooling_years",
    "男女两性的科学素质水平差距": "education.science_literacy_gap",
    "两性家务劳动时间": "family.housework_time_gap",
    "家务劳动时间差距": "family.housework_time_gap",
    "妇女焦虑症、抑郁症患病率": "health.anxiety_depression_prevalence_female",
    "焦虑障碍、抑郁症患病率": "health.anxiety_depression_prevalence_female",
    "妇女经常参加体育锻炼的人数": "health.exercise_participation_female",
    "孕产妇贫血": "health.maternal_anemia",
    "妇女人均预期寿命": "health.life_expectancy_female",
    "女党员代表比例": "decision.party_congress_female_share",
    "党代会代表中的女性比例": "decision.party_congress_female_share",
    "女厕位与男厕位": "environment.female_to_male_toilet_ratio",
    "男女厕位比例": "environment.female_to_male_toilet_ratio",
}

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
_AREA_HEADING = re.compile(r"^[（(]([一二三四五六七八])[）)]妇女(?:与|参与)(.{1,8}?)(?:$|主要目标)")
_CHAPTER = re.compile(r"^[一二三四五六七八九十]、(.*)")
_SECTION = re.compile(r"^(主要目标|策略措施)[:：]")
_ITEM = re.compile(r"^(\d{1,2})[.、](?!\d)")
_PROJECT = re.compile(r"^[（(]([一二三四五六七八九十]{1,2})[）)]")
_CHINESE_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)}

# A number with its unit. Groups: value, unit.
_NUMBER = r"(?<![\d.\-—~～])(\d+(?:\.\d+)?)"
_QUANTITY = re.compile(
    _NUMBER
    + r"(%|‰|/10万|[:：]1(?![\d.])|岁|年(?![\d])|个|所|人|名|次|小时|分钟)"
)
# A range "35-64岁", "80%-90%": the number after the dash is no target of its own.
_RANGE_TAIL = re.compile(r"\d\s*[-—~～至到]\s*$")
_YEAR = re.compile(r"(20\d\d)年")
_UNIT_OF = {"%": "%", "‰": "‰", "/10万": "1/10万", "岁": "岁", "年": "年", "个": "个", "所": "个",
            "人": "人", "名": "人", "次": "次", "小时": "小时", "分钟": "分钟"}
# Units only taken when the statement is about the matching kind of measure.
_UNIT_NEEDS = {"岁": "寿命", "年": "年限"}
_COUNT_UNITS = frozenset({"个", "人", "次", "小时", "分钟"})

_MAINTAIN = re.compile(r"(保持|稳定|巩固|维持)")
_AT_LEAST = re.compile(r"(不低于|不少于|至少|高于|超过)$")
_AT_MOST = re.compile(r"(不高于|不超过|低于|少于)$")
_DOWN_TO = re.compile(r"(控制在|下降到|下降至|降至|降到|降低到|降低至|减少到|减少至|减少)$")
_REACH = re.compile(r"(达到|达|提高到|提高至|提升到|提升至|增加到|增加至|为|在)$")

_DIRECTIONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("narrow", re.compile(r"缩小|缩短")),
    ("decrease", re.compile(r"降低|下降|减少|减缓|遏制|控制")),
    ("increase", re.compile(r"提高|提升|增加|延长|增强|扩大|增多|上升")),
    ("maintain", re.compile(r"保持|稳定在|巩固")),
)
_SENTENCE_END = re.compile(r"(?<=[。；;！？])")
_CLAUSE = re.compile(r"[，,；;]")


@dataclass
class _Statement:
    area: str
    section: str
    item: str
    kind: str
    operator: str
    value: float | None
    unit: str
    sentence: str
    indicator_id: str
    target_year: int | None = None
    note: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _clean_name(text: str) -> str:
    """Return the comparable form of a name or statement: no 的/中, no parenthesised remarks."""
    text = re.sub(r"[（(][^）)]*[）)]", "", text)
    return re.sub(r"[的中\s]", "", text)


@dataclass(frozen=True)
class _Lexicon:
    """Registry names, aliases and synonyms, longest first: (clean name, id, unit, better, area)."""

    entries: tuple[tuple[str, str, str, str, str], ...]

    @classmethod
    def from_registry(cls) -> _Lexicon:
        frame = registry()
        seen: dict[str, tuple[str, str, str, str, str]] = {}
        for ident, row in frame.iterrows():
            for name in (row["name"], *row["aliases"]):
                key = _clean_name(name)
                if len(key) >= 3 and key not in seen:
                    seen[key] = (key, str(ident), row["unit"], row["better"], row["area"])
        for name, ident in SYNONYMS.items():
            if ident in frame.index:
                row = frame.loc[ident]
                key = _clean_name(name)
                seen.setdefault(key, (key, ident, row["unit"], row["better"], row["area"]))
        ordered = sorted(seen.values(), key=lambda e: (-len(e[0]), e[0]))
        return cls(tuple(ordered))

    def match(self, text: str, unit: str = "") -> list[tuple[str, str, str, str, str]]:
        """Return the entries named in ``text`` (also in its ``A、B…`` expansions), best first.

        An entry with the statement's unit beats one without; then the longer name wins.
        """
        variants = [_clean_name(text), *_expand_parallel(_clean_name(text))]
        found: dict[str, tuple[int, tuple[str, str, str, str, str]]] = {}
        for variant in variants:
            for entry in self.entries:
                if entry[0] in variant:
                    score = len(entry[0]) + (100 if unit and entry[2] == unit else 0)
                    if entry[1] not in found or found[entry[1]][0] < score:
                        found[entry[1]] = (score, entry)
                    break
        return [e for _, e in sorted(found.values(), key=lambda p: (-p[0], p[1][1]))]


def _expand_parallel(text: str) -> list[str]:
    """Spell out ``A、B<suffix>`` as ``A<suffix>`` and ``B<suffix>`` for terms of equal length.

    ``小学、初中阶段净入学率`` gives ``初中阶段净入学率`` and ``小学阶段净入学率``;
    ``宫颈癌、乳腺癌人群筛查率`` gives both screening rates.
    """
    out = []
    for m in re.finditer("、", text):
        left, right = text[: m.start()], text[m.end():]
        for k in range(1, min(6, len(left), len(right)) + 1):
            out.append(left + right[k:])  # A<suffix>
            out.append(left[: len(left) - k] + right)  # B<suffix>
    return out


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip("。；; ")]


def _area_of(heading_word: str) -> str | None:
    for word, area in _AREA_WORDS:
        if heading_word.startswith(word) or word in heading_word:
            return area
    return None


def _items(text: str) -> Iterator[tuple[str, str, str, str]]:
    """Yield ``(area, section, item, text)`` for every numbered item of the plan.

    ``area`` is empty for the items of a ``重点工程`` chapter (the statement's indicator decides).
    """
    area: str | None = None
    section: str | None = None
    item: str | None = None
    number = 0
    buffer: list[str] = []

    def flush() -> Iterator[tuple[str, str, str, str]]:
        if area is not None and section and item and buffer:
            yield area, section, item, "".join(buffer)

    for line in text.split("\n"):
        heading = _AREA_HEADING.match(line)
        chapter = _CHAPTER.match(line)
        section_match = _SECTION.match(line)
        if heading:
            yield from flush()
            area, section, item, number, buffer = _area_of(heading.group(2)), None, None, 0, []
            rest = line[heading.end(2):]
            if not rest.startswith("主要目标"):
                continue
            line = rest
            section_match = _SECTION.match(line)
        if chapter and not heading:
            yield from flush()
            buffer, item, number = [], None, 0
            if "重点工程" in chapter.group(1) or "重点项目" in chapter.group(1):
                area, section = "", "重点工程"
            else:
                area, section = None, None
            continue
        if section_match:
            yield from flush()
            section, item, number, buffer = section_match.group(1), None, 0, []
            line = line[section_match.end():]
            if not line:
                continue
        numbered = _ITEM.match(line) if section != "重点工程" else None
        project = _PROJECT.match(line) if section == "重点工程" else None
        if numbered and int(numbered.group(1)) == number + 1:
            yield from flush()
            number = int(numbered.group(1))
            item = f"{number:02d}" if section == "主要目标" else f"s{number}"
            buffer = [line[numbered.end():]]
        elif project and _CHINESE_NUMERALS.get(project.group(1), 0) == number + 1:
            yield from flush()
            number = _CHINESE_NUMERALS[project.group(1)]
            item, buffer = f"p{number}", [line[project.end():]]
        elif item:
            buffer.append(line)
    yield from flush()


def _operator(before: str, after: str, better: str) -> str:
    """Return the operator of a number from the words just before and after it."""
    if after.startswith(("左右", "上下")):
        return "≈"
    if after.startswith(("以上", "及以上")):
        return "maintain" if _MAINTAIN.search(before[-8:]) else ">="
    if after.startswith(("以下", "以内", "之内", "及以下")):
        return "<="
    tail = before[-6:]
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


def _quantities(sentence: str, lexicon: _Lexicon) -> list[_Statement]:
    """Return the quantitative statements of one sentence (area/section/item filled in later)."""
    out = []
    for m in _QUANTITY.finditer(sentence):
        raw_unit = m.group(2)
        unit = "比值" if raw_unit[0] in ":：" else _UNIT_OF[raw_unit]
        before = sentence[: m.start()]
        if _RANGE_TAIL.search(before):
            continue
        boundary = max((b.end() for b in _CLAUSE.finditer(before)), default=0)
        clause = before[boundary:]
        needs = _UNIT_NEEDS.get(raw_unit)
        if needs and needs not in before:
            continue
        matches = lexicon.match(clause, unit) or lexicon.match(before, unit)
        matches = [e for e in matches if e[2] == unit] or (
            [] if unit in _COUNT_UNITS or raw_unit in {"所", "名"} else matches[:1]
        )
        if unit in _COUNT_UNITS | {"个"} and not matches:
            continue
        after = sentence[m.end(): m.end() + 4]
        better = matches[0][3] if matches else "higher"
        op = _operator(before, after, better)
        year = _YEAR.findall(clause)
        chosen = _distinct(matches) or [("", "", unit, better, "")]
        for entry in chosen:
            out.append(
                _Statement(
                    area=entry[4],
                    section="",
                    item="",
                    kind="quantitative",
                    operator=op,
                    value=float(m.group(1)),
                    unit=unit,
                    sentence=sentence,
                    indicator_id=entry[1],
                    target_year=int(year[-1]) if year else None,
                )
            )
    return out


def _distinct(matches: list[tuple[str, str, str, str, str]]) -> list[tuple[str, str, str, str, str]]:
    """Return the best entry, plus the others when they name distinct parallel measures (A、B)."""
    if not matches:
        return []
    best = [matches[0]]
    for entry in matches[1:]:
        if all(entry[0] not in b[0] and b[0] not in entry[0] for b in best) and len(entry[0]) >= 5:
            best.append(entry)
    return best if len(best) > 1 and all(len(b[0]) >= 5 for b in best) else best[:1]


def _directions(sentence: str, lexicon: _Lexicon) -> list[_Statement]:
    """Directional statements of a sentence: a clause naming an indicator and a direction."""
    out = []
    for clause in _CLAUSE.split(sentence):
        matches = lexicon.match(clause)
        if not matches:
            continue
        for op, pattern in _DIRECTIONS:
            if pattern.search(clause) and (op != "narrow" or "差距" in clause or "差" in clause):
                out.append(
                    _Statement("", "", "", "directional", op, None, "", sentence, matches[0][1])
                )
                break
    return out


def _statements(section: str, text: str, lexicon: _Lexicon) -> Iterator[_Statement]:
    for sentence in _sentences(text):
        found = _quantities(sentence, lexicon)
        if section == "主要目标":
            if not found:
                found = _directions(sentence, lexicon)
            if not found:
                found = [_Statement("", "", "", "qualitative", "", None, "", sentence, "")]
        yield from found


def _plan_year(text: str, plan_id: str | None) -> int | None:
    if plan_id:
        try:
            return int(plan_record(plan_id).final_year)
        except Exception:  # an unknown plan: fall back to the document's own period
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


def extract_text(text: str, plan_id: str | None = None) -> pd.DataFrame:
    """Extract candidate targets from a plan's text already read into memory.

    Parameters
    ----------
    text : str
        The plan's text, as read (it is normalised here).
    plan_id : str, optional
        Plan id for ``plan`` and ``target_id``; when it names a catalog plan its final year is
        the default ``target_year``. Defaults to ``plan``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`EXTRACT_COLUMNS`, one row per candidate statement in document order.
        ``value`` is float (NaN when none), ``target_year`` Int64; ``indicator_id`` is blank when
        no registry indicator was recognised.
    """
    clean = normalise(text)
    lexicon = _Lexicon.from_registry()
    default_year = _plan_year(clean, plan_id)
    pid = plan_id or "plan"
    indicator_area = {e[1]: e[4] for e in lexicon.entries}
    subjects = registry()["subject"].to_dict()
    rows = []
    counters: dict[tuple[str, str], int] = {}
    for area, section, item, body in _items(clean):
        for st in _statements(section, body, lexicon):
            row_area = area or indicator_area.get(st.indicator_id, "") or _project_area(body)
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
                    "sex": "total" if subjects.get(st.indicator_id, "female") != "female" else "female",
                    "residence": "all",
                    "age_group": "all",
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
    return frame


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


def _project_area(body: str) -> str:
    """Area of a 重点工程 item from the words of its name (text before the first 。)."""
    name = body.split("。", 1)[0]
    for word, area in _PROJECT_AREAS:
        if word in name:
            return area
    return ""


def extract_targets(path: str | Path, plan_id: str | None = None) -> pd.DataFrame:
    """Read a plan document and return its candidate targets for review.

    Parameters
    ----------
    path : str or Path
        The plan's text: ``.txt`` (UTF-8, UTF-8 with BOM or GB18030) or ``.docx``.
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
    >>> frame = extract_targets("临河区妇女发展规划.txt", plan_id="linhe")  # doctest: +SKIP
    >>> frame.loc[frame.kind == "quantitative", ["indicator_id", "operator", "value"]]  # doctest: +SKIP
    """
    return extract_text(read_plan_text(path), plan_id)
