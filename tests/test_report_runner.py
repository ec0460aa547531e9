"""The report runner end to end: a real papermill run on a small store, reruns, audit, failures.

The store (tests/report_store.py) holds a few series of 开平市 as a long CSV loaded through the ordinary
ingest, so the notebook runs on real store content in seconds.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import nbformat
import pytest
from docx import Document
from openpyxl import load_workbook

from report_store import PLAN, REGION, build_store, write_csv
from womenstats.cli import main
from womenstats.intake import Store
from womenstats.intake.ingest import ingest_files
from womenstats.report import ReportError, iter_items, run_many, run_report


def _digests(files) -> dict[str, str]:
    return {Path(f).name: hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in files}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    store = build_store(folder)
    out = folder / "reports"
    files = run_report(PLAN, "midterm", 2025, store=store, out=out)
    return {"folder": folder, "store": store, "out": out, "files": files, "digests": _digests(files)}


def test_writes_the_four_files(run):
    names = [f.name for f in run["files"]]
    assert names == ["midterm.ipynb", "midterm.html", "midterm.docx", "midterm.xlsx"]
    folder = run["out"] / PLAN / "2025"
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)
    assert not [p for p in (run["out"] / PLAN).iterdir() if p.name.startswith(".")]  # no staging left


def test_notebook_opens_with_findings_and_ends_with_provenance(run):
    nb = nbformat.read(run["files"][0], as_version=4)
    params = nb.metadata["papermill"]["parameters"]
    assert params["plan"] == PLAN and params["year"] == 2025 and params["method"] == "ours"
    assert set(nb.metadata["papermill"]) <= {"parameters", "default_parameters"}
    items = list(iter_items(nb))
    provenance = next(i for i in items if i.kind == "provenance")
    kinds = [i.kind for i in items]
    assert kinds.index("provenance") > max(k for k, kind in enumerate(kinds) if kind == "table")  # appendix
    first_text = next(i for i in items if i.kind == "markdown" and i.data.startswith("结果显示"))
    assert items.index(first_text) < kinds.index("table")  # the findings first, in prose
    assert "达标率" in first_text.data
    record = provenance.data
    assert record["store_content_sha256"] == Store(run["store"]).content_sha256()
    assert [row["file"] for row in record["inputs"]] == ["returns.csv"]
    assert record["inputs"][0]["sha256"] == hashlib.sha256(
        (run["folder"] / "returns.csv").read_bytes()).hexdigest()
    assert record["simulated"] is True
    assert len(record["requirements_lock_sha256"]) == 64
    text = run["files"][0].read_text(encoding="utf-8")
    for stamp in ("start_time", "end_time", "duration", "iopub.execute_input", "input_path"):
        assert stamp not in text


def test_tables_show_the_assessed_targets(run):
    nb = nbformat.read(run["files"][0], as_version=4)
    tables = {i.title: i.data for i in iter_items(nb) if i.kind == "table"}
    health = tables["妇女与健康（模拟数据）"]
    names = [row[health["columns"].index("指标")] for row in health["rows"]]
    assert "适龄妇女宫颈癌人群筛查率" in names and "产妇产后访视率" in names
    row = health["rows"][names.index("产妇产后访视率")]
    assert row[health["columns"].index("最新值")] == "97.8%"
    assert row[health["columns"].index("状态")] == "提前实现"  # 97.8 >= 96, before 2030
    data = health["data"]  # the workbook's form: numbers as numbers, the id for machines
    row = data["rows"][data["columns"].index("目标编号") and [r[-1] for r in data["rows"]].index(
        "kaiping.health.04-3")]
    assert row[data["columns"].index("最新值")] == 97.8 and row[data["columns"].index("单位")] == "%"
    charts = [i for i in iter_items(nb) if i.kind == "chart"]
    assert [c.title for c in charts][:2] == ["各领域目标状态", "趋势图：妇女与健康：量化目标的趋势"]
    assert len(charts) == 1 + len({c.title for c in charts[1:]})


def test_docx_and_xlsx_open_with_content(run):
    doc = Document(str(run["files"][2]))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0].startswith("开平市妇女发展规划") and headings[1:3] == ["目录", "一、总体评估结论"]
    assert len(doc.tables) >= 8 and len(doc.inline_shapes) >= 2
    assert "模拟数据" in doc.sections[0].header.paragraphs[0].text
    wb = load_workbook(run["files"][3])
    assert wb.sheetnames[0] == "说明" and "妇女与健康（模拟数据）" in wb.sheetnames


def test_rerun_is_byte_identical(run):
    again = run_report(PLAN, "midterm", 2025, store=run["store"], out=run["out"])
    assert _digests(again) == run["digests"]


def test_audit_passes_untouched_and_fails_after_store_change(run, tmp_path, capsys):
    assert main(["audit", str(run["files"][0])]) == 0
    assert "复核通过" in capsys.readouterr().out
    # Copy the report and its store, then correct one value in the copied store.
    store = tmp_path / "store.sqlite"
    shutil.copy(run["store"], store)
    report = run_report(PLAN, "midterm", 2025, store=store, out=tmp_path / "out")[0]
    row = f"{REGION},2024,health.postpartum_visit,female,all,all,95.0,%,卫健\n"
    revised = write_csv(tmp_path / "fix.csv", [row])
    assert ingest_files([revised], plan=PLAN, revise=True, simulated=True, store=Store(store)).loaded
    assert main(["audit", str(report)]) == 1
    out = capsys.readouterr().out
    assert "复核未通过" in out and "store_content_sha256" in out


def test_failed_run_writes_nothing(tmp_path):
    bad_store = tmp_path / "bad.sqlite"
    bad_store.write_bytes(b"this is not a database")
    out = tmp_path / "out"
    with pytest.raises(ReportError, match="执行失败"):
        run_report(PLAN, "midterm", 2025, store=bad_store, out=out)
    assert not (out / PLAN / "2025").exists()
    assert not out.exists() or not [p for p in out.rglob("*") if p.is_file()]  # nothing half-written


def test_one_failure_does_not_stop_the_others(run, tmp_path):
    summary = run_many(["no_such_plan", PLAN], "midterm", 2025, store=run["store"], out=tmp_path,
                       progress=False)
    assert list(summary.written) == [PLAN] and list(summary.failed) == ["no_such_plan"]
    assert "未知的规划代码" in summary.failed["no_such_plan"]
    assert summary.exit_code == 1


def test_cli_bad_plan_exits_2(capsys):
    assert main(["report", "--plan", "nowhere", "--kind", "midterm", "--year", "2025"]) == 2
    assert "未知的规划代码" in capsys.readouterr().err


def test_parallel_runs_write_the_same_files_as_one_by_one(run, tmp_path):
    one_by_one = run_many([PLAN], "midterm", 2025, store=run["store"], out=tmp_path, progress=False, jobs=1)
    before = _digests(one_by_one.written[PLAN])
    parallel = run_many([PLAN, "no_such_plan"], "midterm", 2025, store=run["store"], out=tmp_path,
                        progress=False, jobs=2)
    assert list(parallel.written) == [PLAN] and "未知的规划代码" in parallel.failed["no_such_plan"]
    assert _digests(parallel.written[PLAN]) == before  # byte for byte as run alone


def test_work_on_other_cores_changes_no_byte(run, monkeypatch):
    # early assessments, prefetched peers, charts and the Word file from forked workers (the fixture's
    # run) against everything computed in place
    monkeypatch.setenv("WOMENSTATS_NO_FORK", "1")
    again = run_report(PLAN, "midterm", 2025, store=run["store"], out=run["out"])
    assert _digests(again) == run["digests"]


def test_early_assessments_are_taken_only_for_their_own_run(tmp_path, monkeypatch):
    from womenstats.report import precomputed

    monkeypatch.setenv(precomputed.EARLY_ENV, str(tmp_path))
    (tmp_path / precomputed.PLANNED).write_text(precomputed.early_name(PLAN, 2025, "a.sqlite", "ours"))
    assert precomputed.early_planned(PLAN, 2025, "a.sqlite", "ours")
    assert not precomputed.early_planned(PLAN, 2025, "b.sqlite", "ours")  # another store: not this run's
    assert precomputed.early_assessment(PLAN, 2025, "b.sqlite", "ours") is None
    assert precomputed.early_assessment(PLAN, 2025, "a.sqlite", "ours") is None  # planned, gone, no file


def test_the_runners_worker_renders_the_charts_the_kernel_would(run, tmp_path, monkeypatch):
    from womenstats.report import precomputed
    from womenstats.report.county.charts import charted_rows, render_area
    from womenstats.report.county.context import open_report
    from womenstats.report.run import parallel

    store = str(run["store"])
    worker = parallel.start_early_assessments(tmp_path, PLAN, 2025, store, ["ours", "open-sdg"],
                                              charts=("midterm", store))
    if worker is None:
        pytest.skip("no second core or fork here: the kernel renders its charts itself")
    worker.join(timeout=120)
    monkeypatch.setenv(precomputed.EARLY_ENV, str(tmp_path))
    assert precomputed.early_charts_planned(PLAN, 2025, store, "ours")
    ctx = open_report("midterm", plan=PLAN, year=2025, store=store)
    table = ctx.assessment()
    areas = [a for a in dict.fromkeys(table["area"]) if charted_rows(table, a)]
    assert areas
    for area in areas:
        assert precomputed.early_charts(PLAN, 2025, store, "ours", area) == render_area(ctx, table, area)
    assert not precomputed.early_charts_planned(PLAN, 2025, store, "open-sdg")
    from womenstats import assess

    computed_here = assess.assess_plan(PLAN, 2025, store=Store(store), method="open-sdg")
    assert precomputed.early_assessment(PLAN, 2025, store, "open-sdg").equals(computed_here)


@pytest.mark.parametrize(("kind", "year"), [("annual", 2025), ("final", 2030)])
def test_a_plan_with_no_data_yet_gets_a_report_that_says_so(run, tmp_path, kind, year):
    # 古县 has a plan but nothing in this store (only 开平 reported): every quantified target is
    # 数据不足, the gender table is empty, and the run does not fail
    files = run_report("guxian", kind, year, store=run["store"], out=tmp_path)
    assert [Path(f).suffix for f in files] == [".ipynb", ".html", ".docx", ".xlsx"]
    items = list(iter_items(nbformat.read(files[0], as_version=4)))
    text = "".join(item.data for item in items if item.kind == "markdown")
    assert "目前均缺少可用于判定的数据" in text and "结果显示" not in text
    assert "没有同时报送女性和男性" in text  # the gender section says why it has no table
    assert not [item for item in items if item.kind == "table" and not item.data["rows"]]  # no empty table
