"""The projection read like a statsmodels result, checked against statsmodels' own fit of the same data."""

from __future__ import annotations

import math
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from statsmodels.tsa.exponential_smoothing.ets import ETSModel

import womenstats as ws
from womenstats import catalog
from womenstats.errors import CatalogError, InputError

matplotlib.use("Agg")

#: 开平市 村委会成员中女性比例 2018–2024 (simulated): the issue's example, loglinear given its indicator.
YEARS = np.arange(2018, 2025)
SHARE = np.array([20.67, 24.22, 22.22, 23.11, 23.33, 23.11, 26.44])
INDICATOR = "decision.village_committee_female_share"
Y = pd.Series(SHARE, index=pd.Index(YEARS, name="year"), name="value")


def _own_ols(z):
    """statsmodels' own fit: OLS of z on a constant and the year counted from the last one."""
    exog = pd.DataFrame({"const": 1.0, "year - 2024": YEARS - 2024.0}, index=YEARS)
    return sm.OLS(pd.Series(z, index=YEARS), exog).fit()


def test_a_year_indexed_series_is_the_two_arrays():
    by_series = ws.trend.project(Y, indicator=INDICATOR)
    by_arrays = ws.trend.project(YEARS, SHARE, bounds=(0, 100), per=100)
    pd.testing.assert_frame_equal(by_series.forecast(5), by_arrays.forecast(5))
    assert by_series.model == by_arrays.model == "loglinear"


def test_indicator_chooses_the_assessments_model_and_probability():
    with pytest.warns(ws.trend.UnboundedWarning, match="indicator="):
        bare = ws.trend.project(Y)
    assert bare.model == "linear"  # what the issue saw: unbounded, another model
    series = pd.DataFrame({"year": YEARS, "value": SHARE, "numerator": np.nan, "denominator": np.nan})
    assessed = ws.assess.target_projection(series, ">=", INDICATOR)
    for how in (INDICATOR, "村委会成员中女性比例", catalog.indicator(INDICATOR),
                catalog.indicators().loc[INDICATOR], {"lower": 0, "upper": 100, "per": 100}):
        mine = ws.trend.project(Y, indicator=how)
        assert mine.model == assessed.model == "loglinear"
        assert mine.prob(">=", 30, 2030) == assessed.prob(">=", 30, 2030)
    assert 0.39 < assessed.prob(">=", 30, 2030) < 0.40


def test_the_plan_assessment_is_the_hand_projection_of_its_series():
    verdict = ws.assess.assess_plan("kaiping", 2025).set_index("target_id").loc["kaiping.decision.07-3"]
    obs = ws.intake.Store().observations(plan="kaiping", indicator_id="村委会成员中女性比例", sex="female")
    mine = ws.trend.project(obs.set_index("year")["value"], indicator=INDICATOR)
    assert mine.model == verdict["model"]
    bar = ws.assess.value_bar("kaiping.decision.07-3", catalog.indicator(INDICATOR))
    level, tolerance = bar.loosened(bar.step)  # 30 less half the last published digit: 29.95
    assert level == pytest.approx(29.95)
    assert mine.prob(">=", level, 2030, tolerance=tolerance) == pytest.approx(verdict["p_attain"], rel=1e-12)
    assert mine.forecast(years=2030)["point"].iloc[0] == pytest.approx(verdict["proj_value"], rel=1e-12)


def test_params_conf_int_and_fitted_values_are_statsmodels_own():
    p = ws.trend.project(Y, indicator=INDICATOR)
    own = _own_ols(np.log(SHARE))
    pd.testing.assert_series_equal(p.params, own.params.rename("params"), rtol=1e-12)
    pd.testing.assert_series_equal(p.bse, own.bse.rename("bse"), rtol=1e-12)
    for alpha in (0.05, 0.1):
        pd.testing.assert_frame_equal(p.conf_int(alpha), own.conf_int(alpha), rtol=1e-12)
    np.testing.assert_allclose(p.fittedvalues, np.exp(own.fittedvalues), rtol=1e-12)
    np.testing.assert_allclose(p.resid, SHARE - np.exp(own.fittedvalues), rtol=1e-10, atol=1e-12)
    assert p.fittedvalues.index.tolist() == YEARS.tolist()
    res = p.model_result
    assert res.model.exog_names == ["const", "year - 2024"] and res.model.endog_names == "log(value)"
    assert res.llf == pytest.approx(own.llf, rel=1e-12)


