"""Command ``project``: batch projections of every series of many regions, on one machine or on Dask."""

from __future__ import annotations

import argparse
import sys

from womenstats.cli.options import add_command


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``project`` command to the ``womenstats`` parser."""
    cmd = add_command(
        subparsers, "project", "批量趋势预测：一个省或全国各县的全部序列（Dask 集群或本机），输出 CSV",
        details="读入长表 CSV（每行一个观测：序列键、year、value、lower、upper，可选 per、numerator、"
        "denominator），按第一个键（地区）分组在 Dask 上调用批量预测，结果与一次批量预测逐字节相同",
        exits={0: "完成", 2: "输入或集群有误（有地区出错时逐组列出，不输出结果）"},
    )
    cmd.add_argument("--input", required=True, help="观测长表（UTF-8 CSV）")
    cmd.add_argument("--keys", default="region_code,target_id",
                     help="标识一条序列的列，逗号分隔，第一列为地区（默认 region_code,target_id）")
    cmd.add_argument("--years", required=True, help="预测到的年份，如 2030；多个用逗号分隔")
    cmd.add_argument("-o", "--out", help="结果 CSV 文件，默认输出到屏幕（标准输出）")
    cmd.add_argument("--closed-form", action="store_true",
                     help="只用闭式候选模型（线性、对数线性、logit），不拟合阻尼趋势模型；快得多，但不是默认规则")
    cmd.add_argument("--jobs", type=int, default=None,
                     help="本机 Dask 集群的 worker 进程数；默认在序列数达到 25000 条时等于处理器核数，"
                     "更少时在本进程中一次算完（这时启动集群反而更慢）；1 表示在本进程中算完，不启动 Dask")
    cmd.add_argument("--scheduler",
                     help="已有 Dask 集群的调度器地址，如 tcp://127.0.0.1:8786；不指定则在本机启动集群")
    cmd.add_argument("--no-progress", action="store_true", help="不显示进度条")
    cmd.set_defaults(func=_project)


def _project(args: argparse.Namespace) -> int:
    import pandas as pd

    from womenstats._io import atomic_path
    from womenstats.cli.output import csv_text
    from womenstats.errors import InputError
    from womenstats.trend.distributed import project_regions

    keys = [k.strip() for k in args.keys.split(",") if k.strip()]
    try:
        years = [int(y) for y in args.years.split(",") if y.strip()]
    except ValueError:
        raise InputError(f"--years {args.years!r} 不是年份：请写成 2030 或 2025,2030。") from None
    if not keys or not years:
        raise InputError("--keys 和 --years 不能为空：如 --keys region_code,target_id --years 2030。")
    obs = pd.read_csv(args.input, dtype=dict.fromkeys(keys, str), encoding="utf-8")
    missing = [c for c in (*keys, "year", "value", "lower", "upper") if c not in obs.columns]
    if missing:
        raise InputError(f"--input {args.input} 缺少列 {', '.join(missing)}：请按 --keys 和 year、value、"
                         "lower、upper 列准备长表（无界的一侧留空）。")
    frame = project_regions(obs, years, keys=keys, scheduler=args.scheduler, workers=args.jobs,
                            damped=not args.closed_form, progress=not args.no_progress)
    text = csv_text(frame)
    if args.out:
        with atomic_path(args.out) as tmp:
            tmp.write_text(text, encoding="utf-8", newline="")
        print(f"已写出 {args.out}：{frame.drop_duplicates(keys).shape[0]} 条序列，{len(frame)} 行。",
              file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
