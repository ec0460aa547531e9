"""Extraction of candidate targets from a plan's text.

Unit tests feed hand-written sentences through the whole pipeline (:func:`extract_text`: cleaning,
structure, values, operators, indicators). The measurement test then runs extraction on every seed
plan whose curated targets file exists and compares the candidates with the curated rows:

- recall = share of the curated quantitative rows (``kind`` quantitative, ``links_to`` blank, any
  section) that a candidate matches;
- precision = share of the quantitative candidates that match a curated quantitative row (a
  restatement with ``links_to`` is a real target too).

A candidate matches a curated row when operator and value agree (values within 0.2%, so that
``1:3`` read as 0.333 matches a curated 0.333) and, when both name an indicator, the indicators
agree. Each row and each candidate is used once: the pairs are a maximum matching
(:func:`scipy.optimize.linear_sum_assignment`), preferring pairs in the same area and section.
"""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from docx import Document

from extract_corpus import matching, measure
from womenstats import catalog, paths
from womenstats.catalog.extract import EXTRACT_COLUMNS, extract_targets, extract_text
from womenstats.catalog.text import normalise, read_plan_text
from womenstats.errors import InputError

SEEDS = ("linhe", "kaiping", "nansha", "taobei", "guxian")
PLANS_DIR = paths.raw_dir() / "plans"
MIN_RECALL = 0.95
MIN_PRECISION = 0.90
OVERALL_PRECISION = 0.99


def plan_text(*items: str, section: str = "主要目标", area: str = "（一）妇女与健康") -> str:
    """A minimal plan: one area, one section, the given items numbered 1., 2., …"""
    body = "\n".join(f"{n}.{text}" for n, text in enumerate(items, start=1))
    return f"某县妇女发展规划（2021—2030年）\n{area}\n{section}：\n{body}\n"


def quantitative(*items: str, **kwargs: str) -> list[tuple[str, str, float, str]]:
    frame = extract_text(plan_text(*items, **kwargs), plan_id="demo")
    rows = frame[frame["kind"] == "quantitative"]
    return [(r.indicator_id, r.operator, round(r.value, 3), r.unit) for r in rows.itertuples(index=False)]


# ---------------------------------------------------------------- values and operators


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("孕产妇死亡率控制在8/10万以下。", ("health.maternal_mortality", "<=", 8.0, "1/10万")),
        ("孕产妇死亡率下降到12/十万以下。", ("health.maternal_mortality", "<=", 12.0, "1/10万")),
        ("人工流产率控制在15‰以下。", ("health.induced_abortion_rate", "<=", 15.0, "‰")),
        ("孕产妇系统管理率达到93%以上。", ("health.maternal_system_management", ">=", 93.0, "%")),
        ("孕产妇贫血患病率控制在10%以下。", ("health.maternal_anemia", "<=", 10.0, "%")),
        ("高中阶段教育毛入学率不低于95%。", ("education.high_school_gross_enrollment", ">=", 95.0, "%")),
        ("剖宫产率不超过30%。", ("health.caesarean_rate", "<=", 30.0, "%")),
        ("就业人员中的女性比例保持在45%左右。", ("economy.employed_female_share", "≈", 45.0, "%")),
        ("女性人均预期寿命达到80岁左右。", ("health.life_expectancy_female", "≈", 80.0, "岁")),
        (
            "妇女基本养老保险参保率稳定在95%以上。",
            ("social_security.basic_pension_insurance_female", "maintain", 95.0, "%"),
        ),
        ("农村自来水普及率巩固在99%以上。", ("environment.rural_tap_water", "maintain", 99.0, "%")),
        ("九年义务教育巩固率达到96%以上。", ("education.compulsory_consolidation", ">=", 96.0, "%")),
        ("女厕位与男厕位比例不低于1.5:1。", ("environment.female_to_male_toilet_ratio", ">=", 1.5, "比值")),
        ("男女厕位比例不低于1：1.5。", ("environment.female_to_male_toilet_ratio", ">=", 1.5, "比值")),
        (
            "各助产机构助产士与产床数比例不低于1∶3。",
            ("health.midwife_to_delivery_bed_ratio", ">=", 0.333, "比值"),
        ),
        (
            "妇女村民代表占村民代表会议组成人员的三分之一以上。",
            ("decision.village_representatives_female_share", ">=", 33.3, "%"),
        ),
        ("农村无害化卫生厕所实现全覆盖。", ("environment.rural_harmless_sanitary_toilet", ">=", 100.0, "%")),
        (
            "妇女参加基本医疗保险实现全区覆盖。",
            ("social_security.basic_medical_insurance_female", ">=", 100.0, "%"),
        ),
        (
            "每个城乡社区都有巾帼志愿服务队伍或开展巾帼志愿服务。",
            ("environment.communities_with_women_volunteer_service", ">=", 100.0, "%"),
        ),
        ("区级政府领导班子至少配备一名女干部。", ("decision.gov_leadership_female_cadres", ">=", 1.0, "人")),
        (
            "乡镇领导班子中应至少配备一名女干部。",
            ("decision.township_leadership_with_female_share", ">=", 100.0, "%"),
        ),
        ("建设1所区级标准化妇幼保健机构。", ("health.standard_mch_institutions", ">=", 1.0, "个")),
    ],
)
def test_value_operator_and_indicator(sentence, expected):
    assert quantitative(sentence) == [expected]


