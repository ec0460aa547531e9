"""The annual series a target is judged on, taken from the store's observations.

A target names an indicator and its breakdown (sex, residence, age group); its series is the
observations of one region with exactly that breakdown, up to the assessment year. A ``narrow``
target is judged on the size of a gap: ``|female - male|`` or ``|urban - rural|`` year by year.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

#: Columns of a series.
SERIES_COLUMNS: tuple[str, ...] = ("year", "value", "numerator", "denominator")

#: Words in a target's sentence that say a gap is between urban and rural areas.
RESIDENCE_WORDS: tuple[str, ...] = ("城乡", "城镇", "农村", "城市")


#: What an indicator id looks like (``<area>.<snake_name>``); anything else is looked up in the catalog.
ID_FORM = re.compile(r"[a-z_]+\.[a-z0-9_]+")


def indicator_id_of(indicator) -> str:
    """Return the registry id of an indicator given by id, Chinese name, alias or catalog object.

    An id is returned as it is (without reading the registry, so a frame's own ids work too).

    Parameters
    ----------
    indicator : str or womenstats.catalog.Indicator
        The indicator.

    Returns
    -------
    str

    Raises
    ------
    womenstats.errors.CatalogError
        For a name that is no name or alias of the registry (with the closest names).
    """
    if isinstance(indicator, str) and ID_FORM.fullmatch(indicator):
        return indicator
    from womenstats import catalog

    return catalog.indicator(indicator).id


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
    indicator_id : str or womenstats.catalog.Indicator
        The target's indicator: id, Chinese name, alias or catalog object (:func:`indicator_id_of`).
    region_code, sex, residence, age_group : str
        The target's breakdown, and the region.
    year : int
        Assessment year: later observations are left out.
    subject : str, default "female"
        The indicator's subject.

    Returns
    -------
    pandas.DataFrame
        Columns ``year, value, numerator, denominator``, sorted by year.
    """
    base = {"indicator_id": indicator_id_of(indicator_id), "region_code": region_code, "residence": residence,
            "age_group": age_group}
    rows = _select(obs, sex=sex, **base)
    if rows.empty and sex == "female" and subject == "female":
        rows = _select(obs, sex="total", **base)
    return _tidy(rows, year)


#: Which side is subtracted from which in a gap between two breakdowns, by the indicator's better
#: direction: the gap is positive when women (rural areas) are behind.
GAP_SIDES: dict[str, dict[str, tuple[str, str]]] = {
    "higher": {"sex": ("male", "female"), "residence": ("urban", "rural")},
    "lower": {"sex": ("female", "male"), "residence": ("rural", "urban")},
}


def gap_series(obs: pd.DataFrame, *, indicator_id: str, region_code: str, sex: str, residence: str,
               age_group: str, year: int, sentence: str = "", better: str = "higher",
               subject: str = "female") -> tuple[pd.DataFrame, str]:
    """Return a gap year by year, for a ``narrow`` target (signed; the target judges its size).

    The gap is between urban and rural (the target's sex) when the sentence speaks of 城乡 or only
    the residence breakdown is stored, else between women and men (the target's residence), signed
    so that it is positive when the group the plans worry about is behind: ``male − female`` (or
    ``urban − rural``) where higher is better, ``female − male`` (``rural − urban``) where lower
    is better. Years with only one side are left out. When neither pair is stored, the
    indicator's own series is used: a gap indicator (``男女收入差距``), signed as its registry
    entry defines it, or computed from its components (:mod:`womenstats.gender.derived`).

    Parameters
    ----------
    obs, indicator_id, region_code, sex, residence, age_group, year, subject : as in :func:`target_series`
    sentence : str, default ""
        The target's sentence (chooses urban-rural over female-male).
    better : str, default "higher"
        The indicator's better direction (sets the sign of a gap between breakdowns).

    Returns
    -------
    (pandas.DataFrame, str)
        The series (``numerator``/``denominator`` NaN) and the gap's kind: ``residence``, ``sex``
        or ``self``.
    """
    indicator_id = indicator_id_of(indicator_id)
    rows = _select(obs, indicator_id=indicator_id, region_code=region_code, age_group=age_group)
    sides = GAP_SIDES["lower" if better == "lower" else "higher"]
    pairs = {
        "residence": tuple(_select(rows, sex=sex, residence=side) for side in sides["residence"]),
        "sex": tuple(_select(rows, sex=side, residence=residence) for side in sides["sex"]),
    }
    order = ["residence", "sex"] if any(w in sentence for w in RESIDENCE_WORDS) else ["sex", "residence"]
    for kind in order:
        a, b = (_tidy(side, year).set_index("year")["value"] for side in pairs[kind])
        gap = (a - b).dropna()
        if not gap.empty:
            out = pd.DataFrame({"year": gap.index.astype(int), "value": gap.to_numpy()})
            out["numerator"] = float("nan")
            out["denominator"] = float("nan")
            return out.loc[:, list(SERIES_COLUMNS)], kind
    own = target_series(obs, indicator_id=indicator_id, region_code=region_code, sex=sex, residence=residence,
                        age_group=age_group, year=year, subject=subject)
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
