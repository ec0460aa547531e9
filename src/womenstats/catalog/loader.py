"""Read the catalog's data files: plans, the indicator registry and each plan's targets.

Files live under a data folder (the package's ``catalog/data`` unless ``data_dir`` is given)::

    plans/<plan_id>.yaml         one plan
    indicators/<area>.yaml       a list of indicators; ids unique across all files
    structure.yaml               what a region's denominators count, and what a region can hold
    targets/<plan_id>.csv        one row per measurable statement (UTF-8)

Every reader is cached with :func:`functools.lru_cache` on the resolved folder (call
:func:`clear_cache` after editing a file in the same process); DataFrames are returned as copies,
so a caller cannot change the cache.

Conventions of the target rows (see ``docs/architecture.md`` for the columns):

- ``sex`` is the sex of the statistic the target is about: ``female`` for a women's rate or share
  (including 孕产妇死亡率), ``total`` for gaps, ratios between the sexes and whole-population measures.
- ``≈`` (左右) targets: when ``tolerance`` is blank it is one unit in the last printed digit of
  ``value`` (``80`` -> 1, ``1.5`` -> 0.1), see :func:`womenstats.catalog.codes.default_tolerance`.
  The target is met when ``|x - value| <= tolerance``.
- ``maintain`` with a value (保持在X以上) is quantitative: keep at or beyond the value in the
  indicator's better direction; without a value it is directional.
- A 重点工程 or 策略措施 sentence that restates a 主要目标 is a row of its own section with
  ``links_to`` set to the 主要目标 target: an assessment gives it that target's result (one
  judgement, two rows) unless it differs in series, operator, value or year (then judged alone).
- Rows come back sorted by area (in :data:`AREAS` order), section, item, statement number.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from womenstats._docstrings import shared
from womenstats.catalog.codes import AREAS, SECTIONS, default_tolerance
from womenstats.catalog.files import PathLike, _raise, _read_yaml, _root
from womenstats.catalog.lookup import resolve_indicator_id
from womenstats.catalog.models import Coverage, Derivation, Gap, Indicator, Plan, Region, Source
from womenstats.catalog.plan_schema import check_coverage, check_plan
from womenstats.catalog.plausible import plausible_of
from womenstats.catalog.schema import INDICATOR_FIELDS, TARGET_COLUMNS, Problem, check_indicators
from womenstats.catalog.structure import _structure, _structure_entries, _structure_ids
from womenstats.catalog.target_schema import check_targets
from womenstats.errors import CatalogError, Location


@functools.cache
def _plan_records(root: Path) -> tuple[tuple[str, str, Any], ...]:
    """Return ``(file, stem, record)`` for every plan file, sorted by file name."""
    out = []
    for path in sorted((root / "plans").glob("*.yaml")):
        record, _ = _read_yaml(path, root)
        out.append((path.relative_to(root).as_posix(), path.stem, record))
    return tuple(out)


@functools.cache
def _indicator_entries(root: Path) -> tuple[tuple[str, int | None, Any], ...]:
    """Return ``(file, line, record)`` for every indicator entry, files in area order then by name."""
    order = {area: i for i, area in enumerate(AREAS)}
    paths = sorted(
        (root / "indicators").glob("*.yaml"), key=lambda p: (order.get(p.stem, len(order)), p.name)
    )
    out: list[tuple[str, int | None, Any]] = []
    for path in paths:
        rel = path.relative_to(root).as_posix()
        records, node = _read_yaml(path, root)
        if records is None:
            continue
        if not isinstance(records, list):
            raise CatalogError(
                "指标文件应为列表（每项以“- id:”开头）。", Location(file=rel, row=1), "E_NOT_LIST"
            )
        lines = [item.start_mark.line + 1 for item in node.value]
        out.extend((rel, line, record) for line, record in zip(lines, records, strict=True))
    return tuple(out)


@functools.cache
def _target_table(root: Path, plan_id: str) -> tuple[tuple[str, ...], tuple[dict[str, str], ...]]:
    """Return the header and the rows (strings, blank as ``""``) of ``targets/<plan_id>.csv``."""
    path = root / "targets" / f"{plan_id}.csv"
    rel = path.relative_to(root).as_posix()
    if not path.is_file():
        raise CatalogError(
            f"规划 {plan_id} 没有目标文件，请建立 {rel}。", Location(file=rel), "E_NO_FILE"
        )
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = []
            for row in reader:
                if None in row:
                    raise CatalogError(
                        "该行的列数多于表头，请检查未加引号的逗号。",
                        Location(file=rel, row=reader.line_num),
                        "E_EXTRA_CELLS",
                    )
                rows.append({k: (v or "").strip() for k, v in row.items()})
            columns = tuple(reader.fieldnames or ())
    except UnicodeDecodeError:
        raise CatalogError(
            "文件不是 UTF-8 编码，请另存为 UTF-8。", Location(file=rel), "E_ENCODING"
        ) from None
    return columns, tuple(rows)


def clear_cache() -> None:
    """Forget every file read so far (call after editing a catalog file in the same process)."""
    for func in (
        _plan_records,
        _indicator_entries,
        _structure_entries,
        _structure,
        _target_table,
        _plans,
        _indicator_frame,
        _load_one,
    ):
        func.cache_clear()


# ---------------------------------------------------------------- checks


def _indicator_specs(root: Path) -> dict[str, dict[str, Any]]:
    specs: dict[str, dict[str, Any]] = {}
    for _, _, rec in _indicator_entries(root):
        if isinstance(rec, dict) and "id" in rec:
            specs.setdefault(str(rec["id"]), rec)  # the first entry wins; duplicates are reported
    return specs


def _plan_problems(root: Path) -> list[Problem]:
    return [p for file, stem, rec in _plan_records(root) for p in check_plan(rec, file, stem)]


def _target_problems(root: Path, plan_id: str) -> list[Problem]:
    columns, rows = _target_table(root, plan_id)
    return check_targets(rows, columns, f"targets/{plan_id}.csv", plan_id, _indicator_specs(root))


def _coverage_problems(root: Path, plan_id: str) -> list[Problem]:
    """Check the plan's ``coverage`` against the areas its targets file has rows in."""
    for file, stem, rec in _plan_records(root):
        if stem == plan_id and isinstance(rec, dict) and "coverage" in rec:
            _, rows = _target_table(root, plan_id)
            return check_coverage(rec["coverage"], (r.get("area", "") for r in rows), file, plan_id)
    return []


