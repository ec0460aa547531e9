"""Independent reading of a plan's text, for the tests of a curated ``targets/<plan>.csv``.

The catalog is typed by a person from the plan's text; these helpers read the same text again
without the catalog code (no :mod:`womenstats.catalog.extract`, no :mod:`womenstats.catalog.text`)
so that a test can set the two side by side:

- :func:`numbered_items` splits each area's 主要目标 or 策略措施 block into its numbered items
  (a line starting ``N.`` opens an item; other lines continue it, as in PDF text broken mid-sentence);
- :func:`stated_numbers` finds the numbers a sentence states with a unit (``12/10万``, ``95%``,
  ``78.1岁``), leaving out years, age ranges and item numbers;
- :func:`operator_of` reads the operator a quantitative statement's wording implies;
- the ``test_*`` functions below are the checks every curated plan passes: a plan's test module
  star-imports them (with the fixtures ``plan_id`` and ``goal_counts``) and sets ``PLAN`` and
  ``GOAL_COUNTS``.

Not collected by pytest itself (no ``test_`` prefix in the file name).
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from womenstats import catalog, paths

#: Area headings as the plans print them -> area code (法律 and 法治 both occur).
AREA_HEADINGS: dict[str, str] = {
    "妇女与健康": "health",
    "妇女与教育": "education",
    "妇女与经济": "economy",
    "妇女参与决策和管理": "decision",
    "妇女与社会保障": "social_security",
    "妇女与家庭建设": "family",
    "妇女与环境": "environment",
    "妇女与法律": "law",
    "妇女与法治": "law",
}

#: The shared checks and their fixtures: ``from targets_text import *`` in a plan's test module
#: (which sets ``PLAN`` and ``GOAL_COUNTS``) collects them there.
__all__ = [
    "derived",
    "goal_counts",
    "plan_id",
    "pytest_generate_tests",
    "test_directional_operators_follow_the_wording",
    "test_every_stated_number_is_a_target",
    "test_goal_items_are_those_of_the_text",
    "test_quantitative_rows_follow_their_wording",
    "test_restatements_link_to_a_goal",
    "test_schema_check_passes",
    "test_sentences_are_quoted_from_their_item",
    "test_sex_agrees_with_the_indicator_subject",
    "test_spot_rows_against_the_text",
    "test_target_year_is_the_final_year_unless_stated",
]

#: The fields a 策略措施 or 重点工程 row that restates a 主要目标 (``links_to``) copies from it. The
#: age group may be narrower (a strategy can restate a goal for one age group).
LINK_FIELDS = ["indicator_id", "sex", "kind", "operator", "value", "unit", "target_year"]

#: Words that state each direction of a directional target.
DIRECTION_WORDS = {
    "increase": "提高|延长|提升|增加|增强|改善|强化|加强",
    "decrease": "降低|减少|控制|消除",
    "narrow": "缩小",
    "maintain": "保持",
}

_AREA_LINE = re.compile(r"^[（(][一二三四五六七八][)）](妇女\S+)$")
_CHAPTER_LINE = re.compile(r"^[一二三四五六七八九十]、")
_ITEM_LINE = re.compile(r"^(\d{1,2})[.．、](?!\d)(.*)$")
_PAGE_MARK = re.compile(r"[-—–]\s*\d{1,3}\s*[-—–]")
# A number with the unit it is stated in; a preceding digit, '.', '-' or '～' would make it part of
# something else (a longer number, an age range 35-45岁).
_NUMBER = re.compile(r"(?<![\d.\-～~])(\d+(?:\.\d+)?)(%|/10万|‰|岁|年|:1|所|个|人次)")


def plan_text(plan_id: str) -> str:
    """Return ``data/raw/plans/<plan_id>.txt`` as written."""
    return (paths.raw_dir() / "plans" / f"{plan_id}.txt").read_text(encoding="utf-8")


def flatten(text: str) -> str:
    """Return ``text`` without page markers (``- 34 -``) and without any whitespace."""
    return re.sub(r"\s+", "", _PAGE_MARK.sub("", text))


def numbered_items(text: str, section: str) -> dict[tuple[str, int], str]:
    """Return the numbered items of every area's ``section`` block.

    Parameters
    ----------
    text : str
        The plan's text, one paragraph a line.
    section : {"主要目标", "策略措施"}
        The block to read: it starts at the line that begins with ``section`` and ends at the
        next section heading, area heading or chapter heading (``三、组织实施``).

    Returns
    -------
    dict
        ``(area, number) -> item text`` with whitespace removed and the leading ``N.`` cut.
    """
    items: dict[tuple[str, int], str] = {}
    area: str | None = None
    inside = False
    current: tuple[str, int] | None = None
    for raw in text.splitlines():
        line = flatten(raw)
        if not line:
            continue
        heading = _AREA_LINE.match(line)
        if heading and heading.group(1) in AREA_HEADINGS:
            area, inside, current = AREA_HEADINGS[heading.group(1)], False, None
            continue
        if line.startswith(("主要目标", "策略措施", "重点工程")) or _CHAPTER_LINE.match(line):
            inside, current = line.startswith(section) and area is not None, None
            continue
        if not inside:
            continue
        item = _ITEM_LINE.match(line)
        if item:
            assert area is not None
            current = (area, int(item.group(1)))
            items[current] = item.group(2)
        elif current is not None:
            items[current] += line
    return items


def stated_numbers(sentence: str) -> list[tuple[float, str]]:
    """Return ``(value, unit)`` for each number the sentence states with a unit, years left out.

    ``"孕产妇死亡率控制在12/10万以下"`` -> ``[(12.0, "/10万")]``; ``"2025年"`` and
    ``"35-45岁"`` give nothing. Full-width digits and signs (``１个``, ``95％``) are read as
    half-width (NFKC).
    """
    out = []
    for number, unit in _NUMBER.findall(unicodedata.normalize("NFKC", sentence)):
        if unit == "年" and re.fullmatch(r"\d{4}", number):
            continue
        out.append((float(number), unit))
    return out


def operator_of(sentence: str, better: str) -> str:
    """Return the operator the wording of a quantitative statement implies.

    ``左右`` -> ``≈``; ``以下/以内/不高于/不超过`` -> ``<=``; ``保持/稳定/巩固在…以上`` -> ``maintain``;
    ``以上/不低于/不少于`` -> ``>=``; a bare ``达到X`` follows the indicator's better direction.
    """
    if "左右" in sentence:
        return "≈"
    if re.search(r"以下|以内|不高于|不超过", sentence):
        return "<="
    if re.search(r"(保持|稳定|巩固)在[^，。]*以上", sentence):
        return "maintain"
    if re.search(r"以上|不低于|不少于", sentence):
        return ">="
    return ">=" if better == "higher" else "<="


def assert_spot_row(target_id: str, statement: tuple[str, float, str], literal: str, text: str) -> None:
    """Assert a quantitative row states ``(operator, value, unit)`` and quotes ``literal`` of ``text``.

    ``literal`` is copied from the plan (as printed, or with its stray spaces and page breaks
    removed); the row's sentence holds it with the whitespace removed. A trailing comma or full
    stop may end the literal, to show that no 以上/以下 follows the number; the sentence need not
    hold it. The row's target year is its plan's final year.
    """
    flat = flatten(literal)
    assert flat in flatten(text)
    row = catalog.target(target_id)
    assert (row["kind"], row["operator"], row["value"], row["unit"]) == ("quantitative", *statement)
    assert flat.rstrip(",，。") in row["sentence"]
    assert row["target_year"] == catalog.plan(row["plan"]).final_year


def _better(indicator_id: str) -> str:
    return str(catalog.indicator(indicator_id).better)


# ---------------------------------------------------------------- shared tests
# A plan's test module star-imports these with the two fixtures below and sets ``PLAN`` (the plan
# id) and ``GOAL_COUNTS`` (area -> number of 主要目标 items counted by hand in the text).


def pytest_generate_tests(metafunc):
    """Parametrize ``spot_row`` with the requesting module's ``SPOT_ROWS``.

    Each entry is ``(target_id, operator, value, unit, literal)``, ``literal`` copied from the
    plan as printed. A module without ``SPOT_ROWS`` gets no spot-row test.
    """
    if "spot_row" in metafunc.fixturenames:
        rows = getattr(metafunc.module, "SPOT_ROWS", [])
        metafunc.parametrize("spot_row", rows, ids=[row[0] for row in rows])


@pytest.fixture
def plan_id(request):
    """The plan of the requesting test module (its ``PLAN``)."""
    return request.module.PLAN


@pytest.fixture
def goal_counts(request):
    """Area -> 主要目标 items counted by hand, from the requesting module's ``GOAL_COUNTS``."""
    return request.module.GOAL_COUNTS


