"""The report writers: HTML without code, Word and Excel from an executed notebook, byte-stable."""

from __future__ import annotations

import base64
import math
import zipfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import nbformat
import pandas as pd
import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from womenstats.report.run.normalise import normalise_notebook, parameters_of
from womenstats.report.write.display import (
    MIME_PNG,
    MIME_PROVENANCE,
    MIME_TABLE,
    figure_png,
    iter_items,
    table_html,
    table_payload,
)
from womenstats.report.write.docx import build_docx, write_docx
from womenstats.report.write.html import write_html
from womenstats.report.write.xlsx import FIXED_TIME, sheet_name, write_xlsx

NARRATIVE = "# 中期评估报告\n\n## 一、总体情况\n\n- 要点一\n\n正文 **加粗** 文字"
PROVENANCE_MD = "**来源**\n\n| a | b |\n| --- | --- |\n| 1 | 2 |"
TITLE = "开平市妇女发展规划（2021—2030年）2025年中期评估报告"


def _png() -> bytes:
    fig, ax = plt.subplots()
    ax.plot([2020, 2021, 2022], [80.0, 82.5, 84.0])
    ax.set_title("住院分娩率")
    png = figure_png(fig)
    plt.close(fig)
    return png


def _notebook(simulated: bool = True):
    frame = pd.DataFrame(
        {"目标": ["kaiping.health.01-1", "kaiping.health.02-1"], "最新值": [85.25, float("nan")],
         "状态": ["已达标", "难以达标"]}
    )
    payload = table_payload(frame, "表1 健康领域", simulated=simulated, note="注：示例")
    record = {"version": "0.1.0", "parameters": {"plan": "kaiping", "year": 2025},
              "store_content_sha256": "ab" * 32, "requirements_lock_sha256": "cd" * 32,
              "inputs": [{"file": "demo/x.csv", "sha256": "ef" * 32, "sha256_now": None}],
              "catalog": [], "simulated": simulated}
    code = nbformat.v4.new_code_cell("report.show_table(...)")
    code.outputs = [
        nbformat.v4.new_output("display_data", data={"text/markdown": PROVENANCE_MD, "text/plain": "来源",
                                                     MIME_PROVENANCE: record}),
        nbformat.v4.new_output("display_data", data={"text/html": table_html(payload), "text/plain": "t",
                                                     MIME_TABLE: payload}),
        nbformat.v4.new_output("display_data", data={MIME_PNG: base64.b64encode(_png()).decode(),
                                                     "text/plain": "图1"},
                               metadata={MIME_PNG: {"womenstats_title": "图1 住院分娩率", "alt": "图1"}}),
        nbformat.v4.new_output("stream", name="stdout", text="printed text\n"),
    ]
    text = nbformat.v4.new_markdown_cell(NARRATIVE)
    text["id"], code["id"] = "text", "code"  # ids come from the source notebook in real runs
    return nbformat.v4.new_notebook(cells=[text, code])


def test_items_read_back_in_order():
    kinds = [item.kind for item in iter_items(_notebook())]
    assert kinds == ["markdown", "provenance", "markdown", "table", "chart"]


def test_table_title_says_simulated():
    nb = _notebook(simulated=True)
    table = next(i for i in iter_items(nb) if i.kind == "table")
    assert table.title == "表1 健康领域（模拟数据）"
    assert table.data["rows"][0] == ["kaiping.health.01-1", 85.25, "已达标"]
    assert table.data["rows"][1][1] is None


def test_docx_has_headings_tables_picture_fonts(tmp_path):
    path = tmp_path / "r.docx"
    write_docx(_notebook(), path, TITLE)
    doc = Document(str(path))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings == ["中期评估报告", "一、总体情况", "目录"]
    links = doc.element.body.findall(".//" + qn("w:hyperlink"))
    marks = doc.element.body.findall(".//" + qn("w:bookmarkStart"))
    assert [link.get(qn("w:anchor")) for link in links] == [m.get(qn("w:name")) for m in marks]
    assert "".join(t.text for t in links[0].iter(qn("w:t"))) == "一、总体情况"
    assert len(doc.tables) == 2  # provenance markdown table + the report table
    table = doc.tables[1]
    assert [c.text for c in table.rows[0].cells] == ["目标", "最新值", "状态"]
    assert [c.text for c in table.rows[1].cells] == ["kaiping.health.01-1", "85.25", "已达标"]
    assert table.rows[2].cells[1].text == "—"
    assert len(doc.inline_shapes) == 1
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # header repeats on each page
    assert any("表1 健康领域（模拟数据）" in p.text for p in doc.paragraphs)
    assert "模拟数据" in doc.sections[0].header.paragraphs[0].text
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    assert doc.core_properties.created.replace(tzinfo=None) == FIXED_TIME
    assert doc.core_properties.modified.replace(tzinfo=None) == FIXED_TIME
    assert "printed text" not in "\n".join(p.text for p in doc.paragraphs)


