"""Time and peak memory of reading hostile and oversized .xlsx returns (issue 18).

Each case is a small file built here; each is read by ``validate_file`` in a fresh Python process, which
reports its wall time and its peak resident memory (``ru_maxrss``: the interpreter with pandas loaded is
about 100 MB of it). What must hold: a zip bomb and a stray far-away cell cost no more than a good file;
the largest accepted sheet and a sheet with too many cells cost memory in proportion to their cells.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

_PROBE = """
import resource, sys, time
from womenstats.intake import validate_file
start = time.perf_counter()
result = validate_file(sys.argv[1], label="x.xlsx")
seconds = time.perf_counter() - start
codes = sorted({p.code for p in result.problems if p.is_error})
print(f"{seconds:.2f}", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, ",".join(codes) or "ok")
"""


def _workbook(path: Path, rows: Iterable[bytes]) -> Path:
    """Write a one-sheet workbook whose sheet XML is ``rows`` streamed into the archive."""
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
        '<sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_PKG}"><Relationship Id="rId1" Type="w" '
        'Target="worksheets/sheet1.xml"/></Relationships>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
            for row in rows:
                fh.write(row)
            fh.write(b"</sheetData></worksheet>")
    return path


def _header() -> bytes:
    names = ["region_code", "year", "indicator_id", "value"]
    cells = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{n}</t></is></c>'
                    for i, n in enumerate(names))
    return f'<row r="1">{cells}</row>'.encode()


def _data(r: int) -> bytes:
    return (f'<row r="{r}"><c r="A{r}"><v>440783</v></c><c r="B{r}"><v>2023</v></c><c r="C{r}" t="inlineStr">'
            f'<is><t>health.maternal_mortality</t></is></c><c r="D{r}"><v>25</v></c></row>').encode()


def _twelve(r: int) -> bytes:
    cells = "".join(f'<c r="{c}{r}"><v>1</v></c>' for c in "ABCDEFGHIJKL")
    return f'<row r="{r}">{cells}</row>'.encode()


def _cases(folder: Path) -> dict[str, Path]:
    block = b'<row r="2"><c r="A2"><v>1</v></c></row>' * 25_000
    return {
        "good file (1 value)": _workbook(folder / "good.xlsx", [_header(), _data(2)]),
        "zip bomb (300 MiB of XML)": _workbook(folder / "bomb.xlsx", [_header(), *[block] * 320]),
        "stray cell at XFD1048576": _workbook(
            folder / "far.xlsx", [_header(), _data(2), b'<row r="1048576"><c r="XFD1048576" t="inlineStr">'
                                  b"<is><t>x</t></is></c></row>"]),
        "50 000 rows, cells in A and BL": _workbook(
            folder / "wide.xlsx",
            (f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="BL{r}"><v>2</v></c></row>'.encode()
             for r in range(1, 50_001))),
        "600 000 cells (over the limit)": _workbook(
            folder / "many.xlsx",
            (_twelve(r) for r in range(1, 50_001))),
    }


def main() -> int:
    """Print, per case: file size, uncompressed size, seconds, peak MB and the error codes."""
    with tempfile.TemporaryDirectory(prefix="womenstats-bench-") as scratch:
        print(f"{'case':34} {'file KiB':>9} {'XML MiB':>8} {'seconds':>8} {'peak MB':>8}  result")
        for label, path in _cases(Path(scratch)).items():
            with zipfile.ZipFile(path) as archive:
                inflated = sum(i.file_size for i in archive.infolist()) / 1024 / 1024
            out = subprocess.run([sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True,
                                 check=True).stdout.split()
            size = path.stat().st_size / 1024
            print(f"{label:34} {size:9.1f} {inflated:8.1f} {out[0]:>8} {out[1]:>8}  {out[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
