"""Command ``rollup``: a parent region's value of every indicator from its children's observations.

The figures are summed over the regions that report (:func:`womenstats.assess.rolled.reporting_members`):
a city's counties, and for a province the counties of all its cities, as in the province's report
(summing counts through the cities gives the same totals; coverage is counted over counties).
"""

from __future__ import annotations

import argparse
import sys

from womenstats.cli.options import add_command, add_format, add_store

#: Columns of ``--format table`` (a narrower view for reading on screen).
TABLE_COLUMNS: tuple[str, ...] = (
    "indicator_id", "sex", "residence", "aggregation", "value", "lower", "upper", "n_children",
    "n_reporting", "coverage", "own_value", "difference", "missing",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``rollup`` command to the ``womenstats`` parser."""
    cmd = add_command(
        subparsers, "rollup", "由下级地区的数据汇总上级地区各指标的数值（率按分子分母合计，不平均各地的率）",
        details="把上级地区全部报送单位（县级）某年的观测值汇总为上级的数值：率和比例合计分子分母，"
        "注明覆盖率和缺报的地区",
        exits={0: "完成", 2: "参数错误或找不到数据库"},
    )
    cmd.add_argument("--region", required=True, help="上级地区代码（6 位），如 440700（江门市）")
    cmd.add_argument("--year", required=True, type=int, help="汇总的年份")
    add_store(cmd)
    add_format(cmd)
    cmd.set_defaults(func=_rollup)


def _rollup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from womenstats import paths
    from womenstats.assess.region import reporting_members
    from womenstats.cli.output import csv_text, table_text
    from womenstats.errors import InputError, Location
    from womenstats.gender.rollup import ROLLUP_COLUMNS, rollup
    from womenstats.intake import Store

    path = Path(args.store) if args.store else paths.default_store()
    if not path.is_file():
        raise InputError("找不到数据库文件：请先用 womenstats ingest 导入下级的数据包。",
                         Location(file=path.name), "E_NO_STORE")
    store = Store(path)
    members = reporting_members(args.region)  # refuses a code not in the region registry
    if not members:
        raise InputError(f"地区 {args.region} 在地区表中没有下级，无法汇总。", code="E_ARGUMENT")
    frame = rollup(store.observations(), args.region, args.year, children=members)
    if args.format == "table":
        sys.stdout.write(table_text(frame.loc[:, list(TABLE_COLUMNS)]))
    else:
        sys.stdout.write(csv_text(frame.loc[:, list(ROLLUP_COLUMNS)]))
    if frame.empty:
        print(f"地区 {args.region} 的 {len(members)} 个报送单位在 {args.year} 年没有数据。", file=sys.stderr)
    return 0
