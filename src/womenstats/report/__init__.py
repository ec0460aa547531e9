"""Reports: the papermill runner, the HTML/Word/Excel writers, provenance, audit, charts and tables.

``run_report(plan, kind, year)`` executes a report notebook and writes its four files;
``audit_report(path)`` re-executes a report and lists the outputs that differ. Inside the
notebooks, :func:`show_table`, :func:`show_chart` and :func:`show_text` show content that the
Word and Excel writers pick up again from the executed notebook.

The names below are imported on first use (PEP 562), so a report notebook's
``from womenstats import report`` loads what a notebook uses (context, display, provenance) and
not the runner, the writers or the audit (nbformat, papermill, python-docx, openpyxl), which only
the process that runs the notebook needs.
"""

from __future__ import annotations

from womenstats._lazy import lazy_names

#: Public name -> the module of this package that defines it.
_WHERE: dict[str, str] = {
    "AuditRefusedError": "audit", "Difference": "audit", "audit_report": "audit",
    "compare_notebooks": "audit",
    "ReportContext": "context", "open_report": "context",
    "iter_items": "display", "show_chart": "display", "show_png": "display", "show_provenance": "display",
    "show_table": "display", "show_text": "display",
    "provenance": "provenance", "provenance_markdown": "provenance",
    "NOTEBOOKS": "runner", "ReportError": "runner", "RunSummary": "runner", "resolve_plans": "runner",
    "run_many": "runner", "run_report": "runner",
    "KIND_LABELS": "titles", "report_title": "titles",
}

__all__ = sorted(_WHERE)

__getattr__, __dir__ = lazy_names(__name__, _WHERE, globals())
