"""Candidate trend models, each fitted with statsmodels and exposing its predictive distribution.

Every fitted model (a :class:`Fit`) answers the same questions for any year: the central value
(:meth:`Fit.point`), quantiles of the predictive distribution (:meth:`Fit.quantile`) and the
probabilities ``P(Y <= x)`` and ``P(Y >= x)`` (:meth:`Fit.prob_le`, :meth:`Fit.prob_ge`). Values are
on the indicator's scale and *not* yet clipped to its bounds (:mod:`womenstats.trend.projection`
does that, which makes the distribution a censored one).

Models (codes used in ``Projection.model``):

``linear``, ``loglinear``, ``logit``
    OLS of ``g(y)`` on the year (``g`` identity, log, logit between the bounds). The predictive
    distribution of ``g(y)`` at year ``t`` is Student t with ``n - 2`` degrees of freedom, location
    ``x_t' b`` and scale ``sqrt(s^2 + x_t' Cov(b) x_t)`` (the OLS prediction interval, e.g.
    Hyndman & Athanasopoulos, FPP3 section 7.9); it is mapped through ``g^{-1}``, so quantiles and
    probabilities carry over exactly and the point is the predictive median.
``damped``
    Additive damped-trend exponential smoothing, ETS(A,Ad,N) (statsmodels ``ETSModel``, FPP3
    section 8.2), with its exact Gaussian forecast variance.
``poisson_const``, ``poisson``, ``negbin``
    Counts ``k_t`` with exposure ``E_t`` (e.g. maternal deaths and live births): log-linear Poisson
    GLM with offset ``log E_t`` (constant or with a year trend) or NB2 negative binomial. The
    predictive distribution of a future count mixes the count distribution over the normal
    sampling distribution of the linear predictor (Gauss-Hermite quadrature), at a projected
    exposure; the rate is ``per * k / E``.
``poisson_zero``
    Counts with no event in any year: the Jeffreys posterior predictive (negative binomial).
``growth``
    Two observations: constant compound growth (or constant change when a value is not positive);
    a point, no distribution.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.discrete.discrete_model import NegativeBinomial
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from womenstats.trend.transforms import Transform

#: Fewest consecutive annual observations for the damped-trend model: its 5 parameters plus the
#: error variance (k = 6) need ``n > k + 1`` for AICc, and three more years to leave it any data.
DAMPED_MIN_OBS = 10
#: Gauss-Hermite nodes for mixing a count distribution over the linear predictor.
QUADRATURE_NODES = 128
#: Years of denominators averaged to project the exposure of a future year.
EXPOSURE_YEARS = 3


@functools.cache
def _quadrature() -> tuple[np.ndarray, np.ndarray]:
    """Probabilists' Gauss-Hermite nodes and weights normalised to the standard normal density."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(QUADRATURE_NODES)
    return nodes, weights / np.sqrt(2 * np.pi)


def _design(years: np.ndarray, origin: float, trend: bool = True) -> np.ndarray:
    t = np.asarray(years, dtype=float) - origin
    return np.column_stack([np.ones_like(t), t]) if trend else np.ones((len(t), 1))


def regressor_names(origin: float, trend: bool = True) -> list[str]:
    """Return the names of :func:`_design`'s columns: ``const`` and ``year - <origin>``."""
    return ["const", f"year - {origin:g}"] if trend else ["const"]


def name_model(model, yname: str, xnames: list[str]):
    """Name a statsmodels model's variables (its ``data.ynames``/``xnames`` are writable caches).

    The design is fitted as a NumPy array (the fast path); the names make ``summary()`` and
    ``exog_names`` read ``const, year - 2024`` instead of ``const, x1``.
    """
    model.data.ynames = yname
    model.data.xnames = list(xnames)
    return model


