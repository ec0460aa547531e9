"""Report charts: the status overview, and per area small multiples of the targets' trends.

Every chart uses :mod:`womenstats.report.write.style` (one style file, fixed status colours and hatches)
and carries the label 模拟数据 in its corner when it shows simulated data.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from womenstats.report.write.display import FIXED_LAYOUT
from womenstats.report.write.style import mark_simulated, report_chart, report_style, status_look
from womenstats.trend.plot import (
    INK,
    TARGET,
    TARGET_DASHES,
    draw_fan,
    draw_observed,
    observation_intervals,
    target_label,
)


@report_chart
def status_overview(
    counts: pd.DataFrame,
    *,
    labels: dict[str, str] | None = None,
    title: str = "各领域目标状态",
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
    """
    areas = list(counts.index)
    # compact, to share the summary's page: a bar per area and the legend at the right
    fig = Figure(figsize=(6.0, 0.22 * len(areas) + 0.75))
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
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), ncol=1, fontsize=8,
              borderaxespad=0.0)
    return fig


def draw_trend(
    ax,
    observed: pd.DataFrame,
    forecast: pd.DataFrame,
    *,
    unit: str = "",
    target_value: float | None = None,
    operator: str = "",
    target_year: int | None = None,
    status: str | None = None,
    status_label: str | None = None,
    compact: bool = False,
) -> None:
    """Draw one target's trend on an axes: observations, projection fan, target line and year.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    observed : pandas.DataFrame
        Columns ``year, value`` (and optionally ``lower, upper``): the observations.
    forecast : pandas.DataFrame
        Columns ``year, point, lo80, hi80, lo95, hi95`` (:meth:`womenstats.trend.Projection.forecast`)
        from the last observed year to the target year; empty or NaN when there is no projection.
    unit : str
        The values' unit, printed with the target (and on the y axis of :func:`trend_chart`).
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
    compact : bool
        A small-multiple panel: smaller markers and fonts, the target year line without its words
        (the panel's title says it).
    """
    draw_fan(ax, forecast)
    if not forecast.empty and forecast["point"].notna().any():
        ax.plot(forecast["year"], forecast["point"], color=INK, linestyle="--", linewidth=1.2 - 0.3 * compact,
                label="点预测")
    draw_observed(ax, observed, markersize=3.5 if compact else 6, linewidth=1.4 - 0.4 * compact, capsize=1.5)
    if target_value is not None and not math.isnan(target_value):
        ax.axhline(target_value, color=TARGET, linestyle=TARGET_DASHES, linewidth=1.4 - 0.3 * compact,
                   label="目标值" if compact else target_label(target_value, operator, unit))
    if target_year is not None:
        ax.axvline(target_year, color="#555555", linestyle=":", linewidth=1.2)
        if not compact:
            ax.annotate(f"目标年 {target_year}", xy=(target_year, 1.0), xycoords=("data", "axes fraction"),
                        ha="right", va="top", fontsize=8, color="#555555", rotation=90)
    if status is not None and target_year is not None and not forecast.empty:
        at_target = forecast[forecast["year"] == target_year]
        if len(at_target) and not math.isnan(at_target["point"].iloc[0]):
            look = status_look(status, status_label)
            ax.plot([target_year], [at_target["point"].iloc[0]], marker=look.marker,
                    markersize=9 - 3 * compact, color=look.color, markeredgecolor="#1a1a1a",
                    linestyle="none", label=look.label)
    ax.xaxis.get_major_locator().set_params(integer=True)


@report_chart
def trend_chart(observed: pd.DataFrame, forecast: pd.DataFrame, *, title: str, **target) -> Figure:
    """Draw one target's trend: observed points, projection with 80% and 95% fan, target line and year.

    Reports draw :func:`area_chart` (a panel per target); this one-target chart is for working in
    JupyterLab (as is :meth:`womenstats.trend.Projection.plot`).

    Parameters
    ----------
    observed, forecast : pandas.DataFrame
        As in :func:`draw_trend`.
    title : str
        Chart title (the indicator and target).
    **target
        ``unit``, ``target_value``, ``operator``, ``target_year``, ``status``, ``status_label``: as in
        :func:`draw_trend`.
    """
    fig = Figure()
    ax = fig.subplots()
    draw_trend(ax, observed, forecast, **target)
    ax.set_title(title)
    ax.set_xlabel("年份")
    ax.set_ylabel(target.get("unit") or "数值")
    ax.legend(loc="best", fontsize=8)
    return fig


