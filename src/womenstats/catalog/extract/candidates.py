"""Writing the candidates: one row per target, in the targets file's columns; observed values apart.

Part of :mod:`womenstats.catalog.extract`; :func:`extract_text`, :func:`extract_targets`,
:func:`extract_all` and :func:`extract_baselines` are the package's public API.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from womenstats.catalog.extract.lexicon import _Lexicon
from womenstats.catalog.extract.statements import _Statement, _statements
from womenstats.catalog.extract.structure import BASELINE_SECTION, _items, _project_area
from womenstats.catalog.extract.tense import BASELINE, PROSE, TARGET, Reading, plan_period
from womenstats.catalog.loader import indicators as registry
from womenstats.catalog.schema import TARGET_COLUMNS
from womenstats.catalog.text import normalise, read_plan_text

#: Columns of :func:`extract_targets`' result: ``plan`` then the targets CSV columns.
EXTRACT_COLUMNS: tuple[str, ...] = ("plan", *TARGET_COLUMNS)

#: Columns of :func:`extract_baselines`' result: one observed value a row, with the year it is
#: about (blank when the text does not say) and how it was bounded (``=``, ``>=``, ``<=``, ``≈``).
BASELINE_COLUMNS: tuple[str, ...] = (
    "plan", "area", "indicator_id", "sex", "residence", "age_group", "year", "operator", "value", "unit",
    "sentence", "note",
)

#: Area of a candidate whose area could be read neither from a heading, nor from its indicator,
#: nor from the words of its item: a reviewer must set it (the schema check refuses it).
UNKNOWN_AREA = "unknown"

#: Notes that tell the reviewer what to check.
NOTE_UNKNOWN_AREA = "未能确定所属领域：请人工填写 area（health、education 等八个领域之一）。"
NOTE_OUTSIDE = "此句不在“主要目标/策略措施”标题下：请核对它是否为规划目标，并核对领域和条目编号。"

# The sections whose items are targets.
_TARGET_SECTIONS = frozenset({"主要目标", "策略措施", "重点工程"})

# A sentence outside any section reads as a target only when it sets a level to reach (and its
# value is not an observed one, see .tense).
_TARGET_CUE = re.compile(
    r"到20\d\d年|达到|达|以上|以下|不低于|不少于|不高于|不超过|控制在|保持|稳定在|巩固在|左右|提高到|"
    r"提高至|提升到|下降到|降至|降到|力争|确保|覆盖|超过|至少|建设|建成|设立|设置|配备|建立|实现|每个"
)


class Extraction(NamedTuple):
    """What :func:`extract_all` reads from a text: candidate targets, and observed values."""

    targets: pd.DataFrame
    baselines: pd.DataFrame


class _Found(NamedTuple):
    area: str
    section: str
    item: str
    prose: bool  # read outside any target section
    headline: bool  # in the first sentence of the text: its title or headline
    statement: _Statement
    notes: tuple[str, ...]


def extract_all(text: str, plan_id: str | None = None) -> Extraction:
    """Extract candidate targets, and the observed values kept apart, from a text in memory.

    Parameters
    ----------
    text : str
        A plan's text, or a text about a plan (news item, 发布会 transcript, monitoring report),
        as read (it is normalised here, see :func:`womenstats.catalog.text.normalise`).
    plan_id : str, optional
        Plan id for ``plan`` and ``target_id``; when it names a catalog plan its final year is
        the default ``target_year``. Defaults to ``plan``.

    Returns
    -------
    Extraction
        ``targets`` as :func:`extract_text` returns them; ``baselines`` with columns
        :data:`BASELINE_COLUMNS`, one row per observed value (a level, not a change from last
        year), in document order, ``year`` Int64.

    Notes
    -----
    A value is a target only when the text sets it for the future; a value the text reports as
    reached (``截至2020年…已达到25%``, ``目前…``, any value of a 发展现状 section) is an observed
    value, never a target (see :mod:`womenstats.catalog.extract.tense`). A target said twice in
    prose (a headline, then the body) is one candidate: the one under a target heading if any,
    else the first.
    """
    clean = normalise(text)
    lexicon = _Lexicon.from_registry()
    period = plan_period(clean, plan_id)
    items = list(_items(clean))
    headingless = not any(section in _TARGET_SECTIONS for _, section, _, _ in items)
    found: list[_Found] = []
    title = _title(text)
    for area, section, item, body in items:
        prose = section not in _TARGET_SECTIONS
        kind = BASELINE if section == BASELINE_SECTION else PROSE if prose else TARGET
        # A text without the usual headings is read as one list of targets, areas from indicators.
        read_as = "主要目标" if headingless and kind == PROSE else section
        section_out, item_out = ("主要目标", "01" if headingless else "00") if prose else (section, item)
        outside_note = (NOTE_OUTSIDE,) if prose and not headingless else ()
        for st in _statements(read_as, body.replace("\n", ""), lexicon, Reading(kind, period)):
            cue = _TARGET_CUE.search(st.sentence)
            if st.kind == "quantitative" and prose and not st.observed and not cue:
                continue
            row_area = area or st.area or _project_area(st.sentence if prose else body) or UNKNOWN_AREA
            notes = outside_note + ((st.note,) if st.note else ())
            headline = prose and bool(title) and st.sentence.startswith(title) and st.start < len(title)
            found.append(_Found(row_area, section_out, item_out, prose, headline, st, notes))
    targets = [f for f in found if not f.statement.observed]
    baselines = [f for f in found if f.statement.observed and not f.statement.form.startswith("change")]
    pid = plan_id or "plan"
    return Extraction(
        _target_frame(_once_in_prose(targets), pid, period.final), _baseline_frame(baselines, pid)
    )


def _title(text: str) -> str:
    """Return the text's first line, normalised, when it is a title or headline (else "").

    A headline has no sentence end and opens no numbered item: ``某县：到2030年…达到30%以上``.
    """
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if re.search(r"[。；;！？]", first) or re.match(r"\d{1,2}[.、]|[（(]|--|[①-⑳]", first):
        return ""
    return normalise(first)


def _sex(indicator_id: str) -> str:
    return "female" if registry()["subject"].get(indicator_id, "female") == "female" else "total"


def _once_in_prose(found: list[_Found]) -> list[_Found]:
    """Drop a target of the text's title or headline that its body states again.

    Same indicator, operator, value, unit, residence, age group and target year: the headline
    (``某县：到2030年村委会成员中女性比例达到30%以上``) adds nothing to the body that sets the
    target. Other repeats are kept: a plan may set one level in two areas, and a 策略措施 may
    restate a goal (see :func:`_link_restatements`).
    """

    def key(f: _Found) -> tuple:
        st = f.statement
        return (st.indicator_id, st.operator, st.value, st.unit, st.residence, st.age_group, st.target_year)

    def named(f: _Found) -> bool:
        return f.statement.kind == "quantitative" and bool(f.statement.indicator_id)

    in_body = {key(f) for f in found if named(f) and not f.headline}
    return [f for f in found if not (f.headline and named(f) and key(f) in in_body)]


def _target_frame(found: list[_Found], pid: str, default_year: int | None) -> pd.DataFrame:
    rows = []
    counters: dict[tuple[str, str], int] = {}
    for f in found:
        st = f.statement
        notes = list(f.notes) + ([NOTE_UNKNOWN_AREA] if f.area == UNKNOWN_AREA else [])
        counters[(f.area, f.item)] = counters.get((f.area, f.item), 0) + 1
        rows.append(
            {
                "plan": pid,
                "target_id": f"{pid}.{f.area}.{f.item}-{counters[(f.area, f.item)]}",
                "area": f.area,
                "section": f.section,
                "item": f.item,
                "indicator_id": st.indicator_id,
                "sex": _sex(st.indicator_id),
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
                "note": "".join(notes),
            }
        )
    frame = pd.DataFrame.from_records(rows, columns=list(EXTRACT_COLUMNS))
    frame["value"] = frame["value"].astype(float)
    frame["tolerance"] = frame["tolerance"].astype(float)
    frame["target_year"] = frame["target_year"].astype("Int64")
    _link_restatements(frame)
    return frame


def _baseline_frame(found: list[_Found], pid: str) -> pd.DataFrame:
    rows = [
        {
            "plan": pid,
            "area": f.area,
            "indicator_id": f.statement.indicator_id,
            "sex": _sex(f.statement.indicator_id),
            "residence": f.statement.residence,
            "age_group": f.statement.age_group,
            "year": f.statement.year,
            "operator": f.statement.operator,
            "value": f.statement.value,
            "unit": f.statement.unit,
            "sentence": f.statement.sentence,
            "note": "".join(f.notes[1:] if f.notes[:1] == (NOTE_OUTSIDE,) else f.notes),
        }
        for f in found
    ]
    frame = pd.DataFrame.from_records(rows, columns=list(BASELINE_COLUMNS))
    frame["value"] = frame["value"].astype(float)
    frame["year"] = frame["year"].astype("Int64")
    return frame


# Operators a restatement may word differently from its goal: 保持并巩固在97%以上 restates
# 达到97%以上.
_SAME_LEVEL = ({">=", "maintain"},)  # sets: compared with ==


def _link_restatements(frame: pd.DataFrame) -> None:
    """Link each 策略措施 or 重点工程 candidate to the 主要目标 candidate it restates.

    A restatement names the same indicator and value as a 主要目标 quantitative candidate, with
    the same operator or one of the same level (``maintain`` for ``>=``); its ``links_to`` is
    that candidate's ``target_id`` and it takes the goal's operator, as a restatement carries
    its goal's statement. Other rows keep ``links_to`` blank.
    """
    quantitative = frame[(frame["kind"] == "quantitative") & (frame["indicator_id"] != "")]
    goals = quantitative[quantitative["section"] == "主要目标"]
    by_level: dict[tuple[str, float], list[tuple[str, str]]] = {}
    for g in goals.drop_duplicates(["indicator_id", "operator", "value"]).itertuples():
        by_level.setdefault((g.indicator_id, g.value), []).append((g.operator, g.target_id))
    for index, row in quantitative[quantitative["section"] != "主要目标"].iterrows():
        for operator, target_id in by_level.get((row["indicator_id"], row["value"]), []):
            if operator == row["operator"] or {operator, row["operator"]} in _SAME_LEVEL:
                frame.loc[index, ["links_to", "operator"]] = [target_id, operator]
                break


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

    Notes
    -----
    Nothing numeric is dropped for want of a heading: a value outside any 主要目标/策略措施
    section that reads as a target (:data:`_TARGET_CUE`, and not an observed value) is a
    candidate in 主要目标 with item ``00`` and :data:`NOTE_OUTSIDE`; a candidate whose area
    neither a heading, nor its indicator, nor its item's words give has area
    :data:`UNKNOWN_AREA` and :data:`NOTE_UNKNOWN_AREA`. Observed values are left out (see
    :func:`extract_all`).
    """
    return extract_all(text, plan_id).targets


def extract_baselines(text: str, plan_id: str | None = None) -> pd.DataFrame:
    """Return the observed values of a text (its baselines), never read as targets.

    Parameters
    ----------
    text : str
        The text, as read.
    plan_id : str, optional
        Plan id for ``plan``; a catalog plan's period tells its target years from past ones.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`BASELINE_COLUMNS` (see :func:`extract_all`).
    """
    return extract_all(text, plan_id).baselines


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
