"""Errors a user can act on: each names where the problem is and what to do, in Chinese."""

from __future__ import annotations

from dataclasses import dataclass


def format_location(
    file: str | None = None,
    sheet: str | None = None,
    cell: str | None = None,
    row: int | None = None,
) -> str:
    """Format a location as ``FILE[:SHEET][:CELL-or-ROW]``.

    Parameters
    ----------
    file : str, optional
        File name as the user knows it (never an absolute path in outputs meant to be reproducible).
    sheet : str, optional
        Worksheet name.
    cell : str, optional
        Cell reference such as ``"D7"``; takes precedence over ``row``.
    row : int, optional
        1-based row number in the file (the header is row 1).

    Returns
    -------
    str
        The joined location, e.g. ``"kaiping_2024.xlsx:卫健:D7"`` or ``"data.csv:第5行"``.
    """
    parts = [file or "<输入>"]
    if sheet:
        parts.append(sheet)
    if cell:
        parts.append(cell)
    elif row is not None:
        parts.append(f"第{row}行")
    return ":".join(parts)


@dataclass(frozen=True)
class Location:
    """Where a problem is: file, sheet, cell or row."""

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None

    def __str__(self) -> str:
        return format_location(self.file, self.sheet, self.cell, self.row)


class WomenstatsError(Exception):
    """Base class of the package's errors; its message is Chinese and says what to do."""


class InputError(WomenstatsError):
    """Bad input that the user must fix: the message names the place and the remedy.

    Parameters
    ----------
    message : str
        What is wrong and what to do, in Chinese.
    location : Location, optional
        Where the problem is.
    code : str, optional
        Stable machine-readable code (e.g. ``"E_UNKNOWN_INDICATOR"``).
    """

    def __init__(self, message: str, location: Location | None = None, code: str | None = None):
        self.message = message
        self.location = location
        self.code = code
        prefix = f"{location}: " if location is not None else ""
        tag = f"{code}: " if code else ""
        super().__init__(f"{prefix}{tag}{message}")


class CatalogError(InputError):
    """A catalog data file (plan, target or indicator) is malformed."""


class StoreError(WomenstatsError):
    """The observation store cannot be used: not a database, or locked by another program.

    Parameters
    ----------
    message : str
        What is wrong and what to do, in Chinese.
    path : str
        The store as the user named it.
    code : str
        ``E_STORE_NOT_DB``, ``E_STORE_LOCKED`` or ``E_STORE_UNUSABLE`` (docs/intake.md).
    """

    def __init__(self, message: str, path: str, code: str):
        self.message = message
        self.path = path
        self.code = code
        super().__init__(f"{path}: {code}: {message}")
