"""Hostile names and texts in the outputs (issue 18, findings 1 and 2) and a store that cannot be used (5).

A return file, a ``--store`` or an ``--out`` path named with script, and source texts that a spreadsheet
would run as a formula, must come out as inert text in the HTML, Word and Excel reports and in the CSV
export; a store that is not a database, or that another program keeps locked, is the package's own
error with its code, never a traceback.
"""

from __future__ import annotations

import csv
import sqlite3
import threading
import time
import zipfile
from pathlib import Path

import nbformat
import pytest
from openpyxl import load_workbook

from womenstats._safe import code_literal, markdown_literal, markdown_plain, neutralise_formula
from womenstats.cli import main
from womenstats.errors import StoreError
from womenstats.intake import Store
from womenstats.intake.ingest import ingest_files
from womenstats.report.provenance import provenance_markdown
from womenstats.report.write.display import MIME_PROVENANCE, MIME_TABLE, table_html, table_payload
from womenstats.report.write.docx import build_docx
from womenstats.report.write.html import notebook_html
from womenstats.report.write.xlsx import write_xlsx

SCRIPT_NAME = "x`<script>alert(1)</script>`.csv"
IMG_NAME = "<img src=x onerror=alert(2)>|`.csv"
STORE_NAME = "data/`<script>alert(3)</script>.sqlite"
FORMULAS = ["=HYPERLINK(\"http://evil\",\"点我\")", "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1)",
            "\tTAB", "\rCR"]
HEADER = "地区代码,年份,指标代码,性别,年龄组,城乡,数值,分子,分母,单位,来源\n"


def _record() -> dict:
    return {
        "version": "0.1.0",
        "parameters": {"plan": "kaiping", "year": 2025, "store": STORE_NAME, "out_dir": "reports/<b>`"},
        "requirements_lock_sha256": "cd" * 32,
        "store": STORE_NAME,
        "store_content_sha256": "ab" * 32,
        "inputs": [{"file": SCRIPT_NAME, "sha256": "ef" * 32, "sha256_now": None},
                   {"file": IMG_NAME, "sha256": "12" * 32, "sha256_now": None}],
        "catalog": [],
        "simulated": False,
    }


def _notebook():
    record = _record()
    markdown = provenance_markdown(record)
    import pandas as pd

    payload = table_payload(pd.DataFrame({"来源": FORMULAS, "数值": [-1.5] * len(FORMULAS)}), "表1 来源")
    cell = nbformat.v4.new_code_cell("report.show_provenance(...)")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/markdown": markdown, "text/plain": markdown,
                                                     MIME_PROVENANCE: record}),
        nbformat.v4.new_output("display_data", data={"text/html": table_html(payload), "text/plain": "t",
                                                     MIME_TABLE: payload}),
    ]
    cell["id"] = "c"
    return nbformat.v4.new_notebook(cells=[cell])


@pytest.mark.parametrize("text", [SCRIPT_NAME, IMG_NAME, STORE_NAME, "a|b", "``", "**粗**", "\\`", "&lt;"])
def test_markdown_literal_round_trips_and_holds_no_markup(text: str) -> None:
    escaped = markdown_literal(text)
    assert "<" not in escaped and ">" not in escaped
    assert markdown_plain(escaped) == text
    assert code_literal(text) in {escaped, f"`{text}`"}


def test_plain_names_keep_their_code_spans() -> None:
    assert code_literal("demo/kaiping_2024.csv") == "`demo/kaiping_2024.csv`"


def test_html_report_shows_hostile_names_as_text() -> None:
    page = notebook_html(_notebook(), "标题")
    for live in ("<script>alert", "<img src=x", "<b>`"):
        assert live not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page


def test_word_report_holds_hostile_names_verbatim() -> None:
    doc = build_docx(_notebook(), "标题")
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    paragraphs = "\n".join(p.text for p in doc.paragraphs)
    assert SCRIPT_NAME in cells and IMG_NAME in cells
    assert STORE_NAME in paragraphs
    assert FORMULAS[0] in cells


