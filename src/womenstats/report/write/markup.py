"""The markdown a report writes, as the Word and HTML writers read it: one small subset, one parser.

Report narrative (markdown cells, generated text, the provenance block) uses headings, paragraphs,
``-`` and ``1.`` lists, pipe tables, ``**bold**`` and ```code``` spans, and one addition of its own:
a line starting ``>> `` is a right-aligned line (the 落款 of a document: unit and date); nothing else.
"""

from __future__ import annotations

import re

HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d+[.、]\s+(.*)$")
BOLD = re.compile(r"\*\*(.+?)\*\*")
RIGHT = re.compile(r"^>>\s+(.*)$")
#: A backtick or a table pipe that is markup, not an escaped character of a name
#: (:func:`womenstats._safe.markdown_literal` writes ``\``` and ``\|`` inside names).
CODE_MARK = re.compile(r"(?<!\\)`")
CELL_BAR = re.compile(r"(?<!\\)\|")


def is_pipe_row(line: str) -> bool:
    """Whether a line is a row of a pipe table."""
    return line.lstrip().startswith("|")


def pipe_table(lines: list[str], start: int) -> tuple[list[list[str]], int]:
    """Read the pipe table starting at ``lines[start]``.

    Returns
    -------
    (list of list of str, int)
        Its rows (header first, the ``---`` separator row left out) and the index of the line
        after it.
    """
    block, i = [], start
    while i < len(lines) and is_pipe_row(lines[i]):
        body = lines[i].strip().removeprefix("|")
        body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
        block.append([cell.strip() for cell in CELL_BAR.split(body)])
        i += 1
    return [row for row in block if not all(set(c) <= set("-: ") for c in row)], i
