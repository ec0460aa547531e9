"""The real national series (data/raw/national): mapped to the registry, one row chosen where sources differ.

Files in ``data/raw/national/`` (see its README.md):

* ``national_observed.csv`` — the published figures, copied unchanged from the project's reference
  folder (``indicator, breakdown, year, value, unit, report, source_url, quote``);
* ``mapping.csv`` — reference indicator + breakdown → ``indicator_id, sex, residence, age_group``;
  a blank ``indicator_id`` means the series is not loaded, and ``note`` says why;
* ``choices.csv`` — every row of a group (indicator, breakdown, year) printed by more than one
  source, or set aside: ``decision`` is ``use`` (the authoritative row), ``same_value`` (another
  source printing the same figure), ``rejected`` (a different figure not used) or ``excluded`` (not
  comparable with the series), with the reason. Nothing is dropped silently: a group with several
  rows and no ``use`` row is an error.

They load as region ``000000`` (the nation) for the plans ``national`` and ``national_2011``.
"""

from __future__ import annotations

import csv
from pathlib import Path

from womenstats import paths
from womenstats._io import sha256_file
from womenstats.errors import InputError, Location
from womenstats.intake.records import RawRecord, ReadResult
from womenstats.intake.reference import NATION_CODE
from womenstats.intake.store import PreparedFile
from womenstats.intake.validate import Validation, check

OBSERVED = "national_observed.csv"
MAPPING = "mapping.csv"
CHOICES = "choices.csv"
DECISIONS = ("use", "same_value", "rejected", "excluded")


def national_dir(raw: Path | None = None) -> Path:
    """Return ``data/raw/national`` (under ``raw`` when given)."""
    return (raw if raw is not None else paths.raw_dir()) / "national"


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_mapping(folder: Path) -> dict[tuple[str, str], dict[str, str]]:
    """Return (reference indicator, breakdown) → mapping row."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for number, row in enumerate(_read(folder / MAPPING), start=2):
        key = (row["indicator"], row["breakdown"])
        if key in out:
            raise InputError(
                "映射表中同一指标和分组出现两次，请删去一行。",
                Location(MAPPING, row=number),
                "E_DUPLICATE_KEY",
            )
        if not row["indicator_id"] and not row["note"]:
            raise InputError(
                "未映射的序列必须在 note 中写明原因。", Location(MAPPING, row=number), "E_MISSING_COLUMN"
            )
        out[key] = row
    return out


def read_choices(folder: Path) -> dict[int, dict[str, str]]:
    """Return the row number in national_observed.csv → its choice record."""
    out: dict[int, dict[str, str]] = {}
    for number, row in enumerate(_read(folder / CHOICES), start=2):
        if row["decision"] not in DECISIONS or not row["reason"]:
            raise InputError(
                f"decision 须为 {'/'.join(DECISIONS)} 之一且写明 reason。",
                Location(CHOICES, row=number),
                "E_BAD_CODE",
            )
        out[int(row["row"])] = row
    return out


def selected_rows(
    folder: Path,
) -> tuple[list[tuple[int, dict[str, str]]], list[tuple[int, dict[str, str], str]]]:
    """Split national_observed.csv into the rows to load and the rows set aside (with why).

    Returns
    -------
    (list, list)
        ``(row number, row)`` to load; ``(row number, row, reason)`` not loaded.

    Raises
    ------
    InputError
        When a group of several rows has no single ``use`` row in choices.csv, or a choice names a
        row that does not match the observed file.
    """
    rows = _read(folder / OBSERVED)
    mapping = read_mapping(folder)
    choices = read_choices(folder)
    groups: dict[tuple[str, str, str], list[int]] = {}
    for number, row in enumerate(rows, start=2):
        groups.setdefault((row["indicator"], row["breakdown"], row["year"]), []).append(number)
    for number, choice in choices.items():
        row = rows[number - 2] if 2 <= number < len(rows) + 2 else None
        if row is None or (row["indicator"], row["breakdown"], row["year"], row["value"]) != (
            choice["indicator"],
            choice["breakdown"],
            choice["year"],
            choice["value"],
        ):
            raise InputError(
                "选择记录与 national_observed.csv 的该行不符，请核对行号。",
                Location(CHOICES, row=number),
                "E_DUPLICATE_KEY",
            )
    for key, numbers in groups.items():
        if len(numbers) > 1:
            used = [n for n in numbers if choices.get(n, {}).get("decision") == "use"]
            undecided = [n for n in numbers if n not in choices]
            if (
                len(used) > 1
                or undecided
                or (not used and any(choices[n]["decision"] != "excluded" for n in numbers))
            ):
                raise InputError(
                    f"{'/'.join(key)} 有 {len(numbers)} 个来源，"
                    "须在 choices.csv 中为每行写明取舍（恰好一行 use）。",
                    Location(OBSERVED, row=numbers[0]),
                    "E_DUPLICATE_KEY",
                )
    keep: list[tuple[int, dict[str, str]]] = []
    dropped: list[tuple[int, dict[str, str], str]] = []
    for number, row in enumerate(rows, start=2):
        target = mapping.get((row["indicator"], row["breakdown"]))
        if target is None:
            raise InputError(
                f"“{row['indicator']}（{row['breakdown']}）”不在 mapping.csv 中，请补上映射或不载入的原因。",
                Location(OBSERVED, row=number),
                "E_UNKNOWN_INDICATOR",
            )
        choice = choices.get(number)
        if choice is not None and choice["decision"] != "use":
            dropped.append((number, row, f"{choice['decision']}：{choice['reason']}"))
        elif not target["indicator_id"]:
            dropped.append((number, row, f"unmapped：{target['note']}"))
        else:
            keep.append((number, row))
    return keep, dropped


def national_read(raw: Path | None = None) -> ReadResult:
    """Return the national series as reader records (row numbers of national_observed.csv)."""
    folder = national_dir(raw)
    mapping = read_mapping(folder)
    name = f"national/{OBSERVED}"
    result = ReadResult(name, "long")
    keep, _ = selected_rows(folder)
    for number, row in keep:
        target = mapping[(row["indicator"], row["breakdown"])]
        fields = {
            "region_code": NATION_CODE,
            "year": row["year"],
            "indicator_id": target["indicator_id"],
            "sex": target["sex"],
            "residence": target["residence"],
            "age_group": target["age_group"] or "all",
            "value": row["value"],
            "unit": target.get("unit") or row["unit"],
            "source": row["report"],
        }
        result.records.append(RawRecord(fields, {}, None, number))
    return result


def national_validation(raw: Path | None = None) -> Validation:
    """Validate the national series with the same rules as any return."""
    folder = national_dir(raw)
    return check(national_read(raw), sha256=sha256_file(folder / OBSERVED), simulated=False)


def national_prepared(raw: Path | None = None) -> PreparedFile:
    """Return the national series ready to load.

    Raises
    ------
    InputError
        When a national row fails validation (the mapping must be fixed).
    """
    validation = national_validation(raw)
    if validation.errors:
        first = validation.errors[0]
        raise InputError(f"全国数据校验未通过：{first}", first.location, first.code)
    return PreparedFile(validation.file, validation.sha256 or "", validation.rows, validation.normalisations,
                        warnings=validation.kept_warnings())