def test_excel_report_holds_no_formula(tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    write_xlsx(_notebook(), out, "标题")
    with zipfile.ZipFile(out) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in xml or b"<f " in xml for xml in sheets)
    wb = load_workbook(out)
    table = wb.worksheets[1]
    texts = [table.cell(row=r, column=1) for r in range(3, 3 + len(FORMULAS))]
    assert [c.value for c in texts] == FORMULAS
    assert all(c.data_type == "s" and c.quotePrefix for c in texts)
    assert table.cell(row=3, column=2).value == -1.5  # numbers stay numbers


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_is_neutralised(text: str) -> None:
    assert neutralise_formula(text) == "'" + text
    assert neutralise_formula("卫健委") == "卫健委" and neutralise_formula(-3.0) == -3.0


def test_store_export_neutralises_formulas(tmp_path: Path) -> None:
    source = tmp_path / "r.csv"
    with open(source, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER.strip().split(","))
        for i, text in enumerate(FORMULAS[:5]):
            writer.writerow(["440783", 2021 + i, "health.maternal_mortality", "", "", "", "25.0", 1, 4000,
                             "1/10万", text])
    store = tmp_path / "s.sqlite"
    assert main(["ingest", str(source), "--store", str(store)]) == 0
    out = tmp_path / "export.csv"
    assert main(["store", "export", "--store", str(store), "--out", str(out)]) == 0
    with open(out, encoding="utf-8", newline="") as fh:
        exported = list(csv.DictReader(fh))
    assert [row["source"] for row in exported] == ["'" + text for text in FORMULAS[:5]]
    assert all(not row[col].startswith(("=", "+", "-", "@")) for row in exported for col in row)


def test_store_that_is_not_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "fake.sqlite"
    fake.write_bytes(b"this is a text file, not SQLite\n" * 100)
    before = fake.read_bytes()
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "440783,2023,health.maternal_mortality,,,,25.0,1,4000,1/10万,卫健\n",
                    encoding="utf-8")
    for argv in (["ingest", str(good), "--store", str(fake)], ["store", "export", "--store", str(fake)],
                 ["validate", str(good), "--store", str(fake)]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "E_STORE_NOT_DB" in err and "不是 womenstats 的数据库" in err and "Traceback" not in err
    assert fake.read_bytes() == before


def test_store_locked_by_another_program(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "440783,2023,health.maternal_mortality,,,,25.0,1,4000,1/10万,卫健\n",
                    encoding="utf-8")
    Store(path).observations()  # creates nothing: the file does not exist yet
    with Store(path).session():
        pass
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    started = time.monotonic()
    with pytest.raises(StoreError) as caught:
        ingest_files([good], store=Store(path, timeout=0.3))
    assert caught.value.code == "E_STORE_LOCKED" and "已等待 0.3 秒" in str(caught.value)
    assert time.monotonic() - started < 5
    holder.execute("ROLLBACK")
    holder.close()
    assert Store(path).observations().empty


def test_store_lock_released_in_time_is_waited_for(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "440783,2023,health.maternal_mortality,,,,25.0,1,4000,1/10万,卫健\n",
                    encoding="utf-8")
    with Store(path).session():
        pass
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    release = threading.Timer(0.5, lambda: holder.execute("ROLLBACK"))
    release.start()
    result = ingest_files([good], store=Store(path, timeout=10))
    release.join()
    holder.close()
    assert result.loaded and len(Store(path).observations()) == 1


def test_template_writes_catalog_text_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from womenstats.intake import reference
    from womenstats.intake.template import build_template

    registry = dict(reference.indicators())
    mmr = registry["health.maternal_mortality"]
    monkeypatch.setitem(registry, mmr.id, type(mmr)(**{**mmr.__dict__, "definition": "=HYPERLINK(\"x\")"}))
    monkeypatch.setattr(reference, "indicators", lambda: registry)
    workbook, _ = build_template("kaiping", 2023)
    found = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row
             if c.value == "=HYPERLINK(\"x\")"]
    assert found and all(c.data_type == "s" and c.quotePrefix for c in found)
