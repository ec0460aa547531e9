"""Re-execute a committed notebook with its default parameters and write it back with its outputs.

``python -m womenstats.report.run.refresh notebooks/02_midterm_evaluation.ipynb`` runs the notebook with
papermill (no parameters injected, so it keeps its own ``parameters`` cell), normalises it as
reports are normalised, and replaces the file atomically. ``pytest --nbval`` then re-executes it
and compares.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from womenstats._io import atomic_path
from womenstats.report.run.runner import execute_notebook, write_notebook


def refresh_notebook(path: str | os.PathLike[str]) -> Path:
    """Execute a notebook with its default parameters and write it back, outputs included.

    Parameters
    ----------
    path : path-like
        A notebook in ``notebooks/``.

    Returns
    -------
    pathlib.Path
        The notebook written.
    """
    target = Path(path)
    nb = execute_notebook(target, {})
    with atomic_path(target) as tmp:
        write_notebook(nb, tmp)
        tmp.chmod(0o644)
    return target


def main(argv: list[str] | None = None) -> int:
    """Refresh every notebook named on the command line; return 0."""
    for name in argv if argv is not None else sys.argv[1:]:
        print(f"已重新执行：{refresh_notebook(name)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
