"""What a report notebook works from: the plan, its targets, the observations and the assessment.

A report notebook opens one :class:`ReportContext` from its parameters (:func:`open_report`) and
passes it to the table and chart functions; nothing in the notebook computes.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field

import pandas as pd

from womenstats import catalog
from womenstats.catalog import Plan
from womenstats.intake import Store
from womenstats.report import precomputed
from womenstats.report.provenance import provenance, resolve_path

#: The observation key of a target's series, beside the region.
SERIES_KEY = ("indicator_id", "sex", "residence", "age_group")


@dataclass
class ReportContext:
    """The inputs of one report.

    Attributes
    ----------
    kind : str
        ``annual``, ``midterm`` or ``final``.
    plan : womenstats.catalog.Plan
        The plan reported on.
    year : int
        The report year: observations after it are not used.
    method : str
        Assessment method (``ours``, ``open-sdg``, ``escap``).
    parameters : dict
        The notebook parameters as given.
    store : womenstats.intake.Store
        The observation store.
    targets : pandas.DataFrame
        The plan's targets (``catalog.load``).
    observations : pandas.DataFrame
        The plan region's observations up to ``year``.
    region_code : str, optional
        The region whose series the report shows when it is not the plan's own (a city assessed
        against the national outline); the plan's region by default.
    """

    kind: str
    plan: Plan
    year: int
    method: str
    parameters: dict
    store: Store
    targets: pd.DataFrame
    observations: pd.DataFrame
    region_code: str | None = None
    _assessments: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _projections: dict[str, object] = field(default_factory=dict, repr=False)
    _pending: dict[str, Future] = field(default_factory=dict, repr=False)
    _series: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def simulated(self) -> bool:
        """Whether any observation the report uses is simulated (模拟数据)."""
        return bool(len(self.observations) and self.observations["simulated"].astype(bool).any())

    def assessment(self, method: str | None = None) -> pd.DataFrame:
        """Return ``assess.assess_plan`` for the report year (cached per method).

        Parameters
        ----------
        method : str, optional
            The method; the report's own when omitted.
        """
        from womenstats import assess

        method = method or self.method
        if method not in self._assessments:
            early = precomputed.early_assessment(self.plan.id, self.year, str(self.store.path), method)
            self._assessments[method] = early if early is not None else precomputed.result_or(
                self._pending.pop(method, None),
                lambda: assess.assess_plan(self.plan.id, self.year, store=self.store, method=method,
                                           stage=self.kind),
            )
        return self._assessments[method]

    def prefetch(self, methods) -> None:
        """Start the assessments of other ``methods`` in a forked worker while the notebook goes on.

        :meth:`assessment` then takes the worker's result (the same table as computed here); with
        no second core, or if the worker fails, it computes it itself.
        """
        wanted = [m for m in methods if m not in self._assessments and m not in self._pending
                  and not precomputed.early_planned(self.plan.id, self.year, str(self.store.path), m)]
        pool = precomputed.fork_pool(1) if wanted else None
        if pool is None:
            return
        for method in wanted:
            self._pending[method] = pool.submit(_assess_plan, self.plan.id, self.year, str(self.store.path),
                                                method, self.kind)
        pool.shutdown(wait=False)

    def series(self, indicator_id: str, sex: str, residence: str, age_group: str) -> pd.DataFrame:
        """Return one series of the plan's region up to the report year, sorted by year."""
        obs = self.observations
        mask = (
            (obs["indicator_id"] == indicator_id)
            & (obs["sex"] == sex)
            & (obs["residence"] == residence)
            & (obs["age_group"] == age_group)
        )
        return obs.loc[mask].sort_values("year").reset_index(drop=True)

    def target_series(self, target_id: str) -> pd.DataFrame:
        """Return the series a target is judged on, as ``womenstats.assess`` selects it.

        Columns ``year, value, numerator, denominator`` (for a ``narrow`` target the size of the
        gap); empty for a qualitative target.
        """
        if target_id not in self._series:
            self._series[target_id] = self._target_series(target_id)
        return self._series[target_id].copy()

    def _target_series(self, target_id: str) -> pd.DataFrame:
        from womenstats.assess.series import SERIES_COLUMNS, gap_series, target_series

        row = self.target(target_id)
        if not row["indicator_id"]:
            return pd.DataFrame(columns=list(SERIES_COLUMNS))
        where = {key: str(row[key]) for key in SERIES_KEY}
        region = str(self.region_code or self.plan.region_code)
        if row["operator"] == "narrow":
            series, _ = gap_series(self.observations, region_code=region, year=self.year,
                                   sentence=str(row["sentence"]), **where)
            return series
        subject = catalog.indicator(row["indicator_id"]).subject
        return target_series(self.observations, region_code=region, year=self.year, subject=subject, **where)

    def projection(self, target_id: str):
        """Return the projection of a target's series, made as ``womenstats.assess`` makes it.

        The same call as the assessment's: :func:`womenstats.trend.project` on
        :meth:`target_series` with the indicator's bounds (``(0, None)`` for a gap), its
        numerators and denominators when all are stored, ``per`` and ``better``.

        The projection is made once per target and kept for the report's other tables and charts.

        Returns
        -------
        womenstats.trend.Projection
        """
        if target_id not in self._projections:
            self._projections[target_id] = self._project(target_id)
        return self._projections[target_id]

    def _project(self, target_id: str):
        from womenstats.assess import target_projection  # the assessment's own call, one path

        row = self.target(target_id)
        return target_projection(self.target_series(target_id), row["operator"], row["indicator_id"])

    def target(self, target_id: str) -> pd.Series:
        """Return one of the plan's target rows; a blank unit is the indicator's (values are in it)."""
        return self._by_id.loc[target_id]

    @property
    def _by_id(self) -> pd.DataFrame:
        if "_indexed" not in self.__dict__:
            rows = self.targets.set_index("target_id", drop=False)
            units = rows["indicator_id"].map(catalog.indicators()["unit"])
            blank = rows["unit"].fillna("").eq("") & rows["indicator_id"].fillna("").ne("")
            self.__dict__["_indexed"] = rows.assign(unit=rows["unit"].where(~blank, units))
        return self.__dict__["_indexed"]

    def provenance(self) -> dict:
        """Return the provenance record of this report (see :mod:`womenstats.report.provenance`)."""
        return provenance({**self.parameters, "kind": self.kind}, self.store, self.plan.id)


