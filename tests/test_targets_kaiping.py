"""The curated targets of 开平市妇女发展规划（2021—2030年） against the plan's text.

``data/raw/plans/kaiping.txt`` has one paragraph a line, eight areas with 主要目标 and 策略措施, and a
chapter 三、重点工程 of eight projects whose numbers partly restate 主要目标 targets. The shared checks
(``targets_text``) read the text again on their own: 主要目标 items per area, sentences quoted from
their item, target years, the schema. The tests below add what is particular to this plan: every
number stated with a unit in a 主要目标, 策略措施 or 重点工程 item is a quantitative row of that item
(or, for the few numbers that are not targets, is named here with the reason), each quantitative
row's value and operator follow its own words, 重点工程 sentences come from their project, and the
links_to rows copy the statement they restate.
"""

from __future__ import annotations

import re
import unicodedata

from targets_text import *  # noqa: F403 (the shared checks, collected by pytest in this module)
from targets_text import flatten, numbered_items, plan_text
from womenstats import catalog

# One shared check does not fit this plan and is replaced below by a function of the same name:
# test_every_stated_number_is_a_target (it takes "65岁以上老年人" for a target and does not read the
# 重点工程 chapter). The shared test_quantitative_rows_follow_their_wording reads DERIVED below.

PLAN = "kaiping"
# Counted by hand in the text: the numbered 主要目标 items of each area.
GOAL_COUNTS = {
    "health": 13,
    "education": 9,
    "economy": 9,
    "decision": 9,
    "social_security": 9,
    "family": 12,
    "environment": 13,
    "law": 10,
}

TEXT = plan_text(PLAN)
FLAT = flatten(TEXT)
TARGETS = catalog.load(PLAN)
QUANTITATIVE = TARGETS[TARGETS["kind"] == "quantitative"]
#: Quantitative rows stated in their own right (not restating a 主要目标 through links_to).
OWN = QUANTITATIVE[QUANTITATIVE["links_to"] == ""]


# ---------------------------------------------------------------- an independent reading

#: The area each 重点工程 project belongs to, read from its title (（一）妇女健康保护工程 …).
PROJECT_AREAS = {
    1: ("妇女健康保护工程", "health"),
    2: ("巾帼家政领跑者工程", "economy"),
    3: ("妇女就业创业支持工程", "economy"),
    4: ("巾帼科技创新工程", "economy"),
    5: ("巾帼乡村振兴工程", "economy"),
    6: ("家家幸福安康工程", "family"),
    7: ("公共场所母婴室建设工程", "environment"),
    8: ("巾帼志愿服务关爱工程", "environment"),
}

_CHINESE_NUMBERS = "一二三四五六七八"


def projects() -> dict[int, str]:
    """Return the 重点工程 projects, number -> flattened text, cut from the chapter's lines."""
    chapter = TEXT[TEXT.index("三、重点工程") : TEXT.index("四、组织实施")]
    out = {}
    for line in chapter.splitlines():
        found = re.match(r"^（([一二三四五六七八])）(.*)$", flatten(line))
        if found:
            out[_CHINESE_NUMBERS.index(found.group(1)) + 1] = found.group(2)
    return out


PROJECTS = projects()
GOALS = numbered_items(TEXT, "主要目标")
STRATEGIES = numbered_items(TEXT, "策略措施")

# A number with the unit it is stated in, after NFKC (full-width １ and ％ become 1 and %). A digit,
# '.', '-' before it would make it part of something else (a longer number, an age range 35-45岁).
_STATED = re.compile(r"(?<![\d.\-])(\d+(?:\.\d+)?)(%|/10万|:1|所|个|人次|岁|分钟)")


def stated(text: str) -> list[tuple[float, str]]:
    """Return ``(value, unit)`` for every number ``text`` states with a unit."""
    norm = unicodedata.normalize("NFKC", text)
    return [(float(n), u) for n, u in _STATED.findall(norm)]


#: Numbers stated with a unit that are not targets: (section, area, item) -> literal and reason.
NOT_TARGETS = {
    ("主要目标", "health", "12", 65.0): "65岁以上老年人",  # the population of the indicator
    ("主要目标", "family", "09", 15.0): "“15分钟生活圈”",  # the name of a service circle
    ("策略措施", "health", "s10", 65.0): "65岁及以上常住妇女",
    ("策略措施", "health", "s11", 15.0): "15分钟健身圈",
    ("策略措施", "family", "s5", 3.0): "3岁以下婴幼儿",
    ("策略措施", "family", "s9", 15.0): "15分钟生活圈",
}


