"""The curated targets of 古县妇女发展“十四五”规划（古政发〔2023〕10号）against the plan's text.

The shared checks (imported from ``targets_text``) read ``data/raw/plans/guxian.txt`` again on
their own: item numbers per area, sentences quoted from their item (the text is broken mid-sentence
across lines and has spaces around numbers: ``78.1 岁``), every stated number a target, operators as
worded, target years (2025, the plan's final year), links. The tests below pin rows to literal
strings of the text.
"""

from __future__ import annotations

from targets_text import *  # noqa: F403 (the shared checks, collected by pytest in this module)
from targets_text import numbered_items, plan_text
from womenstats import catalog

PLAN = "guxian"
# Counted by hand in the text: the numbered 主要目标 items of each area.
GOAL_COUNTS = {
    "health": 10,
    "education": 8,
    "economy": 9,
    "decision": 6,
    "social_security": 8,
    "family": 7,
    "environment": 9,
    "law": 8,
}


# target_id, operator, value, unit, literal text of the plan (as printed, spaces and all); read by
# the shared test_spot_rows_against_the_text through pytest_generate_tests
SPOT_ROWS = [
    ("guxian.health.01-2", ">=", 78.1, "岁", "妇女人均预期寿命达到 78.1 岁"),
    ("guxian.health.02-1", "<=", 12.5, "1/10万", "孕产妇死亡率下降到 12.5/10 万以内"),
    ("guxian.health.05-3", "<=", 2.5, "%", "艾滋病母婴传播率下降到 2.5% 以下"),
    ("guxian.health.09-1", ">=", 50.0, "%", "体育人口占比达到 50% 以上"),
    ("guxian.education.03-2", "maintain", 99.95, "%", "小学、初中阶段净入学率均保持在99.95%以上"),
    ("guxian.education.03-3", "maintain", 99.95, "%", "小学、初中阶段净入学率均保持在99.95%以上"),
    ("guxian.education.08-2", ">=", 11.6, "年", "劳动年龄女性平均受教育年限达到 11.6 年"),
    ("guxian.economy.02-2", "≈", 45.0, "%", "就业人员中的女性比例保持在45%左右"),
    ("guxian.decision.05-5", "≈", 30.0, "%", "村委会成员中女性比例达到30%左右"),
    ("guxian.decision.05-6", "≈", 50.0, "%", "社区居委会成员中女性比例保持在50%左右"),
    ("guxian.social_security.02-2", "maintain", 95.0, "%", "妇女基本医疗保险参保率稳定在95%以上"),
    ("guxian.environment.06-1", "maintain", 96.0, "%", "农村自来水普及率稳定在96%以上"),
    ("guxian.environment.07-1", "≈", 85.0, "%", "2025 年达到 85%左右"),
    ("guxian.decision.s8-2", ">=", 100.0, "%", "推进城乡社区妇女议事会实现全覆盖并有效运行"),
]


def test_a_sentence_broken_across_lines_is_quoted_whole():
    """环境 item 6 is split over two lines by the PDF (饮/用水); the row quotes it joined."""
    text = plan_text(PLAN)
    assert "提升城市集中式饮\n" in text
    row = catalog.target("guxian.environment.06-2")
    assert row["sentence"] == "提升城市集中式饮用水水源水质"
    assert row["sentence"] in numbered_items(text, "主要目标")[("environment", 6)]


#: Quantitative rows whose value is read from words, not printed as a number: target -> (words,
#: value), read by the shared test_quantitative_rows_follow_their_wording (策略措施8's 全覆盖 is 100,
#: the team's convention).
DERIVED = {"guxian.decision.s8-2": ("全覆盖", 100.0)}


def test_quantitative_targets_are_the_nineteen_of_the_text():
    """18 statements (99.95% twice) are in 主要目标; 策略措施8 adds 妇女议事会全覆盖.

    No other 策略措施 number is a target (35-45岁 is an age range, 3岁以下 an age limit) and there
    is no 重点工程; nothing restates a 主要目标, so no row links.
    """
    targets = catalog.load(PLAN)
    numbers = targets[targets["kind"] == "quantitative"]
    assert len(numbers) == 19
    assert (numbers["section"] == "主要目标").sum() == 18
    assert numbers.loc[numbers["section"] == "策略措施", "target_id"].tolist() == list(DERIVED)
    assert set(targets["section"]) == {"主要目标", "策略措施"}
    assert (targets["links_to"] == "").all()


def test_unmeasurable_readings_are_kept_as_qualitative():
    """上升趋势减缓, a share set against another share (twice), and a value 国家下达 but not printed."""
    targets = catalog.load(PLAN).set_index("target_id")
    for ident in (
        "guxian.health.06-2",
        "guxian.decision.02-2",
        "guxian.decision.s8-1",
        "guxian.environment.05-2",
    ):
        row = targets.loc[ident]
        assert row["kind"] == "qualitative"
        assert row["indicator_id"] == "" and row["operator"] == ""
        assert row["note"]
    assert (targets.loc[targets["area"] == "law", "kind"] == "qualitative").all()


def test_womens_rows_of_whole_population_indicators_say_female():
    """劳动年龄女性平均受教育年限 and 女性青壮年文盲 are the female rows of total indicators."""
    for ident in ("guxian.education.08-1", "guxian.education.08-2"):
        row = catalog.target(ident)
        assert row["sex"] == "female"
        assert "sex" in catalog.indicator(row["indicator_id"]).breakdowns
