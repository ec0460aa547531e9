"""Comparisons of two groups of observation rows: women and men, or urban and rural areas.

:func:`compare_groups` pairs each row of the first group (``sex == "female"``, or
``residence == "urban"``) with the row of the second group for the same region, year, indicator and
other breakdowns, and computes a measure of :mod:`womenstats.gender.measures` on them: with counts
when both rows have a numerator and a denominator (then with an exact interval), with the published
values otherwise (no interval, ``reason`` ``no_counts``). :func:`compare_sexes` is the female–male
comparison every report shows.

Every result carries the two compared values in the indicator's unit (``value_<first>``,
``value_<second>``, and ``numerator``/``denominator`` the same two values), whatever the measure,
so a column never changes unit between measures.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from womenstats.gender import intervals, measures
from womenstats.gender.inputs import check_unique
from womenstats.gender.result import RESULT_COLUMNS
from womenstats.gender.scales import indicator_scales

#: Columns that identify one comparison (those present in the observations are used), besides the
#: breakdown compared across.
POINT_KEYS: tuple[str, ...] = ("region_code", "year", "indicator_id", "age_group", "sex", "residence")
#: The keys of a female–male comparison (kept for callers of the earlier name).
PAIR_KEYS: tuple[str, ...] = ("region_code", "year", "indicator_id", "age_group", "residence")

#: Measures :func:`compare_groups` computes.
MEASURES: tuple[str, ...] = ("difference", "ratio", "adjusted_gpi", "wef_parity", "female_share", "sex_ratio")

#: The breakdowns two groups can be compared across, with their two default groups.
GROUPS: dict[str, tuple[str, str]] = {"sex": ("female", "male"), "residence": ("urban", "rural")}

#: Interval methods of a proportion the comparisons of percentages can be built on.
METHODS: tuple[str, ...] = ("wilson", "clopper-pearson")

#: Indicator ids whose value is itself women's share of a total (a body, the employed, pupils).
SHARE_SUFFIXES: tuple[str, ...] = ("_female_share", "_girls_share")


def _keys(obs: pd.DataFrame, by: str) -> list[str]:
    return [k for k in POINT_KEYS if k in obs.columns and k != by]


def pair_groups(obs: pd.DataFrame, by: str = "sex", first: str = "female",
                second: str = "male") -> pd.DataFrame:
    """Put the ``first`` and ``second`` group of each series point side by side.

    Parameters
    ----------
    obs : DataFrame
        Observation rows with ``by``, ``value``, ``numerator``, ``denominator`` and the keys present.
    by : {"sex", "residence"}, default "sex"
        The breakdown compared across.
    first, second : str
        The two groups (``female``/``male``/``total``, or ``urban``/``rural``/``all``).

    Returns
    -------
    DataFrame
        Indexed by the keys, with columns ``value_<group>``, ``numerator_<group>``,
        ``denominator_<group>``; a point with only one of the two groups has NaN for the other (it is
        kept, not dropped).

    Raises
    ------
    InputError
        Two rows for the same point and group.
    """
    keys = _keys(obs, by)
    rows = obs[obs[by].isin([first, second])]
    check_unique(rows, [*keys, by])
    wide = rows.pivot(index=keys, columns=by, values=["value", "numerator", "denominator"])
    columns = pd.MultiIndex.from_product([["value", "numerator", "denominator"], [first, second]])
    wide = wide.reindex(columns=columns)
    wide.columns = [f"{a}_{b}" for a, b in wide.columns]
    return wide.astype(float)


def pair_sexes(obs: pd.DataFrame, first: str = "female", second: str = "male") -> pd.DataFrame:
    """Put the ``first`` and ``second`` sex of each series point side by side (:func:`pair_groups`)."""
    return pair_groups(obs, "sex", first, second)


def compare_groups(
    obs: pd.DataFrame,
    measure: str = "difference",
    *,
    by: str = "sex",
    first: str | None = None,
    second: str | None = None,
    per: float | None = None,
    alpha: float = 0.05,
    method: str = "wilson",
    regions=None,
) -> pd.DataFrame:
    """Compute a measure comparing two groups for each region, year, indicator and breakdown.

    Parameters
    ----------
    obs : DataFrame
        Observation rows in the store's columns (``region_code, year, indicator_id, sex, age_group,
        residence, value, numerator, denominator``).
    measure : str, default "difference"
        - ``"difference"``: first − second, in the indicator's unit (percentage points for %);
          for a percentage the MOVER interval on each proportion's limits (``method="wilson"``:
          Newcombe's hybrid score interval; ``"clopper-pearson"``: exact limits); for a rate per
          1 000 or 100 000, MOVER-Garwood.
        - ``"ratio"``: first / second (a GPI); MOVER-R on Wilson or Clopper–Pearson limits for a
          percentage, exact conditional for a rate.
        - ``"adjusted_gpi"``, ``"wef_parity"``: the ratio transformed (limits too).
        - ``"female_share"`` (sexes only): female / total of a count, as a percentage with a Wilson
          (or Clopper–Pearson) interval; an indicator whose value is itself women's share
          (:data:`SHARE_SUFFIXES`) gives its own value with the interval of its counts. A missing row
          is named in ``reason`` (``missing_female``, ``missing_total``).
        - ``"sex_ratio"`` (sexes only): males per 100 females of a count, with the exact interval.
    by : {"sex", "residence"}, default "sex"
        The breakdown compared across.
    first, second : str, optional
        The two groups; ``female`` and ``male`` for sex, ``urban`` and ``rural`` for residence.
    per : float, optional
        Scale of the indicator's rates; by default read from the catalog (``indicators().per``).
    alpha : float, default 0.05
        One minus the confidence level.
    method : {"wilson", "clopper-pearson"}, default "wilson"
        The interval of a proportion the comparisons of percentages are built on.
    regions : iterable of str, optional
        Regions that should appear: a region of the list with no comparable pair of an indicator
        that others report gets a row with NaN and ``reason`` ``no_data``.

    Returns
    -------
    DataFrame
        The keys, ``value_<first>``, ``value_<second>`` (the two values, in the indicator's unit),
        the result columns (``numerator``/``denominator`` also the two values) and ``method``
        (``newcombe``, ``mover-exact``, ``mover-garwood``, ``mover-wilson``, ``mover-r-exact``,
        ``exact-conditional``, ``wilson``, ``clopper-pearson``, or ``values`` when computed from
        published values without an interval).

    Raises
    ------
    ValueError
        An unknown measure, breakdown or method.
    InputError
        An unknown indicator without ``per``, duplicated rows, or a female count above the total.
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; use one of {MEASURES}")
    if by not in GROUPS:
        raise ValueError(f"unknown breakdown {by!r}; use one of {tuple(GROUPS)}")
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {METHODS}")
    first = first or GROUPS[by][0]
    second = second or GROUPS[by][1]
    if measure in ("female_share", "sex_ratio"):
        out = _of_counts(obs, measure, alpha, method)
    else:
        out = _compared(obs, measure, by, first, second, per, alpha, method)
    return _with_regions(out, regions, _keys(obs, by))


def compare_sexes(
    obs: pd.DataFrame,
    measure: str = "difference",
    *,
    per: float | None = None,
    alpha: float = 0.05,
    method: str = "wilson",
    regions=None,
) -> pd.DataFrame:
    """Compute a female–male measure for each region, year, indicator, age group and residence.

    :func:`compare_groups` with ``by="sex"``: ``value_female``, ``value_male``, female − male for
    ``"difference"``, female / male for ``"ratio"``. See there for the measures and methods.

    Examples
    --------
    >>> import pandas as pd
    >>> obs = pd.DataFrame({"region_code": "440783", "year": 2024, "indicator_id": "x.rate",
    ...                     "age_group": "all", "residence": "all", "sex": ["female", "male"],
    ...                     "value": [80.0, 60.0], "numerator": [56, 48], "denominator": [70, 80]})
    >>> row = compare_sexes(obs, "difference", per=100).iloc[0]
    >>> round(float(row["value"]), 2), round(float(row["lower"]), 2), round(float(row["upper"]), 2)
    (20.0, 5.24, 33.39)
    """
    return compare_groups(obs, measure, by="sex", per=per, alpha=alpha, method=method, regions=regions)


def _compared(obs, measure, by, first, second, per, alpha, method) -> pd.DataFrame:
    wide = pair_groups(obs, by, first, second)
    a, b = f"_{first}", f"_{second}"
    if wide.empty:
        return pd.DataFrame(columns=[*_keys(obs, by), f"value{a}", f"value{b}", *RESULT_COLUMNS, "method"])
    ids = wide.index.get_level_values("indicator_id").to_series(index=wide.index)
    scale = indicator_scales(ids, per)["per"]
    counted = wide[[f"numerator{a}", f"denominator{a}", f"numerator{b}", f"denominator{b}"]].notna().all(
        axis=1) & scale.notna()
    pct = counted & (scale == 100)
    rate = counted & (scale != 100)
    parts = [_from_values(wide[~counted], measure, a, b)]
    if pct.any():
        parts.append(_from_counts(wide[pct], measure, alpha, 100.0, a, b, proportion=True, method=method))
    if rate.any():
        for s in scale[rate].unique():
            sel = rate & (scale == s)
            parts.append(_from_counts(wide[sel], measure, alpha, float(s), a, b, proportion=False,
                                      method=method))
    columns = [*wide.index.names, f"value{a}", f"value{b}", *RESULT_COLUMNS, "method"]
    out = pd.concat([p for p in parts if len(p)]).reindex(wide.index)
    out[f"value{a}"] = wide[f"value{a}"]
    out[f"value{b}"] = wide[f"value{b}"]
    out["numerator"], out["denominator"] = out[f"value{a}"], out[f"value{b}"]
    missing = wide[f"value{a}"].isna() | wide[f"value{b}"].isna()
    out.loc[missing, "reason"] = np.where(wide.loc[missing, f"value{a}"].isna(), f"missing{a}", f"missing{b}")
    return out.reset_index()[columns]


def _transformed(result: pd.DataFrame, measure: str) -> pd.DataFrame:
    if measure == "adjusted_gpi":
        return measures.adjusted_gpi(result)
    if measure == "wef_parity":
        return measures.wef_parity(result)
    return result


def _from_values(wide: pd.DataFrame, measure: str, a: str, b: str) -> pd.DataFrame:
    fn = measures.gap if measure == "difference" else measures.gpi
    result = _transformed(fn(wide[f"value{a}"], wide[f"value{b}"]), measure)
    return result.assign(method="values")


def _from_counts(wide: pd.DataFrame, measure: str, alpha: float, per: float, a: str, b: str, *,
                 proportion: bool, method: str) -> pd.DataFrame:
    args = [wide[f"numerator{a}"], wide[f"denominator{a}"], wide[f"numerator{b}"], wide[f"denominator{b}"]]
    exact = method == "clopper-pearson"
    if measure == "difference":
        if proportion:
            return intervals.proportion_difference(*args, alpha=alpha, per=per, method=method).assign(
                method="mover-exact" if exact else "newcombe")
        return intervals.rate_difference(*args, alpha=alpha, per=per).assign(method="mover-garwood")
    if proportion:
        result = intervals.proportion_ratio(*args, alpha=alpha, method=method)
        label = "mover-r-exact" if exact else "mover-wilson"
    else:
        result, label = intervals.rate_ratio(*args, alpha=alpha), "exact-conditional"
    return _transformed(result, measure).assign(method=label)


def _share_rows(obs: pd.DataFrame) -> pd.Series:
    ids = obs["indicator_id"].astype(str)
    return ids.str.endswith(SHARE_SUFFIXES) & (obs["sex"] == "female")


def _of_counts(obs: pd.DataFrame, measure: str, alpha: float, method: str) -> pd.DataFrame:
    second = "total" if measure == "female_share" else "male"
    own = _share_rows(obs) if measure == "female_share" else pd.Series(False, index=obs.index)
    keys = _keys(obs, "sex")
    columns = [*keys, "value_female", f"value_{second}", *RESULT_COLUMNS, "method"]
    parts = []
    if own.any():
        parts.append(_own_shares(obs.loc[own], keys, alpha, method))
    rest = obs.loc[~own & ~obs.set_index(keys).index.isin(obs.loc[own].set_index(keys).index)] if own.any() \
        else obs
    rest = rest.loc[_of_people(rest)]  # a share or a sex ratio of a count of people, never of a rate
    if len(rest):
        wide = pair_sexes(rest, "female", second)
        count_f, count_s = _people(wide, "female"), _people(wide, second)
        if measure == "female_share":
            result = measures.female_share(count_f, count_s, alpha=alpha).assign(method="wilson")
            if method == "clopper-pearson":
                exact = intervals.proportion(count_f, count_s, method=method, alpha=alpha, per=100)
                result = result.assign(lower=exact["lower"], upper=exact["upper"], method=method)
        else:
            result = measures.sex_ratio(count_s, count_f, alpha=alpha).assign(method="clopper-pearson")
        result["value_female"] = wide["value_female"]
        result[f"value_{second}"] = wide[f"value_{second}"]
        gone = wide["value_female"].isna() | wide[f"value_{second}"].isna()
        result.loc[gone, "reason"] = np.where(wide.loc[gone, "value_female"].isna(), "missing_female",
                                              f"missing_{second}")
        parts.append(result.reset_index())
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True).reindex(columns=columns)


