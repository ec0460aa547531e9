"""Proportions and rates with confidence intervals, and comparisons of two groups.

Every function takes scalars, numpy arrays or pandas Series (aligned by position) and returns an
:class:`~womenstats.gender.result.Estimate` or a DataFrame with ``value, lower, upper, numerator,
denominator, reason``. Counts of zero give a value of 0 with a real upper limit; a zero denominator
gives NaN with ``reason == "zero_denominator"``; a part above its whole raises ``InputError``.

Methods
-------
- Wilson score interval for a proportion (Wilson 1927; Newcombe 1998 method 3).
- Clopper–Pearson exact interval for a proportion (Clopper & Pearson 1934).
- Garwood exact interval for a Poisson count or rate (Garwood 1936; Ulm 1990).
- Newcombe's hybrid score interval for a difference of proportions (Newcombe 1998, method 10).
- MOVER-R Wilson interval for a ratio of proportions (Donner & Zou 2012; Newcombe 2013, ch. 10).
- MOVER-D interval with Garwood limits for a difference of rates (Zou & Donner 2008; Li, Tang & Wong 2014).
- Exact conditional interval for a ratio of rates from the binomial split of the events
  (Clopper–Pearson on ``k1 / (k1 + k2)``; Breslow & Day 1987, §2.3; Ulm 1990).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from womenstats.gender.inputs import (
    as_arrays,
    check_alpha,
    check_counts,
    check_part_of_whole,
    reasons,
)
from womenstats.gender.result import Estimate, pack, template_of

#: Names accepted for the proportion interval methods.
PROPORTION_METHODS: dict[str, str] = {
    "wilson": "wilson",
    "clopper-pearson": "clopper-pearson",
    "beta": "clopper-pearson",
    "exact": "clopper-pearson",
}


def _z(alpha: float) -> float:
    return float(stats.norm.isf(alpha / 2))


def wilson_limits(count: np.ndarray, nobs: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score limits of a proportion (arrays; invalid items give NaN).

    ``(x + z²/2 ± z·sqrt(x(n−x)/n + z²/4)) / (n + z²)`` with ``z = Φ⁻¹(1 − α/2)`` (Wilson 1927).
    """
    z = _z(alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = (count + z * z / 2) / (nobs + z * z)
        half = z * np.sqrt(count * (nobs - count) / nobs + z * z / 4) / (nobs + z * z)
    lower = np.where(count == 0, 0.0, np.clip(centre - half, 0, 1))
    upper = np.where(count == nobs, 1.0, np.clip(centre + half, 0, 1))
    bad = ~(nobs > 0)
    return np.where(bad, np.nan, lower), np.where(bad, np.nan, upper)


def clopper_pearson_limits(
    count: np.ndarray, nobs: np.ndarray, alpha: float
) -> tuple[np.ndarray, np.ndarray]:
    """Clopper–Pearson exact limits of a proportion (arrays; invalid items give NaN).

    ``lower = B⁻¹(α/2; x, n−x+1)`` (0 when x = 0), ``upper = B⁻¹(1−α/2; x+1, n−x)`` (1 when x = n),
    where ``B⁻¹`` is the beta quantile (Clopper & Pearson 1934).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = np.where(count == 0, 0.0, stats.beta.ppf(alpha / 2, count, nobs - count + 1))
        upper = np.where(count == nobs, 1.0, stats.beta.isf(alpha / 2, count + 1, nobs - count))
    bad = ~(nobs > 0)
    return np.where(bad, np.nan, lower), np.where(bad, np.nan, upper)


def garwood_limits(count: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Garwood exact limits of a Poisson count (not divided by the exposure).

    ``lower = χ²⁻¹(α/2; 2k) / 2`` (0 when k = 0), ``upper = χ²⁻¹(1−α/2; 2k+2) / 2`` (Garwood 1936).
    """
    with np.errstate(invalid="ignore"):
        lower = np.where(count == 0, 0.0, stats.chi2.ppf(alpha / 2, 2 * count) / 2)
        upper = stats.chi2.isf(alpha / 2, 2 * count + 2) / 2
    return lower, upper


def proportion(
    count: object,
    nobs: object,
    *,
    method: str = "wilson",
    alpha: float = 0.05,
    per: float = 1,
    where: pd.DataFrame | None = None,
) -> Estimate | pd.DataFrame:
    """Proportion ``count / nobs`` with a Wilson or Clopper–Pearson interval.

    Parameters
    ----------
    count, nobs : float, array-like or Series
        Number with the attribute and number observed (``0 <= count <= nobs``).
    method : {"wilson", "clopper-pearson"}, default "wilson"
        ``"beta"`` and ``"exact"`` are accepted for Clopper–Pearson.
    alpha : float, default 0.05
        One minus the confidence level.
    per : float, default 1
        Scale of the result: 100 for a percentage.
    where : DataFrame, optional
        The observation rows the counts came from, used to name the file and cell in errors.

    Returns
    -------
    Estimate or DataFrame
        ``value = per · x / n`` with its limits; ``nobs == 0`` gives NaN and ``reason="zero_denominator"``.

    Raises
    ------
    InputError
        A negative count, or ``count > nobs``.

    Notes
    -----
    Wilson: ``(x + z²/2 ± z·sqrt(x(n−x)/n + z²/4)) / (n + z²)``. Clopper–Pearson:
    ``[B⁻¹(α/2; x, n−x+1), B⁻¹(1−α/2; x+1, n−x)]``.

    References
    ----------
    Wilson, E. B. (1927). JASA 22, 209–212. Clopper, C. J. & Pearson, E. S. (1934). Biometrika 26,
    404–413. Brown, L. D., Cai, T. T. & DasGupta, A. (2001). Statistical Science 16, 101–133.
    """
    return proportion_of(count, nobs, ("分子", "分母"), method=method, alpha=alpha, per=per, where=where)


def proportion_of(
    count: object,
    nobs: object,
    names: tuple[str, str],
    *,
    method: str,
    alpha: float,
    per: float,
    where: pd.DataFrame | None,
) -> Estimate | pd.DataFrame:
    """:func:`proportion` with the Chinese names of the two counts used in error messages."""
    check_alpha(alpha)
    kind = _proportion_method(method)
    index = template_of(count, nobs)
    x, n = as_arrays(count, nobs)
    check_part_of_whole(x, n, names[0], names[1], index, where)
    lower, upper = (wilson_limits if kind == "wilson" else clopper_pearson_limits)(x, n, alpha)
    return _scaled(index, x, n, lower, upper, per)


def poisson_rate(
    count: object,
    exposure: object,
    *,
    alpha: float = 0.05,
    per: float = 1,
    where: pd.DataFrame | None = None,
) -> Estimate | pd.DataFrame:
    """Rate ``per · k / E`` of a Poisson count with the Garwood exact interval.

    Parameters
    ----------
    count : float, array-like or Series
        Number of events ``k`` (e.g. maternal deaths).
    exposure : float, array-like or Series
        Population or person-time at risk ``E`` (e.g. live births).
    alpha : float, default 0.05
        One minus the confidence level.
    per : float, default 1
        1000 for ‰, 100000 for 1/10万.
    where : DataFrame, optional
        Observation rows, used to name the file and cell in errors.

    Returns
    -------
    Estimate or DataFrame
        ``k = 0`` gives 0 with upper limit ``per · 3.689 / E`` (95%); ``E = 0`` gives NaN.

    Notes
    -----
    ``[χ²⁻¹(α/2; 2k) / 2, χ²⁻¹(1−α/2; 2k+2) / 2] · per / E``.

    References
    ----------
    Garwood, F. (1936). Biometrika 28, 437–442. Ulm, K. (1990). Am J Epidemiol 131, 373–375.
    """
    check_alpha(alpha)
    index = template_of(count, exposure)
    k, e = as_arrays(count, exposure)
    check_counts(k, "事件数（分子）", index, where)
    check_counts(e, "暴露人数（分母）", index, where, integer=False)
    lower, upper = garwood_limits(k, alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        return _scaled(index, k, e, lower / e, upper / e, per)


def _scaled(index, num, den, lower, upper, per) -> Estimate | pd.DataFrame:
    why = reasons(num, den)
    ok = why == ""
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(ok, num / den * per, np.nan)
    lower, upper = np.where(ok, lower * per, np.nan), np.where(ok, upper * per, np.nan)
    return pack(index, value, lower, upper, num, den, why)


def _proportion_method(method: str) -> str:
    try:
        return PROPORTION_METHODS[method.lower()]
    except KeyError:
        raise ValueError(f"unknown method {method!r}; use one of {sorted(PROPORTION_METHODS)}") from None


def _limits_of(method: str):
    """Return the limits function of a proportion interval method (``wilson``, ``clopper-pearson``)."""
    return wilson_limits if _proportion_method(method) == "wilson" else clopper_pearson_limits


def _two_groups(index, p1, p2, value, lower, upper, why, per_value: float) -> Estimate | pd.DataFrame:
    """Pack a comparison: numerator and denominator hold the two compared rates (in ``per`` units)."""
    ok = why == ""
    nan = np.nan
    return pack(
        index,
        np.where(ok, value, nan),
        np.where(ok, lower, nan),
        np.where(ok, upper, nan),
        p1 * per_value,
        p2 * per_value,
        why,
    )


def proportion_difference(
    count1: object,
    nobs1: object,
    count2: object,
    nobs2: object,
    *,
    alpha: float = 0.05,
    per: float = 100,
    method: str = "wilson",
) -> Estimate | pd.DataFrame:
    """Difference of two proportions ``p1 − p2`` with Newcombe's hybrid score interval.

    Parameters
    ----------
    count1, nobs1 : float, array-like or Series
        Group 1 (e.g. women): count and number observed.
    count2, nobs2 : float, array-like or Series
        Group 2 (e.g. men).
    alpha : float, default 0.05
        One minus the confidence level.
    per : float, default 100
        Scale: 100 gives percentage points.
    method : {"wilson", "clopper-pearson"}, default "wilson"
        The interval of each proportion the difference's limits are built on (MOVER): Wilson gives
        Newcombe's method 10; Clopper–Pearson gives the exact-limits MOVER, wider and never below
        the nominal coverage.

    Returns
    -------
    Estimate or DataFrame
        ``value = per · (p1 − p2)``; ``numerator`` and ``denominator`` are ``per · p1`` and ``per · p2``.

    Notes
    -----
    With Wilson limits ``(l_i, u_i)``: ``L = d − sqrt((p1 − l1)² + (u2 − p2)²)``,
    ``U = d + sqrt((u1 − p1)² + (p2 − l2)²)``.

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between independent proportions:
    comparison of eleven methods. Statistics in Medicine 17, 873–890 (method 10; example 56/70 − 48/80
    gives 0.0524 to 0.3339).
    """
    index, (p1, ci1), (p2, ci2), why = _two_proportions(count1, nobs1, count2, nobs2, alpha, method)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower, upper = mover_difference(p1, p2, ci1, ci2)
    return _two_groups(index, p1, p2, (p1 - p2) * per, lower * per, upper * per, why, per)


def proportion_ratio(
    count1: object,
    nobs1: object,
    count2: object,
    nobs2: object,
    *,
    alpha: float = 0.05,
    method: str = "wilson",
) -> Estimate | pd.DataFrame:
    """Ratio of two proportions ``p1 / p2`` with the MOVER-R Wilson interval.

    Parameters
    ----------
    count1, nobs1, count2, nobs2, alpha : as in :func:`proportion_difference`
        Group 1 is the numerator group.
    method : {"wilson", "clopper-pearson"}, default "wilson"
        The interval of each proportion the ratio's limits are built on (MOVER-R).

    Returns
    -------
    Estimate or DataFrame
        ``count2 == 0`` gives NaN with ``reason="zero_reference"``; ``numerator`` and
        ``denominator`` are ``p1`` and ``p2``.

    Notes
    -----
    With Wilson limits ``(l_i, u_i)``:
    ``L = (p1p2 − sqrt((p1p2)² − l1u2(2p1 − l1)(2p2 − u2))) / (u2(2p2 − u2))``,
    ``U = (p1p2 + sqrt((p1p2)² − u1l2(2p1 − u1)(2p2 − l2))) / (l2(2p2 − l2))``.

    References
    ----------
    Donner, A. & Zou, G. Y. (2012). Closed-form confidence intervals for functions of the normal mean
    and standard deviation. Stat Methods Med Res 21, 347–359. Newcombe, R. G. (2013). Confidence
    Intervals for Proportions and Related Measures of Effect Size, ch. 10 (MOVER-R).
    """
    index, (p1, ci1), (p2, ci2), why = _two_proportions(
        count1, nobs1, count2, nobs2, alpha, method, ratio=True
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        lower, upper = mover_ratio(p1, p2, ci1, ci2)
        value = p1 / p2
    return _two_groups(index, p1, p2, value, lower, upper, why, 1.0)


def mover_difference(
    p1: np.ndarray,
    p2: np.ndarray,
    ci1: tuple[np.ndarray, np.ndarray],
    ci2: tuple[np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """MOVER-D limits of ``p1 − p2`` from the limits of each estimate (Zou & Donner 2008).

    ``L = d − sqrt((p1 − l1)² + (u2 − p2)²)``, ``U = d + sqrt((u1 − p1)² + (p2 − l2)²)``; with Wilson
    limits this is Newcombe's (1998) hybrid score interval.
    """
    (l1, u1), (l2, u2) = ci1, ci2
    d = p1 - p2
    return d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


def _two_proportions(
    count1, nobs1, count2, nobs2, alpha: float, method: str, *, ratio: bool = False
) -> tuple:
    """Check the counts of two groups; return the index, ``(p, limits)`` of each group and the reasons.

    With ``ratio``, a zero count in group 2 is ``zero_reference`` (see :func:`_reasons_of_two`).
    """
    check_alpha(alpha)
    index = template_of(count1, nobs1, count2, nobs2)
    x1, n1, x2, n2 = as_arrays(count1, nobs1, count2, nobs2)
    check_part_of_whole(x1, n1, "第一组分子", "第一组分母", index)
    check_part_of_whole(x2, n2, "第二组分子", "第二组分母", index)
    limits = _limits_of(method)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = x1 / n1, x2 / n2
    why = _reasons_of_two(x1, n1, x2, n2, ratio)
    return index, (p1, limits(x1, n1, alpha)), (p2, limits(x2, n2, alpha)), why


def mover_ratio(
    p1: np.ndarray,
    p2: np.ndarray,
    ci1: tuple[np.ndarray, np.ndarray],
    ci2: tuple[np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """MOVER-R limits of ``p1 / p2`` from the limits of each estimate (Donner & Zou 2012)."""
    (l1, u1), (l2, u2) = ci1, ci2
    prod = p1 * p2
    lower = (prod - np.sqrt(np.maximum(prod**2 - l1 * u2 * (2 * p1 - l1) * (2 * p2 - u2), 0))) / (
        u2 * (2 * p2 - u2)
    )
    upper = (prod + np.sqrt(np.maximum(prod**2 - u1 * l2 * (2 * p1 - u1) * (2 * p2 - l2), 0))) / (
        l2 * (2 * p2 - l2)
    )
    return np.maximum(lower, 0), upper


def rate_difference(
    count1: object,
    exposure1: object,
    count2: object,
    exposure2: object,
    *,
    alpha: float = 0.05,
    per: float = 1,
) -> Estimate | pd.DataFrame:
    """Difference of two Poisson rates with the MOVER-D interval built on Garwood limits.

    Parameters
    ----------
    count1, exposure1, count2, exposure2 : float, array-like or Series
        Events and exposure of group 1 and group 2.
    alpha : float, default 0.05
        One minus the confidence level.
    per : float, default 1
        Scale of the rates (100000 for 1/10万).

    Returns
    -------
    Estimate or DataFrame
        ``value = per · (k1/E1 − k2/E2)``; ``numerator``/``denominator`` are the two rates.

    Notes
    -----
    ``L = d − sqrt((r1 − l1)² + (u2 − r2)²)``, ``U = d + sqrt((u1 − r1)² + (r2 − l2)²)`` with the
    Garwood limits ``(l_i, u_i)`` of each rate.

    References
    ----------
    Zou, G. Y. & Donner, A. (2008). Construction of confidence limits about effect measures: a general
    approach. Statistics in Medicine 27, 1693–1702. Li, H.-Q., Tang, M.-L. & Wong, W.-K. (2014).
    Confidence intervals for ratio of two Poisson rates using the method of variance estimates
    recovery. Computational Statistics 29, 869–889.
    """
    index, (k1, e1), (k2, e2), why = _two_rates(count1, exposure1, count2, exposure2, alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        r1, r2 = k1 / e1, k2 / e2
        ci1 = tuple(lim / e1 for lim in garwood_limits(k1, alpha))
        ci2 = tuple(lim / e2 for lim in garwood_limits(k2, alpha))
        lower, upper = mover_difference(r1, r2, ci1, ci2)
    return _two_groups(index, r1, r2, (r1 - r2) * per, lower * per, upper * per, why, per)


def rate_ratio(
    count1: object,
    exposure1: object,
    count2: object,
    exposure2: object,
    *,
    alpha: float = 0.05,
) -> Estimate | pd.DataFrame:
    """Ratio of two Poisson rates with the exact conditional (binomial) interval.

    Parameters
    ----------
    count1, exposure1, count2, exposure2, alpha : as in :func:`rate_difference`
        Group 1 is the numerator group.

    Returns
    -------
    Estimate or DataFrame
        ``count2 == 0`` gives NaN with ``reason="zero_reference"``; both counts 0 as well.

    Notes
    -----
    Given ``k = k1 + k2`` events, ``k1`` is binomial with ``π = R·E1 / (R·E1 + E2)``. With the
    Clopper–Pearson limits ``(π_L, π_U)`` of ``k1 / k``: ``R_L = π_L / (1 − π_L) · E2 / E1``,
    ``R_U = π_U / (1 − π_U) · E2 / E1``.

    References
    ----------
    Breslow, N. E. & Day, N. E. (1987). Statistical Methods in Cancer Research II, IARC, §2.3.
    Ulm, K. (1990). Am J Epidemiol 131, 373–375.
    """
    index, (k1, e1), (k2, e2), why = _two_rates(count1, exposure1, count2, exposure2, alpha, ratio=True)
    pi_l, pi_u = clopper_pearson_limits(k1, k1 + k2, alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        r1, r2 = k1 / e1, k2 / e2
        scale = e2 / e1
        lower, upper = pi_l / (1 - pi_l) * scale, pi_u / (1 - pi_u) * scale
        value = r1 / r2
    return _two_groups(index, r1, r2, value, lower, upper, why, 1.0)


def _two_rates(count1, exposure1, count2, exposure2, alpha: float, *, ratio: bool = False) -> tuple:
    """Check the events and exposures of two groups; return the index, ``(k, E)`` of each and the reasons."""
    check_alpha(alpha)
    index = template_of(count1, exposure1, count2, exposure2)
    k1, e1, k2, e2 = as_arrays(count1, exposure1, count2, exposure2)
    names = ("第一组事件数", "第一组暴露人数", "第二组事件数", "第二组暴露人数")
    for arr, name, whole in zip((k1, e1, k2, e2), names, (True, False, True, False), strict=True):
        check_counts(arr, name, index, integer=whole)
    return index, (k1, e1), (k2, e2), _reasons_of_two(k1, e1, k2, e2, ratio)


def _reasons_of_two(num1, den1, num2, den2, ratio: bool) -> np.ndarray:
    """Reason code of each comparison: group 1's, else group 2's.

    With ``ratio``, a valid comparison whose group 2 count is 0 is ``zero_reference``.
    """
    why1, why2 = reasons(num1, den1), reasons(num2, den2)
    why = np.where(why1 != "", why1, why2)
    return np.where((why == "") & (num2 == 0), "zero_reference", why) if ratio else why
