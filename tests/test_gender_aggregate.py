"""County -> city -> province aggregation: sums of counts, recomputed rates, reported gaps."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from womenstats.errors import InputError
from womenstats.gender import intervals as iv
from womenstats.gender.aggregate import aggregate, hierarchy

MMR = "health.maternal_mortality"  # 1/10万
SCREEN = "health.cervical_cancer_screening"  # %
CADRES = "decision.gov_leadership_female_cadres"  # 人
LIFE = "health.life_expectancy_female"  # 岁
CITY = {"c1": "P1", "c2": "P1", "c3": "P1", "P1": "R"}


def _obs(rows):
    cols = ["region_code", "year", "indicator_id", "value", "numerator", "denominator"]
    return pd.DataFrame(rows, columns=cols).assign(sex="female", age_group="all", residence="all")


def _one(frame, region, indicator, level=1):
    sel = (frame["region_code"] == region) & (frame["indicator_id"] == indicator) & (frame["level"] == level)
    assert sel.sum() == 1
    return frame[sel].iloc[0]


def test_rates_are_summed_counts_never_averaged_rates():
    obs = _obs(
        [("c1", 2023, MMR, 100.0, 1, 1000), ("c2", 2023, MMR, 0.0, 0, 9000), ("c3", 2023, MMR, 0.0, 0, 0)]
    )
    got = _one(aggregate(obs, CITY), "P1", MMR)
    assert got["value"] == pytest.approx(10.0)  # 1 / 10 000 births; the mean of the rates would be 50
    exact = iv.poisson_rate(1, 10000, per=1e5)
    assert (got["lower"], got["upper"]) == pytest.approx((exact.lower, exact.upper))
    assert (got["numerator"], got["denominator"], got["n_components"], got["missing"]) == (1, 10000, 3, "")


def test_shares_are_recomputed_from_the_summed_parts():
    obs = _obs(
        [
            ("c1", 2023, SCREEN, 50.0, 5, 10),
            ("c2", 2023, SCREEN, 30.0, 30, 100),
            ("c3", 2023, SCREEN, 0, 0, 2),
        ]
    )
    got = _one(aggregate(obs, CITY), "P1", SCREEN)
    direct = iv.proportion(35, 112, per=100)
    expected = [direct.value, direct.lower, direct.upper]
    assert [got["value"], got["lower"], got["upper"]] == pytest.approx(expected)


def test_a_missing_component_is_reported_not_dropped():
    obs = _obs([("c1", 2023, SCREEN, 50.0, 5, 10), ("c2", 2023, SCREEN, 30.0, np.nan, 100)])
    got = _one(aggregate(obs, CITY), "P1", SCREEN)
    assert np.isnan(got["value"]) and got["reason"] == "missing_component"
    assert got["missing"] == "c2;c3" and (got["n_components"], got["n_expected"]) == (1, 3)
    part = _one(aggregate(obs, CITY, partial=True), "P1", SCREEN)
    assert part["value"] == pytest.approx(50.0) and part["reason"] == "missing_component"
    up = aggregate(obs, CITY, levels=2, partial=True)
    assert _one(up, "R", SCREEN, level=2)["reason"] == "missing_component"  # a partial city stays flagged


def test_counts_add_up_and_averages_without_counts_are_not_additive():
    obs = _obs(
        [("c1", 2023, CADRES, 2, np.nan, np.nan), ("c2", 2023, CADRES, 1, np.nan, np.nan),
         ("c3", 2023, CADRES, 0, np.nan, np.nan), ("c1", 2023, LIFE, 80.1, np.nan, np.nan)]
    )
    got = aggregate(obs, CITY, levels=2)
    assert _one(got, "P1", CADRES)["value"] == 3 and _one(got, "R", CADRES, level=2)["value"] == 3
    assert _one(got, "P1", LIFE)["reason"] == "not_additive" and np.isnan(_one(got, "P1", LIFE)["value"])


def test_catalog_hierarchy_goes_county_city_province_and_names_absent_cities():
    mapping = hierarchy()
    assert mapping["440783"] == "440700" and mapping["440700"] == "440000" and mapping["440115"] == "440100"
    obs = _obs([("440783", 2023, MMR, 20.0, 1, 5000)])
    got = aggregate(obs, levels=2)
    city = _one(got, "440700", MMR)
    assert city["value"] == pytest.approx(20.0) and city["reason"] == ""
    province = _one(got, "440000", MMR, level=2)
    assert province["reason"] == "missing_component" and province["missing"] == "440100"


def test_duplicates_are_an_input_error():
    obs = _obs([("c1", 2023, MMR, 1.0, 1, 1000), ("c1", 2023, MMR, 1.0, 1, 1000)])
    with pytest.raises(InputError, match="多行数据"):
        aggregate(obs, CITY)


def test_row_order_does_not_change_the_result():
    counts = (("c1", 1), ("c2", 0), ("c3", 4))
    obs = _obs([(c, y, MMR, 0.0, k, 1000 + k) for c, k in counts for y in (2022, 2023)])
    a = aggregate(obs, CITY, levels=2)
    b = aggregate(obs.sample(frac=1, random_state=3), CITY, levels=2)
    pd.testing.assert_frame_equal(a, b)


@st.composite
def part_whole(draw):
    n = draw(st.integers(0, 50000))
    return draw(st.integers(0, n)), n


@settings(max_examples=30, deadline=None)
@given(part_whole(), st.sampled_from([SCREEN, MMR]))
def test_aggregating_one_region_is_the_identity(xn, indicator):
    x, n = xn
    obs = _obs([("only", 2023, indicator, np.nan, x, n)])
    got = _one(aggregate(obs, {"only": "P"}), "P", indicator)
    direct = (
        iv.proportion(x, n, per=100) if indicator == SCREEN else iv.poisson_rate(x, n, per=1e5)
    )
    assert got["numerator"] == x and got["denominator"] == n
    np.testing.assert_allclose(
        [got["value"], got["lower"], got["upper"]], [direct.value, direct.lower, direct.upper], rtol=1e-12
    )
    assert got["reason"] == direct.reason


@settings(max_examples=30, deadline=None)
@given(st.lists(part_whole(), min_size=1, max_size=6))
def test_splitting_a_region_into_counties_does_not_change_the_city(parts):
    counties = {f"c{i}": "P" for i in range(len(parts))}
    obs = _obs([(f"c{i}", 2023, SCREEN, np.nan, x, n) for i, (x, n) in enumerate(parts)])
    whole = _obs([("c", 2023, SCREEN, np.nan, sum(x for x, _ in parts), sum(n for _, n in parts))])
    a = _one(aggregate(obs, counties), "P", SCREEN)
    b = _one(aggregate(whole, {"c": "P"}), "P", SCREEN)
    cols = ["value", "lower", "upper", "numerator", "denominator"]
    np.testing.assert_allclose(a[cols].astype(float), b[cols].astype(float), rtol=1e-12)
