"""Projections recomputed independently with statsmodels and scipy on the same series."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import integrate, special, stats
from statsmodels.discrete.discrete_model import NegativeBinomial
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

from womenstats import trend
from womenstats.errors import InputError

YEARS = np.array([2013, 2014, 2015, 2017, 2018, 2019, 2021, 2022])  # with gaps
RATE = np.array([30.1, 27.9, 27.2, 24.8, 23.9, 21.9, 20.3, 19.6])  # falls towards zero
SHARE = np.array([95.1, 95.8, 96.0, 96.9, 97.2, 97.5, 97.9, 98.1])  # a % near 100
LEVEL = np.array([51.0, 52.3, 52.9, 55.1, 55.5, 57.2, 58.4, 59.9])  # a plain level


def _ols_frame(years, z, target_years, alpha):
    """statsmodels' own prediction interval for OLS of z on the year."""
    fit = sm.OLS(z, sm.add_constant(np.asarray(years, dtype=float))).fit()
    exog = sm.add_constant(np.asarray(target_years, dtype=float), has_constant="add")
    return fit, fit.get_prediction(exog).summary_frame(alpha=alpha)


def _forecast(proj, years):
    return proj.forecast(years=years).set_index("year")


def _logit(y, lo=0.0, hi=100.0):
    return np.log((y - lo) / (hi - y))


@pytest.mark.parametrize(
    ("values", "bounds", "forward", "inverse", "model"),
    [
        (LEVEL, (None, None), lambda y: y, lambda z: z, "linear"),
        (RATE, (0, None), np.log, np.exp, "loglinear"),
        (SHARE, (0, 100), _logit, lambda z: 100 * special.expit(z), "logit"),
    ],
)
def test_ols_models_match_statsmodels_prediction_intervals(values, bounds, forward, inverse, model):
    fits = trend.fit_candidates(YEARS, values, bounds=bounds)
    fit = next(f for f in fits if f.model == model)
    proj = trend.Projection(model, len(values), 2022, (), pd.DataFrame(), YEARS, values,
                            tuple(math.nan if b is None else float(b) for b in bounds), fit, (fit,))
    target = [2025, 2030]
    got = _forecast(proj, target)
    for alpha, lo, hi in ((0.2, "lo80", "hi80"), (0.05, "lo95", "hi95")):
        _, frame = _ols_frame(YEARS, forward(values), target, alpha)
        np.testing.assert_allclose(got[lo], inverse(frame["obs_ci_lower"].to_numpy()), rtol=1e-10, atol=1e-8)
        np.testing.assert_allclose(got[hi], inverse(frame["obs_ci_upper"].to_numpy()), rtol=1e-10, atol=1e-8)
        np.testing.assert_allclose(got["point"], inverse(frame["mean"].to_numpy()), rtol=1e-10, atol=1e-8)


def test_probability_is_the_t_predictive_mapped_through_the_transform():
    proj = trend.project(YEARS, SHARE, bounds=(0, 100), better="higher")
    assert proj.model == "logit"
    _, frame = _ols_frame(YEARS, _logit(SHARE), [2030], 0.05)
    df = len(SHARE) - 2
    se = (frame["obs_ci_upper"].iloc[0] - frame["mean"].iloc[0]) / stats.t.ppf(0.975, df)
    expected = stats.t.sf((_logit(98.5) - frame["mean"].iloc[0]) / se, df)
    assert proj.prob(">=", 98.5, 2030) == pytest.approx(expected, abs=1e-10)
    assert proj.prob("<", 98.5, 2030) == pytest.approx(1 - expected, abs=1e-10)
    lo, hi = _logit(98.4), _logit(98.6)
    mean = frame["mean"].iloc[0]
    band = stats.t.cdf((hi - mean) / se, df) - stats.t.cdf((lo - mean) / se, df)
    assert proj.prob("≈", 98.5, 2030, tolerance=0.1) == pytest.approx(band, abs=1e-10)
    assert proj.prob("<=", 100, 2030) == 1.0
    assert proj.prob("=", 100, 2030) == 0.0  # the logit model never reaches the bound


