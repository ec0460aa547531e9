"""How the commands print a result table: aligned text for reading on screen, or CSV for programs.

CSV keeps ten significant digits, the text table four; both end each line with a line feed alone, on
every system.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where it is used: `womenstats report` need not load it here
    import pandas as pd


def csv_text(frame: pd.DataFrame) -> str:
    """Return ``frame`` as CSV text, without the index, floats to ten significant digits."""
    return frame.to_csv(index=False, lineterminator="\n", float_format="%.10g")


def table_text(frame: pd.DataFrame) -> str:
    """Return ``frame`` as an aligned text table, without the index, floats to four significant digits."""
    return frame.to_string(index=False, float_format="%.4g") + "\n"
