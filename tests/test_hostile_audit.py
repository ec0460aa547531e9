"""An audit that cannot be fooled (issue 18, finding 3).

A number changed by hand in the report's .html, .docx or .xlsx fails the audit, each in the file and
the place it was changed; a line added to a code cell, anything but literal assignments in the
injected parameters, or parameters of the wrong kind are refused before anything runs (the added line
would write a file: the file must not appear).
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest
from openpyxl import load_workbook

from report_store import PLAN, build_store
from womenstats.cli import main
from womenstats.intake.ingest import ingest_files
from womenstats.report import AuditRefusedError, audit_report, run_report
from womenstats.report.audit.compare import check_code, check_parameters


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("audited")
    store = build_store(folder)
    files = run_report(PLAN, "midterm", 2025, store=store, out=folder / "reports")
    return files[0]


def _copy(report: Path, tmp_path: Path) -> Path:
    for suffix in (".ipynb", ".html", ".docx", ".xlsx"):
        shutil.copy(report.with_suffix(suffix), tmp_path / f"midterm{suffix}")
    return tmp_path / "midterm.ipynb"


def _code_cell(nb, text: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and text in c.source)


def test_numbers_changed_in_html_docx_and_xlsx_fail_the_audit(report: Path, tmp_path: Path, capsys) -> None:
    copy = _copy(report, tmp_path)
    html = copy.with_suffix(".html")
    page = html.read_text(encoding="utf-8")
    assert "97.8" in page
    html.write_text(page.replace("97.8", "99.9", 1), encoding="utf-8")
    book = copy.with_suffix(".xlsx")
    wb = load_workbook(book)
    sheet = wb["妇女与健康（模拟数据）"]
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == 97.8)
    cell.value = 99.9
    wb.save(book)
    docx = copy.with_suffix(".docx")
    with zipfile.ZipFile(docx) as old:
        parts = {info.filename: old.read(info) for info in old.infolist()}
    assert b"97.8" in parts["word/document.xml"]
    parts["word/document.xml"] = parts["word/document.xml"].replace(b"97.8", b"99.9", 1)
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)
    assert main(["audit", str(copy)]) == 1
    out = capsys.readouterr().out
    assert "复核未通过：3 处" in out
    assert "midterm.html：内容与重新生成的不同" in out
    assert "midterm.xlsx：内容与重新生成的不同" in out
    assert f"-妇女与健康（模拟数据）!{cell.coordinate}: 99.9" in out
    assert "midterm.docx：内容与重新生成的不同" in out and "99.9" in out


def test_a_missing_file_fails_the_audit(report: Path, tmp_path: Path) -> None:
    copy = _copy(report, tmp_path)
    copy.with_suffix(".docx").unlink()
    found = audit_report(copy)
    assert [(d.file, d.source) for d in found] == [("midterm.docx", "文件缺失，无法核对")]


def test_code_added_to_a_cell_is_refused_without_running(report: Path, tmp_path: Path, capsys) -> None:
    copy = _copy(report, tmp_path)
    nb = nbformat.read(copy, as_version=4)
    index = _code_cell(nb, "open_report")
    marker = tmp_path / "pwned.txt"
    nb.cells[index].source += f"\nopen({str(marker)!r}, 'w').write('ran')"
    nbformat.write(nb, copy)
    assert main(["audit", str(copy)]) == 2
    err = capsys.readouterr().err
    assert f"第 {index} 个单元" in err and "代码与项目笔记本 notebooks/02_midterm_evaluation.ipynb" in err
    assert "拒绝执行" in err
    assert not marker.exists()


@pytest.mark.parametrize("extra", ["import os", "year = 2025 if True else 0", "plan = 'kaiping'; x = 1"])
def test_injected_parameters_may_hold_only_literal_assignments(report: Path, extra: str) -> None:
    nb = nbformat.read(report, as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    injected.source += "\n" + extra
    with pytest.raises(AuditRefusedError, match="papermill 注入的参数"):
        check_code(nb, "midterm", check_parameters(nb))


def test_injected_values_must_match_the_recorded_parameters(report: Path) -> None:
    nb = nbformat.read(report, as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    injected.source = injected.source.replace("2025", "2024")
    with pytest.raises(AuditRefusedError, match="与报告记录的参数不一致"):
        check_code(nb, "midterm", check_parameters(nb))


@pytest.mark.parametrize(("name", "value"), [("year", "2025"), ("plan", "../../etc"), ("extra", 1)])
def test_parameters_of_the_wrong_kind_are_refused(report: Path, name: str, value: object) -> None:
    nb = nbformat.read(report, as_version=4)
    nb.metadata["papermill"]["parameters"][name] = value
    with pytest.raises(AuditRefusedError):
        check_parameters(nb)


def test_a_removed_cell_is_refused(report: Path) -> None:
    nb = nbformat.read(report, as_version=4)
    del nb.cells[_code_cell(nb, "open_report")]
    with pytest.raises(AuditRefusedError, match=r"代码与项目笔记本|代码单元"):
        check_code(nb, "midterm", check_parameters(nb))


def test_the_untouched_report_passes(report: Path, tmp_path: Path) -> None:
    assert audit_report(_copy(report, tmp_path)) == []


def test_hostile_store_out_and_return_names_stay_text_in_a_real_report(tmp_path: Path) -> None:
    from docx import Document

    from report_store import REGION, write_csv
    from womenstats.intake import Store

    # The folder and file together make the store …/`<script>alert(1)</script>`.sqlite
    folder = tmp_path / "`<script>alert(1)<"
    folder.mkdir()
    store = folder / "script>`.sqlite"
    shutil.copy(build_store(tmp_path), store)
    name = "x`<img src=x onerror=alert(2)>`|.csv"
    row = f"{REGION},2023,education.compulsory_consolidation,female,all,all,99.3,%,=HYPERLINK(\"http://evil\")\n"
    hostile = write_csv(tmp_path / "r.csv", [row])
    assert ingest_files([hostile], labels=[name], plan=PLAN, simulated=True, store=Store(store)).loaded
    out = tmp_path / "x`<b>out"
    files = run_report(PLAN, "midterm", 2025, store=store, out=out)
    page = files[1].read_text(encoding="utf-8")
    for live in ("<script>alert", "<img src=x", "<b>out"):
        assert live not in page
    assert "&lt;img src=x onerror=alert(2)&gt;`|.csv" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = "\n".join(p.text for p in Document(str(files[2])).paragraphs)
    cells = {c.text for t in Document(str(files[2])).tables for r in t.rows for c in r.cells}
    assert str(store) in text and name in cells
    with zipfile.ZipFile(files[3]) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in xml for xml in sheets)