def test_choice_is_aicc_on_the_original_scale_with_the_jacobian():
    proj = trend.project(YEARS, RATE, bounds=(0, 100))
    table = proj.candidates.set_index("model")
    n = len(RATE)
    expected = {}
    for model, z, log_jac in (
        ("linear", RATE, 0.0),
        ("loglinear", np.log(RATE), -np.log(RATE).sum()),
        ("logit", _logit(RATE), (np.log(100) - np.log(RATE) - np.log(100 - RATE)).sum()),
    ):
        fit = sm.OLS(z, sm.add_constant(YEARS.astype(float))).fit()
        sigma = math.sqrt(fit.ssr / n)
        loglik = stats.norm.logpdf(z, fit.fittedvalues, sigma).sum() + log_jac
        expected[model] = -2 * loglik + 2 * 3 + 2 * 3 * 4 / (n - 3 - 1)
        assert table.loc[model, "aicc"] == pytest.approx(expected[model], abs=1e-8)
    assert proj.model == min(expected, key=expected.get)
    assert table["chosen"].sum() == 1 and table.loc[proj.model, "chosen"]
    assert set(table["criterion"]) == {"aicc"}


@pytest.mark.parametrize(
    ("values", "bounds", "model"),
    [
        ([10.0, 11.5, 12.1], (0, 100), "logit"),
        ([10.0, 11.5, 12.1, 12.2], (0, 100), "logit"),
        ([10.0, 11.5, 12.1, 12.2], (0, None), "loglinear"),
        ([99.0, 99.6, 100.0], (0, 100), "loglinear"),  # a value at 100 rules out logit
        ([10.0, 11.5, 12.1, 12.2], (None, None), "linear"),
        ([-1.0, 0.5, 2.0], (None, 100), "linear"),
    ],
)
def test_three_or_four_points_follow_the_indicators_scale_because_aicc_is_undefined(values, bounds, model):
    proj = trend.project(np.arange(2020, 2020 + len(values)), values, bounds=bounds)
    table = proj.candidates
    assert table["aicc"].isna().all() and set(table["criterion"]) == {"scale"}
    assert table["value"].isna().all() and table["aic"].notna().all()
    assert proj.model == model and table.loc[table["chosen"], "model"].tolist() == [model]


def test_an_exponential_series_chooses_its_scale_by_aicc_from_five_points():
    years = np.arange(2018, 2025)
    values = 40.0 * np.exp(-0.25 * (years - 2018)) * np.array([1.01, 0.99, 1.0, 1.02, 0.98, 1.0, 1.01])
    proj = trend.project(years, values, bounds=(0, 100000))
    assert set(proj.candidates["criterion"]) == {"aicc"}
    assert proj.model in {"loglinear", "logit"}  # the log-scale fits beat the straight line
    assert proj.candidates.set_index("model").loc["linear", "aicc"] > proj.candidates["aicc"].min() + 2


def test_damped_trend_matches_ets_model_and_needs_ten_consecutive_years():
    years = np.arange(2010, 2022)
    values = np.array([10, 11, 11.5, 12.6, 13, 13.9, 14.2, 15.1, 15.3, 16.0, 16.2, 16.5])
    fits = trend.fit_candidates(years, values, bounds=(0, None))
    damped = next(f for f in fits if f.model == "damped")
    res = ETSModel(pd.Series(values), error="add", trend="add", damped_trend=True,
                   initialization_method="estimated").fit(disp=False)
    frame = res.get_prediction(start=12, end=19).summary_frame(alpha=0.05)
    np.testing.assert_allclose(damped.point(np.arange(2022, 2030)), frame["mean"], rtol=1e-8)
    np.testing.assert_allclose(damped.quantile(np.arange(2022, 2030), 0.025), frame["pi_lower"], rtol=1e-8)
    assert damped.k == 6 and damped.loglik == pytest.approx(res.llf)
    assert "damped" not in {f.model for f in trend.fit_candidates(years[:9], values[:9], bounds=(0, None))}
    gappy = trend.fit_candidates(np.delete(years, 5), np.delete(values, 5), bounds=(0, None))
    assert "damped" not in {f.model for f in gappy}


