"""The schema check of the whole catalog: :func:`check` (``womenstats catalog check``)."""

from __future__ import annotations

from womenstats._docstrings import shared
from womenstats.catalog.files import PathLike, _root
from womenstats.catalog.loader import (
    _as_problem,
    _coverage_problems,
    _indicator_entries,
    _plan_problems,
    _plan_records,
    _target_problems,
)
from womenstats.catalog.schema import Problem, check_indicators
from womenstats.catalog.structure import _structure_ids, _structure_problems
from womenstats.errors import CatalogError


@shared
def check(data_dir: PathLike | None = None) -> list[Problem]:
    """Run the schema check over every catalog file.

    Checks: missing fields; bad codes (area, section, kind, operator, unit, sex, residence, age group,
    level, status, better, subject, breakdowns); unknown indicator ids; values outside the indicator's
    bounds; units that differ from the indicator's; duplicate target or indicator ids; ``links_to``
    pointing nowhere; target ids that do not match plan, area and item; plans whose file name, years
    or codes disagree, or with a field the schema does not know; a plan's ``coverage`` (what the
    catalog lacks of its targets) that is malformed or disagrees with the areas its targets file has
    rows in; a plan without a targets file and a targets file without a plan; the region structure
    (``structure.yaml``) and every indicator's ``plausible`` range and ``sex_core``.

    Parameters
    ----------
    %(data_dir)s

    Returns
    -------
    list of Problem
        Every problem found, in file order; empty when the catalog is valid. ``str(problem)`` is a
        Chinese message naming the file, the line and the entry.
    """
    root = _root(data_dir)
    problems: list[Problem] = []
    try:
        problems += _plan_problems(root)
        problems += _structure_problems(root)
        problems += check_indicators(_indicator_entries(root), _structure_ids(root))
        plan_ids = [stem for _, stem, _ in _plan_records(root)]
        for plan_id in plan_ids:
            try:
                problems += _target_problems(root, plan_id)
                problems += _coverage_problems(root, plan_id)
            except CatalogError as exc:
                problems.append(_as_problem(exc, plan_id))
        for path in sorted((root / "targets").glob("*.csv")):
            if path.stem not in plan_ids:
                problems.append(
                    Problem(
                        f"targets/{path.name}",
                        None,
                        path.stem,
                        "E_NO_PLAN",
                        f"没有对应的规划文件 plans/{path.stem}.yaml，请补上或删去该目标文件。",
                    )
                )
    except CatalogError as exc:
        problems.append(_as_problem(exc, ""))
    return problems
