"""Text from users, files and paths made inert where it is rendered: Markdown/HTML, CSV and Excel.

Two rules, used by every writer:

* :func:`markdown_literal` turns any text into Markdown that renders as exactly that text: the HTML
  metacharacters become entities (so ``<script>`` shows as text and never runs) and every Markdown
  punctuation mark, the backtick and the table pipe included, is backslash-escaped (so a backtick in a
  file name cannot end a code span and a ``|`` cannot open a table cell). :func:`markdown_plain`
  reverses it for writers that lay out Markdown themselves (the Word report).
* :func:`put_cell` writes a spreadsheet cell so that a text is always text (openpyxl would store a text
  beginning with ``=`` as a formula), with Excel's quote prefix on one that begins like a formula.
* :func:`neutralise_formula` follows OWASP's advice on CSV injection
  (https://owasp.org/www-community/attacks/CSV_Injection): a text cell that begins with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so a spreadsheet shows it as
  text instead of evaluating it.
"""

from __future__ import annotations

import html
import re

#: First characters that make a spreadsheet treat a cell as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~>])")


def markdown_literal(text: object) -> str:
    """Return Markdown that renders as ``text`` itself, never as markup or live HTML.

    Parameters
    ----------
    text : object
        Any value; converted with ``str``. Line breaks become spaces (a table row is one line).

    Returns
    -------
    str
        The escaped text: ``&``, ``<``, ``>``, ``"`` and ``'`` as HTML entities, Markdown
        punctuation backslash-escaped.

    """
    flat = " ".join(str(text).splitlines())
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(flat, quote=True))


def code_literal(text: object) -> str:
    """Return ``text`` as a Markdown code span when that is safe, else as :func:`markdown_literal`.

    A code span shows its content verbatim (a renderer escapes ``<`` and ``&`` inside it), so a name
    with no backtick, no ``|`` and no line break is written as `` `name` ``; any of those three could
    end the span or the table cell, and then the whole text is escaped instead.
    """
    flat = str(text)
    if any(ch in flat for ch in "`|\r\n") or not flat.strip():
        return markdown_literal(flat)
    return f"`{flat}`"


def markdown_plain(markdown: str) -> str:
    """Undo :func:`markdown_literal`: remove backslash escapes, then decode HTML entities."""
    return html.unescape(_ESCAPED.sub(r"\1", markdown))


def is_formula_like(text: str) -> bool:
    """Return True when a spreadsheet would read ``text`` as a formula (it starts with a trigger)."""
    return text.startswith(FORMULA_TRIGGERS)


def neutralise_formula(value: object) -> object:
    """Return a text cell prefixed with ``'`` when it would be read as a formula; other values as they are.

    Parameters
    ----------
    value : object
        A cell value. Only ``str`` is changed; numbers stay numbers (``-3`` written by the program is a
        number, not text).

    Returns
    -------
    object
        ``"'" + value`` for a text starting with one of :data:`FORMULA_TRIGGERS`, else ``value``.
    """
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def put_cell(ws, row: int, column: int, value: object):
    """Write one cell of an openpyxl worksheet; a text is always stored as text, never as a formula.

    Every ``str`` is typed as a string, and one that a spreadsheet would read as a formula (see
    :func:`is_formula_like`) also gets Excel's quote prefix, the workbook's own form of OWASP's leading
    apostrophe: Excel shows it as text and keeps it text when the cell is edited.

    Parameters
    ----------
    ws : openpyxl.worksheet.worksheet.Worksheet
        The sheet.
    row, column : int
        1-based position.
    value : object
        The value; numbers and None are written as they are.

    Returns
    -------
    openpyxl.cell.Cell
        The cell, for styling.
    """
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if is_formula_like(value):
            cell.quotePrefix = True
    return cell
