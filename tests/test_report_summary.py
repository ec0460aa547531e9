"""Page one of a report: the counts, the targets needing attention with their reasons, the data owed."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from report_store import PLAN, build_store
from womenstats import catalog
from womenstats.report import summary, tables
from womenstats.report.context import open_report

NAN = math.nan


def _assessment(**overrides) -> pd.DataFrame:
    rows = {
        "target_id": ["t1", "t2", "t3", "t4", "t5", "t6"],
        "status": ["achieved", "off_track", "off_track", "insufficient_data", "regressing", "qualitative"],
        "status_label": ["已达标", "难以达标", "难以达标", "数据不足", "倒退", "定性目标（需评估组判定）"],
        "kind": ["quantitative"] * 5 + ["qualitative"],
        "last_year": [2020, 2020, 2018, NAN, 2020, NAN],
        "target_year": [2020] * 6,
        "area": ["health"] * 6,
    }
    rows.update(overrides)
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def ctx(tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("summary"))
    return open_report("midterm", plan=PLAN, year=2025, store=str(store))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The kaiping mid-term on the full store built from data/raw (targets in every status)."""
    from womenstats.intake import build_store as build_full

    store = tmp_path_factory.mktemp("full") / "store.sqlite"
    build_full(store)
    return open_report("midterm", plan=PLAN, year=2025, store=str(store))


def test_headline_counts_every_status_and_sets_qualitative_apart():
    text = summary.headline(_assessment())
    assert text.startswith("纳入评估的可量化或有方向要求的目标 5 项：**已达标 1 项** · **预计可达标 0 项**")
    assert "**难以达标 2 项**" in text and "**倒退 1 项**" in text and "**数据不足 1 项**" in text
    assert text.endswith("另有定性目标 1 项，由评估组判定（见正文）。")
    assert "未达标" not in text


def test_final_verdicts_keep_unmet_apart_from_insufficient_data():
    verdicts = tables.final_verdicts(_assessment())
    # observed in the target year and missed: 未达标 (off track or regressing); no value: not decided
    assert list(verdicts["status"]) == ["achieved", "unmet", "off_track", "insufficient_data", "unmet",
                                        "qualitative"]
    assert list(verdicts["status_label"])[1] == "未达标"
    labels = list(tables.status_labels(verdicts).values())
    assert labels.index("未达标") == labels.index("难以达标") + 1 and "数据不足" in labels
    counts = tables.status_count_table(verdicts).set_index("领域").loc["合计"]
    assert (counts["未达标"], counts["数据不足"], counts["难以达标"]) == (2, 1, 1)
    share = tables.status_share_table(verdicts).set_index("状态")["项数"]
    assert share["未达标"] == 2 and share["数据不足"] == 1
    text = summary.headline(verdicts)
    assert "**未达标 2 项** · **难以达标 1 项**" in text and "**数据不足 1 项**" in text


def test_reason_names_the_gap_the_trend_and_the_probability():
    row = {"status": "off_track", "operator": ">=", "target_value": 70.0, "target_year": 2030,
           "last_value": 66.1, "last_year": 2024, "proj_value": 68.25, "proj_lo80": 66.0, "proj_hi80": 70.5,
           "p_attain": 0.234}
    text = summary.reason(row, "%", 2025)
    assert text == ("最新值 66.10%（2024年），距目标 70.00% 差 3.90%；按趋势2030年预计 68.25%"
                    "（80%区间 66.00–70.50）；达标概率约 23%。")
    unmet = summary.reason({**row, "status": "unmet", "target_year": 2024}, "%", 2024)
    assert unmet.endswith("目标年2024年的数值未达到目标。") and "按趋势" not in unmet
    regress = summary.reason({**row, "status": "regressing", "operator": "increase", "target_value": NAN},
                             "%", 2025)
    assert "距目标" not in regress and "变化方向与目标相反（非偶然波动）" in regress


def test_focus_table_lists_targets_in_trouble_worst_first_with_their_department(demo):
    focus = summary.focus_table(demo)
    assessment = demo.assessment()
    assessment = assessment[assessment["restates"] == ""].set_index("target_id")  # a restatement once
    assert list(focus.columns) == summary.FOCUS_COLUMNS
    assert len(focus) == assessment["status"].isin(summary.FOCUS).sum() >= 1
    ranks = [summary.FOCUS.index(assessment.loc[t, "status"]) for t in focus["目标编号"]]
    assert ranks == sorted(ranks)
    for row in focus.to_dict("records"):
        indicator = assessment.loc[row["目标编号"], "indicator_id"]
        assert row["责任单位"] == catalog.indicator(indicator).department
        assert row["原因"].endswith("。") and "最新值" in row["原因"]


def test_data_gaps_name_who_owes_what(ctx):
    gaps = summary.data_gaps_table(ctx)
    assessment = tables.judged(ctx.assessment()).set_index("target_id")
    missing = assessment.index[assessment["status"] == "insufficient_data"]
    assert set(missing) <= set(gaps["目标编号"]) and len(missing) > 0
    assert list(gaps["报送单位"]) == sorted(gaps["报送单位"])
    row = gaps.set_index("目标编号").loc[missing[0]]
    assert row["报送单位"] == catalog.indicator(assessment.loc[missing[0], "indicator_id"]).department
    assert "请" in row["缺少的数据"]
    assert "需相关单位补报" in summary.focus_sentence(summary.focus_table(ctx), gaps)
