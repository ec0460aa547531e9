"""County → city → province aggregation of observation rows: sum the counts, recompute the rate.

A city's rate is never the average of its counties' rates: the numerators and the denominators are
summed and the rate (and its interval) recomputed from the sums. A parent whose component (a county
without a row, or without counts) is missing is reported — ``reason="missing_component"`` and the codes
in ``missing`` — not computed silently from the counties that happen to report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise

import numpy as np
import pandas as pd

from womenstats import catalog
from womenstats.gender.inputs import check_counts, check_unique
from womenstats.gender.intervals import poisson_rate, proportion
from womenstats.gender.result import RESULT_COLUMNS
from womenstats.gender.scales import ADDITIVE_KINDS, indicator_scales

#: Columns that, with the region, identify one observation (those present are used).
POINT_KEYS: tuple[str, ...] = ("year", "indicator_id", "sex", "age_group", "residence")

#: Columns of an aggregate besides the point keys and the result columns.
AGGREGATE_COLUMNS: tuple[str, ...] = ("level", "n_components", "n_expected", "missing")


def hierarchy(plans: Iterable[str] | None = None) -> dict[str, str]:
    """Return the child → parent region codes known to the catalog's plans.

    Parameters
    ----------
    plans : iterable of str, optional
        Plan ids; all plans by default.

    Returns
    -------
    dict
        ``{county_code: city_code, city_code: province_code, ...}`` from each plan's ``parents``
        (nearest first). Only regions with a plan are known: pass an explicit mapping to
        :func:`aggregate` for the complete list of a city's counties.
    """
    mapping: dict[str, str] = {}
    for plan_id in plans if plans is not None else catalog.plans():
        chain = [catalog.plan(plan_id).region_code, *(r.code for r in catalog.plan(plan_id).parents)]
        mapping.update(pairwise(chain))
    return dict(sorted(mapping.items()))


def aggregate(
    obs: pd.DataFrame,
    mapping: Mapping[str, str] | None = None,
    *,
    levels: int = 1,
    partial: bool = False,
    per: float | None = None,
    method: str = "wilson",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Aggregate observation rows to the parent regions, one or more levels up.

    Parameters
    ----------
    obs : DataFrame
        Observation rows in the store's columns (``region_code``, the :data:`POINT_KEYS` present,
        ``value``, ``numerator``, ``denominator``).
    mapping : mapping, optional
        Child → parent region codes; every child of a parent is an expected component. By default
        :func:`hierarchy` of the catalog's plans.
    levels : int, default 1
        Number of levels to go up (2: county → city → province). Each level's results are returned.
    partial : bool, default False
        Compute a parent's figure from the components present even when some are missing (the
        ``reason`` still says ``missing_component``). By default such a figure is NaN.
    per : float, optional
        Scale for every indicator instead of the catalog's (for indicators outside the registry).
    method : {"wilson", "clopper-pearson"}, default "wilson"
        Interval of a percentage; rates per 1 000 or 100 000 use the Garwood interval.
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    DataFrame
        ``region_code`` (the parent), the point keys, the result columns and ``level`` (1 for the
        first level up), ``n_components`` (components with what is needed), ``n_expected`` and
        ``missing`` (``;``-joined codes of the missing components). A rate is ``per · Σ num / Σ den``;
        a count (人, 个, 次) is ``Σ value``; an average without counts (岁, 元, 分钟) cannot be
        aggregated (``reason="not_additive"``).

    Raises
    ------
    InputError
        Two rows for the same region and point, or an unknown indicator without ``per``.

    Notes
    -----
    ``r_parent = per · Σ_c k_c / Σ_c n_c`` over the components ``c``, with the interval of the summed
    counts. Never ``mean(r_c)``.

    References
    ----------
    UN Statistics Division (2016). Integrating a Gender Perspective into Statistics, §4 (aggregating
    sex-disaggregated data); WHO (2019) Trends in maternal mortality, on pooling counts.
    """
    mapping = dict(hierarchy() if mapping is None else mapping)
    results, current = [], obs
    for level in range(1, levels + 1):
        step = _one_level(current, mapping, partial=partial, per=per, method=method, alpha=alpha)
        if step.empty:
            break
        results.append(step.assign(level=level))
        current = step
    keys = [k for k in POINT_KEYS if k in obs.columns]
    columns = ["region_code", *keys, *RESULT_COLUMNS, *AGGREGATE_COLUMNS]
    if not results:
        return pd.DataFrame(columns=columns)
    return pd.concat(results, ignore_index=True)[columns]


