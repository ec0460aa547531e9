"""The data-quality section of a report: which series a target uses, and which of them have gaps.

A series is *flagged* when it lacks a year between the plan's baseline year and the latest year
the region has reported, when a later file revised one of its values, when it has fewer than
:data:`FEW_YEARS` observations (too few to fit a trend), or when intake warned about a value it
still holds (a value or denominator outside what the region can have, a gap that disagrees with
its components, a jump: :data:`womenstats.intake.problems.VALUE_WARNINGS`). The report lists the
flagged series and sums up the rest in one sentence; the full table is :func:`data_quality_table`.
"""

from __future__ import annotations

import pandas as pd

from womenstats.intake.problems import VALUE_WARNINGS
from womenstats.report.county.context import ReportContext
from womenstats.report.county.tables import breakdown_text, years_as_int

#: A series with fewer observed years than this is flagged (the trend models need three).
FEW_YEARS = 3
#: Column names of :func:`data_quality_table` other than the missing years'.
COLUMNS = ("指标", "分组", "观测年数", "最早年份", "最新年份", "模拟数据", "修订次数", "校验警告")
#: How a warning about an accepted value is named in the table.
WARNING_WORDS = {"W_IMPLAUSIBLE_VALUE": "数值超出该地区可能的范围",
                 "W_IMPLAUSIBLE_DENOMINATOR": "分母超出该地区可能的范围",
                 "W_GAP_MISMATCH": "差距与分项不符", "W_JUMP": "异常跳动"}


def reported_until(ctx: ReportContext) -> int:
    """Return the latest year with any value for the plan's region (the report year if none)."""
    years = ctx.observations["year"]
    return int(years.max()) if len(years) else ctx.year


def data_quality_table(ctx: ReportContext) -> pd.DataFrame:
    """Return, per series a target uses: years observed, first and latest year, missing years, simulated.

    Missing years are the years from the plan's baseline year to the latest year the region has
    reported (:func:`reported_until`) with no value for the series; 修订次数 counts the values
    replaced by a later file (the store's revision history); 校验警告 lists the years whose stored
    value intake warned about when it was loaded (``Store.warnings``), with what was warned.

    Returns
    -------
    pandas.DataFrame
        Columns 指标, 分组, 观测年数, 最早年份, 最新年份, 缺失年份（first—last）, 模拟数据, 修订次数,
        校验警告; one row per series, in indicator order.
    """
    used = ctx.targets.loc[ctx.targets["indicator_id"] != "", ["indicator_id", "indicator", "sex",
                                                                 "residence", "age_group"]]
    used = used.drop_duplicates().sort_values(["indicator_id", "sex", "residence", "age_group"])
    revisions = ctx.store.revisions()
    region = str(ctx.plan.region_code)
    warned = ctx.store.warnings(VALUE_WARNINGS)
    warned = warned[warned["current"] & (warned["region_code"] == region)]
    span = range(ctx.plan.baseline_year, reported_until(ctx) + 1)
    rows = []
    for row in used.to_dict("records"):
        series = ctx.series(row["indicator_id"], row["sex"], row["residence"], row["age_group"])
        years = set(series["year"].astype(int))
        missing = [y for y in span if y not in years]
        n_rev = 0
        if len(revisions):
            n_rev = int(((revisions["region_code"] == region)
                         & (revisions["indicator_id"] == row["indicator_id"])
                         & (revisions["sex"] == row["sex"])
                         & (revisions["residence"] == row["residence"])
                         & (revisions["age_group"] == row["age_group"])).sum())
        rows.append([
            row["indicator"], breakdown_text(row["sex"], row["residence"], row["age_group"]), len(years),
            min(years) if years else None, max(years) if years else None,
            "、".join(str(y) for y in missing) if missing else "无",
            "是" if len(series) and series["simulated"].astype(bool).any() else "否", n_rev,
            _warned_text(warned, row),
        ])
    columns = [*COLUMNS[:5], missing_column(ctx), *COLUMNS[5:]]
    return years_as_int(pd.DataFrame(rows, columns=columns), "最早年份", "最新年份")


def _warned_text(warned: pd.DataFrame, row: dict) -> str:
    """Return ``2021年：分母超出该地区可能的范围`` for each warned year of a series, or ``无``."""
    mine = warned[(warned["indicator_id"] == row["indicator_id"]) & (warned["sex"] == row["sex"])
                  & (warned["residence"] == row["residence"]) & (warned["age_group"] == row["age_group"])]
    items = sorted({(int(w.year), WARNING_WORDS.get(w.code, w.code)) for w in mine.itertuples(index=False)})
    return "；".join(f"{year}年：{words}" for year, words in items) if items else "无"


def missing_column(ctx: ReportContext) -> str:
    """Return the name of the missing-years column, e.g. ``缺失年份（2020—2024）``."""
    return f"缺失年份（{ctx.plan.baseline_year}—{reported_until(ctx)}）"


def flagged(table: pd.DataFrame) -> pd.Series:
    """Return which rows of :func:`data_quality_table` have a gap, a revision or too few years."""
    missing = table[next(c for c in table.columns if c.startswith("缺失年份"))]
    return ((missing != "无") | (table["修订次数"] > 0) | (table["观测年数"] < FEW_YEARS)
            | (table["校验警告"] != "无"))


def data_quality(ctx: ReportContext) -> tuple[pd.DataFrame, str]:
    """Return the flagged series of :func:`data_quality_table` and a note that sums up the others.

    Returns
    -------
    (pandas.DataFrame, str)
        The flagged rows, and the note: how many series are complete and unrevised over the span,
        and how many of them are simulated.
    """
    table = data_quality_table(ctx)
    mask = flagged(table)
    rest = table.loc[~mask]
    span = f"{ctx.plan.baseline_year}—{reported_until(ctx)}"
    if rest.empty:
        note = f"全部 {len(table)} 个序列均有缺失年份、修订、校验警告或观测不足 {FEW_YEARS} 年，逐一列出。"
    elif not mask.any():
        note = f"全部 {len(table)} 个序列在 {span} 年逐年有数、未经修订、未有校验警告，没有需要列出的序列。"
    else:
        simulated = int((rest["模拟数据"] == "是").sum())
        note = (f"共 {len(table)} 个序列，上表列出 {int(mask.sum())} 个有缺失年份、修订、校验警告"
                f"或观测不足 {FEW_YEARS} 年的序列；其余 {len(rest)} 个序列"
                f"在 {span} 年逐年有数、未经修订、未有校验警告，不再列出"
                f"（其中模拟数据 {simulated} 个）。")
    return table.loc[mask].reset_index(drop=True), note


__all__ = ["FEW_YEARS", "data_quality", "data_quality_table", "flagged", "missing_column", "reported_until"]
