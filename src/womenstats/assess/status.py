"""Status codes, their Chinese labels and the rule that gives a target its status.

The rule is a pure function of numbers (:func:`classify`) so that every branch can be tested on
hand-made cases; :mod:`womenstats.assess.ours` computes the numbers from a series and its projection.
The thresholds are written down in ``docs/status_rules.md``.
"""

from __future__ import annotations

import math

#: Status code -> Chinese label, in the order reports list them (a target whose year is still ahead).
STATUS_LABELS: dict[str, str] = {
    "achieved": "已达标",
    "nearly_achieved": "基本达标",
    "on_track": "预计可达标",
    "at_risk": "需加快进度",
    "off_track": "难以达标",
    "regressing": "倒退",
    "not_achieved": "未实现",
    "insufficient_data": "数据不足",
    "qualitative": "定性目标（需评估组判定）",
}

#: Labels of a final verdict (the target year has come): the 国家统计局 reports' words.
FINAL_LABELS: dict[str, str] = {
    "achieved": "已实现",
    "nearly_achieved": "基本实现",
    "not_achieved": "未实现",
    "insufficient_data": "数据不足",
    "qualitative": "定性目标（需评估组判定）",
}

#: Label of ``achieved`` in a mid-term evaluation, for a target whose year is still ahead.
MIDTERM_ACHIEVED = "提前实现"

#: Status codes in report order.
STATUSES: tuple[str, ...] = tuple(STATUS_LABELS)

#: Statuses that count towards the achievement rate (达标率), as the 国家统计局 reports count
#: “提前实现或基本实现”.
ATTAINED: tuple[str, ...] = ("achieved", "nearly_achieved")

#: Stages of an evaluation: 年度监测, 中期评估, 终期评估.
STAGES: tuple[str, ...] = ("annual", "midterm", "final")

#: Years a final verdict may rest on data before the target year (the usual publication lag);
#: older data give ``insufficient_data``.
FINAL_LAG = 2

#: ``p_attain`` at or above which a target not yet met is ``on_track``.
P_ON_TRACK = 0.8
#: ``p_attain`` at or above which (and below :data:`P_ON_TRACK`) a target is ``at_risk``;
#: below it a miss is more likely than not (``off_track``, and a met target gets the warning
#: ``slipping``).
P_AT_RISK = 0.5
#: Probability that the target-year value is worse than the latest value at or above which a
#: target not met is ``regressing`` (strong evidence of moving away).
P_REGRESSING = 0.9


def status_label(code: str, *, final: bool = False, stage: str = "annual") -> str:
    """Return the Chinese label of a status as a report of ``stage`` prints it.

    A final verdict (the target year has come) reads 已实现 / 基本实现 / 未实现; a target met
    ahead of its year reads 提前实现 in a mid-term evaluation and 已达标 otherwise.

    Parameters
    ----------
    code : str
        A code of :data:`STATUSES`.
    final : bool, default False
        Whether the target was judged as a final verdict.
    stage : str, default "annual"
        ``annual``, ``midterm`` or ``final``.

    Returns
    -------
    str

    Examples
    --------
    >>> status_label("achieved", stage="midterm"), status_label("achieved", final=True)
    ('提前实现', '已实现')
    """
    if final and code in FINAL_LABELS:
        return FINAL_LABELS[code]
    if stage == "midterm" and code == "achieved":
        return MIDTERM_ACHIEVED
    return STATUS_LABELS[code]


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
                   upper: float | None, band: float | None = None) -> str:
    """Return the comparison a target's operator stands for.

    ``=`` is a comparison only at a bound (``= 100`` with upper bound 100 means ``>= 100``;
    ``= 0`` with lower bound 0 means ``<= 0``); elsewhere it is read as ``≈``. ``≈`` (X左右) is
    two-sided only on an indicator with a declared band (``band``, a neutral indicator such as a
    share that should stay balanced); where more (or less) is better it is met anywhere from
    ``X − t`` on the good side, so it becomes ``>=`` (or ``<=``) with the level moved by the
    tolerance (:func:`judged_level`). ``maintain X`` is ``>= X`` when higher is better, ``<= X``
    when lower is better, and ``≈ X`` on a banded indicator.

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
    band : float or None
        The indicator's two-sided band (None: the indicator has a better direction).

    Returns
    -------
    str
        One of ``<=``, ``>=``, ``≈``.

    Examples
    --------
    >>> value_operator("≈", 45, "higher", 0, 100), value_operator("≈", 105, "neutral", 0, None, 2.0)
    ('>=', '≈')
    """
    two_sided = band is not None or better not in ("higher", "lower")
    if operator == "=":
        if upper is not None and value == upper:
            return ">="
        if lower is not None and value == lower:
            return "<="
        operator = "≈"
    if operator == "≈" and not two_sided:
        return ">=" if better == "higher" else "<="
    if operator == "maintain":
        if two_sided:
            return "≈"
        return "<=" if better == "lower" else ">="
    return operator