def _blocks():
    """Yield ``(section, area, item, text)`` for every 主要目标, 策略措施 and 重点工程 item."""
    for (area, number), text in GOALS.items():
        yield "主要目标", area, f"{number:02d}", text
    for (area, number), text in STRATEGIES.items():
        yield "策略措施", area, f"s{number}", text
    for number, text in PROJECTS.items():
        yield "重点工程", PROJECT_AREAS[number][1], f"p{number}", text


# ---------------------------------------------------------------- the tests


def test_projects_are_the_eight_of_the_chapter():
    assert list(PROJECTS) == list(range(1, 9))
    for number, (title, _) in PROJECT_AREAS.items():
        assert PROJECTS[number].startswith(title), number


def test_strategy_items_are_numbered_without_gaps():
    for area in catalog.AREAS:
        numbers = sorted(n for a, n in STRATEGIES if a == area)
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 9, area


def test_every_stated_number_is_a_target():
    """A number with a unit in a 主要目标, 策略措施 or 重点工程 item is a quantitative row of it."""
    missing = []
    for section, area, item, text in _blocks():
        rows = QUANTITATIVE[(QUANTITATIVE["area"] == area) & (QUANTITATIVE["item"] == item)]
        have = set(rows["value"])
        for value, unit in stated(text):
            exempt = NOT_TARGETS.get((section, area, item, value))
            if exempt is not None:
                assert exempt in text, (section, area, item, exempt)
            elif value not in have:
                missing.append((section, area, item, value, unit))
    assert missing == []


def test_numbers_that_are_not_targets_are_not_quantitative_rows():
    for (section, area, item, value), literal in NOT_TARGETS.items():
        rows = QUANTITATIVE[(QUANTITATIVE["area"] == area) & (QUANTITATIVE["item"] == item)]
        assert value not in set(rows["value"]), (section, area, item, literal)


#: Quantitative rows whose value is read from words, not printed as a number: target -> (words,
#: value), read by the shared test_quantitative_rows_follow_their_wording.
DERIVED = {
    "kaiping.health.s3-2": ("全覆盖", 100.0),
    "kaiping.economy.s4": ("一个以上", 1.0),
    "kaiping.environment.05-2": ("每个行政村建立一支以上", 100.0),
    "kaiping.environment.06-1": ("全覆盖", 100.0),
    "kaiping.environment.07-1": ("全覆盖", 100.0),
    "kaiping.environment.12": ("全覆盖", 100.0),
    "kaiping.environment.s7": ("全覆盖", 100.0),
    "kaiping.environment.p8": ("每个城乡社区都有", 100.0),
    "kaiping.family.p6": ("全覆盖", 100.0),
}


def test_project_sentences_come_from_their_project():
    rows = TARGETS[TARGETS["section"] == "重点工程"]
    assert not rows.empty
    for row in rows.itertuples():
        number = int(row.item[1:])
        assert row.sentence in PROJECTS[number], row.target_id
        assert row.area == PROJECT_AREAS[number][1], row.target_id


#: (target_id, operator, value, unit, literal of the plan as printed): the shared
#: test_spot_rows_against_the_text checks each.
SPOT_ROWS = [
    ("kaiping.health.02-1", "<=", 8, "1/10万", "孕产妇死亡率下降到8/10万以下"),
    ("kaiping.health.04-2", ">=", 91, "%", "孕产妇系统管理率达到91%以上"),
    ("kaiping.health.04-3", ">=", 96, "%", "产妇产后访视率达96%以上"),
    ("kaiping.health.05-1", ">=", 70, "%", "全市婚前医学检查率达到70%"),
    ("kaiping.health.06-3", "<=", 2, "%", "艾滋病母婴传播率下降到2%以下"),
    ("kaiping.health.s3-2", ">=", 100, "%", "实现市域危重孕产妇救治中心全覆盖"),
    ("kaiping.health.s7", "<=", 15, "1/10万", "先天梅毒报告发病率下降至15/10万活产以下"),
    ("kaiping.education.04-2", "maintain", 97.5, "%", "女童九年义务教育巩固率稳定在97.5%以上"),
    ("kaiping.economy.02-2", "≈", 45, "%", "就业人员中的女性比例保持在45%左右"),
    ("kaiping.economy.s3", ">=", 600, "次", "每年为妇女提供家政技能培训600人次以上"),
    ("kaiping.decision.08-3", "≈", 50, "%", "社区居委会成员中女性比例保持在50%左右"),
    ("kaiping.family.09-2", ">=", 30, "%", "千兆宽带网络家庭普及率超过30%"),
    ("kaiping.environment.06-2", "maintain", 99, "%", "农村自来水普及率巩固在99%以上"),
    ("kaiping.environment.s9-1", ">=", 1.5, "比值", "女厕位比男厕位比例不低于1.5:1"),
    ("kaiping.environment.s9-2", ">=", 2, "比值", "人流量较大地区不低于2:1"),
    ("kaiping.environment.p7", ">=", 100, "%", "配置率达到100%"),
    ("kaiping.environment.p8", ">=", 100, "%", "每个城乡社区都有巾帼志愿服务队伍或开展巾帼志愿服务"),
    ("kaiping.law.06-2", ">=", 1, "个", "设立１个以上家庭暴力庇护场所"),
]


