"""Where the project's data, store and reports live.

The project root is the folder holding ``pyproject.toml`` above this package (an editable install,
the supported layout), or the value of the ``WOMENSTATS_HOME`` environment variable when it is set.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


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
