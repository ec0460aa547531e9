"""The reporting chain above and beside a county: a city's report from its counties, a department's.

Expected figures are recomputed here from the counties' counts, independently of the roll-up.
"""

from __future__ import annotations

import math
from pathlib import Path

import docx
import numpy as np
import openpyxl
import pandas as pd
import pytest

from womenstats import catalog
from womenstats.assess.region import (
    governing_plan,
    laxer_targets,
    missing_returns,
    rolled_observations,
    shortfall,
)
from womenstats.catalog import regions
from womenstats.cli import main
from womenstats.errors import InputError, WomenstatsError
from womenstats.intake import Store
from womenstats.report.department.context import read_narrative, returns_note, returns_table

CITY = "440700"
ROOT = Path(__file__).resolve().parents[1]
NARRATIVE = ROOT / "docs" / "examples" / "narrative_卫健.md"


@pytest.fixture(scope="module")
def children_obs() -> pd.DataFrame:
    obs = Store().observations()
    return obs.loc[obs["region_code"].isin(regions.children(CITY))].reset_index(drop=True)


def test_the_targets_come_from_the_nearest_plan_up_the_chain() -> None:
    assert governing_plan(CITY) == ("national", "000000")
    assert governing_plan("440783") == ("kaiping", "440783")
    assert governing_plan("440703") == ("national", "000000")
    with pytest.raises(WomenstatsError, match="999999"):
        governing_plan("999999")


def test_rolled_rates_sum_counts_never_average_rates(children_obs: pd.DataFrame) -> None:
    rolled = rolled_observations(children_obs, CITY, [2022, 2024], carry=False)
    point = {
        "indicator_id": "health.maternal_mortality",
        "sex": "female",
        "residence": "all",
        "age_group": "all",
    }
    # maternal mortality per 100 000 births, and women's share of village committee members (whose
    # counties' rates differ every year, so the average of rates is visibly not the answer)
    share_point = {**point, "indicator_id": "decision.village_committee_female_share"}
    for where, per in ((point, 1e5), (share_point, 100)):
        for year in (2022, 2024):
            rows = children_obs
            for key, value in {**where, "year": year}.items():
                rows = rows.loc[rows[key] == value]
            expected = per * rows["numerator"].sum() / rows["denominator"].sum()
            got = rolled
            for key, value in {**where, "year": year}.items():
                got = got.loc[got[key] == value]
            assert got["value"].iloc[0] == pytest.approx(expected, rel=1e-12)
            assert got["denominator"].iloc[0] == rows["denominator"].sum()
            if rows["value"].nunique() > 1 and rows["denominator"].nunique() > 1:
                assert abs(got["value"].iloc[0] - rows["value"].mean()) > 1e-6  # not the average of rates
    share = children_obs[(children_obs["indicator_id"] == "decision.village_committee_female_share")
                         & (children_obs["year"] == 2022)]
    assert share["value"].nunique() > 1 and share["denominator"].nunique() > 1
    assert set(rolled["region_code"]) == {CITY}
    assert (rolled["simulated"] == 1).all()
    # 台山 did not return 2024: the 2024 roll-up says 6 of 7
    assert not rolled.loc[rolled["year"] == 2024, "source"].str.contains("7/7").any()
    mmr = rolled.loc[(rolled["year"] == 2024) & (rolled["indicator_id"] == point["indicator_id"])]
    assert mmr["source"].str.contains("6/7").all()


