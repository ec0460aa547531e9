"""Command ``assess``: the status, projection and early warnings of every target of a plan."""

from __future__ import annotations

import argparse
import sys

from womenstats.assess.methods import KNOWN_METHODS
from womenstats.cli.options import add_command, add_format, add_store

#: Columns ``womenstats assess`` prints, in order.
CLI_COLUMNS: tuple[str, ...] = (
    "plan", "region_code", "target_id", "indicator_id", "kind", "operator", "target_value", "target_year",
    "n_obs", "last_year", "last_value", "model", "proj_value", "proj_lo80", "proj_hi80", "proj_lo95",
    "proj_hi95", "p_attain", "status", "warnings", "restates",
)

#: Columns of ``--format table`` (a narrower view for reading on screen).
TABLE_COLUMNS: tuple[str, ...] = (
    "target_id", "operator", "target_value", "last_year", "last_value", "model", "proj_value", "proj_lo80",
    "proj_hi80", "p_attain", "status_label", "warnings", "restates",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``assess`` command to the ``womenstats`` parser."""
    cmd = add_command(
        subparsers, "assess", "评估规划每项目标：趋势预测、达标概率、达标状态和预警（输出 CSV 或表格）",
        details="对规划的每一项目标：取该地区的观测序列，预测到目标年，给出达标概率、状态和预警"
        "（规则见 docs/status_rules.md）",
        exits={0: "完成", 2: "参数错误或找不到数据库"},
    )
    cmd.add_argument("--plan", required=True, help="规划代码，如 kaiping")
    cmd.add_argument("--year", required=True, type=int, help="评估年份，如 2025（只用该年及以前的数据）")
    add_store(cmd)
    cmd.add_argument("--region", help="地区代码（6 位），默认为规划所属地区")
    cmd.add_argument("--method", default="ours", choices=KNOWN_METHODS,
                     help="评估方法：ours（默认，本工具的方法）、open-sdg、escap"
                          "（同行方法，见 docs/peers.md）")
    cmd.add_argument("--stage", choices=("annual", "midterm", "final"),
                     help="评估类型：annual 年度监测、midterm 中期评估、final 终期评估；"
                          "默认按规划的中期、终期年份确定（终期评估按已实现、基本实现、未实现判定）")
    add_format(cmd)
    cmd.set_defaults(func=_assess)


def _assess(args: argparse.Namespace) -> int:
    from womenstats import paths
    from womenstats.assess import assess_plan
    from womenstats.cli.output import csv_text, table_text

    store = args.store if args.store else paths.default_store()
    frame = assess_plan(args.plan, args.year, store=store, region_code=args.region, method=args.method,
                        stage=args.stage)
    if args.format == "table":
        sys.stdout.write(table_text(frame.loc[:, list(TABLE_COLUMNS)]))
    else:
        out = frame.loc[:, list(CLI_COLUMNS)].astype({"last_year": "Int64", "n_obs": "Int64"})
        sys.stdout.write(csv_text(out))
    return 0
