"""The written findings of a report: the overall verdict, the targets in trouble, each area in prose.

A monitoring report opens with what it found, in sentences (国家统计局《中国妇女发展纲要》统计监测报告:
“结果显示：…总体进展顺利”, “N项中M项已实现，达标率X%”, each area a few paragraphs with numbers and
“比上年提高X个百分点”). Every sentence here is generated from the assessment and the series the
tables show: a number in the text is the number in the table, printed by
:mod:`womenstats.report.wording`. Targets are named by their wording, never by their ids, and the
responsible unit by its full name (:func:`womenstats.catalog.department_name`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from womenstats import catalog
from womenstats.assess.rolled import carried_children
from womenstats.assess.status import ATTAINED
from womenstats.catalog import AREAS
from womenstats.report.county.context import ReportContext
from womenstats.report.county.tables import achievement_rate, breakdown_text, derivation, judged
from womenstats.report.wording import (
    change_text,
    difference_text,
    gap_phrase,
    gap_side,
    gap_value_text,
    is_missing,
    precision,
    probability_text,
    value_text,
    written_digits,
)

#: Statuses of the targets in trouble, worst first, with the heading of their group.
TROUBLE: dict[str, str] = {
    "not_achieved": "未实现的目标",
    "regressing": "出现倒退的目标",
    "off_track": "按目前趋势难以达标的目标",
    "at_risk": "需要加快进度的目标",
}


def target_name(ctx: ReportContext, target_id: str) -> str:
    """Return a target's indicator as a report names it: ``孕产妇住院分娩率（农村）``."""
    target = ctx.target(target_id)
    group = breakdown_text(target["sex"], target["residence"], target["age_group"])
    group = "" if group in ("合计", "女") else group
    return f"{target['indicator']}（{group}）" if group else str(target["indicator"])


def target_words(operator: str, value, unit: str) -> str:
    """Return a target as the plans word it: ``达到96%以上``, ``下降到8/10万以下``, ``逐步提高``.

    Examples
    --------
    >>> target_words(">=", 96, "%"), target_words("<=", 8, "1/10万"), target_words("≈", 45, "%")
    ('达到96%以上', '控制在8/10万以下', '45%左右')
    """
    if operator in ("increase", "decrease", "narrow") or is_missing(value):
        words = {"increase": "逐步提高", "decrease": "逐步降低", "narrow": "逐步缩小", "maintain": "保持稳定"}
        return words.get(operator, "")
    number = value_text(float(value), unit) if unit not in ("%", "‰") else f"{float(value):g}{unit}"
    if unit == "1/10万":
        number = f"{float(value):g}/10万"
    kind = catalog.UNITS[unit].kind if unit in catalog.UNITS else ""
    at_bound = kind == "rate" and float(value) in (0.0, 100.0)  # “达到100%”, not “100%以上”
    words = {">=": f"达到{number}" if at_bound else f"达到{number}以上", "<=": f"控制在{number}以下",
             "≈": f"{number}左右", "=": f"达到{number}", "maintain": f"保持在{number}以上",
             "decrease_pct": f"比基期下降{float(value):g}%", "increase_pct": f"比基期提高{float(value):g}%",
             "decrease_pp": f"比基期下降{difference_text(value, unit)}",
             "increase_pp": f"比基期提高{difference_text(value, unit)}"}
    return words.get(operator, number)


@dataclass(frozen=True)
class Facts:
    """What the prose says of one target's series: baseline, latest, previous year."""

    base_year: int
    base: float
    last_year: int | None
    last: float
    previous: float

    def since_base(self) -> float:
        """Return the change from the baseline value to the latest (NaN when either is missing)."""
        return self.last - self.base if not (is_missing(self.last) or is_missing(self.base)) else math.nan

    def since_last_year(self) -> float:
        """Return the change from the previous year (NaN when either is missing)."""
        missing = is_missing(self.last) or is_missing(self.previous)
        return math.nan if missing else self.last - self.previous


