"""Build hostile data packages from genuine ones: export with womenstats, edit, recompute the internal hashes.

Every hostile package of the tests starts as a real ``womenstats export`` and is changed here the way a
careless or hostile sender could (rows, descriptor, zip entries), with each resource's ``hash`` and
``bytes`` recomputed so that only the rule under test can catch it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import struct
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

from womenstats.intake.package import export_package

OBSERVATIONS = "data/observations.csv"
REVISIONS = "data/revisions.csv"


def genuine(store, code: str, out: Path, year: int = 2024) -> Path:
    """Export a region's real package from ``store``."""
    return export_package(store, code, year, out)


def entries(package: Path) -> dict[str, bytes]:
    """Return the zip's entries, in order."""
    with zipfile.ZipFile(package) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def write_zip(out: Path, items: list[tuple[str, bytes]]) -> Path:
    """Write entries as given (a name may repeat)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns about a duplicate name
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in items:
                zf.writestr(name, data)
    return out


def read_rows(data: bytes) -> tuple[list[str], list[dict[str, str]]]:
    """Return a resource's header and rows as text."""
    reader = csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))
    return list(reader.fieldnames or []), list(reader)


def write_rows(header: list[str], rows: list[dict[str, str]]) -> bytes:
    """Write rows back as the exporter does (UTF-8, ``\\n``)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def rehash(descriptor: dict, files: dict[str, bytes]) -> None:
    """Recompute each declared resource's ``hash`` and ``bytes`` from the files present."""
    for resource in descriptor.get("resources", []):
        path = resource.get("path") if isinstance(resource, dict) else None
        if isinstance(path, str) and path in files:
            resource["hash"] = "sha256:" + hashlib.sha256(files[path]).hexdigest()
            resource["bytes"] = len(files[path])


def tamper(package: Path, out: Path, *, rows: Callable | None = None, revisions: Callable | None = None,
           descriptor: Callable | None = None, header: Callable | None = None) -> Path:
    """Copy a genuine package with its rows or descriptor edited and its hashes recomputed.

    ``rows(list_of_dicts)`` and ``revisions(list_of_dicts)`` edit the rows in place;
    ``header(header, rows)`` returns a new header and rows; ``descriptor(dict)`` edits the
    descriptor in place (after the hashes are recomputed, so it can also break them on purpose).
    """
    files = entries(package)
    meta = json.loads(files["datapackage.json"])
    for path, edit in ((OBSERVATIONS, rows), (REVISIONS, revisions)):
        if edit is None and not (header and path == OBSERVATIONS):
            continue
        head, table = read_rows(files[path])
        if edit is not None:
            edit(table)
        if header is not None and path == OBSERVATIONS:
            head, table = header(head, table)
        files[path] = write_rows(head, table)
    rehash(meta, files)
    if descriptor is not None:
        descriptor(meta)
    files["datapackage.json"] = json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8")
    return write_zip(out, list(files.items()))


def with_descriptor(package: Path, out: Path, raw: bytes) -> Path:
    """Copy a genuine package with ``datapackage.json`` replaced by ``raw``."""
    files = entries(package)
    files["datapackage.json"] = raw
    return write_zip(out, list(files.items()))


def patch_central(path: Path, name: str, *, flags: int | None = None, size: int | None = None) -> Path:
    """Change an entry's flag bits or declared uncompressed size in the zip's directory and its header."""
    data = bytearray(path.read_bytes())
    encoded = name.encode("utf-8")
    start = 0
    while (at := data.find(b"PK\x01\x02", start)) >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46: at + 46 + length]) == encoded:
            local = struct.unpack_from("<L", data, at + 42)[0]
            if flags is not None:
                struct.pack_into("<H", data, at + 8, flags)
                struct.pack_into("<H", data, local + 6, flags)
            if size is not None:
                struct.pack_into("<L", data, at + 24, size)
                struct.pack_into("<L", data, local + 22, size)
        start = at + 4
    path.write_bytes(bytes(data))
    return path


def first(rows: list[dict[str, str]], **where) -> dict[str, str]:
    """Return the first row matching ``column=value`` (a callable value is a test)."""
    for row in rows:
        if all(test(row[k]) if callable(test) else row[k] == test for k, test in where.items()):
            return row
    raise LookupError(where)
