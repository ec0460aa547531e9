"""The Word file of a report: narrative, tables and charts of the executed notebook, ready to edit.

Chinese text is set in 宋体 (body) and 黑体 (headings) through the East Asian font slot
(``w:rFonts/@w:eastAsia``), which is what Word uses for CJK characters; Latin text stays in
Times New Roman / Arial. When the report shows simulated data every page's header says 模拟数据.
"""

from __future__ import annotations

import io
import os

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Inches, Pt, RGBColor, Twips
from docx.text.paragraph import Paragraph
from lxml import etree

from womenstats._io import atomic_path, normalize_zip
from womenstats._safe import markdown_plain
from womenstats.report.write import markup
from womenstats.report.write.display import CHART_DPI, cell_text, iter_items, numeric_columns, provenance_of
from womenstats.report.write.docx_contents import add_contents, headings, mark
from womenstats.report.write.docx_widths import CELL_SIDE, column_widths, requested_widths
from womenstats.report.write.style import SIMULATED_LABEL, label_fills
from womenstats.report.write.xlsx import FIXED_TIME

BODY_FONT = ("Times New Roman", "宋体")
#: Paragraph style of table cells (single spacing, no space before or after).
CELL_STYLE = "Table Cell"
HEADING_FONT = ("Arial", "黑体")
#: Width of charts on the page.
CHART_WIDTH = Cm(15.5)
#: Tables with more columns than this are set in 8 pt instead of 9 pt, on landscape pages.
WIDE_TABLE = 9
#: Size of table text: 9 pt whatever the table (a printed table below 9 pt is hard to read); a wide
#: table goes on a landscape page instead of a smaller size.
TABLE_PT = 9
#: EMU in a twip (1/20 pt), the unit of Word's table widths.
TWIP = 635
_STATUS_FILLS = label_fills()