def facts(ctx: ReportContext, target_id: str) -> Facts:
    """Return the baseline, latest and previous-year values of a target's series."""
    series = ctx.target_series(target_id).dropna(subset=["value"])
    by_year = dict(zip(series["year"].astype(int), series["value"].astype(float), strict=True))
    last_year = max(by_year) if by_year else None
    return Facts(ctx.plan.baseline_year, by_year.get(ctx.plan.baseline_year, math.nan), last_year,
                 by_year.get(last_year, math.nan) if last_year else math.nan,
                 by_year.get(last_year - 1, math.nan) if last_year else math.nan)


#: How the size of a gap moves, in words (a 逐步缩小 target): it widens or narrows.
GAP_WORDS = ("扩大", "缩小")


def period_change(base: float, last: float, operator: str, unit: str, indicator_id: str | None = None) -> str:
    """Return the change from ``base`` to ``last`` in words (``提高2.9个百分点``, ``—`` without both).

    A gap to narrow (operator ``narrow``) moves by its size, as its assessment judges it
    (:func:`womenstats.assess.series.gap_series`): ``扩大1.4个百分点``, ``缩小0.3年``. A gap
    indicator (``indicator_id`` with a derivation) that changed sides says so instead:
    ``由男性高转为女性高`` (its size alone would call 1.5 → −2.5 points 扩大1.0).
    """
    if is_missing(base) or is_missing(last):
        return "—"
    if operator == "narrow":
        derived = derivation(indicator_id)
        sides = [gap_side(v, unit, derived) if derived else "" for v in (base, last)]
        if all(sides) and sides[0] != sides[1]:
            return f"由{sides[0]}转为{sides[1]}"
        return change_text(abs(last) - abs(base), unit, words=GAP_WORDS)
    return change_text(last - base, unit)


def since(words: str, year: int) -> str:
    """Return a change since a year (:func:`period_change`) in a clause: ``比2020年提高2.9个百分点``."""
    if words.startswith("由"):
        return f"{year}年以来{words}"
    return f"与{year}年持平" if words == "持平" else f"比{year}年{words}"


def chance(p: float) -> str:
    """Return a probability of attainment as a clause: ``达标的概率约为16%``, ``达标的概率不到1%``."""
    text = probability_text(p)
    return f"达标的概率{text}" if text[0] in "不超" else f"达标的概率约为{text}"


def pooled(ctx: ReportContext, target_id: str):
    """Return the pooled rate a small-count target is judged on (a ``PooledRate``, or None without counts)."""
    from womenstats.assess.small_numbers import pooled_rate

    series = ctx.target_series(target_id)
    per = catalog.indicator(ctx.target(target_id)["indicator_id"]).per
    return pooled_rate(series["year"], series["numerator"], series["denominator"], float(per or 1))


def _years_text(years: tuple[int, ...]) -> str:
    """``2022—2024年`` for consecutive years, ``2021、2022、2024年`` otherwise."""
    if list(years) == list(range(min(years), max(years) + 1)):
        return f"{min(years)}—{max(years)}年"
    return "、".join(str(y) for y in years) + "年"


def pooled_words(ctx: ReportContext, target_id: str, unit: str) -> str:
    """Return the pooled rate a small-count target is judged on (``（事件数少，2022—2024年合计…）``)."""
    rate = pooled(ctx, target_id)
    if rate is None:
        return "（事件数少）"
    return (f"（事件数少，{_years_text(rate.years)}合计{int(rate.events)}例，合计率为"
            f"{value_text(rate.rate, unit)}，据此判定）")


def _small(row: dict) -> bool:
    return "small_numbers" in str(row.get("warnings") or "").split(";")


def responsible(ctx: ReportContext, indicator_id: str) -> str:
    """Return the full name of the unit responsible for an indicator in the report's region."""
    if not indicator_id:
        return ""
    code = catalog.indicator(indicator_id).department
    return catalog.department_name(code, str(ctx.region_code or ctx.plan.region_code))


def _labels(assessment: pd.DataFrame) -> dict[str, str]:
    from womenstats.report.county.tables import status_labels

    return status_labels(assessment)


