"""A small observation store of 开平市 for the report tests, loaded through the ordinary ingest."""

from __future__ import annotations

from pathlib import Path

from womenstats.intake import Store
from womenstats.intake.ingest import ingest_files

PLAN = "kaiping"
REGION = "440783"
# (indicator_id, sex, unit, values 2018..2024): a rising share short of its target, one that meets
# its target, and one more rising share.
SERIES = (
    ("health.cervical_cancer_screening", "female", "%", (58.0, 60.1, 61.9, 63.2, 64.8, 66.1, 67.5)),
    ("health.postpartum_visit", "female", "%", (95.2, 95.8, 96.3, 96.9, 97.1, 97.4, 97.8)),
    ("health.premarital_exam", "total", "%", (55.0, 57.5, 59.0, 61.0, 62.5, 63.0, 65.5)),
)
# Women's and men's values of one indicator reported by sex (2024).
BY_SEX = (
    ("education.compulsory_consolidation", "female", 99.4),
    ("education.compulsory_consolidation", "male", 99.1),
)
HEADER = "region_code,year,indicator_id,sex,age_group,residence,value,unit,source\n"


def write_csv(path: Path, rows: list[str]) -> Path:
    """Write a long-table return with the given data rows."""
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def build_store(folder: Path) -> Path:
    """Build the small store in ``folder`` and return its path."""
    rows = []
    for indicator, sex, unit, values in SERIES:
        for year, value in zip(range(2018, 2025), values, strict=True):
            rows.append(f"{REGION},{year},{indicator},{sex},all,all,{value},{unit},卫健\n")
    for indicator, sex, value in BY_SEX:
        rows.append(f"{REGION},2024,{indicator},{sex},all,all,{value},%,教育\n")
    store = Store(folder / "small.sqlite")
    result = ingest_files([write_csv(folder / "returns.csv", rows)], plan=PLAN, labels=["returns.csv"],
                          simulated=True, store=store)
    assert result.loaded, result.problems
    return store.path