def test_schema_check_passes(plan_id):
    problems = [p for p in catalog.check() if p.file == f"targets/{plan_id}.csv"]
    assert problems == []


def test_goal_items_are_those_of_the_text(plan_id, goal_counts):
    """Each area's 主要目标 items in the file are exactly the numbered items of the text."""
    goals = numbered_items(plan_text(plan_id), "主要目标")
    targets = catalog.load(plan_id)
    assert list(goal_counts) == list(catalog.AREAS)
    for area, count in goal_counts.items():
        numbers = sorted(n for a, n in goals if a == area)
        assert numbers == list(range(1, count + 1)), area
        in_file = targets.loc[(targets["area"] == area) & (targets["section"] == "主要目标"), "item"]
        assert sorted(set(in_file)) == [f"{n:02d}" for n in numbers], area


def test_sentences_are_quoted_from_their_item(plan_id):
    """Every sentence is in the text, and inside the item its row names."""
    text = plan_text(plan_id)
    flat = flatten(text)
    blocks = {"主要目标": numbered_items(text, "主要目标"), "策略措施": numbered_items(text, "策略措施")}
    for row in catalog.load(plan_id).itertuples():
        assert row.sentence and row.sentence in flat, row.target_id
        if row.section in blocks:
            number = int(row.item.lstrip("sp"))
            assert row.sentence in blocks[row.section][(row.area, number)], row.target_id


