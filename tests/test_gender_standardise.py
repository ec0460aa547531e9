"""Direct age standardisation: Fay-Feuer limits checked by reduction, by scipy's gamma and by coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from womenstats.errors import InputError
from womenstats.gender import intervals as iv
from womenstats.gender.standardise import direct_standardise, standardise_observations

STANDARD = {"0-39": 55.0, "40-59": 30.0, "60+": 15.0}


@pytest.mark.parametrize("k", [0, 1, 3, 17, 250])
def test_one_age_group_reduces_to_garwood(k):
    got = direct_standardise([k], [4000], [1], per=1e5)
    exact = iv.poisson_rate(k, 4000, per=1e5)
    assert (got.value, got.lower, got.upper) == pytest.approx((exact.value, exact.lower, exact.upper))


def test_zero_events_give_the_garwood_bound_of_the_heaviest_weighted_group():
    got = direct_standardise([0, 0, 0], [1000, 2000, 500], [1, 2, 3], per=1e5)
    w_max = max(np.array([1, 2, 3]) / 6 / np.array([1000, 2000, 500]))
    assert got.value == 0 and got.lower == 0
    assert got.upper == pytest.approx(3.6889 * w_max * 1e5, rel=1e-4)


def test_limits_equal_the_gamma_quantiles_of_fay_and_feuer():
    x, n, s = np.array([2, 7, 11, 4]), np.array([5000, 8000, 3000, 600]), np.array([40, 30, 20, 10])
    w = s / s.sum()
    y, v, wm = (w * x / n).sum(), (w**2 * x / n**2).sum(), (w / n).max()
    lo = stats.gamma(y**2 / v, scale=v / y).ppf(0.025)
    hi = stats.gamma((y + wm) ** 2 / (v + wm**2), scale=(v + wm**2) / (y + wm)).ppf(0.975)
    got = direct_standardise(x, n, s)
    assert (got.value, got.lower, got.upper) == pytest.approx((y, lo, hi), rel=1e-10)
    assert (got.numerator, got.denominator) == (24, 16600)


def test_coverage_is_at_least_nominal_for_small_counts():
    rng = np.random.default_rng(11)
    n = np.array([3000.0, 1500.0, 400.0])
    rates = np.array([2e-4, 1e-3, 6e-3])
    sims = 4000
    x = rng.poisson(rates * n, size=(sims, 3))
    obs = pd.DataFrame(
        {
            "region_code": np.repeat(np.arange(sims), 3).astype(str),
            "age_group": np.tile(list(STANDARD), sims),
            "numerator": x.ravel(),
            "denominator": np.tile(n, sims),
        }
    )
    got = standardise_observations(obs, STANDARD)
    w = np.array(list(STANDARD.values())) / 100
    truth = (w * rates).sum()
    coverage = ((got["lower"] <= truth) & (truth <= got["upper"])).mean()
    assert 0.95 <= coverage <= 0.995


def test_observations_by_region_missing_groups_and_bad_age_groups():
    obs = pd.DataFrame(
        {
            "region_code": ["a", "a", "a", "b", "b", "a"],
            "year": 2023,
            "age_group": ["0-39", "40-59", "60+", "0-39", "40-59", "all"],
            "numerator": [1, 4, 10, 0, 1, 15],
            "denominator": [1000, 2000, 500, 800, 900, 3500],
        }
    )
    got = standardise_observations(obs, STANDARD, per=1e5).set_index("region_code")
    direct = direct_standardise([1, 4, 10], [1000, 2000, 500], list(STANDARD.values()), per=1e5)
    assert got.loc["a", "value"] == pytest.approx(direct.value)
    assert got.loc["b", "reason"] == "missing_count" and np.isnan(got.loc["b", "value"])
    with pytest.raises(InputError, match="不在标准人口中"):
        standardise_observations(obs.replace({"60+": "65+"}), STANDARD)


def test_an_age_group_without_population_is_nan_with_a_reason():
    got = direct_standardise([1, 0], [1000, 0], [1, 1])
    assert np.isnan(got.value) and got.reason == "zero_denominator"


AGE_GROUP = st.tuples(st.integers(0, 60), st.integers(1, 20000), st.integers(1, 100))
GROUPS = st.lists(AGE_GROUP, min_size=1, max_size=8)


@settings(max_examples=60, deadline=None)
@given(GROUPS, st.integers(2, 50))
def test_bounds_contain_the_rate_and_the_standard_scale_does_not_matter(groups, k):
    x, n, s = (np.array(c, dtype=float) for c in zip(*groups, strict=True))
    got = direct_standardise(x, n, s)
    assert 0 <= got.lower <= got.value <= got.upper
    scaled = direct_standardise(x, n, s * k)
    assert (scaled.value, scaled.lower, scaled.upper) == pytest.approx((got.value, got.lower, got.upper))
