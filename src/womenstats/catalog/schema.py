"""The schema check of the catalog files: each problem names the file and the entry, in Chinese.

The check works on the records as read from the files (strings for the target CSV), before any
conversion, so that a bad file is reported rather than half-loaded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from womenstats.catalog.codes import (
    AGE_GROUP_PATTERN,
    AREAS,
    BETTER,
    BREAKDOWNS,
    DIRECTION_OPERATORS,
    KINDS,
    LEVELS,
    OPERATORS,
    RELATIVE_OPERATORS,
    RESIDENCES,
    SECTIONS,
    SEXES,
    STATUSES,
    SUBJECTS,
    UNITS,
    VALUE_OPERATORS,
)
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
    "subject",
    "breakdowns",
    "numerator",
    "denominator",
    "per",
    "department",
    "definition",
)

#: Indicator fields whose value may be null.
NULLABLE_INDICATOR_FIELDS: frozenset[str] = frozenset(
    {"lower", "upper", "numerator", "denominator", "per"}
)

#: Fields of a plan file.
PLAN_FIELDS: tuple[str, ...] = (
    "id",
    "name",
    "region_name",
    "region_code",
    "level",
    "parents",
    "period_start",
    "period_end",
    "baseline_year",
    "midterm_year",
    "final_year",
    "status",
    "source",
)

_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
_ITEM_PATTERN = re.compile(r"^(\d{2}|[sp]\d+)$")
_REGION_PATTERN = re.compile(r"^\d{6}$")
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


# ---------------------------------------------------------------- plans


def check_plan(record: Any, file: str, stem: str) -> list[Problem]:
    """Check one plan file's content.

    Parameters
    ----------
    record : object
        The parsed YAML document.
    file : str
        The file's name relative to the data folder, for messages.
    stem : str
        The file name without extension: it must equal the plan's ``id``.

    Returns
    -------
    list of Problem
        Empty when the plan is valid.
    """
    if not isinstance(record, Mapping):
        return [
            Problem(
                file,
                1,
                stem,
                "E_NOT_MAPPING",
                "规划文件应为键值对（YAML 映射），请按 docs/architecture.md 填写。",
            )
        ]
    entry = str(record.get("id") or stem)
    out: list[Problem] = []

    def add(code: str, message: str) -> None:
        out.append(Problem(file, None, entry, code, message))

    for name in PLAN_FIELDS:
        if name not in record or _blank(record[name]):
            add("E_MISSING_FIELD", f"缺少字段 {name}，请补上。")
    if out:
        return out
    if record["id"] != stem:
        add("E_ID_FILE", f"规划 id“{record['id']}”与文件名“{stem}”不一致，请改成一致。")
    if not _REGION_PATTERN.match(str(record["region_code"])):
        add(
            "E_BAD_CODE",
            f"region_code“{record['region_code']}”应为6位 GB/T 2260 代码（带引号的字符串）。",
        )
    if record["level"] not in LEVELS:
        add("E_BAD_CODE", _bad_code("level", record["level"], LEVELS))
    if record["status"] not in STATUSES:
        add("E_BAD_CODE", _bad_code("status", record["status"], STATUSES))
    parents = record["parents"]
    if not isinstance(parents, list) or not all(
        isinstance(p, Mapping) and _REGION_PATTERN.match(str(p.get("code", ""))) and p.get("name")
        for p in parents
    ):
        add("E_BAD_PARENTS", "parents 应为列表，每项含 code（6位代码）和 name。")
    source = record["source"]
    if not isinstance(source, Mapping) or _blank(source.get("document")):
        add("E_BAD_SOURCE",
            "source 应含 document（文件全称），可含 file（仓库内的规划文本，如 data/raw/plans/x.txt）。")
    years = ("period_start", "period_end", "baseline_year", "midterm_year", "final_year")
    if not all(isinstance(record[y], int) for y in years):
        add(
            "E_BAD_YEAR",
            "period_start、period_end、baseline_year、midterm_year、final_year 应为整数年份。",
        )
    else:
        start, end = record["period_start"], record["period_end"]
        if not (
            record["baseline_year"] < start <= record["midterm_year"] <= record["final_year"] == end
        ):
            add(
                "E_BAD_YEAR",
                f"年份不一致：应有 基期({record['baseline_year']}) < 起始({start})"
                f" <= 中期({record['midterm_year']}) <= 终期({record['final_year']}) = 结束({end})。",
            )
    return out


# ---------------------------------------------------------------- indicators


def check_indicators(entries: Sequence[tuple[str, int | None, Any]]) -> list[Problem]:
    """Check the indicator registry, all files together (ids are unique across files).

    Parameters
    ----------
    entries : sequence of (file, line, record)
        Every entry of every ``indicators/<area>.yaml``, with the file and the entry's line.

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
        area = record["area"]
        if area not in AREAS:
            add("E_BAD_CODE", _bad_code("area", area, AREAS))
        elif not ident.startswith(f"{area}.") or file.rsplit("/", 1)[-1] != f"{area}.yaml":
            add(
                "E_AREA_MISMATCH",
                f"指标“{ident}”的 area 为 {area}，应以 {area}. 开头并放在 indicators/{area}.yaml。",
            )
        unit = record["unit"]
        if unit not in UNITS:
            add("E_BAD_CODE", _bad_code("unit", unit, UNITS))
        elif record["per"] != UNITS[unit].per:
            add("E_BAD_PER", f"单位 {unit} 的 per 应为 {UNITS[unit].per}（现为 {record['per']}）。")
        if record["better"] not in BETTER:
            add("E_BAD_CODE", _bad_code("better", record["better"], BETTER))
        if record["subject"] not in SUBJECTS:
            add("E_BAD_CODE", _bad_code("subject", record["subject"], SUBJECTS))
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
    return out


