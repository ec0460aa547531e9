"""Female–male comparisons of observation rows (the store's tidy columns), one result per series point.

:func:`compare_sexes` pairs each ``sex == "female"`` row with its ``male`` (or ``total``) row of the
same region, year, indicator, age group and residence, and computes a measure of
:mod:`womenstats.gender.measures` on them: with counts when both rows have a numerator and a
denominator (then with an interval), with the published values otherwise (no interval, ``reason``
``no_counts``).
"""

from __future__ import annotations

import pandas as pd

from womenstats.gender import intervals, measures
from womenstats.gender.inputs import check_unique
from womenstats.gender.result import RESULT_COLUMNS
from womenstats.gender.scales import indicator_scales

#: Columns that identify one comparison (those present in the observations are used).
PAIR_KEYS: tuple[str, ...] = ("region_code", "year", "indicator_id", "age_group", "residence")

#: The four counts of a count-based comparison, in the order the interval functions take them.
COUNT_COLUMNS: tuple[str, ...] = (
    "numerator_female",
    "denominator_female",
    "numerator_male",
    "denominator_male",
)

#: Measures :func:`compare_sexes` computes.
MEASURES: tuple[str, ...] = ("difference", "ratio", "adjusted_gpi", "wef_parity", "female_share", "sex_ratio")


def pair_sexes(obs: pd.DataFrame, first: str = "female", second: str = "male") -> pd.DataFrame:
    """Put the ``first`` and ``second`` sex of each series point side by side.

    Parameters
    ----------
    obs : DataFrame
        Observation rows with ``sex``, ``value``, ``numerator``, ``denominator`` and the
        :data:`PAIR_KEYS` present.
    first, second : {"female", "male", "total"}
        The two sexes paired.

    Returns
    -------
    DataFrame
        Indexed by the keys, with columns ``value_<sex>``, ``numerator_<sex>``, ``denominator_<sex>``;
        a point with only one of the two sexes has NaN for the other (it is kept, not dropped).

    Raises
    ------
    InputError
        Two rows for the same point and sex.
    """
    keys = [k for k in PAIR_KEYS if k in obs.columns]
    rows = obs[obs["sex"].isin([first, second])]
    check_unique(rows, [*keys, "sex"])
    wide = rows.pivot(index=keys, columns="sex", values=["value", "numerator", "denominator"])
    columns = pd.MultiIndex.from_product([["value", "numerator", "denominator"], [first, second]])
    wide = wide.reindex(columns=columns)
    wide.columns = [f"{a}_{b}" for a, b in wide.columns]
    return wide.astype(float)


def compare_sexes(
    obs: pd.DataFrame,
    measure: str = "difference",
    *,
    per: float | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Compute a female–male measure for each region, year, indicator, age group and residence.

    Parameters
    ----------
    obs : DataFrame
        Observation rows in the store's columns (``region_code, year, indicator_id, sex, age_group,
        residence, value, numerator, denominator``).
    measure : str, default "difference"
        - ``"difference"``: female − male, in the indicator's unit (percentage points for %);
          Newcombe's interval for a percentage, MOVER-Garwood for a rate per 1 000 or 100 000.
        - ``"ratio"``: female / male (a GPI); MOVER-R Wilson for a percentage, exact conditional for
          a rate.
        - ``"adjusted_gpi"``, ``"wef_parity"``: the ratio transformed (limits too).
        - ``"female_share"``: female / total of a count (the female and total rows' numerator, or
          their value when no numerator is given), as a percentage with a Wilson interval.
        - ``"sex_ratio"``: males per 100 females of a count, with the exact interval.
    per : float, optional
        Scale of the indicator's rates; by default read from the catalog (``indicators().per``).
    alpha : float, default 0.05
        One minus the confidence level.

    Returns
    -------
    DataFrame
        The keys, the result columns and ``method`` (``newcombe``, ``mover-garwood``, ``mover-wilson``,
        ``exact-conditional``, ``wilson``, ``clopper-pearson`` or ``values`` when computed from
        published values without an interval).

    Raises
    ------
    InputError
        An unknown indicator without ``per``, duplicated rows, or a female count above the total.
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; use one of {MEASURES}")
    if measure in ("female_share", "sex_ratio"):
        return _of_counts(obs, measure, alpha)
    wide = pair_sexes(obs)
    ids = wide.index.get_level_values("indicator_id").to_series(index=wide.index)
    scale = indicator_scales(ids, per)["per"]
    counted = wide[list(COUNT_COLUMNS)].notna().all(axis=1) & scale.notna()
    pct = counted & (scale == 100)
    rate = counted & (scale != 100)
    parts = [_from_values(wide[~counted], measure)]
    if pct.any():
        parts.append(_from_counts(wide[pct], measure, alpha, 100.0, proportion=True))
    if rate.any():
        for s in scale[rate].unique():
            sel = rate & (scale == s)
            parts.append(_from_counts(wide[sel], measure, alpha, float(s), proportion=False))
    columns = [*wide.index.names, *RESULT_COLUMNS, "method"]
    parts = [p for p in parts if len(p)]
    if not parts:  # no indicator with both sexes reported: an empty result, not an error
        return pd.DataFrame(columns=columns)
    out = pd.concat(parts).reindex(wide.index)
    return out.reset_index()[columns]


def _transformed(result: pd.DataFrame, measure: str) -> pd.DataFrame:
    if measure == "adjusted_gpi":
        return measures.adjusted_gpi(result)
    if measure == "wef_parity":
        return measures.wef_parity(result)
    return result


def _from_values(wide: pd.DataFrame, measure: str) -> pd.DataFrame:
    fn = measures.gap if measure == "difference" else measures.gpi
    result = _transformed(fn(wide["value_female"], wide["value_male"]), measure)
    return result.assign(method="values")


def _from_counts(
    wide: pd.DataFrame, measure: str, alpha: float, per: float, *, proportion: bool
) -> pd.DataFrame:
    args = [wide[c] for c in COUNT_COLUMNS]
    if measure == "difference":
        if proportion:
            return intervals.proportion_difference(*args, alpha=alpha, per=per).assign(method="newcombe")
        return intervals.rate_difference(*args, alpha=alpha, per=per).assign(method="mover-garwood")
    if proportion:
        result, method = intervals.proportion_ratio(*args, alpha=alpha), "mover-wilson"
    else:
        result, method = intervals.rate_ratio(*args, alpha=alpha), "exact-conditional"
    return _transformed(result, measure).assign(method=method)


def _of_counts(obs: pd.DataFrame, measure: str, alpha: float) -> pd.DataFrame:
    second = "total" if measure == "female_share" else "male"
    wide = pair_sexes(obs, "female", second)
    count_f = wide["numerator_female"].fillna(wide["value_female"])
    count_s = wide[f"numerator_{second}"].fillna(wide[f"value_{second}"])
    if measure == "female_share":
        result = measures.female_share(count_f, count_s, alpha=alpha).assign(method="wilson")
    else:
        result = measures.sex_ratio(count_s, count_f, alpha=alpha).assign(method="clopper-pearson")
    return result.reset_index()[[*wide.index.names, *RESULT_COLUMNS, "method"]]