def test_docx_without_simulated_data_has_no_label():
    doc = build_docx(_notebook(simulated=False), TITLE)
    assert "模拟数据" not in doc.sections[0].header.paragraphs[0].text


def test_xlsx_has_about_sheet_and_tables(tmp_path):
    path = tmp_path / "r.xlsx"
    write_xlsx(_notebook(), path, TITLE)
    wb = load_workbook(path)
    assert wb.sheetnames == ["说明", "表1 健康领域（模拟数据）", "附录 数据来源"]  # provenance last
    assert wb["说明"]["A1"].value == TITLE
    assert "模拟数据" in wb["说明"]["A2"].value
    assert "表1 健康领域（模拟数据）" in [c.value.strip() for c in wb["说明"]["A"] if c.value]
    provenance = [c.value for c in wb["附录 数据来源"]["A"] if c.value]
    assert f"数据库内容 SHA-256 = {'ab' * 32}" in provenance
    assert "输入文件 demo/x.csv SHA-256 = " + "ef" * 32 in provenance
    ws = wb["表1 健康领域（模拟数据）"]
    assert [c.value for c in ws[2]] == ["目标", "最新值", "状态"]
    assert ws["B3"].value == 85.25 and ws["B4"].value is None
    assert ws["C3"].fill.start_color.rgb.endswith("2F8D59")
    assert wb.properties.modified == FIXED_TIME


