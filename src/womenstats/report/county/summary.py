"""The executive summary a report opens with: counts, the targets needing attention, the data owed.

Page one of every report is what the 妇儿工委 and its member units act on: how many targets are
achieved, on track, need acceleration, are off track, regressing or without data
(:func:`headline`); each target in trouble in one line with the reason in plain Chinese and the
department responsible for it (:func:`focus_table`); and which department owes which data
(:func:`data_gaps_table`). Nothing here computes a statistic: values, projections, probabilities and
statuses come from ``womenstats.assess``, departments from the indicator catalog.
"""

from __future__ import annotations

import math

import pandas as pd

from womenstats import catalog
from womenstats.assess.status import ATTAINED
from womenstats.report.county.context import ReportContext
from womenstats.report.county.tables import breakdown_text, judged, restated_count, status_labels, target_text
from womenstats.report.wording import gap_phrase, probability_text, value_text

#: Statuses counted on page one, in the order a committee reads them (qualitative ones apart).
HEADLINE = ("achieved", "nearly_achieved", "on_track", "at_risk", "off_track", "regressing", "not_achieved",
            "insufficient_data")
#: Statuses listed under 重点关注, worst first.
FOCUS = ("not_achieved", "regressing", "off_track", "at_risk")
#: Column names of :func:`focus_table`.
FOCUS_COLUMNS = ["目标编号", "指标", "目标", "状态", "原因", "责任单位"]
#: Column names of :func:`data_gaps_table`.
GAP_COLUMNS = ["报送单位", "目标编号", "指标", "缺少的数据"]


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def verdicts(ctx: ReportContext) -> pd.DataFrame:
    """Return the assessment a report summarises (final verdicts come from ``assess`` itself)."""
    return ctx.assessment()


def achievement_rate(assessment: pd.DataFrame) -> tuple[int, int, float]:
    """Return (targets attained, targets assessed, rate in %): the 国家统计局's 达标率.

    Attained are 已达标 and 基本达标 (:data:`~womenstats.assess.status.ATTAINED`), counted as the
    monitoring reports count “提前实现或基本实现”; assessed are the quantified or directional
    targets with a verdict (数据不足 and qualitative ones left out); restatements count once.
    """
    assessment = judged(assessment)
    decided = assessment.loc[~assessment["status"].isin(["insufficient_data", "qualitative"])]
    attained = int(decided["status"].isin(ATTAINED).sum())
    total = len(decided)
    return attained, total, (100.0 * attained / total if total else math.nan)


def headline(assessment: pd.DataFrame) -> str:
    """Return the counts line of page one (markdown), one bold figure per status.

    Parameters
    ----------
    assessment : pandas.DataFrame
        ``assess.assess_plan`` output (or :func:`~womenstats.report.county.tables.final_verdicts`).

    Returns
    -------
    str
        E.g. ``**已达标 46 项** · **预计可达标 9 项** · … 达标率 61.3% … 另有定性目标 70 项由评估组判定。``
    """
    again = restated_count(assessment)
    labels = status_labels(assessment)
    attained, decided, rate = achievement_rate(assessment)
    assessment = judged(assessment)
    counts = assessment["status"].value_counts()
    quantified = int(len(assessment) - counts.get("qualitative", 0))
    parts = [f"**{labels[code]} {int(counts[code])} 项**" for code in HEADLINE if counts.get(code, 0)]
    text = f"纳入评估的可量化或有方向要求的目标 {quantified} 项：" + " · ".join(parts) + "。"
    if decided:
        text += (f"有数据可判定的 {decided} 项中，{labels['achieved']}和{labels['nearly_achieved']}"
                 f"合计 {attained} 项，达标率 {rate:.1f}%（按国家统计局监测报告的口径，基本达标计入）。")
    if counts.get("qualitative", 0):
        text += f"另有定性目标 {int(counts['qualitative'])} 项，由评估组判定（见正文）。"
    if again:
        text += f"策略措施和重点工程中重述上述目标的 {again} 条沿用其结论，不重复计数。"
    return text