def test_full_width_digits_and_signs():
    assert quantitative("孕产妇系统管理率达到９５％以上，孕产妇死亡率控制在１２／１０万以下。") == [
        ("health.maternal_system_management", ">=", 95.0, "%"),
        ("health.maternal_mortality", "<=", 12.0, "1/10万"),
    ]


def test_one_item_holds_several_statements():
    got = quantitative("孕产妇系统管理率达到91%以上，产妇产后访视率达96%以上。")
    assert got == [
        ("health.maternal_system_management", ">=", 91.0, "%"),
        ("health.postpartum_visit", ">=", 96.0, "%"),
    ]


def test_respectively_pairs_names_and_values_in_order():
    frame = extract_text(
        plan_text(
            "适龄妇女宫颈癌、乳腺癌人群筛查率分别达到70%和50%以上。",
            "孕产妇死亡率和人工流产率分别控制在10/10万、15‰以下。",
            "城镇、农村孕产妇住院分娩率分别达到99%、98%。",
        ),
        "demo",
    )
    got = frame[["indicator_id", "residence", "operator", "value", "unit"]].values.tolist()
    assert got == [
        ["health.cervical_cancer_screening", "all", ">=", 70.0, "%"],
        ["health.breast_cancer_screening", "all", ">=", 50.0, "%"],
        ["health.maternal_mortality", "all", "<=", 10.0, "1/10万"],
        ["health.induced_abortion_rate", "all", "<=", 15.0, "‰"],
        ["health.hospital_delivery", "urban", ">=", 99.0, "%"],
        ["health.hospital_delivery", "rural", ">=", 98.0, "%"],
    ]


def test_a_rate_for_one_side_of_town_and_country_keeps_the_indicator_and_sets_residence():
    frame = extract_text(
        plan_text(
            "农村孕产妇住院分娩率达到96%以上，农村自来水普及率达到91%。",
            "城乡孕产妇系统管理率达到95%以上。",
        ),
        "demo",
    )
    got = frame[["indicator_id", "residence"]].values.tolist()
    assert got == [
        ["health.hospital_delivery", "rural"],
        ["environment.rural_tap_water", "all"],  # 农村 is part of the indicator's name
        ["health.maternal_system_management", "all"],
    ]


