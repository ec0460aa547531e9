"""Column names, header aliases and the code lists of observation rows."""

from __future__ import annotations

#: Columns of an observation row, in order (docs/architecture.md).
OBS_COLUMNS: tuple[str, ...] = (
    "region_code",
    "year",
    "indicator_id",
    "sex",
    "age_group",
    "residence",
    "value",
    "numerator",
    "denominator",
    "unit",
    "source_file",
    "source_sha256",
    "sheet",
    "cell",
    "source",
    "simulated",
)

#: The key of one observation: at most one current value per key.
KEY_COLUMNS: tuple[str, ...] = ("region_code", "year", "indicator_id", "sex", "age_group", "residence")

#: Columns a long table must have.
REQUIRED_LONG_COLUMNS: tuple[str, ...] = ("region_code", "year", "indicator_id", "value")

#: Columns a long table may have (besides the required ones).
OPTIONAL_LONG_COLUMNS: tuple[str, ...] = (
    "sex",
    "age_group",
    "residence",
    "numerator",
    "denominator",
    "unit",
    "source",
    "simulated",
)

#: Chinese headers of a long table and the column each stands for.
CHINESE_HEADERS: dict[str, str] = {
    "地区代码": "region_code",
    "行政区划代码": "region_code",
    "年份": "year",
    "指标代码": "indicator_id",
    "指标": "indicator_id",
    "指标名称": "indicator_id",
    "性别": "sex",
    "年龄组": "age_group",
    "城乡": "residence",
    "数值": "value",
    "分子": "numerator",
    "分母": "denominator",
    "单位": "unit",
    "来源": "source",
    "模拟数据": "simulated",
}

#: Other English headers and the column each stands for.
ENGLISH_HEADERS: dict[str, str] = {"indicator": "indicator_id", "indicator_name": "indicator_id"}

#: Words accepted for each sex code (after stripping spaces; English is matched case-insensitively).
SEX_WORDS: dict[str, str] = {
    "female": "female",
    "f": "female",
    "女": "female",
    "女性": "female",
    "male": "male",
    "m": "male",
    "男": "male",
    "男性": "male",
    "total": "total",
    "合计": "total",
    "总计": "total",
    "全部": "total",
    "": "total",
}

#: Words accepted for each residence code.
RESIDENCE_WORDS: dict[str, str] = {
    "all": "all",
    "total": "all",
    "合计": "all",
    "全部": "all",
    "": "all",
    "urban": "urban",
    "城镇": "urban",
    "城市": "urban",
    "rural": "rural",
    "农村": "rural",
    "乡村": "rural",
}


def header_to_column(header: object) -> str | None:
    """Map a long-table header (Chinese or English) to its observation column.

    Parameters
    ----------
    header : object
        The header cell as read.

    Returns
    -------
    str or None
        The column name, or None when the header is not recognised.
    """
    text = str(header).strip().lstrip("\ufeff").strip() if header is not None else ""
    if text in CHINESE_HEADERS:
        return CHINESE_HEADERS[text]
    lowered = text.lower()
    if lowered in REQUIRED_LONG_COLUMNS or lowered in OPTIONAL_LONG_COLUMNS:
        return lowered
    return ENGLISH_HEADERS.get(lowered)
