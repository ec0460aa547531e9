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

#: A rate's denominator, by a word in its Chinese name (first match): ``births`` (population × crude
#: birth rate), ``share`` (a share of the population) or ``count`` (a typical county number: the
#: sample of a county survey, the members of a leadership body, the cases a county records).
DENOMINATORS: tuple[tuple[str, str, float], ...] = (
    ("活产", "births", 1.0), ("产妇", "births", 1.0), ("孕产妇", "births", 1.0), ("新生儿", "births", 1.0),
    ("出生", "births", 1.0),
    ("被调查", "count", 1200), ("参加体质测定", "count", 1500), ("调查", "count", 1200),
    ("领导班子", "count", 250), ("常委", "count", 35), ("正职干部", "count", 150),
    ("党组织书记", "count", 220),
    ("党组织成员", "count", 1100), ("负责人", "count", 400), ("成员总数", "count", 500),
    ("立案数", "count", 300), ("受理案件数", "count", 300), ("水源", "count", 8),
    ("公共场所", "count", 60), ("技能劳动者", "share", 0.06), ("从业人员", "share", 0.08),
    ("党员", "share", 0.06), ("应参保职工", "share", 0.12), ("职工", "share", 0.10),
    ("妇女", "share", 0.30), ("女性", "share", 0.30), ("学", "share", 0.12), ("儿童", "share", 0.15),
    ("村", "share", 0.0006), ("社区", "share", 0.0004), ("企业", "share", 0.002), ("单位", "share", 0.003),
    ("户", "share", 0.35),
)
DEFAULT_SHARE = 0.20

