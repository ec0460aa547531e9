"""The appendix comparing our verdicts with the peers' methods (open-sdg, ESCAP), and why they differ.

The peers judge progress on point values: open-sdg's progress measure compares the compound growth
rate between the baseline and the latest year with the rate the target requires; ESCAP's Anticipated
Progress Index projects a time-weighted linear trend. Each verdict is put in one of five broad
readings (met, on track, behind, moving away, no data), the same for our statuses and theirs; only
the targets where a peer reads differently from us are listed, each with the reason in a sentence.
"""

from __future__ import annotations

import pandas as pd

from womenstats.report.county.context import ReportContext
from womenstats.report.county.findings import target_name
from womenstats.report.county.tables import PEER_NAMES, judged

#: Broad reading of every status code, ours and the peers'.
READINGS: dict[str, str] = {
    "achieved": "met", "nearly_achieved": "met", "on_track": "on_track", "at_risk": "behind",
    "off_track": "behind", "regressing": "away", "not_achieved": "behind", "insufficient_data": "none",
    "qualitative": "none", "target_achieved": "met", "substantial_progress": "on_track",
    "moderate_progress": "behind", "limited_progress": "behind", "deterioration": "away",
    "not_available": "none", "acceleration_needed": "behind", "regression": "away", "no_target": "none",
}


def agrees(ours: str, theirs: str, method: str, *, directional: bool = False) -> bool | None:
    """Whether a peer's status reads as ours; None when either has no verdict.

    ESCAP has no “met” reading: its ``on_track`` for a target we find met agrees with us; nor has
    open-sdg for a target without a value (提高): its substantial progress is our “met”.
    """
    a, b = READINGS.get(ours, "none"), READINGS.get(theirs, "none")
    if "none" in (a, b):
        return None
    lenient = method == "escap" or directional
    return a == b or (lenient and a == "met" and b == "on_track")


def reason(row: dict, theirs: dict[str, str]) -> str:
    """Return why the peers read a target differently from us, in one sentence."""
    warnings = str(row.get("warnings") or "").split(";")
    if "small_numbers" in warnings:
        return ("事件数少，本方法按近三年合计的率和精确检验判定，"
                "同行方法只看单年数值，易受偶然波动影响。")
    if row["status"] == "nearly_achieved":
        return ("最新值与目标的差距在该指标规定的容差以内，本方法计为基本达标（国家统计局口径），"
                "同行方法没有这一档。")
    if row["status"] == "achieved":
        return ("本方法先看现状：最新值已达到目标即为已达标；"
                "同行方法按基期以来的增长速度评价进展，不看是否已达到。")
    if row["status"] == "regressing":
        return ("本方法用全部年份检验趋势方向，确认在偏离目标（非偶然波动）；"
                "同行方法只比较两个年份或加权趋势。")
    if row["status"] == "not_achieved":
        return "目标年已到，本方法按最新数据作终期判定；同行方法仍按趋势评价进展。"
    if "volatile" in warnings:
        return "该序列波动较大，本方法的达标概率计入了波动，同行方法只用点估计。"
    return ("本方法用全部年份拟合趋势并按到目标年的达标概率判定，"
            "同行方法只用点估计（open-sdg 比较两个年份的增长率）。")


def peers_table(ctx: ReportContext, methods: tuple[str, ...]) -> tuple[pd.DataFrame, str]:
    """Return the targets where a peer disagrees with us, with the reason, and a sentence of agreement.

    Returns
    -------
    (pandas.DataFrame, str)
        Columns 指标, 本方法, one per peer method, 为何不同; and the sentence counting, for each peer,
        the comparable targets and how many it reads as we do.
    """
    ours = judged(ctx.assessment("ours"))
    ours = ours.loc[ours["kind"] != "qualitative"]
    peers = {m: ctx.assessment(m).set_index("target_id") for m in methods}
    rows, tallies = [], {m: [0, 0] for m in methods}
    for row in ours.to_dict("records"):
        verdicts, differs = {}, False
        for method, table in peers.items():
            theirs = table.loc[row["target_id"]] if row["target_id"] in table.index else None
            status = "" if theirs is None else str(theirs["status"])
            verdicts[method] = "—" if theirs is None else str(theirs["status_label"])
            same = agrees(row["status"], status, method, directional=row["kind"] == "directional")
            if same is not None:
                tallies[method][0] += 1
                tallies[method][1] += int(same)
                differs |= not same
        if differs:
            rows.append([target_name(ctx, row["target_id"]), row["status_label"],
                         *[verdicts[m] for m in methods], reason(row, verdicts)])
    names = [PEER_NAMES.get(m, m) for m in methods]
    table = pd.DataFrame(rows, columns=["指标", "本方法", *names, "为何不同"])
    parts = [f"{PEER_NAMES.get(m, m)}可比较的{n}项中与本方法结论一致的{k}项" for m, (n, k) in tallies.items()]
    text = "；".join(parts) + "。" if parts else "没有可比较的目标。"
    if rows:
        text += f"下表列出结论不一致的{len(rows)}项及原因；其余目标各方法结论一致，不再列出。"
    return table, text


__all__ = ["READINGS", "agrees", "peers_table", "reason"]