# ---------------------------------------------------------------- targets


def _check_target_row(
    row: Mapping[str, str],
    plan_id: str,
    indicators: Mapping[str, Mapping[str, Any]],
    add: Any,
) -> None:
    """Check one target row's fields; ``add(code, message)`` records a problem."""
    ident = row["target_id"]
    area, section, item, kind, op = (
        row["area"],
        row["section"],
        row["item"],
        row["kind"],
        row["operator"],
    )
    for name in TARGET_COLUMNS:
        if name not in OPTIONAL_TARGET_COLUMNS and not row[name].strip():
            add("E_MISSING_FIELD", f"字段 {name} 为空，请填写。")
    if area and area not in AREAS:
        add("E_BAD_CODE", _bad_code("area", area, AREAS))
    if section and section not in SECTIONS:
        add("E_BAD_CODE", _bad_code("section", section, SECTIONS))
    if kind and kind not in KINDS:
        add("E_BAD_CODE", _bad_code("kind", kind, KINDS))
    if op and op not in OPERATORS:
        add("E_BAD_CODE", _bad_code("operator", op, OPERATORS))
    if row["sex"] and row["sex"] not in SEXES:
        add("E_BAD_CODE", _bad_code("sex", row["sex"], SEXES))
    if row["residence"] and row["residence"] not in RESIDENCES:
        add("E_BAD_CODE", _bad_code("residence", row["residence"], RESIDENCES))
    if row["age_group"] and not _AGE_PATTERN.match(row["age_group"]):
        add("E_BAD_CODE", f"age_group“{row['age_group']}”应为 all 或 35-64、65+ 这样的年龄段。")
    if row["unit"] and row["unit"] not in UNITS:
        add("E_BAD_CODE", _bad_code("unit", row["unit"], UNITS))
    if item and not _ITEM_PATTERN.match(item):
        add("E_BAD_ITEM", f"item“{item}”应为两位编号（如 04），策略措施写 s<k>，重点工程写 p<k>。")
    elif item and section in SECTIONS:
        wanted = {"主要目标": "digit", "策略措施": "s", "重点工程": "p"}[section]
        if (item[0] if not item[0].isdigit() else "digit") != wanted:
            add(
                "E_BAD_ITEM",
                f"{section} 的 item 应为 {'两位数字' if wanted == 'digit' else wanted + '<k>'}。",
            )
    codes_ok = area in AREAS and bool(_ITEM_PATTERN.match(item))
    pattern = rf"^{re.escape(f'{plan_id}.{area}.{item}')}(-\d+)?$"
    if ident and codes_ok and not re.match(pattern, ident):
        add("E_BAD_ID", f"target_id 应为 {plan_id}.{area}.{item} 或 {plan_id}.{area}.{item}-<n>。")
    year = row["target_year"]
    if year and not re.match(r"^\d{4}$", year):
        add("E_BAD_YEAR", f"target_year“{year}”应为四位年份。")

    value_text, tol_text = row["value"].strip(), row["tolerance"].strip()
    value = _number(value_text) if value_text else None
    if value_text and value is None:
        add("E_BAD_VALUE", f"value“{value_text}”不是数值。")
    if tol_text and (_number(tol_text) is None or _number(tol_text) <= 0):
        add("E_BAD_VALUE", f"tolerance“{tol_text}”应为正数。")
    if tol_text and op != "≈":
        add("E_BAD_TOLERANCE", "只有运算符 ≈（左右）的目标才填 tolerance。")

    if kind == "qualitative":
        if op or value_text:
            add("E_QUALITATIVE_VALUE", "定性目标（qualitative）不填 operator 和 value。")
    elif kind in KINDS:
        if not row["indicator_id"]:
            add("E_MISSING_FIELD", "非定性目标必须填写 indicator_id。")
        if not op:
            add("E_MISSING_FIELD", "非定性目标必须填写 operator。")
        if kind == "quantitative" and not value_text:
            add(
                "E_MISSING_VALUE",
                "定量目标（quantitative）必须有 value；没有数值请改为 directional。",
            )
        if kind == "quantitative" and op in DIRECTION_OPERATORS - {"maintain"}:
            add(
                "E_KIND_OPERATOR",
                f"运算符 {op} 表示方向，不带数值：请改为 directional，或改用 <=、>=、≈、=。",
            )
        if kind == "directional" and (value_text or op in VALUE_OPERATORS):
            add(
                "E_KIND_OPERATOR",
                "方向性目标（directional）不填 value，运算符为 increase/decrease/maintain/narrow。",
            )

    indicator_id = row["indicator_id"]
    if not indicator_id:
        return
    spec = indicators.get(indicator_id)
    if spec is None:
        add(
            "E_UNKNOWN_INDICATOR",
            f"指标 id“{indicator_id}”不在指标库 indicators/*.yaml 中，请先登记该指标或改正 id。",
        )
        return
    if op in RELATIVE_OPERATORS:
        _check_relative(row, op, value, spec, indicator_id, add)
        return
    if row["unit"] in UNITS and row["unit"] != spec.get("unit"):
        add(
            "E_UNIT_MISMATCH",
            f"单位“{row['unit']}”与指标 {indicator_id} 的单位“{spec.get('unit')}”不一致，请换算为指标单位。",
        )
    if value is not None:
        lower, upper = spec.get("lower"), spec.get("upper")
        if (lower is not None and value < lower) or (upper is not None and value > upper):
            add(
                "E_OUT_OF_BOUNDS",
                f"value={value_text} 超出指标 {indicator_id} 的取值范围 [{lower}, {upper}]，"
                "请核对数值或单位。",
            )


