"""What the projection and the assessment read of an indicator, from whatever names it.

An indicator reaches :func:`womenstats.trend.project` and :mod:`womenstats.assess` as an id, a name, the
:class:`~womenstats.catalog.models.Indicator` that :func:`womenstats.catalog.indicator` returns, a row of
:func:`womenstats.catalog.indicators` or a plain mapping. :func:`indicator_info` turns each into the
same dict, so that every caller reads bounds, scale and direction the same way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

#: Keys of an indicator that the projection and the assessment read (:func:`indicator_info`).
INDICATOR_KEYS: tuple[str, ...] = ("lower", "upper", "better", "per", "subject", "near", "band", "unit")

#: Values of the keys a mapping leaves out: unbounded, neutral, no tolerance, no unit.
DEFAULTS: dict[str, object] = {"lower": math.nan, "upper": math.nan, "better": "neutral", "per": None,
                               "subject": "total", "near": 0.0, "band": math.nan, "unit": ""}


def _num(value) -> float:
    return math.nan if value is None or pd.isna(value) else float(value)


def _enumerated(plausible) -> bool:
    """Whether a ``plausible`` entry's denominator element is marked ``enumerated`` in structure.yaml."""
    element = getattr(plausible, "denominator", None)
    if not element:
        return False
    from womenstats.catalog.structure import structure

    found = structure().get(str(element))
    return bool(found is not None and found.enumerated)


def indicator_info(indicator) -> dict[str, object]:
    """Return what the projection and the assessment need of an indicator.

    Parameters
    ----------
    indicator : str, womenstats.catalog.Indicator, pandas.Series or mapping
        An id, Chinese name or alias of the registry (:func:`womenstats.catalog.indicator`), its
        :class:`~womenstats.catalog.models.Indicator`, a row of
        :func:`womenstats.catalog.indicators`, or a mapping with some of :data:`INDICATOR_KEYS`
        (missing ones: :data:`DEFAULTS`).

    Returns
    -------
    dict
        :data:`INDICATOR_KEYS`; bounds and ``band`` NaN when absent, ``per`` a float or None; and
        ``enumerated``: whether the denominator is a body or set of units counted in full
        (:func:`womenstats.catalog.enumerated`; a mapping may say so itself).

    Raises
    ------
    womenstats.errors.CatalogError
        For a text that is no id, name or alias of the registry (with the closest names).
    """
    if isinstance(indicator, str):
        from womenstats.catalog.loader import indicator as lookup

        indicator = lookup(indicator)
    if isinstance(indicator, pd.Series):
        indicator = indicator.to_dict()
    if not isinstance(indicator, Mapping):
        indicator = {key: getattr(indicator, key, None) for key in (*INDICATOR_KEYS, "plausible")}
    out = {key: indicator.get(key, DEFAULTS[key]) for key in INDICATOR_KEYS}
    out["enumerated"] = (bool(indicator["enumerated"]) if "enumerated" in indicator
                         else _enumerated(indicator.get("plausible")))
    for key in ("lower", "upper", "band", "near"):
        out[key] = _num(out[key]) if out[key] is not None else DEFAULTS[key]
    out["near"] = 0.0 if math.isnan(out["near"]) else out["near"]
    per = out["per"]
    out["per"] = None if per is None or pd.isna(per) else float(per)
    return out


def indicator_label(indicator) -> str:
    """Return an indicator's Chinese name for titles (empty for a mapping without one).

    Parameters
    ----------
    indicator : str, Indicator, pandas.Series, mapping or None
        As :func:`indicator_info`.

    Returns
    -------
    str
    """
    if indicator is None:
        return ""
    if isinstance(indicator, str):
        from womenstats.catalog.loader import indicator as lookup

        return lookup(indicator).name
    if isinstance(indicator, Mapping | pd.Series):
        return str(indicator.get("name") or "")
    return str(getattr(indicator, "name", "") or "")


def target_info(target) -> dict[str, object]:
    """Return a target as a dict, from its id, its catalog row or a mapping.

    Parameters
    ----------
    target : str, pandas.Series or mapping
        A target id (``kaiping.health.02-1``, :func:`womenstats.catalog.target`), a row of
        :func:`womenstats.catalog.load`, or a mapping with ``kind, operator, value, tolerance,
        target_year`` (and ``indicator_id`` where the indicator is to be read from it).

    Returns
    -------
    dict
        The same keys; a catalog row without a target year gets its plan's final year.

    Raises
    ------
    womenstats.errors.CatalogError
        For an id that is no target of the catalog.
    """
    if isinstance(target, str):
        from womenstats.catalog.loader import target as lookup

        target = lookup(target)
    out = dict(target.to_dict() if isinstance(target, pd.Series) else target)
    due = out.get("target_year")
    if (due is None or pd.isna(due)) and out.get("plan"):
        from womenstats.catalog.loader import plan

        out["target_year"] = plan(str(out["plan"])).final_year
    return out