def overall(ctx: ReportContext, assessment: pd.DataFrame) -> str:
    """Return the overall verdict: how many targets, how many met, the achievement rate, what is short.

    The achievement rate counts 已达标 (or 已实现) and 基本达标 over the targets with a verdict, as
    the 国家统计局 reports count “提前实现或基本实现”.
    """
    rows = judged(assessment)
    rows = rows.loc[rows["kind"] != "qualitative"]
    labels = _labels(assessment)
    counts = rows["status"].value_counts()
    _, decided, rate = achievement_rate(rows)
    if not len(rows):
        return "本规划目前没有可量化评估的目标。"
    if not decided:
        return (f"纳入评估的{len(rows)}项量化目标目前均缺少可用于判定的数据，"
                "请各成员单位按报送表补报（见“需补报的数据”）。")
    final = ctx.kind == "final"
    text = (f"结果显示：纳入评估的{len(rows)}项量化目标中，{decided}项有数据可以判定，"
            f"其中{labels['achieved']}{int(counts.get('achieved', 0))}项、"
            f"{labels['nearly_achieved']}{int(counts.get('nearly_achieved', 0))}项，达标率{rate:.1f}%。")
    if final:
        text += f"未实现{int(counts.get('not_achieved', 0))}项。"
    else:
        ahead = int(counts.get("on_track", 0))
        if ahead:
            text += f"尚未达标的目标中，{ahead}项按目前趋势预计可如期达标。"
    # a member unit's self-evaluation speaks of its own targets, a plan's report of the plan
    whose = "本单位负责的目标" if getattr(ctx, "department", "") else "规划实施"
    if rate >= 80 and not counts.get("regressing", 0):
        verdict = f"{whose}总体进展顺利，大部分目标已经实现或基本实现。"
    elif rate >= 60:
        verdict = f"{whose}总体进展较好，多数目标已经实现或基本实现，但部分领域仍有差距。"
    else:
        verdict = f"{whose}进展不平衡，尚有较多目标未达标，需加大工作力度。"
    text += verdict
    trouble = [(TROUBLE[code].removesuffix("的目标"), int(counts.get(code, 0))) for code in TROUBLE
               if counts.get(code, 0)]
    if trouble:
        text += "需要重点关注的是：" + "、".join(f"{name}{n}项" for name, n in trouble) + "（详见下文）。"
    missing = int(counts.get("insufficient_data", 0))
    if missing:
        text += f"另有{missing}项目标缺少可用于判定的数据，需相关单位补报。"
    return text


def level_reference(row: dict) -> str:
    """Return what a target's judged level is: ``目标``, or ``基期水平`` for a target without a value.

    A directional target (“保持稳定”, “逐步缩小”) is judged against its baseline value
    (:mod:`womenstats.assess.ours`), so a shortfall is one from the baseline, not from a target.
    """
    return "基期水平" if is_missing(row.get("target_value")) else "目标"


def shortfall_words(row: dict, value: float, unit: str) -> str:
    """Return how far ``value`` misses a target in words (``低于目标8.1个百分点``), empty when it does not.

    A “左右” target is judged with its band (``target_level``: 30%左右 is met from 29%) but its gap
    is read against the value the plan wrote: 21.9% is 8.1 points below 30%, not 7.1. A target
    without a value of its own is measured from its baseline, which the change since the
    baseline already states: no phrase.
    """
    if level_reference(row) != "目标" or is_missing(value):
        return ""
    nominal = row.get("target_value")
    if row.get("operator") == "≈" and not is_missing(nominal):
        size = float(value) - float(nominal)
        side = "高于目标" if size > 0 else "低于目标"
        return "" if size == 0 else side + difference_text(abs(size), unit)
    return gap_phrase(row.get("comparison", ""), row.get("target_level"), value, unit)


def _ending(ctx: ReportContext, indicator_id: str) -> str:
    """End a sentence on a target with its responsible unit: ``（责任单位：开平市卫生健康局）。``.

    In a member unit's own report every target is its own: no unit named.
    """
    name = "" if getattr(ctx, "department", "") else responsible(ctx, indicator_id)
    return f"（责任单位：{name}）。" if name else "。"


