"""A parent region's series, rolled up from its children like for like: :func:`rolled_observations`.

The parent's figure of a year sums its reporting members (:func:`reporting_members`) by each
indicator's registry rule (:func:`womenstats.gender.rollup.rollup_years`); a member late with a
year's return has its last value carried forward for at most :data:`CARRY_YEARS` years
(:func:`carried_forward`), so every year covers the same members, and the value's ``source`` names
it (:func:`carried_children` reads the name back). A child with no returns of its own (a city
under a province) is rolled up from its own children first (:func:`with_rolled_children`).
Part of :mod:`womenstats.assess.region`, which assesses the parent on these series.
"""

from __future__ import annotations

import re

import pandas as pd

from womenstats.assess.status import FINAL_LAG
from womenstats.catalog import regions
from womenstats.gender.derived import with_derived_gaps
from womenstats.gender.rollup import rollup_years
from womenstats.intake.columns import OBS_COLUMNS

#: Columns of :func:`rolled_observations` (the store's observation columns).
OBSERVATION_COLUMNS: tuple[str, ...] = OBS_COLUMNS


def reporting_members(region_code: str) -> list[str]:
    """Return the regions a parent's figures are summed over: its descendants that have none below.

    For a city, its counties; for a province, the counties of all its cities (a city without
    registered children counts as a member itself).
    """
    below = regions.children(str(region_code), depth=None)
    return [code for code in below if not regions.children(code)]


#: Years a late child's last value is carried forward into the parent's series (then it is left out).
CARRY_YEARS = FINAL_LAG


def carried_forward(obs: pd.DataFrame, members: list[str], years, *,
                    limit: int = CARRY_YEARS) -> pd.DataFrame:
    """Return the rows that carry a late member's last value into the years it has not yet reported.

    A member (a county) that reported a series point but not for a later year in which other
    members did is late; its last value (with its counts) stands in for it for at most ``limit``
    years, so that the parent's value of that year covers the same members as the year before:
    without it, a county that is late and below the others would lift the city's rate by its
    absence alone. The rows are flagged in ``source`` (沿用…年数值) and the reports say so.

    Parameters
    ----------
    obs : pandas.DataFrame
        The members' observations (store columns).
    members : list of str
        The regions summed.
    years : iterable of int
        The years rolled up.
    limit : int, default :data:`CARRY_YEARS`
        Years a value is carried at most.

    Returns
    -------
    pandas.DataFrame
        Rows in the store's columns, one per member, point and year carried to.
    """
    keys = ["indicator_id", "sex", "age_group", "residence"]
    rows = obs.loc[obs["region_code"].isin(members) & obs["value"].notna()]
    if rows.empty:
        return obs.iloc[0:0].copy()
    latest_any = rows.groupby(keys)["year"].max().rename("latest_any")
    last = rows.sort_values("year", kind="stable").groupby(["region_code", *keys], sort=False).tail(1)
    last = last.join(latest_any, on=keys)
    frames = []
    for step in range(1, int(limit) + 1):
        late = last.loc[last["year"] + step <= last["latest_any"]]
        late = late.assign(source=[f"沿用{int(y)}年数值（{int(y) + step}年未报送）" for y in late["year"]],
                           year=late["year"] + step)
        frames.append(late.loc[late["year"].isin(list(years))])
    out = pd.concat(frames, ignore_index=True).drop(columns="latest_any")
    return out.loc[:, list(obs.columns)]


