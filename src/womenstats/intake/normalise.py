"""Normalisation: each located raw record becomes, once, a record of typed, located cells.

A reader gives :class:`~womenstats.intake.records.RawRecord` objects (text as typed, with the cell or
row of each field). Here each one is turned, in one pass, into a :class:`TypedRecord`: the region code
checked against the plans, the year an integer in the plan's span, the indicator looked up in the
registry, sex, residence and age group in their codes, the value, numerator and denominator read by
the strict number grammar (:mod:`womenstats.intake.numbers`), the unit in the registry's spelling.
Every cleaning step is recorded (``"85.3%" → 85.3：去掉百分号``) so the store can show what was
changed in which cell. A field that cannot be typed is a problem at its cell, and the record goes no
further; the checks of :mod:`womenstats.intake.rules` only ever see typed cells.
"""

from __future__ import annotations

import dataclasses
import math
import re
import unicodedata
from dataclasses import dataclass

from womenstats import catalog
from womenstats.catalog.lookup import did_you_mean, label_index, normalise_label
from womenstats.errors import Location
from womenstats.intake import reference
from womenstats.intake.columns import RESIDENCE_WORDS, SEX_WORDS
from womenstats.intake.numbers import MISSING_MARKERS, Parsed, parse_number
from womenstats.intake.problems import Findings
from womenstats.intake.records import RawRecord, ReadResult

__all__ = ["MISSING_MARKERS", "Parsed", "TypedRecord", "canonical_unit", "clean_text", "convert_rate",
           "parse_number", "type_records"]

#: Units written in different ways, mapped to the registry's spelling.
UNIT_ALIASES: dict[str, str] = {
    "％": "%",
    "百分比": "%",
    "percent": "%",
    "‰": "‰",
    "千分比": "‰",
    "1/10万": "1/10万",
    "/10万": "1/10万",
    "每10万": "1/10万",
    "1/100000": "1/10万",
    "/100000": "1/10万",
    "per100000": "1/10万",
    "1/万": "1/万",
    "/万": "1/万",
}

#: Base of each rate unit: a value in this unit is (numerator / denominator) × base.
RATE_BASE: dict[str, int] = {"%": 100, "‰": 1000, "1/万": 10_000, "1/10万": 100_000}

def clean_text(raw: object) -> str:
    """Return a cell as trimmed half-width text (``""`` for None or NaN)."""
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return unicodedata.normalize("NFKC", str(raw)).strip()


def canonical_unit(raw: object) -> str:
    """Return the registry spelling of a unit (``"％"`` → ``"%"``, ``"/10万"`` → ``"1/10万"``)."""
    text = clean_text(raw).replace(" ", "")
    return UNIT_ALIASES.get(text, UNIT_ALIASES.get(text.lower(), text))


def convert_rate(value: float, from_unit: str, to_unit: str, per: float | None) -> float | None:
    r"""Convert a rate between units the registry defines (%, ‰, 1/万, 1/10万).

    A value in a unit with base :math:`b_1` is rescaled to base :math:`b_2` as :math:`v \cdot b_2 / b_1`.
    Only indicators with a ``per`` (rates) are converted; anything else returns None.

    Parameters
    ----------
    value : float
        The value in ``from_unit``.
    from_unit, to_unit : str
        Canonical units.
    per : float or None
        The indicator's base from the registry (None for non-rates).

    Returns
    -------
    float or None
        The converted value, or None when no conversion is defined.
    """
    if from_unit == to_unit:
        return value
    if per is None or from_unit not in RATE_BASE or to_unit not in RATE_BASE:
        return None
    return value * RATE_BASE[to_unit] / RATE_BASE[from_unit]


#: Rows an unknown indicator's problem lists before “等”.
UNKNOWN_SHOWN = 5

_AGE = re.compile(r"^(\d{1,3})(?:-(\d{1,3})|\+)$")
_YES = {"1", "是", "yes", "true", "模拟", "模拟数据"}


@dataclass
class TypedRecord:
    """One record with every field typed: what the validation rules check.

    Attributes
    ----------
    record : RawRecord
        The raw record (its cells locate each field).
    region, year, info, sex, age, residence
        The key: region code, year, registry entry, ``female/male/total``, age group, ``all/urban/rural``.
    value, numerator, denominator : Parsed
        The numbers as read (missing where not reported).
    unit : str
        The unit given, in the registry's spelling ('' when none was given).
    source : str
        The source text (the sheet name when none was given).
    simulated : int
        1 when the value is simulated (模拟数据).
    """

    record: RawRecord
    region: str
    year: int
    info: reference.IndicatorInfo
    sex: str
    age: str
    residence: str
    value: Parsed
    numerator: Parsed
    denominator: Parsed
    unit: str
    source: str
    simulated: int

    def at(self, file: str, column: str | None = None) -> Location:
        """Return where the record, or one of its fields, is."""
        return self.record.location(file, column)


