"""Write the malformed returns of tests/malformed/ and expected.csv (the code and location each must get).

Run ``python tests/malformed/make_malformed.py`` to regenerate; the files are committed and the test
checks that this script reproduces them byte for byte. Every file is a small long table for 开平市
(440783) with exactly one thing wrong.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import openpyxl

from womenstats.intake.template import save_workbook

HERE = Path(__file__).resolve().parent
HEADER = ["地区代码", "年份", "指标代码", "性别", "年龄组", "城乡", "数值", "分子", "分母", "单位", "来源"]
MMR = "health.maternal_mortality"
HOSP = "health.hospital_delivery"
ILLIT = "education.illiteracy_rate"
SCHOOL = "education.mean_schooling_years"


def row(
    indicator=HOSP,
    value="99.5",
    year="2023",
    region="440783",
    sex="",
    age="",
    res="",
    num="",
    den="",
    unit="",
    source="卫健",
):
    return [region, year, indicator, sex, age, res, value, num, den, unit, source]


GOOD = row(MMR, "25.0", num="1", den="4000", unit="1/10万")

#: name → (header, rows, encoding, expected code, expected location, plan)
CSV_CASES: dict[str, tuple] = {
    "m01_unknown_indicator.csv": (
        HEADER,
        [GOOD, row("health.maternal_mortalty", "18.0")],
        "utf-8",
        "E_UNKNOWN_INDICATOR",
        "第3行",
        "",
    ),
    "m02_indicator_name_not_id.csv": (  # the name is read as the id: the same key twice
        HEADER,
        [row("孕产妇死亡率", "18.0"), GOOD],
        "utf-8",
        "E_DUPLICATE_KEY",
        "第3行",
        "",
    ),
    "m03_region_five_digits.csv": (
        HEADER,
        [GOOD, row(region="44078")],
        "utf-8",
        "E_UNKNOWN_REGION",
        "第3行",
        "",
    ),
    "m04_region_unknown.csv": (
        HEADER,
        [GOOD, row(region="110101")],
        "utf-8",
        "E_UNKNOWN_REGION",
        "第3行",
        "",
    ),
    "m05_region_mismatch_plan.csv": (
        HEADER,
        [GOOD, row(region="440115")],
        "utf-8",
        "E_REGION_MISMATCH",
        "第3行",
        "kaiping",
    ),
    "m06_value_text.csv": (HEADER, [GOOD, row(value="约99")], "utf-8", "E_NOT_A_NUMBER", "第3行", ""),
    "m07_percent_over_100.csv": (HEADER, [GOOD, row(value="100.5")], "utf-8", "E_OUT_OF_RANGE", "第3行", ""),
    "m08_negative_numerator.csv": (
        HEADER,
        [GOOD, row(MMR, "0", year="2022", num="-1", den="4000")],
        "utf-8",
        "E_NEGATIVE_COUNT",
        "第3行",
        "",
    ),
    "m09_numerator_gt_denominator.csv": (
        HEADER,
        [GOOD, row(value="99.5", num="4100", den="4000")],
        "utf-8",
        "E_NUMERATOR_GT_DENOMINATOR",
        "第3行",
        "",
    ),
    "m10_rate_disagrees.csv": (
        HEADER,
        [row(MMR, "30.0", num="1", den="4000")],
        "utf-8",
        "E_RATE_MISMATCH",
        "第2行",
        "",
    ),
    "m11_female_gt_total.csv": (
        HEADER,
        [
            row(ILLIT, "6.0", sex="女", num="600", den="10000"),
            row(ILLIT, "2.5", sex="合计", num="500", den="20000"),
        ],
        "utf-8",
        "E_FEMALE_GT_TOTAL",
        "第2行",
        "",
    ),
    "m12_sexes_do_not_add_up.csv": (
        HEADER,
        [
            row(ILLIT, "3.0", sex="女", num="300", den="10000"),
            row(ILLIT, "2.0", sex="男", num="200", den="10000"),
            row(ILLIT, "3.0", sex="合计", num="600", den="20000"),
        ],
        "utf-8",
        "E_SEX_SUM",
        "第4行",
        "",
    ),
    "m13_total_not_between.csv": (
        HEADER,
        [
            row(SCHOOL, "9.5", sex="女", unit="年"),
            row(SCHOOL, "10.2", sex="男", unit="年"),
            row(SCHOOL, "11.0", sex="合计", unit="年"),
        ],
        "utf-8",
        "E_TOTAL_NOT_BETWEEN",
        "第4行",
        "",
    ),
    "m14_residences_do_not_add_up.csv": (
        HEADER,
        [
            row(MMR, "50.0", res="城镇", num="1", den="2000"),
            row(MMR, "50.0", res="农村", num="1", den="2000"),
            row(MMR, "75.0", res="合计", num="3", den="4000"),
        ],
        "utf-8",
        "E_RESIDENCE_SUM",
        "第4行",
        "",
    ),
    "m15_same_key_two_values.csv": (
        HEADER,
        [row(value="99.5"), GOOD, row(value="99.7")],
        "utf-8",
        "E_DUPLICATE_KEY",
        "第4行",
        "",
    ),
    "m16_year_after_span.csv": (HEADER, [GOOD, row(year="2035")], "utf-8", "E_YEAR_OUT_OF_SPAN", "第3行", ""),
    "m17_year_before_span.csv": (
        HEADER,
        [GOOD, row(year="1999")],
        "utf-8",
        "E_YEAR_OUT_OF_SPAN",
        "第3行",
        "",
    ),
    "m18_year_not_a_year.csv": (HEADER, [GOOD, row(year="2023-12")], "utf-8", "E_BAD_YEAR", "第3行", ""),
    "m19_unit_not_convertible.csv": (
        HEADER,
        [GOOD, row(value="99.5", unit="人")],
        "utf-8",
        "E_UNIT_MISMATCH",
        "第3行",
        "",
    ),
    "m20_unknown_sex.csv": (
        HEADER,
        [GOOD, row(ILLIT, "3.0", sex="妇女")],
        "utf-8",
        "E_BAD_CODE",
        "第3行",
        "",
    ),
    "m21_unknown_residence.csv": (HEADER, [GOOD, row(res="郊区")], "utf-8", "E_BAD_CODE", "第3行", ""),
    "m22_unknown_age_group.csv": (
        HEADER,
        [GOOD, row(age="六十五岁以上")],
        "utf-8",
        "E_BAD_CODE",
        "第3行",
        "",
    ),
    "m23_breakdown_not_allowed.csv": (
        HEADER,
        [GOOD, row(sex="男")],
        "utf-8",
        "E_BREAKDOWN_NOT_ALLOWED",
        "第3行",
        "",
    ),
    "m24_missing_value_column.csv": (
        [h for h in HEADER if h != "数值"],
        [GOOD[:6] + GOOD[7:]],
        "utf-8",
        "E_MISSING_COLUMN",
        "第1行",
        "",
    ),
    "m25_duplicate_column.csv": (
        [*HEADER, "year"],
        [[*GOOD, "2023"]],
        "utf-8",
        "E_DUPLICATE_COLUMN",
        "第1行",
        "",
    ),
    "m26_header_only.csv": (HEADER, [], "utf-8", "E_EMPTY", "第1行", ""),
    "m27_zero_denominator.csv": (
        HEADER,
        [GOOD, row(MMR, "", year="2022", num="0", den="0")],
        "utf-8",
        "E_ZERO_DENOMINATOR",
        "第3行",
        "",
    ),
    "m28_fractional_count.csv": (
        HEADER,
        [GOOD, row(MMR, "37.5", year="2022", num="1.5", den="4000")],
        "utf-8",
        "E_NOT_INTEGER_COUNT",
        "第3行",
        "",
    ),
    "m29_percent_sign_on_years.csv": (
        HEADER,
        [GOOD, row(SCHOOL, "9.5%")],
        "utf-8",
        "E_UNIT_MISMATCH",
        "第3行",
        "",
    ),
    "m30_gb18030_value_text.csv": (
        HEADER,
        [GOOD, row(value="九十九点五")],
        "gb18030",
        "E_NOT_A_NUMBER",
        "第3行",
        "",
    ),
    "m31_utf8_bom_negative_rate.csv": (
        HEADER,
        [GOOD, row(value="-5")],
        "utf-8-sig",
        "E_OUT_OF_RANGE",
        "第3行",
        "",
    ),
    "m32_gbk_unknown_region.csv": (
        HEADER,
        [row(region="999999"), GOOD],
        "gbk",
        "E_UNKNOWN_REGION",
        "第2行",
        "",
    ),
    "m39_unquoted_comma_shifts_row.csv": (
        HEADER,
        [GOOD, row(source="卫健,妇联")],
        "utf-8",
        "E_EXTRA_FIELD",
        "第3行",
        "",
    ),
}

#: name → (bytes, code, location)
RAW_CASES: dict[str, tuple[bytes, str, str]] = {
    "m33_not_text.csv": (bytes([0x80, 0xFF, 0x00, 0x81, 0x30, 0xFE]) * 20, "E_UNREADABLE", "第1行"),
    "m34_text_named_xlsx.xlsx": ("地区代码,年份\n440783,2023\n".encode(), "E_UNREADABLE", ""),
    "m35_old_excel.xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "E_UNREADABLE", ""),
}

#: name → (rows, merged range or None, code, location)
XLSX_CASES: dict[str, tuple] = {
    "m36_xlsx_unknown_indicator.xlsx": (
        [GOOD, row("health.unknown", "1.0")],
        None,
        "E_UNKNOWN_INDICATOR",
        "数据:C3",
    ),
    "m37_xlsx_merged_cells.xlsx": ([GOOD, row(value="99.5")], "A2:A3", "E_MERGED_CELLS", "数据:A2"),
    "m38_xlsx_value_text.xlsx": ([GOOD, row(value="99.5（估）")], None, "E_NOT_A_NUMBER", "数据:G3"),
}


def write_all(folder: Path = HERE) -> list[list[str]]:
    """Write every malformed file into ``folder`` and return the expected rows."""
    expected: list[list[str]] = []
    for name, (header, rows, encoding, code, where, plan) in CSV_CASES.items():
        text = "\r\n".join(",".join(cells) for cells in [header, *rows]) + "\r\n"
        (folder / name).write_bytes(text.encode(encoding))
        expected.append([name, code, f"{name}:{where}", plan])
    for name, (data, code, where) in RAW_CASES.items():
        (folder / name).write_bytes(data)
        expected.append([name, code, f"{name}{':' + where if where else ''}", ""])
    for name, (rows, merged, code, where) in XLSX_CASES.items():
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "数据"
        sheet.append(HEADER)
        for cells in rows:
            sheet.append(cells)
        if merged:
            sheet.merge_cells(merged)
        save_workbook(workbook, folder / name)
        expected.append([name, code, f"{name}:{where}", ""])
    with open(folder / "expected.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["file", "code", "location", "plan"])
        writer.writerows(expected)
    return expected


if __name__ == "__main__":
    write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
