"""The schema check of a plan file (``plans/<plan>.yaml``) and of its ``coverage`` declaration.

Each problem names the file and the plan, in Chinese (:class:`~womenstats.catalog.schema.Problem`);
the indicator registry's checks are in :mod:`womenstats.catalog.schema`, the targets' in
:mod:`womenstats.catalog.target_schema`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from womenstats.catalog.codes import AREAS, GAP_SCOPES, LEVELS, STATUSES
from womenstats.catalog.schema import Problem, _bad_code, _blank, check_codes

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

#: Optional fields of a plan file.
PLAN_OPTIONAL_FIELDS: tuple[str, ...] = ("coverage",)

_REGION_PATTERN = re.compile(r"^\d{6}$")



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
    unknown = sorted(str(k) for k in record if k not in PLAN_FIELDS + PLAN_OPTIONAL_FIELDS)
    if unknown:
        add("E_UNKNOWN_FIELD", f"未知字段 {'、'.join(unknown)}；可用字段："
            f"{'、'.join(PLAN_FIELDS + PLAN_OPTIONAL_FIELDS)}。请检查拼写。")
    if record["id"] != stem:
        add("E_ID_FILE", f"规划 id“{record['id']}”与文件名“{stem}”不一致，请改成一致。")
    if not _REGION_PATTERN.match(str(record["region_code"])):
        add(
            "E_BAD_CODE",
            f"region_code“{record['region_code']}”应为6位 GB/T 2260 代码（带引号的字符串）。",
        )
    check_codes(record, (("level", LEVELS), ("status", STATUSES)), add)
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
    if "coverage" in record:
        out.extend(Problem(file, None, entry, "E_BAD_COVERAGE", message)
                   for message in _coverage_messages(record["coverage"]))
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


def _coverage_messages(coverage: Any) -> list[str]:
    """Return what is wrong with a plan's ``coverage`` field (Chinese messages; empty when valid)."""
    form = ("coverage 应含 basis（依据与来源网址）、missing（缺失目标的领域列表，每项含 area、scope、note），"
            "可含 main_targets（文件的主要目标总数，正整数）。")
    if not isinstance(coverage, Mapping) or _blank(coverage.get("basis")):
        return [form]
    out = []
    count = coverage.get("main_targets")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
        out.append(f"coverage.main_targets“{count}”应为正整数（文件的主要目标总数），不知道时省略。")
    missing = coverage.get("missing")
    if not isinstance(missing, list) or not missing:
        return [*out, form]
    seen: set[str] = set()
    for number, gap in enumerate(missing, start=1):
        where = f"coverage.missing 第{number}项"
        if not isinstance(gap, Mapping) or any(_blank(gap.get(k)) for k in ("area", "scope", "note")):
            out.append(f"{where}应含 area（领域代码）、scope（all 或 partial）和 note（缺什么、为什么）。")
            continue
        if not isinstance(gap["area"], str) or gap["area"] not in AREAS:
            out.append(f"{where}：{_bad_code('area', gap['area'], AREAS)}")
        elif gap["area"] in seen:
            out.append(f"{where}：领域 {gap['area']} 重复列出，请合并为一项。")
        seen.add(str(gap["area"]))
        if gap["scope"] not in GAP_SCOPES:
            out.append(f"{where}：{_bad_code('scope', gap['scope'], GAP_SCOPES)}")
    return out


def check_coverage(coverage: Any, areas: Iterable[str], file: str, entry: str) -> list[Problem]:
    """Check a plan's ``coverage`` against the areas its targets file has rows in.

    An area declared wholly missing (``scope: all``) must have no row; an area declared partly
    missing (``partial``) must have at least one (else it is wholly missing).

    Parameters
    ----------
    coverage : object
        The plan record's ``coverage`` value (already checked by :func:`check_plan`).
    areas : iterable of str
        The areas of the plan's target rows.
    file, entry : str
        The plan file (``plans/national.yaml``) and the plan id, for messages.

    Returns
    -------
    list of Problem
        ``E_COVERAGE_MISMATCH`` problems; empty when the declaration agrees with the targets, and
        when it is malformed (:func:`check_plan` reports that).
    """
    if _coverage_messages(coverage):
        return []
    present = set(areas)
    out = []
    for gap in coverage["missing"]:
        area, scope = gap["area"], gap["scope"]
        if scope == "all" and area in present:
            out.append(f"领域 {area} 声明为全部缺失（scope: all），但目标文件中有该领域的目标；"
                       "请改为 partial 并说明缺哪些。")
        elif scope == "partial" and area not in present:
            out.append(f"领域 {area} 声明为部分缺失（scope: partial），但目标文件中没有该领域的目标；"
                       "请改为 all。")
    return [Problem(file, None, entry, "E_COVERAGE_MISMATCH", message) for message in out]


__all__ = ["PLAN_FIELDS", "PLAN_OPTIONAL_FIELDS", "check_coverage", "check_plan"]
