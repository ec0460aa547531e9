"""The curated targets of 南沙区 (``targets/nansha.csv``) agree with the plan's own text.

The text ``data/raw/plans/nansha.txt`` is a web page: navigation and footer around the plan. The
tests cut the plan into its blocks independently of the catalog: the eight areas (headings
``（一）妇女与健康`` … ``（八）妇女与法律``), in each the numbered ``主要目标`` and ``策略措施``
items, and the numbered ``重点项目`` (``（一）`` … ``（五）``). Against those blocks they check
that every numbered 主要目标 item has rows, that every row's sentence is quoted from its own item,
that every percentage or rate printed in an item is a target value of that item, and that operators
and values follow the wording.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from targets_text import (
    plan_id,
    pytest_generate_tests,
    test_directional_operators_follow_the_wording,
    test_restatements_link_to_a_goal,
    test_sex_agrees_with_the_indicator_subject,
    test_spot_rows_against_the_text,
)
from womenstats import catalog, paths
from womenstats.catalog.codes import AREAS

# The shared checks of targets_text that fit this plan (the fixture plan_id reads PLAN); its
# line-based item reader does not fit the web page's text, so the blocks are cut here.
__all__ = [
    "plan_id",
    "pytest_generate_tests",
    "test_directional_operators_follow_the_wording",
    "test_restatements_link_to_a_goal",
    "test_sex_agrees_with_the_indicator_subject",
    "test_spot_rows_against_the_text",
]

PLAN = "nansha"
TEXT_PATH = paths.raw_dir() / "plans" / f"{PLAN}.txt"
CN_ORDINALS = "一二三四五六七八九十"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _numbered(block: str) -> dict[int, str]:
    """Split a block into its numbered items ``1.`` ``2.`` … (each at the start of a line)."""
    parts = re.split(r"^\s*(\d+)\.", block, flags=re.M)
    return {int(num): _squash(body) for num, body in zip(parts[1::2], parts[2::2], strict=True)}


def _blocks() -> dict[tuple[str, str, str], str]:
    """Return ``(area, section, item) -> item text`` (whitespace removed) cut from the plan."""
    text = TEXT_PATH.read_text(encoding="utf-8")
    start = text.index("二、发展领域、主要目标和策略措施")
    projects_at = text.index("三、重点项目")
    end = text.index("四、组织实施")
    areas = text[start:projects_at]
    heads = list(re.finditer(r"^\s*[(（]([一二三四五六七八])[)）](妇女[^\n]*)$", areas, flags=re.M))
    assert [h.group(1) for h in heads] == list(CN_ORDINALS[:8])
    out: dict[tuple[str, str, str], str] = {}
    for area, head, nxt in zip(AREAS, heads, [*heads[1:], None], strict=True):
        body = areas[head.end() : nxt.start() if nxt else len(areas)]
        goals, measures = re.split(r"^\s*策略措施[:：]\s*$", body, flags=re.M)
        goals = re.split(r"^\s*主要目标[:：]\s*$", goals, flags=re.M)[1]
        for num, item in _numbered(goals).items():
            out[(area, "主要目标", f"{num:02d}")] = item
        for num, item in _numbered(measures).items():
            out[(area, "策略措施", f"s{num}")] = item
    projects = re.split(r"^\s*[(（]([一二三四五六七八九十])[)）]", text[projects_at:end], flags=re.M)
    for ordinal, item in zip(projects[1::2], projects[2::2], strict=True):
        out[("*", "重点工程", f"p{CN_ORDINALS.index(ordinal) + 1}")] = _squash(item)
    return out


BLOCKS = _blocks()
TARGETS = catalog.load(PLAN)


def _block_of(row: pd.Series) -> str:
    area = "*" if row["section"] == "重点工程" else row["area"]
    return BLOCKS[(area, row["section"], row["item"])]


def _goal_items_in_text(area: str) -> list[str]:
    return sorted(item for a, section, item in BLOCKS if a == area and section == "主要目标")


def test_text_blocks_are_numbered_without_gaps():
    # Guards the cutting itself: each area's 主要目标 and 策略措施 run 1..n, five 重点项目.
    for area in AREAS:
        for section, prefix in (("主要目标", ""), ("策略措施", "s")):
            nums = sorted(int(item.lstrip("s")) for a, sec, item in BLOCKS if a == area and sec == section)
            assert nums == list(range(1, len(nums) + 1)) and len(nums) >= 9, (area, section, prefix)
    assert sorted(item for a, _, item in BLOCKS if a == "*") == [f"p{k}" for k in range(1, 6)]


@pytest.mark.parametrize("area", list(AREAS))
def test_every_numbered_goal_item_has_rows(area):
    in_text = _goal_items_in_text(area)
    rows = TARGETS[(TARGETS["area"] == area) & (TARGETS["section"] == "主要目标")]
    assert sorted(set(rows["item"])) == in_text


def test_goal_item_counts_per_area():
    counts = {area: len(_goal_items_in_text(area)) for area in AREAS}
    assert counts == {
        "health": 13,
        "education": 10,
        "economy": 9,
        "decision": 9,
        "social_security": 9,
        "family": 11,
        "environment": 12,
        "law": 10,
    }


def test_every_sentence_is_quoted_from_its_own_item():
    for _, row in TARGETS.iterrows():
        assert row["sentence"], row["target_id"]
        assert _squash(row["sentence"]) in _block_of(row), row["target_id"]


_RATE = re.compile(r"(\d+(?:\.\d+)?)(?:%|/10万)")


@pytest.mark.parametrize("section", ["主要目标", "策略措施"])
def test_every_printed_rate_is_a_target_value_of_its_item(section):
    for (area, sec, item), text in BLOCKS.items():
        if sec != section:
            continue
        rows = TARGETS[(TARGETS["area"] == area) & (TARGETS["item"] == item)]
        values = set(rows.loc[rows["kind"] == "quantitative", "value"])
        for number in _RATE.findall(text):
            assert float(number) in values, f"{area} {item}: {number} has no target row"


def _wording_operator(sentence: str) -> str:
    if "左右" in sentence:
        return "≈"
    if "以下" in sentence or "不高于" in sentence:
        return "<="
    if "保持" in sentence and "以上" in sentence:
        return "maintain"
    return ">="


def _printed_values(sentence: str) -> set[float]:
    values = {float(n) for n in re.findall(r"\d+(?:\.\d+)?", sentence)}
    # "full coverage", "all", "every town at least one" are 100% of the units.
    if re.search(r"全(区)?覆盖|全部|均能|每个.*至少", sentence):
        values.add(100.0)
    if "三分之一" in sentence:
        values.add(33.3)
    return values


def test_quantitative_rows_follow_the_wording():
    quantitative = TARGETS[TARGETS["kind"] == "quantitative"]
    assert len(quantitative) >= 35
    for _, row in quantitative.iterrows():
        assert row["operator"] == _wording_operator(row["sentence"]), row["target_id"]
        assert row["value"] in _printed_values(row["sentence"]), row["target_id"]
        assert row["unit"] == catalog.indicator(row["indicator_id"]).unit, row["target_id"]


#: (target_id, operator, value, unit, literal text of the plan): checked by the shared
#: test_spot_rows_against_the_text.
SPOT_ROWS = [
    ("nansha.health.02", "<=", 7.5, "1/10万", "孕产妇死亡率控制在7.5/10万以下"),
    ("nansha.health.s7-2", "<=", 15, "1/10万", "先天梅毒报告发病率下降至15/10万活产数以下"),
    ("nansha.economy.02-2", "≈", 45, "%", "就业人员中的女性比例保持在45%左右"),
    ("nansha.education.06", "maintain", 99, "%", "女生高中阶段教育毛入学率保持在99%以上"),
    ("nansha.decision.07-5", ">=", 33.3, "%", "妇女村民代表占村民代表会议组成人员的三分之一以上"),
    ("nansha.environment.s8-1", ">=", 1.5, "比值", "男女厕位比例不低于1:1.5"),
    ("nansha.law.04-3", ">=", 1, "个", "设立至少1个家庭暴力庇护场所"),
    ("nansha.family.03-2", ">=", 30, "%", "千兆宽带网络家庭普及率超过30%"),
    # 全覆盖 stated only in 策略措施 (no printed number): 100% by the team's convention.
    ("nansha.health.s7-3", ">=", 100, "%", "落实预防艾滋病、梅毒和乙肝母婴传播措施全覆盖"),
    ("nansha.environment.s7", ">=", 100, "%", "推进城镇污水管网全覆盖"),
]


def test_dated_statements_carry_their_year():
    dated = TARGETS[TARGETS["sentence"].str.contains("2025年")]
    assert len(dated) >= 3
    assert set(dated["target_year"]) == {2025}
    undated = TARGETS[~TARGETS["sentence"].str.contains(r"20\d\d年")]
    assert set(undated["target_year"]) == {2030}


def test_strategy_links_stay_in_their_area():
    """At least eight links, and a 策略措施 link restates a goal of its own area.

    That each link names a 主要目标 row and copies its statement is the shared
    test_restatements_link_to_a_goal.
    """
    linked = TARGETS[TARGETS["links_to"] != ""]
    assert len(linked) >= 8
    area = TARGETS.set_index("target_id")["area"]
    strategies = linked[linked["section"] == "策略措施"]
    assert list(area[strategies["links_to"]]) == list(strategies["area"])


def test_kinds_are_consistent():
    qualitative = TARGETS["kind"] == "qualitative"
    assert (TARGETS.loc[qualitative, "indicator_id"] == "").all()
    assert (TARGETS.loc[~qualitative, "indicator_id"] != "").all()
    directional = TARGETS[TARGETS["kind"] == "directional"]
    assert directional["value"].isna().all()
    assert set(directional["operator"]) <= {"increase", "decrease", "maintain", "narrow"}
