"""The demonstration returns (模拟数据) for the five plans' regions, simulated from written assumptions.

Everything here is simulated and labelled so. What is simulated is derived from the catalog at run
time (every indicator a plan's quantitative or directional targets name), so the files follow the
catalog as it grows; the assumptions are in :data:`REGIONS`, :data:`BIRTH_RATE` and the rules of
:func:`anchor`, and are written out in ``data/raw/demo/README.md`` and ``assumptions.csv``.

Levels are anchored to the real national series where it has the indicator, else to the plan's own
target; rates from counts are drawn as binomial counts on the county's own scale (a county of
~500 000 people has ~3 000–5 000 births a year, so 0–2 maternal deaths). The returns have the flaws
real returns have: one region misses a year, one value is corrected by a second file, some cells
use ``85.3%``, thousands separators or ``—``. One seeded :class:`numpy.random.Generator` per plan
makes the files byte-for-byte reproducible.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from womenstats import catalog, paths
from womenstats._io import atomic_path
from womenstats.intake import reference
from womenstats.intake.national import national_validation
from womenstats.intake.rules import female_only
from womenstats.intake.template import CONTACT_ROW, INFO_SHEET, build_template, save_workbook

#: Years simulated.
YEARS: tuple[int, ...] = (2018, 2019, 2020, 2021, 2022, 2023, 2024)

#: Base seed; each plan's generator is seeded with (SEED, a stable number derived from the plan id).
SEED = 20240601


@dataclass(frozen=True)
class RegionAssumption:
    """Scale and file format of one plan's simulated returns."""

    plan: str
    population: int
    urban_share: float
    file_format: str  # "template" (filled xlsx), "csv-gb18030", "csv-utf8-bom", "xlsx-long"
    missing_year: int | None = None
    revised_year: int | None = None


#: Approximate resident populations (2020 census order of magnitude) and the format each region sends.
REGIONS: tuple[RegionAssumption, ...] = (
    RegionAssumption("guxian", 83_000, 0.40, "template"),
    RegionAssumption("kaiping", 750_000, 0.55, "template", revised_year=2023),
    RegionAssumption("linhe", 540_000, 0.70, "csv-gb18030"),
    RegionAssumption("nansha", 850_000, 0.75, "xlsx-long"),
    RegionAssumption("taobei", 450_000, 0.60, "csv-gb18030", missing_year=2022),
)

#: National crude birth rate, ‰ (国家统计局, 统计公报), used for the number of live births.
BIRTH_RATE: dict[int, float] = {
    2018: 10.94,
    2019: 10.48,
    2020: 8.52,
    2021: 7.52,
    2022: 6.77,
    2023: 6.39,
    2024: 6.77,
}

#: Share of the population in a rate's denominator, by a word in the denominator's Chinese name.
DENOMINATOR_SHARES: tuple[tuple[str, float], ...] = (
    ("活产", -1.0),  # live births: population × crude birth rate
    ("产妇", -1.0),
    ("孕产妇", -1.0),
    ("新生儿", -1.0),
    ("出生", -1.0),
    ("妇女", 0.30),
    ("女性", 0.30),
    ("学", 0.12),
    ("儿童", 0.15),
    ("村", 0.0006),
    ("社区", 0.0004),
    ("企业", 0.002),
    ("单位", 0.003),
    ("户", 0.35),
)
DEFAULT_SHARE = 0.20

#: How many indicators per plan are left without any data, to show 数据不足.
N_MISSING = 2
#: How many indicators per plan get only the last two years, to show a short series.
N_SHORT = 2


@dataclass
class Series:
    """A simulated series: one value a year per breakdown."""

    indicator: reference.IndicatorInfo
    age_group: str
    values: dict[
        tuple[int, str, str], tuple[float, float | None, float | None]
    ]  # (year, sex, res) → (v, n, d)


def plan_seed(plan_id: str) -> int:
    """Return a stable seed for a plan (from its id's SHA-256, not Python's salted hash)."""
    return SEED + int(hashlib.sha256(plan_id.encode("utf-8")).hexdigest()[:8], 16)


