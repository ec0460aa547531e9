"""The package's own grammar of a number as people type it in a return, strict and recorded.

Python's ``float()`` accepts far more than a statistician means (``1_5`` is 15, ``1e3``, ``inf``), and
Unicode normalisation turns a footnote mark into a digit (``45.3¹`` → ``45.31``). So a text cell is
read here by one grammar and nothing else:

.. code-block:: text

    number   := sign? magnitude percent?
    sign     := "+" | "-"
    magnitude:= integer ("." digits)? | "." digits
    integer  := digits | d{1,3} ("," d{3})+ | d{1,3} (" " d{3})+
    percent  := "%"

after trimming surrounding spaces, with full-width digits, point, comma, signs and percent read as
their half-width forms (only those: no other Unicode folding). A trailing footnote mark
(:data:`FOOTNOTE_MARKS`) is taken off and reported (``W_FOOTNOTE_MARK``); superscript digits are never
a digit of the number (``45.3¹`` or ``10²`` is refused, since it could be a footnote or a power).
Missing markers (:data:`MISSING_MARKERS`) mean no value, never zero.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

#: Texts that mean "no value reported" (compared after trimming spaces, case-insensitive).
MISSING_MARKERS: frozenset[str] = frozenset(
    {"", "空白", "空", "—", "——", "-", "--", "－", "/", "／", "无", "…", "……", "...", "。。。", "na", "n/a",
     "nan", "null", "none", "缺", "缺失", "不详", "暂无", "x", "×"}
)

#: Full-width characters read as their half-width forms (digits, point, comma, signs, percent, space).
FULL_WIDTH: dict[int, str] = {
    **{0xFF10 + i: str(i) for i in range(10)},
    0xFF0E: ".", 0xFF0C: ",", 0xFF0B: "+", 0xFF0D: "-", 0x2212: "-", 0xFF05: "%", 0x3000: " ",
}

#: Marks people put after a value to point at a note; taken off with a warning.
FOOTNOTE_MARKS: str = "*＊†‡※#＃"

#: Superscript and subscript digits: never read as digits of a value.
SUPERSCRIPTS: str = "⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉"

_GRAMMAR = re.compile(
    r"^(?P<sign>[+-])?"
    r"(?P<int>\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)?"
    r"(?:\.(?P<frac>\d+))?"
    r"(?P<pct>%)?$",
    re.ASCII,
)


@dataclass
class Parsed:
    """The outcome of reading one cell as a number.

    Attributes
    ----------
    value : float or None
        The number, or None when the cell is missing or not a number.
    missing : bool
        True when the cell is blank or holds a missing marker.
    ok : bool
        False when the cell holds text that is not a number.
    percent : bool
        True when a trailing percent sign was removed.
    decimals : int or None
        Decimals as written (for rounding tolerances); None for binary floats from Excel.
    steps : list of str
        The cleaning steps applied, in Chinese, for the record.
    footnote : str or None
        A footnote mark taken off the end of the value (to be reported as a warning).
    reason : str
        Why a text is not a number (Chinese, for the message), when ``ok`` is False.
    """

    value: float | None
    missing: bool = False
    ok: bool = True
    percent: bool = False
    decimals: int | None = None
    steps: list[str] = field(default_factory=list)
    footnote: str | None = None
    reason: str = ""


def _refuse(steps: list[str], reason: str) -> Parsed:
    return Parsed(None, ok=False, steps=steps, reason=reason)


def parse_number(raw: object) -> Parsed:
    """Read a cell as a number by the strict grammar of this module, recording each cleaning step.

    Parameters
    ----------
    raw : object
        The cell as read: None, a number (from a spreadsheet), or text.

    Returns
    -------
    Parsed
        The value with the steps taken; ``ok`` False with a ``reason`` for text outside the grammar.

    Examples
    --------
    >>> parse_number("3,046").value, parse_number("1_5").ok, parse_number("45.3¹").ok
    (3046.0, False, False)
    """
    if raw is None:
        return Parsed(None, missing=True)
    if isinstance(raw, bool):
        return _refuse([], "是逻辑值（TRUE/FALSE）")
    if isinstance(raw, int | float):
        if isinstance(raw, float) and math.isnan(raw):
            return Parsed(None, missing=True)
        if not math.isfinite(float(raw)):
            return _refuse([], "不是有限的数")
        return Parsed(float(raw))
    text = str(raw)
    steps: list[str] = []
    stripped = text.strip().strip("\u3000").strip()
    if stripped != text:
        steps.append("去掉首尾空格")
    if stripped.lower() in MISSING_MARKERS:
        if stripped:
            steps.append(f"“{stripped}”视为缺失（不是零）")
        return Parsed(None, missing=True, steps=steps)
    width = stripped.translate(FULL_WIDTH)
    if width != stripped:
        steps.append("全角字符转为半角")
    footnote = None
    body = width.rstrip(FOOTNOTE_MARKS).rstrip()
    if body != width and body:
        footnote = width[len(body):].strip()
        steps.append(f"去掉注释符号“{footnote}”")
    if any(ch in SUPERSCRIPTS for ch in body):
        return _refuse(steps, "含上标或下标数字（脚注还是乘方无法判断）；请去掉上标，注释写在备注列")
    match = _GRAMMAR.match(body)
    if match is None or (match.group("int") is None and match.group("frac") is None):
        return _refuse(steps, _why(body))
    integer = match.group("int") or "0"
    if "," in integer:
        steps.append("去掉千位分隔符")
    elif " " in integer:
        steps.append("去掉数字中的空格")
    if match.group("pct"):
        steps.append("去掉百分号")
    frac = match.group("frac") or ""
    digits = integer.replace(",", "").replace(" ", "")
    value = float(f"{match.group('sign') or ''}{digits}.{frac or '0'}")
    if not math.isfinite(value):
        return _refuse(steps, "数字太大")
    return Parsed(value, percent=bool(match.group("pct")), decimals=len(frac), steps=steps, footnote=footnote)


def _why(body: str) -> str:
    """Say in Chinese what keeps a text from being a number."""
    if "_" in body:
        return "含下划线（数字中不能有“_”）"
    if re.search(r"\d,\d", body):
        return "千位分隔符位置不对（应每三位一个“,”，小数点用“.”）"
    if body.count(".") > 1:
        return "有不止一个小数点"
    if re.search(r"[eE]", body) and re.search(r"\d", body):
        return "是科学记数法（请写出完整的数）"
    return "含有数字以外的文字"
