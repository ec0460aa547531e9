"""One report in a fresh Python process: the task a Dask worker runs for :func:`runner.run_many`.

A Dask worker is a daemon process started with its own environment (the nanny sets
``PYTHONHASHSEED`` to a value of its own), and a daemon process may not start the forked helpers a
report uses (:mod:`womenstats.report.run.parallel`). So the worker does not run the report itself: it
starts ``python -m womenstats.report.run.job JOB`` with the environment of the process that asked
for the reports (:func:`report_env`), which runs :func:`runner.run_report` exactly as the serial
path does and prints its outcome as one JSON line. The files are therefore the same, byte for byte,
as when the reports run one after another in one process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

#: Variables handed from the submitting process to the report process (when set there).
PASSED_ENV: tuple[str, ...] = (
    "PYTHONHASHSEED", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "MPLCONFIGDIR",
    "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "WOMENSTATS_HOME", "WOMENSTATS_NO_FORK",
)
#: Values used when the submitting process has none (those ``make`` exports).
DEFAULT_ENV: dict[str, str] = {"PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1"}
#: Marker of the report process's answer on its standard output.
ANSWER = "WOMENSTATS-REPORT-RESULT "


def report_env() -> dict[str, str]:
    """Return the environment a report process needs, taken from this (the submitting) process."""
    env = dict(DEFAULT_ENV)
    env.update({name: os.environ[name] for name in PASSED_ENV if name in os.environ})
    return env


def run_isolated(job: tuple, env: dict[str, str]) -> tuple[str, list[Path] | None, str]:
    """Run one report of :func:`runner.run_many` in a new process: (plan, files, error message).

    Parameters
    ----------
    job : tuple
        ``(plan, kind, year, store, out, method, kernel_name)`` with absolute paths (or None).
    env : dict
        Variables set in the report process (see :func:`report_env`).
    """
    plan_id = job[0]
    payload = json.dumps([None if part is None else (str(part) if isinstance(part, Path) else part)
                          for part in job], ensure_ascii=False)
    done = subprocess.run([sys.executable, "-m", "womenstats.report.run.job", payload],
                          env={**os.environ, **env}, capture_output=True, text=True, check=False,
                          stdin=subprocess.DEVNULL)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(ANSWER):
            files, error = json.loads(line[len(ANSWER):])
            return plan_id, None if files is None else [Path(f) for f in files], error
    tail = " ".join(done.stderr.strip().splitlines()[-3:])
    return plan_id, None, (f"运行报告的进程意外退出（退出码 {done.returncode}：{tail}），"
                           "请单独重新运行该规划的报告。")