#: Typical county levels (about 2020) of the indicators that neither the national series nor a
#: plan's target value anchors: the order of magnitude of the published national figures
#: (统计监测报告, 卫生健康统计年鉴, 人社统计公报, 公民科学素质调查, 时间利用调查). A count unit (人)
#: is given per person of the county's population.
TYPICAL_LEVELS: dict[str, float] = {
    "decision.chief_cadres_female_share": 15.0, "decision.community_party_female_share": 40.0,
    "decision.community_party_secretary_female_share": 35.0, "decision.cppcc_standing_female_share": 20.0,
    "decision.enterprise_management_female_share": 30.0,
    "decision.gov_departments_leadership_female_share": 20.0,
    "decision.gov_leadership_female_share": 15.0, "decision.npc_standing_female_share": 20.0,
    "decision.party_members_female_share": 29.0, "decision.public_institution_leadership_female_share": 30.0,
    "decision.social_org_leaders_female_share": 25.0, "decision.village_party_female_share": 18.0,
    "decision.village_party_secretary_female_share": 10.0,
    "economy.female_occupational_disease_incidence": 5.0,
    "economy.female_occupational_injury_incidence": 150.0,
    "economy.gender_income_gap": 20.0, "economy.high_tech_employed_female_share": 40.0,
    "economy.skilled_workers_female_share": 35.0, "education.high_school_vocational_female_share": 40.0,
    "education.science_literacy_female": 8.0, "education.science_literacy_gap": 4.0,
    "education.young_adult_illiteracy": 0.5, "environment.nursing_room_coverage": 70.0,
    "environment.urban_drinking_water_source_quality": 95.0, "family.housework_time_gap": 80.0,
    "health.breast_cancer_screening": 40.0, "health.cancer_prevention_awareness": 70.0,
    "health.cervical_cancer_screening": 45.0, "health.exercise_participation_female": 35.0,
    "health.fitness_standard_female": 90.0, "health.health_literacy_female": 22.0,
    "health.healthy_life_expectancy_female": 69.0, "health.induced_abortion_rate": 25.0,
    "health.maternal_anemia": 15.0, "health.mental_health_literacy_female": 20.0,
    "law.crimes_against_women_clearance": 90.0, "law.crimes_against_women_closure": 95.0,
    "law.crimes_against_women_incidence": 15.0, "law.rights_law_awareness": 80.0,
    "social_security.female_unemployment_insured": 0.04, "social_security.female_work_injury_insured": 0.05,
    "social_security.maternity_insurance_coverage": 90.0,
    "social_security.unemployment_insurance_coverage": 85.0,
}
#: A county's own year-to-year swings beside the nation's: the structural deviation's standard
#: deviation is this many times the national series' (county administrative series move more).
COUNTY_SCALE = 2.0
#: Lag-1 autocorrelation used when the national series have too few consecutive years to estimate it.
DEFAULT_RHO = 0.5
#: Regional spread of a level around the national one: ±8%, and ±3% for ages and years of schooling.
REGIONAL_SPREAD = {"岁": 0.03, "年": 0.03}
#: Yearly change of a level anchored to a target, as a share of the level: 0.5–3%, and
#: 0.1–0.4% for ages and years of schooling (life expectancy gains about 0.2–0.3 years a year).
DRIFT = {"岁": (0.001, 0.004), "年": (0.001, 0.004)}

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
    region: RegionAssumption,
    combo: tuple[str, str],
    national: dict,
    rng: np.random.Generator,
) -> tuple[float, float]:
    """Return the 2020 level and the yearly change of a simulated series.

    Rules (written out in README.md): the national value nearest 2020 when the national series has
    the indicator and breakdown, times a regional factor (±8%, ±3% for ages and years; the yearly
    change is the national least-squares slope, or a small improvement when there is one point);
    otherwise the plan's own target: for ``>=`` 90–100% of the target value, for ``<=``
    100–125%, for ``≈``/``=`` the value itself, moving by 0.5–3% of the level a year (0.1–0.4% for
    ages and years, :data:`DRIFT`) in the better direction; without a target value, the typical
    county level of :data:`TYPICAL_LEVELS`. Some series are set to move the wrong way (about one
    in eight).
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
        spread = REGIONAL_SPREAD.get(info.unit, 0.08)
        return level * rng.uniform(1 - spread, 1 + spread), slope
    targets = catalog.load(region.plan)
    rows = targets[(targets["indicator_id"] == info.id)]
    value = next((float(v) for v in rows["value"] if _is_number(v)), None)
    operator = next((str(o) for o in rows["operator"] if isinstance(o, str) and o), "")
    if value is None:
        typical = TYPICAL_LEVELS.get(info.id, 50.0 if info.unit == "%" else 1.0)
        level = typical * region.population if info.additive and typical < 1 else typical
        spread = REGIONAL_SPREAD.get(info.unit, 0.15)
        level *= rng.uniform(1 - spread, 1 + spread)
    elif operator == ">=":
        level = value * rng.uniform(0.90, 1.00)
    elif operator == "<=":
        level = value * rng.uniform(1.00, 1.25)
    else:
        level = value
    drift = rng.uniform(*DRIFT.get(info.unit, (0.005, 0.03))) * abs(level) * step_sign
    if rng.random() < 0.125:
        drift = -drift
    return level, drift


def national_noise(national: dict) -> tuple[dict[str, float], float]:
    """Calibrate the year-to-year noise from the real national series.

    For every national series with four or more years, the residuals from its least-squares line
    give a relative standard deviation ``sqrt(sum(r^2) / (n - 2)) / mean``; their median by unit is
    the structural noise of that unit (the overall median for units without a series), and the
    median lag-1 correlation of residuals in consecutive years is the autocorrelation
    (:data:`DEFAULT_RHO` when fewer than three series have three consecutive pairs).

    Returns
    -------
    (dict, float)
        Unit -> relative standard deviation (key ``""``: all units), and the lag-1 autocorrelation.
    """
    registry = reference.indicators()
    by_unit: dict[str, list[float]] = {}
    rhos: list[float] = []
    for (indicator, _sex, _res), points in sorted(national.items()):
        if len(points) < 4 or indicator not in registry:
            continue
        years = np.array([y for y, _ in points], dtype=float)
        values = np.array([v for _, v in points], dtype=float)
        resid = values - np.polyval(np.polyfit(years, values, 1), years)
        rel = math.sqrt(float((resid**2).sum()) / (len(values) - 2)) / abs(float(values.mean()))
        by_unit.setdefault(registry[indicator].unit, []).append(rel)
        by_unit.setdefault("", []).append(rel)
        pairs = [(resid[i], resid[i + 1]) for i in range(len(years) - 1) if years[i + 1] - years[i] == 1]
        if len(pairs) >= 3 and np.ptp([a for a, _ in pairs]) > 0:
            rhos.append(float(np.corrcoef(np.array(pairs).T)[0, 1]))
    noise = {unit: float(np.median(rel)) for unit, rel in by_unit.items()}
    rho = float(np.median(rhos)) if len(rhos) >= 3 else DEFAULT_RHO
    return noise, min(max(rho, 0.0), 0.9)


def ar1(n: int, rho: float, sd: float, rng: np.random.Generator) -> np.ndarray:
    """Return ``n`` stationary AR(1) deviations: ``e_t = rho e_{t-1} + sqrt(1 - rho^2) sd z_t``."""
    out = np.empty(n)
    out[0] = rng.normal(0.0, sd)
    for t in range(1, n):
        out[t] = rho * out[t - 1] + math.sqrt(1 - rho**2) * rng.normal(0.0, sd)
    return out


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
    kind, value = next(((k, v) for word, k, v in DENOMINATORS if word in name), ("share", DEFAULT_SHARE))
    if kind == "births":
        return region.population * BIRTH_RATE[year] / 1000 * share
    if kind == "count":
        return value * share
    return region.population * value * share


def _proportion(info: reference.IndicatorInfo) -> bool:
    """Whether values are a share of a denominator: bounded by 0 and the rate's base (binomial draws)."""
    return info.per is not None and info.lower == 0.0 and info.upper == float(info.per)


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
    noise, rho = national_noise(national)
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
            level, drift = anchor(info, region, combo, national, rng)
            swing = ar1(len(YEARS), rho, COUNTY_SCALE * noise.get(info.unit, noise[""]), rng)
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
                mean = _mean(info, level + drift * (year - 2020), swing[YEARS.index(year)])
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


