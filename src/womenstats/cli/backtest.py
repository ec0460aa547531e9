"""The ``backtest`` command: hide the last years of the real national series and score the projections."""

from __future__ import annotations

import argparse
import sys

from womenstats import paths
from womenstats.cli.options import add_command, add_format, add_store

#: Chinese column headers of the printed table.
LABELS: dict[str, str] = {
    "method": "方法",
    "n_series": "序列数",
    "n_forecasts": "预测值个数",
    "mase": "平均绝对标度误差MASE",
    "coverage80": "80%区间覆盖率[95%精确区间]",
    "coverage95": "95%区间覆盖率[95%精确区间]",
    "n_intervals": "有区间的预测数",
}

#: Chinese names of the methods.
METHOD_NAMES: dict[str, str] = {
    "ours": "本工具默认（AICc选模型，3–4个观测按指标尺度）",
    "linear": "线性趋势",
    "loglinear": "对数线性",
    "logit": "logit线性",
    "damped": "阻尼趋势指数平滑",
    "poisson_const": "泊松（无趋势）",
    "poisson": "泊松回归",
    "negbin": "负二项回归",
    "poisson_zero": "零事件（Jeffreys）",
    "growth": "两点增长率外推（基准）",
    "naive": "末值不变",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``backtest`` command to the ``womenstats`` parser."""
    cmd = add_command(
        subparsers, "backtest", "回测：留出全国真实序列的最后 k 年，用各方法预测并计算误差和区间覆盖率",
        details="留出数据库中全国真实序列的最后 k 个观测，用本工具的规则、各候选模型、两点增长和末值外推"
        "预测，输出 MASE 和 80%%、95%% 区间覆盖率（见 docs/trend.md）",
        exits={0: "完成", 2: "参数错误"},
    )
    cmd.add_argument("--k", type=int, choices=(1, 2, 3), default=1, help="每个序列留出的最后观测个数，默认 1")
    add_store(cmd)
    add_format(cmd, default="table")
    cmd.set_defaults(func=_backtest)


def _backtest(args: argparse.Namespace) -> int:
    import pandas as pd

    from womenstats.trend.backtest import backtest

    result = backtest(args.k, store=args.store if args.store else paths.default_store())
    table = result.summary.copy()
    stream = sys.stdout
    if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in {"utf-8", "utf8"}:
        stream.reconfigure(encoding="utf-8")
    if args.format == "csv":
        stream.write(table.to_csv(index=False, lineterminator="\n", float_format="%.4f"))
        return 0
    table["method"] = [f"{m} {METHOD_NAMES.get(m, '')}" for m in table["method"]]
    table["mase"] = [f"{v:.3f}" for v in table["mase"]]
    for level in ("80", "95"):
        table[f"coverage{level}"] = [
            "" if pd.isna(v) else f"{v:.3f} [{lo:.2f}, {hi:.2f}]"
            for v, lo, hi in zip(table[f"coverage{level}"], table[f"coverage{level}_lo"],
                                 table[f"coverage{level}_hi"], strict=True)
        ]
    table = table[list(LABELS)]
    table.columns = [LABELS[c] for c in table.columns]
    with pd.option_context("display.unicode.east_asian_width", True):
        stream.write(table.to_string(index=False) + "\n")
    n_excluded = len(result.excluded)
    stream.write(
        f"留出最后 {args.k} 个观测；参与回测的序列需至少 {args.k + 3} 个观测，"
        f"另有 {n_excluded} 个序列因观测过少或无变化未参与。MASE 以训练期年均绝对变化为尺度"
        "（Hyndman 与 Koehler 2006），小于 1 表示优于逐年“末值不变”的样本内误差。\n"
    )
    return 0
