"""The filters of :meth:`womenstats.intake.Store.observations`, read the way pandas reads them.

Every filter takes one value or a list of them (a list keeps the rows whose column is in it, as
:meth:`pandas.Series.isin`). A value of the wrong type is refused with a Chinese message that says
what to write (a region code is text, ``"440783"``: as a number it loses the leading zeros of
``"000000"``); an indicator may be named by its id, its Chinese name or an alias, or given as the
catalog's object. A selection that comes back empty says why: :func:`explain_empty` names the filter
that matches nothing in the store, or says that the filters match separately but not together.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from womenstats.errors import InputError
from womenstats.intake.columns import RESIDENCE_WORDS, SEX_WORDS


class EmptySelectionWarning(UserWarning):
    """A selection of observations matched nothing; the message names the filter."""


#: Chinese names of the filters, for messages.
FILTER_NAMES: dict[str, str] = {"plan": "规划", "region_code": "地区代码", "indicator_id": "指标",
                                "year": "年份", "sex": "性别", "residence": "城乡", "age_group": "年龄组"}

#: How many of the store's values a warning lists.
SHOWN = 8


@dataclass(frozen=True)
class Filter:
    """One filter: its argument's name, the column it selects on and the values it keeps."""

    name: str
    column: str
    values: tuple


def _listed(name: str, value) -> list:
    """Return a filter's values as a list: one value, or the items of a list-like."""
    if isinstance(value, str | int) or not isinstance(value, Iterable):
        return [value]
    if isinstance(value, dict):
        raise InputError(f"筛选条件 {name} 不能是字典：请给出一个值或一个列表，如 {name}=[…]。",
                         code="E_FILTER_TYPE")
    return list(value)


def _wrong(name: str, item, expected: str) -> InputError:
    return InputError(f"筛选条件 {name} 的值 {item!r}（{type(item).__name__}）类型不对：应为{expected}，"
                      "或由它们组成的列表。", code="E_FILTER_TYPE")


def _region(item) -> str:
    if not isinstance(item, str):
        raise _wrong("region_code", item,
                     "6 位数字的地区代码字符串，如 \"440783\"（写成数字会丢掉 000000 的前导零）")
    if not re.fullmatch(r"\d{6}", item.strip()):
        raise InputError(f"地区代码“{item}”不是 6 位数字（GB/T 2260），如 \"440783\"；全国为 \"000000\"。",
                         code="E_FILTER_VALUE")
    return item.strip()


def _year(item) -> int:
    if isinstance(item, bool) or not hasattr(item, "__index__"):
        if isinstance(item, float) and item.is_integer():
            return int(item)
        raise _wrong("year", item, "整数年份，如 2024")
    return int(item)


def _plan_region(item) -> str:
    from womenstats import catalog

    if isinstance(item, catalog.Plan):
        return str(item.region_code)
    if not isinstance(item, str):
        raise _wrong("plan", item, "规划代码，如 \"kaiping\"")
    return str(catalog.plan(item).region_code)


def _indicator(item) -> str:
    from womenstats import catalog

    if isinstance(item, catalog.Indicator):
        return item.id
    if not isinstance(item, str):
        raise _wrong("indicator_id", item,
                     "指标 id、名称或别名，如 \"health.maternal_mortality\" 或 \"孕产妇死亡率\"")
    return catalog.indicator(item).id


def _code(name: str, words: dict[str, str], example: str) -> Callable[[object], str]:
    allowed = sorted(set(words.values()))

    def read(item) -> str:
        if not isinstance(item, str):
            raise _wrong(name, item, f"{'、'.join(allowed)} 之一")
        code = words.get(item.strip(), words.get(item.strip().lower()))
        if code is None or item.strip() == "":
            raise InputError(f"{FILTER_NAMES[name]}“{item}”无法识别：应为 {'、'.join(allowed)} 之一"
                             f"（也可写中文，如 {example}）。",
                             code="E_FILTER_VALUE")
        return code

    return read


def _age(item) -> str:
    if not isinstance(item, str):
        raise _wrong("age_group", item, "年龄组字符串，如 \"all\"、\"15-49\"、\"65+\"")
    return item.strip()


#: Filter -> (column, reader of one value).
READERS: dict[str, tuple[str, Callable[[object], object]]] = {
    "plan": ("region_code", _plan_region),
    "region_code": ("region_code", _region),
    "indicator_id": ("indicator_id", _indicator),
    "year": ("year", _year),
    "sex": ("sex", _code("sex", SEX_WORDS, "女、男、合计")),
    "residence": ("residence", _code("residence", RESIDENCE_WORDS, "城镇、农村、合计")),
    "age_group": ("age_group", _age),
}


def filters(**given) -> list[Filter]:
    """Read the filters given (None: not given), each as a list of typed values.

    Parameters
    ----------
    **given
        Any of :data:`READERS`: one value or a list-like of them.

    Returns
    -------
    list of Filter
        In the order of :data:`READERS`.

    Raises
    ------
    InputError
        ``E_FILTER_TYPE`` for a value of the wrong type, ``E_FILTER_VALUE`` for a value that cannot
        be one (a region code that is not six digits, an unknown sex); an unknown plan or
        indicator raises the catalog's error (with the closest names).
    """
    out = []
    for name, (column, read) in READERS.items():
        value = given.get(name)
        if value is None:
            continue
        values = tuple(dict.fromkeys(read(item) for item in _listed(name, value)))
        out.append(Filter(name, column, values))
    return out


def where(selected: list[Filter]) -> tuple[str, list[object]]:
    """Return the SQL ``WHERE`` clause (empty when nothing is filtered) and its parameters."""
    clauses, params = [], []
    for item in selected:
        if not item.values:
            clauses.append("0")
            continue
        clauses.append(f"{item.column} IN ({', '.join('?' * len(item.values))})")
        params.extend(item.values)
    return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), params


def _shown(values) -> str:
    values = sorted(map(str, values))
    more = f" 等 {len(values)} 个" if len(values) > SHOWN else ""
    return "、".join(values[:SHOWN]) + more


def _given(item: Filter) -> str:
    values = list(item.values)
    return f"{item.name}={values[0]!r}" if len(values) == 1 else f"{item.name}={values!r}"


def explain_empty(selected: list[Filter], present: Callable[[str], set], source: str) -> None:
    """Warn that a selection came back empty, naming the filter that matches nothing.

    Parameters
    ----------
    selected : list of Filter
        The filters given.
    present : callable
        Column -> the set of its values in the store.
    source : str
        The store's name, for the message.

    Warns
    -----
    EmptySelectionWarning
        Once per filter none of whose values is in the store; or once, naming all the filters,
        when each matches something but no observation matches all of them.
    """
    if not selected:
        return
    if not present("region_code"):
        warnings.warn(f"数据库 {source} 中没有任何观测值：请先用 womenstats ingest 导入数据。",
                      EmptySelectionWarning, stacklevel=3)
        return
    blamed = False
    for item in selected:
        have = present(item.column)
        if not set(item.values) & have:
            blamed = True
            warnings.warn(f"筛选条件 {_given(item)} 没有匹配任何观测值（{FILTER_NAMES[item.name]}）；"
                          f"库中的 {item.column} 有：{_shown(have)}。", EmptySelectionWarning, stacklevel=3)
    if not blamed:
        warnings.warn(f"各筛选条件（{'，'.join(_given(item) for item in selected)}）分别都有观测值，"
                      "但没有同时满足全部条件的观测值。", EmptySelectionWarning, stacklevel=3)
