"""Our verdicts on the real national series agree with what the 国家统计局 monitoring reports printed.

The reference is independent of the code: each row quotes the 国家统计局《中国妇女发展纲要（2011—2020年）》
统计监测报告 of that year (its words are in data/raw/national/national_observed.csv with the source), and
says which of our statuses agree with it. A report that says a target is met (实现, 提前实现) agrees with
已达标; “基本实现” with 基本达标; “仍有差距” with anything but met or nearly met.
"""

from __future__ import annotations

import pytest

from womenstats.assess import assess_plan
from womenstats.intake import build_store

MET = {"achieved"}
NEARLY = {"nearly_achieved"}
SHORT = {"on_track", "at_risk", "off_track", "regressing", "not_achieved"}

#: (assessment year, target, what the report printed, the statuses that agree with it)
NBS = [
    (2015, "national_2011.health.02-1",
     "2015年中期：孕产妇死亡率为20.1/10万，基本实现20/10万的《纲要》目标", NEARLY),
    (2018, "national_2011.health.03-1",
     "2018年：妇女常见病筛查率75.5%，距“达到80%以上”的目标仍有差距", SHORT),
    (2018, "national_2011.health.04-2",
     "2018年：孕产妇住院分娩率99.9%，自2012年起一直保持在99%以上", MET),
    (2018, "national_2011.health.04-1",
     "2018年：孕产妇系统管理率89.9%（目标85%以上）", MET),
    (2018, "national_2011.education.02-1",
     "2018年：高等教育毛入学率48.1%，自2015年以来提前实现“40%”的目标", MET),
    (2018, "national_2011.economy.01-1",
     "2018年：女性就业人员比重43.7%，超过“保持在40%以上”的目标", MET),
    (2020, "national_2011.health.02-1",
     "终期：孕产妇死亡率16.9/10万，比2010年降低43.7%", MET),
    (2020, "national_2011.health.01-1",
     "终期：女性人均预期寿命从2010年的77.37岁提高到80.88岁", MET),
    (2020, "national_2011.economy.01-1",
     "终期：女性就业人员比重43.5%，实现《纲要》“保持在40%以上”的目标", MET),
    (2020, "national_2011.decision.01-1",
     "终期：村委会成员中女性比例24.2%，距“达到30%以上”的目标仍有一定的差距", SHORT),
    (2020, "national_2011.education.01-1",
     "终期：九年义务教育巩固率95.2%（目标95%）", MET),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("nbs") / "store.sqlite"
    build_store(path)
    return path


@pytest.fixture(scope="module")
def verdicts(store):
    return {year: assess_plan("national_2011", year, store=store).set_index("target_id")
            for year in sorted({row[0] for row in NBS})}


@pytest.mark.parametrize(("year", "target", "printed", "agree"), NBS, ids=[f"{r[0]}-{r[1]}" for r in NBS])
def test_our_verdict_agrees_with_the_published_report(verdicts, year, target, printed, agree):
    row = verdicts[year].loc[target]
    assert row["status"] in agree, (printed, row["status"], row["last_value"], row["last_year"])


def test_the_final_evaluation_is_a_final_one(verdicts):
    final = verdicts[2020]
    assert final["final"].all()
    judged = final.loc[final["kind"] != "qualitative", "status"]
    assert set(judged) <= {"achieved", "nearly_achieved", "not_achieved", "insufficient_data"}