def set_fonts(style_or_run, latin: str, east_asian: str) -> None:
    """Set a style's or run's Latin and East Asian fonts (``w:ascii``, ``w:hAnsi``, ``w:eastAsia``)."""
    style_or_run.font.name = latin
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _setup_styles(doc) -> None:
    normal = doc.styles["Normal"]
    set_fonts(normal, *BODY_FONT)
    normal.font.size = Pt(10.5)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        style = doc.styles[name]
        set_fonts(style, *HEADING_FONT)
        style.font.color.rgb = RGBColor(0, 0, 0)
    doc.styles["Title"].font.size = Pt(22)  # a plan's full name plus the report's kind on one line
    for name in ("Caption", "List Bullet", "List Number", "Table Grid"):
        set_fonts(doc.styles[name], *BODY_FONT)
    # Table cells: single spacing and no space around paragraphs, so rows are as tall as their text.
    cell = doc.styles.add_style(CELL_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    cell.base_style = normal
    cell.paragraph_format.space_before = cell.paragraph_format.space_after = Pt(0)
    cell.paragraph_format.line_spacing = 1.0


def _page(doc, simulated: bool) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = section.bottom_margin = Cm(2.2)
    if simulated:
        header = section.header.paragraphs[0]
        run = header.add_run(f"{SIMULATED_LABEL}：本报告的地区数据为模拟数据，仅用于演示方法")
        run.bold = True
        set_fonts(run, *HEADING_FONT)
    _page_numbers(section.footer.paragraphs[0])


def _field(paragraph, instruction: str) -> None:
    """Add a Word field (``PAGE``, ``NUMPAGES``) to a paragraph: begin, instruction, separator, end."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {instruction} "
            run._r.append(code)
        else:
            run.text = text


def _page_numbers(paragraph) -> None:
    """Put “第 N 页 共 M 页” in the footer, centred (every section inherits the first's footer)."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("第 ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" 页  共 ")
    _field(paragraph, "NUMPAGES")
    paragraph.add_run(" 页")


def _add_inline(paragraph, text: str) -> None:
    """Add markdown inline text: ``**bold**`` becomes bold, code-span backticks are dropped.

    Escaped characters (a backslash before a backtick, an entity such as ``&lt;``: names written by
    :func:`womenstats._safe.markdown_literal`) are shown as the characters themselves; Word holds them
    as text, never as markup.
    """
    text = markup.CODE_MARK.sub("", text)
    pos = 0
    for match in markup.BOLD.finditer(text):
        if match.start() > pos:
            paragraph.add_run(markdown_plain(text[pos : match.start()]))
        paragraph.add_run(markdown_plain(match.group(1))).bold = True
        pos = match.end()
    if pos < len(text):
        paragraph.add_run(markdown_plain(text[pos:]))


def _fill_cell(p, text: str, style_id: str, half_points: str, *, bold: bool, color: str | None,
               right: bool = False) -> None:
    """Write a report table's value into a cell's paragraph element, as it is (data, not markdown).

    The XML python-docx writes for a styled paragraph with one sized run (bold, coloured), built
    directly: python-docx's element API costs most of a long report's Word export. Line breaks
    and tabs become ``w:br`` and ``w:tab`` as ``Run.text`` makes them; ``right`` aligns the
    paragraph right (a number).
    """
    ppr = etree.SubElement(p, qn("w:pPr"))
    etree.SubElement(ppr, qn("w:pStyle")).set(qn("w:val"), style_id)
    if right:
        etree.SubElement(ppr, qn("w:jc")).set(qn("w:val"), "right")
    run = etree.SubElement(p, qn("w:r"))
    rpr = etree.SubElement(run, qn("w:rPr"))
    if bold:
        etree.SubElement(rpr, qn("w:b"))
    if color:
        etree.SubElement(rpr, qn("w:color")).set(qn("w:val"), color)
    etree.SubElement(rpr, qn("w:sz")).set(qn("w:val"), half_points)
    for i, line in enumerate(text.split("\n")):
        if i:
            etree.SubElement(run, qn("w:br"))
        for j, part in enumerate(line.split("\t")):
            if j:
                etree.SubElement(run, qn("w:tab"))
            if part:
                t = etree.SubElement(run, qn("w:t"))
                t.text = part
                if part != part.strip():
                    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _add_markdown(doc, markdown: str, marks: list[int] | None = None) -> None:
    """Add markdown (headings, lists, pipe tables, paragraphs) to the document.

    ``marks`` counts the ``##``/``###`` headings added so far; each gets the next bookmark.
    """
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if markup.is_pipe_row(line):
            rows, i = markup.pipe_table(lines, i)
            _add_grid(doc, rows[0], rows[1:])
            continue
        i += 1
        if not line.strip():
            continue
        if heading := markup.HEADING.match(line):
            level = min(len(heading.group(1)), 4)
            paragraph = doc.add_heading(heading.group(2).replace("`", ""),
                                        level=0 if level == 1 else level - 1)
            if marks is not None and len(heading.group(1)) in (2, 3):
                mark(paragraph, marks[0])
                marks[0] += 1
        elif right := markup.RIGHT.match(line):
            paragraph = doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _add_inline(paragraph, right.group(1))
        elif bullet := markup.BULLET.match(line):
            _add_inline(doc.add_paragraph(style="List Bullet"), bullet.group(1))
        elif numbered := markup.NUMBERED.match(line):
            _add_inline(doc.add_paragraph(style="List Number"), numbered.group(1))
        else:
            paragraph = doc.add_paragraph()
            _add_inline(paragraph, line.strip())
            if markup.BOLD.fullmatch(line.strip()):  # a bold line heads what follows: kept with it
                paragraph.paragraph_format.keep_with_next = True


def _repeat_header(row) -> None:
    """Mark a table row as a header row, repeated at the top of each page the table runs onto."""
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _narrow_margins(table) -> None:
    """Set the table's left and right cell margins to :data:`~.docx_widths.CELL_SIDE`."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("w:left", "w:right"):
        edge = OxmlElement(side)
        edge.set(qn("w:w"), str(CELL_SIDE))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    # schema order: tblCellMar comes after tblLayout and before tblLook
    table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription",
                                           "w:tblPrChange")


def _set_widths(doc, table, texts: list[list[str]], font_pt: float) -> None:
    """Fix the column widths (grid and every cell, as Word and LibreOffice read them)."""
    section = doc.sections[-1]
    total = int(section.page_width - section.left_margin - section.right_margin) // TWIP
    table.autofit = False
    widths = [Twips(t) for t in column_widths(texts, total, font_pt)]  # Word stores twips: nothing lost
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for tr in table._tbl.tr_lst:  # the cells through the XML: python-docx's cell lists are quadratic
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            tc.width = width


def _add_grid(doc, header: list[str], rows: list[list], *, markdown: bool = True,
              numeric: list[bool] | None = None) -> None:
    """Add a table: bold header repeated on each page, status cells shaded, widths fixed.

    The rows are created at once and filled through their XML elements (python-docx's
    ``add_row`` and ``cells`` walk the whole table each time). ``markdown=False`` (a report
    table: data) writes each cell as it is, the columns flagged in ``numeric`` right-aligned;
    a pipe table of the narrative reads inline markdown.
    """
    numeric = numeric or [False] * len(header)
    body = [[cell_text(value) for value in row] for row in rows]
    size = Pt(TABLE_PT)
    table = doc.add_table(rows=1 + len(body), cols=len(header))
    table.style = doc.styles["Table Grid"]
    _narrow_margins(table)
    _repeat_header(table.rows[0])
    for tr in table._tbl.tr_lst:  # a row is never split across two pages
        tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    lines = [[str(name) for name in header], *body]
    cell_style = doc.styles[CELL_STYLE].style_id  # looked up once: a style lookup scans the styles
    half_points = str(round(size.pt * 2))
    for r, (tr, texts) in enumerate(zip(table._tbl.tr_lst, lines, strict=True)):
        for tc, text, right in zip(tr.tc_lst, texts, numeric, strict=False):
            look = None if r == 0 else _STATUS_FILLS.get(text)
            if look:
                shading = OxmlElement("w:shd")
                for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", look[0])):
                    shading.set(qn(key), value)
                tc.get_or_add_tcPr().append(shading)
            if not markdown:
                _fill_cell(tc.p_lst[0], text, cell_style, half_points, bold=r == 0, color=look and look[1],
                           right=right)
                continue
            tc.p_lst[0].style = cell_style
            paragraph = Paragraph(tc.p_lst[0], table)
            _add_inline(paragraph, text)
            for run in paragraph.runs:
                run.font.size = size
                if r == 0:
                    run.bold = True
                elif look:
                    run.font.color.rgb = RGBColor.from_string(look[1])
    texts = [[str(name)] + [row[j] if j < len(row) else "" for row in body] for j, name in enumerate(header)]
    _set_widths(doc, table, texts, size.pt)


def _caption(doc, text: str):
    paragraph = doc.add_paragraph(style="Caption")
    paragraph.add_run(text)
    return paragraph


def _add_table(doc, payload: dict) -> None:
    _caption(doc, payload["title"]).paragraph_format.keep_with_next = True  # a title stays with its table
    _add_grid(doc, payload["columns"], payload["rows"], markdown=False, numeric=numeric_columns(payload))
    if payload["note"]:
        _add_inline(doc.add_paragraph(), payload["note"])


#: Room kept under a chart for its caption.
CAPTION_ROOM = Cm(1.6)


def _add_chart(doc, png: bytes, title: str) -> None:
    """Add a chart with its caption, as wide as drawn (at least :data:`CHART_WIDTH`).

    It stays within the text width, and is narrower when it would be taller than the page.
    """
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        width_px, height_px = image.size
    section = doc.sections[-1]
    room = section.page_height - section.top_margin - section.bottom_margin - CAPTION_ROOM
    text_width = section.page_width - section.left_margin - section.right_margin
    natural = Inches(width_px / CHART_DPI)  # the size it was drawn at
    width = min(max(CHART_WIDTH, natural), text_width, int(room * width_px / height_px))
    doc.add_picture(io.BytesIO(png), width=width)
    if title:
        _caption(doc, title)


def _fix_properties(doc, title: str) -> None:
    props = doc.core_properties
    props.title = title
    props.author = "womenstats"
    props.comments = "由 womenstats 生成（可复核：womenstats audit 对应的 .ipynb）"
    props.last_modified_by = "womenstats"
    props.revision = 1
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_printed = FIXED_TIME


#: Text width of an A4 portrait page with the report's margins (21 cm − 2 × 2.2 cm), in twips.
PORTRAIT_TEXT = round(16.6 / 2.54 * 1440)
#: A table whose columns ask for more than this share of the portrait text width goes landscape.
CROWDED = 1.25


def _texts(payload: dict) -> list[list[str]]:
    rows = [[cell_text(value) for value in row] for row in payload["rows"]]
    return [[str(name)] + [row[j] if j < len(row) else "" for row in rows]
            for j, name in enumerate(payload["columns"])]


def _is_wide(item) -> bool:
    """Whether a table needs a landscape page.

    It does with more than :data:`WIDE_TABLE` columns, or when its columns ask for more than
    :data:`CROWDED` times the portrait width (long texts side by side).
    """
    if item.kind != "table":
        return False
    if len(item.data["columns"]) > WIDE_TABLE:
        return True
    return sum(requested_widths(_texts(item.data), 9)) > CROWDED * PORTRAIT_TEXT


def orientations(items) -> list[bool | None]:
    """Return the page orientation each report item needs: True landscape, None any.

    Wide tables (:func:`_is_wide`: more than :data:`WIDE_TABLE` columns, or long texts side by
    side) go on landscape pages; every other table and chart goes on the page it comes to (a narrow
    table reads as well on a landscape page, and each change of orientation starts a new page), a
    chart sized to fit it (:func:`_add_chart`). A report with a wide table is landscape from its
    first page (:func:`build_docx`), any other portrait. Text (headings,
    paragraphs) goes with the table that follows it, so a heading is never left behind on the page
    before its table.
    """
    wants: list[bool | None] = [True if _is_wide(item) else None for item in items]
    for i in range(len(items) - 2, -1, -1):
        if items[i].kind == "markdown":
            wants[i] = wants[i + 1]
    return wants


def _start_landscape(doc) -> None:
    """Turn the first (and only) section to landscape before anything is written."""
    section = doc.sections[-1]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21)


def _orient(doc, landscape: bool) -> None:
    """Start a new section (on a new page) when the page orientation must change."""
    current = doc.sections[-1]
    if (current.orientation == WD_ORIENT.LANDSCAPE) == landscape:
        return
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    short, long = Cm(21), Cm(29.7)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)


def build_docx(nb, title: str):
    """Return a :class:`docx.document.Document` of an executed report notebook.

    Markdown cells and generated text become headings, lists and paragraphs; tables become Word
    tables (status cells shaded with the status colours); charts become pictures with a caption.
    Code and printed output are left out.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed, normalised notebook.
    title : str
        The document title (core properties).

    Returns
    -------
    docx.document.Document
    """
    record = provenance_of(nb) or {}
    doc = Document()
    _setup_styles(doc)
    _page(doc, bool(record.get("simulated")))
    items = [item for item in iter_items(nb) if item.kind != "provenance"]
    contents, marks = headings(items), [0]
    wants = orientations(items)
    if wants and wants[0]:  # the first page holds a wide table: landscape from the start, no blank page
        _start_landscape(doc)
    for index, (item, landscape) in enumerate(zip(items, wants, strict=True)):
        if landscape is not None:
            _orient(doc, landscape)
        if item.kind == "markdown":
            _add_markdown(doc, item.data, marks)
            if index == 0 and contents:
                add_contents(doc, contents)
        elif item.kind == "table":
            _add_table(doc, item.data)
        elif item.kind == "chart":
            _add_chart(doc, item.data, item.title)
    _fix_properties(doc, title)
    return doc


def write_docx(nb, path: str | os.PathLike[str], title: str) -> None:
    """Write :func:`build_docx` to ``path`` atomically, with fixed zip entry times."""
    doc = build_docx(nb, title)
    with atomic_path(path) as tmp:
        doc.save(str(tmp))
        normalize_zip(tmp)
