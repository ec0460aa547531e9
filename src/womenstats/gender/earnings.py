"""Gaps in pay and in time use: from published averages, or from microdata with an interval.

Published averages give the gap and no interval (``reason="no_counts"``); microdata (one value per
person) give a bootstrap (pay, median or mean) or Welch (time use, mean) interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from womenstats.gender.inputs import check_alpha
from womenstats.gender.measures import _of_values, gap
from womenstats.gender.result import Estimate


def pay_gap(female: object, male: object) -> Estimate | pd.DataFrame:
    """Unadjusted gender pay gap from published average (mean or median) earnings, % of men's.

    Parameters
    ----------
    female, male : float, array-like or Series
        Mean (or median) earnings of women and of men, in the same unit and period.

    Returns
    -------
    Estimate or DataFrame
        ``value = 100 · (E_m − E_f) / E_m``; positive when women earn less. ``numerator`` and
        ``denominator`` are the two averages; no interval (see :func:`pay_gap_survey`).

    Notes
    -----
    ``GPG = (E_m − E_f) / E_m × 100`` (Eurostat's unadjusted gap uses mean gross hourly earnings;
    the ILO also reports the median-based gap).

    References
    ----------
    Eurostat, Gender pay gap in unadjusted form (sdg_05_20), metadata. ILO (2018). Global Wage Report
    2018/19: What lies behind gender pay gaps.
    """
    est = _of_values(female, male, "ratio")
    return _pay_gap_from(est)


def _pay_gap_from(est: Estimate | pd.DataFrame) -> Estimate | pd.DataFrame:
    # 100·(1 − r) is decreasing in r: the value maps, the (missing) limits stay missing.
    if isinstance(est, Estimate):
        value = 100 * (1 - est.value)
        return Estimate(value, est.lower, est.upper, est.numerator, est.denominator, est.reason)
    out = est.copy()
    out["value"] = 100 * (1 - out["value"])
    return out


def pay_gap_survey(
    female: object,
    male: object,
    *,
    statistic: str = "median",
    alpha: float = 0.05,
    n_resamples: int = 2000,
    seed: int = 0,
) -> Estimate:
    """Gender pay gap from individual earnings (survey or payroll microdata), with a bootstrap interval.

    Parameters
    ----------
    female, male : array-like
        Earnings of each woman and each man (same unit and period; NaN are dropped).
    statistic : {"median", "mean"}, default "median"
        Average compared.
    alpha : float, default 0.05
        One minus the confidence level.
    n_resamples : int, default 2000
        Bootstrap resamples (each sex resampled independently).
    seed : int, default 0
        Seed of the resampling, so results are reproducible.

    Returns
    -------
    Estimate
        ``value = 100 · (1 − avg(f) / avg(m))`` with a percentile bootstrap interval; ``numerator`` and
        ``denominator`` are the two averages. Fewer than 2 earners of a sex gives NaN
        (``too_few_values``).

    Notes
    -----
    Unweighted: apply to a self-weighting sample or to a complete payroll.

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap, ch. 13 (percentile
    interval). Eurostat / ILO (2018) for the definition of the gap.
    """
    check_alpha(alpha)
    avg = {"median": np.median, "mean": np.mean}[statistic]
    f = np.asarray(female, dtype=float)
    m = np.asarray(male, dtype=float)
    f, m = f[~np.isnan(f)], m[~np.isnan(m)]
    if min(f.size, m.size) < 2:
        a, b = (float(avg(x)) if x.size else np.nan for x in (f, m))
        return Estimate(np.nan, np.nan, np.nan, a, b, "too_few_values")

    def gap_of(x, y, axis=-1):
        return 100 * (1 - avg(x, axis=axis) / avg(y, axis=axis))

    res = stats.bootstrap(
        (f, m),
        gap_of,
        n_resamples=n_resamples,
        confidence_level=1 - alpha,
        method="percentile",
        vectorized=True,
        rng=np.random.default_rng(seed),
    )
    ci = res.confidence_interval
    return Estimate(float(gap_of(f, m)), float(ci.low), float(ci.high), float(avg(f)), float(avg(m)))


def time_use_gap(female: object, male: object) -> Estimate | pd.DataFrame:
    """Female − male gap in time use (家务劳动时间差距) from published averages, e.g. minutes a day.

    Parameters
    ----------
    female, male : float, array-like or Series
        Average time of women and of men on an activity (unpaid domestic work...).

    Returns
    -------
    Estimate or DataFrame
        ``value = t_f − t_m`` in the unit of the inputs; no interval (see :func:`time_use_gap_survey`).

    Notes
    -----
    ``gap = t_f − t_m``; the plans' target is that it narrows (operator ``narrow``).

    References
    ----------
    UN Statistics Division (2005). Guide to Producing Statistics on Time Use; SDG indicator 5.4.1
    metadata. National Bureau of Statistics of China (2018). 第二次全国时间利用调查公报.
    """
    return gap(female, male)


def time_use_gap_survey(female: object, male: object, *, alpha: float = 0.05) -> Estimate:
    """Female − male gap in mean time use from diary microdata, with a Welch interval.

    Parameters
    ----------
    female, male : array-like
        Time each respondent spent on the activity (NaN are dropped).
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    Estimate
        ``value = mean(f) − mean(m)`` with the Welch–Satterthwaite t interval; ``numerator`` and
        ``denominator`` are the two means. Fewer than 2 respondents of a sex gives NaN.

    Notes
    -----
    ``d ± t_{ν, 1−α/2} · sqrt(s_f²/n_f + s_m²/n_m)``, ``ν`` by Welch–Satterthwaite. Unweighted.

    References
    ----------
    Welch, B. L. (1947). The generalization of Student's problem when several different population
    variances are involved. Biometrika 34, 28–35.
    """
    check_alpha(alpha)
    f = np.asarray(female, dtype=float)
    m = np.asarray(male, dtype=float)
    f, m = f[~np.isnan(f)], m[~np.isnan(m)]
    if min(f.size, m.size) < 2:
        a, b = (float(np.mean(x)) if x.size else np.nan for x in (f, m))
        return Estimate(np.nan, np.nan, np.nan, a, b, "too_few_values")
    ci = stats.ttest_ind(f, m, equal_var=False).confidence_interval(confidence_level=1 - alpha)
    mf, mm = float(f.mean()), float(m.mean())
    return Estimate(mf - mm, float(ci.low), float(ci.high), mf, mm)

