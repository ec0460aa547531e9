"""How an indicator's value relates to its counts: its scale (``per``) and kind, read from the catalog.

``per`` is 100 for %, 1000 for ‰ and 100000 for 1/10万; the kind (from :data:`womenstats.catalog.UNITS`)
says whether values add up across regions (``count``, ``number``, ``times``), are a ratio of two
counts (``rate``, ``ratio``) or neither (``years``, ``money``, ``duration``: averages that need their
numerator and denominator to be combined).
"""

from __future__ import annotations

import pandas as pd

from womenstats import catalog
from womenstats.errors import InputError

#: Unit kinds whose values add up across regions.
ADDITIVE_KINDS: frozenset[str] = frozenset({"count", "number", "times"})


def indicator_scales(indicator_ids: pd.Series, per: float | None = None) -> pd.DataFrame:
    """Return each indicator's ``per`` and unit ``kind`` from the catalog.

    Parameters
    ----------
    indicator_ids : Series of str
        Indicator ids.
    per : float, optional
        Scale to use for every id instead of the catalog's (for indicators outside the registry;
        their kind is then ``rate``).

    Returns
    -------
    DataFrame
        Indexed like ``indicator_ids``, with ``per`` (float, NaN when the unit has none) and ``kind``.

    Raises
    ------
    InputError
        An id is not in the registry and ``per`` is not given.
    """
    if per is not None:
        return pd.DataFrame({"per": float(per), "kind": "rate"}, index=indicator_ids.index)
    table = catalog.indicators()
    unknown = sorted(set(indicator_ids) - set(table.index))
    if unknown:
        raise InputError(
            f"指标 {unknown[0]} 不在指标库中：请先在 catalog/data/indicators 中登记，或调用时指定 per。",
            code="E_UNKNOWN_INDICATOR",
        )
    kinds = table["unit"].map(lambda u: catalog.UNITS[u].kind)
    return pd.DataFrame(
        {
            "per": indicator_ids.map(table["per"].astype(float)).to_numpy(),
            "kind": indicator_ids.map(kinds).to_numpy(),
        },
        index=indicator_ids.index,
    )
