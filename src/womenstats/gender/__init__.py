"""分性别 statistics: shares, gaps, parity, rates with exact intervals, aggregation, suppression.

Every estimate carries ``value, lower, upper, numerator, denominator`` (and a ``reason`` when a figure
cannot be computed): an :class:`Estimate` for scalars, a DataFrame for arrays and Series. See
``docs/gender.md`` for each measure's definition, formula, reference and edge cases.
"""

from __future__ import annotations

from womenstats.gender.aggregate import aggregate, hierarchy
from womenstats.gender.compare import compare_groups, compare_sexes, pair_groups, pair_sexes
from womenstats.gender.derived import derivations, source_indicators, with_derived_gaps
from womenstats.gender.earnings import pay_gap, pay_gap_survey, time_use_gap, time_use_gap_survey
from womenstats.gender.gaps import group_gaps, sex_table
from womenstats.gender.intervals import (
    poisson_rate,
    proportion,
    proportion_difference,
    proportion_ratio,
    rate_difference,
    rate_ratio,
)
from womenstats.gender.measures import (
    SRB_NORMAL_RANGE,
    WEF_BENCHMARKS,
    adjusted_gpi,
    difference_pp,
    dissimilarity_index,
    female_share,
    gap,
    gpi,
    ratio_fm,
    sex_ratio,
    sex_ratio_at_birth,
    wef_parity,
)
from womenstats.gender.pooling import pooled_rate
from womenstats.gender.result import REASONS, RESULT_COLUMNS, Estimate, as_frame
from womenstats.gender.standardise import direct_standardise, standardise_observations
from womenstats.gender.suppress import DEFAULT_THRESHOLD, Suppression, suppress, suppress_long

__all__ = [
    "DEFAULT_THRESHOLD",
    "REASONS",
    "RESULT_COLUMNS",
    "SRB_NORMAL_RANGE",
    "WEF_BENCHMARKS",
    "Estimate",
    "Suppression",
    "adjusted_gpi",
    "aggregate",
    "as_frame",
    "compare_groups",
    "compare_sexes",
    "derivations",
    "difference_pp",
    "direct_standardise",
    "dissimilarity_index",
    "female_share",
    "gap",
    "gpi",
    "group_gaps",
    "hierarchy",
    "pair_groups",
    "pair_sexes",
    "pay_gap",
    "pay_gap_survey",
    "poisson_rate",
    "pooled_rate",
    "proportion",
    "proportion_difference",
    "proportion_ratio",
    "rate_difference",
    "rate_ratio",
    "ratio_fm",
    "sex_ratio",
    "sex_ratio_at_birth",
    "sex_table",
    "source_indicators",
    "standardise_observations",
    "suppress",
    "suppress_long",
    "time_use_gap",
    "time_use_gap_survey",
    "wef_parity",
    "with_derived_gaps",
]
