"""The tables of a parent region's report (a city's, a province's), from its :class:`RegionContext`.

The roll-up of every target with its coverage, the league table of the children with exact
intervals, the heat-map matrix, the shortfall split among the children, the children whose own
plan asks less, and the returns missing. Values come from :mod:`womenstats.assess.region` and
:mod:`womenstats.gender.rollup`; nothing here computes a statistic of its own.
"""

from __future__ import annotations

import pandas as pd

from womenstats import catalog
from womenstats.assess.region import lower_bars, missing_returns, reporting_members, shortfall
from womenstats.assess.small_numbers import MIN_EVENTS, POOL_YEARS
from womenstats.catalog import regions
from womenstats.catalog.structure import enumerated
from womenstats.gender.aggregate import aggregate
from womenstats.report.county.tables import _round, judged, point_name, shown_value, target_text
from womenstats.report.region.context import RegionContext
from womenstats.report.wording import interval_text

#: What the data-gap table asks for an indicator that cannot be rolled up from the children.
NOT_ADDITIVE_GAP = "各地数值不能相加或平均汇总，请由本级直接测算并报送（如人口普查、生命表）"


def _rated(ctx: RegionContext) -> pd.DataFrame:
    """Return the parent's judged targets that have an indicator (not qualitative), in catalog order."""
    assessed = judged(ctx.assessment())
    return assessed.loc[(assessed["kind"] != "qualitative") & (assessed["indicator_id"] != "")]


def _name(target: pd.Series) -> str:
    return point_name(target["indicator_id"], target["sex"], target["residence"], target["age_group"])


def _target_cells(row: dict, target: pd.Series) -> list[str]:
    """Return a table's first cells for a target: its indicator (breakdown) and the target in words."""
    return [
        _name(target),
        target_text(row["operator"], row["target_value"], target["unit"]),
    ]


def _point(frame: pd.DataFrame, target: pd.Series) -> pd.DataFrame:
    keys = ("indicator_id", "sex", "residence", "age_group")
    mask = pd.Series(True, index=frame.index)
    for key in keys:
        mask &= frame[key] == target[key]
    return frame.loc[mask]


#: What a roll-up rule is called in the tables.
RULE_WORDS: dict[str, str] = {
    "sum_counts": "合计分子分母", "sum": "加总", "share_meeting": "达标下级占比", "none": "不可汇总",
}


def rollup_frame(ctx: RegionContext) -> pd.DataFrame:
    """Return the roll-up of every judged target in the latest data year, with its coverage, as numbers.

    One row per judged target: ``target_id, name, goal, unit, value, lower, upper, n_reporting,
    n_children, coverage`` (percent of the parent's denominator the reporting children hold; for
    counts and head counts the share of children), ``own_value, difference`` (roll-up minus the
    region's own figure) and ``rule`` (:data:`RULE_WORDS`). A target no child reported has NaN
    figures and ``n_reporting`` 0. :func:`rollup_table` shows it, :func:`rollup_data` is the workbook's.
    """
    rolled = ctx.rollup()
    members = len(reporting_members(str(ctx.region_code)))
    rows = []
    for row in _rated(ctx).to_dict("records"):
        target = ctx.target(row["target_id"])
        rule = catalog.indicators().loc[target["indicator_id"], "aggregation"]
        hit = _point(rolled, target)
        rec = {"target_id": row["target_id"], "indicator_id": target["indicator_id"], "name": _name(target),
               "goal": target_text(row["operator"], row["target_value"], target["unit"]),
               "unit": target["unit"], "rule": RULE_WORDS.get(rule, rule), "n_reporting": 0,
               "n_children": members}
        if not hit.empty:
            first = hit.iloc[0]
            rec.update({key: first[key] for key in ("value", "lower", "upper", "own_value", "difference")})
            rec["coverage"] = 100 * float(first["coverage"]) if pd.notna(first["coverage"]) else None
            rec["n_reporting"], rec["n_children"] = int(first["n_reporting"]), int(first["n_children"])
        rows.append(rec)
    columns = ["target_id", "indicator_id", "name", "goal", "unit", "value", "lower", "upper", "n_reporting",
               "n_children", "coverage", "own_value", "difference", "rule"]
    return pd.DataFrame(rows, columns=columns)


