"""Checks on the counts given to a gender statistic; bad counts raise an :class:`InputError` in Chinese.

Every check names the offending item: the row's source file, sheet and cell when the data came from
the observation store (columns ``source_file``, ``sheet``, ``cell``), otherwise its index label.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from womenstats.errors import InputError, Location


def as_arrays(*args: object) -> list[np.ndarray]:
    """Return the arguments as broadcast float arrays (pandas objects by position, not by label)."""
    arrays = [
        a.to_numpy(dtype=float, na_value=np.nan) if isinstance(a, pd.Series) else np.asarray(a, dtype=float)
        for a in args
    ]
    return [np.atleast_1d(a) for a in np.broadcast_arrays(*arrays)]


def locate(position: int, index: pd.Index | None, where: pd.DataFrame | None) -> tuple[Location, str]:
    """Return the location of item ``position`` and a Chinese phrase naming it."""
    if where is not None and "source_file" in where.columns:
        row = where.iloc[position]
        loc = Location(
            file=_text(row.get("source_file")), sheet=_text(row.get("sheet")), cell=_text(row.get("cell"))
        )
        return loc, f"（地区 {row.get('region_code', '')}，{row.get('year', '')} 年）"
    if index is None:
        return Location(), ""
    label = index[position]
    text = "，".join(str(x) for x in label) if isinstance(label, tuple) else str(label)
    return Location(), f"（{text}）"


def _text(x: object) -> str | None:
    return None if x is None or (isinstance(x, float) and np.isnan(x)) or x == "" else str(x)


def check_nonnegative(
    values: np.ndarray,
    name: str,
    index: pd.Index | None = None,
    where: pd.DataFrame | None = None,
) -> None:
    """Raise :class:`InputError` when a count is negative (NaN is allowed: it means not reported)."""
    bad = np.flatnonzero(values < 0)
    if bad.size:
        loc, item = locate(int(bad[0]), index, where)
        raise InputError(
            f"{name}为负数（{values[bad[0]]:g}）{item}：计数不能小于0，请核对原始报表。",
            loc,
            code="E_NEGATIVE_COUNT",
        )


def check_counts(
    values: np.ndarray,
    name: str,
    index: pd.Index | None = None,
    where: pd.DataFrame | None = None,
    *,
    integer: bool = True,
) -> None:
    """Raise :class:`InputError` unless every value is a count: finite, non-negative and whole.

    In an array or Series, NaN means "not reported" and is allowed (the result says
    ``missing_count``); a single value (``index`` and ``where`` both None) must be a number.

    Parameters
    ----------
    values : numpy.ndarray
        The counts (float array, as :func:`as_arrays` returns them).
    name : str
        Chinese name of the argument, used in the message (e.g. ``"分子"``).
    index : pandas.Index, optional
        Labels of the items (for arrays and Series), used to name the offending one.
    where : pandas.DataFrame, optional
        Observation rows, used to name the file and cell.
    integer : bool, default True
        Whether values must be whole numbers; False for exposures such as person-years or a
        standard population's weights, which need only be finite and non-negative.

    Raises
    ------
    InputError
        ``E_NOT_A_COUNT`` for an infinite, non-integer or (single) missing value,
        ``E_NEGATIVE_COUNT`` for a negative one.
    """
    values = np.asarray(values, dtype=float)
    if index is None and where is None and np.isnan(values).any():
        raise InputError(
            f"{name}缺失（NaN）：请给出计数；表格中未报送的数值可以留空，结果会注明“分子或分母缺失”。",
            code="E_NOT_A_COUNT",
        )
    bad = np.flatnonzero(np.isinf(values))
    if bad.size:
        loc, item = locate(int(bad[0]), index, where)
        raise InputError(f"{name}不是有限数（{values[bad[0]]:g}）{item}：请核对原始报表。", loc,
                         code="E_NOT_A_COUNT")
    check_nonnegative(values, name, index, where)
    if not integer:
        return
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero(np.abs(values - np.round(values)) > 1e-9 * np.maximum(1.0, np.abs(values)))
    if bad.size:
        loc, item = locate(int(bad[0]), index, where)
        raise InputError(
            f"{name}不是整数（{values[bad[0]]:g}）{item}：计数应为非负整数；如果填的是比率、百分比或"
            "以“万”为单位的数，请改填人数或次数。",
            loc,
            code="E_NOT_A_COUNT",
        )


def check_part_of_whole(
    part: np.ndarray,
    whole: np.ndarray,
    part_name: str,
    whole_name: str,
    index: pd.Index | None = None,
    where: pd.DataFrame | None = None,
) -> None:
    """Raise :class:`InputError` when a part (e.g. a female count) exceeds its whole (the total).

    Both arguments must be counts (:func:`check_counts`).
    """
    check_counts(part, part_name, index, where)
    check_counts(whole, whole_name, index, where)
    bad = np.flatnonzero(part > whole)
    if bad.size:
        i = int(bad[0])
        loc, item = locate(i, index, where)
        raise InputError(
            f"{part_name}（{part[i]:g}）大于{whole_name}（{whole[i]:g}）{item}：部分不能超过合计，"
            "请核对是否填错了列或单位。",
            loc,
            code="E_PART_EXCEEDS_TOTAL",
        )


def check_alpha(alpha: float) -> None:
    """Raise :class:`InputError` unless ``0 < alpha < 1``."""
    if not 0 < alpha < 1:
        raise InputError(
            f"显著性水平 alpha={alpha} 无效：应在0与1之间（95%置信区间用 0.05）。", code="E_ALPHA"
        )


def reasons(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Return the ``reason`` code of each item: missing counts, a zero denominator, or empty."""
    out = np.full(numerator.shape, "", dtype=object)
    out[denominator == 0] = "zero_denominator"
    out[np.isnan(numerator) | np.isnan(denominator)] = "missing_count"
    return out


def check_unique(rows: pd.DataFrame, keys: list[str], remedy: str = "请先去重或汇总。") -> None:
    """Raise :class:`InputError` when two rows share the same ``keys`` (one observation, two values).

    The message names the first duplicated key and, when the rows carry them, the file and cell.
    """
    dup = rows.duplicated(keys, keep=False)
    if dup.any():
        first = rows[dup].iloc[0]
        text = "，".join(f"{k}={first[k]}" for k in keys if k != "_series")
        where = rows[dup].iloc[:1]
        loc, _ = locate(0, None, where if "source_file" in where.columns else None)
        raise InputError(f"同一观测有多行数据（{text}）：{remedy}", loc, code="E_DUPLICATE_OBSERVATION")
