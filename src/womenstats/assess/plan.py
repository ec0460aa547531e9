"""Assess every target of a plan for a region: :func:`assess_plan`."""

from __future__ import annotations

import math
import os
import warnings

import pandas as pd

from womenstats import catalog
from womenstats.assess import methods
from womenstats.assess.ours import RESULT_KEYS, indicator_info
from womenstats.assess.series import SERIES_COLUMNS, gap_series, target_series
from womenstats.assess.status import STAGES
from womenstats.catalog.lookup import label_index, normalise_label
from womenstats.errors import InputError, Location
from womenstats.gender.derived import source_indicators, with_derived_gaps
from womenstats.intake import Store
from womenstats.intake.selection import EmptySelectionWarning

#: Columns of :func:`assess_plan` (the CLI prints the first 20).
COLUMNS: tuple[str, ...] = (
    "plan", "region_code", "target_id", "indicator_id", "kind", "operator", "target_value", "target_year",
    "n_obs", "last_year", "last_value", "model", "proj_value", "proj_lo80", "proj_hi80", "proj_lo95",
    "proj_hi95", "p_attain", "status", "warnings", "area", "status_label", "warning_text", "restates",
    "target_level", "comparison", "final",
)

#: Fields that must agree for a row with ``links_to`` to restate its target (else it is judged alone).
RESTATEMENT_KEYS: tuple[str, ...] = (
    "indicator_id", "sex", "residence", "age_group", "kind", "operator", "value", "tolerance", "target_year",
)


#: Columns a frame of observations given as ``store`` must have.
FRAME_COLUMNS: tuple[str, ...] = (
    "region_code", "year", "indicator_id", "sex", "age_group", "residence", "value",
)


def _frame(obs: pd.DataFrame) -> pd.DataFrame:
    """Check a user's frame of observations and read its indicators by id, name or alias."""
    missing = [c for c in FRAME_COLUMNS if c not in obs.columns]
    if missing:
        raise InputError(f"作为 store 传入的 DataFrame 缺少列 {'、'.join(missing)}：观测表须有 "
                         f"{', '.join(FRAME_COLUMNS)} 列（numerator、denominator 可选）。",
                         Location(file="store"), "E_MISSING_COLUMN")
    obs = obs.assign(region_code=obs["region_code"].astype(str))
    labels = label_index(catalog.indicators())
    ids = obs["indicator_id"].astype(str)
    return obs.assign(indicator_id=ids.map(lambda text: labels.get(normalise_label(text), text)))


def _observations(store, region_code: str, indicator_ids: list[str]) -> pd.DataFrame:
    """Return the region's observations of the indicators (and of derived gaps' components), gaps derived."""
    indicator_ids = source_indicators(indicator_ids)
    if isinstance(store, pd.DataFrame):
        obs = _frame(store)
        return with_derived_gaps(obs.loc[obs["region_code"] == region_code])
    if not isinstance(store, Store):
        store = Store(store) if store is not None else Store()
        if not store.path.exists():
            raise InputError(
                "找不到数据库文件，请先运行 womenstats data build 或 womenstats ingest 导入数据。",
                Location(file=os.path.basename(store.path)),
                "E_NO_STORE",
            )
    with warnings.catch_warnings():  # an empty selection is explained by _nothing_matched
        warnings.simplefilter("ignore", EmptySelectionWarning)
        return with_derived_gaps(store.observations(region_code=region_code, indicator_id=indicator_ids))


def _nothing_matched(store, region_code: str, plan_id: str) -> None:
    """Warn that no target of the plan found a single observation, and say what the data hold."""
    if isinstance(store, pd.DataFrame):
        obs = _frame(store)
        where = "传入的 DataFrame"
    else:
        handle = store if isinstance(store, Store) else Store(store) if store is not None else Store()
        obs = handle.observations()
        where = "数据库"
    regions = sorted(obs["region_code"].unique())
    if region_code not in regions:
        listed = "、".join(regions[:8]) or "无"
        why = f"{where}中没有地区 {region_code} 的观测值（有：{listed}），请检查 region_code。"
    else:
        known = set(catalog.indicators().index)
        own = obs.loc[obs["region_code"] == region_code, "indicator_id"]
        unknown = sorted(set(own) - known)
        why = (f"地区 {region_code} 的观测值中没有一个指标或分组（性别、城乡、年龄组）与规划的目标一致"
               + (f"；不在指标库中的指标：{'、'.join(unknown[:5])}" if unknown else "") + "。")
    warnings.warn(f"规划 {plan_id} 的每一项目标都没有找到观测值，评估结果全部为“数据不足”：{why}",
                  NoMatchWarning, stacklevel=3)


