"""Where the project's data, store and reports live.

The project root is the folder holding ``pyproject.toml`` above this package (an editable install,
the supported layout), or the value of the ``WOMENSTATS_HOME`` environment variable when it is set.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent

#: Between a data package's name and a name recorded inside it (``440783.zip!/demo/开平_2024.xlsx``).
PACKAGE_MARK = "!/"


def project_root() -> Path:
    """Return the project root folder.

    Returns
    -------
    pathlib.Path
        ``$WOMENSTATS_HOME`` if set, else the checkout that contains this package, else the
        current working directory.
    """
    env = os.environ.get("WOMENSTATS_HOME")
    if env:
        return Path(env).resolve()
    candidate = _PACKAGE_DIR.parents[1]
    if (candidate / "pyproject.toml").is_file():
        return candidate
    return Path.cwd()


def raw_dir() -> Path:
    """Return ``data/raw``: input files, never modified by the program."""
    return project_root() / "data" / "raw"


def raw_file(name: str) -> Path | None:
    """Return the file in ``data/raw`` a recorded source name stands for, or None when it is not one.

    Only a plain relative name inside ``data/raw`` qualifies: not absolute, no drive, no backslash,
    no ``.`` or ``..`` part, not a name recorded inside a data package (``440783.zip!/…``), and
    nothing that resolves (through links) outside ``data/raw``. Reports hash and show such files;
    any other name is never opened.

    Parameters
    ----------
    name : str
        A ``source_file`` as stored.

    Returns
    -------
    pathlib.Path or None
    """
    text = str(name)
    parts = text.split("/")
    odd = "\\" in text or PACKAGE_MARK in text or ":" in text
    if not text or odd or any(p in {"", ".", ".."} for p in parts):
        return None
    root = raw_dir().resolve()
    path = root.joinpath(*parts)
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return None
    return path


def processed_dir() -> Path:
    """Return ``data/processed``: derived files, rebuilt from ``data/raw``."""
    return project_root() / "data" / "processed"


def default_store() -> Path:
    """Return the default observation store, ``data/processed/womenstats.sqlite``."""
    return processed_dir() / "womenstats.sqlite"


def reports_dir() -> Path:
    """Return ``reports/``, where report runs write their files."""
    return project_root() / "reports"


def notebooks_dir() -> Path:
    """Return ``notebooks/``, the report notebooks."""
    return project_root() / "notebooks"


def package_data(*parts: str) -> Path:
    """Return a path inside the package's own data folder ``src/womenstats/...``."""
    return _PACKAGE_DIR.joinpath(*parts)


def display_path(path: str | os.PathLike[str]) -> str:
    """Return a path as written in reports: relative to the project root when inside it.

    Parameters
    ----------
    path : path-like
        Any path.

    Returns
    -------
    str
        POSIX form, relative to the project root when the path lies under it, else as given.
    """
    given = Path(path)
    root = project_root()
    absolute = given if given.is_absolute() else (root / given)
    try:
        return absolute.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return given.as_posix()


def resolve_path(path: str | os.PathLike[str]) -> Path:
    """Return the file a report parameter names (relative paths are from the project root)."""
    given = Path(path)
    return given if given.is_absolute() else project_root() / given