def test_a_value_whose_clause_names_nothing_takes_the_measure_named_before_it():
    frame = extract_text(plan_text("提高农村卫生厕所普及率，2027年达到85%左右。"), "demo")
    got = frame[["kind", "indicator_id", "operator", "value", "target_year"]].fillna(0).values.tolist()
    assert got == [
        ["directional", "environment.rural_sanitary_toilet", "increase", 0, 2030],
        ["quantitative", "environment.rural_sanitary_toilet", "≈", 85.0, 2027],
    ]
    got = quantitative("城镇公共厕所在新建和改建时，女厕位比男厕位比例不低于1.5:1，人流量较大地区不低于2:1。")
    assert got == [
        ("environment.female_to_male_toilet_ratio", ">=", 1.5, "比值"),
        ("environment.female_to_male_toilet_ratio_high_traffic", ">=", 2.0, "比值"),
    ]


def test_parallel_names_give_one_statement_each():
    got = quantitative("区委、区政府领导班子中至少各配备1名女干部。", area="（四）妇女参与决策和管理")
    assert sorted(got) == [
        ("decision.gov_leadership_female_cadres", ">=", 1.0, "人"),
        ("decision.party_committee_leadership_female_cadres", ">=", 1.0, "人"),
    ]


def test_every_one_at_least_one_is_a_full_coverage():
    # 一支以上 = at least one in every village, whatever the registry calls it
    assert quantitative("每个行政村建立一支以上巾帼志愿服务队。") == [("", ">=", 100.0, "%")]
    got = quantitative("确保每个镇(街)至少设置一个家政服务中心、一个家庭教育指导服务中心。")
    assert [(op, value, unit) for _, op, value, unit in got] == [(">=", 100.0, "%")] * 2


def test_a_coverage_in_words_is_a_target_even_of_an_unregistered_measure():
    assert quantitative("推进某某服务站点全覆盖。") == [("", ">=", 100.0, "%")]
    assert quantitative("确保救治转诊网络覆盖所有助产机构。")[0][1:] == (">=", 100.0, "%")
    # a coverage is never given a lower-is-better rate as its indicator
    got = quantitative("落实降低艾滋病母婴传播率的措施全覆盖。")
    assert len(got) == 1
    assert got[0][1:] == (">=", 100.0, "%")
    assert got[0][0] != "health.hiv_mother_to_child_transmission"


def test_the_same_value_said_twice_is_one_statement():
    got = quantitative("全市应配置母婴设施的公共场所全部配备母婴室，配置率达到100%。")
    assert got == [("environment.nursing_room_coverage", ">=", 100.0, "%")]


def test_a_rate_of_another_unit_keeps_its_value_without_a_wrong_indicator():
    # 1/10万 with no named indicator: lower is better for such rates (deaths, incidence).
    assert quantitative("某病报告发病率下降至15/10万以下。") == [("", "<=", 15.0, "1/10万")]


@pytest.mark.parametrize(
    "sentence",
    [
        "35-64岁适龄妇女宫颈癌人群筛查率达到70%以上。",  # age range: only 70% is a value
        "到2025年，适龄妇女宫颈癌人群筛查率达到70%以上。",  # a year
        "适龄妇女宫颈癌人群筛查率达到70%以上（见国发〔2021〕16号第3条）。",  # document number
    ],
)
def test_ages_years_and_document_numbers_are_not_values(sentence):
    assert quantitative(sentence) == [("health.cervical_cancer_screening", ">=", 70.0, "%")]


@pytest.mark.parametrize(
    "sentence",
    [
        "发展3岁以下婴幼儿照护服务。",
        "65岁及以上老年人健康管理服务不断完善。",
        "落实《中华人民共和国妇女权益保障法》，执行国发〔2021〕16号文件。",
        "到2030年，妇女发展环境更加优化。",
        "剖宫产率控制在20%-30%。",  # a range is no single target
        "每年开展培训1000人次。",  # a count the registry does not know, without 至少
        "健全覆盖全民的社会保障体系。",  # 健全 + 覆盖全民: no 全覆盖
    ],
)
def test_no_value_is_taken_from(sentence):
    assert quantitative(sentence) == []


