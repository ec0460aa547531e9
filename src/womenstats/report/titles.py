"""Report kinds and titles: what a report is called (light, so a report notebook imports it cheaply)."""

from __future__ import annotations

from womenstats import catalog

#: Report kind -> Chinese name.
KIND_LABELS: dict[str, str] = {"annual": "年度监测报告", "midterm": "中期评估报告", "final": "终期评估报告"}


def report_title(plan_id: str, kind: str, year: int) -> str:
    """Return a report's title, e.g. ``开平市妇女发展规划（2021—2030年）2025年中期评估报告``."""
    return f"{catalog.plan(plan_id).name}{year}年{KIND_LABELS[kind]}"
