"""Member departments (成员单位): their self-evaluation report, their text, and who has returned what.

A department's self-evaluation (:func:`open_department_report`) is the plan's report restricted
to the targets whose indicator the registry assigns to the department, with the three sections a
department writes (主要措施, 存在问题, 下一步打算) taken from a text file it supplies
(:func:`read_narrative`) or left as marked blanks to fill in Word. :func:`returns_table` tells the
county office, from the store's provenance, which departments have returned data for which of
their indicators in a year.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from womenstats import catalog
from womenstats.errors import InputError, Location
from womenstats.report.county.context import ReportContext, open_report
from womenstats.report.provenance import resolve_path

#: The sections a department writes, in order.
SECTIONS: tuple[str, ...] = ("主要措施", "存在问题", "下一步打算")
#: The mark a blank section carries in the report (to be filled in Word).
BLANK = "【待填写：请在此填写本单位的{section}。】"
#: Largest narrative file accepted.
MAX_BYTES = 200_000


def read_narrative(path: str | os.PathLike[str]) -> dict[str, str]:
    """Read a department's text: sections headed ``## 主要措施``, ``## 存在问题``, ``## 下一步打算``.

    The file is UTF-8 text (Markdown). Each heading may appear once, in any order; text before the
    first heading, an unknown heading or an empty section is refused, naming the file and line.
    A section not in the file is left blank in the report.

    Parameters
    ----------
    path : path-like
        The file.

    Returns
    -------
    dict
        Section name -> its text (stripped), for the sections present.

    Raises
    ------
    InputError
        ``E_NARRATIVE`` with the file and line and what to do.
    """
    file = Path(path)
    where = Location(file=file.name)
    if not file.is_file():
        raise InputError(
            f"找不到自评文本文件 {file.name}：请检查 --narrative 给出的路径。", where, "E_NARRATIVE"
        )
    raw = file.read_bytes()
    if len(raw) > MAX_BYTES:
        raise InputError(
            f"自评文本文件 {file.name} 超过 {MAX_BYTES // 1000} KB：请只保留三部分的文字。",
            where,
            "E_NARRATIVE",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"自评文本文件 {file.name} 不是 UTF-8 编码：请在编辑器中另存为 UTF-8 后重试。",
            where,
            "E_NARRATIVE",
        ) from exc
    sections: dict[str, list[str]] = {}
    current = None
    for number, line in enumerate(text.splitlines(), start=1):
        here = Location(file=file.name, row=number)
        if line.startswith("#"):
            name = line.lstrip("#").strip()
            if name not in SECTIONS:
                raise InputError(
                    f"第 {number} 行的标题“{name}”不是自评报告的部分：标题只能是 "
                    f"{'、'.join('## ' + s for s in SECTIONS)}。",
                    here,
                    "E_NARRATIVE",
                )
            if name in sections:
                raise InputError(f"第 {number} 行：“{name}”出现了两次，请合并为一部分。", here, "E_NARRATIVE")
            sections[name] = []
            current = name
        elif current is None:
            if line.strip():
                raise InputError(
                    f"第 {number} 行在第一个标题之前：请把文字放在 “## 主要措施” 等标题之下。",
                    here,
                    "E_NARRATIVE",
                )
        else:
            sections[current].append(line)
    if not sections:
        raise InputError(
            f"自评文本文件 {file.name} 中没有任何标题：请按 “## 主要措施”“## 存在问题”“## 下一步打算” "
            "分部分填写。",
            where,
            "E_NARRATIVE",
        )
    out = {name: "\n".join(lines).strip() for name, lines in sections.items()}
    empty = [name for name, body in out.items() if not body]
    if empty:
        raise InputError(
            f"“{empty[0]}”部分没有文字：请填写，或删去该标题留待在 Word 中填写。", where, "E_NARRATIVE"
        )
    return out


@dataclass
class DepartmentContext(ReportContext):
    """A :class:`ReportContext` restricted to one department's targets, with its text.

    Attributes
    ----------
    department : str
        The department (``卫健``).
    narrative : dict
        Section -> text, for the sections the department supplied.
    """

    department: str = ""
    narrative: dict[str, str] | None = None

    def assessment(self, method: str | None = None) -> pd.DataFrame:
        """Return the plan's assessment restricted to the department's targets."""
        full = super().assessment(method)
        return full.loc[full["target_id"].isin(self.targets["target_id"])].reset_index(drop=True)


def department_targets(targets: pd.DataFrame, department: str) -> pd.DataFrame:
    """Return the targets whose indicator the registry assigns to ``department``, in catalog order."""
    ids = targets["indicator_id"].fillna("")
    owner = ids.map(lambda i: catalog.indicator(i).department if i else "")
    return targets.loc[owner == department].reset_index(drop=True)


def open_department_report(
    kind: str,
    *,
    plan: str,
    department: str,
    year: int,
    store: str,
    out_dir: str = "reports",
    method: str = "ours",
    narrative: str = "",
) -> DepartmentContext:
    """Open a department's self-evaluation from a notebook's parameters.

    Parameters
    ----------
    kind : str
        ``midterm`` or ``final``.
    plan, year, store, out_dir, method
        As in :func:`womenstats.report.open_report`.
    department : str
        The department.
    narrative : str
        The department's text file (relative to the project root, or absolute); ``""`` for none.

    Returns
    -------
    DepartmentContext
    """
    base = open_report(kind, plan=plan, year=year, store=store, out_dir=out_dir, method=method)
    parameters = {**base.parameters, "department": department, "kind": kind, "narrative": narrative}
    return DepartmentContext(
        kind=kind,
        plan=base.plan,
        year=base.year,
        method=method,
        parameters=parameters,
        store=base.store,
        targets=department_targets(base.targets, department),
        observations=base.observations,
        department=department,
        narrative=read_narrative(resolve_path(narrative)) if narrative else {},
    )


def section_text(ctx: DepartmentContext, section: str) -> str:
    """Return a section's text as supplied, or the marked blank to fill in Word."""
    body = (ctx.narrative or {}).get(section)
    return body if body else BLANK.format(section=section)


