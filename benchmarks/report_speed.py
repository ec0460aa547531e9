"""The kaiping 2025 mid-term report against its floor: how long a report takes beyond what any report costs.

The floor is what no report can avoid: a Python process that starts papermill, which starts the
``womenstats`` kernel and runs a notebook importing pandas, statsmodels, matplotlib and seaborn
(and stops the kernel at once, as the runner does).
The report is ``womenstats report --plan kaiping --kind midterm --year 2025`` (all four outputs)
in a fresh process, on the store built from ``data/raw``. Floor and report runs alternate, so both
see the same machine load; each figure is the median of :data:`RUNS` runs. Then one run is taken
apart: each notebook cell's time (papermill's record), grouped into set-up, assessment, charts and
tables, and each writer's time. The goal is a report within :data:`GOAL_RATIO` times the floor.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from _goal import goal_line
from womenstats import paths
from womenstats.report.run.runner import KERNEL, notebook_path, report_parameters, write_notebook

#: Runs of the floor and of the report (the median of each is compared).
RUNS = 3
#: The goal: report time / floor time at most this.
GOAL_RATIO = 2.0
PLAN, KIND, YEAR = "kaiping", "midterm", 2025
FLOOR_IMPORTS = "import pandas\nimport statsmodels.api\nimport matplotlib.pyplot\nimport seaborn"


def _floor_notebook(folder: Path) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_IMPORTS)])
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3 (womenstats)",
                                 "language": "python"}
    path = folder / "floor.ipynb"
    nbformat.write(nb, path)
    return path


def _timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   cwd=paths.project_root())
    return time.perf_counter() - start


def _commands(folder: Path) -> tuple[list[str], list[str]]:
    floor = _floor_notebook(folder)
    floor_cmd = [sys.executable, "-c",
                 "import papermill as pm, sys; pm.execute_notebook(sys.argv[1], sys.argv[2], "
                 f"kernel_name={KERNEL!r}, progress_bar=False, shutdown_kernel='immediate')", str(floor),
                 str(folder / "floor-out.ipynb")]
    report_cmd = [sys.executable, "-c",
                  "import sys; from womenstats.cli import main; sys.exit(main(sys.argv[1:]))", "report",
                  "--plan", PLAN, "--kind", KIND, "--year", str(YEAR), "--out", str(folder / "out")]
    return floor_cmd, report_cmd


def _stage(source: str) -> str:
    if "open_report" in source:
        return "set-up (imports, store, catalog)"
    if "ctx.assessment()" in source:
        return "assessment and summary"
    if "area_charts.get" in source:
        return "area tables and charts"
    return "other tables"


def stages(folder: Path) -> dict[str, float]:
    """Run the report once in this process and return the seconds of each stage.

    Cell times come from papermill's per-cell record (before the runner strips it); the kernel's
    start and papermill's own work are the rest of the execution time; each writer is timed.
    """
    import papermill as pm

    from womenstats.report.run.normalise import normalise_notebook
    from womenstats.report.write.docx import write_docx
    from womenstats.report.write.html import write_html
    from womenstats.report.write.xlsx import write_xlsx

    parameters = report_parameters(PLAN, YEAR)
    raw = folder / "stages.ipynb"
    start = time.perf_counter()
    pm.execute_notebook(str(notebook_path(KIND)), str(raw), parameters=parameters, kernel_name=KERNEL,
                        progress_bar=False, request_save_on_cell_execute=False, cwd=str(paths.project_root()),
                        shutdown_kernel="immediate")
    executed = time.perf_counter() - start
    nb = nbformat.read(raw, as_version=4)
    out: dict[str, float] = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            name = _stage(cell.source)
            out[name] = out.get(name, 0.0) + float(cell.metadata.get("papermill", {}).get("duration") or 0.0)
    out["kernel start and papermill"] = executed - sum(out.values())
    nb = normalise_notebook(nb)
    title = "benchmark"
    for name, writer, suffix in (("export .ipynb", lambda n, p, t: write_notebook(n, p), "ipynb"),
                                 ("export .html", write_html, "html"), ("export .docx", write_docx, "docx"),
                                 ("export .xlsx", write_xlsx, "xlsx")):
        start = time.perf_counter()
        writer(nb, folder / f"stage.{suffix}", title)
        out[name] = time.perf_counter() - start
    return out


def main() -> int:
    if not paths.default_store().is_file():
        print("report_speed: no store; run `make data` first")
        return 1
    with tempfile.TemporaryDirectory(prefix="womenstats-bench-") as scratch:
        folder = Path(scratch)
        floor_cmd, report_cmd = _commands(folder)
        _timed(floor_cmd)  # warm the file cache once, uncounted
        floors, reports = [], []
        for _ in range(RUNS):
            floors.append(_timed(floor_cmd))
            reports.append(_timed(report_cmd))
        parts = stages(folder)
        html = folder / "out" / PLAN / str(YEAR) / f"{KIND}.html"
        size = html.stat().st_size
    floor, report = statistics.median(floors), statistics.median(reports)
    ratio = report / floor
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nreport vs floor ({PLAN} {YEAR} {KIND}, all four outputs; {os.cpu_count()} CPUs visible, "
          f"load average {load:.1f}; medians of {RUNS})")
    print(f"floor  (papermill + kernel + pandas/statsmodels/matplotlib/seaborn): {floor:.2f} s "
          f"(runs {', '.join(f'{t:.2f}' for t in floors)})")
    print(f"report (womenstats report, fresh process):                        {report:.2f} s "
          f"(runs {', '.join(f'{t:.2f}' for t in reports)})")
    print(f"ratio report / floor: {ratio:.2f}; HTML {size / 1e6:.2f} MB")
    print("stages of one report run, everything computed in the kernel (seconds):")
    for name, seconds in parts.items():
        print(f"  {name:<34} {seconds:6.2f}")
    print(goal_line("report_vs_floor", ratio, GOAL_RATIO, ratio <= GOAL_RATIO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
