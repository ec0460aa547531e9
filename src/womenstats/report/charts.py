"""Report charts: the status overview and the trend of each quantitative target.

Every chart uses :mod:`womenstats.report.style` (one style file, fixed status colours and hatches)
and carries the label 模拟数据 in its corner when it shows simulated data.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from womenstats.report.style import FAN, INK, SIMULATED_LABEL, report_style, status_look

#: Operators drawn as a target line, with the words printed beside it.
_TARGET_WORDS = {"<=": "≤", ">=": "≥", "≈": "≈", "=": "=", "maintain": "保持"}


def mark_simulated(fig: Figure) -> None:
    """Write 模拟数据 in the top-right corner of a figure."""
    fig.text(0.99, 0.99, SIMULATED_LABEL, ha="right", va="top", fontsize=11, fontweight="bold",
             color="#b2182b", bbox={"facecolor": "white", "edgecolor": "#b2182b", "pad": 2})


def status_overview(
    counts: pd.DataFrame,
    *,
    labels: dict[str, str] | None = None,
    title: str = "各领域目标状态",
    simulated: bool = False,
) -> Figure:
    """Draw a horizontal stacked bar per area: how many targets have each status.

    Parameters
    ----------
    counts : pandas.DataFrame
        Index: area labels (top to bottom); columns: status codes in legend order; values: counts.
    labels : dict, optional
        Status code -> label for statuses not of our method (a peer's); ours have their own.
    title : str
        Chart title.
    simulated : bool
        Label the chart 模拟数据.

    Returns
    -------
    matplotlib.figure.Figure
    """
    with report_style():
        areas = list(counts.index)
        fig = Figure(figsize=(7.2, 0.45 * len(areas) + 1.8))
        ax = fig.subplots()
        left = np.zeros(len(areas))
        handles = []
        for code in counts.columns:
            look = status_look(code, (labels or {}).get(code))
            values = counts[code].to_numpy(float)
            ax.barh(areas, values, left=left, color=look.color, hatch=look.hatch, edgecolor=look.edge,
                    linewidth=0.6)
            for y, (x0, width) in enumerate(zip(left, values, strict=True)):
                if width > 0:
                    ax.text(x0 + width / 2, y, f"{width:g}", ha="center", va="center", fontsize=8,
                            color=look.edge,
                            bbox={"facecolor": look.color, "edgecolor": "none", "pad": 0.5})
            left += values
            handles.append(Patch(facecolor=look.color, hatch=look.hatch, edgecolor="#1a1a1a",
                                 label=look.label))
        ax.invert_yaxis()
        ax.set_xlabel("目标数（项）")
        ax.grid(axis="x")
        ax.grid(axis="y", visible=False)
        ax.set_title(title)
        axes_height = fig.get_figheight() * (fig.subplotpars.top - fig.subplotpars.bottom)
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.55 / axes_height),
                  ncol=4, fontsize=8)
        if simulated:
            mark_simulated(fig)
    return fig


def _target_words(operator: str, value: float, unit: str) -> str:
    shown = "" if unit in ("", "比值") else (unit if unit in ("%", "‰") else f" {unit}")
    return f"目标 {_TARGET_WORDS.get(operator, operator)} {value:g}{shown}"


def trend_chart(
    observed: pd.DataFrame,
    forecast: pd.DataFrame,
    *,
    title: str,
    unit: str = "",
    target_value: float | None = None,
    operator: str = "",
    target_year: int | None = None,
    status: str | None = None,
    status_label: str | None = None,
    simulated: bool = False,
) -> Figure:
    """Draw one target's trend: observed points, projection with 80% and 95% fan, target line and year.

    Parameters
    ----------
    observed : pandas.DataFrame
        Columns ``year, value``: the observations.
    forecast : pandas.DataFrame
        Columns ``year, point, lo80, hi80, lo95, hi95`` (:meth:`womenstats.trend.Projection.forecast`)
        from the last observed year to the target year; empty or NaN when there is no projection.
    title : str
        Chart title (the indicator and target).
    unit : str
        Unit printed on the y axis.
    target_value : float, optional
        The target value, drawn as a dashed horizontal line.
    operator : str
        The target's operator, printed beside the line (``≥ 85%``).
    target_year : int, optional
        Drawn as a dotted vertical line.
    status : str, optional
        Status code: the projection at the target year is marked with the status's marker and colour.
    status_label : str, optional
        Its label, for a status not of our method.
    simulated : bool
        Label the chart 模拟数据.

    Returns
    -------
    matplotlib.figure.Figure
    """
    with report_style():
        fig = Figure()
        ax = fig.subplots()
        has_fan = not forecast.empty and forecast["lo95"].notna().any()
        if has_fan:
            ax.fill_between(forecast["year"], forecast["lo95"], forecast["hi95"], color=FAN, alpha=0.18,
                            linewidth=0, label="95% 预测区间")
            ax.fill_between(forecast["year"], forecast["lo80"], forecast["hi80"], color=FAN, alpha=0.38,
                            linewidth=0, label="80% 预测区间")
        if not forecast.empty and forecast["point"].notna().any():
            ax.plot(forecast["year"], forecast["point"], color=INK, linestyle="--", linewidth=1.2,
                    label="点预测")
        ax.plot(observed["year"], observed["value"], color=INK, marker="o", linewidth=1.4, label="观测值")
        if target_value is not None and not math.isnan(target_value):
            ax.axhline(target_value, color="#b2182b", linestyle=(0, (6, 3)), linewidth=1.4,
                       label=_target_words(operator, target_value, unit))
        if target_year is not None:
            ax.axvline(target_year, color="#555555", linestyle=":", linewidth=1.2)
            ax.annotate(f"目标年 {target_year}", xy=(target_year, 1.0), xycoords=("data", "axes fraction"),
                        ha="right", va="top", fontsize=8, color="#555555", rotation=90)
        if status is not None and target_year is not None and not forecast.empty:
            at_target = forecast[forecast["year"] == target_year]
            if len(at_target) and not math.isnan(at_target["point"].iloc[0]):
                look = status_look(status, status_label)
                ax.plot([target_year], [at_target["point"].iloc[0]], marker=look.marker, markersize=9,
                        color=look.color, markeredgecolor="#1a1a1a", linestyle="none", label=look.label)
        ax.set_title(title)
        ax.set_xlabel("年份")
        ax.set_ylabel(unit or "数值")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(loc="best", fontsize=8)
        if simulated:
            mark_simulated(fig)
    return fig


def target_trend(ctx, row) -> Figure:
    """Draw :func:`trend_chart` for one assessed target of a report.

    Parameters
    ----------
    ctx : womenstats.report.context.ReportContext
        The report's inputs.
    row : mapping
        The target's row of the assessment (``target_id, operator, target_value, target_year,
        status``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    target = ctx.target(row["target_id"])
    series = ctx.target_series(row["target_id"])
    target_year = int(row["target_year"])
    forecast = pd.DataFrame(columns=["year", "point", "lo80", "hi80", "lo95", "hi95"])
    if len(series) >= 2:
        start = int(series["year"].max())
        forecast = ctx.projection(row["target_id"]).forecast(np.arange(start, max(start, target_year) + 1))
    value = row["target_value"]
    return trend_chart(
        series[["year", "value"]], forecast,
        title=f"{target['indicator']}（{row['target_id']}）", unit=str(target["unit"] or ""),
        target_value=None if pd.isna(value) or value == "" else float(value), operator=row["operator"],
        target_year=target_year, status=row["status"], status_label=row.get("status_label"),
        simulated=ctx.simulated,
    )
