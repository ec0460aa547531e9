"""Female–male measures: shares, sex ratios, gaps, ratios, parity indices, segregation.

Pay and time-use gaps are in :mod:`womenstats.gender.earnings`.

Count-based measures carry a confidence interval (see :mod:`womenstats.gender.intervals`); measures of
two published values (a gap between two percentages, a parity index of two enrolment rates) carry the
two values as ``numerator`` and ``denominator`` and no interval (``reason="no_counts"``). Index
transforms (:func:`adjusted_gpi`, :func:`wef_parity`) are monotone, so they map an interval to an
interval: pass them the result of :func:`ratio_fm` to keep its limits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from womenstats.gender.inputs import as_arrays, check_alpha, check_counts
from womenstats.gender.intervals import (
    clopper_pearson_limits,
    proportion_difference,
    proportion_of,
    proportion_ratio,
)
from womenstats.gender.result import Estimate, pack, template_of

#: Normal range of the sex ratio at birth, boys per 100 girls (UN DESA; Chao et al. 2019, PNAS).
SRB_NORMAL_RANGE: tuple[float, float] = (103.0, 107.0)

#: WEF equality benchmarks of a female/male ratio other than 1 (Global Gender Gap Report).
WEF_BENCHMARKS: dict[str, float] = {"sex_ratio_at_birth": 0.944, "healthy_life_expectancy": 1.06}


def female_share(
    female: object,
    total: object,
    *,
    method: str = "wilson",
    alpha: float = 0.05,
    per: float = 100,
    where: pd.DataFrame | None = None,
) -> Estimate | pd.DataFrame:
    """Female share of a total (女性比例), e.g. women among deputies or among managers.

    Parameters
    ----------
    female, total : float, array-like or Series
        Number of women and the total of both sexes.
    method, alpha, where : as in :func:`~womenstats.gender.intervals.proportion`
    per : float, default 100
        100 gives a percentage.

    Returns
    -------
    Estimate or DataFrame
        ``value = per · F / T`` with its interval; ``total == 0`` gives NaN (``zero_denominator``).

    Raises
    ------
    InputError
        ``female > total`` or a negative count.

    Notes
    -----
    ``share = F / T``. For a complete count (all deputies) the interval describes the share as the
    outcome of a process (superpopulation view), which is how small bodies should be read.

    References
    ----------
    UN Statistics Division (2016). Integrating a Gender Perspective into Statistics, ch. 2.
    Wilson (1927); Clopper & Pearson (1934).
    """
    names = ("女性人数", "合计人数")
    return proportion_of(female, total, names, method=method, alpha=alpha, per=per, where=where)


def sex_ratio(
    male: object, female: object, *, alpha: float = 0.05, per: float = 100
) -> Estimate | pd.DataFrame:
    """Sex ratio: males per ``per`` females, with an exact interval.

    Parameters
    ----------
    male, female : float, array-like or Series
        Numbers of males and females.
    alpha : float, default 0.05
        One minus the confidence level.
    per : float, default 100
        Males per this many females.

    Returns
    -------
    Estimate or DataFrame
        ``numerator`` is the male count, ``denominator`` the female count; ``female == 0`` gives NaN
        with ``reason="zero_reference"``.

    Notes
    -----
    ``SR = per · M / F``. Given ``N = M + F``, ``M`` is binomial with ``π = SR / (SR + per)``; the
    Clopper–Pearson limits ``(π_L, π_U)`` of ``M / N`` give ``per · π / (1 − π)`` at each limit.

    References
    ----------
    UN DESA Population Division, World Population Prospects: definition of the sex ratio. Clopper &
    Pearson (1934) for the binomial limits.
    """
    check_alpha(alpha)
    index = template_of(male, female)
    m, f = as_arrays(male, female)
    check_counts(m, "男性人数", index)
    check_counts(f, "女性人数", index)
    why = np.where(np.isnan(m) | np.isnan(f), "missing_count", np.where(f == 0, "zero_reference", ""))
    lo, hi = clopper_pearson_limits(m, m + f, alpha)
    ok = why == ""
    with np.errstate(divide="ignore", invalid="ignore"):
        value, lower, upper = m / f * per, lo / (1 - lo) * per, hi / (1 - hi) * per
    value, lower, upper = (np.where(ok, x, np.nan) for x in (value, lower, upper))
    return pack(index, value, lower, upper, m, f, why)


def sex_ratio_at_birth(
    male_births: object, female_births: object, *, alpha: float = 0.05
) -> Estimate | pd.DataFrame:
    """Sex ratio at birth (出生人口性别比): male live births per 100 female live births.

    Parameters
    ----------
    male_births, female_births : float, array-like or Series
        Live births by sex in the same period.
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    Estimate or DataFrame
        As :func:`sex_ratio` with ``per=100``. The biologically normal range is
        :data:`SRB_NORMAL_RANGE` (103–107); a county's yearly births are few, so read the interval.

    Notes
    -----
    ``SRB = 100 · B_m / B_f`` with the exact binomial interval of :func:`sex_ratio`.

    References
    ----------
    Chao, F., Gerland, P., Cook, A. R. & Alkema, L. (2019). Systematic assessment of the sex ratio at
    birth for all countries. PNAS 116, 9303–9311.
    """
    return sex_ratio(male_births, female_births, alpha=alpha, per=100)


def difference_pp(
    female_count: object,
    female_total: object,
    male_count: object,
    male_total: object,
    *,
    alpha: float = 0.05,
) -> Estimate | pd.DataFrame:
    """Female − male difference of two proportions in percentage points, with Newcombe's interval.

    Parameters
    ----------
    female_count, female_total, male_count, male_total : float, array-like or Series
        Counts with the attribute and numbers observed, by sex.
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    Estimate or DataFrame
        ``value = 100 · (p_f − p_m)``; ``numerator`` and ``denominator`` are the two percentages.

    Notes
    -----
    Hybrid score interval (Newcombe 1998, method 10); see
    :func:`womenstats.gender.intervals.proportion_difference`.

    References
    ----------
    Newcombe, R. G. (1998). Statistics in Medicine 17, 873–890.
    """
    return proportion_difference(female_count, female_total, male_count, male_total, alpha=alpha, per=100)


def ratio_fm(
    female_count: object,
    female_total: object,
    male_count: object,
    male_total: object,
    *,
    alpha: float = 0.05,
) -> Estimate | pd.DataFrame:
    """Female / male ratio of two proportions (a gender parity index from counts), with an interval.

    Parameters
    ----------
    female_count, female_total, male_count, male_total, alpha : as in :func:`difference_pp`

    Returns
    -------
    Estimate or DataFrame
        ``value = p_f / p_m``; a male count of 0 gives NaN with ``reason="zero_reference"``.

    Notes
    -----
    MOVER-R interval with Wilson limits; see :func:`womenstats.gender.intervals.proportion_ratio`.

    References
    ----------
    Donner & Zou (2012); Newcombe (2013), ch. 10.
    """
    return proportion_ratio(female_count, female_total, male_count, male_total, alpha=alpha)


def _of_values(female: object, male: object, op: str) -> Estimate | pd.DataFrame:
    index = template_of(female, male)
    f, m = as_arrays(female, male)
    why = np.where(np.isnan(f) | np.isnan(m), "missing_count", "no_counts").astype(object)
    with np.errstate(divide="ignore", invalid="ignore"):
        if op == "gap":
            value = f - m
        else:
            value = f / m
            why = np.where((why == "no_counts") & (m == 0), "zero_reference", why)
    value = np.where(np.isin(why, ["no_counts"]), value, np.nan)
    nan = np.full(f.shape, np.nan)
    return pack(index, value, nan, nan, f, m, why)


def gap(female: object, male: object) -> Estimate | pd.DataFrame:
    """Female − male difference of two published values, in their unit (percentage points for %).

    Parameters
    ----------
    female, male : float, array-like or Series
        The indicator's value for women and for men (rates, means, minutes...).

    Returns
    -------
    Estimate or DataFrame
        ``value = female − male``; ``numerator``/``denominator`` are the two values; no interval
        (``reason="no_counts"``): with counts use :func:`difference_pp` or
        :func:`~womenstats.gender.intervals.rate_difference`.

    Notes
    -----
    ``gap = x_f − x_m``. A negative value means women are below men.

    References
    ----------
    UN Statistics Division (2016). Integrating a Gender Perspective into Statistics, §2.D.
    """
    return _of_values(female, male, "gap")


def gpi(female: object, male: object) -> Estimate | pd.DataFrame:
    """UNESCO gender parity index: female value / male value.

    Parameters
    ----------
    female, male : float, array-like or Series
        The indicator's value for women and for men (e.g. gross enrolment ratios).

    Returns
    -------
    Estimate or DataFrame
        ``value = x_f / x_m``; ``male == 0`` gives NaN with ``reason="zero_reference"``; no interval
        (use :func:`ratio_fm` with counts).

    Notes
    -----
    ``GPI = x_f / x_m``; parity is 1, and UNESCO reads 0.97–1.03 as parity. The index is asymmetric:
    0.5 and 2 are equally far from parity; see :func:`adjusted_gpi`.

    References
    ----------
    UNESCO Institute for Statistics (2019). Gender parity index, glossary; UIS (2010) Global Education
    Digest, annex.
    """
    return _of_values(female, male, "ratio")


def _transform(x: object, fn) -> object:
    """Apply a monotone non-decreasing ``fn`` to a number, array, Series, Estimate or result table."""
    if isinstance(x, Estimate):
        value, lower, upper = (float(fn(np.float64(v))) for v in (x.value, x.lower, x.upper))
        return Estimate(value, lower, upper, x.numerator, x.denominator, x.reason)
    if isinstance(x, pd.DataFrame):
        out = x.copy()
        for col in ("value", "lower", "upper"):
            out[col] = fn(out[col].to_numpy(dtype=float))
        return out
    if isinstance(x, pd.Series):
        return pd.Series(fn(x.to_numpy(dtype=float)), index=x.index, name=x.name)
    out = fn(np.asarray(x, dtype=float))
    return float(out) if np.ndim(out) == 0 else out


def adjusted_gpi(index: object) -> object:
    """Return the adjusted gender parity index, symmetric around 1 and bounded by 2.

    Parameters
    ----------
    index : float, array-like, Series, Estimate or result DataFrame
        A GPI (female / male), e.g. from :func:`gpi` or :func:`ratio_fm`.

    Returns
    -------
    same type as ``index``
        ``GPI`` when ``GPI <= 1``, else ``2 − 1 / GPI``. For an Estimate or result table the limits
        are transformed too (the map is increasing).

    Notes
    -----
    A female advantage of ``m / f = 0.8`` maps to ``2 − 0.8 = 1.2``: the adjusted index is as far above
    1 as the unadjusted is below it when the sexes are swapped.

    References
    ----------
    UNESCO Institute for Statistics (2019). SDG 4 Data Book: Global Education Indicators, adjusted
    gender parity index (technical note).
    """

    def fn(g):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(g <= 1, g, 2 - 1 / g)

    return _transform(index, fn)


def wef_parity(ratio: object, *, benchmark: float = 1.0) -> object:
    """Return the parity score of the WEF Global Gender Gap Index: female/male ratio truncated at parity.

    Parameters
    ----------
    ratio : float, array-like, Series, Estimate or result DataFrame
        Female / male ratio, e.g. from :func:`gpi` or :func:`ratio_fm`.
    benchmark : float, default 1.0
        Equality benchmark; see :data:`WEF_BENCHMARKS` (0.944 for the sex ratio at birth, 1.06 for
        healthy life expectancy).

    Returns
    -------
    same type as ``ratio``
        ``min(ratio / benchmark, 1)``, in [0, 1]; limits are transformed as well.

    Notes
    -----
    The index rewards closing a gap but not a gap in women's favour: a score of 1 means parity or
    better for women.

    References
    ----------
    World Economic Forum (2023). Global Gender Gap Report 2023, Appendix A: construction of the index.
    """
    return _transform(ratio, lambda r: np.minimum(r / benchmark, 1.0))


def dissimilarity_index(female: object, male: object) -> Estimate | pd.DataFrame:
    """Duncan index of dissimilarity between the female and male distributions over categories.

    Parameters
    ----------
    female, male : Series or DataFrame
        Counts by category (e.g. occupation) in the rows. A DataFrame holds one distribution a column
        (e.g. one column a region or year) and gives one result a column.

    Returns
    -------
    Estimate or DataFrame
        ``value`` in [0, 1]: the share of women (or of men) who would have to change category for the
        two distributions to match; ``numerator`` and ``denominator`` are the totals of women and men.
        It is descriptive (complete counts): no interval, ``reason="no_counts"``; a sex with no one
        gives NaN (``zero_denominator``).

    Notes
    -----
    ``D = ½ Σ_i |f_i / F − m_i / M|``. ``D`` is biased upward when categories hold few people.

    References
    ----------
    Duncan, O. D. & Duncan, B. (1955). A methodological analysis of segregation indexes. American
    Sociological Review 20, 210–217.
    """
    index = female.columns if isinstance(female, pd.DataFrame) else None
    f = np.asarray(female, dtype=float).reshape(len(female), -1)
    m = np.asarray(male, dtype=float).reshape(len(male), -1)
    if f.shape != m.shape:
        raise ValueError("female and male must have the same categories")
    cells = pd.RangeIndex(f.size)  # a table: a blank cell is "not reported", not an error
    check_counts(f.ravel(), "女性人数", cells)
    check_counts(m.ravel(), "男性人数", cells)
    ftot, mtot = f.sum(axis=0), m.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = 0.5 * np.abs(f / ftot - m / mtot).sum(axis=0)
    why = np.where((ftot == 0) | (mtot == 0), "zero_denominator", "no_counts")
    why = np.where(np.isnan(ftot) | np.isnan(mtot), "missing_count", why)
    nan = np.full(d.shape, np.nan)
    return pack(index, np.where(why == "no_counts", d, np.nan), nan, nan, ftot, mtot, why)
