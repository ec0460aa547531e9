"""The curated targets of 临河区妇女发展规划（2021-2030年） agree with the plan's text.

``data/raw/plans/linhe.txt`` is a PDF extraction: the whole plan on one line, stray spaces inside
words and page numbers such as ``- 34 -``. This module reads it again without the catalog's text
code: page markers and whitespace are removed, the eight area blocks are cut at their headings
``(一)妇女与健康`` … ``(八)妇女与法律``, each block at ``主要目标:`` and ``策略措施:``, and each
section into its numbered items ``1.`` ``2.`` … (a number after ``。`` or ``:`` not followed by a
digit). ``targets/linhe.csv`` is then set beside that reading. The checks that do not depend on
how the text is split into lines (schema, target years, links, the operator a wording implies, the
direction words, sex against the indicator's subject, the spot rows) come from the shared
``targets_text`` module; its line-based item reader does not fit a one-line text.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from targets_text import (
    flatten,
    operator_of,
    plan_id,
    plan_text,
    pytest_generate_tests,
    test_directional_operators_follow_the_wording,
    test_restatements_link_to_a_goal,
    test_schema_check_passes,
    test_sex_agrees_with_the_indicator_subject,
    test_spot_rows_against_the_text,
    test_target_year_is_the_final_year_unless_stated,
)
from womenstats import catalog

PLAN = "linhe"

__all__ = [
    "plan_id",
    "pytest_generate_tests",
    "test_directional_operators_follow_the_wording",
    "test_restatements_link_to_a_goal",
    "test_schema_check_passes",
    "test_sex_agrees_with_the_indicator_subject",
    "test_spot_rows_against_the_text",
    "test_target_year_is_the_final_year_unless_stated",
]

#: 主要目标 items per area, counted by hand in the printed plan.
GOAL_ITEMS = {
    "health": 11,
    "education": 9,
    "economy": 10,
    "decision": 11,
    "social_security": 9,
    "family": 9,
    "environment": 11,
    "law": 9,
}

_AREA_HEADING = re.compile(r"\([一二三四五六七八]\)妇女(?:与|参与)")
_ITEM_START = re.compile(r"(?<=[。:])(\d{1,2})\.(?!\d)")
# A number with the unit it is stated in (a ratio "1:3" keeps its second term); a digit or "." before
# it would make it part of a longer number.
_STATED = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(%|/10万|‰|:\d+|所|分钟)")
_CHINESE_SHARES = {"三分之一": 100 / 3}


TEXT = flatten(plan_text(PLAN))


def _items(section_text: str) -> dict[int, str]:
    """Split a 主要目标 or 策略措施 block (starting at its colon) into numbered items."""
    starts = list(_ITEM_START.finditer(section_text))
    return {
        int(m.group(1)): section_text[m.end() : nxt.start() if nxt else len(section_text)]
        for m, nxt in zip(starts, [*starts[1:], None], strict=True)
    }


def _blocks() -> dict[str, dict[str, dict[int, str]]]:
    """Area -> {"主要目标": items, "策略措施": items}, read from the flat text."""
    end = TEXT.index("三、组织实施")
    heads = list(_AREA_HEADING.finditer(TEXT, 0, end))
    out = {}
    for area, head, nxt in zip(catalog.AREAS, heads, [*heads[1:], None], strict=True):
        block = TEXT[head.start() : nxt.start() if nxt else end]
        goals, strategies = block.split("主要目标:")[1].split("策略措施:")
        out[area] = {"主要目标": _items(":" + goals), "策略措施": _items(":" + strategies)}
    return out


BLOCKS = _blocks()
TARGETS = catalog.load(PLAN)


def _stated_values(text: str) -> list[float]:
    """Values stated with a unit in ``text``, in the catalog's units (``1:3`` -> 0.333)."""
    values = []
    for number, unit in _STATED.findall(text):
        value = float(number)
        values.append(round(value / float(unit[1:]), 3) if unit.startswith(":") else value)
    values += [round(v, 1) for word, v in _CHINESE_SHARES.items() if word in text]
    return values


def _item_text(row: pd.Series) -> str:
    number = int(row["item"].lstrip("sp"))
    return BLOCKS[row["area"]][row["section"]][number]


def test_text_has_eight_areas_in_order():
    assert list(BLOCKS) == list(catalog.AREAS)


@pytest.mark.parametrize("area", list(catalog.AREAS))
def test_goal_items_match_the_text(area):
    numbers = list(BLOCKS[area]["主要目标"])
    assert numbers == list(range(1, GOAL_ITEMS[area] + 1))
    rows = TARGETS[(TARGETS["area"] == area) & (TARGETS["section"] == "主要目标")]
    assert sorted(set(rows["item"])) == [f"{n:02d}" for n in numbers]


@pytest.mark.parametrize("area", list(catalog.AREAS))
def test_strategy_items_are_numbered_without_gaps(area):
    numbers = list(BLOCKS[area]["策略措施"])
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 9


def test_every_sentence_is_quoted_from_its_own_item():
    misplaced = [
        row["target_id"]
        for _, row in TARGETS.iterrows()
        if re.sub(r"\s+", "", row["sentence"]) not in _item_text(row)
    ]
    assert misplaced == []


