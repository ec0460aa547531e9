"""The check of a plan's targets table (``targets/<plan_id>.csv``): every row, field by field.

Part of :mod:`womenstats.catalog.schema` (indicators and the shared :class:`Problem`; plans are
:mod:`womenstats.catalog.plan_schema`); split out so that each reads in one sitting. Every
problem names the file, the line and the target.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from womenstats.catalog.codes import (
    AREAS,
    DIRECTION_OPERATORS,
    KINDS,
    OPERATORS,
    RELATIVE_OPERATORS,
    RESIDENCES,
    SECTIONS,
    SEXES,
    UNITS,
    VALUE_OPERATORS,
)
from womenstats.catalog.schema import (
    _AGE_PATTERN,
    _ITEM_PATTERN,
    OPTIONAL_TARGET_COLUMNS,
    TARGET_COLUMNS,
    Problem,
    _number,
    check_codes,
)

#: Columns whose value, when given, must be one of a fixed set of codes.
_CODED_COLUMNS: tuple[tuple[str, Collection[str]], ...] = (
    ("area", AREAS), ("section", SECTIONS), ("kind", KINDS), ("operator", OPERATORS), ("sex", SEXES),
    ("residence", RESIDENCES), ("unit", UNITS),
)


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
    check_codes(row, _CODED_COLUMNS, add, blank_ok=True)
    if row["age_group"] and not _AGE_PATTERN.match(row["age_group"]):
        add("E_BAD_CODE", f"age_group“{row['age_group']}”应为 all 或 35-64、65+ 这样的年龄段。")
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
            message = f"links_to“{link}”指向的目标不存在，请改为本规划中已有的 target_id。"
        elif link == ident or target["links_to"].strip():
            message = f"links_to“{link}”应指向另一条本身未设 links_to 的目标（通常是主要目标）。"
        else:
            continue
        out.append(Problem(file, index + 2, ident, "E_BAD_LINK", message))
    return out
