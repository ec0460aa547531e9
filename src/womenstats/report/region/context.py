"""What a parent region's report (a city's, a province's) works from, and its own tables.

:func:`open_region_report` assesses the region's targets on its children's returns rolled up
(:mod:`womenstats.assess.region`) and each child against the same targets; the result is a
:class:`RegionContext`, a :class:`~womenstats.report.county.context.ReportContext` whose series are the
rolled-up ones, so the county report's tables (summary, 重点关注, areas, warnings) work on it
unchanged. The tables below are the parent's own: the roll-up with its coverage, the league table
of the children, the shortfall split among them, the children whose plan asks less, and the
returns missing, are in :mod:`womenstats.report.region.tables`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from womenstats import catalog
from womenstats.assess.region import (
    assess_region,
    governing_plan,
    reporting_members,
    rolled_observations,
    with_rolled_children,
)
from womenstats.catalog import regions
from womenstats.gender.derived import with_derived_gaps
from womenstats.gender.rollup import rollup
from womenstats.intake import Store
from womenstats.report.county.context import ReportContext
from womenstats.report.provenance import provenance, resolve_path
from womenstats.report.titles import KIND_LABELS


@dataclass
class RegionContext(ReportContext):
    """A :class:`ReportContext` for a parent region, with its children.

    Attributes
    ----------
    children : dict
        Child code -> its assessment against the same targets (``assess_plan`` columns).
    child_observations : pandas.DataFrame
        The children's observations up to the report year (store columns); a child without returns
        of its own (a city under a province) is rolled up from its counties.
    member_observations : pandas.DataFrame
        Every descendant's observations (and the rolled-up children): what the region's own
        figures are summed from (:func:`womenstats.assess.rolled.reporting_members`).
    owner : str
        The region whose plan the targets come from (the region itself, or an ancestor).
    """

    children: dict[str, pd.DataFrame] = field(default_factory=dict)
    child_observations: pd.DataFrame = field(default_factory=pd.DataFrame)
    member_observations: pd.DataFrame = field(default_factory=pd.DataFrame)
    owner: str = ""
    _rollups: dict[int, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def name(self) -> str:
        """The region's Chinese name."""
        return regions.name(str(self.region_code))

    @property
    def data_year(self) -> int:
        """The latest year any child returned data for (the year the roll-up tables show)."""
        years = self.child_observations["year"]
        return int(years.max()) if len(years) else int(self.year)

    def assessment(self, method: str | None = None) -> pd.DataFrame:
        """Return the parent's assessment (computed when the context was opened, or for ``method``)."""
        method = method or self.method
        if method not in self._assessments:
            self._assessments[method] = assess_region(
                self.member_observations,
                str(self.region_code),
                self.year,
                method=method,
                plan_id=self.plan.id,
                stage=self.kind,
            )[0]
        return self._assessments[method]

    def rollup(self, year: int | None = None) -> pd.DataFrame:
        """Return the roll-up of a year (the latest data year by default), cached."""
        year = self.data_year if year is None else int(year)
        if year not in self._rollups:
            region = str(self.region_code)
            members = reporting_members(region)
            self._rollups[year] = rollup(self.member_observations, region, year, children=members)
        return self._rollups[year]

    def provenance(self) -> dict:
        """Return the provenance record: the children's input files, the governing plan's catalog files."""
        return provenance(
            {**self.parameters, "kind": self.kind},
            self.store,
            self.plan.id,
            observations=self.child_observations,
        )


