"""Disclosure control of published count tables: primary and secondary cell suppression.

A cell below the threshold (default 5) is suppressed (primary). Because row and column totals are
published, a lone suppressed cell in a row could be recovered by subtraction, so further cells are
suppressed (secondary) until no suppressed cell can be pinned down: for each one, the smallest and
largest values consistent with every published figure (cells, totals, non-negativity) are found by
linear programming, and they must differ. The constraint matrix of a two-way table is totally
unimodular, so these bounds are attained by integer tables: an attacker cannot tell the true value
from at least one other whole number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from womenstats.errors import InputError
from womenstats.gender.inputs import check_counts, check_unique

#: Default threshold: counts from 1 to 4 are suppressed.
DEFAULT_THRESHOLD = 5

#: Label of the totals row and column in :meth:`Suppression.formatted`.
TOTAL_LABEL = "合计"

_EPS = 1e-6


@dataclass(frozen=True)
class Suppression:
    """A table ready to publish and how each cell was treated.

    Attributes
    ----------
    table : DataFrame
        The counts, with suppressed cells set to NaN.
    status : DataFrame
        ``""``, ``"primary"`` (below the threshold) or ``"secondary"`` (to protect a primary cell).
    row_totals, column_totals : Series
        The published totals (computed from all cells, suppressed or not).
    """

    table: pd.DataFrame
    status: pd.DataFrame
    row_totals: pd.Series
    column_totals: pd.Series

    def formatted(self, mark: str = "*") -> pd.DataFrame:
        """Return the table as text with totals, suppressed cells shown as ``mark``."""
        text = self.table.map(lambda v: mark if pd.isna(v) else f"{v:g}")
        text[TOTAL_LABEL] = self.row_totals.map(lambda v: f"{v:g}")
        text.loc[TOTAL_LABEL] = [*(f"{v:g}" for v in self.column_totals), f"{self.column_totals.sum():g}"]
        return text


def suppress(
    table: pd.DataFrame,
    threshold: float = DEFAULT_THRESHOLD,
    *,
    zeros: bool = False,
    margins: Sequence[str] = ("rows", "columns"),
) -> Suppression:
    """Suppress small counts of a two-way table so that none can be recovered from its totals.

    Parameters
    ----------
    table : DataFrame
        Non-negative counts (rows × columns), without total rows or columns.
    threshold : float, default 5
        Counts ``0 < x < threshold`` are suppressed (primary suppression).
    zeros : bool, default False
        Also suppress zero counts (when a zero itself is disclosive, e.g. "no woman in this post").
    margins : sequence of {"rows", "columns"}
        Which totals are published: ``"rows"`` for the total of each row, ``"columns"`` for each
        column's.

    Returns
    -------
    Suppression
        The table with suppressed cells as NaN, each cell's status and the totals.

    Raises
    ------
    InputError
        A negative or non-numeric count, or a table that cannot be protected (a small cell that
        equals its own published total, as in a one-row table with column totals).

    Notes
    -----
    Secondary cells are chosen greedily: for each suppressed cell whose feasible range
    ``[min x_k, max x_k]`` subject to the published totals and ``x >= 0`` has zero width, the smallest
    non-zero cell in its row or column that opens the range is added; failing that, the cheapest
    rectangle of three cells. Suppressing more can only widen the ranges, so the loop ends.

    References
    ----------
    Cox, L. H. (1980). Suppression methodology and statistical disclosure control. JASA 75, 377–385.
    Hundepool, A. et al. (2012). Statistical Disclosure Control, Wiley, §5.3–5.4 (cell suppression).
    """
    counts = _counts(table)
    primary = ((counts > 0) | zeros) & (counts < threshold)
    suppressed = primary.copy()
    margin_rows, margin_cols = "rows" in margins, "columns" in margins
    pending = True
    while pending:  # every hidden cell, secondary ones included, must stay unrecoverable
        pending = False
        for cell in _cells(suppressed):
            if feasible_range(counts, suppressed, cell, margin_rows, margin_cols)[2] >= 1 - _EPS:
                continue
            added = _complement(counts, suppressed, cell, margin_rows, margin_cols)
            if added is None:
                raise InputError(
                    f"表格第 {table.index[cell[0]]} 行、第 {table.columns[cell[1]]} 列的数值无法通过"
                    "隐藏单元格保护（它可由公布的合计直接推出）：请合并行或列，或不公布该合计后再发布。",
                    code="E_UNPROTECTABLE",
                )
            for extra in added:
                suppressed[extra] = True
            pending = True
    status = np.where(primary, "primary", np.where(suppressed, "secondary", ""))
    return Suppression(
        table=table.astype(float).mask(suppressed),
        status=pd.DataFrame(status, index=table.index, columns=table.columns),
        row_totals=pd.Series(counts.sum(axis=1), index=table.index, name=TOTAL_LABEL),
        column_totals=pd.Series(counts.sum(axis=0), index=table.columns, name=TOTAL_LABEL),
    )


def feasible_range(
    counts: np.ndarray,
    suppressed: np.ndarray,
    cell: tuple[int, int],
    margin_rows: bool = True,
    margin_cols: bool = True,
) -> tuple[float, float, float]:
    """Return the smallest and largest value of a suppressed cell consistent with what is published.

    Parameters
    ----------
    counts : ndarray
        The true table.
    suppressed : ndarray of bool
        Which cells are hidden.
    cell : tuple of int
        Position of the hidden cell attacked.
    margin_rows, margin_cols : bool
        Whether row and column totals are published.

    Returns
    -------
    tuple of float
        ``(low, high, high − low)``: solutions of ``min/max x_cell`` subject to the published totals
        and ``x >= 0`` over the hidden cells.
    """
    cells = _cells(suppressed)
    position = cells.index(cell)
    rows_eq, rhs = [], []
    for axis, publish in ((1, margin_rows), (0, margin_cols)):
        if not publish:
            continue
        for line in range(counts.shape[1 - axis]):
            members = [i for i, (r, c) in enumerate(cells) if (r if axis == 1 else c) == line]
            if members:
                row = np.zeros(len(cells))
                row[members] = 1
                rows_eq.append(row)
                rhs.append(sum(counts[cells[i]] for i in members))
    if not rows_eq:
        return 0.0, np.inf, np.inf
    objective = np.zeros(len(cells))
    objective[position] = 1
    bounds = [(0, None)] * len(cells)
    low = linprog(objective, A_eq=np.array(rows_eq), b_eq=rhs, bounds=bounds, method="highs")
    high = linprog(-objective, A_eq=np.array(rows_eq), b_eq=rhs, bounds=bounds, method="highs")
    hi = np.inf if high.status == 3 else -high.fun
    return float(low.fun), float(hi), float(hi - low.fun)


def _counts(table: pd.DataFrame) -> np.ndarray:
    try:
        counts = table.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise InputError(
            "待发布的表格含非数字单元格：请只保留计数（不含合计行列）。", code="E_NOT_COUNTS"
        ) from None
    if np.isnan(counts).any() or (counts < 0).any():
        raise InputError(
            "待发布的表格含缺失或负数：计数应为非负整数，请核对后再发布。", code="E_NOT_COUNTS"
        )
    cells = pd.MultiIndex.from_product([table.index, table.columns])
    check_counts(counts.ravel(), "待发布表格的计数", cells)
    return counts


def _cells(mask: np.ndarray) -> list[tuple[int, int]]:
    return [(int(r), int(c)) for r, c in zip(*np.nonzero(mask), strict=True)]


def _complement(
    counts: np.ndarray, suppressed: np.ndarray, cell: tuple[int, int], margin_rows: bool, margin_cols: bool
) -> tuple[tuple[int, int], ...] | None:
    """Return the cheapest set of extra cells that makes ``cell`` unrecoverable, or None.

    Non-zero cells are tried first; zero cells only when no choice of non-zero cells works.
    """
    for open_cells in (~suppressed & (counts > 0), ~suppressed):
        for option in _options(counts, suppressed, open_cells, cell):
            trial = suppressed.copy()
            for x in option:
                trial[x] = True
            if feasible_range(counts, trial, cell, margin_rows, margin_cols)[2] >= 1 - _EPS:
                return option
    return None


def _options(
    counts: np.ndarray, suppressed: np.ndarray, open_cells: np.ndarray, cell: tuple[int, int]
) -> list[tuple[tuple[int, int], ...]]:
    """Candidate complements of ``cell``: one cell in its row or column, or a rectangle, cheapest first."""
    r, c = cell
    singles = [((r, j),) for j in range(counts.shape[1]) if open_cells[r, j]]
    singles += [((i, c),) for i in range(counts.shape[0]) if open_cells[i, c]]
    usable = open_cells | suppressed
    rectangles = [
        tuple(x for x in ((r, j), (i, c), (i, j)) if not suppressed[x])
        for i, j in product(range(counts.shape[0]), range(counts.shape[1]))
        if i != r and j != c and usable[r, j] and usable[i, c] and usable[i, j]
    ]
    options = {o for o in singles + rectangles if o}
    return sorted(options, key=lambda o: (sum(counts[x] for x in o), len(o), o))


def suppress_long(
    data: pd.DataFrame,
    rows: str,
    columns: str,
    count: str = "value",
    *,
    by: Sequence[str] = (),
    threshold: float = DEFAULT_THRESHOLD,
    zeros: bool = False,
) -> pd.DataFrame:
    """Suppress small counts of a long table, one two-way table per ``by`` group.

    Parameters
    ----------
    data : DataFrame
        One count a row.
    rows, columns : str
        Columns giving the table's rows and columns (e.g. ``"region_code"`` and ``"sex"``).
    count : str, default "value"
        Column of the counts.
    by : sequence of str
        Columns splitting the data into separate published tables (e.g. year, indicator).
    threshold : float, default 5
        See :func:`suppress`.
    zeros : bool, default False
        See :func:`suppress`.

    Returns
    -------
    DataFrame
        ``data`` with ``count`` set to NaN where suppressed and a ``suppressed`` column (``""``,
        ``"primary"``, ``"secondary"``). A cell absent from ``data`` is taken as 0.

    Raises
    ------
    InputError
        ``E_DUPLICATE_OBSERVATION`` when two rows give the same cell of the same table;
        ``E_NOT_COUNTS`` / ``E_NOT_A_COUNT`` for counts that are missing, negative, infinite or
        not whole.
    """
    check_unique(data, [*by, rows, columns], "每个单元格只能有一行计数，请先去重或汇总。")
    out = []
    groups = data.groupby(list(by), sort=True) if by else [((), data)]
    for _, part in groups:
        table = part.pivot(index=rows, columns=columns, values=count).fillna(0)
        result = suppress(table, threshold, zeros=zeros)
        status = result.status.stack().rename("suppressed")
        merged = part.join(status, on=[rows, columns])
        merged[count] = merged[count].where(merged["suppressed"] == "")
        out.append(merged)
    return pd.concat(out).loc[data.index]