def _as_problem(exc: CatalogError, entry: str) -> Problem:
    loc = exc.location or Location()
    return Problem(loc.file or "", loc.row, entry, exc.code or "E_CATALOG", exc.message)


# ---------------------------------------------------------------- plans


@functools.cache
def _plans(root: Path) -> dict[str, Plan]:
    _raise(_plan_problems(root))
    out = {}
    for _, stem, rec in _plan_records(root):
        out[stem] = Plan(
            id=rec["id"],
            name=rec["name"],
            region_name=rec["region_name"],
            region_code=str(rec["region_code"]),
            level=rec["level"],
            parents=tuple(Region(str(p["code"]), p["name"]) for p in rec["parents"]),
            period_start=rec["period_start"],
            period_end=rec["period_end"],
            baseline_year=rec["baseline_year"],
            midterm_year=rec["midterm_year"],
            final_year=rec["final_year"],
            status=rec["status"],
            source=Source(rec["source"]["document"], rec["source"].get("file")),
            coverage=_coverage(rec.get("coverage")),
        )
    return out


def _coverage(record: dict[str, Any] | None) -> Coverage | None:
    """Return the :class:`Coverage` of a checked plan record's ``coverage`` (None when absent)."""
    if record is None:
        return None
    order = list(AREAS)
    gaps = sorted(record["missing"], key=lambda g: order.index(g["area"]))
    return Coverage(
        main_targets=record.get("main_targets"),
        basis=str(record["basis"]).strip(),
        missing=tuple(Gap(g["area"], g["scope"], str(g["note"]).strip()) for g in gaps),
    )


@shared
def plans(data_dir: PathLike | None = None) -> list[str]:
    """Return the ids of the plans in the catalog, sorted.

    Parameters
    ----------
    %(data_dir)s

    Returns
    -------
    list of str
        Plan ids, e.g. ``['guxian', 'kaiping', 'linhe', 'nansha', 'national', ...]``.
    """
    return sorted(_plans(_root(data_dir)))