def national_levels(raw: Path | None = None) -> dict[tuple[str, str, str], list[tuple[int, float]]]:
    """Return the national series by (indicator, sex, residence): (year, value) sorted."""
    out: dict[tuple[str, str, str], list[tuple[int, float]]] = {}
    rows = national_validation(raw).rows
    for row in rows.itertuples(index=False):
        if row.age_group == "all":
            out.setdefault((row.indicator_id, row.sex, row.residence), []).append(
                (int(row.year), float(row.value))
            )
    return {key: sorted(values) for key, values in out.items()}


def needed(plan_id: str) -> dict[tuple[str, str], set[tuple[str, str]]]:
    """Return (indicator, age group) → the (sex, residence) pairs a plan's targets need, with breakdowns."""
    targets = catalog.load(plan_id)
    registry = reference.indicators()
    out: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for row in targets.itertuples(index=False):
        ind = str(row.indicator_id or "").strip() if isinstance(row.indicator_id, str) else ""
        if not ind or ind not in registry or row.kind == "qualitative":
            continue
        if isinstance(getattr(row, "links_to", ""), str) and row.links_to.strip():
            continue
        info = registry[ind]
        age = str(row.age_group or "all") if isinstance(row.age_group, str) else "all"
        combos = out.setdefault((ind, age), set())
        combos.add((str(row.sex or "total"), str(row.residence or "all")))
        if female_only(info):
            combos = {("female", res) for _, res in combos}
            out[(ind, age)] = combos
        if "sex" in info.breakdowns and any(sex != "total" for sex, _ in combos):
            combos |= {("female", "all"), ("male", "all"), ("total", "all")}
        if "residence" in info.breakdowns and any(res != "all" for _, res in combos):
            base = "female" if female_only(info) else "total"
            combos |= {(base, "urban"), (base, "rural"), (base, "all")}
    return out


def anchor(
    info: reference.IndicatorInfo,
    plan_id: str,
    combo: tuple[str, str],
    national: dict,
    rng: np.random.Generator,
) -> tuple[float, float]:
    """Return the 2020 level and the yearly change of a simulated series.

    Rules (written out in README.md): the national value nearest 2020 when the national series has
    the indicator and breakdown (the yearly change is the national least-squares slope, or a small
    improvement when there is one point); otherwise the plan's own target: for ``>=`` 90–100% of the
    target value, for ``<=`` 100–125%, for ``≈``/``=`` the value itself, moving by 0.5–3% of the level
    a year in the better direction; without a value, the middle of the indicator's bounds (or 50
    for a percentage). Some series are set to move the wrong way (about one in eight).
    """
    sex, residence = combo
    series = national.get((info.id, sex, residence)) or national.get(
        (info.id, "female" if female_only(info) else "total", "all")
    )
    step_sign = {"higher": 1.0, "lower": -1.0}.get(info.better, 0.0)
    if series:
        years = np.array([y for y, _ in series], dtype=float)
        values = np.array([v for _, v in series], dtype=float)
        nearest = int(np.argmin(np.abs(years - 2020)))
        level = float(values[nearest])
        slope = float(np.polyfit(years, values, 1)[0]) if len(series) >= 2 and np.ptp(years) > 0 else 0.0
        if slope == 0.0:
            slope = step_sign * 0.01 * abs(level)
        level = level + slope * (2020 - years[nearest])
        regional = rng.uniform(0.92, 1.08)
        return level * regional, slope
    targets = catalog.load(plan_id)
    rows = targets[(targets["indicator_id"] == info.id)]
    value = next((float(v) for v in rows["value"] if _is_number(v)), None)
    operator = next((str(o) for o in rows["operator"] if isinstance(o, str) and o), "")
    if value is None:
        low = info.lower if info.lower is not None else 0.0
        high = info.upper if info.upper is not None else (100.0 if info.unit == "%" else 2 * max(low, 1.0))
        level = 50.0 if info.unit == "%" else (low + high) / 2
    elif operator == ">=":
        level = value * rng.uniform(0.90, 1.00)
    elif operator == "<=":
        level = value * rng.uniform(1.00, 1.25)
    else:
        level = value
    drift = rng.uniform(0.005, 0.03) * abs(level) * step_sign
    if rng.random() < 0.125:
        drift = -drift
    return level, drift


