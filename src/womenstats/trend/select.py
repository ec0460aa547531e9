"""Which candidate models are fitted to a series, and the rule that chooses one.

The rule (docs/trend.md):

1. When every observation has its numerator and denominator (counts) and the events are rare
   (the pooled ``sum(numerator) / sum(denominator) <= RARE_SHARE``, or every denominator below
   ``SMALL_DENOMINATOR`` with a pooled share of at most one half), the counts are the data:
   candidates are ``poisson_const``, ``poisson`` and ``negbin`` (``negbin`` from 5 observations),
   compared by their likelihood of the counts. With no event at all, the only model is
   ``poisson_zero`` (the Jeffreys posterior predictive; a GLM has no finite estimate).
2. Otherwise the candidates are ``linear`` (always), ``loglinear`` (the indicator's lower bound is
   0 and every value is positive), ``logit`` (both bounds finite and every value strictly between
   them) and ``damped`` (:data:`~womenstats.trend.models.DAMPED_MIN_OBS` or more consecutive
   years), compared by their likelihood of the values on the indicator's scale (the transformed
   models' likelihoods carry the log-Jacobian of their transform).
3. The criterion is AICc, ``-2 loglik + 2k + 2k(k+1)/(n-k-1)`` (Hurvich and Tsai 1989), among
   candidates with ``n > k + 1``. The smallest criterion wins; ties go to the earlier candidate in
   the order above.
4. When no candidate has ``n > k + 1`` (three or four values: every value model has k = 3, so at
   most one residual degree of freedom) the data cannot choose a transform; the model follows the
   indicator's scale (:data:`SCALE_ORDER`): logit-linear for an indicator bounded on both sides,
   log-linear for one bounded below by 0, linear otherwise (the first one admitted).
"""

from __future__ import annotations

import contextlib
import math

import numpy as np
import pandas as pd

from womenstats.trend.models import DAMPED_MIN_OBS, CountFit, DampedFit, Fit, OLSFit, ZeroEventsFit
from womenstats.trend.transforms import Transform

#: Columns of ``Projection.candidates``.
CANDIDATE_COLUMNS: tuple[str, ...] = ("model", "k", "loglik", "aic", "aicc", "criterion", "value", "chosen")

#: Fewest observations (with counts) for the negative binomial candidate (k = 3 needs n > 4).
NEGBIN_MIN_OBS = 5
#: Count models are used for rare events only: the pooled ``numerator / denominator`` at most this
#: share (where the Poisson approximates the binomial); common proportions use the value models.
RARE_SHARE = 0.1
#: Denominators below this are modelled as counts whatever the share (up to one half): a value
#: from so few cases moves in steps no model of the values can follow.
SMALL_DENOMINATOR = 30
#: Rule 4: with three or four values the first admitted of these is chosen (the indicator's scale).
SCALE_ORDER: tuple[str, ...] = ("logit", "loglinear", "linear")


def aicc(loglik, k, n):
    """Small-sample corrected AIC, for one fit or for arrays of fits.

    ``AICc = -2 loglik + 2k + 2k(k + 1) / (n - k - 1)``; NaN when ``n <= k + 1``. The one-series
    path (:func:`choose`) and the batch path (:mod:`womenstats.trend.batch`) both call this.

    Parameters
    ----------
    loglik : float or numpy.ndarray
        Maximised log-likelihood.
    k : int or numpy.ndarray
        Estimated parameters, including the error variance.
    n : int or numpy.ndarray
        Observations.

    Returns
    -------
    float or numpy.ndarray
        A float when every argument is a scalar.

    References
    ----------
    Hurvich, C. M. and Tsai, C.-L. (1989). Regression and time series model selection in small
    samples. Biometrika 76(2), 297-307.
    """
    loglik, k, n = (np.asarray(a, dtype=float) for a in (loglik, k, n))
    with np.errstate(divide="ignore", invalid="ignore"):
        value = -2.0 * loglik + 2.0 * k + 2.0 * k * (k + 1.0) / (n - k - 1.0)
    out = np.where(n > k + 1, value, np.nan)
    return float(out) if out.ndim == 0 else out


def _finite(bound: float | None) -> bool:
    return bound is not None and not (isinstance(bound, float) and math.isnan(bound))


