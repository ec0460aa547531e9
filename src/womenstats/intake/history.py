"""Checks of a file's values against the series' own history: missing years, jumps, small counts."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from womenstats.intake.problems import Problem, problem
from womenstats.intake.rules import Checked, fmt

#: Fewer events than this make a rate unreliable (NCHS rule: relative standard error above ~23%).
MIN_EVENTS = 20

#: A change is a jump when it is this many robust standard deviations from the series' usual change.
JUMP_K = 5.0

#: At least this many earlier values are needed before a jump can be judged.
JUMP_MIN_HISTORY = 3


def series_checks(items: list[Checked], history: pd.DataFrame | None, file: str) -> list[Problem]:
    """Missing years between reported ones, jumps, and rates from small counts."""
    problems: list[Problem] = []
    by_series: dict[tuple, dict[int, Checked]] = {}
    for item in items:
        if not item.key:
            continue
        region, year, ind, sex, age, residence = item.key
        by_series.setdefault((region, ind, sex, age, residence), {})[year] = item
        problems += _small_counts(item)
    stored = _history_map(history)
    for series, file_years in by_series.items():
        values = dict(stored.get(series, {}))
        values.update({year: item.value for year, item in file_years.items()})
        years = sorted(values)
        for year, item in sorted(file_years.items()):
            earlier = [y for y in years if y < year]
            if earlier and year - 1 not in values:
                gap = list(range(max(earlier) + 1, year))
                problems.append(
                    problem(
                        "W_MISSING_YEAR",
                        item.location,
                        f"{item.info.name}缺少 {'、'.join(map(str, gap))} 年的数，请补报或说明原因。",
                        item.key,
                    )
                )
            small = (
                item.denominator is not None
                and item.info.per is not None
                and item.denominator < item.info.per
            )
            if small or len(earlier) < JUMP_MIN_HISTORY:
                continue
            problems += _jump(item, [values[y] for y in earlier], year, max(earlier))
    return problems


def _history_map(history: pd.DataFrame | None) -> dict[tuple, dict[int, float]]:
    out: dict[tuple, dict[int, float]] = {}
    if history is None or history.empty:
        return out
    for row in history.itertuples(index=False):
        key = (row.region_code, row.indicator_id, row.sex, row.age_group, row.residence)
        if row.value is not None and not (isinstance(row.value, float) and math.isnan(row.value)):
            out.setdefault(key, {})[int(row.year)] = float(row.value)
    return out


def _jump(item: Checked, earlier: list[float], year: int, last_year: int) -> list[Problem]:
    r"""Flag a change far outside the series' own changes.

    With earlier values :math:`x_1..x_n` (:math:`n \ge 3`) and their changes :math:`d_i`, the change to
    this value :math:`d = x - x_n` is a jump when :math:`|d - \operatorname{median}(d_i)| > k s`, where
    :math:`s = \max(1.4826\,\mathrm{MAD}(d_i),\ 0.02|x_n|,\ \sigma)` (a robust standard deviation,
    floored at 2% of the level so that a flat series does not flag rounding, and at the sampling
    error of a rate from counts, :math:`\sigma = c\sqrt{2 p (1 - p) / n}` with :math:`p = x / c`, the
    standard deviation of the difference of two binomial rates on :math:`n`, so that a new term's
    deputies or a new survey sample is no jump by chance alone) and :math:`k` is :data:`JUMP_K`. A
    gap computed from components is not judged (its components are). Reference: Hampel's
    identifier, e.g. Leys et al. (2013), *J. Exp. Soc. Psychol.* 49(4).
    """
    if item.info.derived is not None:
        return []
    diffs = np.diff(np.asarray(earlier, dtype=float))
    centre = float(np.median(diffs))
    mad = float(np.median(np.abs(diffs - centre)))
    scale = max(1.4826 * mad, 0.02 * abs(earlier[-1]), _sampling_sd(item), 1e-9)
    change = item.value - earlier[-1]
    if abs(change - centre) <= JUMP_K * scale:
        return []
    return [
        problem(
            "W_JUMP",
            item.location,
            f"{item.info.name}从 {last_year} 年的 {fmt(earlier[-1])} 变为 {year} 年的 {fmt(item.value)}，"
            f"变化远超该序列以往的年度变化（中位数 {centre:+.3g}），请核实是否填错或口径改变。",
            item.key,
        )
    ]


def _sampling_sd(item: Checked) -> float:
    """Return the standard deviation of a year-to-year change of a rate from its counts by chance alone."""
    info = item.info
    if not info.is_rate or not item.denominator or item.numerator is None:
        return 0.0
    per = float(info.per)
    p = min(max(item.value / per, 0.0), 1.0)
    return per * math.sqrt(2 * p * (1 - p) / item.denominator)


def _small_counts(item: Checked) -> list[Problem]:
    """Warn of a rate from few events or a small denominator.

    A share of a body or set of units counted in full (:func:`womenstats.catalog.enumerated`: 6 of
    19 常委, 5 of 5 water sources) is exact, whatever its size: there is no interval to read and
    nothing to pool, so it gets no warning (as the assessment judges it on its own year).
    """
    info = item.info
    if not info.is_rate or info.enumerated or item.denominator is None or item.numerator is None:
        return []
    if item.denominator >= float(info.per) and item.numerator >= MIN_EVENTS:
        return []
    return [
        problem(
            "W_SMALL_DENOMINATOR",
            item.location,
            f"{info.name}由 {fmt(item.numerator)}/{fmt(item.denominator)} 算出，事件数或分母太小，"
            "比率年际波动大；解读时请看区间估计或合并多年数据。",
            item.key,
        )
    ]


