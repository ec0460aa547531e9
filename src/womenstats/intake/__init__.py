"""Intake: reporting templates, readers, normalisation, validation and the SQLite observation store.

Returns reach the statistics bureau as Excel or CSV; here they are read, cleaned (each change
recorded), checked against the catalog (each problem with a code and a location) and loaded into the
store all-or-nothing, with provenance and a revision history.

Main entry points: :func:`validate_file`, :func:`ingest_files`, :class:`Store`,
:func:`write_template`, :func:`build_store`.
"""

from __future__ import annotations

from womenstats.intake.build import build_store
from womenstats.intake.columns import KEY_COLUMNS, OBS_COLUMNS
from womenstats.intake.ingest import IngestResult, ingest_files
from womenstats.intake.numbers import parse_number
from womenstats.intake.problems import CODES, ERROR, WARNING, Problem
from womenstats.intake.readers import read_return
from womenstats.intake.selection import EmptySelectionWarning
from womenstats.intake.store import Store, export_csv
from womenstats.intake.template import write_template
from womenstats.intake.validate import Validation, validate_file

__all__ = [
    "CODES",
    "ERROR",
    "KEY_COLUMNS",
    "OBS_COLUMNS",
    "WARNING",
    "EmptySelectionWarning",
    "IngestResult",
    "Problem",
    "Store",
    "Validation",
    "build_store",
    "export_csv",
    "ingest_files",
    "parse_number",
    "read_return",
    "validate_file",
    "write_template",
]