def reason(row: dict, unit: str, year: int) -> str:
    """Return why a target needs attention, in one plain Chinese sentence.

    Parameters
    ----------
    row : dict
        The target's assessment row (``status, comparison, target_level, target_year, last_value,
        last_year, proj_value, proj_lo80, proj_hi80, p_attain, final``).
    unit : str
        The indicator's unit.
    year : int
        The report year.

    Returns
    -------
    str
        The latest value and its year; for a value target how far it is from the target
        (:func:`~womenstats.report.wording.gap_phrase`: 低于目标3.0个百分点); for a final verdict
        that it rests on that year's data; else the projection to the target year with its 80%
        interval and the probability of attainment (:func:`~womenstats.report.wording.probability_text`).
    """
    status, target_year = row["status"], int(row["target_year"])
    parts = []
    if not _missing(row["last_value"]):
        latest = f"最新值 {value_text(row['last_value'], unit)}（{int(row['last_year'])}年）"
        gap = gap_phrase(row.get("comparison", ""), row.get("target_level"), row["last_value"], unit)
        parts.append(latest + (f"，{gap}" if gap else ""))
    if status == "not_achieved":
        basis = int(row["last_year"]) if not _missing(row["last_year"]) else target_year
        basis_text = f"（按{basis}年数据）" if basis < target_year else ""
        parts.append(f"目标年{target_year}年未达到目标{basis_text}")
        return "；".join(parts) + "。"
    if status == "regressing":
        parts.append("近年变化方向与目标相反（非偶然波动）")
    if not _missing(row["proj_value"]) and target_year > year - 1:
        projected = f"按趋势{target_year}年预计 {value_text(row['proj_value'], unit)}"
        if not _missing(row["proj_lo80"]) and not _missing(row["proj_hi80"]):
            low, high = value_text(row["proj_lo80"], unit), value_text(row["proj_hi80"], unit)
            projected += f"（80%区间 {low}–{high}）"
        parts.append(projected)
    if not _missing(row["p_attain"]):
        parts.append(f"达标概率约 {probability_text(row['p_attain'])}")
    return "；".join(parts) + "。"


def department(indicator_id: str) -> str:
    """Return the department responsible for an indicator's data and target (the catalog's)."""
    if not indicator_id:
        return "—"
    return catalog.indicator(indicator_id).department or "—"


def focus_table(ctx: ReportContext, assessment: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return 重点关注: each 未实现, regressing, off-track or at-risk target in one line.

    Rows are ordered worst first (:data:`FOCUS`), then in catalog order. Columns
    :data:`FOCUS_COLUMNS`: the target, its indicator and breakdown, the target in words, the status,
    the reason (:func:`reason`) and the responsible department.
    """
    assessment = verdicts(ctx) if assessment is None else assessment
    rank = {code: i for i, code in enumerate(FOCUS)}
    assessment = judged(assessment)
    picked = assessment.loc[assessment["status"].isin(FOCUS)].copy()
    picked["_rank"] = picked["status"].map(rank)
    picked = picked.sort_values("_rank", kind="stable")
    rows = []
    for row in picked.to_dict("records"):
        target = ctx.target(row["target_id"])
        unit = str(target["unit"] or "")
        group = breakdown_text(target["sex"], target["residence"], target["age_group"])
        name = f"{target['indicator']}（{group}）" if group else str(target["indicator"])
        rows.append([row["target_id"], name, target_text(row["operator"], row["target_value"], unit),
                     row["status_label"], reason(row, unit, ctx.year), department(row["indicator_id"])])
    return pd.DataFrame(rows, columns=FOCUS_COLUMNS)


def data_gaps_table(ctx: ReportContext, assessment: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the data owed: targets without data to decide (数据不足) or with stale data, by department.

    A target is listed when its status is 数据不足 or when ``assess`` warns that its data are stale
    (warning code ``stale``). Columns :data:`GAP_COLUMNS`, sorted by department then catalog order.
    """
    assessment = judged(ctx.assessment() if assessment is None else assessment)
    stale = assessment["warnings"].fillna("").str.split(";").map(lambda codes: "stale" in codes)
    picked = assessment.loc[(assessment["status"] == "insufficient_data") | stale]
    rows = []
    for row in picked.to_dict("records"):
        target = ctx.target(row["target_id"])
        group = breakdown_text(target["sex"], target["residence"], target["age_group"])
        name = f"{target['indicator']}（{group}）" if group else str(target["indicator"])
        if _missing(row["last_year"]):
            owed = f"没有任何年份的数据，请报送{ctx.plan.baseline_year}年以来各年数值"
        elif row["status"] == "insufficient_data":
            owed = f"只有 {int(row['n_obs'])} 年数据（最新{int(row['last_year'])}年），请补报此前各年数值"
        else:
            owed = f"最新数据为{int(row['last_year'])}年，请报送此后各年数值"
        rows.append([department(row["indicator_id"]), row["target_id"], name, owed])
    table = pd.DataFrame(rows, columns=GAP_COLUMNS)
    return table.sort_values("报送单位", kind="stable").reset_index(drop=True)


def focus_sentence(focus: pd.DataFrame, gaps: pd.DataFrame) -> str:
    """Return the sentence introducing 重点关注 and 数据缺口 (how many targets, how many departments)."""
    if focus.empty:
        text = "本期没有难以达标、倒退或需加快进度的目标。"
    else:
        departments = sorted(set(focus["责任单位"]) - {"—"})
        text = (f"以下 {len(focus)} 项目标需要重点关注（按严重程度排列），涉及"
                f"{'、'.join(departments) or '—'}等 {len(departments)} 个责任单位。")
    if not gaps.empty:
        text += f"另有 {len(gaps)} 项目标缺少可用于判定的数据，需相关单位补报（见“数据缺口”）。"
    return text
