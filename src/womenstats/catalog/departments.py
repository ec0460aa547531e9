"""The member units (成员单位) by their full names: 卫健 in 开平市 is 开平市卫生健康局.

The indicator registry names the department responsible for each indicator by a short name
(``department: 卫健``). A report to submit names the unit in full, as its letterhead and seal do.
The forms are data (``catalog/data/departments.yaml``); a region whose units are named otherwise
points ``WOMENSTATS_DEPARTMENTS`` at its own copy of the file.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import yaml

from womenstats.catalog import regions
from womenstats.errors import CatalogError, Location
from womenstats.paths import package_data

#: Environment variable naming a departments file to use instead of the package's.
DEPARTMENTS_ENV = "WOMENSTATS_DEPARTMENTS"


def departments_file() -> Path:
    """Return the departments file in use: the one ``WOMENSTATS_DEPARTMENTS`` names, else the package's."""
    named = os.environ.get(DEPARTMENTS_ENV)
    return Path(named) if named else package_data("catalog", "data", "departments.yaml")


@functools.cache
def _forms(path: Path) -> dict[str, dict[str, str]]:
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogError(f"无法读取成员单位名录：{exc}", Location(file=path.name),
                           "E_DEPARTMENTS") from None
    out = {}
    for i, entry in enumerate(entries, start=1):
        named = isinstance(entry, dict) and "{region}" in str(entry.get("name", ""))
        if not named or not entry.get("code"):
            raise CatalogError(f"第{i}条应有 code 和含 {{region}} 的 name。", Location(file=path.name),
                               "E_DEPARTMENTS")
        out[str(entry["code"])] = {k: str(v) for k, v in entry.items()}
    return out


def _short(name: str) -> str:
    """Return a region's name without its level word: 开平市 -> 开平, 古县 -> 古县 (two characters stay)."""
    return name[:-1] if len(name) > 2 and name[-1] in "市区县旗" else name


def _official(region_code: str) -> tuple[str, str]:
    """Return the name a unit of the region is prefixed with, and its city's name.

    A district (区) is named with its city (广州市南沙区); a county-level city or a county by its own
    name (开平市, 古县).
    """
    name = regions.name(region_code)
    parents = regions.parents(region_code)
    city = regions.name(parents[0]) if parents else ""
    if regions.level(region_code) == "county" and name.endswith("区") and city.endswith("市"):
        return city + name, city
    return name, city


def department_name(code: str, region_code: str) -> str:
    """Return a member unit's full name in a region.

    Parameters
    ----------
    code : str
        The registry's short name (``卫健``, ``组织``, ``生态环境``…).
    region_code : str
        The region (GB/T 2260) whose unit it is.

    Returns
    -------
    str
        The full name (开平市卫生健康局, 中共开平市委组织部, 江门市生态环境局开平分局; at national
        level the ministry, 国家卫生健康委员会); for a province, or a code the file does not know,
        ``<code>部门``.

    Examples
    --------
    >>> department_name("卫健", "440783"), department_name("组织", "141025")
    ('开平市卫生健康局', '中共古县县委组织部')
    >>> department_name("生态环境", "440783"), department_name("人社", "440115")
    ('江门市生态环境局开平分局', '广州市南沙区人力资源和社会保障局')
    """
    forms = _forms(departments_file())
    level = regions.level(str(region_code))
    if code in forms and level == "national" and "national" in forms[code]:
        return forms[code]["national"]
    if code not in forms or level not in ("county", "city"):
        return f"{code}部门"
    region, city = _official(str(region_code))
    form = forms[code].get(level, forms[code]["name"])
    if "委组织部" in form and region.endswith("县"):
        region = (region if len(region) == 2 else region[:-1]) + "县"  # 古县县委, 郎溪县委
    return form.format(region=region, city=city, short=_short(regions.name(str(region_code))))


__all__ = ["DEPARTMENTS_ENV", "department_name", "departments_file"]
