"""The reader's HTML: the executed notebook without its code."""

from __future__ import annotations

import html
import os
import re

from womenstats._io import atomic_path
from womenstats.report.display import iter_items

#: The alternative text nbconvert gives an image without one; replaced by the chart's title.
NBCONVERT_ALT = "No description has been provided for this image"


def notebook_html(nb, title: str) -> str:
    """Return an executed notebook as HTML without code cells or prompts.

    Uses nbconvert's :class:`~nbconvert.HTMLExporter` with ``exclude_input``; the tables and charts
    show through their HTML and PNG outputs, each chart with its title as alternative text.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed, normalised notebook.
    title : str
        The page title.

    Returns
    -------
    str
        The HTML document.
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    exporter.log.setLevel("ERROR")  # its missing-alt warning: the chart titles are put in below
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    for item in iter_items(nb):
        if item.kind == "chart":
            body = body.replace(f'alt="{NBCONVERT_ALT}"', f'alt="{html.escape(item.title)}"', 1)
    body = body.replace("</head>", f"<style>{REPORT_CSS}</style>\n</head>", 1)
    return add_contents(body)


#: The reader's style on top of nbconvert's: a readable measure, text left and numbers right,
#: status labels that never wrap, tables that scroll sideways rather than squeeze, print margins.
REPORT_CSS = """
body { max-width: 1180px; margin: 0 auto; }
.jp-RenderedHTMLCommon { font-size: 15px; line-height: 1.65; }
.jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon li { text-align: left; }
.womenstats-scroll { overflow-x: auto; max-width: 100%; margin: 0 0 1em 0; }
.jp-RenderedHTMLCommon table.womenstats-table { border-collapse: collapse; font-size: 13px;
  margin: 0; table-layout: auto; width: auto; max-width: none; }
.jp-RenderedHTMLCommon table.womenstats-table th,
.jp-RenderedHTMLCommon table.womenstats-table td { padding: 3px 8px; border-bottom: 1px solid #d0d0d0;
  vertical-align: top; max-width: 34em; }
.jp-RenderedHTMLCommon table.womenstats-table th { background: #f2f2f2; font-weight: bold;
  border-bottom: 2px solid #888; white-space: nowrap; }
.jp-RenderedHTMLCommon table.womenstats-table .txt { text-align: left; }
.jp-RenderedHTMLCommon table.womenstats-table td.short { white-space: nowrap; }
.jp-RenderedHTMLCommon table.womenstats-table td.long { min-width: 12em; }
.jp-RenderedHTMLCommon table.womenstats-table .num { text-align: right; white-space: nowrap;
  font-variant-numeric: tabular-nums; }
.jp-RenderedHTMLCommon table.womenstats-table tbody tr:nth-child(even) { background: #fafafa; }
.status { display: inline-block; white-space: nowrap; padding: 0 6px; border-radius: 3px;
  font-size: 12px; line-height: 1.6; }
.womenstats-caption { margin: 1.2em 0 0.3em 0; }
.womenstats-note { color: #444; font-size: 13px; }
.jp-RenderedImage img { max-width: 100%; height: auto; }
nav.womenstats-contents { border: 1px solid #ccc; background: #fafafa; padding: 0.6em 1.2em;
  margin: 1em 0; font-size: 14px; }
nav.womenstats-contents > ul { columns: 2; column-gap: 2em; }
nav.womenstats-contents ul { margin: 0.2em 0; padding-left: 1.4em; }
nav.womenstats-contents li { break-inside: avoid; }
nav.womenstats-contents li { list-style: none; }
@media print { body { max-width: none; } .womenstats-scroll { overflow: visible; } }
"""

_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)(?:<a class="anchor-link"[^>]*>.*?</a>)?</h\1>', re.S)


def add_contents(body: str) -> str:
    """Insert a table of contents (目录) before the first section: a link to each h2 and h3 heading.

    The headings and their ids are nbconvert's (one id per heading, from its text).
    """
    entries = []
    for match in _HEADING.finditer(body):
        level, anchor, text = match.groups()
        label = re.sub(r"<[^>]+>", "", text).strip()
        entries.append((int(level), anchor, label))
    if not entries:
        return body
    groups: list[tuple[str, str, list[tuple[str, str]]]] = []
    for level, anchor, label in entries:
        if level == 2 or not groups:
            groups.append((anchor, label, []))
        else:
            groups[-1][2].append((anchor, label))
    items = []
    for anchor, label, children in groups:
        sub = "".join(f'<li><a href="#{a}">{t}</a></li>' for a, t in children)
        items.append(f'<li><a href="#{anchor}">{label}</a>' + (f"<ul>{sub}</ul>" if sub else "") + "</li>")
    nav = f'<nav class="womenstats-contents"><strong>目录</strong><ul>{"".join(items)}</ul></nav>'
    first = _HEADING.search(body).start()
    return body[:first] + nav + body[first:]


def write_html(nb, path: str | os.PathLike[str], title: str) -> None:
    """Write :func:`notebook_html` to ``path`` atomically (UTF-8)."""
    with atomic_path(path) as tmp:
        tmp.write_text(notebook_html(nb, title), encoding="utf-8")
