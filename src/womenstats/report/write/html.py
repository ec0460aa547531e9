"""The reader's HTML: the report's narrative, tables and charts, without code, in one light page.

The page is written from the report items of the executed notebook (:func:`iter_items`), like the
Word and Excel files: markdown (the notebook's markdown cells and generated text) becomes headings,
paragraphs, lists and tables; each table is :func:`~womenstats.report.write.display.table_html` of its
payload; each chart an inline PNG with its title as alternative text and caption. A table of
contents (目录) links every section. The page carries its own small style sheet: no script, no
external file, no code cell, nothing of the run but its content.
"""

from __future__ import annotations

import base64
import html
import os
import re

from womenstats._io import atomic_path
from womenstats._safe import markdown_plain
from womenstats.report.write import markup
from womenstats.report.write.display import iter_items, table_html

#: The reader's style: a readable measure, text left and numbers right, status labels, numbers and
#: short texts that never wrap (longer texts and headers wrap when a table is wider than the screen),
#: tables that scroll sideways rather than squeeze, print margins.
REPORT_CSS = """
p.right { text-align: right; margin: 0.2em 0; }
body { font-family: "Noto Sans SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif;
  color: #1a1a1a; max-width: 1320px; margin: 0 auto; padding: 1.5em 1.5em 4em 1.5em;
  font-size: 15px; line-height: 1.65; }
h1 { font-size: 26px; margin: 0.4em 0 0.5em 0; }
h2 { font-size: 21px; margin: 1.8em 0 0.5em 0; padding-bottom: 0.2em; border-bottom: 1px solid #ccc; }
h3 { font-size: 17px; margin: 1.4em 0 0.4em 0; }
p, li { text-align: left; }
.womenstats-scroll { overflow-x: auto; max-width: 100%; margin: 0 0 1em 0; }
table.womenstats-table { border-collapse: collapse; font-size: 13px; margin: 0; }
table.womenstats-table th, table.womenstats-table td { padding: 3px 6px; border-bottom: 1px solid #d0d0d0;
  vertical-align: top; max-width: 34em; }
table.womenstats-table th { background: #f2f2f2; font-weight: bold; border-bottom: 2px solid #888; }
table.womenstats-table .txt { text-align: left; }
table.womenstats-table td.short { white-space: nowrap; }
table.womenstats-table .code { white-space: nowrap; }
table.womenstats-table .num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.womenstats-table tbody tr:nth-child(even) { background: #fafafa; }
table.markdown-table { border-collapse: collapse; font-size: 13px; margin: 0.5em 0 1em 0; }
table.markdown-table th, table.markdown-table td { text-align: left; padding: 2px 8px;
  border-bottom: 1px solid #d0d0d0; vertical-align: top; word-break: break-all; }
.status { display: inline-block; white-space: nowrap; padding: 0 6px; border-radius: 3px;
  font-size: 12px; line-height: 1.6; }
.womenstats-caption { margin: 1.2em 0 0.3em 0; }
.womenstats-note { color: #444; font-size: 13px; }
figure { margin: 1em 0 1.5em 0; }
figure img { max-width: 100%; height: auto; }
figcaption { color: #444; font-size: 13px; }
nav.womenstats-contents { border: 1px solid #ccc; background: #fafafa; padding: 0.6em 1.2em;
  margin: 1em 0; font-size: 14px; }
nav.womenstats-contents > ul { columns: 2; column-gap: 2em; }
nav.womenstats-contents ul { margin: 0.2em 0; padding-left: 1.4em; }
nav.womenstats-contents li { list-style: none; break-inside: avoid; }
@media print { body { max-width: none; padding: 0; } .womenstats-scroll { overflow: visible; } }
"""

# A code span: between two backticks that are markup (a backslash before one makes it a character).
_CODE = re.compile(r"(?<!\\)`((?:[^`\\]|\\.)+?)(?<!\\)`")


def _plain(markdown: str) -> str:
    """Return markdown text as escaped HTML text (escaped characters and entities shown as written)."""
    return html.escape(markdown_plain(markdown), quote=False)


def _bold_html(markdown: str) -> str:
    out, pos = [], 0
    for match in markup.BOLD.finditer(markdown):
        out += [_plain(markdown[pos : match.start()]), f"<strong>{_plain(match.group(1))}</strong>"]
        pos = match.end()
    return "".join([*out, _plain(markdown[pos:])])


def inline_html(text: str) -> str:
    """Return markdown inline text as HTML: ``**bold**`` and ```code``` marked up, all text escaped.

    Names written by :func:`womenstats._safe.markdown_literal` (backslash escapes, entities such as
    ``&lt;``) are shown as the characters they stand for and can never become markup.
    """
    out, pos = [], 0
    for match in _CODE.finditer(text):
        out += [_bold_html(text[pos : match.start()]), f"<code>{_plain(match.group(1))}</code>"]
        pos = match.end()
    return "".join([*out, _bold_html(text[pos:])])


