"""What a report notebook shows, and how the writers find it again in the executed notebook.

A report notebook shows three kinds of content through these functions: tables
(:func:`show_table`), charts (:func:`show_chart`) and generated text (:func:`show_text`). Each
output carries, beside the HTML or PNG a reader sees in JupyterLab, a machine-readable copy under a
``application/vnd.womenstats.*`` MIME type. The Word and Excel writers read those copies from the
executed notebook (:func:`iter_items`), so the four files of a report are functions of the executed
notebook alone, and an audit of the notebook audits them all.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from womenstats.report.write.style import SIMULATED_LABEL

MIME_TABLE = "application/vnd.womenstats.table+json"
MIME_PROVENANCE = "application/vnd.womenstats.provenance+json"
MIME_PNG = "image/png"
MIME_MARKDOWN = "text/markdown"

#: Resolution of report charts (PNG, dots per inch).
CHART_DPI = 120


@dataclass(frozen=True)
class Item:
    """One piece of report content read back from an executed notebook.

    Attributes
    ----------
    kind : str
        ``markdown`` (a markdown cell or generated text), ``table``, ``chart``, ``provenance``, or
        ``data`` (a table for the workbook only: the yearly series with their counts).
    data : Any
        Markdown text; the table's JSON dict (``title, columns, rows, simulated, note``); the chart's
        PNG bytes; or the provenance dict.
    title : str
        The table's or chart's title ('' for markdown).
    """

    kind: str
    data: Any
    title: str = ""


#: Significant digits a float keeps in a table payload: far beyond any published precision, and
#: short of the last bits, which a sum's order (SIMD alignment in numpy) may change from run to run.
SIGNIFICANT = 12


def _json_value(value: Any) -> Any:
    """Return a JSON-safe cell value: NaN/None/NA → None, numpy scalars → Python, floats to 12 digits."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else float(f"{value:.{SIGNIFICANT}g}")
    return value


def cell_text(value: Any) -> str:
    """Format one cell for reading: floats with two decimals, missing as an em dash."""
    value = _json_value(value)
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def table_title(title: str, simulated: bool) -> str:
    """Return a table or chart title, with ``（模拟数据）`` appended when its data are simulated."""
    return f"{title}（{SIMULATED_LABEL}）" if simulated else title


def _rows(frame: pd.DataFrame) -> list[list]:
    return [[_json_value(v) for v in row] for row in frame.itertuples(index=False)]


def table_payload(frame: pd.DataFrame, title: str, *, simulated: bool = False, note: str = "",
                  data: pd.DataFrame | None = None) -> dict:
    """Return the machine-readable form of a report table.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table; its index is dropped (put identifying columns in the frame itself).
    title : str
        The table's title, Chinese.
    simulated : bool
        Whether the table shows simulated data (labelled 模拟数据).
    note : str
        A note printed under the table.
    data : pandas.DataFrame, optional
        The same table for the workbook: numbers as numbers (an interval as two columns), with a
        unit column, where the displayed table prints them as text with their units.

    Returns
    -------
    dict
        ``title, columns, rows, simulated, note`` and, with ``data``, ``data: {columns, rows}``
        (JSON-serialisable).
    """
    payload = {
        "title": table_title(title, simulated),
        "columns": [str(col) for col in frame.columns],
        "rows": _rows(frame),
        "simulated": bool(simulated),
        "note": note,
    }
    if data is not None:
        payload["data"] = {"columns": [str(col) for col in data.columns], "rows": _rows(data)}
    return payload


#: A text cell that reads as a number (an interval ``1.2～3.4``, ``12.5（10.1～14.9）``, ``85%``).
_NUMBER = r"[-+−]?[\d.,]+%?"
_NUMERIC_TEXT = re.compile(rf"^{_NUMBER}(\s*[–~～（(]{_NUMBER}(\s*[–~～]{_NUMBER})?[）)]?)?$")


def is_number_cell(value: Any) -> bool:
    """Whether a cell holds a number, or text that reads as one (aligned right, on one line)."""
    value = _json_value(value)
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and bool(_NUMERIC_TEXT.match(value.strip()))


def numeric_columns(payload: dict) -> list[bool]:
    """Return, per column of a table payload, whether every filled cell is a number (:func:`is_number_cell`).

    An empty cell (None, '', '—') does not decide; a column with no filled cell is text.
    """
    flags = []
    for j in range(len(payload["columns"])):
        filled = [row[j] for row in payload["rows"] if _json_value(row[j]) not in (None, "", "—")]
        flags.append(bool(filled) and all(is_number_cell(v) for v in filled))
    return flags


#: Text columns whose longest value has at most this many characters stay on one line (``short``);
#: those beyond :data:`LONG_TEXT` get room to be read (``long``: a minimum width).
SHORT_TEXT, LONG_TEXT = 10, 24