def _shown(row) -> str:
    """Return a league row's value in words (a gap by who is ahead: ``城镇高25.8/10万``)."""
    return shown_value(row["value"], row["unit"], row["indicator_id"])


def _intervals(frame: pd.DataFrame) -> list[str]:
    """Return each row's 95% interval in words at its unit's precision (``81.9～82.6``)."""
    bounds = zip(frame["lower"], frame["upper"], frame["unit"], strict=True)
    return [interval_text(low, high, unit) for low, high, unit in bounds]


def rollup_table(rolled: pd.DataFrame, year: int) -> pd.DataFrame:
    """Return the displayed roll-up of :func:`rollup_frame` for data year ``year``.

    Columns: 指标, 目标, 汇总值, 95%区间, 报送县级单位 (k/n), 覆盖率（%）, 本级自报值, 差异, 汇总方式.
    """
    return pd.DataFrame({
        "指标": rolled["name"], "目标": rolled["goal"],
        f"汇总值（{year}年）": rolled["value"].map(_round),
        "95%区间": _intervals(rolled),
        "报送县级单位": [f"{k}/{n}" for k, n in zip(rolled["n_reporting"], rolled["n_children"],
                                                    strict=True)],
        "覆盖率（%）": rolled["coverage"].map(lambda v: None if pd.isna(v) else round(float(v), 1)),
        "本级自报值": rolled["own_value"].map(_round), "差异": rolled["difference"].map(_round),
        "汇总方式": rolled["rule"],
    })


def rollup_data(rolled: pd.DataFrame, year: int) -> pd.DataFrame:
    """Return the workbook form of :func:`rollup_frame`: numbers, the unit, the interval as two columns."""
    return pd.DataFrame({
        "指标": rolled["name"], "目标": rolled["goal"], "单位": rolled["unit"], "年份": year,
        "汇总值": rolled["value"], "95%下限": rolled["lower"], "95%上限": rolled["upper"],
        "报送县级单位数": rolled["n_reporting"], "县级单位数": rolled["n_children"],
        "覆盖率（%）": rolled["coverage"], "本级自报值": rolled["own_value"], "差异": rolled["difference"],
        "汇总方式": rolled["rule"], "指标代码": rolled["indicator_id"], "目标编号": rolled["target_id"],
    })


def _child_points(ctx: RegionContext, target: pd.Series) -> tuple[pd.DataFrame, str]:
    """Each child's value of a target's series in the roll-up's year, on the measure the status uses.

    Every child is compared in one year (:attr:`RegionContext.data_year`). When the rate is built
    from small counts in any child (fewer than :data:`~womenstats.assess.small_numbers.MIN_EVENTS`
    events in that year; never a share of a body counted in full,
    :func:`womenstats.catalog.enumerated`), every child is compared on its rate pooled over the last
    :data:`~womenstats.assess.small_numbers.POOL_YEARS` years (``per · Σ events / Σ exposure``), the
    value its status is judged on, with the exact interval of the pooled counts; otherwise on that
    year's value with the exact interval of its counts.

    Returns
    -------
    (pandas.DataFrame, str)
        Rows ``region_code, year, value, lower, upper`` for the children with a value that year,
        and the measure in words (``2024年`` or ``2022—2024年合计``).
    """
    year = ctx.data_year
    rows = _point(ctx.child_observations, target)
    rows = rows.loc[rows["value"].notna() & (rows["year"] <= year) & (rows["year"] > year - POOL_YEARS)]
    rows = rows.assign(region_code=rows["region_code"].astype(str))
    per = catalog.indicators().loc[target["indicator_id"], "per"]
    current = rows.loc[rows["year"] == year]
    counted = current["numerator"].notna() & current["denominator"].notna()
    pooled = (not pd.isna(per) and not enumerated(target["indicator_id"])
              and bool((counted & current["numerator"].lt(MIN_EVENTS)).any()))
    measure = f"{year}年"
    if pooled:
        rows = rows.loc[rows["region_code"].isin(set(current["region_code"]))]
        rows = rows.dropna(subset=["numerator", "denominator"])
        sums = rows.groupby("region_code")[["numerator", "denominator"]].sum()
        rows = (rows.sort_values("year", kind="stable").drop_duplicates("region_code", keep="last")
                .set_index("region_code").drop(columns=["numerator", "denominator"]).join(sums).reset_index())
        measure = f"{year - POOL_YEARS + 1}—{year}年合计"
    else:
        rows = current
    if rows.empty:
        return rows.assign(lower=[], upper=[]), measure
    exact = aggregate(rows.assign(year=year), {c: c for c in rows["region_code"]}, partial=True)
    exact = exact.set_index("region_code")
    has_counts = rows.groupby("region_code")["numerator"].apply(lambda v: v.notna().all())
    out = pd.DataFrame({"region_code": exact.index, "year": year})
    out["value"] = exact["value"].to_numpy() if pooled else current.set_index("region_code")["value"].reindex(
        exact.index).to_numpy()
    out["lower"] = exact["lower"].where(has_counts.reindex(exact.index, fill_value=False)).to_numpy()
    out["upper"] = exact["upper"].where(has_counts.reindex(exact.index, fill_value=False)).to_numpy()
    return out, measure


