"""Direct age standardisation with the Fay–Feuer gamma interval.

A rate compared across regions or years whose age structures differ (cervical cancer mortality,
women's screening coverage) is standardised to one standard population: the age-specific rates are
averaged with the standard's weights. Small counts make the normal approximation fail, so the interval
is Fay & Feuer's (1997), which reduces to the Garwood exact interval when there is one age group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from womenstats.errors import InputError
from womenstats.gender.inputs import as_arrays, check_alpha, check_counts, check_unique
from womenstats.gender.result import RESULT_COLUMNS, Estimate, pack


def fay_feuer_limits(
    rate: np.ndarray, variance: np.ndarray, max_weight: np.ndarray, alpha: float
) -> tuple[np.ndarray, np.ndarray]:
    """Fay–Feuer gamma limits of a directly standardised rate (arrays).

    ``L = v/(2y) · χ²⁻¹(α/2; 2y²/v)`` (0 when y = 0),
    ``U = (v + w_M²)/(2(y + w_M)) · χ²⁻¹(1 − α/2; 2(y + w_M)²/(v + w_M²))``, where ``y`` is the rate,
    ``v = Σ w_i² x_i / n_i²`` its variance and ``w_M = max w_i / n_i``.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = np.where(
            rate > 0, variance / (2 * rate) * stats.chi2.ppf(alpha / 2, 2 * rate**2 / variance), 0.0
        )
        v_u, y_u = variance + max_weight**2, rate + max_weight
        upper = v_u / (2 * y_u) * stats.chi2.isf(alpha / 2, 2 * y_u**2 / v_u)
    return lower, upper


def direct_standardise(
    counts: object,
    populations: object,
    standard: object,
    *,
    alpha: float = 0.05,
    per: float = 1,
) -> Estimate:
    """Directly age-standardised rate of one population, with the Fay–Feuer interval.

    Parameters
    ----------
    counts, populations : array-like or Series
        Events ``x_i`` and population ``n_i`` of each age group.
    standard : array-like or Series
        Standard population of each age group (same order); only proportions matter.
    alpha : float, default 0.05
        One minus the confidence level.
    per : float, default 1
        Scale (100000 for 1/10万).

    Returns
    -------
    Estimate
        ``value = per · Σ w_i x_i / n_i`` with ``w_i = s_i / Σ s``; ``numerator`` and ``denominator``
        are the crude totals ``Σ x_i`` and ``Σ n_i``. An age group with a standard weight but no
        population gives NaN (``zero_denominator``); a missing count gives ``missing_count``.

    Notes
    -----
    See :func:`fay_feuer_limits` for the interval.

    References
    ----------
    Fay, M. P. & Feuer, E. J. (1997). Confidence intervals for directly standardized rates: a method
    based on the gamma distribution. Statistics in Medicine 16, 791–801.
    """
    x, n, s = as_arrays(counts, populations, standard)
    frame = pd.DataFrame({"_series": 0, "numerator": x, "denominator": n, "_weight": s})
    result = _standardise(frame, ["_series"], alpha, per).iloc[0]
    return Estimate(*(float(result[c]) for c in RESULT_COLUMNS[:5]), reason=str(result["reason"]))


def standardise_observations(
    obs: pd.DataFrame,
    standard: Mapping[str, float] | pd.Series,
    *,
    by: Sequence[str] = ("region_code", "year", "indicator_id", "sex", "residence"),
    alpha: float = 0.05,
    per: float = 1,
) -> pd.DataFrame:
    """Directly age-standardised rates of observation rows, one per series point.

    Parameters
    ----------
    obs : DataFrame
        Rows with ``age_group``, ``numerator``, ``denominator`` and the ``by`` columns; rows whose
        age group is ``all`` are ignored.
    standard : mapping or Series
        Standard population by age group (e.g. the 2020 census female population of the province).
    by : sequence of str
        Columns identifying a series point (those absent from ``obs`` are ignored).
    alpha : float, default 0.05
        One minus the confidence level.
    per : float, default 1
        Scale.

    Returns
    -------
    DataFrame
        The ``by`` columns and the result columns. A point lacking an age group of the standard is
        NaN with ``reason="missing_count"`` (never standardised on the groups that happen to be there).

    Raises
    ------
    InputError
        An age group absent from the standard, or a negative count.
    """
    std = pd.Series(standard, dtype=float)
    rows = obs[obs["age_group"] != "all"]
    unknown = sorted(set(rows["age_group"]) - set(std.index))
    if unknown:
        raise InputError(
            f"年龄组 {unknown[0]} 不在标准人口中：请在标准人口里加入该年龄组，"
            "或把数据合并为标准人口的年龄组。",
            code="E_AGE_GROUP",
        )
    keys = [c for c in by if c in rows.columns] or ["_series"]
    rows = rows.assign(_series=0)
    check_unique(rows, [*keys, "age_group"])
    grid = rows[keys].drop_duplicates().merge(pd.DataFrame({"age_group": std.index}), how="cross")
    counts = rows[[*keys, "age_group", "numerator", "denominator"]]
    full = grid.merge(counts, on=[*keys, "age_group"], how="left")
    full["_weight"] = full["age_group"].map(std).to_numpy()
    out = _standardise(full, keys, alpha, per).reset_index()
    keys = [k for k in keys if k != "_series"]
    return out[[*keys, *RESULT_COLUMNS]]


def _standardise(frame: pd.DataFrame, keys: list[str], alpha: float, per: float) -> pd.DataFrame:
    """Standardise each group of ``frame`` (columns numerator, denominator, _weight)."""
    check_alpha(alpha)
    x, n, s = (frame[c].to_numpy(dtype=float) for c in ("numerator", "denominator", "_weight"))
    where = frame if "source_file" in frame.columns else None
    check_counts(x, "分年龄组事件数", frame.index, where)
    check_counts(n, "分年龄组人口数", frame.index, where, integer=False)
    check_counts(s, "标准人口", frame.index, where, integer=False)
    group = frame.groupby(keys, sort=True, dropna=False)
    w = s / group["_weight"].transform("sum").to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = pd.DataFrame(
            {
                "rate": w * x / n,
                "variance": w**2 * x / n**2,
                "max_weight": w / n,
                "missing": np.isnan(x) | np.isnan(n),
                "empty": (n == 0) & (w > 0),
                "numerator": x,
                "denominator": n,
            },
            index=frame.index,
        ).groupby([frame[k] for k in keys], sort=True, dropna=False)
    agg = terms.agg(
        {
            "rate": "sum",
            "variance": "sum",
            "max_weight": "max",
            "missing": "any",
            "empty": "any",
            "numerator": "sum",
            "denominator": "sum",
        }
    )
    why = np.where(agg["missing"], "missing_count", np.where(agg["empty"], "zero_denominator", ""))
    rate, var, wmax = (agg[c].to_numpy(dtype=float) for c in ("rate", "variance", "max_weight"))
    lower, upper = fay_feuer_limits(rate, var, wmax, alpha)
    ok = why == ""
    nan = np.nan
    return pack(
        agg.index,
        np.where(ok, rate * per, nan),
        np.where(ok, lower * per, nan),
        np.where(ok, upper * per, nan),
        agg["numerator"].to_numpy(),
        agg["denominator"].to_numpy(),
        why,
    )