class NoMatchWarning(UserWarning):
    """No target of a plan found an observation in the data given to :func:`assess_plan`."""


def _indicator_info(indicators: pd.DataFrame, indicator_id: str) -> dict[str, object]:
    return indicator_info(indicators.loc[indicator_id].to_dict())


def _series_for(obs: pd.DataFrame, target: pd.Series, info: dict[str, object], region_code: str,
                year: int) -> pd.DataFrame:
    keys = {"indicator_id": target["indicator_id"], "region_code": region_code, "sex": target["sex"],
            "residence": target["residence"], "age_group": target["age_group"], "year": year}
    if target["operator"] == "narrow":
        return gap_series(obs, sentence=str(target.get("sentence", "")), better=str(info["better"]),
                          subject=str(info["subject"]), **keys)[0]
    return target_series(obs, subject=str(info["subject"]), **keys)


def stage_of(plan, year: int) -> str:
    """Return the evaluation a year calls for in a plan: ``final``, ``midterm`` or ``annual``.

    ``final`` from the plan's final year on, ``midterm`` in its mid-term year, ``annual`` otherwise.
    """
    if int(year) >= plan.final_year:
        return "final"
    return "midterm" if int(year) == plan.midterm_year else "annual"


def assess_plan(plan_id: str, year: int, *, store=None, region_code: str | None = None, method: str = "ours",
                targets: pd.DataFrame | None = None, indicators: pd.DataFrame | None = None,
                stage: str | None = None) -> pd.DataFrame:
    """Assess every target of a plan in one region: projection, status and early warnings.

    Every target of the plan gets a row, whatever its section. A row whose ``links_to`` names a
    target with the same indicator, breakdowns, kind, operator, value, tolerance and target year
    (:func:`restatements`) restates it: it carries that target's result and names it in
    ``restates``, so one target is never judged twice with two answers. A row linked to a target it
    differs from (another age group, another value) is assessed in its own right. Only observations
    up to ``year`` are used.

    Parameters
    ----------
    plan_id : str
        The plan (``kaiping``).
    year : int
        Assessment year (e.g. 2025 for the mid-term evaluation).
    store : Store, path-like or pandas.DataFrame, optional
        The observation store (``data/processed/womenstats.sqlite`` by default), or observations
        with the store's columns (:data:`FRAME_COLUMNS` at least; indicators by id, Chinese name
        or alias).
    region_code : str, optional
        Region to assess; the plan's own region by default.
    method : str, default "ours"
        A method of :mod:`womenstats.assess.methods` (``ours``; ``open-sdg`` and ``escap`` when
        registered).
    targets : pandas.DataFrame, optional
        Targets with the columns of :func:`womenstats.catalog.load`; the plan's by default.
    indicators : pandas.DataFrame, optional
        Indicator registry as :func:`womenstats.catalog.indicators`; the package's by default.
    stage : str, optional
        ``annual`` (年度监测), ``midterm`` (中期评估) or ``final`` (终期评估); by default the one
        the year calls for in the plan (:func:`stage_of`). A final evaluation judges every target
        as a final verdict (已实现 / 基本实现 / 未实现); in the others a target whose year has come
        is judged so, and a mid-term labels a target met ahead of its year 提前实现.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`, one row per target in catalog order. ``warnings`` is the
        ``;``-joined warning codes, ``warning_text`` their Chinese sentences, ``restates`` the
        ``target_id`` whose result a restating row carries (empty otherwise).

    Raises
    ------
    InputError
        If the method is unknown, the store file does not exist, or a frame given as ``store``
        lacks a column of :data:`FRAME_COLUMNS`.

    Warns
    -----
    NoMatchWarning
        When not one target finds an observation (the region is not in the data, or none of its
        indicators and breakdowns is a target's): every result would be ``insufficient_data``.
    """
    func = methods.get(method)
    plan = catalog.plan(plan_id)
    stage = stage_of(plan, year) if stage is None else stage
    if stage not in STAGES:
        raise InputError(f"评估类型“{stage}”不可用，应为 {'、'.join(STAGES)} 之一。",
                         Location(file="stage"), "E_BAD_STAGE")
    region = str(region_code) if region_code is not None else plan.region_code
    targets = catalog.load(plan_id) if targets is None else targets
    indicators = catalog.indicators() if indicators is None else indicators
    restated = restatements(targets)
    ids = sorted({i for i in targets["indicator_id"].fillna("") if i})
    obs = _observations(store, region, ids)
    results: dict[str, dict[str, object]] = {}
    for _, target in targets.loc[~targets["target_id"].isin(list(restated))].iterrows():
        results[target["target_id"]] = _assess_row(func, obs, target, indicators, plan, region, int(year),
                                                    stage)
    judged = [r for r in results.values() if r["kind"] != "qualitative" and r["indicator_id"]]
    if judged and not any(r["n_obs"] for r in judged):
        _nothing_matched(store, region, plan_id)
    rows = []
    for _, target in targets.iterrows():
        ident = target["target_id"]
        if ident in restated:
            original = restated[ident]
            rows.append({**results[original], "target_id": ident, "area": target["area"],
                         "restates": original})
        else:
            rows.append({**results[ident], "restates": ""})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _same(a: object, b: object) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if isinstance(a, str) or isinstance(b, str):
        return str(a if not pd.isna(a) else "") == str(b if not pd.isna(b) else "")
    return float(a) == float(b)


