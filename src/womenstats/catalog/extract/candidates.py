"""Writing the candidates: one row per statement, in the targets file's columns.

Part of :mod:`womenstats.catalog.extract`; :func:`extract_text` and :func:`extract_targets` are
the package's public API.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from womenstats.catalog.extract.lexicon import _Lexicon
from womenstats.catalog.extract.statements import _statements
from womenstats.catalog.extract.structure import _items, _plan_year, _project_area
from womenstats.catalog.loader import indicators as registry
from womenstats.catalog.schema import TARGET_COLUMNS
from womenstats.catalog.text import normalise, read_plan_text

#: Columns of :func:`extract_targets`' result: ``plan`` then the targets CSV columns.
EXTRACT_COLUMNS: tuple[str, ...] = ("plan", *TARGET_COLUMNS)

#: Area of a candidate whose area could be read neither from a heading, nor from its indicator,
#: nor from the words of its item: a reviewer must set it (the schema check refuses it).
UNKNOWN_AREA = "unknown"

#: Notes that tell the reviewer what to check.
NOTE_UNKNOWN_AREA = "未能确定所属领域：请人工填写 area（health、education 等八个领域之一）。"
NOTE_OUTSIDE = "此句不在“主要目标/策略措施”标题下：请核对它是否为规划目标，并核对领域和条目编号。"

# A sentence outside any section reads as a target when it sets a level to reach, and not when
# it reports one already reached ("2020年…为95%", "已达到").
_TARGET_CUE = re.compile(
    r"到20\d\d年|达到|达|以上|以下|不低于|不少于|不高于|不超过|控制在|保持|稳定在|巩固在|左右|提高到|"
    r"提高至|提升到|下降到|降至|降到|力争|确保|覆盖|超过|至少|建设|建成|设立|设置|配备|建立|实现|每个"
)
_REPORTED = re.compile(
    r"已(?:经)?(?:达到|实现|提高|下降)|(?:达到|提高|下降|实现|增长)了|20\d\d年[^，,。；;]{0,20}为\d"
)


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
    section that reads as a target (:data:`_TARGET_CUE`, not a reported level) is a candidate in
    主要目标 with item ``00`` and :data:`NOTE_OUTSIDE`; a candidate whose area neither a heading,
    nor its indicator, nor its item's words give has area :data:`UNKNOWN_AREA` and
    :data:`NOTE_UNKNOWN_AREA`.
    """
    clean = normalise(text)
    lexicon = _Lexicon.from_registry()
    default_year = _plan_year(clean, plan_id)
    pid = plan_id or "plan"
    subjects = registry()["subject"].to_dict()
    rows = []
    counters: dict[tuple[str, str], int] = {}
    items = list(_items(clean))
    if not any(section for _, section, _, _ in items):
        # A text without the usual headings is read as one list of targets, areas from indicators.
        items = [("", "主要目标", "01", clean.replace("\n", ""))]
    for area, section, item, body in items:
        outside = section == ""
        for st in _statements(section, body.replace("\n", ""), lexicon):
            if outside and (not _TARGET_CUE.search(st.sentence) or _REPORTED.search(st.sentence)):
                continue
            row_area = area or st.area or _project_area(st.sentence if outside else body) or UNKNOWN_AREA
            notes = ([NOTE_OUTSIDE] if outside else []) + ([st.note] if st.note else [])
            if row_area == UNKNOWN_AREA:
                notes.append(NOTE_UNKNOWN_AREA)
            section_out, item_out = ("主要目标", "00") if outside else (section, item)
            key = (row_area, item_out)
            counters[key] = counters.get(key, 0) + 1
            rows.append(
                {
                    "plan": pid,
                    "target_id": f"{pid}.{row_area}.{item_out}-{counters[key]}",
                    "area": row_area,
                    "section": section_out,
                    "item": item_out,
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
                    "note": "".join(notes),
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
