"""The report tables, as DataFrames with Chinese column names, rows in catalog order.

Each function takes a :class:`~womenstats.report.county.context.ReportContext` (or an assessment from
``assess.assess_plan``) and returns a table ready for :func:`womenstats.report.show_table`; none
of them computes a statistic of its own: values come from the store, projections and statuses from
``womenstats.assess``.
"""

from __future__ import annotations

import math

import pandas as pd

from womenstats import catalog
from womenstats.assess.status import ATTAINED, FINAL_LABELS, STATUS_LABELS, status_label
from womenstats.catalog import AREAS
from womenstats.report.wording import gap_value_text, is_missing, value_text

#: How an operator reads in a table.
OPERATOR_WORDS = {"<=": "≤", ">=": "≥", "≈": "≈", "=": "=", "increase": "提高", "decrease": "降低",
                  "maintain": "保持", "narrow": "缩小", "decrease_pct": "比基期下降",
                  "increase_pct": "比基期提高", "decrease_pp": "比基期下降", "increase_pp": "比基期提高"}
#: The peers' methods by name, as reports print them.
PEER_NAMES = {"open-sdg": "open-sdg 进展评估法", "escap": "ESCAP 预期进展指数"}
#: Breakdown codes in words.
SEX_WORDS = {"female": "女", "male": "男", "total": "合计"}
RESIDENCE_WORDS = {"all": "", "urban": "城镇", "rural": "农村"}


def _round(value, digits: int = 2):
    return None if is_missing(value) else round(float(value), digits)