def test_shortfall_contributions_add_up_to_the_city_gap(children_obs: pd.DataFrame) -> None:
    # Every rate target of the city's (the national outline's) with counts: the children's
    # contributions add up to the city's distance from the target (value − target for “<=”, target −
    # value for “>=”, the city's rate from summed counts), and split a gap the city has in full.
    registry = catalog.indicators()
    missed = met = 0
    for target in catalog.load("national").to_dict("records"):
        split = shortfall(children_obs, pd.Series(target), CITY, 2024)
        if split.empty:
            continue
        rows = children_obs.loc[
            (children_obs["indicator_id"] == target["indicator_id"]) & (children_obs["year"] == 2024)
            & (children_obs["sex"] == target["sex"]) & (children_obs["residence"] == target["residence"])
            & (children_obs["age_group"] == target["age_group"])
        ].dropna(subset=["numerator", "denominator"])
        per = float(registry.loc[target["indicator_id"], "per"])
        city = per * rows["numerator"].sum() / rows["denominator"].sum()
        gap = city - target["value"] if target["operator"] == "<=" else target["value"] - city
        assert split["contribution"].sum() == pytest.approx(gap, rel=1e-9, abs=1e-9), target["target_id"]
        assert split["weight"].sum() == pytest.approx(1.0)
        assert list(split["contribution"]) == sorted(split["contribution"], reverse=True)
        assert len(split) == 6  # the six counties that returned 2024
        if gap > 0:
            assert split["share_of_gap"].sum() == pytest.approx(1.0)
            missed += 1
        else:
            assert split["share_of_gap"].isna().all()
            met += 1
    assert missed and met, (missed, met)


def test_a_child_plan_asking_less_is_found() -> None:
    parent = pd.DataFrame(
        {
            "target_id": ["p.1", "p.2", "p.3"],
            "indicator_id": ["a", "b", "c"],
            "sex": "female",
            "residence": "all",
            "age_group": "all",
            "operator": [">=", "<=", ">="],
            "value": [90.0, 12.0, 50.0],
            "target_year": [2030, 2030, 2025],
        }
    )
    child = pd.DataFrame(
        {
            "target_id": ["c.1", "c.2", "c.3"],
            "indicator_id": ["a", "b", "c"],
            "sex": "female",
            "residence": "all",
            "age_group": "all",
            "operator": [">=", "<=", ">="],
            "value": [85.0, 10.0, 40.0],
            "target_year": [math.nan, 2030, 2030],
        }
    )
    found = laxer_targets(child, parent, child_final=2030, parent_final=2030)
    # a: 85 < 90 in 2030 (the child's missing year is its final year) -> laxer; b: 10 <= 12 stricter;
    # c: different target years, not compared
    assert list(found["child_target_id"]) == ["c.1"]
    assert found["value"].iloc[0] == 90.0 and found["child_value"].iloc[0] == 85.0


def test_missing_returns_name_the_late_county(children_obs: pd.DataFrame) -> None:
    late = missing_returns(children_obs, CITY, 2024)
    assert list(late["region_code"]) == ["440781"] and late["last_year"].iloc[0] == 2023
    assert missing_returns(children_obs, CITY, 2023).empty


def test_returns_table_lists_what_each_unit_owes_series_by_series() -> None:
    targets = pd.DataFrame(
        {
            "indicator_id": [
                "health.maternal_mortality",
                "health.cervical_cancer_screening",
                "health.cervical_cancer_screening",
                "education.compulsory_consolidation",
                "",
            ],
            "sex": ["female", "female", "female", "total", "total"],
            "residence": ["all"] * 5,
            "age_group": ["all", "all", "35-45", "all", "all"],
            "kind": ["quantitative", "quantitative", "quantitative", "quantitative", "qualitative"],
        }
    )
    obs = pd.DataFrame(
        {
            "region_code": ["440783"] * 3,
            "year": [2024] * 3,
            "indicator_id": ["health.maternal_mortality", "health.cervical_cancer_screening",
                             "education.compulsory_consolidation"],
            "sex": ["total", "female", "total"],  # maternal mortality stored as total counts for women
            "residence": ["all"] * 3,
            "age_group": ["all"] * 3,
            "value": [10.0, 70.0, 99.0],
            "source_file": ["a.xlsx", "a.xlsx", "b.csv"],
        }
    )
    table = returns_table(obs, targets, "440783", 2024).set_index("责任单位")
    health = catalog.department_name(catalog.indicator("health.maternal_mortality").department, "440783")
    assert health == "开平市卫生健康局"
    # three series: all-age screening returned, the 35–45 group not (as the 需补报 table says)
    assert (table.loc[health, "应报指标"], table.loc[health, "已报"], table.loc[health, "未报"]) == (3, 2, 1)
    assert table.loc[health, "未报的指标"] == "适龄妇女宫颈癌人群筛查率（女·35-45岁）"
    assert table.loc["开平市教育局", "未报"] == 0
    assert returns_note(obs, "440783", 2024) == "2024年的数值来自：a.xlsx（2 个数值）；b.csv（1 个数值）。"


