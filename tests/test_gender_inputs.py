"""Every public gender function that takes counts refuses impossible counts; pooling refuses duplicates.

A count is a finite, non-negative whole number. In arrays and Series a blank (NaN) is "not reported"
and gives ``reason == "missing_count"``; a single value must be a number. Exposures (person-time,
a standard population's weights) need not be whole. Rows pooled together (years of a series,
children of a region, age groups, the two sexes, cells of a table) must be unique: a duplicated
observation is refused with E_DUPLICATE_OBSERVATION instead of being counted twice.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from womenstats import gender
from womenstats.errors import InputError

BAD = [(2.5, "不是整数"), (-1.0, "负数"), (math.nan, "缺失"), (math.inf, "不是有限数")]

# (name, call with one count replaced by x): each places x in a count argument
COUNT_CALLS = {
    "proportion": lambda x: gender.proportion(x, 10),
    "proportion_nobs": lambda x: gender.proportion(3, x),
    "poisson_rate": lambda x: gender.poisson_rate(x, 1000),
    "female_share": lambda x: gender.female_share(x, 20),
    "sex_ratio": lambda x: gender.sex_ratio(x, 10),
    "sex_ratio_female": lambda x: gender.sex_ratio(10, x),
    "sex_ratio_at_birth": lambda x: gender.sex_ratio_at_birth(x, 100),
    "difference_pp": lambda x: gender.difference_pp(x, 20, 5, 20),
    "ratio_fm": lambda x: gender.ratio_fm(3, 20, x, 20),
    "proportion_difference": lambda x: gender.proportion_difference(3, 20, x, 20),
    "proportion_ratio": lambda x: gender.proportion_ratio(x, 20, 3, 20),
    "rate_difference": lambda x: gender.rate_difference(x, 1000, 3, 1000),
    "rate_ratio": lambda x: gender.rate_ratio(3, 1000, x, 1000),
    "direct_standardise": lambda x: gender.direct_standardise([x, 2], [100, 200], [0.5, 0.5]),
    "dissimilarity_index": lambda x: gender.dissimilarity_index(
        pd.DataFrame({"2024": [x, 5.0]}), pd.DataFrame({"2024": [4.0, 6.0]})),
    "suppress": lambda x: gender.suppress(pd.DataFrame({"女": [x, 7.0], "男": [8.0, 9.0]})),
}


@pytest.mark.parametrize("name", sorted(COUNT_CALLS))
@pytest.mark.parametrize(("bad", "words"), BAD, ids=["fraction", "negative", "nan", "inf"])
def test_a_count_that_is_not_a_count_is_refused(name, bad, words):
    call = COUNT_CALLS[name]
    call(3)  # a good count passes
    if name in ("dissimilarity_index", "direct_standardise") and math.isnan(bad):
        # a table or array cell left blank is "not reported", not an error
        result = call(bad)
        reasons = [result.reason] if isinstance(result, gender.Estimate) else result["reason"].tolist()
        assert reasons == ["missing_count"]
        return
    with pytest.raises(InputError) as err:
        call(bad)
    if name == "suppress" and (bad < 0 or math.isnan(bad)):
        assert err.value.code == "E_NOT_COUNTS"
        return
    assert err.value.code in ("E_NOT_A_COUNT", "E_NEGATIVE_COUNT")
    assert words in str(err.value)


def test_messages_name_the_argument_and_the_item():
    with pytest.raises(InputError, match=r"分子不是整数（2\.5）"):
        gender.proportion(2.5, 10)
    with pytest.raises(InputError, match="事件数（分子）不是整数"):
        gender.poisson_rate(2.5, 1000)
    with pytest.raises(InputError, match=r"男性人数不是整数（10\.5）"):
        gender.sex_ratio(10.5, 10)
    with pytest.raises(InputError, match="（b）"):
        gender.proportion(pd.Series([1, 2.5], index=["a", "b"]), pd.Series([10, 10], index=["a", "b"]))
    with pytest.raises(InputError, match="（r2，男）"):
        gender.suppress(pd.DataFrame({"女": [6.0, 7.0], "男": [8.0, 2.5]}, index=["r1", "r2"]))


def test_exposures_may_be_fractional_but_must_be_finite():
    est = gender.poisson_rate(3, 1234.5, per=1000)
    assert est.value == pytest.approx(3 / 1234.5 * 1000)
    with pytest.raises(InputError, match="不是有限数"):
        gender.poisson_rate(3, math.inf)
    with pytest.raises(InputError, match="负数"):
        gender.rate_ratio(3, -5.0, 2, 100)


def test_blank_counts_in_a_series_are_not_reported_not_refused():
    got = gender.proportion(pd.Series([1.0, np.nan]), pd.Series([10.0, 10.0]))
    assert got["reason"].tolist() == ["", "missing_count"]
    got = gender.poisson_rate(np.array([1.0, np.nan]), np.array([100.0, 100.0]))
    assert got["reason"].tolist() == ["", "missing_count"]


def _obs(**extra):
    rows = [
        {"region_code": "440703", "year": 2023, "indicator_id": "health.maternal_mortality", "sex": "female",
         "age_group": "all", "residence": "all", "value": 20.0, "numerator": 1.0, "denominator": 5000.0},
        {"region_code": "440703", "year": 2024, "indicator_id": "health.maternal_mortality", "sex": "female",
         "age_group": "all", "residence": "all", "value": 0.0, "numerator": 0.0, "denominator": 5000.0},
        {"region_code": "440704", "year": 2024, "indicator_id": "health.maternal_mortality", "sex": "female",
         "age_group": "all", "residence": "all", "value": 50.0, "numerator": 2.0, "denominator": 4000.0},
    ]
    return pd.DataFrame(rows).assign(**extra)


def test_pooled_rate_refuses_a_duplicated_year_and_a_fractional_count():
    obs = _obs().query("region_code == '440703'")
    assert gender.pooled_rate(obs, per=1e5)["numerator"].tolist() == [1.0]
    with pytest.raises(InputError, match="同一观测有多行数据") as err:
        gender.pooled_rate(pd.concat([obs, obs.iloc[[1]]]), per=1e5)
    assert err.value.code == "E_DUPLICATE_OBSERVATION" and "year=2024" in str(err.value)
    with pytest.raises(InputError, match="分子不是整数"):
        gender.pooled_rate(obs.assign(numerator=[1.0, 0.5]), per=1e5)


def test_aggregate_refuses_duplicated_children_and_fractional_counts():
    obs = _obs().query("year == 2024")
    mapping = {"440703": "440700", "440704": "440700"}
    out = gender.aggregate(obs, mapping, per=1e5)
    assert out["numerator"].tolist() == [2.0] and out["denominator"].tolist() == [9000.0]
    with pytest.raises(InputError, match="同一观测有多行数据") as err:
        gender.aggregate(pd.concat([obs, obs.iloc[[0]]]), mapping, per=1e5)
    assert err.value.code == "E_DUPLICATE_OBSERVATION"
    with pytest.raises(InputError, match="分母不是整数"):
        gender.aggregate(obs.assign(denominator=[5000.5, 4000.0]), mapping, per=1e5)


def test_standardise_and_compare_refuse_duplicates():
    rows = pd.DataFrame({"region_code": "440703", "year": 2024, "indicator_id": "x", "sex": "female",
                         "residence": "all", "age_group": ["15-49", "50+"], "numerator": [3.0, 4.0],
                         "denominator": [1000.0, 800.0], "value": [3.0, 5.0]})
    standard = {"15-49": 0.6, "50+": 0.4}
    assert len(gender.standardise_observations(rows, standard)) == 1
    with pytest.raises(InputError) as err:
        gender.standardise_observations(pd.concat([rows, rows.iloc[[0]]]), standard)
    assert err.value.code == "E_DUPLICATE_OBSERVATION"
    with pytest.raises(InputError, match="分年龄组事件数不是整数"):
        gender.standardise_observations(rows.assign(numerator=[3.5, 4.0]), standard)
    pair = pd.DataFrame({"region_code": "440703", "year": 2024, "indicator_id": "economy.x",
                         "sex": ["female", "male", "male"], "age_group": "all", "residence": "all",
                         "value": [40.0, 60.0, 61.0], "numerator": np.nan, "denominator": np.nan})
    with pytest.raises(InputError) as err:
        gender.pair_sexes(pair)
    assert err.value.code == "E_DUPLICATE_OBSERVATION"


def test_suppress_long_refuses_a_cell_given_twice():
    data = pd.DataFrame({"region": ["a", "a", "b", "b"], "sex": ["女", "男", "女", "男"],
                         "value": [6.0, 7.0, 8.0, 9.0]})
    assert gender.suppress_long(data, "region", "sex")["suppressed"].eq("").all()
    with pytest.raises(InputError) as err:
        gender.suppress_long(pd.concat([data, data.iloc[[0]]]), "region", "sex")
    assert err.value.code == "E_DUPLICATE_OBSERVATION"
    with pytest.raises(InputError, match="不是整数"):
        gender.suppress_long(data.assign(value=[6.0, 7.5, 8.0, 9.0]), "region", "sex")
