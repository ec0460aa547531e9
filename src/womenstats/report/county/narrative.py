"""Generated sentences of a report (Chinese markdown), from the assessment and the catalog."""

from __future__ import annotations

import pandas as pd

from womenstats.report.county.context import ReportContext
from womenstats.report.county.tables import PEER_NAMES, judged, restated_count, status_labels
from womenstats.report.titles import report_title
from womenstats.report.write.style import SIMULATED_LABEL


def heading(ctx: ReportContext) -> str:
    """Return the report's title line, with the 模拟数据 notice when the data are simulated."""
    lines = [f"# {report_title(ctx.plan.id, ctx.kind, ctx.year)}", ""]
    lines.append(f"{ctx.plan.region_name}（行政区划代码 {ctx.plan.region_code}），规划期 "
                 f"{ctx.plan.period_start}—{ctx.plan.period_end} 年，基期 {ctx.plan.baseline_year} 年；"
                 f"本报告使用 {ctx.year} 年及以前的数据。")
    if ctx.simulated:
        lines += ["", f"**【{SIMULATED_LABEL}】本报告的地区数据为模拟数据，仅用于演示监测评估方法，"
                      "不代表该地区的真实情况。**"]
    return "\n".join(lines)


def status_summary(assessment: pd.DataFrame) -> str:
    """Return one sentence counting the targets by status, e.g. ``共 148 项目标：已达标 49 项，…``."""
    labels = status_labels(assessment)
    again = restated_count(assessment)
    assessment = judged(assessment)
    counts = assessment["status"].value_counts()
    parts = [f"{label} {int(counts[code])} 项" for code, label in labels.items() if code in counts]
    quantified = int(len(assessment) - counts.get("qualitative", 0))
    text = (f"本规划纳入评估的目标共 {len(assessment)} 项，其中可量化或有方向要求的 {quantified} 项。"
            f"评估结果：{'，'.join(parts)}。")
    if again:
        text += f"另有 {again} 条策略措施或重点工程重述上述目标，沿用所重述目标的结论，不重复计数。"
    return text


def warning_summary(assessment: pd.DataFrame) -> str:
    """Return a sentence saying how many targets carry an early warning."""
    warned = int((assessment["warnings"].fillna("") != "").sum())
    if not warned:
        return "本期没有需要预警的目标。"
    return f"共有 {warned} 项目标发出预警，逐项列于下表（预警说明由评估程序按统一规则生成）。"


def peers_note(methods: tuple[str, ...]) -> str:
    """Return the note under the peers' table (which methods are shown, or that none is available)."""
    if not methods:
        return "open-sdg 进展评估法和 ESCAP 预期进展指数尚未在本软件中提供，本表只列出本方法的结论。"
    return ("并列方法：" + "、".join(PEER_NAMES.get(m, m) for m in methods)
            + "。它们只用点估计，不给出不确定性，结论不同时以本方法为准并加以说明。")


def status_rules() -> str:
    """Return the paragraph explaining the statuses, with the thresholds ``womenstats.assess`` uses."""
    from womenstats.assess.status import P_AT_RISK, P_ON_TRACK

    on, risk = round(100 * P_ON_TRACK), round(100 * P_AT_RISK)
    return (
        "每项目标的状态由统一规则判定（详见 `docs/status_rules.md`），先看现状、再看趋势："
        "**已达标**（最新值按发布精度达到目标；中期评估中目标年未到即达到的记为**提前实现**）；"
        "**基本达标**（差距在该指标规定的容差以内，如覆盖率 99.5% 及以上对 100% 的目标，"
        "按国家统计局监测报告的口径计入达标率）；"
        f"**预计可达标**（尚未达到，按趋势到目标年达标的概率不低于 {on}%）；"
        f"**需加快进度**（{risk}%—{on}%）；**难以达标**（低于 {risk}%）；"
        "**倒退**（尚未达到且有充分证据表明正在远离目标）；"
        "目标年已到的目标按最新数据（至多早于目标年两年）作终期判定：**已实现**、**基本实现**或**未实现**；"
        "**数据不足**；"
        "**定性目标**（没有可计算的数值，需评估组判定）。"
        "状态的颜色和图案在所有图表中一致，黑白打印也能区分。"
    )