def unit_name(ctx: DepartmentContext) -> str:
    """Return the department's full name in the plan's region (开平市卫生健康局)."""
    return catalog.department_name(ctx.department, str(ctx.plan.region_code))


def committee(ctx: DepartmentContext) -> str:
    """Return the office a self-evaluation is sent to: the region's 妇女儿童工作委员会办公室."""
    return f"{regional_name(ctx)}妇女儿童工作委员会办公室"


def regional_name(ctx: DepartmentContext) -> str:
    """Return the region's name as its units are named (开平市, 广州市南沙区, 古县)."""
    return catalog.department_name("卫健", str(ctx.plan.region_code)).removesuffix("卫生健康局")


def heading(ctx: DepartmentContext) -> str:
    """Return the title block of a department's self-evaluation: its full name, what it covers, to whom."""
    stage = "中期" if ctx.kind == "midterm" else "终期"
    name = unit_name(ctx)
    lines = [
        f"# {name}关于《{ctx.plan.name}》{ctx.year}年{stage}评估的自评报告",
        "",
        f"{committee(ctx)}：",
        "",
        f"根据规划{stage}评估工作要求，现将本单位负责的{len(ctx.targets)}项目标的实施情况报告如下。"
        "各项数据、状态和预测与全市评估报告使用同一数据库和同一方法。",
    ]
    if ctx.simulated:
        lines += ["", "**【模拟数据】本报告使用的地区数据为模拟数据，仅用于演示方法，不代表真实情况。**"]
    if not ctx.narrative:
        lines += ["", "（“主要措施”“存在问题”“下一步打算”三部分尚待本单位填写，可在 Word 中直接填写。）"]
    return "\n".join(lines)


def signature(ctx: DepartmentContext) -> str:
    """Return the closing block (落款): the unit's full name and the date line to complete when sealed."""
    return f">> {unit_name(ctx)}\n>> {ctx.year}年　　月　　日"


