"""The ``womenstats`` command: a thin layer that parses arguments and calls the modules.

Each command group lives in its own file in this package and exposes ``register(subparsers)``, which
adds its sub-commands and sets ``func`` on each; ``func(args)`` returns the exit code. The parser
speaks Chinese throughout (:mod:`womenstats.cli.parser`): usage, sections, errors, one placeholder
style, a description on every sub-command, ``-o`` for every ``--out``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from womenstats import __version__
from womenstats.cli.parser import ChineseParser, finish
from womenstats.errors import WomenstatsError

#: Command-group modules under ``womenstats.cli``, in the order their commands are listed in help.
COMMAND_MODULES: tuple[str, ...] = ("catalog", "intake", "assess", "project", "rollup", "backtest", "report")


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every command group registered.

    Returns
    -------
    argparse.ArgumentParser
        The top-level parser of the ``womenstats`` command.
    """
    parser = ChineseParser(
        prog="womenstats",
        description="妇女发展规划监测评估工具：目标目录、数据报送与校验、分性别统计、趋势预测、达标评估与报告。",
    )
    parser.add_argument("--version", action="version", version=f"womenstats {__version__}",
                        help="显示版本号并退出")
    subparsers = parser.add_subparsers(dest="command", metavar="命令")
    for name in COMMAND_MODULES:
        importlib.import_module(f"womenstats.cli.{name}").register(subparsers)
    return finish(parser)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when omitted.

    Returns
    -------
    int
        0 on success; 1 when the command found errors in the input; 2 when it could not run.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except WomenstatsError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a path that cannot be read or written: the environment, not the input
        where = exc.filename if exc.filename is not None else ""
        print(f"错误：E_FILE: 无法读写 {where}（{exc.strerror or exc}）；请检查路径、权限和磁盘空间。"
              "本次没有留下写了一半的文件。", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
