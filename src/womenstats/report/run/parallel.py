"""The runner's worker: a report's assessments and charts computed while papermill starts the kernel.

The kernel takes them with :mod:`womenstats.report.precomputed` (same names, same folder, named to
it by :data:`~womenstats.report.precomputed.EARLY_ENV`).
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

from womenstats.report.precomputed import CHARTS, PLANNED, RUNNING, early_name, fork_pool_possible


def _early_work(folder: str, plan_id: str, year: int, store: str, methods: list[str],
                charts: tuple[str, str] | None, stage: str | None = None) -> None:
    import pickle

    from womenstats import assess
    from womenstats.intake import Store

    def put(name: str, value: object) -> None:
        target = Path(folder) / name
        partial = target.with_suffix(".part")
        partial.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, target)

    try:
        for i, method in enumerate(methods):
            table = assess.assess_plan(plan_id, year, store=Store(store), method=method, stage=stage)
            put(early_name(plan_id, year, store, method), table)
            if i == 0 and charts is not None:  # the report's own charts before any other assessment
                _early_charts(put, table, plan_id, year, store, method, *charts)
    finally:
        (Path(folder) / RUNNING).unlink(missing_ok=True)


def _early_charts(put, table, plan_id: str, year: int, store: str, method: str, kind: str,
                  store_parameter: str) -> None:
    """Render every area's small multiples as the kernel would (same context, same assessment)."""
    from womenstats.report.county.charts import charted_rows, render_area
    from womenstats.report.county.context import open_report

    ctx = open_report(kind, plan=plan_id, year=year, store=store_parameter, method=method)
    ctx._assessments[method] = table
    for area in dict.fromkeys(table["area"]):
        if charted_rows(table, area):
            put(early_name(plan_id, year, store, method, area), render_area(ctx, table, area))


def start_early_assessments(folder: Path, plan_id: str, year: int, store: str, methods: list[str],
                            charts: tuple[str, str] | None = None, stage: str | None = None):
    """Compute a report's assessments (and charts) in a forked process while papermill starts the kernel.

    The kernel spends its first seconds starting and importing; meanwhile the other core computes
    ``assess.assess_plan`` for each method and leaves the tables in ``folder`` (the run's own
    scratch folder, named to the kernel by :data:`EARLY_ENV`). :func:`early_assessment` in the
    kernel takes them: the same tables, computed by the same function on the same store. With
    ``charts`` (the report kind and the notebook's ``store`` parameter), the worker then renders
    the small multiples of every area, as :func:`~womenstats.report.county.charts.render_area` renders
    them in the kernel (:func:`early_charts`). ``stage`` is the evaluation's kind, as
    ``assess.assess_plan`` takes it. Returns the process, or None (one core, no fork,
    ``WOMENSTATS_NO_FORK``).
    """
    if not fork_pool_possible():
        return None
    planned = [early_name(plan_id, year, store, m) for m in methods]
    if charts is not None:
        planned.append(early_name(plan_id, year, store, methods[0], CHARTS))
    (folder / PLANNED).write_text("\n".join(planned))
    (folder / RUNNING).touch()
    work = (str(folder), plan_id, int(year), str(store), list(methods), charts, stage)
    process = multiprocessing.get_context("fork").Process(target=_early_work, args=work, daemon=True)
    process.start()
    return process