def open_region_report(
    kind: str, *, region: str, year: int, store: str, out_dir: str = "reports", method: str = "ours"
) -> RegionContext:
    """Open the inputs of a parent region's report from a notebook's parameters.

    Parameters
    ----------
    kind : str
        ``annual``, ``midterm`` or ``final``.
    region : str
        The region's GB/T 2260 code (``440700``).
    year : int
        Report year.
    store, out_dir, method : str
        As in :func:`womenstats.report.county.context.open_report`.

    Returns
    -------
    RegionContext
    """
    handle = Store(resolve_path(store))
    below = regions.children(str(region), depth=None)
    obs = handle.observations()
    obs = obs.loc[obs["region_code"].astype(str).isin(below) & (obs["year"] <= int(year))]
    years = range(int(obs["year"].min()), int(year) + 1) if len(obs) else []
    # A child without returns of its own (a city under a province) is rolled up from its children.
    members = with_rolled_children(obs.reset_index(drop=True), str(region), years)
    obs = members.loc[members["region_code"].astype(str).isin(regions.children(str(region)))]
    obs = with_derived_gaps(obs.reset_index(drop=True))  # gaps from their components, as assessed
    plan_id, owner = governing_plan(str(region))
    rolled = rolled_observations(members, str(region), years)
    parent, children = assess_region(
        members, str(region), int(year), method=method, plan_id=plan_id, rolled=rolled, stage=kind
    )
    ctx = RegionContext(
        kind=kind,
        plan=catalog.plan(plan_id),
        year=int(year),
        method=method,
        parameters={
            "region": str(region),
            "year": int(year),
            "store": store,
            "out_dir": out_dir,
            "method": method,
        },
        store=handle,
        targets=catalog.load(plan_id),
        observations=rolled,
        region_code=str(region),
        children=children,
        child_observations=obs,
        member_observations=members,
        owner=owner,
    )
    ctx._assessments[method] = parent
    return ctx


def coverage_sentence(coverage: catalog.Coverage) -> str:
    """Return what the catalog lacks of a plan's targets, said plainly for a report's reader.

    Examples
    --------
    >>> coverage_sentence(catalog.Coverage(75, "", (catalog.Gap("health", "partial", ""),
    ...                                             catalog.Gap("law", "all", ""))))
    '原文共75项主要目标，妇女与法治领域的目标未能在公开来源中读到原文、一项也未收录，妇女与健康领域只收录了部分，这些领域未收录的目标不作评估'
    """
    parts = []
    if coverage.main_targets:
        parts.append(f"原文共{coverage.main_targets}项主要目标")
    wholly = "、".join(catalog.AREAS[a] for a in coverage.missing_areas("all"))
    if wholly:
        parts.append(f"{wholly}领域的目标未能在公开来源中读到原文、一项也未收录")
    partly = "、".join(catalog.AREAS[a] for a in coverage.missing_areas("partial"))
    if partly:
        parts.append(f"{partly}领域只收录了部分")
    return f"{'，'.join(parts)}，这些领域未收录的目标不作评估"


def heading(ctx: RegionContext) -> str:
    """Return the report's title block: region, kind, year, whose targets (said plainly), which counties."""
    plan = ctx.plan
    own = ctx.owner == str(ctx.region_code)
    quantified = int((ctx.targets["kind"] != "qualitative").sum())
    if own:
        whose = f"本级规划《{plan.name}》的{len(ctx.targets)}项目标（可量化{quantified}项）"
    else:
        whose = (f"{ctx.name}尚无自己的妇女发展规划，按上级{regions.name(ctx.owner)}的《{plan.name}》评估，"
                 f"目录中该纲要已整理{len(ctx.targets)}项目标（可量化{quantified}项）")
    rest = "没有上级或本级目标"
    if plan.coverage is not None:
        whose += f"，但不全：{coverage_sentence(plan.coverage)}"
        rest = "在目录中没有可评估的目标"
    names = "、".join(regions.name(c) for c in ctx.children)
    lines = [
        f"# {ctx.name}妇女发展规划实施情况{ctx.year}年{KIND_LABELS[ctx.kind]}",
        "",
        f"本报告{whose}；其余指标{rest}，作为监测指标在“各县（市、区）主要指标比较”中逐项列出。"
        f"全市数值由{len(ctx.children)}个县级单位（{names}）报送的数据汇总而得（率和比例合计分子分母，"
        f"不平均各地的率），最新数据年份为{ctx.data_year}年。",
    ]
    if ctx.simulated:
        lines += ["", "**【模拟数据】本报告使用的下级数据为模拟数据，仅用于演示方法，不代表真实情况。**"]
    return "\n".join(lines)


__all__ = ["RegionContext", "coverage_sentence", "heading", "open_region_report"]