def test_a_good_narrative_is_read_by_section() -> None:
    text = read_narrative(NARRATIVE)
    assert set(text) == {"主要措施", "存在问题", "下一步打算"}
    assert text["存在问题"].startswith("（示例文本，模拟）农村地区")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("前言\n## 主要措施\n做了\n", "第 1 行在第一个标题之前"),
        ("## 主要措施\n做了\n## 工作亮点\n很多\n", "“工作亮点”不是自评报告的部分"),
        ("## 主要措施\n做了\n## 主要措施\n又做了\n", "出现了两次"),
        ("## 主要措施\n\n## 存在问题\n有\n", "“主要措施”部分没有文字"),
        ("只有文字\n", "在第一个标题之前"),
        ("", "没有任何标题"),
    ],
)
def test_a_bad_narrative_is_refused_naming_the_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "自评.md"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        read_narrative(path)
    assert caught.value.code == "E_NARRATIVE"


def test_a_narrative_not_in_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gbk.md"
    path.write_bytes("## 主要措施\n做了\n".encode("gbk"))
    with pytest.raises(InputError, match="不是 UTF-8"):
        read_narrative(path)


@pytest.fixture(scope="module")
def city_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    assert main(["report", "--region", CITY, "--kind", "midterm", "--year", "2025", "--out", str(out)]) == 0
    return out / CITY / "2025"


def test_the_city_report_has_its_four_files_and_its_tables(city_report: Path) -> None:
    names = sorted(p.name for p in city_report.iterdir())
    assert names == ["midterm.docx", "midterm.html", "midterm.ipynb", "midterm.xlsx"]
    html = (city_report / "midterm.html").read_text(encoding="utf-8")
    for words in (
        "江门市妇女发展规划实施情况2025年中期评估报告",
        "中国妇女发展纲要（2021—2030年）",
        "各县（市、区）排名",
        "拉低全市水平的县（市、区）",
        "各县（市、区）主要指标比较",
        "全市和各县（市、区）的性别差距",
        "台山市",
        "模拟数据",
        "覆盖率",
    ):
        assert words in html, words
    # The outline is catalogued in part: the report says so, not that the other areas have no target.
    assert "（可量化6项），但不全：原文共75项主要目标，妇女与教育、妇女与经济" in html
    assert "没有上级或本级目标" not in html
    text = "\n".join(p.text for p in docx.Document(city_report / "midterm.docx").paragraphs)
    assert "江门市" in text


