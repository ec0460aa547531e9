"""The curated targets of 洮北区妇女发展规划（2021-2030年）（征求意见稿）against the plan's text.

The shared checks (imported from ``targets_text``) read ``data/raw/plans/taobei.txt`` again on
their own: item numbers per area, sentences quoted from their item, every stated number a target,
operators as worded, target years, links. The tests below pin rows to literal strings of the text.
"""

from __future__ import annotations

from targets_text import *  # noqa: F403 (the shared checks, collected by pytest in this module)
from targets_text import numbered_items, plan_text
from womenstats import catalog

PLAN = "taobei"
# Counted by hand in the text: the numbered 主要目标 items of each area.
GOAL_COUNTS = {
    "health": 9,
    "education": 8,
    "economy": 10,
    "decision": 10,
    "social_security": 9,
    "family": 9,
    "environment": 8,
    "law": 9,
}


# target_id, operator, value, unit, literal text of the plan holding the statement (checked by the
# shared test_spot_rows_against_the_text)
SPOT_ROWS = [
    ("taobei.health.02-1", "<=", 12.0, "1/10万", "孕产妇死亡率控制在12/10万以下"),
    ("taobei.health.03-3", ">=", 70.0, "%", "适龄妇女宫颈癌人群筛查率达到70%以上"),
    ("taobei.health.05-2", "<=", 2.0, "%", "艾滋病母婴传播率下降到2%以下"),
    ("taobei.health.s4", ">=", 90.0, "%", "孕产妇系统管理率达到90%以上"),
    ("taobei.health.s7-1", ">=", 98.0, "%", "孕产妇艾滋病、梅毒和乙肝检测率达到98%以上"),
    ("taobei.education.04-2", ">=", 95.0, "%", "高中阶段毛入学率达到95%"),
    ("taobei.economy.03-2", "≈", 40.0, "%", "城镇单位就业人员中的女性比例达到40%左右"),
    ("taobei.economy.05-2", ">=", 40.0, "%", "高级专业技术人员中的女性比例达到40%"),
    ("taobei.decision.08-3", ">=", 30.0, "%", "村委会成员中女性比例达到30%以上"),
    ("taobei.social_security.03-1", ">=", 95.0, "%", "妇女基本医疗保险参保率不低于95%"),
    ("taobei.environment.06-1", ">=", 95.0, "%", "农村自来水普及率达到95%"),
]


def test_quantitative_targets_are_the_fifteen_of_the_text():
    """All numbers of the text: 10 in 主要目标, 5 only in 健康 策略措施 4, 5 and 7; no 重点工程."""
    targets = catalog.load(PLAN)
    numbers = targets[targets["kind"] == "quantitative"]
    assert (numbers["section"] == "主要目标").sum() == 10
    assert sorted(numbers.loc[numbers["section"] == "策略措施", "item"]) == ["s4", "s5", "s5", "s7", "s7"]
    assert "重点工程" not in set(targets["section"])
    assert (targets["links_to"] == "").all()


def test_two_statements_in_one_item_are_two_rows():
    """村委会成员 30% and three 逐步提高 share the 决策 item 8; the item text holds all four."""
    item = numbered_items(plan_text(PLAN), "主要目标")[("decision", 8)]
    rows = catalog.load(PLAN).query("area == 'decision' and item == '08'")
    assert list(rows["target_id"]) == [f"taobei.decision.08-{n}" for n in range(1, 5)]
    assert list(rows["kind"]) == ["directional", "directional", "quantitative", "directional"]
    assert all(sentence in item for sentence in rows["sentence"])


def test_women_only_and_gap_statements_use_different_indicators():
    targets = catalog.load(PLAN).set_index("target_id")
    gap = targets.loc["taobei.education.07-2"]
    assert (gap["indicator_id"], gap["operator"], gap["sex"]) == (
        "education.science_literacy_gap",
        "narrow",
        "total",
    )
    assert catalog.indicator(gap["indicator_id"]).subject == "both"
    share = targets.loc["taobei.decision.08-3"]
    assert catalog.indicator(share["indicator_id"]).subject == "female"
    assert share["sex"] == "female"


def test_unmeasurable_readings_are_kept_as_qualitative():
    """上升趋势减缓 and a share compared with another share have no operator: judged, not dropped."""
    targets = catalog.load(PLAN).set_index("target_id")
    for ident in ("taobei.health.06-2", "taobei.decision.02-2"):
        row = targets.loc[ident]
        assert row["kind"] == "qualitative"
        assert row["indicator_id"] == "" and row["operator"] == ""
        assert row["note"]
    assert (targets["area"] == "law").sum() == 9
    assert (targets.loc[targets["area"] == "law", "kind"] == "qualitative").all()
