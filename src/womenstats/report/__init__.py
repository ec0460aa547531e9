"""Reports: the papermill runner, the HTML/Word/Excel writers, provenance, audit, charts and tables.

``run_report(plan, kind, year)`` executes a report notebook and writes its four files;
``audit_report(path)`` checks a report's code is the project's, re-runs it and lists where any of its
four files differ. Inside the
notebooks, :func:`show_table`, :func:`show_chart` and :func:`show_text` show content that the
Word and Excel writers pick up again from the executed notebook.
"""

from __future__ import annotations

from womenstats.report.audit import AuditRefusedError, Difference, audit_report, compare_notebooks
from womenstats.report.context import ReportContext, open_report
from womenstats.report.display import iter_items, show_chart, show_provenance, show_table, show_text
from womenstats.report.provenance import provenance, provenance_markdown
from womenstats.report.runner import (
    KIND_LABELS,
    NOTEBOOKS,
    ReportError,
    RunSummary,
    report_title,
    resolve_plans,
    run_many,
    run_report,
)

__all__ = [
    "KIND_LABELS",
    "NOTEBOOKS",
    "AuditRefusedError",
    "Difference",
    "ReportContext",
    "ReportError",
    "RunSummary",
    "audit_report",
    "compare_notebooks",
    "iter_items",
    "open_report",
    "provenance",
    "provenance_markdown",
    "report_title",
    "resolve_plans",
    "run_many",
    "run_report",
    "show_chart",
    "show_provenance",
    "show_table",
    "show_text",
]
