"""A city's counties side by side: every indicator they report, the city's figure, each county's rank.

The city report covers what its counties report, not only the targets of the governing plan: for
every indicator point the roll-up makes (:func:`womenstats.gender.rollup.rollup`), the city's value
and coverage and each county's value of the same year with its rank among the counties (by the
indicator's better direction; a neutral indicator is not ranked). The workbook holds the same in
long form with the exact interval of each county's counts.
"""

from __future__ import annotations

import math

import pandas as pd

from womenstats import catalog
from womenstats.catalog import AREAS, regions
from womenstats.gender.aggregate import aggregate
from womenstats.report.county.tables import point_name
from womenstats.report.region.context import RegionContext
from womenstats.report.wording import interval_text, number_text, signed_difference_text, value_text

#: Columns of :func:`county_values`.
VALUE_COLUMNS: tuple[str, ...] = (
    "area", "indicator_id", "sex", "residence", "age_group", "name", "unit", "region_code", "county", "year",
    "value", "lower", "upper", "rank", "of",
)


def county_values(ctx: RegionContext) -> pd.DataFrame:
    """Return every county's value of every rolled-up indicator point in the roll-up's year, ranked.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`VALUE_COLUMNS`, plus one row per point for the city itself
        (``region_code`` the city's, ``rank`` NA). ``rank`` is 1 for the best county (ties share
        the best rank); ``of`` the number of counties ranked. The interval is the exact interval of
        the county's counts (Wilson for a %, Garwood for a rate), NaN without counts.
    """
    year = ctx.data_year
    rolled = ctx.rollup()
    rolled = rolled.loc[rolled["value"].notna()]
    registry = catalog.indicators()
    obs = ctx.child_observations
    obs = obs.loc[(obs["year"] == year) & obs["value"].notna()]
    exact = aggregate(obs, {c: c for c in obs["region_code"].astype(str)}, partial=True) if len(obs) else obs
    if len(exact):
        exact = exact.set_index(["region_code", "indicator_id", "sex", "age_group", "residence"])
    out = []
    for point in rolled.to_dict("records"):
        key = (point["indicator_id"], point["sex"], point["age_group"], point["residence"])
        spec = registry.loc[point["indicator_id"]]
        name = point_name(point["indicator_id"], point["sex"], point["residence"], point["age_group"])
        base = {"area": spec["area"], "indicator_id": key[0], "sex": key[1], "residence": key[3],
                "age_group": key[2], "name": name, "unit": spec["unit"], "year": year}
        city_unit = "%" if spec["aggregation"] == "share_meeting" else spec["unit"]  # share of counties
        out.append({**base, "unit": city_unit, "region_code": str(ctx.region_code), "county": ctx.name,
                    "value": point["value"], "lower": point["lower"], "upper": point["upper"], "rank": pd.NA,
                    "of": pd.NA})
        here = obs.loc[(obs["indicator_id"] == key[0]) & (obs["sex"] == key[1]) & (obs["age_group"] == key[2])
                       & (obs["residence"] == key[3])]
        values = here.set_index(here["region_code"].astype(str))["value"].astype(float)
        ranks = _ranks(values, spec["better"])
        for code in ctx.children:
            counted = code in values.index and (code, *key) in exact.index and not math.isnan(
                float(here.set_index(here["region_code"].astype(str)).loc[code, "numerator"] or math.nan))
            row = exact.loc[(code, *key)] if counted else None
            out.append({**base, "region_code": code, "county": regions.name(code),
                        "value": values.get(code, math.nan),
                        "lower": math.nan if row is None else row["lower"],
                        "upper": math.nan if row is None else row["upper"],
                        "rank": ranks.get(code, pd.NA), "of": len(ranks) if len(ranks) else pd.NA})
    frame = pd.DataFrame(out, columns=list(VALUE_COLUMNS))
    order = {a: i for i, a in enumerate(AREAS)}
    frame["_area"] = frame["area"].map(order)
    frame = frame.sort_values(["_area", "indicator_id", "sex", "residence", "age_group"], kind="stable")
    return frame.drop(columns="_area").reset_index(drop=True)