def type_records(read: ReadResult, found: Findings, *, plan: str | None = None,
                 simulated: bool | None = None) -> list[TypedRecord]:
    """Type every record of a file once, recording problems and cleaning steps in ``found``.

    Parameters
    ----------
    read : ReadResult
        What the reader found.
    found : Findings
        Where problems and cleaning steps go.
    plan : str, optional
        Plan id the return is for (its region and years are then required).
    simulated : bool, optional
        Mark every value as simulated regardless of the file.

    Returns
    -------
    list of TypedRecord
        The records whose every field could be typed, in file order.
    """
    typer = _Typer(read, found, plan, simulated)
    if read.kind == "template" and not typer.meta():
        return []
    out = [typer.record(rec) for rec in read.records]
    typer.report_unknown()
    return [item for item in out if item is not None]


def _plain(value: float | None) -> str:
    """Write a number as typed: integers without a decimal point, never in exponent form."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


class _Typer:
    """Field-by-field typing of the records of one file."""

    def __init__(self, read: ReadResult, found: Findings, plan: str | None, simulated: bool | None):
        self.read = read
        self.file = read.file
        self.found = found
        self.plan = plan
        self.simulated = simulated
        self.registry = reference.indicators()
        self.regions = reference.regions()
        self.labels = label_index(catalog.indicators())
        #: Unknown indicator text -> (index of its problem, locations of every row with it).
        self.unknown: dict[str, tuple[int, list[Location]]] = {}

    def meta(self) -> bool:
        """Type a template's header (plan, region, year), which applies to all its records."""
        meta = self.read.meta
        sheet = str(meta.get("sheet"))
        cells = meta.get("cells", {})
        plan_id = clean_text(meta.get("plan"))
        ok = True
        if plan_id not in reference.plan_ids():
            self.found.add(
                "E_TEMPLATE_LAYOUT",
                Location(self.file, sheet, cells.get("plan")),
                f"说明页的规划代码“{plan_id}”不在目录中，请用 womenstats template 重新生成报送表。",
            )
            return False
        if self.plan and self.plan != plan_id:
            self.found.add(
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

    def record(self, rec: RawRecord) -> TypedRecord | None:
        """Type one record; None when any field cannot be typed (the problem is recorded)."""
        file = self.file
        before = len(self.found.problems)
        region = self._region(rec.fields.get("region_code"), rec.location(file, "region_code"))
        year = self._year(rec.fields.get("year"), rec.location(file, "year"), region)
        info = self._indicator(rec.fields.get("indicator_id"), rec.location(file, "indicator_id"))
        sex = self._code(rec, "sex", SEX_WORDS, "性别", "合计/女/男（或 total/female/male）")
        residence = self._code(rec, "residence", RESIDENCE_WORDS, "城乡",
                               "合计/城镇/农村（或 all/urban/rural）")
        age = self._age(rec)
        numbers = [self._number(rec, column, label)
                   for column, label in (("value", "数值"), ("numerator", "分子"), ("denominator", "分母"))]
        if info is None or any(item.is_error for item in self.found.problems[before:]):
            return None
        assert region is not None and year is not None and info is not None
        assert sex is not None and residence is not None and age is not None
        value, numerator, denominator = numbers
        assert value is not None and numerator is not None and denominator is not None
        return TypedRecord(rec, region, year, info, sex, age, residence, value, numerator, denominator,
                           canonical_unit(rec.fields.get("unit")), self._source(rec), self._simulated(rec))

    def _region(self, raw: object, loc: Location) -> str | None:
        text = clean_text(raw)
        if not re.fullmatch(r"\d{6}", text):
            self.found.add("E_UNKNOWN_REGION", loc,
                           f"地区代码“{text}”不是6位数字，请填写国家标准（GB/T 2260）的6位行政区划代码。")
            return None
        if text not in self.regions:
            self.found.add("E_UNKNOWN_REGION", loc,
                           f"地区代码“{text}”不属于目录中的任何规划地区，请核对代码（全国填000000）。")
            return None
        if self.plan is not None:
            expected = str(catalog.plan(self.plan).region_code)
            if text != expected:
                self.found.add(
                    "E_REGION_MISMATCH", loc,
                    f"地区代码“{text}”与规划“{self.plan}”的地区（{expected}）不一致，请核对或改报到对应规划。",
                )
                return None
        return text

    def _year(self, raw: object, loc: Location, region: str | None) -> int | None:
        text = clean_text(raw)
        trimmed = text[:-1] if text.endswith("年") else text
        if not re.fullmatch(r"\d{4}(\.0+)?", trimmed):
            self.found.add("E_BAD_YEAR", loc, f"年份“{text}”不是四位整数，请填写如 2024。")
            return None
        year = int(float(trimmed))
        if trimmed != text:
            self.found.note(loc, text, year, ["去掉“年”字"])
        if region is None:
            return year
        if self.plan is not None:
            first, last = reference.plan_span(self.plan)
        else:
            span = self.regions[region]
            first, last = span.first_year, span.last_year
        if not first <= year <= last:
            self.found.add("E_YEAR_OUT_OF_SPAN", loc,
                           f"年份 {year} 不在规划监测期内（可报 {first}—{last} 年），请核对年份。")
            return None
        return year

    def _indicator(self, raw: object, loc: Location) -> reference.IndicatorInfo | None:
        """Read an indicator by its id, Chinese name or alias; an unknown one is reported once."""
        text = clean_text(raw)
        info = self.registry.get(text)
        if info is not None:
            return info
        ident = self.labels.get(normalise_label(text))
        if ident is not None and ident in self.registry:
            self.found.note(loc, text, ident, [f"指标名称“{text}”认作指标代码 {ident}"])
            return self.registry[ident]
        if text in self.unknown:
            self.unknown[text][1].append(loc)
            return None
        self.unknown[text] = (len(self.found.problems), [loc])
        self.found.add("E_UNKNOWN_INDICATOR", loc, self._unknown_message(text, [loc]))
        return None

    def _unknown_message(self, text: str, where: list[Location]) -> str:
        places = "、".join(w.cell or (f"第{w.row}行" if w.row else "") for w in where[:UNKNOWN_SHOWN])
        more = " 等" if len(where) > UNKNOWN_SHOWN else ""
        rows = f"共 {len(where)} 行（{places}{more}）" if len(where) > 1 else "1 行"
        hint = did_you_mean(text, catalog.indicators()) if text else ""
        return (f"指标“{text}”不在指标库中（按指标代码、名称和别名查找），{rows}。{hint}"
                "请按报送模板或 womenstats catalog list 填写指标代码或名称。")

    def report_unknown(self) -> None:
        """Give each unknown indicator's one problem the count and places of all its rows."""
        for text, (index, where) in self.unknown.items():
            if len(where) > 1:
                old = self.found.problems[index]
                message = self._unknown_message(text, where)
                self.found.problems[index] = dataclasses.replace(old, message=message)

    def _code(self, rec: RawRecord, column: str, words: dict[str, str], label: str,
              allowed: str) -> str | None:
        text = clean_text(rec.fields.get(column)).replace(" ", "")
        code = words.get(text, words.get(text.lower()))
        if code is None:
            self.found.add("E_BAD_CODE", rec.location(self.file, column),
                           f"{label}“{text}”无法识别，请填写 {allowed}。")
        return code

    def _age(self, rec: RawRecord) -> str | None:
        text = clean_text(rec.fields.get("age_group")).replace(" ", "")
        if text.lower() in {"", "all", "合计", "全部"}:
            return "all"
        cleaned = re.sub(r"[—–~～至到]", "-", text).replace("岁", "")
        cleaned = cleaned.replace("及以上", "+").replace("以上", "+")
        match = _AGE.fullmatch(cleaned)
        if match is None or (match.group(2) is not None and int(match.group(2)) < int(match.group(1))):
            self.found.add("E_BAD_CODE", rec.location(self.file, "age_group"),
                           f"年龄组“{text}”无法识别，请写成 35-64、15-49 或 65+（全部年龄填 all）。")
            return None
        if cleaned != text:
            self.found.note(rec.location(self.file, "age_group"), text, cleaned, ["年龄组写法统一"])
        return cleaned

    def _number(self, rec: RawRecord, column: str, label: str) -> Parsed | None:
        raw = rec.fields.get(column)
        parsed = parse_number(raw)
        loc = rec.location(self.file, column)
        if not parsed.ok:
            shown = str(raw).strip() if raw is not None else ""
            self.found.add("E_NOT_A_NUMBER", loc,
                           f"{label}“{shown}”不是数字：{parsed.reason or '不是数字'}。"
                           "请只填数字（如 45.3、3,046、85.3%；缺报请留空或填“—”）。")
            return None
        if parsed.footnote:
            self.found.add("W_FOOTNOTE_MARK", loc,
                           f"{label}“{str(raw).strip()}”末尾的注释符号“{parsed.footnote}”已去掉，按 "
                           f"{_plain(parsed.value)} 入库；注释请写在备注列（报送表）或来源列（长表）。")
        self.found.note(loc, raw, parsed.value, parsed.steps)
        return parsed

    def _source(self, rec: RawRecord) -> str:
        return clean_text(rec.fields.get("source")) or (rec.sheet or "")

    def _simulated(self, rec: RawRecord) -> int:
        if self.simulated is not None:
            return int(self.simulated)
        if self.read.kind == "template":
            return int(clean_text(self.read.meta.get("simulated")) in {"是", "1", "yes", "true"})
        return int(clean_text(rec.fields.get("simulated")).lower() in _YES)
