"""Validation of a return, stage by stage: read → type each record once → record rules → across → history.

`validate_file` reads a file (:mod:`~womenstats.intake.readers`, :mod:`~womenstats.intake.xlsx`,
:mod:`~womenstats.intake.template`), turns each located raw record once into typed cells
(:mod:`~womenstats.intake.normalise`, numbers by :mod:`~womenstats.intake.numbers`), checks each typed
record (:mod:`~womenstats.intake.rules`), then the records against each other
(:mod:`~womenstats.intake.consistency`, gaps against their components by
:mod:`~womenstats.intake.gaps`), against what a region of its size can have
(:mod:`~womenstats.intake.plausibility`) and against the series' history in the store
(:mod:`~womenstats.intake.history`). Errors stop the file from loading; warnings are reported only
(and kept with the value when it loads).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from womenstats._io import sha256_file
from womenstats.intake.columns import KEY_COLUMNS, OBS_COLUMNS
from womenstats.intake.consistency import cross_checks
from womenstats.intake.gaps import gap_checks
from womenstats.intake.history import series_checks
from womenstats.intake.normalise import type_records
from womenstats.intake.plausibility import plausibility_checks
from womenstats.intake.problems import Findings, Problem, sort_key
from womenstats.intake.readers import read_return
from womenstats.intake.records import ReadResult
from womenstats.intake.rules import Checked, check_record, female_only

__all__ = ["Validation", "check", "female_only", "validate_file"]


@dataclass
class Validation:
    """The outcome of validating one file.

    Attributes
    ----------
    file : str
        File name as given.
    kind : str
        ``"template"``, ``"long"`` or ``"unreadable"``.
    problems : list of Problem
        Errors and warnings, sorted by location.
    rows : pandas.DataFrame
        The observations the file would load (:data:`OBS_COLUMNS`).
    normalisations : list of dict
        Cleaning steps: ``sheet, cell, original, result, steps``.
    sha256 : str or None
        SHA-256 of the file's bytes.
    """

    file: str
    kind: str
    problems: list[Problem]
    rows: pd.DataFrame
    normalisations: list[dict[str, object]] = field(default_factory=list)
    sha256: str | None = None

    @property
    def unreadable(self) -> bool:
        """Return True when the file could not be read at all."""
        return self.kind == "unreadable"

    @property
    def errors(self) -> list[Problem]:
        """Return the problems that stop loading."""
        return [p for p in self.problems if p.is_error]

    @property
    def ok(self) -> bool:
        """Return True when the file has no errors."""
        return not self.errors

    def kept_warnings(self) -> list[dict[str, object]]:
        """Return the warnings about one value, as the store keeps them with the value.

        Returns
        -------
        list of dict
            Keys :data:`KEY_COLUMNS`, ``value`` (the value warned about), ``code``, ``message``,
            ``sheet``, ``cell`` (the cell, or ``第n行``).
        """
        values = {tuple(r[c] for c in KEY_COLUMNS): r["value"] for r in self.rows.to_dict("records")}
        out = []
        for item in self.problems:
            if item.is_error or item.key is None or tuple(item.key) not in values:
                continue
            loc = item.location
            record = dict(zip(KEY_COLUMNS, item.key, strict=True))
            record.update(value=values[tuple(item.key)], code=item.code, message=item.message,
                          sheet=loc.sheet or "", cell=loc.cell or (f"第{loc.row}行" if loc.row else ""))
            out.append(record)
        return out


def validate_file(
    path: str | Path,
    *,
    label: str | None = None,
    plan: str | None = None,
    history: pd.DataFrame | None = None,
    simulated: bool | None = None,
    encoding: str | None = None,
) -> Validation:
    """Read and validate one return.

    Parameters
    ----------
    path : path-like
        The file (.xlsx template or long table, or .csv long table).
    label : str, optional
        Name used in messages and provenance; defaults to the path as given.
    plan : str, optional
        Plan id the return is for: its region and years are then required.
    history : pandas.DataFrame, optional
        Stored observations (:data:`OBS_COLUMNS`) for the jump and missing-year checks.
    simulated : bool, optional
        Mark every value as simulated (模拟数据) regardless of the file.
    encoding : str, optional
        The encoding of a CSV file, when the user knows it (detected otherwise).

    Returns
    -------
    Validation
        Problems, and the rows that would load.
    """
    read = read_return(path, label, encoding=encoding)
    sha = None if read.unreadable else sha256_file(path)
    return check(read, plan=plan, history=history, sha256=sha, simulated=simulated)


def check(
    read: ReadResult,
    *,
    plan: str | None = None,
    history: pd.DataFrame | None = None,
    sha256: str | None = None,
    simulated: bool | None = None,
) -> Validation:
    """Validate what a reader found (see :func:`validate_file`).

    Each stage reads only what the stage before produced: raw records → typed records → checked
    values → problems across values (sums, gaps), against the region's size and against history.
    """
    found = Findings(read.file)
    typed = type_records(read, found, plan=plan, simulated=simulated)
    checked = [item for item in (check_record(t, found) for t in typed) if item is not None]
    problems = list(read.problems) + found.problems
    problems += cross_checks(checked, read.file)
    problems += gap_checks(checked, history, read.file)
    problems += plausibility_checks(checked, read.file)
    if not any(p.is_error for p in problems):
        problems += series_checks(checked, history, read.file)
    rows = _rows(checked, read.file, sha256 or "")
    problems.sort(key=sort_key)
    return Validation(read.file, read.kind, problems, rows, found.normalisations, sha256)


def _rows(items: list[Checked], file: str, sha256: str) -> pd.DataFrame:
    """Observation rows (:data:`OBS_COLUMNS`) of the checked records, duplicates dropped."""
    records = []
    for item in items:
        if not item.key:
            continue
        region, year, ind, sex, age, residence = item.key
        records.append(
            {
                "region_code": region,
                "year": year,
                "indicator_id": ind,
                "sex": sex,
                "age_group": age,
                "residence": residence,
                "value": item.value,
                "numerator": np.nan if item.numerator is None else item.numerator,
                "denominator": np.nan if item.denominator is None else item.denominator,
                "unit": item.info.unit,
                "source_file": file,
                "source_sha256": sha256,
                "sheet": item.record.sheet or "",
                "cell": item.location.cell or f"第{item.record.row}行",
                "source": item.source,
                "simulated": item.simulated,
            }
        )
    frame = pd.DataFrame(records, columns=list(OBS_COLUMNS))
    return frame.sort_values(list(KEY_COLUMNS), kind="mergesort").reset_index(drop=True)