def test_every_number_of_a_goal_is_a_quantitative_target_of_its_item():
    missing = []
    for area, sections in BLOCKS.items():
        for number, text in sections["主要目标"].items():
            rows = TARGETS[
                (TARGETS["area"] == area)
                & (TARGETS["item"] == f"{number:02d}")
                & (TARGETS["kind"] == "quantitative")
            ]
            have = {round(float(v), 3) for v in rows["value"]}
            missing += [(area, number, v) for v in _stated_values(text) if v not in have]
    assert missing == []


def test_every_number_in_the_strategies_has_a_row():
    missing = []
    for area, sections in BLOCKS.items():
        for number, text in sections["策略措施"].items():
            rows = TARGETS[(TARGETS["area"] == area) & (TARGETS["item"] == f"s{number}")]
            if _stated_values(text) and rows.empty:
                missing.append((area, number))
    assert missing == []


#: Quantitative rows whose value is derived from words rather than stated as a number.
DERIVED = {
    "linhe.decision.04-1": "至少配备一名女干部",
    "linhe.decision.06-1": "乡镇领导班子中应至少配备一名女干部",
    # "all" / "full coverage" stated in words in 策略措施: 100% of the units (team convention).
    "linhe.health.s4": "覆盖所有助产机构",
    "linhe.health.s12-1": "社区健身中心全覆盖",
    "linhe.decision.s2": "妇女议事会实现全覆盖",
    "linhe.family.s4": "综合服务设施实现全覆盖",
}


def test_every_quantitative_value_is_stated_in_its_sentence():
    quantitative = TARGETS[TARGETS["kind"] == "quantitative"]
    assert len(quantitative) == 31  # counted by hand per area: 15+2+3+7+2+1+1+0
    unstated = []
    for _, row in quantitative.iterrows():
        if row["target_id"] in DERIVED:
            assert DERIVED[row["target_id"]] in row["sentence"]
            continue
        if round(float(row["value"]), 1) not in {round(v, 1) for v in _stated_values(row["sentence"])}:
            unstated.append(row["target_id"])
    assert unstated == []


def test_quantitative_operators_follow_the_wording():
    better = catalog.indicators()["better"]
    quantitative = TARGETS[TARGETS["kind"] == "quantitative"]
    wrong = [
        (row["target_id"], row["operator"])
        for _, row in quantitative.iterrows()
        if row["operator"] != operator_of(row["sentence"], better[row["indicator_id"]])
    ]
    assert wrong == []


#: (target_id, operator, value, unit, literal of the flattened text): checked by the shared
#: test_spot_rows_against_the_text; a trailing comma shows that no 以上 follows the number.
SPOT_ROWS = [
    ("linhe.health.02-1", ">=", 93, "%", "孕产妇系统管理率达到93%以上"),
    ("linhe.health.02-2", "<=", 12, "1/10万", "孕产妇死亡率下降到12/10万以下"),
    ("linhe.health.03-2", ">=", 0.333, "比值", "助产士与产床数比例不低于1:3"),
    ("linhe.health.06-3", "<=", 2, "%", "艾滋病母婴传播率下降到2%以下"),
    ("linhe.health.09-2", "<=", 10, "%", "孕产妇贫血患病率控制在10%以下"),
    ("linhe.health.11-2", ">=", 1, "个", "建设1所区级标准化妇幼保健机构"),
    ("linhe.health.s7", ">=", 100, "%", "健康教育开课率达到100%"),
    ("linhe.health.s4", ">=", 100, "%", "确保救治转诊网络覆盖所有助产机构"),
    ("linhe.decision.s2", ">=", 100, "%", "推进城乡社区妇女议事会实现全覆盖"),
    ("linhe.family.s4", ">=", 100, "%", "城市社区综合服务设施实现全覆盖"),
    ("linhe.economy.02-2", "≈", 45, "%", "就业人员中的女性比例保持在45%左右"),
    ("linhe.economy.05-2", "maintain", 50, "%", "高级专业技术人员中的女性比例保持在50%以上"),
    ("linhe.decision.07-3", ">=", 33.3, "%", "妇女村民代表应占村民代表会议组成人员的三分之一以上"),
    ("linhe.social_security.03-2", "maintain", 95, "%", "妇女基本医疗保险参保率稳定在95%以上"),
    ("linhe.environment.07-1", ">=", 91, "%", "农村自来水普及率达到91%,"),
]


def test_no_year_other_than_the_final_one():
    goals = "".join(text for s in BLOCKS.values() for text in s["主要目标"].values())
    assert re.search(r"到20\d\d年", goals) is None
    assert set(TARGETS["target_year"]) == {catalog.plan(PLAN).final_year}


def test_no_key_projects_and_links_resolve():
    # The plan has no 重点工程 chapter: every row is a goal or a strategy, and any link that is
    # added later must point at a 主要目标 row that is not itself a link.
    assert "重点工程" not in TEXT
    assert set(TARGETS["section"]) == {"主要目标", "策略措施"}
    by_id = TARGETS.set_index("target_id")
    for link in TARGETS.loc[TARGETS["links_to"] != "", "links_to"]:
        assert by_id.loc[link, "section"] == "主要目标" and by_id.loc[link, "links_to"] == ""