def markdown_html(markdown: str, headings: list[tuple[int, str, str]]) -> str:
    """Return report markdown as HTML: headings (with ids), lists, pipe tables and paragraphs.

    The report's markdown is a small subset (headings, paragraphs, ``-`` and ``1.`` lists, pipe
    tables, bold and code spans), the same the Word writer reads. Each ``##`` and ``###`` heading
    gets the id ``s<N>`` and is appended to ``headings`` as ``(level, id, text)``.
    """
    parts: list[str] = []
    lines = markdown.splitlines()
    i, paragraph, items, list_tag = 0, [], [], ""

    def flush() -> None:
        nonlocal paragraph, items, list_tag
        if paragraph:
            parts.append(f"<p>{inline_html(' '.join(paragraph))}</p>")
        if items:
            parts.append(f"<{list_tag}>" + "".join(f"<li>{inline_html(t)}</li>" for t in items)
                         + f"</{list_tag}>")
        paragraph, items, list_tag = [], [], ""

    while i < len(lines):
        line = lines[i]
        if markup.is_pipe_row(line):
            flush()
            rows, i = markup.pipe_table(lines, i)
            head = "".join(f"<th>{inline_html(c)}</th>" for c in rows[0])
            body = "".join("<tr>" + "".join(f"<td>{inline_html(c)}</td>" for c in row) + "</tr>"
                           for row in rows[1:])
            parts.append(f'<div class="womenstats-scroll"><table class="markdown-table"><thead><tr>{head}'
                         f"</tr></thead><tbody>{body}</tbody></table></div>")
            continue
        i += 1
        if not line.strip():
            flush()
        elif heading := markup.HEADING.match(line):
            flush()
            level, text = len(heading.group(1)), heading.group(2).strip()
            anchor = ""
            if level in (2, 3):
                anchor = f"s{len(headings) + 1}"
                headings.append((level, anchor, markdown_plain(markup.CODE_MARK.sub("", text))))
                anchor = f' id="{anchor}"'
            parts.append(f"<h{level}{anchor}>{inline_html(text)}</h{level}>")
        elif right := markup.RIGHT.match(line):
            flush()
            parts.append(f'<p class="right">{inline_html(right.group(1))}</p>')
        elif (bullet := markup.BULLET.match(line)) or (numbered := markup.NUMBERED.match(line)):
            tag = "ul" if bullet else "ol"
            if paragraph or (items and list_tag != tag):
                flush()
            list_tag = tag
            items.append((bullet or numbered).group(1))
        else:
            if items:
                flush()
            paragraph.append(line.strip())
    flush()
    return "\n".join(parts)


def contents_html(headings: list[tuple[int, str, str]]) -> str:
    """Return the table of contents (目录): each ``##`` heading with its ``###`` headings under it."""
    groups: list[tuple[str, str, list[tuple[str, str]]]] = []
    for level, anchor, text in headings:
        if level == 2 or not groups:
            groups.append((anchor, text, []))
        else:
            groups[-1][2].append((anchor, text))
    items = []
    for anchor, text, children in groups:
        sub = "".join(f'<li><a href="#{a}">{html.escape(t)}</a></li>' for a, t in children)
        items.append(f'<li><a href="#{anchor}">{html.escape(text)}</a>' + (f"<ul>{sub}</ul>" if sub else "")
                     + "</li>")
    return f'<nav class="womenstats-contents"><strong>目录</strong><ul>{"".join(items)}</ul></nav>'


def notebook_html(nb, title: str) -> str:
    """Return the reader's HTML page of an executed report notebook.

    The report items (:func:`~womenstats.report.write.display.iter_items`) in order, the table of
    contents before the first section; no code, prompts or printed output.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed, normalised notebook.
    title : str
        The page title.

    Returns
    -------
    str
        The HTML document (UTF-8, self-contained).
    """
    headings: list[tuple[int, str, str]] = []
    blocks: list[str] = []
    first_section = None
    for item in iter_items(nb):
        if item.kind == "markdown":
            before = len(headings)
            block = markdown_html(item.data, headings)
            if first_section is None and len(headings) > before and headings[before][0] == 2:
                first_section = len(blocks)
            blocks.append(block)
        elif item.kind == "table":
            blocks.append(table_html(item.data))
        elif item.kind == "chart":
            data = base64.b64encode(item.data).decode("ascii")
            name = html.escape(item.title)
            blocks.append(f'<figure><img src="data:image/png;base64,{data}" alt="{name}">'
                          f"<figcaption>{name}</figcaption></figure>")
    if headings:
        blocks.insert(first_section if first_section is not None else len(blocks), contents_html(headings))
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{REPORT_CSS}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(blocks) + "\n</main>\n</body>\n</html>\n")


def write_html(nb, path: str | os.PathLike[str], title: str) -> None:
    """Write :func:`notebook_html` to ``path`` atomically (UTF-8)."""
    with atomic_path(path) as tmp:
        tmp.write_text(notebook_html(nb, title), encoding="utf-8")
