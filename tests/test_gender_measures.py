"""Female-male measures and the tidy comparison, checked against statsmodels, scipy and hand values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from womenstats.errors import InputError
from womenstats.gender import earnings as ea
from womenstats.gender import intervals as iv
from womenstats.gender import measures as ms
from womenstats.gender.compare import compare_sexes, pair_sexes
from womenstats.gender.result import Estimate


def test_female_share_is_a_percentage_with_the_wilson_interval():
    f, t = np.array([0, 1, 3, 12, 45, 50]), np.array([7, 9, 30, 40, 200, 50])
    got = ms.female_share(f, t)
    lo, hi = proportion_confint(f, t, method="wilson")
    np.testing.assert_allclose(got["value"], 100 * f / t)
    np.testing.assert_allclose(got["lower"], 100 * lo, atol=1e-10)
    np.testing.assert_allclose(got["upper"], 100 * hi, atol=1e-10)
    assert got["upper"].iloc[0] > 0  # zero women: 0 with a real upper bound


def test_female_count_above_total_raises_in_chinese():
    with pytest.raises(InputError, match="女性人数（12）大于合计人数（10）"):
        ms.female_share(12, 10)


def test_sex_ratio_uses_the_exact_binomial_interval():
    m, f = 1113, 1000  # e.g. a county's births in a year
    got = ms.sex_ratio_at_birth(m, f)
    lo, hi = proportion_confint(m, m + f, method="beta")
    assert got.value == pytest.approx(111.3)
    assert got.lower == pytest.approx(100 * lo / (1 - lo))
    assert got.upper == pytest.approx(100 * hi / (1 - hi))
    assert got.numerator == m and got.denominator == f
    assert ms.SRB_NORMAL_RANGE[1] < got.value


def test_sex_ratio_edge_cases():
    got = ms.sex_ratio(pd.Series([0, 4, np.nan]), pd.Series([5, 0, 3]))
    assert got.loc[0, "value"] == 0 and got.loc[0, "upper"] == pytest.approx(
        100 * (1 - 0.025 ** (1 / 5)) / 0.025 ** (1 / 5)
    )
    assert got["reason"].tolist() == ["", "zero_reference", "missing_count"]
    assert not np.isinf(got[["value", "lower", "upper"]].to_numpy()).any()


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5000), st.integers(1, 5000))
def test_swapping_sexes_inverts_the_sex_ratio(m, f):
    a, b = ms.sex_ratio(m, f, per=1), ms.sex_ratio(f, m, per=1)
    assert a.value == pytest.approx(1 / b.value)
    assert a.lower == pytest.approx(1 / b.upper) and a.upper == pytest.approx(1 / b.lower)
    assert a.lower <= a.value <= a.upper


def test_difference_pp_is_newcombe_in_percentage_points():
    got = ms.difference_pp(56, 70, 48, 80)
    assert (round(got.lower, 2), round(got.upper, 2)) == (5.24, 33.39)
    assert got.numerator == pytest.approx(80) and got.denominator == pytest.approx(60)


def test_ratio_fm_and_its_indices_keep_their_limits():
    r = ms.ratio_fm(30, 100, 40, 100)
    assert r.value == pytest.approx(0.75)
    a = ms.adjusted_gpi(r)
    assert r.upper > 1  # the interval straddles parity: the upper limit is folded
    assert (a.value, a.lower, a.upper) == pytest.approx((r.value, r.lower, 2 - 1 / r.upper))
    w = ms.wef_parity(ms.ratio_fm(40, 100, 30, 100))
    assert w.value == 1 and w.upper == 1 and w.lower < 1


def test_gap_and_gpi_of_published_values():
    g = ms.gap(pd.Series([52.1, 48.0, np.nan]), pd.Series([50.0, 50.0, 50.0]))
    assert g["value"].iloc[:2].tolist() == pytest.approx([2.1, -2.0])
    assert g["reason"].tolist() == ["no_counts", "no_counts", "missing_count"]
    assert g[["lower", "upper"]].isna().all().all()
    p = ms.gpi([0.9, 1.0], [1.0, 0.0])
    assert p["value"].iloc[0] == pytest.approx(0.9) and p["reason"].iloc[1] == "zero_reference"


def test_adjusted_gpi_published_example_and_types():
    # UIS: a GPI of 1.25 (female advantage) is adjusted to 2 - 1/1.25 = 1.2; below 1 it is unchanged.
    assert ms.adjusted_gpi(1.25) == pytest.approx(1.2)
    assert ms.adjusted_gpi(0.8) == pytest.approx(0.8)
    s = ms.adjusted_gpi(pd.Series([0.5, 2.0], index=["a", "b"]))
    assert s.tolist() == pytest.approx([0.5, 1.5]) and list(s.index) == ["a", "b"]


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=1e-3, max_value=1e3))
def test_adjusted_gpi_is_symmetric_around_one(g):
    assert ms.adjusted_gpi(g) + ms.adjusted_gpi(1 / g) == pytest.approx(2.0)
    assert 0 < ms.adjusted_gpi(g) < 2


def test_wef_parity_truncates_and_uses_benchmarks():
    assert ms.wef_parity(np.array([0.8, 1.0, 1.3])).tolist() == [0.8, 1.0, 1.0]
    assert ms.wef_parity(0.9, benchmark=ms.WEF_BENCHMARKS["sex_ratio_at_birth"]) == pytest.approx(0.9 / 0.944)


def test_dissimilarity_index_hand_values_and_invariances():
    f, m = pd.Series([50, 30, 20]), pd.Series([20, 30, 50])
    assert ms.dissimilarity_index(f, m).value == pytest.approx(0.3)
    assert ms.dissimilarity_index(pd.Series([10, 0]), pd.Series([0, 7])).value == pytest.approx(1.0)
    assert ms.dissimilarity_index(f, f * 3).value == pytest.approx(0.0)
    table_f = pd.DataFrame({"2020": [50, 30, 20], "2021": [5, 0, 0]})
    table_m = pd.DataFrame({"2020": [20, 30, 50], "2021": [0, 0, 0]})
    got = ms.dissimilarity_index(table_f, table_m)
    assert got.loc["2020", "value"] == pytest.approx(0.3) and got.loc["2021", "reason"] == "zero_denominator"


CELLS = st.lists(st.tuples(st.integers(0, 500), st.integers(0, 500)), min_size=2, max_size=12)


@settings(max_examples=100, deadline=None)
@given(CELLS, st.integers(1, 9))
def test_dissimilarity_is_symmetric_scale_free_and_bounded(cells, k):
    f = np.array([c[0] for c in cells]) + 1
    m = np.array([c[1] for c in cells]) + 1
    d = ms.dissimilarity_index(f, m).value
    assert 0 <= d <= 1
    assert ms.dissimilarity_index(m, f).value == pytest.approx(d)
    assert ms.dissimilarity_index(f * k, m).value == pytest.approx(d)
    direct = 0.5 * sum(abs(a / f.sum() - b / m.sum()) for a, b in zip(f, m, strict=True))
    assert d == pytest.approx(direct)


def test_pay_gap_from_averages():
    assert ea.pay_gap(80, 100).value == pytest.approx(20.0)
    got = ea.pay_gap([4500.0, 5000.0], [5000.0, 0.0])
    assert got["value"].iloc[0] == pytest.approx(10.0) and got["reason"].iloc[1] == "zero_reference"


def test_pay_gap_survey_is_reproducible_and_covers_the_true_gap():
    rng = np.random.default_rng(20240101)
    f = rng.lognormal(np.log(4000), 0.6, 1500)
    m = rng.lognormal(np.log(5000), 0.6, 1500)
    got = ea.pay_gap_survey(f, m, statistic="median")
    assert got == ea.pay_gap_survey(f, m, statistic="median")
    assert got.value == pytest.approx(100 * (1 - np.median(f) / np.median(m)))
    assert got.lower < 20.0 < got.upper  # true median gap: 1 - 4000/5000
    mean = ea.pay_gap_survey(f, m, statistic="mean")
    assert mean.value == pytest.approx(100 * (1 - f.mean() / m.mean()))
    assert ea.pay_gap_survey([3000.0], m).reason == "too_few_values"


def test_time_use_gap_survey_equals_the_welch_formula():
    rng = np.random.default_rng(7)
    f, m = rng.normal(228, 80, 60), rng.normal(92, 50, 45)
    got = ea.time_use_gap_survey(f, m)
    vf, vm = f.var(ddof=1) / f.size, m.var(ddof=1) / m.size
    df = (vf + vm) ** 2 / (vf**2 / (f.size - 1) + vm**2 / (m.size - 1))
    half = stats.t.ppf(0.975, df) * np.sqrt(vf + vm)
    d = f.mean() - m.mean()
    assert (got.value, got.lower, got.upper) == pytest.approx((d, d - half, d + half))
    assert ea.time_use_gap(228.0, 92.0).value == pytest.approx(136.0)


def _obs(rows):
    cols = ["region_code", "year", "indicator_id", "sex", "value", "numerator", "denominator"]
    return pd.DataFrame(rows, columns=cols).assign(age_group="all", residence="all")


EDU = "education.x"
OBS = _obs(
    [
        ("440783", 2023, EDU, "female", 95.0, 95, 100),
        ("440783", 2023, EDU, "male", 90.0, 90, 100),
        ("440783", 2024, EDU, "female", 96.0, np.nan, np.nan),
        ("440783", 2024, EDU, "male", 91.0, np.nan, np.nan),
        ("440783", 2025, EDU, "female", 97.0, 0, 0),
        ("440783", 2025, EDU, "male", 91.0, 9, 10),
    ]
)


def test_compare_sexes_uses_counts_when_given_and_values_otherwise():
    got = compare_sexes(OBS, "difference", per=100).set_index("year")
    direct = iv.proportion_difference(95, 100, 90, 100, per=100)
    assert got.loc[2023, ["value", "lower", "upper"]].tolist() == pytest.approx(
        [direct.value, direct.lower, direct.upper]
    )
    assert got.loc[2023, "method"] == "newcombe"
    assert got.loc[2024, "value"] == pytest.approx(5.0) and got.loc[2024, "reason"] == "no_counts"
    assert np.isnan(got.loc[2025, "value"]) and got.loc[2025, "reason"] == "zero_denominator"


def test_compare_sexes_of_no_observations_is_empty_not_an_error():
    # a region with nothing in the store yet: an empty result with the usual columns
    for measure in ("difference", "ratio"):
        got = compare_sexes(OBS.iloc[:0], measure, per=100)
        assert got.empty
        assert list(got.columns) == list(compare_sexes(OBS, measure, per=100).columns)
    # women's values only: a row per series, no value, the reason given
    got = compare_sexes(OBS[OBS["sex"] == "female"], "difference", per=100)
    assert got["value"].isna().all() and set(got["reason"]) == {"missing_male"}  # the reason names the row


def test_compare_sexes_rates_use_the_catalog_scale():
    obs = _obs(
        [
            ("440783", 2023, "health.maternal_mortality", "female", 20.0, 1, 5000),
            ("440783", 2023, "health.maternal_mortality", "male", 0.0, 0, 5000),
        ]
    )
    got = compare_sexes(obs, "difference").iloc[0]
    direct = iv.rate_difference(1, 5000, 0, 5000, per=100000)
    assert got["value"] == pytest.approx(20.0) and got["upper"] == pytest.approx(direct.upper)
    assert got["method"] == "mover-garwood"
    assert compare_sexes(obs, "ratio").iloc[0]["reason"] == "zero_reference"
    with pytest.raises(InputError, match="不在指标库中"):
        compare_sexes(obs.assign(indicator_id="no.such"), "ratio")


def test_compare_sexes_swapping_labels_inverts_the_ratio():
    swapped = OBS.assign(sex=OBS["sex"].map({"female": "male", "male": "female"}))
    a = compare_sexes(OBS, "ratio", per=100).set_index("year")
    b = compare_sexes(swapped, "ratio", per=100).set_index("year")
    for year in (2023, 2024):
        assert a.loc[year, "value"] == pytest.approx(1 / b.loc[year, "value"])
    assert a.loc[2023, "lower"] == pytest.approx(1 / b.loc[2023, "upper"])


def test_compare_sexes_share_and_sex_ratio_of_counts():
    obs = _obs(
        [
            ("440783", 2023, "decision.x", "female", 12, np.nan, np.nan),
            ("440783", 2023, "decision.x", "male", 28, np.nan, np.nan),
            ("440783", 2023, "decision.x", "total", 40, np.nan, np.nan),
        ]
    )
    share = compare_sexes(obs, "female_share").iloc[0]
    assert share["value"] == pytest.approx(30.0) and share["lower"] < 30 < share["upper"]
    ratio = compare_sexes(obs, "sex_ratio").iloc[0]
    assert ratio["value"] == pytest.approx(100 * 28 / 12)


def test_pair_sexes_keeps_a_point_with_one_sex_and_rejects_duplicates():
    wide = pair_sexes(OBS[OBS["sex"] == "female"])
    assert len(wide) == 3 and wide["value_male"].isna().all()
    with pytest.raises(InputError, match="多行数据"):
        pair_sexes(pd.concat([OBS, OBS.iloc[:1]]))


def test_estimate_contains():
    assert Estimate(1.0, 0.5, 2.0, 1, 1).contains(1.5)
    assert not Estimate(np.nan, np.nan, np.nan, 0, 0, "zero_denominator").contains(0)
