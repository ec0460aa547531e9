"""Gap indicators computed from their components: one number, one sign, wherever it is shown.

An indicator with ``aggregation: derived`` (e.g. 孕产妇死亡率城乡差距) is defined by its registry
entry as the difference of two breakdowns of another indicator (rural − urban maternal mortality).
Where both components are stored for a region and year, the gap is computed from them, so that the
store's own gap row, the county's table, the city's roll-up (from the rolled-up components) and a
``narrow`` target all show the same number. The sign convention (``docs/status_rules.md``): a gap is
positive when the group the plans worry about is behind (rural mothers dying more often than urban
ones; men with more years of schooling than women).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from womenstats import catalog
from womenstats.catalog.models import Derivation

#: Keys that identify one point of a series besides the indicator.
_POINT = ["region_code", "year", "sex", "age_group", "residence"]

#: The breakdown value a derived gap row carries for the breakdown it subtracts across.
_ACROSS = {"sex": "total", "residence": "all"}


def derivations(indicators: pd.DataFrame | None = None) -> dict[str, Derivation]:
    """Return gap indicator id -> its :class:`~womenstats.catalog.models.Derivation`.

    Parameters
    ----------
    indicators : pandas.DataFrame, optional
        The registry (:func:`womenstats.catalog.indicators`); the package's by default.
    """
    indicators = catalog.indicators() if indicators is None else indicators
    if "derived" not in indicators.columns:
        return {}
    return {ident: spec for ident, spec in indicators["derived"].items() if isinstance(spec, Derivation)}


def source_indicators(indicator_ids, indicators: pd.DataFrame | None = None) -> list[str]:
    """Return the ids, with the component indicator of every derived gap among them (sorted)."""
    specs = derivations(indicators)
    ids = set(indicator_ids)
    return sorted(ids | {specs[i].source for i in ids if i in specs})


def derive_one(obs: pd.DataFrame, indicator_id: str, spec: Derivation) -> pd.DataFrame:
    """Return the gap rows of one derived indicator computed from its components in ``obs``.

    Parameters
    ----------
    obs : pandas.DataFrame
        Observations with at least ``region_code, year, indicator_id, sex, age_group, residence,
        value`` (any other columns of the store are filled for the new rows).
    indicator_id : str
        The gap indicator.
    spec : Derivation
        Its definition.

    Returns
    -------
    pandas.DataFrame
        One row per point where both components have a value: ``value`` the gap, ``numerator`` and
        ``denominator`` NaN, ``source`` naming the formula, ``simulated`` the components' maximum;
        the subtracted breakdown is ``total`` (sex) or ``all`` (residence).
    """
    rows = obs.loc[(obs["indicator_id"] == spec.source) & obs["value"].notna()]
    keys = [k for k in _POINT if k != spec.by]
    sides = [rows.loc[rows[spec.by] == side].drop_duplicates(keys, keep="last").set_index(keys)
             for side in (spec.minuend, spec.subtrahend)]
    both = sides[0].join(sides[1], how="inner", lsuffix="_a", rsuffix="_b")
    if both.empty:
        return obs.iloc[0:0].copy()
    out = pd.DataFrame(index=both.index).reset_index()
    out[spec.by] = _ACROSS[spec.by]
    out["indicator_id"] = indicator_id
    out["value"] = spec.compute(both["value_a"].to_numpy(float), both["value_b"].to_numpy(float))
    out["numerator"] = np.nan
    out["denominator"] = np.nan
    out["source"] = f"由分项计算：{spec.minuend} − {spec.subtrahend}（{spec.source}）"
    if "simulated" in obs.columns:
        out["simulated"] = np.maximum(both["simulated_a"].to_numpy(), both["simulated_b"].to_numpy())
    for column in obs.columns:
        if column not in out.columns:
            out[column] = "" if obs[column].dtype == object else np.nan
    return out.loc[:, list(obs.columns)]


def with_derived_gaps(obs: pd.DataFrame, indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return ``obs`` with every derived gap computed from its components where both are present.

    A computed row replaces a stored row of the same gap, region, year and breakdown (the stored
    value is kept in the store, and intake checks that it agrees); points where a component is
    missing keep the stored gap.

    Parameters
    ----------
    obs : pandas.DataFrame
        Observations in the store's columns.
    indicators : pandas.DataFrame, optional
        The registry; the package's by default.

    Returns
    -------
    pandas.DataFrame
        The observations, stored rows first in their order, computed ones after them.
    """
    frames = [derive_one(obs, ident, spec) for ident, spec in derivations(indicators).items()]
    frames = [f for f in frames if not f.empty]
    if not frames or obs.empty:
        return obs
    derived = pd.concat(frames, ignore_index=True)
    keys = ["indicator_id", *_POINT]
    stored = pd.MultiIndex.from_frame(obs[keys].astype(str))
    replaced = stored.isin(pd.MultiIndex.from_frame(derived[keys].astype(str)))
    return pd.concat([obs.loc[~replaced], derived], ignore_index=True)


__all__ = ["derivations", "derive_one", "source_indicators", "with_derived_gaps"]