def _check_relative(row: Mapping[str, str], op: str, value: float | None, spec: Mapping[str, Any],
                    indicator_id: str, add) -> None:
    """Check a change from the baseline: its unit, and a value that is a possible change."""
    wanted = "%" if op.endswith("_pct") else spec.get("unit")
    if row["unit"] != wanted:
        what = "基期值的百分比" if op.endswith("_pct") else f"指标 {indicator_id} 的单位"
        add("E_UNIT_MISMATCH", f"运算符 {op} 的数值是{what}，unit 应为“{wanted}”。")
    if value is not None and (value <= 0 or (op == "decrease_pct" and value >= 100)):
        add("E_OUT_OF_BOUNDS", f"变化量 value={value:g} 不合理：应为正数，按百分比下降时应小于100。")


def check_targets(
    rows: Sequence[Mapping[str, str]],
    columns: Sequence[str],
    file: str,
    plan_id: str,
    indicators: Mapping[str, Mapping[str, Any]],
) -> list[Problem]:
    """Check a plan's target table.

    Parameters
    ----------
    rows : sequence of mapping
        The CSV rows as strings (blank cells as ``""``), in file order.
    columns : sequence of str
        The CSV header.
    file : str
        The file name relative to the data folder, for messages.
    plan_id : str
        The plan the file belongs to (target ids start with it).
    indicators : mapping
        Indicator id -> indicator record (at least ``unit``, ``lower``, ``upper``).

    Returns
    -------
    list of Problem
        Empty when the table is valid. Rows are named by their line (header = line 1) and target id.
    """
    missing = [c for c in TARGET_COLUMNS if c not in columns]
    if missing:
        return [
            Problem(
                file,
                1,
                "表头",
                "E_MISSING_FIELD",
                f"缺少列 {'、'.join(missing)}；表头应为 {','.join(TARGET_COLUMNS)}。",
            )
        ]
    out: list[Problem] = []
    first_seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        line = index + 2
        ident = row["target_id"].strip()

        def add(code: str, message: str, *, _line: int = line, _ident: str = ident) -> None:
            out.append(Problem(file, _line, _ident or f"第{_line - 1}条", code, message))

        if ident in first_seen:
            add(
                "E_DUPLICATE_ID",
                f"target_id“{ident}”重复（第{first_seen[ident]}行已有），请改正编号。",
            )
        elif ident:
            first_seen[ident] = line
        _check_target_row(row, plan_id, indicators, add)
    by_id = {row["target_id"].strip(): row for row in rows}
    for index, row in enumerate(rows):
        link = row["links_to"].strip()
        if not link:
            continue
        ident = row["target_id"].strip()
        target = by_id.get(link)
        if target is None:
            out.append(
                Problem(
                    file,
                    index + 2,
                    ident,
                    "E_BAD_LINK",
                    f"links_to“{link}”指向的目标不存在，请改为本规划中已有的 target_id。",
                )
            )
        elif link == ident or target["links_to"].strip():
            out.append(
                Problem(
                    file,
                    index + 2,
                    ident,
                    "E_BAD_LINK",
                    f"links_to“{link}”应指向另一条本身未设 links_to 的目标（通常是主要目标）。",
                )
            )
    return out