def test_every_stated_number_is_a_target(plan_id):
    """A number with a unit in a 主要目标 or 策略措施 item is the value of a quantitative row of it."""
    text = plan_text(plan_id)
    targets = catalog.load(plan_id)
    quantitative = targets[targets["kind"] == "quantitative"]
    for section, units in (("主要目标", None), ("策略措施", {"%", "/10万", "‰", ":1"})):
        for (area, number), item_text in numbered_items(text, section).items():
            item = f"{number:02d}" if section == "主要目标" else f"s{number}"
            values = set(
                quantitative.loc[(quantitative["area"] == area) & (quantitative["item"] == item), "value"]
            )
            for value, unit in stated_numbers(item_text):
                if units is None or unit in units:
                    assert value in values, (area, item, value, unit)


@pytest.fixture
def derived(request):
    """Target id -> ``(words, value)`` for values read from words, from the module's ``DERIVED``."""
    return getattr(request.module, "DERIVED", {})


def test_quantitative_rows_follow_their_wording(plan_id, derived):
    """Value: a number of the sentence; operator: as the wording says (a bare value is noted).

    A value read from words rather than printed (``全覆盖`` -> 100) is listed in the module's
    ``DERIVED`` as ``target_id -> (words, value)``: the sentence holds the words. A row that
    restates a 主要目标 (``links_to``) carries the goal's operator (test_restatements_link_to_a_goal),
    so only its value is read here; a row of its own also has its operator read from its words and,
    when no operator word follows the value, a note on how it was read (达到, 超过 or 未写…以上).
    """
    targets = catalog.load(plan_id)
    for row in targets[targets["kind"] == "quantitative"].itertuples():
        own = not (isinstance(row.links_to, str) and row.links_to)
        if row.target_id in derived:
            words, value = derived[row.target_id]
            assert words in row.sentence and (words in row.note or not own), row.target_id
            assert row.value == value, row.target_id
        else:
            assert row.value in [v for v, _ in stated_numbers(row.sentence)], row.target_id
            if own and not re.search(r"左右|以下|以内|以上|不高于|不超过|不低于|不少于", row.sentence):
                assert re.search("达到|超过|未写", row.note), row.target_id
        if own:
            assert row.operator == operator_of(row.sentence, _better(row.indicator_id)), row.target_id


def test_target_year_is_the_final_year_unless_stated(plan_id):
    final_year = catalog.plan(plan_id).final_year
    for row in catalog.load(plan_id).itertuples():
        years = [int(y) for y in re.findall(r"(20\d\d)年", row.sentence)]
        assert row.target_year == (years[-1] if years else final_year), row.target_id


def test_restatements_link_to_a_goal(plan_id):
    """links_to names a 主要目标 row, no link itself, whose statement the row copies.

    The copy is compared with pandas' equality (:meth:`pandas.Series.equals`), under which the
    blank value of a directional or qualitative statement (NaN) equals itself. A 策略措施 or
    重点工程 number without a link must not repeat a 主要目标 statement.
    """
    targets = catalog.load(plan_id).set_index("target_id")
    goals = targets[targets["section"] == "主要目标"]
    stated = set(zip(goals["indicator_id"], goals["sex"], goals["operator"], goals["value"], strict=True))
    for ident, row in targets.iterrows():
        link = row["links_to"]
        if isinstance(link, str) and link:
            goal = targets.loc[link]
            assert row["section"] != "主要目标", ident
            assert goal["section"] == "主要目标" and goal["links_to"] in ("", None), ident
            assert goal[LINK_FIELDS].equals(row[LINK_FIELDS]), ident
        elif row["section"] != "主要目标" and row["kind"] == "quantitative":
            key = (row["indicator_id"], row["sex"], row["operator"], row["value"])
            assert key not in stated, ident


def test_directional_operators_follow_the_wording(plan_id):
    """A directional row's operator is worded in its sentence (提高 for increase, 缩小 for narrow…)."""
    directional = catalog.load(plan_id).query("kind == 'directional'")
    wrong = [
        row.target_id
        for row in directional.itertuples()
        if not re.search(DIRECTION_WORDS[row.operator], row.sentence)
    ]
    assert wrong == []


def test_sex_agrees_with_the_indicator_subject(plan_id):
    """``female`` for a women-only indicator or a sex breakdown; ``total`` otherwise."""
    registry = catalog.indicators()
    targets = catalog.load(plan_id)
    wrong = []
    for row in targets[targets["indicator_id"] != ""].itertuples():
        spec = registry.loc[row.indicator_id]
        allowed = {"female"} if spec["subject"] == "female" else {"total"}
        if "sex" in spec["breakdowns"]:
            allowed = allowed | {"female"}
        if row.sex not in allowed:
            wrong.append(row.target_id)
    assert wrong == []


def test_spot_rows_against_the_text(plan_id, spot_row):
    """A row pinned by hand to the printed words (the module's ``SPOT_ROWS``)."""
    target_id, operator, value, unit, literal = spot_row
    assert_spot_row(target_id, (operator, value, unit), literal, plan_text(plan_id))
