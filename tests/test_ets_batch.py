"""The vectorised damped-trend estimator against statsmodels (the reference, DampedFit's fit).

On every series: a log-likelihood never worse than statsmodels' optimum (by more than 1e-6), the
filtered states and forecasts at statsmodels' parameters equal to 1e-8, and in the batch the same
chosen model (a different choice only where ours found the better optimum).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from womenstats.cli import main
from womenstats.errors import InputError
from womenstats.trend.backtest import SERIES_KEYS, national_series
from womenstats.trend.batch import project_batch
from womenstats.trend.ets_batch import damped_at, fit_damped, smooth
from womenstats.trend.models import DampedFit

STORE = Path(__file__).resolve().parents[1] / "data" / "processed" / "womenstats.sqlite"
YEARS = [2020, 2024, 2025, 2030]


def _generated(seed: int, count: int, shortest: int = 5) -> list[np.ndarray]:
    """Series of many shapes and scales: trends, noise, flat, steps, saturation, outliers."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        n = int(rng.integers(shortest, 16))
        t = np.arange(n, dtype=float)
        kind = i % 8
        if kind == 0:  # random walk with drift
            v = rng.normal(0, 1, n).cumsum() + rng.normal() * t
        elif kind == 1:  # noise around a level
            v = rng.normal(0, 1, n)
        elif kind == 2:  # a nearly exact line
            v = rng.normal() * t + 1e-3 * rng.normal(size=n)
        elif kind == 3:  # a damped (saturating) trend
            v = np.cumsum(rng.uniform(0.5, 1.0) ** t) + 0.1 * rng.normal(size=n)
        elif kind == 4:  # a level shift
            v = np.where(t < n // 2, 0.0, 1.0) + 0.05 * rng.normal(size=n)
        elif kind == 5:  # flat, or flat with a tiny wobble
            v = np.full(n, 3.0) + (i % 16 == 5) * 1e-9 * rng.normal(size=n)
        elif kind == 6:  # a cycle
            v = np.sin(t) + 0.3 * rng.normal(size=n)
        else:  # heavy-tailed noise on a falling line
            v = 100 - 2 * t + rng.standard_t(2, n)
        scale = 10 ** rng.uniform(-2, 4)
        out.append(scale * v + scale * 5 * rng.normal())
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The store ``make data`` builds, or one built here."""
    if STORE.is_file():
        return STORE
    path = tmp_path_factory.mktemp("store") / "ets.sqlite"
    assert main(["data", "build", "--store", str(path)]) == 0
    return path


def _real(store) -> list[np.ndarray]:
    """Every run of five or more consecutive years of the real national series (and its windows)."""
    obs = national_series(store).dropna(subset=["value"])
    out = []
    for _, part in obs.groupby(list(SERIES_KEYS)):
        part = part.sort_values("year")
        years, values = part["year"].to_numpy(), part["value"].to_numpy(dtype=float)
        breaks = np.flatnonzero(np.diff(years) != 1) + 1
        for run in np.split(values, breaks):
            out += [run[a:b] for a in range(len(run)) for b in range(a + 5, len(run) + 1)]
    return out


def _padded(series: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    n = np.array([len(s) for s in series])
    y = np.full((len(series), n.max()), np.nan)
    for i, s in enumerate(series):
        y[i, :len(s)] = s
    return y, n


def _statsmodels(values: np.ndarray):
    model = ETSModel(pd.Series(values), error="add", trend="add", damped_trend=True,
                     initialization_method="estimated")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(disp=False)


def _check_against_statsmodels(series: list[np.ndarray]) -> None:
    y, n = _padded(series)
    ours = fit_damped(y, n)
    reference = [_statsmodels(s) for s in series]
    params = np.array([r.params.to_numpy() for r in reference])
    at_theirs = damped_at(params, y, n)
    _, levels, trends = smooth(params, y)
    for i, (s, r) in enumerate(zip(series, reference, strict=True)):
        scale = max(1.0, float(np.abs(s).max()))
        # never a worse optimum (both +inf for an exactly flat series)
        assert ours.loglik[i] >= r.llf - 1e-6 or ours.loglik[i] == r.llf, (i, ours.loglik[i], r.llf)
        # filtered states, one-step predictions and likelihood at statsmodels' parameters
        m = len(s)
        np.testing.assert_allclose(at_theirs.fitted[i, :m] / scale, r.fittedvalues.to_numpy() / scale,
                                   rtol=0, atol=1e-8)
        np.testing.assert_allclose(levels[i, :m] / scale, r.states["level"].to_numpy() / scale,
                                   rtol=0, atol=1e-8)
        np.testing.assert_allclose(trends[i, :m] / scale, r.states["trend"].to_numpy() / scale,
                                   rtol=0, atol=1e-8)
        assert (at_theirs.level[i], at_theirs.trend[i]) == (levels[i, m - 1], trends[i, m - 1])
        # the error variance (the likelihood is ill-conditioned for a nearly exact fit)
        assert at_theirs.mse[i] == pytest.approx(r.mse, rel=1e-8, abs=1e-16 * scale ** 2)
        # forecasts and their variances, in and out of the sample
        steps = np.array([0, m - 1, m, m + 4])
        loc, sd = at_theirs.loc_scale(np.broadcast_to(steps, (len(series), 4)))
        pred = r.get_prediction(start=0, end=m + 4)
        mean = np.asarray(pred.predicted_mean)[steps]
        var = np.asarray(pred.forecast_variance)[steps]
        np.testing.assert_allclose(loc[i] / scale, mean / scale, rtol=0, atol=1e-8)
        np.testing.assert_allclose(sd[i] ** 2 / scale ** 2, var / scale ** 2, rtol=1e-8, atol=1e-12)


def test_never_worse_than_statsmodels_on_generated_series():
    _check_against_statsmodels(_generated(20261203, 240))


def test_never_worse_than_statsmodels_on_the_real_national_series(store):
    series = _real(store)
    assert len(series) >= 10
    _check_against_statsmodels(series)


def test_intervals_equal_dampedfit_at_the_same_parameters():
    rng = np.random.default_rng(3)
    years = np.arange(2010, 2022)
    values = 50 + np.cumsum(0.9 ** np.arange(12)) * 3 + rng.normal(0, 0.4, 12)
    fit = DampedFit(years, values)
    at = damped_at(fit.result.params.to_numpy()[None, :], values[None, :], np.array([12]))
    loc, sd = at.loc_scale(np.array(YEARS)[None, :] - years[0])
    ref_loc, ref_sd = fit._loc_scale(YEARS)
    np.testing.assert_allclose(loc[0], ref_loc, rtol=1e-10)
    np.testing.assert_allclose(sd[0], ref_sd, rtol=1e-10)
    for q in (0.025, 0.9):
        from scipy import stats
        np.testing.assert_allclose(loc[0] + sd[0] * stats.norm.ppf(q), fit.quantile(YEARS, q), rtol=1e-10)


def _batch_obs(seed: int, count: int) -> pd.DataFrame:
    """Long table: consecutive series of 10-15 years (damped-eligible), series with gaps, series near
    a bound."""
    rng = np.random.default_rng(seed)
    rows = []
    for i, values in enumerate(_generated(seed, count, shortest=10)):
        spread = (values - values.min()) / max(np.ptp(values), 1e-9)  # 0 to 1
        values = 40 + (spread - spread.mean()) * rng.uniform(1, 30)
        if i % 6 == 0:  # a percentage close to 100
            values = 97.0 + 2.9 * spread
        elif i % 6 == 1:  # a rate close to 0
            values = 0.05 + 3.0 * spread
        years = 2008 + np.arange(len(values))
        keep = np.ones(len(values), bool) if i % 3 else rng.random(len(values)) > 0.2  # missing years
        lower, upper = [(0.0, 100.0), (0.0, np.nan), (np.nan, np.nan)][i % 3]
        rows += [{"target": i, "year": int(y), "value": float(v), "lower": lower, "upper": upper}
                 for y, v in zip(years[keep], values[keep], strict=True)]
    return pd.DataFrame(rows)


def test_batch_choice_equals_the_statsmodels_path():
    obs = _batch_obs(7, 200)
    ours = project_batch(obs, YEARS, keys=["target"], workers=1).set_index(["target", "year"])
    theirs = project_batch(obs, YEARS, keys=["target"], workers=1, ets="statsmodels").set_index(
        ["target", "year"])
    series = ours.groupby(level="target").first()
    assert (series["route"] == "damped").sum() >= 100 and (series["route"] == "vectorised").any()
    assert (series["model"] == "damped").sum() >= 5
    differ = ours["model"] != theirs["model"]
    differ_series = sorted(set(ours.index[differ].get_level_values("target")))
    # a different choice only where ours found the better optimum (statsmodels' L-BFGS-B stopped in
    # a worse local one): where the two optima agree the choice is the same on every series
    for target in differ_series:
        part = obs[obs["target"] == target].sort_values("year")
        ll = fit_damped(part["value"].to_numpy()[None, :], np.array([len(part)])).loglik[0]
        assert ll > _statsmodels(part["value"].to_numpy()).llf + 1e-6, target
    assert len(differ_series) <= 0.02 * len(series)
    # elsewhere the two paths give the same numbers for every model but the damped one
    same = ~differ & (ours["model"] != "damped")
    for col in ("point", "lo95", "hi95"):
        np.testing.assert_allclose(ours.loc[same, col], theirs.loc[same, col], rtol=1e-10, equal_nan=True)
    assert (ours["route"] == theirs["route"]).all()


def test_unknown_estimator_is_refused_in_chinese():
    obs = _batch_obs(1, 3)
    with pytest.raises(InputError, match="阻尼趋势估计方法"):
        project_batch(obs, YEARS, keys=["target"], workers=1, ets="numba")
