"""Run every benchmark in this folder (``make bench``), or those named (``run.py report_speed``)."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Single-threaded BLAS for every benchmark (set before numpy loads): the fits are tiny, and
#: OpenBLAS threads cost them several times their work (the batch's workers do the same).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks named in ``argv`` (module names, e.g. ``report_speed``), or all of them."""
    sys.path.insert(0, str(HERE))
    names = sorted(p.stem for p in HERE.glob("*.py") if p.stem != "run" and not p.stem.startswith("_"))
    wanted = list(sys.argv[1:] if argv is None else argv)
    names = [n for n in names if n in wanted] if wanted else names
    status = 0
    for name in names:
        print(f"# benchmark: {name}", flush=True)
        status |= int(importlib.import_module(name).main() or 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
