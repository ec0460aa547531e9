"""open-sdg's progress measure, as sdg-build 2.4 computes it (``sdg/ProgressMeasure.py``, ``SeriesProgress``).

The measure compares the compound annual growth rate (CAGR) observed between a base year and the
latest year with the growth the target requires, and maps the ratio to five statuses and a score
from -5 to 5. ``docs/peers.md`` names the version read and lists, with reasons, the inputs on which
womenstats deliberately answers otherwise (inputs on which sdg-build raises, a target of the
opposite sign to the base value).

Rules (in the order sdg-build applies them)
-------------------------------------------
* Observations with a missing value are dropped; a year observed twice is refused
  (``E_DUPLICATE_OBSERVATION``). The *current year* is the latest year observed.
* The *base year* defaults to 2015. If it is not observed, the first observed year after it is
  used; if none is (sdg-build raises), there is no measure.
* A target of 0 is replaced by 0.001. The target is *achieved* when the current value is at or
  beyond it in the desired direction (``d = +1`` positive, ``-1`` negative), whatever else holds:
  status ``target_achieved``, score 5 — even with one usable year.
* Progress value: a base value of 0 becomes 0.001 (the sign ``s`` is read before, from the base
  value as given: -1 when it is negative). No value when base and current value have strictly
  opposite signs, or fewer than two usable years (base year = current year). Without a target
  (methodology 1) it is ``s * d * CAGR_obs``; with one (methodology 2)
  ``R = s * d * CAGR_obs / |CAGR_req|``, where ``CAGR_obs = (y_t / y_0) ** (1 / (t - t0)) - 1`` and
  ``CAGR_req = (y* / y_0) ** (1 / (T - t0)) - 1``. A target equal to the base value requires no
  growth: ``R`` is +inf or -inf by the sign of the observed growth (as numpy divides), NaN when
  that is 0 too.
* Status from the value: with a target ``R >= 0.95`` substantial progress, ``0.6 <= R < 0.95``
  moderate, ``0 <= R < 0.6`` limited, ``R < 0`` deterioration; without a target the thresholds
  are 0.015, 0.005, 0. No value (or NaN): ``not_available``.
* Score: with a target ``min(7.1429 R - 4.2857, 5)`` for ``R >= 0.6``, else
  ``max(4.1667 R - 2.5, -5)``; without one ``max(125 v - 2.5, -5)`` below 0, ``500 v - 2.5`` up
  to 0.005, ``250 v - 1.25`` up to 0.015, ``min(500 v - 5, 5)`` above. Scores of several series
  are averaged and read back into a status (:func:`status_from_score`).

The threshold scaling for direction-only series near a natural limit (the ``limit`` option) is
not used: womenstats never passes a limit, as sdg-build's default.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from womenstats.errors import InputError

#: Status code -> (Chinese label, English name as open-sdg shows it). ``not_available`` is
#: the status open-sdg shows when the measure cannot be computed.
STATUSES: dict[str, tuple[str, str]] = {
    "target_achieved": ("已达标", "Target achieved"),
    "substantial_progress": ("进展显著，按期可达", "Substantial progress / on track"),
    "moderate_progress": ("有进展，需加快", "Moderate progress / acceleration needed"),
    "limited_progress": ("进展有限", "Limited progress"),
    "deterioration": ("退步", "Deterioration"),
    "not_available": ("无法评估", "Unable to assess"),
}

#: Defaults of sdg-build's ``SeriesProgress`` configuration.
DEFAULT_BASE_YEAR = 2015
DEFAULT_TARGET_YEAR = 2030
DEFAULT_DIRECTION = "negative"

#: (high, med, low) thresholds with a target (on the ratio R) and without (on the CAGR).
THRESHOLDS_TARGET: tuple[float, float, float] = (0.95, 0.6, 0.0)
THRESHOLDS_DIRECTION: tuple[float, float, float] = (0.015, 0.005, 0.0)

#: Score lines with a target, as sdg-build writes them: (slope, intercept) at and above the
#: ``med`` threshold, and below it.
SCORE_TARGET_UPPER: tuple[float, float] = (7.1429, -4.2857)
SCORE_TARGET_LOWER: tuple[float, float] = (4.1667, -2.5)
#: Score lines without a target: (slope, intercept) below ``low``, from ``low``, from ``med``,
#: from ``high``.
SCORE_DIRECTION: tuple[tuple[float, float], ...] = ((125.0, -2.5), (500.0, -2.5), (250.0, -1.25),
                                                    (500.0, -5.0))

#: Replacement for a zero target or base value.
ZERO_REPLACEMENT = 0.001


@dataclass(frozen=True)
class Inputs:
    """The four numbers the measure uses, after open-sdg's choice of base and current year."""

    base_year: int
    base_value: float
    current_year: int
    current_value: float


