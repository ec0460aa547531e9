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


def test_achievement_rate_counts_nearly_achieved_as_the_nbs_does():
    frame = _assessment(status=["achieved", "nearly_achieved", "off_track", "insufficient_data", "regressing",
                                "qualitative"])
    assert tables.achievement_rate(frame) == (2, 4, 50.0)


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


def test_data_gaps_name_who_owes_what(ctx):
    from womenstats.report.county.findings import target_name

    gaps = summary.data_gaps_table(ctx)
    assessment = tables.judged(ctx.assessment()).set_index("target_id")
    missing = assessment.index[assessment["status"] == "insufficient_data"]
    assert {target_name(ctx, t) for t in missing} <= set(gaps["指标"]) and len(missing) > 0
    assert list(gaps["报送单位"]) == sorted(gaps["报送单位"])
    row = gaps.set_index("指标").loc[target_name(ctx, missing[0])]
    department = catalog.indicator(assessment.loc[missing[0], "indicator_id"]).department
    assert row["报送单位"] == catalog.department_name(department, "440783")  # the full name: 开平市…局
    assert row["报送单位"].startswith("开平市") and "请" in row["缺少的数据"]
    assert "请于下次报送时补报" in summary.gaps_sentence(ctx, gaps)


def test_the_findings_open_with_the_verdict_and_the_achievement_rate(demo):
    from womenstats.report.county import findings

    assessment = demo.assessment()
    _, decided, rate = tables.achievement_rate(assessment)
    text = findings.overall(demo, assessment)
    assert text.startswith("结果显示：") and f"{decided}项有数据可以判定" in text
    assert f"达标率{rate:.1f}%" in text and "规划实施" in text


def test_targets_in_trouble_in_sentences_by_cause_with_the_unit_in_full(demo):
    from womenstats.report.county import findings

    assessment = demo.assessment()
    text = findings.attention(demo, assessment)
    judged = tables.judged(assessment)
    for code, heading in findings.TROUBLE.items():
        n = int((judged["status"] == code).sum())
        assert (f"**{heading}（{n}项）**" in text) == (n > 0)
    lines = [line for line in text.splitlines() if line.startswith("- ")]
    units = ("（责任单位：开平市", "（责任单位：中共开平市", "（责任单位：政协开平市", "（责任单位：江门市")
    assert lines and all(any(unit in line for unit in units) for line in lines)
    assert "kaiping." not in text and "差 " not in text  # no ids, no “差 X%”
    row = judged.loc[judged["status"] == "off_track"].iloc[0].to_dict()
    sentence = findings.trouble_sentence(demo, row)
    assert sentence.startswith(findings.target_name(demo, row["target_id"]))
    if row["operator"] == ">=" and demo.target(row["target_id"])["unit"] == "%":
        assert "个百分点" in sentence and "低于目标" in sentence


def test_a_target_without_a_value_is_measured_from_its_baseline_once(demo):
    # “保持稳定” is judged against the 2020 value: the sentence says how far it fell from the baseline,
    # once, and never calls the baseline a target
    from womenstats.report.county import findings

    assessment = demo.assessment()
    rows = tables.judged(assessment)
    rows = rows.loc[rows["target_value"].isna() & rows["status"].isin(list(findings.TROUBLE))
                    & (rows["operator"] != "narrow")]
    assert len(rows)
    for row in rows.to_dict("records"):
        sentence = findings.trouble_sentence(demo, row)
        assert "低于目标" not in sentence and "高于目标上限" not in sentence, sentence
        assert findings.level_reference(row) == "基期水平"
    f = findings.facts(demo, rows.iloc[0]["target_id"])
    unit = str(demo.target(rows.iloc[0]["target_id"])["unit"] or "")
    sentence = findings.trouble_sentence(demo, rows.iloc[0].to_dict())
    assert sentence.count(f"比{f.base_year}年") == 1
    if unit == "%":
        assert "个百分点" in sentence


def test_a_small_count_target_states_the_gap_of_the_pooled_rate_it_is_judged_on(demo):
    from womenstats.report.county import findings
    from womenstats.report.wording import gap_phrase

    rows = tables.judged(demo.assessment())
    small = rows.loc[rows["warnings"].fillna("").str.contains("small_numbers")
                     & rows["status"].isin(list(findings.TROUBLE)) & rows["target_value"].notna()]
    assert len(small)
    for row in small.to_dict("records"):
        unit = str(demo.target(row["target_id"])["unit"] or "")
        rate = findings.pooled(demo, row["target_id"])
        sentence = findings.trouble_sentence(demo, row)
        expected = gap_phrase(row["comparison"], row["target_level"], rate.rate, unit)
        if expected:
            assert expected in sentence
        else:
            assert "低于目标" not in sentence and "高于目标" not in sentence
        latest = gap_phrase(row["comparison"], row["target_level"], row["last_value"], unit)
        if latest and latest != expected:
            assert latest not in sentence, sentence