def carried_words(ctx: ReportContext, target_id: str, year: int | None) -> str:
    """Return ``（含台山市沿用2023年数值）`` when a region's value of ``year`` carries a late child's.

    A parent's figure counts the same children every year (:func:`womenstats.assess.rolled.carried_forward`),
    so a late child's last value stands in for it; the sentence says so, since the county table beside
    it sums only the children that reported. A gap is read from its component. Empty for a county.
    """
    if year is None or "source" not in ctx.observations.columns:
        return ""
    target = ctx.target(target_id)
    derived = derivation(target["indicator_id"])
    obs = ctx.observations
    rows = obs.loc[(obs["region_code"].astype(str) == str(ctx.region_code)) & (obs["year"] == int(year))]
    if derived is not None:
        rows = rows.loc[rows["indicator_id"] == derived.source]
    else:
        for key in ("indicator_id", "sex", "residence", "age_group"):
            rows = rows.loc[rows[key].astype(str) == str(target[key])]
    names = sorted({name for source in rows["source"] for name in carried_children(source)})
    return f"（含{'、'.join(names)}）" if names else ""


def trouble_sentence(ctx: ReportContext, row: dict) -> str:
    """Return one target in trouble in a sentence: where it stands, how far off, where it heads, who.

    Numbers print at the target's written precision when it is finer than the unit's (99.95%).
    """
    with precision(written_digits(row.get("target_value"))):
        return _trouble_sentence(ctx, row)


def _trouble_sentence(ctx: ReportContext, row: dict) -> str:
    name = target_name(ctx, row["target_id"])
    unit = str(ctx.target(row["target_id"])["unit"] or "")
    goal = target_words(row["operator"], row["target_value"], unit)
    f = facts(ctx, row["target_id"])
    parts = [f"{name}（目标：{goal}）"]
    if not is_missing(f.last):
        now = f"{f.last_year}年为{value_text(f.last, unit)}"
        # a target with no value of its own is judged against the baseline, which the change since
        # the baseline already states
        judged = row["last_value"]
        if _small(row):  # judged on the pooled rate: the gap is the pooled rate's
            rate = pooled(ctx, row["target_id"])
            judged = rate.rate if rate is not None else judged
        gap = shortfall_words(row, judged, unit)
        if row["operator"] == "narrow":
            derived = derivation(row.get("indicator_id"))
            size = difference_text(f.last, unit) if derived is None else gap_value_text(f.last, unit, derived)
            now = f"{f.last_year}年差距为{size}"
        notes = [carried_words(ctx, row["target_id"], f.last_year)]
        if _small(row):  # a rate from a few events: judged on the last three years together
            notes.append(pooled_words(ctx, row["target_id"], unit))
        notes = [note[1:-1] for note in notes if note]  # one parenthesis: （含…；事件数少，…）
        now += f"（{'；'.join(notes)}）" if notes else ""
        parts.append(now + (f"，{gap}" if gap else ""))
    change = period_change(f.base, f.last, row["operator"], unit, row.get("indicator_id"))
    if change != "—" and f.last_year != f.base_year and not _small(row):
        parts.append(since(change, f.base_year))
    status = row["status"]
    if status == "regressing":
        parts.append("近年持续朝着偏离目标的方向变化")
    elif status in ("off_track", "at_risk") and not is_missing(row["p_attain"]):
        parts.append(f"按目前趋势到{int(row['target_year'])}年{chance(row['p_attain'])}")
    elif status == "not_achieved" and f.last_year is not None and f.last_year < int(row["target_year"]):
        parts.append(f"按{f.last_year}年数据判定")
    return "，".join(parts) + _ending(ctx, row["indicator_id"])


def slipping_sentence(ctx: ReportContext, row: dict) -> str:
    """Return a met target at risk of falling back, saying how its recent values moved.

    It names the move the wrong way only when the latest value is worse than the best of the three
    years before it, in the words of that move: “近年数值下降” (more is better), “近年数值上升”
    (less is better), “近年差距扩大” (a gap to narrow, by its size); otherwise the values have swung
    around the target (a coverage of 18 towns at 100%, 89%, 100%): “近年数值有起伏”.
    """
    values = ctx.target_series(row["target_id"])["value"].to_numpy(float)
    if row.get("operator") == "narrow":
        values, better, words = np.abs(values), "lower", "近年差距扩大"
    else:
        better = catalog.indicator(row["indicator_id"]).better
        words = "近年数值上升" if better == "lower" else "近年数值下降"
    earlier = values[-4:-1]
    worse = len(earlier) and (values[-1] > earlier.min() if better == "lower" else values[-1] < earlier.max())
    moved = words if worse else "近年数值有起伏"
    return (f"{target_name(ctx, row['target_id'])}目前达到目标，但{moved}，按趋势到"
            f"{int(row['target_year'])}年可能回落到目标之外，需巩固" + _ending(ctx, row["indicator_id"]))


