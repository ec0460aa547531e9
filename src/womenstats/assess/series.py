"""The annual series a target is judged on, taken from the store's observations.

A target names an indicator and its breakdown (sex, residence, age group); its series is the
observations of one region with exactly that breakdown, up to the assessment year. A ``narrow``
target is judged on the size of a gap: ``|female - male|`` or ``|urban - rural|`` year by year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Columns of a series.
SERIES_COLUMNS: tuple[str, ...] = ("year", "value", "numerator", "denominator")

#: Words in a target's sentence that say a gap is between urban and rural areas.
RESIDENCE_WORDS: tuple[str, ...] = ("城乡", "城镇", "农村", "城市")


def _select(obs: pd.DataFrame, **where: str) -> pd.DataFrame:
    """Return the rows whose columns equal the given values, compared as text."""
    mask = np.ones(len(obs), dtype=bool)
    for col, value in where.items():
        mask &= obs[col].to_numpy().astype(str) == str(value)
    return obs.loc[mask]


def _tidy(rows: pd.DataFrame, year: int) -> pd.DataFrame:
    """Return ``rows`` up to ``year`` as a series: :data:`SERIES_COLUMNS`, sorted by year (stable)."""
    years = rows["year"].to_numpy().astype(float).astype(int)
    keep = np.flatnonzero(years <= int(year))
    keep = keep[np.argsort(years[keep], kind="stable")]
    out = {"year": years[keep]}
    for column in SERIES_COLUMNS[1:]:
        present = column in rows
        out[column] = rows[column].to_numpy(dtype=float)[keep] if present else np.full(len(keep), np.nan)
    return pd.DataFrame(out, columns=list(SERIES_COLUMNS))


def target_series(obs: pd.DataFrame, *, indicator_id: str, region_code: str, sex: str, residence: str,
                  age_group: str, year: int, subject: str = "female") -> pd.DataFrame:
    """Return one target's series: the matching observations up to the assessment year.

    When the target is about women (``sex="female"``) and the indicator is about women only
    (``subject="female"``, e.g. maternal mortality), rows stored with ``sex="total"`` are used if
    none is stored as ``female`` (for such an indicator the two are the same population).

    Parameters
    ----------
    obs : pandas.DataFrame
        Observations with the store's columns.
    indicator_id, region_code, sex, residence, age_group : str
        The target's indicator and breakdown, and the region.
    year : int
        Assessment year: later observations are left out.
    subject : str, default "female"
        The indicator's subject.

    Returns
    -------
    pandas.DataFrame
        Columns ``year, value, numerator, denominator``, sorted by year.
    """
    base = {"indicator_id": indicator_id, "region_code": region_code, "residence": residence,
            "age_group": age_group}
    rows = _select(obs, sex=sex, **base)
    if rows.empty and sex == "female" and subject == "female":
        rows = _select(obs, sex="total", **base)
    return _tidy(rows, year)


def gap_series(obs: pd.DataFrame, *, indicator_id: str, region_code: str, sex: str, residence: str,
               age_group: str, year: int, sentence: str = "") -> tuple[pd.DataFrame, str]:
    """Return the size of a gap year by year, for a ``narrow`` target.

    The gap is ``|urban - rural|`` (the target's sex) when the sentence speaks of 城乡 or only the
    residence breakdown is stored, else ``|female - male|`` (the target's residence). Years with
    only one side are left out. When neither pair is stored, the indicator's own series (itself a
    gap, e.g. a pay gap) is used in absolute value.

    Parameters
    ----------
    obs : pandas.DataFrame
        Observations with the store's columns.
    indicator_id, region_code, sex, residence, age_group : str
        The target's indicator and breakdown, and the region.
    year : int
        Assessment year.
    sentence : str, default ""
        The target's sentence (chooses urban-rural over female-male).

    Returns
    -------
    (pandas.DataFrame, str)
        The series (``numerator``/``denominator`` NaN) and the gap's kind: ``residence``, ``sex``
        or ``self``.
    """
    rows = _select(obs, indicator_id=indicator_id, region_code=region_code, age_group=age_group)
    pairs = {
        "residence": (_select(rows, sex=sex, residence="urban"), _select(rows, sex=sex, residence="rural")),
        "sex": (
            _select(rows, sex="female", residence=residence),
            _select(rows, sex="male", residence=residence),
        ),
    }
    order = ["residence", "sex"] if any(w in sentence for w in RESIDENCE_WORDS) else ["sex", "residence"]
    for kind in order:
        a, b = (_tidy(side, year).set_index("year")["value"] for side in pairs[kind])
        gap = (a - b).dropna().abs()
        if not gap.empty:
            out = pd.DataFrame({"year": gap.index.astype(int), "value": gap.to_numpy()})
            out["numerator"] = float("nan")
            out["denominator"] = float("nan")
            return out.loc[:, list(SERIES_COLUMNS)], kind
    own = _tidy(_select(rows, sex=sex, residence=residence), year)
    own["value"] = own["value"].abs()
    own[["numerator", "denominator"]] = float("nan")
    return own, "self"


def baseline_value(series: pd.DataFrame, baseline_year: int | None) -> float | None:
    """Return the value observed in the baseline year, or None when that year has none.

    A change from the baseline (``比2020年下降10%``) is measured from that year only: another
    year's value is no substitute.

    Parameters
    ----------
    series : pandas.DataFrame
        Columns ``year, value``.
    baseline_year : int or None
        The plan's baseline year.

    Returns
    -------
    float or None
    """
    if baseline_year is None:
        return None
    hit = series.loc[(series["year"] == baseline_year) & series["value"].notna(), "value"]
    return float(hit.iloc[0]) if len(hit) else None