def test_the_city_workbook_holds_intervals_as_two_numbers(city_report: Path, children_obs) -> None:
    # the league, roll-up and gender sheets: the value inside its interval, both numbers, a unit column
    from womenstats.gender.aggregate import aggregate

    book = openpyxl.load_workbook(city_report / "midterm.xlsx")
    sheets = {book[name]["A1"].value: book[name] for name in book.sheetnames}
    league = next(sheet for title, sheet in sheets.items()
                  if title and title.startswith("各县（市、区）排名"))
    header = [cell.value for cell in league[2]]
    for column in ("单位", "数值", "95%下限", "95%上限", "地区代码"):
        assert column in header, column
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in league.iter_rows(min_row=3)]
    bounded = [r for r in rows if isinstance(r["95%下限"], float)]
    assert bounded and all(isinstance(r["95%上限"], float) for r in bounded)
    assert all(r["95%下限"] <= r["数值"] + 1e-9 <= r["95%上限"] + 2e-9 for r in bounded)
    # a one-year measure: the county's own exact interval from its counts, not an average
    screening = "health.cervical_cancer_screening"
    row = next(r for r in bounded if r["口径"] == "2024年" and r["指标代码"] == screening)
    obs = children_obs
    point = {"region_code": row["地区代码"], "year": 2024, "indicator_id": screening, "sex": "female",
             "age_group": "all", "residence": "all"}
    for key, value in point.items():
        obs = obs.loc[obs[key] == value]
    exact = aggregate(obs, {row["地区代码"]: row["地区代码"]}, partial=True).iloc[0]
    assert row["95%下限"] == pytest.approx(exact["lower"], abs=1e-9)
    assert row["95%上限"] == pytest.approx(exact["upper"], abs=1e-9)
    for prefix, low in (("全市汇总值与覆盖率", "95%下限"), ("全市和各县（市、区）的性别差距", "差距95%下限")):
        sheet = next(sheet for title, sheet in sheets.items() if title and title.startswith(prefix))
        header = [cell.value for cell in sheet[2]]
        assert "单位" in header and low in header, prefix
        assert any(isinstance(r[header.index(low)].value, float) for r in sheet.iter_rows(min_row=3)), prefix


def test_the_city_report_passes_audit_and_a_changed_value_fails_it(
    city_report: Path, tmp_path: Path, capsys
) -> None:
    assert main(["audit", str(city_report / "midterm.ipynb")]) == 0
    copy = tmp_path / "midterm"
    copy.mkdir()
    for path in city_report.iterdir():
        copy.joinpath(path.name).write_bytes(path.read_bytes())
    html = copy / "midterm.html"
    text = html.read_text(encoding="utf-8")
    assert "台山市" in text
    html.write_text(text.replace("台山市", "台山县", 1), encoding="utf-8")
    assert main(["audit", str(copy / "midterm.ipynb")]) == 1
    assert "midterm.html" in capsys.readouterr().out


def test_the_department_report_carries_its_targets_and_its_text(tmp_path: Path) -> None:
    assert (
        main(
            [
                "report",
                "--plan",
                "kaiping",
                "--department",
                "卫健",
                "--kind",
                "midterm",
                "--year",
                "2025",
                "--narrative",
                str(NARRATIVE),
                "--out",
                str(tmp_path),
            ]
        )
        == 0
    )
    folder = tmp_path / "kaiping" / "2025"
    text = "\n".join(p.text for p in docx.Document(folder / "midterm-卫健.docx").paragraphs)
    title = "开平市卫生健康局关于《开平市妇女发展规划（2021—2030年）》2025年中期评估的自评报告"
    assert text.startswith(title)
    assert "一人一档" in text and "待填写" not in text
    # the narrative first, the data after, the unit and the date line at the end
    assert text.index("主要措施") < text.index("目标完成情况") < text.index("2025年　　月　　日")
    # its findings speak of its own targets and do not name itself as the responsible unit
    start = text.rindex("四、目标完成情况")  # after the table of contents
    findings = text[start:text.index("五、逐项评估", start)]
    assert "本单位负责的目标" in findings and "规划实施" not in findings and "责任单位" not in findings
    html = (folder / "midterm-卫健.html").read_text(encoding="utf-8")
    assert "孕产妇死亡率" in html and "学前教育毛入园率" not in html  # only the unit's targets
    assert "kaiping.health" not in html and "SHA-256" not in html  # no ids, no hash tables