def _series_keys(targets: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    """Return the distinct series (indicator, sex, residence, age group) the quantified targets need."""
    rows = targets.loc[(targets["kind"] != "qualitative") & targets["indicator_id"].fillna("").ne("")]
    keys = zip(rows["indicator_id"], rows["sex"], rows["residence"], rows["age_group"], strict=True)
    return sorted(set(keys))


def _as_total(key: tuple[str, str, str, str], present: set) -> bool:
    """Whether a women-only series is stored as ``total`` (the assessment reads it as ``female``)."""
    return key[1] == "female" and (key[0], "total", key[2], key[3]) in present


def _series_name(key: tuple[str, str, str, str]) -> str:
    from womenstats.report.county.tables import breakdown_text

    indicator, sex, residence, age = key
    group = breakdown_text(sex, residence, age)
    group = "" if group in ("合计", "女") else group
    name = catalog.indicator(indicator).name
    return f"{name}（{group}）" if group else name


def returns_table(
    store_obs: pd.DataFrame, targets: pd.DataFrame, region_code: str, year: int
) -> pd.DataFrame:
    """Return, per member unit, which of the series its targets need have data for ``year``.

    A series is an indicator in a breakdown (sex, residence, age group): a unit that returned a
    screening rate for all ages but not for women aged 35–45 still owes the second, as the
    assessment and its 需补报 table say. A women-only indicator stored as ``total`` counts for
    ``female``, as the assessment reads it.

    Parameters
    ----------
    store_obs : pandas.DataFrame
        Observations with the store's provenance columns (``source_file``).
    targets : pandas.DataFrame
        The plan's targets.
    region_code : str
        The plan's region.
    year : int
        The year of the returns.

    Returns
    -------
    pandas.DataFrame
        Columns 责任单位 (full name), 应报指标, 已报, 未报, 未报的指标; one row per unit, sorted by
        the registry's short name. The files the values came from are in :func:`returns_note`.
    """
    here = store_obs.loc[
        (store_obs["region_code"].astype(str) == str(region_code))
        & (store_obs["year"] == int(year))
        & store_obs["value"].notna()
    ]
    present = set(zip(here["indicator_id"], here["sex"], here["residence"], here["age_group"], strict=True))
    by_unit: dict[str, list[tuple[str, str, str, str]]] = {}
    for key in _series_keys(targets):
        by_unit.setdefault(catalog.indicator(key[0]).department or "—", []).append(key)
    rows = []
    for code, keys in sorted(by_unit.items()):
        missing = [k for k in keys if k not in present and not _as_total(k, present)]
        unit = catalog.department_name(code, str(region_code)) if code != "—" else "—"
        owed = "、".join(_series_name(k) for k in missing) or "—"
        rows.append([unit, len(keys), len(keys) - len(missing), len(missing), owed])
    return pd.DataFrame(rows, columns=["责任单位", "应报指标", "已报", "未报", "未报的指标"])


def returns_note(store_obs: pd.DataFrame, region_code: str, year: int) -> str:
    """Return the note under :func:`returns_table`: the files the year's values came from (provenance)."""
    here = store_obs.loc[
        (store_obs["region_code"].astype(str) == str(region_code))
        & (store_obs["year"] == int(year))
        & store_obs["value"].notna()
    ]
    counts = here.groupby(here["source_file"].astype(str)).size().sort_index()
    if counts.empty:
        return f"{year}年没有任何报送。"
    listed = "；".join(f"{name}（{n} 个数值）" for name, n in counts.items())
    return f"{year}年的数值来自：{listed}。"


def latest_return_year(store_obs: pd.DataFrame, region_code: str, year: int) -> int:
    """Return the latest year up to ``year`` with any return from the region (``year - 1`` if none)."""
    years = store_obs.loc[
        (store_obs["region_code"].astype(str) == str(region_code)) & (store_obs["year"] <= int(year)), "year"
    ]
    return int(years.max()) if len(years) else int(year) - 1


__all__ = [
    "BLANK",
    "SECTIONS",
    "DepartmentContext",
    "committee",
    "department_targets",
    "heading",
    "latest_return_year",
    "open_department_report",
    "read_narrative",
    "returns_note",
    "returns_table",
    "section_text",
    "signature",
    "unit_name",
]


def department_returns(ctx: ReportContext) -> tuple[pd.DataFrame, int, str]:
    """Return the departments that owe data for the latest return year, that year and the note.

    The rows of :func:`returns_table` with something missing (a committee acts on those); the note
    says how many departments returned everything and names the files (:func:`returns_note`).
    """
    region = str(ctx.plan.region_code)
    year = latest_return_year(ctx.observations, region, ctx.year)
    if catalog.plan(ctx.plan.id).level == "national":  # published figures, not member units' returns
        note = "全国数据取自国家统计局监测报告等公开发布的数据，各表下注明每个数值的来源。"
        return pd.DataFrame(columns=["责任单位", "应报指标", "已报", "未报", "未报的指标"]), year, note
    table = returns_table(ctx.observations, ctx.targets, region, year)
    owing = table.loc[table["未报"] > 0].reset_index(drop=True)
    complete = table.loc[table["未报"] == 0]
    done = (
        (
            f"其余 {len(complete)} 个单位（{'、'.join(complete['责任单位'])}）负责的 "
            f"{int(complete['应报指标'].sum())} 项指标均已报送。"
        )
        if len(complete)
        else ""
    )
    return owing, year, done + returns_note(ctx.observations, region, year)
