"""Build the store from ``data/raw``: the national series, then the demonstration returns in order."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from womenstats import paths
from womenstats._io import atomic_path
from womenstats.errors import InputError
from womenstats.intake.ingest import ingest_files
from womenstats.intake.national import national_prepared
from womenstats.intake.store import Store

MANIFEST = "manifest.csv"


def demo_manifest(raw: Path | None = None) -> list[dict[str, str]]:
    """Return the demonstration files in ingest order (``file, plan, revise, note``)."""
    folder = (raw if raw is not None else paths.raw_dir()) / "demo"
    with open(folder / MANIFEST, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def build_store(store: str | os.PathLike[str] | None = None, raw: Path | None = None) -> str:
    """Rebuild the store from ``data/raw`` atomically (a temporary file replaces the store on success).

    The national series loads first, then every demonstration return through the ordinary ingest
    (corrections with ``revise``), so the content is the same on every build.

    Parameters
    ----------
    store : path-like, optional
        The store to write (default ``data/processed/womenstats.sqlite``).
    raw : pathlib.Path, optional
        The raw data folder (default ``data/raw``).

    Returns
    -------
    str
        A one-line summary in Chinese, with the content hash.

    Raises
    ------
    InputError
        When a file in ``data/raw`` fails validation; the old store is left as it was.
    """
    raw = raw if raw is not None else paths.raw_dir()
    target = Path(store) if store is not None else paths.default_store()
    with atomic_path(target) as tmp:
        built = Store(tmp)
        _, refused = built.load([national_prepared(raw)])
        if refused:
            raise InputError(f"全国数据导入失败：{refused[0]}", refused[0].location, refused[0].code)
        entries = demo_manifest(raw)
        for entry in entries:
            result = ingest_files(
                [raw / "demo" / entry["file"]],
                store=built,
                revise=entry["revise"] == "1",
                labels=[f"demo/{entry['file']}"],
                simulated=True,
            )
            if not result.loaded:
                first = next(p for p in result.problems if p.is_error)
                raise InputError(f"模拟数据导入失败：{first}", first.location, first.code)
        n = len(built.observations())
        digest = built.content_sha256()
    files = f"全国 + {len(entries)} 个模拟报送文件"
    return f"已重建数据库 {target.name}：{n} 个数值（{files}），内容哈希 {digest[:16]}"