def _people(wide: pd.DataFrame, group: str) -> pd.Series:
    """Return a group's count of people: its numerator, else its value in persons (万人 × 10 000)."""
    from womenstats import catalog

    ids = wide.index.get_level_values("indicator_id")
    table = catalog.indicators()
    scale = [catalog.UNITS[table.at[i, "unit"]].scale if i in table.index else 1.0 for i in ids]
    persons = (wide[f"value_{group}"] * np.asarray(scale, dtype=float)).round()
    return wide[f"numerator_{group}"].fillna(persons)


def _of_people(obs: pd.DataFrame) -> pd.Series:
    """Return which rows count people (a share or ratio of them is meaningful).

    All rows when the indicators are not in the registry (a caller's own counts).
    """
    from womenstats import catalog

    table = catalog.indicators()
    ids = obs["indicator_id"].astype(str)
    known = ids.isin(table.index)
    kinds = ids.map(lambda i: catalog.UNITS[table.at[i, "unit"]].kind if i in table.index else "count")
    return ~known | kinds.isin(["count", "number"])


def _own_shares(rows: pd.DataFrame, keys: list[str], alpha: float, method: str) -> pd.DataFrame:
    """Women's share read from an indicator that is one (its counts give the interval)."""
    counted = rows["numerator"].notna() & rows["denominator"].notna()
    out = rows[keys].reset_index(drop=True)
    est = intervals.proportion(rows["numerator"].where(counted, 0).to_numpy(float),
                               rows["denominator"].where(counted, 1).to_numpy(float),
                               method=method, alpha=alpha, per=100)
    have = counted.to_numpy()
    out["value"] = rows["value"].to_numpy(float)
    out["lower"] = np.where(have, np.asarray(est["lower"], float), np.nan)
    out["upper"] = np.where(have, np.asarray(est["upper"], float), np.nan)
    out["numerator"] = rows["numerator"].to_numpy(float)
    out["denominator"] = rows["denominator"].to_numpy(float)
    out["reason"] = np.where(have, "", "no_counts")
    out["method"] = np.where(have, method, "values")
    out["value_female"] = rows["value"].to_numpy(float)
    out["value_total"] = 100.0
    return out


def _with_regions(out: pd.DataFrame, regions, keys: list[str]) -> pd.DataFrame:
    """Add a ``no_data`` row for each listed region without a comparison of an indicator others have."""
    if regions is None or "region_code" not in out.columns or out.empty:
        return out
    wanted = [str(r) for r in regions]
    have = set(zip(out["region_code"].astype(str), out["indicator_id"], strict=True))
    extra = []
    for indicator in sorted(set(out["indicator_id"])):
        template = out.loc[out["indicator_id"] == indicator].iloc[0]
        for region in wanted:
            if (region, indicator) not in have:
                row = dict.fromkeys(out.columns, np.nan)
                row.update({k: template[k] for k in keys if k not in ("region_code", "year")})
                row.update(region_code=region, reason="no_data", method="")
                extra.append(row)
    if not extra:
        return out
    return pd.concat([out, pd.DataFrame(extra, columns=out.columns)], ignore_index=True)