def test_the_age_group_of_a_value_comes_from_its_clause():
    frame = extract_text(
        plan_text(
            "35-64岁适龄妇女宫颈癌人群筛查率达到70%以上，孕产妇系统管理率达到95%以上。",
            "60岁及以上妇女基本养老保险参保率达到95%。",
            # the age is part of the indicator's name: no breakdown
            "65岁及以上老年人城乡社区规范健康管理服务率达到65%。",
        ),
        "demo",
    )
    assert frame["age_group"].tolist() == ["35-64", "all", "60+", "all"]


def test_a_change_from_the_baseline_is_a_relative_target():
    frame = extract_text(plan_text("孕产妇死亡率比2020年下降20%。"), "demo")
    assert frame[["kind", "operator", "indicator_id", "value", "unit"]].values.tolist() == [
        ["quantitative", "decrease_pct", "health.maternal_mortality", 20.0, "%"]
    ]
    assert quantitative("妇女基本养老保险参保率提高5个百分点。") == [
        ("social_security.basic_pension_insurance_female", "increase_pp", 5.0, "%")
    ]
    assert quantitative("妇女常见病筛查率比2020年提高2%。") == [
        ("health.common_disease_screening", "increase_pct", 2.0, "%")
    ]
    # a change from last year is reported, not set (see test_extract_prose.py)
    assert quantitative("妇女常见病筛查率比上年提高了2%。") == []
    # a level reached by going down is no change: 下降到 / 降至
    level = quantitative("孕产妇死亡率下降到8/10万以下。")
    assert level == [("health.maternal_mortality", "<=", 8.0, "1/10万")]


def test_one_value_for_several_subjects_gives_one_row_each():
    sentence, area = "县委和县政府领导班子中各配备1名以上女干部。", "（四）妇女参与决策和管理"
    text = plan_text(sentence, area=area)
    assert sorted(quantitative(sentence, area=area)) == [
        ("decision.gov_leadership_female_cadres", ">=", 1.0, "人"),
        ("decision.party_committee_leadership_female_cadres", ">=", 1.0, "人"),
    ]
    assert len(extract_text(text, "demo")) == 2
    assert sorted(quantitative("宫颈癌和乳腺癌筛查率均达到70%以上。")) == [
        ("health.breast_cancer_screening", ">=", 70.0, "%"),
        ("health.cervical_cancer_screening", ">=", 70.0, "%"),
    ]
    frame = extract_text(plan_text("城镇和农村孕产妇住院分娩率均达到99%以上。"), "demo")
    assert frame[["indicator_id", "residence", "value"]].values.tolist() == [
        ["health.hospital_delivery", "urban", 99.0], ["health.hospital_delivery", "rural", 99.0]
    ]
    # one indicator naming both subjects stays one row
    assert quantitative("宫颈癌和乳腺癌防治知识知晓率均达到90%以上。") == [
        ("health.cancer_prevention_awareness", ">=", 90.0, "%")
    ]


def test_target_year_is_the_plans_unless_the_sentence_gives_one():
    frame = extract_text(
        plan_text("到2025年，孕产妇死亡率下降到15/10万以下；孕产妇系统管理率达到93%以上。"), "demo"
    )
    years = frame.loc[frame["kind"] == "quantitative", "target_year"].tolist()
    assert years == [2025, 2030]
    assert extract_text(plan_text("孕产妇系统管理率达到93%以上。"), "guxian")["target_year"].tolist() == [
        2025
    ]


# ---------------------------------------------------------------- text forms


CLEAN = plan_text(
    "孕产妇系统管理率达到93%以上。",
    "孕产妇死亡率下降到12/10万以下，城乡、区域差距缩小。",
    "提高妇女健康素养水平。",
)


def _statements(text: str) -> list[tuple]:
    frame = extract_text(text, "demo")[["target_id", "kind", "operator", "value", "indicator_id"]]
    return [tuple("" if pd.isna(v) else v for v in row) for row in frame.itertuples(index=False)]


