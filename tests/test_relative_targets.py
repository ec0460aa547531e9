"""Targets set as a change from the plan's baseline year: 比2020年下降10%, 提高5个百分点.

End to end: the catalog schema accepts them with the right unit, the status rule turns them into
a level from the baseline-year value (数据不足 without one), the peers' adapters judge the same
level, and a report writes them in words. Expected levels are computed by hand in the comments.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from test_catalog_schema import GOOD_ROWS, make_demo, only_problem, write_targets
from womenstats import catalog
from womenstats.assess import assess_series
from womenstats.assess.peers import assess_open_sdg
from womenstats.assess.status import relative_level
from womenstats.report.county.tables import target_text

MMR = {"lower": 0.0, "upper": 100000.0, "better": "lower", "per": 100000.0}
SHARE = {"lower": 0.0, "upper": 100.0, "better": "higher", "per": None}


def series(years, values):
    return pd.DataFrame({"year": years, "value": values, "numerator": np.nan, "denominator": np.nan})


@pytest.mark.parametrize(("operator", "change", "baseline", "expected"), [
    ("decrease_pct", 10, 20.0, ("<=", 18.0)),      # 20 × (1 − 0.10)
    ("increase_pct", 5, 80.0, (">=", 84.0)),       # 80 × 1.05
    ("decrease_pp", 2, 30.0, ("<=", 28.0)),        # 30 − 2 points
    ("increase_pp", 5, 60.0, (">=", 65.0)),        # 60 + 5 points
])
def test_relative_level(operator, change, baseline, expected):
    cmp, level = relative_level(operator, change, baseline)
    assert cmp == expected[0] and level == pytest.approx(expected[1])


def test_a_relative_target_is_judged_against_the_level_it_sets():
    # baseline 2020 = 19; 下降10% -> <= 17.1; the latest value 15 meets it.
    s = series(range(2019, 2025), [20.0, 19.0, 18.0, 17.0, 16.0, 15.0])
    target = {"kind": "quantitative", "operator": "decrease_pct", "value": 10.0, "tolerance": np.nan,
              "target_year": 2030}
    out = assess_series(s, target, MMR, year=2024, baseline_year=2020)
    assert out["target_level"] == pytest.approx(17.1)
    assert out["status"] == "achieved"
    same = assess_series(s, {**target, "operator": "<=", "value": 17.1}, MMR, year=2024, baseline_year=2020)
    assert out["p_attain"] == pytest.approx(same["p_attain"])
    # 下降30% -> <= 13.3: not met yet by 15, the trend (−1 a year) reaches it
    far = assess_series(s, {**target, "value": 30.0}, MMR, year=2024, baseline_year=2020)
    assert far["target_level"] == pytest.approx(13.3) and far["status"] != "achieved"


def test_percentage_points_on_a_share():
    # baseline 2020 = 60.0; 提高5个百分点 -> >= 65; the series ends at 62.
    s = series(range(2019, 2025), [59.0, 60.0, 60.5, 61.0, 61.6, 62.0])
    target = {"kind": "quantitative", "operator": "increase_pp", "value": 5.0, "tolerance": np.nan,
              "target_year": 2030}
    out = assess_series(s, target, SHARE, year=2024, baseline_year=2020)
    assert out["target_level"] == pytest.approx(65.0)
    assert out["status"] in ("on_track", "at_risk", "off_track")


def test_no_baseline_year_value_is_insufficient_data():
    s = series(range(2021, 2025), [18.0, 17.0, 16.0, 15.0])
    target = {"kind": "quantitative", "operator": "decrease_pct", "value": 10.0, "tolerance": np.nan,
              "target_year": 2030}
    out = assess_series(s, target, MMR, year=2024, baseline_year=2020)
    assert out["status"] == "insufficient_data" and "2020" in out["warning_text"]
    assert out["n_obs"] == 4 and math.isnan(out["target_level"])
    peer = assess_open_sdg(s, target, MMR, year=2024, baseline_year=2020)
    assert peer["status"] == "not_available"


def test_the_peers_judge_the_same_level():
    s = series(range(2019, 2025), [20.0, 19.0, 18.0, 17.0, 16.0, 15.0])
    target = {"kind": "quantitative", "operator": "decrease_pct", "value": 10.0, "tolerance": np.nan,
              "target_year": 2030}
    out = assess_open_sdg(s, target, MMR, year=2024, baseline_year=2020)
    assert out["status"] == "target_achieved" and out["target_level"] == pytest.approx(17.1)


def test_report_words():
    assert target_text("decrease_pct", 10.0, "%") == "比基期下降 10%"
    assert target_text("increase_pp", 5.0, "%") == "比基期提高 5个百分点"
    assert target_text("increase_pp", 1.0, "岁") == "比基期提高 1 岁"


def _relative_row(**change):
    row = {**GOOD_ROWS[0], "target_id": "demo.health.02-2", "operator": "decrease_pct", "value": "10",
           "unit": "%", "sentence": "孕产妇死亡率比2020年下降10%", "links_to": ""}
    return {**row, **change}


@pytest.fixture
def demo(tmp_path):
    yield make_demo(tmp_path)
    catalog.clear_cache()


@pytest.mark.parametrize(("change", "code", "words"), [
    ({}, None, ""),
    ({"unit": "1/10万"}, "E_UNIT_MISMATCH", "基期值的百分比"),
    ({"value": "120"}, "E_OUT_OF_BOUNDS", "120"),
    ({"operator": "decrease_pp", "unit": "1/10万", "value": "2"}, None, ""),
    ({"operator": "decrease_pp", "unit": "%", "value": "2"}, "E_UNIT_MISMATCH", "1/10万"),
    ({"value": "-5"}, "E_OUT_OF_BOUNDS", "-5"),
])
def test_schema_of_relative_targets(demo, change, code, words):
    write_targets(demo / "targets" / "demo.csv", [*GOOD_ROWS, _relative_row(**change)])
    catalog.clear_cache()
    if code is None:
        assert catalog.check(demo) == []
        row = catalog.load("demo", data_dir=demo).set_index("target_id").loc["demo.health.02-2"]
        assert row["kind"] == "quantitative" and row["operator"] == _relative_row(**change)["operator"]
        return
    problem = only_problem(demo)
    assert problem.code == code and words in problem.message
