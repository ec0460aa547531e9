"""The catalog's records: a plan and an indicator, as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Region:
    """A region by its GB/T 2260 code and Chinese name."""

    code: str
    name: str


@dataclass(frozen=True)
class Source:
    """The document a plan's targets were read from.

    Attributes
    ----------
    document : str
        The document's full name as published.
    file : str or None
        The text file the catalog was curated from, inside the repository (e.g.
        ``data/raw/plans/kaiping.txt``).
    """

    document: str
    file: str | None = None


@dataclass(frozen=True)
class Gap:
    """Targets of a plan that the catalog lacks, in one area (plan field ``coverage.missing``).

    Attributes
    ----------
    area : str
        Area code (``education``).
    scope : str
        ``all``: none of the area's targets is in the catalog; ``partial``: some are.
    note : str
        Which targets are missing and why (Chinese), e.g. the sources searched.
    """

    area: str
    scope: str
    note: str


@dataclass(frozen=True)
class Coverage:
    """How much of a plan's published targets the catalog holds (plan field ``coverage``).

    A plan without this field is taken to be catalogued whole. A report or a reviewer reading a plan
    with ``coverage`` knows which areas cannot be judged because their targets are not at hand.

    Attributes
    ----------
    main_targets : int or None
        How many 主要目标 the document sets, as published (None: not known).
    basis : str
        Where that count and the gaps were established (Chinese, with the addresses read).
    missing : tuple of Gap
        The areas whose targets are missing, in whole or in part, in :data:`AREAS` order.
    """

    main_targets: int | None
    basis: str
    missing: tuple[Gap, ...]

    def missing_areas(self, scope: str | None = None) -> tuple[str, ...]:
        """Return the codes of the areas with a gap (only those of ``scope`` when given).

        Examples
        --------
        >>> Coverage(None, "", (Gap("health", "partial", ""), Gap("law", "all", ""))).missing_areas("all")
        ('law',)
        """
        return tuple(g.area for g in self.missing if scope is None or g.scope == scope)


@dataclass(frozen=True)
class Plan:
    """A women's development plan (妇女发展规划) or a national outline (纲要).

    Attributes
    ----------
    id : str
        Plan id (``kaiping``, ``national``...), the stem of its file.
    name : str
        Full name of the plan.
    region_name, region_code : str
        The region it covers; the code is GB/T 2260 (six digits, ``000000`` for the nation).
    level : str
        ``county``, ``city``, ``province`` or ``national``.
    parents : tuple of Region
        Higher-level regions, nearest first.
    period_start, period_end : int
        The plan period.
    baseline_year, midterm_year, final_year : int
        Baseline (基期), mid-term evaluation (中期评估) and final evaluation (终期评估) years.
    status : str
        ``final`` or ``draft`` (征求意见稿).
    source : Source
        Source document and file.
    coverage : Coverage or None
        What the catalog lacks of the plan's targets; None when it holds them all.
    """

    id: str
    name: str
    region_name: str
    region_code: str
    level: str
    parents: tuple[Region, ...]
    period_start: int
    period_end: int
    baseline_year: int
    midterm_year: int
    final_year: int
    status: str
    source: Source
    coverage: Coverage | None = None


@dataclass(frozen=True)
class Derivation:
    """How a gap indicator is computed from two breakdowns of another indicator.

    The convention (``docs/status_rules.md``): a gap is positive when the group the plans worry
    about is behind, e.g. 孕产妇死亡率城乡差距 = rural − urban maternal mortality.

    Attributes
    ----------
    source : str
        The indicator whose breakdowns are subtracted (``health.maternal_mortality``).
    by : str
        ``sex`` or ``residence``.
    minuend, subtrahend : str
        The breakdown codes, e.g. ``rural`` and ``urban``.
    form : str
        ``difference``: ``a − b``; ``relative``: ``100 (a − b) / a``.
    """

    source: str
    by: str
    minuend: str
    subtrahend: str
    form: str = "difference"

    def compute(self, minuend, subtrahend):
        """Return the gap from the two components (scalars or arrays, in the source's unit).

        Parameters
        ----------
        minuend, subtrahend : float or numpy.ndarray
            The values of :attr:`minuend` and :attr:`subtrahend`.

        Returns
        -------
        float or numpy.ndarray
            ``a − b`` or ``100 (a − b) / a``.

        Examples
        --------
        >>> Derivation("health.maternal_mortality", "residence", "rural", "urban").compute(21.0, 12.5)
        8.5
        """
        if self.form == "relative":
            return 100.0 * (minuend - subtrahend) / minuend
        return minuend - subtrahend


#: A closed range ``(low, high)``.
Span = tuple[float, float]


@dataclass(frozen=True)
class StructureElement:
    """A population or body of a region that a rate's denominator counts (``data/structure.yaml``).

    Attributes
    ----------
    id : str
        ``births``, ``npc_deputies``, ``villages`` …
    name : str
        Chinese name.
    per_10k : tuple of float or None
        What a region can hold per 10 000 residents, when the element scales with population.
    count : dict
        Level -> ``(low, high)`` absolute numbers, when it does not (a body the law sizes).
    basis : str
        Where the range comes from (Chinese).
    enumerated : bool
        A finite body or set of units counted in full (deputies, villages, schools): a share of it
        is exact, not an estimate of a rate, and is never pooled as a small number.
    """

    id: str
    name: str
    per_10k: Span | None
    count: dict[str, Span]
    basis: str
    enumerated: bool = False

    def span(self, level: str, population: float | None) -> Span | None:
        """Return what a region of this level and population can hold (None when it cannot be said).

        Parameters
        ----------
        level : str
            ``county``, ``city``, ``province`` or ``national``.
        population : float or None
            Resident population; needed for a per-capita element.

        Examples
        --------
        >>> StructureElement("births", "活产数", (20.0, 250.0), {}, "").span("county", 750_000)
        (1500.0, 18750.0)
        """
        if self.per_10k is not None:
            if population is None:
                return None
            return (self.per_10k[0] * population / 10_000, self.per_10k[1] * population / 10_000)
        return self.count.get(level)


@dataclass(frozen=True)
class Plausible:
    """What an indicator's value and denominator can be in a region (registry field ``plausible``).

    Attributes
    ----------
    county : tuple of float
        A sub-national region's value in the indicator's unit; for a count that scales with
        population (``per_10k``), base units (persons, items) per 10 000 residents.
    per_10k : bool
        Whether ``county`` is per 10 000 residents.
    national : tuple of float or None
        The nation's value (None: not checked).
    denominator : str or None
        The :class:`StructureElement` the denominator counts (None: not a count of people or units).
    """

    county: Span
    per_10k: bool = False
    national: Span | None = None
    denominator: str | None = None

    def value_span(self, level: str, population: float | None, scale: float = 1.0, *,
                   counted: bool = False) -> Span | None:
        """Return the range a value of a region can take, in the indicator's unit (None: not checked).

        The nation has its own range; any other region the county's (a city's or a province's rate
        is an average of its counties'). A count per 10 000 residents is scaled by the population
        and divided by the unit's ``scale`` (万人: 10 000); an absolute range of a count (``counted``:
        persons, items, times) is a county's only (None above the county).

        Examples
        --------
        >>> Plausible((1500.0, 3500.0), per_10k=True).value_span("county", 750_000, 10_000.0)
        (11.25, 26.25)
        """
        if level == "national" and self.national is not None:
            return self.national
        if self.per_10k:
            if population is None:
                return None
            factor = population / 10_000 / scale
            return (self.county[0] * factor, self.county[1] * factor)
        if level == "national" or (counted and level != "county"):
            return None
        return self.county


@dataclass(frozen=True)
class Indicator:
    """A measure in the shared registry, so that the same measure in two plans has one id.

    Attributes
    ----------
    id : str
        ``<area>.<snake_name>``, e.g. ``health.maternal_mortality``.
    name : str
        Chinese name as the plans print it.
    area : str
        Area code (see :data:`womenstats.catalog.AREAS`).
    unit : str
        Unit as printed (a key of :data:`womenstats.catalog.UNITS`).
    lower, upper : float or None
        Bounds of a possible value (``None``: unbounded).
    better : str
        ``higher``, ``lower`` or ``neutral``.
    subject : str
        ``female`` (about women only), ``both`` (needs both sexes: a gap, a ratio) or ``total``.
    breakdowns : tuple of str
        Breakdowns reported: a subset of ``sex``, ``residence``, ``age_group``.
    numerator, denominator : str or None
        Chinese names of the counts of a rate.
    per : int or None
        100 for %, 1000 for ‰, 100000 for 1/10万.
    aggregation : str
        How a parent region's value is made from its children's: ``sum_counts``, ``sum``,
        ``share_meeting`` (with ``meets``) or ``none``.
    department : str
        Department that usually reports it (卫健, 教育, 人社...).
    definition : str
        One-line Chinese definition.
    aliases : tuple of str
        Other names under which the measure is printed (plans, national reports).
    meets : str
        For ``share_meeting``: the condition a child's value meets (``">= 1"``); else empty.
    near : float
        Tolerance of 基本达标 (nearly achieved), in the indicator's unit: a value short of its target
        by at most this much is nearly achieved (``docs/status_rules.md``); 0 for counts.
    band : float or None
        Half-width of the two-sided band of a neutral indicator (``better: neutral``): “X左右” and
        “保持” are met within ``X ± band`` unless the target gives its own tolerance. None for an
        indicator with a better direction, whose “X左右” is met anywhere from ``X − t`` on its good side.
    derived : Derivation or None
        For a gap computed from two breakdowns of another indicator (``aggregation: derived``).
    plausible : Plausible or None
        What a region's value and denominator can be (:mod:`womenstats.catalog.plausible`).
    sex_core : bool
        A basic sex-disaggregated statistic: every return reports it for women and men.
    """

    id: str
    name: str
    area: str
    unit: str
    lower: float | None
    upper: float | None
    better: str
    subject: str
    breakdowns: tuple[str, ...]
    numerator: str | None
    denominator: str | None
    per: int | None
    aggregation: str
    department: str
    definition: str
    aliases: tuple[str, ...] = field(default=())
    meets: str = ""
    near: float = 0.0
    band: float | None = None
    derived: Derivation | None = None
    plausible: Plausible | None = None
    sex_core: bool = False
