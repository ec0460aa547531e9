"""The system's own Table Schema of a package's resources, and reading a resource by it, strictly.

:func:`table_schema` is the one definition of each resource's columns, types, constraints and key:
:func:`womenstats.intake.package.export_package` writes it into ``datapackage.json`` (so any
Frictionless tool can validate a package), and :func:`read_table` reads a received resource by it,
whatever schema the package carries (a package that drops its ``primaryKey`` or loosens a type
changes nothing here). Reading is strict: UTF-8, comma-separated, the header exactly the schema's
fields in order; a number is a plain decimal (``3046``, ``25.5``, ``1e-05``), never ``NaN``, ``INF``
or ``1,500``; an integer is digits; a text holds no control character but tab and line breaks;
``required``, ``enum`` and ``pattern`` as declared; no two rows
with the same primary key; no field longer than a return's
(:data:`womenstats.intake.readers.MAX_FIELD_CHARS`). Each problem names the resource and the row.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from dataclasses import dataclass, field

from womenstats.errors import Location
from womenstats.intake.columns import KEY_COLUMNS, OBS_COLUMNS
from womenstats.intake.problems import Problem, problem
from womenstats.intake.readers import MAX_FIELD_CHARS

#: Columns of the revision history resource.
REVISION_COLUMNS: tuple[str, ...] = (
    "region_code", "year", "indicator_id", "sex", "age_group", "residence", "old_value", "old_numerator",
    "old_denominator", "old_unit", "old_source", "old_simulated", "old_source_file", "old_source_sha256",
    "old_sheet", "old_cell", "new_value", "revised_by_file", "revised_by_sha256",
)

_TYPES = {
    "year": "integer", "value": "number", "numerator": "number", "denominator": "number",
    "simulated": "integer", "old_value": "number", "old_numerator": "number", "old_denominator": "number",
    "old_simulated": "integer", "new_value": "number",
}
_CONSTRAINTS: dict[str, dict] = {
    "region_code": {"required": True, "pattern": r"\d{6}"},
    "year": {"required": True},
    "indicator_id": {"required": True},
    "sex": {"required": True, "enum": ["female", "male", "total"]},
    "age_group": {"required": True, "pattern": r"all|\d{1,3}(-\d{1,3}|\+)"},
    "residence": {"required": True, "enum": ["all", "urban", "rural"]},
    "value": {"required": True},
    "unit": {"required": True},
    "source_sha256": {"pattern": r"([0-9a-f]{64})?"},
    "simulated": {"required": True, "enum": [0, 1]},
    "old_simulated": {"enum": [0, 1]},
    "old_source_sha256": {"pattern": r"([0-9a-f]{64})?"},
    "new_value": {"required": True},
    "revised_by_file": {"required": True},
    "revised_by_sha256": {"required": True, "pattern": r"[0-9a-f]{64}"},
}
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def table_schema(columns: tuple[str, ...], key: tuple[str, ...] = ()) -> dict:
    """Return the Table Schema of a resource with these columns (and this primary key).

    Parameters
    ----------
    columns : tuple of str
        The resource's columns, in order (:data:`~womenstats.intake.columns.OBS_COLUMNS` or
        :data:`REVISION_COLUMNS`).
    key : tuple of str, optional
        The primary key.

    Returns
    -------
    dict
        ``fields`` (name, type, constraints), ``missingValues`` and ``primaryKey``.
    """
    fields = []
    for name in columns:
        item: dict = {"name": name, "type": _TYPES.get(name, "string")}
        if name in _CONSTRAINTS:
            item["constraints"] = dict(_CONSTRAINTS[name])
        fields.append(item)
    schema: dict = {"fields": fields, "missingValues": [""]}
    if key:
        schema["primaryKey"] = list(key)
    return schema


#: The schema of each resource, as womenstats writes and reads it.
SCHEMAS: dict[str, dict] = {
    "observations": table_schema(OBS_COLUMNS, KEY_COLUMNS),
    "revisions": table_schema(REVISION_COLUMNS),
}


@dataclass
class Table:
    """A resource read by its schema.

    Attributes
    ----------
    rows : list of dict
        Column → typed value (None where missing), for the rows without problems.
    numbers : list of int
        Each row's number in the resource (the header is row 1).
    problems : list of Problem
        What the schema refused, each naming the package, the resource and the row.
    """

    rows: list[dict[str, object]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_table(data: bytes, name: str, package: str, resource: str) -> Table:
    """Read a resource's CSV bytes by womenstats' schema for it.

    Parameters
    ----------
    data : bytes
        The resource (hash already checked).
    name : str
        The resource's name (a key of :data:`SCHEMAS`).
    package : str
        The package's file name, for messages.
    resource : str
        The resource's path in the package, for messages.

    Returns
    -------
    Table
        Typed rows and the problems (``E_PACKAGE_SCHEMA``, ``E_DUPLICATE_KEY``, ``E_TOO_LARGE``).
    """
    schema = SCHEMAS[name]
    table = Table()

    def refuse(code: str, row: int | None, message: str) -> Table:
        if code == "E_PACKAGE_SCHEMA":
            message = f"不符合系统的表结构：{message}"
        table.problems.append(problem(code, Location(file=package, sheet=resource, row=row), message))
        return table

    longest = len(schema["fields"]) * (4 * MAX_FIELD_CHARS + 3)  # every field at its limit, 4 bytes a char
    at = _long_line(data, longest)
    if at is not None:  # refused before a line of that size is ever decoded
        return refuse("E_TOO_LARGE", data[:at].count(b"\n") + 1,
                      f"有一行超过 {longest} 字节，必有字段超过 {MAX_FIELD_CHARS} 个字符"
                      "（与报送文件的上限相同）")
    bad = _not_utf8(data)
    if bad is not None:
        return refuse("E_PACKAGE_SCHEMA", data[:bad].count(b"\n") + 1, f"第 {bad} 字节起不是 UTF-8 编码")
    names = [f["name"] for f in schema["fields"]]
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline=""))
    before = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        header = next(reader, None)
        if header != names:
            return refuse("E_PACKAGE_SCHEMA", 1, _header_problem(header or [], names))
        seen: dict[tuple, int] = {}
        for number, cells in enumerate(reader, start=2):
            typed = _typed_row(cells, schema, number, refuse)
            if typed is None:
                continue
            key = tuple(typed[c] for c in schema.get("primaryKey", ()))
            if key and key in seen:
                refuse("E_DUPLICATE_KEY", number, f"与第 {seen[key]} 行是同一地区、年份、指标和分组"
                       f"（{'、'.join(map(str, key))}），表的主键不能重复")
                continue
            if key:
                seen[key] = number
            table.rows.append(typed)
            table.numbers.append(number)
    except csv.Error as exc:
        line = reader.line_num
        if "field larger than field limit" in str(exc):
            return refuse("E_TOO_LARGE", line,
                          f"有一个字段超过 {MAX_FIELD_CHARS} 个字符（与报送文件的上限相同）")
        return refuse("E_PACKAGE_SCHEMA", line, f"不是有效的 CSV（{exc}）")
    finally:
        csv.field_size_limit(before)
    return table


def _long_line(data: bytes, limit: int) -> int | None:
    """Return the offset where the first line longer than ``limit`` bytes starts, or None."""
    start = 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        if end - start > limit:
            return start
        start = end + 1
    return None


def _not_utf8(data: bytes, chunk: int = 1 << 20) -> int | None:
    """Return the offset of the first byte that is not UTF-8, or None (decoded piece by piece)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    for start in range(0, len(data), chunk):
        try:
            decoder.decode(data[start:start + chunk], final=start + chunk >= len(data))
        except UnicodeDecodeError as exc:
            return start + exc.start
    return None


