"""The observation store: one SQLite file with current values, revision history and ingested files.

Each ingested file gets the next sequence number, is known by its SHA-256 and records when it was
loaded (UTC, ISO 8601; ``SOURCE_DATE_EPOCH`` fixes the clock for reproducible builds, as in
https://reproducible-builds.org/specs/source-date-epoch/). The time is provenance only: it is not part
of :meth:`Store.content_sha256`, so building the store twice from the same files gives the same content.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import math
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from womenstats import paths
from womenstats._io import atomic_path
from womenstats._safe import neutralise_formula
from womenstats.errors import Location
from womenstats.intake import selection
from womenstats.intake.columns import KEY_COLUMNS, OBS_COLUMNS
from womenstats.intake.database import LOCK_TIMEOUT, SCHEMA, open_database
from womenstats.intake.problems import Problem, problem

_VALUE_COLUMNS = ("value", "numerator", "denominator", "unit", "source", "simulated")
_PROVENANCE_COLUMNS = ("source_file", "source_sha256", "sheet", "cell")



@dataclass
class PreparedFile:
    """A validated file ready to load.

    Attributes
    ----------
    name : str
        File name as given (kept as provenance).
    sha256 : str
        SHA-256 of the file's bytes.
    rows : pandas.DataFrame
        Observations with :data:`OBS_COLUMNS`.
    normalisations : list of dict
        Records with keys ``sheet, cell, original, result, steps``.
    history : pandas.DataFrame, optional
        Revisions made before the file was sent (a data package carries its sender's), with the
        columns of the ``revisions`` table from ``region_code`` to ``revised_by_sha256``: added to the
        revision history, each once.
    warnings : list of dict
        Validation warnings about single values (:meth:`Validation.kept_warnings`), kept in the
        ``warnings`` table with the file's provenance.
    """

    name: str
    sha256: str
    rows: pd.DataFrame
    normalisations: list[dict[str, object]] = field(default_factory=list)
    history: pd.DataFrame | None = None
    warnings: list[dict[str, object]] = field(default_factory=list)


@dataclass
class LoadSummary:
    """What loading one file changed."""

    name: str
    sha256: str
    ingest_seq: int | None
    n_rows: int
    n_new: int = 0
    n_unchanged: int = 0
    n_revised: int = 0
    already: bool = False


def _same(a: object, b: object) -> bool:
    """Compare stored values: NaN/None equal each other, floats within 1e-9 relative."""
    a_missing = a is None or (isinstance(a, float) and math.isnan(a))
    b_missing = b is None or (isinstance(b, float) and math.isnan(b))
    if a_missing or b_missing:
        return a_missing and b_missing
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    return a == b


def _sql_value(value: object) -> object:
    """Return a value SQLite can store (NaN → NULL, numpy scalars → Python)."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


class Store:
    """The SQLite observation store.

    Parameters
    ----------
    path : path-like, optional
        The database file; ``data/processed/womenstats.sqlite`` by default. Created on first write.
    timeout : float, optional
        Seconds to wait for another program's lock (default :data:`LOCK_TIMEOUT`); then
        :class:`~womenstats.errors.StoreError` ``E_STORE_LOCKED``.

    Raises
    ------
    womenstats.errors.StoreError
        From any method, when the file is not a database (``E_STORE_NOT_DB``), stays locked
        (``E_STORE_LOCKED``) or cannot be opened (``E_STORE_UNUSABLE``).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, timeout: float = LOCK_TIMEOUT):
        self.path = Path(path) if path is not None else paths.default_store()
        self.timeout = timeout

    def session(self):
        """Open a connection with the schema in place, closed on exit; SQLite errors become StoreError.

        See :func:`womenstats.intake.database.open_database`.
        """
        return open_database(self.path, self.timeout)

    def _read(self, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
        if not self.path.exists():
            conn = sqlite3.connect(":memory:")
            conn.executescript(SCHEMA)
            try:
                return pd.read_sql_query(sql, conn, params=list(params))
            finally:
                conn.close()
        with self.session() as conn:
            return pd.read_sql_query(sql, conn, params=list(params))

    def observations(
        self,
        plan=None,
        region_code=None,
        indicator_id=None,
        *,
        year=None,
        sex=None,
        residence=None,
        age_group=None,
    ) -> pd.DataFrame:
        """Return the current observations, sorted by key, selected as pandas selects.

        Every filter takes one value or a list of them (``isin``); filters combine with *and*.

        Parameters
        ----------
        plan : str, womenstats.catalog.Plan or list, optional
            Plan ids: keeps each plan's region (``catalog.plan(plan).region_code``).
        region_code : str or list of str, optional
            Six-digit region codes, as text (``"440783"``).
        indicator_id : str, womenstats.catalog.Indicator or list, optional
            Indicators by id, Chinese name or alias (:func:`womenstats.catalog.indicator`).
        year : int or list of int, optional
            Years.
        sex : str or list of str, optional
            ``female``, ``male``, ``total`` (or 女, 男, 合计).
        residence : str or list of str, optional
            ``all``, ``urban``, ``rural`` (or 合计, 城镇, 农村).
        age_group : str or list of str, optional
            ``all``, ``15-49``, ``65+`` ...

        Returns
        -------
        pandas.DataFrame
            Columns :data:`OBS_COLUMNS`; ``numerator``/``denominator`` NaN when not reported.

        Raises
        ------
        InputError
            ``E_FILTER_TYPE`` or ``E_FILTER_VALUE`` for a filter value of the wrong type or form
            (:mod:`womenstats.intake.selection`); the catalog's error for an unknown plan or
            indicator.

        Warns
        -----
        EmptySelectionWarning
            When nothing is selected: which filter matches nothing in the store, or that the
            filters match only separately.

        Examples
        --------
        >>> obs = Store().observations(plan="kaiping", indicator_id="孕产妇死亡率",
        ...                            year=[2023, 2024], sex="female")  # doctest: +SKIP
        """
        selected = selection.filters(plan=plan, region_code=region_code, indicator_id=indicator_id, year=year,
                                     sex=sex, residence=residence, age_group=age_group)
        clause, params = selection.where(selected)
        order = ", ".join(KEY_COLUMNS)
        frame = self._read(
            f"SELECT {', '.join(OBS_COLUMNS)} FROM observations{clause} ORDER BY {order}", params
        )
        for col in ("value", "numerator", "denominator"):
            frame[col] = frame[col].astype(float)
        frame["year"] = frame["year"].astype(int)
        frame["simulated"] = frame["simulated"].astype(int)
        if frame.empty and selected:
            selection.explain_empty(selected, self._distinct, self.path.name)
        return frame

    def _distinct(self, column: str) -> set:
        """Return the values of one key column in the store."""
        return set(self._read(f"SELECT DISTINCT {column} FROM observations")[column].tolist())

    def revisions(self) -> pd.DataFrame:
        """Return the revision history: every replaced value, the file that replaced it and when.

        Returns
        -------
        pandas.DataFrame
            The ``revisions`` table plus ``revised_at`` (UTC time the replacing file was loaded).
        """
        return self._read(
            "SELECT r.*, f.ingested_at AS revised_at FROM revisions r "
            "JOIN files f ON f.ingest_seq = r.revised_in_seq ORDER BY r.revision_id"
        )

    def files(self) -> pd.DataFrame:
        """Return the ingested files in ingest order."""
        return self._read("SELECT * FROM files ORDER BY ingest_seq")

    def warnings(self, codes: Iterable[str] | None = None) -> pd.DataFrame:
        """Return the warnings validation gave values that were loaded anyway, with their provenance.

        Parameters
        ----------
        codes : iterable of str, optional
            Keep these codes only (e.g. :data:`womenstats.intake.problems.VALUE_WARNINGS`).

        Returns
        -------
        pandas.DataFrame
            The ``warnings`` table (``ingest_seq``, the observation key, ``value`` warned about,
            ``code``, ``message``, ``source_file``, ``sheet``, ``cell``) plus ``current``: whether
            the value is still the stored one (not revised since), in ingest order.
        """
        frame = self._read(
            "SELECT w.*, (o.value IS NOT NULL AND o.source_file = w.source_file AND o.value = w.value) "
            "AS current FROM warnings w LEFT JOIN observations o USING "
            f"({', '.join(KEY_COLUMNS)}) ORDER BY w.ingest_seq, w.rowid"
        )
        if codes is not None:
            frame = frame[frame["code"].isin(list(codes))].reset_index(drop=True)
        frame["current"] = frame["current"].fillna(0).astype(bool)
        return frame

    def normalisations(self) -> pd.DataFrame:
        """Return the recorded cleaning steps (which cell, what it held, what was stored)."""
        return self._read("SELECT * FROM normalisations ORDER BY ingest_seq, rowid")

    def content_sha256(self) -> str:
        """Return the SHA-256 of the current values, rows in key order.

        Each row contributes its key, value, numerator, denominator, unit, source and simulated
        flag, tab-separated, numbers in ``repr`` form; provenance (file, cell) is left out.

        Returns
        -------
        str
            Hex digest; equal stores give equal digests.
        """
        frame = self._read(
            f"SELECT {', '.join(KEY_COLUMNS + _VALUE_COLUMNS)} FROM observations "
            f"ORDER BY {', '.join(KEY_COLUMNS)}"
        )
        digest = hashlib.sha256()
        for row in frame.itertuples(index=False):
            digest.update(("\t".join(_text(v) for v in row) + "\n").encode("utf-8"))
        return digest.hexdigest()

    def load(
        self, files: Sequence[PreparedFile], *, revise: bool = False
    ) -> tuple[list[LoadSummary], list[Problem]]:
        """Load validated files in one transaction: all of them, or nothing.

        A file already ingested (same SHA-256) changes nothing. A value that differs from the stored
        one for the same key is refused unless ``revise`` is True; then the old value goes to the
        revision history.

        Parameters
        ----------
        files : sequence of PreparedFile
            Validated files, loaded in this order.
        revise : bool
            Allow changed values to replace stored ones.

        Returns
        -------
        (list of LoadSummary, list of Problem)
            What each file changed, and the refusals; when there is any refusal nothing is written.
        """
        summaries: list[LoadSummary] = []
        problems: list[Problem] = []
        with self.session() as conn:
            try:
                conn.execute("BEGIN IMMEDIATE")
                for prepared in files:
                    summary, refused = _load_one(conn, prepared, revise)
                    summaries.append(summary)
                    problems.extend(refused)
                if problems:
                    conn.rollback()
                else:
                    conn.commit()
            except BaseException:
                conn.rollback()
                raise
        return summaries, problems


def _load_one(
    conn: sqlite3.Connection, prepared: PreparedFile, revise: bool
) -> tuple[LoadSummary, list[Problem]]:
    """Apply one file inside an open transaction."""
    summary = LoadSummary(prepared.name, prepared.sha256, None, len(prepared.rows))
    if conn.execute("SELECT 1 FROM files WHERE sha256 = ?", (prepared.sha256,)).fetchone():
        summary.already = True
        return summary, []
    seq = conn.execute("SELECT COALESCE(MAX(ingest_seq), 0) + 1 FROM files").fetchone()[0]
    summary.ingest_seq = seq
    refused: list[Problem] = []
    key_sql = " AND ".join(f"{col} = ?" for col in KEY_COLUMNS)
    names = [*OBS_COLUMNS, "ingest_seq"]
    insert = (
        f"INSERT OR REPLACE INTO observations ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    )
    for row in prepared.rows.to_dict("records"):
        key = tuple(_sql_value(row[col]) for col in KEY_COLUMNS)
        old = conn.execute(
            f"SELECT {', '.join(_VALUE_COLUMNS + _PROVENANCE_COLUMNS)}, ingest_seq "
            f"FROM observations WHERE {key_sql}",
            key,
        ).fetchone()
        values = [_sql_value(row[col]) for col in OBS_COLUMNS] + [seq]
        if old is None:
            conn.execute(insert, values)
            summary.n_new += 1
            continue
        if all(_same(old[i], _sql_value(row[col])) for i, col in enumerate(_VALUE_COLUMNS[:4])):
            summary.n_unchanged += 1
            continue
        if not revise:
            refused.append(_refusal(prepared, row, old))
            continue
        conn.execute(
            "INSERT INTO revisions (region_code, year, indicator_id, sex, age_group, residence, old_value, "
            "old_numerator, old_denominator, old_unit, old_source, old_simulated, old_source_file, "
            "old_source_sha256, old_sheet, old_cell, old_ingest_seq, new_value, revised_by_file, "
            "revised_by_sha256, revised_in_seq) VALUES (" + ", ".join("?" * 21) + ")",
            (*key, *old, _sql_value(row["value"]), prepared.name, prepared.sha256, seq),
        )
        conn.execute(insert, values)
        summary.n_revised += 1
    if refused:
        return summary, refused
    conn.execute(
        "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            seq,
            prepared.name,
            prepared.sha256,
            summary.n_rows,
            summary.n_new,
            summary.n_unchanged,
            summary.n_revised,
            int(revise),
            ingest_time(),
        ),
    )
    if prepared.history is not None:
        _carry_history(conn, prepared.history, seq)
    conn.executemany(
        f"INSERT INTO warnings VALUES ({', '.join('?' * 13)})",
        [(seq, *(_sql_value(w[c]) for c in KEY_COLUMNS), _sql_value(w["value"]), w["code"], w["message"],
          prepared.name, w.get("sheet") or "", w.get("cell") or "") for w in prepared.warnings],
    )
    conn.executemany(
        "INSERT INTO normalisations VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (seq, prepared.name, n["sheet"], n["cell"], n["original"], n["result"], n["steps"])
            for n in prepared.normalisations
        ],
    )
    return summary, refused


#: What identifies a revision carried in a file: the same change by the same file is recorded once.
_CARRIED_IDENTITY = (*KEY_COLUMNS, "old_value", "new_value", "old_source_sha256", "revised_by_sha256")


def _carry_history(conn: sqlite3.Connection, history: pd.DataFrame, seq: int) -> None:
    """Add the revisions a file carries (``revised_in_seq`` = the file's ingest), each change once."""
    columns = [c for c in history.columns if c not in {"old_ingest_seq", "revised_in_seq"}]
    match = " AND ".join(f"{c} IS ?" for c in _CARRIED_IDENTITY)
    insert = (f"INSERT INTO revisions ({', '.join(columns)}, revised_in_seq) "
              f"VALUES ({', '.join('?' * (len(columns) + 1))})")
    for row in history.to_dict("records"):
        identity = [_sql_value(row[c]) for c in _CARRIED_IDENTITY]
        if conn.execute(f"SELECT 1 FROM revisions WHERE {match}", identity).fetchone() is None:
            conn.execute(insert, [_sql_value(row[c]) for c in columns] + [seq])


def ingest_time() -> str:
    """Return the time to record for an ingest: now in UTC, or ``SOURCE_DATE_EPOCH`` when it is set.

    Returns
    -------
    str
        ISO 8601 UTC time to the second, e.g. ``2025-03-01T08:00:00Z``.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%SZ")


def _refusal(prepared: PreparedFile, row: dict[str, object], old: tuple) -> Problem:
    loc = Location(
        file=prepared.name,
        sheet=_sql_value(row.get("sheet")) or None,
        cell=_sql_value(row.get("cell")) or None,
        row=None,
    )
    key = "、".join(str(_sql_value(row[col])) for col in KEY_COLUMNS)
    return problem(
        "E_REVISION_REFUSED",
        loc,
        f"库中已有（{key}）的值 {_text(old[0])}（来自 {old[6]}），"
        f"本文件为 {_text(_sql_value(row['value']))}；"
        "如确属更正，请加 --revise 重新导入（旧值会保存在修订记录中），否则请核对后改回。",
    )


def _text(value: object) -> str:
    """Format a stored value for hashing and export: integers without '.0', floats by repr."""
    value = _sql_value(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def export_csv(store: Store, out: str | os.PathLike[str]) -> int:
    """Write the current observations as a tidy UTF-8 CSV, sorted by key.

    Text that a spreadsheet would run as a formula (beginning with ``= + - @``, a tab or a carriage
    return: a source text such as ``=HYPERLINK(…)``) is written with a leading apostrophe, as OWASP
    recommends against CSV injection (:func:`womenstats._safe.neutralise_formula`); numbers are
    written as numbers.

    Parameters
    ----------
    store : Store
        The store to export.
    out : path-like
        Destination, written atomically.

    Returns
    -------
    int
        Number of rows written.
    """
    frame = store.observations()
    with atomic_path(out) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(OBS_COLUMNS)
        for row in frame.itertuples(index=False):
            writer.writerow([neutralise_formula(v) if isinstance(v, str) else _text(v) for v in row])
    return len(frame)
