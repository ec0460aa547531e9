"""The store's SQLite file: its schema, and opening it so that every failure is the package's own error.

SQLite reports a file that is not a database, a lock held by another program past the busy timeout,
or a file that cannot be opened, as ``sqlite3`` exceptions (wrapped by pandas when it reads). Here they
become :class:`~womenstats.errors.StoreError` with a code and the remedy, in Chinese: ``E_STORE_NOT_DB``,
``E_STORE_LOCKED``, ``E_STORE_UNUSABLE``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from womenstats.errors import StoreError
from womenstats.intake.columns import KEY_COLUMNS

#: The key columns as each table that names an observation declares them (``year`` the one integer).
_KEY_DDL = ",\n    ".join(f"{c} {'INTEGER' if c == 'year' else 'TEXT'} NOT NULL" for c in KEY_COLUMNS)

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS observations (
    {_KEY_DDL},
    value REAL,
    numerator REAL,
    denominator REAL,
    unit TEXT NOT NULL,
    source_file TEXT NOT NULL,
    source_sha256 TEXT NOT NULL,
    sheet TEXT,
    cell TEXT,
    source TEXT,
    simulated INTEGER NOT NULL DEFAULT 0,
    ingest_seq INTEGER NOT NULL,
    PRIMARY KEY (region_code, year, indicator_id, sex, age_group, residence)
);
CREATE TABLE IF NOT EXISTS revisions (
    revision_id INTEGER PRIMARY KEY,
    {_KEY_DDL},
    old_value REAL,
    old_numerator REAL,
    old_denominator REAL,
    old_unit TEXT,
    old_source TEXT,
    old_simulated INTEGER,
    old_source_file TEXT,
    old_source_sha256 TEXT,
    old_sheet TEXT,
    old_cell TEXT,
    old_ingest_seq INTEGER,
    new_value REAL,
    revised_by_file TEXT NOT NULL,
    revised_by_sha256 TEXT NOT NULL,
    revised_in_seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    ingest_seq INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    n_rows INTEGER NOT NULL,
    n_new INTEGER NOT NULL,
    n_unchanged INTEGER NOT NULL,
    n_revised INTEGER NOT NULL,
    revise INTEGER NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS warnings (
    ingest_seq INTEGER NOT NULL,
    {_KEY_DDL},
    value REAL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    source_file TEXT NOT NULL,
    sheet TEXT,
    cell TEXT
);
CREATE TABLE IF NOT EXISTS normalisations (
    ingest_seq INTEGER NOT NULL,
    source_file TEXT NOT NULL,
    sheet TEXT,
    cell TEXT,
    original TEXT NOT NULL,
    result TEXT NOT NULL,
    steps TEXT NOT NULL
);
"""


#: Seconds to wait for another program's write lock on the store before giving up (SQLite's busy
#: timeout). An ingest holds the lock for well under a second; a minute covers a slow disk or a
#: large build without leaving a scheduled run hanging.
LOCK_TIMEOUT = 60.0


def store_error(exc: BaseException, path: Path, timeout: float) -> StoreError | None:
    """Translate an SQLite failure into the package's :class:`~womenstats.errors.StoreError`.

    Parameters
    ----------
    exc : BaseException
        The exception raised (pandas wraps SQLite errors; their cause is looked at too).
    path : pathlib.Path
        The store, named in the message.
    timeout : float
        The seconds waited for a lock, named in the message.

    Returns
    -------
    StoreError or None
        The error to raise, or None when ``exc`` is not an SQLite error.
    """
    cause = exc if isinstance(exc, sqlite3.Error | OSError) else exc.__cause__
    if not isinstance(cause, sqlite3.Error | OSError):
        return None
    text = str(cause).lower()
    name = path.as_posix()
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return StoreError(
            "该文件不是 womenstats 的数据库（SQLite），或已损坏；请用 --store 指定正确的数据库文件，"
            "或用 womenstats data build 重建。",
            name,
            "E_STORE_NOT_DB",
        )
    if "locked" in text or "busy" in text:
        return StoreError(
            f"数据库正被另一个程序写入（已等待 {timeout:g} 秒仍未释放）；请等该程序结束"
            "（或关闭打开该数据库的软件）后重试。本次没有写入任何内容。",
            name,
            "E_STORE_LOCKED",
        )
    return StoreError(
        f"无法使用数据库（{cause}）；请检查文件是否存在、是否有读写权限、磁盘是否已满。本次没有写入任何内容。",
        name,
        "E_STORE_UNUSABLE",
    )


@contextmanager
def open_database(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[sqlite3.Connection]:
    """Open the store with the schema in place, closed on exit; SQLite errors become StoreError.

    Parameters
    ----------
    path : pathlib.Path
        The database file (created, with its folder, when missing).
    timeout : float
        Seconds to wait for another program's lock.

    Yields
    ------
    sqlite3.Connection

    Raises
    ------
    womenstats.errors.StoreError
        For any SQLite or file-system failure, inside the block too (see :func:`store_error`).
    """
    conn: sqlite3.Connection | None = None
    try:
        if path.is_dir():
            raise sqlite3.OperationalError("is a directory")
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=timeout)
        conn.executescript(SCHEMA)
        yield conn
    except Exception as exc:
        error = store_error(exc, path, timeout)
        if error is None:
            raise
        raise error from exc
    finally:
        if conn is not None:
            conn.close()