def _is_number(value: object) -> bool:
    try:
        return not math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _clip(info: reference.IndicatorInfo, value: float) -> float:
    low = info.lower if info.lower is not None else -math.inf
    high = info.upper if info.upper is not None else math.inf
    return float(min(max(value, low), high))


def _denominator(info: reference.IndicatorInfo, region: RegionAssumption, year: int, share: float) -> float:
    name = info.denominator or ""
    fraction = next((f for word, f in DENOMINATOR_SHARES if word in name), DEFAULT_SHARE)
    if fraction < 0:
        return region.population * BIRTH_RATE[year] / 1000 * share
    return region.population * fraction * share


def simulate_plan(region: RegionAssumption, national: dict) -> tuple[list[Series], list[dict[str, object]]]:
    """Simulate every series a plan needs; return them with the assumption record of each.

    Parameters
    ----------
    region : RegionAssumption
        The plan's region and format.
    national : dict
        National series from :func:`national_levels`.

    Returns
    -------
    (list of Series, list of dict)
        The series, and one record per series for ``assumptions.csv``.
    """
    rng = np.random.default_rng([SEED, plan_seed(region.plan)])
    registry = reference.indicators()
    wanted = needed(region.plan)
    keys = sorted(wanted)
    order = rng.permutation(len(keys))
    missing = {keys[i] for i in order[:N_MISSING]}
    short = {keys[i] for i in order[N_MISSING : N_MISSING + N_SHORT]}
    out: list[Series] = []
    notes: list[dict[str, object]] = []
    for key in keys:
        info = registry[key[0]]
        combos = sorted(wanted[key])
        status = "missing" if key in missing else ("short" if key in short else "series")
        years = () if status == "missing" else (YEARS[-2:] if status == "short" else YEARS)
        series = Series(info, key[1], {})
        parts = _parts(combos)
        for combo in parts:
            level, drift = anchor(info, region.plan, combo, national, rng)
            notes.append(
                {
                    "plan": region.plan,
                    "indicator_id": info.id,
                    "age_group": key[1],
                    "sex": combo[0],
                    "residence": combo[1],
                    "status": status,
                    "level_2020": round(level, 4),
                    "change_per_year": round(drift, 4),
                }
            )
            for year in years:
                mean = _clip(info, level + drift * (year - 2020))
                series.values[(year, *combo)] = _draw(info, mean, region, year, combo, rng)
        _totals(info, series, combos, parts)
        out.append(series)
    return out, notes


