"""The catalog's objects, ids, names and aliases work wherever an indicator or a target is taken."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest

import womenstats as ws
from womenstats import catalog
from womenstats.errors import CatalogError, InputError
from womenstats.intake import validate_file

MMR = "health.maternal_mortality"
VILLAGE = "decision.village_committee_female_share"
SERIES = pd.DataFrame({"year": np.arange(2018, 2025),
                       "value": [20.67, 24.22, 22.22, 23.11, 23.33, 23.11, 26.44],
                       "numerator": np.nan, "denominator": np.nan})


def test_an_indicator_is_found_by_id_name_or_alias():
    frame = catalog.indicators()
    with_alias = frame.loc[frame["aliases"].map(len) > 0].iloc[0]
    assert catalog.indicator(with_alias["aliases"][0]).id == with_alias.name
    assert catalog.indicator("孕产妇死亡率").id == MMR
    assert catalog.indicator(" 孕产妇死亡率 ").id == MMR  # spaces and full-width forms do not matter
    assert catalog.indicator(catalog.indicator(MMR)) == catalog.indicator(MMR)


def test_an_unknown_name_suggests_the_closest():
    with pytest.raises(CatalogError, match="您是不是要找：高中阶段教育毛入学率") as err:
        catalog.indicator("高中教育毛入学率")
    assert err.value.code == "E_UNKNOWN_INDICATOR"
    with pytest.raises(CatalogError, match="指标库中没有“zzzz”") as err:
        catalog.indicator("zzzz")
    assert "您是不是要找" not in str(err.value)


@pytest.mark.parametrize("how", [MMR, "孕产妇死亡率", catalog.indicator(MMR), catalog.indicators().loc[MMR],
                                 catalog.indicators().loc[MMR].to_dict()])
def test_indicator_info_reads_every_form_the_same(how):
    assert catalog.indicator_info(how) == catalog.indicator_info(MMR)
    assert catalog.indicator_info(how)["per"] == 100000.0


def test_the_assessment_takes_catalog_objects_ids_and_rows():
    target_id = "kaiping.decision.07-3"
    by_mapping = ws.assess.assess_series(SERIES, {**catalog.target(target_id).to_dict()},
                                         catalog.indicators().loc["decision.village_committee_female_share"]
                                         .to_dict(), year=2025, baseline_year=2020)
    for target, indicator in ((target_id, None), (catalog.target(target_id), "村委会成员中女性比例"),
                              (target_id, catalog.indicator("decision.village_committee_female_share"))):
        got = ws.assess.assess_series(SERIES, target, indicator, year=2025, baseline_year=2020)
        assert got["p_attain"] == by_mapping["p_attain"] and got["status"] == by_mapping["status"]
    for method in ("open-sdg", "escap"):
        peer = ws.assess.get(method)(SERIES, target_id, catalog.indicator(VILLAGE),
                                     year=2025, baseline_year=2020)
        assert peer["model"] == method
    proj = ws.assess.target_projection(SERIES, ">=", catalog.indicator(VILLAGE))
    assert proj.model == "loglinear"
    assert ws.assess.published_step(catalog.indicator(MMR)) == ws.assess.published_step({"unit": "1/10万"})
    with pytest.raises(InputError, match="indicator_id"):
        ws.assess.assess_series(SERIES, {"kind": "quantitative", "operator": ">=", "value": 1,
                                         "target_year": 2030}, year=2025)


def test_target_series_takes_the_indicator_by_name_or_object():
    obs = ws.intake.Store().observations(plan="kaiping")
    keys = {"region_code": "440783", "sex": "female", "residence": "all", "age_group": "all", "year": 2025}
    by_id = ws.assess.target_series(obs, indicator_id=VILLAGE, **keys)
    assert len(by_id) == 7
    for how in ("村委会成员中女性比例", catalog.indicator(VILLAGE)):
        pd.testing.assert_frame_equal(ws.assess.target_series(obs, indicator_id=how, **keys), by_id)
        gap, _ = ws.assess.gap_series(obs, indicator_id=how, **keys)
        pd.testing.assert_frame_equal(gap, ws.assess.gap_series(obs, indicator_id=VILLAGE, **keys)[0])
    with pytest.raises(CatalogError, match="您是不是要找"):
        ws.assess.target_series(obs, indicator_id="村委会女性比例", **keys)


def test_the_long_table_reader_takes_names_and_aliases(tmp_path):
    frame = catalog.indicators()
    alias_row = frame.loc[frame["aliases"].map(len) > 0].iloc[0]
    rows = ["地区代码,年份,指标名称,性别,数值",
            "440783,2023,失业保险参保率,合计,88.1",
            f"440783,2023,{alias_row['aliases'][0]},{'女' if 'sex' in alias_row['breakdowns'] else '合计'},1"]
    path = tmp_path / "mine.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = validate_file(path)
    ids = set(result.rows["indicator_id"])
    assert ids == {"social_security.unemployment_insurance_coverage", alias_row.name}
    assert not [p for p in result.problems if p.code == "E_UNKNOWN_INDICATOR"]
    assert any("认作指标代码" in str(n["steps"]) for n in result.normalisations)


def test_an_unknown_name_is_one_message_with_its_rows_and_the_closest_names(tmp_path):
    lines = ["地区代码,年份,指标代码,数值"] + [f"440783,{y},高中教育毛入学率,95" for y in range(2018, 2025)]
    path = tmp_path / "wrong.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    unknown = [p for p in validate_file(path).problems if p.code == "E_UNKNOWN_INDICATOR"]
    assert len(unknown) == 1
    assert "共 7 行（第2行、第3行、第4行、第5行、第6行 等）" in unknown[0].message
    assert "您是不是要找：高中阶段教育毛入学率" in unknown[0].message


def test_assess_plan_reads_a_frame_with_names_and_warns_when_nothing_matches():
    obs = ws.intake.Store().observations(plan="kaiping")
    names = catalog.indicators()["name"]
    named = obs.assign(indicator_id=obs["indicator_id"].map(names))
    by_name = ws.assess.assess_plan("kaiping", 2025, store=named)
    by_id = ws.assess.assess_plan("kaiping", 2025, store=obs)
    pd.testing.assert_frame_equal(by_name, by_id)
    with pytest.warns(ws.assess.NoMatchWarning, match="没有地区 440783 的观测值"):
        out = ws.assess.assess_plan("kaiping", 2025, store=obs.assign(region_code="440784"))
    assert set(out["status"]) == {"insufficient_data", "qualitative"}
    with pytest.warns(ws.assess.NoMatchWarning, match="不在指标库中的指标：x\\."):
        ws.assess.assess_plan("kaiping", 2025, store=obs.assign(indicator_id="x." + obs["indicator_id"]))
    with pytest.raises(InputError, match="缺少列 sex"):
        ws.assess.assess_plan("kaiping", 2025, store=obs.drop(columns="sex"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert not math.isnan(ws.assess.assess_plan("kaiping", 2025, store=obs)["p_attain"].max())