def restatements(targets: pd.DataFrame) -> dict[str, str]:
    """Map each target that restates another to the target it restates.

    A row restates the target its ``links_to`` names when every field of
    :data:`RESTATEMENT_KEYS` agrees (missing equals missing); a row linked to a target it
    differs from on any of them (e.g. ``kaiping.health.s5-1``, the 35–45 age group of a target
    set for all ages) is a target of its own.

    Parameters
    ----------
    targets : pandas.DataFrame
        Targets with the columns of :func:`womenstats.catalog.load`.

    Returns
    -------
    dict of str to str
        ``target_id`` of the restating row -> ``target_id`` of the row it restates.
    """
    by_id = targets.set_index("target_id", drop=False)
    out: dict[str, str] = {}
    for _, row in targets.iterrows():
        link = row["links_to"]
        if not isinstance(link, str) or not link.strip() or link.strip() not in by_id.index:
            continue
        original = by_id.loc[link.strip()]
        if all(_same(row.get(key), original.get(key)) for key in RESTATEMENT_KEYS):
            out[row["target_id"]] = link.strip()
    return out


def _assess_row(func, obs, target, indicators, plan, region, year, stage) -> dict[str, object]:
    target_year = target["target_year"]
    target_year = plan.final_year if pd.isna(target_year) else int(target_year)
    spec = {"kind": target["kind"], "operator": target["operator"] or "", "value": target["value"],
            "tolerance": target.get("tolerance", math.nan), "target_year": target_year, "stage": stage}
    indicator_id = target["indicator_id"] or ""
    if target["kind"] == "qualitative" or not indicator_id:
        series = pd.DataFrame(columns=list(SERIES_COLUMNS))
        info = indicator_info({})
    else:
        info = _indicator_info(indicators, indicator_id)
        series = _series_for(obs, target, info, region, year)
    result = func(series, spec, info, year=year, baseline_year=plan.baseline_year)
    head = {
        "plan": plan.id, "region_code": region, "target_id": target["target_id"],
        "indicator_id": indicator_id, "kind": target["kind"], "operator": target["operator"] or "",
        "target_value": target["value"], "target_year": target_year, "area": target["area"],
    }
    return {**head, **{key: result.get(key, math.nan) for key in RESULT_KEYS}}
