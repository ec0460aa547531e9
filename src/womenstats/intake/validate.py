"""Validation rules: every check a return must pass before it is loaded, with codes and locations.

`validate_file` reads a file, checks each value against the indicator registry and the plans, then
checks values against each other (sexes and residences adding up, duplicate keys) and against the
series' own history in the store (jumps, missing years). Errors stop the file from loading; warnings
are reported only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from womenstats._io import sha256_file
from womenstats.errors import Location
from womenstats.intake import reference
from womenstats.intake.columns import KEY_COLUMNS, OBS_COLUMNS, RESIDENCE_WORDS, SEX_WORDS
from womenstats.intake.normalise import Parsed, canonical_unit, clean_text, convert_rate, parse_number
from womenstats.intake.problems import Problem, problem, sort_key
from womenstats.intake.readers import RawRecord, ReadResult, read_return

#: Fewer events than this make a rate unreliable (NCHS rule: relative standard error above ~23%).
MIN_EVENTS = 20

#: A change is a jump when it is this many robust standard deviations from the series' usual change.
JUMP_K = 5.0

#: At least this many earlier values are needed before a jump can be judged.
JUMP_MIN_HISTORY = 3

_AGE = re.compile(r"^(\d{1,3})(?:-(\d{1,3})|\+)$")


@dataclass
class Checked:
    """A record that passed the field checks, with parsed values."""

    key: tuple[str, int, str, str, str, str]
    value: float
    numerator: float | None
    denominator: float | None
    decimals: int
    info: reference.IndicatorInfo
    location: Location
    record: RawRecord
    source: str
    simulated: int


@dataclass
class Validation:
    """The outcome of validating one file.

    Attributes
    ----------
    file : str
        File name as given.
    kind : str
        ``"template"``, ``"long"`` or ``"unreadable"``.
    problems : list of Problem
        Errors and warnings, sorted by location.
    rows : pandas.DataFrame
        The observations the file would load (:data:`OBS_COLUMNS`).
    normalisations : list of dict
        Cleaning steps: ``sheet, cell, original, result, steps``.
    sha256 : str or None
        SHA-256 of the file's bytes.
    """

    file: str
    kind: str
    problems: list[Problem]
    rows: pd.DataFrame
    normalisations: list[dict[str, object]] = field(default_factory=list)
    sha256: str | None = None

    @property
    def unreadable(self) -> bool:
        """Return True when the file could not be read at all."""
        return self.kind == "unreadable"

    @property
    def errors(self) -> list[Problem]:
        """Return the problems that stop loading."""
        return [p for p in self.problems if p.is_error]

    @property
    def ok(self) -> bool:
        """Return True when the file has no errors."""
        return not self.errors


def validate_file(
    path: str | Path,
    *,
    label: str | None = None,
    plan: str | None = None,
    history: pd.DataFrame | None = None,
    simulated: bool | None = None,
) -> Validation:
    """Read and validate one return.

    Parameters
    ----------
    path : path-like
        The file (.xlsx template or long table, or .csv long table).
    label : str, optional
        Name used in messages and provenance; defaults to the path as given.
    plan : str, optional
        Plan id the return is for: its region and years are then required.
    history : pandas.DataFrame, optional
        Stored observations (:data:`OBS_COLUMNS`) for the jump and missing-year checks.
    simulated : bool, optional
        Mark every value as simulated (模拟数据) regardless of the file.

    Returns
    -------
    Validation
        Problems, and the rows that would load.
    """
    read = read_return(path, label)
    sha = None if read.unreadable else sha256_file(path)
    return check(read, plan=plan, history=history, sha256=sha, simulated=simulated)


def check(
    read: ReadResult,
    *,
    plan: str | None = None,
    history: pd.DataFrame | None = None,
    sha256: str | None = None,
    simulated: bool | None = None,
) -> Validation:
    """Validate what a reader found (see :func:`validate_file`)."""
    checker = _Checker(read, plan, simulated)
    checked = checker.run()
    problems = list(read.problems) + checker.problems
    problems += _cross_checks(checked, read.file)
    if not any(p.is_error for p in problems):
        problems += _series_checks(checked, history, read.file)
    rows = _rows(checked, read.file, sha256 or "")
    problems.sort(key=sort_key)
    return Validation(read.file, read.kind, problems, rows, checker.normalisations, sha256)


class _Checker:
    """Field-by-field checks of each record."""

    def __init__(self, read: ReadResult, plan: str | None, simulated: bool | None):
        self.read = read
        self.file = read.file
        self.plan = plan
        self.simulated = simulated
        self.problems: list[Problem] = []
        self.normalisations: list[dict[str, object]] = []
        self.registry = reference.indicators()
        self.regions = reference.regions()

    def add(self, code: str, loc: Location, message: str) -> None:
        self.problems.append(problem(code, loc, message))

    def note(self, loc: Location, original: object, result: object, steps: list[str]) -> None:
        if steps:
            self.normalisations.append(
                {
                    "sheet": loc.sheet,
                    "cell": loc.cell or (f"第{loc.row}行" if loc.row else None),
                    "original": str(original),
                    "result": "" if result is None else repr(result),
                    "steps": "；".join(steps),
                }
            )

    def run(self) -> list[Checked]:
        meta_ok = True
        if self.read.kind == "template":
            meta_ok = self._check_meta()
        if not meta_ok:
            return []
        out: list[Checked] = []
        for record in self.read.records:
            item = self._check_record(record)
            if item is not None:
                out.append(item)
        return out

    # -- template header ---------------------------------------------------------------------
    def _check_meta(self) -> bool:
        meta = self.read.meta
        sheet = str(meta.get("sheet"))
        cells = meta.get("cells", {})
        plan_id = clean_text(meta.get("plan"))
        ok = True
        known_plans = reference.plan_ids()
        if plan_id not in known_plans:
            self.add(
                "E_TEMPLATE_LAYOUT",
                Location(self.file, sheet, cells.get("plan")),
                f"说明页的规划代码“{plan_id}”不在目录中，请用 womenstats template 重新生成报送表。",
            )
            return False
        if self.plan and self.plan != plan_id:
            self.add(
                "E_REGION_MISMATCH",
                Location(self.file, sheet, cells.get("plan")),
                f"报送表属于规划“{plan_id}”，而命令指定的是“{self.plan}”，请核对文件。",
            )
            ok = False
        self.plan = plan_id
        region = self._region(meta.get("region_code"), Location(self.file, sheet, cells.get("region_code")))
        year = self._year(meta.get("year"), Location(self.file, sheet, cells.get("year")), region)
        if region is None or year is None:
            return False
        for record in self.read.records:
            record.fields["region_code"] = region
            record.fields["year"] = year
        return ok

    # -- one record --------------------------------------------------------------------------
    def _check_record(self, rec: RawRecord) -> Checked | None:
        file = self.file
        loc = rec.location(file)
        before = len(self.problems)
        region = self._region(rec.fields.get("region_code"), rec.location(file, "region_code"))
        year = self._year(rec.fields.get("year"), rec.location(file, "year"), region)
        info = self._indicator(rec.fields.get("indicator_id"), rec.location(file, "indicator_id"))
        sex = self._code(rec, "sex", SEX_WORDS, "性别", "合计/女/男（或 total/female/male）")
        residence = self._code(
            rec, "residence", RESIDENCE_WORDS, "城乡", "合计/城镇/农村（或 all/urban/rural）"
        )
        age = self._age(rec)
        value = self._number(rec, "value", "数值")
        numerator = self._number(rec, "numerator", "分子")
        denominator = self._number(rec, "denominator", "分母")
        if len(self.problems) > before or info is None or region is None or year is None:
            return None
        if (
            sex is None
            or residence is None
            or age is None
            or value is None
            or numerator is None
            or denominator is None
        ):
            return None
        sex = _female_only_sex(info, sex)
        if not self._breakdown_allowed(info, sex, residence, age, loc):
            return None
        num, den = numerator.value, denominator.value
        if not self._counts(info, num, den, rec):
            return None
        val = value.value
        if val is None and num is not None and den is not None and info.is_rate and den > 0:
            val = num / den * float(info.per)
            value = Parsed(val, decimals=None, steps=["数值空缺，由分子/分母计算"])
            self.note(rec.location(file, "value"), "", val, value.steps)
        if val is None:
            return None
        val = self._unit(rec, info, value, val)
        if val is None:
            return None
        if not self._bounds(info, val, rec):
            return None
        decimals = value.decimals if value.decimals is not None else _decimals_of(val)
        if not self._rate_agrees(info, val, decimals, num, den, rec):
            return None
        return Checked(
            key=(region, year, info.id, sex, age, residence),
            value=val,
            numerator=num,
            denominator=den,
            decimals=decimals,
            info=info,
            location=rec.location(file, "value"),
            record=rec,
            source=self._source(rec),
            simulated=self._simulated(rec),
        )

    def _region(self, raw: object, loc: Location) -> str | None:
        text = clean_text(raw)
        if not re.fullmatch(r"\d{6}", text):
            self.add(
                "E_UNKNOWN_REGION",
                loc,
                f"地区代码“{text}”不是6位数字，请填写国家标准（GB/T 2260）的6位行政区划代码。",
            )
            return None
        if text not in self.regions:
            self.add(
                "E_UNKNOWN_REGION",
                loc,
                f"地区代码“{text}”不属于目录中的任何规划地区，请核对代码（全国填000000）。",
            )
            return None
        if self.plan is not None:
            from womenstats import catalog

            expected = str(catalog.plan(self.plan).region_code)
            if text != expected:
                self.add(
                    "E_REGION_MISMATCH",
                    loc,
                    f"地区代码“{text}”与规划“{self.plan}”的地区（{expected}）不一致，请核对或改报到对应规划。",
                )
                return None
        return text

    def _year(self, raw: object, loc: Location, region: str | None) -> int | None:
        text = clean_text(raw)
        trimmed = text[:-1] if text.endswith("年") else text
        if not re.fullmatch(r"\d{4}(\.0+)?", trimmed):
            self.add("E_BAD_YEAR", loc, f"年份“{text}”不是四位整数，请填写如 2024。")
            return None
        year = int(float(trimmed))
        if trimmed != text:
            self.note(loc, text, year, ["去掉“年”字"])
        if region is None:
            return year
        if self.plan is not None:
            first, last = reference.plan_span(self.plan)
        else:
            span = self.regions[region]
            first, last = span.first_year, span.last_year
        if not first <= year <= last:
            self.add(
                "E_YEAR_OUT_OF_SPAN",
                loc,
                f"年份 {year} 不在规划监测期内（可报 {first}—{last} 年），请核对年份。",
            )
            return None
        return year

    def _indicator(self, raw: object, loc: Location) -> reference.IndicatorInfo | None:
        text = clean_text(raw)
        info = self.registry.get(text)
        if info is not None:
            return info
        by_name = reference.indicator_by_name()
        hint = f"（“{text}”是指标名称，代码应为 {by_name[text]}）" if text in by_name else ""
        self.add(
            "E_UNKNOWN_INDICATOR",
            loc,
            f"指标代码“{text}”不在指标库中{hint}，请按报送模板或 womenstats catalog list 填写指标代码。",
        )
        return None

    def _code(
        self, rec: RawRecord, column: str, words: dict[str, str], label: str, allowed: str
    ) -> str | None:
        raw = rec.fields.get(column)
        text = clean_text(raw).replace(" ", "")
        code = words.get(text, words.get(text.lower()))
        if code is None:
            self.add(
                "E_BAD_CODE", rec.location(self.file, column), f"{label}“{text}”无法识别，请填写 {allowed}。"
            )
        return code

    def _age(self, rec: RawRecord) -> str | None:
        text = clean_text(rec.fields.get("age_group")).replace(" ", "")
        if text.lower() in {"", "all", "合计", "全部"}:
            return "all"
        cleaned = (
            re.sub(r"[—–~～至到]", "-", text).replace("岁", "").replace("及以上", "+").replace("以上", "+")
        )
        match = _AGE.fullmatch(cleaned)
        if match is None or (match.group(2) is not None and int(match.group(2)) < int(match.group(1))):
            self.add(
                "E_BAD_CODE",
                rec.location(self.file, "age_group"),
                f"年龄组“{text}”无法识别，请写成 35-64、15-49 或 65+（全部年龄填 all）。",
            )
            return None
        if cleaned != text:
            self.note(rec.location(self.file, "age_group"), text, cleaned, ["年龄组写法统一"])
        return cleaned

    def _number(self, rec: RawRecord, column: str, label: str) -> Parsed | None:
        raw = rec.fields.get(column)
        parsed = parse_number(raw)
        loc = rec.location(self.file, column)
        if not parsed.ok:
            self.add(
                "E_NOT_A_NUMBER",
                loc,
                f"{label}“{clean_text(raw)}”不是数字，请只填数字（缺报请留空或填“—”）。",
            )
            return None
        self.note(loc, raw, parsed.value, parsed.steps)
        return parsed

    def _breakdown_allowed(
        self, info: reference.IndicatorInfo, sex: str, residence: str, age: str, loc: Location
    ) -> bool:
        problems = []
        if (
            sex != "total"
            and "sex" not in info.breakdowns
            and not (sex == "female" and info.subject == "female")
        ):
            problems.append(f"性别（{sex}）")
        if residence != "all" and "residence" not in info.breakdowns:
            problems.append(f"城乡（{residence}）")
        if age != "all" and "age_group" not in info.breakdowns:
            problems.append(f"年龄组（{age}）")
        if problems:
            self.add(
                "E_BREAKDOWN_NOT_ALLOWED",
                loc,
                f"指标 {info.id}（{info.name}）不按{'、'.join(problems)}分组，请填在合计一栏或核对指标代码。",
            )
            return False
        return True

    def _counts(
        self, info: reference.IndicatorInfo, num: float | None, den: float | None, rec: RawRecord
    ) -> bool:
        ok = True
        for column, label, number in (("numerator", "分子", num), ("denominator", "分母", den)):
            if number is None:
                continue
            loc = rec.location(self.file, column)
            if number < 0:
                self.add(
                    "E_NEGATIVE_COUNT", loc, f"{label} {_fmt(number)} 是负数，人数、例数不能为负，请核对。"
                )
                ok = False
            elif not float(number).is_integer():
                self.add(
                    "E_NOT_INTEGER_COUNT",
                    loc,
                    f"{label} {_fmt(number)} 不是整数，分子分母应填人数或例数，请核对。",
                )
                ok = False
        if not ok or num is None or den is None:
            return ok
        if den == 0:
            self.add(
                "E_ZERO_DENOMINATOR",
                rec.location(self.file, "denominator"),
                "分母为 0，无法计算比率，请核对分母或留空该行。",
            )
            return False
        if info.is_rate and num > den:
            self.add(
                "E_NUMERATOR_GT_DENOMINATOR",
                rec.location(self.file, "numerator"),
                f"分子 {_fmt(num)} 大于分母 {_fmt(den)}，请核对两者是否填反或填错。",
            )
            return False
        return True

    def _unit(self, rec: RawRecord, info: reference.IndicatorInfo, value: Parsed, val: float) -> float | None:
        loc_unit = rec.location(self.file, "unit")
        given = canonical_unit(rec.fields.get("unit"))
        if given and value.percent and given != "%":
            self.add(
                "E_UNIT_MISMATCH",
                rec.location(self.file, "value"),
                f"数值带百分号，但单位填的是“{given}”，请统一单位。",
            )
            return None
        from_unit = given or ("%" if value.percent else info.unit)
        if from_unit == info.unit:
            return val
        converted = convert_rate(val, from_unit, info.unit, info.per)
        if converted is None:
            where = loc_unit if given else rec.location(self.file, "value")
            self.add(
                "E_UNIT_MISMATCH",
                where,
                f"单位“{from_unit}”与指标 {info.id} 的单位“{info.unit}”不一致且不能换算，"
                f"请按“{info.unit}”填报。",
            )
            return None
        self.note(
            rec.location(self.file, "value"),
            f"{_fmt(val)}{from_unit}",
            converted,
            [f"单位换算：{from_unit} → {info.unit}"],
        )
        return converted

    def _bounds(self, info: reference.IndicatorInfo, val: float, rec: RawRecord) -> bool:
        loc = rec.location(self.file, "value")
        if info.additive and val < 0:
            self.add("E_NEGATIVE_COUNT", loc, f"数值 {_fmt(val)} 是负数，{info.name}不能为负，请核对。")
            return False
        low = info.lower if info.lower is not None else -math.inf
        high = info.upper if info.upper is not None else math.inf
        if not low <= val <= high:
            low_text = _fmt(info.lower) if info.lower is not None else "-∞"
            high_text = _fmt(info.upper) if info.upper is not None else "∞"
            span = f"{low_text}—{high_text}"
            self.add(
                "E_OUT_OF_RANGE",
                loc,
                f"{info.name}为 {_fmt(val)}{info.unit}，超出取值范围 {span}{info.unit}，请核对数值和单位。",
            )
            return False
        return True

    def _rate_agrees(
        self,
        info: reference.IndicatorInfo,
        val: float,
        decimals: int,
        num: float | None,
        den: float | None,
        rec: RawRecord,
    ) -> bool:
        if not info.is_rate or num is None or den is None:
            return True
        expected = num / den * float(info.per)
        tolerance = 0.5 * 10.0 ** (-decimals) * 1.0001 + 1e-9
        if abs(expected - val) > tolerance:
            self.add(
                "E_RATE_MISMATCH",
                rec.location(self.file, "value"),
                f"数值 {_fmt(val)} 与分子/分母算出的 {expected:.{max(decimals, 2)}f}（{info.unit}）"
                f"（{_fmt(num)}/{_fmt(den)}×{_fmt(info.per)}）不一致，请核对数值、分子和分母。",
            )
            return False
        return True

    def _source(self, rec: RawRecord) -> str:
        text = clean_text(rec.fields.get("source"))
        return text or (rec.sheet or "")

    def _simulated(self, rec: RawRecord) -> int:
        if self.simulated is not None:
            return int(self.simulated)
        if self.read.kind == "template":
            return int(clean_text(self.read.meta.get("simulated")) in {"是", "1", "yes", "true"})
        return int(
            clean_text(rec.fields.get("simulated")).lower() in {"1", "是", "yes", "true", "模拟", "模拟数据"}
        )


def female_only(info: reference.IndicatorInfo) -> bool:
    """Return True for a statistic about women only that has no sex breakdown (e.g. 孕产妇死亡率)."""
    return info.subject == "female" and "sex" not in info.breakdowns


def _female_only_sex(info: reference.IndicatorInfo, sex: str) -> str:
    """Record a women-only statistic under ``female`` even when reported as the total (catalog convention)."""
    return "female" if female_only(info) and sex == "total" else sex


def _decimals_of(value: float) -> int:
    """Decimals of a float as Excel would show it (from its shortest repr, at most 10)."""
    text = repr(round(float(value), 10))
    if "e" in text or "." not in text:
        return 0
    decimals = len(text.split(".", 1)[1].rstrip("0"))
    return min(decimals, 10)


def _fmt(value: float | None) -> str:
    """Format a number for a message: integers without a decimal point."""
    if value is None:
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:g}"


# -- checks across records ------------------------------------------------------------------------
def _cross_checks(items: list[Checked], file: str) -> list[Problem]:
    """Duplicate keys, and sexes or residences that do not add up."""
    problems: list[Problem] = []
    seen: dict[tuple, Checked] = {}
    for item in items:
        first = seen.get(item.key)
        if first is None:
            seen[item.key] = item
            continue
        same = math.isclose(first.value, item.value, rel_tol=1e-9, abs_tol=1e-12)
        code = "W_DUPLICATE_ROW" if same else "E_DUPLICATE_KEY"
        message = (
            f"与 {first.location} 重复（同一地区、年份、指标和分组），数值相同，只保留一行即可。"
            if same
            else f"与 {first.location} 是同一地区、年份、指标和分组，但数值不同（{_fmt(first.value)} 与 "
            f"{_fmt(item.value)}），请只保留正确的一个。"
        )
        problems.append(problem(code, item.location, message))
        item.key = ()  # type: ignore[assignment]
    unique = dict(seen)
    for (region, year, ind, sex, age, residence), total in unique.items():
        if sex == "total":
            female = unique.get((region, year, ind, "female", age, residence))
            male = unique.get((region, year, ind, "male", age, residence))
            problems += _parts_check(total, female, male, "sex")
        if residence == "all":
            urban = unique.get((region, year, ind, sex, age, "urban"))
            rural = unique.get((region, year, ind, sex, age, "rural"))
            problems += _parts_check(total, urban, rural, "residence")
    return problems


def _parts_check(total: Checked, first: Checked | None, second: Checked | None, kind: str) -> list[Problem]:
    """Check that two parts (female/male or urban/rural) agree with their total."""
    info = total.info
    names = ("女性", "男性", "E_SEX_SUM") if kind == "sex" else ("城镇", "农村", "E_RESIDENCE_SUM")
    out: list[Problem] = []
    if info.additive:
        if kind == "sex" and first is not None and first.value > total.value + _tol(first, total):
            out.append(
                problem(
                    "E_FEMALE_GT_TOTAL",
                    first.location,
                    f"女性 {_fmt(first.value)} 大于合计 {_fmt(total.value)}（{total.location}），请核对。",
                )
            )
            return out
        if first is not None and second is not None:
            out += _sum_check(total, first, second, "value", names)
        return out
    if kind == "sex" and first is not None:
        for column, label in (("numerator", "分子"), ("denominator", "分母")):
            part, whole = getattr(first, column), getattr(total, column)
            if part is not None and whole is not None and part > whole:
                message = (f"女性{label} {_fmt(part)} 大于合计{label} {_fmt(whole)}"
                           f"（{total.location}），请核对。")
                out.append(problem("E_FEMALE_GT_TOTAL", first.location, message))
                return out
    if first is None or second is None:
        return out
    for column in ("numerator", "denominator"):
        out += _sum_check(total, first, second, column, names)
    if out:
        return out
    low, high = sorted((first.value, second.value))
    tol = _tol(first, second, total)
    if not low - tol <= total.value <= high + tol:
        out.append(
            problem(
                "E_TOTAL_NOT_BETWEEN",
                total.location,
                f"合计 {_fmt(total.value)} 不在{names[0]} {_fmt(first.value)} 与{names[1]} "
                f"{_fmt(second.value)} 之间（合计比率是两者的加权平均），请核对。",
            )
        )
    return out


def _sum_check(
    total: Checked, first: Checked, second: Checked, column: str, names: tuple[str, str, str]
) -> list[Problem]:
    values = [getattr(item, column) for item in (total, first, second)]
    if any(v is None for v in values):
        return []
    tol = _tol(first, second, total) if column == "value" else 0.5
    if abs(values[1] + values[2] - values[0]) > tol:
        label = {"value": "", "numerator": "分子", "denominator": "分母"}[column]
        return [
            problem(
                names[2],
                total.location,
                f"{names[0]}{label} {_fmt(values[1])} + {names[1]}{label} {_fmt(values[2])} = "
                f"{_fmt(values[1] + values[2])}，与合计{label} {_fmt(values[0])} 不符，请核对。",
            )
        ]
    return []


def _tol(*items: Checked) -> float:
    """Return the rounding tolerance: half a unit in the last written decimal of each value, summed."""
    return sum(0.5 * 10.0 ** (-item.decimals) for item in items) * 1.0001 + 1e-9


# -- checks against the series' history ----------------------------------------------------------
def _series_checks(items: list[Checked], history: pd.DataFrame | None, file: str) -> list[Problem]:
    """Missing years between reported ones, jumps, and rates from small counts."""
    problems: list[Problem] = []
    by_series: dict[tuple, dict[int, Checked]] = {}
    for item in items:
        if not item.key:
            continue
        region, year, ind, sex, age, residence = item.key
        by_series.setdefault((region, ind, sex, age, residence), {})[year] = item
        problems += _small_counts(item)
    stored = _history_map(history)
    for series, file_years in by_series.items():
        values = dict(stored.get(series, {}))
        values.update({year: item.value for year, item in file_years.items()})
        years = sorted(values)
        for year, item in sorted(file_years.items()):
            earlier = [y for y in years if y < year]
            if earlier and year - 1 not in values:
                gap = list(range(max(earlier) + 1, year))
                problems.append(
                    problem(
                        "W_MISSING_YEAR",
                        item.location,
                        f"{item.info.name}缺少 {'、'.join(map(str, gap))} 年的数，请补报或说明原因。",
                    )
                )
            small = (
                item.denominator is not None
                and item.info.per is not None
                and item.denominator < item.info.per
            )
            if small or len(earlier) < JUMP_MIN_HISTORY:
                continue
            problems += _jump(item, [values[y] for y in earlier], year, max(earlier))
    return problems


def _history_map(history: pd.DataFrame | None) -> dict[tuple, dict[int, float]]:
    out: dict[tuple, dict[int, float]] = {}
    if history is None or history.empty:
        return out
    for row in history.itertuples(index=False):
        key = (row.region_code, row.indicator_id, row.sex, row.age_group, row.residence)
        if row.value is not None and not (isinstance(row.value, float) and math.isnan(row.value)):
            out.setdefault(key, {})[int(row.year)] = float(row.value)
    return out


def _jump(item: Checked, earlier: list[float], year: int, last_year: int) -> list[Problem]:
    r"""Flag a change far outside the series' own changes.

    With earlier values :math:`x_1..x_n` (:math:`n \ge 3`) and their changes :math:`d_i`, the change to
    this value :math:`d = x - x_n` is a jump when :math:`|d - \operatorname{median}(d_i)| > k s`, where
    :math:`s = \max(1.4826\,\mathrm{MAD}(d_i),\ 0.02|x_n|)` (a robust standard deviation, floored at
    2% of the level so that a flat series does not flag rounding) and :math:`k` is :data:`JUMP_K`.
    Reference: Hampel's identifier, e.g. Leys et al. (2013), *J. Exp. Soc. Psychol.* 49(4).
    """
    diffs = np.diff(np.asarray(earlier, dtype=float))
    centre = float(np.median(diffs))
    mad = float(np.median(np.abs(diffs - centre)))
    scale = max(1.4826 * mad, 0.02 * abs(earlier[-1]), 1e-9)
    change = item.value - earlier[-1]
    if abs(change - centre) <= JUMP_K * scale:
        return []
    return [
        problem(
            "W_JUMP",
            item.location,
            f"{item.info.name}从 {last_year} 年的 {_fmt(earlier[-1])} 变为 {year} 年的 {_fmt(item.value)}，"
            f"变化远超该序列以往的年度变化（中位数 {centre:+.3g}），请核实是否填错或口径改变。",
        )
    ]


def _small_counts(item: Checked) -> list[Problem]:
    info = item.info
    if not info.is_rate or item.denominator is None or item.numerator is None:
        return []
    if item.denominator >= float(info.per) and item.numerator >= MIN_EVENTS:
        return []
    return [
        problem(
            "W_SMALL_DENOMINATOR",
            item.location,
            f"{info.name}由 {_fmt(item.numerator)}/{_fmt(item.denominator)} 算出，事件数或分母太小，"
            "比率年际波动大；解读时请看区间估计或合并多年数据。",
        )
    ]


def _rows(items: list[Checked], file: str, sha256: str) -> pd.DataFrame:
    """Observation rows (:data:`OBS_COLUMNS`) of the checked records, duplicates dropped."""
    records = []
    for item in items:
        if not item.key:
            continue
        region, year, ind, sex, age, residence = item.key
        records.append(
            {
                "region_code": region,
                "year": year,
                "indicator_id": ind,
                "sex": sex,
                "age_group": age,
                "residence": residence,
                "value": item.value,
                "numerator": np.nan if item.numerator is None else item.numerator,
                "denominator": np.nan if item.denominator is None else item.denominator,
                "unit": item.info.unit,
                "source_file": file,
                "source_sha256": sha256,
                "sheet": item.record.sheet or "",
                "cell": item.location.cell or f"第{item.record.row}行",
                "source": item.source,
                "simulated": item.simulated,
            }
        )
    frame = pd.DataFrame(records, columns=list(OBS_COLUMNS))
    return frame.sort_values(list(KEY_COLUMNS), kind="mergesort").reset_index(drop=True)
