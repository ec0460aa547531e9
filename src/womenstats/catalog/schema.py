"""The schema check of the catalog files: each problem names the file and the entry, in Chinese.

The check works on the records as read from the files (strings for the target CSV), before any
conversion, so that a bad file is reported rather than half-loaded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from womenstats.catalog.codes import (
    AGE_GROUP_PATTERN,
    AREAS,
    BETTER,
    BREAKDOWNS,
    SUBJECTS,
    UNITS,
)
from womenstats.catalog.plausible import check_plausible
from womenstats.errors import Location

#: Columns of a ``targets/<plan>.csv`` file, in file order.
TARGET_COLUMNS: tuple[str, ...] = (
    "target_id",
    "area",
    "section",
    "item",
    "indicator_id",
    "sex",
    "residence",
    "age_group",
    "kind",
    "operator",
    "tolerance",
    "value",
    "unit",
    "target_year",
    "links_to",
    "sentence",
    "note",
)

#: Target columns that may be blank on every row.
OPTIONAL_TARGET_COLUMNS: frozenset[str] = frozenset(
    {"indicator_id", "operator", "tolerance", "value", "unit", "links_to", "note"}
)

#: Fields of an indicator entry (``aliases`` may be left out).
INDICATOR_FIELDS: tuple[str, ...] = (
    "id",
    "name",
    "area",
    "unit",
    "lower",
    "upper",
    "better",
    "near",
    "band",
    "subject",
    "breakdowns",
    "numerator",
    "denominator",
    "per",
    "plausible",
    "aggregation",
    "department",
    "definition",
)

#: How an indicator's value for a parent region is made from its children's (``aggregation``):
#: ``sum_counts`` sums numerators and denominators and recomputes the rate; ``sum`` adds the
#: values (counts); ``share_meeting`` reports the share of children whose value meets ``meets``
#: (a head-count per body, "each … has one"); ``derived``: computed from the parent's own rolled-up
#: components (a gap, with ``derived``); ``none``: not aggregated (an average without counts).
AGGREGATIONS: tuple[str, ...] = ("sum_counts", "sum", "share_meeting", "derived", "none")

#: Keys of an indicator's ``derived`` entry: a gap computed from two breakdowns of another indicator.
DERIVED_KEYS: tuple[str, ...] = ("from", "by", "minuend", "subtrahend", "form")
#: Forms of a derived gap: ``difference`` ``a - b``; ``relative`` ``100 (a - b) / a``.
DERIVED_FORMS: tuple[str, ...] = ("difference", "relative")
#: Breakdown codes a derived gap may subtract, by breakdown.
DERIVED_SIDES: dict[str, tuple[str, ...]] = {"sex": ("female", "male"), "residence": ("urban", "rural")}
_MEETS = re.compile(r"^(>=|<=)\s*-?\d+(?:\.\d+)?$")

#: Indicator fields whose value may be null.
NULLABLE_INDICATOR_FIELDS: frozenset[str] = frozenset(
    {"lower", "upper", "numerator", "denominator", "per", "band"}
)

#: Indicator fields that take one code of a list, with the codes.
_CODED_FIELDS: tuple[tuple[str, Collection[str]], ...] = (
    ("area", AREAS), ("unit", UNITS), ("better", BETTER), ("subject", SUBJECTS),
)

_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
_ITEM_PATTERN = re.compile(r"^(\d{2}|[sp]\d+)$")
_AGE_PATTERN = re.compile(AGE_GROUP_PATTERN)


@dataclass(frozen=True)
class Problem:
    """One problem found in a catalog file.

    Attributes
    ----------
    file : str
        The file relative to the catalog data folder (``targets/kaiping.csv``).
    row : int or None
        Line of the file (CSV: the header is line 1; YAML: the entry's first line).
    entry : str
        The entry's id (target id, indicator id, plan id) or ``第n条`` when it has none.
    code : str
        Stable machine-readable code, e.g. ``E_UNKNOWN_INDICATOR``.
    message : str
        What is wrong and what to do, in Chinese.
    """

    file: str
    row: int | None
    entry: str
    code: str
    message: str

    @property
    def location(self) -> Location:
        """The problem's :class:`womenstats.errors.Location`."""
        return Location(file=self.file, row=self.row)

    def __str__(self) -> str:
        where = str(self.location)
        entry = f"（{self.entry}）" if self.entry else ""
        return f"{where}{entry}：{self.message}"


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _bad_code(field: str, value: Any, allowed: Iterable[str]) -> str:
    return f"字段 {field} 的值“{value}”不是可用代码；可用：{'、'.join(allowed)}。请改为其中之一。"


def check_codes(record: Mapping, coded: Iterable[tuple[str, Collection[str]]],
                add: Callable[[str, str], None], *, blank_ok: bool = False) -> None:
    """Record ``E_BAD_CODE`` for each field of ``coded`` whose value is not one of its codes.

    Parameters
    ----------
    record : mapping
        A plan, an indicator entry or a target row.
    coded : iterable of (str, collection of str)
        Each field with the codes it may take, in the order the problems are listed.
    add : callable
        ``add(code, message)`` records a problem.
    blank_ok : bool, default False
        Leave an empty value alone (an optional column of a target row; a required one is
        reported as missing).
    """
    for name, codes in coded:
        value = record[name]
        if value not in codes and not (blank_ok and not value):
            add("E_BAD_CODE", _bad_code(name, value, codes))


# ---------------------------------------------------------------- indicators


def check_indicators(entries: Sequence[tuple[str, int | None, Any]],
                     structure_ids: set[str] | None = None) -> list[Problem]:
    """Check the indicator registry, all files together (ids are unique across files).

    Parameters
    ----------
    entries : sequence of (file, line, record)
        Every entry of every ``indicators/<area>.yaml``, with the file and the entry's line.
    structure_ids : set of str, optional
        The ids of ``structure.yaml`` a ``plausible.denominator`` may name (not checked when None).

    Returns
    -------
    list of Problem
        Empty when the registry is valid.
    """
    out: list[Problem] = []
    first_seen: dict[str, str] = {}
    for file, line, record in entries:
        entry = str(record.get("id")) if isinstance(record, Mapping) and record.get("id") else "?"

        def add(
            code: str,
            message: str,
            *,
            _file: str = file,
            _line: int | None = line,
            _entry: str = entry,
        ) -> None:
            out.append(Problem(_file, _line, _entry, code, message))

        if not isinstance(record, Mapping):
            add("E_NOT_MAPPING", "指标条目应为键值对（YAML 映射）。")
            continue
        missing = [
            f
            for f in INDICATOR_FIELDS
            if f not in record
            or (f not in NULLABLE_INDICATOR_FIELDS and _blank(record[f]) and f != "breakdowns")
        ]
        if missing:
            add(
                "E_MISSING_FIELD", f"缺少字段 {'、'.join(missing)}，请补上（可为空的字段写 null）。"
            )
            continue
        ident = str(record["id"])
        if ident in first_seen:
            add(
                "E_DUPLICATE_ID",
                f"指标 id“{ident}”重复（首次出现在 {first_seen[ident]}），请改用不同的 id 或合并两条。",
            )
        else:
            first_seen[ident] = f"{file}:第{line}行" if line else file
        if not _ID_PATTERN.match(ident):
            add(
                "E_BAD_ID",
                f"指标 id“{ident}”应为 <领域>.<英文小写名>，如 health.maternal_mortality。",
            )
        check_codes(record, _CODED_FIELDS, add)
        area, unit = record["area"], record["unit"]
        if area in AREAS and (not ident.startswith(f"{area}.") or file.rsplit("/", 1)[-1] != f"{area}.yaml"):
            add(
                "E_AREA_MISMATCH",
                f"指标“{ident}”的 area 为 {area}，应以 {area}. 开头并放在 indicators/{area}.yaml。",
            )
        if unit in UNITS and record["per"] != UNITS[unit].per:
            add("E_BAD_PER", f"单位 {unit} 的 per 应为 {UNITS[unit].per}（现为 {record['per']}）。")
        _check_tolerances(record, add)
        breakdowns = record["breakdowns"]
        if not isinstance(breakdowns, list) or any(b not in BREAKDOWNS for b in breakdowns):
            add(
                "E_BAD_CODE",
                f"breakdowns 应为列表，取值为 {'、'.join(BREAKDOWNS)} 中的若干个（可为空列表 []）。",
            )
        lower, upper = record["lower"], record["upper"]
        bounds_ok = all(
            b is None or (isinstance(b, int | float) and math.isfinite(b)) for b in (lower, upper)
        )
        if not bounds_ok:
            add("E_BAD_BOUNDS", "lower、upper 应为数值或 null。")
        elif lower is not None and upper is not None and lower > upper:
            add("E_BAD_BOUNDS", f"下限 lower={lower} 大于上限 upper={upper}。")
        if "aliases" in record and not (
            isinstance(record["aliases"], list)
            and all(isinstance(a, str) for a in record["aliases"])
        ):
            add("E_BAD_ALIASES", "aliases 应为字符串列表。")
        _check_aggregation(record, unit, add)
        check_plausible(record, add, structure_ids)
    out.extend(_check_derived_sources(entries))
    return out


def _check_derived_sources(entries: Sequence[tuple[str, int | None, Any]]) -> list[Problem]:
    """Check that a derived gap's ``from`` is a registered indicator with the ``by`` breakdown."""
    records: dict[str, Mapping] = {}
    for _, _, record in entries:
        if isinstance(record, Mapping):
            records.setdefault(str(record.get("id")), record)  # a duplicate is reported on its own
    out = []
    for file, line, record in entries:
        spec = record.get("derived") if isinstance(record, Mapping) else None
        if not isinstance(spec, Mapping) or record.get("aggregation") != "derived":
            continue
        source = records.get(str(spec.get("from")))
        if source is None or spec.get("by") not in (source.get("breakdowns") or ()):
            message = f"derived 的 from“{spec.get('from')}”应为指标库中有 {spec.get('by')} 分组的指标。"
            out.append(Problem(file, line, str(record.get("id")), "E_BAD_DERIVED", message))
    return out


def _check_tolerances(record: Mapping[str, Any], add) -> None:
    """Check ``near`` (a number >= 0) and ``band`` (a number > 0 exactly when ``better`` is neutral)."""
    near, band = record["near"], record["band"]
    if isinstance(near, bool) or not isinstance(near, int | float) or not math.isfinite(near) or near < 0:
        add("E_BAD_NEAR", f"near 应为不小于 0 的数值（基本达标的容差，指标单位），现为“{near}”。")
    if band is not None and (isinstance(band, bool) or not isinstance(band, int | float)
                             or not math.isfinite(band) or band <= 0):
        add("E_BAD_BAND", f"band 应为正数（“左右”“保持”的双侧区间半宽，指标单位）或 null，现为“{band}”。")
    elif (band is None) != (record["better"] != "neutral"):
        add("E_BAD_BAND",
            "better 为 neutral 的指标须写 band（双侧区间半宽）；better 为 higher 或 lower 的指标 band 写 null"
            "（“X左右”按较好的方向判定）。")


def _check_derived(record: Mapping[str, Any], add) -> None:
    """Check ``derived`` (a gap from two breakdowns of another indicator) against ``aggregation``."""
    spec = record.get("derived")
    if record["aggregation"] != "derived":
        if spec is not None:
            add("E_BAD_DERIVED", "只有 aggregation 为 derived 的指标才写 derived。")
        return
    sides = DERIVED_SIDES.get(spec.get("by")) if isinstance(spec, Mapping) else None
    if (
        not isinstance(spec, Mapping)
        or set(spec) != set(DERIVED_KEYS)
        or not sides
        or {spec["minuend"], spec["subtrahend"]} != set(sides)
        or spec["form"] not in DERIVED_FORMS
        or not _ID_PATTERN.match(str(spec["from"]))
    ):
        add("E_BAD_DERIVED",
            "aggregation 为 derived 时须写 derived: {from: 指标id, by: sex|residence, minuend: …, "
            f"subtrahend: …, form: {'|'.join(DERIVED_FORMS)}}}，minuend 与 subtrahend 为该分组的两端"
            "（female/male 或 urban/rural）。")


def _check_aggregation(record: Mapping[str, Any], unit: str, add) -> None:
    """Check ``aggregation`` against the unit, and ``meets`` (``">= 1"``) where it is needed."""
    rule = record["aggregation"]
    if rule not in AGGREGATIONS:
        add("E_BAD_CODE", _bad_code("aggregation", rule, AGGREGATIONS))
        return
    kind = UNITS[unit].kind if unit in UNITS else None  # an unknown unit is reported once, above
    if rule == "sum_counts" and kind not in ("rate", "ratio", None):
        add("E_BAD_AGGREGATION", f"单位 {unit} 不是率或比值，不能按分子分母合计（sum_counts）。")
    if rule == "sum" and kind not in ("count", "number", "times", None):
        add("E_BAD_AGGREGATION", f"单位 {unit} 不是人数、个数或次数，不能直接相加（sum）。")
    _check_derived(record, add)
    meets = record.get("meets")
    if rule == "share_meeting" and not (isinstance(meets, str) and _MEETS.match(meets)):
        add("E_BAD_AGGREGATION",
            "aggregation 为 share_meeting 时须写 meets，如 '>= 1'（下级达到该值即计为达到）。")
    if rule != "share_meeting" and meets is not None:
        add("E_BAD_AGGREGATION", "只有 aggregation 为 share_meeting 的指标才写 meets。")


# ---------------------------------------------------------------- targets
