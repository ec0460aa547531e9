"""Checks that a gap agrees with its components (an indicator with ``aggregation: derived``).

孕产妇死亡率城乡差距 is rural − urban maternal mortality, 男女收入差距 (men − women)/men × 100
(the registry's ``derived``, ``docs/status_rules.md``). When a return gives a gap and both its
components, they must agree within the rounding of the three values as written: otherwise
``E_GAP_MISMATCH`` at the gap (one of the three numbers is wrong, and the return must say which).
When some of the three come from the store (an earlier return), a disagreement is the warning
``W_GAP_MISMATCH``: the reports compute the gap from its components, so the stored gap is not used.
"""

from __future__ import annotations

import pandas as pd

from womenstats.catalog.models import Derivation
from womenstats.intake import reference
from womenstats.intake.problems import Problem, problem
from womenstats.intake.rules import Checked, decimals_of, fmt

#: The breakdown value a gap row carries for the breakdown it subtracts across.
ACROSS = {"sex": "total", "residence": "all"}

#: Position of a breakdown in an observation key (region, year, indicator, sex, age group, residence).
POSITION = {"sex": 3, "residence": 5}


def gap_checks(items: list[Checked], history: pd.DataFrame | None, file: str) -> list[Problem]:
    """Check every gap the file gives, or whose component it gives, against the other two numbers.

    Parameters
    ----------
    items : list of Checked
        The file's checked values.
    history : pandas.DataFrame, optional
        Stored observations (the store's columns) for components or gaps given earlier.
    file : str
        The file's name.

    Returns
    -------
    list of Problem
        ``E_GAP_MISMATCH`` (all three numbers in the file) or ``W_GAP_MISMATCH``.
    """
    specs = {ind: info.derived for ind, info in reference.indicators().items() if info.derived is not None}
    if not specs:
        return []
    given = {item.key: item for item in items if item.key}
    sources = {spec.source for spec in specs.values()}
    stored = _stored(history, set(specs) | sources)
    out: list[Problem] = []
    for gap_id, spec in sorted(specs.items()):
        for key in sorted(_gap_keys(given, gap_id, spec)):
            out += _check_one(key, spec, given, stored)
    return out


def _stored(history: pd.DataFrame | None, ids: set[str]) -> dict[tuple, float]:
    if history is None or history.empty:
        return {}
    rows = history[history["indicator_id"].isin(ids) & history["value"].notna()]
    return {(r.region_code, int(r.year), r.indicator_id, r.sex, r.age_group, r.residence): float(r.value)
            for r in rows.itertuples(index=False)}


def _gap_keys(given: dict[tuple, Checked], gap_id: str, spec: Derivation) -> set[tuple]:
    """Return the keys of the gap rows the file's values bear on (the gap itself or a component)."""
    at = POSITION[spec.by]
    keys = set()
    for key in given:
        if key[2] == gap_id:
            keys.add(key)
        elif key[2] == spec.source and key[at] in (spec.minuend, spec.subtrahend):
            gap = list(key)
            gap[2], gap[at] = gap_id, ACROSS[spec.by]
            keys.add(tuple(gap))
    return keys


def _check_one(gap_key: tuple, spec: Derivation, given: dict[tuple, Checked],
               stored: dict[tuple, float]) -> list[Problem]:
    at = POSITION[spec.by]
    keys = []
    for side in (spec.minuend, spec.subtrahend):
        key = list(gap_key)
        key[2], key[at] = spec.source, side
        keys.append(tuple(key))
    found = [given.get(k) for k in (gap_key, *keys)]
    values = [item.value if item is not None else stored.get(k) for item, k in zip(found, (gap_key, *keys),
                                                                                   strict=True)]
    if any(v is None for v in values) or all(item is None for item in found):
        return []
    gap, a, b = values
    if spec.form == "relative" and a == 0:
        return []
    steps = [0.5 * 10.0 ** -(item.decimals if item is not None else decimals_of(v))
             for item, v in zip(found, values, strict=True)]
    slope_a, slope_b = (1.0, 1.0) if spec.form != "relative" else (100 * abs(b) / a**2, 100 / abs(a))
    tolerance = (steps[0] + slope_a * steps[1] + slope_b * steps[2]) * 1.0001 + 1e-9
    computed = float(spec.compute(a, b))
    if abs(gap - computed) <= tolerance:
        return []
    info = reference.indicators()[gap_key[2]]
    formula = (f"{spec.minuend} {fmt(a)} − {spec.subtrahend} {fmt(b)}" if spec.form != "relative"
               else f"100 ×（{spec.minuend} {fmt(a)} − {spec.subtrahend} {fmt(b)}）/ {fmt(a)}")
    everything_here = all(item is not None for item in found)
    code = "E_GAP_MISMATCH" if everything_here else "W_GAP_MISMATCH"
    where = found[0] or next(item for item in found if item is not None)
    origin = "本文件" if everything_here else "本文件与库中已有的数"
    shown = f"{computed:.{max(where.decimals, 2)}f}"
    message = (f"{info.name}为 {fmt(gap)}，而由{origin}的分项算出 {formula} = {shown}；"
               "差距应由分项计算，请核对差距和两个分项的数值。")
    return [problem(code, where.location, message, where.key)]


__all__ = ["gap_checks"]
