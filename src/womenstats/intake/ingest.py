"""Load returns into the store: validate every file, then load all of them in one transaction or none."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from womenstats.errors import Location
from womenstats.intake.problems import Problem, problem, sort_key
from womenstats.intake.store import LoadSummary, PreparedFile, Store
from womenstats.intake.validate import Validation, validate_file


@dataclass
class IngestResult:
    """What an ingest did.

    Attributes
    ----------
    validations : list of Validation
        One per file, in the order given.
    summaries : list of LoadSummary
        What each file changed (empty when nothing was loaded).
    problems : list of Problem
        Every error and warning, validation and loading, in file order.
    loaded : bool
        True when the files were loaded; False means the store was left exactly as it was.
    """

    validations: list[Validation]
    summaries: list[LoadSummary] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    loaded: bool = False

    @property
    def exit_code(self) -> int:
        """Return 2 when a file could not be read, 1 when there were errors, else 0."""
        if any(v.unreadable for v in self.validations):
            return 2
        return 1 if any(p.is_error for p in self.problems) else 0


def ingest_files(
    files: Sequence[str | os.PathLike[str]],
    *,
    store: Store | str | os.PathLike[str] | None = None,
    revise: bool = False,
    plan: str | None = None,
    labels: Sequence[str] | None = None,
    simulated: bool | None = None,
    encoding: str | None = None,
) -> IngestResult:
    """Validate and load returns: all files or nothing.

    Every file is validated first (against the store's history for the warnings); if any file has an
    error nothing is loaded. Otherwise the files are loaded in order in one transaction; a changed
    value for a stored key is refused (and then nothing is loaded) unless ``revise`` is True.

    Parameters
    ----------
    files : sequence of path-like
        The returns.
    store : Store or path-like, optional
        The store (default ``data/processed/womenstats.sqlite``).
    revise : bool
        Allow corrected values to replace stored ones (the old values go to the revision history).
    plan : str, optional
        Plan id the returns are for (checks region and years).
    labels : sequence of str, optional
        Names to record as provenance instead of the paths as given.
    simulated : bool, optional
        Mark every value as simulated (模拟数据).
    encoding : str, optional
        The encoding of the CSV files, when the user knows it (detected otherwise).

    Returns
    -------
    IngestResult
        Problems and, when loaded, what changed.
    """
    target = store if isinstance(store, Store) else Store(store)
    names = list(labels) if labels is not None else [str(f) for f in files]
    history = target.observations()
    validations: list[Validation] = []
    for path, name in zip(files, names, strict=True):
        validation = validate_file(
            Path(path), label=name, plan=plan, history=history, simulated=simulated, encoding=encoding
        )
        validations.append(validation)
        if validation.ok and not validation.rows.empty:
            history = pd.concat([history, validation.rows], ignore_index=True)
    result = IngestResult(validations)
    for validation in validations:
        result.problems.extend(validation.problems)
    if any(p.is_error for p in result.problems) or any(v.unreadable for v in validations):
        return result
    prepared = [PreparedFile(v.file, v.sha256 or "", v.rows, v.normalisations, warnings=v.kept_warnings())
                for v in validations]
    summaries, refused = target.load(prepared, revise=revise)
    for summary in summaries:
        if summary.already:
            result.problems.append(
                problem(
                    "W_ALREADY_INGESTED",
                    Location(file=summary.name),
                    "内容相同的文件已导入过，本次未作任何改动。",
                )
            )
    result.problems.extend(sorted(refused, key=sort_key))
    result.summaries = summaries
    result.loaded = not refused
    return result
