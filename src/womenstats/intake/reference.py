"""What returns are checked against: the catalog's indicator registry and plans, in a compact form."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from womenstats import catalog
from womenstats.catalog import regions as region_registry
from womenstats.catalog.codes import UNITS
from womenstats.catalog.models import Derivation, Plausible

#: The nation's region code (GB/T 2260 style).
NATION_CODE = "000000"

#: How many years before a plan's baseline year a return may report (history for trends).
HISTORY_YEARS = 10

#: Units whose values add up across sexes and residences (counts).
COUNT_UNITS: frozenset[str] = frozenset({"人", "个", "次", "万人", "户", "件", "名", "所"})


@dataclass(frozen=True)
class IndicatorInfo:
    """The registry facts validation needs about one indicator."""

    id: str
    name: str
    unit: str
    lower: float | None
    upper: float | None
    per: float | None
    numerator: str | None
    denominator: str | None
    breakdowns: tuple[str, ...]
    subject: str
    department: str
    definition: str
    better: str
    plausible: Plausible | None = None
    derived: Derivation | None = None
    sex_core: bool = False
    enumerated: bool = False

    @property
    def scale(self) -> float:
        """Return the unit's multiplier to its base quantity (万人: 10 000 persons; else 1)."""
        unit = UNITS.get(self.unit)
        return unit.scale if unit is not None and unit.kind in ("count", "number", "times") else 1.0

    @property
    def is_rate(self) -> bool:
        """Return True for a rate computed from counts (it has a base ``per``)."""
        return self.per is not None

    @property
    def from_counts(self) -> bool:
        """Return True when the registry names the rate's numerator and denominator."""
        return self.per is not None and bool(self.numerator) and bool(self.denominator)

    @property
    def additive(self) -> bool:
        """Return True when female + male = total holds for the values themselves (counts)."""
        return self.per is None and self.unit in COUNT_UNITS


@dataclass(frozen=True)
class RegionInfo:
    """A region that returns may report for, with the years its plans accept."""

    code: str
    name: str
    first_year: int
    last_year: int
    plans: tuple[str, ...]


def _opt_float(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _opt_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _breakdowns(value: object) -> tuple[str, ...]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ()
    parts = value.replace(";", ",").replace("，", ",").split(",") if isinstance(value, str) else list(value)
    return tuple(sorted(str(p).strip() for p in parts if str(p).strip()))


@functools.lru_cache(maxsize=1)
def indicators() -> dict[str, IndicatorInfo]:
    """Return the indicator registry keyed by id (read once from ``catalog.indicators()``)."""
    frame = catalog.indicators()
    out: dict[str, IndicatorInfo] = {}
    for ind_id, row in frame.iterrows():
        get = row.get
        out[str(ind_id)] = IndicatorInfo(
            id=str(ind_id),
            name=_opt_text(get("name")),
            unit=_opt_text(get("unit")),
            lower=_opt_float(get("lower")),
            upper=_opt_float(get("upper")),
            per=_opt_float(get("per")),
            numerator=_opt_text(get("numerator")) or None,
            denominator=_opt_text(get("denominator")) or None,
            breakdowns=_breakdowns(get("breakdowns")),
            subject=_opt_text(get("subject")) or "total",
            department=_opt_text(get("department")) or "其他",
            definition=_opt_text(get("definition")),
            better=_opt_text(get("better")),
            plausible=get("plausible") if isinstance(get("plausible"), Plausible) else None,
            derived=get("derived") if isinstance(get("derived"), Derivation) else None,
            sex_core=bool(get("sex_core")),
            enumerated=catalog.enumerated(str(ind_id)),
        )
    return out


def plan_ids() -> list[str]:
    """Return the ids of every plan in the catalog, sorted."""
    listed = catalog.plans()
    if hasattr(listed, "index") and hasattr(listed, "columns"):
        ids = listed["id"].tolist() if "id" in listed.columns else list(listed.index)
    else:
        ids = [item if isinstance(item, str) else item.id for item in listed]
    return sorted(str(i) for i in ids)


def plan_span(plan_id: str) -> tuple[int, int]:
    """Return the first and last year a plan's returns may report.

    From :data:`HISTORY_YEARS` before the baseline year (history for the trend) to the end of the
    period or the final evaluation year, whichever is later.
    """
    plan = catalog.plan(plan_id)
    baseline = int(getattr(plan, "baseline_year", None) or int(plan.period_start) - 1)
    last = max(int(plan.period_end), int(getattr(plan, "final_year", None) or plan.period_end))
    return baseline - HISTORY_YEARS, last


@functools.lru_cache(maxsize=1)
def regions() -> dict[str, RegionInfo]:
    """Return every region code the catalog knows: plan regions, their parents, and the nation.

    A parent region (a city or province above a plan's county) accepts the years of its plans. A
    region of the region registry (:mod:`womenstats.catalog.regions`) without a plan, such as
    the other counties of a plan's city, accepts the years of its nearest ancestor listed here.
    """
    spans: dict[str, list[tuple[int, int, str, str]]] = {}
    for plan_id in plan_ids():
        plan = catalog.plan(plan_id)
        first, last = plan_span(plan_id)
        code = str(plan.region_code)
        spans.setdefault(code, []).append((first, last, plan_id, str(getattr(plan, "region_name", code))))
        for parent in getattr(plan, "parents", None) or []:
            p_code = str(parent["code"] if isinstance(parent, dict) else parent.code)
            p_name = str(parent["name"] if isinstance(parent, dict) else parent.name)
            spans.setdefault(p_code, []).append((first, last, "", p_name))
    out: dict[str, RegionInfo] = {}
    for code, items in spans.items():
        out[code] = RegionInfo(
            code=code,
            name=items[0][3],
            first_year=min(i[0] for i in items),
            last_year=max(i[1] for i in items),
            plans=tuple(sorted({i[2] for i in items if i[2]})),
        )
    for code in sorted(region_registry.codes()):
        ancestor = next((out[p] for p in region_registry.parents(code) if p in out), None)
        if code not in out and ancestor is not None:
            out[code] = RegionInfo(code=code, name=region_registry.name(code), first_year=ancestor.first_year,
                                   last_year=ancestor.last_year, plans=())
    return out


def clear_cache() -> None:
    """Forget the cached registry and regions (after the catalog changed on disk)."""
    indicators.cache_clear()
    regions.cache_clear()
