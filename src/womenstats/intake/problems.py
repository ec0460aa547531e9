"""Problems found in a return: severity, a stable code, where, and what to do (in Chinese)."""

from __future__ import annotations

from dataclasses import dataclass

from womenstats.errors import Location

#: Severity of a problem that stops a file from loading.
ERROR = "错误"
#: Severity of a problem that is reported but does not stop loading.
WARNING = "警告"

#: Warnings that question a value itself (not its series): the store keeps them with the value, and a
#: report's data-quality table lists the accepted values they were given.
VALUE_WARNINGS: frozenset[str] = frozenset(
    {"W_IMPLAUSIBLE_VALUE", "W_IMPLAUSIBLE_DENOMINATOR", "W_GAP_MISMATCH", "W_JUMP"}
)

#: Every problem code with its severity and what it means (the message adds the specifics).
CODES: dict[str, tuple[str, str]] = {
    "E_UNREADABLE": (ERROR, "文件无法读取"),
    "E_TOO_LARGE": (ERROR, "文件或其使用的区域超出可读取的上限"),
    "E_FORMULA_NO_VALUE": (ERROR, "公式单元格没有计算结果"),
    "E_BAD_ENCODING": (ERROR, "文件中有无法按其编码解读的字节"),
    "E_EMPTY": (ERROR, "文件中没有数据行"),
    "E_MISSING_COLUMN": (ERROR, "缺少必需的列"),
    "E_DUPLICATE_COLUMN": (ERROR, "同一列出现两次"),
    "E_EXTRA_FIELD": (ERROR, "数据行在没有表头的列中有内容（常见于错列）"),
    "E_TEMPLATE_LAYOUT": (ERROR, "报送表的表头或说明页被移动、删改"),
    "E_MERGED_CELLS": (ERROR, "报送表中有合并单元格"),
    "E_UNKNOWN_INDICATOR": (ERROR, "指标代码不在指标库中"),
    "E_UNKNOWN_REGION": (ERROR, "地区代码无效或不在规划目录中"),
    "E_REGION_MISMATCH": (ERROR, "地区代码与规划或报送表不一致"),
    "E_BAD_YEAR": (ERROR, "年份不是四位整数"),
    "E_YEAR_OUT_OF_SPAN": (ERROR, "年份超出规划监测期"),
    "E_BAD_CODE": (ERROR, "性别、城乡或年龄组的写法无法识别"),
    "E_BREAKDOWN_NOT_ALLOWED": (ERROR, "该指标没有这种分组"),
    "E_NOT_A_NUMBER": (ERROR, "数值不是数字"),
    "E_OUT_OF_RANGE": (ERROR, "数值超出指标的取值范围"),
    "E_NEGATIVE_COUNT": (ERROR, "人数、个数等计数为负数"),
    "E_NOT_INTEGER_COUNT": (ERROR, "分子或分母不是整数"),
    "E_NUMERATOR_GT_DENOMINATOR": (ERROR, "分子大于分母"),
    "E_ZERO_DENOMINATOR": (ERROR, "分母为零"),
    "E_RATE_MISMATCH": (ERROR, "比率与分子、分母算出的不一致"),
    "E_FEMALE_GT_TOTAL": (ERROR, "女性数大于合计"),
    "E_SEX_SUM": (ERROR, "女性与男性之和不等于合计"),
    "E_RESIDENCE_SUM": (ERROR, "城镇与农村之和不等于合计"),
    "E_TOTAL_NOT_BETWEEN": (ERROR, "合计比率不在女性与男性比率之间"),
    "E_GAP_MISMATCH": (ERROR, "差距与其分项（如城乡、男女的数值）算出的不一致"),
    "E_DUPLICATE_KEY": (ERROR, "同一指标、地区、年份和分组出现两个不同的数"),
    "E_UNIT_MISMATCH": (ERROR, "单位与指标库不一致且无法换算"),
    "E_REVISION_REFUSED": (ERROR, "库中已有不同的数，未指定修订"),
    "E_PACKAGE": (ERROR, "不是本系统导出的数据包"),
    "E_PACKAGE_ZIP": (ERROR, "数据包的 zip 有同名、加密或与目录不符的文件"),
    "E_PACKAGE_DESCRIPTOR": (ERROR, "数据包的描述文件不是有效的 UTF-8 JSON 或缺少必需项"),
    "E_PACKAGE_PATH": (ERROR, "数据包引用了网址、绝对路径、包外或不存在的文件"),
    "E_PACKAGE_HASH": (ERROR, "数据包的资源与其记录的哈希不符"),
    "E_PACKAGE_SHA256": (ERROR, "数据包文件与报送函写明的 SHA-256 不符"),
    "E_PACKAGE_REGISTRY": (ERROR, "数据包所用的指标库版本不同"),
    "E_PACKAGE_SCHEMA": (ERROR, "数据包的行不符合系统的表结构"),
    "E_PACKAGE_REGION": (ERROR, "数据包或其中的行不属于可报送的下级地区"),
    "E_PACKAGE_DUPLICATE": (ERROR, "数据包的行已由另一地区报送过"),
    "E_PACKAGE_HISTORY": (ERROR, "数据包的修订记录与其数据接不上"),
    "E_PACKAGE_REVISED": (ERROR, "数据包修改了库中已有的数，未指定修订"),
    "W_DUPLICATE_ROW": (WARNING, "同一个数重复填报"),
    "W_FOOTNOTE_MARK": (WARNING, "数值后的注释符号已去掉"),
    "W_UNCOMMON_TEXT": (WARNING, "解码后出现不常见的字符，编码可能判断错误"),
    "W_UNKNOWN_COLUMN": (WARNING, "表头中有无法识别的列，其内容不入库"),
    "W_IGNORED_CELL": (WARNING, "报送表填报区之外的单元格有内容，不入库"),
    "W_JUMP": (WARNING, "数值与该序列以往的变化相比异常跳动"),
    "W_MISSING_YEAR": (WARNING, "序列中间缺少年份"),
    "W_SMALL_DENOMINATOR": (WARNING, "分母或事件数太小，比率不稳定"),
    "W_IMPLAUSIBLE_VALUE": (WARNING, "数值超出该级地区可能的范围"),
    "W_IMPLAUSIBLE_DENOMINATOR": (WARNING, "分母（或分子）超出该规模地区可能有的人数、个数"),
    "W_GAP_MISMATCH": (WARNING, "差距与库中已有的分项算出的不一致"),
    "W_ALREADY_INGESTED": (WARNING, "此文件已导入过"),
}