def column_classes(payload: dict) -> list[str]:
    """Return the HTML class of each column: ``num``, or ``txt`` with ``short`` or ``long`` added.

    Numbers are right-aligned (:func:`numeric_columns`); texts up to :data:`LONG_TEXT` characters
    (codes, statuses, years, targets such as ``≥ 97.5%``, notes) never wrap; long texts (names,
    reasons, warnings) wrap in a column of their own width, so no column is squeezed to a character
    a line (browsers ignore a minimum width on table cells).
    """
    out = []
    for j, num in enumerate(numeric_columns(payload)):
        if num:
            out.append("num")
            continue
        longest = max((len(cell_text(row[j])) for row in payload["rows"]), default=0)
        out.append("txt short" if longest <= SHORT_TEXT else "txt long" if longest > LONG_TEXT else "txt")
    return out


def _width(payload: dict, column: int) -> str:
    """Return the style attribute of a long text column: about a third of its longest text (12–36 em)."""
    longest = max((len(cell_text(row[column])) for row in payload["rows"]), default=0)
    return f' style="width:{min(36, max(12, math.ceil(longest / 3)))}em"'


#: A code that must not break at its hyphen or dots when its column wraps (a target id, a file name).
_CODE = re.compile(r"(?<![\w.\-/])(?=[\w.\-/]*[A-Za-z])[A-Za-z0-9_]+(?:[.\-/][A-Za-z0-9_]+)+")


def _keep_codes_whole(escaped: str) -> str:
    """Wrap each code (letters and digits joined by ``.``, ``-`` or ``/``) in a ``nowrap`` span."""
    return _CODE.sub(lambda m: f'<span class="code">{m.group(0)}</span>', escaped)