def test_poisson_counts_predictive_mixes_over_the_linear_predictor():
    years = np.arange(2014, 2024)
    births = np.array([3100, 3050, 3000, 2950, 2900, 2800, 2750, 2700, 2650, 2600], dtype=float)
    deaths = np.array([3, 2, 2, 1, 2, 1, 1, 0, 1, 0], dtype=float)
    rates = 1e5 * deaths / births
    proj = trend.project(years, rates, bounds=(0, None), numerators=deaths, denominators=births, per=1e5)
    assert "counts" in proj.flags and proj.model in {"poisson_const", "poisson", "negbin"}
    fit = next(f for f in proj.fits if f.model == "poisson")
    glm = sm.GLM(deaths, sm.add_constant(years - 2023.0), family=sm.families.Poisson(),
                 offset=np.log(births)).fit()
    pred = glm.get_prediction(np.array([[1.0, 7.0]]), offset=np.log([1.0]), which="linear")
    eta, se = float(pred.predicted[0]), float(pred.se[0])
    assert fit.point([2030])[0] == pytest.approx(1e5 * math.exp(eta), rel=1e-8)
    exposure = births[-3:].mean()

    def mixture_cdf(k):
        return integrate.quad(
            lambda u: stats.poisson.cdf(k, exposure * math.exp(eta + se * u)) * stats.norm.pdf(u), -12, 12,
            epsabs=1e-13, epsrel=1e-12, limit=200,
        )[0]

    for k in (0, 1, 3):
        assert fit.count_cdf(2030, np.array([k]))[0] == pytest.approx(mixture_cdf(k), abs=1e-8)
    # the 90% quantile is the smallest count whose cdf reaches 0.9
    q90 = fit.quantile([2030], 0.9)[0] * exposure / 1e5
    assert mixture_cdf(round(q90)) >= 0.9 > mixture_cdf(round(q90) - 1)
    # P(rate <= 12 per 100 000) = P(K <= floor(12 * E / 1e5))
    expected = mixture_cdf(math.floor(12 * exposure / 1e5))
    assert fit.prob_le([2030], 12.0)[0] == pytest.approx(expected, abs=1e-8)


def test_poisson_aicc_ranks_constant_against_trend_on_the_counts():
    years = np.arange(2016, 2024)
    births = np.full(8, 3000.0)
    deaths = np.array([0, 1, 0, 0, 2, 0, 0, 1], dtype=float)
    proj = trend.project(years, 1e5 * deaths / births, bounds=(0, None), numerators=deaths,
                         denominators=births, per=1e5)
    const = sm.GLM(deaths, np.ones((8, 1)), family=sm.families.Poisson(), offset=np.log(births)).fit()
    table = proj.candidates.set_index("model")
    assert table.loc["poisson_const", "aicc"] == pytest.approx(-2 * const.llf + 2 + 4 / 6, abs=1e-8)
    assert proj.model == "poisson_const"
    assert proj.forecast(years=2030)["point"].iloc[0] == pytest.approx(1e5 * 4 / 24000)


def test_negative_binomial_wins_on_overdispersed_counts():
    rng = np.random.default_rng(7)
    years = np.arange(2011, 2023)
    exposure = np.full(12, 50000.0)
    mu = exposure * 1e-3 * np.exp(-0.05 * (years - 2011))
    deaths = rng.negative_binomial(2, 2 / (2 + mu)).astype(float)
    proj = trend.project(years, 1e3 * deaths / exposure, bounds=(0, None), numerators=deaths,
                         denominators=exposure, per=1e3)
    nb = NegativeBinomial(deaths, sm.add_constant(years - 2022.0), exposure=exposure).fit(disp=0)
    table = proj.candidates.set_index("model")
    assert table.loc["negbin", "loglik"] == pytest.approx(nb.llf, abs=1e-6)
    assert proj.model == "negbin"


