"""The Word file's table of contents (目录): a static list of links to bookmarked headings.

Part of :mod:`womenstats.report.write.docx`: :func:`headings` lists the report's ``##`` and ``###``
headings, :func:`mark` bookmarks each heading as the document is written, and :func:`add_contents`
writes the list that links to them.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from womenstats.report.write import markup


def headings(items) -> list[tuple[int, str]]:
    """Return the (level, text) of the ``##`` and ``###`` headings of report items, in order."""
    out = []
    for item in items:
        if item.kind == "markdown":
            for line in item.data.splitlines():
                match = markup.HEADING.match(line)
                if match and len(match.group(1)) in (2, 3):
                    out.append((len(match.group(1)), match.group(2).replace("`", "").strip()))
    return out


def _bookmark_name(number: int) -> str:
    return f"_womenstats_h{number}"


def _link(paragraph, text: str, number: int) -> None:
    """Append a link to bookmark ``number`` showing ``text``."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), _bookmark_name(number))
    run = OxmlElement("w:r")
    text_el = OxmlElement("w:t")
    text_el.text = text
    run.append(text_el)
    link.append(run)
    paragraph._p.append(link)


def add_contents(doc, entries: list[tuple[int, str]]) -> None:
    """Add a table of contents (目录): a line per section, its subsections after it on that line.

    Each entry links to its heading's bookmark. A static list rather than a Word TOC field, so it
    shows in every reader (LibreOffice converts a field without updating it) and the file stays
    byte-stable.
    """
    doc.add_heading("目录", level=1)
    paragraph = None
    for number, (level, text) in enumerate(entries):
        if level == 2 or paragraph is None:
            paragraph = doc.add_paragraph()
            paragraph.paragraph_format.space_after = Pt(0)
            _link(paragraph, text, number)
            first = True
            continue
        paragraph.add_run("：" if first else " · ")
        first = False
        _link(paragraph, text, number)


def mark(paragraph, number: int) -> None:
    """Put bookmark ``number`` around a heading paragraph (the target of its contents line)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), _bookmark_name(number))
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


__all__ = ["add_contents", "headings", "mark"]
