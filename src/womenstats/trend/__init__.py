"""Trend: project an indicator's annual series with statsmodels and give its predictive distribution.

``project(y, indicator="失业保险参保率")`` (``y`` a Series indexed by year, a frame with ``year,
value[, numerator, denominator]``, or ``project(years, values, bounds=(0, 100))``) fits the
candidate models (linear, log-linear, logit-linear, damped-trend exponential smoothing, Poisson /
negative binomial with exposure), chooses one by AICc on a common scale (by the indicator's scale
with three or four values) exactly as the assessment does, and returns a :class:`Projection`: read
like a statsmodels result (``summary()``, ``params``, ``conf_int()``, ``fittedvalues``, ``resid``,
``aicc``, ``model_result``, ``forecast(steps)`` / ``forecast(years=...)``, ``prob``, ``plot()``),
with 80% and 95% prediction intervals, probabilities of attainment and the first year the target is
met. See ``docs/trend.md``.

``backtest(k)`` scores the rule on the real national series with the last ``k`` years held back;
``project_batch`` projects many series at once (closed form for the OLS-based models, the
vectorised damped-trend estimator of :mod:`womenstats.trend.ets_batch`, worker processes for count
series), equal to :func:`project` series by series except where the vectorised damped fit finds a
better optimum than statsmodels (``ets="statsmodels"`` reproduces :func:`project` exactly).
"""

from __future__ import annotations

from womenstats.trend.backtest import backtest
from womenstats.trend.batch import project_batch
from womenstats.trend.inputs import UnboundedWarning
from womenstats.trend.models import (
    DAMPED_MIN_OBS,
    CountFit,
    DampedFit,
    Fit,
    GrowthFit,
    OLSFit,
    ZeroEventsFit,
)
from womenstats.trend.plot import observation_intervals, plot_projection
from womenstats.trend.projection import FLAGS, FORECAST_COLUMNS, Projection, meets, project
from womenstats.trend.select import CANDIDATE_COLUMNS, aicc, choose, fit_candidates
from womenstats.trend.transforms import Transform

__all__ = [
    "CANDIDATE_COLUMNS",
    "DAMPED_MIN_OBS",
    "FLAGS",
    "FORECAST_COLUMNS",
    "CountFit",
    "DampedFit",
    "Fit",
    "GrowthFit",
    "OLSFit",
    "Projection",
    "Transform",
    "UnboundedWarning",
    "ZeroEventsFit",
    "aicc",
    "backtest",
    "choose",
    "fit_candidates",
    "meets",
    "observation_intervals",
    "plot_projection",
    "project",
    "project_batch",
]
