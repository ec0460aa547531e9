"""The catalog: plans, the shared indicator registry and every plan's targets, as reviewed data.

``load("kaiping")`` returns a plan's targets as a DataFrame; ``plan``, ``indicator`` and ``target``
return single records (an indicator by its id, Chinese name or alias, with the closest names
suggested for an unknown one); ``indicator_info`` and ``target_info`` read an indicator or a target
from an id, a catalog object or a mapping; ``check()`` runs the schema check over every file. See
:mod:`womenstats.catalog.loader` for the conventions of the target rows (sex, ``≈`` tolerance,
``maintain``, ``links_to``) and ``docs/architecture.md`` for the file formats.
"""

from __future__ import annotations

from womenstats.catalog.check import check
from womenstats.catalog.codes import (
    AREAS,
    KINDS,
    OPERATORS,
    RELATIVE_OPERATORS,
    SECTIONS,
    UNITS,
    Unit,
    convert,
    default_tolerance,
)
from womenstats.catalog.departments import department_name
from womenstats.catalog.facts import indicator_info, target_info
from womenstats.catalog.files import DATA_DIR
from womenstats.catalog.loader import (
    LOADED_COLUMNS,
    clear_cache,
    indicator,
    indicators,
    load,
    plan,
    plans,
    target,
)
from womenstats.catalog.models import (
    Coverage,
    Derivation,
    Gap,
    Indicator,
    Plan,
    Plausible,
    Region,
    Source,
    StructureElement,
)
from womenstats.catalog.schema import TARGET_COLUMNS, Problem
from womenstats.catalog.structure import enumerated, structure

__all__ = [
    "AREAS",
    "DATA_DIR",
    "KINDS",
    "LOADED_COLUMNS",
    "OPERATORS",
    "RELATIVE_OPERATORS",
    "SECTIONS",
    "TARGET_COLUMNS",
    "UNITS",
    "Coverage",
    "Derivation",
    "Gap",
    "Indicator",
    "Plan",
    "Plausible",
    "Problem",
    "Region",
    "Source",
    "StructureElement",
    "Unit",
    "check",
    "clear_cache",
    "convert",
    "default_tolerance",
    "department_name",
    "enumerated",
    "indicator",
    "indicator_info",
    "indicators",
    "load",
    "plan",
    "plans",
    "structure",
    "target",
    "target_info",
]
