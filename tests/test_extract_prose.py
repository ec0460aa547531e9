"""Extraction on texts about plans: news items, 发布会 transcripts, monitoring reports, 发展现状.

The prose corpus (``tests/prose/``) holds texts written for these tests in the forms plans are
quoted in (none is copied from a real text): a news lead whose headline repeats a target, a
新闻发布会 transcript (记者问/答), a monitoring report mixing this year's values with the plan's
targets, a plan opening with a 发展现状 section, and two traditional-character copies (a 繁体版
web page with pinyin debris, a Big5 news item). ``expected_targets.csv`` lists, by hand, every
target each text sets and ``expected_baselines.csv`` every observed value it reports, with the
year it is about; extraction must give exactly these lists, through the library and through
``womenstats catalog extract``.

The tests after the corpus pin each rule of issue 28 to one sentence in the issue's forms.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pytest

from extract_corpus import matching
from womenstats.catalog.extract import BASELINE_COLUMNS, extract_all, extract_text
from womenstats.catalog.text import read_plan_text
from womenstats.cli import main

CORPUS = Path(__file__).parent / "prose"

# The head of a short test text: a plan title, so that the plan's period (2021–2030) is known.
PLAN = "某县妇女发展规划（2021—2030年）\n"
GOALS = "主要目标：\n"


def _expected(name: str) -> pd.DataFrame:
    frame = pd.read_csv(CORPUS / name, dtype=str, keep_default_na=False)
    frame["value"] = frame["value"].astype(float)
    return frame


TARGETS = _expected("expected_targets.csv")
BASELINES = _expected("expected_baselines.csv")
FILES = sorted(TARGETS["file"].unique())


def _target_rows(frame: pd.DataFrame) -> list[tuple]:
    rows = frame[frame["kind"] == "quantitative"]
    return sorted(
        (r.indicator_id, r.operator, float(r.value), r.unit, r.residence, str(r.target_year))
        for r in rows.itertuples(index=False)
    )


def _expected_targets(name: str) -> list[tuple]:
    rows = TARGETS[TARGETS["file"] == name]
    return sorted(
        (r.indicator_id, r.operator, r.value, r.unit, r.residence, r.target_year)
        for r in rows.itertuples(index=False)
    )


def _baseline_rows(frame: pd.DataFrame) -> list[tuple]:
    return sorted(
        (r.indicator_id, r.operator, float(r.value), r.unit, "" if pd.isna(r.year) else str(r.year))
        for r in frame.itertuples(index=False)
    )


def test_the_corpus_holds_every_form_of_the_issue():
    assert set(FILES) == {p.name for p in CORPUS.glob("*.txt")}
    assert set(BASELINES["file"]) <= set(FILES)
    assert (CORPUS / "traditional_big5.txt").read_bytes().decode("big5")  # a real Big5 file


@pytest.mark.parametrize("name", FILES)
def test_recall_and_precision_on_the_prose_corpus_are_exact(name):
    extracted = extract_all(read_plan_text(CORPUS / name), "prose")
    candidates = extracted.targets[extracted.targets["kind"] == "quantitative"].reset_index(drop=True)
    expected = TARGETS[TARGETS["file"] == name].reset_index(drop=True).assign(area="", section="")
    found = len(matching(candidates, expected))
    print(f"\n{name:28s} recall {found}/{len(expected)} = {found / len(expected):.3f}   "
          f"precision {found}/{len(candidates)} = {found / max(len(candidates), 1):.3f}")
    assert _target_rows(extracted.targets) == _expected_targets(name)
    assert _baseline_rows(extracted.baselines) == sorted(
        (r.indicator_id, r.operator, r.value, r.unit, r.year)
        for r in BASELINES[BASELINES["file"] == name].itertuples(index=False)
    )


@pytest.mark.parametrize("name", FILES)
def test_the_command_prints_exactly_the_expected_targets(capsys, tmp_path, name):
    out = tmp_path / "baselines.csv"
    code = main(["catalog", "extract", str(CORPUS / name), "--plan-id", "prose", "--baselines", str(out)])
    printed = capsys.readouterr()
    assert code == 0
    frame = pd.read_csv(io.StringIO(printed.out), dtype=str, keep_default_na=False)
    assert _target_rows(frame.assign(value=frame["value"].replace("", "nan"))) == _expected_targets(name)
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == BASELINE_COLUMNS if rows else out.read_text(encoding="utf-8").startswith("plan,")
    expected = BASELINES[BASELINES["file"] == name]
    assert sorted((r["indicator_id"], r["value"], r["year"]) for r in rows) == sorted(
        (r.indicator_id, f"{r.value:g}", r.year) for r in expected.itertuples(index=False)
    )
    if len(expected):
        assert f"另有 {len(expected)} 个现状数值不是目标" in printed.err


# ---------------------------------------------------------------- rule 1: target or figure


def _read(text: str, plan_id: str = "demo"):
    """Return (targets, baselines) of a text as (indicator, operator, value[, year]) tuples."""
    extracted = extract_all(text, plan_id)
    targets = extracted.targets[extracted.targets["kind"] == "quantitative"]
    baselines = extracted.baselines
    return (
        [(r.indicator_id, r.operator, r.value) for r in targets.itertuples()],
        [(r.indicator_id, r.operator, r.value, None if pd.isna(r.year) else r.year)
         for r in baselines.itertuples()],
    )


def _rows(text: str) -> list[tuple]:
    """Return the quantitative candidates of a text as (indicator, operator, value, unit)."""
    frame = extract_text(text, "demo").query("kind == 'quantitative'")
    return list(frame[["indicator_id", "operator", "value", "unit"]].itertuples(index=False, name=None))


VILLAGE = "decision.village_committee_female_share"
NPC = "decision.npc_deputies_female_share"
SCREENING = "health.common_disease_screening"
GOV, PARTY = "decision.gov_leadership_female_cadres", "decision.party_committee_leadership_female_cadres"
URBAN_JOBS, DELIVERY = "economy.urban_employed_female_share", "health.hospital_delivery"
MMR, MSM = "health.maternal_mortality", "health.maternal_system_management"
TOWNSHIPS = "decision.township_leadership_with_female_share"


@pytest.mark.parametrize(
    ("sentence", "baseline"),
    [
        ("截至2020年，全县村委会成员中女性比例已达到25%。", (VILLAGE, "=", 25.0, 2020)),
        ("目前城镇单位就业人员中的女性比例超过40%。", (URBAN_JOBS, ">=", 40.0, None)),
        ("上一周期规划实施以来，孕产妇住院分娩率一直保持在98%以上。", (DELIVERY, ">=", 98, None)),
        ("据统计，女性人均预期寿命达到80.5岁。", ("health.life_expectancy_female", "=", 80.5, None)),
        ("人大代表中女性比例达28.6%。", (NPC, "=", 28.6, None)),
        ("妇女占全市人口的二分之一。", ("", "=", 50.0, None)),
        ("2019年全县孕产妇死亡率为12.5/10万。", ("health.maternal_mortality", "=", 12.5, 2019)),
        ("据悉，全县孕产妇系统管理率现已达到93%。", ("health.maternal_system_management", "=", 93.0, None)),
        ("全县人大代表中女性比例达到28.6%，比上年提高1.2个百分点。", (NPC, "=", 28.6, None)),
        ("全县实现了孕产妇住院分娩率99%的目标。", ("health.hospital_delivery", "=", 99.0, None)),
    ],
)
def test_an_observed_value_is_kept_apart_never_a_target(sentence, baseline):
    text = f"{PLAN}实施情况\n{sentence}"
    targets, baselines = _read(text)
    assert targets == []
    assert baselines == [baseline]


def test_one_sentence_may_report_a_value_and_set_a_target():
    targets, baselines = _read("截至2020年，全县村委会成员中女性比例已达到25%，力争到2025年达到30%以上。")
    assert targets == [(VILLAGE, ">=", 30.0)]
    assert baselines == [(VILLAGE, "=", 25.0, 2020)]
    frame = extract_text("截至2020年，全县村委会成员中女性比例已达到25%，力争到2025年达到30%以上。")
    assert frame.loc[frame["kind"] == "quantitative", "target_year"].tolist() == [2025]


def test_a_development_status_section_is_read_for_baselines_not_targets():
    text = (
        f"{PLAN}一、发展现状\n"
        "全县妇女事业取得显著成就，孕产妇死亡率控制在11.5/10万以下，妇女常见病筛查率达到85%以上。\n"
        f"二、发展领域、主要目标和策略措施\n（一）妇女与健康\n{GOALS}1.孕产妇死亡率控制在10/10万以下。\n"
    )
    targets, baselines = _read(text)
    assert targets == [("health.maternal_mortality", "<=", 10.0)]
    assert baselines == [
        ("health.maternal_mortality", "<=", 11.5, None),
        (SCREENING, ">=", 85.0, None),
    ]


def test_a_sub_heading_opens_and_closes_a_development_status_section():
    text = (
        f"{PLAN}一、规划背景\n（一）发展基础\n2020年，全县妇女常见病筛查率达到85%以上。\n"
        "（二）目标展望\n到2030年，妇女常见病筛查率达到90%以上。\n"
    )
    targets, baselines = _read(text)
    assert targets == [(SCREENING, ">=", 90.0)]
    assert baselines == [(SCREENING, ">=", 85.0, 2020)]


def test_a_year_of_the_period_is_a_target_year_under_a_heading_and_a_past_one_in_a_report():
    heading = f"{PLAN}（一）妇女与健康\n{GOALS}1.妇女常见病筛查率2027年达到85%左右。"
    report = f"{PLAN}监测报告\n2022年，全县妇女常见病筛查率达到85%左右。"
    assert _read(heading) == ([(SCREENING, "≈", 85.0)], [])
    assert _read(report) == ([], [(SCREENING, "≈", 85.0, 2022)])
    # a marker of the future before the year makes it a target year in a report too
    assert _read(report.replace("2022年，全县", "《规划》提出，2027年全县"))[0] == [(SCREENING, "≈", 85.0)]


def test_a_reported_sentence_carries_its_tense_and_year_to_a_bare_value_after_it():
    text = f"{PLAN}2022年，全县孕产妇死亡率为9.2/10万。孕产妇系统管理率达到93.6%。"
    assert _read(text) == (
        [],
        [(MMR, "=", 9.2, 2022), (MSM, "=", 93.6, 2022)],
    )
    # a bound as targets are set (以上) is a target again
    bound = text.replace("达到93.6%。", "到2030年达到95%以上。")
    assert _read(bound)[0] == [("health.maternal_system_management", ">=", 95.0)]


def test_a_target_quoted_in_a_report_is_a_target_and_takes_the_measure_named_before():
    text = f"{PLAN}监测报告\n2022年，全县孕产妇死亡率为9.2/10万，低于规划目标（10/10万以下）。"
    assert _read(text) == (
        [("health.maternal_mortality", "<=", 10.0)],
        [("health.maternal_mortality", "=", 9.2, 2022)],
    )


def test_married_and_dates_are_no_time_markers():
    text = f"{PLAN}发布时间：2022年3月4日 上午10:30\n已婚育龄妇女常见病筛查率达到90%以上。"
    assert _read(text) == ([(SCREENING, ">=", 90.0)], [])


# ---------------------------------------------------------------- rule 2: one row per target, once


def test_a_headline_repeating_a_body_target_adds_nothing():
    text = (
        "某县：到2030年村委会成员中女性比例达到30%以上\n来源：县妇联 发布时间：2022-05-20 09:30\n"
        "近日，某县印发《某县妇女发展规划（2021—2030年）》，提出到2030年，村委会成员中女性比例达到30%以上。"
    )
    frame = extract_text(text, "demo")
    rows = frame[frame["kind"] == "quantitative"]
    assert rows[["indicator_id", "operator", "value"]].values.tolist() == [[VILLAGE, ">=", 30.0]]
    # the headline runs into the lead in the normalised text: one sentence, one row
    assert "近日" in rows["sentence"].iloc[0]


def test_the_same_target_set_twice_in_a_plan_without_headings_is_kept_twice():
    # a plan may set one level in two areas: only a title repeating the body is dropped
    text = "1.婚前医学检查率达到65%。\n2.为家庭提供优质优生优育服务。婚前医学检查率达到65%。"
    assert len(extract_text(text, "demo").query("kind == 'quantitative'")) == 2


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "村党组织书记、村委会主任和社区居委会主任中女性比例均达到30%以上。",
            [
                ("decision.village_party_secretary_female_share", ">=", 30.0),
                ("decision.village_committee_chair_female_share", ">=", 30.0),
                ("decision.residents_committee_chair_female_share", ">=", 30.0),
            ],
        ),
        (
            "孕产妇系统管理率、产妇产后访视率和产前检查率均达到95%以上。",
            [
                ("health.maternal_system_management", ">=", 95.0),
                ("health.postpartum_visit", ">=", 95.0),
                ("health.prenatal_check", ">=", 95.0),
            ],
        ),
        (
            "党政领导班子中各配备1名以上女干部。",
            [(GOV, ">=", 1.0), (PARTY, ">=", 1.0)],
        ),
    ],
)
def test_a_value_given_to_a_list_gives_one_row_per_subject(sentence, expected):
    assert _read(f"{PLAN}（四）妇女参与决策和管理\n{GOALS}1.{sentence}")[0] == expected


def test_a_subject_of_a_list_that_the_registry_lacks_still_gives_its_row():
    text = f"{PLAN}1.感染艾滋病、梅毒和乙肝的孕产妇接受规范治疗的比例均达到95%以上。"
    frame = extract_text(text, "demo").query("kind == 'quantitative'")
    assert frame[["indicator_id", "operator", "value"]].values.tolist() == [["", ">=", 95.0]] * 3
    notes = frame["note"].tolist()
    assert ["艾滋病" in notes[0], "梅毒" in notes[1], "乙肝" in notes[2]] == [True] * 3


def test_a_list_of_places_is_residences_not_subjects():
    text = f"{PLAN}1.城镇和农村孕产妇住院分娩率均达到99%以上。"
    frame = extract_text(text, "demo").query("kind == 'quantitative'")
    assert frame["residence"].tolist() == ["urban", "rural"]


# ---------------------------------------------------------------- rule 3: counts are counts


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("村委会成员中至少有1名女性成员。", [("", ">=", 1.0, "人")]),
        ("每个村“两委”班子中至少有1名女性成员。", [("", ">=", 1.0, "人")]),
        ("区级政府领导班子至少配备一名女干部。", [(GOV, ">=", 1.0, "人")]),
        # the registry measures the share of township bodies that have one: a coverage
        ("乡镇领导班子中应至少配备一名女干部。", [(TOWNSHIPS, ">=", 100.0, "%")]),
    ],
)
def test_a_count_of_people_per_body_is_a_count(sentence, expected):
    assert _rows(f"{PLAN}1.{sentence}") == expected


def test_a_count_of_each_body_in_a_sentence_is_kept_beside_the_others():
    text = f"{PLAN}1.县委、县政府领导班子中各配备1名以上女干部，村“两委”班子中至少有1名女性成员。"
    assert sorted(_rows(text)) == [("", ">=", 1.0, "人"), (GOV, ">=", 1.0, "人"), (PARTY, ">=", 1.0, "人")]


def test_an_activity_said_to_reach_everyone_is_no_measured_coverage():
    text = f"{PLAN}（七）妇女与环境\n{GOALS}1.推进男女平等基本国策宣传教育培训实现全覆盖。"
    assert extract_text(text, "demo")["kind"].tolist() == ["qualitative"]


# ---------------------------------------------------------------- colon lead, headings run in


def test_a_subject_is_carried_over_from_a_colon_lead():
    text = (
        f"{PLAN}（八）妇女与法治\n{GOALS}"
        "1.加强维护妇女权益的法律法规知识宣传：城市人群覆盖率达到90%以上；农村人群覆盖率逐步达到80%以上。"
    )
    law = "law.rights_law_awareness"
    assert _read(text)[0] == [(law, ">=", 90.0), (law, ">=", 80.0)]


def test_an_area_heading_run_into_its_text_keeps_the_text():
    text = (
        f"{PLAN}（八）妇女与法治：加强法律知识宣传，人群覆盖率逐步达到80%以上。\n"
        f"{GOALS}1.维护妇女权益的法律法规知识普及率达到90%以上。"
    )
    frame = extract_text(text, "demo").query("kind == 'quantitative'")
    assert frame[["area", "operator", "value"]].values.tolist() == [["law", ">=", 80.0], ["law", ">=", 90.0]]


def test_a_time_of_day_is_no_ratio():
    text = f"{PLAN}发布时间：2022-05-20 09:30 上午10:30 女厕位与男厕位比例达到1.5:1以上。"
    assert _read(text)[0] == [("environment.female_to_male_toilet_ratio", ">=", 1.5)]
