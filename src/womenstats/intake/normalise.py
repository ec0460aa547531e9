"""Turn what people type into numbers, recording every change, and convert rate units.

Each cleaning step is kept as text (``"85.3%" → 85.3：去掉百分号``) so the store can show what was
changed in which cell. Missing markers become missing, never zero.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

#: Texts that mean "no value reported" (compared after trimming spaces).
MISSING_MARKERS: frozenset[str] = frozenset(
    {
        "",
        "空白",
        "空",
        "—",
        "——",
        "-",
        "--",
        "－",
        "/",
        "／",
        "无",
        "…",
        "……",
        "...",
        "。。。",
        "na",
        "n/a",
        "nan",
        "null",
        "none",
        "缺",
        "缺失",
        "不详",
        "暂无",
        "x",
        "×",
    }
)

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

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")


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
    """

    value: float | None
    missing: bool = False
    ok: bool = True
    percent: bool = False
    decimals: int | None = None
    steps: list[str] = field(default_factory=list)


def parse_number(raw: object) -> Parsed:
    """Read a cell as a number, recording each cleaning step.

    Handles ``85.3%``, full-width digits (``８５．３``), thousands separators (``3,046``), surrounding
    spaces, and missing markers (空白, —, -, /, 无, …), which give a missing value, never zero.

    Parameters
    ----------
    raw : object
        The cell as read: None, a number, or text.

    Returns
    -------
    Parsed
        The value with the steps taken.
    """
    if raw is None:
        return Parsed(None, missing=True)
    if isinstance(raw, bool):
        return Parsed(None, ok=False)
    if isinstance(raw, int | float):
        if isinstance(raw, float) and math.isnan(raw):
            return Parsed(None, missing=True)
        return Parsed(float(raw))
    text = str(raw)
    steps: list[str] = []
    stripped = text.strip().replace("\u3000", "").strip()
    if stripped != text:
        steps.append("去掉首尾空格")
    if stripped.lower() in MISSING_MARKERS:
        if stripped:
            steps.append(f"“{stripped}”视为缺失（不是零）")
        return Parsed(None, missing=True, steps=steps)
    width = unicodedata.normalize("NFKC", stripped)
    if width != stripped:
        steps.append("全角字符转为半角")
    percent = False
    if width.endswith("%"):
        width = width[:-1].strip()
        percent = True
        steps.append("去掉百分号")
    unthousand = _THOUSANDS.sub("", width)
    if unthousand != width:
        steps.append("去掉千位分隔符")
    inner = unthousand.replace(" ", "")
    if inner != unthousand:
        steps.append("去掉数字中的空格")
    try:
        value = float(inner)
    except ValueError:
        return Parsed(None, ok=False, steps=steps)
    if not math.isfinite(value):
        return Parsed(None, ok=False, steps=steps)
    decimals = len(inner.split(".", 1)[1]) if "." in inner else 0
    return Parsed(value, percent=percent, decimals=decimals, steps=steps)


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
