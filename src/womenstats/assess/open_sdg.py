"""open-sdg's progress measure (Statistics Canada's method, as built into Open SDG 2.4).

The measure compares the compound annual growth rate (CAGR) observed between a base year and the
latest year with the growth the target requires, and maps the ratio to five statuses and a score
from -5 to 5. Every rule below is the published one; ``docs/peers.md`` cites the files and commits
read (sdg-build ``ProgressMeasure.py``; open-sdg ``docs/progress.md`` and
``docs/progress-methodology.md``).

Rules
-----
* Observations with a missing value are dropped. The *current year* is the latest year observed.
* The *base year* defaults to 2015. If it is not observed, the first observed year after it is used;
  if it lies after the latest observation, or base and current year coincide, there is no measure.
* A target of 0 is replaced by 0.001, and so is a base value of 0 (the measure is exponential).
  Values must share one sign; if they are all negative, the desired direction is flipped.
* With a target (methodology 2): the target is achieved when the current value is at or beyond it in
  the desired direction (``d = +1`` positive, ``-1`` negative); otherwise
  ``R = s * d * CAGR_obs / |CAGR_req|`` with ``CAGR_obs = (y_t / y_0) ** (1 / (t - t0)) - 1``,
  ``CAGR_req = (y_T / y_0) ** (1 / (T - t0)) - 1`` and ``s`` the sign of the base value.
  Thresholds: ``R >= 0.95`` substantial progress (on track), ``0.6 <= R < 0.95`` moderate progress
  (acceleration needed), ``0 <= R < 0.6`` limited progress, ``R < 0`` deterioration.
* Without a target (methodology 1, a direction only): the value is ``s * d * CAGR_obs`` and the
  thresholds are 0.015, 0.005 and 0.
* Score: a piecewise linear map putting each status on a quarter of [-5, 5]. With a target,
  ``R`` = -0.6, 0.6, 1.3 map to -5, 0, 5 (so 0 -> -2.5 and 0.95 -> 2.5); without one, the CAGR
  -0.02, 0, 0.005, 0.015, 0.02 maps to -5, -2.5, 0, 2.5, 5. Values beyond are clipped; a target
  achieved scores 5. Scores of several series are averaged and the mean read back into a status
  (:func:`status_from_score`).

The threshold scaling for indicators near a natural limit (the ``limit`` option, factor ``C``) is
not implemented: its formula is published only as an image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

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

#: Defaults of sdg-build's ``default_progress_calc_options``.
DEFAULT_BASE_YEAR = 2015
DEFAULT_TARGET_YEAR = 2030
DEFAULT_DIRECTION = "negative"

#: (high, med, low) thresholds with a target (on the ratio R) and without (on the CAGR).
THRESHOLDS_TARGET: tuple[float, float, float] = (0.95, 0.6, 0.0)
THRESHOLDS_DIRECTION: tuple[float, float, float] = (0.015, 0.005, 0.0)

#: Score breakpoints (progress value, score); linear in between, clipped outside.
SCORE_POINTS_TARGET: tuple[tuple[float, ...], tuple[float, ...]] = ((-0.6, 0.6, 1.3), (-5.0, 0.0, 5.0))
SCORE_POINTS_DIRECTION: tuple[tuple[float, ...], tuple[float, ...]] = (
    (-0.02, 0.0, 0.005, 0.015, 0.02),
    (-5.0, -2.5, 0.0, 2.5, 5.0),
)

#: Replacement for a zero target or base value.
ZERO_REPLACEMENT = 0.001


@dataclass(frozen=True)
class Inputs:
    """The four numbers the measure uses, after open-sdg's choice of base and current year."""

    base_year: int
    base_value: float
    current_year: int
    current_value: float


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
        None when there is no observation, the base year is after the latest observation, or the
        base and current year coincide (fewer than two usable points).
    """
    y = np.asarray(years, dtype=float)
    v = np.asarray(values, dtype=float)
    keep = ~np.isnan(v) & ~np.isnan(y)
    y, v = y[keep], v[keep]
    if y.size == 0:
        return None
    current = float(y.max())
    if base_year in y:
        base = float(base_year)
    elif base_year > current:
        return None
    else:
        base = float(y[y > base_year].min())
    if current - base < 1:
        return None
    # A duplicated year takes its first listed value, as open-sdg's ``.values[0]`` lookup does.
    base_value = float(v[y == base][0])
    current_value = float(v[y == current][0])
    return Inputs(int(base), base_value, int(current), current_value)


def cagr(value: float, base_value: float, year: float, base_year: float) -> float:
    """Compound annual growth rate ``(value / base_value) ** (1 / (year - base_year)) - 1``.

    Parameters
    ----------
    value, base_value : float
        End and start value (same sign).
    year, base_year : float
        End and start year.

    Returns
    -------
    float
        The rate; NaN when the values differ in sign or the years coincide.

    References
    ----------
    Statistics Canada / Open SDG, *Progress measurement methodology* (``CAGR_i``).
    """
    if year == base_year or base_value == 0 or value / base_value < 0:
        return math.nan
    return (value / base_value) ** (1.0 / (year - base_year)) - 1.0


def _sign_and_direction(direction: str, base_value: float) -> int:
    if direction not in ("positive", "negative"):
        raise ValueError(f"direction must be 'positive' or 'negative', not {direction!r}")
    d = 1 if direction == "positive" else -1
    return d * (-1 if base_value < 0 else 1)


def progress_value(inputs: Inputs, *, direction: str = DEFAULT_DIRECTION, target: float | None = None,
                   target_year: int = DEFAULT_TARGET_YEAR) -> float | None:
    """Compute the progress value: ``R`` with a target, the signed CAGR without; None if achieved.

    Parameters
    ----------
    inputs : Inputs
        Base and current observation (:func:`choose_years`).
    direction : {'positive', 'negative'}, default 'negative'
        Desired direction of progress.
    target : float, optional
        Target value; 0 is replaced by 0.001. None selects methodology 1 (direction only).
    target_year : int, default 2030
        Year the target is due.

    Returns
    -------
    float or None
        None when the target is already achieved; NaN when the values do not share one sign.

    Notes
    -----
    ``R = s * d * CAGR_obs / |CAGR_req|`` (methodology 2) or ``s * d * CAGR_obs`` (methodology 1),
    where ``s`` is -1 for a negative base value (the direction is flipped for negative series).
    """
    base_value = inputs.base_value if inputs.base_value != 0 else ZERO_REPLACEMENT
    sd = _sign_and_direction(direction, base_value)
    observed = cagr(inputs.current_value, base_value, inputs.current_year, inputs.base_year)
    if target is None:
        return sd * observed
    target = ZERO_REPLACEMENT if target == 0 else float(target)
    d = 1 if direction == "positive" else -1
    if d * (inputs.current_value - target) >= 0:
        return None
    required = cagr(target, base_value, target_year, inputs.base_year)
    if required == 0 or math.isnan(required):
        return math.nan
    return sd * observed / abs(required)


def status_of(value: float | None, *, has_target: bool) -> str:
    """Map a progress value to its status with the default thresholds.

    Parameters
    ----------
    value : float or None
        ``R`` (with a target) or the signed CAGR (without); None means the target is achieved.
    has_target : bool
        Which thresholds apply: (0.95, 0.6, 0) or (0.015, 0.005, 0).

    Returns
    -------
    str
        A key of :data:`STATUSES`.
    """
    if value is None:
        return "target_achieved"
    if math.isnan(value):
        return "not_available"
    high, med, low = THRESHOLDS_TARGET if has_target else THRESHOLDS_DIRECTION
    if value >= high:
        return "substantial_progress"
    if value >= med:
        return "moderate_progress"
    if value >= low:
        return "limited_progress"
    return "deterioration"


def score_of(value: float | None, *, has_target: bool) -> float:
    """Compute the progress score from -5 to 5 (piecewise linear in the progress value).

    Parameters
    ----------
    value : float or None
        Progress value; None (target achieved) scores 5.
    has_target : bool
        Which breakpoints apply (:data:`SCORE_POINTS_TARGET` or :data:`SCORE_POINTS_DIRECTION`).

    Returns
    -------
    float
        The score; NaN for a NaN value.

    Notes
    -----
    With a target: ``score = 5 (R - 0.6) / 1.2`` for ``R <= 0.6`` and ``5 (R - 0.6) / 0.7`` above,
    clipped to [-5, 5]. Without: linear through (-2%, -5), (0, -2.5), (0.5%, 0), (1.5%, 2.5),
    (2%, 5). Reference: Open SDG, *Progress measurement methodology*, "Aggregated progress status"
    (Figures 1 and 2).
    """
    if value is None:
        return 5.0
    if math.isnan(value):
        return math.nan
    xs, ys = SCORE_POINTS_TARGET if has_target else SCORE_POINTS_DIRECTION
    return float(np.interp(value, xs, ys))


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
