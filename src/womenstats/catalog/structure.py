"""The region structure (``data/structure.yaml``): what a region's denominators count and can hold.

Read and checked like the registry (:mod:`womenstats.catalog.plausible` holds the checks);
:func:`structure` returns each element as a :class:`~womenstats.catalog.models.StructureElement`.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from womenstats._docstrings import shared
from womenstats.catalog.files import PathLike, _raise, _read_yaml, _root
from womenstats.catalog.models import StructureElement
from womenstats.catalog.plausible import check_structure, structure_element, structure_path
from womenstats.catalog.schema import Problem
from womenstats.errors import CatalogError, Location


@functools.cache
def _structure_entries(root: Path) -> tuple[tuple[int | None, Any], ...]:
    """Return ``(line, record)`` for every entry of ``structure.yaml``."""
    path = structure_path(root)
    rel = path.relative_to(root).as_posix()
    if not path.is_file():
        raise CatalogError(f"缺少结构文件 {rel}（分母所属的人口和组织及其合理范围），请补上。",
                           Location(file=rel), "E_NO_FILE")
    records, node = _read_yaml(path, root)
    if not isinstance(records, list):
        raise CatalogError("结构文件应为列表（每项以“- id:”开头）。", Location(file=rel, row=1), "E_NOT_LIST")
    lines = [item.start_mark.line + 1 for item in node.value]
    return tuple(zip(lines, records, strict=True))


def _structure_problems(root: Path) -> list[Problem]:
    return check_structure(list(_structure_entries(root)), structure_path(root).relative_to(root).as_posix())


def _structure_ids(root: Path) -> set[str]:
    return {str(rec.get("id")) for _, rec in _structure_entries(root) if isinstance(rec, dict)}


@functools.cache
def _structure(root: Path) -> dict[str, StructureElement]:
    _raise(_structure_problems(root))
    return {str(rec["id"]): structure_element(rec) for _, rec in _structure_entries(root)}


@shared
def structure(data_dir: PathLike | None = None) -> dict[str, StructureElement]:
    """Return the region structure (``structure.yaml``): element id -> :class:`StructureElement`.

    Parameters
    ----------
    %(data_dir)s

    Raises
    ------
    CatalogError
        If the file is missing or fails the schema check.
    """
    return dict(_structure(_root(data_dir)))


def enumerated(indicator) -> bool:
    """Whether an indicator's value is a share of a finite body or set of units counted in full.

    True when the registry's ``plausible.denominator`` names a structure element marked
    ``enumerated`` (deputies, committee members, villages, schools …): three women among eighteen
    政协常委 is 16.7% exactly, not an estimate of a rate from few events, so the assessment judges
    it on its own year (no small-number pooling, no 小数字 warning).

    Parameters
    ----------
    indicator : str, womenstats.catalog.Indicator or mapping
        The indicator: an id (or name, alias), a catalog object or a registry row.

    Returns
    -------
    bool
        False for an indicator without a denominator element, or one that is not enumerated.

    Examples
    --------
    >>> enumerated("decision.cppcc_standing_female_share"), enumerated("health.maternal_mortality")
    (True, False)
    """
    from womenstats.catalog.facts import indicator_info

    return bool(indicator_info(indicator)["enumerated"])
