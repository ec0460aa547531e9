"""Rates built from small counts: when they are small, a pooled value and an exact comparison.

A county with 3 000 births a year has a maternal mortality ratio of 0 or 33 per 100 000: one death
moves the rate more than any policy could. The assessment therefore (a) flags a rate whose latest
numerator is below :data:`MIN_EVENTS`, (b) judges "achieved" on the rate pooled over the last
:data:`POOL_YEARS` years (summed numerators over summed denominators, never an average of rates),
and (c) calls the rate ``regressing`` only when the pooled recent rate is significantly worse than
the pooled earlier one by the exact conditional test for two Poisson rates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from womenstats.gender import poisson_rate

#: A rate from fewer events than this is a small number (relative standard error above
#: 1/sqrt(20) = 22%; the NCHS reliability rule, Hamilton et al., NVSR 2016).
MIN_EVENTS = 20
#: Years pooled for the "achieved" value and for each side of the exact comparison.
POOL_YEARS = 3
#: One-sided significance level of the exact comparison.
ALPHA = 0.05


@dataclass(frozen=True)
class PooledRate:
    """A rate pooled over several years.

    Attributes
    ----------
    years : tuple of int
        The years pooled.
    events, exposure : float
        Summed numerators and denominators.
    rate, lo95, hi95 : float
        ``per * events / exposure`` and its exact (Garwood) 95% interval, from
        :func:`womenstats.gender.poisson_rate`.
    """

    years: tuple[int, ...]
    events: float
    exposure: float
    rate: float
    lo95: float
    hi95: float


def is_small(numerator: float) -> bool:
    """Whether a rate's numerator is a small number (below :data:`MIN_EVENTS`; NaN is not).

    Parameters
    ----------
    numerator : float
        Events behind the latest rate.

    Returns
    -------
    bool
    """
    return numerator is not None and not math.isnan(numerator) and numerator < MIN_EVENTS


def pooled_rate(years, numerators, denominators, per: float, n_years: int = POOL_YEARS) -> PooledRate | None:
    """Pool the last ``n_years`` years that have both counts.

    ``rate = per * sum(numerators) / sum(denominators)`` (never an average of yearly rates), with
    the Garwood exact interval of the summed events divided by the summed exposure
    (:func:`womenstats.gender.poisson_rate`; Garwood 1936, Biometrika 28, 437-442).

    Parameters
    ----------
    years, numerators, denominators : array-like
        One entry a year, in any order.
    per : float
        Scale of the rate (100 000 for 1/10万).
    n_years : int, default 3
        Years to pool.

    Returns
    -------
    PooledRate or None
        None when no year has both counts.
    """
    y = np.asarray(years, dtype=float)
    num = np.asarray(numerators, dtype=float)
    den = np.asarray(denominators, dtype=float)
    ok = ~np.isnan(num) & ~np.isnan(den) & (den > 0)
    if not ok.any():
        return None
    order = np.argsort(y[ok])[::-1][:n_years]
    yy, nn, dd = y[ok][order], num[ok][order], den[ok][order]
    events, exposure = float(nn.sum()), float(dd.sum())
    estimate = poisson_rate(events, exposure, per=per)
    return PooledRate(
        years=tuple(int(v) for v in sorted(yy)),
        events=events,
        exposure=exposure,
        rate=float(estimate.value),
        lo95=float(estimate.lower),
        hi95=float(estimate.upper),
    )


def worse_test(events_recent: float, exposure_recent: float, events_before: float,
               exposure_before: float, better: str) -> float:
    """One-sided exact p-value that the recent rate is worse than the earlier one.

    Conditional on the total ``n = k1 + k0``, under equal rates ``k1 ~ Binomial(n, E1/(E1+E0))``.
    When lower is better the p-value is ``P(K >= k1)``; when higher is better ``P(K <= k1)``.

    Parameters
    ----------
    events_recent, exposure_recent : float
        Events ``k1`` and exposure ``E1`` of the recent period.
    events_before, exposure_before : float
        Events ``k0`` and exposure ``E0`` of the earlier period.
    better : str
        ``lower`` or ``higher``.

    Returns
    -------
    float
        The p-value (1.0 when there are no events at all).

    References
    ----------
    Przyborowski, J. and Wilenski, H. (1940). Homogeneity of results in testing samples from
    Poisson series. Biometrika 31, 313-323.
    """
    k1, k0 = round(float(events_recent)), round(float(events_before))
    n = k1 + k0
    if n == 0:
        return 1.0
    share = exposure_recent / (exposure_recent + exposure_before)
    alternative = "greater" if better == "lower" else "less"
    return float(stats.binomtest(k1, n, share, alternative=alternative).pvalue)


def regress_test(years, numerators, denominators, better: str, n_years: int = POOL_YEARS) -> bool | None:
    """Whether the pooled recent rate is significantly worse than the pooled earlier rate.

    The last ``n_years`` years with counts are compared with up to ``n_years`` years before them by
    :func:`worse_test` at level :data:`ALPHA`.

    Parameters
    ----------
    years, numerators, denominators : array-like
        One entry a year.
    better : str
        ``lower`` or ``higher``; other values give None.
    n_years : int, default 3
        Years on each side.

    Returns
    -------
    bool or None
        None when either side has no year with counts or ``better`` is neutral.
    """
    if better not in ("lower", "higher"):
        return None
    y = np.asarray(years, dtype=float)
    num = np.asarray(numerators, dtype=float)
    den = np.asarray(denominators, dtype=float)
    ok = ~np.isnan(num) & ~np.isnan(den) & (den > 0)
    order = np.argsort(y[ok])
    nn, dd = num[ok][order], den[ok][order]
    if len(nn) < 2:
        return None
    recent = slice(max(len(nn) - n_years, 1), len(nn))
    start = max(recent.start - n_years, 0)
    before = slice(start, recent.start)
    p = worse_test(nn[recent].sum(), dd[recent].sum(), nn[before].sum(), dd[before].sum(), better)
    return p < ALPHA
