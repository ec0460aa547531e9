"""The region registry: GB/T 2260 codes, names, levels and parents (``data/regions.csv``).

The registry is data, reviewed like the catalog. It holds every region a plan of the catalog names
(its own region and every parent up to the province, and the nation ``000000``) and every child
of the demonstration city 江门市 (440700). :func:`level`, :func:`parents` and :func:`children`
answer the questions the reporting chain asks (which counties report to a city; which city and
province a county reports to); an unknown code is an error in Chinese.

Each row may give the region's resident population (``population``: the 2020 census, 第七次全国人口普查;
counties rounded to the thousand where only that was at hand): intake scales what a region can
plausibly report by it (:func:`population`; blank when unknown, and then only absolute ranges are
checked).

A province or city that keeps the complete list of its regions can use it instead: the
environment variable ``WOMENSTATS_REGIONS`` names a CSV file with the same columns
(:func:`registry_file`; ``population`` may be left out). Reports record the file and its SHA-256
in their provenance, so an audit run with another registry shows the difference.
"""

from __future__ import annotations

import csv
import os
from functools import cache
from pathlib import Path

from womenstats.catalog.codes import LEVELS
from womenstats.errors import CatalogError, Location

#: The registry file inside the package data.
REGIONS_FILE = Path(__file__).parent / "data" / "regions.csv"

#: Environment variable naming another registry file (a province's complete list of its regions).
REGIONS_ENV = "WOMENSTATS_REGIONS"

_COLUMNS = ("code", "name", "level", "parent", "population", "note")


def registry_file() -> Path:
    """Return the registry in use: the file ``WOMENSTATS_REGIONS`` names, else the package's own."""
    named = os.environ.get(REGIONS_ENV, "").strip()
    return Path(named) if named else REGIONS_FILE


def _table() -> dict[str, dict[str, str]]:
    return _table_at(registry_file())


@cache
def _table_at(path: Path) -> dict[str, dict[str, str]]:
    if not path.is_file():
        raise CatalogError(f"找不到地区表 {path.name}：请检查环境变量 {REGIONS_ENV} 指向的文件。",
                           Location(file=path.name), "E_BAD_REGION")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out: dict[str, dict[str, str]] = {}
    for line, row in enumerate(rows, start=2):
        where = Location(file=path.name, row=line)
        code = row["code"]
        if len(code) != 6 or not code.isdigit():
            raise CatalogError(f"地区代码“{code}”应为6位 GB/T 2260 代码。", where, "E_BAD_REGION")
        if code in out:
            raise CatalogError(f"地区代码 {code} 重复登记。", where, "E_DUPLICATE_ID")
        if row["level"] not in LEVELS:
            raise CatalogError(f"地区 {code} 的 level“{row['level']}”应为 {'、'.join(LEVELS)} 之一。", where,
                               "E_BAD_CODE")
        people = (row.get("population") or "").strip()
        if people and not (people.isdigit() and int(people) > 0):
            raise CatalogError(f"地区 {code} 的常住人口“{people}”应为正整数（人），不知道时留空。", where,
                               "E_BAD_REGION")
        out[code] = row
    for code, row in out.items():
        if row["parent"] and row["parent"] not in out:
            raise CatalogError(f"地区 {code} 的上级 {row['parent']} 未登记。", Location(file=path.name),
                               "E_BAD_REGION")
    return out


def _row(code: str) -> dict[str, str]:
    table = _table()
    key = str(code)
    if key not in table:
        raise CatalogError(
            f"地区代码“{key}”不在地区表（{registry_file().name}）中："
            "请核对 GB/T 2260 代码，或先登记该地区。",
            Location(file=registry_file().name),
            "E_UNKNOWN_REGION",
        )
    return table[key]


def codes() -> list[str]:
    """Return every registered region code, in code order."""
    return sorted(_table())


def name(code: str) -> str:
    """Return the Chinese name of a region (``440783`` → ``开平市``).

    Raises
    ------
    CatalogError
        ``E_UNKNOWN_REGION`` for a code not in the registry.
    """
    return _row(code)["name"]


def level(code: str) -> str:
    """Return the level of a region: ``county``, ``city``, ``province`` or ``national``.

    Raises
    ------
    CatalogError
        ``E_UNKNOWN_REGION`` for a code not in the registry.
    """
    return _row(code)["level"]


def population(code: str) -> int | None:
    """Return a region's resident population (persons), or None when the registry does not give it.

    Raises
    ------
    CatalogError
        ``E_UNKNOWN_REGION`` for a code not in the registry.

    Examples
    --------
    >>> population("440700")
    4798090
    """
    people = (_row(code).get("population") or "").strip()
    return int(people) if people else None


def parents(code: str) -> list[str]:
    """Return the codes above a region, nearest first, up to the nation (``000000``).

    Examples
    --------
    >>> parents("440783")
    ['440700', '440000', '000000']
    """
    out = []
    here = _row(code)["parent"]
    while here:
        out.append(here)
        here = _row(here)["parent"]
    return out


def children(code: str, *, depth: int | None = 1) -> list[str]:
    """Return the codes below a region, in code order.

    Parameters
    ----------
    code : str
        The region.
    depth : int or None, default 1
        1 for direct children, None for every region below at any depth.

    Returns
    -------
    list of str

    Examples
    --------
    >>> children("440700")
    ['440703', '440704', '440705', '440781', '440783', '440784', '440785']
    """
    _row(code)
    table = _table()
    below = sorted(c for c, row in table.items() if row["parent"] == str(code))
    if depth == 1:
        return below
    deeper = [d for c in below for d in children(c, depth=None if depth is None else depth - 1)]
    return sorted(below + deeper)
