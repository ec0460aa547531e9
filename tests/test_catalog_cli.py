"""``womenstats catalog``: list, show, extract and check, run through the real entry point.

Printed rows are compared with the targets file itself (read here with the csv module, not
through the catalog loader) and with the registry, so a formatting slip in the command shows up
as a difference from the data it prints.
"""

from __future__ import annotations

import csv
import io
import shutil

import pytest

from womenstats import catalog, paths
from womenstats.catalog import TARGET_COLUMNS
from womenstats.cli import main
from womenstats.cli.catalog import LIST_COLUMNS

HEADER = (
    "plan,area,section,item,target_id,indicator_id,indicator,kind,operator,value,unit,target_year,sentence"
)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["catalog", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def file_rows(plan_id: str) -> dict[str, dict[str, str]]:
    path = catalog.DATA_DIR / "targets" / f"{plan_id}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["target_id"]: row for row in csv.DictReader(fh)}


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_list_columns_are_the_documented_ones():
    assert ",".join(LIST_COLUMNS) == HEADER


@pytest.mark.parametrize("plan_id", ["national", "national_2011"])
def test_list_prints_the_targets_file(capsys, plan_id):
    code, out, _ = run(capsys, "list", "--plan", plan_id)
    assert code == 0
    assert out.splitlines()[0] == HEADER
    printed = parse(out)
    expected = file_rows(plan_id)
    assert sorted(r["target_id"] for r in printed) == sorted(expected)
    names = catalog.indicators()["name"]
    for row in printed:
        source = expected[row["target_id"]]
        assert row["plan"] == plan_id
        for column in LIST_COLUMNS:
            if column in source:
                assert row[column] == source[column], (row["target_id"], column)
        assert row["indicator"] == (names[row["indicator_id"]] if row["indicator_id"] else "")


def test_list_order_and_bytes_are_stable(capsys):
    _, first, _ = run(capsys, "list", "--plan", "national_2011")
    _, second, _ = run(capsys, "list", "--plan", "national_2011")
    assert first == second
    first.encode("utf-8")
    areas = [r["area"] for r in parse(first)]
    order = list(catalog.AREAS)
    assert areas == sorted(areas, key=order.index)
    ids = [r["target_id"] for r in parse(first) if r["area"] == "health"]
    statements = ("01-1", "02-1", "02-2", "02-3", "03-1", "03-2", "04-1", "04-2", "04-3")
    assert ids == [f"national_2011.health.{s}" for s in statements]


def test_list_without_plan_prints_every_plan_in_order(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    rows = parse(out)
    plans = catalog.plans()
    assert len(rows) == sum(len(file_rows(p)) for p in plans)
    seen = list(dict.fromkeys(r["plan"] for r in rows))
    assert seen == plans
    code, out, _ = run(capsys, "list", "--area", "law")
    assert code == 0
    assert {r["area"] for r in parse(out)} == {"law"}
    assert {r["plan"] for r in parse(out)} <= set(plans)


def test_list_filters_by_area(capsys):
    code, out, _ = run(capsys, "list", "--plan", "national_2011", "--area", "education")
    assert code == 0
    rows = parse(out)
    assert [r["indicator_id"] for r in rows] == [
        "education.compulsory_consolidation",
        "education.gross_enrollment_higher",
        "education.preschool_gross_enrollment",
        "education.high_school_gross_enrollment",
    ]
    assert {r["value"] for r in rows} == {"95", "40", "70", "90"}


def test_list_as_table_has_chinese_headers_and_every_row(capsys):
    code, out, _ = run(capsys, "list", "--plan", "national", "--format", "table")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:5] == ["规划", "领域", "部分", "条目", "目标编号"]
    assert len(lines) == 1 + len(file_rows("national"))
    assert "national.health.02-1" in lines[4] and "孕产妇死亡率" in lines[4]


def test_show_prints_target_and_indicator_with_labels(capsys):
    code, out, _ = run(capsys, "show", "national_2011.health.04-3")
    assert code == 0
    assert "目标编号：national_2011.health.04-3" in out
    assert "规划：中国妇女发展纲要（2011—2020年）（national_2011）" in out
    assert "城乡：农村（rural）" in out
    assert "运算符：不低于（>=）" in out
    assert "目标值：96\n" in out
    assert "目标年份：2020" in out
    assert "据报道" in out
    assert "指标名称：孕产妇住院分娩率" in out
    assert "较好方向：越高越好（higher）" in out
    assert "报送部门：卫健" in out


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("list", "--plan", "atlantis"), "没有规划“atlantis”"),
        (("list", "--plan", "national", "--area", "sports"), "没有领域“sports”"),
        (("show", "national.health.99-1"), "没有目标“national.health.99-1”"),
        (("show", "atlantis.health.01-1"), "没有规划“atlantis”"),
    ],
)
def test_unknown_plan_area_or_target_exits_2_with_a_chinese_message(capsys, argv, words):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("错误：") and words in err


