"""The parent region's chart: a heat map of its children's statuses against each target.

One row per child, one column per judged target, each cell in the status's fixed colour and hatch
(:mod:`womenstats.report.write.style`, so it reads in black and white too) with the status's short name.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from womenstats.report.write.style import report_chart, status_look


def _short(label: str) -> str:
    """Return a status label short enough for a cell (at most four characters)."""
    return label if len(label) <= 4 else label[:4]


@report_chart
def status_heatmap(matrix: pd.DataFrame, *, columns: list[str] | None = None, title: str = "") -> Figure:
    """Draw children (rows) × targets (columns) coloured by status.

    Parameters
    ----------
    matrix : pandas.DataFrame
        Index: child names; columns: target ids; values: status codes
        (:func:`womenstats.report.region.context.status_matrix`).
    columns : list of str, optional
        Column labels (default the target ids).
    title : str
        Chart title.
    """
    labels = columns or [str(c) for c in matrix.columns]
    n_rows, n_cols = matrix.shape
    lines = max((str(label).count("\n") + 1 for label in labels), default=1)
    fig = Figure(figsize=(max(4.8, 1.6 + 0.95 * n_cols), 1.4 + 0.42 * n_rows + 0.16 * lines))
    ax = fig.subplots()
    used: dict[str, object] = {}
    for i, (_, row) in enumerate(matrix.iterrows()):
        for j, code in enumerate(row):
            look = status_look(str(code))
            used.setdefault(str(code), look)
            ax.add_patch(Rectangle((j, i), 1, 1, facecolor=look.color, hatch=look.hatch,
                                   edgecolor="#ffffff", linewidth=1.5))
            ax.text(j + 0.5, i + 0.5, _short(look.label), ha="center", va="center", fontsize=7.5,
                    color=look.edge,
                    bbox={"facecolor": look.color, "edgecolor": "none", "pad": 0.3})
    ax.set_xlim(0, n_cols)
    ax.set_ylim(n_rows, 0)
    ax.set_xticks([j + 0.5 for j in range(n_cols)], labels, rotation=0, ha="center", fontsize=7.5)
    ax.xaxis.tick_top()  # full names, wrapped, above the columns: nothing cut
    ax.set_yticks([i + 0.5 for i in range(n_rows)], list(matrix.index), fontsize=9)
    ax.grid(False)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    if title:
        ax.set_title(title)
    handles = [Patch(facecolor=look.color, hatch=look.hatch, edgecolor="#1a1a1a", label=look.label)
               for look in used.values()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return fig


__all__ = ["status_heatmap"]
