"""The result every gender statistic returns: an estimate with its interval and the counts behind it.

A scalar call returns an :class:`Estimate`; a call on arrays or pandas Series returns a DataFrame with
the columns :data:`RESULT_COLUMNS`, indexed like the input. A value that cannot be computed is NaN and
its ``reason`` column holds one of the codes in :data:`REASONS` (never an exception, never ``inf``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Columns of a result table, in order.
RESULT_COLUMNS: tuple[str, ...] = ("value", "lower", "upper", "numerator", "denominator", "reason")

#: Codes of the ``reason`` column and their Chinese explanation (for reports).
REASONS: dict[str, str] = {
    "": "",
    "missing_count": "分子或分母缺失，无法计算",
    "zero_denominator": "分母为0，比率无定义",
    "zero_reference": "对照组（男性）为0，比值无定义",
    "no_counts": "仅有数值、无分子分母，不能计算置信区间",
    "too_few_values": "观测值不足，无法计算",
    "no_interval": "总量或比值（全面统计），不计算置信区间",
    "missing_component": "下级地区数据不全，未汇总（见 missing 列）",
    "not_additive": "平均数类指标缺少分子分母，不能跨地区汇总",
    "missing_female": "缺少女性数值",
    "missing_male": "缺少男性数值",
    "missing_total": "缺少合计数值",
    "missing_urban": "缺少城镇数值",
    "missing_rural": "缺少农村数值",
    "no_data": "该地区没有这项指标的数据",
}


@dataclass(frozen=True)
class Estimate:
    """An estimate with its confidence interval and the counts it was computed from.

    Attributes
    ----------
    value : float
        The point estimate (NaN when it cannot be computed; see ``reason``).
    lower, upper : float
        Confidence limits (NaN when no interval applies).
    numerator, denominator : float
        The counts (or the two compared values) behind the estimate.
    reason : str
        Empty, or a code of :data:`REASONS` saying why a figure is missing.
    """

    value: float
    lower: float
    upper: float
    numerator: float
    denominator: float
    reason: str = ""

    def contains(self, x: float) -> bool:
        """Return True when ``lower <= x <= upper`` (False when the interval is missing)."""
        return bool(self.lower <= x <= self.upper)


def template_of(*args: object) -> pd.Index | None:
    """Return the index a result should carry, or None when every argument is a scalar.

    The index of the first pandas argument is used; plain arrays get a RangeIndex.
    """
    for arg in args:
        if isinstance(arg, pd.Series | pd.DataFrame):
            return arg.index
    for arg in args:
        if np.ndim(arg) > 0:
            return pd.RangeIndex(len(np.asarray(arg)))
    return None


def pack(
    index: pd.Index | None,
    value: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    numerator: np.ndarray,
    denominator: np.ndarray,
    reason: np.ndarray,
) -> Estimate | pd.DataFrame:
    """Return an :class:`Estimate` (``index`` is None) or a result DataFrame indexed by ``index``.

    Infinite values are turned into NaN: a result never holds ``inf``.
    """
    cols = [np.asarray(c, dtype=float) for c in (value, lower, upper, numerator, denominator)]
    cols = [np.where(np.isinf(c), np.nan, c) for c in cols]
    reason = np.asarray(reason, dtype=object)
    if index is None:
        return Estimate(*(float(np.ravel(c)[0]) for c in cols), reason=str(np.ravel(reason)[0]))
    n = len(index)
    data = {name: np.broadcast_to(c, (n,)).copy() for name, c in zip(RESULT_COLUMNS[:5], cols, strict=True)}
    data["reason"] = np.broadcast_to(reason, (n,)).astype(object)
    return pd.DataFrame(data, index=index)


def as_frame(result: Estimate | pd.DataFrame) -> pd.DataFrame:
    """Return a result as a DataFrame (a one-row frame for an :class:`Estimate`)."""
    if isinstance(result, Estimate):
        return pd.DataFrame([result.__dict__], columns=list(RESULT_COLUMNS))
    return result