def test_the_criterion_counts_the_error_variance():
    linear = ws.trend.project(YEARS, SHARE + 10, bounds=(None, None))
    assert linear.model == "linear"
    own = _own_ols(SHARE + 10)
    assert linear.aic == pytest.approx(own.aic + 2, rel=1e-12)  # k = 3 with sigma^2, statsmodels' k = 2
    n, k = len(SHARE), 3
    assert linear.aicc == pytest.approx(own.aic + 2 + 2 * k * (k + 1) / (n - k - 1), rel=1e-12)
    logged = ws.trend.project(Y, indicator=INDICATOR)
    jacobian = -np.log(SHARE).sum()
    assert logged.llf == pytest.approx(logged.model_result.llf + jacobian, rel=1e-12)
    text = logged.summary().as_text()
    assert "statsmodels 的大 2" in text and f"{jacobian:.6g}" in text


def test_summary_lists_candidates_criterion_chosen_model_and_parameters():
    p = ws.trend.project(Y, indicator=INDICATOR)
    text = p.summary().as_text()
    own = _own_ols(np.log(SHARE))
    for model in ("linear", "loglinear", "logit"):
        row = p.candidates.set_index("model").loc[model]
        assert model in text and f"{row['aicc']:#8.5g}".strip() in text
    assert "Projection Results: 村委会成员中女性比例" in text and "log(value)" in text
    assert "year - 2024" in text and f"{own.params['year - 2024']:.4f}" in text
    assert "Date:" not in text and "Time:" not in text  # byte-reproducible
    assert "<table" in p.summary()._repr_html_()


def test_forecast_steps_are_years_after_the_last_and_alpha_adds_its_interval():
    p = ws.trend.project(Y, indicator=INDICATOR)
    pd.testing.assert_frame_equal(p.forecast(3), p.forecast(years=[2025, 2026, 2027]))
    assert p.forecast()["year"].tolist() == [2025]
    wide = p.forecast(3, alpha=0.1)
    assert list(wide.columns) == ["year", "point", "lo80", "hi80", "lo95", "hi95", "lo90", "hi90"]
    own = _own_ols(np.log(SHARE))
    exog = pd.DataFrame({"const": 1.0, "year - 2024": [1.0, 2.0, 3.0]})
    frame = own.get_prediction(exog).summary_frame(alpha=0.1)
    np.testing.assert_allclose(wide["lo90"], np.exp(frame["obs_ci_lower"]), rtol=1e-10)
    np.testing.assert_allclose(wide["hi90"], np.exp(frame["obs_ci_upper"]), rtol=1e-10)
    assert list(p.forecast(2, alpha=0.2).columns) == list(ws.trend.FORECAST_COLUMNS)
    with pytest.raises(InputError, match=r"forecast\(years=2030\)"):
        p.forecast(2030)
    for bad in (0, 2.5, "3"):
        with pytest.raises(InputError, match="steps"):
            p.forecast(bad)
    with pytest.raises(InputError, match="alpha"):
        p.forecast(2, alpha=5)


