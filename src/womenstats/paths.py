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