def has_counts(numerators, denominators) -> bool:
    """Whether every observation has a numerator >= 0 and a denominator > 0, and the events are rare.

    Rare: the pooled share ``sum(numerator) / sum(denominator) <= RARE_SHARE``. Rarity is a property
    of the rate, so it is judged on all the counts together: one infected infant of two exposed ones
    (50% in one year) does not make mother-to-child transmission a common event. Counts are also
    the data when every denominator is below :data:`SMALL_DENOMINATOR` and the pooled share is at
    most one half: a rate of 2, 4 or 5 cases moves in steps of 20–50 points, and a model of the
    values would project the steps (0, 0, 20%, 0, 50% → 73%).
    """
    if numerators is None or denominators is None:
        return False
    num = np.asarray(numerators, dtype=float)
    den = np.asarray(denominators, dtype=float)
    if not (len(num) and np.isfinite(num).all() and np.isfinite(den).all()):
        return False
    if not ((den > 0).all() and (num >= 0).all()):
        return False
    share = num.sum() / den.sum()
    return bool(share <= RARE_SHARE or ((den < SMALL_DENOMINATOR).all() and share <= 0.5))


def fit_candidates(years, values, *, bounds, numerators=None, denominators=None, per=None) -> list[Fit]:
    """Fit every eligible candidate model to a series of three or more observations.

    Parameters
    ----------
    years, values : array-like
        Observations (no NaN), sorted by year.
    bounds : (float or None, float or None)
        The indicator's lower and upper bounds.
    numerators, denominators : array-like, optional
        Counts behind each value.
    per : float, optional
        Scale of the rate (needed with counts).

    Returns
    -------
    list of Fit
        In the tie-break order of the rule.
    """
    years = np.asarray(years, dtype=float)
    values = np.asarray(values, dtype=float)
    origin = float(years.max())
    n = len(values)
    fits: list[Fit] = []
    if per is not None and has_counts(numerators, denominators):
        if np.sum(numerators) == 0:
            return [ZeroEventsFit(years, denominators, float(per))]
        models = ["poisson_const", "poisson"] + (["negbin"] if n >= NEGBIN_MIN_OBS else [])
        for model in models:
            try:
                fits.append(CountFit(years, numerators, denominators, float(per), model, origin))
            except (ValueError, np.linalg.LinAlgError):
                continue
        if fits:
            return fits
    lower, upper = bounds
    transforms = [Transform("identity")]
    if _finite(lower) and float(lower) == 0.0:
        transforms.append(Transform("log"))
    if _finite(lower) and _finite(upper):
        transforms.append(Transform("logit", float(lower), float(upper)))
    for transform in transforms:
        if transform.admits(values):
            fits.append(OLSFit(years, values, transform, origin))
    consecutive = n >= DAMPED_MIN_OBS and bool((np.diff(years) == 1).all())
    if consecutive:
        with contextlib.suppress(ValueError, np.linalg.LinAlgError):
            fits.append(DampedFit(years, values))
    return fits


def scale_rank(model: str) -> float:
    """Position of a value model in :data:`SCALE_ORDER` (rule 4); infinity for any other model.

    Parameters
    ----------
    model : str
        A candidate's code.

    Returns
    -------
    float
        0 for ``logit``, 1 for ``loglinear``, 2 for ``linear``, ``inf`` otherwise.
    """
    return float(SCALE_ORDER.index(model)) if model in SCALE_ORDER else math.inf


def choose(fits: list[Fit]) -> tuple[Fit, pd.DataFrame]:
    """Apply the choice rule and tabulate the candidates.

    Parameters
    ----------
    fits : list of Fit
        Fitted candidates, in tie-break order (non-empty).

    Returns
    -------
    (Fit, pandas.DataFrame)
        The chosen fit and a table with columns :data:`CANDIDATE_COLUMNS`: ``criterion`` names the
        criterion used (``aicc``, or ``scale`` when no candidate has an AICc: rule 4), ``value``
        its value (NaN for a candidate not ranked, and under ``scale``). ``aic`` is reported for
        information.
    """
    rows = []
    for fit in fits:
        aic = -2.0 * fit.loglik + 2.0 * fit.k
        rows.append({"model": fit.model, "k": fit.k, "loglik": fit.loglik, "aic": aic,
                     "aicc": aicc(fit.loglik, fit.k, fit.n)})
    table = pd.DataFrame(rows, columns=["model", "k", "loglik", "aic", "aicc"])
    if table["aicc"].notna().any():
        table["criterion"] = "aicc"
        table["value"] = table["aicc"]
        ranked = table["value"].where(table["value"].notna(), np.inf).to_numpy()
    else:
        table["criterion"] = "scale"
        table["value"] = np.nan
        ranked = np.array([scale_rank(model) for model in table["model"]])
    best = int(np.argmin(ranked))  # first minimum: the tie-break order
    table["chosen"] = np.arange(len(table)) == best
    return fits[best], table[list(CANDIDATE_COLUMNS)]