def rolled_observations(obs: pd.DataFrame, region_code: str, years, *, carry: bool = True) -> pd.DataFrame:
    """Return the parent's series rolled up from its children, one row per indicator point and year.

    Like for like: a late child's last value is carried forward (:func:`carried_forward`) so
    that every year's figure covers the same children, and the ``source`` of such a year names
    them. Derived gaps are computed from the rolled-up components
    (:func:`womenstats.gender.derived.with_derived_gaps`).

    Parameters
    ----------
    obs : pandas.DataFrame
        Observations in the store's columns, of the region's descendants (any years).
    region_code : str
        The parent; its figures are summed over :func:`reporting_members`.
    years : iterable of int
        The years to roll up (a year no member reported gives no rows).
    carry : bool, default True
        Carry late children's last values forward; False sums only what was reported.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`OBSERVATION_COLUMNS` for ``region_code``; ``source`` says 由下级汇总,
        how many children reported and which values were carried; ``simulated`` is 1 when any
        child's value is simulated. Points that cannot be rolled up (``not_additive``, no counts)
        are left out.
    """
    members = reporting_members(region_code)
    years = list(years)
    obs = obs.assign(region_code=obs["region_code"].astype(str))
    obs = obs.loc[obs["region_code"].isin([*members, str(region_code)])]  # its own figures give coverage
    carried = carried_forward(obs, members, years) if carry else obs.iloc[0:0]
    notes: dict[tuple, list[str]] = {}
    for row in carried.itertuples(index=False):
        key = (int(row.year), row.indicator_id, row.sex, row.age_group, row.residence)
        notes.setdefault(key, []).append(f"{regions.name(row.region_code)}{row.source}")
    obs = pd.concat([obs, carried], ignore_index=True) if len(carried) else obs
    simulated = obs.groupby(["year", "indicator_id", "sex", "age_group", "residence"])["simulated"].max()
    units = obs.drop_duplicates("indicator_id").set_index("indicator_id")["unit"]
    rolled = rollup_years(obs, region_code, years, children=members)
    rolled = rolled.loc[rolled["value"].notna()].reset_index(drop=True)
    if rolled.empty:
        return pd.DataFrame(columns=list(OBSERVATION_COLUMNS))
    keys = list(
        zip(
            rolled["year"],
            rolled["indicator_id"],
            rolled["sex"],
            rolled["age_group"],
            rolled["residence"],
            strict=True,
        )
    )
    counts = zip(rolled["n_reporting"], rolled["n_children"], keys, strict=True)
    out = pd.DataFrame(
        {
            "region_code": str(region_code),
            "year": rolled["year"].astype(int),
            "indicator_id": rolled["indicator_id"],
            "sex": rolled["sex"],
            "age_group": rolled["age_group"],
            "residence": rolled["residence"],
            "value": rolled["value"].astype(float),
            "numerator": rolled["numerator"].astype(float),
            "denominator": rolled["denominator"].astype(float),
            "unit": rolled["indicator_id"].map(units),
            "source_file": "",
            "source_sha256": "",
            "sheet": "",
            "cell": "",
            "source": [_rolled_source(n, m, notes.get(k, [])) for n, m, k in counts],
            "simulated": [int(simulated.get(k, 0)) for k in keys],
        }
    )
    return with_derived_gaps(out.loc[:, list(OBSERVATION_COLUMNS)])


#: A child carried forward, as :func:`_rolled_source` names it: ``台山市沿用2023年数值``.
_CARRIED = re.compile(r"([^；（]+?沿用\d{4}年数值)")


def carried_children(source: str) -> list[str]:
    """Return the children a rolled-up value carries forward, as its ``source`` names them.

    Examples
    --------
    >>> carried_children("由下级汇总（6/7 个下级报送；台山市沿用2023年数值（2024年未报送））")
    ['台山市沿用2023年数值']
    >>> carried_children("由下级汇总（7/7 个下级报送）")
    []
    """
    return _CARRIED.findall(source) if isinstance(source, str) and source.startswith("由下级汇总") else []


def _rolled_source(n: int, m: int, carried: list[str]) -> str:
    """Return the ``source`` of a rolled-up value: children counted, and those carried forward."""
    reported = n - len(carried)
    text = f"由下级汇总（{reported}/{m} 个下级报送"
    return text + (f"；{'；'.join(carried)}）" if carried else "）")


def with_rolled_children(obs: pd.DataFrame, region_code: str, years) -> pd.DataFrame:
    """Return ``obs`` with a rolled-up series for every child that has no returns of its own.

    A province's children are cities, which report nothing themselves: each is rolled up from its
    own children (recursively, down to the counties that report), so the province is the sum of
    its counties' counts through its cities, never an average of the cities' rates.

    Parameters
    ----------
    obs : pandas.DataFrame
        Observations of the region's descendants (store columns).
    region_code : str
        The parent.
    years : iterable of int
        The years rolled up.

    Returns
    -------
    pandas.DataFrame
        ``obs`` and the rolled-up rows (columns :data:`OBSERVATION_COLUMNS`).
    """
    years = list(years)
    present = set(obs["region_code"].astype(str))
    frames = [obs]
    for child in regions.children(str(region_code)):
        if child not in present and regions.children(child):
            below = with_rolled_children(obs, child, years)
            frames.append(rolled_observations(below, child, years))
    if len(frames) == 1:
        return obs
    return pd.concat([f.loc[:, list(OBSERVATION_COLUMNS)] for f in frames], ignore_index=True)


__all__ = [
    "CARRY_YEARS",
    "OBSERVATION_COLUMNS",
    "carried_children",
    "carried_forward",
    "reporting_members",
    "rolled_observations",
    "with_rolled_children",
]
