"""Status codes, their Chinese labels and the rule that gives a target its status.

The rule is a pure function of numbers (:func:`classify`) so that every branch can be tested on
hand-made cases; :mod:`womenstats.assess.ours` computes the numbers from a series and its projection.
The thresholds are written down in ``docs/status_rules.md``.
"""

from __future__ import annotations

import math

#: Status code -> Chinese label, in the order reports list them.
STATUS_LABELS: dict[str, str] = {
    "achieved": "已达标",
    "on_track": "预计可达标",
    "at_risk": "需加快进度",
    "off_track": "难以达标",
    "regressing": "倒退",
    "insufficient_data": "数据不足",
    "qualitative": "定性目标（需评估组判定）",
}

#: Status codes in report order.
STATUSES: tuple[str, ...] = tuple(STATUS_LABELS)

#: ``p_attain`` at or above which a target not yet met is ``on_track``.
P_ON_TRACK = 0.8
#: ``p_attain`` at or above which (and below :data:`P_ON_TRACK`) a target is ``at_risk``;
#: below it a miss is more likely than not (``off_track``). A target met now stays ``achieved``
#: only while ``p_attain`` is at least this.
P_AT_RISK = 0.5
#: Probability that the target-year value is worse than the latest value at or above which a
#: target not met is ``regressing`` (strong evidence of moving away).
P_REGRESSING = 0.9

#: Operators of a change from the baseline year, and the comparison each becomes.
RELATIVE_COMPARISONS: dict[str, str] = {
    "decrease_pct": "<=", "increase_pct": ">=", "decrease_pp": "<=", "increase_pp": ">=",
}


def relative_level(operator: str, change: float, baseline: float) -> tuple[str, float]:
    """Turn a change from the baseline into the level to reach and its comparison.

    ``decrease_pct X``: ``<= b (1 − X/100)``; ``increase_pct X``: ``>= b (1 + X/100)``;
    ``decrease_pp X``: ``<= b − X``; ``increase_pp X``: ``>= b + X`` (``b`` the baseline-year
    value, X in percent of it or in the indicator's unit — percentage points for a %).

    Parameters
    ----------
    operator : str
        A key of :data:`RELATIVE_COMPARISONS`.
    change : float
        The target's value: the size of the change.
    baseline : float
        The value observed in the plan's baseline year.

    Returns
    -------
    (str, float)
        ``<=`` or ``>=``, and the level.

    Examples
    --------
    >>> relative_level("decrease_pct", 10, 20.0)
    ('<=', 18.0)
    >>> relative_level("increase_pp", 5, 60.0)
    ('>=', 65.0)
    """
    sign = -1.0 if operator.startswith("decrease") else 1.0
    step = baseline * change / 100.0 if operator.endswith("_pct") else change
    return RELATIVE_COMPARISONS[operator], baseline + sign * step


def value_operator(operator: str, value: float, better: str, lower: float | None,
                   upper: float | None) -> str:
    """Return the comparison a target's operator stands for.

    ``=`` is a comparison only at a bound (``= 100`` with upper bound 100 means ``>= 100``;
    ``= 0`` with lower bound 0 means ``<= 0``); elsewhere it is read as ``≈``. ``maintain X`` is
    ``>= X`` when higher is better and ``<= X`` when lower is better.

    Parameters
    ----------
    operator : str
        The catalog operator.
    value : float
        The target value.
    better : str
        ``higher``, ``lower`` or ``neutral``.
    lower, upper : float or None
        The indicator's bounds.

    Returns
    -------
    str
        One of ``<=``, ``>=``, ``≈``.
    """
    if operator == "=":
        if upper is not None and value == upper:
            return ">="
        if lower is not None and value == lower:
            return "<="
        return "≈"
    if operator == "maintain":
        return "<=" if better == "lower" else ">="
    return operator


def status_from_probability(p_attain: float) -> str:
    """Map a probability of attainment to ``on_track``, ``at_risk`` or ``off_track``.

    ``p >= 0.8`` on_track; ``0.5 <= p < 0.8`` at_risk; ``p < 0.5`` off_track.

    Parameters
    ----------
    p_attain : float
        Probability that the target-year value meets the target.

    Returns
    -------
    str
    """
    if p_attain >= P_ON_TRACK:
        return "on_track"
    if p_attain >= P_AT_RISK:
        return "at_risk"
    return "off_track"


def classify(
    *,
    kind: str,
    n_obs: int,
    met_now: bool,
    p_attain: float,
    p_worse: float,
    final: bool = False,
    regress_test: bool | None = None,
    point_meets: bool | None = None,
) -> str:
    """Give a target its status from the evidence.

    Rules, in order (first that applies):

    1. ``qualitative`` kind -> ``qualitative``.
    2. no observation -> ``insufficient_data``.
    3. met now (latest or pooled value meets the target; for ``maintain``: recent years meet it
       and the projection's 80% bound stays beyond it) and, before the target year, ``p_attain``
       is at least 0.5 or unknown -> ``achieved``.
    4. moving away: ``regress_test`` when given (small counts: exact test of pooled rates),
       else ``p_worse >= 0.9`` -> ``regressing``.
    5. the target year observed (``final``) and not met -> ``off_track``.
    6. no probability: with a central projection (two observations) ``on_track`` when it meets
       the target and ``at_risk`` when it does not (two points cannot show ``off_track``);
       without one (one observation) ``insufficient_data``.
    7. ``p_attain`` by :func:`status_from_probability`.

    Parameters
    ----------
    kind : str
        ``quantitative``, ``directional`` or ``qualitative``.
    n_obs : int
        Observations used.
    met_now : bool
        Whether the target is met by the latest (pooled) value.
    p_attain : float
        Probability that the target-year value meets the target (NaN if no projection).
    p_worse : float
        Probability that the target-year value is worse than the latest value (NaN if none).
    final : bool, default False
        True when the target year itself is observed (the latest observation is from the target
        year or later); before that the projection decides, even after the target year (data lag).
    regress_test : bool or None
        Result of the small-count exact test (True: significantly worse); None to use ``p_worse``.
    point_meets : bool or None
        Whether the central projection at the target year meets the target, when there is a
        projection without a distribution (two observations); None otherwise.

    Returns
    -------
    str
        A code of :data:`STATUSES`.
    """
    if kind == "qualitative":
        return "qualitative"
    if n_obs <= 0:
        return "insufficient_data"
    if met_now and (final or math.isnan(p_attain) or p_attain >= P_AT_RISK):
        return "achieved"
    moving_away = regress_test if regress_test is not None else (
        not math.isnan(p_worse) and p_worse >= P_REGRESSING
    )
    if moving_away:
        return "regressing"
    if final:
        return "off_track"
    if math.isnan(p_attain):
        if point_meets is None:
            return "insufficient_data"
        return "on_track" if point_meets else "at_risk"
    return status_from_probability(p_attain)