def _mean(info: reference.IndicatorInfo, trend: float, swing: float) -> float:
    """Return a year's expected value: the trend moved by the year's structural deviation.

    A share moves by ``swing`` times its distance to the nearer bound (so a rate near 100% moves
    little and never crosses it) and stays below 99.9% of its base (a county rarely reports
    exactly 100% every year); any other value moves by ``swing`` times itself and is clipped to the
    indicator's bounds.
    """
    if _proportion(info):
        top = 0.999 * float(info.per)
        inside = min(max(trend, 0.0), top)
        return min(max(inside + swing * min(inside, float(info.per) - inside), 0.0), top)
    return _clip(info, trend * (1 + swing))


def _draw(
    info: reference.IndicatorInfo,
    mean: float,
    region: RegionAssumption,
    year: int,
    combo: tuple[str, str],
    rng: np.random.Generator,
) -> tuple[float, float | None, float | None]:
    """Draw one value: a share as a binomial count on the county's own denominator, else the mean.

    The numerator and denominator are reported with the value when the registry names them.
    """
    sex, residence = combo
    # A women-only measure counts every woman (or every birth): its "female" is the whole denominator.
    share = 1.0 if female_only(info) else {"female": 0.49, "male": 0.51}.get(sex, 1.0)
    share *= {"urban": region.urban_share, "rural": 1 - region.urban_share}.get(residence, 1.0)
    if _proportion(info):
        den = max(round(_denominator(info, region, year, share)), 10)
        num = int(rng.binomial(den, min(max(mean / float(info.per), 0.0), 1.0)))
        value = round(num / den * float(info.per), 2)
        return (value, float(num), float(den)) if info.from_counts else (value, None, None)
    if info.additive:
        return float(max(round(mean * share), 0)), None, None
    return round(mean, 2), None, None


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
