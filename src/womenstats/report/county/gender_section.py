"""The gender analysis of a report (分性别分析): indicators reported for women and men, or urban and rural.

For each such indicator: both values in the latest year, the gap (女−男 or 城−乡) in 个百分点 (or the
indicator's unit) with its exact interval where the counts are stored, the ratio, the change of the
gap since the baseline and a sentence on whether it narrows (:func:`womenstats.gender.group_gaps`),
and a figure of the gaps by area. The same functions serve the city report, across its counties.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from womenstats import catalog
from womenstats.catalog import AREAS
from womenstats.gender import group_gaps
from womenstats.gender.compare import GROUPS
from womenstats.gender.gaps import TRENDS
from womenstats.report.county.tables import point_name
from womenstats.report.wording import (
    GROUP_WORDS,
    difference_text,
    interval_text,
    signed_difference_text,
    value_text,
)
from womenstats.report.write.style import report_chart
from womenstats.trend.plot import INK

#: Comparisons shown, in order, with the words of their columns.
COMPARISONS: dict[str, str] = {"sex": "女−男", "residence": "城−乡"}


def group_words(by: str) -> tuple[str, str]:
    """Return the two groups a comparison ``by`` sets side by side, in words: (女性, 男性) or (城镇, 农村)."""
    first, second = GROUPS[by]
    return GROUP_WORDS[first], GROUP_WORDS[second]


def turned(row: dict) -> tuple[str, str] | None:
    """Return the groups ahead in the base year and now when a gap changed sides, else None.

    ``row`` is a row of :func:`womenstats.gender.group_gaps`: ``男性`` ahead by 1.5 points in
    2020 and ``女性`` by 2.5 in 2024 is (男性, 女性), not a gap that widened by 1.0.
    """
    if not row.get("trend"):
        return None
    groups = group_words(row["by"])
    unit = str(row["unit"] or "")
    sides = _side(row["base_difference"], groups, unit), _side(row["difference"], groups, unit)
    return sides if all(sides) and sides[0] != sides[1] else None


def _side(difference, groups: tuple[str, str], unit: str) -> str:
    """Return the group a difference ``first − second`` puts ahead (empty when it prints as zero)."""
    if pd.isna(difference) or difference_text(difference, unit) == difference_text(0.0, unit):
        return ""
    return groups[0] if difference > 0 else groups[1]


def gap_sentence(name: str, row: dict) -> str:
    """Return one indicator's gap between women and men (or urban and rural) in a sentence.

    ``row`` is a row of :func:`womenstats.gender.group_gaps`. Whether the gap is beyond chance is
    said of its level (its interval excludes 0) and of its change since the base year
    (:func:`womenstats.gender.gaps.change_significant`), where the counts give intervals.
    """
    unit = str(row["unit"] or "")
    groups = group_words(row["by"])
    text = (f"{name}{int(row['year'])}年{groups[0]}为{value_text(row['value_first'], unit)}，"
            f"{groups[1]}为{value_text(row['value_second'], unit)}")
    if not _side(row["difference"], groups, unit):
        text += "，基本持平"
    else:
        text += f"，{_side(row['difference'], groups, unit)}高{difference_text(row['difference'], unit)}"
        if not pd.isna(row["lower"]):
            text += "（差异在统计上显著）" if row["significant"] is True else "（差异在统计上不显著）"
    turn = turned(row)
    if turn:  # the other group is ahead now: the change of the size alone would mislead
        text += f"，{int(row['base_year'])}年为{turn[0]}高{difference_text(row['base_difference'], unit)}"
    elif row["trend"]:
        words = {"narrowed": "缩小", "widened": "扩大"}
        if row["trend"] in words:
            text += (f"，差距比{int(row['base_year'])}年{words[row['trend']]}"
                     f"{difference_text(row['change'], unit)}")
            if row.get("change_significant") is False:  # Altman–Bland: within chance
                text += "（变化在统计上不显著）"
        else:
            text += f"，差距与{int(row['base_year'])}年基本相同"
    return text + "。"


def gaps(obs: pd.DataFrame, *, baseline_year: int, year: int) -> pd.DataFrame:
    """Return the female–male and urban–rural gaps of every indicator (both comparisons), by area.

    Gap indicators themselves (男女收入差距) are left out: they are judged as targets.
    """
    frames = [group_gaps(obs, by=by, baseline_year=baseline_year, year=year) for by in COMPARISONS]
    found = [f for f in frames if len(f)]
    out = pd.concat(found, ignore_index=True) if found else frames[0]
    if out.empty:
        return out.assign(area=pd.Series(dtype=str), name=pd.Series(dtype=str))
    registry = catalog.indicators()
    out = out.loc[registry.loc[out["indicator_id"], "aggregation"].to_numpy() != "derived"].copy()
    out["area"] = registry.loc[out["indicator_id"], "area"].to_numpy()
    out["name"] = [_name(r) for r in out.to_dict("records")]
    order = {a: i for i, a in enumerate(AREAS)}
    out["_order"] = out["area"].map(order)
    out = out.sort_values(["_order", "by", "indicator_id"], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)


def _name(row: dict) -> str:
    """Name a compared pair by what the comparison holds fixed: ``孕产妇死亡率`` (women only, no 女)."""
    other = str(row["breakdown"])
    if row["by"] == "sex":
        return point_name(row["indicator_id"], "total", other, row["age_group"])
    return point_name(row["indicator_id"], other, "all", row["age_group"])


def _trend(row: dict) -> str:
    """Return the change of a gap since the base year: ``缩小0.4个百分点``, with （不显著） within chance."""
    if not row["trend"]:
        return "—"
    turn = turned(row)
    if turn:
        return f"由{turn[0]}高转为{turn[1]}高"
    if row["trend"] == "unchanged":
        return TRENDS["unchanged"]
    text = TRENDS[row["trend"]] + difference_text(row["change"], row["unit"])
    return text + "（不显著）" if row.get("change_significant") is False else text


def gender_table(table: pd.DataFrame) -> pd.DataFrame:
    """Return the displayed gender table from :func:`gaps`.

    Columns: 领域, 指标, 比较, 年份, 前者 (女性/城镇), 后者 (男性/农村), 差距, 95%区间, 比值, 差距变化.
    """
    rows = []
    for row in table.to_dict("records"):
        first, second = group_words(row["by"])
        unit = row["unit"]
        rows.append([AREAS[row["area"]], row["name"], COMPARISONS[row["by"]], int(row["year"]),
                     f"{first} {value_text(row['value_first'], unit)}",
                     f"{second} {value_text(row['value_second'], unit)}",
                     signed_difference_text(row["difference"], unit),
                     interval_text(row["lower"], row["upper"], unit),
                     "—" if math.isnan(row["ratio"]) else f"{row['ratio']:.2f}", _trend(row)])
    columns = ["领域", "指标", "比较", "年份", "前者", "后者", "差距", "95%区间", "比值", "比基期差距变化"]
    return pd.DataFrame(rows, columns=columns)


def gender_data(table: pd.DataFrame) -> pd.DataFrame:
    """Return the workbook form of :func:`gender_table`: numbers, the interval as two columns, the unit."""
    if table.empty:
        return pd.DataFrame(columns=["领域", "指标", "比较", "单位"])
    return pd.DataFrame({
        "领域": table["area"].map(AREAS), "指标": table["name"], "比较": table["by"].map(COMPARISONS),
        "单位": table["unit"], "年份": table["year"].astype(int),
        "前者数值": table["value_first"], "后者数值": table["value_second"], "差距": table["difference"],
        "差距95%下限": table["lower"], "差距95%上限": table["upper"], "比值": table["ratio"],
        "比值95%下限": table["ratio_lower"], "比值95%上限": table["ratio_upper"],
        "基期年份": pd.array(table["base_year"], dtype="Int64"), "基期差距": table["base_difference"],
        "差距大小变化": table["change"], "区间方法": table["method"], "指标代码": table["indicator_id"],
    })


def gender_text(table: pd.DataFrame, *, region: str = "") -> str:
    """Return the gender analysis in prose: how many gaps, which narrowed or widened, each in a sentence."""
    if table.empty:
        return (f"{region}目前没有同时报送女性和男性（或城镇和农村）数值的指标，无法作分性别比较。"
                "请相关单位按报送表报送分性别数据。")
    sex = table.loc[table["by"] == "sex"]
    counts = table["trend"].value_counts()
    text = (f"共有{len(sex)}项指标报送了女性和男性数值"
            + (f"、{len(table) - len(sex)}项报送了城镇和农村数值" if len(sex) < len(table) else "")
            + "。")
    moved = [(TRENDS[t], int(counts[t])) for t in ("narrowed", "widened", "unchanged") if counts.get(t, 0)]
    if moved:
        text += "与基期相比，差距" + "、".join(f"{w}的{n}项" for w, n in moved) + "。"
    lines = [text, ""]
    lines += [f"- {gap_sentence(row['name'], row)}" for row in table.to_dict("records")]
    return "\n".join(lines)


@report_chart
def gap_chart(table: pd.DataFrame) -> Figure | None:
    """Draw the gaps of the percentage indicators by area: one point a gap with its 95% interval.

    Gaps in other units (years, minutes) are in the table only: they share no axis with 个百分点;
    None when there is no percentage gap.

    Parameters
    ----------
    table : pandas.DataFrame
        The gaps (:func:`gaps`).
    """
    rows = table.loc[table["unit"] == "%"]
    if rows.empty:
        return None
    labels = [f"{r['name']}（{COMPARISONS[r['by']]}）" for r in rows.to_dict("records")]
    fig = Figure(figsize=(7.5, 0.9 + 0.32 * len(rows)))
    ax = fig.subplots()
    y = np.arange(len(rows))[::-1]
    diff = rows["difference"].to_numpy(float)
    low, high = rows["lower"].to_numpy(float), rows["upper"].to_numpy(float)
    has = ~np.isnan(low) & ~np.isnan(high)
    ax.errorbar(diff[has], y[has], xerr=[diff[has] - low[has], high[has] - diff[has]], fmt="none",
                ecolor="#777777", elinewidth=1.0, capsize=2, label="95% 置信区间")
    ax.plot(diff, y, "o", color=INK, markersize=5, label="差距")
    ax.axvline(0, color="#b2182b", linewidth=1.0, linestyle="--")
    ax.set_yticks(y, labels, fontsize=8)
    ax.set_xlabel("差距（个百分点；女−男，城−乡）")
    ax.set_title("各领域的性别与城乡差距", fontsize=11, loc="left")
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(axis="y", visible=False)
    fig.subplots_adjust(left=0.42, right=0.98, top=1 - 0.45 / fig.get_figheight(),
                        bottom=0.55 / fig.get_figheight())
    return fig


__all__ = [
    "COMPARISONS",
    "gap_chart",
    "gap_sentence",
    "gaps",
    "gender_data",
    "gender_table",
    "gender_text",
    "group_words",
    "turned",
]