def test_two_points_extrapolate_compound_growth_without_intervals():
    proj = trend.project([2020, 2022], [10.0, 12.1], bounds=(0, 100))
    assert proj.model == "growth" and "two_points" in proj.flags and "gaps" in proj.flags
    row = proj.forecast(years=2030).iloc[0]
    assert row["point"] == pytest.approx(12.1 * (12.1 / 10.0) ** 4)
    assert math.isnan(row["lo80"]) and math.isnan(proj.prob(">=", 20, 2030))
    assert proj.forecast(years=2060)["point"].iloc[0] == 100.0  # clipped to the bound
    linear = trend.project([2020, 2021], [0.0, 1.5], bounds=(None, None))
    assert linear.forecast(years=2025)["point"].iloc[0] == pytest.approx(7.5)


def test_one_point_and_no_data_give_no_projection():
    one = trend.project([2022], [5.0], bounds=(None, None))
    assert one.flags == ("one_point",) and one.model == "none" and one.last_year == 2022
    assert one.forecast(years=[2025]).drop(columns="year").isna().all(axis=None)
    none = trend.project([2020, 2021], [np.nan, np.nan], bounds=(None, None))
    assert none.flags == ("no_data",) and none.n_obs == 0 and none.last_year is None
    assert math.isnan(none.prob(">=", 1, 2030)) and none.first_year_meeting(">=", 1, 2030) is None


def test_linear_intervals_are_clipped_to_bounds_and_the_bound_carries_the_mass():
    years = np.arange(2016, 2023)
    values = np.array([97.0, 97.9, 98.4, 99.0, 99.3, 99.8, 100.0])
    proj = trend.project(years, values, bounds=(0, 100))
    assert proj.model == "linear"  # a value at 100 rules out the logit model
    got = proj.forecast(years=[2030]).iloc[0]
    assert got["hi95"] == 100.0 and got["point"] == 100.0
    _, frame = _ols_frame(years, values, [2030], 0.05)
    se = (frame["obs_ci_upper"].iloc[0] - frame["mean"].iloc[0]) / stats.t.ppf(0.975, 5)
    mass = stats.t.sf((100 - frame["mean"].iloc[0]) / se, 5)
    assert proj.prob("=", 100, 2030) == pytest.approx(mass, abs=1e-10)
    assert proj.prob(">=", 100, 2030) == pytest.approx(mass, abs=1e-10)


def test_first_year_meeting_solves_the_linear_trend():
    proj = trend.project(YEARS, LEVEL, bounds=(None, None))
    assert proj.model == "linear"
    fit = sm.OLS(LEVEL, sm.add_constant(YEARS.astype(float))).fit()
    a, b = fit.params
    assert proj.first_year_meeting(">=", 65.0, 2035) == math.ceil((65.0 - a) / b)
    assert proj.first_year_meeting(">=", 500.0, 2035) is None
    assert proj.first_year_meeting("<=", 40.0, 2035) is None


def test_direction_probability_is_the_slope_t_test():
    proj = trend.project(YEARS, LEVEL, bounds=(None, None))
    fit = sm.OLS(LEVEL, sm.add_constant(YEARS.astype(float))).fit()
    expected = stats.t.cdf(fit.params[1] / fit.bse[1], len(LEVEL) - 2)
    assert proj.p_direction("increase") == pytest.approx(expected, abs=1e-12)
    assert proj.p_direction("decrease") == pytest.approx(1 - expected, abs=1e-12)


