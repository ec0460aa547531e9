"""What several commands share, declared once: the command's help and exit codes, the store, the format."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

#: What ``--store`` means wherever a command reads the observation store.
STORE_HELP = "数据库文件，默认 data/processed/womenstats.sqlite"


def add_command(
    subparsers: argparse._SubParsersAction,
    name: str,
    summary: str,
    *,
    exits: Mapping[int, str],
    details: str = "",
) -> argparse.ArgumentParser:
    """Add a command: its line in the command list, and its help ending with its exit codes.

    Parameters
    ----------
    subparsers : argparse._SubParsersAction
        The group the command belongs to.
    name : str
        The command's name (``assess``).
    summary : str
        The command's line in its group's list; also its description when ``details`` is empty.
    exits : mapping of int to str
        What each exit code means (``{0: "完成", 2: "参数错误"}``); written in code order after the
        description, one way for every command: ``退出码：0 完成；2 参数错误。``
    details : str, optional
        The description of ``womenstats <name> -h``.

    Returns
    -------
    argparse.ArgumentParser
        The command's parser, to add its options to.
    """
    text = (details or summary).rstrip("。")
    codes = "；".join(f"{code} {exits[code]}" for code in sorted(exits))
    return subparsers.add_parser(name, help=summary, description=f"{text}。退出码：{codes}。")


def add_store(cmd: argparse.ArgumentParser, purpose: str = "") -> None:
    """Add ``--store`` (the observation store), ``purpose`` saying what the command reads it for."""
    text = STORE_HELP.replace("，", f"（{purpose}），", 1) if purpose else STORE_HELP
    cmd.add_argument("--store", help=text)


def add_format(cmd: argparse.ArgumentParser, default: str = "csv") -> None:
    """Add ``--format csv|table``: CSV (UTF-8) for machines, an aligned text table for reading."""
    other = "table" if default == "csv" else "csv"
    cmd.add_argument("--format", default=default, choices=("csv", "table"),
                     help=f"输出格式：{default}（默认）或 {other}；"
                          "csv 为 UTF-8 的逗号分隔文本，table 为对齐的文本表格")


__all__ = ["STORE_HELP", "add_command", "add_format", "add_store"]
