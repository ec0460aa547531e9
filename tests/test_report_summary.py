"""Page one of a report: the counts, the targets needing attention with their reasons, the data owed."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from report_store import PLAN, build_store
from womenstats import catalog
from womenstats.report.county import summary, tables
from womenstats.report.county.context import open_report

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
    assert text.startswith("纳入评估的可量化或有方向要求的目标 5 项：**已达标 1 项** · **难以达标 2 项**")
    assert "**倒退 1 项**" in text and "**数据不足 1 项**" in text and "预计可达标" not in text
    # 4 with a verdict (数据不足 left out), 1 attained: 25.0%
    assert "有数据可判定的 4 项中，已达标和基本达标合计 1 项，达标率 25.0%" in text
    assert text.endswith("另有定性目标 1 项，由评估组判定（见正文）。")


def test_achievement_rate_counts_nearly_achieved_as_the_nbs_does():
    frame = _assessment(status=["achieved", "nearly_achieved", "off_track", "insufficient_data", "regressing",
                                "qualitative"])
    assert summary.achievement_rate(frame) == (2, 4, 50.0)


def test_a_final_evaluation_counts_in_final_words():
    final = _assessment(
        status=["achieved", "not_achieved", "nearly_achieved", "insufficient_data", "not_achieved",
                "qualitative"],
        status_label=["已实现", "未实现", "基本实现", "数据不足", "未实现", "定性目标（需评估组判定）"],
        final=[True] * 6)
    labels = tables.status_labels(final)
    assert list(labels.values()) == ["已实现", "基本实现", "未实现", "数据不足", "定性目标（需评估组判定）"]
    counts = tables.status_count_table(final).set_index("领域").loc["合计"]
    assert (counts["已实现"], counts["基本实现"], counts["未实现"], counts["数据不足"]) == (1, 1, 2, 1)
    assert "难以达标" not in counts.index and "倒退" not in counts.index
    text = summary.headline(final)
    assert "**已实现 1 项** · **基本实现 1 项** · **未实现 2 项** · **数据不足 1 项**" in text
    assert "已实现和基本实现合计 2 项，达标率 50.0%" in text


def test_reason_says_how_far_in_points_and_the_probability_as_tables_print_it():
    row = {"status": "off_track", "operator": ">=", "comparison": ">=", "target_value": 70.0,
           "target_level": 70.0, "target_year": 2030, "last_value": 66.1, "last_year": 2024,
           "proj_value": 68.25, "proj_lo80": 66.0, "proj_hi80": 70.5, "p_attain": 0.234}
    text = summary.reason(row, "%", 2025)
    assert text == ("最新值 66.1%（2024年），低于目标3.9个百分点；按趋势2030年预计 68.2%"
                    "（80%区间 66.0%–70.5%）；达标概率约 23%。")
    unmet = summary.reason({**row, "status": "not_achieved", "target_year": 2025}, "%", 2025)
    assert unmet.endswith("目标年2025年未达到目标（按2024年数据）。") and "按趋势" not in unmet
    regress = summary.reason({**row, "status": "regressing", "operator": "increase", "comparison": "increase",
                              "target_value": NAN, "target_level": NAN}, "%", 2025)
    assert "低于目标" not in regress and "变化方向与目标相反（非偶然波动）" in regress
    ceiling = summary.reason({**row, "comparison": "<=", "target_level": 15.0, "last_value": 17.04},
                             "1/10万", 2025)
    assert "高于目标上限2.0/10万" in ceiling
    assert "差" not in summary.reason({**row, "last_value": 71.0, "status": "achieved"}, "%", 2025)
    assert "不到1%" in summary.reason({**row, "p_attain": 0.0}, "%", 2025)


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
