"""The per-target tables of a report's body, for people: targets by their wording, numbers with units.

Each table comes in two forms. The displayed one names a target by its indicator and what the plan
asks (``孕产妇系统管理率`` · ``达到91%以上``), prints every value at its unit's precision with its unit
(``98.2%``, ``16.9/10万``, ``3,063人``), changes in 个百分点 and probabilities as the text prints them
(:mod:`womenstats.report.wording`). The workbook form (``…_data``) holds the same rows as numbers,
with a unit column and the interval as two columns, and the target's id for machines; ids appear in
the body nowhere else (the appendix maps them). Restatements are listed once, in their target's area.
"""

from __future__ import annotations

import math

import pandas as pd

from womenstats.assess.early_warnings import WARNING_LABELS
from womenstats.catalog import AREAS
from womenstats.report.county.context import ReportContext
from womenstats.report.county.findings import (
    facts,
    period_change,
    responsible,
    shortfall_words,
    target_name,
    target_words,
)
from womenstats.report.county.tables import judged, shown_value
from womenstats.report.wording import (
    decimals,
    interval_text,
    is_missing,
    number_text,
    precision,
    probability_text,
    value_text,
    written_digits,
)

#: What makes two rows the same target (a 重点工程 sentence restating a 主要目标 without a link).
SAME_TARGET = ("indicator_id", "sex", "residence", "age_group", "operator", "target_value", "target_year")


def _rounded(value, unit: str, digits: int = 0):
    return None if is_missing(value) else round(float(value), max(decimals(unit), digits))


