"""Commands of the catalog: ``catalog list``, ``catalog show``, ``catalog extract``, ``catalog check``.

Tables go to standard output as UTF-8 CSV (``--format csv``, the default, for spreadsheets and
scripts) or as an aligned text table (``--format table``, for reading in a terminal). Rows come in
the catalog's order (plan, area, section, item, statement), so the same catalog prints the same
bytes.
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import TYPE_CHECKING

from womenstats.cli.options import add_command
from womenstats.errors import InputError, Location

if TYPE_CHECKING:  # pandas is imported where it is used: `womenstats report` need not load it here
    import pandas as pd

#: The columns that state a target, shared by the two tables below.
_STATEMENT_COLUMNS: tuple[str, ...] = ("kind", "operator", "value", "unit", "target_year", "sentence")

#: Columns of ``catalog list``.
LIST_COLUMNS: tuple[str, ...] = (
    "plan", "area", "section", "item", "target_id", "indicator_id", "indicator", *_STATEMENT_COLUMNS,
)

#: Columns of ``catalog extract --format table`` (the CSV carries every targets-file column).
EXTRACT_TABLE_COLUMNS: tuple[str, ...] = (
    "target_id", "area", "section", "indicator_id", *_STATEMENT_COLUMNS, "note",
)

_TARGET_LABELS: dict[str, str] = {
    "target_id": "目标编号",
    "plan": "规划",
    "area": "领域",
    "section": "部分",
    "item": "条目",
    "indicator_id": "指标编号",
    "indicator": "指标",
    "sex": "性别",
    "residence": "城乡",
    "age_group": "年龄组",
    "kind": "目标类型",
    "operator": "运算符",
    "tolerance": "容差",
    "value": "目标值",
    "unit": "单位",
    "target_year": "目标年份",
    "links_to": "重述的主要目标",
    "sentence": "原文",
    "note": "备注",
}

_INDICATOR_LABELS: dict[str, str] = {
    "name": "指标名称",
    "area": "领域",
    "unit": "单位",
    "lower": "取值下限",
    "upper": "取值上限",
    "better": "较好方向",
    "subject": "统计对象",
    "breakdowns": "可分组",
    "numerator": "分子",
    "denominator": "分母",
    "per": "基数",
    "department": "报送部门",
    "definition": "定义",
    "aliases": "别名",
}

_CODE_LABELS: dict[str, dict[str, str]] = {
    "kind": {"quantitative": "定量", "directional": "方向性", "qualitative": "定性"},
    "sex": {"female": "女性", "male": "男性", "total": "合计"},
    "residence": {"all": "全部", "urban": "城镇", "rural": "农村"},
    "age_group": {"all": "全部年龄"},
    "better": {"higher": "越高越好", "lower": "越低越好", "neutral": "无好坏方向"},
    "subject": {"female": "仅女性", "both": "需两性数据", "total": "全人口"},
    "breakdowns": {"sex": "性别", "residence": "城乡", "age_group": "年龄组"},
}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``catalog`` command group to the ``womenstats`` parser."""
    group = subparsers.add_parser("catalog", help="目标目录：列出、查看规划目标，从规划文本提取候选目标")
    sub = group.add_subparsers(dest="catalog_command", metavar="操作")

    cmd = add_command(sub, "list", "列出目标（CSV 或对齐的表格）",
                      exits={0: "完成", 2: "规划或领域代码不存在"})
    cmd.add_argument("--plan", help="规划代码，如 kaiping；不指定则列出全部规划")
    cmd.add_argument("--area", help="领域代码，如 health、education")
    _add_format(cmd)
    cmd.set_defaults(func=_list)

    cmd = add_command(sub, "show", "显示一个目标的全部字段及其指标的定义",
                      exits={0: "完成", 2: "目标编号不存在"})
    cmd.add_argument("target_id", help="如 kaiping.health.02-1")
    cmd.set_defaults(func=_show)

    cmd = add_command(
        sub, "extract", "从规划文本（.txt 或 .docx）提取候选目标，供人工逐条审核；CSV 的列与目标文件相同",
        exits={0: "已提取（候选目标须逐条审核）", 2: "文件无法读取或参数错误"},
    )
    cmd.add_argument("file", help="规划文本文件（.txt 或 .docx）")
    cmd.add_argument("--plan-id", help="规划代码，用于目标编号；目录中已有的规划取其终期年份为目标年份")
    cmd.add_argument(
        "--baselines",
        help="另将文中的现状数值（截至、目前、已达到……及发展现状中的数值，均非目标）连同年份写入此 CSV",
    )
    _add_format(cmd)
    cmd.set_defaults(func=_extract)

    cmd = add_command(sub, "check", "检查目录文件（规划、指标库、目标）的格式与取值",
                      exits={0: "检查通过", 1: "有问题（逐条列出）"})
    cmd.set_defaults(func=_check)


def _add_format(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "--format",
        choices=("csv", "table"),
        default="csv",
        help="输出格式：csv（默认，UTF-8）或 table（对齐的文本表格）",
    )


