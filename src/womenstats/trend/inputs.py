"""What :func:`womenstats.trend.project` accepts, turned into sorted arrays and the indicator's facts.

A series reaches the projection in the forms a pandas user holds it in: a Series indexed by year
(``obs.set_index("year")["value"]``), a frame with ``year, value`` (and ``numerator, denominator``)
columns as :func:`womenstats.assess.target_series` returns it, or two arrays. The indicator
(:func:`womenstats.catalog.facts.indicator_info`: an id, a name, a catalog object or a mapping)
supplies the bounds, the counts' scale ``per`` and the better direction, so that a projection made
by hand chooses its model exactly as the assessment does.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from womenstats.catalog.facts import indicator_info, indicator_label
from womenstats.errors import InputError

#: How a series may be given, for the error message.
ACCEPTED = ("按年份索引的 Series（如 obs.set_index(\"year\")[\"value\"]）、含 year 和 value 列的 DataFrame，"
            "或 years、values 两个数组")


class UnboundedWarning(UserWarning):
    """A projection made without an indicator or bounds: its model may differ from the assessment's."""


@dataclass(frozen=True)
class SeriesInput:
    """A series ready to project: sorted by year, without missing values.

    Attributes
    ----------
    years, values : numpy.ndarray
        The observations, as floats.
    numerators, denominators : numpy.ndarray or None
        The counts behind each value (None when not given or never reported).
    bounds : (float, float)
        Lower and upper bound (NaN when unbounded).
    per : float or None
        Scale of a rate.
    better : str or None
        ``higher``, ``lower`` or ``neutral``.
    label, unit : str
        The series' name (an indicator's Chinese name, or the Series' name) and its unit.
    """

    years: np.ndarray
    values: np.ndarray
    numerators: np.ndarray | None
    denominators: np.ndarray | None
    bounds: tuple[float, float]
    per: float | None
    better: str | None
    label: str
    unit: str


def _year_index(index: pd.Index) -> np.ndarray:
    """Return the years of a Series' index (integers, dates or periods)."""
    if isinstance(index, pd.DatetimeIndex | pd.PeriodIndex):
        return np.asarray(index.year, dtype=float)
    years = pd.to_numeric(pd.Series(index, dtype=object), errors="coerce").to_numpy(dtype=float)
    if np.isnan(years).any() or (years != np.round(years)).any():
        shown = "、".join(map(str, list(index[:3])))
        raise InputError(f"Series 的索引应为年份（整数，如 2018、2019），而不是“{shown}”：请用 "
                         "obs.set_index(\"year\")[\"value\"] 之类的写法把年份设为索引。", code="E_NOT_YEARS")
    return years


def _counts(frame: pd.DataFrame) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Return a frame's numerators and denominators, or None when either was never reported."""
    if "numerator" not in frame or "denominator" not in frame:
        return None, None
    num, den = frame["numerator"].to_numpy(dtype=float), frame["denominator"].to_numpy(dtype=float)
    if np.isnan(num).all() or np.isnan(den).all():
        return None, None
    return num, den


def _arrays(y, values, numerators, denominators) -> tuple[np.ndarray, np.ndarray, object, object, str]:
    """Return years, values, counts and a name from any accepted form of the series."""
    if values is not None:
        return np.asarray(y, dtype=float), np.asarray(values, dtype=float), numerators, denominators, ""
    if isinstance(y, pd.Series):
        return _year_index(y.index), y.to_numpy(dtype=float), numerators, denominators, str(y.name or "")
    if isinstance(y, pd.DataFrame):
        frame = y if "year" in y.columns else y.rename_axis("year").reset_index()
        if "value" not in frame.columns or "year" not in frame.columns:
            listed = "、".join(map(str, y.columns))
            raise InputError(f"DataFrame 须有 year 和 value 两列（年份也可作索引），现有列：{listed}。",
                             code="E_MISSING_COLUMN")
        given = numerators is not None or denominators is not None
        num, den = (numerators, denominators) if given else _counts(frame)
        return frame["year"].to_numpy(dtype=float), frame["value"].to_numpy(dtype=float), num, den, ""
    raise InputError(f"只给了一个参数（{type(y).__name__}）：请给出{ACCEPTED}。", code="E_SERIES_FORM")


