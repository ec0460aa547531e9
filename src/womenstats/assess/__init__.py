"""Assess: the status of every target, its early warnings, and the registry of methods.

``assess_plan("kaiping", 2025)`` judges each target of a plan in its region: the projection of the
indicator to the target year (:mod:`womenstats.trend`), the probability of attainment, a status
(:data:`STATUS_LABELS`) and early warnings (:data:`WARNING_LABELS`). :func:`assess_series` does
the same for one series and is the function the batch path and the peers' methods share. The rules
and every threshold: ``docs/status_rules.md``.
"""

from __future__ import annotations

from womenstats._lazy import lazy_names

#: Public name -> the module of this package that defines it. Imported on first use (PEP 562), so
#: a report kernel that only needs the status labels does not load statsmodels.
_WHERE: dict[str, str] = {
    "WARNING_LABELS": "early_warnings", "EarlyWarning": "early_warnings", "detrended_cv": "early_warnings",
    "KNOWN_METHODS": "methods", "METHODS": "methods", "get": "methods", "register": "methods",
    "RESULT_KEYS": "ours", "assess_series": "ours", "target_projection": "ours", "COLUMNS": "plan",
    "assess_plan": "plan", "gap_series": "series", "target_series": "series",
    "PooledRate": "small_numbers", "pooled_rate": "small_numbers", "regress_test": "small_numbers",
    "STATUS_LABELS": "status", "STATUSES": "status", "classify": "status", "value_operator": "status",
    "FINAL_LABELS": "status", "ATTAINED": "status", "STAGES": "status", "status_label": "status",
    "judged_level": "status", "stage_of": "plan", "value_bar": "ours", "published_step": "ours",
    "indicator_info": "ours", "NoMatchWarning": "plan", "FRAME_COLUMNS": "plan",
}


__all__ = [
    "ATTAINED",
    "COLUMNS",
    "FINAL_LABELS",
    "FRAME_COLUMNS",
    "KNOWN_METHODS",
    "METHODS",
    "RESULT_KEYS",
    "STAGES",
    "STATUSES",
    "STATUS_LABELS",
    "WARNING_LABELS",
    "EarlyWarning",
    "NoMatchWarning",
    "PooledRate",
    "assess_plan",
    "assess_series",
    "classify",
    "detrended_cv",
    "gap_series",
    "get",
    "indicator_info",
    "judged_level",
    "pooled_rate",
    "published_step",
    "register",
    "regress_test",
    "stage_of",
    "status_label",
    "target_projection",
    "target_series",
    "value_bar",
    "value_operator",
]

__getattr__, __dir__ = lazy_names(__name__, _WHERE, globals())