def observed_intervals(series: pd.DataFrame, per: float | None) -> pd.DataFrame:
    """Return a target's observations with the 95% interval of each value that has its counts.

    :func:`womenstats.trend.observation_intervals` on a stored series: Wilson's interval for a
    proportion, Garwood's for a rate per 1 000 or 100 000, NaN for a value reported without counts.

    Parameters
    ----------
    series : pandas.DataFrame
        Columns ``year, value, numerator, denominator``.
    per : float or None
        The indicator's scale.

    Returns
    -------
    pandas.DataFrame
        Columns ``year, value, lower, upper``.
    """
    num, den = (pd.to_numeric(series[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
                for name in ("numerator", "denominator"))
    return observation_intervals(series["year"], series["value"], num, den, per)


#: Panels per row of an area's small multiples, and the height of a row (inches).
PANEL_COLUMNS = 4
#: Width of an area's figure (inches): four panels side by side, a landscape page's width.
AREA_WIDTH = 9.6
PANEL_HEIGHT = 1.7


def unit_words(unit: str) -> str:
    """Return a unit as an axis title prints it: ``%``, ``1/10万``, ``比值`` for a ratio, ``个``."""
    return unit or "数值"


def _panel_title(name: str, width: int = 13) -> str:
    """Wrap a panel title on two lines of about ``width`` characters."""
    if len(name) <= width:
        return name
    cut = name[:2 * width]
    return cut[:width] + "\n" + cut[width:] + ("…" if len(name) > 2 * width else "")


def area_chart(ctx, rows: list[dict], *, title: str) -> Figure:
    """Draw an area's small multiples: one panel per quantified target with a series.

    Each panel shows the observations (with their 95% intervals when counts are stored), the
    projection to the target year with its 80% and 95% fan, the target as a red dashed line and
    the target year as a dotted line; its title names the indicator and its status label is set
    in the status's colour. One legend serves the figure.

    Parameters
    ----------
    ctx : womenstats.report.county.context.ReportContext
        The report's inputs (series and projections are those of ``assess``).
    rows : list of dict
        The area's assessment rows to draw (``target_id, operator, target_value, target_year,
        status, status_label``).
    title : str
        The figure's title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from womenstats import catalog

    n_rows = max(1, math.ceil(len(rows) / PANEL_COLUMNS))
    with report_style():
        fig = Figure(figsize=(AREA_WIDTH, 0.95 + PANEL_HEIGHT * n_rows))
        fig.set_label(FIXED_LAYOUT)  # laid out below: saved without a second, measuring draw
        grid = fig.add_gridspec(n_rows, PANEL_COLUMNS)
        axes = [fig.add_subplot(grid[i // PANEL_COLUMNS, i % PANEL_COLUMNS]) for i in range(len(rows))]
        handles: dict[str, object] = {}
        for ax, row in zip(axes, rows, strict=False):
            target = ctx.target(row["target_id"])
            series = ctx.target_series(row["target_id"])
            target_year = int(row["target_year"])
            forecast = pd.DataFrame(columns=["year", "point", "lo80", "hi80", "lo95", "hi95"])
            if len(series) >= 2:
                start = int(series["year"].max())
                forecast = ctx.projection(row["target_id"]).forecast(years=
                    np.arange(start, max(start, target_year) + 1))
            info = catalog.indicator(row["indicator_id"]) if row.get("indicator_id") else None
            value = row["target_value"]
            unit = str(target["unit"] or "")
            draw_trend(ax, observed_intervals(series, info.per if info else None), forecast, unit=unit,
                       target_value=None if pd.isna(value) or value == "" else float(value),
                       operator=row["operator"], target_year=target_year, compact=True)
            look = status_look(row["status"], row.get("status_label"))
            # unit in the title (a rotated “个” reads as an arrow); status above the plot, not on data
            name = f"{target['indicator']}（{unit_words(unit)}）"
            ax.set_title(_panel_title(name), fontsize=8, loc="left", pad=14)
            ax.text(1.0, 1.02, look.label, transform=ax.transAxes, ha="right", va="bottom", fontsize=7,
                    color="white" if look.edge == "#ffffff" else "#1a1a1a",
                    bbox={"facecolor": look.color, "edgecolor": "#1a1a1a", "linewidth": 0.4, "pad": 1.2})
            first = int(series["year"].min()) if len(series) else target_year
            ax.set_xlim(first - 0.5, max(first, target_year) + 0.5)  # the data and the target year only
            ax.tick_params(labelsize=7)
            ax.ticklabel_format(axis="y", useOffset=False, style="plain")
            low, high = ax.get_ylim()
            if high - low < 1e-6 * max(1.0, abs(high)):  # a flat series: give it a visible range
                ax.set_ylim(low - 1, high + 1)
            for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
                handles.setdefault(label, handle)
        fig.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold")
        fig.legend(list(handles.values()), list(handles), loc="lower center", ncol=4, fontsize=7,
                   bbox_to_anchor=(0.5, 0.0))
        fig.subplots_adjust(left=0.06, right=0.99, top=1 - 0.55 / fig.get_figheight(),
                            bottom=0.75 / fig.get_figheight(), hspace=0.75, wspace=0.32)
        if ctx.simulated:
            mark_simulated(fig)
    return fig


#: Most panels in one figure: three rows of four fit an A4 page (landscape) with its caption.
MAX_PANELS = 12


def area_charts(ctx, rows: list[dict], *, title: str) -> list[tuple[Figure, str]]:
    """Draw an area's small multiples as figures of at most :data:`MAX_PANELS` panels.

    Returns
    -------
    list of (matplotlib.figure.Figure, str)
        Each figure with its caption: ``title``, then ``title（续）`` and so on when the area has
        more panels than one page holds.
    """
    out = []
    for start in range(0, len(rows), MAX_PANELS):
        name = title if start == 0 else f"{title}（续）"
        out.append((area_chart(ctx, rows[start:start + MAX_PANELS], title=name), name))
    return out


def charted_rows(assessment: pd.DataFrame, area: str) -> list[dict]:
    """Return the assessment rows an area's small multiples draw: quantitative targets with data.

    A restatement (``restates`` set), or a second row with the same indicator, operator, value and
    target year, would draw the same panel again: it is left out.
    """
    own = assessment["restates"].fillna("") == "" if "restates" in assessment.columns else True
    picked = assessment[(assessment["area"] == area) & (assessment["kind"] == "quantitative")
                        & (assessment["n_obs"] > 0) & own]
    same = ["indicator_id", "operator", "target_value", "target_year", "n_obs", "last_year", "last_value"]
    picked = picked.loc[~picked.duplicated(same)]  # the same series and target restated without a link
    return picked.to_dict("records")


def render_area(ctx, assessment: pd.DataFrame, area: str) -> list[tuple[bytes, str]]:
    """Return an area's small multiples as PNGs with their captions (``趋势图：…``)."""
    from womenstats.catalog import AREAS
    from womenstats.report.write.display import figure_png

    out = []
    title = f"{AREAS[area]}：量化目标的趋势"
    for fig, caption in area_charts(ctx, charted_rows(assessment, area), title=title):
        out.append((figure_png(fig), f"趋势图：{caption}"))
    return out


def _render_shared_area(area: str) -> list[tuple[bytes, str]]:
    """:func:`render_area` in a forked worker, on the context and assessment the kernel shared."""
    from womenstats.report import precomputed

    return render_area(precomputed.shared("charts_ctx"), precomputed.shared("charts_assessment"), area)


class AreaCharts:
    """The small multiples of every area, rendered on the other cores while the notebook goes on.

    Created right after the assessment, it hands each area to forked workers
    (:mod:`womenstats.report.run.parallel`); :meth:`get` returns an area's PNGs and captions, taking an
    area no worker has started yet back to render it in the kernel. The PNGs are the same bytes
    wherever they are rendered.

    Parameters
    ----------
    ctx : womenstats.report.county.context.ReportContext
        The report's inputs.
    assessment : pandas.DataFrame
        The assessment the charts show.
    """

    def __init__(self, ctx, assessment: pd.DataFrame):
        from womenstats.report import precomputed

        self._ctx, self._assessment = ctx, assessment
        self._done: dict[str, list[tuple[bytes, str]]] = {}
        self._areas = [a for a in dict.fromkeys(assessment["area"]) if charted_rows(assessment, a)]
        self._early = self._early_key()
        areas = [] if self._early else self._areas
        precomputed.share(charts_ctx=ctx, charts_assessment=assessment)
        pool = precomputed.fork_pool(max(1, precomputed.cores() - 1)) if areas else None
        self._futures = {area: pool.submit(_render_shared_area, area) for area in areas} if pool else {}
        if pool is not None:
            pool.shutdown(wait=False)

    def _early_key(self) -> tuple | None:
        """Return the key of the charts the runner's worker renders for this very report, or None.

        Only a plan report's own context with the assessment the worker made (the same object the
        kernel took from it): a department's or a region's report, or another assessment, renders
        its own charts.
        """
        from womenstats.report import precomputed
        from womenstats.report.county.context import ReportContext

        ctx = self._ctx
        if type(ctx) is not ReportContext or ctx._assessments.get(ctx.method) is not self._assessment:
            return None
        key = (ctx.plan.id, ctx.year, str(ctx.store.path), ctx.method)
        return key if precomputed.early_charts_planned(*key) else None

    def get(self, area: str) -> list[tuple[bytes, str]]:
        """Return an area's PNGs and captions (empty for an area without charted targets).

        While a worker still renders the area, the kernel renders the last areas no worker has
        started (work stealing from the tail), so both cores stay busy.
        """
        from womenstats.report import precomputed

        if area not in self._areas:
            return []
        if self._early:
            early = precomputed.early_charts(*self._early, area)
            if early is not None:
                return early
        if area in self._done:
            return self._done.pop(area)
        future = self._futures.pop(area, None)
        if future is not None and future.cancel():  # not started: render it here
            future = None
        while future is not None and not future.done():
            stolen = next((a for a in reversed(self._futures) if self._futures[a].cancel()), None)
            if stolen is None:
                break
            del self._futures[stolen]
            self._done[stolen] = render_area(self._ctx, self._assessment, stolen)
        return precomputed.result_or(future, lambda: render_area(self._ctx, self._assessment, area))