def _assess_plan(plan_id: str, year: int, store: str, method: str, stage: str) -> pd.DataFrame:
    """``assess.assess_plan`` in a worker process (its own store handle)."""
    from womenstats import assess

    return assess.assess_plan(plan_id, year, store=Store(store), method=method, stage=stage)


def open_report(
    kind: str, *, plan: str, year: int, store: str, out_dir: str = "reports", method: str = "ours"
) -> ReportContext:
    """Open the inputs of a report from a notebook's parameters.

    Parameters
    ----------
    kind : str
        ``annual``, ``midterm`` or ``final``.
    plan : str
        Plan id.
    year : int
        Report year.
    store : str
        The store file (relative to the project root, or absolute).
    out_dir : str
        Where the runner writes the report files (recorded in the provenance only).
    method : str
        Assessment method.

    Returns
    -------
    ReportContext
    """
    handle = Store(resolve_path(store))
    obs = handle.observations(plan=plan)
    return ReportContext(
        kind=kind,
        plan=catalog.plan(plan),
        year=int(year),
        method=method,
        parameters={"plan": plan, "year": int(year), "store": store, "out_dir": out_dir, "method": method},
        store=handle,
        targets=catalog.load(plan),
        observations=obs.loc[obs["year"] <= int(year)].reset_index(drop=True),
    )
