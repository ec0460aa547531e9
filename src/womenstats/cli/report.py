"""Commands of the reports: ``report`` (run report notebooks) and ``audit`` (re-execute and compare)."""

from __future__ import annotations

import argparse
import sys

from womenstats.cli.options import add_command, add_store

KINDS = ("annual", "midterm", "final")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``report`` and ``audit`` commands to the ``womenstats`` parser."""
    cmd = add_command(
        subparsers, "report", "运行报告笔记本（papermill），生成 .ipynb、.html、.docx、.xlsx 四个文件",
        details="运行报告笔记本，写入 <输出目录>/<规划>/<年份>/<类型>.{ipynb,html,docx,xlsx}",
        exits={0: "全部生成", 1: "有报告失败（列出失败的规划）", 2: "参数错误"},
    )
    cmd.add_argument(
        "--plan",
        help="规划代码，如 kaiping；多个用逗号分隔；all 表示全部地方规划；"
        "region:地区代码 表示该地区下属各地的规划（如 region:440000）（与 --region 二选一）",
    )
    cmd.add_argument(
        "--region", help="上级地区代码（市、省，如 440700）：由下级数据汇总的上级报告（与 --plan 二选一）"
    )
    cmd.add_argument(
        "--department",
        help="成员单位（如 卫健）：只含该单位负责指标的自评报告（需 --plan，kind 为 midterm 或 final）",
    )
    cmd.add_argument(
        "--narrative",
        help="成员单位自评文本文件（UTF-8，含“## 主要措施”“## 存在问题”“## 下一步打算”），"
        "不给则在报告中留空待填写",
    )
    cmd.add_argument(
        "--kind",
        required=True,
        choices=KINDS,
        help="报告类型：annual 年度监测，midterm 中期评估，final 终期评估",
    )
    cmd.add_argument("--year", required=True, type=int, help="报告年份，如 2025")
    add_store(cmd)
    cmd.add_argument("-o", "--out", metavar="目录", help="报告输出目录，默认 reports/")
    cmd.add_argument(
        "--method",
        default="ours",
        choices=("ours", "open-sdg", "escap"),
        help="达标评估方法，默认 ours（本工具的方法）",
    )
    cmd.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="本机 Dask 集群（LocalCluster）的 worker 进程数；默认取更快的一种：报告足够多时等于可用的"
        "处理器核数（至多每份报告一个），否则在本进程中逐份运行（只有一份报告时）；"
        "1 表示在本进程中逐份运行，不启动 Dask",
    )
    cmd.add_argument(
        "--scheduler",
        help="已有 Dask 集群的调度器地址，如 tcp://127.0.0.1:8786（用 `dask scheduler` 和 "
        "`dask worker` 启动；各 worker 须能以相同路径访问项目、数据库和输出目录）；"
        "不指定则在本机启动集群",
    )
    cmd.add_argument("--no-progress", action="store_true", help="不显示进度条")
    cmd.set_defaults(func=_report)

    cmd = add_command(
        subparsers, "audit",
        "核对报告的代码是项目自己的笔记本，按记录的参数重新执行，逐一核对 .ipynb、.html、.docx、.xlsx",
        exits={0: "重新生成的四个文件与报告完全一致", 1: "有不同（逐处列出）",
               2: "无法执行，或报告的代码、参数与项目笔记本不符而拒绝执行"},
    )
    cmd.add_argument(
        "notebook",
        help="womenstats report 生成的 .ipynb 文件（同名的 .html、.docx、.xlsx 应在同一文件夹）",
    )
    cmd.set_defaults(func=_audit)


def _report(args: argparse.Namespace) -> int:
    from womenstats.report.provenance import display_path
    from womenstats.report.run.runner import ReportError, resolve_plans, run_many

    if (args.plan is None) == (args.region is None):
        raise ReportError("请给出 --plan（县级规划的报告）或 --region（上级地区的汇总报告）中的一个。")
    if args.region is not None or args.department is not None:
        return _chain_report(args)
    if args.narrative is not None:
        raise ReportError("--narrative 只用于成员单位自评报告，请同时给出 --department。")

    plan_ids = resolve_plans(args.plan)
    summary = run_many(
        plan_ids,
        args.kind,
        args.year,
        store=args.store,
        out=args.out,
        method=args.method,
        progress=not args.no_progress and len(plan_ids) > 1,
        jobs=args.jobs,
        scheduler=args.scheduler,
    )
    for plan_id, files in summary.written.items():
        print(f"已生成 {plan_id}：" + "、".join(display_path(f) for f in files))
    for plan_id, message in summary.failed.items():
        print(f"失败 {plan_id}：{message}", file=sys.stderr)
    print(
        f"共 {len(plan_ids)} 份：成功 {len(summary.written)} 份，失败 {len(summary.failed)} 份"
        + (f"（{', '.join(summary.failed)}）" if summary.failed else "")
    )
    return summary.exit_code


def _chain_report(args: argparse.Namespace) -> int:
    """Run a parent region's report (``--region``) or a department's self-evaluation (``--department``)."""
    from womenstats.report.provenance import display_path
    from womenstats.report.run.chain import run_department_report, run_region_report
    from womenstats.report.run.runner import ReportError

    common = {"store": args.store, "out": args.out, "method": args.method}
    if args.region is not None:
        if args.department is not None or args.narrative is not None:
            raise ReportError(
                "--department 和 --narrative 用于县级规划的成员单位报告，不能与 --region 同用。"
            )
        files = run_region_report(args.region, args.kind, args.year, **common)
        subject = args.region
    else:
        files = run_department_report(
            args.plan, args.department, args.kind, args.year, narrative=args.narrative, **common
        )
        subject = f"{args.plan} {args.department}"
    print(f"已生成 {subject}：" + "、".join(display_path(f) for f in files))
    return 0


def _audit(args: argparse.Namespace) -> int:
    from womenstats.report.audit.compare import audit_report

    differences = audit_report(args.notebook)
    for difference in differences:
        print(difference)
    if differences:
        print(f"复核未通过：{len(differences)} 处与重新生成的报告不同。")
        return 1
    print("复核通过：重新生成的 .ipynb、.html、.docx、.xlsx 与报告逐字节一致。")
    return 0
