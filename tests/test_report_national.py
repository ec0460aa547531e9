"""The 2011–2020 outline's final evaluation on the real national series agrees with the published figures."""

from __future__ import annotations

import csv

import pytest

from womenstats import paths
from womenstats.intake import build_store
from womenstats.report.county import body
from womenstats.report.county.context import open_report

ACHIEVED = "已实现"


@pytest.fixture(scope="module")
def final_ctx(tmp_path_factory):
    store = tmp_path_factory.mktemp("national") / "store.sqlite"
    build_store(store)
    return open_report("final", plan="national_2011", year=2020, store=str(store))


@pytest.fixture(scope="module")
def final(final_ctx):
    ctx = final_ctx
    data = body.target_data(ctx)[["指标", "目标编号"]]
    table = body.final_table(ctx).assign(目标编号=data["目标编号"].to_numpy())
    return table.merge(ctx.assessment()[["target_id", "operator", "target_value"]], left_on="目标编号",
                       right_on="target_id")


def _published(indicator: str, breakdown: str, year: int) -> float:
    with open(paths.raw_dir() / "national" / "national_observed.csv", encoding="utf-8") as fh:
        values = {float(r["value"]) for r in csv.DictReader(fh)
                  if (r["indicator"], r["breakdown"], r["year"]) == (indicator, breakdown, str(year))}
    assert len(values) == 1, values
    return values.pop()


def _number(text: str) -> float:
    return float(str(text).rstrip("%").split("/")[0])


def test_a_2020_value_meeting_its_target_is_achieved(final):
    valued = final[final["operator"].isin([">=", "<="]) & (final["年份"] == 2020)]
    assert len(valued) >= 3
    for row in valued.to_dict("records"):
        last, value = _number(row["终期值"]), float(row["target_value"])
        meets = last >= value if row["operator"] == ">=" else last <= value
        assert (row["结论"] == ACHIEVED) == meets, row
        assert row["说明"] == ""


def test_a_verdict_on_data_before_2020_says_which_year(final):
    older = final[final["年份"].notna() & (final["年份"] < 2020)]
    assert len(older) >= 1
    for row in older.to_dict("records"):
        if row["结论"] == "数据不足":
            assert row["说明"] == f"最新数据为{row['年份']}年，不足以判定"
        else:
            assert row["年份"] >= 2018 and row["说明"] == f"按{row['年份']}年数据"


def test_values_are_the_published_figures(final):
    by_name = final.set_index("指标")
    assert _number(by_name.loc["孕产妇死亡率", "终期值"]) == _published("孕产妇死亡率", "total", 2020)
    assert by_name.loc["孕产妇死亡率", "结论"] == ACHIEVED  # 16.9 <= 20
    village = by_name.loc["村委会成员中女性比例"]
    assert _number(village["终期值"]) == _published("村委会成员中女性比例", "female", 2020)
    gap = f"低于目标{30 - _number(village['终期值']):.1f}个百分点"
    assert village["结论"] == "未实现" and village["距目标"] == gap
    assert village["年份"] == 2020


def test_unmet_and_undecided_targets_are_listed_apart(tmp_path):
    store = tmp_path / "store.sqlite"
    build_store(store)
    store_ctx = open_report("final", plan="national_2011", year=2020, store=str(store))
    unmet = body.final_table(store_ctx, statuses=("not_achieved",))
    undecided = body.final_table(store_ctx, statuses=("insufficient_data",))
    assert len(unmet) >= 1 and set(unmet["结论"]) == {"未实现"}
    assert (unmet["年份"] >= 2018).all()  # a final verdict rests on data at most two years old
    assert set(undecided["结论"]) <= {"数据不足"}
    assert not set(unmet["指标"]) & set(undecided["指标"])
    assessed = store_ctx.assessment()
    every = assessed.loc[assessed["kind"] != "qualitative", "status"]
    assert len(unmet) == (every == "not_achieved").sum()
    assert len(undecided) == (every == "insufficient_data").sum()


def test_a_national_report_names_its_sources(final_ctx):
    note = body.sources_note(final_ctx, "health")
    assert note.startswith("数据来源：") and "国家统计局" in note and "监测报告" in note


def test_a_target_written_without_a_unit_is_shown_in_its_indicators_unit(final_ctx, final):
    # 城乡差距逐步缩小 has no unit in the outline's table: its values are the indicator's, 1/10万
    assert final_ctx.target("national_2011.health.02-2")["unit"] == "1/10万"
    written = final_ctx.targets.set_index("target_id").loc["national_2011.health.02-2", "unit"]
    assert not isinstance(written, str) or written == ""
    row = final.set_index("目标编号").loc["national_2011.health.02-2"]
    # 2020: rural 18.5, urban 14.1 per 100 000 live births (统计监测报告): the gap is its size and
    # the group ahead, never “−4.4” in a sign convention the reader cannot see
    assert row["终期值"] == "农村高4.4/10万"
