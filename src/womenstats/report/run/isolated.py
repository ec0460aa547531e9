"""Reports in a separate Python process: the task a Dask worker runs for :func:`runner.run_many`.

A Dask worker is a daemon process started with its own environment (the nanny sets
``PYTHONHASHSEED`` to a value of its own), and a daemon process may not start the forked helpers a
report uses (:mod:`womenstats.report.run.parallel`). So the worker does not run the report itself: it
hands it to a report process, ``python -m womenstats.report.run.job --serve``, started with the
environment of the process that asked for the reports (:func:`report_env`), which runs
:func:`runner.run_report` exactly as the serial path does and answers with one JSON line. The files
are therefore the same, byte for byte, as when the reports run one after another in one process.

The report process serves one job after another (a line of JSON on its standard input each) for as
long as its worker thread lives, like the serial path's one process: the second report of a worker
does not pay again for starting Python and importing pandas, matplotlib and the writers (about 2 s of
a 4 s report). It is replaced after :data:`REPORTS_PER_PROCESS` reports, and when it dies (its
report fails with a message; the next starts a new process).
"""

from __future__ import annotations

import atexit
import json
import os
import subprocess
import sys
import tempfile
import threading
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
#: Reports a report process serves before it is replaced (its memory starts afresh).
REPORTS_PER_PROCESS = 20
#: (environment, worker thread) -> the report process serving it, with its stderr file and count.
_SERVERS: dict[tuple, tuple[subprocess.Popen, object, list[int]]] = {}


def report_env() -> dict[str, str]:
    """Return the environment a report process needs, taken from this (the submitting) process."""
    env = dict(DEFAULT_ENV)
    env.update({name: os.environ[name] for name in PASSED_ENV if name in os.environ})
    return env


def _server(env: dict[str, str]) -> tuple[subprocess.Popen, object, list[int]]:
    """Return the report process of this thread for ``env``, starting one when there is none."""
    key = (tuple(sorted(env.items())), threading.get_ident())
    entry = _SERVERS.get(key)
    if entry is not None and (entry[0].poll() is not None or entry[2][0] >= REPORTS_PER_PROCESS):
        _stop(entry)
        entry = None
    if entry is None:
        # stderr goes to a file: a pipe nobody reads would block a chatty process
        errors = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 (lives with the process)
        process = subprocess.Popen([sys.executable, "-m", "womenstats.report.run.job", "--serve"],
                                   env={**os.environ, **env}, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=errors, text=True, encoding="utf-8")
        entry = _SERVERS[key] = (process, errors, [0])
    return entry


def _stop(entry) -> None:
    """End a report process: close its input (it exits after its current job) and wait for it."""
    process, errors, _ = entry
    if process.poll() is None and process.stdin is not None:
        process.stdin.close()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
    errors.close()
    for key, value in list(_SERVERS.items()):
        if value is entry:
            del _SERVERS[key]


@atexit.register
def _stop_all() -> None:
    for entry in list(_SERVERS.values()):
        _stop(entry)


def run_isolated(job: tuple, env: dict[str, str]) -> tuple[str, list[Path] | None, str]:
    """Run one report of :func:`runner.run_many` in a report process: (plan, files, error message).

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
    entry = _server(env)
    process, errors, served = entry
    served[0] += 1
    try:
        process.stdin.write(payload + "\n")
        process.stdin.flush()
        for line in process.stdout:
            if line.startswith(ANSWER):
                files, error = json.loads(line[len(ANSWER):])
                return plan_id, None if files is None else [Path(f) for f in files], error
    except (BrokenPipeError, OSError):
        pass
    # the process died before answering
    process.wait()
    errors.seek(0)
    tail = " ".join(errors.read().strip().splitlines()[-3:])
    _stop(entry)
    return plan_id, None, (f"运行报告的进程意外退出（退出码 {process.returncode}：{tail}），"
                           "请单独重新运行该规划的报告。")
