"""Reports: the papermill runner, the HTML/Word/Excel writers, provenance, audit, charts and tables.

The package is laid out by job: ``write/`` (writers, markup, styles: tables and figures in, files
out), ``county/``, ``region/`` and ``department/`` (one kind of report each: context, tables,
prose, charts), ``run/`` (papermill runner, isolated and parallel runs, the registry of kinds,
refresh) and ``audit/``; ``titles``, ``provenance``, ``wording`` and ``precomputed`` are shared.
Imports point one way: a report kind never imports the runner.

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
    "AuditRefusedError": "audit.compare", "Difference": "audit.compare", "audit_report": "audit.compare",
    "compare_notebooks": "audit.compare",
    "ReportContext": "county.context", "open_report": "county.context",
    "iter_items": "write.display", "show_chart": "write.display", "show_png": "write.display",
    "show_provenance": "write.display", "show_table": "write.display", "show_text": "write.display",
    "show_data": "write.display",
    "provenance": "provenance", "provenance_markdown": "provenance", "provenance_brief": "provenance",
    "NOTEBOOKS": "run.runner", "ReportError": "run.runner", "RunSummary": "run.runner",
    "resolve_plans": "run.runner", "run_many": "run.runner", "run_report": "run.runner",
    "KIND_LABELS": "titles", "report_title": "titles",
}

__all__ = sorted(_WHERE)

__getattr__, __dir__ = lazy_names(__name__, _WHERE, globals())