def test_department_and_region_arguments_are_checked(tmp_path: Path, capsys) -> None:
    base = ["report", "--kind", "midterm", "--year", "2025", "--out", str(tmp_path)]
    assert main([*base, "--plan", "kaiping", "--region", CITY]) == 2
    assert main([*base, "--region", "440783"]) == 2
    assert "没有下级地区" in capsys.readouterr().err
    assert main([*base, "--plan", "kaiping", "--department", "不存在的单位"]) == 2
    assert "可用的有" in capsys.readouterr().err
    assert main([*base, "--plan", "kaiping", "--narrative", str(NARRATIVE)]) == 2
    assert not any(tmp_path.iterdir())


def test_league_ranks_a_gap_by_its_size_and_ties_share_a_rank() -> None:
    from womenstats.report.region.tables import rank_children

    gaps = pd.Series({"a": -9.75, "b": 2.0, "c": -6.21, "d": 6.21})
    # narrowing a gap: the smallest |gap| is best, whatever its sign (the signed order would put a first)
    assert rank_children(gaps, "lower", "narrow").to_dict() == {"b": 1, "c": 2, "d": 2, "a": 4}
    deaths = pd.Series({"x": 0.0, "y": 27.9, "z": 0.0, "w": 0.0})
    ranked = rank_children(deaths, "lower", "<=")
    assert list(ranked.index) == ["x", "z", "w", "y"] and ranked.tolist() == [1, 1, 1, 4]
    screening = pd.Series({"p": 66.4, "q": 78.2, "r": 72.6})
    assert rank_children(screening, "higher", ">=").to_dict() == {"q": 1, "r": 2, "p": 3}


def test_no_rate_is_averaged_in_the_league_intervals(children_obs: pd.DataFrame) -> None:
    # each county's interval is the exact one of its own counts (Garwood for a rate per 100 000)
    from scipy import stats

    rows = children_obs.loc[
        (children_obs["indicator_id"] == "health.maternal_mortality")
        & (children_obs["sex"] == "female")
        & (children_obs["year"] == 2024)
    ]
    row = rows.iloc[0]
    k, n = row["numerator"], row["denominator"]
    lo = 0.0 if k == 0 else stats.chi2.ppf(0.025, 2 * k) / 2 / n * 1e5
    hi = stats.chi2.ppf(0.975, 2 * k + 2) / 2 / n * 1e5
    from womenstats.gender.aggregate import aggregate

    exact = aggregate(rows.iloc[[0]], {row["region_code"]: row["region_code"]}, partial=True)
    assert exact["lower"].iloc[0] == pytest.approx(lo, rel=1e-9)
    assert exact["upper"].iloc[0] == pytest.approx(hi, rel=1e-9)
    assert np.isfinite(hi)


def test_a_late_county_is_carried_forward_so_the_city_compares_like_with_like(children_obs) -> None:
    point = {"indicator_id": "health.cervical_cancer_screening", "sex": "female", "residence": "all",
             "age_group": "all"}
    rows = children_obs
    for key, value in point.items():
        rows = rows.loc[rows[key] == value]
    taishan = rows.loc[rows["region_code"] == "440781"].sort_values("year")
    assert taishan["year"].max() == 2023  # late with 2024
    both = rows.loc[rows["year"] == 2024]
    with_taishan = pd.concat([both, taishan.tail(1)])
    expected = 100 * with_taishan["numerator"].sum() / with_taishan["denominator"].sum()
    rolled = rolled_observations(children_obs, CITY, [2023, 2024])
    got = rolled.loc[(rolled["year"] == 2024) & (rolled["indicator_id"] == point["indicator_id"])
                     & (rolled["age_group"] == "all") & (rolled["residence"] == "all")].iloc[0]
    assert got["value"] == pytest.approx(expected, rel=1e-12)
    assert got["source"] == "由下级汇总（6/7 个下级报送；台山市沿用2023年数值（2024年未报送））"
    alone = rolled_observations(children_obs, CITY, [2024], carry=False)
    only = alone.loc[(alone["indicator_id"] == point["indicator_id"]) & (alone["age_group"] == "all")
                     & (alone["residence"] == "all")].iloc[0]
    assert only["value"] == pytest.approx(100 * both["numerator"].sum() / both["denominator"].sum())
    assert got["value"] != pytest.approx(only["value"])  # the late county moves the city's figure