def test_count_and_damped_models_name_their_parameters():
    years = np.arange(2012, 2025)
    births = np.full(len(years), 30000.0)
    deaths = np.array([9, 8, 8, 7, 7, 6, 7, 5, 5, 4, 4, 4, 3], dtype=float)
    frame = pd.DataFrame({"year": years, "value": 1e5 * deaths / births, "numerator": deaths,
                          "denominator": births})
    counts = ws.trend.project(frame, indicator="孕产妇死亡率")
    assert counts.model in ("poisson", "negbin")
    own = sm.GLM(deaths, sm.add_constant(years - 2024.0), family=sm.families.Poisson(),
                 offset=np.log(births)).fit()
    poisson = ws.trend.project(years, 1e5 * deaths / births, numerators=deaths, denominators=births, per=1e5,
                               bounds=(0, None))
    fit = next(f for f in poisson.fits if f.model == "poisson")
    assert fit.result.model.exog_names == ["const", "year - 2024"]
    np.testing.assert_allclose(fit.result.params, own.params, rtol=1e-8)
    level = 50 + np.cumsum(np.random.default_rng(3).normal(0.8, 0.6, len(years)))
    damped = ws.trend.project(years, level, bounds=(None, None))
    fit = next(f for f in damped.fits if f.model == "damped")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        own = ETSModel(pd.Series(level), error="add", trend="add", damped_trend=True,
                       initialization_method="estimated").fit(disp=False)
    assert fit.result.param_names == own.param_names
    np.testing.assert_allclose(fit.result.params, own.params, rtol=1e-8)


def test_two_points_and_no_model_have_no_parameters():
    two = ws.trend.project([2023, 2024], [10.0, 11.0], bounds=(0, 100))
    assert two.model_result is None and two.params.empty and two.conf_int().empty
    assert math.isnan(two.aicc) and "没有 statsmodels 拟合" in two.summary().as_text()
    assert two.forecast(2)["year"].tolist() == [2025, 2026]


def test_series_given_in_a_wrong_form_is_refused_in_chinese():
    with pytest.raises(InputError, match="年份"):
        ws.trend.project(pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"]), bounds=(0, 100))
    with pytest.raises(InputError, match="year 和 value"):
        ws.trend.project(pd.DataFrame({"yr": [2020], "v": [1.0]}), bounds=(0, 100))
    with pytest.raises(InputError, match="Series"):
        ws.trend.project([1.0, 2.0], bounds=(0, 100))
    with pytest.raises(CatalogError, match="您是不是要找：村委会成员中女性比例"):
        ws.trend.project(Y, indicator="村委会成员女性比例")


def test_plot_draws_observations_fan_and_target_and_returns_the_axes():
    import matplotlib.pyplot as plt

    plt.close("all")  # figures other tests left open
    p = ws.trend.project(Y, indicator=INDICATOR)
    ax = p.plot(target="kaiping.decision.07-3")
    assert isinstance(ax, matplotlib.axes.Axes)
    labels = ax.get_legend_handles_labels()[1]
    assert {"观测值", "80% 预测区间", "95% 预测区间", "目标 ≥ 30%", "目标年 2030"} <= set(labels)
    assert ax.get_xlim()[1] >= 2030 and ax.get_title(loc="left") == "村委会成员中女性比例"
    plt.close(ax.figure)
    fig, (left, right) = plt.subplots(1, 2)
    assert p.plot(ax=right, target=30) is right and not left.lines
    plt.close(fig)


def test_observations_with_counts_get_exact_intervals_on_the_plot():
    from womenstats.gender.intervals import poisson_rate

    years = np.arange(2018, 2025)
    deaths, births = np.array([1, 0, 2, 1, 0, 1, 1.0]), np.full(7, 3000.0)
    p = ws.trend.project(pd.DataFrame({"year": years, "value": 1e5 * deaths / births, "numerator": deaths,
                                       "denominator": births}), indicator="health.maternal_mortality")
    got = ws.trend.observation_intervals(p.years, p.values, p.numerators, p.denominators, p.per)
    want = poisson_rate(deaths, births, per=1e5)
    np.testing.assert_allclose(got["upper"], want["upper"], rtol=1e-12)
    ax = p.plot()
    assert "观测值的95%置信区间" in ax.get_legend_handles_labels()[1]
    import matplotlib.pyplot as plt

    plt.close(ax.figure)
