"""Commands of the intake: ``template``, ``validate``, ``ingest``, ``store export``, ``data build``."""

from __future__ import annotations

import argparse
import sys

from womenstats import paths
from womenstats.cli.options import add_command, add_store

#: The most problems of a refused package printed (the first carries what to do).
SHOWN_PROBLEMS = 20


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the intake commands to the ``womenstats`` parser."""
    cmd = add_command(
        subparsers, "template", "生成某规划某年度的监测数据报送表（Excel）",
        details="按目标目录生成监测数据报送表（填报说明页、每个报送单位一页，输入单元格带数据验证）",
        exits={0: "已生成", 2: "参数错误"},
    )
    cmd.add_argument("--plan", required=True, help="规划代码，如 kaiping")
    cmd.add_argument("--year", required=True, type=int, help="报告年份，如 2024")
    cmd.add_argument("-o", "--out", required=True, help="输出的 .xlsx 文件")
    cmd.set_defaults(func=_template)

    cmd = add_command(
        subparsers, "validate", "校验报送文件（.xlsx 报送表或长表，.csv 长表），逐条列出错误和警告",
        details="逐个文件读入并校验，每条问题注明文件、工作表、单元格或行和处理办法；不写入数据库",
        exits={0: "没有错误", 1: "有错误", 2: "有文件无法读取或参数错误"},
    )
    cmd.add_argument("files", nargs="+", metavar="文件", help="要校验的文件")
    cmd.add_argument("--plan", help="规划代码：指定后核对地区代码和年份是否属于该规划")
    add_store(cmd, "用于对照历史序列")
    cmd.add_argument("--show-normalisation", action="store_true", help="同时列出对单元格所做的规范化处理")
    cmd.add_argument("--encoding", help="CSV 文件的编码（如 utf-8、gbk、gb18030、big5）；不指定则自动识别")
    cmd.set_defaults(func=_validate)

    cmd = add_command(
        subparsers, "ingest", "校验并导入报送文件或下级的数据包（.zip）；任一文件有错误则全部不导入",
        details="校验后在一个事务中导入全部文件，保留来源和修订记录；任一文件有错误则全部不导入，数据库不变",
        exits={0: "已导入", 1: "有错误，未导入", 2: "参数错误或无法执行"},
    )
    cmd.add_argument("files", nargs="+", metavar="文件",
                     help="要导入的文件（报送表、长表，或 womenstats export 的数据包）")
    cmd.add_argument("--region",
                     help="本级地区代码（导入数据包时必填：数据包及其每一行的地区须为其下级），如 440700")
    add_store(cmd)
    cmd.add_argument("--plan", help="规划代码：指定后核对地区代码和年份")
    cmd.add_argument("--revise", action="store_true", help="允许用新值更正库中已有的值（旧值存入修订记录）")
    cmd.add_argument("--encoding", help="CSV 文件的编码（如 utf-8、gbk、gb18030、big5）；不指定则自动识别")
    cmd.add_argument("--expect-sha256", action="append",
                     help="报送函中写明的数据包 SHA-256（每个数据包一个，按顺序）：不符则拒收")
    cmd.set_defaults(func=_ingest)

    cmd = add_command(
        subparsers, "export", "把本地区截至某年的数据导出为数据包（Frictionless，.zip），报送上级",
        details="导出本地区截至某年的观测值、修订记录和表结构（Frictionless 数据包，每个文件附 SHA-256），"
        "并打印数据包本身的 SHA-256，供写入报送函",
        exits={0: "已导出", 2: "参数错误"},
    )
    who = cmd.add_mutually_exclusive_group(required=True)
    who.add_argument("--plan", help="规划代码，如 kaiping（导出该规划所属地区的数据）")
    who.add_argument("--region", help="地区代码（没有规划的县级单位，如 440703），与 --plan 二选一")
    cmd.add_argument("--year", required=True, type=int, help="导出该年及以前的数据")
    cmd.add_argument("-o", "--out", required=True, help="输出的 .zip 数据包")
    add_store(cmd)
    cmd.set_defaults(func=_export_package)

    store = subparsers.add_parser("store", help="数据库操作")
    store_sub = store.add_subparsers(dest="store_command", metavar="操作")
    cmd = add_command(store_sub, "export", "把当前数据导出为整洁的 CSV（按键排序）",
                      exits={0: "已导出", 2: "找不到数据库或无法写入"})
    add_store(cmd)
    cmd.add_argument("-o", "--out", help="输出 CSV 文件；不指定则输出到屏幕")
    cmd.set_defaults(func=_export)

    data = subparsers.add_parser("data", help="内置数据")
    data_sub = data.add_subparsers(dest="data_command", metavar="操作")
    cmd = add_command(data_sub, "build", "由 data/raw 中的全国数据和模拟数据重建数据库",
                      exits={0: "已重建", 2: "原始数据有误或无法写入（数据库不变）"})
    add_store(cmd)
    cmd.set_defaults(func=_build)
    cmd = add_command(data_sub, "demo", "按书面假设（固定种子）重新生成 data/raw/demo 的模拟数据",
                      exits={0: "已生成", 2: "无法写入"})
    cmd.add_argument("-o", "--out", metavar="目录", help="输出目录，默认 data/raw/demo")
    cmd.set_defaults(func=_demo)


def _store_path(args: argparse.Namespace):
    return args.store if args.store else paths.default_store()


def _encoding(args: argparse.Namespace) -> str | None:
    """Return the ``--encoding`` given, checked; InputError (exit 2) for a name Python does not know."""
    from womenstats.errors import InputError
    from womenstats.intake.encodings import known_encoding

    if not args.encoding:
        return None
    name = known_encoding(args.encoding)
    if name is None:
        raise InputError(
            f"不认识的编码“{args.encoding}”：请写 utf-8、gbk、gb18030、big5 或 utf-16 等。", code="E_ARGUMENT"
        )
    return name


def _template(args: argparse.Namespace) -> int:
    from womenstats.intake.template import write_template

    out = write_template(args.plan, args.year, args.out)
    print(f"已生成报送表：{args.out}（规划 {args.plan}，{args.year} 年）")
    return 0 if out else 2


def _print_problems(problems) -> None:
    for item in problems:
        print(item)


def _validate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from womenstats.intake.store import Store
    from womenstats.intake.validate import validate_file

    store_path = Path(_store_path(args))
    encoding = _encoding(args)
    history = Store(store_path).observations() if store_path.exists() else None
    code = 0
    for name in args.files:
        result = validate_file(name, label=name, plan=args.plan, history=history, encoding=encoding)
        _print_problems(result.problems)
        if args.show_normalisation:
            for note in result.normalisations:
                where = ":".join(str(p) for p in (name, note["sheet"], note["cell"]) if p)
                print(f"{where}: 规范化: “{note['original']}” → {note['result']}（{note['steps']}）")
        if result.unreadable:
            code = 2
        elif result.errors and code == 0:
            code = 1
        if not result.problems:
            print(f"{name}: 通过校验（{len(result.rows)} 个数值）", file=sys.stderr)
    return code


def _export_package(args: argparse.Namespace) -> int:
    from womenstats import catalog
    from womenstats._io import sha256_file
    from womenstats.catalog import regions
    from womenstats.intake.package import export_package
    from womenstats.intake.store import Store

    if args.plan is not None:
        plan = catalog.plan(args.plan)
        code, name, plan_id = str(plan.region_code), plan.region_name, plan.id
    else:
        code, plan_id = str(args.region), ""
        name = regions.name(code)  # refuses a code not in the region registry
    out = export_package(Store(_store_path(args)), code, args.year, args.out, plan=plan_id)
    print(f"已导出数据包：{out}（{name} {code}，截至 {args.year} 年）", file=sys.stderr)
    print(f"SHA-256：{sha256_file(out)}（请写入报送函，上级导入时用 --expect-sha256 核对）", file=sys.stderr)
    return 0


def _ingest_packages(args: argparse.Namespace) -> int:
    from womenstats.errors import InputError
    from womenstats.intake.package import ingest_packages
    from womenstats.intake.store import Store

    if not all(name.lower().endswith(".zip") for name in args.files):
        raise InputError("数据包（.zip）与报送表不能在一次导入中混合：请分两次导入。", code="E_ARGUMENT")
    if not args.region:
        raise InputError("导入数据包须用 --region 指明本级地区代码（如 --region 440700）："
                         "数据包及其每一行的地区都须是本级的下级。", code="E_ARGUMENT")
    store = Store(_store_path(args))
    try:
        results = ingest_packages(args.files, store, revise=args.revise, region=args.region,
                                  expect_sha256=args.expect_sha256)
    except InputError as exc:
        if exc.code in {"E_ARGUMENT", "E_UNKNOWN_REGION"}:
            raise
        print(exc)
        for item in getattr(exc, "problems", [])[1:SHOWN_PROBLEMS]:
            print(item)
        print("数据包未导入，数据库保持原样。", file=sys.stderr)
        return 1
    for result in results:
        s = result.summary
        counts = f"新增 {s.n_new}，未变 {s.n_unchanged}，修订 {s.n_revised}"
        state = "此前已导入，无变化" if s.already else counts
        print(f"{s.name}: 地区 {result.region_code} 截至 {result.year} 年的数据包已导入（{state}）",
              file=sys.stderr)
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from womenstats.intake.ingest import ingest_files

    if any(name.lower().endswith(".zip") for name in args.files):
        return _ingest_packages(args)
    if args.expect_sha256:
        from womenstats.errors import InputError

        raise InputError("--expect-sha256 只用于导入数据包（.zip）。", code="E_ARGUMENT")

    result = ingest_files(
        args.files, store=_store_path(args), revise=args.revise, plan=args.plan, encoding=_encoding(args)
    )
    _print_problems(result.problems)
    if result.loaded:
        for s in result.summaries:
            if not s.already:
                print(
                    f"{s.name}: 已导入（新增 {s.n_new}，未变 {s.n_unchanged}，修订 {s.n_revised}）",
                    file=sys.stderr,
                )
    else:
        print("有错误，全部文件均未导入，数据库保持原样。", file=sys.stderr)
    return result.exit_code


def _export(args: argparse.Namespace) -> int:
    from womenstats.intake.store import Store, export_csv

    store = Store(_store_path(args))
    if args.out:
        n = export_csv(store, args.out)
        print(f"已导出 {n} 行到 {args.out}", file=sys.stderr)
        return 0
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "export.csv"
        export_csv(store, out)
        sys.stdout.write(out.read_text(encoding="utf-8"))
    return 0


def _build(args: argparse.Namespace) -> int:
    from womenstats.intake.build import build_store

    report = build_store(_store_path(args))
    print(report, file=sys.stderr)
    return 0


def _demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from womenstats.demo import generate

    written = generate(Path(args.out) if args.out else None)
    print(f"已生成 {len(written)} 个模拟报送文件（模拟数据）", file=sys.stderr)
    return 0