def judged_level(operator: str, value: float, tolerance: float, comparison: str) -> float:
    """Return the level a value target is judged against once its comparison is known.

    ``X左右`` read by the better direction (``comparison`` ``>=`` or ``<=`` for ``operator`` ``≈``)
    is met from ``X − t`` (or up to ``X + t``); every other target keeps its value.

    Parameters
    ----------
    operator : str
        The catalog operator.
    value : float
        The target value X.
    tolerance : float
        The tolerance t of ``≈``.
    comparison : str
        The comparison of :func:`value_operator`.

    Returns
    -------
    float

    Examples
    --------
    >>> judged_level("≈", 45.0, 1.0, ">="), judged_level("≈", 10.0, 1.0, "<=")
    (44.0, 11.0)
    >>> judged_level(">=", 70, 0, ">=")
    70
    """
    if operator in ("≈", "=") and comparison == ">=":
        return value - tolerance
    if operator in ("≈", "=") and comparison == "<=":
        return value + tolerance
    return value


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
    nearly: bool = False,
    final: bool = False,
    regress_test: bool | None = None,
    point_meets: bool | None = None,
) -> str:
    """Give a target its status from the evidence: the position first, the forecast second.

    Rules, in order (first that applies):

    1. ``qualitative`` kind -> ``qualitative``.
    2. no observation -> ``insufficient_data``.
    3. met now (the latest, or pooled small-count, value meets the target at the precision it is
       published) -> ``achieved``, whatever the trend (a projected fall is the warning
       ``slipping``).
    4. within the indicator's tolerance of the target (``nearly``) -> ``nearly_achieved``.
    5. a final verdict (the target year has come) not met -> ``not_achieved``.
    6. moving away: ``regress_test`` when given (small counts: exact test of pooled rates),
       else ``p_worse >= 0.9`` -> ``regressing``.
    7. no probability: with a central projection (two observations) ``on_track`` when it meets
       the target and ``at_risk`` when it does not (two points cannot show ``off_track``);
       without one (one observation) ``insufficient_data``.
    8. ``p_attain`` by :func:`status_from_probability`.

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
    nearly : bool, default False
        Whether the latest value is short of the target by no more than the indicator's
        tolerance (``near``).
    final : bool, default False
        True for a final verdict: the target year has come (or the evaluation is a final one) and
        the data are recent enough to judge it (the caller gives ``insufficient_data`` otherwise).
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
    if met_now:
        return "achieved"
    if nearly:
        return "nearly_achieved"
    if final:
        return "not_achieved"
    moving_away = regress_test if regress_test is not None else (
        not math.isnan(p_worse) and p_worse >= P_REGRESSING
    )
    if moving_away:
        return "regressing"
    if math.isnan(p_attain):
        if point_meets is None:
            return "insufficient_data"
        return "on_track" if point_meets else "at_risk"
    return status_from_probability(p_attain)