PLAN_TEXT = """\
示例县妇女发展规划（2021—2030年）
（一）妇女与健康
主要目标：
1.孕产妇死亡率控制在10/10万以下。
2.适龄妇女宫颈癌人群筛查率达到８０％以上。
策略措施：
1.加强妇幼健康服务。
（二）妇女与教育
主要目标：
1.高中阶段教育毛入学率达到95%左右。
"""


def test_extract_prints_a_draft_targets_file(capsys, tmp_path):
    path = tmp_path / "示例县.txt"
    path.write_text(PLAN_TEXT, encoding="utf-8")
    code, out, err = run(capsys, "extract", str(path), "--plan-id", "demo")
    assert code == 0
    assert out.splitlines()[0] == ",".join(TARGET_COLUMNS)
    rows = [r for r in parse(out) if r["kind"] == "quantitative"]
    got = [(r["target_id"], r["indicator_id"], r["operator"], r["value"], r["unit"]) for r in rows]
    assert got == [
        ("demo.health.01-1", "health.maternal_mortality", "<=", "10", "1/10万"),
        ("demo.health.02-1", "health.cervical_cancer_screening", ">=", "80", "%"),
        ("demo.education.01-1", "education.high_school_gross_enrollment", "≈", "95", "%"),
    ]
    assert {r["target_year"] for r in rows} == {"2030"}
    assert "候选目标" in err


def test_an_extracted_draft_is_a_targets_file_that_needs_only_review(capsys, tmp_path):
    """Saved as ``targets/<plan>.csv``, the draft passes the schema check but for the indicator
    ids a reviewer must still fill in (candidates whose measure the registry did not name)."""
    shutil.copytree(catalog.DATA_DIR, tmp_path / "data")
    code, out, _ = run(
        capsys, "extract", str(paths.raw_dir() / "plans" / "nansha.txt"), "--plan-id", "nansha"
    )
    assert code == 0
    (tmp_path / "data" / "targets" / "nansha.csv").write_text(out, encoding="utf-8")
    problems = [p for p in catalog.check(tmp_path / "data") if p.file == "targets/nansha.csv"]
    assert {(p.code, p.message) for p in problems} <= {
        ("E_MISSING_FIELD", "非定性目标必须填写 indicator_id。")
    }
    blank = [r for r in parse(out) if r["kind"] != "qualitative" and not r["indicator_id"]]
    assert len(problems) == len(blank) < 5


def test_extract_table_and_missing_file(capsys, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(PLAN_TEXT, encoding="utf-8")
    code, out, _ = run(capsys, "extract", str(path), "--format", "table")
    assert code == 0
    assert out.splitlines()[0].split()[0] == "目标编号"
    assert "plan.health.01-1" in out
    code, out, err = run(capsys, "extract", str(tmp_path / "none.txt"))
    assert code == 2
    assert "none.txt" in err and "找不到" in err


def test_check_prints_each_problem_of_the_schema_check(capsys):
    code, out, err = run(capsys, "check")
    problems = catalog.check()
    assert out.splitlines() == [str(p) for p in problems]
    assert code == (1 if problems else 0)
    assert ("目录检查通过" in err) == (not problems)