def _cell(value: object) -> str:
    """Text of one cell: blank for missing, whole numbers without ``.0``."""
    import pandas as pd

    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return f"{value:.12g}"
    if isinstance(value, tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def _as_text(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({c: [_cell(v) for v in frame[c]] for c in columns}, columns=list(columns))


def _write(frame: pd.DataFrame, columns: tuple[str, ...], fmt: str) -> None:
    """Print ``frame[columns]`` to standard output as UTF-8 CSV or as an aligned table."""
    import pandas as pd

    text = _as_text(frame, columns)
    if fmt == "csv":
        out = text.to_csv(index=False, lineterminator="\n")
    else:
        text.columns = [_TARGET_LABELS.get(c, c) for c in columns]
        with pd.option_context("display.unicode.east_asian_width", True, "display.max_colwidth", 60):
            out = text.to_string(index=False) + "\n"
    stream = sys.stdout
    if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in {"utf-8", "utf8"}:
        stream.reconfigure(encoding="utf-8")
    stream.write(out)


def _list(args: argparse.Namespace) -> int:
    from womenstats import catalog

    frame = catalog.load(args.plan) if args.plan else catalog.load()
    if args.area:
        if args.area not in catalog.AREAS:
            choices = "、".join(f"{code}（{name}）" for code, name in catalog.AREAS.items())
            raise InputError(
                f"没有领域“{args.area}”；可用的领域代码：{choices}。",
                Location(file="--area"),
                "E_NO_AREA",
            )
        frame = frame[frame["area"] == args.area]
    _write(frame, LIST_COLUMNS, args.format)
    return 0


def _label(field: str, value: object) -> str:
    text = _cell(value)
    codes = _CODE_LABELS.get(field)
    if codes and isinstance(value, tuple):
        return "、".join(codes.get(v, v) for v in value) or "无"
    if codes and text in codes:
        return f"{codes[text]}（{text}）"
    return text


def _area(code: str) -> str:
    from womenstats.catalog import AREAS

    return f"{AREAS[code]}（{code}）" if code in AREAS else code


def _show(args: argparse.Namespace) -> int:
    from womenstats import catalog

    row = catalog.target(args.target_id)
    plan = catalog.plan(row["plan"])
    lines = []
    for field, label in _TARGET_LABELS.items():
        text = _label(field, row[field])
        if field == "plan":
            text = f"{plan.name}（{plan.id}）"
        elif field == "area":
            text = _area(text)
        elif field == "operator" and text:
            text = f"{catalog.OPERATORS[text]}（{text}）"
        lines.append(f"{label}：{text}")
    if row["indicator_id"]:
        indicator = catalog.indicators().loc[row["indicator_id"]]
        lines.append("")
        lines.append(f"指标 {row['indicator_id']}")
        for field, label in _INDICATOR_LABELS.items():
            text = _label(field, indicator[field])
            lines.append(f"  {label}：{_area(text) if field == 'area' else text}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _extract(args: argparse.Namespace) -> int:
    from womenstats._io import atomic_path
    from womenstats.catalog import TARGET_COLUMNS
    from womenstats.catalog.extract import BASELINE_COLUMNS, extract_all
    from womenstats.catalog.extract.candidates import NOTE_OUTSIDE, UNKNOWN_AREA
    from womenstats.catalog.text import read_plan_text

    frame, baselines = extract_all(read_plan_text(args.file), plan_id=args.plan_id)
    if args.baselines:
        with atomic_path(args.baselines) as tmp:
            text = _as_text(baselines, BASELINE_COLUMNS).to_csv(index=False, lineterminator="\n")
            tmp.write_text(text, encoding="utf-8")
    columns = TARGET_COLUMNS if args.format == "csv" else EXTRACT_TABLE_COLUMNS
    _write(frame, columns, args.format)
    counts = frame["kind"].value_counts()
    print(
        f"{args.file}：候选目标 {len(frame)} 条（定量 {counts.get('quantitative', 0)}，"
        f"方向性 {counts.get('directional', 0)}，定性 {counts.get('qualitative', 0)}），请逐条审核。",
        file=sys.stderr,
    )
    flagged = {
        "领域未确定（area=unknown）": (frame["area"] == UNKNOWN_AREA).sum(),
        "不在“主要目标/策略措施”标题下": frame["note"].str.contains(NOTE_OUTSIDE, regex=False).sum(),
        "指标链接不合理、未链接": frame["note"].str.contains("未链接指标", regex=False).sum(),
    }
    for what, n in flagged.items():
        if n:
            print(f"  其中 {n} 条{what}：见 note 列，请重点审核。", file=sys.stderr)
    if len(baselines):
        where = f"已写入 {args.baselines}" if args.baselines else "可用 --baselines 文件 另行输出"
        print(f"  另有 {len(baselines)} 个现状数值不是目标，未列入（{where}）。", file=sys.stderr)
    return 0


def _check(args: argparse.Namespace) -> int:
    from womenstats import catalog

    problems = catalog.check()
    for problem in problems:
        print(problem)
    if problems:
        print(f"目录有 {len(problems)} 处问题。", file=sys.stderr)
        return 1
    print("目录检查通过。", file=sys.stderr)
    return 0