@dataclass
class Fit:
    """A fitted candidate model.

    Attributes
    ----------
    model : str
        Model code.
    k : int
        Number of estimated parameters (including an error variance or dispersion).
    loglik : float
        Log-likelihood on the scale the candidates are compared on (see
        :mod:`womenstats.trend.select`).
    n : int
        Observations fitted.
    exact : bool
        True when the fit reproduces the data exactly (zero residual variance).
    """

    model: str
    k: int
    loglik: float
    n: int
    exact: bool = field(default=False, kw_only=True)

    def point(self, years) -> np.ndarray:
        """Central projection for each year (the predictive median, or the mean rate for counts)."""
        raise NotImplementedError

    def quantile(self, years, q: float) -> np.ndarray:
        """Return the ``q`` quantile of the predictive distribution for each year."""
        raise NotImplementedError

    def prob_le(self, years, x: float) -> np.ndarray:
        """``P(Y_t <= x)`` for each year."""
        raise NotImplementedError

    def prob_ge(self, years, x: float) -> np.ndarray:
        """``P(Y_t >= x)`` for each year."""
        raise NotImplementedError

    def slope(self) -> tuple[float, float, float] | None:
        """Trend slope on the model's own scale as ``(estimate, standard error, df)``, or None.

        ``df`` is ``inf`` for a normal (large-sample) reference distribution.
        """
        return None


class _LocationScale(Fit):
    """A fit whose predictive distribution is ``g^{-1}(loc + scale * T)``, T standard t or normal."""

    transform: Transform
    df: float

    def _loc_scale(self, years) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def _ppf(self, q: float) -> float:
        return float(stats.norm.ppf(q) if np.isinf(self.df) else stats.t.ppf(q, self.df))

    def _cdf(self, u: np.ndarray) -> np.ndarray:
        return stats.norm.cdf(u) if np.isinf(self.df) else stats.t.cdf(u, self.df)

    def point(self, years) -> np.ndarray:
        """Central projection (see :meth:`Fit.point`)."""
        loc, _ = self._loc_scale(years)
        return self.transform.inverse(loc)

    def quantile(self, years, q: float) -> np.ndarray:
        """Predictive quantile (see :meth:`Fit.quantile`)."""
        loc, scale = self._loc_scale(years)
        return self.transform.inverse(loc + scale * self._ppf(q))

    def prob_le(self, years, x: float) -> np.ndarray:
        """``P(Y_t <= x)`` (see :meth:`Fit.prob_le`)."""
        loc, scale = self._loc_scale(years)
        z = float(self.transform.forward(np.array([x]))[0])
        with np.errstate(divide="ignore", invalid="ignore"):
            u = (z - loc) / scale
        return np.where(scale > 0, self._cdf(u), (z >= loc).astype(float))

    def prob_ge(self, years, x: float) -> np.ndarray:
        """``P(Y_t >= x)`` (see :meth:`Fit.prob_ge`)."""
        loc, scale = self._loc_scale(years)
        z = float(self.transform.forward(np.array([x]))[0])
        with np.errstate(divide="ignore", invalid="ignore"):
            u = (z - loc) / scale
        return np.where(scale > 0, 1.0 - self._cdf(u), (z <= loc).astype(float))


class OLSFit(_LocationScale):
    """OLS of ``g(y)`` on the year: the ``linear``, ``loglinear`` and ``logit`` models.

    Parameters
    ----------
    years, values : array-like
        At least three observations (values inside the transform's domain).
    transform : Transform
        ``g``.
    origin : float
        Year subtracted from the regressor (numerical stability only; results do not depend on it).
    """

    _CODES: ClassVar[dict[str, str]] = {"identity": "linear", "log": "loglinear", "logit": "logit"}

    def __init__(self, years, values, transform: Transform, origin: float):
        y = np.asarray(values, dtype=float)
        self.transform = transform
        self.origin = origin
        z = transform.forward(y)
        model = name_model(sm.OLS(z, _design(years, origin)), transform.label(), regressor_names(origin))
        self.result = model.fit()
        n = len(y)
        self.df = float(n - 2)
        ssr = float(self.result.ssr)
        exact = ssr <= 1e-20 * max(1.0, float(np.sum(z**2)))
        loglik = np.inf if exact else float(self.result.llf) + transform.log_jacobian(y)
        super().__init__(self._CODES[transform.name], 3, loglik, n, exact=exact)

    def _loc_scale(self, years) -> tuple[np.ndarray, np.ndarray]:
        x = _design(np.atleast_1d(years), self.origin)
        loc = x @ self.result.params
        var_mean = np.einsum("ij,jk,ik->i", x, self.result.cov_params(), x)
        scale = np.sqrt(np.maximum(self.result.scale + var_mean, 0.0))
        return loc, scale

    def slope(self) -> tuple[float, float, float]:
        """Slope on the model scale as ``(estimate, se, df)`` (see :meth:`Fit.slope`)."""
        return float(self.result.params[1]), float(self.result.bse[1]), self.df


