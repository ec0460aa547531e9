"""The peers' verdicts beside ours: open-sdg's progress measure and ESCAP's Anticipated Progress Index.

:func:`peer_verdict` judges one series; :func:`peer_frame` judges many at once with array
arithmetic (no per-series Python loop) and gives the same numbers. Both read a catalog target
(operator, value, better) and translate it into the peer's terms (:func:`peer_terms`):

=====================  =======================================  ==================================
operator               open-sdg                                 ESCAP
=====================  =======================================  ==================================
``>=`` / ``<=``        target, direction positive / negative    target, d = +1 / -1
``increase/decrease``  no target, direction positive / negative  ``no_target``
``maintain`` X         target X, direction from ``better``      target X, d from ``better``
``maintain``           no target, direction from ``better``     ``no_target``
``≈`` / ``=`` X        target X, direction from base towards X  target X, d from base towards X
``narrow``             no target, direction negative (gap)      ``no_target``
qualitative            ``not_available``                        ``no_target``
=====================  =======================================  ==================================

The base year is the plan's baseline year and the target year the target's (open-sdg's own
defaults are 2015 and 2030). See ``docs/peers.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from womenstats.assess import escap, open_sdg
from womenstats.assess.series import baseline_value
from womenstats.assess.status import RELATIVE_COMPARISONS, relative_level
from womenstats.catalog.facts import indicator_info, target_info

#: Methods this module implements (the values of ``assess_plan(method=...)`` it serves).
METHODS: tuple[str, ...] = ("open-sdg", "escap")

#: Columns :func:`peer_frame` adds.
VERDICT_COLUMNS: tuple[str, ...] = (
    "method", "status", "status_label", "status_name", "value", "score",
    "base_year_used", "base_value", "current_year", "current_value", "anticipated",
)

_STATUS_TABLES = {"open-sdg": open_sdg.STATUSES, "escap": escap.STATUSES}
_POSITIVE = {">=", "increase"}
_NEGATIVE = {"<=", "decrease", "narrow"}
_TOWARDS = {"≈", "="}


@dataclass(frozen=True)
class PeerVerdict:
    """A peer method's verdict on one series.

    Attributes
    ----------
    method : str
        ``open-sdg`` or ``escap``.
    status : str
        The peer's status code (``open_sdg.STATUSES`` / ``escap.STATUSES``).
    label, name : str
        Chinese label and the peer's English name of the status.
    value : float
        open-sdg: the ratio R (with a target) or the signed CAGR (without); ESCAP: the gap ratio.
        NaN when not computed (target achieved, no target, too few data).
    score : float
        open-sdg's score from -5 to 5; NaN for ESCAP.
    base_year, current_year : int or None
        Years used.
    base_value, current_value : float
        Values used.
    anticipated : float
        ESCAP's anticipated target-year value; NaN for open-sdg.
    """

    method: str
    status: str
    label: str
    name: str
    value: float = math.nan
    score: float = math.nan
    base_year: int | None = None
    base_value: float = math.nan
    current_year: int | None = None
    current_value: float = math.nan
    anticipated: float = math.nan


def _verdict(method: str, status: str, **numbers) -> PeerVerdict:
    label, name = _STATUS_TABLES[method][status]
    return PeerVerdict(method, status, label, name, **numbers)


def peer_terms(operator: str | None, target_value: float | None, better: str | None,
               base_value: float) -> tuple[int, float | None]:
    """Translate a catalog target into a desired direction and a target value.

    Parameters
    ----------
    operator : str or None
        Catalog operator (``>=``, ``<=``, ``≈``, ``=``, ``increase``, ``decrease``, ``maintain``,
        ``narrow``); empty for qualitative.
    target_value : float or None
        The target's value (NaN or None when it has none).
    better : str or None
        ``higher``, ``lower`` or ``neutral``: used by ``maintain``.
    base_value : float
        Base-year value: for ``≈`` / ``=`` the direction is from it towards the target (-1 when
        it is unknown, which only matters when there are no data to judge).

    Returns
    -------
    (int, float or None)
        Direction +1 / -1 (0 when none can be read) and the target value (None for direction-only).
    """
    value = None if target_value is None or pd.isna(target_value) else float(target_value)
    if operator in _POSITIVE or operator in _NEGATIVE:
        return (1 if operator in _POSITIVE else -1), (value if operator in {">=", "<="} else None)
    if operator == "maintain":
        d = {"higher": 1, "lower": -1}.get(better or "", 0)
        return d, value
    if operator in _TOWARDS and value is not None:
        return (1 if value >= base_value else -1), value
    return 0, None


def _open_sdg(years, values, operator, target_value, better, base_year, target_year) -> PeerVerdict:
    inputs = open_sdg.choose_years(years, values, base_year)
    if inputs is None:
        return _verdict("open-sdg", "not_available")
    d, target = peer_terms(operator, target_value, better, inputs.base_value)
    numbers = {"base_year": inputs.base_year, "base_value": inputs.base_value,
               "current_year": inputs.current_year, "current_value": inputs.current_value}
    if d == 0:
        return _verdict("open-sdg", "not_available", **numbers)
    status, value, score = open_sdg.progress(inputs, direction="positive" if d > 0 else "negative",
                                             target=target, target_year=target_year)
    return _verdict("open-sdg", status, value=value, score=score, **numbers)


def _escap(years, values, operator, target_value, better, base_year, target_year) -> PeerVerdict:
    t = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    open_sdg.refuse_duplicate_years(t[~np.isnan(y)])
    later = (t >= base_year) & ~np.isnan(y)
    base_value = float(y[later][np.argmin(t[later])]) if later.any() else math.nan
    d, target = peer_terms(operator, target_value, better, base_value)
    if d == 0 or target is None:
        return _verdict("escap", "no_target")
    result = escap.anticipate(t, y, target=target, direction=d, base_year=base_year,
                              target_year=target_year)
    status = escap.status_of(result, target=target, direction=d)
    if result is None:
        return _verdict("escap", status)
    return _verdict("escap", status, value=result.gap, base_year=result.base_year,
                    base_value=result.base_value, current_year=result.current_year,
                    current_value=result.current_value, anticipated=result.anticipated)


_SERIES_METHODS = {"open-sdg": _open_sdg, "escap": _escap}


def peer_verdict(method: str, years, values, *, operator: str | None, target_value: float | None,
                 better: str | None = None, base_year: int = open_sdg.DEFAULT_BASE_YEAR,
                 target_year: int = open_sdg.DEFAULT_TARGET_YEAR) -> PeerVerdict:
    """Judge one series by a peer's method.

    Parameters
    ----------
    method : {'open-sdg', 'escap'}
        The peer method.
    years, values : array-like
        The annual series (missing values allowed).
    operator : str or None
        Catalog operator of the target.
    target_value : float or None
        The target's value; None for directional targets.
    better : str, optional
        ``higher`` / ``lower``: needed by ``maintain``.
    base_year : int, default 2015
        Base year (the plan's baseline year).
    target_year : int, default 2030
        Target year.

    Returns
    -------
    PeerVerdict
        Status code, Chinese label, English name and the numbers behind them.

    Examples
    --------
    >>> peer_verdict("open-sdg", [2015, 2020], [10.0, 8.0], operator="<=", target_value=4.0).status
    'moderate_progress'
    """
    if method not in _SERIES_METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    return _SERIES_METHODS[method](years, values, operator, target_value, better, base_year, target_year)


# ----------------------------------------------------------------------------------------------------
# Vectorised path: one row per series, numbers from grouped array arithmetic.


def _endpoints(obs: pd.DataFrame, targets: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Find each series' base (first year >= base_year) and current (latest) observation."""
    obs = obs.dropna(subset=["year", "value"])
    merged = obs.merge(targets[[*keys, "base_year"]], on=keys, how="inner")
    ordered = merged.sort_values([*keys, "year"], kind="stable")
    twice = ordered.duplicated([*keys, "year"], keep=False)
    if twice.any():
        first = ordered.loc[twice].iloc[0]
        series = ordered.loc[twice & (ordered[keys] == first[keys]).all(axis=1)]
        open_sdg.refuse_duplicate_years(series["year"], "/".join(str(first[k]) for k in keys))
    current = ordered.groupby(keys, sort=False).agg(current_year=("year", "max"))
    current_value = ordered.drop_duplicates([*keys, "year"]).set_index([*keys, "year"])["value"]
    later = ordered[ordered["year"] >= ordered["base_year"]]
    base = later.drop_duplicates(keys, keep="first").set_index(keys)[["year", "value"]]
    base.columns = ["base_year_used", "base_value"]
    out = targets.set_index(keys).join(current).join(base)
    idx = pd.MultiIndex.from_arrays([out.index.get_level_values(k) for k in keys] + [out["current_year"]])
    out["current_value"] = current_value.reindex(idx).to_numpy()
    n_years = ordered.groupby(keys, sort=False)["year"].nunique().rename("n_years")
    return out.join(n_years).reset_index()


def _directions(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    op = frame["operator"].fillna("").to_numpy(dtype=object)
    value = frame["target_value"].to_numpy(dtype=float)
    better = frame["better"].fillna("").to_numpy(dtype=object)
    base = frame["base_value"].to_numpy(dtype=float)
    towards = np.isin(op, list(_TOWARDS)) & ~np.isnan(value)
    d = np.select(
        [np.isin(op, list(_POSITIVE)), np.isin(op, list(_NEGATIVE)),
         (op == "maintain") & (better == "higher"), (op == "maintain") & (better == "lower"), towards],
        [1, -1, 1, -1, np.where(value >= base, 1, -1)], 0)
    has_target = np.isin(op, ["<=", ">=", "maintain", *_TOWARDS]) & ~np.isnan(value) & (d != 0)
    return d, np.where(has_target, value, np.nan)


def _open_sdg_frame(frame: pd.DataFrame) -> pd.DataFrame:
    d, target = _directions(frame)
    base_year = frame["base_year_used"].to_numpy(dtype=float)
    current_year = frame["current_year"].to_numpy(dtype=float)
    m = open_sdg.measure(base_year, frame["base_value"], current_year, frame["current_value"], direction=d,
                         target=target, target_year=frame["target_year"].to_numpy(dtype=float))
    known = ~np.isnan(base_year) & ~np.isnan(current_year)
    return pd.DataFrame({
        "status": m.status, "value": m.value, "score": m.score,
        "base_year_used": np.where(known, base_year, np.nan),
        "base_value": np.where(known, frame["base_value"], np.nan),
        "current_year": np.where(known, current_year, np.nan),
        "current_value": np.where(known, frame["current_value"], np.nan), "anticipated": np.nan,
    }, index=frame.index)


def _weighted_lines(obs: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Closed-form time-weighted least squares of every series (origin at its latest year)."""
    obs = obs.dropna(subset=["year", "value"])
    g = obs.groupby(keys, sort=False)
    t = obs["year"].to_numpy(dtype=float) - g["year"].transform("max").to_numpy(dtype=float)
    w = obs["year"].to_numpy(dtype=float) - g["year"].transform("min").to_numpy(dtype=float) + 1.0
    y = obs["value"].to_numpy(dtype=float)
    parts = pd.DataFrame({"sw": w, "swt": w * t, "swy": w * y, "swtt": w * t * t, "swty": w * t * y})
    for k in keys:
        parts[k] = obs[k].to_numpy()
    s = parts.groupby(keys, sort=False).sum()
    denominator = s["sw"] * s["swtt"] - s["swt"] ** 2
    slope = (s["sw"] * s["swty"] - s["swt"] * s["swy"]) / denominator
    intercept = (s["swy"] - slope * s["swt"]) / s["sw"]
    return pd.DataFrame({"intercept": intercept, "slope": slope})


def _escap_frame(frame: pd.DataFrame, obs: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    d, target = _directions(frame)
    lines = frame[keys].merge(_weighted_lines(obs, keys).reset_index(), on=keys, how="left")
    current_year = frame["current_year"].to_numpy(dtype=float)
    horizon = frame["target_year"].to_numpy(dtype=float) - current_year
    anticipated = lines["intercept"].to_numpy() + lines["slope"].to_numpy() * horizon
    base = frame["base_value"].to_numpy(dtype=float)
    usable = (frame["n_years"].fillna(0).to_numpy() >= 2) & ~np.isnan(base)
    required = d * (target - base)
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(required > 0, d * (target - anticipated) / required, np.nan)
    has_target = ~np.isnan(target)
    meets = d * (anticipated - target) >= 0
    status = np.select(
        [~has_target, ~usable, np.isnan(gap) & meets, np.isnan(gap), gap <= 0, gap <= 1],
        ["no_target", "insufficient_data", "on_track", "regression", "on_track", "acceleration_needed"],
        "regression")
    shown = has_target & usable
    return pd.DataFrame({
        "status": status, "value": np.where(shown, gap, np.nan), "score": np.nan,
        "base_year_used": np.where(shown, frame["base_year_used"], np.nan),
        "base_value": np.where(shown, base, np.nan),
        "current_year": np.where(shown, current_year, np.nan),
        "current_value": np.where(shown, frame["current_value"], np.nan),
        "anticipated": np.where(shown, anticipated, np.nan),
    }, index=frame.index)


def peer_frame(method: str, obs: pd.DataFrame, targets: pd.DataFrame, *, keys) -> pd.DataFrame:
    """Judge many series at once by a peer's method.

    Parameters
    ----------
    method : {'open-sdg', 'escap'}
        The peer method.
    obs : pandas.DataFrame
        Long observations: the ``keys`` columns, ``year`` and ``value``.
    targets : pandas.DataFrame
        One row per series to judge: the ``keys`` columns, ``operator``, ``target_value``,
        ``better``, ``base_year`` and ``target_year``.
    keys : list of str
        Columns identifying a series (e.g. ``["region_code", "target_id"]``).

    Returns
    -------
    pandas.DataFrame
        ``targets`` (same row order) with :data:`VERDICT_COLUMNS` added; the numbers equal
        :func:`peer_verdict` on each series (``base_year_used`` is its ``base_year``: the
        configured base year stays in ``base_year``).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}")
    keys = list(keys)
    targets = targets.reset_index(drop=True)
    frame = _endpoints(obs[[*keys, "year", "value"]], targets, keys)
    if method == "open-sdg":
        verdicts = _open_sdg_frame(frame)
    else:
        verdicts = _escap_frame(frame, obs[[*keys, "year", "value"]], keys)
    table = _STATUS_TABLES[method]
    verdicts.insert(0, "method", method)
    verdicts.insert(2, "status_label", [table[s][0] for s in verdicts["status"]])
    verdicts.insert(3, "status_name", [table[s][1] for s in verdicts["status"]])
    for col in ("base_year_used", "current_year"):
        verdicts[col] = verdicts[col].astype("Int64")
    return pd.concat([targets, verdicts.reset_index(drop=True)], axis=1)


# ----------------------------------------------------------------------------------------------------
# Adapters to the assessment-method registry (womenstats.assess.methods): the signature of
# womenstats.assess.ours.assess_series, returning its RESULT_KEYS.


def _registry_result(method: str, series: pd.DataFrame, target, indicator, year, baseline_year) -> dict:
    target = target_info(target)
    indicator = indicator_info((target.get("indicator_id") or {}) if indicator is None else indicator)
    values, years = series["value"].to_numpy(dtype=float), series["year"].to_numpy(dtype=float)
    keep = np.flatnonzero(~np.isnan(values) & (years <= year))
    series = series.iloc[keep[np.argsort(years[keep], kind="stable")]]
    operator = None if target.get("kind") == "qualitative" else (target.get("operator") or None)
    base_year = int(baseline_year) if baseline_year is not None else open_sdg.DEFAULT_BASE_YEAR
    due = target.get("target_year")
    target_year = open_sdg.DEFAULT_TARGET_YEAR if due is None or pd.isna(due) else int(due)
    value = target.get("value")
    if operator in RELATIVE_COMPARISONS:  # a change from the baseline: the level it sets
        base = baseline_value(series, baseline_year)
        operator, value = relative_level(operator, float(value), base) if base is not None else (None, None)
    v = peer_verdict(method, series["year"].to_numpy(dtype=float), series["value"].to_numpy(dtype=float),
                     operator=operator, target_value=value, better=indicator.get("better"),
                     base_year=base_year, target_year=target_year)
    return {
        "n_obs": len(series),
        "last_year": int(series["year"].iloc[-1]) if len(series) else None,
        "last_value": float(series["value"].iloc[-1]) if len(series) else math.nan,
        "model": method,
        "proj_value": v.anticipated,
        "proj_lo80": math.nan, "proj_hi80": math.nan, "proj_lo95": math.nan, "proj_hi95": math.nan,
        "p_attain": math.nan,
        "status": v.status,
        "warnings": "",
        "status_label": v.label,
        "warning_text": "",
        "peer_value": v.value,
        "peer_score": v.score,
        "target_level": math.nan if value is None or pd.isna(value) else float(value),
        "comparison": operator or "",
        "final": int(year) >= target_year,
    }


def assess_open_sdg(series: pd.DataFrame, target, indicator=None, *, year: int,
                    baseline_year: int | None = None) -> dict[str, object]:
    """Judge one target by open-sdg's progress measure, in the assessment registry's terms.

    Parameters
    ----------
    series : pandas.DataFrame
        Columns ``year, value``; years after ``year`` are left out.
    target : str, pandas.Series or mapping
        ``kind, operator, value, target_year`` (an id or a catalog row too).
    indicator : str, womenstats.catalog.Indicator or mapping, optional
        ``better`` (used by ``maintain``); the target's ``indicator_id`` when omitted.
    year : int
        Assessment year.
    baseline_year : int, optional
        The plan's baseline year (open-sdg's base year); 2015 when omitted.

    Returns
    -------
    dict
        The keys of ``womenstats.assess.ours.RESULT_KEYS``: ``status`` is open-sdg's code,
        ``status_label`` its Chinese label, ``model`` is ``open-sdg``; intervals and ``p_attain``
        are NaN; also ``peer_value`` (R or CAGR) and ``peer_score`` (-5..5).
    """
    return _registry_result("open-sdg", series, target, indicator, year, baseline_year)


def assess_escap(series: pd.DataFrame, target, indicator=None, *, year: int,
                 baseline_year: int | None = None) -> dict[str, object]:
    """Judge one target by ESCAP's Anticipated Progress Index, in the assessment registry's terms.

    Parameters
    ----------
    series, target, indicator, year : as in :func:`assess_open_sdg`
    baseline_year : int, optional
        The plan's baseline year (the start of the required progress); 2015 when omitted.

    Returns
    -------
    dict
        The keys of ``womenstats.assess.ours.RESULT_KEYS``: ``status`` is ESCAP's code,
        ``proj_value`` the anticipated target-year value, ``model`` is ``escap``; also
        ``peer_value`` (the gap ratio).
    """
    return _registry_result("escap", series, target, indicator, year, baseline_year)
