"""Small numbers: one maternal death in 3 000 births does not make a county regress."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from womenstats.assess import assess_series, pooled_rate, regress_test
from womenstats.assess.small_numbers import MIN_EVENTS, POOL_YEARS, is_small, worse_test

MMR = {"lower": 0.0, "upper": None, "better": "lower", "per": 100000.0}
TARGET = {"kind": "quantitative", "operator": "<=", "value": 15.0, "tolerance": math.nan, "target_year": 2030}


def county(deaths, births=3000.0, last=2024):
    deaths = np.asarray(deaths, dtype=float)
    years = np.arange(last - len(deaths) + 1, last + 1)
    den = np.full(len(deaths), births)
    return pd.DataFrame({"year": years, "value": 1e5 * deaths / den, "numerator": deaths, "denominator": den})


def test_pooled_rate_sums_counts_with_the_garwood_interval():
    pooled = pooled_rate([2020, 2021, 2022, 2023], [2, 0, 1, 0], [3000, 3100, 2900, 3000], per=1e5)
    assert pooled.years == (2021, 2022, 2023) and pooled.events == 1 and pooled.exposure == 9000
    assert pooled.rate == pytest.approx(1e5 / 9000)
    assert pooled.lo95 == pytest.approx(1e5 * stats.chi2.ppf(0.025, 2) / 2 / 9000)
    assert pooled.hi95 == pytest.approx(1e5 * stats.chi2.ppf(0.975, 4) / 2 / 9000)
    assert pooled_rate([2020], [math.nan], [3000], per=1e5) is None


def test_worse_test_is_the_conditional_binomial():
    # 6 events in 9 000 recent vs 1 in 9 000 before: P(K >= 6 | n = 7, p = 1/2)
    assert worse_test(6, 9000, 1, 9000, "lower") == pytest.approx(stats.binom.sf(5, 7, 0.5))
    assert worse_test(1, 9000, 6, 9000, "higher") == pytest.approx(stats.binom.cdf(1, 7, 0.5))
    assert worse_test(0, 9000, 0, 9000, "lower") == 1.0


def test_regress_test_compares_the_last_three_years_with_the_three_before():
    assert POOL_YEARS == 3
    years = range(2019, 2025)
    assert regress_test(years, [0, 0, 0, 0, 0, 1], [3000] * 6, "lower") is False
    assert regress_test(years, [0, 0, 0, 5, 6, 7], [3000] * 6, "lower") is True
    assert regress_test(years, [0, 0, 0, 5, 6, 7], [3000] * 6, "neutral") is None
    assert regress_test([2024], [1], [3000], "lower") is None


def test_small_is_fewer_than_twenty_events():
    assert MIN_EVENTS == 20
    assert is_small(19) and not is_small(20) and not is_small(math.nan)


def test_one_death_in_three_thousand_births_is_not_regressing():
    data = county([0, 0, 0, 0, 1])
    out = assess_series(data, TARGET, MMR, year=2025)
    assert out["status"] != "regressing"
    # achieved on the pooled three-year rate: 1 / 9 000 = 11.1 per 100 000 <= 15
    assert out["status"] == "achieved"
    assert "small_numbers" in out["warnings"].split(";")
    # the same values without their counts would read as a steep rise
    bare = assess_series(data.assign(numerator=math.nan, denominator=math.nan), TARGET, MMR, year=2025)
    assert bare["status"] == "regressing"


def test_pooled_rate_above_target_is_not_achieved():
    out = assess_series(county([1, 0, 1, 1, 1]), TARGET, MMR, year=2025)  # 3 / 9 000 = 33 per 100 000
    assert out["status"] not in {"achieved", "regressing"}


def test_exact_test_finds_a_real_rise_in_small_counts():
    out = assess_series(county([0, 0, 0, 5, 6, 7]), TARGET, MMR, year=2025)
    assert out["status"] == "regressing"


def test_no_death_at_all_is_achieved_with_an_honest_interval():
    out = assess_series(county([0, 0, 0, 0, 0]), TARGET, MMR, year=2025)
    assert out["model"] == "poisson_zero" and out["status"] == "achieved"
    assert out["proj_hi95"] > 0  # not a zero-width interval


def test_a_share_of_a_body_counted_in_full_is_judged_on_its_own_year():
    # four women among eighteen 政协常委 in 2024 is 22.2%, exactly: a target of 20% is met that year.
    # Pooled with 2022–2023 (2/18 each) it would read 14.8% and miss it: pooling is for rates from few
    # events, not for a committee counted in full (structure.yaml: cppcc_standing is enumerated)
    from womenstats import catalog

    women = np.array([2.0, 2.0, 4.0])
    data = pd.DataFrame({"year": [2022, 2023, 2024], "value": 100 * women / 18, "numerator": women,
                         "denominator": 18.0})
    target = {"kind": "quantitative", "operator": ">=", "value": 20.0, "tolerance": math.nan,
              "target_year": 2030}
    committee = catalog.indicator("decision.cppcc_standing_female_share")
    assert catalog.indicator_info(committee)["enumerated"]
    out = assess_series(data, target, committee, year=2025)
    assert out["status"] == "achieved"
    assert "small_numbers" not in str(out["warnings"])
    # the same counts as a rate of events (not enumerated) are pooled and miss the target
    rate = {**catalog.indicator_info(committee), "enumerated": False}
    pooled = assess_series(data, target, rate, year=2025)
    assert pooled["status"] != "achieved" and "small_numbers" in str(pooled["warnings"])


def test_enumerated_elements_are_bodies_and_units_not_populations_at_risk():
    from womenstats.catalog import structure

    elements = structure()
    for element in ("npc_deputies", "cppcc_standing", "villages", "communities", "village_committee_members"):
        assert elements[element].enumerated, element
    for element in ("births", "hiv_exposed_infants", "screened_women", "water_samples", "survey_sample"):
        assert not elements[element].enumerated, element
