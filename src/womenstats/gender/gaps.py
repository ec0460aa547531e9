"""Gaps between women and men (or urban and rural areas): the latest gap, its interval, its change.

:func:`group_gaps` answers, for every indicator a region reports for both groups, the questions of a
gender analysis (分性别分析): what each group's value is in the latest year, how far apart they are
(first − second, in the indicator's unit: 个百分点 for a %) with the exact interval of that
difference when the counts are stored, the ratio, and whether the gap has narrowed since the
baseline year. :func:`sex_table` lays the same out for many regions at once from a plain frame (a
statistician's own CSV), with women's share where the rows give it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from womenstats import catalog
from womenstats.gender.compare import GROUPS, compare_groups

#: Columns of :func:`group_gaps`.
GAP_COLUMNS: tuple[str, ...] = (
    "region_code", "indicator_id", "age_group", "breakdown", "by", "first", "second", "year",
    "value_first", "value_second", "difference", "lower", "upper", "ratio", "ratio_lower", "ratio_upper",
    "method", "base_year", "base_difference", "change", "trend", "significant", "change_significant", "unit",
)

#: Words of :func:`group_gaps`'s ``trend``.
TRENDS: dict[str, str] = {"narrowed": "缩小", "widened": "扩大", "unchanged": "基本不变", "": ""}


def _step(unit: str) -> float:
    return catalog.UNITS[unit].half_step if unit in catalog.UNITS else 0.0


def change_significant(now: tuple[float, float, float], base: tuple[float, float, float],
                       alpha: float = 0.05) -> bool | float:
    """Whether a gap moved since the base year beyond chance: Altman and Bland's test of two estimates.

    Each estimate is ``(value, lower, upper)`` with its ``1 - alpha`` interval; the standard error of
    each is read from its interval's width, ``(upper − lower) / (2 z)``, and the two differ beyond
    chance when ``|now − base| > z · sqrt(se_now² + se_base²)``.

    Parameters
    ----------
    now, base : (float, float, float)
        The gap in the latest year and in the base year, each with its interval.
    alpha : float, default 0.05
        One minus the confidence level of both intervals and of the test.

    Returns
    -------
    bool or float
        NaN when either interval is missing (values published without counts).

    References
    ----------
    Altman, D. G. & Bland, J. M. (2003). Interaction revisited: the difference between two
    estimates. BMJ 326, 219.

    Examples
    --------
    >>> change_significant((-20.0, -28.5, -11.1), (-5.0, -13.4, 3.5))
    True
    >>> change_significant((0.0, -143.3, 117.3), (-31.5, -190.0, 60.0))
    False
    """
    if any(math.isnan(v) for v in (*now[1:], *base[1:])):
        return math.nan
    z = float(stats.norm.isf(alpha / 2))
    se = math.hypot(now[2] - now[1], base[2] - base[1]) / (2 * z)
    return bool(abs(now[0] - base[0]) > z * se)


def group_gaps(obs: pd.DataFrame, *, by: str = "sex", baseline_year: int | None = None,
               year: int | None = None, alpha: float = 0.05, method: str = "wilson") -> pd.DataFrame:
    """Return the latest gap between two groups for every region and indicator that has both.

    Parameters
    ----------
    obs : pandas.DataFrame
        Observations in the store's columns (any regions and years).
    by : {"sex", "residence"}, default "sex"
        ``sex``: female − male; ``residence``: urban − rural.
    baseline_year : int, optional
        The year the change of the gap is measured from (the plan's baseline); the earliest year
        with both groups when it has none, or when None.
    year : int, optional
        Latest year used (all years when None).
    alpha : float, default 0.05
        One minus the confidence level of the intervals.
    method : {"wilson", "clopper-pearson"}, default "wilson"
        The interval of a proportion the difference's interval is built on
        (:func:`womenstats.gender.compare.compare_groups`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`GAP_COLUMNS`, one row per region, indicator, age group and other breakdown
        (``breakdown``: the residence of a female–male gap, the sex of an urban–rural one):
        ``difference`` first − second with ``lower``, ``upper`` (NaN without counts); ``ratio``
        first / second with its interval; ``base_difference`` the gap in ``base_year`` and
        ``change`` the change of its size ``|difference| − |base_difference|``; ``trend``
        ``narrowed``, ``widened`` or ``unchanged`` (a change of the size within half a unit of the
        published precision), empty without an earlier year; ``significant`` True when the interval
        excludes 0 (NaN without one); ``change_significant`` True when the gap moved since the base
        year beyond chance (:func:`change_significant`; NaN without both intervals).

    References
    ----------
    Newcombe, R. G. (1998). Statistics in Medicine 17, 873–890. Zou, G. Y. & Donner, A. (2008).
    Statistics in Medicine 27, 1693–1702.
    """
    first, second = GROUPS[by]
    other = "residence" if by == "sex" else "sex"
    rows = obs if year is None else obs.loc[obs["year"] <= int(year)]
    rows = rows.loc[rows["value"].notna()]
    diff = compare_groups(rows, "difference", by=by, alpha=alpha, method=method).dropna(subset=["value"])
    if diff.empty:
        return pd.DataFrame(columns=list(GAP_COLUMNS))
    ratio = compare_groups(rows, "ratio", by=by, alpha=alpha, method=method)
    keys = ["region_code", "indicator_id", "age_group", other]
    ratio = ratio.set_index([*keys, "year"])[["value", "lower", "upper"]]
    ordered = diff.sort_values([*keys, "year"], kind="stable")
    latest = ordered.groupby(keys, sort=True).tail(1).set_index(keys)
    earliest = ordered.groupby(keys, sort=True).head(1).set_index(keys)
    if baseline_year is not None:
        at_base = ordered.loc[ordered["year"] == int(baseline_year)].set_index(keys)
        earliest = at_base.combine_first(earliest)
    units = catalog.indicators()["unit"]
    out = []
    for key, row in latest.iterrows():
        base = earliest.loc[key]
        unit = str(units.get(key[1], ""))
        has_base = int(base["year"]) < int(row["year"])
        change = abs(row["value"]) - abs(base["value"]) if has_base else np.nan
        trend = "" if not has_base else ("narrowed" if change < -_step(unit) else
                                         "widened" if change > _step(unit) else "unchanged")
        r = ratio.loc[(*key, row["year"])] if (*key, row["year"]) in ratio.index else None
        has_interval = not (np.isnan(row["lower"]) or np.isnan(row["upper"]))
        out.append({
            "region_code": str(key[0]), "indicator_id": key[1], "age_group": key[2], "breakdown": key[3],
            "by": by, "first": first, "second": second, "year": int(row["year"]),
            "value_first": row[f"value_{first}"], "value_second": row[f"value_{second}"],
            "difference": row["value"], "lower": row["lower"], "upper": row["upper"],
            "ratio": np.nan if r is None else r["value"],
            "ratio_lower": np.nan if r is None else r["lower"],
            "ratio_upper": np.nan if r is None else r["upper"],
            "method": row["method"], "base_year": int(base["year"]) if has_base else np.nan,
            "base_difference": base["value"] if has_base else np.nan, "change": change, "trend": trend,
            "significant": (row["lower"] > 0 or row["upper"] < 0) if has_interval else np.nan,
            "change_significant": change_significant(*(
                (r["value"], r["lower"], r["upper"]) for r in (row, base)), alpha) if has_base else np.nan,
            "unit": unit,
        })
    return pd.DataFrame(out, columns=list(GAP_COLUMNS))


#: Columns of :func:`sex_table`.
SEX_TABLE_COLUMNS: tuple[str, ...] = (
    "region_code", "indicator_id", "age_group", "residence", "year", "female", "male", "difference",
    "difference_lower", "difference_upper", "ratio", "ratio_lower", "ratio_upper", "female_share",
    "share_lower", "share_upper", "unit", "reason",
)


def sex_table(obs: pd.DataFrame, *, year: int | None = None, regions=None, alpha: float = 0.05,
              method: str = "wilson") -> pd.DataFrame:
    """Return a region × indicator table of women's and men's values, their gap and ratio, in one call.

    For each region and indicator (age group, residence) the latest year up to ``year`` with data:
    the female and male values, female − male with its exact interval, female / male with its
    interval, and women's share of a total (from the female and total rows of a count, or the value
    of an indicator that is itself women's share) with its interval. A region of ``regions`` without
    an indicator others report gets a row with ``reason`` ``no_data``.

    Parameters
    ----------
    obs : pandas.DataFrame
        Observations in the store's columns (a statistician's CSV read with
        :func:`womenstats.intake.read_long` has them).
    year : int, optional
        Latest year used.
    regions : iterable of str, optional
        Regions that must appear.
    alpha : float, default 0.05
        One minus the confidence level.
    method : {"wilson", "clopper-pearson"}, default "wilson"
        Interval of a proportion the intervals of percentages are built on.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SEX_TABLE_COLUMNS`, sorted by region and indicator.

    Examples
    --------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"region_code": "440783", "year": 2024,
    ...                     "indicator_id": "education.high_school_gross_enrollment", "age_group": "all",
    ...                     "residence": "all", "sex": ["female", "male"], "value": [80.0, 60.0],
    ...                     "numerator": [56, 48], "denominator": [70, 80]})
    >>> row = sex_table(obs).iloc[0]
    >>> round(float(row["difference_lower"]), 4), round(float(row["difference_upper"]), 4)
    (5.2431, 33.3873)
    """
    rows = obs if year is None else obs.loc[obs["year"] <= int(year)]
    gaps = group_gaps(rows, by="sex", alpha=alpha, method=method)
    keys = ["region_code", "indicator_id", "age_group", "residence"]
    out = gaps.rename(columns={"breakdown": "residence", "value_first": "female", "value_second": "male",
                               "lower": "difference_lower", "upper": "difference_upper"})
    out = out.reindex(columns=[*keys, "year", "female", "male", "difference", "difference_lower",
                               "difference_upper", "ratio", "ratio_lower", "ratio_upper", "unit"])
    share = compare_groups(rows, "female_share", by="sex", alpha=alpha, method=method)
    if len(share):
        share = share.sort_values("year", kind="stable").groupby(keys, sort=True).tail(1)
        share = share.rename(columns={"value": "female_share", "lower": "share_lower", "upper": "share_upper",
                                      "year": "share_year"})
        share = share.rename(columns={"reason": "share_reason"})
        wanted = [*keys, "share_year", "female_share", "share_lower", "share_upper", "share_reason"]
        out = out.merge(share[wanted], on=keys, how="outer")
        out["year"] = out["year"].fillna(out.pop("share_year"))
        nothing = out["difference"].isna() & out["female_share"].isna()
        out["reason"] = out.pop("share_reason").where(nothing, "").fillna("")
    else:
        out["reason"] = ""
    out["unit"] = out["indicator_id"].map(catalog.indicators()["unit"]).fillna("")
    if regions is not None:
        missing = []
        for indicator in sorted(set(out["indicator_id"])):
            have = set(out.loc[out["indicator_id"] == indicator, "region_code"].astype(str))
            for region in (str(r) for r in regions):
                if region not in have:
                    missing.append({"region_code": region, "indicator_id": indicator, "reason": "no_data"})
        if missing:
            out = pd.concat([out, pd.DataFrame(missing)], ignore_index=True)
    out = out.reindex(columns=list(SEX_TABLE_COLUMNS))
    return out.sort_values(["region_code", "indicator_id", "age_group", "residence"], kind="stable",
                           na_position="last").reset_index(drop=True)


__all__ = ["GAP_COLUMNS", "SEX_TABLE_COLUMNS", "TRENDS", "change_significant", "group_gaps", "sex_table"]