def _one_level(
    obs: pd.DataFrame, mapping: dict[str, str], *, partial: bool, per: float | None, method: str, alpha: float
) -> pd.DataFrame:
    keys = [k for k in POINT_KEYS if k in obs.columns]
    rows = obs.assign(parent=obs["region_code"].map(mapping)).dropna(subset=["parent"])
    check_unique(rows, ["region_code", *keys], "请先去重，再汇总到上级地区。")
    where = rows if "source_file" in rows.columns else None
    for column, name in (("numerator", "分子"), ("denominator", "分母")):
        check_counts(rows[column].to_numpy(dtype=float), name, rows.index, where)
    children = pd.DataFrame(list(mapping.items()), columns=["region_code", "parent"])
    points = rows[["parent", *keys]].drop_duplicates()
    carried = ["value", "numerator", "denominator", *(["reason"] if "reason" in rows.columns else [])]
    reported = rows[["region_code", *keys, *carried]]
    grid = points.merge(children, on="parent").merge(reported, on=["region_code", *keys], how="left")
    scales = indicator_scales(grid["indicator_id"], per)
    by_counts = (scales["per"].notna() | (scales["kind"] == "ratio")).to_numpy()
    additive = ~by_counts & scales["kind"].isin(ADDITIVE_KINDS).to_numpy()
    has_counts = (grid["numerator"].notna() & grid["denominator"].notna()).to_numpy()
    needed = np.where(by_counts, has_counts, grid["value"].notna().to_numpy())
    # A component that is itself an incomplete aggregate counts as missing (its sums may be partial).
    flagged = grid.get("reason", pd.Series("", index=grid.index)).eq("missing_component").to_numpy()
    grid[["value", "numerator", "denominator"]] = grid[["value", "numerator", "denominator"]].where(
        pd.Series(needed, index=grid.index), axis=0
    )
    grid["_usable"] = needed
    grid["_ok"] = needed & ~flagged
    grid["_mode"] = np.select([by_counts, additive], ["counts", "sum"], "none")
    grid["_per"] = scales["per"].fillna(1.0).to_numpy()
    grid["_lacking"] = np.where(grid["_ok"], None, grid["region_code"])
    group = grid.groupby(["parent", *keys], sort=True, dropna=False)
    agg = group.agg(
        numerator=("numerator", "sum"),
        denominator=("denominator", "sum"),
        total=("value", "sum"),
        n_components=("_ok", "sum"),
        n_usable=("_usable", "sum"),
        n_expected=("_ok", "size"),
        missing=("_lacking", lambda s: ";".join(sorted(c for c in s if c is not None))),
        mode=("_mode", "first"),
        per=("_per", "first"),
    )
    return _values(agg, partial=partial, method=method, alpha=alpha).reset_index().rename(
        columns={"parent": "region_code"}
    )


def _values(agg: pd.DataFrame, *, partial: bool, method: str, alpha: float) -> pd.DataFrame:
    complete = agg["n_components"] == agg["n_expected"]
    usable = complete | (partial & (agg["n_usable"] > 0))
    num = agg["numerator"].where(usable & (agg["mode"] == "counts"))
    den = agg["denominator"].where(usable & (agg["mode"] == "counts"))
    out = pd.DataFrame(index=agg.index, columns=list(RESULT_COLUMNS))
    pct = agg["mode"].eq("counts") & agg["per"].eq(100)
    if pct.any():
        out.loc[pct] = proportion(num[pct], den[pct], method=method, alpha=alpha, per=100)
    rate = agg["mode"].eq("counts") & ~pct
    if rate.any():
        est = poisson_rate(num[rate], den[rate], alpha=alpha, per=1.0)
        est[["value", "lower", "upper"]] = est[["value", "lower", "upper"]].mul(agg.loc[rate, "per"], axis=0)
        ratio_only = agg.loc[rate, "per"].eq(1.0)  # a ratio of two counts (比值): no sampling interval
        est.loc[ratio_only, ["lower", "upper"]] = np.nan
        est.loc[ratio_only & est["reason"].eq(""), "reason"] = "no_interval"
        out.loc[rate] = est
    summed = agg["mode"].eq("sum")
    out.loc[summed, "value"] = agg.loc[summed, "total"].where(usable[summed])
    out.loc[summed, "numerator"] = out.loc[summed, "value"]
    out.loc[summed, "reason"] = "no_interval"
    out.loc[agg["mode"].eq("none"), "reason"] = "not_additive"
    out.loc[~complete & agg["mode"].ne("none"), "reason"] = "missing_component"
    out[list(RESULT_COLUMNS[:5])] = out[list(RESULT_COLUMNS[:5])].astype(float)
    return pd.concat([out, agg[["n_components", "n_expected", "missing"]]], axis=1)