class DampedFit(_LocationScale):
    """Additive damped-trend exponential smoothing, ETS(A,Ad,N), on consecutive annual values.

    Parameters
    ----------
    years, values : array-like
        At least :data:`DAMPED_MIN_OBS` consecutive years.
    """

    def __init__(self, years, values):
        self.transform = Transform("identity")
        self.df = np.inf
        self.first = int(np.min(years))
        series = pd.Series(np.asarray(values, dtype=float), name="value")
        model = ETSModel(
            series, error="add", trend="add", damped_trend=True, initialization_method="estimated"
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.result = model.fit(disp=False)
        k = len(self.result.params) + 1
        super().__init__("damped", k, float(self.result.llf), len(series))

    def _loc_scale(self, years) -> tuple[np.ndarray, np.ndarray]:
        idx = np.atleast_1d(np.asarray(years, dtype=int)) - self.first
        if (idx < 0).any():
            raise ValueError("damped-trend model cannot project before its first year")
        start, end = int(idx.min()), int(idx.max())
        pred = self.result.get_prediction(start=start, end=end)
        mean = np.asarray(pred.predicted_mean, dtype=float)[idx - start]
        var = np.asarray(pred.forecast_variance, dtype=float)[idx - start]
        return mean, np.sqrt(var)


class CountFit(Fit):
    """Log-linear model of counts with exposure: ``poisson_const``, ``poisson`` or ``negbin``.

    ``log E(k_t) = log E_t + b0 [+ b1 (t - origin)]``. A trend needs events in at least two years
    (with events in a single year the slope's estimate can be infinite). The predictive count at
    year ``t`` mixes
    ``Poisson(E_t exp(eta))`` (or NB2 with the fitted ``alpha``) over
    ``eta ~ N(x_t' b, x_t' Cov(b) x_t)``; ``E_t`` is the year's denominator when observed, else
    the mean of the last :data:`EXPOSURE_YEARS` denominators.

    Parameters
    ----------
    years, numerators, denominators : array-like
        Counts and exposures (denominators > 0).
    per : float
        Rate scale (100 000 for 1/10万).
    model : str
        ``poisson_const``, ``poisson`` or ``negbin``.
    origin : float
        Year subtracted from the regressor.
    """

    def __init__(self, years, numerators, denominators, per: float, model: str, origin: float):
        self.years = np.asarray(years, dtype=int)
        self.counts = np.asarray(numerators, dtype=float)
        self.exposure = np.asarray(denominators, dtype=float)
        self.per = float(per)
        self.origin = origin
        trend = model != "poisson_const"
        if trend and np.count_nonzero(self.counts) < 2:
            # events in one year only: the slope's MLE can be infinite (separation)
            raise ValueError("a count trend needs events in at least two years")
        x = _design(self.years, origin, trend)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            names = regressor_names(origin, trend)
            if model == "negbin":
                result = name_model(NegativeBinomial(
                    self.counts, x, exposure=self.exposure, loglike_method="nb2"
                ), "numerator", [*names, "alpha"]).fit(disp=0, maxiter=200)
                if not result.mle_retvals.get("converged", True):
                    raise ValueError("negative binomial fit did not converge")
                self.alpha = float(result.params[-1])
                self.params = np.asarray(result.params[:-1], dtype=float)
                self.cov = np.asarray(result.cov_params(), dtype=float)[:-1, :-1]
            else:
                result = name_model(sm.GLM(
                    self.counts, x, family=sm.families.Poisson(), offset=np.log(self.exposure)
                ), "numerator", names).fit()
                self.alpha = 0.0
                self.params = np.asarray(result.params, dtype=float)
                self.cov = np.asarray(result.cov_params(), dtype=float)
            loglik = float(result.llf)
        if not (np.isfinite(self.params).all() and np.isfinite(self.cov).all()):
            raise ValueError("count model did not give finite estimates")
        self.result = result
        self.trend = trend
        super().__init__(model, len(self.params) + (model == "negbin"), loglik, len(self.counts))

    def projected_exposure(self, years) -> np.ndarray:
        """Exposure for each year: observed, else the mean of the last denominators."""
        years = np.atleast_1d(np.asarray(years, dtype=int))
        order = np.argsort(self.years)
        default = float(self.exposure[order][-EXPOSURE_YEARS:].mean())
        known = dict(zip(self.years.tolist(), self.exposure.tolist(), strict=True))
        return np.array([known.get(int(y), default) for y in years], dtype=float)

    def _eta(self, years) -> tuple[np.ndarray, np.ndarray]:
        x = _design(np.atleast_1d(years), self.origin, self.trend)
        return x @ self.params, np.sqrt(np.einsum("ij,jk,ik->i", x, self.cov, x))

    def point(self, years) -> np.ndarray:
        """Central projection (see :meth:`Fit.point`)."""
        eta, _ = self._eta(years)
        return self.per * np.exp(eta)

    def count_cdf(self, year: int, k: np.ndarray) -> np.ndarray:
        """``P(K_t <= k)`` of the predictive count at one year (Gauss-Hermite mixture).

        ``sum_i w_i F(k; E_t exp(eta_hat + se * u_i)) / sqrt(2 pi)`` over the probabilists'
        Hermite nodes ``u_i`` and weights ``w_i``.
        """
        eta, se = self._eta([year])
        nodes, weights = _quadrature()
        mu = self.projected_exposure([year])[0] * np.exp(eta[0] + se[0] * nodes)
        k = np.atleast_1d(np.asarray(k, dtype=float))[:, None]
        if self.alpha > 0:
            size = 1.0 / self.alpha
            cdf = stats.nbinom.cdf(k, size, size / (size + mu[None, :]))
        else:
            cdf = stats.poisson.cdf(k, mu[None, :])
        return (cdf * weights[None, :]).sum(axis=1)

    def _count_quantile(self, year: int, q: float) -> int:
        hi = 1
        while self.count_cdf(year, np.array([hi]))[0] < q:
            hi *= 2
        lo = -1  # cdf(-1) = 0 < q
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if self.count_cdf(year, np.array([mid]))[0] >= q:
                hi = mid
            else:
                lo = mid
        return hi

    def quantile(self, years, q: float) -> np.ndarray:
        """Predictive quantile (see :meth:`Fit.quantile`)."""
        years = np.atleast_1d(years)
        exposure = self.projected_exposure(years)
        counts = np.array([self._count_quantile(int(y), q) for y in years], dtype=float)
        return self.per * counts / exposure

    def prob_le(self, years, x: float) -> np.ndarray:
        """``P(Y_t <= x)`` (see :meth:`Fit.prob_le`)."""
        years = np.atleast_1d(years)
        exposure = self.projected_exposure(years)
        kmax = np.floor(x * exposure / self.per + 1e-9)
        return np.array(
            [
                self.count_cdf(int(y), np.array([k]))[0] if k >= 0 else 0.0
                for y, k in zip(years, kmax, strict=True)
            ]
        )

    def prob_ge(self, years, x: float) -> np.ndarray:
        """``P(Y_t >= x)`` (see :meth:`Fit.prob_ge`)."""
        years = np.atleast_1d(years)
        exposure = self.projected_exposure(years)
        kmin = np.ceil(x * exposure / self.per - 1e-9)
        return np.array(
            [
                1.0 - self.count_cdf(int(y), np.array([k - 1]))[0] if k >= 1 else 1.0
                for y, k in zip(years, kmin, strict=True)
            ]
        )

    def slope(self) -> tuple[float, float, float] | None:
        """Slope on the model scale as ``(estimate, se, df)`` (see :meth:`Fit.slope`)."""
        if not self.trend:
            return None
        return float(self.params[1]), float(np.sqrt(self.cov[1, 1])), np.inf


class GrowthFit(Fit):
    """Two observations: constant compound annual growth, or constant change if a value is <= 0.

    ``y_t = y_2 (y_2 / y_1)^((t - t_2) / (t_2 - t_1))``; with a value <= 0,
    ``y_t = y_2 + (y_2 - y_1)(t - t_2) / (t_2 - t_1)``. No predictive distribution: quantiles and
    probabilities are NaN.
    """

    def __init__(self, years, values):
        order = np.argsort(years)
        (self.t1, self.t2) = np.asarray(years, dtype=float)[order]
        (self.y1, self.y2) = np.asarray(values, dtype=float)[order]
        super().__init__("growth", 0, np.nan, 2)

    def point(self, years) -> np.ndarray:
        """Central projection (see :meth:`Fit.point`)."""
        h = (np.atleast_1d(np.asarray(years, dtype=float)) - self.t2) / (self.t2 - self.t1)
        if self.y1 > 0 and self.y2 > 0:
            return self.y2 * (self.y2 / self.y1) ** h
        return self.y2 + (self.y2 - self.y1) * h

    def quantile(self, years, q: float) -> np.ndarray:
        """Predictive quantile (see :meth:`Fit.quantile`)."""
        return np.full(len(np.atleast_1d(years)), np.nan)

    prob_le = quantile  # type: ignore[assignment]
    prob_ge = quantile  # type: ignore[assignment]


class ZeroEventsFit(Fit):
    """No event in any year: the Jeffreys posterior predictive of a constant Poisson rate.

    With ``k = 0`` events over total exposure ``E`` the Poisson MLE of the rate is 0 and a GLM
    has no finite estimate. With the Jeffreys prior the rate is ``Gamma(1/2, E)`` a posteriori and
    a future count at exposure ``E_t`` is negative binomial with size ``1/2`` and success
    probability ``E / (E + E_t)``; the point is the posterior mean rate ``per * 0.5 / E``
    (Gelman et al. 2013, Bayesian Data Analysis, 3rd ed., section 2.6).

    Parameters
    ----------
    years, denominators : array-like
        Years and exposures (all numerators are 0).
    per : float
        Rate scale.
    """

    def __init__(self, years, denominators, per: float):
        self.years = np.asarray(years, dtype=int)
        self.exposure = np.asarray(denominators, dtype=float)
        self.total = float(self.exposure.sum())
        self.per = float(per)
        super().__init__("poisson_zero", 1, 0.0, len(self.years))

    projected_exposure = CountFit.projected_exposure

    def _dist(self, year: int):
        exposure = self.projected_exposure([year])[0]
        return stats.nbinom(0.5, self.total / (self.total + exposure)), exposure

    def point(self, years) -> np.ndarray:
        """Posterior mean rate, the same every year."""
        return np.full(len(np.atleast_1d(years)), self.per * 0.5 / self.total)

    def quantile(self, years, q: float) -> np.ndarray:
        """Predictive quantile of the rate ``per * K / E_t``."""
        out = []
        for year in np.atleast_1d(years):
            dist, exposure = self._dist(int(year))
            out.append(self.per * float(dist.ppf(q)) / exposure)
        return np.array(out)

    def prob_le(self, years, x: float) -> np.ndarray:
        """``P(per * K / E_t <= x)``."""
        out = []
        for year in np.atleast_1d(years):
            dist, exposure = self._dist(int(year))
            out.append(float(dist.cdf(np.floor(x * exposure / self.per + 1e-9))))
        return np.array(out)

    def prob_ge(self, years, x: float) -> np.ndarray:
        """``P(per * K / E_t >= x)``."""
        out = []
        for year in np.atleast_1d(years):
            dist, exposure = self._dist(int(year))
            out.append(float(dist.sf(np.ceil(x * exposure / self.per - 1e-9) - 1)))
        return np.array(out)
