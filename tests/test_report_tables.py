"""The report tables on a small store, each figure checked against the store or the assessment."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from report_store import PLAN, build_store
from womenstats import catalog
from womenstats.report import wording as report_wording
from womenstats.report.county import quality, tables
from womenstats.report.county.context import open_report

POSTPARTUM = "kaiping.health.04-3"  # 产妇产后访视率 >= 96


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("tables"))


@pytest.fixture(scope="module")
def ctx(store):
    return open_report("midterm", plan=PLAN, year=2025, store=str(store))


@pytest.fixture(scope="module")
def annual(store):
    return open_report("annual", plan=PLAN, year=2024, store=str(store))


def test_status_counts_add_up(ctx):
    assessment = tables.judged(ctx.assessment())  # a restatement is counted once, with its target
    table = tables.status_count_table(assessment)
    total = table.set_index("领域").loc["合计"]
    assert total["合计"] == len(assessment)
    counts = assessment["status"].value_counts()
    for code, label in tables.status_labels(assessment).items():
        # a status no target has gets no column (a mid-term has no 未实现)
        assert (total[label] if label in total.index else 0) == counts.get(code, 0)
    assert all(total[label] > 0 for label in total.index if label != "合计")


def test_status_shares(ctx):
    assessment = tables.judged(ctx.assessment())
    share = tables.status_share_table(assessment).set_index("状态")
    n_quant = int((assessment["status"] != "qualitative").sum())
    achieved = int((assessment["status"] == "achieved").sum())
    assert share.loc["已达标", "项数"] == achieved
    assert share.loc["已达标", "占量化目标（%）"] == round(100 * achieved / n_quant, 1)
    assert math.isclose(share["占全部目标（%）"].sum(), 100, abs_tol=0.5)


def test_chart_projection_is_the_assessment_projection(ctx):
    assessment = ctx.assessment()
    checked = 0
    projected = assessment[(assessment["kind"] != "qualitative") & (assessment["n_obs"] >= 2)]
    for row in projected.to_dict("records"):
        forecast = ctx.projection(row["target_id"]).forecast(years=[int(row["target_year"])]).iloc[0]
        assert math.isclose(forecast["point"], row["proj_value"], rel_tol=1e-9)
        assert math.isclose(forecast["lo80"], row["proj_lo80"], rel_tol=1e-9) or math.isnan(row["proj_lo80"])
        checked += 1
    assert checked >= 3


def test_data_quality(ctx):
    # the small store's latest year is 2024: a mid-term report in 2025 does not call 2025 missing
    table = quality.data_quality_table(ctx).set_index(["指标", "分组"])
    row = table.loc[("适龄妇女宫颈癌人群筛查率", "女")]
    assert row["观测年数"] == 7 and row["最早年份"] == 2018 and row["最新年份"] == 2024
    assert row["缺失年份（2020—2024）"] == "无"
    assert row["模拟数据"] == "是" and row["修订次数"] == 0


def test_data_quality_lists_only_the_flagged_series_and_counts_the_rest(ctx):
    table = quality.data_quality_table(ctx)
    shown, note = quality.data_quality(ctx)
    missing = table["缺失年份（2020—2024）"]
    expected = ((missing != "无") | (table["修订次数"] > 0) | (table["观测年数"] < quality.FEW_YEARS)
                | (table["校验警告"] != "无"))
    assert 0 < expected.sum() < len(table)  # the store has complete and incomplete series
    pd.testing.assert_frame_equal(shown, table.loc[expected].reset_index(drop=True))
    rest = table.loc[~expected]
    assert f"共 {len(table)} 个序列" in note and f"其余 {len(rest)} 个序列在 2020—2024 年" in note
    assert f"模拟数据 {(rest['模拟数据'] == '是').sum()} 个" in note


def test_data_quality_lists_the_accepted_values_intake_warned_about(tmp_path):
    from report_store import REGION, write_csv
    from womenstats.intake import ingest_files

    path = build_store(tmp_path)
    # a transmission rate no county can have, and 41 367 female deputies of 150 000 (a county has at most 450)
    rows = [f"{REGION},2023,health.hiv_mother_to_child_transmission,female,all,all,12.5,%,卫健\n",
            f"{REGION},2024,health.hiv_mother_to_child_transmission,female,all,all,0,%,卫健\n"]
    assert ingest_files([write_csv(tmp_path / "late.csv", rows)], plan=PLAN, store=str(path), simulated=True,
                        labels=["late.csv"]).loaded
    deputies = tmp_path / "deputies.csv"
    header = "region_code,year,indicator_id,sex,age_group,residence,value,numerator,denominator,unit\n"
    row = f"{REGION},2024,decision.npc_deputies_female_share,female,all,all,27.58,41367,150000,%\n"
    deputies.write_text(header + row, encoding="utf-8")
    result = ingest_files([deputies], plan=PLAN, store=str(path), simulated=True, labels=["deputies.csv"])
    assert result.loaded
    ctx = open_report("midterm", plan=PLAN, year=2025, store=str(path))
    table = quality.data_quality_table(ctx).set_index("指标")
    assert table.loc["艾滋病母婴传播率", "校验警告"] == "2023年：数值超出该地区可能的范围"
    assert table.loc["人大代表中的女性比例", "校验警告"] == "2024年：分母超出该地区可能的范围"
    shown, note = quality.data_quality(ctx)
    assert {"艾滋病母婴传播率", "人大代表中的女性比例"} <= set(shown["指标"]) and "校验警告" in note


@pytest.mark.parametrize(
    "operator, value, unit, text",
    [(">=", 96.0, "%", "≥ 96%"), ("<=", 8.0, "1/10万", "≤ 8 1/10万"),
     ("increase", float("nan"), "岁", "提高"), ("maintain", 40.0, "%", "保持 40%"),
     ("narrow", None, "", "缩小")],
)
def test_target_text(operator, value, unit, text):
    assert tables.target_text(operator, value, unit) == text


def test_breakdown_text():
    assert tables.breakdown_text("female", "rural", "35-64") == "女·农村·35-64岁"
    assert tables.breakdown_text("total", "all", "all") == "合计"


def test_area_chart_draws_one_panel_per_charted_target(ctx):
    from womenstats.report.county import charts
    from womenstats.report.write.display import figure_png

    rows = charts.charted_rows(ctx.assessment(), "health")
    assert len(rows) >= 2
    fig = charts.area_chart(ctx, rows, title="妇女与健康：量化目标的趋势")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == len(rows)
    names = [ctx.target(r["target_id"])["indicator"] for r in rows]
    for ax, row, name in zip(panels, rows, names, strict=True):
        assert ax.get_title(loc="left").replace("\n", "").startswith(name[:10])
        assert row["status_label"] in [t.get_text() for t in ax.texts]  # status as a coloured label
        assert any(list(line.get_xdata()) == [row["target_year"]] * 2 for line in ax.lines)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert {"观测值", "目标值", "80% 预测区间"} <= set(legend)
    assert figure_png(fig) == figure_png(fig)


def test_observed_intervals_are_wilson_for_a_share_and_garwood_for_a_rate():
    from womenstats.gender.intervals import poisson_rate, proportion
    from womenstats.report.county.charts import observed_intervals

    series = pd.DataFrame({"year": [2023, 2024], "value": [90.0, 95.0], "numerator": [90, 95],
                           "denominator": [100, 100]})
    share = observed_intervals(series, 100)
    expected = proportion(95, 100, per=100)
    assert math.isclose(share["lower"].iloc[1], expected.lower) and math.isclose(share["upper"].iloc[1],
                                                                                expected.upper)
    rate = observed_intervals(series.assign(value=[2.0, 1.0], numerator=[2, 1], denominator=[100_000] * 2),
                              100_000)
    assert math.isclose(rate["upper"].iloc[1], poisson_rate(1, 100_000, per=100_000).upper)
    bare = observed_intervals(series.assign(numerator=float("nan")), 100)
    assert bare["lower"].isna().all()


def test_work_done_on_other_cores_gives_what_the_kernel_computes(ctx, monkeypatch):
    from womenstats.report import precomputed
    from womenstats.report.county import charts
    from womenstats.report.county.context import open_report

    assessment = ctx.assessment()
    area = charts.charted_rows(assessment, "health")[0]["area"]
    rendered = charts.AreaCharts(ctx, assessment).get(area)
    assert rendered == charts.render_area(ctx, assessment, area) and rendered  # same PNG bytes
    fresh = open_report("midterm", plan=PLAN, year=2025, store=str(ctx.store.path))
    fresh.prefetch(["open-sdg"])
    pd.testing.assert_frame_equal(fresh.assessment("open-sdg"), ctx.assessment("open-sdg"))
    monkeypatch.setenv("WOMENSTATS_NO_FORK", "1")  # no worker: the kernel computes it all
    assert precomputed.fork_pool(1) is None
    assert charts.AreaCharts(ctx, assessment).get(area) == rendered


# ----------------------------------------------------------------------------- the body's tables


def test_area_table_row_reads_as_a_statistician_prints_it(ctx):
    from womenstats.report.county import body

    table = body.area_table(ctx, "health").set_index("指标")
    row = table.loc["产妇产后访视率"]
    assert row["目标"] == "达到96%以上" and row["状态"] == "提前实现"  # a mid-term: met before its year
    assert (row["基期值（2020年）"], row["最新值"], row["年份"]) == ("96.3%", "97.8%", 2024)
    assert row["比上年"] == "提高0.4个百分点"  # 97.8 − 97.4, in 个百分点
    assessed = ctx.assessment().set_index("target_id").loc[POSTPARTUM]
    assert row["达标概率"] == report_wording.probability_text(assessed["p_attain"])
    low, high = (report_wording.number_text(assessed[k], "%") for k in ("proj_lo80", "proj_hi80"))
    assert row["目标年预测（80%区间）"].endswith(f"（{low}～{high}）")
    assert "目标编号" not in table.columns  # ids are for the appendix and the workbook
    data = body.target_data(ctx, "health").set_index("目标编号").loc[POSTPARTUM]
    assert (data["最新值"], data["上年值"], data["单位"]) == (97.8, 97.4, "%")
    assert data["80%预测下限"] == round(assessed["proj_lo80"], 1)


def test_gender_section_gives_both_values_the_gap_in_points_and_its_interval(ctx):
    from womenstats.report.county import gender_section

    gaps = gender_section.gaps(ctx.observations, baseline_year=2020, year=2025)
    row = gaps.set_index("indicator_id").loc["education.compulsory_consolidation"]
    assert (row["value_first"], row["value_second"], round(row["difference"], 6)) == (99.4, 99.1, 0.3)
    shown = gender_section.gender_table(gaps).set_index("指标").loc["九年义务教育巩固率"]
    assert (shown["前者"], shown["后者"], shown["差距"]) == ("女性 99.4%", "男性 99.1%", "+0.3个百分点")
    assert shown["95%区间"] == "—"  # published values without counts: no interval
    text = gender_section.gender_text(gaps)
    assert "九年义务教育巩固率2024年女性为99.4%，男性为99.1%，女性高0.3个百分点" in text


def test_gender_table_names_a_women_only_indicator_plainly_and_prints_negative_intervals_with_minus_signs():
    import pandas as pd

    from womenstats.report.county import gender_section

    rows = [  # maternal deaths per live births, urban and rural; illiteracy among women and men
        ("health.maternal_mortality", "female", "urban", 10.0, 1, 10_000),
        ("health.maternal_mortality", "female", "rural", 30.0, 3, 10_000),
        ("education.young_adult_illiteracy", "female", "all", 20.0, 40, 200),
        ("education.young_adult_illiteracy", "male", "all", 40.0, 80, 200),
    ]
    obs = pd.DataFrame([{"region_code": "440783", "year": 2024, "indicator_id": i, "age_group": "all",
                         "sex": sex, "residence": res, "value": v, "numerator": n, "denominator": d}
                        for i, sex, res, v, n, d in rows])
    gaps = gender_section.gaps(obs, baseline_year=2020, year=2025)
    shown = gender_section.gender_table(gaps).set_index("比较")
    assert shown.loc["城−乡", "指标"] == "孕产妇死亡率"  # about women only: no （女）
    share = shown.loc["女−男"]
    # Newcombe's hybrid score interval of 40/200 − 80/200: statsmodels' confint_proportions_2indep
    # (method="newcomb") gives −0.28508 to −0.11067
    assert (share["差距"], share["95%区间"]) == ("−20.0个百分点", "−28.5～−11.1")


def test_annual_table_and_missing(annual):
    from womenstats.report.county import body

    table = body.annual_table(annual).set_index("指标")
    row = table.loc["产妇产后访视率"]
    assert (row["最新值"], row["上年值"], row["比上年"]) == ("97.8%", "97.4%", "提高0.4个百分点")
    missing = body.missing_table(annual)
    assert "产妇产后访视率" not in set(missing["指标"])
    assert (missing["最近有数据的年份"].isna() | (missing["最近有数据的年份"] < 2024)).all()


def test_annual_statistics_by_sex(annual):
    from womenstats.report.county import body

    table = body.annual_statistics(annual).set_index("指标")
    assert table.loc["九年义务教育巩固率", "女"] == "99.4"
    assert table.loc["九年义务教育巩固率", "男"] == "99.1"
    assert table.loc["产妇产后访视率", "女"] == "97.8"


def test_qualitative_table_lists_every_qualitative_target(ctx):
    from womenstats.report.county import body

    table = body.qualitative_table(ctx)
    expected = catalog.load(PLAN).query("kind == 'qualitative'")["sentence"].tolist()
    assert table["规划原文"].tolist() == expected
    assert (table["评估组判定"] == "").all()


def test_peers_appendix_lists_only_disagreements_with_a_reason(ctx):
    from womenstats.report.county import peers

    table, text = peers.peers_table(ctx, tables.peer_methods())
    ours = ctx.assessment("ours").set_index("target_id")
    for method in tables.peer_methods():
        theirs = ctx.assessment(method).set_index("target_id")
        same = [peers.agrees(ours.loc[t, "status"], theirs.loc[t, "status"], method,
                             directional=ours.loc[t, "kind"] == "directional")
                for t in ours.index if ours.loc[t, "kind"] != "qualitative" and ours.loc[t, "restates"] == ""]
        compared = [s for s in same if s is not None]
        counted = f"{tables.PEER_NAMES[method]}可比较的{len(compared)}项中与本方法结论一致的{sum(compared)}项"
        assert counted in text
    assert (table["为何不同"].str.len() > 10).all()
    assert "目标编号" not in table.columns


def test_every_target_is_in_the_tables_once(ctx):
    from womenstats.report.county import body

    assessment = ctx.assessment()
    restating = assessment.loc[assessment["restates"] != ""]
    assert len(restating) >= 1
    listed = body.records(ctx, assessment)
    judged = tables.judged(assessment)
    quantified = judged.loc[judged["kind"] != "qualitative", "target_id"]
    assert set(listed["target_id"]) <= set(quantified)
    assert not set(restating["target_id"]) & set(listed["target_id"])
    ids = body.id_table(ctx, assessment).set_index("目标编号")
    row = restating.iloc[0]
    assert ids.loc[row["target_id"], "重述"] == f"同 {row['restates']}"
    total = tables.status_count_table(assessment).set_index("领域").loc["合计", "合计"]
    assert total == len(assessment) - len(restating)
