"""Rates pooled over several years of one series: summed numerators over summed denominators.

A county's maternal mortality from 3 000 births a year is 0 or 33 per 100 000; pooling three years
gives a rate a committee can read, with the exact interval of the summed counts. Never an average of
yearly rates.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from womenstats.gender.inputs import check_counts, check_unique
from womenstats.gender.intervals import poisson_rate, proportion
from womenstats.gender.result import RESULT_COLUMNS


def pooled_rate(
    obs: pd.DataFrame,
    *,
    by: Sequence[str] = ("region_code", "indicator_id", "sex", "age_group", "residence"),
    window: int | None = None,
    method: str = "garwood",
    alpha: float = 0.05,
    per: float = 1,
) -> pd.DataFrame:
    """Rate pooled over several years: summed numerators over summed denominators.

    Parameters
    ----------
    obs : DataFrame
        Observation rows with ``year``, ``numerator``, ``denominator`` and the ``by`` columns.
    by : sequence of str
        Columns identifying one series (those absent from ``obs`` are ignored).
    window : int, optional
        Pool a moving window of this many consecutive years ending in each year (e.g. 3 for a
        three-year maternal mortality ratio). ``None`` pools all the years of each series.
    method : {"garwood", "wilson", "clopper-pearson"}, default "garwood"
        Interval of the pooled rate: Garwood for Poisson events, or a proportion interval.
    alpha : float, default 0.05
        One minus the confidence level.
    per : float, default 1
        Scale of the rate.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``year_from``, ``year_to``, ``n_years`` and the result columns. A window
        with a missing year or a missing count gives NaN with ``reason="missing_count"``: a gap is
        never silently skipped.

    Notes
    -----
    ``rate = per · Σ_t k_t / Σ_t n_t``; the interval is that of the summed counts. Never an average of
    yearly rates.

    References
    ----------
    Hamilton, B. E. et al. (2016). Reliability of rates (NCHS); WHO (2019) Trends in maternal
    mortality, annex on pooling small counts.
    """
    keys = [c for c in by if c in obs.columns] or ["_series"]
    check_unique(obs.assign(_series=0), [*keys, "year"], "每个地区、年份和分组只能有一行，请先去重。")
    where = obs if "source_file" in obs.columns else None
    check_counts(obs["numerator"].to_numpy(dtype=float), "分子", obs.index, where)
    check_counts(obs["denominator"].to_numpy(dtype=float), "分母", obs.index, where,
                 integer=method != "garwood")
    rows = obs.assign(_series=0, _ok=obs["numerator"].notna() & obs["denominator"].notna())
    per_year = rows.groupby([*keys, "year"], dropna=False).agg(
        numerator=("numerator", "sum"), denominator=("denominator", "sum"), ok=("_ok", "all")
    )
    per_year.loc[~per_year["ok"], ["numerator", "denominator"]] = np.nan
    years = np.arange(int(obs["year"].min()), int(obs["year"].max()) + 1)
    num = per_year["numerator"].unstack("year").reindex(columns=years)
    den = per_year["denominator"].unstack("year").reindex(columns=years)
    seen = per_year["ok"].unstack("year").reindex(columns=years).notna().to_numpy()
    first = years[seen.argmax(axis=1)]
    last = years[len(years) - 1 - seen[:, ::-1].argmax(axis=1)]
    if window is None:
        span = (years[None, :] >= first[:, None]) & (years[None, :] <= last[:, None])
        gap = (span & (num.isna() | den.isna()).to_numpy()).any(axis=1)
        frame = pd.DataFrame(
            {
                "year_from": first,
                "year_to": last,
                "numerator": np.where(gap, np.nan, num.where(span).sum(axis=1)),
                "denominator": np.where(gap, np.nan, den.where(span).sum(axis=1)),
            },
            index=num.index,
        )
    else:
        stacked = {
            name: wide.T.rolling(window, min_periods=window).sum().T.stack(future_stack=True)
            for name, wide in (("numerator", num), ("denominator", den))
        }
        frame = pd.DataFrame(stacked).reset_index(level="year").rename(columns={"year": "year_to"})
        frame["year_from"] = frame["year_to"] - window + 1
        bounds = pd.DataFrame({"first": first, "last": last}, index=num.index).reindex(frame.index)
        inside = (frame["year_from"] >= bounds["first"]) & (frame["year_to"] <= bounds["last"])
        frame = frame[inside.to_numpy()]
    frame["n_years"] = frame["year_to"] - frame["year_from"] + 1
    estimate = (
        poisson_rate(frame["numerator"], frame["denominator"], alpha=alpha, per=per)
        if method == "garwood"
        else proportion(frame["numerator"], frame["denominator"], method=method, alpha=alpha, per=per)
    )
    out = pd.concat([frame[["year_from", "year_to", "n_years"]], estimate], axis=1).reset_index()
    keys = [k for k in keys if k != "_series"]
    return out[[*keys, "year_from", "year_to", "n_years", *RESULT_COLUMNS]].reset_index(drop=True)
