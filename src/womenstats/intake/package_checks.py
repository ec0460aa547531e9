"""What a package's rows must be, beyond their types: its own region, a return's value rules, a true history.

A package speaks for one region (the county that sent it; a city's package for the city and the
counties below it, as it received them), so each row's region is checked against the package's, and
the package's against the receiving region (:func:`check_regions`). Each observation then goes
through the record rules of a return (:func:`womenstats.intake.rules.check_record`: counts whole and
not negative, numerator at most the denominator, no zero denominator, value within the indicator's
bounds and agreeing with its counts, breakdowns the indicator has) after being typed as a return's
record is (:func:`womenstats.intake.normalise.type_records`: a known indicator, known codes, a year
in the region's span), with three rules of its own: the unit is the registry's (a package is never
converted), the year is not after the package's ``截至`` year, and the key is stored as written
(:func:`check_observations`). Rows that repeat another region's rows under this code are refused
(:func:`copied_rows`), and the revision history must lead to the values sent (:func:`check_history`).
"""

from __future__ import annotations

import math

import pandas as pd

from womenstats.catalog import regions
from womenstats.errors import CatalogError, Location
from womenstats.intake import reference
from womenstats.intake.normalise import type_records
from womenstats.intake.problems import Findings, Problem, problem
from womenstats.intake.records import RawRecord, ReadResult
from womenstats.intake.rules import check_record

#: Rows of a package that repeat another region's (value with numerator and denominator) before it
#: is refused as a copy: at least this many, and at least :data:`COPY_SHARE` of its rows with counts.
COPY_MIN_ROWS = 10
#: See :data:`COPY_MIN_ROWS` (regions side by side share at most 3% of such rows in the demo data).
COPY_SHARE = 0.5

_KEY = ("region_code", "year", "indicator_id", "sex", "age_group", "residence")


def region_label(code: str) -> str:
    """Return ``"440783（开平市）"``, or the code alone when the registry does not know it."""
    try:
        return f"{code}（{regions.name(code)}）"
    except CatalogError:
        return str(code)


def allowed_regions(sender: str, receiver: str) -> tuple[set[str], str | None]:
    """Return the regions a package of ``sender`` may hold, or why the sender itself is refused.

    A county's package holds the county; a city's (or province's) the city and the registered regions
    below it. The sender must be registered, below ``receiver``, never ``receiver`` itself nor the
    nation.

    Returns
    -------
    (set of str, str or None)
        The allowed codes, and a Chinese reason when the sender is refused (then the set is empty).
    """
    if sender == reference.NATION_CODE:
        return set(), "是全国（000000），全国的数据不能由下级数据包报送"
    if sender == receiver:
        return set(), f"就是本级地区 {region_label(receiver)}，本级的数据不能由数据包报送给自己"
    if sender not in regions.codes():
        return set(), "不在地区表中（不是已登记的 GB/T 2260 代码）"
    if receiver not in regions.parents(sender):
        return set(), f"不是本级地区 {region_label(receiver)}的下级"
    return {sender, *regions.children(sender, depth=None)}, None


def check_regions(rows: list[dict], numbers: list[int], sender: str, allowed: set[str], where: Location
                  ) -> list[Problem]:
    """Refuse every row whose region is not one the package may hold (see :func:`allowed_regions`)."""
    out = []
    for row, number in zip(rows, numbers, strict=True):
        code = str(row["region_code"])
        if code not in allowed:
            out.append(problem("E_PACKAGE_REGION", _at(where, number),
                               f"这一行的地区是 {region_label(code)}，而数据包是 {region_label(sender)} "
                               "报送的：一个数据包只能报送本地区（市级数据包：本市及其下级）的数据"))
    return out


def check_observations(rows: list[dict], numbers: list[int], last_year: int, where: Location
                       ) -> list[Problem]:
    """Apply a return's record rules and the package's own to each observation row.

    Parameters
    ----------
    rows, numbers : list
        Typed rows (:func:`womenstats.intake.package_rows.read_table`) and their row numbers.
    last_year : int
        The package's ``截至`` year.
    where : Location
        The package and resource (``file`` and ``sheet``).

    Returns
    -------
    list of Problem
        Located at each row (codes of the return rules, ``E_UNIT_MISMATCH``, ``E_YEAR_OUT_OF_SPAN``,
        ``E_PACKAGE_SCHEMA`` for a key not as stored).
    """
    found = Findings(str(where.file))
    registry = reference.indicators()
    records = []
    for row, number in zip(rows, numbers, strict=True):
        at = _at(where, number)
        info = registry.get(str(row["indicator_id"]))
        if info is not None and row["unit"] != info.unit:
            found.add("E_UNIT_MISMATCH", at,
                      f"单位“{row['unit']}”不是指标库中 {info.id} 的单位“{info.unit}”："
                      "数据包中的数值一律按指标库的单位，不作换算")
            continue
        if int(row["year"]) > last_year:
            found.add("E_YEAR_OUT_OF_SPAN", at, f"年份 {row['year']} 晚于数据包声明的截至年份 {last_year}")
            continue
        records.append(RawRecord(dict(row), sheet=where.sheet, row=number))
    read = ReadResult(str(where.file), "long", records=records)
    for item in type_records(read, found):
        checked = check_record(item, found)
        if checked is None:
            continue
        written = tuple(item.record.fields[c] for c in _KEY)
        if checked.key != written or not math.isclose(checked.value, float(item.record.fields["value"])):
            found.add("E_PACKAGE_SCHEMA", item.at(found.file),
                      f"这一行（{'、'.join(map(str, written))}）不是系统存储的写法"
                      f"（应为 {'、'.join(map(str, checked.key))}）")
    return [p for p in found.problems if p.is_error]


