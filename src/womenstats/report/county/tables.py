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
from womenstats.assess.status import FINAL_LABELS, STATUS_LABELS, status_label
from womenstats.catalog import AREAS
from womenstats.report.county.context import ReportContext
from womenstats.report.wording import gap_phrase, probability_text

#: How an operator reads in a table.
OPERATOR_WORDS = {"<=": "≤", ">=": "≥", "≈": "≈", "=": "=", "increase": "提高", "decrease": "降低",
                  "maintain": "保持", "narrow": "缩小", "decrease_pct": "比基期下降",
                  "increase_pct": "比基期提高", "decrease_pp": "比基期下降", "increase_pp": "比基期提高"}
#: The peers' methods by name, as reports print them.
PEER_NAMES = {"open-sdg": "open-sdg 进展评估法", "escap": "ESCAP 预期进展指数"}
#: Breakdown codes in words.
SEX_WORDS = {"female": "女", "male": "男", "total": "合计"}
RESIDENCE_WORDS = {"all": "", "urban": "城镇", "rural": "农村"}


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _round(value, digits: int = 2):
    return None if _missing(value) else round(float(value), digits)


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
    if _missing(value) or value == "":
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


def _value_in(series: pd.DataFrame, year: int):
    hit = series.loc[series["year"] == year, "value"]
    return _round(hit.iloc[0]) if len(hit) else None


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


def _target_cell(row: dict) -> str:
    """Return the 目标编号 cell: the id, and for a restatement the target whose result it carries."""
    again = row.get("restates") or ""
    return f"{row['target_id']}（同 {again}）" if again else row["target_id"]


