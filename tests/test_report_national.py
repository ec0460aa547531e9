"""The 2011–2020 outline's final evaluation on the real national series agrees with the published figures."""

from __future__ import annotations

import csv

import pytest

from womenstats import paths
from womenstats.intake import build_store
from womenstats.report.county import tables
from womenstats.report.county.context import open_report

ACHIEVED = "已实现"


@pytest.fixture(scope="module")
def final(tmp_path_factory):
    store = tmp_path_factory.mktemp("national") / "store.sqlite"
    build_store(store)
    ctx = open_report("final", plan="national_2011", year=2020, store=str(store))
    return tables.final_table(ctx).merge(ctx.assessment()[["target_id", "operator", "target_value"]],
                                          left_on="目标编号", right_on="target_id")


def _published(indicator: str, breakdown: str, year: int) -> float:
    with open(paths.raw_dir() / "national" / "national_observed.csv", encoding="utf-8") as fh:
        values = {float(r["value"]) for r in csv.DictReader(fh)
                  if (r["indicator"], r["breakdown"], r["year"]) == (indicator, breakdown, str(year))}
    assert len(values) == 1, values
    return values.pop()


def test_a_2020_value_meeting_its_target_is_achieved(final):
    valued = final[final["operator"].isin([">=", "<="]) & (final["终期值年份"] == 2020)]
    assert len(valued) >= 3
    for row in valued.to_dict("records"):
        last, value = row["终期值"], float(row["target_value"])
        meets = last >= value if row["operator"] == ">=" else last <= value
        assert (row["是否达标"] == ACHIEVED) == meets, row
        assert row["说明"] == ""


def test_a_verdict_on_data_before_2020_says_which_year(final):
    older = final[final["终期值年份"].notna() & (final["终期值年份"] < 2020)]
    assert len(older) >= 1
    for row in older.to_dict("records"):
        if row["是否达标"] == "数据不足" and row["终期值年份"] < 2018:  # too old for a final verdict
            assert row["说明"].startswith(f"最新数据为{row['终期值年份']}年")
        elif row["是否达标"] == "数据不足":  # one value cannot show a direction
            assert row["说明"] == "只有1年数据" and row["operator"] == "increase"
        else:
            assert row["终期值年份"] >= 2018 and row["说明"] == f"按{row['终期值年份']}年数据"


def test_values_are_the_published_figures(final):
    by_name = final.set_index("指标")
    assert by_name.loc["孕产妇死亡率", "终期值"] == _published("孕产妇死亡率", "total", 2020)
    assert by_name.loc["孕产妇死亡率", "是否达标"] == ACHIEVED  # 16.9 <= 20
    village = by_name.loc["村委会成员中女性比例"]
    assert village["终期值"] == _published("村委会成员中女性比例", "female", 2020)
    gap = f"低于目标{30 - village['终期值']:.1f}个百分点"
    assert village["是否达标"] == "未实现" and village["距目标差距"] == gap
    assert village["终期值年份"] == 2020


def test_unmet_and_undecided_targets_are_listed_apart(tmp_path):
    store = tmp_path / "store.sqlite"
    build_store(store)
    store_ctx = open_report("final", plan="national_2011", year=2020, store=str(store))
    unmet, undecided = tables.unmet_table(store_ctx), tables.undecided_table(store_ctx)
    assert len(unmet) >= 1 and set(unmet["是否达标"]) == {"未实现"}
    assert (unmet["终期值年份"] >= 2018).all()  # a final verdict rests on data at most two years old
    assert set(undecided["是否达标"]) <= {"数据不足"}
    assert not set(unmet["目标编号"]) & set(undecided["目标编号"])
    assessed = store_ctx.assessment()
    every = assessed.loc[assessed["kind"] != "qualitative", "status"]
    assert len(unmet) == (every == "not_achieved").sum()
    assert len(undecided) == (every == "insufficient_data").sum()