def _ranks(values: pd.Series, better: str) -> dict[str, int]:
    """Rank counties best first (ties share the best rank); none for a neutral indicator."""
    if better not in ("higher", "lower") or values.empty:
        return {}
    ranks = values.rank(method="min", ascending=better == "lower").astype(int)
    return dict(ranks.items())


def comparison_table(values: pd.DataFrame, area: str, ctx: RegionContext) -> pd.DataFrame:
    """Return one area's county × indicator table: the city's value and coverage, each county's (rank)."""
    rows = values.loc[values["area"] == area]
    if rows.empty:
        return pd.DataFrame(columns=["指标", "单位"])
    counties = [regions.name(c) for c in ctx.children]
    coverage = ctx.rollup().set_index(["indicator_id", "sex", "residence", "age_group"])["coverage"]
    table = []
    for key, group in rows.groupby(["indicator_id", "sex", "residence", "age_group"], sort=False):
        by = group.set_index("county")
        city = by.loc[ctx.name]
        unit = catalog.indicator(key[0]).unit
        cover = coverage.get(key, math.nan)
        # a head count per county rolls up to the share of counties that have one, said so
        same = city["unit"] == unit
        shown = number_text(city["value"], unit) if same else f"达标县占{number_text(city['value'], '%')}%"
        line = [city["name"], unit or "—", shown, "—" if pd.isna(cover) else f"{100 * float(cover):.0f}%"]
        for county in counties:
            value = by.loc[county, "value"] if county in by.index else math.nan
            rank = by.loc[county, "rank"] if county in by.index else pd.NA
            text = "未报" if pd.isna(value) else number_text(value, unit)
            line.append(text if pd.isna(rank) else f"{text}（{int(rank)}）")
        table.append(line)
    return pd.DataFrame(table, columns=["指标", "单位", ctx.name, "覆盖率", *counties])


def comparison_data(values: pd.DataFrame) -> pd.DataFrame:
    """Return the workbook form of the comparison: one row per region and indicator point, as numbers."""
    return pd.DataFrame({
        "领域": values["area"].map(AREAS), "指标": values["name"], "单位": values["unit"],
        "地区": values["county"], "地区代码": values["region_code"], "年份": values["year"],
        "数值": values["value"], "95%下限": values["lower"], "95%上限": values["upper"],
        "排名": pd.array(values["rank"], dtype="Int64"),
        "参与排名的地区数": pd.array(values["of"], dtype="Int64"),
        "指标代码": values["indicator_id"],
    })


def comparison_text(values: pd.DataFrame, area: str, ctx: RegionContext) -> str:
    """Return one area's comparison in words: how many indicators, which county leads and trails most."""
    rows = values.loc[(values["area"] == area) & (values["region_code"] != str(ctx.region_code))]
    if rows.empty:
        return f"各县（市、区）没有报送{AREAS[area]}领域的指标。"
    points = rows.groupby(["indicator_id", "sex", "residence", "age_group"], sort=False).ngroups
    ranked = rows.dropna(subset=["rank"])
    text = f"各县（市、区）报送了本领域{points}项指标（括号内为各地在可排名指标上的名次，1为最好）。"
    if len(ranked):
        first = ranked.loc[ranked["rank"] == 1, "county"].value_counts()
        last = ranked.loc[ranked["rank"] == ranked["of"], "county"].value_counts()
        if len(first):
            text += f"居首次数最多的是{first.index[0]}（{int(first.iloc[0])}项）"
        if len(last):
            text += f"，排在末位次数最多的是{last.index[0]}（{int(last.iloc[0])}项）"
        text += "。"
    late = rows.loc[rows["value"].isna(), "county"].unique()
    if len(late):
        text += f"{'、'.join(late)}本年部分指标未报送，表中记为“未报”。"
    return text