def copied_rows(rows: pd.DataFrame, numbers: list[int], others: pd.DataFrame, where: Location
                ) -> list[Problem]:
    """Refuse rows that another region already supplied (a package refiled under another code).

    Two signs, either enough: a row whose provenance (the source file's SHA-256, sheet and cell) is
    already stored for another region (one cell of one return is one region's value); or rows whose
    values with their numerators and denominators repeat another region's, for at least
    :data:`COPY_MIN_ROWS` rows and :data:`COPY_SHARE` of the package's rows with counts.

    Parameters
    ----------
    rows : pandas.DataFrame
        The package's observations (store columns).
    numbers : list of int
        Their row numbers in the resource.
    others : pandas.DataFrame
        What is already there: the store's observations and the packages before this one.
    where : Location
        The package and resource.
    """
    if rows.empty or others.empty:
        return []
    others = others.assign(region_code=others["region_code"].astype(str))
    cells = others.loc[others["source_sha256"].astype(str) != ""]
    places = zip(cells["source_sha256"], cells["sheet"], cells["cell"], strict=True)
    owner = dict(zip(places, cells["region_code"], strict=True))
    for row, number in zip(rows.itertuples(index=False), numbers, strict=True):
        first = owner.get((row.source_sha256, row.sheet, row.cell)) if row.source_sha256 else None
        if first is not None and first != row.region_code:
            return [problem("E_PACKAGE_DUPLICATE", _at(where, number),
                            f"这一行的来源（{row.source_file} 的 {row.sheet} {row.cell}）已是地区 "
                            f"{region_label(first)} 的数值：同一份报送不能再以 "
                            f"{region_label(row.region_code)} 的名义报送")]
    counted = rows["numerator"].notna() & rows["denominator"].notna()
    signature = ["year", "indicator_id", "sex", "age_group", "residence", "value", "numerator", "denominator"]
    mine = rows.loc[counted, signature].assign(_row=[n for n, c in zip(numbers, counted, strict=True) if c])
    theirs = others.loc[others["numerator"].notna() & others["denominator"].notna()]
    theirs = theirs.loc[~theirs["region_code"].isin(set(rows["region_code"].astype(str)))]
    same = mine.merge(theirs[[*signature, "region_code"]], on=signature)
    if same.empty:
        return []
    counts = same.groupby("region_code")["_row"].agg(["size", "min"])
    region, (size, first_row) = next(iter(counts.sort_values("size", ascending=False).iterrows()))
    if size < max(COPY_MIN_ROWS, COPY_SHARE * counted.sum()):
        return []
    return [problem("E_PACKAGE_DUPLICATE", _at(where, int(first_row)),
                    f"数据包中 {size} 个带分子分母的数值（共 {int(counted.sum())} 个）与地区 "
                    f"{region_label(region)} 已有的数值完全相同：疑似把该地区的数据改了地区代码重报")]


def check_history(history: list[dict], numbers: list[int], current: dict[tuple, float], allowed: set[str],
                  last_year: int, where: Location) -> list[Problem]:
    """Check the revision history a package carries: its own regions, and each chain ending at the value sent.

    For each key the revisions, in order, must follow one another (each new value the next one's old
    value) and the last must give the value the package sends for that key.

    Parameters
    ----------
    history, numbers : list
        Typed revision rows and their row numbers.
    current : dict
        Key → the value the package sends.
    allowed : set of str
        The regions the package may hold.
    last_year : int
        The package's ``截至`` year.
    where : Location
        The package and the revisions resource.
    """
    out: list[Problem] = []
    chains: dict[tuple, list[tuple[dict, int]]] = {}
    registry = reference.indicators()
    for row, number in zip(history, numbers, strict=True):
        key = tuple(row[c] for c in _KEY)
        if str(row["region_code"]) not in allowed or int(row["year"]) > last_year \
                or row["indicator_id"] not in registry:
            out.append(problem("E_PACKAGE_HISTORY", _at(where, number),
                               f"修订记录（{'、'.join(map(str, key))}）的地区、年份或指标不属于这个数据包"))
            continue
        chains.setdefault(key, []).append((row, number))
    for key, rows in chains.items():
        # The same change recorded twice in a row (by the county's file and by the city's --revise of
        # the corrected package) is one step of the chain.
        chain = [item for i, item in enumerate(rows)
                 if i == 0 or not (_same(item[0]["old_value"], rows[i - 1][0]["old_value"])
                                   and _same(item[0]["new_value"], rows[i - 1][0]["new_value"]))]
        for (row, number), (after, _) in zip(chain, [*chain[1:], (None, 0)], strict=True):
            expected = current.get(key) if after is None else after["old_value"]
            if expected is None or not _same(row["new_value"], expected):
                said = "数据包中没有这个数值" if expected is None else f"应为 {expected:g}"
                out.append(problem("E_PACKAGE_HISTORY", _at(where, number),
                                   f"修订记录（{'、'.join(map(str, key))}）的新值 {row['new_value']:g} 接不上"
                                   f"其后的值（{said}）：修订记录与数据不符，可能被改动"))
                break
    return out


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def _at(where: Location, number: int) -> Location:
    return Location(file=where.file, sheet=where.sheet, row=number)