@dataclass(frozen=True)
class Measure:
    """Arrays of one verdict per series (:func:`measure`)."""

    status: np.ndarray
    value: np.ndarray
    score: np.ndarray
    achieved: np.ndarray


def choose_years(years, values, base_year: int = DEFAULT_BASE_YEAR) -> Inputs | None:
    """Pick the base and current observation as open-sdg does.

    Parameters
    ----------
    years, values : array-like
        The series; pairs with a missing value are dropped.
    base_year : int, default 2015
        Configured base year. If it is not observed, the first observed year after it is used.

    Returns
    -------
    Inputs or None
        None when there is no observation or no observation from the base year on. Base and
        current year may coincide (one usable year: only the target-achieved test applies).

    Raises
    ------
    InputError
        ``E_DUPLICATE_OBSERVATION`` when a year is observed twice (sdg-build raises too).
    """
    y = np.asarray(years, dtype=float)
    v = np.asarray(values, dtype=float)
    keep = ~np.isnan(v) & ~np.isnan(y)
    y, v = y[keep], v[keep]
    refuse_duplicate_years(y)
    if y.size == 0:
        return None
    current = float(y.max())
    later = y[y >= base_year]
    if later.size == 0:
        return None
    base = float(later.min())
    return Inputs(int(base), float(v[y == base][0]), int(current), float(v[y == current][0]))


def refuse_duplicate_years(years, series: str = "") -> None:
    """Refuse a series that has two values for one year (instead of picking one silently).

    Parameters
    ----------
    years : array-like
        Years of the observed values.
    series : str, optional
        How to name the series in the message (e.g. its keys).

    Raises
    ------
    InputError
        ``E_DUPLICATE_OBSERVATION``, naming the years.
    """
    y = np.asarray(years, dtype=float)
    values, counts = np.unique(y, return_counts=True)
    if (counts > 1).any():
        twice = "、".join(str(int(t)) for t in values[counts > 1])
        name = f"序列 {series} " if series else "同一序列"
        raise InputError(f"{name}在 {twice} 年有多个数值：请每年只保留一个数值后再评估。",
                         code="E_DUPLICATE_OBSERVATION")