def _quantified(assessment: pd.DataFrame) -> pd.DataFrame:
    return assessment.loc[assessment["kind"] != "qualitative"]


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
        Index: area codes in catalog order (areas with targets only); columns: status codes in
        the order of :func:`status_labels`; integer counts.
    """
    assessment = judged(assessment)
    table = pd.crosstab(assessment["area"], assessment["status"])
    areas = [a for a in AREAS if a in table.index]
    return table.reindex(index=areas, columns=list(status_labels(assessment)), fill_value=0)


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


def _projection_text(row) -> str:
    if _missing(row["proj_lo80"]) or _missing(row["proj_hi80"]):
        return "—"
    if abs(row["proj_hi80"] - row["proj_lo80"]) < 5e-3:
        # only a series whose values never changed keeps a zero-width interval (trend flag "constant")
        return f"{row['proj_lo80']:.2f}（各年数值相同，无波动）"
    return f"{row['proj_lo80']:.2f}–{row['proj_hi80']:.2f}"


def area_table(ctx: ReportContext, area: str) -> pd.DataFrame:
    """Return the mid-term table of one area: baseline, latest, projection, target, status, warning.

    Columns: 目标编号, 指标, 分组, 目标, 基期值 (the plan's baseline year), 最新值, 最新年份,
    目标年预测值, 80%预测区间, 达标概率, 状态, 预警 (the warnings' short names; their sentences
    are in :func:`warnings_table`). Qualitative targets are listed in their own table
    (:func:`qualitative_table`).
    """
    assessed = _quantified(ctx.assessment())
    assessed = assessed.loc[assessed["area"] == area]
    rows = []
    for row in assessed.to_dict("records"):
        target = ctx.target(row["target_id"])
        series = ctx.target_series(row["target_id"])
        rows.append([
            _target_cell(row), target["indicator"],
            breakdown_text(target["sex"], target["residence"], target["age_group"]),
            target_text(row["operator"], row["target_value"], target["unit"]),
            _value_in(series, ctx.plan.baseline_year),
            _round(row["last_value"]), None if _missing(row["last_year"]) else int(row["last_year"]),
            _round(row["proj_value"]), _projection_text(row),
            probability_text(row["p_attain"]), row["status_label"], warning_names(row["warnings"]),
        ])
    table = pd.DataFrame(rows, columns=[
        "目标编号", "指标", "分组", "目标", f"基期值（{ctx.plan.baseline_year}年）", "最新值", "最新年份",
        "目标年预测值", "80%预测区间", "达标概率", "状态", "预警"])
    return years_as_int(table, "最新年份")


def warning_names(codes) -> str:
    """Return a target's warnings by their short names (``预计达标困难、波动较大``); '' for none.

    The area tables name the warnings; their full sentences are in :func:`warnings_table`.
    """
    from womenstats.assess.early_warnings import WARNING_LABELS

    if not isinstance(codes, str) or not codes:
        return ""
    return "、".join(WARNING_LABELS.get(code, code) for code in codes.split(";") if code)


def warnings_table(assessment: pd.DataFrame) -> pd.DataFrame:
    """Return the targets with an early warning: 目标编号, 领域, 状态, 预警 (the Chinese sentences)."""
    assessment = judged(assessment)
    warned = assessment.loc[assessment["warnings"].fillna("") != ""]
    return pd.DataFrame({
        "目标编号": warned["target_id"].to_numpy(),
        "领域": warned["area"].map(AREAS).to_numpy(),
        "状态": warned["status_label"].to_numpy(),
        "预警": warned["warning_text"].to_numpy(),
    })


def qualitative_table(ctx: ReportContext) -> pd.DataFrame:
    """Return the qualitative targets with their sentences and an empty column for the group's judgement."""
    rows = ctx.targets.loc[ctx.targets["kind"] == "qualitative"]
    return pd.DataFrame({
        "目标编号": rows["target_id"].to_numpy(),
        "领域": rows["area"].map(AREAS).to_numpy(),
        "规划原文": rows["sentence"].to_numpy(),
        "评估组判定": "",
    })


def peer_methods() -> tuple[str, ...]:
    """Return the peers' methods registered in ``womenstats.assess`` (open-sdg, ESCAP), in that order."""
    from womenstats import assess

    return tuple(m for m in ("open-sdg", "escap") if m in assess.METHODS)


def peers_table(ctx: ReportContext, methods: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Return our status beside the peers' verdicts for every quantified target.

    Columns: 目标编号, 指标, 本方法, then one column per peer method (its ``status_label``);
    ``methods`` defaults to :func:`peer_methods`.
    """
    methods = peer_methods() if methods is None else methods
    ours = _quantified(ctx.assessment("ours"))
    out = pd.DataFrame({
        "目标编号": ours["target_id"].to_numpy(),
        "指标": [ctx.target(t)["indicator"] for t in ours["target_id"]],
        "本方法": ours["status_label"].to_numpy(),
    })
    for method in methods:
        peer = ctx.assessment(method).set_index("target_id")["status_label"]
        out[PEER_NAMES.get(method, method)] = out["目标编号"].map(peer).fillna("—").to_numpy()
    return out


def _interval_text(lower, upper) -> str:
    return "—" if _missing(lower) or _missing(upper) else f"{lower:.2f}–{upper:.2f}"


def gender_gap_table(ctx: ReportContext) -> pd.DataFrame:
    """Return women's and men's values of every indicator reported by sex, in its latest year.

    Columns: 指标, 分组, 年份, 女, 男, 差距（女−男）, 95%区间, 女/男. The difference and ratio and
    the difference's interval are :func:`womenstats.gender.compare.compare_sexes` (Newcombe's
    interval for a percentage, MOVER-Garwood for a rate, when counts are stored); only years with
    both sexes reported enter.
    """
    from womenstats.gender.compare import compare_sexes

    columns = ["指标", "分组", "年份", "女", "男", "差距（女−男）", "95%区间", "女/男"]
    obs = ctx.observations
    keys = ["indicator_id", "residence", "age_group", "year"]
    diff = compare_sexes(obs, "difference").dropna(subset=["value"])
    if diff.empty:
        return pd.DataFrame(columns=columns)
    ratio = compare_sexes(obs, "ratio").set_index(keys)["value"]
    latest = diff.sort_values("year").groupby(keys[:3]).tail(1).sort_values(keys[:3])
    values = obs.set_index([*keys, "sex"])["value"]
    names = catalog.indicators()["name"]
    rows = []
    for row in latest.to_dict("records"):
        key = tuple(row[k] for k in keys)
        rows.append([names[row["indicator_id"]], breakdown_text("", row["residence"], row["age_group"]),
                     int(row["year"]), _round(values[(*key, "female")]), _round(values[(*key, "male")]),
                     _round(row["value"]), _interval_text(row["lower"], row["upper"]), _round(ratio[key], 3)])
    return pd.DataFrame(rows, columns=columns)


def annual_table(ctx: ReportContext) -> pd.DataFrame:
    """Return the annual monitoring table: each quantified target's value this year, last year, target.

    Columns: 目标编号, 指标, 分组, 目标, 本年值, 上年值, 比上年变化, 状态. A value not reported
    for the report year is shown as missing (see :func:`missing_table`).
    """
    assessed = _quantified(ctx.assessment())
    rows = []
    for row in assessed.to_dict("records"):
        target = ctx.target(row["target_id"])
        series = ctx.target_series(row["target_id"])
        now, before = _value_in(series, ctx.year), _value_in(series, ctx.year - 1)
        change = None if now is None or before is None else round(now - before, 2)
        rows.append([row["target_id"], target["indicator"],
                     breakdown_text(target["sex"], target["residence"], target["age_group"]),
                     target_text(row["operator"], row["target_value"], target["unit"]),
                     now, before, change, row["status_label"]])
    return pd.DataFrame(rows, columns=["目标编号", "指标", "分组", "目标", f"{ctx.year}年",
                                       f"{ctx.year - 1}年", "比上年变化", "状态"])


def missing_table(ctx: ReportContext) -> pd.DataFrame:
    """Return 缺项数据: quantified targets without a value for the report year, and their latest year."""
    table = annual_table(ctx)
    gaps = table.loc[table[f"{ctx.year}年"].isna(), ["目标编号", "指标", "分组"]].copy()
    latest = {t: ctx.target_series(t)["year"].max() for t in gaps["目标编号"]}
    gaps["最近有数据的年份"] = list(latest.values())
    return years_as_int(gaps.reset_index(drop=True), "最近有数据的年份")


def annual_statistics(ctx: ReportContext) -> pd.DataFrame:
    """Return 年度妇女统计资料: every indicator observed in the report year, by sex and residence.

    Columns: 指标, 单位, 年龄组, then one column per breakdown present (合计, 女, 男, 城镇, 农村
    and their combinations), values as reported.
    """
    obs = ctx.observations.loc[ctx.observations["year"] == ctx.year].copy()
    if obs.empty:
        return pd.DataFrame(columns=["指标", "单位", "年龄组"])
    obs["分组"] = [breakdown_text(s, r, "all") for s, r in zip(obs["sex"], obs["residence"], strict=True)]
    wide = obs.pivot_table(index=["indicator_id", "unit", "age_group"], columns="分组", values="value",
                           aggfunc="first", sort=True)
    order = [c for c in ("合计", "女", "男") if c in wide.columns]
    wide = wide[order + sorted(c for c in wide.columns if c not in order)].round(2).reset_index()
    wide.columns.name = None
    wide.insert(0, "指标", wide.pop("indicator_id").map(catalog.indicators()["name"]))
    wide = wide.rename(columns={"unit": "单位", "age_group": "年龄组"})
    wide["年龄组"] = wide["年龄组"].replace({"all": "全部"})
    return wide


def final_table(ctx: ReportContext, horizon: int = 5) -> pd.DataFrame:
    """Return the final evaluation table: met or not, change over the period, shortfall, trend onward.

    Columns: 目标编号, 指标, 分组, 目标, 基期值, 终期值, 终期值年份, 全期变化, 是否达标 (the
    assessment's final verdict: 已实现, 基本实现, 未实现, 数据不足), 距目标差距 (in words, for a
    value target not met: :func:`~womenstats.report.wording.gap_phrase`), 今后趋势 (the projection
    ``horizon`` years after the report year, with its 80% interval, as input to the next plan) and
    说明 (the year whose data a verdict rests on when it is before the target year).
    """
    assessed = _quantified(ctx.assessment())
    ahead = ctx.year + horizon
    rows = []
    for row in assessed.to_dict("records"):
        target = ctx.target(row["target_id"])
        series = ctx.target_series(row["target_id"])
        base = _value_in(series, ctx.plan.baseline_year)
        last = _round(row["last_value"])
        change = None if base is None or last is None else round(last - base, 2)
        gap = gap_phrase(row.get("comparison", ""), row.get("target_level"), row["last_value"],
                         target["unit"])
        onward = "—"
        if len(series) >= 3:
            fc = ctx.projection(row["target_id"]).forecast(years=[ahead]).iloc[0]
            if not _missing(fc["point"]) and not _missing(fc["lo80"]):
                onward = f"{fc['point']:.2f}（{fc['lo80']:.2f}–{fc['hi80']:.2f}）"
        rows.append([_target_cell(row), target["indicator"],
                     breakdown_text(target["sex"], target["residence"], target["age_group"]),
                     target_text(row["operator"], row["target_value"], target["unit"]), base, last,
                     None if _missing(row["last_year"]) else int(row["last_year"]), change,
                     row["status_label"], gap or "—", onward, final_note(row)])
    table = pd.DataFrame(rows, columns=[
        "目标编号", "指标", "分组", "目标", f"基期值（{ctx.plan.baseline_year}年）", "终期值", "终期值年份",
        "全期变化", "是否达标", "距目标差距", f"{ahead}年趋势预测（80%区间）", "说明"])
    return years_as_int(table, "终期值年份")


def final_note(row) -> str:
    """Return what a final verdict rests on: ``按2024年数据`` before the target year, or why none."""
    if _missing(row["last_year"]):
        return "没有任何年份的数据"
    last, target_year = int(row["last_year"]), int(row["target_year"])
    if row["status"] == "insufficient_data":
        text = str(row.get("warning_text") or "")
        if text.startswith("最新数据为"):
            return text.split("。")[0] + "。"
        return f"只有{int(row['n_obs'])}年数据"
    return f"按{last}年数据" if last < target_year else ""


def unmet_table(ctx: ReportContext) -> pd.DataFrame:
    """Return the rows of :func:`final_table` whose verdict is 未实现."""
    table = final_table(ctx)
    codes = _quantified(ctx.assessment())["status"].to_numpy()
    return table.loc[codes == "not_achieved"].reset_index(drop=True)


def undecided_table(ctx: ReportContext) -> pd.DataFrame:
    """Return the rows of :func:`final_table` that no recent observation decides (数据不足)."""
    table = final_table(ctx)
    codes = _quantified(ctx.assessment())["status"].to_numpy()
    return table.loc[codes == "insufficient_data"].reset_index(drop=True)