def test_a_province_sums_its_counties_through_its_cities() -> None:
    obs = Store().observations()
    counties = [c for c in regions.children("440000", depth=None) if not regions.children(c)]
    assert set(counties) == {"440115", *regions.children(CITY)}
    rolled = rolled_observations(obs.loc[obs["region_code"].isin(counties)], "440000", [2024], carry=False)
    rows = obs.loc[
        obs["region_code"].isin(counties)
        & (obs["year"] == 2024)
        & (obs["indicator_id"] == "health.maternal_mortality")
        & (obs["sex"] == "female")
        & (obs["residence"] == "all")
    ]
    got = rolled.loc[
        (rolled["indicator_id"] == "health.maternal_mortality")
        & (rolled["sex"] == "female")
        & (rolled["residence"] == "all")
    ]
    assert got["value"].iloc[0] == pytest.approx(1e5 * rows["numerator"].sum() / rows["denominator"].sum())
    assert got["source"].iloc[0] == f"由下级汇总（{len(rows)}/8 个下级报送）"


def test_the_simulated_province_is_reproducible_and_labelled() -> None:
    from womenstats.demo.province import PROVINCE, province_regions, simulate_province

    rows = province_regions(2, 3)
    assert [r["code"] for r in rows] == [
        PROVINCE,
        "990100",
        "990101",
        "990102",
        "990103",
        "990200",
        "990201",
        "990202",
        "990203",
    ]
    assert all("模拟" in r["name"] or r["note"] == "模拟" for r in rows)
    first = simulate_province(1, 2, targets=("national",))[1]
    again = simulate_province(1, 2, targets=("national",))[1]
    pd.testing.assert_frame_equal(first, again)
    assert set(first["region_code"]) == {"990101", "990102"} and (first["simulated"] == 1).all()
    with pytest.raises(ValueError):
        province_regions(0, 3)


def test_the_city_store_built_from_the_counties_packages_rolls_up_the_same(tmp_path: Path) -> None:
    from womenstats.gender.rollup import rollup
    from womenstats.intake.package import export_package, ingest_packages

    county_store = Store()
    packages = [
        export_package(county_store, code, 2024, tmp_path / f"{code}.zip") for code in regions.children(CITY)
    ]
    city = Store(tmp_path / "江门.sqlite")
    results = ingest_packages(packages, city, region=CITY)
    assert len(results) == 7
    here = rollup(city.observations(), CITY, 2024)
    there = rollup(county_store.observations(), CITY, 2024)
    pd.testing.assert_frame_equal(here, there)
    assert (here["n_children"] == 7).all() and here["n_reporting"].max() == 6  # 台山 late


def test_county_comparison_rows_name_their_breakdown() -> None:
    # women's, men's and everyone's literacy are three rows with three names; 孕产妇 are women anyway
    from womenstats.report.county.tables import point_name

    names = [point_name("health.health_literacy", sex, "all", "all") for sex in ("female", "male", "total")]
    assert names == ["居民健康素养水平（女）", "居民健康素养水平（男）", "居民健康素养水平"]
    assert point_name("health.maternal_mortality", "female", "rural", "all") == "孕产妇死亡率（农村）"


def test_the_city_says_which_late_county_its_figure_carries(city_report: Path) -> None:
    # 台山市 did not return 2024: the city's 2024 figure counts its 2023 value (like for like), while
    # the county comparison table beside it sums the six that reported; the sentence says so, once
    # per figure, in one parenthesis with the small-number note
    html = (city_report / "midterm.html").read_text(encoding="utf-8")
    sentence = html[html.index("孕产妇死亡率（目标：控制在12/10万以下）"):][:300]
    assert "（含台山市沿用2023年数值；事件数少，" in sentence, sentence
    assert "）（事件数少" not in sentence