def cagr(value, base_value, year, base_year):
    """Compound annual growth rate ``(value / base_value) ** (1 / (year - base_year)) - 1``.

    Parameters
    ----------
    value, base_value : float or array-like
        End and start value.
    year, base_year : float or array-like
        End and start year.

    Returns
    -------
    float or numpy.ndarray
        The rate; NaN where the ratio of the values is negative or the years coincide.

    References
    ----------
    Statistics Canada / Open SDG, *Progress measurement methodology* (``CAGR_i``); sdg-build
    ``growth_calculation``.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.asarray(value, dtype=float) / np.asarray(base_value, dtype=float)
        span = np.asarray(year, dtype=float) - np.asarray(base_year, dtype=float)
        ok = (ratio >= 0) & (span != 0)
        out = np.where(ok, np.abs(ratio) ** (1.0 / np.where(span != 0, span, 1.0)) - 1.0, np.nan)
    return float(out) if out.ndim == 0 else out


def measure(base_year, base_value, current_year, current_value, *, direction, target,
            target_year) -> Measure:
    """Apply the progress measure to arrays of series (one element per series).

    Parameters
    ----------
    base_year, base_value, current_year, current_value : array-like
        The base and current observation of each series (:func:`choose_years`); NaN years where
        a series has no usable observation.
    direction : array-like of int
        +1 positive, -1 negative; 0 where no direction can be read (``not_available``).
    target : array-like of float
        Target value, NaN for a direction-only series (methodology 1).
    target_year : array-like of float
        Year each target is due.

    Returns
    -------
    Measure
        ``status`` (keys of :data:`STATUSES`), progress ``value`` (R or the signed CAGR; NaN when
        not computed, ±inf when the target requires no growth), ``score`` (NaN when none) and
        ``achieved``.

    Notes
    -----
    The rules are those of the module docstring. Where sdg-build raises (target year equal to the
    base year) or returns a complex or NaN growth (a target of the opposite sign to the base
    value), the value is NaN and the status ``not_available`` unless the target is achieved.
    """
    by, b0, cy, cur = (np.asarray(a, dtype=float)
                       for a in (base_year, base_value, current_year, current_value))
    d = np.asarray(direction, dtype=float)
    target = np.asarray(target, dtype=float)
    ty = np.asarray(target_year, dtype=float)
    known = ~np.isnan(by) & ~np.isnan(cy) & (d != 0)
    has_target = ~np.isnan(target)
    goal = np.where(target == 0, ZERO_REPLACEMENT, target)
    achieved = known & has_target & (d * (cur - goal) >= 0)
    sign = np.where(b0 < 0, -1.0, 1.0)
    base = np.where(b0 == 0, ZERO_REPLACEMENT, b0)
    opposite = ((base > 0) & (cur < 0)) | ((base < 0) & (cur > 0))
    computable = known & ~opposite & (cy - by >= 1)
    observed = sign * d * cagr(cur, base, cy, by)
    required = np.abs(cagr(goal, base, ty, by))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = observed / required
    value = np.where(computable, np.where(has_target, ratio, observed), np.nan)
    return Measure(status=_status(value, has_target, achieved), value=value,
                   score=_score(value, has_target, achieved), achieved=achieved)


def _status(value: np.ndarray, has_target: np.ndarray, achieved: np.ndarray) -> np.ndarray:
    high = np.where(has_target, THRESHOLDS_TARGET[0], THRESHOLDS_DIRECTION[0])
    med = np.where(has_target, THRESHOLDS_TARGET[1], THRESHOLDS_DIRECTION[1])
    with np.errstate(invalid="ignore"):
        return np.select(
            [achieved, np.isnan(value), value >= high, value >= med, value >= 0],
            ["target_achieved", "not_available", "substantial_progress", "moderate_progress",
             "limited_progress"], "deterioration").astype(object)


def _score(value: np.ndarray, has_target: np.ndarray, achieved: np.ndarray) -> np.ndarray:
    (a_up, c_up), (a_lo, c_lo) = SCORE_TARGET_UPPER, SCORE_TARGET_LOWER
    with np.errstate(invalid="ignore"):
        with_target = np.where(value >= THRESHOLDS_TARGET[1], np.minimum(a_up * value + c_up, 5.0),
                               np.maximum(a_lo * value + c_lo, -5.0))
        lines = [a * value + c for a, c in SCORE_DIRECTION]
        high, med, low = THRESHOLDS_DIRECTION
        without = np.select([value >= high, value >= med, value >= low],
                            [np.minimum(lines[3], 5.0), lines[2], lines[1]], np.maximum(lines[0], -5.0))
    score = np.where(has_target, with_target, without)
    return np.where(achieved, 5.0, np.where(np.isnan(value), np.nan, score))


def _direction_sign(direction: str) -> int:
    if direction not in ("positive", "negative"):
        raise ValueError(f"direction must be 'positive' or 'negative', not {direction!r}")
    return 1 if direction == "positive" else -1


def progress(inputs: Inputs | None, *, direction: str = DEFAULT_DIRECTION, target: float | None = None,
             target_year: int = DEFAULT_TARGET_YEAR) -> tuple[str, float, float]:
    """Judge one series: its status, progress value and score.

    Parameters
    ----------
    inputs : Inputs or None
        Base and current observation (:func:`choose_years`); None gives ``not_available``.
    direction : {'positive', 'negative'}, default 'negative'
        Desired direction of progress.
    target : float, optional
        Target value; 0 is replaced by 0.001. None selects methodology 1 (direction only).
    target_year : int, default 2030
        Year the target is due.

    Returns
    -------
    (str, float, float)
        Status (a key of :data:`STATUSES`), progress value (NaN when not computed) and score
        (NaN when none).

    Examples
    --------
    >>> progress(choose_years([2015, 2020], [10.0, 8.0]), target=4.0)[0]
    'moderate_progress'
    """
    d = _direction_sign(direction)
    if inputs is None:
        return "not_available", math.nan, math.nan
    goal = math.nan if target is None else float(target)
    m = measure([inputs.base_year], [inputs.base_value], [inputs.current_year], [inputs.current_value],
                direction=[d], target=[goal], target_year=[target_year])
    return str(m.status[0]), float(m.value[0]), float(m.score[0])


def status_of(value: float | None, *, has_target: bool) -> str:
    """Map one progress value to its status with the default thresholds.

    Parameters
    ----------
    value : float or None
        ``R`` (with a target) or the signed CAGR (without); None means the target is achieved.
    has_target : bool
        Which thresholds apply: (0.95, 0.6, 0) or (0.015, 0.005, 0).

    Returns
    -------
    str
        A key of :data:`STATUSES`; ``not_available`` for NaN.
    """
    value_, achieved = _one(value)
    return str(_status(value_, np.array([has_target]), achieved)[0])


def score_of(value: float | None, *, has_target: bool) -> float:
    """Compute the score from -5 to 5 of one progress value, with sdg-build's lines.

    Parameters
    ----------
    value : float or None
        Progress value; None (target achieved) scores 5.
    has_target : bool
        Which lines apply (:data:`SCORE_TARGET_UPPER`/:data:`SCORE_TARGET_LOWER` or
        :data:`SCORE_DIRECTION`).

    Returns
    -------
    float
        The score; NaN for a NaN value.

    Notes
    -----
    With a target: ``min(7.1429 R - 4.2857, 5)`` for ``R >= 0.6``, else ``max(4.1667 R - 2.5, -5)``
    (sdg-build's rounded form of the lines through (-0.6, -5), (0.6, 0), (1.3, 5)). Without: the
    lines through (-2%, -5), (0, -2.5), (0.5%, 0), (1.5%, 2.5), (2%, 5), clipped. Reference: Open
    SDG, *Progress measurement methodology*, "Aggregated progress status"; sdg-build
    ``SeriesProgress.get_score``.
    """
    value_, achieved = _one(value)
    return float(_score(value_, np.array([has_target]), achieved)[0])


def _one(value: float | None) -> tuple[np.ndarray, np.ndarray]:
    return np.array([math.nan if value is None else float(value)]), np.array([value is None])


def status_from_score(score: float, *, all_achieved: bool = False) -> str:
    """Read a (mean) score back into a status, as open-sdg does for an indicator of several series.

    Parameters
    ----------
    score : float
        Mean score in [-5, 5].
    all_achieved : bool, default False
        Whether every series achieved its target (only then is the status ``target_achieved``).

    Returns
    -------
    str
        ``[2.5, 5]`` substantial, ``[0, 2.5)`` moderate, ``[-2.5, 0)`` limited, ``[-5, -2.5)``
        deterioration.
    """
    if all_achieved:
        return "target_achieved"
    if math.isnan(score):
        return "not_available"
    if score >= 2.5:
        return "substantial_progress"
    if score >= 0:
        return "moderate_progress"
    if score >= -2.5:
        return "limited_progress"
    return "deterioration"
