"""Damped-trend exponential smoothing, ETS(A,Ad,N), fitted to many series at once with numpy.

The model is statsmodels' ``ETSModel(error="add", trend="add", damped_trend=True,
initialization_method="estimated")`` (:class:`womenstats.trend.models.DampedFit`, the reference and
the one-series path). With one-step errors ``e_t = y_t - (l_{t-1} + phi b_{t-1})``::

    l_t = l_{t-1} + phi b_{t-1} + alpha e_t,    b_t = phi b_{t-1} + beta e_t

from the estimated initial states ``(l_{-1}, b_{-1})``. The log-likelihood is statsmodels'
concentrated Gaussian one, ``-n/2 (log(2 pi SSR/n) + 1)`` with ``SSR = sum e_t^2``, maximised under
statsmodels' default bounds ``1e-4 <= alpha <= 1 - 1e-4``, ``1e-4 <= beta/alpha <= 1 - 1e-4`` and
``0.8 <= phi <= 0.98`` (the initial states are free).

Given ``theta = (alpha, beta/alpha, phi)`` the errors are affine in the initial states, ``e = r + E x``
(``r`` the errors from zero states, ``E`` the errors' response to each initial state), so the
initial states are concentrated out by least squares and only ``theta`` is searched:

1. a grid over the box (:data:`GRID`), evaluated for all series of a length together: for a fixed
   ``theta`` the profile SSR is a quadratic form ``y' A(theta) y`` with
   ``A = L' (I - Q Q') L`` (``L`` the lower-triangular Toeplitz map from ``y`` to ``r``, ``Q`` an
   orthonormal basis of ``E``), so the grid is one matrix product of the series' products
   ``y_i y_j`` with the forms' coefficients;
2. a projected Newton polish from several starts of each series (:func:`_starts`) (central finite-difference
   gradient and Hessian of ``log SSR``, eigenvalues made positive, bound-active coordinates fixed,
   a few step lengths tried at once; a step is taken only when it lowers the SSR), vectorised
   over the series still moving.

Series are rows of a NaN-padded array, left-aligned; their values must be consecutive years (as the
choice rule requires for this model). Forecast variances are statsmodels' exact ones for AAdN,
``mse * relative variance(h)`` with ``mse = SSR/n``.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np

#: Lower and upper bounds of ``(alpha, beta/alpha, phi)`` (statsmodels' defaults).
LOWER = np.array([1e-4, 1e-4, 0.8])
UPPER = np.array([1 - 1e-4, 1 - 1e-4, 0.98])
#: Grid of the first stage: alpha x beta/alpha x phi (bounds included).
GRID = (
    np.array([1e-4, 0.01, 0.03, 0.06, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6,
              0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1 - 1e-4]),
    np.array([1e-4, 0.01, 0.03, 0.06, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1 - 1e-4]),
    np.array([0.8, 0.83, 0.86, 0.89, 0.92, 0.95, 0.98]),
)
#: Bands of alpha, each seeding the polish with its best grid point.
ALPHA_BANDS = (0.0, 0.1, 0.45, 1.0)
#: statsmodels' start: alpha 0.1, beta 0.01, phi 0.98, moved 1e-3 off the bounds' side as it does
#: (``_convert_and_bound_start_params``), beta as beta / alpha.
STATSMODELS_START = np.array([0.101, 0.011 / 0.101, 0.98])
#: Series evaluated together (bounds the memory of the grid stage: rows x grid points).
CHUNK = 2048
#: Finite-difference step of the polish.
STEP = 1e-4
#: Step lengths tried at once along each Newton direction.
STEP_LENGTHS = np.array([1.0, 0.5, 0.2, 0.05, 0.01])
#: Most Newton iterations of the polish.
MAX_ITER = 40
#: Estimated parameters (alpha, beta, phi, two initial states) plus the error variance.
K = 6


@dataclass
class DampedBatch:
    """Damped-trend fits of many series (one row each).

    Attributes
    ----------
    params : numpy.ndarray
        ``(series, 5)``: alpha, beta, phi, initial level, initial trend (statsmodels' order).
    loglik : numpy.ndarray
        Maximised log-likelihood.
    mse : numpy.ndarray
        ``SSR / n``, the variance statsmodels scales its forecast variances by.
    n : numpy.ndarray
        Values fitted.
    fitted : numpy.ndarray
        ``(series, width)`` one-step predictions, NaN-padded.
    level, trend : numpy.ndarray
        States after the last value.
    """

    params: np.ndarray
    loglik: np.ndarray
    mse: np.ndarray
    n: np.ndarray
    fitted: np.ndarray
    level: np.ndarray
    trend: np.ndarray

    k = K

    def loc_scale(self, steps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Predictive mean and standard deviation at positions ``steps`` (0 = first value).

        Parameters
        ----------
        steps : numpy.ndarray
            ``(series, m)`` positions from each series' first value; a position inside the data
            gives the one-step prediction, ``n - 1 + h`` the ``h``-step forecast, a negative one NaN.

        Returns
        -------
        (numpy.ndarray, numpy.ndarray)
            ``(series, m)`` means and standard deviations, as ``DampedFit._loc_scale``.
        """
        steps = np.asarray(steps, dtype=int)
        n = self.n[:, None]
        alpha, beta, phi = (self.params[:, j:j + 1] for j in range(3))
        h = np.maximum(steps - n + 1, 1).astype(float)
        ahead = self.level[:, None] + self.trend[:, None] * phi * (1 - phi ** h) / (1 - phi)
        inside = np.take_along_axis(self.fitted, np.clip(steps, 0, self.fitted.shape[1] - 1), axis=1)
        loc = np.where(steps < n, inside, ahead)
        var = self.mse[:, None] * relative_variance(h, alpha, beta, phi)
        bad = steps < 0
        return np.where(bad, np.nan, loc), np.where(bad, np.nan, np.sqrt(var))


def relative_variance(h, alpha, beta, phi):
    """Forecast variance over ``mse`` at horizon ``h`` for ETS(A,Ad,N) (statsmodels' formula).

    Hyndman and Athanasopoulos, FPP3 section 8.7, as statsmodels' ``_relative_forecast_variance``.
    """
    return (1 + alpha ** 2 * (h - 1)
            + (beta * phi * h) / ((1 - phi) ** 2) * (2 * alpha * (1 - phi) + beta * phi)
            - (beta * phi * (1 - phi ** h)) / ((1 - phi) ** 2 * (1 - phi ** 2))
            * (2 * alpha * (1 - phi ** 2) + beta * phi * (1 + 2 * phi - phi ** h)))


def smooth(params: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run the filter of each row at given parameters (as statsmodels' ``ETSModel.smooth``).

    Parameters
    ----------
    params : numpy.ndarray
        ``(series, 5)``: alpha, beta, phi, initial level, initial trend.
    y : numpy.ndarray
        ``(series, width)`` values; NaN after a series' end (the states then stop).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray, numpy.ndarray)
        One-step predictions, levels and trends after each value, ``(series, width)``, NaN-padded.
    """
    alpha, beta, phi, level, trend = (params[:, j].astype(float) for j in range(5))
    out = np.full((3, *y.shape), np.nan)
    for t in range(y.shape[1]):
        seen = ~np.isnan(y[:, t])
        pred = level + phi * trend
        err = np.where(seen, y[:, t] - pred, 0.0)
        level = np.where(seen, pred + alpha * err, level)
        trend = np.where(seen, phi * trend + beta * err, trend)
        out[:, seen, t] = np.array([pred, level, trend])[:, seen]
    return out[0], out[1], out[2]


def _errors(theta: np.ndarray, y: np.ndarray) -> np.ndarray:
    """One-step errors ``(3, n, rows)`` of each row at ``theta`` (``(rows, 3)``).

    Channel 0 starts from zero states; channels 1 and 2 are the errors' response to a unit initial
    level and a unit initial trend with zero data.
    """
    alpha, phi = theta[:, 0], theta[:, 2]
    beta = theta[:, 0] * theta[:, 1]
    rows, n = y.shape
    level = np.zeros((3, rows))
    trend = np.zeros((3, rows))
    level[1] = trend[2] = 1.0
    err = np.empty((3, n, rows))
    data = np.ascontiguousarray(y.T)
    for t in range(n):
        pred = level + phi * trend
        e = err[:, t]
        np.negative(pred, out=e)
        e[0] += data[t]
        level = pred + alpha * e
        trend = phi * trend + beta * e
    return err


def _profile(theta: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """SSR with the initial states concentrated out, and those states, for each row."""
    r, e1, e2 = _errors(theta, y)
    g11, g12, g22 = (e1 * e1).sum(axis=0), (e1 * e2).sum(axis=0), (e2 * e2).sum(axis=0)
    c1, c2 = (e1 * r).sum(axis=0), (e2 * r).sum(axis=0)
    det = g11 * g22 - g12 * g12
    with np.errstate(divide="ignore", invalid="ignore"):
        x1 = -(g22 * c1 - g12 * c2) / det
        x2 = -(g11 * c2 - g12 * c1) / det
    resid = r + e1 * x1 + e2 * x2
    return (resid * resid).sum(axis=0), np.column_stack([x1, x2])


@functools.cache
def _grid_forms(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Grid points ``(G, 3)`` and the coefficients ``(G, n(n+1)/2)`` of their SSR quadratic forms."""
    theta = np.stack(np.meshgrid(*GRID, indexing="ij"), axis=-1).reshape(-1, 3)
    impulse = np.zeros((len(theta), n))
    impulse[:, 0] = 1.0
    err = _errors(theta, impulse)
    h, e = err[0].T, err[1:].transpose(2, 1, 0)  # (G, n) and (G, n, 2)
    lag = np.arange(n)[:, None] - np.arange(n)[None, :]
    toeplitz = np.where(lag >= 0, h[:, np.clip(lag, 0, None)], 0.0)  # (G, n, n): y -> r
    q, _ = np.linalg.qr(e)
    ql = np.einsum("gti,gts->gis", q, toeplitz)
    form = np.einsum("gts,gtu->gsu", toeplitz, toeplitz) - np.einsum("gis,giu->gsu", ql, ql)
    i, j = np.triu_indices(n)
    return theta, form[:, i, j] * np.where(i == j, 1.0, 2.0)


def _starts(y: np.ndarray) -> np.ndarray:
    """Return the starting points ``(rows, starts, 3)`` of each row (rows of one length, centred).

    The best grid point within each band of alpha (:data:`ALPHA_BANDS`; the global best is one of
    them, the others seed other basins of the likelihood) and statsmodels' own start.
    """
    theta, coef = _grid_forms(y.shape[1])
    i, j = np.triu_indices(y.shape[1])
    ssr = (y[:, i] * y[:, j]) @ coef.T
    starts = []
    for lo, hi in itertools.pairwise(ALPHA_BANDS):
        band = np.flatnonzero((theta[:, 0] > lo) & (theta[:, 0] <= hi))
        starts.append(theta[band[np.argmin(ssr[:, band], axis=1)]])
    starts.append(np.broadcast_to(STATSMODELS_START, (len(y), 3)))
    return np.stack(starts, axis=1)


def _stencil() -> np.ndarray:
    """Offsets of the finite differences: centre, +-e_i, e_i + e_j (i < j)."""
    eye = np.eye(3)
    pairs = [eye[i] + eye[j] for i in range(3) for j in range(i + 1, 3)]
    return STEP * np.vstack([np.zeros(3), eye, -eye, *pairs])


def _derivatives(f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gradient and Hessian of each row from its values on :func:`_stencil` (``(rows, 10)``)."""
    f0, fp, fm, fpp = f[:, 0], f[:, 1:4], f[:, 4:7], f[:, 7:10]
    grad = (fp - fm) / (2 * STEP)
    hess = np.empty((len(f), 3, 3))
    hess[:, range(3), range(3)] = (fp - 2 * f0[:, None] + fm) / STEP ** 2
    for k, (i, j) in enumerate(((0, 1), (0, 2), (1, 2))):
        hess[:, i, j] = hess[:, j, i] = (fpp[:, k] - fp[:, i] - fp[:, j] + f0) / STEP ** 2
    return grad, hess


def _newton_direction(theta: np.ndarray, grad: np.ndarray, hess: np.ndarray) -> np.ndarray:
    """Projected Newton direction: bound-active coordinates fixed, |eigenvalues| of the Hessian."""
    active = ((theta - LOWER <= 1e-12) & (grad > 0)) | ((UPPER - theta <= 1e-12) & (grad < 0))
    free = ~active
    both = free[:, :, None] & free[:, None, :]
    hess = np.where(both, hess, np.eye(3))
    grad = np.where(free, grad, 0.0)
    w, v = np.linalg.eigh(hess)
    w = np.abs(w)
    w = np.maximum(w, 1e-10 * np.maximum(w.max(axis=1, keepdims=True), 1e-300))
    return -np.einsum("rij,rj->ri", v, np.einsum("rji,rj->ri", v, grad) / w)


def _polish(theta: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Projected Newton on ``log SSR`` from ``theta`` for every row; never accepts a worse point."""
    theta = theta.copy()
    rows = np.arange(len(y))
    offsets = _stencil()
    for _ in range(MAX_ITER):
        if not rows.size:
            break
        m = len(rows)
        points = (theta[rows, None, :] + offsets[None]).reshape(-1, 3)
        with np.errstate(divide="ignore", invalid="ignore"):
            f = np.log(_profile(points, np.repeat(y[rows], len(offsets), axis=0))[0]).reshape(m, -1)
        ok = np.isfinite(f).all(axis=1)
        rows, f = rows[ok], f[ok]
        grad, hess = _derivatives(f)
        direction = _newton_direction(theta[rows], grad, hess)
        trial = np.clip(theta[rows, None, :] + STEP_LENGTHS[None, :, None] * direction[:, None, :],
                        LOWER, UPPER)
        with np.errstate(divide="ignore", invalid="ignore"):
            ft = np.log(_profile(trial.reshape(-1, 3), np.repeat(y[rows], len(STEP_LENGTHS), axis=0))[0])
        ft = np.where(np.isfinite(ft), ft, np.inf).reshape(len(rows), -1)
        best = np.argmin(ft, axis=1)
        gain = f[:, 0] - ft[np.arange(len(rows)), best]
        better = gain > 0
        theta[rows[better]] = trial[better, best[better]]
        rows = rows[better & (gain > 1e-15)]
    return theta


def _fit_length(y: np.ndarray) -> np.ndarray:
    """Parameters ``(rows, 5)`` for rows of one length (no NaN)."""
    mean = y.mean(axis=1, keepdims=True)
    yc = y - mean  # a constant is absorbed by the level: the SSR does not change
    starts = _starts(yc)
    tried = _polish(starts.reshape(-1, 3), np.repeat(yc, starts.shape[1], axis=0))
    ssr, _ = _profile(tried, np.repeat(yc, starts.shape[1], axis=0))
    ssr = np.where(np.isnan(ssr), np.inf, ssr).reshape(len(y), -1)
    theta = tried.reshape(len(y), -1, 3)[np.arange(len(y)), np.argmin(ssr, axis=1)]
    _, states = _profile(theta, yc)
    return np.column_stack([theta[:, 0], theta[:, 0] * theta[:, 1], theta[:, 2],
                            states[:, 0] + mean[:, 0], states[:, 1]])


def fit_damped(y: np.ndarray, n: np.ndarray) -> DampedBatch:
    """Fit ETS(A,Ad,N) by maximum likelihood to every row of a padded array.

    Parameters
    ----------
    y : numpy.ndarray
        ``(series, width)``: each row's values of consecutive years, left-aligned, NaN after its end.
    n : numpy.ndarray
        Values of each row (at least 3; the choice rule uses the model from
        :data:`~womenstats.trend.models.DAMPED_MIN_OBS`).

    Returns
    -------
    DampedBatch
        Parameters, maximised log-likelihoods, ``mse`` and the states for forecasting.
    """
    y = np.asarray(y, dtype=float)
    n = np.asarray(n, dtype=int)
    params = np.full((len(y), 5), np.nan)
    for m in np.unique(n):
        rows = np.flatnonzero(n == m)
        for start in range(0, len(rows), CHUNK):
            part = rows[start:start + CHUNK]
            params[part] = _fit_length(y[part, :m])
    return damped_at(params, y, n)


def damped_at(params: np.ndarray, y: np.ndarray, n: np.ndarray) -> DampedBatch:
    """Return the fits of every row at given parameters (filtered states, likelihood, ``mse``).

    Parameters
    ----------
    params : numpy.ndarray
        ``(series, 5)``: alpha, beta, phi, initial level, initial trend.
    y, n : numpy.ndarray
        As :func:`fit_damped`.

    Returns
    -------
    DampedBatch
    """
    y = np.asarray(y, dtype=float)
    n = np.asarray(n, dtype=int)
    width = int(n.max()) if len(n) else y.shape[1]
    fitted, level, trend = smooth(params, y[:, :width])
    resid = np.where(np.isnan(y[:, :width]), 0.0, y[:, :width] - fitted)
    mse = (resid * resid).sum(axis=1) / n
    with np.errstate(divide="ignore"):
        loglik = -n / 2 * (np.log(2 * np.pi * mse) + 1)
    last = np.clip(n - 1, 0, None)[:, None]
    return DampedBatch(params=params, loglik=loglik, mse=mse, n=n, fitted=fitted,
                       level=np.take_along_axis(level, last, axis=1)[:, 0],
                       trend=np.take_along_axis(trend, last, axis=1)[:, 0])
