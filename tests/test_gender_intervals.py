"""Intervals of proportions and rates, checked against published tables, statsmodels and scipy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint
from statsmodels.stats.rates import confint_poisson, confint_poisson_2indep

from womenstats.errors import InputError
from womenstats.gender import intervals as iv
from womenstats.gender import pooling
from womenstats.gender.result import RESULT_COLUMNS, Estimate

# Newcombe (1998a), Statistics in Medicine 17, 857-872, Table II: method 3 (Wilson) and 5 (exact).
NEWCOMBE_SINGLE = [
    # x, n, wilson (lo, hi), clopper-pearson (lo, hi) or None
    (81, 263, (0.2553, 0.3662), None),
    (15, 148, (0.0624, 0.1605), (0.0578, 0.1617)),
    (0, 20, (0.0000, 0.1611), (0.0000, 0.1684)),
    (1, 29, (0.0061, 0.1718), (0.0009, 0.1776)),
]

# Newcombe (1998b), Statistics in Medicine 17, 873-890, Table II, method 10 (hybrid score).
NEWCOMBE_DIFF = [
    ((56, 70, 48, 80), (0.0524, 0.3339)),
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((6, 7, 2, 7), (0.0582, 0.8062)),
    ((5, 56, 0, 29), (-0.0381, 0.1926)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((0, 10, 0, 10), (-0.2775, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0000)),
    ((10, 10, 0, 10), (0.6075, 1.0000)),
]

# Exact Poisson limits of a count (Garwood 1936; e.g. Ulm 1990, Table 1; Sahai & Khurshid 1993).
GARWOOD = [(0, 0.0, 3.689), (1, 0.0253, 5.572), (5, 1.6235, 11.668), (10, 4.7954, 18.390)]


@pytest.mark.parametrize(("x", "n", "wilson", "exact"), NEWCOMBE_SINGLE)
def test_single_proportion_matches_newcombe_table(x, n, wilson, exact):
    w = iv.proportion(x, n, method="wilson")
    assert (round(w.lower, 4), round(w.upper, 4)) == wilson
    if exact is not None:
        c = iv.proportion(x, n, method="clopper-pearson")
        assert (round(c.lower, 4), round(c.upper, 4)) == exact


@pytest.mark.parametrize(("counts", "expected"), NEWCOMBE_DIFF)
def test_difference_matches_newcombe_method_10(counts, expected):
    d = iv.proportion_difference(*counts, per=1)
    assert (round(d.lower, 4), round(d.upper, 4)) == expected
    assert d.value == pytest.approx(counts[0] / counts[1] - counts[2] / counts[3])


@pytest.mark.parametrize(("k", "lo", "hi"), GARWOOD)
def test_garwood_matches_published_limits(k, lo, hi):
    r = iv.poisson_rate(k, 1)
    assert r.lower == pytest.approx(lo, abs=6e-4)
    assert r.upper == pytest.approx(hi, abs=6e-4)


GRID_N = np.array([1, 2, 3, 5, 7, 10, 20, 29, 50, 148, 263, 1000, 25000])


def _grid():
    xs, ns = [], []
    for n in GRID_N:
        for x in sorted({0, 1, 2, n // 3, n // 2, n - 1, n}):
            if 0 <= x <= n:
                xs.append(x)
                ns.append(n)
    return np.array(xs, dtype=float), np.array(ns, dtype=float)


@pytest.mark.parametrize(("ours", "theirs"), [("wilson", "wilson"), ("clopper-pearson", "beta")])
@pytest.mark.parametrize("alpha", [0.05, 0.1, 0.01])
def test_proportion_matches_statsmodels_on_a_grid(ours, theirs, alpha):
    x, n = _grid()
    got = iv.proportion(pd.Series(x), pd.Series(n), method=ours, alpha=alpha)
    lo, hi = proportion_confint(x, n, alpha=alpha, method=theirs)
    np.testing.assert_allclose(got["lower"], lo, atol=1e-12)
    np.testing.assert_allclose(got["upper"], hi, atol=1e-12)


def test_clopper_pearson_equals_beta_quantiles_computed_directly():
    x, n = np.array([1, 3, 7, 19]), np.array([4, 10, 30, 19])
    got = iv.proportion(x, n, method="exact", alpha=0.1)
    np.testing.assert_allclose(got["lower"], stats.beta(x, n - x + 1).ppf(0.05))
    np.testing.assert_allclose(got["upper"][:3], stats.beta(x + 1, n - x).ppf(0.95)[:3])
    assert got["upper"].iloc[3] == 1.0


def test_garwood_equals_gamma_quantiles_and_statsmodels():
    k = np.array([0, 1, 2, 3, 4, 8, 17, 40, 300], dtype=float)
    e = np.array([1e3, 5e3, 2e4, 1e4, 3e3, 8e4, 1e5, 2e5, 1e6])
    got = iv.poisson_rate(k, e, per=1e5)
    gamma_lo = np.where(k == 0, 0, stats.gamma(np.maximum(k, 1e-300)).ppf(0.025)) / e * 1e5
    gamma_hi = stats.gamma(k + 1).ppf(0.975) / e * 1e5
    np.testing.assert_allclose(got["lower"], gamma_lo, rtol=1e-10)
    np.testing.assert_allclose(got["upper"], gamma_hi, rtol=1e-10)
    sm_lo, sm_hi = confint_poisson(k, e, method="exact-c")
    np.testing.assert_allclose(got["upper"], sm_hi * 1e5, rtol=1e-10)
    np.testing.assert_allclose(got["lower"], sm_lo * 1e5, rtol=1e-10)
    np.testing.assert_allclose(got["value"], k / e * 1e5)


def test_zero_events_give_zero_with_the_3689_upper_bound():
    r = iv.poisson_rate(0, 5000, per=100000)
    assert r.value == 0 and r.lower == 0
    assert r.upper == pytest.approx(3.689 / 5000 * 100000, rel=1e-4)
    p = iv.proportion(0, 12, per=100)
    assert p.value == 0 and p.lower == 0 and 0 < p.upper < 100


def test_zero_denominator_is_nan_with_a_reason_not_an_error():
    got = iv.poisson_rate(pd.Series([0, 2, np.nan]), pd.Series([0, 100, 50]))
    assert got["reason"].tolist() == ["zero_denominator", "", "missing_count"]
    assert got.loc[[0, 2], ["value", "lower", "upper"]].isna().all().all()
    assert np.isfinite(got.loc[1, ["value", "lower", "upper"]].astype(float)).all()
    s = iv.proportion(0, 0)
    assert np.isnan(s.value) and s.reason == "zero_denominator"


def test_part_above_whole_is_a_chinese_input_error():
    with pytest.raises(InputError, match="大于") as err:
        iv.proportion(pd.Series([3, 12], index=["A", "B"]), pd.Series([10, 10], index=["A", "B"]))
    assert "B" in str(err.value) and err.value.code == "E_PART_EXCEEDS_TOTAL"
    with pytest.raises(InputError, match="负数"):
        iv.poisson_rate(-1, 10)


def test_error_names_the_source_file_and_cell_of_an_observation():
    where = pd.DataFrame(
        {"source_file": ["a.xlsx"], "sheet": ["卫健"], "cell": ["D7"], "region_code": ["440783"],
         "year": [2023]}
    )
    with pytest.raises(InputError) as err:
        iv.proportion(pd.Series([5]), pd.Series([4]), where=where)
    assert str(err.value).startswith("a.xlsx:卫健:D7")


def test_result_shape_and_index():
    s = iv.proportion(3, 10)
    assert isinstance(s, Estimate) and s.numerator == 3 and s.denominator == 10
    idx = pd.Index(["x", "y"], name="region_code")
    got = iv.proportion(pd.Series([1, 2], index=idx), pd.Series([4, 5], index=idx), per=100)
    assert list(got.columns) == list(RESULT_COLUMNS) and got.index.equals(idx)
    assert got.loc["y", "value"] == pytest.approx(40.0)


def test_vectorised_equals_scalar_calls():
    x, n = _grid()
    table = iv.proportion(x, n, method="exact")
    for i in range(0, len(x), 7):
        one = iv.proportion(x[i], n[i], method="exact")
        assert (one.lower, one.upper) == pytest.approx((table["lower"][i], table["upper"][i]))


def test_difference_matches_statsmodels_newcombe():
    rng = np.random.default_rng(5)
    n1, n2 = rng.integers(1, 300, 200), rng.integers(1, 300, 200)
    x1, x2 = rng.integers(0, n1 + 1), rng.integers(0, n2 + 1)
    got = iv.proportion_difference(x1, n1, x2, n2, per=1)
    lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff")
    np.testing.assert_allclose(got["lower"], lo, atol=1e-12)
    np.testing.assert_allclose(got["upper"], hi, atol=1e-12)


def test_ratio_of_proportions_matches_statsmodels_mover():
    from statsmodels.stats._inference_tools import _mover_confint

    x1, n1, x2, n2 = np.array([0, 3, 12, 40]), np.array([10, 10, 50, 90]), np.array([2, 5, 1, 33]), 40
    p1, p2 = x1 / n1, x2 / n2
    ci1 = proportion_confint(x1, n1, method="wilson")
    ci2 = proportion_confint(x2, n2, method="wilson")
    lo, hi = _mover_confint(p1, p2, ci1, ci2, contrast="ratio")
    got = iv.proportion_ratio(x1, n1, x2, n2)
    np.testing.assert_allclose(got["value"], p1 / p2)
    np.testing.assert_allclose(got["lower"], np.maximum(lo, 0), atol=1e-12)
    np.testing.assert_allclose(got["upper"], hi, rtol=1e-10)


def test_rate_difference_matches_statsmodels_mover_with_exact_limits():
    k1, e1, k2, e2 = np.array([0, 3, 9]), np.array([100, 100, 5000]), np.array([1, 0, 20]), 200
    got = iv.rate_difference(k1, e1, k2, e2, per=1000)
    lo, hi = confint_poisson_2indep(k1, e1, k2, e2, compare="diff", method="mover", method_mover="exact-c")
    np.testing.assert_allclose(got["lower"], lo * 1000, rtol=1e-10)
    np.testing.assert_allclose(got["upper"], hi * 1000, rtol=1e-10)


def test_rate_ratio_is_the_transformed_binomial_exact_interval():
    k1, e1, k2, e2 = 7, 12000.0, 3, 9000.0
    ci = stats.binomtest(k1, k1 + k2).proportion_ci(method="exact")
    got = iv.rate_ratio(k1, e1, k2, e2)
    assert got.value == pytest.approx((7 / 12000) / (3 / 9000))
    assert got.lower == pytest.approx(ci.low / (1 - ci.low) * e2 / e1)
    assert got.upper == pytest.approx(ci.high / (1 - ci.high) * e2 / e1)


def test_ratios_with_a_zero_reference_are_nan_with_a_reason():
    for fn in (iv.rate_ratio, iv.proportion_ratio):
        r = fn(3, 10, 0, 10)
        assert np.isnan(r.value) and np.isnan(r.upper) and r.reason == "zero_reference"
        z = fn(0, 10, 4, 10)
        assert z.value == 0 and z.lower == 0 and np.isfinite(z.upper) and z.upper > 0


counts = st.integers(min_value=0, max_value=400)


@st.composite
def part_whole(draw):
    n = draw(st.integers(min_value=1, max_value=2000))
    return draw(st.integers(min_value=0, max_value=n)), n


@settings(max_examples=200, deadline=None)
@given(part_whole(), st.sampled_from(["wilson", "clopper-pearson"]), st.sampled_from([0.01, 0.05, 0.2]))
def test_bounds_contain_the_estimate(xn, method, alpha):
    x, n = xn
    p = iv.proportion(x, n, method=method, alpha=alpha)
    assert 0 <= p.lower <= p.value <= p.upper <= 1
    r = iv.poisson_rate(x, n, alpha=alpha)
    assert 0 <= r.lower <= r.value <= r.upper


@settings(max_examples=200, deadline=None)
@given(part_whole(), st.integers(min_value=1, max_value=20), st.sampled_from(["wilson", "clopper-pearson"]))
def test_intervals_widen_as_counts_shrink_at_a_fixed_rate(xn, m, method):
    x, n = xn

    def width(e):
        return e.upper - e.lower

    small = iv.proportion(x * m, n * m, method=method)
    large = iv.proportion(x * (m + 1), n * (m + 1), method=method)
    assert width(small) >= width(large) - 1e-12
    assert width(iv.poisson_rate(x * m, n * m)) > width(iv.poisson_rate(x * (m + 1), n * (m + 1)))


@settings(max_examples=200, deadline=None)
@given(part_whole(), part_whole())
def test_swapping_groups_negates_differences_and_inverts_ratios(a, b):
    d1 = iv.proportion_difference(a[0], a[1], b[0], b[1])
    d2 = iv.proportion_difference(b[0], b[1], a[0], a[1])
    assert (d1.value, d1.lower, d1.upper) == pytest.approx((-d2.value, -d2.upper, -d2.lower), abs=1e-9)
    assert d1.lower <= d1.value <= d1.upper
    if a[0] > 0 and b[0] > 0:
        for fn in (iv.rate_ratio, iv.proportion_ratio):
            r1, r2 = fn(a[0], a[1], b[0], b[1]), fn(b[0], b[1], a[0], a[1])
            assert r1.value == pytest.approx(1 / r2.value)
            assert r1.lower == pytest.approx(1 / r2.upper, rel=1e-7)
            assert r1.upper == pytest.approx(1 / r2.lower, rel=1e-7)
            assert r1.lower <= r1.value <= r1.upper


def _obs(rows):
    return pd.DataFrame(rows, columns=["region_code", "year", "numerator", "denominator"])


def test_pooled_rate_sums_counts_never_averages_rates():
    obs = _obs([("a", 2021, 1, 1000), ("a", 2022, 0, 3000), ("a", 2023, 2, 6000)])
    got = pooling.pooled_rate(obs, per=1e5).iloc[0]
    assert (got["year_from"], got["year_to"], got["n_years"]) == (2021, 2023, 3)
    assert got["value"] == pytest.approx(3 / 10000 * 1e5)  # the mean of the yearly rates would be 44.4
    assert got["upper"] == pytest.approx(stats.chi2.ppf(0.975, 8) / 2 / 10000 * 1e5)


def test_pooled_rate_moving_window_and_gaps_are_reported():
    obs = _obs(
        [("a", 2019, 1, 1000), ("a", 2020, 0, 1100), ("a", 2021, 2, 1200), ("a", 2022, np.nan, 1000),
         ("a", 2023, 1, 900), ("b", 2020, 3, 500), ("b", 2021, 0, 600), ("b", 2023, 1, 700)]
    )
    win = pooling.pooled_rate(obs, window=3, per=1e5)
    a = win[win["region_code"] == "a"].set_index("year_to")
    assert a.loc[2021, "numerator"] == 3 and a.loc[2021, "denominator"] == 3300
    assert a.loc[2022, "reason"] == "missing_count" and np.isnan(a.loc[2023, "value"])
    b = win[win["region_code"] == "b"]
    assert b["year_from"].min() == 2020 and (b["reason"] == "missing_count").all()  # 2022 missing
    total = pooling.pooled_rate(obs)
    assert total["reason"].tolist() == ["missing_count", "missing_count"]


def test_pooled_rate_zero_events_has_a_real_upper_bound():
    obs = _obs([("a", 2022, 0, 900), ("a", 2023, 0, 1100)])
    got = pooling.pooled_rate(obs, per=1e5, window=2).iloc[0]
    assert got["value"] == 0 and got["upper"] == pytest.approx(3.6889 / 2000 * 1e5, rel=1e-4)


def test_nullable_integer_columns_from_the_store_are_accepted():
    got = iv.proportion(pd.Series([1, pd.NA], dtype="Int64"), pd.Series([10, 10], dtype="Int64"))
    assert got["value"].iloc[0] == pytest.approx(0.1) and got["reason"].tolist() == ["", "missing_count"]