def test_a_bare_value_is_not_followed_by_an_operator_word():
    # "达到70%，" in the text: no 以上 after the number, so the >= is the indicator's direction
    assert "全市婚前医学检查率达到70%，孕前优生检查率达到80%以上" in FLAT


def test_approximate_targets_use_the_default_tolerance():
    approx = TARGETS[TARGETS["operator"] == "≈"]
    assert set(approx["target_id"]) == {
        "kaiping.economy.02-2",
        "kaiping.economy.05-2",
        "kaiping.economy.p5",
        "kaiping.decision.08-3",
    }
    assert (approx["tolerance"] == 1.0).all()  # 45%左右 -> 44%..46%


def test_links_keep_the_goal_age_group_but_one():
    """策略措施5 restates the 70% screening goal for women aged 35-45; every other link keeps the
    goal's age group (the shared test_restatements_link_to_a_goal checks the copied statement)."""
    by_id = TARGETS.set_index("target_id")
    links = TARGETS[TARGETS["links_to"] != ""]
    assert len(links) >= 8
    changed = [
        row.target_id for row in links.itertuples() if row.age_group != by_id.loc[row.links_to, "age_group"]
    ]
    assert changed == ["kaiping.health.s5-1"]
    assert by_id.loc["kaiping.health.s5-1", "age_group"] == "35-45"


def test_project_numbers_that_restate_a_goal_are_links():
    """A 重点工程 or 策略措施 number equal to a goal's statement links to it, never repeats it."""
    goals = QUANTITATIVE[QUANTITATIVE["section"] == "主要目标"]
    keys = set(zip(goals["indicator_id"], goals["age_group"], goals["operator"], goals["value"], strict=True))
    others = QUANTITATIVE[(QUANTITATIVE["section"] != "主要目标") & (QUANTITATIVE["links_to"] == "")]
    repeated = [
        row.target_id
        for row in others.itertuples()
        if (row.indicator_id, row.age_group, row.operator, row.value) in keys
    ]
    assert repeated == []
    # the 策略措施 and 重点工程 numbers that restate goals
    for target_id, goal in [
        ("kaiping.health.s5-1", "kaiping.health.03-3"),
        ("kaiping.health.s5-2", "kaiping.health.03-4"),
        ("kaiping.health.p1-2", "kaiping.health.03-3"),
        ("kaiping.health.p1-3", "kaiping.health.02-1"),
        ("kaiping.economy.p3", "kaiping.economy.05-1"),
        ("kaiping.economy.p5", "kaiping.economy.05-2"),
        ("kaiping.environment.p7", "kaiping.environment.12"),
    ]:
        assert catalog.target(target_id)["links_to"] == goal


def test_qualitative_rows_carry_no_indicator_and_every_goal_item_is_kept():
    qualitative = TARGETS[TARGETS["kind"] == "qualitative"]
    assert (qualitative["indicator_id"] == "").all()
    goal_rows = TARGETS[TARGETS["section"] == "主要目标"]
    kept = set(zip(goal_rows["area"], goal_rows["item"], strict=True))
    assert kept == {(area, f"{n:02d}") for area, n in GOALS}


def test_counts_of_statements_counted_by_hand():
    counts = OWN.groupby("section").size().to_dict()
    # numbers in 主要目标: 13 health + 3 + 6 + 4 + 2 + 4 family + 5 environment + 1 law
    # numbers only in 策略措施: health s3-1 (1所), s3-2 (危重孕产妇救治中心全覆盖), s7; economy s3, s4;
    # environment s9-1, s9-2
    # numbers only in 重点工程: 1所妇幼保健机构 (health p1-4, as 策略措施3), 调解组织全覆盖 (family p6),
    # 每个城乡社区都有巾帼志愿服务 (environment p8: all communities, wider than goal 5's 行政村)
    assert counts == {"主要目标": 38, "策略措施": 7, "重点工程": 3}
