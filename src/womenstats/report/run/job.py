"""The process that runs one report for :func:`womenstats.report.run.isolated.run_isolated`.

``python -m womenstats.report.run.job JOB`` runs :func:`womenstats.report.run.runner.run_report`
exactly as the serial path does and prints its outcome as one JSON line after
:data:`~womenstats.report.run.isolated.ANSWER`. Kept apart from :mod:`isolated` so that the runner
(which submits isolated jobs) and this entry point (which runs the runner) import each other in one
direction only.
"""

from __future__ import annotations

import json
import sys

from womenstats.report.run.isolated import ANSWER
from womenstats.report.run.runner import _run_one


def main(argv: list[str] | None = None) -> int:
    """Run the report named by the JSON job in ``argv[0]`` and print its outcome (files, error)."""
    job = json.loads((sys.argv[1:] if argv is None else argv)[0])
    _, files, error = _run_one(tuple(job))
    answer = [None if files is None else [str(f) for f in files], error]
    print(ANSWER + json.dumps(answer, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
