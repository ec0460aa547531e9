"""A projection read like a statsmodels result: summary, parameters, fitted values, criterion, plot.

:class:`ProjectionResults` is the part of :class:`womenstats.trend.Projection` a statsmodels user
reaches for first. The chosen model's own statsmodels fit is :attr:`~ProjectionResults.model_result`
(named regressors: ``const`` and ``year - <last year>``, the year measured from the latest
observation); :attr:`~ProjectionResults.params` and :meth:`~ProjectionResults.conf_int` are its,
on the model's scale (``log(value)`` for the log-linear model).

The criterion counts every estimated parameter, the error variance included (Burnham and Anderson
2002, section 2.2): ``k = 3`` for the OLS models (intercept, slope, σ²). statsmodels' ``OLSResults.aic``
counts the regression coefficients only (``k = 2``), so for the linear model our AIC is statsmodels'
plus 2. For the log-linear and logit models the log-likelihood is that of the values on the
indicator's scale (statsmodels' ``llf`` of the transformed values plus the log-Jacobian
``Σ log g′(y_i)``, :mod:`womenstats.trend.transforms`), which is what makes the candidates comparable.
The damped-trend (k = 6 with σ²), Poisson and negative binomial criteria count as statsmodels does.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


class ProjectionResults:
    """statsmodels-style access to a :class:`~womenstats.trend.Projection` (mixed into it)."""

    # ------------------------------------------------------------------ the chosen fit

    @property
    def model_result(self):
        """The chosen model's fitted statsmodels object, or None (``growth``, ``poisson_zero``, ``none``).

        ``OLSResults`` for ``linear``, ``loglinear`` and ``logit`` (on the transformed values),
        ``GLMResults`` for ``poisson_const`` and ``poisson``, ``NegativeBinomialResults`` for
        ``negbin``, ``ETSResults`` for ``damped``. Regressors are named ``const`` and
        ``year - <last year>``.
        """
        return getattr(self.fit, "result", None)

    def _chosen(self, column: str) -> float:
        rows = self.candidates.loc[self.candidates["chosen"].astype(bool)] if len(self.candidates) else []
        return float(rows[column].iloc[0]) if len(rows) else math.nan

    @property
    def aicc(self) -> float:
        """AICc of the chosen model, ``-2 loglik + 2k + 2k(k+1)/(n-k-1)``; NaN when ``n <= k + 1``."""
        return self._chosen("aicc")

    @property
    def aic(self) -> float:
        """AIC of the chosen model, ``-2 loglik + 2k``, with k counting the error variance."""
        return self._chosen("aic")

    @property
    def llf(self) -> float:
        """Log-likelihood of the chosen model on the scale the candidates are compared on."""
        return self._chosen("loglik")

    @property
    def nobs(self) -> int:
        """Number of observations used."""
        return int(self.n_obs)

    def _named(self, attribute: str) -> pd.Series:
        """Return one of the statsmodels result's per-parameter arrays as a named Series."""
        res = self.model_result
        if res is None:
            return pd.Series(dtype=float, name=attribute)
        values = np.asarray(getattr(res, attribute), dtype=float)
        return pd.Series(values, index=_param_names(res), name=attribute)

    @property
    def params(self) -> pd.Series:
        """The chosen model's parameters on its own scale, named (empty without a statsmodels fit)."""
        return self._named("params")

    @property
    def bse(self) -> pd.Series:
        """Standard errors of :attr:`params`."""
        return self._named("bse")

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Confidence intervals of :attr:`params`, as statsmodels' ``conf_int(alpha)``.

        Parameters
        ----------
        alpha : float, default 0.05
            ``1 - alpha`` intervals (t for the OLS models, normal for the others).

        Returns
        -------
        pandas.DataFrame
            Columns ``0`` (lower) and ``1`` (upper), indexed like :attr:`params`.
        """
        res = self.model_result
        if res is None:
            return pd.DataFrame(columns=[0, 1], dtype=float)
        return pd.DataFrame(np.asarray(res.conf_int(alpha=alpha), dtype=float), index=_param_names(res),
                            columns=[0, 1])

    @property
    def fittedvalues(self) -> pd.Series:
        """The model's central values in the observed years, on the indicator's scale (not clipped).

        ``g⁻¹`` of statsmodels' ``fittedvalues`` for the OLS models (the predictive median), the
        one-step predictions of the damped trend, ``per · exp(x′b)`` for the count models.
        """
        index = pd.Index(self.years.astype(int), name="year")
        if self.fit is None:
            return pd.Series(np.full(len(index), np.nan), index=index, name="fittedvalues")
        fitted = np.asarray(self.fit.point(self.years), dtype=float)
        return pd.Series(fitted, index=index, name="fittedvalues")

    @property
    def resid(self) -> pd.Series:
        """Observed minus :attr:`fittedvalues`, on the indicator's scale."""
        fitted = self.fittedvalues
        return pd.Series(self.values - fitted.to_numpy(), index=fitted.index, name="resid")

    # ------------------------------------------------------------------ summary

    def summary(self, alpha: float = 0.05):
        """Summarise the projection in tables like statsmodels' ``summary()``.

        Four parts: the series and the choice (model, criterion and its value, bounds); the
        candidates with ``k``, log-likelihood, AIC, AICc and the one chosen; the chosen model's
        parameters with standard errors, tests and ``1 - alpha`` intervals (statsmodels'
        ``summary_params``); notes on the criterion's parameter count and the flags.

        Parameters
        ----------
        alpha : float, default 0.05
            Level of the parameters' intervals.

        Returns
        -------
        statsmodels.iolib.summary.Summary
            Printable (``print(p.summary())``), with ``as_text()``, ``as_html()`` and an HTML
            view in a notebook.

        References
        ----------
        Hurvich, C. M. and Tsai, C.-L. (1989). Regression and time series model selection in small
        samples. Biometrika 76(2), 297-307. Burnham, K. P. and Anderson, D. R. (2002). Model
        Selection and Multimodel Inference, 2nd ed. Springer, sections 2.2 and 2.11.3.
        """
        from womenstats.trend.summary import build_summary

        return build_summary(self, alpha)

    # ------------------------------------------------------------------ plot

    def plot(self, ax=None, *, target=None, until: int | None = None, alpha: float = 0.05):
        """Draw the observations (with their intervals), the fitted trend, the fan and the target.

        See :func:`womenstats.trend.plot.plot_projection`.

        Returns
        -------
        matplotlib.axes.Axes
        """
        from womenstats.trend.plot import plot_projection

        return plot_projection(self, ax=ax, target=target, until=until, alpha=alpha)


def _param_names(res) -> list[str]:
    """Return a statsmodels result's parameter names (ETS keeps them on the result)."""
    names = getattr(res, "param_names", None)
    if names is None:
        names = res.model.data.param_names
    return [str(n) for n in names]
