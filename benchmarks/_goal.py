"""The one line a benchmark prints for a speed or memory goal: ``GOAL <name> <value> <limit> met|not met``."""

from __future__ import annotations


def goal_line(name: str, value: float, limit: float, met: bool, *, digits: int = 2) -> str:
    """Return the goal line: the value with ``digits`` decimals, the limit as written (``:g``)."""
    return f"GOAL {name} {value:.{digits}f} {limit:g} {'met' if met else 'not met'}"
