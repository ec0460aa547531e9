"""One command-line language: argparse in Chinese, one placeholder style, descriptions, choices, -o."""

from __future__ import annotations

import argparse
import re

import pytest

from womenstats.cli import build_parser, main
from womenstats.cli.parser import MESSAGES, display_width, translate, wrap

#: English argparse writes when it is left alone.
ENGLISH = ("usage:", "options:", "positional arguments", "show this help", "show program's", "error:",
           "the following arguments", "invalid", "choose from", "expected", "unrecognized", "not allowed")


def _parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


PARSERS = list(_parsers(build_parser()))


def test_every_command_is_covered():
    names = {" ".join(path) for path, _ in PARSERS}
    assert {"assess", "report", "catalog list", "store export", "data build", "project", "rollup"} <= names
    assert len(PARSERS) >= 20


@pytest.mark.parametrize(("path", "parser"), PARSERS, ids=[" ".join(p) or "womenstats" for p, _ in PARSERS])
def test_help_is_chinese_with_one_placeholder_style(path, parser):
    text = parser.format_help()
    assert text.startswith("用法：") and "选项：" in text
    for word in ENGLISH:
        assert word not in text, word
    assert parser.description, f"{' '.join(path)} has no description line"
    for action in parser._actions:
        if action.nargs == 0 or isinstance(action, argparse._SubParsersAction):
            continue
        if action.choices is not None:  # an enumerated option lists its choices
            assert "{" + ",".join(map(str, action.choices)) + "}" in text
            continue
        chinese = re.fullmatch(r"[\u4e00-\u9fff]+", action.metavar or "")
        assert chinese, (action.dest, action.metavar)
        if "--out" in action.option_strings:
            assert "-o" in action.option_strings


def test_the_option_column_is_aligned_in_display_columns():
    text = build_parser()._subparsers._group_actions[0].choices["export"].format_help()
    options = [line for line in text.splitlines() if line.startswith("  -")]
    rows = [re.match(r"^(  -.*?\S)( {2,})(\S.*)$", line) for line in options]
    starts = {display_width(row.group(1) + row.group(2)) for row in rows if row}
    assert len(rows) == 6 and len(starts) == 1


@pytest.mark.parametrize(("argv", "expected"), [
    (["assess"], "womenstats assess：错误：缺少必需的参数：--plan, --year"),
    (["assess", "--plan", "kaiping", "--year", "abc"], "参数 --year：'abc' 不是有效的整数"),
    (["assess", "--plan", "kaiping", "--year", "2025", "--method", "x"],
     "参数 --method：无效的取值 'x'（可选：'ours', 'open-sdg', 'escap'）"),
    (["assess", "--plan", "kaiping", "--year", "2025", "--wrong"], "无法识别的参数：--wrong"),
    (["assess", "--plan"], "参数 --plan：需要一个值"),
    (["export", "--plan", "kaiping", "--region", "440703", "--year", "2024", "-o", "x.zip"],
     "参数 --region：不能与参数 --plan 同时使用"),
    (["export", "--year", "2024", "-o", "x.zip"], "以下参数须给出其中一个：--plan --region"),
    (["nothing"], "参数 命令：无效的取值 'nothing'"),
])
def test_errors_are_chinese(capsys, argv, expected):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    err = capsys.readouterr().err
    assert stop.value.code == 2 and expected in err and err.startswith("用法：")
    for word in ENGLISH:
        assert word not in err, word


def test_every_argparse_message_has_its_chinese():
    english = ["the following arguments are required: --a", "one of the arguments --a --b is required",
               "unrecognized arguments: x", "ambiguous option: --p could match --plan, --plan-id",
               "argument --a: invalid float value: 'x'",
               "argument --a: invalid choice: 'x' (choose from 'a', 'b')",
               "argument --a: not allowed with argument --b", "argument --a: ignored explicit argument 'x'",
               "argument --a: expected one argument", "argument --a: expected at most one argument",
               "argument --a: expected at least one argument", "argument --a: expected 2 arguments"]
    assert len(english) >= len(MESSAGES) - 1
    for message in english:
        chinese = translate(message)
        left = re.search(r"\b(argument|invalid|expected|choose|required|allowed|unrecognized)\b", chinese)
        assert not left, chinese
    assert translate("argument --a: invalid float value: 'x'") == "参数 --a：'x' 不是有效的数"


def test_wrap_counts_chinese_as_two_columns_and_keeps_words_whole():
    lines = wrap("报告类型：annual 年度监测，midterm 中期评估，final 终期评估", 20)
    assert all(display_width(line) <= 20 for line in lines)
    assert all(word in "\n".join(lines) for word in ("annual", "midterm", "final"))


def test_wrap_never_starts_a_line_with_closing_punctuation_nor_ends_one_with_an_opening_bracket():
    from womenstats.cli.parser import NO_LINE_END, NO_LINE_START

    text = ("核对报告的代码是项目自己的笔记本，按记录的参数重新执行，逐一核对 .ipynb、.html、.docx、.xlsx。"
            "退出码：0 重新生成的四个文件与报告完全一致；1 有不同（逐处列出）；2 无法执行")
    for width in range(12, 60):
        lines = wrap(text, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", ""), width  # nothing lost
        assert all(display_width(line) <= width for line in lines), width
        assert not [line for line in lines[1:] if line[0] in NO_LINE_START], (width, lines)
        assert not [line for line in lines[:-1] if line[-1] in NO_LINE_END], (width, lines)
    # at 20 columns “（逐处列出）” would leave “）；” at the head of a line: “出” goes down with it
    assert wrap(text, 20)[-2:] == ["1 有不同（逐处列", "出）；2 无法执行"]


LEAVES = [(path, parser) for path, parser in PARSERS if parser.get_default("func")]


@pytest.mark.parametrize(("path", "parser"), LEAVES, ids=[" ".join(p) for p, _ in LEAVES])
def test_every_command_says_what_its_exit_codes_mean(path, parser):
    # One form for all: “…。退出码：0 完成；2 参数错误。”, codes in order, 0 first.
    codes = re.search(r"。退出码：(.+)。$", parser.description)
    assert codes, parser.description
    numbers = [int(part.split(" ", 1)[0]) for part in codes.group(1).split("；")]
    assert numbers[0] == 0 and numbers == sorted(set(numbers)) and set(numbers) <= {0, 1, 2}


def test_version_still_works(capsys):
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("womenstats ")
