"""Writing the simulated returns as real departments send them, and :func:`generate`.

Long CSV in several encodings, long .xlsx, filled reporting templates, a late year and a correcting
second file. Part of :mod:`womenstats.demo`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from womenstats import paths
from womenstats._io import atomic_path
from womenstats.demo.assumptions import LINKS, REGIONS, SEED, YEARS, RegionAssumption, Series, plan_seed
from womenstats.demo.levels import national_levels, region_code
from womenstats.demo.simulate import simulate_plan
from womenstats.intake.rules import female_only
from womenstats.intake.template import CONTACT_ROW, INFO_SHEET, build_template, save_workbook

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


def _long_rows(region: RegionAssumption, series: list[Series], year: int,
               quirks: np.random.Generator) -> list[list[str]]:
    code = region_code(region)
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
                    code,
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
        write_long_xlsx(_long_rows(region, series, year, quirks), out_dir / name)
    else:
        name = f"{region.plan}/{region.plan}_{year}.csv"
        encoding = "gb18030" if region.file_format == "csv-gb18030" else "utf-8-sig"
        write_csv(_long_rows(region, series, year, quirks), out_dir / name, encoding)
    return name, out_dir / name


def _write_revision(
    region: RegionAssumption, series: list[Series], out_dir: Path, quirks: np.random.Generator
) -> tuple[str, Path]:
    """Write a second file for a year correcting one value (as departments do after a check)."""
    year = region.revised_year
    assert year is not None
    rows = _long_rows(region, series, year, quirks)
    # a rate reported alone (no parts that must add up to it, no gap or linked statistic made from it),
    # corrected by one case counted twice: the numerator less one, the rate recomputed
    tied = {item.indicator.derived.source for item in series if item.indicator.derived is not None}
    tied |= set(LINKS) | set(LINKS.values())
    alone = [r for r in rows if sum(o[2] == r[2] for o in rows) == 1]
    candidates = [r for r in alone if r[7] not in ("", "0") and r[2] not in tied and not r[6].endswith("%")]
    row = list(candidates[0])
    num, den = float(row[7]), float(row[8].replace(",", ""))
    per = 100.0 if row[9] == "%" else (1000.0 if row[9] == "‰" else 100000.0)
    row[7] = _fmt(num - 1)
    row[6] = _fmt(round((num - 1) / den * per, 2))
    row[10] = f"{row[10]}更正"
    name = f"{region.plan}/{region.plan}_{year}_更正.csv"
    write_csv([row], out_dir / name, "utf-8")
    return name, out_dir / name


def _write_table(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
