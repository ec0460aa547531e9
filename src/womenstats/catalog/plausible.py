"""Plausible ranges: what a region's value and denominator can be, and the structure they belong to.

Two pieces of reviewed data work together (``docs/architecture.md``):

* ``data/structure.yaml`` — the populations and bodies of a region that denominators count (births,
  deputies, villages, students …), each with what a region can hold: per 10 000 residents when it
  scales with population, an absolute number by level when the law sizes it (选举法: a county
  people's congress has at most 450 deputies);
* the ``plausible`` field of every indicator — ``{county: [low, high] | {per_10k: [low, high]},
  national: [low, high] | null, denominator: <structure id> | null}``.

Intake warns when a value or a denominator falls outside them for the region's size
(:mod:`womenstats.intake.plausibility`); the demonstration data is drawn inside them. This module
reads and checks the structure file and checks an indicator's ``plausible`` entry; each problem is a
:class:`~womenstats.catalog.schema.Problem` in Chinese with an ``E_`` code.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from womenstats.catalog.codes import LEVELS, UNITS
from womenstats.catalog.models import Plausible, Span, StructureElement

#: The structure file, relative to the catalog data folder.
STRUCTURE_FILE = "structure.yaml"

#: Keys of an indicator's ``plausible`` entry.
PLAUSIBLE_KEYS: tuple[str, ...] = ("county", "national", "denominator")

#: Keys of a structure element.
STRUCTURE_KEYS: tuple[str, ...] = ("id", "name", "basis")

#: Unit kinds whose values are counts (a per-capita range is allowed for them only).
COUNT_KINDS: frozenset[str] = frozenset({"count", "number", "times"})

_ELEMENT_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _span(value: Any) -> Span | None:
    """Return ``(low, high)`` from a two-number list with low <= high, else None."""
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    if not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in value):
        return None
    low, high = float(value[0]), float(value[1])
    return (low, high) if low <= high else None


def structure_element(record: Mapping[str, Any]) -> StructureElement:
    """Build a :class:`StructureElement` from a checked record of ``structure.yaml``."""
    count = record.get("count") or {}
    return StructureElement(
        id=str(record["id"]),
        name=str(record["name"]),
        per_10k=_span(record.get("per_10k")),
        count={level: _span(count[level]) for level in LEVELS if level in count},
        basis=str(record["basis"]),
        enumerated=record.get("enumerated") is True,
    )


def check_structure(entries: list[tuple[int | None, Any]], file: str = STRUCTURE_FILE,
                    problem: Callable[..., Any] | None = None) -> list:
    """Check the structure file's entries.

    Parameters
    ----------
    entries : list of (line, record)
        Every entry of ``structure.yaml`` with its first line.
    file : str
        The file's name for messages.
    problem : callable
        Builds a problem: ``problem(file, line, entry, code, message)`` (the schema's ``Problem``).

    Returns
    -------
    list
        The problems; empty when the file is valid.
    """
    from womenstats.catalog.schema import Problem

    make = problem or Problem
    out = []
    seen: set[str] = set()
    for line, record in entries:
        entry = str(record.get("id")) if isinstance(record, Mapping) and record.get("id") else "?"
        if not isinstance(record, Mapping):
            out.append(make(file, line, entry, "E_NOT_MAPPING", "结构条目应为键值对（YAML 映射）。"))
            continue
        missing = [k for k in STRUCTURE_KEYS if not str(record.get(k) or "").strip()]
        if missing:
            out.append(make(file, line, entry, "E_MISSING_FIELD", f"缺少字段 {'、'.join(missing)}，请补上。"))
            continue
        if entry in seen:
            out.append(make(file, line, entry, "E_DUPLICATE_ID", f"结构 id“{entry}”重复，请改用不同的 id。"))
        seen.add(entry)
        if not _ELEMENT_ID.match(entry):
            out.append(make(file, line, entry, "E_BAD_ID",
                            f"结构 id“{entry}”应为英文小写加下划线，如 births。"))
        if not isinstance(record.get("enumerated", False), bool):
            out.append(make(file, line, entry, "E_BAD_STRUCTURE",
                            "enumerated 应为 true 或 false（是否为全数清点的机构或单位）。"))
        per, count = record.get("per_10k"), record.get("count")
        count_ok = (isinstance(count, Mapping) and count and set(count) <= set(LEVELS)
                    and all(_span(v) is not None and _span(v)[0] >= 0 for v in count.values()))
        per_ok = _span(per) is not None and _span(per)[0] >= 0
        if (per is None) == (count is None) or (per is not None and not per_ok) or (count is not None
                                                                                    and not count_ok):
            out.append(make(
                file, line, entry, "E_BAD_STRUCTURE",
                "须且只能写 per_10k（每万常住人口的 [下限, 上限]，随人口增减的）或 count"
                f"（按级别的绝对数 {{county: [下限, 上限], …}}，级别为 {'、'.join(LEVELS)}，"
                "不随人口增减的），"
                "下限不大于上限且不为负。"))
    return out


def check_plausible(record: Mapping[str, Any], add: Callable[[str, str], None],
                    structure_ids: set[str] | None) -> None:
    """Check an indicator's ``plausible`` entry (and ``sex_core``), reporting through ``add(code, message)``.

    ``county`` is ``[low, high]`` within the indicator's bounds, or ``{per_10k: [low, high]}`` for a
    count unit; ``national`` is null or ``[low, high]`` within the bounds; ``denominator`` is null or
    an id of ``structure.yaml`` (checked when ``structure_ids`` is given); ``sex_core`` is a boolean,
    true only with the ``sex`` breakdown.
    """
    spec = record.get("plausible")
    unit = UNITS.get(record.get("unit"))
    lower = record.get("lower") if isinstance(record.get("lower"), int | float) else -math.inf
    upper = record.get("upper") if isinstance(record.get("upper"), int | float) else math.inf
    if lower > upper:  # reported as E_BAD_BOUNDS; the range cannot be judged against them
        lower, upper = -math.inf, math.inf
    usage = ("plausible 应为 {county: [下限, 上限] 或 {per_10k: [下限, 上限]}, "
             "national: [下限, 上限] 或 null, denominator: 结构 id 或 null}："
             "county 为县级取值范围（人数、个数等随人口增减的写每万常住人口），"
             "national 为全国取值范围，denominator 为分母所属的结构（structure.yaml）。")
    if not isinstance(spec, Mapping) or set(spec) != set(PLAUSIBLE_KEYS):
        add("E_BAD_PLAUSIBLE", usage)
        return
    county = spec["county"]
    per_10k = isinstance(county, Mapping)
    span = _span(county.get("per_10k")) if per_10k and set(county) == {"per_10k"} else (
        None if per_10k else _span(county))
    if span is None:
        add("E_BAD_PLAUSIBLE", f"plausible.county“{county}”不是 [下限, 上限]。{usage}")
    elif per_10k and (unit is None or unit.kind not in COUNT_KINDS):
        add("E_BAD_PLAUSIBLE", f"只有人数、个数、次数（单位 人、万人、个、次）才按每万常住人口写 county；"
                               f"单位 {record.get('unit')} 请写 [下限, 上限]。")
    elif not per_10k and not lower <= span[0] <= span[1] <= upper:
        add("E_BAD_PLAUSIBLE", f"plausible.county {list(span)} 超出指标的取值范围 [{lower}, {upper}]。")
    national = spec["national"]
    if national is not None:
        nspan = _span(national)
        if nspan is None or not lower <= nspan[0] <= nspan[1] <= upper:
            add("E_BAD_PLAUSIBLE",
                f"plausible.national“{national}”应为指标取值范围内的 [下限, 上限] 或 null。")
    element = spec["denominator"]
    if element is not None and (not isinstance(element, str)
                                or (structure_ids is not None and element not in structure_ids)):
        add("E_BAD_PLAUSIBLE", f"plausible.denominator“{element}”不是 structure.yaml 中的结构 id。")
    sex_core = record.get("sex_core", False)
    if not isinstance(sex_core, bool) or (sex_core and "sex" not in (record.get("breakdowns") or ())):
        add("E_BAD_SEX_CORE",
            "sex_core 应为 true 或 false，且只有按性别分组（breakdowns 含 sex）的指标才可为 true。")


def plausible_of(spec: Mapping[str, Any] | None) -> Plausible | None:
    """Build a :class:`Plausible` from a checked ``plausible`` entry (None when absent)."""
    if not spec:
        return None
    county = spec["county"]
    per_10k = isinstance(county, Mapping)
    return Plausible(
        county=_span(county["per_10k"] if per_10k else county),
        per_10k=per_10k,
        national=_span(spec["national"]) if spec["national"] is not None else None,
        denominator=spec["denominator"],
    )


def structure_path(root: Path) -> Path:
    """Return the structure file of a catalog data folder."""
    return root / STRUCTURE_FILE


__all__ = ["COUNT_KINDS", "PLAUSIBLE_KEYS", "STRUCTURE_FILE", "check_plausible", "check_structure",
           "plausible_of", "structure_element", "structure_path"]
