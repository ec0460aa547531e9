"""Roll a parent region up from its children: every indicator by the rule its registry entry declares.

:func:`rollup` answers "what is the city's value, from its counties' returns, and how much of the city
do they cover". The rule is the indicator's ``aggregation`` (``catalog/data/indicators``):

- ``sum_counts`` — rates and shares: ``per · Σ numerators / Σ denominators`` with the exact
  interval of the summed counts (Wilson for a %, Garwood for ‰ and 1/10万), never an average of the
  children's rates (:func:`womenstats.gender.aggregate`);
- ``sum`` — counts: ``Σ values``;
- ``share_meeting`` — a head-count per body or "each … has one" (``meets``, e.g. ``>= 1``): the
  share of reporting children that meet it, in %, with the Clopper–Pearson interval of k of n;
- ``none`` — an average without counts (life expectancy): not rolled up (``reason="not_additive"``).

Every row says how many children there are (``n_children``, from the region registry), how many
reported (``n_reporting``), which did not (``missing``), and ``coverage``: the share of the parent's
denominator the reporting children hold (over the parent's own denominator when it has one, else
over theirs plus each missing child's latest earlier denominator, unknown when a missing child never
reported one; for counts and shares of children, reporting children over all children). The
figure is computed from the children that reported and the coverage shows what is missing; nothing
is filled in. Where the parent has its own observation it is shown beside (``own_value``) with the
difference.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from womenstats import catalog
from womenstats.catalog import regions
from womenstats.gender.aggregate import POINT_KEYS, aggregate
from womenstats.gender.intervals import clopper_pearson_limits

#: Columns of :func:`rollup`.
ROLLUP_COLUMNS: tuple[str, ...] = (
    "region_code", "year", "indicator_id", "sex", "age_group", "residence", "aggregation", "value",
    "lower", "upper", "numerator", "denominator", "n_children", "n_reporting", "coverage", "missing",
    "own_value", "difference", "reason",
)

_KEYS = ["indicator_id", "sex", "age_group", "residence"]


def _meets(values: pd.Series, condition: str) -> pd.Series:
    op, threshold = condition.split()
    return values >= float(threshold) if op == ">=" else values <= float(threshold)


def _coverage(region: np.ndarray, years: np.ndarray, den: np.ndarray, parent: str, reporting: list[str],
              missing: list[str], year: int) -> float:
    """Share of the parent's denominator held by the reporting children (see the module doc).

    The parent's own denominator of the year when it has one; else the reporting children's
    denominators over theirs plus each missing child's latest earlier denominator; NaN when a
    missing child has none (its size is unknown, so the share is too). ``region``, ``years`` and
    ``den`` are every observation of the point (all regions, all years).
    """
    now = years == year
    held = float(np.nansum(den[now & np.isin(region, reporting)]))
    own = den[now & (region == parent)]
    if len(own) and own[0] > 0:
        return held / float(own[0])
    latest = 0.0
    for code in missing:
        earlier = (region == code) & (years < year) & ~np.isnan(den)
        if not earlier.any():
            return float("nan")  # a missing child that never reported a size: the share is unknown
        latest += float(den[earlier][np.argmax(years[earlier])])
    return float("nan") if held + latest <= 0 else held / (held + latest)


def _share_meeting(rows: pd.DataFrame, condition: str) -> dict[str, float]:
    met = _meets(rows["value"].astype(float), condition)
    k, n = float(met.sum()), float(len(rows))
    lo, hi = clopper_pearson_limits(np.array([k]), np.array([n]), 0.05)
    return {"value": 100 * k / n, "lower": 100 * float(lo[0]), "upper": 100 * float(hi[0]),
            "numerator": k, "denominator": n, "reason": ""}


def rollup(obs: pd.DataFrame, region_code: str, year: int, *,
           children: list[str] | None = None) -> pd.DataFrame:
    """Roll ``region_code`` up from its children's observations of ``year``.

    Parameters
    ----------
    obs : pandas.DataFrame
        Observations in the store's columns (all years: earlier years give the coverage of a
        missing child).
    region_code : str
        The parent (a city, a province): its children come from the region registry.
    year : int
        The year rolled up.
    children : list of str, optional
        The regions summed; the parent's children in the region registry by default. A province
        passes its counties (the reporting level below its cities): sums of counts are the same
        through the cities, and coverage and head-count shares are then counted over counties.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ROLLUP_COLUMNS`, one row per indicator point any child reported, sorted by
        indicator and breakdown. ``value`` is in the indicator's unit (a % for ``share_meeting``).

    Raises
    ------
    CatalogError
        ``E_UNKNOWN_REGION`` for a code not in the registry.
    """
    return rollup_years(obs, region_code, [year], children=children)


def rollup_years(obs: pd.DataFrame, region_code: str, years, *,
                 children: list[str] | None = None) -> pd.DataFrame:
    """Roll a parent up for several years at once: :func:`rollup` of each year, in one frame.

    The same figures as calling :func:`rollup` year by year (sorted by year, then indicator and
    breakdown), with the children's counts summed in one pass.
    """
    children = regions.children(str(region_code)) if children is None else sorted(children)
    wanted = sorted({int(y) for y in years})
    obs = obs.assign(region_code=obs["region_code"].astype(str))
    here = obs.loc[obs["region_code"].isin(children) & obs["year"].isin(wanted)]
    specs = catalog.indicators()[["aggregation", "meets"]].to_dict("index")
    keys = ["year", *_KEYS]
    out = []
    if not here.empty:
        summed = aggregate(here, dict.fromkeys(children, str(region_code)), partial=True)
        results = ("value", "lower", "upper", "numerator", "denominator", "reason")
        found = dict(zip(summed[keys].itertuples(index=False, name=None),
                         summed[list(results)].to_dict("records"), strict=True))
        every = obs.groupby(_KEYS, sort=False).indices
        all_codes, all_years = obs["region_code"].to_numpy(), obs["year"].to_numpy()
        all_den = obs["denominator"].to_numpy(dtype=float)
        codes, values = here["region_code"].to_numpy(), here["value"].to_numpy(dtype=float)
        groups = here.groupby(keys, sort=False).indices
        for key in sorted(groups):
            year, point = int(key[0]), key[1:]
            rows = groups[key]
            spec = specs[point[0]]
            reporting = sorted(codes[rows][~np.isnan(values[rows])])
            missing = [c for c in children if c not in reporting]
            row = {"region_code": str(region_code), "year": year, **dict(zip(_KEYS, point, strict=True)),
                   "aggregation": spec["aggregation"], "n_children": len(children),
                   "n_reporting": len(reporting), "missing": ";".join(missing)}
            if spec["aggregation"] == "share_meeting":
                row.update(_share_meeting(here.iloc[rows].dropna(subset=["value"]), spec["meets"]))
                row["coverage"] = len(reporting) / len(children)
            else:
                row.update(found[key])
                if spec["aggregation"] == "none":
                    row.update(value=np.nan, lower=np.nan, upper=np.nan, reason="not_additive")
                if spec["aggregation"] == "sum_counts":
                    at = every[point]
                    row["coverage"] = _coverage(all_codes[at], all_years[at], all_den[at], str(region_code),
                                                reporting, missing, year)
                else:
                    row["coverage"] = len(reporting) / len(children)
            out.append(row)
    frame = pd.DataFrame(out, columns=[c for c in ROLLUP_COLUMNS if c not in ("own_value", "difference")])
    own = obs.loc[(obs["region_code"] == str(region_code)) & obs["year"].isin(wanted),
                  [*keys, "value"]].rename(columns={"value": "own_value"})
    frame = frame.merge(own, on=keys, how="left")
    frame["difference"] = frame["value"] - frame["own_value"]
    return frame.loc[:, list(ROLLUP_COLUMNS)].sort_values(keys, kind="stable").reset_index(drop=True)


__all__ = ["POINT_KEYS", "ROLLUP_COLUMNS", "rollup", "rollup_years"]