def attention(ctx: ReportContext, assessment: pd.DataFrame) -> str:
    """Return 重点关注 in prose: the targets in trouble grouped by cause, worst first, one sentence each."""
    rows = judged(assessment)
    blocks = []
    for code, heading in TROUBLE.items():
        picked = rows.loc[rows["status"] == code].to_dict("records")
        if not picked:
            continue
        lines = [f"**{heading}（{len(picked)}项）**", ""]
        lines += [f"- {trouble_sentence(ctx, row)}" for row in picked]
        blocks.append("\n".join(lines))
    slipping = rows.loc[rows["status"].isin(ATTAINED) & rows["warnings"].fillna("").str.contains("slipping")]
    if len(slipping):
        lines = [f"**已达标但有回落风险（{len(slipping)}项）**", ""]
        lines += [f"- {slipping_sentence(ctx, row)}" for row in slipping.to_dict("records")]
        blocks.append("\n".join(lines))
    if not blocks:
        return "本期没有未达标而需要重点关注的目标。"
    return "\n\n".join(blocks)


def _moves(ctx: ReportContext, rows: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Return the area's sentences of progress and of setback since the baseline (largest first)."""
    better = catalog.indicators()["better"]
    up, down = [], []
    for row in rows.to_dict("records"):
        if not row["indicator_id"] or row["operator"] == "narrow":
            continue
        f = facts(ctx, row["target_id"])
        change = f.since_base()
        unit = str(ctx.target(row["target_id"])["unit"] or "")
        if is_missing(change) or f.last_year == f.base_year or unit not in ("%", "‰", "1/10万", "岁", "年") \
                or _small(row):
            continue
        sign = {"higher": 1, "lower": -1}.get(better.get(row["indicator_id"], ""), 0)
        if not sign or change_text(change, unit) == "持平":
            continue
        name = target_name(ctx, row["target_id"])
        with precision(written_digits(row.get("target_value"))):
            text = (f"{name}由{f.base_year}年的{value_text(f.base, unit)}{'提高' if change > 0 else '下降'}到"
                    f"{f.last_year}年的{value_text(f.last, unit)}，{change_text(change, unit)}")
        (up if sign * change > 0 else down).append((abs(change), text))
    return [t for _, t in sorted(up, key=lambda x: -x[0])], [t for _, t in sorted(down, key=lambda x: -x[0])]


def area_text(ctx: ReportContext, assessment: pd.DataFrame, area: str) -> str:
    """Return an area's findings: its verdicts, what improved, what fell back, the latest year's change."""
    rows = judged(assessment)
    rows = rows.loc[(rows["area"] == area) & (rows["kind"] != "qualitative")]
    if rows.empty:
        return f"{AREAS[area]}领域没有量化目标，其定性目标见“定性目标”部分。"
    labels = _labels(assessment)
    counts = rows["status"].value_counts()
    parts = [f"{labels[c]}{int(counts[c])}项" for c in labels if counts.get(c, 0) and c != "qualitative"]
    text = f"本领域纳入评估的{len(rows)}项量化目标中，" + "，".join(parts) + "。"
    up, down = _moves(ctx, rows)
    if up:
        text += "主要进展：" + "；".join(up[:3]) + "。"
    if down:
        text += "与基期相比有所退步的有：" + "；".join(down[:3]) + "。"
    short = rows.loc[rows["status"].isin(list(TROUBLE))]
    if len(short):
        text += ("尚需努力的是" + "、".join(target_name(ctx, t) for t in short["target_id"].head(4))
                 + ("等" if len(short) > 4 else "") + "（见“重点关注”）。")
    return text


__all__ = [
    "GAP_WORDS",
    "TROUBLE",
    "Facts",
    "area_text",
    "attention",
    "carried_words",
    "chance",
    "facts",
    "level_reference",
    "overall",
    "period_change",
    "pooled",
    "pooled_words",
    "responsible",
    "shortfall_words",
    "since",
    "slipping_sentence",
    "target_name",
    "target_words",
    "trouble_sentence",
]