def table_html(payload: dict) -> str:
    """Return a table payload as an HTML table with its title as caption (values formatted).

    Text is left-aligned, numbers right-aligned with the same decimals down a column (class
    ``num``), and a status label is a coloured label that never wraps (class ``status``, the
    colours of :func:`womenstats.report.write.style.label_fills`). The table sits in a box that scrolls
    sideways on a narrow screen instead of squeezing its columns.
    """
    from womenstats.report.write.style import label_fills

    fills = label_fills()
    classes = column_classes(payload)
    head = "".join(
        f'<th class="{css}"{_width(payload, j) if "long" in css else ""}>{html.escape(str(c))}</th>'
        for j, (c, css) in enumerate(zip(payload["columns"], classes, strict=True)))
    body = []
    for row in payload["rows"]:
        cells = []
        for value, css in zip(row, classes, strict=True):
            text = cell_text(value)
            if text in fills:
                fill, ink = fills[text]
                cells.append(f'<td class="txt"><span class="status" style="background:#{fill};color:#{ink}">'
                             f"{html.escape(text)}</span></td>")
            else:
                shown = html.escape(text) if css == "num" else _keep_codes_whole(html.escape(text))
                cells.append(f'<td class="{css}">{shown}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    caption = f'<p class="womenstats-caption"><strong>{html.escape(payload["title"])}</strong></p>'
    table = (f'<div class="womenstats-scroll"><table class="womenstats-table"><thead><tr>{head}</tr></thead>'
             f"<tbody>{''.join(body)}</tbody></table></div>")
    note = payload["note"] and f'<p class="womenstats-note"><em>{html.escape(payload["note"])}</em></p>'
    return caption + table + note


def show_table(frame: pd.DataFrame, title: str, *, simulated: bool = False, note: str = "",
               data: pd.DataFrame | None = None) -> None:
    """Show a table in the notebook and mark it for the Word and Excel reports.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table (index dropped).
    title : str
        The table's title, Chinese.
    simulated : bool
        Whether it shows simulated data; the title then ends with （模拟数据）.
    note : str
        A note printed under the table.
    data : pandas.DataFrame, optional
        The table as the workbook holds it (numbers as numbers, a unit column); see
        :func:`table_payload`.

    A table without rows is not shown (no empty table in a report): the sentence before it says
    there is nothing to list; its note, if any, is shown as text.
    """
    from IPython.display import display

    if frame.empty:
        if note:
            show_text(note)
        return

    payload = table_payload(frame, title, simulated=simulated, note=note, data=data)
    bundle = {
        "text/html": table_html(payload),
        "text/plain": payload["title"],
        MIME_TABLE: payload,
    }
    display(bundle, raw=True)


def show_data(frame: pd.DataFrame, title: str, *, simulated: bool = False, note: str = "") -> None:
    """Put a table in the workbook only (the yearly series with numerators and denominators).

    The notebook shows one line naming the workbook's sheet; the HTML and Word reports leave it out.
    """
    from IPython.display import display

    payload = {**table_payload(frame, title, simulated=simulated, note=note), "workbook_only": True}
    line = f"（Excel 附表：{payload['title']}，{len(frame)} 行）"
    display({"text/plain": line, MIME_TABLE: payload}, raw=True)


#: Label of a figure whose layout is fixed by hand (no "tight" bounding box needed).
FIXED_LAYOUT = "womenstats:fixed-layout"
#: Colours kept in a chart's PNG palette (:func:`figure_png`).
CHART_COLOURS = 64


def figure_png(fig) -> bytes:
    """Return a figure as a light PNG with no metadata (no software version), for byte-stable output.

    The figure is rendered at :data:`CHART_DPI` and reduced to an adaptive palette of
    :data:`CHART_COLOURS` colours without dithering (Pillow's fast octree): charts have few colours,
    so lines and text stay sharp and the file is about a third of the full-colour PNG's size.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    if fig.get_label() == FIXED_LAYOUT:
        # Laid out by hand: drawn once, straight into memory (no PNG to encode and decode again).
        canvas = FigureCanvasAgg(fig)
        fig.set_dpi(CHART_DPI)
        canvas.draw()
        image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    else:
        # "tight" draws the figure twice: once to measure what lies outside the axes (legends).
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=CHART_DPI, bbox_inches="tight", metadata={"Software": None})
        buffer.seek(0)
        image = Image.open(buffer)
    with image:
        paletted = image.convert("RGB").quantize(colors=CHART_COLOURS, method=Image.Quantize.FASTOCTREE,
                                                 dither=Image.Dither.NONE)
    out = io.BytesIO()
    paletted.save(out, format="PNG", compress_level=9)
    return out.getvalue()


def show_chart(fig, title: str) -> None:
    """Show a chart in the notebook as a PNG and close the figure.

    Parameters
    ----------
    fig : matplotlib.figure.Figure or None
        The chart; None shows nothing (a chart function with nothing to draw returns None).
    title : str
        Its caption (the chart draws its own title; this names it in the Word report).
    """
    import matplotlib.pyplot as plt

    if fig is None:
        return

    png = figure_png(fig)
    plt.close(fig)
    show_png(png, title)


def show_png(png: bytes, title: str) -> None:
    """Show a chart already rendered (:func:`figure_png`) with its caption.

    Parameters
    ----------
    png : bytes
        The PNG.
    title : str
        Its caption and alternative text.
    """
    from IPython.display import display

    bundle = {MIME_PNG: base64.b64encode(png).decode("ascii"), "text/plain": title}
    display(bundle, raw=True, metadata={MIME_PNG: {"womenstats_title": title, "alt": title}})


def show_text(markdown: str) -> None:
    """Show generated narrative (markdown) in the notebook and the reports."""
    from IPython.display import display

    display({MIME_MARKDOWN: markdown, "text/plain": markdown}, raw=True)


def show_provenance(record: dict, markdown: str) -> None:
    """Show the provenance block (its markdown) and keep the record for the writers and the audit."""
    from IPython.display import display

    display({MIME_MARKDOWN: markdown, "text/plain": markdown, MIME_PROVENANCE: record}, raw=True)


def _output_items(output: dict) -> Iterator[Item]:
    data = output.get("data", {})
    if MIME_PROVENANCE in data:
        yield Item("provenance", _as_json(data[MIME_PROVENANCE]))
        yield Item("markdown", _text(data[MIME_MARKDOWN]))
    elif MIME_TABLE in data:
        payload = _as_json(data[MIME_TABLE])
        yield Item("data" if payload.get("workbook_only") else "table", payload, payload["title"])
    elif MIME_PNG in data:
        title = output.get("metadata", {}).get(MIME_PNG, {}).get("womenstats_title", "")
        yield Item("chart", base64.b64decode(_text(data[MIME_PNG])), title)
    elif MIME_MARKDOWN in data:
        yield Item("markdown", _text(data[MIME_MARKDOWN]))


def _as_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def iter_items(nb) -> Iterator[Item]:
    """Yield the report content of an executed notebook, in order.

    Markdown cells give ``markdown`` items; code cells give the tables, charts, generated text and
    provenance they showed through this module. Other outputs (printed text, warnings) and the
    code itself are left out.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook.

    Yields
    ------
    Item
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            yield Item("markdown", _text(cell.source))
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.get("output_type") in ("display_data", "execute_result"):
                    yield from _output_items(output)


def provenance_of(nb) -> dict | None:
    """Return the provenance record of an executed report notebook, or None if it has none."""
    for item in iter_items(nb):
        if item.kind == "provenance":
            return item.data
    return None
