"""Assess a parent region (a city, a province) from its children: :func:`assess_region`.

A parent's targets are those of its own plan when the catalog has one, else those of the nearest
ancestor that has one (for 江门市 the national outline): :func:`governing_plan`. The parent's series
are its children's observations rolled up year by year by each indicator's registry rule
(:func:`womenstats.gender.rollup.rollup`: rates sum numerators and denominators, counts sum, head
counts become the share of children meeting them), and every target is then assessed on them exactly
as a county's (:func:`womenstats.assess.assess_plan`). Each child is assessed against the same
targets on its own observations, so the league table compares like with like. The rolled-up series
themselves (like for like, late children carried forward) are :mod:`womenstats.assess.rolled`.

The shortfall of a rate target is split exactly among the children (:func:`shortfall`): with
weights ``w_i = d_i / sum(d)`` (the child's share of the summed denominator), the rolled-up rate is
``V = sum(w_i v_i)``, so for a target ``T`` of the form ``>= T``::

    T - V = sum_i w_i (T - v_i)

and child ``i`` contributes ``w_i (T - v_i)`` (negative: it lifts the total); for ``<= T`` the signs
turn. The contributions add up to the parent's gap, in the indicator's unit.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from womenstats import catalog
from womenstats.assess.plan import assess_plan
from womenstats.assess.rolled import (
    OBSERVATION_COLUMNS,
    reporting_members,
    rolled_observations,
    with_rolled_children,
)
from womenstats.catalog import regions
from womenstats.errors import InputError, Location

#: Columns of :func:`shortfall`.
SHORTFALL_COLUMNS: tuple[str, ...] = (
    "target_id",
    "region_code",
    "year",
    "value",
    "weight",
    "contribution",
    "share_of_gap",
)


def governing_plan(region_code: str) -> tuple[str, str]:
    """Return the plan whose targets a region is assessed against, and the region that owns it.

    The region's own plan when the catalog has one (the first in id order; national outlines
    last), else the nearest ancestor's (``440700`` → the national outline ``national``, owned by
    ``000000``).

    Raises
    ------
    CatalogError
        ``E_UNKNOWN_REGION`` for a code not in the region registry.
    InputError
        ``E_NO_PLAN`` when neither the region nor any ancestor has a plan.
    """
    by_region: dict[str, list[str]] = {}
    for plan_id in catalog.plans():
        by_region.setdefault(str(catalog.plan(plan_id).region_code), []).append(plan_id)
    for code in [str(region_code), *regions.parents(str(region_code))]:
        if code in by_region:
            # The current outline before an older one (national before national_2011).
            return sorted(by_region[code], key=lambda p: (catalog.plan(p).period_end * -1, p))[0], code
    raise InputError(
        f"地区 {region_code} 及其上级都没有规划目录中的规划，无法确定评估的目标。",
        Location(file="--region"),
        "E_NO_PLAN",
    )


def assess_region(
    obs: pd.DataFrame,
    region_code: str,
    year: int,
    *,
    method: str = "ours",
    plan_id: str | None = None,
    rolled: pd.DataFrame | None = None,
    stage: str | None = None,
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Assess a parent region (rolled up) and each of its children against the governing plan.

    Parameters
    ----------
    obs : pandas.DataFrame
        Observations of the region's descendants (store columns), up to ``year``; a child without
        returns of its own (a city under a province) is rolled up from its own children first
        (:func:`with_rolled_children`).
    region_code : str
        The parent region.
    year : int
        Assessment year.
    method : str, default "ours"
        Assessment method, as in :func:`assess_plan`.
    plan_id : str, optional
        The plan of the targets; :func:`governing_plan` by default.
    rolled : pandas.DataFrame, optional
        The region's rolled-up series when already made (:func:`rolled_observations` of ``obs``).
    stage : str, optional
        The evaluation's kind, as :func:`assess_plan` takes it.

    Returns
    -------
    (pandas.DataFrame, dict)
        The parent's assessment (columns of :func:`assess_plan`), and child code -> its assessment
        (children without any observation included: their targets say 数据不足).
    """
    plan_id = plan_id or governing_plan(region_code)[0]
    obs = obs.loc[obs["year"] <= int(year)]
    years = range(int(obs["year"].min()), int(year) + 1) if len(obs) else []
    obs = with_rolled_children(obs, str(region_code), years)
    parent = assess_plan(
        plan_id,
        year,
        store=rolled_observations(obs, region_code, years) if rolled is None else rolled,
        region_code=str(region_code),
        method=method,
        stage=stage,
    )
    children = {
        code: assess_plan(plan_id, year, store=obs, region_code=code, method=method, stage=stage)
        for code in regions.children(str(region_code))
    }
    return parent, children


