"""Assess: the status of every target, its early warnings, and the registry of methods.

``assess_plan("kaiping", 2025)`` judges each target of a plan in its region: the projection of the
indicator to the target year (:mod:`womenstats.trend`), the probability of attainment, a status
(:data:`STATUS_LABELS`) and early warnings (:data:`WARNING_LABELS`). :func:`assess_series` does
the same for one series and is the function the batch path and the peers' methods share. The rules
and every threshold: ``docs/status_rules.md``.
"""

from __future__ import annotations

from womenstats.assess.early_warnings import WARNING_LABELS, EarlyWarning, detrended_cv
from womenstats.assess.methods import KNOWN_METHODS, METHODS, get, register
from womenstats.assess.ours import RESULT_KEYS, assess_series, target_projection
from womenstats.assess.plan import COLUMNS, assess_plan
from womenstats.assess.series import gap_series, target_series
from womenstats.assess.small_numbers import PooledRate, pooled_rate, regress_test
from womenstats.assess.status import STATUS_LABELS, STATUSES, classify, value_operator

__all__ = [
    "COLUMNS",
    "KNOWN_METHODS",
    "METHODS",
    "RESULT_KEYS",
    "STATUSES",
    "STATUS_LABELS",
    "WARNING_LABELS",
    "EarlyWarning",
    "PooledRate",
    "assess_plan",
    "assess_series",
    "classify",
    "detrended_cv",
    "gap_series",
    "get",
    "pooled_rate",
    "register",
    "regress_test",
    "target_projection",
    "target_series",
    "value_operator",
]
