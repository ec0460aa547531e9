"""Time, peak memory and outcome of ingesting hostile data packages (issue 26), each in a fresh process.

Each case starts as a genuine ``womenstats export`` of 开平 (440783) from the built store, changed here
the way the adversarial round did: an entry that inflates to 1 GiB while its headers declare 1 000
bytes (1 MiB of zip), the same bomb declaring its true size, a descriptor listing 870 000 resources, a
100 MB ``source`` field, two entries of one name, a schema at a URL, a descriptor nested 100 000
deep. Each is ingested with ``--revise`` by :func:`womenstats.intake.package.ingest_packages` into an
empty store in a fresh Python process, which reports its wall time, its peak resident memory
(``VmHWM``: the interpreter with pandas is about 100 MB of it), its outcome and the rows the store
then holds. What must hold: no traceback, no row of a hostile package stored, and a bomb costs no
more than the genuine package (peak memory at most 1.5 times its own).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from _goal import goal_line

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

_PROBE = """
import resource, sys, time
from womenstats.intake import Store
from womenstats.intake.package import PackageError, ingest_packages
store = Store(sys.argv[2])
start = time.perf_counter()
try:
    ingest_packages([sys.argv[1]], store, region="440700", revise=True)
    outcome = "loaded"
except PackageError as exc:
    outcome = exc.code
seconds = time.perf_counter() - start
rows = len(store.observations())
try:  # this process's own high-water mark (ru_maxrss keeps the parent's across fork and exec on Linux)
    with open("/proc/self/status") as fh:
        peak = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) // 1024
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"{seconds:.2f}", peak, outcome, rows)
"""

_GIB = 1024 * 1024 * 1024
#: The cases whose cost must not exceed the genuine package's (the others cost what their bytes do).
_BOMBS = ("1 GiB declaring 1 000 bytes", "1 GiB declaring 1 GiB", "870 000 resources")


def _bomb(genuine: Path, out: Path, declared: int | None) -> Path:
    """Append 1 GiB of repeated rows to the observations entry, streamed; optionally lie about its size."""
    from package_tools import OBSERVATIONS, entries, patch_central

    files = entries(genuine)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in files.items():
            if name != OBSERVATIONS:
                zf.writestr(name, data)
                continue
            with zf.open(name, "w", force_zip64=True) as fh:
                fh.write(data)
                block = b"440783," * (8 * 1024 * 1024 // 7)
                for _ in range(_GIB // len(block)):
                    fh.write(block)
    if declared is not None:
        patch_central(out, OBSERVATIONS, size=declared)
    return out


def _cases(folder: Path, genuine: Path) -> dict[str, Path]:
    from package_tools import OBSERVATIONS, entries, tamper, with_descriptor, write_zip

    text = entries(genuine)["datapackage.json"]
    many = json.loads(text)
    many["resources"] = [{"name": "x", "path": "data/x.csv"}] * 870_000

    def long_source(rows):
        rows[0]["source"] = "x" * 100_000_000

    def schema_url(meta):
        meta["resources"][0]["schema"] = "http://127.0.0.1:9/schema.json"

    files = list(entries(genuine).items())
    return {
        "genuine package": genuine,
        "1 GiB declaring 1 000 bytes": _bomb(genuine, folder / "lying.zip", 1000),
        "1 GiB declaring 1 GiB": _bomb(genuine, folder / "honest.zip", None),
        "870 000 resources": with_descriptor(genuine, folder / "many.zip", json.dumps(many).encode()),
        "100 MB source field": tamper(genuine, folder / "field.zip", rows=long_source),
        "two entries of one name": write_zip(folder / "twice.zip", [*files, (OBSERVATIONS, b"x")]),
        "schema at a URL": tamper(genuine, folder / "url.zip", descriptor=schema_url),
        "descriptor 100 000 deep": with_descriptor(genuine, folder / "deep.zip",
                                                   b"[" * 100_000 + b"]" * 100_000),
    }


def main() -> int:
    """Print, per case: zip size, seconds, peak MB, outcome and rows stored; then the goal lines."""
    from womenstats.intake import Store
    from womenstats.intake.package import export_package

    status = 0
    with tempfile.TemporaryDirectory(prefix="womenstats-bench-") as scratch:
        folder = Path(scratch)
        genuine = export_package(Store(), "440783", 2024, folder / "440783.zip")
        print(f"{'case':30} {'zip KiB':>9} {'seconds':>8} {'peak MB':>8}  outcome (rows stored)")
        peaks: dict[str, int] = {}
        clean = True
        for label, path in _cases(folder, genuine).items():
            store = folder / f"{path.stem}.sqlite"
            run = subprocess.run([sys.executable, "-c", _PROBE, str(path), str(store)], capture_output=True,
                                 text=True, check=False)
            if run.returncode != 0 or "Traceback" in run.stderr:
                print(f"{label:30} FAILED\n{run.stderr}")
                clean = False
                continue
            seconds, peak, outcome, rows = run.stdout.split()
            peaks[label] = int(peak)
            bad_rows = label.startswith("genuine") is False and int(rows) > 0
            clean = clean and not bad_rows and (outcome == "loaded") == label.startswith("genuine")
            print(f"{label:30} {path.stat().st_size / 1024:9.1f} {seconds:>8} {peak:>8}  {outcome} ({rows})")
            shutil.rmtree(store, ignore_errors=True)
        worst = max((v for k, v in peaks.items() if k in _BOMBS), default=0)
        base = peaks.get("genuine package", 0)
        print(goal_line("package_hostile_no_traceback_no_bad_row", float(clean), 1, clean, digits=0))
        met = bool(base) and worst <= base * 1.5
        print(goal_line("package_hostile_peak_mb_over_genuine", worst / base if base else 0.0, 1.5, met))
        status = 0 if clean and met else 1
    return status


if __name__ == "__main__":
    sys.exit(main())