def test_one_line_pdf_text_with_stray_spaces_and_page_numbers():
    pdf = (
        "某县妇女发展 规划（2021—2030 年） - 1 - （一）妇女与 健康 主要目标: "
        "1.孕产妇 系统管理率达到 9 3 % 以上。 - 12 - 2.孕产 妇死亡率下降到 1 2/10 万以下,"
        "城乡、区域 差距缩小。 第 3 页 3.提高妇女健康素养 水平。"
    )
    assert "\n" not in pdf
    assert _statements(pdf) == _statements(CLEAN)
    assert len(_statements(pdf)) == 4  # the 城乡差距 clause is a directional statement


def test_page_number_lines_of_a_pdf_extracted_line_by_line():
    lines = CLEAN.replace("93%", "9\n7\n3%").splitlines()
    assert _statements("\n".join(lines)) == _statements(CLEAN)


def test_web_page_clutter_around_the_plan():
    page = (
        "网站支持IPv6\n首页 > 政务公开 > 政策文件\n发布日期:2022-10-09 浏览次数：1234次\n"
        + CLEAN
        + "四、组织实施\n（一）坚持党的全面领导。\n联系我们| 网站地图\n"
        "版权所有:某县人民政府 网站标识码:4401150002\n"
        "ICP备案号:粤ICP备19092744号-3 联系电话:020-12345 地址:凤凰大道1号 满意度98%\n"
    )
    assert _statements(page) == _statements(CLEAN)


def _as_pdf_text(text: str, seed: int) -> str:
    """The text as a PDF extraction gives it: one line, full-width digits, stray spaces between
    Chinese characters (8%) and page numbers ``- n -`` (0.1%), at places drawn with ``seed``."""
    rng = random.Random(seed)
    flat = " ".join(line.strip() for line in text.splitlines() if line.strip())
    flat = flat.translate({**{c: c + 0xFEE0 for c in range(0x30, 0x3A)}, ord("%"): "％"})
    out, page = [], 1
    for here, after in zip(flat, [*flat[1:], ""], strict=True):
        out.append(here)
        if "\u4e00" <= here <= "\u9fff" and "\u4e00" <= after <= "\u9fff":
            draw = rng.random()
            if draw < 0.08:
                out.append(" ")
            elif draw < 0.081:
                out.append(f" - {page} - ")
                page += 1
    return "".join(out)


@pytest.mark.parametrize("plan_id", ["kaiping", "nansha"])
def test_a_whole_plan_as_pdf_text_gives_the_same_candidates(plan_id):
    text = read_plan_text(PLANS_DIR / f"{plan_id}.txt")
    noisy = _as_pdf_text(text, seed=20240601)
    assert "\n" not in noisy and "９" in noisy and " - 3 - " in noisy
    pd.testing.assert_frame_equal(extract_text(noisy, plan_id), extract_text(text, plan_id))


def test_normalise_breaks_before_markers_only():
    text = normalise(
        "总体目标。二、发展领域（一）妇女与经济 主要目标："
        "1.发挥妇女在一、二、三产业中的作用。2.以二、三级医院为支撑。"
    )
    lines = text.split("\n")
    assert lines[1] == "二、发展领域"
    assert lines[2].startswith("（一）妇女与经济")
    assert "一、二、三产业" in text and "以二、三级医院" in text


def _values_by_item(text: str) -> list[tuple[str, str, str, float]]:
    frame = extract_text(text, "demo")
    rows = frame[frame["kind"] == "quantitative"]
    return [(r.target_id, r.section, r.operator, r.value) for r in rows.itertuples(index=False)]