def test_outputs_are_byte_identical(tmp_path):
    for writer, suffix in ((write_docx, "docx"), (write_xlsx, "xlsx"), (write_html, "html")):
        first, second = tmp_path / f"a.{suffix}", tmp_path / f"b.{suffix}"
        writer(_notebook(), first, TITLE)
        writer(_notebook(), second, TITLE)
        assert first.read_bytes() == second.read_bytes(), suffix
    with zipfile.ZipFile(tmp_path / "a.docx") as zf:
        assert {info.date_time for info in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_html_has_no_code_and_shows_table(tmp_path):
    path = tmp_path / "r.html"
    write_html(_notebook(), path, TITLE)
    html = path.read_text(encoding="utf-8")
    assert "report.show_table" not in html
    assert "表1 健康领域（模拟数据）" in html
    assert f"<title>{TITLE}</title>" in html
    assert 'alt="图1 住院分娩率"' in html


def test_html_aligns_text_left_numbers_right_and_has_contents(tmp_path):
    path = tmp_path / "r.html"
    write_html(_notebook(), path, TITLE)
    html = path.read_text(encoding="utf-8")
    assert ('<td class="txt"><span class="code">kaiping.health.01-1</span></td><td class="num">85.25</td>'
            in html)
    assert '<span class="status" style="background:#2F8D59;color:#FFFFFF">已达标</span>' not in html
    assert 'class="status" style="background:#2F8D59;color:#000000">已达标</span>' in html
    assert "white-space: nowrap" in html and ".num { text-align: right;" in html
    nav = html[html.index('<nav class="womenstats-contents">'):html.index("</nav>")]
    assert "目录" in nav and "一、总体情况" in nav and 'href="#' in nav
    assert html.index("<nav") < html.index('<h2 id=')


@pytest.mark.parametrize("values, numeric", [
    ([1.5, None, 2.0], True), (["1.00–2.00", "—"], True), (["80.21（78.34–82.13）"], True),
    (["已达标", 1.0], False), (["≥ 90%"], False), ([None, "—"], False),
])
def test_numeric_columns(values, numeric):
    from womenstats.report.write.display import numeric_columns

    payload = {"columns": ["c"], "rows": [[v] for v in values]}
    assert numeric_columns(payload) == [numeric]


def test_chart_png_is_a_small_palette_image():
    import io

    from PIL import Image

    png = _png()
    with Image.open(io.BytesIO(png)) as image:
        assert image.mode == "P" and len(image.getpalette()) // 3 <= 64
    assert png == _png()


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    assert sheet_name("表1: a/b?", taken) == "表1 ab"
    long = "很" * 40
    assert sheet_name(long, taken) == "很" * 31
    assert sheet_name(long, taken) == "很" * 29 + "_2"


def test_normalise_strips_run_metadata():
    nb = _notebook()
    nb.metadata["papermill"] = {"parameters": {"plan": "kaiping"}, "start_time": "x", "duration": 1.0,
                                "input_path": "/abs/in.ipynb", "output_path": "/abs/out.ipynb"}
    nb.cells[1].metadata["papermill"] = {"duration": 0.5, "start_time": "t"}
    nb.cells[1].metadata["execution"] = {"iopub.execute_input": "t"}
    nb.cells[1].outputs.append(nbformat.v4.new_output("stream", name="stderr", text="/abs/path warning"))
    injected = nbformat.v4.new_code_cell("plan = 'kaiping'", metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(1, injected)
    normalise_notebook(nb)
    assert nb.metadata["papermill"] == {"parameters": {"plan": "kaiping"}}
    assert "papermill" not in nb.cells[2].metadata and "execution" not in nb.cells[2].metadata
    assert nb.cells[1]["id"] == "injected-parameters"
    assert not any(o.get("name") == "stderr" for o in nb.cells[2].outputs)
    assert parameters_of(nb) == {"plan": "kaiping"}


@pytest.mark.parametrize("value, text", [(85.0, "85.00"), (None, "—"), ("已达标", "已达标"), (3, "3")])
def test_cell_text(value, text):
    from womenstats.report.write.display import cell_text

    assert cell_text(value) == text


def test_wide_tables_go_on_landscape_pages_with_their_heading():
    from docx.enum.section import WD_ORIENT

    from womenstats.report.write.display import Item
    from womenstats.report.write.docx import WIDE_TABLE, orientations

    wide = table_payload(pd.DataFrame({f"c{i}": [1] for i in range(WIDE_TABLE + 1)}), "宽表")
    narrow = table_payload(pd.DataFrame({"a": [1]}), "窄表")
    items = [
        Item("markdown", "## 二、分领域评估"), Item("markdown", "说明文字"),
        Item("markdown", "### 妇女与健康"), Item("table", wide, "宽表"),
        Item("markdown", "### 妇女与教育"), Item("table", wide, "宽表"),
        Item("chart", _png(), "图"), Item("table", narrow, "窄表"),
    ]
    # a chart or a narrow table takes the page it comes to (None): no page break to turn the page
    assert orientations(items) == [True, True, True, True, True, True, None, None]
    long_texts = {"原因": ["很长的说明文字" * 4], "指标": ["很长的指标名称" * 3],
                  "说明": ["又一段很长的文字" * 3], "备注": ["再一段很长的文字" * 3]}
    crowded = table_payload(pd.DataFrame(long_texts), "挤")
    assert orientations([Item("table", crowded, "挤")]) == [True]  # four long texts side by side
    nb = _notebook()
    nb.cells.append(nbformat.v4.new_markdown_cell("### 妇女与健康"))
    code = nbformat.v4.new_code_cell("")
    code.outputs = [nbformat.v4.new_output("display_data", data={MIME_TABLE: wide, "text/plain": "宽表"})]
    nb.cells.append(code)
    doc = build_docx(nb, TITLE)
    # text and a narrow table first: a portrait page for them, then a landscape section for the wide table
    assert [s.orientation for s in doc.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    assert doc.sections[1].page_width > doc.sections[1].page_height
    # a wide table right after the title (a department's report): the title's page is landscape
    # too, not a blank portrait page before it
    first = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 标题\n\n正文"), code])
    assert [s.orientation for s in build_docx(first, TITLE).sections] == [WD_ORIENT.LANDSCAPE]
    narrow_only = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 标题\n\n正文")])
    portrait = build_docx(narrow_only, TITLE)
    assert [s.orientation for s in portrait.sections] == [WD_ORIENT.PORTRAIT]
    assert portrait.sections[0].page_width < portrait.sections[0].page_height


def test_text_em_counts_cjk_as_one_em():
    from womenstats.report.write.docx_widths import LATIN_EM, text_em

    assert text_em("kaiping") == pytest.approx(7 * LATIN_EM)
    assert text_em("预警") == 2.0
    assert text_em("80%预测区间") == pytest.approx(3 * LATIN_EM + 4)
    assert text_em("（２）") == 3.0  # full-width brackets and digit
    assert text_em("1–2") == pytest.approx(2 * LATIN_EM + 1)  # the dash is set wide by CJK fonts


def test_column_widths_fill_the_table_in_proportion_when_the_texts_fit():
    from womenstats.report.write.docx_widths import CELL_MARGINS, COLUMN_EMS, FIT_EMS, LATIN_EM, column_widths

    columns = [["编号", "a1"], ["值", "1.5"], ["名称", "妇女人均预期寿命"]]
    em = 9 * 20  # twips at 9 pt
    floor = math.ceil((COLUMN_EMS[0] + FIT_EMS) * em) + CELL_MARGINS
    need = [floor, floor, math.ceil((8 + FIT_EMS) * em) + CELL_MARGINS]
    assert COLUMN_EMS[0] > 3 * LATIN_EM  # "1.5" asks for the floor
    widths = column_widths(columns, 9000, 9)
    assert sum(widths) == 9000
    assert widths[:2] == [9000 * w // sum(need) for w in need[:2]]


def test_column_widths_keep_short_values_whole_and_give_the_long_texts_the_rest():
    from womenstats.report.write.docx_widths import (
        CELL_MARGINS,
        FIT_EMS,
        LATIN_EM,
        LONG_FLOOR_EMS,
        column_widths,
    )

    columns = [["年份", "2024"], ["状态", "需加快进度"], ["预警", "预计达标困难。" * 10],
               ["指标", "宫颈癌和乳腺癌防治知识知晓率"]]
    widths = column_widths(columns, 4000, 8)  # 160 twips an em
    assert sum(widths) == 4000
    assert widths[0] == math.ceil((4 * LATIN_EM + FIT_EMS) * 160) + CELL_MARGINS  # "2024": untouched
    assert widths[1] == math.ceil((5 + FIT_EMS) * 160) + CELL_MARGINS  # the status does not wrap
    # the 70-em warning takes more lines than the 14-em name at any equal width: it gets more room
    assert widths[2] > widths[3] >= LONG_FLOOR_EMS * 160 + CELL_MARGINS


def test_long_columns_share_their_room_as_well_as_the_best_split_on_the_same_grid():
    import numpy as np

    from womenstats.report.write.docx_widths import (
        CELL_MARGINS,
        FIT_EMS,
        LONG_FLOOR_EMS,
        share_long,
        text_em,
        unbreakable_em,
    )

    rng = np.random.default_rng(1)
    columns = [[f"kaiping.health.{i:02d}-1" for i in range(30)],
               ["妇" * int(k) for k in rng.integers(6, 18, 30)],  # indicator names
               ["因" * int(k) for k in rng.integers(30, 90, 30)]]  # reasons
    em, ems = 180, 50  # 9 pt, 50 ems to share
    widths = share_long(columns, ems * em + 3 * CELL_MARGINS, 9)
    lengths = np.array([[text_em(t) for t in col] for col in columns]).T

    def lines(x):  # the rows' lines: each row as tall as its tallest cell
        return np.maximum(lengths / np.asarray(x, float), 1.0).max(axis=1).sum()

    got = lines([(w - CELL_MARGINS) / em for w in widths])
    top = lengths.max(axis=0) + FIT_EMS
    id_floor = unbreakable_em(columns[0][0]) + FIT_EMS  # an id is not cut in two
    assert (widths[0] - CELL_MARGINS + 1) / em >= id_floor > LONG_FLOOR_EMS  # floored to whole twips
    grid = [(a, b, ems - a - b) for a in np.arange(id_floor, top[0] + 0.01, 0.5)
            for b in np.arange(LONG_FLOOR_EMS, top[1] + 0.01, 0.5)
            if LONG_FLOOR_EMS <= ems - a - b <= top[2]]
    best = min(lines(x) for x in grid)
    assert sum(widths) <= ems * em + 3 * CELL_MARGINS
    assert best <= got <= 1.01 * best
    assert widths[2] > widths[1] and widths[2] > widths[0]


def test_long_columns_give_up_the_unbreakable_floors_when_they_do_not_fit():
    from womenstats.report.write.docx_widths import CELL_MARGINS, LONG_FLOOR_EMS, share_long

    columns = [["kaiping.social_security.05-1"] * 3, ["妇女基本养老保险参保率" * 2] * 3]
    widths = share_long(columns, 12 * 160 + 2 * CELL_MARGINS, 8)  # 12 ems at 8 pt: less than the id
    assert sum(widths) <= 12 * 160 + 2 * CELL_MARGINS
    assert min(widths) >= LONG_FLOOR_EMS * 160 + CELL_MARGINS


def test_a_long_header_over_short_values_gets_room_for_a_few_lines():
    from womenstats.report.write.docx_widths import CELL_MARGINS, FIT_EMS, HEADER_EMS, column_widths, text_em

    columns = [["与data/raw中现有文件一致", "是"], ["文件", "demo/kaiping/kaiping_2018_监测数据报送表.xlsx"]]
    widths = column_widths(columns, 20000, 9)
    # the long file name gets its whole width first (it was cut at 20 em), then both share the rest
    whole = math.ceil((text_em(columns[1][1]) + FIT_EMS) * 180) + CELL_MARGINS
    header = math.ceil((HEADER_EMS + FIT_EMS) * 180) + CELL_MARGINS
    assert widths[0] == 20000 * header // (header + whole)


def test_docx_tables_fill_the_text_width_with_the_warning_column_widest():
    payload = table_payload(
        pd.DataFrame({"目标": ["kaiping.health.02-1"], "分组": ["女"],
                      "预警": ["预计达标困难：按当前趋势，2030年达标的概率仅为23%。" * 3]}),
        "表2 预警",
    )
    nb = _notebook()
    code = nbformat.v4.new_code_cell("")
    code.outputs = [nbformat.v4.new_output("display_data", data={MIME_TABLE: payload, "text/plain": "t"})]
    nb.cells.append(code)
    doc = build_docx(nb, TITLE)
    table = doc.tables[-1]
    section = doc.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    widths = [column.width for column in table.columns]
    assert text_width - 635 < sum(widths) <= text_width  # whole twips
    assert widths[2] > widths[0] > widths[1]
    assert all(row.cells[j].width == widths[j] for row in table.rows for j in range(3))


def test_docx_tables_align_numbers_right_and_keep_narrow_cell_margins():
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from womenstats.report.write.docx_widths import CELL_SIDE

    doc = build_docx(_notebook(), TITLE)
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "目标")
    header = [cell.text for cell in table.rows[0].cells]
    for row in table.rows:
        aligned = {name: cell.paragraphs[0].alignment for name, cell in zip(header, row.cells, strict=True)}
        assert aligned["最新值"] == WD_ALIGN_PARAGRAPH.RIGHT  # numbers (and their header) right
        assert aligned["目标"] is None and aligned["状态"] is None  # texts left, as the style has it
    margins = table._tbl.tblPr.find(qn("w:tblCellMar"))
    assert [int(edge.get(qn("w:w"))) for edge in margins] == [CELL_SIDE, CELL_SIDE]
    # schema order: the margins come before tblLook
    names = [child.tag.split("}")[1] for child in table._tbl.tblPr]
    assert names.index("tblCellMar") < names.index("tblLook")


def test_docx_keeps_a_bold_lead_and_a_table_title_with_what_follows():
    # “**出现倒退的目标（9项）**” was left alone at the foot of page 1, its list on page 2
    doc = build_docx(_notebook(), TITLE)
    bold = next(p for p in doc.paragraphs if p.text == "来源")
    title = next(p for p in doc.paragraphs if p.text == "表1 健康领域（模拟数据）")
    assert bold.paragraph_format.keep_with_next and title.paragraph_format.keep_with_next
    plain = [p for p in doc.paragraphs if p.style.name == "Normal" and p.text and p.text not in ("来源",)]
    assert plain and not any(p.paragraph_format.keep_with_next for p in plain)
