"""What page one asks for: which unit owes which data.

The written findings are :mod:`womenstats.report.county.findings` (the 达标率 they print is
:func:`womenstats.report.county.tables.achievement_rate`); this module gives the data owed, by unit
(:func:`data_gaps_table`). Nothing here computes a statistic: statuses come from
``womenstats.assess``, units from the catalog.
"""

from __future__ import annotations

import pandas as pd

from womenstats.report.county.context import ReportContext
from womenstats.report.county.findings import responsible, target_name
from womenstats.report.county.tables import judged
from womenstats.report.wording import is_missing

#: Column names of :func:`data_gaps_table`.
GAP_COLUMNS = ["报送单位", "指标", "缺少的数据"]


def owed(ctx: ReportContext, assessment: pd.DataFrame | None = None) -> list[dict]:
    """Return the data owed, one record per target: ``unit, name, owed, indicator_id``.

    A target is listed when its status is 数据不足 or when ``assess`` warns that its data are stale
    (warning code ``stale``).
    """
    assessment = judged(ctx.assessment() if assessment is None else assessment)
    stale = assessment["warnings"].fillna("").str.split(";").map(lambda codes: "stale" in codes)
    picked = assessment.loc[(assessment["status"] == "insufficient_data") | stale]
    out = []
    for row in picked.to_dict("records"):
        if is_missing(row["last_year"]):
            text = f"没有任何年份的数据，请报送{ctx.plan.baseline_year}年以来各年数值"
        elif row["status"] == "insufficient_data":
            text = f"只有{int(row['n_obs'])}年数据（最新为{int(row['last_year'])}年），请补报其他年份的数值"
        else:
            text = f"最新数据为{int(row['last_year'])}年，请报送此后各年数值"
        out.append({"unit": responsible(ctx, row["indicator_id"]) or "—", "owed": text,
                    "name": target_name(ctx, row["target_id"]), "indicator_id": row["indicator_id"]})
    return out


def data_gaps_table(ctx: ReportContext, assessment: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the data owed (:func:`owed`) as a table: unit (full name), indicator, what is owed.

    Columns :data:`GAP_COLUMNS`, sorted by unit, then catalog order.
    """
    rows = [[r["unit"], r["name"], r["owed"]] for r in owed(ctx, assessment)]
    table = pd.DataFrame(rows, columns=GAP_COLUMNS)
    return table.sort_values("报送单位", kind="stable").reset_index(drop=True)


def gaps_sentence(ctx: ReportContext, gaps: pd.DataFrame) -> str:
    """Return the sentence introducing 需补报的数据: how many targets, which units."""
    if gaps.empty:
        return "各项目标都有可用于判定的近期数据。"
    units = list(dict.fromkeys(gaps["报送单位"]))
    return (f"以下{len(gaps)}项目标缺少可用于判定的数据或数据陈旧，涉及{'、'.join(units)}"
            f"{'等' if len(units) > 3 else ''}{len(units)}个单位，请于下次报送时补报。")