@pytest.mark.parametrize(
    "text",
    [
        # 一、 area headings, numbered sections, (1) items without a closing 。
        "三、妇女与健康\n1.主要目标\n(1)孕产妇死亡率控制在10/10万以下\n(2)孕产妇系统管理率达到95%以上\n"
        "2.策略措施\n(1)加强服务，适龄妇女宫颈癌人群筛查率达到60%。\n",
        # 【】 section headings and circled item numbers
        "（一）妇女与健康\n【主要目标】\n①孕产妇死亡率控制在10/10万以下；②孕产妇系统管理率达到95%以上。"
        "\n【策略措施】\n①加强服务，适龄妇女宫颈癌人群筛查率达到60%。\n",
        # an area heading without 妇女与, items on lines of their own
        "二、发展领域\n（一）健康领域\n主要目标：\n1.孕产妇死亡率控制在10/10万以下\n"
        "2.孕产妇系统管理率达到95%以上\n策略措施：\n1.加强服务，适龄妇女宫颈癌人群筛查率达到60%。\n",
    ],
)
def test_other_layouts_of_areas_sections_and_items(text):
    assert _values_by_item(text) == [
        ("demo.health.01-1", "主要目标", "<=", 10.0),
        ("demo.health.02-1", "主要目标", ">=", 95.0),
        ("demo.health.s1-1", "策略措施", ">=", 60.0),
    ]


def test_a_section_without_numbered_items_is_one_item():
    text = "（一）妇女与健康\n主要目标：孕产妇死亡率控制在10/10万以下，孕产妇系统管理率达到95%以上。\n"
    assert _values_by_item(text) == [
        ("demo.health.01-1", "主要目标", "<=", 10.0),
        ("demo.health.01-2", "主要目标", ">=", 95.0),
    ]


def test_projects_chapter_items_take_the_area_of_their_indicator():
    text = (
        "（一）妇女与健康\n主要目标：\n1.孕产妇死亡率控制在10/10万以下。\n"
        "三、重点工程（一）妇女健康促进工程。孕产妇系统管理率达到95%以上。"
        "（二）巾帼素质提升工程。高中阶段教育毛入学率达到95%左右。\n四、组织实施\n（一）加强领导。\n"
    )
    assert _values_by_item(text) == [
        ("demo.health.01-1", "主要目标", "<=", 10.0),
        ("demo.health.p1-1", "重点工程", ">=", 95.0),
        ("demo.education.p2-1", "重点工程", "≈", 95.0),
    ]


def test_a_restatement_links_to_the_goal_it_restates():
    text = (
        "（一）妇女与健康\n主要目标：\n1.孕产妇死亡率控制在10/10万以下。\n策略措施：\n"
        "1.加强孕产妇保健，孕产妇系统管理率达到95%以上。\n"
        "三、重点工程（一）妇女健康促进工程。孕产妇死亡率控制在10/10万以下。\n四、组织实施\n"
    )
    frame = extract_text(text, "demo").set_index("target_id")
    assert frame.loc["demo.health.p1-1", "links_to"] == "demo.health.01-1"
    assert frame.loc["demo.health.s1-1", "links_to"] == ""  # a number of its own
    assert frame.loc["demo.health.01-1", "links_to"] == ""


def test_a_text_without_headings_is_read_as_one_list():
    text = "孕产妇死亡率控制在10/10万以下。高中阶段教育毛入学率达到95%左右。网站首页 联系我们"
    assert _values_by_item(text) == [
        ("demo.health.01-1", "主要目标", "<=", 10.0),
        ("demo.education.01-1", "主要目标", "≈", 95.0),
    ]


def test_docx_gives_the_same_candidates_as_the_text(tmp_path):
    source = PLANS_DIR / "kaiping.txt"
    document = Document()
    for line in read_plan_text(source).splitlines():
        document.add_paragraph(line)
    path = tmp_path / "开平市妇女发展规划.docx"
    document.save(str(path))
    from_docx = extract_targets(path, "kaiping")
    from_text = extract_targets(source, "kaiping")
    pd.testing.assert_frame_equal(from_docx, from_text)
    assert (from_docx["kind"] == "quantitative").sum() > 40


