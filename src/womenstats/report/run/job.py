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


def _answer(job: list) -> None:
    _, files, error = _run_one(tuple(job))
    answer = [None if files is None else [str(f) for f in files], error]
    print(ANSWER + json.dumps(answer, ensure_ascii=False), flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run the report named by the JSON job in ``argv[0]``, or with ``--serve`` one job a line of input.

    Each outcome (files, error) is printed as one JSON line after :data:`ANSWER`; ``--serve`` ends
    when its input closes.
    """
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--serve"]:
        for line in sys.stdin:
            if line.strip():
                _answer(json.loads(line))
        return 0
    _answer(json.loads(args[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