def shortfall(obs: pd.DataFrame, target: pd.Series, region_code: str, year: int) -> pd.DataFrame:
    """Split the parent's gap to a rate target among its children (see the module docstring).

    Parameters
    ----------
    obs : pandas.DataFrame
        The children's observations (store columns).
    target : pandas.Series
        A target row (``catalog.load``) with operator ``>=`` or ``<=`` on a rate whose registry
        rule is ``sum_counts``.
    region_code : str
        The parent.
    year : int
        The year whose returns are split (the latest year the children reported).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SHORTFALL_COLUMNS`, one row per reporting child, largest contribution first;
        ``weight`` is the child's share of the summed denominator, ``contribution`` is in the
        indicator's unit (positive pulls the total below the target), ``share_of_gap`` the
        contribution over the parent's gap when the parent misses the target (else NaN). Empty
        when the target is not such a rate target or no child has counts.
    """
    empty = pd.DataFrame(columns=list(SHORTFALL_COLUMNS))
    indicator = target.get("indicator_id")
    if target.get("operator") not in (">=", "<=") or not isinstance(indicator, str) or not indicator:
        return empty
    spec = catalog.indicators().loc[indicator]
    if spec["aggregation"] != "sum_counts":
        return empty
    keys = {
        "indicator_id": indicator,
        "sex": target["sex"],
        "residence": target["residence"],
        "age_group": target["age_group"],
    }
    rows = obs.loc[
        (obs["year"] == int(year)) & obs["region_code"].astype(str).isin(regions.children(region_code))
    ]
    for column, value in keys.items():
        rows = rows.loc[rows[column] == value]
    rows = rows.dropna(subset=["numerator", "denominator"])
    rows = rows.loc[rows["denominator"] > 0]
    if rows.empty:
        return empty
    per = float(spec["per"]) if not pd.isna(spec["per"]) else 1.0
    weight = rows["denominator"] / rows["denominator"].sum()
    value = per * rows["numerator"] / rows["denominator"]
    sign = 1.0 if target["operator"] == ">=" else -1.0
    contribution = sign * weight * (float(target["value"]) - value)
    gap = float(contribution.sum())
    out = pd.DataFrame(
        {
            "target_id": target["target_id"],
            "region_code": rows["region_code"].astype(str),
            "year": int(year),
            "value": value,
            "weight": weight,
            "contribution": contribution,
            "share_of_gap": contribution / gap if gap > 0 else math.nan,
        }
    )
    return out.sort_values(
        ["contribution", "region_code"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def laxer_targets(
    child: pd.DataFrame, parent: pd.DataFrame, *, child_final: int, parent_final: int
) -> pd.DataFrame:
    """Return the child's targets that ask less than the parent's on the same series and year.

    A ``>=`` target with a smaller value, or a ``<=`` target with a larger one, on the same
    indicator, sex, residence, age group and target year (a missing target year is the plan's
    final year) is laxer.

    Parameters
    ----------
    child, parent : pandas.DataFrame
        Targets in the columns of :func:`womenstats.catalog.load`.
    child_final, parent_final : int
        The plans' final years.

    Returns
    -------
    pandas.DataFrame
        Columns ``child_target_id, target_id, operator, child_value, value, target_year``.
    """
    keys = ["indicator_id", "sex", "residence", "age_group", "operator", "year"]

    def bars(targets: pd.DataFrame, final: int) -> pd.DataFrame:
        targets = targets.loc[targets["operator"].isin([">=", "<="]) & targets["value"].notna()]
        return targets.assign(
            year=targets["target_year"].fillna(final).astype(int), value=targets["value"].astype(float)
        )

    both = bars(child, child_final).merge(bars(parent, parent_final), on=keys, suffixes=("_child", ""))
    asks_less = np.where(
        both["operator"] == ">=", both["value_child"] < both["value"], both["value_child"] > both["value"]
    )
    both = both.loc[asks_less]
    return pd.DataFrame(
        {
            "child_target_id": both["target_id_child"],
            "target_id": both["target_id"],
            "operator": both["operator"],
            "child_value": both["value_child"],
            "value": both["value"],
            "target_year": both["year"],
        }
    ).reset_index(drop=True)


def lower_bars(region_code: str, plan_id: str) -> pd.DataFrame:
    """Return the children whose own plan sets a lower bar than the parent's target (:func:`laxer_targets`).

    Returns
    -------
    pandas.DataFrame
        ``region_code, child_plan`` and the columns of :func:`laxer_targets`; empty when no child
        has a plan or none asks less.
    """
    parent = catalog.load(plan_id)
    parent_final = catalog.plan(plan_id).final_year
    frames = [
        pd.DataFrame(
            columns=[
                "region_code",
                "child_plan",
                "child_target_id",
                "target_id",
                "operator",
                "child_value",
                "value",
                "target_year",
            ]
        )
    ]
    for child in regions.children(str(region_code)):
        for child_plan in [p for p in catalog.plans() if str(catalog.plan(p).region_code) == child]:
            found = laxer_targets(
                catalog.load(child_plan),
                parent,
                child_final=catalog.plan(child_plan).final_year,
                parent_final=parent_final,
            )
            frames.append(found.assign(region_code=child, child_plan=child_plan))
    return pd.concat(frames, ignore_index=True).loc[:, list(frames[0].columns)]


def missing_returns(obs: pd.DataFrame, region_code: str, year: int) -> pd.DataFrame:
    """Children with no return for ``year``: code, name and the last year they returned.

    Returns
    -------
    pandas.DataFrame
        Columns ``region_code, name, last_year`` (``last_year`` NaN when the child never returned).
    """
    codes = obs["region_code"].astype(str)
    out = []
    for child in regions.children(str(region_code)):
        years = obs.loc[codes == child, "year"]
        if int(year) not in set(years.astype(int)):
            out.append([child, regions.name(child), int(years.max()) if len(years) else math.nan])
    return pd.DataFrame(out, columns=["region_code", "name", "last_year"])


__all__ = [
    "OBSERVATION_COLUMNS",
    "SHORTFALL_COLUMNS",
    "assess_region",
    "governing_plan",
    "laxer_targets",
    "lower_bars",
    "missing_returns",
    "reporting_members",
    "rolled_observations",
    "shortfall",
    "with_rolled_children",
]
