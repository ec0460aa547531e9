"""Generated sentences of a report (Chinese markdown), from the assessment and the catalog."""

from __future__ import annotations

import pandas as pd

from womenstats.report.county.context import ReportContext
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


def warning_summary(assessment: pd.DataFrame) -> str:
    """Return a sentence saying how many targets carry an early warning."""
    warned = int((assessment["warnings"].fillna("") != "").sum())
    if not warned:
        return "本期没有需要预警的目标。"
    return f"共有 {warned} 项目标发出预警，逐项列于下表（预警说明由评估程序按统一规则生成）。"


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


def methods_text() -> str:
    """Return the appendix's paragraph on the methods (model names belong here, not in the body)."""
    from womenstats.assess.small_numbers import MIN_EVENTS, POOL_YEARS

    return (
        "**趋势预测。** 每项目标的监测序列在线性、对数线性、logit 线性（有上下限的百分比）、阻尼趋势指数平滑"
        "和以分母（如活产数）为暴露量的泊松、负二项计数模型中，按小样本修正的赤池信息准则（AICc）选择"
        "（只有三、四个观测值时按指标的取值范围选定）；趋势图和表中的 80% 预测区间、达标概率都来自所选模型的"
        "预测分布，并截断在指标的取值范围内。达标概率是目标年公布的数值（按发布精度）达到目标的概率。\n\n"
        f"**小数字。** 比率的分子少于 {MIN_EVENTS} 个事件（如一个县一年的孕产妇死亡数）时，按近 {POOL_YEARS} "
        "年合计的分子分母判定是否达标（Garwood 精确区间），"
        "是否倒退用两段时期的泊松率精确条件检验（α = 0.05）。"
        "\n\n**分性别和城乡差距。** 差距为女性减男性（城镇减农村），百分比的 95% 置信区间用 Newcombe 混合"
        "得分法（Wilson 区间的 MOVER 组合），每10万或千分之几的率用 MOVER-Garwood 法，比值用 MOVER-R 法或"
        "精确条件法；只有公布值、没有分子分母的指标不给区间。差距与基期相比的变化，用两年差距的置信区间检验"
        "（Altman–Bland 法，α = 0.05），在随机误差范围内的标注“不显著”。\n\n"
        "**地区汇总。** 上级地区的率由下级的分子、分母分别相加后计算，从不平均各地的率；"
        "迟报的下级沿用其上年数值"
        "（至多两年），使各年比较的地区范围相同，并在数据来源中注明。"
    )
