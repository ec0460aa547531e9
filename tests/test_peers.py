"""The peers' methods on worked cases derived by hand from their published definitions.

open-sdg: sdg-build ``ProgressMeasure.py`` and open-sdg ``docs/progress-methodology.md`` (see
docs/peers.md). ESCAP: the time-weighted regression and gap ratio of the Asia-Pacific SDG Progress
Report technical notes. Expected values are computed by hand (shown in comments) or by another route
(logs and exponentials, numpy's weighted polyfit), never by the code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from womenstats.assess import escap, open_sdg
from womenstats.assess.peers import VERDICT_COLUMNS, peer_frame, peer_verdict
from womenstats.errors import InputError

# ---------------------------------------------------------------------------------------------------
# open-sdg


def test_worked_case_with_target():
    # 20 -> 16 from 2015 to 2020, target <= 10 by 2030.
    # CAGR_obs = 0.8**(1/5) - 1 = -0.043648; CAGR_req = 0.5**(1/15) - 1 = -0.045158;
    # R = -1 * -0.043648 / 0.045158 = 0.96654 -> substantial; score = 7.1429 R - 4.2857 = 2.6182
    # (sdg-build's rounded form of 5 (R - 0.6) / 0.7).
    v = peer_verdict("open-sdg", [2015, 2016, 2018, 2020], [20.0, 19.0, 17.5, 16.0], operator="<=",
                     target_value=10.0, base_year=2015, target_year=2030)
    r = (1 - math.exp(math.log(0.8) / 5)) / (1 - math.exp(math.log(0.5) / 15))
    assert v.value == pytest.approx(r, rel=1e-12)
    assert v.value == pytest.approx(0.96654, abs=1e-5)
    assert v.status == "substantial_progress" and v.label == "进展显著，按期可达"
    assert v.score == pytest.approx(7.1429 * r - 4.2857, rel=1e-12)
    assert v.score == pytest.approx(5 * (r - 0.6) / 0.7, abs=1e-4)
    assert v.score == pytest.approx(2.6182, abs=1e-4)
    assert (v.base_year, v.base_value, v.current_year, v.current_value) == (2015, 20.0, 2020, 16.0)


def test_worked_case_moderate_and_limited():
    # 10 -> 8 over 5 years against <= 4 by 2030: CAGR_req = 0.4**(1/15) - 1 = -0.059258,
    # R = 0.043648 / 0.059258 = 0.73657 -> moderate, score = 5 * 0.13657 / 0.7 = 0.9755.
    v = peer_verdict("open-sdg", [2015, 2020], [10.0, 8.0], operator="<=", target_value=4.0)
    assert v.value == pytest.approx(0.73657, abs=1e-5)
    assert v.status == "moderate_progress"
    assert v.score == pytest.approx(0.9755, abs=1e-4)
    # 10 -> 9.5 over 5 years against <= 4: R = (1 - 0.95**0.2) / 0.059258 = 0.17223 -> limited;
    # score = 5 (0.17223 - 0.6) / 1.2 = -1.7824.
    v = peer_verdict("open-sdg", [2015, 2020], [10.0, 9.5], operator="<=", target_value=4.0)
    assert v.value == pytest.approx(0.17223, abs=1e-5)
    assert v.status == "limited_progress" and v.score == pytest.approx(-1.7824, abs=1e-4)


def test_deterioration_positive_direction():
    # >= 60 by 2030 from 50 in 2015; fell to 45 by 2020: CAGR_obs = 0.9**0.2 - 1 = -0.020852,
    # CAGR_req = 1.2**(1/15) - 1 = 0.012229, R = -1.7051 -> deterioration, score clipped to -5.
    v = peer_verdict("open-sdg", [2015, 2020], [50.0, 45.0], operator=">=", target_value=60.0)
    assert v.value == pytest.approx(-1.7051, abs=1e-4)
    assert v.status == "deterioration" and v.score == -5.0


def test_target_achieved_scores_five_whatever_the_trend():
    v = peer_verdict("open-sdg", [2015, 2020], [30.0, 9.0], operator="<=", target_value=10.0)
    assert v.status == "target_achieved" and v.score == 5.0
    # the progress value is still computed, as sdg-build does: 0.3**0.2 - 1 over (1/3)**(1/15) - 1
    assert v.value == pytest.approx((1 - 0.3 ** 0.2) / (1 - (1 / 3) ** (1 / 15)), rel=1e-12)
    # one usable year (base = current year) and the target met: achieved (sdg-build 2.4)
    v = peer_verdict("open-sdg", [2016, 2020], [12.0, 9.0], operator="<=", target_value=10.0,
                     base_year=2020)
    assert (v.status, v.score) == ("target_achieved", 5.0) and math.isnan(v.value)
    v = peer_verdict("open-sdg", [2015, 2020], [95.0, 96.0], operator=">=", target_value=96.0)
    assert v.status == "target_achieved"


def test_direction_only_methodology_one():
    # increase, 50 -> 52 from 2015 to 2019: CAGR = 1.04**(1/4) - 1 = 0.0098534 -> moderate
    # (0.005 <= CAGR < 0.015); score on the segment (0.005, 0) - (0.015, 2.5): 1.2134.
    v = peer_verdict("open-sdg", [2015, 2017, 2019], [50.0, 51.0, 52.0], operator="increase",
                     target_value=None)
    assert v.value == pytest.approx(math.exp(math.log(1.04) / 4) - 1, rel=1e-12)
    assert v.status == "moderate_progress"
    assert v.score == pytest.approx(2.5 * (v.value - 0.005) / 0.01, rel=1e-12)
    assert v.score == pytest.approx(1.21335, abs=1e-5)
    # decrease, 50 -> 52: the signed CAGR is -0.0098534: deterioration, score -2.5 - 2.5*0.49267.
    v = peer_verdict("open-sdg", [2015, 2019], [50.0, 52.0], operator="decrease", target_value=None)
    assert v.status == "deterioration" and v.score == pytest.approx(-3.7317, abs=1e-4)
    # a ">=" target without a value is direction-only as well.
    assert peer_verdict("open-sdg", [2015, 2019], [50.0, 52.0], operator=">=",
                        target_value=math.nan).status == "moderate_progress"


def test_base_year_choice():
    # 2015 not observed: the first observed year after it (2016) is the base.
    v = peer_verdict("open-sdg", [2013, 2016, 2019], [5.0, 10.0, 11.0], operator="increase",
                     target_value=None, base_year=2015)
    assert (v.base_year, v.base_value) == (2016, 10.0)
    # base year before the data: the first year.
    v = peer_verdict("open-sdg", [2018, 2020], [10.0, 11.0], operator="increase", target_value=None)
    assert v.base_year == 2018
    # base year after the latest observation, or one usable year only: no measure.
    for years in ([2010, 2014], [2012, 2015]):
        v = peer_verdict("open-sdg", years, [10.0, 11.0], operator="increase", target_value=None)
        assert v.status == "not_available" and v.label == "无法评估"
    assert peer_verdict("open-sdg", [], [], operator="<=", target_value=1.0).status == "not_available"
    # missing values are dropped before the choice.
    v = peer_verdict("open-sdg", [2015, 2016, 2020, 2021], [np.nan, 10.0, 12.0, np.nan],
                     operator="increase", target_value=None)
    assert (v.base_year, v.current_year) == (2016, 2020)


def test_defaults_are_open_sdg_defaults():
    assert open_sdg.DEFAULT_BASE_YEAR == 2015 and open_sdg.DEFAULT_TARGET_YEAR == 2030
    assert open_sdg.DEFAULT_DIRECTION == "negative"
    inputs = open_sdg.choose_years([2015, 2020], [10.0, 8.0])
    status, value, _ = open_sdg.progress(inputs)  # direction negative, no target
    assert value == pytest.approx(-(0.8 ** 0.2 - 1)) and status == "substantial_progress"


def test_target_equal_to_the_base_value_requires_no_growth():
    # CAGR_req = 0: R = s d CAGR_obs / 0 is +inf (moving towards, score 5) or -inf (away, -5).
    v = peer_verdict("open-sdg", [2015, 2020], [10.0, 11.0], operator="<=", target_value=10.0)
    assert v.value == -math.inf and (v.status, v.score) == ("deterioration", -5.0)
    v = peer_verdict("open-sdg", [2015, 2020], [10.0, 11.0], operator=">=", target_value=10.0)
    assert v.status == "target_achieved"
    v = peer_verdict("open-sdg", [2015, 2020], [10.0, 9.0], operator=">=", target_value=10.0)
    assert v.value == -math.inf and v.status == "deterioration"
    v = peer_verdict("open-sdg", [2015, 2020], [10.0, 9.5], operator="≈", target_value=10.0)
    assert v.value == -math.inf  # ≈ 10 from 10: direction positive (towards the target from the base)


def test_duplicated_years_are_refused():
    with pytest.raises(InputError, match="2016 年有多个数值") as err:
        peer_verdict("open-sdg", [2015, 2016, 2016], [1.0, 2.0, 3.0], operator="increase", target_value=None)
    assert err.value.code == "E_DUPLICATE_OBSERVATION"
    with pytest.raises(InputError, match="2016 年有多个数值"):
        peer_verdict("escap", [2015, 2016, 2016], [1.0, 2.0, 3.0], operator="<=", target_value=1.0)
    # a missing value does not count as an observation
    assert peer_verdict("open-sdg", [2015, 2016, 2016], [1.0, 2.0, np.nan], operator="increase",
                        target_value=None).current_year == 2016


def test_zero_target_and_zero_base_are_replaced():
    # target 0 -> 0.001: CAGR_req = (0.001 / 10)**(1/15) - 1 = -0.45884; 10 -> 5 in 5 years:
    # CAGR_obs = -0.12945; R = 0.28213.
    v = peer_verdict("open-sdg", [2015, 2020], [10.0, 5.0], operator="<=", target_value=0.0)
    assert v.value == pytest.approx((1 - 0.5 ** 0.2) / (1 - 1e-4 ** (1 / 15)), rel=1e-12)
    assert v.value == pytest.approx(0.28213, abs=1e-5)
    # base 0 -> 0.001: 0.001 -> 1 in 3 years is CAGR 9 (= 1000**(1/3) - 1).
    v = peer_verdict("open-sdg", [2015, 2018], [0.0, 1.0], operator="increase", target_value=None)
    assert v.value == pytest.approx(9.0) and v.score == 5.0


def test_negative_values_flip_the_direction():
    # -10 -> -8: the value rose; with direction positive the sign flip makes it -CAGR = +0.043648.
    v = peer_verdict("open-sdg", [2015, 2020], [-10.0, -8.0], operator="increase", target_value=None)
    assert v.value == pytest.approx(1 - 0.8 ** 0.2)
    # mixed signs: no measure.
    v = peer_verdict("open-sdg", [2015, 2020], [-1.0, 2.0], operator="increase", target_value=None)
    assert v.status == "not_available"


@pytest.mark.parametrize(("value", "has_target", "status"), [
    (0.95, True, "substantial_progress"), (0.95 - 1e-12, True, "moderate_progress"),
    (0.6, True, "moderate_progress"), (0.6 - 1e-12, True, "limited_progress"),
    (0.0, True, "limited_progress"), (-1e-12, True, "deterioration"),
    (0.015, False, "substantial_progress"), (0.015 - 1e-12, False, "moderate_progress"),
    (0.005, False, "moderate_progress"), (0.005 - 1e-12, False, "limited_progress"),
    (0.0, False, "limited_progress"), (-1e-12, False, "deterioration"),
    (None, True, "target_achieved"), (math.nan, True, "not_available"),
])
def test_status_boundaries(value, has_target, status):
    assert open_sdg.status_of(value, has_target=has_target) == status


@pytest.mark.parametrize(("value", "has_target", "score"), [
    # with a target, sdg-build's rounded lines: 7.1429 R - 4.2857 and 4.1667 R - 2.5
    (-1.0, True, -5.0), (-0.6, True, -5.0), (0.0, True, -2.5), (0.6, True, 0.00004),
    (0.95, True, 2.500055), (1.3, True, 5.0), (3.0, True, 5.0), (0.3, True, -1.24999), (1.0, True, 2.8572),
    (-0.05, False, -5.0), (-0.02, False, -5.0), (-0.01, False, -3.75), (0.0, False, -2.5),
    (0.005, False, 0.0), (0.01, False, 1.25), (0.015, False, 2.5), (0.0175, False, 3.75),
    (0.02, False, 5.0), (0.1, False, 5.0), (None, False, 5.0),
])
def test_score_breakpoints(value, has_target, score):
    assert open_sdg.score_of(value, has_target=has_target) == pytest.approx(score, abs=1e-9)


def test_score_status_quarters_agree():
    # Each status owns a quarter of the score range: status_from_score(score_of(x)) == status_of(x).
    edges = [*open_sdg.THRESHOLDS_TARGET, *open_sdg.THRESHOLDS_DIRECTION]
    for x in np.linspace(-1, 2, 301):
        for has_target in (True, False):
            v = x if has_target else x / 50
            if min(abs(v - e) for e in edges) < 1e-9:  # exactly on a threshold: rounding decides
                continue
            assert open_sdg.status_from_score(open_sdg.score_of(v, has_target=has_target)) == \
                open_sdg.status_of(v, has_target=has_target)
    assert open_sdg.status_from_score(5.0, all_achieved=True) == "target_achieved"
    assert open_sdg.status_from_score(np.mean([5.0, -1.0])) == "moderate_progress"


@pytest.mark.parametrize(("ratio", "status"), [
    (0.95 + 1e-6, "substantial_progress"), (0.95 - 1e-6, "moderate_progress"),
    (0.6 + 1e-6, "moderate_progress"), (0.6 - 1e-6, "limited_progress"),
    (1e-6, "limited_progress"), (-1e-6, "deterioration"),
])
def test_end_to_end_boundaries(ratio, status):
    # Required CAGR -3%: target 100 * 0.97**15 by 2030; observed CAGR -0.03 * ratio over 5 years.
    target = 100 * 0.97 ** 15
    current = 100 * (1 - 0.03 * ratio) ** 5
    v = peer_verdict("open-sdg", [2015, 2020], [100.0, current], operator="<=", target_value=target)
    assert v.value == pytest.approx(ratio, abs=1e-9)
    assert v.status == status


def test_maintain_and_approximately_equal():
    # maintain >= 90 (higher better) is a target with direction positive; 95 already meets it.
    assert peer_verdict("open-sdg", [2015, 2020], [92.0, 95.0], operator="maintain", target_value=90.0,
                        better="higher").status == "target_achieved"
    # ≈ 1.0 from 1.2: direction negative towards the target.
    v = peer_verdict("open-sdg", [2015, 2020], [1.2, 1.1], operator="≈", target_value=1.0)
    assert v.status in open_sdg.STATUSES and not math.isnan(v.value) and v.value > 0
    assert peer_verdict("open-sdg", [2015, 2020], [1.0, 2.0], operator=None,
                        target_value=None).status == "not_available"


# ---------------------------------------------------------------------------------------------------
# ESCAP


SERIES = ([2015, 2016, 2017, 2018], [10.0, 9.0, 8.5, 8.0])


def test_weighted_trend_worked_case():
    # Weights 1..4, t centred at 2018 (-3..0): sums w=10, wt=-10, wy=85.5, wtt=20, wty=-91.5;
    # slope = (10 * -91.5 + 10 * 85.5) / (10 * 20 - 100) = -0.6; intercept = (85.5 - 6) / 10 = 7.95;
    # value in 2025 = 7.95 - 0.6 * 7 = 3.75.
    assert escap.weighted_trend(*SERIES, 2025) == pytest.approx(3.75, abs=1e-12)
    # the same line by numpy's weighted polyfit (weights on residuals are sqrt(w)).
    t = np.array(SERIES[0], dtype=float)
    coef = np.polyfit(t, SERIES[1], 1, w=np.sqrt(t - t.min() + 1))
    assert escap.weighted_trend(*SERIES, 2030) == pytest.approx(np.polyval(coef, 2030), rel=1e-10)


@pytest.mark.parametrize(("target", "gap", "status"), [
    # gap = d (y* - ŷ) / (d (y* - y0)), d = -1, y0 = 10, ŷ = 3.75
    (5.0, -1.25 / 5, "on_track"),            # (-1)(5 - 3.75) / 5
    (2.0, 1.75 / 8, "acceleration_needed"),  # (-1)(2 - 3.75) / 8
    (3.75, 0.0, "on_track"),                 # exactly met
])
def test_escap_gap_and_status(target, gap, status):
    v = peer_verdict("escap", *SERIES, operator="<=", target_value=target, base_year=2015,
                     target_year=2025)
    assert v.anticipated == pytest.approx(3.75)
    assert v.value == pytest.approx(gap, abs=1e-12)
    assert v.status == status
    assert v.name == escap.STATUSES[status][1] and v.label == escap.STATUSES[status][0]
    assert math.isnan(v.score)


def test_escap_regression_and_stagnation():
    # rising 10 -> 11.5 against <= 5 by 2025: ŷ = 15, gap = (-1)(5 - 15) / 5 = 2 -> regression.
    v = peer_verdict("escap", [2015, 2016, 2017, 2018], [10.0, 10.5, 11.0, 11.5], operator="<=",
                     target_value=5.0, base_year=2015, target_year=2025)
    assert v.anticipated == pytest.approx(15.0) and v.value == pytest.approx(2.0)
    assert v.status == "regression"
    # flat: ŷ = y0, gap exactly 1 -> acceleration needed (no progress yet, not moving away).
    v = peer_verdict("escap", [2015, 2016, 2017], [10.0, 10.0, 10.0], operator="<=", target_value=5.0,
                     base_year=2015, target_year=2025)
    assert v.value == pytest.approx(1.0) and v.status == "acceleration_needed"


def test_escap_base_already_meets_target():
    # base 4 meets <= 5; the line 4, 4.5, 5 reaches 9 in 2025: moving away -> regression.
    v = peer_verdict("escap", [2015, 2016, 2017], [4.0, 4.5, 5.0], operator="<=", target_value=5.0,
                     base_year=2015, target_year=2025)
    assert math.isnan(v.value) and v.anticipated == pytest.approx(9.0) and v.status == "regression"
    v = peer_verdict("escap", [2015, 2016, 2017], [4.0, 3.5, 3.0], operator="<=", target_value=5.0,
                     base_year=2015, target_year=2025)
    assert v.status == "on_track"


def test_escap_cagr_projection_worked_case():
    # 10 (2015) -> 8 (2020); continuing CAGR 0.8**0.2 for 10 more years gives 8 * 0.8**2 = 5.12;
    # gap against <= 5: (-1)(5 - 5.12) / 5 = 0.024.
    a = escap.anticipate([2015, 2020], [10.0, 8.0], target=5.0, direction=-1, base_year=2015,
                         target_year=2030, projection="cagr")
    assert a.anticipated == pytest.approx(5.12) and a.gap == pytest.approx(0.024)
    assert escap.status_of(a, target=5.0, direction=-1) == "acceleration_needed"


def test_escap_insufficient_and_no_target():
    assert peer_verdict("escap", [2020], [1.0], operator=">=", target_value=2.0).status == \
        "insufficient_data"
    assert peer_verdict("escap", [2010, 2012], [1.0, 2.0], operator=">=", target_value=3.0,
                        base_year=2015).status == "insufficient_data"
    assert peer_verdict("escap", [2015, 2020], [1.0, 2.0], operator="increase",
                        target_value=None).status == "no_target"


def test_two_points_weighted_line_passes_through_both():
    # With two points any weights give the line through them: 10 (2015), 8 (2020) -> 2 in 2030.
    assert escap.weighted_trend([2015, 2020], [10.0, 8.0], 2030) == pytest.approx(4.0)


# ---------------------------------------------------------------------------------------------------
# the vectorised path equals the one-series path


OPERATORS = [("<=", "lower"), (">=", "higher"), ("increase", "higher"), ("decrease", "lower"),
             ("maintain", "higher"), ("≈", "neutral"), ("narrow", "lower"), ("", "neutral")]


def _random_case(rng, n_series=400):
    rows, targets = [], []
    for i in range(n_series):
        start = int(rng.integers(2008, 2022))
        years = np.arange(start, start + int(rng.integers(1, 12)))
        years = years[rng.random(years.size) > 0.2]  # gaps
        level = rng.uniform(1, 100)
        values = level * np.exp(rng.normal(rng.normal(0, 0.05), 0.05, years.size).cumsum())
        if values.size and rng.random() < 0.05:
            values[rng.integers(values.size)] = np.nan
        rows += [{"series": i, "year": int(y), "value": float(v)}
                 for y, v in zip(years, values, strict=True)]
        op, better = OPERATORS[int(rng.integers(len(OPERATORS)))]
        value = float(level * rng.uniform(0.5, 1.5)) if rng.random() < 0.8 else math.nan
        targets.append({"series": i, "operator": op, "target_value": value, "better": better,
                        "base_year": int(rng.integers(2012, 2022)), "target_year": 2030})
    return pd.DataFrame(rows, columns=["series", "year", "value"]), pd.DataFrame(targets)


@pytest.mark.parametrize("method", ["open-sdg", "escap"])
def test_frame_equals_series(method):
    obs, targets = _random_case(np.random.default_rng(7))
    frame = peer_frame(method, obs, targets, keys=["series"])
    assert list(frame.columns) == [*targets.columns, *VERDICT_COLUMNS]
    assert len(frame) == len(targets)
    seen = set()
    for row in frame.itertuples(index=False):
        part = obs[obs["series"] == row.series]
        v = peer_verdict(method, part["year"], part["value"], operator=row.operator or None,
                         target_value=row.target_value, better=row.better, base_year=row.base_year,
                         target_year=row.target_year)
        seen.add(v.status)
        assert row.status == v.status, row
        assert row.status_label == v.label
        for col in ("value", "score", "base_value", "current_value", "anticipated"):
            a, b = getattr(row, col), getattr(v, col)
            assert (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-9, abs=1e-12), col
        for col, attr in (("base_year_used", "base_year"), ("current_year", "current_year")):
            a, b = getattr(row, col), getattr(v, attr)
            assert (pd.isna(a) and b is None) or a == b, col
    assert len(seen) >= 4  # the random case reaches most statuses


def test_frame_rejects_unknown_method():
    with pytest.raises(ValueError, match="method"):
        peer_frame("sdsn", pd.DataFrame(columns=["k", "year", "value"]), pd.DataFrame(), keys=["k"])


# ---------------------------------------------------------------------------------------------------
# the adapters registered as assess_plan(method="open-sdg" / "escap")


def test_registry_adapters():
    from womenstats.assess import RESULT_KEYS, methods
    from womenstats.assess.peers import assess_escap, assess_open_sdg

    assert methods.get("open-sdg") is assess_open_sdg and methods.get("escap") is assess_escap
    series = pd.DataFrame({"year": [2019, 2020, 2021, 2022], "value": [20.0, 19.0, 18.0, 16.5],
                           "numerator": np.nan, "denominator": np.nan})
    target = {"kind": "quantitative", "operator": "<=", "value": 10.0, "tolerance": np.nan,
              "target_year": 2030}
    indicator = {"lower": 0.0, "upper": 100000.0, "better": "lower", "per": 100000.0}
    out = assess_open_sdg(series, target, indicator, year=2022, baseline_year=2020)
    assert set(RESULT_KEYS) <= set(out)
    v = peer_verdict("open-sdg", [2020, 2022], [19.0, 16.5], operator="<=", target_value=10.0,
                     base_year=2020, target_year=2030)
    assert (out["status"], out["status_label"], out["model"]) == (v.status, v.label, "open-sdg")
    assert out["peer_value"] == pytest.approx(v.value) and out["peer_score"] == pytest.approx(v.score)
    assert (out["n_obs"], out["last_year"], out["last_value"]) == (4, 2022, 16.5)
    out = assess_escap(series, target, indicator, year=2022, baseline_year=2020)
    assert out["proj_value"] == pytest.approx(escap.weighted_trend(series["year"], series["value"], 2030))
    assert out["status"] in escap.STATUSES and math.isnan(out["p_attain"])
    # years after the assessment year are left out: assessed in 2021, the latest value is 2021's
    early = assess_open_sdg(series, target, indicator, year=2021, baseline_year=2020)
    assert (early["n_obs"], early["last_year"], early["last_value"]) == (3, 2021, 18.0)
    qualitative = {"kind": "qualitative", "operator": "", "value": np.nan, "target_year": 2030}
    assert assess_open_sdg(series, qualitative, indicator, year=2022)["status"] == "not_available"
    assert assess_escap(series.iloc[:0], qualitative, indicator, year=2022)["status"] == "no_target"