def test_bad_input_is_refused_in_chinese():
    with pytest.raises(InputError, match="年份重复：2020"):
        trend.project([2020, 2020, 2021], [1.0, 2.0, 3.0], bounds=(None, None))
    with pytest.raises(InputError, match="取值范围"):
        trend.project([2020, 2021, 2022], [99.0, 101.0, 100.0], bounds=(0, 100))
    with pytest.raises(InputError, match="个数不一致"):
        trend.project([2020, 2021], [1.0], bounds=(None, None))
    with pytest.raises(InputError, match="比较符"):
        trend.project(YEARS, LEVEL, bounds=(None, None)).prob("!=", 1, 2030)


def test_no_event_in_any_year_uses_the_jeffreys_predictive():
    births = np.array([1400.0, 1500.0, 1600.0, 1500.0, 1450.0, 1550.0])
    proj = trend.project(range(2018, 2024), np.zeros(6), bounds=(0, None), numerators=np.zeros(6),
                         denominators=births, per=1e5)
    assert proj.model == "poisson_zero" and "counts" in proj.flags
    total, future = births.sum(), births[-3:].mean()
    # P(K = 0) for NB(1/2, E / (E + E_t)) is (E / (E + E_t)) ** 0.5
    assert proj.prob("<=", 12.5, 2025) == pytest.approx((total / (total + future)) ** 0.5, abs=1e-12)
    assert proj.forecast(years=2025)["point"].iloc[0] == pytest.approx(1e5 * 0.5 / total)


def test_events_in_a_single_year_give_no_count_trend():
    births = np.full(8, 3000.0)
    deaths = np.array([0, 0, 0, 0, 0, 0, 0, 1.0])
    proj = trend.project(range(2016, 2024), 1e5 * deaths / births, bounds=(0, None), numerators=deaths,
                         denominators=births, per=1e5)
    assert proj.candidates["model"].tolist() == ["poisson_const"]
    assert proj.forecast(years=2030)["point"].iloc[0] == pytest.approx(1e5 / 24000)


@pytest.mark.parametrize("values, bound", [
    ([91.0, 93.93, 95.13, 97.73, 99.0, 99.67, 100.0], "upper"),  # climbs onto 100%: linear, clipped
    ([97.23, 98.33, 98.78, 99.75, 99.8, 99.94, 99.86], "upper"),  # logit, flattening against 100%
    ([8.0, 6.1, 4.2, 2.4, 1.1, 0.3, 0.0], "lower"),  # falls onto 0%
])
def test_a_series_at_a_bound_keeps_an_interval_that_respects_it(values, bound):
    from womenstats.trend.projection import noise_floor

    proj = trend.project(np.arange(2018, 2025), values, bounds=(0, 100))
    row = proj.forecast(years=[2030]).iloc[0]
    floor = noise_floor(values, 0.0, 100.0)
    assert floor > 0.1
    assert 0.0 <= row["lo95"] <= row["lo80"] <= row["point"] <= row["hi80"] <= row["hi95"] <= 100.0
    assert row["hi80"] - row["lo80"] >= 1.28 * floor - 1e-9  # no narrower than one year's scatter
    assert (row["hi95"] == 100.0) if bound == "upper" else (row["lo95"] == 0.0)
    assert "constant" not in proj.flags


def test_a_series_that_never_varies_keeps_a_zero_width_interval_and_says_so():
    proj = trend.project(np.arange(2018, 2025), [100.0] * 7, bounds=(0, 100))
    row = proj.forecast(years=[2030]).iloc[0]
    assert math.isclose(row["lo80"], 100.0) and math.isclose(row["hi80"], 100.0)
    assert "constant" in proj.flags


def test_the_floor_leaves_series_away_from_bounds_and_unbounded_series_alone():
    years, values = np.arange(2018, 2025), [50.0, 52.1, 53.0, 55.2, 56.1, 58.3, 60.0]
    bounded = trend.project(years, values, bounds=(0, 100))
    fit = bounded.fit
    row = bounded.forecast(years=[2030]).iloc[0]
    assert math.isclose(row["lo80"], float(fit.quantile([2030], 0.10)[0]))  # the model's own interval
    assert trend.project(years, values, bounds=(None, None)).noise_floor() == 0.0
