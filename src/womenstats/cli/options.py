"""Options several commands share, declared once: the store, the output format."""

from __future__ import annotations

import argparse

#: What ``--store`` means wherever a command reads the observation store.
STORE_HELP = "数据库文件，默认 data/processed/womenstats.sqlite"


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


__all__ = ["STORE_HELP", "add_format", "add_store"]