@dataclass(frozen=True)
class Problem:
    """One problem found in a return.

    Parameters
    ----------
    code : str
        Stable code from :data:`CODES`, e.g. ``"E_UNKNOWN_INDICATOR"``.
    location : womenstats.errors.Location
        File (as given, never an absolute path), sheet, cell or row.
    message : str
        What is wrong and what to do, in Chinese.
    key : tuple, optional
        The observation the problem is about (region, year, indicator, sex, age group, residence),
        when it is about one value: the store keeps a warning with it.
    """

    code: str
    location: Location
    message: str
    key: tuple | None = None

    @property
    def severity(self) -> str:
        """Return ``"错误"`` (stops loading) or ``"警告"`` (reported only)."""
        return CODES[self.code][0]

    @property
    def is_error(self) -> bool:
        """Return True when the problem stops the file from loading."""
        return self.severity == ERROR

    def __str__(self) -> str:
        return f"{self.location}: {self.severity} {self.code}: {self.message}"


def problem(code: str, location: Location, message: str, key: tuple | None = None) -> Problem:
    """Build a :class:`Problem`, checking that the code is one of :data:`CODES`.

    Parameters
    ----------
    code : str
        A key of :data:`CODES`.
    location : womenstats.errors.Location
        Where the problem is.
    message : str
        The specifics and the remedy, in Chinese.
    key : tuple, optional
        The observation concerned (see :class:`Problem`).

    Returns
    -------
    Problem
        The problem.
    """
    if code not in CODES:
        raise KeyError(f"unknown problem code {code!r}")
    return Problem(code, location, message, key)


def sort_key(item: Problem) -> tuple:
    """Return a key ordering problems by file, sheet, position, then code."""
    loc = item.location
    return (loc.file or "", loc.sheet or "", _cell_order(loc.cell), loc.row or 0, item.code)


def _cell_order(cell: str | None) -> tuple[int, int]:
    """Order ``"B12"`` by row then column; no cell sorts first."""
    if not cell:
        return (0, 0)
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    col = 0
    for ch in letters.upper():
        col = col * 26 + (ord(ch) - 64)
    return (int(digits or 0), col)


class Findings:
    """What the stages of validation found in one file: problems, and the cleaning steps taken.

    Parameters
    ----------
    file : str
        The file name as given (used in every location).
    """

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []
        self.normalisations: list[dict[str, object]] = []

    def add(self, code: str, loc: Location, message: str) -> None:
        """Record a problem (see :func:`problem`)."""
        self.problems.append(problem(code, loc, message))

    def note(self, loc: Location, original: object, result: object, steps: list[str]) -> None:
        """Record the cleaning steps taken on one cell (nothing when there were none)."""
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