def _parts(combos: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Return the breakdowns drawn directly; totals of drawn parts are summed, not drawn."""
    drawn = set(combos)
    for sex in ("total", "female"):
        if {(sex, "urban"), (sex, "rural")} <= drawn:
            drawn.discard((sex, "all"))
    if {("female", "all"), ("male", "all")} <= drawn:
        drawn.discard(("total", "all"))
    return sorted(drawn)


def _draw(
    info: reference.IndicatorInfo,
    mean: float,
    region: RegionAssumption,
    year: int,
    combo: tuple[str, str],
    rng: np.random.Generator,
) -> tuple[float, float | None, float | None]:
    """Draw one value: binomial counts for a rate from counts, else the level with 1% noise."""
    sex, residence = combo
    # A women-only measure counts every woman (or every birth): its "female" is the whole denominator.
    share = 1.0 if female_only(info) else {"female": 0.49, "male": 0.51}.get(sex, 1.0)
    share *= {"urban": region.urban_share, "rural": 1 - region.urban_share}.get(residence, 1.0)
    if info.from_counts:
        den = max(round(_denominator(info, region, year, share)), 10)
        prob = min(max(mean / float(info.per), 0.0), 1.0)
        num = int(rng.binomial(den, prob))
        return round(num / den * float(info.per), 2), float(num), float(den)
    noisy = _clip(info, mean + rng.normal(0.0, 0.01 * abs(mean) + 1e-6))
    if info.additive:
        return float(round(noisy * share)), None, None
    return round(noisy, 2), None, None


def _totals(
    info: reference.IndicatorInfo, series: Series, combos: list[tuple[str, str]], parts: list[tuple[str, str]]
) -> None:
    """Fill totals that were not drawn from their parts (sums of counts, weighted means of rates)."""
    years = sorted({year for year, _, _ in series.values})
    for total, (a, b) in (
        (("total", "all"), (("female", "all"), ("male", "all"))),
        (("total", "all"), (("total", "urban"), ("total", "rural"))),
        (("female", "all"), (("female", "urban"), ("female", "rural"))),
    ):
        if total not in combos or total in parts:
            continue
        for year in years:
            first, second = series.values.get((year, *a)), series.values.get((year, *b))
            if first is None or second is None:
                continue
            if first[1] is not None and second[1] is not None:
                num, den = first[1] + second[1], first[2] + second[2]
                series.values[(year, *total)] = (round(num / den * float(info.per), 2), num, den)
            elif info.additive:
                series.values[(year, *total)] = (first[0] + second[0], None, None)
            else:
                series.values[(year, *total)] = (round((first[0] + second[0]) / 2, 2), None, None)


# -- writing the returns ---------------------------------------------------------------------------
LONG_HEADER_ZH = (
    "地区代码",
    "年份",
    "指标代码",
    "性别",
    "年龄组",
    "城乡",
    "数值",
    "分子",
    "分母",
    "单位",
    "来源",
    "模拟数据",
)
_SEX_ZH = {"female": "女", "male": "男", "total": "合计"}
_RES_ZH = {"all": "合计", "urban": "城镇", "rural": "农村"}


def _long_rows(plan_id: str, series: list[Series], year: int, quirks: np.random.Generator) -> list[list[str]]:
    plan = catalog.plan(plan_id)
    rows: list[list[str]] = []
    for item in series:
        info = item.indicator
        for (y, sex, residence), (value, num, den) in sorted(item.values.items()):
            if y != year:
                continue
            text = _fmt(value)
            if info.unit == "%" and quirks.random() < 0.1:
                text = f"{text}%"
            den_text = (
                ""
                if den is None
                else (f"{int(den):,}" if den >= 1000 and quirks.random() < 0.2 else _fmt(den))
            )
            rows.append(
                [
                    str(plan.region_code),
                    str(year),
                    info.id,
                    _SEX_ZH[sex],
                    item.age_group,
                    _RES_ZH[residence],
                    text,
                    "" if num is None else _fmt(num),
                    den_text,
                    info.unit,
                    f"{info.department}（模拟）",
                    "是",
                ]
            )
    return rows


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(round(float(value), 4))


def write_csv(rows: list[list[str]], out: Path, encoding: str) -> None:
    """Write a long table as Excel on Chinese Windows would (CRLF line ends)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(LONG_HEADER_ZH)
    writer.writerows(rows)
    with atomic_path(out) as tmp:
        tmp.write_bytes(buffer.getvalue().encode(encoding))


def write_long_xlsx(rows: list[list[str]], out: Path) -> None:
    """Write a long table as a one-sheet workbook (numbers as numbers where they parse)."""
    import openpyxl

    from womenstats.intake.template import FIXED_TIME

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    sheet.append(list(LONG_HEADER_ZH))
    for row in rows:
        sheet.append([_as_cell(v) for v in row])
    workbook.properties.creator = "womenstats"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    save_workbook(workbook, out)


def _as_cell(text: str) -> object:
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "." not in text else number


def write_template_return(plan_id: str, series: list[Series], year: int, out: Path) -> None:
    """Fill the plan's reporting template with a year's simulated values."""
    workbook, cells = build_template(plan_id, year, simulated=True)
    for item in series:
        for (y, sex, residence), (value, num, den) in item.values.items():
            if y != year:
                continue
            column_sex = "total" if female_only(item.indicator) else sex
            for measure, number in (("数值", value), ("分子", num), ("分母", den)):
                where = cells.get((item.indicator.id, item.age_group, measure, column_sex, residence))
                if where is not None and number is not None:
                    workbook[where[0]][where[1]] = int(number) if measure != "数值" else number
    workbook[INFO_SHEET].cell(CONTACT_ROW, 2, "统计局（模拟数据）")
    save_workbook(workbook, out)


def generate(out_dir: Path | None = None, raw: Path | None = None) -> list[Path]:
    """Write every demonstration return, the manifest and the assumptions into ``data/raw/demo``.

    Parameters
    ----------
    out_dir : pathlib.Path, optional
        Destination (default ``data/raw/demo``).
    raw : pathlib.Path, optional
        The raw data folder holding ``national/`` (default ``data/raw``).

    Returns
    -------
    list of pathlib.Path
        The files written, in manifest order.
    """
    out_dir = out_dir if out_dir is not None else paths.raw_dir() / "demo"
    out_dir.mkdir(parents=True, exist_ok=True)
    national = national_levels(raw)
    manifest: list[list[str]] = []
    assumptions: list[dict[str, object]] = []
    written: list[Path] = []
    for region in REGIONS:
        series, notes = simulate_plan(region, national)
        assumptions += notes
        quirks = np.random.default_rng([SEED, plan_seed(region.plan), 1])
        for year in YEARS:
            if year == region.missing_year:
                continue
            name, path = _write_year(region, series, year, out_dir, quirks)
            manifest.append([name, region.plan, "0", f"{region.plan} {year} 年报送（{region.file_format}）"])
            written.append(path)
        if region.revised_year is not None:
            name, path = _write_revision(region, series, out_dir, quirks)
            manifest.append(
                [
                    name,
                    region.plan,
                    "1",
                    f"{region.plan} {region.revised_year} 年更正（第二次报送，须 --revise）",
                ]
            )
            written.append(path)
    _write_table(out_dir / "manifest.csv", ["file", "plan", "revise", "note"], manifest)
    keys = [
        "plan",
        "indicator_id",
        "age_group",
        "sex",
        "residence",
        "status",
        "level_2020",
        "change_per_year",
    ]
    _write_table(out_dir / "assumptions.csv", keys, [[str(a[k]) for k in keys] for a in assumptions])
    return written


def _write_year(
    region: RegionAssumption, series: list[Series], year: int, out_dir: Path, quirks: np.random.Generator
) -> tuple[str, Path]:
    folder = out_dir / region.plan
    folder.mkdir(parents=True, exist_ok=True)
    if region.file_format == "template":
        name = f"{region.plan}/{region.plan}_{year}_监测数据报送表.xlsx"
        write_template_return(region.plan, series, year, out_dir / name)
    elif region.file_format == "xlsx-long":
        name = f"{region.plan}/{region.plan}_{year}.xlsx"
        write_long_xlsx(_long_rows(region.plan, series, year, quirks), out_dir / name)
    else:
        name = f"{region.plan}/{region.plan}_{year}.csv"
        encoding = "gb18030" if region.file_format == "csv-gb18030" else "utf-8-sig"
        write_csv(_long_rows(region.plan, series, year, quirks), out_dir / name, encoding)
    return name, out_dir / name


def _write_revision(
    region: RegionAssumption, series: list[Series], out_dir: Path, quirks: np.random.Generator
) -> tuple[str, Path]:
    """Write a second file for a year correcting one value (as departments do after a check)."""
    year = region.revised_year
    assert year is not None
    rows = _long_rows(region.plan, series, year, quirks)
    candidates = [r for r in rows if r[7] == "" and r[9] == "%" and not r[6].endswith("%")]
    row = list(candidates[0] if candidates else rows[0])
    value = float(row[6].rstrip("%"))
    row[6] = _fmt(round(value - 0.4 if value > 1 else value + 0.4, 2))
    row[10] = f"{row[10]}更正"
    name = f"{region.plan}/{region.plan}_{year}_更正.csv"
    write_csv([row], out_dir / name, "utf-8")
    return name, out_dir / name


def _write_table(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