def test_docx_tables_are_read_in_document_order(tmp_path):
    document = Document()
    document.add_paragraph("（一）妇女与健康")
    document.add_paragraph("主要目标：")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "1.孕产妇死亡率"
    table.cell(0, 1).text = "控制在10/10万以下。"
    document.add_paragraph("2.孕产妇系统管理率达到95%以上。")
    path = tmp_path / "表格.docx"
    document.save(str(path))
    frame = extract_targets(path, "demo")
    got = frame[["target_id", "indicator_id", "operator", "value"]].values.tolist()
    assert got == [
        ["demo.health.01-1", "health.maternal_mortality", "<=", 10.0],
        ["demo.health.02-1", "health.maternal_system_management", ">=", 95.0],
    ]


def test_gb18030_text_is_read(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(CLEAN.encode("gb18030"))
    assert _statements(read_plan_text(path)) == _statements(CLEAN)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("missing.txt", None, "找不到"),
        ("plan.pdf", b"%PDF-1.4", "只支持 .txt 和 .docx"),
        ("broken.docx", b"not a zip file", "无法打开该 Word 文件"),
    ],
)
def test_unreadable_files_are_named(tmp_path, name, content, words):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=words) as info:
        extract_targets(path)
    assert info.value.location.file == name


def test_columns_are_the_targets_file_columns():
    frame = extract_text(CLEAN, "demo")
    assert tuple(frame.columns) == EXTRACT_COLUMNS
    assert EXTRACT_COLUMNS[1:] == catalog.TARGET_COLUMNS
    assert frame["target_id"].is_unique
    assert frame["kind"].tolist() == ["quantitative", "quantitative", "directional", "directional"]


# ---------------------------------------------------------------- measurement on the seeds


def _curated_plans() -> list[str]:
    return [p for p in SEEDS if (catalog.DATA_DIR / "targets" / f"{p}.csv").is_file()]


def _measure(plan_id: str) -> tuple[int, int, int, int]:
    """Return (found, curated, matched candidates, candidates) for one seed plan."""
    return measure(extract_targets(PLANS_DIR / f"{plan_id}.txt", plan_id), catalog.load(plan_id))


def test_matching_is_one_to_one_and_counts_indicator_conflicts():
    rows = pd.DataFrame(
        {
            "operator": [">=", ">="],
            "value": [95.0, 95.0],
            "indicator_id": ["a.x", "a.y"],
            "area": ["health", "health"],
            "section": ["主要目标", "主要目标"],
        }
    )
    candidates = rows.iloc[[0, 0, 1]].reset_index(drop=True)
    candidates.loc[2, "indicator_id"] = "a.z"  # conflicts with a.y
    assert len(matching(candidates, rows)) == 1
    candidates.loc[1, "indicator_id"] = ""  # no indicator: value and operator decide
    assert len(matching(candidates, rows)) == 2


def test_recall_and_precision_on_the_curated_seeds():
    plans = _curated_plans()
    assert plans, "no curated targets file for any seed plan"
    totals = np.zeros(4, dtype=int)
    failures = []
    print()
    for plan_id in plans:
        found, curated, matched, candidates = _measure(plan_id)
        totals += (found, curated, matched, candidates)
        recall, precision = found / curated, matched / candidates
        print(
            f"extraction {plan_id:8s} recall {found:3d}/{curated:3d} = {recall:.3f}   "
            f"precision {matched:3d}/{candidates:3d} = {precision:.3f}"
        )
        if recall < MIN_RECALL or precision < MIN_PRECISION:
            failures.append(plan_id)
    found, curated, matched, candidates = totals
    print(
        f"extraction {'overall':8s} recall {found:3d}/{curated:3d} = {found / curated:.3f}   "
        f"precision {matched:3d}/{candidates:3d} = {matched / candidates:.3f}"
    )
    assert failures == []
    # over the five seeds: every curated target found, at most one candidate in a hundred extra
    assert found == curated
    assert matched / candidates >= OVERALL_PRECISION
