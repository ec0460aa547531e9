"""Store.observations filters like pandas: a value or a list (isin), clear errors, empty results explained."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import womenstats as ws
from womenstats.errors import CatalogError, InputError
from womenstats.intake import EmptySelectionWarning, Store


@pytest.fixture(scope="module")
def everything() -> pd.DataFrame:
    return Store().observations()


def _quiet(**filters) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a selection that matches must not warn
        return Store().observations(**filters)


@pytest.mark.parametrize(("name", "values"), [
    ("region_code", ["440783", "000000"]),
    ("indicator_id", ["health.maternal_mortality", "social_security.unemployment_insurance_coverage"]),
    ("year", [2019, 2023]),
    ("sex", ["female", "male"]),
    ("residence", ["urban", "rural"]),
    ("age_group", ["all", "15-49"]),  # the demonstration data hold only "all"
])
def test_every_filter_takes_a_value_or_a_list_as_isin(everything, name, values):
    column = everything[name]
    expected = everything.loc[column.isin(values)].reset_index(drop=True)
    assert 0 < len(expected) <= len(everything)
    pd.testing.assert_frame_equal(_quiet(**{name: values}), expected)
    pd.testing.assert_frame_equal(_quiet(**{name: tuple(values)}), expected)
    pd.testing.assert_frame_equal(_quiet(**{name: pd.Series(values)}), expected)
    one = everything.loc[column == values[0]].reset_index(drop=True)
    pd.testing.assert_frame_equal(_quiet(**{name: values[0]}), one)


def test_plans_filters_combine_and_numpy_years_work(everything):
    got = _quiet(plan=["kaiping", "linhe"], year=np.arange(2020, 2023), indicator_id="孕产妇死亡率", sex="女")
    regions = [ws.catalog.plan(p).region_code for p in ("kaiping", "linhe")]
    want = everything.loc[everything["region_code"].isin(regions) & everything["year"].between(2020, 2022)
                          & (everything["indicator_id"] == "health.maternal_mortality")
                          & (everything["sex"] == "female")].reset_index(drop=True)
    assert len(want) > 0
    pd.testing.assert_frame_equal(got, want)
    pd.testing.assert_frame_equal(_quiet(plan=ws.catalog.plan("kaiping"), indicator_id=ws.catalog.indicator(
        "health.maternal_mortality")), _quiet(plan="kaiping", indicator_id="health.maternal_mortality"))


@pytest.mark.parametrize(("filters", "message"), [
    ({"region_code": 440783}, "region_code 的值 440783（int）类型不对"),
    ({"region_code": [440783, "000000"]}, "地区代码字符串"),
    ({"region_code": "4407"}, "不是 6 位数字"),
    ({"year": "2024"}, "year 的值 '2024'（str）类型不对"),
    ({"year": 2024.5}, "整数年份"),
    ({"sex": "woman"}, "性别“woman”无法识别"),
    ({"residence": 1}, "residence 的值 1（int）类型不对"),
    ({"indicator_id": 7}, "指标 id、名称或别名"),
    ({"plan": 1}, "规划代码"),
    ({"age_group": {"a": 1}}, "不能是字典"),
])
def test_a_value_of_the_wrong_type_is_a_clear_chinese_error(filters, message):
    with pytest.raises(InputError, match=message):
        Store().observations(**filters)


def test_an_unknown_indicator_name_suggests_the_closest():
    with pytest.raises(CatalogError, match="您是不是要找：孕产妇死亡率"):
        Store().observations(indicator_id="孕产妇死忘率")


def test_a_filter_that_matches_nothing_warns_naming_it():
    with pytest.warns(EmptySelectionWarning, match="region_code='999999' 没有匹配任何观测值") as seen:
        out = Store().observations(region_code="999999", year=2024)
    assert out.empty and len(seen) == 1  # the year matches: only the region is named
    with pytest.warns(EmptySelectionWarning, match=r"year=\[1990, 1991\]"):
        Store().observations(year=[1990, 1991])
    with pytest.warns(EmptySelectionWarning, match="分别都有观测值，但没有同时满足"):
        Store().observations(region_code="440783", sex="male", indicator_id="health.maternal_mortality")


def test_an_empty_or_missing_store_says_so(tmp_path):
    with pytest.warns(EmptySelectionWarning, match="没有任何观测值"):
        assert Store(tmp_path / "none.sqlite").observations(plan="kaiping").empty
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Store(tmp_path / "none.sqlite").observations().empty  # nothing asked, nothing to explain