def years_as_int(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Make year columns integers with missing values (``Int64``), so 2024 never prints as 2024.00."""
    for col in columns:
        frame[col] = pd.array(frame[col], dtype="Float64").round().astype("Int64")
    return frame


def target_text(operator: str, value, unit: str) -> str:
    """Return a target as it reads in a table, e.g. ``≥ 90%``, ``≤ 12 1/10万``, ``提高``.

    A change from the baseline reads ``比基期下降 10%`` or ``比基期提高 5个百分点``.
    """
    words = OPERATOR_WORDS.get(operator, operator or "")
    if is_missing(value) or value == "":
        return words or "—"
    number = f"{float(value):g}"
    if operator in ("decrease_pp", "increase_pp") and unit == "%":
        return f"{words} {number}个百分点"
    if unit in ("%", "‰"):
        return f"{words} {number}{unit}"
    return f"{words} {number} {unit}".strip()


def breakdown_text(sex: str, residence: str, age_group: str) -> str:
    """Return a series' breakdown in words, e.g. ``女·农村·35-64岁`` (empty parts left out)."""
    parts = [SEX_WORDS.get(sex, sex), RESIDENCE_WORDS.get(residence, residence)]
    if age_group and age_group != "all":
        parts.append(f"{age_group}岁")
    return "·".join(p for p in parts if p)


def point_name(indicator_id: str, sex: str, residence: str, age_group: str) -> str:
    """Name an indicator point: ``居民健康素养水平（女）``; no 女 for an indicator about women only."""
    info = catalog.indicator(indicator_id)
    women_only = sex == "female" and info.subject == "female"
    group = breakdown_text("" if sex == "total" or women_only else sex, residence, age_group)
    return f"{info.name}（{group}）" if group else info.name


def shown_value(value, unit: str, indicator_id) -> str:
    """Return a value as a table or a sentence prints it, a gap by who is ahead.

    A gap indicator's value is its size and the group ahead
    (:func:`~womenstats.report.wording.gap_value_text`: ``城镇高25.8/10万``); any other value
    reads with its unit (:func:`~womenstats.report.wording.value_text`).
    """
    derived = derivation(indicator_id)
    return value_text(value, unit) if derived is None else gap_value_text(value, unit, derived)


def derivation(indicator_id):
    """Return how a gap indicator is computed (:class:`~womenstats.catalog.models.Derivation`), else None.

    None too for a missing or empty id (a qualitative target).
    """
    return catalog.indicator(indicator_id).derived if isinstance(indicator_id, str) and indicator_id else None


def judged(assessment: pd.DataFrame) -> pd.DataFrame:
    """Return one row per target judged: restatements (``restates`` set) left out.

    A 策略措施 or 重点工程 row that restates a 主要目标 carries that target's result; counting it
    again would count one judgement twice. Counts, 重点关注 and the warnings use these rows; the
    per-target tables list every row and name what a restatement restates.
    """
    if "restates" not in assessment.columns:
        return assessment
    return assessment.loc[assessment["restates"].fillna("") == ""]


def restated_count(assessment: pd.DataFrame) -> int:
    """Return how many rows restate another target (0 when the assessment has no ``restates``)."""
    return 0 if "restates" not in assessment.columns else int((assessment["restates"].fillna("") != "").sum())


def status_labels(assessment: pd.DataFrame) -> dict[str, str]:
    """Return status code -> Chinese label in report order, as counts and legends print them.

    When every row is a final verdict (a final evaluation) the final words (已实现, 基本实现,
    未实现, …) and only the codes a final verdict can take; otherwise every code of ours with its
    label (a row's own label, 提前实现 or 已实现, is in its ``status_label``). Statuses of another
    method (a report run with a peer's method) follow in the order they first appear.
    """
    final = "final" in assessment.columns and len(assessment) > 0 and bool(
        assessment["final"].fillna(False).astype(bool).all())
    codes = [c for c in STATUS_LABELS if not final or c in FINAL_LABELS]
    labels = {code: status_label(code, final=bool(final)) for code in codes}
    if set(assessment["status"]) <= set(STATUS_LABELS):
        return labels
    pairs = assessment[["status", "status_label"]].drop_duplicates("status")
    return dict(zip(pairs["status"], pairs["status_label"], strict=True))


def status_counts(assessment: pd.DataFrame) -> pd.DataFrame:
    """Count targets by area and status.

    Returns
    -------
    pandas.DataFrame
        Index: area codes in catalog order (areas with targets only); columns: the status codes
        some target has, in the order of :func:`status_labels` (a mid-term has no 未实现 column);
        integer counts.
    """
    assessment = judged(assessment)
    table = pd.crosstab(assessment["area"], assessment["status"])
    areas = [a for a in AREAS if a in table.index]
    codes = [c for c in status_labels(assessment) if c in table.columns]
    return table.reindex(index=areas, columns=codes, fill_value=0)


def achievement_rate(assessment: pd.DataFrame) -> tuple[int, int, float]:
    """Return (targets attained, targets assessed, rate in %): the 国家统计局's 达标率.

    Attained are 已达标 and 基本达标 (:data:`~womenstats.assess.status.ATTAINED`), counted as the
    monitoring reports count “提前实现或基本实现”; assessed are the quantified or directional
    targets with a verdict (数据不足 and qualitative ones left out); restatements count once.
    """
    assessment = judged(assessment)
    decided = assessment.loc[~assessment["status"].isin(["insufficient_data", "qualitative"])]
    attained = int(decided["status"].isin(ATTAINED).sum())
    total = len(decided)
    return attained, total, (100.0 * attained / total if total else math.nan)


def status_count_table(assessment: pd.DataFrame) -> pd.DataFrame:
    """Return the counts of :func:`status_counts` with Chinese names, a total row and column."""
    counts = status_counts(assessment)
    counts.loc["合计"] = counts.sum()
    out = counts.rename(index=AREAS, columns=status_labels(assessment))
    out["合计"] = out.sum(axis=1)
    return out.reset_index(names="领域")


def status_share_table(assessment: pd.DataFrame) -> pd.DataFrame:
    """Return the number and share (%) of targets in each status, quantified targets and all targets.

    The share among quantified targets leaves out qualitative ones (judged by the evaluation group).
    """
    labels = status_labels(assessment)
    assessment = judged(assessment)
    counts = assessment["status"].value_counts().reindex(list(labels), fill_value=0)
    n_all = int(counts.sum())
    n_quant = int(((assessment["status"] != "qualitative") & (assessment["kind"] != "qualitative")).sum())
    rows = []
    for code, label in labels.items():
        share_q = None if code == "qualitative" or not n_quant else round(100 * counts[code] / n_quant, 1)
        share_all = round(100 * counts[code] / n_all, 1) if n_all else None
        rows.append([label, int(counts[code]), share_q, share_all])
    return pd.DataFrame(rows, columns=["状态", "项数", "占量化目标（%）", "占全部目标（%）"])


def peer_methods() -> tuple[str, ...]:
    """Return the peers' methods registered in ``womenstats.assess`` (open-sdg, ESCAP), in that order."""
    from womenstats import assess

    return tuple(m for m in ("open-sdg", "escap") if m in assess.METHODS)