def _header_problem(header: list[str], names: list[str]) -> str:
    missing = [n for n in names if n not in header]
    extra = [h for h in header if h not in names]
    if missing:
        return f"缺少列“{'、'.join(missing)}”（表头应为系统的 {len(names)} 列）"
    if extra:
        return f"有系统表结构之外的列“{'、'.join(extra[:5])}”"
    return "表头的列与系统的表结构顺序不同或重复"


def _typed_row(cells: list[str], schema: dict, number: int, refuse) -> dict[str, object] | None:
    """Type one row's cells by the schema; None (with the problem recorded) when a cell is refused."""
    fields = schema["fields"]
    if len(cells) != len(fields):
        refuse("E_PACKAGE_SCHEMA", number, f"有 {len(cells)} 列，表结构为 {len(fields)} 列")
        return None
    typed: dict[str, object] = {}
    for spec, cell in zip(fields, cells, strict=True):
        name, constraints = spec["name"], spec.get("constraints", {})
        if cell in schema["missingValues"]:
            if constraints.get("required"):
                refuse("E_PACKAGE_SCHEMA", number, f"“{name}”为空，表结构要求必填")
                return None
            typed[name] = None
            continue
        value, why = _cast(cell, spec["type"])
        if why:
            refuse("E_PACKAGE_SCHEMA", number, f"“{name}”的值“{cell[:40]}”{why}")
            return None
        if "enum" in constraints and value not in constraints["enum"]:
            allowed = "、".join(map(str, constraints["enum"]))
            refuse("E_PACKAGE_SCHEMA", number, f"“{name}”的值“{cell[:40]}”不是可用的代码（{allowed}）")
            return None
        if "pattern" in constraints and not re.fullmatch(constraints["pattern"], cell):
            refuse("E_PACKAGE_SCHEMA", number,
                   f"“{name}”的值“{cell[:40]}”不符合格式 {constraints['pattern']}")
            return None
        typed[name] = value
    return typed


def _cast(cell: str, kind: str) -> tuple[object, str]:
    """Return the typed value and '' , or None and why the cell is not of its type."""
    if kind == "integer":
        if not _INTEGER.fullmatch(cell):
            return None, "不是整数"
        return int(cell), ""
    if kind == "number":
        if not _NUMBER.fullmatch(cell):
            return None, "不是十进制数（不接受 NaN、INF、千位分隔符或其他写法）"
        value = float(cell)
        return (value, "") if math.isfinite(value) else (None, "不是有限的数")
    if _CONTROL.search(cell):
        return None, "含有控制字符（如 NUL），不是文字"
    return cell, ""