def _quantified(assessment: pd.DataFrame, targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the judged quantified targets, each listed once (a target restated is not repeated)."""
    rows = judged(assessment)
    rows = rows.loc[rows["kind"] != "qualitative"]
    if targets is None or rows.empty:
        return rows
    keys = targets.set_index("target_id")[["sex", "residence", "age_group"]]
    marked = rows.join(keys, on="target_id")
    return rows.loc[~marked.duplicated(subset=list(SAME_TARGET), keep="first")]


def warning_names(codes) -> str:
    """Return a target's warnings by their short names (``预计达标困难、波动较大``); '' for none."""
    if not isinstance(codes, str) or not codes:
        return ""
    return "、".join(WARNING_LABELS.get(code, code) for code in codes.split(";") if code)


def records(ctx: ReportContext, assessment: pd.DataFrame | None = None,
            area: str | None = None) -> pd.DataFrame:
    """Return one row per judged quantified target (of one area, or all) with its numbers and unit.

    Columns: ``target_id, area, name, goal, unit, base_year, base, last_year, last, previous,
    change_year, target_year, proj, proj_lo80, proj_hi80, p_attain, status, status_label, warnings,
    comparison, target_level, final, operator, target_value, unit_name``. Values are in the
    indicator's unit (a ``narrow`` target's gap signed as the registry defines it).
    """
    rows = _quantified(ctx.assessment() if assessment is None else assessment, ctx.targets)
    if area is not None:
        rows = rows.loc[rows["area"] == area]
    out = []
    for row in rows.to_dict("records"):
        unit = str(ctx.target(row["target_id"])["unit"] or "")
        f = facts(ctx, row["target_id"])
        out.append({
            "target_id": row["target_id"], "indicator_id": row["indicator_id"], "area": row["area"],
            "name": target_name(ctx, row["target_id"]),
            "goal": target_words(row["operator"], row["target_value"], unit), "unit": unit,
            "base_year": f.base_year, "base": f.base, "last_year": f.last_year, "last": f.last,
            "previous": f.previous, "change_year": f.since_last_year(),
            "target_year": int(row["target_year"]),
            "proj": row["proj_value"], "proj_lo80": row["proj_lo80"], "proj_hi80": row["proj_hi80"],
            "p_attain": row["p_attain"], "status": row["status"], "status_label": row["status_label"],
            "warnings": row["warnings"], "comparison": row.get("comparison", ""),
            "target_level": row.get("target_level", math.nan), "final": bool(row.get("final", False)),
            "operator": row["operator"], "target_value": row["target_value"],
            "unit_name": responsible(ctx, row["indicator_id"]),
        })
    return pd.DataFrame(out)


def _values(rec: dict, *keys: str) -> list[str]:
    """Return a record's values in words (:func:`~womenstats.report.county.tables.shown_value`)."""
    return [shown_value(rec[key], rec["unit"], rec["indicator_id"]) for key in keys]


def _change(rec: dict, start: str) -> str:
    """Return a record's change from ``start`` (``base`` or ``previous``) to its latest value, in words."""
    return period_change(rec[start], rec["last"], rec["operator"], rec["unit"], rec["indicator_id"])


def _projection_text(rec: dict) -> str:
    if is_missing(rec["proj"]):
        return "—"
    point = value_text(rec["proj"], rec["unit"])
    if is_missing(rec["proj_lo80"]) or is_missing(rec["proj_hi80"]):
        return point
    low, high = number_text(rec["proj_lo80"], rec["unit"]), number_text(rec["proj_hi80"], rec["unit"])
    if low == high:
        return point
    return f"{point}（{interval_text(rec['proj_lo80'], rec['proj_hi80'], rec['unit'])}）"


def area_table(ctx: ReportContext, area: str, assessment: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return an area's table: each target's baseline, latest value, change on the year, trend, status.

    Columns: 指标, 目标, 基期值（2020年）, 最新值, 年份, 比上年, 目标年预测（80%区间）, 达标概率, 状态,
    预警. A final verdict (the target year has come) prints no forecast or probability.
    """
    rows = []
    for rec in records(ctx, assessment, area).to_dict("records"):
        with precision(written_digits(rec["target_value"])):  # 保持在99.95%以上: two decimals
            rows.append([
                rec["name"], rec["goal"], *_values(rec, "base", "last"),
                rec["last_year"], _change(rec, "previous"),
                "—" if rec["final"] else _projection_text(rec),
                "—" if rec["final"] else probability_text(rec["p_attain"]),
                rec["status_label"], warning_names(rec["warnings"]),
            ])
    base = f"基期值（{ctx.plan.baseline_year}年）"
    table = pd.DataFrame(rows, columns=["指标", "目标", base, "最新值", "年份",
                                        "比上年", "目标年预测（80%区间）", "达标概率", "状态", "预警"])
    table["年份"] = pd.array(table["年份"], dtype="Int64")
    return table


def _column(recs: pd.DataFrame, name: str) -> list:
    """Return a records column rounded as printed: the unit's decimals, or the target's written ones."""
    values = zip(recs[name], recs["unit"], recs["target_value"], strict=True)
    return [_rounded(value, unit, written_digits(target)) for value, unit, target in values]


def target_data(ctx: ReportContext, area: str | None = None,
                assessment: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the workbook form of :func:`area_table` (or of every area): numbers, unit, interval, id."""
    recs = records(ctx, assessment, area)
    if recs.empty:
        return pd.DataFrame(columns=["领域", "指标", "目标", "单位", "目标编号"])
    data = pd.DataFrame({
        "领域": recs["area"].map(AREAS), "指标": recs["name"], "目标": recs["goal"], "单位": recs["unit"],
        "基期年份": recs["base_year"], "基期值": _column(recs, "base"),
        "最新年份": pd.array(recs["last_year"], dtype="Int64"),
        "最新值": _column(recs, "last"),
        "上年值": _column(recs, "previous"),
        "比上年变化": _column(recs, "change_year"),
        "目标年": recs["target_year"],
        "目标年预测值": _column(recs, "proj"),
        "80%预测下限": _column(recs, "proj_lo80"),
        "80%预测上限": _column(recs, "proj_hi80"),
        "达标概率": recs["p_attain"].round(3), "状态": recs["status_label"],
        "预警": recs["warnings"].map(warning_names), "责任单位": recs["unit_name"],
        "目标编号": recs["target_id"],
    })
    return data


def final_table(ctx: ReportContext, assessment: pd.DataFrame | None = None, area: str | None = None,
                *, statuses: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Return the final evaluation's table: baseline, final value, change over the period, verdict.

    Columns: 指标, 目标, 基期值, 终期值, 年份, 全期变化, 结论, 差距, 说明 (``按2024年数据`` when the
    verdict rests on a year before the target year; why a target has no verdict). ``statuses``
    keeps only the targets with those status codes (``not_achieved``: the 未实现 list).
    """
    rows = []
    for rec in records(ctx, assessment, area).to_dict("records"):
        if statuses is not None and rec["status"] not in statuses:
            continue
        note = ""
        if rec["last_year"] is None or is_missing(rec["last"]):
            note = "没有任何年份的数据"
        elif rec["status"] == "insufficient_data":
            note = f"最新数据为{int(rec['last_year'])}年，不足以判定"
        elif int(rec["last_year"]) < rec["target_year"]:
            note = f"按{int(rec['last_year'])}年数据"
        with precision(written_digits(rec["target_value"])):
            # the change over the period says how far a target without a value moved from its baseline
            gap = "" if rec["status"] == "achieved" else shortfall_words(rec, rec["last"], rec["unit"])
            rows.append([rec["name"], rec["goal"], *_values(rec, "base", "last"),
                         rec["last_year"], _change(rec, "base"),
                         rec["status_label"], gap or "—", note])
    base = f"基期值（{ctx.plan.baseline_year}年）"
    table = pd.DataFrame(rows, columns=["指标", "目标", base, "终期值", "年份",
                                        "全期变化", "结论", "距目标", "说明"])
    table["年份"] = pd.array(table["年份"], dtype="Int64")
    return table


def _annual_row(rec: dict) -> list:
    """Return one target's row of :func:`annual_table`."""
    return [rec["name"], rec["goal"], *_values(rec, "last"), rec["last_year"], *_values(rec, "previous"),
            _change(rec, "previous"), rec["status_label"]]


def annual_table(ctx: ReportContext, assessment: pd.DataFrame | None = None,
                 area: str | None = None) -> pd.DataFrame:
    """Return the annual monitoring table: this year's value, last year's, the change, the status.

    A target without a value for the report year shows its latest year instead (and is listed in
    the 缺项 table).
    """
    rows = []
    for rec in records(ctx, assessment, area).to_dict("records"):
        with precision(written_digits(rec["target_value"])):
            rows.append(_annual_row(rec))
    table = pd.DataFrame(rows, columns=["指标", "目标", "最新值", "年份", "上年值", "比上年", "状态"])
    table["年份"] = pd.array(table["年份"], dtype="Int64")
    return table


def warnings_table(ctx: ReportContext, assessment: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the targets with an early warning: 指标, 领域, 状态, 预警 (the Chinese sentences)."""
    rows = _quantified(ctx.assessment() if assessment is None else assessment)
    warned = rows.loc[rows["warnings"].fillna("") != ""]
    return pd.DataFrame({
        "指标": [target_name(ctx, t) for t in warned["target_id"]],
        "领域": warned["area"].map(AREAS).to_numpy(),
        "状态": warned["status_label"].to_numpy(),
        "预警": warned["warning_text"].to_numpy(),
    })


def qualitative_table(ctx: ReportContext) -> pd.DataFrame:
    """Return the qualitative targets with their sentences and an empty column for the group's judgement."""
    rows = ctx.targets.loc[ctx.targets["kind"] == "qualitative"]
    return pd.DataFrame({
        "领域": rows["area"].map(AREAS).to_numpy(),
        "规划原文": rows["sentence"].to_numpy(),
        "评估组判定": "",
    })


def id_table(ctx: ReportContext, assessment: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the appendix's map of target ids to their wording, section and restatement."""
    assessment = ctx.assessment() if assessment is None else assessment
    restates = assessment.set_index("target_id")["restates"].fillna("") if "restates" in assessment else {}
    rows = []
    for target in ctx.targets.to_dict("records"):
        again = restates.get(target["target_id"], "") if len(restates) else ""
        rows.append([target["target_id"], AREAS[target["area"]], target["section"],
                     target_name(ctx, target["target_id"]) if target["indicator_id"] else "（定性目标）",
                     f"同 {again}" if again else ""])
    return pd.DataFrame(rows, columns=["目标编号", "领域", "所在部分", "指标", "重述"])


def missing_table(ctx: ReportContext, assessment: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return 缺项数据: targets without a value for the report year, their latest year, who owes it."""
    recs = records(ctx, assessment)
    if recs.empty:
        return pd.DataFrame(columns=["指标", "最近有数据的年份", "责任单位"])
    gaps = recs.loc[recs["last_year"].isna() | (recs["last_year"] < ctx.year)]
    latest = pd.array(gaps["last_year"], dtype="Int64")
    table = pd.DataFrame({"指标": gaps["name"], "最近有数据的年份": latest, "责任单位": gaps["unit_name"]})
    return table.reset_index(drop=True)


def annual_statistics(ctx: ReportContext) -> pd.DataFrame:
    """Return 年度妇女统计资料: every indicator observed in the report year, by sex and residence.

    Columns: 指标, 单位, 年龄组, then one column per breakdown present (合计, 女, 男, 城镇, 农村 and
    their combinations), values as reported, printed at the unit's precision.
    """
    from womenstats import catalog
    from womenstats.report.county.tables import breakdown_text

    obs = ctx.observations.loc[ctx.observations["year"] == ctx.year].copy()
    if obs.empty:
        return pd.DataFrame(columns=["指标", "单位", "年龄组"])
    obs["分组"] = [breakdown_text(s, r, "all") for s, r in zip(obs["sex"], obs["residence"], strict=True)]
    obs["shown"] = [number_text(v, u) for v, u in zip(obs["value"], obs["unit"], strict=True)]
    wide = obs.pivot_table(index=["indicator_id", "unit", "age_group"], columns="分组", values="shown",
                           aggfunc="first", sort=True)
    order = [c for c in ("合计", "女", "男") if c in wide.columns]
    wide = wide[order + sorted(c for c in wide.columns if c not in order)].reset_index().fillna("—")
    wide.columns.name = None
    wide.insert(0, "指标", wide.pop("indicator_id").map(catalog.indicators()["name"]))
    wide = wide.rename(columns={"unit": "单位", "age_group": "年龄组"})
    wide["年龄组"] = wide["年龄组"].replace({"all": "全部"})
    return wide


def series_data(ctx: ReportContext) -> pd.DataFrame:
    """Return every yearly value of the region with its numerator, denominator, unit and source file.

    The workbook's sheet of the monitoring data (a reviewer recomputes any rate from it).
    """
    from womenstats import catalog

    obs = ctx.observations
    names = catalog.indicators()["name"]
    table = pd.DataFrame({
        "指标": obs["indicator_id"].map(names),
        "性别": obs["sex"].map({"female": "女", "male": "男", "total": "合计"}),
        "城乡": obs["residence"].map({"all": "合计", "urban": "城镇", "rural": "农村"}),
        "年龄组": obs["age_group"].replace({"all": "全部"}), "年份": obs["year"].astype(int),
        "数值": obs["value"], "分子": obs["numerator"], "分母": obs["denominator"], "单位": obs["unit"],
        "来源文件": obs["source_file"].astype(str).str.rsplit("/", n=1).str[-1],
        "指标代码": obs["indicator_id"],
    })
    table = table.sort_values(["指标代码", "性别", "城乡", "年龄组", "年份"], kind="stable")
    return table.reset_index(drop=True)


def source_name(source: str) -> str:
    """Return a published value's source as a report cites it: the 国家统计局 reports by their name."""
    text = str(source).strip()
    if "监测报告" in text and "国家统计局" not in text:
        return f"国家统计局《中国妇女发展纲要》{text}"
    return text


def sources_note(ctx: ReportContext, area: str | None = None, assessment: pd.DataFrame | None = None) -> str:
    """Return the sources of the latest values a table shows, for published (not simulated) data.

    ``数据来源：国家统计局《中国妇女发展纲要》2011-2020终期监测报告；…`` with each source once, in the order
    first used; empty for simulated data (every page says 模拟数据) or when no value has a source.
    """
    if ctx.simulated:
        return ""
    cited: dict[str, None] = {}
    obs = ctx.observations
    for rec in records(ctx, assessment, area).to_dict("records"):
        target = ctx.target(rec["target_id"])
        if rec["last_year"] is None or "source" not in obs.columns:
            continue
        hit = obs.loc[(obs["indicator_id"] == target["indicator_id"]) & (obs["year"] == rec["last_year"])
                      & (obs["sex"].isin([target["sex"], "total"]))]
        for source in hit["source"].dropna().astype(str):
            if source:
                cited.setdefault(source_name(source))
    return ("数据来源：" + "；".join(cited) + "。") if cited else ""


__all__ = [
    "annual_statistics",
    "annual_table",
    "area_table",
    "final_table",
    "id_table",
    "missing_table",
    "qualitative_table",
    "records",
    "series_data",
    "source_name",
    "sources_note",
    "target_data",
    "warning_names",
    "warnings_table",
]
