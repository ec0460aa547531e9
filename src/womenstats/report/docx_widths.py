"""Column widths of the Word report's tables: how wide a text is, and how a table shares its width.

Word and LibreOffice lay a table out from the widths written in it; these functions choose them so
that short values (numbers, years, statuses) stay on one line and long texts wrap. Part of
:mod:`womenstats.report.export_docx`.
"""

from __future__ import annotations

import math
import unicodedata

#: Bounds of the width a column asks for, in ems: two CJK characters at least, and long sentences
#: (warnings) wrap beyond 20.
COLUMN_EMS = (2.0, 20.0)
#: A long text gets up to this many ems when the table has room to spare (one or two lines).
LONG_EMS = 40.0
#: A header asks for at most this many ems (it wraps onto a second line beyond).
HEADER_EMS = 4.0
#: Width of a non-CJK character, in ems (:func:`text_em`).
LATIN_EM = 0.65
#: Left plus right cell margin of Word's "Table Grid" (0.19 cm each side), in twips.
CELL_MARGINS = 216

def text_em(text: str) -> float:
    """Width of a text on one line, in ems of its font size.

    A wide or full-width character (CJK, and the ambiguous ones such as ``–`` that CJK fonts set
    wide) takes 1 em; any other character :data:`LATIN_EM`, a safe upper estimate for digits and
    Latin letters in Times New Roman (digits 0.5 em) and in the fonts that stand in for it where
    it is missing (DejaVu Sans digits 0.64 em).

    Parameters
    ----------
    text : str

    Returns
    -------
    float
    """
    return sum(1.0 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else LATIN_EM for ch in text)


def requested_widths(columns: list[list[str]], font_pt: float, cap: float | None = None) -> list[int]:
    """Return the width (twips) each column asks for: its longest text within :data:`COLUMN_EMS`.

    The header counts up to :data:`HEADER_EMS` (a longer one wraps); the cell margins are added.
    ``cap`` replaces the upper bound of :data:`COLUMN_EMS` (ems).
    """
    low, high = COLUMN_EMS[0], cap or COLUMN_EMS[1]
    em = font_pt * 20  # twips
    return [math.ceil(min(high, max(low, min(text_em(col[0]), HEADER_EMS),
                                    max((text_em(t) for t in col[1:]), default=0.0))) * em)
            + CELL_MARGINS for col in columns]


def column_widths(columns: list[list[str]], total: int, font_pt: float) -> list[int]:
    """Share a table's width (twips) among its columns so that short values stay on one line.

    Each column asks for the width of its longest body text (:func:`text_em`), or of its header
    up to :data:`HEADER_EMS` (longer headers wrap), clipped to :data:`COLUMN_EMS`, plus the cell
    margins. If the requests fit, every column is widened in proportion to fill the table; if
    not, the widest requests are cut to a common cap (water-filling), so the long texts
    (indicator names, warnings) wrap and the numbers, years and statuses do not.

    Parameters
    ----------
    columns : list of list of str
        Each column's texts, header first.
    total : int
        The table's width in twips.
    font_pt : float
        The table's font size in points.

    Returns
    -------
    list of int
        Column widths in twips, summing to ``total``.
    """
    need = requested_widths(columns, font_pt)
    if sum(need) <= total:
        # Room to spare: the long texts cut at the cap get it first (fewer lines), the rest goes
        # to every column in proportion.
        whole = requested_widths(columns, font_pt, cap=LONG_EMS)
        short = [w - n for w, n in zip(whole, need, strict=True)]
        spare = total - sum(need)
        if sum(short):
            given = min(spare, sum(short))
            need = [n + given * d // sum(short) for n, d in zip(need, short, strict=True)]
        widths = [total * w // sum(need) for w in need]
    else:
        cap, remaining = max(need), total
        for i, w in enumerate(sorted(need)):
            left = len(need) - i
            if w * left > remaining:
                cap = remaining // left
                break
            remaining -= w
        widths = [min(w, cap) for w in need]
    widths[widths.index(max(widths))] += total - sum(widths)
    return widths


__all__ = ["CELL_MARGINS", "COLUMN_EMS", "HEADER_EMS", "LATIN_EM", "LONG_EMS", "column_widths",
           "requested_widths", "text_em"]