def county_gaps(ctx: RegionContext) -> pd.DataFrame:
    """Return the female–male gaps of the city (rolled up) and of each county, in the roll-up's year.

    :func:`womenstats.gender.group_gaps` on the city's and the counties' observations, with the
    exact interval of each difference where counts are stored.
    """
    from womenstats.gender import group_gaps

    obs = pd.concat([ctx.observations, ctx.child_observations], ignore_index=True)
    gaps = group_gaps(obs, by="sex", baseline_year=ctx.plan.baseline_year, year=ctx.data_year)
    gaps = gaps.loc[gaps["year"] == ctx.data_year]
    order = [str(ctx.region_code), *ctx.children]
    gaps = gaps.assign(_order=gaps["region_code"].map({c: i for i, c in enumerate(order)}))
    return gaps.sort_values(["indicator_id", "age_group", "breakdown", "_order"], kind="stable").drop(
        columns="_order").reset_index(drop=True)


def county_gap_table(gaps: pd.DataFrame) -> pd.DataFrame:
    """Return the displayed table of :func:`county_gaps`: indicator, region, women, men, gap, interval."""
    rows = []
    for row in gaps.to_dict("records"):
        unit = row["unit"]
        rows.append([point_name(row["indicator_id"], "total", row["breakdown"], row["age_group"]),
                     regions.name(row["region_code"]), value_text(row["value_first"], unit),
                     value_text(row["value_second"], unit), signed_difference_text(row["difference"], unit),
                     interval_text(row["lower"], row["upper"], unit)])
    return pd.DataFrame(rows, columns=["指标", "地区", "女性", "男性", "差距（女−男）", "95%区间"])


def county_gap_data(gaps: pd.DataFrame) -> pd.DataFrame:
    """Return the workbook form of :func:`county_gap_table`: numbers, the interval as two columns."""
    if gaps.empty:
        return pd.DataFrame(columns=["指标", "地区", "单位"])
    return pd.DataFrame({
        "指标": [point_name(i, "total", b, a) for i, b, a in zip(gaps["indicator_id"], gaps["breakdown"],
                                                                 gaps["age_group"], strict=True)],
        "地区": gaps["region_code"].map(regions.name), "地区代码": gaps["region_code"], "单位": gaps["unit"],
        "年份": gaps["year"].astype(int), "女性": gaps["value_first"], "男性": gaps["value_second"],
        "差距（女−男）": gaps["difference"], "差距95%下限": gaps["lower"], "差距95%上限": gaps["upper"],
        "区间方法": gaps["method"], "指标代码": gaps["indicator_id"],
    })


def county_gap_text(ctx: RegionContext, gaps: pd.DataFrame) -> str:
    """Return the gender comparison across counties in words: the city's gap, the counties' range."""
    if gaps.empty:
        return "各县（市、区）没有同时报送女性和男性数值的指标，无法作分性别比较。"
    from womenstats.report.county.gender_section import gap_sentence
    from womenstats.report.wording import difference_text

    lines = [f"共有{gaps['indicator_id'].nunique()}项指标报送了女性和男性数值。", ""]
    for _, rows in gaps.groupby(["indicator_id", "age_group", "breakdown"], sort=False):
        city = rows.loc[rows["region_code"] == str(ctx.region_code)]
        counties = rows.loc[rows["region_code"] != str(ctx.region_code)]
        first = rows.iloc[0]
        name = point_name(first["indicator_id"], "total", first["breakdown"], first["age_group"])
        text = gap_sentence(f"全市{name}", city.iloc[0].to_dict()) if len(city) else f"{name}："
        if len(counties) > 1:
            unit = counties["unit"].iloc[0]
            widest = counties.loc[counties["difference"].abs().idxmax()]
            text = text.rstrip("。") + (f"；各县（市、区）中差距最大的是{regions.name(widest['region_code'])}"
                                       f"（{difference_text(widest['difference'], unit)}）。")
        lines.append(f"- {text}")
    return "\n".join(lines)


__all__ = ["VALUE_COLUMNS", "comparison_data", "comparison_table", "comparison_text", "county_gap_data",
           "county_gap_table",
           "county_gap_text", "county_gaps", "county_values"]