@shared
def plan(plan_id: str, data_dir: PathLike | None = None) -> Plan:
    """Return one plan.

    Parameters
    ----------
    plan_id : str
        The plan's id (``kaiping``).
    %(data_dir)s

    Returns
    -------
    Plan

    Raises
    ------
    CatalogError
        If there is no such plan (the message lists the known ones) or a plan file is malformed.
    """
    known = _plans(_root(data_dir))
    if plan_id not in known:
        raise CatalogError(
            f"没有规划“{plan_id}”；已有：{'、'.join(sorted(known))}。",
            Location(file=f"plans/{plan_id}.yaml"),
            "E_NO_PLAN",
        )
    return known[plan_id]


# ---------------------------------------------------------------- indicators


def _derivation(spec: Any) -> Derivation | None:
    if not spec:
        return None
    return Derivation(str(spec["from"]), spec["by"], spec["minuend"], spec["subtrahend"], spec["form"])


@functools.cache
def _indicator_frame(root: Path) -> pd.DataFrame:
    entries = _indicator_entries(root)
    _raise(check_indicators(entries, _structure_ids(root)))
    records = []
    for file, _, rec in entries:
        row = {f: rec[f] for f in INDICATOR_FIELDS}
        row["breakdowns"] = tuple(rec["breakdowns"] or ())
        row["aliases"] = tuple(rec.get("aliases") or ())
        row["meets"] = rec.get("meets") or ""
        row["derived"] = _derivation(rec.get("derived"))
        row["plausible"] = plausible_of(rec.get("plausible"))
        row["sex_core"] = bool(rec.get("sex_core", False))
        row["file"] = file
        records.append(row)
    columns = [*INDICATOR_FIELDS, "meets", "derived", "sex_core", "aliases", "file"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    for name in ("lower", "upper", "near", "band"):
        frame[name] = pd.to_numeric(frame[name]).astype(float)
    frame["per"] = frame["per"].astype("Int64")
    return frame.set_index("id", drop=True)


@shared
def indicators(data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return the indicator registry.

    Parameters
    ----------
    %(data_dir)s

    Returns
    -------
    pandas.DataFrame
        Index ``id``; columns ``name, area, unit, lower, upper, better, near, band, subject,
        breakdowns, numerator, denominator, per, plausible, aggregation, department, definition, meets,
        derived, sex_core, aliases, file`` (``derived`` a :class:`~womenstats.catalog.models.Derivation`,
        ``plausible`` a :class:`~womenstats.catalog.models.Plausible`, or None).
        ``breakdowns`` and ``aliases`` hold tuples; ``lower``/``upper`` are NaN when unbounded;
        ``per`` is nullable. Rows are in area order, then in file order.

    Raises
    ------
    CatalogError
        If the registry fails the schema check.
    """
    return _indicator_frame(_root(data_dir)).copy()


@shared
def indicator(indicator_id: str | Indicator, data_dir: PathLike | None = None) -> Indicator:
    """Return one indicator of the registry, found by its id, its Chinese name or an alias.

    Parameters
    ----------
    indicator_id : str or Indicator
        The indicator's id (``health.maternal_mortality``), name (孕产妇死亡率) or one of its
        aliases; an :class:`Indicator` is returned as it is.
    %(data_dir)s

    Returns
    -------
    Indicator

    Raises
    ------
    CatalogError
        ``E_UNKNOWN_INDICATOR`` if nothing in the registry has that id, name or alias; the message
        names the closest names (:func:`womenstats.catalog.lookup.did_you_mean`).

    Examples
    --------
    >>> indicator("高中阶段教育毛入学率").id
    'education.high_school_gross_enrollment'
    """
    if isinstance(indicator_id, Indicator):
        return indicator_id
    frame = _indicator_frame(_root(data_dir))
    indicator_id = resolve_indicator_id(indicator_id, frame)
    row = frame.loc[indicator_id]

    values = {name: _INDICATOR_FIELD.get(name, _same)(row[name]) for name in _INDICATOR_NAMES}
    return Indicator(id=indicator_id, **values)


def _optional(value: Any) -> Any:
    """Read a registry cell as an :class:`Indicator` field that may be ``None`` (a blank cell)."""
    if value is None or pd.isna(value):
        return None
    return float(value) if isinstance(value, float) else value


def _same(value: Any) -> Any:
    return value


#: How a registry cell becomes an :class:`Indicator` field, where it is not taken as it is.
_INDICATOR_FIELD: dict[str, Callable[[Any], Any]] = {
    **dict.fromkeys(("lower", "upper", "numerator", "denominator", "band"), _optional),
    "per": lambda value: None if pd.isna(value) else int(value),
    "near": float,
    "sex_core": bool,
}
#: The :class:`Indicator` fields read from the registry's columns (all but ``id``, its index).
_INDICATOR_NAMES: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Indicator) if f.name != "id")


# ---------------------------------------------------------------- targets

#: Columns of :func:`load`'s result.
LOADED_COLUMNS: tuple[str, ...] = ("plan", *TARGET_COLUMNS[:5], "indicator", *TARGET_COLUMNS[5:])


def _order_key(frame: pd.DataFrame) -> pd.DataFrame:
    area = frame["area"].map({a: i for i, a in enumerate(AREAS)})
    section = frame["section"].map({s: i for i, s in enumerate(SECTIONS)})
    item = frame["item"].str.extract(r"(\d+)$", expand=False).astype(int)
    statement = frame["target_id"].str.extract(r"-(\d+)$", expand=False).fillna("0").astype(int)
    return pd.DataFrame({"a": area, "s": section, "i": item, "n": statement})


@functools.cache
def _load_one(root: Path, plan_id: str) -> pd.DataFrame:
    plan(plan_id, root)
    _raise(
        check_indicators(_indicator_entries(root), _structure_ids(root))
        + _target_problems(root, plan_id)
        + _coverage_problems(root, plan_id)
    )
    _, rows = _target_table(root, plan_id)
    frame = pd.DataFrame.from_records(list(rows), columns=list(TARGET_COLUMNS)).astype(str)
    tolerance = [
        float(tol) if tol else (default_tolerance(val) if op == "≈" else float("nan"))
        for tol, val, op in zip(frame["tolerance"], frame["value"], frame["operator"], strict=True)
    ]
    frame["tolerance"] = pd.Series(tolerance, index=frame.index, dtype=float)
    frame["value"] = pd.to_numeric(frame["value"].replace("", None)).astype(float)
    frame["target_year"] = frame["target_year"].astype(int).astype("Int64")
    names = _indicator_frame(root)["name"]
    frame["indicator"] = frame["indicator_id"].map(names).fillna("")
    frame["plan"] = plan_id
    order = _order_key(frame).sort_values(["a", "s", "i", "n"], kind="stable").index
    return frame.loc[order, list(LOADED_COLUMNS)].reset_index(drop=True)


@shared
def load(plan_id: str | None = None, data_dir: PathLike | None = None) -> pd.DataFrame:
    """Return a plan's targets (all plans' when ``plan_id`` is None), checked against the schema.

    Parameters
    ----------
    plan_id : str, optional
        The plan's id; all plans in :func:`plans` order when omitted.
    %(data_dir)s

    Returns
    -------
    pandas.DataFrame
        Columns :data:`LOADED_COLUMNS`: ``plan``, the columns of ``targets/<plan>.csv`` and
        ``indicator`` (the indicator's Chinese name, blank for qualitative rows). ``value`` and
        ``tolerance`` are floats (NaN when blank; a blank ``≈`` tolerance gets the default rule),
        ``target_year`` is ``Int64``, text columns hold ``""`` when blank. Sorted by area, section,
        item and statement number.

    Raises
    ------
    CatalogError
        If the plan is unknown or its targets (or the registry) fail the schema check; the message
        names the file, the line and the target id.
    """
    root = _root(data_dir)
    if plan_id is not None:
        return _load_one(root, plan_id).copy()
    frames = [_load_one(root, pid) for pid in plans(root)]
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=list(LOADED_COLUMNS))
    )


@shared
def target(target_id: str, data_dir: PathLike | None = None) -> pd.Series:
    """Return one target by its id.

    Parameters
    ----------
    target_id : str
        ``<plan>.<area>.<item>[-<n>]``, e.g. ``kaiping.health.02-1``.
    %(data_dir)s

    Returns
    -------
    pandas.Series
        The target's row of :func:`load`, named by the target id.

    Raises
    ------
    CatalogError
        If the plan or the target does not exist.
    """
    plan_id = target_id.split(".", 1)[0]
    frame = _load_one(_root(data_dir), plan_id)
    hit = frame.index[frame["target_id"] == target_id]
    if len(hit) == 0:
        raise CatalogError(
            f"规划 {plan_id} 中没有目标“{target_id}”，请用 womenstats catalog list --plan {plan_id} 查看。",
            Location(file=f"targets/{plan_id}.csv"),
            "E_NO_TARGET",
        )
    return frame.loc[hit[0]].rename(target_id).copy()
