"""The tables of :meth:`womenstats.trend.Projection.summary`, built with statsmodels' own table classes.

The layout follows statsmodels' ``summary()`` (a two-column header table, then the parameters from
:func:`statsmodels.iolib.summary.summary_params`) so that the two can be read side by side; a table
of the candidate models and the notes on how the criterion counts parameters come in between and
after. Nothing in it depends on the clock (statsmodels prints the date and time; this does not), so
a notebook that prints it is byte-reproducible.
"""

from __future__ import annotations

import math

import numpy as np

#: Titles of the models in the summary.
MODEL_TITLES: dict[str, str] = {
    "linear": "OLS: value ~ year", "loglinear": "OLS: log(value) ~ year",
    "logit": "OLS: logit(value) ~ year", "damped": "ETS(A,Ad,N) damped trend",
    "poisson_const": "Poisson GLM: constant rate", "poisson": "Poisson GLM: log rate ~ year",
    "negbin": "NB2 negative binomial: log rate ~ year", "poisson_zero": "Jeffreys Poisson, no events",
    "growth": "compound growth, two values", "none": "none",
}

#: How the criterion is named in the summary (``scale``: rule 4, three or four values).
CRITERIA: dict[str, str] = {"aicc": "AICc", "scale": "scale (n <= 4)"}

#: Notes on the criterion (Chinese: they are read by the user).
NOTE_K = ("[{i}] 模型选择准则 AICc = −2·loglik + 2k + 2k(k+1)/(n−k−1)（Hurvich & Tsai 1989），"
          "n > k + 1 的候选参与比较，最小者胜出。k 计入误差方差：OLS 模型 k = 3（截距、斜率、σ²），"
          "statsmodels 的 OLS aic 只计两个回归系数（k = 2），所以线性模型的 AIC 比 statsmodels 的大 2；"
          "阻尼趋势 k = 6（含 σ²）、泊松和负二项与 statsmodels 相同。")
NOTE_JACOBIAN = ("[{i}] loglik 是原尺度（指标的单位）上的对数似然：{name} 模型在 statsmodels 中拟合的是"
                 "变换后的数值，其 llf 为 {llf:.6g}，加上变换的雅可比项 Σ log g′(y) = {jac:.6g} "
                 "才能与其他候选比较。下表的系数在变换尺度上。")
NOTE_SCALE = ("[{i}] 只有 {n} 个观测值，没有候选满足 n > k + 1，AICc 无定义：按指标的尺度选择模型"
              "（双侧有界用 logit，下界为 0 用对数线性，否则线性；criterion = scale）。")
NOTE_NONE = "[{i}] {model} 没有 statsmodels 拟合，没有参数估计。"


def _fmt(x, spec: str = "%#8.5g") -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else (spec % x).strip()


def _span(proj) -> str:
    if not proj.n_obs:
        return "-"
    first, last = int(proj.years[0]), int(proj.years[-1])
    return f"{first}-{last}" if first != last else str(first)


def _bounds(proj) -> str:
    lower, upper = proj.bounds
    low = "-inf" if math.isnan(lower) else f"{lower:g}"
    high = "inf" if math.isnan(upper) else f"{upper:g}"
    return f"[{low}, {high}]"


def _top(proj) -> tuple[list, list]:
    res = proj.model_result
    chosen = proj.candidates.loc[proj.candidates["chosen"].astype(bool), "criterion"]
    criterion = CRITERIA.get(str(chosen.iloc[0]), str(chosen.iloc[0])) if len(chosen) else "-"
    left = [
        ("Dep. Variable:", [str(res.model.endog_names) if res is not None else "value"]),
        ("Model:", [proj.model]),
        ("Method:", [MODEL_TITLES.get(proj.model, proj.model)]),
        ("Years:", [_span(proj)]),
        ("No. Observations:", [str(proj.n_obs)]),
        ("Bounds:", [_bounds(proj)]),
    ]
    right = [
        ("Criterion:", [criterion]),
        ("AICc:", [_fmt(proj.aicc)]),
        ("AIC:", [_fmt(proj.aic)]),
        ("Log-Likelihood:", [_fmt(proj.llf)]),
        ("k:", [_fmt(proj._chosen("k"), "%d")]),
        ("Candidates:", [str(len(proj.candidates))]),
    ]
    return left, right


def _candidates(proj):
    from statsmodels.iolib.table import SimpleTable
    from statsmodels.iolib.tableformatting import fmt_params

    table = proj.candidates
    rows = [[_fmt(float(row["k"]), "%d"), _fmt(float(row["loglik"])), _fmt(float(row["aic"])),
             _fmt(float(row["aicc"])), "*" if bool(row["chosen"]) else ""] for _, row in table.iterrows()]
    return SimpleTable(rows, ["k", "loglik", "AIC", "AICc", "chosen"], [str(m) for m in table["model"]],
                       title="Candidate models", txt_fmt=fmt_params)


def _params(proj, alpha: float):
    from statsmodels.iolib.summary import summary_params

    res = proj.model_result
    names = list(proj.params.index)
    use_t = bool(getattr(res, "use_t", False))
    values = (res, proj.params.to_numpy(), *(np.asarray(getattr(res, name), dtype=float)
                                               for name in ("bse", "tvalues", "pvalues")),
              proj.conf_int(alpha).to_numpy())
    return summary_params(values, yname=str(res.model.endog_names), xname=names, alpha=alpha, use_t=use_t)


def _notes(proj) -> list[str]:
    from womenstats.trend.projection import FLAGS

    notes: list[str] = []
    if len(proj.candidates):
        chosen = proj.candidates.loc[proj.candidates["chosen"].astype(bool)].iloc[0]
        if chosen["criterion"] == "scale":
            notes.append(NOTE_SCALE.format(i=len(notes) + 1, n=proj.n_obs))
        notes.append(NOTE_K.format(i=len(notes) + 1))
        transform = getattr(proj.fit, "transform", None)
        if transform is not None and transform.name != "identity":
            jac = transform.log_jacobian(proj.values)
            notes.append(NOTE_JACOBIAN.format(i=len(notes) + 1, name=proj.model, llf=proj.model_result.llf,
                                              jac=jac))
    if proj.model_result is None:
        notes.append(NOTE_NONE.format(i=len(notes) + 1, model=proj.model))
    for flag in proj.flags:
        notes.append(f"[{len(notes) + 1}] {FLAGS.get(flag, flag)}（{flag}）")
    return notes


def build_summary(proj, alpha: float = 0.05):
    """Return the summary of a projection (see :meth:`womenstats.trend.Projection.summary`).

    Parameters
    ----------
    proj : womenstats.trend.Projection
        The projection.
    alpha : float, default 0.05
        Level of the parameters' intervals.

    Returns
    -------
    statsmodels.iolib.summary.Summary
    """
    from statsmodels.iolib.summary import Summary

    smry = Summary()
    left, right = _top(proj)
    title = f"Projection Results: {proj.label}" if proj.label else "Projection Results"
    smry.add_table_2cols(None, gleft=left, gright=right, title=title, yname=left[0][1][0], xname=["year"])
    if len(proj.candidates):
        smry.tables.append(_candidates(proj))
    if proj.model_result is not None:
        smry.tables.append(_params(proj, alpha))
    smry.add_extra_txt(_notes(proj))
    return smry
