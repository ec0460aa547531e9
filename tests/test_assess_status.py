"""Statuses on hand-made series for every operator and every status."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from womenstats import trend
from womenstats.assess import STATUS_LABELS, STATUSES, assess_series, classify, gap_series, value_operator
from womenstats.assess.status import FINAL_LABELS, P_AT_RISK, P_ON_TRACK, P_REGRESSING, status_label

#: A percentage where higher is better, published to one decimal, 基本达标 within 0.5 points.
PCT = {"lower": 0.0, "upper": 100.0, "better": "higher", "per": None, "unit": "%", "near": 0.5, "band": None}
#: An unbounded level without a unit: compared exactly, no tolerance of 基本达标.
LEVEL = {"lower": None, "upper": None, "better": "higher", "per": None}
LOWER = {"lower": 0.0, "upper": None, "better": "lower", "per": None}
#: A neutral share with a declared two-sided band (a balance to keep, e.g. girls among pupils).
BAND = {"lower": 0.0, "upper": 100.0, "better": "neutral", "per": None, "unit": "%", "near": 0.5, "band": 1.0}


def series(values, last=2024, years=None):
    years = list(range(last - len(values) + 1, last + 1)) if years is None else years
    nan = [math.nan] * len(values)
    return pd.DataFrame({"year": years, "value": values, "numerator": nan, "denominator": nan})


def target(operator, value=math.nan, tolerance=math.nan, target_year=2030, kind=None):
    if kind is None:
        kind = "quantitative" if not math.isnan(value) else "directional"
    return {
        "kind": kind,
        "operator": operator,
        "value": value,
        "tolerance": tolerance,
        "target_year": target_year,
    }


def status(values, tgt, indicator=PCT, year=2025, **kw):
    return assess_series(series(values, **kw), tgt, indicator, year=year)


# ------------------------------------------------------------------ the rule itself


def test_labels_are_the_contract():
    assert STATUS_LABELS == {
        "achieved": "已达标",
        "nearly_achieved": "基本达标",
        "on_track": "预计可达标",
        "at_risk": "需加快进度",
        "off_track": "难以达标",
        "regressing": "倒退",
        "not_achieved": "未实现",
        "insufficient_data": "数据不足",
        "qualitative": "定性目标（需评估组判定）",
    }
    assert STATUSES[0] == "achieved"
    assert FINAL_LABELS == {"achieved": "已实现", "nearly_achieved": "基本实现", "not_achieved": "未实现",
                            "insufficient_data": "数据不足", "qualitative": "定性目标（需评估组判定）"}
    assert status_label("achieved", stage="midterm") == "提前实现"
    assert status_label("achieved", final=True, stage="midterm") == "已实现"
    assert status_label("nearly_achieved", stage="annual") == "基本达标"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"kind": "qualitative", "n_obs": 5, "met_now": True, "p_attain": 1.0, "p_worse": 0.0},
            "qualitative",
        ),
        (
            {"kind": "quantitative", "n_obs": 0, "met_now": False, "p_attain": math.nan, "p_worse": math.nan},
            "insufficient_data",
        ),
        ({"kind": "quantitative", "n_obs": 5, "met_now": True, "p_attain": 0.5, "p_worse": 0.95}, "achieved"),
        (
            # position first: met now stays achieved whatever the forecast (the warning says slipping)
            {"kind": "quantitative", "n_obs": 5, "met_now": True, "p_attain": 0.01, "p_worse": 0.99},
            "achieved",
        ),
        (
            {"kind": "quantitative", "n_obs": 5, "met_now": False, "nearly": True, "p_attain": 0.1,
             "p_worse": 0.99},
            "nearly_achieved",
        ),
        (
            {"kind": "quantitative", "n_obs": 5, "met_now": False, "nearly": True, "p_attain": 0.1,
             "p_worse": 0.99, "final": True},
            "nearly_achieved",
        ),
        (
            {"kind": "quantitative", "n_obs": 5, "met_now": False, "p_attain": 0.1, "p_worse": 0.9},
            "regressing",
        ),
        (
            {"kind": "quantitative", "n_obs": 5, "met_now": False, "p_attain": 0.1, "p_worse": 0.89},
            "off_track",
        ),
        ({"kind": "quantitative", "n_obs": 5, "met_now": False, "p_attain": 0.8, "p_worse": 0.0}, "on_track"),
        ({"kind": "quantitative", "n_obs": 5, "met_now": False, "p_attain": 0.79, "p_worse": 0.0}, "at_risk"),
        ({"kind": "quantitative", "n_obs": 5, "met_now": False, "p_attain": 0.5, "p_worse": 0.0}, "at_risk"),
        (
            {
                "kind": "quantitative",
                "n_obs": 5,
                "met_now": False,
                "p_attain": 0.99,
                "p_worse": 0.0,
                "final": True,
            },
            "not_achieved",
        ),
        (
            {
                "kind": "quantitative",
                "n_obs": 5,
                "met_now": True,
                "p_attain": 0.1,
                "p_worse": 0.0,
                "final": True,
            },
            "achieved",
        ),
        (
            {
                "kind": "quantitative",
                "n_obs": 5,
                "met_now": False,
                "p_attain": 0.1,
                "p_worse": 0.99,
                "regress_test": False,
            },
            "off_track",
        ),
        (
            {
                "kind": "quantitative",
                "n_obs": 5,
                "met_now": False,
                "p_attain": 0.9,
                "p_worse": 0.0,
                "regress_test": True,
            },
            "regressing",
        ),
        (
            {"kind": "quantitative", "n_obs": 1, "met_now": False, "p_attain": math.nan, "p_worse": math.nan},
            "insufficient_data",
        ),
        (
            {"kind": "quantitative", "n_obs": 1, "met_now": True, "p_attain": math.nan, "p_worse": math.nan},
            "achieved",
        ),
        (
            {
                "kind": "quantitative",
                "n_obs": 2,
                "met_now": False,
                "p_attain": math.nan,
                "p_worse": math.nan,
                "point_meets": True,
            },
            "on_track",
        ),
        (
            {
                "kind": "quantitative",
                "n_obs": 2,
                "met_now": False,
                "p_attain": math.nan,
                "p_worse": math.nan,
                "point_meets": False,
            },
            "at_risk",
        ),
    ],
)
def test_classify_branches(kwargs, expected):
    assert classify(**kwargs) == expected


def test_thresholds_are_the_documented_ones():
    assert (P_ON_TRACK, P_AT_RISK, P_REGRESSING) == (0.8, 0.5, 0.9)


def test_equals_at_a_bound_is_a_one_sided_comparison():
    assert value_operator("=", 100, "higher", 0, 100) == ">="
    assert value_operator("=", 0, "lower", 0, 100) == "<="
    assert value_operator("=", 50, "neutral", 0, 100, 1.0) == "≈"
    assert value_operator("maintain", 95, "higher", 0, 100) == ">="
    assert value_operator("maintain", 5, "lower", 0, 100) == "<="


def test_about_x_is_read_by_the_better_direction_unless_a_band_is_declared():
    assert value_operator("≈", 45, "higher", 0, 100) == ">="
    assert value_operator("≈", 10, "lower", 0, 100) == "<="
    assert value_operator("≈", 48.5, "neutral", 0, 100, 1.0) == "≈"
    assert value_operator("maintain", 48.5, "neutral", 0, 100, 1.0) == "≈"


# ------------------------------------------------------------------ >= (every status)


def test_ge_achieved():
    assert status([91, 91.5, 92, 92.4, 93], target(">=", 90))["status"] == "achieved"


def test_ge_on_track_and_p_attain_is_the_projection_probability():
    values = [80.1, 81.9, 84.2, 85.8, 88.1]
    out = status(values, target(">=", 90))
    assert out["status"] == "on_track" and out["p_attain"] >= 0.8
    assert out["warnings"] == ""


def test_ge_at_risk_from_the_logit_t_predictive():
    values = np.array([84, 87, 83, 88, 85, 89.0])
    out = status(values, target(">=", 90))
    assert out["model"] == "logit"
    years = np.arange(2019, 2025, dtype=float)
    z = np.log(values / (100 - values))
    fit = sm.OLS(z, sm.add_constant(years)).fit()
    frame = fit.get_prediction(np.array([[1.0, 2030.0]])).summary_frame(alpha=0.05)
    se = (frame["obs_ci_upper"].iloc[0] - frame["mean"].iloc[0]) / stats.t.ppf(0.975, 4)
    # P(the published value, to one decimal, reads 90.0 or more) = P(Y >= 89.95)
    expected = stats.t.sf((math.log(89.95 / 10.05) - frame["mean"].iloc[0]) / se, 4)
    assert out["p_attain"] == pytest.approx(expected, abs=1e-10)
    assert 0.5 <= expected < 0.8 and out["status"] == "at_risk"


def test_ge_off_track_regressing_and_final():
    assert status([70, 70.5, 71, 71.2, 71.8], target(">=", 90))["status"] == "off_track"
    assert status([85, 84, 83, 82.2, 81], target(">=", 90))["status"] == "regressing"
    final = status([85, 86, 87, 88, 89], target(">=", 90), year=2030, last=2030)
    assert final["status"] == "not_achieved" and final["final"] and final["status_label"] == "未实现"


def test_insufficient_data_and_qualitative():
    assert status([85.0], target(">=", 90))["status"] == "insufficient_data"
    assert status([95.0], target(">=", 90))["status"] == "achieved"
    assert status([], target(">=", 90))["status"] == "insufficient_data"
    out = assess_series(
        series([]),
        {
            "kind": "qualitative",
            "operator": "",
            "value": math.nan,
            "tolerance": math.nan,
            "target_year": 2030,
        },
        PCT,
        year=2025,
    )
    assert out["status"] == "qualitative" and out["status_label"] == "定性目标（需评估组判定）"


def test_two_points_status_from_the_growth_path():
    up = status([80.0, 86.0], target(">=", 90))
    assert up["model"] == "growth" and up["status"] == "on_track" and math.isnan(up["p_attain"])
    flat = status([80.0, 80.5], target(">=", 90))
    assert flat["status"] == "at_risk" and flat["warnings"] == "shortfall"


# ------------------------------------------------------------------ <=, ≈, =


def test_le_for_a_rate_where_lower_is_better():
    assert status([30, 27, 25, 22, 20], target("<=", 12), LOWER)["status"] in {"on_track", "at_risk"}
    assert status([11, 10.5, 10.2, 10, 9.8], target("<=", 12), LOWER)["status"] == "achieved"
    assert status([20, 22, 24, 26, 28], target("<=", 12), LOWER)["status"] == "regressing"


def test_approximately_within_a_declared_band():
    tgt = target("≈", 50, tolerance=1)
    assert status([49.8, 50.1, 50.2, 49.9, 50.0], tgt, BAND)["status"] == "achieved"
    out = status([50.2, 50.9, 51.6, 52.4, 53.0], tgt, BAND)
    assert out["status"] == "regressing"  # moving up and away from 50 on a two-sided band
    # rising 1.4 a year: by 2030 it overshoots 51, a miss
    assert status([42.0, 43.5, 44.9, 46.1, 47.5], tgt, BAND)["status"] == "off_track"
    # within the band now: met, whatever the trend (position first)
    assert status([44.0, 45.5, 46.9, 48.1, 49.5], tgt, BAND)["status"] == "achieved"
    soon = target("≈", 50, tolerance=1, target_year=2026)
    assert status([45.0, 45.7, 46.5, 47.1, 47.8], soon, BAND)["status"] == "on_track"


def test_approximately_where_more_is_better_is_never_a_shortfall_beyond_it():
    tgt = target("≈", 50, tolerance=1)
    far = status([50.2, 50.9, 51.6, 52.4, 53.0], tgt, PCT)
    assert far["status"] == "achieved" and (far["comparison"], far["target_level"]) == (">=", 49.0)
    assert status([47.0, 47.5, 48.0, 48.6, 49.0], tgt, PCT)["status"] == "achieved"  # 49 = 50 − 1
    assert status([46.0, 46.5, 47.0, 47.8, 48.6], tgt, PCT)["status"] == "nearly_achieved"


def test_equals_at_the_upper_bound():
    tgt = target("=", 100)
    assert status([99.5, 99.8, 100, 100, 100], tgt)["status"] == "achieved"
    assert status([90, 91, 92, 93, 94], tgt)["status"] in {"off_track", "at_risk", "on_track"}
    assert status([99, 98, 97, 96, 95], tgt)["status"] == "regressing"


# ------------------------------------------------------------------ directional


def test_increase_from_the_slope_t_test():
    values = np.array([50.1, 51.0, 51.8, 52.9, 53.6])
    out = status(values, target("increase"))
    fit = sm.OLS(np.log(values / (100 - values)), sm.add_constant(np.arange(2020, 2025.0))).fit()
    if out["model"] == "linear":
        fit = sm.OLS(values, sm.add_constant(np.arange(2020, 2025.0))).fit()
    assert out["p_attain"] == pytest.approx(stats.t.cdf(fit.params[1] / fit.bse[1], 3), abs=1e-10)
    assert out["status"] == "achieved"
    assert status([53.6, 52.9, 51.8, 51.0, 50.1], target("increase"))["status"] == "regressing"
    # the position decides: above the baseline (2020) now is met, below it is not
    assert status([50, 52, 49, 51, 50.5], target("increase"))["status"] == "achieved"
    noisy = status([50, 52, 49, 51, 49.8], target("increase"))
    assert noisy["status"] in {"at_risk", "off_track"}
    # no better than the baseline at the published precision (one decimal): not met
    assert status([50, 50.2, 50.1, 49.9, 50.04], target("increase"))["status"] != "achieved"
    # 提高 at the upper bound is met
    assert status([100.0, 100.0, 100.0, 100.0, 100.0], target("increase"))["status"] == "achieved"


def test_decrease_mirrors_increase():
    assert status([53.6, 52.9, 51.8, 51.0, 50.1], target("decrease"))["status"] == "achieved"
    assert status([50.1, 51.0, 51.8, 52.9, 53.6], target("decrease"))["status"] == "regressing"


def test_maintain_reads_the_position_and_warns_of_a_slide():
    tgt = target("maintain", 95)
    held = status([96, 96.2, 96.1, 96.3, 96.2], tgt)
    assert held["status"] == "achieved" and held["warnings"] == ""
    sliding = status([99.5, 98.6, 97.8, 96.9, 96.0], tgt)
    assert sliding["status"] == "achieved" and "slipping" in sliding["warnings"].split(";")
    assert "已达标但有回落" in sliding["warning_text"]
    lost = status([96, 96.5, 96.2, 95.8, 93.9], tgt)
    assert lost["status"] != "achieved"


def test_maintain_without_a_value_keeps_the_baseline():
    tgt = target("maintain")
    assert (
        assess_series(series([40, 40.5, 41, 41.2, 41.6]), tgt, PCT, year=2025, baseline_year=2020)["status"]
        == "achieved"
    )


def _obs(rows):
    base = {"region_code": "440783", "indicator_id": "x.gap", "age_group": "all"}
    return pd.DataFrame([{**base, **row} for row in rows])


def test_narrow_on_the_female_male_gap():
    years = range(2020, 2025)
    shrinking = _obs(
        [{"year": y, "sex": "female", "residence": "all", "value": 60 + i} for i, y in enumerate(years)]
        + [{"year": y, "sex": "male", "residence": "all", "value": 70 - 0.2 * i} for i, y in enumerate(years)]
    )
    gap, kind = gap_series(
        shrinking,
        indicator_id="x.gap",
        region_code="440783",
        sex="total",
        residence="all",
        age_group="all",
        year=2025,
    )
    # higher is better: male − female, positive while women are behind
    assert kind == "sex" and gap["value"].round(6).tolist() == [10.0, 8.8, 7.6, 6.4, 5.2]
    out = assess_series(gap, target("narrow"), PCT, year=2025)
    assert out["status"] == "achieved"
    widening = gap.assign(value=gap["value"].to_numpy()[::-1])
    assert assess_series(widening, target("narrow"), PCT, year=2025)["status"] == "regressing"


def test_narrow_on_urban_rural_when_the_sentence_says_so():
    rows = [
        {"year": 2024, "sex": "female", "residence": r, "value": v}
        for r, v in (("urban", 10.0), ("rural", 25.0), ("all", 20.0))
    ]
    rows += [{"year": 2024, "sex": "male", "residence": "all", "value": 18.0}]
    gap, kind = gap_series(
        _obs(rows),
        indicator_id="x.gap",
        region_code="440783",
        sex="female",
        residence="all",
        age_group="all",
        year=2025,
        sentence="城乡差距逐步缩小",
        better="lower",
    )
    # lower is better (a death rate): rural − urban, positive while rural areas are behind
    assert kind == "residence" and gap["value"].tolist() == [15.0]
    gap, kind = gap_series(
        _obs(rows),
        indicator_id="x.gap",
        region_code="440783",
        sex="female",
        residence="all",
        age_group="all",
        year=2025,
        better="lower",
    )
    assert kind == "sex" and gap["value"].tolist() == [2.0]
    higher, _ = gap_series(_obs(rows), indicator_id="x.gap", region_code="440783", sex="female",
                           residence="all", age_group="all", year=2025, sentence="城乡", better="higher")
    assert higher["value"].tolist() == [-15.0]  # urban − rural: negative, rural ahead


def test_after_the_target_year_a_final_verdict_on_recent_data():
    rising = [80.1, 81.9, 84.2, 85.8, 88.1]
    lagging = status(rising, target(">=", 90, target_year=2030), year=2031, last=2029)
    p = trend.project(range(2025, 2030), rising, bounds=(0, 100)).prob(">=", 89.95, 2030)
    assert lagging["p_attain"] == pytest.approx(p)
    assert lagging["final"] and lagging["status"] == "not_achieved"  # 2029 data: within the lag
    observed = status([*rising, 89.6], target(">=", 90, target_year=2030), year=2031, last=2030)
    assert observed["status"] == "nearly_achieved" and observed["status_label"] == "基本实现"
    old = status(rising, target(">=", 90, target_year=2030), year=2031, last=2026)
    assert old["status"] == "insufficient_data" and "最新数据为2026年" in old["warning_text"]


def test_a_direction_needs_two_values():
    out = status([50.0], target("increase"))
    assert out["status"] == "insufficient_data" and out["last_year"] == 2024 and out["n_obs"] == 1


def test_target_projection_is_the_projection_assess_series_uses():
    from womenstats.assess import target_projection

    data = series([80.1, 81.9, 84.2, 85.8, 88.1])
    proj = target_projection(data, ">=", PCT)
    out = assess_series(data, target(">=", 90), PCT, year=2025)
    assert out["model"] == proj.model and out["p_attain"] == proj.prob(">=", 89.95, 2030)
    gap = target_projection(data, "narrow", PCT)
    assert gap.bounds[0] == 0.0 and math.isnan(gap.bounds[1])


def test_years_after_the_assessment_year_are_ignored():
    data = series([80.1, 81.9, 84.2, 85.8, 88.1, 20.0], last=2025)
    out = assess_series(data, target(">=", 90), PCT, year=2024)
    assert out["last_year"] == 2024 and out["n_obs"] == 5 and out["status"] == "on_track"
