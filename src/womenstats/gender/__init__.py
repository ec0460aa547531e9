"""分性别 statistics: shares, gaps, parity, rates with exact intervals, aggregation, suppression.

Every estimate carries ``value, lower, upper, numerator, denominator`` (and a ``reason`` when a figure
cannot be computed): an :class:`Estimate` for scalars, a DataFrame for arrays and Series. See
``docs/gender.md`` for each measure's definition, formula, reference and edge cases.
"""

from __future__ import annotations

from womenstats.gender.intervals import (
    poisson_rate,
    pooled_rate,
    proportion,
    proportion_difference,
    proportion_ratio,
    rate_difference,
    rate_ratio,
)
from womenstats.gender.result import REASONS, RESULT_COLUMNS, Estimate, as_frame

__all__ = [
    "REASONS",
    "RESULT_COLUMNS",
    "Estimate",
    "as_frame",
    "poisson_rate",
    "pooled_rate",
    "proportion",
    "proportion_difference",
    "proportion_ratio",
    "rate_difference",
    "rate_ratio",
]