def clean(years, values, numerators=None, denominators=None):
    """Return the observations sorted by year, missing values dropped, after checking their shape.

    Parameters
    ----------
    years, values : array-like
        One value a year.
    numerators, denominators : array-like, optional
        The counts (NaN where not reported).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray or None, numpy.ndarray or None)

    Raises
    ------
    InputError
        If the lengths differ or a year is repeated.
    """
    years = np.asarray(years, dtype=float)
    values = np.asarray(values, dtype=float)
    if years.shape != values.shape or years.ndim != 1:
        raise InputError("年份和数值的个数不一致，请逐年给出一个数值。")
    num = None if numerators is None else np.asarray(numerators, dtype=float)
    den = None if denominators is None else np.asarray(denominators, dtype=float)
    for name, arr in (("分子", num), ("分母", den)):
        if arr is not None and arr.shape != years.shape:
            raise InputError(f"{name}的个数与年份不一致，请逐年给出（缺失的填空值）。")
    keep = ~np.isnan(values) & ~np.isnan(years)
    order = np.argsort(years[keep], kind="stable")
    years, values = years[keep][order], values[keep][order]
    num = None if num is None else num[keep][order]
    den = None if den is None else den[keep][order]
    if len(np.unique(years)) != len(years):
        dup = sorted({int(y) for y in years if (years == y).sum() > 1})
        raise InputError(f"年份重复：{'、'.join(map(str, dup))}，每年只能有一个数值，请删去重复的行。")
    return years, values, num, den


def _bound(value) -> float:
    return math.nan if value is None or pd.isna(value) else float(value)


def series_input(y, values=None, *, indicator=None, bounds=None, numerators=None, denominators=None,
                 per=None, better=None) -> SeriesInput:
    """Read a series and its indicator as :func:`womenstats.trend.project` takes them.

    Parameters
    ----------
    y : pandas.Series, pandas.DataFrame or array-like
        A Series indexed by year; a frame with ``year`` (column or index) and ``value`` columns
        and optionally ``numerator, denominator``; or the years, with ``values``.
    values : array-like, optional
        The values when ``y`` holds the years.
    indicator : str, womenstats.catalog.Indicator or mapping, optional
        Supplies ``bounds``, ``per`` and ``better`` where they are not given
        (:func:`womenstats.catalog.facts.indicator_info`).
    bounds : (float or None, float or None), optional
        Overrides the indicator's bounds (``(0, None)`` for the size of a gap).
    numerators, denominators : array-like, optional
        The counts; a frame's ``numerator, denominator`` columns otherwise.
    per : float, optional
        Overrides the indicator's ``per``.
    better : str, optional
        Overrides the indicator's better direction.

    Returns
    -------
    SeriesInput

    Warns
    -----
    UnboundedWarning
        When neither ``indicator`` nor ``bounds`` is given: the series is then taken as unbounded,
        which may choose another model than the assessment of the same indicator.
    """
    years, vals, num, den, name = _arrays(y, values, numerators, denominators)
    years, vals, num, den = clean(years, vals, num, den)
    info = indicator_info(indicator) if indicator is not None else None
    if bounds is None:
        if info is None:
            warnings.warn("未给出指标（indicator=）或取值范围（bounds=）：按无界序列选择模型，可能与评估所用的"
                          "模型不同。请传入 indicator=指标 id 或名称；确属无界请写 bounds=(None, None)。",
                          UnboundedWarning, stacklevel=3)
            bounds = (None, None)
        else:
            bounds = (info["lower"], info["upper"])
    if info is not None:
        per = info["per"] if per is None else per
        better = info["better"] if better is None else better
    label = indicator_label(indicator) or name
    unit = str(info["unit"]) if info is not None else ""
    return SeriesInput(years, vals, num, den, (_bound(bounds[0]), _bound(bounds[1])),
                       None if per is None else float(per), better, label, unit)