def test_a_met_target_at_risk_says_truly_how_its_values_moved(demo):
    # It names a move the wrong way only when the latest value is worse than the best of the three
    # years before, and in the words of that move: 下降 is down, 上升 is up, 差距扩大 a gap's size up
    from womenstats.report.county import findings

    rows = tables.judged(demo.assessment())
    slipping = rows.loc[rows["warnings"].fillna("").str.contains("slipping") & rows["status"].isin(
        ["achieved", "nearly_achieved"])]
    assert len(slipping)
    for row in slipping.to_dict("records"):
        values = demo.target_series(row["target_id"])["value"].to_numpy(float)
        sentence = findings.slipping_sentence(demo, row)
        last, earlier = values[-1], values[-4:-1]
        if "近年数值下降" in sentence:
            assert last < earlier.max() and catalog.indicator(row["indicator_id"]).better != "lower", sentence
        elif "近年数值上升" in sentence:
            assert last > earlier.min() and catalog.indicator(row["indicator_id"]).better == "lower", sentence
        elif "近年差距扩大" in sentence:
            assert row["operator"] == "narrow" and abs(last) > abs(earlier).min(), sentence
        else:
            assert "近年数值有起伏" in sentence, sentence
        assert "责任单位：开平市" in sentence


def test_a_gap_to_narrow_widens_or_narrows_by_its_size(demo):
    # “男女收入差距 … 比2020年扩大2.9个百分点”: the gap's size moves, as its assessment judges it, not “提高”
    from womenstats.report.county import findings

    rows = tables.judged(demo.assessment())
    gaps = rows.loc[(rows["operator"] == "narrow") & rows["status"].isin(list(findings.TROUBLE))]
    assert len(gaps)
    for row in gaps.to_dict("records"):
        f = findings.facts(demo, row["target_id"])
        sentence = findings.trouble_sentence(demo, row)
        words = findings.period_change(f.base, f.last, "narrow", str(demo.target(row["target_id"])["unit"]))
        assert words[:2] in ("扩大", "缩小", "持平") and f"{f.base_year}年{words}" in sentence, sentence
        assert ("扩大" in words) == (abs(f.last) > abs(f.base))
    assert findings.period_change(-8.4, 6.0, "narrow", "1/10万") == "缩小2.4/10万"
    assert findings.period_change(float("nan"), 6.0, ">=", "%") == "—"
    # a gap that changed sides (男女两性科学素质水平差距 = men − women: 1.5 → −2.5) is no 扩大1.0
    turned = findings.period_change(1.5, -2.5, "narrow", "%", "education.science_literacy_gap")
    assert turned == "由男性高转为女性高" and findings.since(turned, 2020) == "2020年以来由男性高转为女性高"
    wider = findings.period_change(1.5, 2.5, "narrow", "%", "education.science_literacy_gap")
    assert wider == "扩大1.0个百分点"


def test_the_area_tables_change_on_the_year_of_a_gap_is_its_size_too(demo):
    from womenstats.report.county import body

    recs = body.records(demo).set_index("name")
    checked = 0
    for area in ("economy", "family"):  # 男女收入差距, 男女两性家务劳动时间差距
        table = body.area_table(demo, area).set_index("指标")
        for name in table.index.intersection(recs.index[recs["operator"] == "narrow"]):
            rec, moved = recs.loc[name], table.loc[name, "比上年"]
            assert moved[:2] in ("扩大", "缩小", "持平"), moved
            assert moved.startswith("扩大") == (abs(rec["last"]) - abs(rec["previous"]) > 0.05), moved
            checked += 1
    assert checked >= 2


def test_an_area_lists_progress_and_setbacks_by_what_is_better_not_by_the_sign(demo):
    # A setback is a move the wrong way, whatever the sign: 孕产妇贫血患病率 (lower is better) rising is
    # one; 专业技术人员中女性比例 falling is one. Progress is the reverse.
    from womenstats.report.county import findings

    better = catalog.indicators().set_index("name")["better"]
    seen = {"progress": 0, "setback": 0}
    for area in catalog.AREAS:
        text = findings.area_text(demo, demo.assessment(), area)
        assert "下降的有" not in text
        head, _, setbacks = text.partition("与基期相比有所退步的有：")
        progress = head.partition("主要进展：")[2]
        for kind, part in (("progress", progress), ("setback", setbacks)):
            for item in part.split("。")[0].split("；") if part else []:
                name, _, move = item.partition("由")
                rose = "提高到" in move
                assert rose != ("下降到" in move), item
                assert (better[name] == "higher") == (rose == (kind == "progress")), item
                seen[kind] += 1
    assert seen["progress"] and seen["setback"], seen


def test_a_target_written_finer_than_its_unit_is_printed_at_its_own_precision(demo):
    # guxian: “小学学龄儿童净入学率保持在99.95%以上”: at a percentage's one decimal 99.89% read 99.9% and
    # its shortfall 0.1 points; the values, change and shortfall print at the target's two decimals
    import re

    from womenstats.report.county import body
    from womenstats.report.county.context import open_report

    final = open_report("final", plan="guxian", year=2025, store=str(demo.store.path))
    row = body.final_table(final, area="education").set_index("指标").loc["小学学龄儿童净入学率"]
    assert row["目标"] == "保持在99.95%以上"
    for column in ("基期值（2020年）", "终期值"):
        assert re.fullmatch(r"\d+\.\d\d%", row[column]), row[column]
    assert re.fullmatch(r"(提高|下降)\d\.\d\d个百分点|持平", row["全期变化"]), row["全期变化"]
    assert row["距目标"] == "—" or re.fullmatch(r"低于目标\d\.\d\d个百分点", row["距目标"]), row["距目标"]
    other = body.final_table(final, area="education").set_index("指标").loc["高中阶段教育毛入学率"]
    assert re.fullmatch(r"\d+\.\d%", other["终期值"])  # a target written 95%: the unit's one decimal
