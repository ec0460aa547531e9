"""What a reader gives: raw records (values as typed, with their cells) and the result for one file.

The readers of long tables (:mod:`.readers`) and of reporting templates (:mod:`.template`) both
produce these; neither needs the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from womenstats.errors import Location
from womenstats.intake.problems import Problem


@dataclass
class RawRecord:
    """One candidate value as typed, with where each part came from.

    Attributes
    ----------
    fields : dict
        Observation column → raw cell content (None when absent).
    cells : dict
        Observation column → cell reference (``"F7"``) for spreadsheets; empty for CSV.
    sheet : str or None
        Worksheet name (None for CSV).
    row : int or None
        1-based row in the file or sheet.
    """

    fields: dict[str, object]
    cells: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None
    row: int | None = None

    def location(self, file: str, column: str | None = None) -> Location:
        """Return the location of the record, or of one of its fields when a cell is known."""
        cell = self.cells.get(column) if column else None
        if cell is None and column is None and self.cells:
            cell = self.cells.get("value") or next(iter(self.cells.values()))
        if cell is not None:
            return Location(file=file, sheet=self.sheet, cell=cell)
        return Location(file=file, sheet=self.sheet, row=self.row)


@dataclass
class ReadResult:
    """What a reader found in one file.

    Attributes
    ----------
    file : str
        The file name as given by the user (used in every message).
    kind : str
        ``"template"``, ``"long"`` or ``"unreadable"``.
    records : list of RawRecord
        Candidate values.
    problems : list of Problem
        Problems found while reading.
    meta : dict
        For a template: ``plan``, ``region_code``, ``year`` (raw) and their cells.
    encoding : str or None
        The encoding a CSV was decoded with.
    """

    file: str
    kind: str
    records: list[RawRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    meta: dict[str, object] = field(default_factory=dict)
    encoding: str | None = None

    @property
    def unreadable(self) -> bool:
        """Return True when the file could not be read at all."""
        return self.kind == "unreadable"


def filled(value: object) -> bool:
    """Whether a cell holds anything but blanks (None and whitespace are empty)."""
    return value is not None and str(value).strip() != ""
