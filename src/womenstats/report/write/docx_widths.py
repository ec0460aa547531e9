"""Column widths of the Word report's tables: how wide a text is, and how a table shares its width.

Word and LibreOffice lay a table out from the widths written in it; these functions choose them so
that short values (numbers, years, statuses) stay on one line and long texts wrap. Part of
:mod:`womenstats.report.write.docx`.
"""

from __future__ import annotations

import math
import re
import unicodedata

import numpy as np

#: Bounds of the width a column asks for, in ems: two CJK characters at least, and long sentences
#: (warnings) wrap beyond 20.
COLUMN_EMS = (2.0, 20.0)
#: A header asks for at most this many ems (it wraps onto a second line beyond).
HEADER_EMS = 4.0
#: Width of a non-CJK character, in ems (:func:`text_em`).
LATIN_EM = 0.65
#: Left and right margin of a table cell (0.1 cm), in twips; Word's "Table Grid" default of
#: 0.19 cm took a fifth of a twelve-column table's width.
CELL_SIDE = 57
#: Left plus right cell margin, in twips.
CELL_MARGINS = 2 * CELL_SIDE
#: Room added to every column's text (ems): a text exactly as wide as its column wraps in
#: LibreOffice (``预计可达标`` in a five-em column did).
FIT_EMS = 0.3

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

    The header counts up to :data:`HEADER_EMS` (a longer one wraps); :data:`FIT_EMS` and the cell
    margins are added. ``cap`` replaces the upper bound of :data:`COLUMN_EMS` (ems).
    """
    low, high = COLUMN_EMS[0], cap or COLUMN_EMS[1]
    em = font_pt * 20  # twips
    return [math.ceil((min(high, max(low, min(text_em(col[0]), HEADER_EMS),
                                     max((text_em(t) for t in col[1:]), default=0.0))) + FIT_EMS) * em)
            + CELL_MARGINS for col in columns]


def column_widths(columns: list[list[str]], total: int, font_pt: float) -> list[int]:
    """Share a table's width (twips) among its columns so that short values stay on one line.

    Each column asks for the width of its longest body text (:func:`text_em`), or of its header
    up to :data:`HEADER_EMS` (longer headers wrap), clipped to :data:`COLUMN_EMS`, plus the cell
    margins. The long columns are those cut at that bound when the requests fit the table, and
    those beyond a common cap (water-filling) when they do not. The numbers, years and statuses
    keep their widths and do not wrap; the long texts (indicator names, reasons, warnings) share
    the rest so that the table is as short as it can be (:func:`share_long`). Room left over
    when every text has its line widens every column in proportion.

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
        # The long texts are those cut at the upper bound of COLUMN_EMS.
        whole = requested_widths(columns, font_pt, cap=math.inf)
        long = [j for j, (w, n) in enumerate(zip(whole, need, strict=True)) if w > n]
    else:
        cap, remaining = max(need), total
        for i, w in enumerate(sorted(need)):
            left = len(need) - i
            if w * left > remaining:
                cap = remaining // left
                break
            remaining -= w
        long = [j for j, w in enumerate(need) if w > cap]
    widths = list(need)
    room = total - sum(w for j, w in enumerate(need) if j not in long)
    for j, w in zip(long, share_long([columns[j][1:] for j in long], room, font_pt), strict=True):
        widths[j] = w
    if total - sum(widths) > len(long):  # every text has its line, room to spare: in proportion
        widths = [total * w // sum(widths) for w in widths]
    widths[widths.index(max(widths))] += total - sum(widths)
    return widths


#: The narrowest a long text column is made (ems), and the step in which width is handed out.
LONG_FLOOR_EMS, STEP_EMS = 4.0, 0.5
#: A run of characters a line cannot break inside (a target id, a number, an interval).
_UNBREAKABLE = re.compile(r"[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+")


def unbreakable_em(text: str) -> float:
    """Width (ems) of the longest run of ``text`` that a line cannot break: Latin, digits, ``.-_``."""
    return max((text_em(run) for run in _UNBREAKABLE.findall(text)), default=0.0)


def share_long(texts: list[list[str]], room: int, font_pt: float) -> list[int]:
    """Share ``room`` twips among long text columns so that their rows take the fewest lines.

    A row is as tall as its tallest cell, a cell taking ``text_em / width`` lines (at least one).
    Starting from :data:`LONG_FLOOR_EMS` each, or the column's longest unbreakable run
    (:func:`unbreakable_em`: an id, a number) if wider and there is room for all, every step of
    :data:`STEP_EMS` goes to the column whose widening shortens the table most; a column never
    gets more than its longest text on one line. Reasons beside indicator names thus get the
    room their length needs, and a short name column is not widened for nothing.

    Parameters
    ----------
    texts : list of list of str
        The body texts of each long column (no header).
    room : int
        Twips to share, cell margins included.
    font_pt : float
        Font size in points.

    Returns
    -------
    list of int
        Each column's width in twips (cell margins included), summing to ``room`` or less.
    """
    if not texts:
        return []
    em = font_pt * 20
    ems = np.array([[text_em(t) for t in col] for col in texts], dtype=float).reshape(len(texts), -1).T
    top = ems.max(axis=0, initial=0.0) + FIT_EMS
    whole = [max((unbreakable_em(t) for t in col), default=0.0) + FIT_EMS for col in texts]
    usable = (room - len(texts) * CELL_MARGINS) / em
    width = np.minimum(top, np.maximum(LONG_FLOOR_EMS, whole))  # an id is not cut in two
    if width.sum() > usable:  # unless there is no room for that
        width = np.minimum(top, LONG_FLOOR_EMS)
    spare = usable - width.sum()
    if spare < 0:  # no room even for the floors: shared in proportion to them
        width *= usable / width.sum()
        spare = 0.0
    while spare >= STEP_EMS:
        grow = np.minimum(STEP_EMS, top - width)
        if not (grow > 0).any():
            break
        lines = np.maximum(ems / width, 1.0)
        heights = []
        for j in np.flatnonzero(grow > 0):
            trial = lines.copy()
            trial[:, j] = np.maximum(ems[:, j] / (width[j] + grow[j]), 1.0)
            heights.append((trial.max(axis=1).sum(), -lines[:, j].sum(), j))
        _, _, best = min(heights)
        width[best] += grow[best]
        spare -= grow[best]
    if spare > 0 and (width < top).any():  # less than a step left: to the widest that can use it
        j = int(np.argmax(np.where(width < top, width, -1.0)))
        width[j] += min(spare, top[j] - width[j])
    return [math.floor(w * em) + CELL_MARGINS for w in width]


__all__ = [
    "CELL_MARGINS",
    "CELL_SIDE",
    "COLUMN_EMS",
    "FIT_EMS",
    "HEADER_EMS",
    "LATIN_EM",
    "LONG_FLOOR_EMS",
    "STEP_EMS",
    "column_widths",
    "requested_widths",
    "share_long",
    "text_em",
    "unbreakable_em",
]