def rank_children(values: pd.Series, better: str, operator: str) -> pd.Series:
    """Rank children's values best first (1 = best); equal values share the best of their ranks.

    A target to narrow a gap (``narrow``) ranks the gap's size, ``|value|``, smallest first, as its
    assessment does (:func:`womenstats.assess.series.gap_series`); any other follows the
    indicator's better direction (``lower`` or ``higher``). Ties get the same rank and the next
    rank skips (1, 1, 3): seven counties with no maternal death share first place.

    Parameters
    ----------
    values : pandas.Series
        Each child's value (no missing values), indexed by region code.
    better : str
        ``lower`` or ``higher``.
    operator : str
        The target's operator.

    Returns
    -------
    pandas.Series
        Integer ranks, indexed like ``values``, sorted best first (ties in the order given).
    """
    key = values.abs() if operator == "narrow" else values
    ascending = operator == "narrow" or better == "lower"
    ranks = key.rank(method="min", ascending=ascending).astype(int)
    return ranks.sort_values(kind="stable")


def league_frame(ctx: RegionContext) -> pd.DataFrame:
    """Return the league table as numbers: for every judged target, the children ranked best first.

    Each child is ranked on the measure its status is judged on (:func:`_child_points`: the
    roll-up's year, or the last three years pooled for a rate from small counts) with the exact 95%
    interval of its counts, beside its status against the same target (:func:`assess_region`).
    Ranking is :func:`rank_children` (a gap by its size; ties share a rank); a child without a value
    in that year comes last, unranked, its measure saying so.

    Returns
    -------
    pandas.DataFrame
        ``target_id, indicator_id, name, unit, rank, region_code, region, measure, value, lower,
        upper, status``; :func:`league_table` shows it, :func:`league_data` is the workbook's.
    """
    rows = []
    for row in _rated(ctx).to_dict("records"):
        target = ctx.target(row["target_id"])
        better = catalog.indicator(target["indicator_id"]).better
        points, measure = _child_points(ctx, target)
        points = points.set_index("region_code")
        ranks = rank_children(points["value"], better, row["operator"])
        ranked = list(ranks.index) + [c for c in ctx.children if c not in ranks.index]
        for code in ranked:
            status = ctx.children[code].set_index("target_id").loc[row["target_id"], "status_label"]
            rec = {"target_id": row["target_id"], "indicator_id": target["indicator_id"],
                   "name": _name(target), "unit": target["unit"], "region_code": code,
                   "region": regions.name(code), "status": status, "rank": None,
                   "measure": f"{ctx.data_year}年未报送"}
            if code in points.index:
                hit = points.loc[code]
                rec.update(rank=int(ranks[code]), measure=measure, value=hit["value"], lower=hit["lower"],
                           upper=hit["upper"])
            rows.append(rec)
    columns = ["target_id", "indicator_id", "name", "unit", "rank", "region_code", "region", "measure",
               "value", "lower", "upper", "status"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["rank"] = frame["rank"].astype("Int64")
    return frame


def league_table(league: pd.DataFrame) -> pd.DataFrame:
    """Return the displayed league table of :func:`league_frame`.

    Columns: 指标, 排名, 下级地区, 口径, 数值, 95%区间, 状态.
    """
    return pd.DataFrame({
        "指标": league["name"], "排名": league["rank"], "下级地区": league["region"],
        "口径": league["measure"],
        "数值": [_shown(row) for row in league.to_dict("records")],
        "95%区间": _intervals(league),
        "状态": league["status"],
    })


def league_data(league: pd.DataFrame) -> pd.DataFrame:
    """Return the workbook form of :func:`league_frame`: numbers, the unit, the interval as two columns."""
    return pd.DataFrame({
        "指标": league["name"], "单位": league["unit"], "排名": league["rank"], "下级地区": league["region"],
        "地区代码": league["region_code"], "口径": league["measure"], "数值": league["value"],
        "95%下限": league["lower"], "95%上限": league["upper"], "状态": league["status"],
        "指标代码": league["indicator_id"], "目标编号": league["target_id"],
    })


def status_columns(ctx: RegionContext, width: int = 6) -> list[str]:
    """Return the heat map's column labels: each judged target's indicator, wrapped, never cut."""
    from womenstats.report.county.findings import target_name

    labels = []
    for target_id in _rated(ctx)["target_id"]:
        name = target_name(ctx, target_id)
        labels.append("\n".join(name[i:i + width] for i in range(0, len(name), width)))
    return labels


def data_gaps_table(ctx: RegionContext, verdicts: pd.DataFrame) -> pd.DataFrame:
    """Return the county data-gaps table, saying which gaps the roll-up cannot fill.

    See :func:`womenstats.report.county.summary.data_gaps_table`. An indicator that cannot be summed
    (an average such as life expectancy, registry rule ``none``) has no rolled-up series however
    many children report it: the parent's own figure must be measured and reported at its level,
    and the table says so instead of asking for years.
    """
    from womenstats.report.county.summary import GAP_COLUMNS, owed

    rows = []
    for row in owed(ctx, verdicts):
        text = row["owed"]
        if row["indicator_id"] and catalog.indicators().loc[row["indicator_id"], "aggregation"] == "none":
            text = NOT_ADDITIVE_GAP
        rows.append([row["unit"], row["name"], text])
    table = pd.DataFrame(rows, columns=GAP_COLUMNS)
    return table.sort_values("报送单位", kind="stable").reset_index(drop=True)


def status_matrix(ctx: RegionContext) -> pd.DataFrame:
    """Return children × judged targets: each child's status code against each target (for the heat map)."""
    ids = list(_rated(ctx)["target_id"])
    data = {code: frame.set_index("target_id").loc[ids, "status"] for code, frame in ctx.children.items()}
    matrix = pd.DataFrame(data).T
    matrix.index = [regions.name(c) for c in matrix.index]
    return matrix


def shortfall_table(ctx: RegionContext) -> pd.DataFrame:
    """Return the children that pull the total below each missed rate target, and by how much.

    For every judged ``>=``/``<=`` rate target whose roll-up misses it in the latest data year,
    the children with a positive contribution (:func:`womenstats.assess.region.shortfall`): their
    value, their share of the summed denominator, their contribution in the indicator's unit and
    as a share of the gap.
    """
    rows = []
    for row in _rated(ctx).to_dict("records"):
        target = ctx.target(row["target_id"])
        split = shortfall(ctx.child_observations, target, str(ctx.region_code), ctx.data_year)
        split = split.loc[split["contribution"] > 0]
        if split.empty or split["share_of_gap"].isna().all():
            continue
        for part in split.itertuples(index=False):
            rows.append(
                [
                    *_target_cells(row, target),
                    regions.name(part.region_code),
                    _round(part.value),
                    round(100 * part.weight, 1),
                    _round(part.contribution),
                    round(100 * part.share_of_gap, 1),
                ]
            )
    return pd.DataFrame(
        rows,
        columns=[
            "指标",
            "目标",
            "下级地区",
            "数值",
            "分母占比（%）",
            "对差距的贡献",
            "占差距（%）",
        ],
    )


def lower_bar_table(ctx: RegionContext) -> pd.DataFrame:
    """Return the children whose own plan sets a lower bar than the parent's target (same year)."""
    found = lower_bars(str(ctx.region_code), ctx.plan.id)
    rows = []
    for row in found.itertuples(index=False):
        target = ctx.target(row.target_id)
        rows.append(
            [
                regions.name(row.region_code),
                _name(target),
                target_text(row.operator, row.child_value, target["unit"]),
                target_text(row.operator, row.value, target["unit"]),
                row.target_year,
            ]
        )
    return pd.DataFrame(
        rows, columns=["下级地区", "指标", "本级规划目标", "上级目标", "目标年"]
    )


def lower_bar_sentence(table: pd.DataFrame) -> str:
    """Return the sentence above :func:`lower_bar_table`."""
    if table.empty:
        return "没有下级规划的目标低于上级目标。"
    return f"有 {len(table)} 项下级规划目标低于上级目标（同一指标、同一目标年）。"


def missing_returns_table(ctx: RegionContext) -> pd.DataFrame:
    """Return the children that have not returned data for the latest data year."""
    found = missing_returns(ctx.child_observations, str(ctx.region_code), ctx.data_year)
    last = ["从未报送" if pd.isna(y) else f"{int(y)}年" for y in found["last_year"]]
    return pd.DataFrame(
        {
            "下级地区": found["name"],
            "地区代码": found["region_code"],
            "最近一次报送": last,
            "需要": [f"报送{ctx.data_year}年数据" for _ in range(len(found))],
        }
    )


def missing_sentence(ctx: RegionContext, table: pd.DataFrame) -> str:
    """Return the sentence introducing the missing returns."""
    if table.empty:
        return f"{len(ctx.children)} 个下级地区都已报送{ctx.data_year}年数据。"
    return (
        f"{len(ctx.children)} 个下级地区中有 {len(table)} 个尚未报送{ctx.data_year}年数据；"
        "汇总值只含已报送地区，覆盖率见汇总表，缺报地区的数据没有被估算补齐。"
    )


def coverage_note(ctx: RegionContext) -> str:
    """Return the note under the roll-up table: how values and coverage are defined."""
    return (
        "汇总值：由本地区所属的全部县级单位（省级经由各市）汇总。率和比例为各县分子之和除以分母之和"
        "（不平均各地的率），区间为合计计数的精确区间（百分比用 Wilson 法，‰ 和 1/10万 用 Garwood 法）；"
        "人数加总；“每个…都有”类指标为达标县级单位占比（Clopper–Pearson 区间）。覆盖率为已报送县级单位的"
        "分母占全部县级单位分母的比例（缺报地区按其最近一年的分母计）；人数和占比类指标为已报送单位数占全部"
        "单位数的比例。"
    )


def league_text(ctx: RegionContext, league: pd.DataFrame) -> str:
    """Return the league table (:func:`league_frame`) in words: per target the best and the worst county."""
    lines = []
    for _, rows in league.groupby("target_id", sort=False):
        ranked = rows.dropna(subset=["rank"])
        name = rows["name"].iloc[0]
        if ranked.empty:
            lines.append(f"- {name}：各县（市、区）均无可比较的数据。")
            continue
        best, worst = ranked.iloc[0], ranked.iloc[-1]
        text = f"- {name}（{best['measure']}）：{best['region']}最好（{_shown(best)}）"
        if worst["region"] != best["region"]:
            text += f"，{worst['region']}最差（{_shown(worst)}）"
        late = rows.loc[rows["rank"].isna(), "region"].tolist()
        if late:
            text += f"；{'、'.join(late)}没有{ctx.data_year}年数据"
        lines.append(text + "。")
    return "\n".join(lines) if lines else "没有可比较的目标。"


def shortfall_text(table: pd.DataFrame) -> str:
    """Return the sentence before the shortfall table (or saying there is none)."""
    if table.empty:
        return "全市汇总未达标的比率类目标中，没有哪个县（市、区）拉低全市水平，或全市各比率类目标均已达到。"
    names = list(dict.fromkeys(table["下级地区"]))
    return f"下列{len(names)}个县（市、区）拉低了全市未达标目标的水平（贡献为正），按目标列出其贡献。"


__all__ = [
    "coverage_note",
    "data_gaps_table",
    "league_data",
    "league_frame",
    "league_table",
    "league_text",
    "lower_bar_sentence",
    "lower_bar_table",
    "missing_returns_table",
    "missing_sentence",
    "rollup_data",
    "rollup_frame",
    "rollup_table",
    "shortfall_table",
    "shortfall_text",
    "status_columns",
    "status_matrix",
]
