"""argparse in Chinese: usage, sections, help and version lines, errors, and one placeholder style.

argparse writes its own words in English through :func:`gettext.gettext` (``usage:``, ``options:``,
``the following arguments are required``, ``invalid int value``). :class:`ChineseParser` and
:class:`ChineseFormatter` put Chinese in their place without touching argparse's module state (other
parsers in the same process, a user's in a notebook, keep theirs): section titles and the help and
version lines are set on the parser, the usage prefix by the formatter, and an error message is
translated by :func:`translate`, which knows every message argparse raises while parsing.

Placeholders follow one style: a Chinese noun (规划, 年份, 文件), taken from :data:`METAVARS` by the
option's destination when a command does not give its own; enumerated options list their choices.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from typing import NoReturn

#: Option destination -> its placeholder (a Chinese noun: one style everywhere).
METAVARS: dict[str, str] = {
    "plan": "规划", "plan_id": "规划", "year": "年份", "years": "年份", "region": "地区代码",
    "store": "数据库", "out": "文件", "encoding": "编码", "expect_sha256": "哈希值", "area": "领域",
    "baselines": "文件", "input": "文件", "keys": "列名", "jobs": "个数", "scheduler": "地址",
    "department": "单位", "narrative": "文件", "files": "文件", "file": "文件", "target_id": "目标编号",
    "notebook": "笔记本",
}

#: argparse's type names in messages.
TYPE_NAMES: dict[str, str] = {"int": "整数", "float": "数"}

#: argparse's messages (Python 3.11) and their Chinese; applied in order, each to the whole message.
MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.S), r) for p, r in (
    (r"^the following arguments are required: (.*)$", r"缺少必需的参数：\1"),
    (r"^one of the arguments (.*) is required$", r"以下参数须给出其中一个：\1"),
    (r"^unrecognized arguments: (.*)$", r"无法识别的参数：\1"),
    (r"^ambiguous option: (\S+) could match (.*)$", r"选项 \1 有歧义，可能是：\2"),
    (r"^argument (.*?): (.*)$", r"参数 \1：\2"),
    (r"invalid choice: (.*) \(choose from (.*)\)$", r"无效的取值 \1（可选：\2）"),
    (r"invalid (\w+) value: (.*)$", r"\2 不是有效的\1"),
    (r"not allowed with argument (.*)$", r"不能与参数 \1 同时使用"),
    (r"ignored explicit argument (.*)$", r"不接受值 \1"),
    (r"expected one argument$", "需要一个值"),
    (r"expected at most one argument$", "至多需要一个值"),
    (r"expected at least one argument$", "至少需要一个值"),
    (r"expected (\d+) arguments?$", r"需要 \1 个值"),
))


def translate(message: str) -> str:
    """Return argparse's English message in Chinese (unknown messages unchanged).

    Parameters
    ----------
    message : str
        What argparse passed to :meth:`argparse.ArgumentParser.error`.

    Returns
    -------
    str

    Examples
    --------
    >>> translate("argument --year: invalid int value: 'abc'")
    "参数 --year：'abc' 不是有效的整数"
    """
    for pattern, chinese in MESSAGES:
        message = pattern.sub(chinese, message)
    for english, chinese in TYPE_NAMES.items():
        message = message.replace(f"不是有效的{english}", f"不是有效的{chinese}")
    return message


#: Section titles of a help page (argparse ends them with an ASCII colon; here a full-width one).
SECTION_TITLES = ("位置参数", "选项")


def display_width(text: str) -> int:
    """Return the columns a text takes on a terminal: 2 for a wide (CJK) character, 1 otherwise.

    Per Unicode Standard Annex #11 (East Asian Width): ``W`` and ``F`` characters are wide.
    """
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


#: Characters a line may not start with (closing punctuation) or end with (opening), as Chinese
#: typesetting has it (禁则, GB/T 15834 and W3C clreq).
NO_LINE_START = frozenset("，。、；：！？）》」』”’】〕…—·%‰")
NO_LINE_END = frozenset("（《「『“‘【〔")


def wrap(text: str, width: int) -> list[str]:
    """Wrap text to ``width`` terminal columns: Chinese may break between any two characters, ASCII words not.

    A closing mark (``）``, ``，``, ``。`` …) never starts a line and an opening one (``（``) never ends
    one: the character before it goes down with it.

    Parameters
    ----------
    text : str
        One paragraph (runs of white space count as one space).
    width : int
        Columns (:func:`display_width`).

    Returns
    -------
    list of str
        The lines, without trailing spaces; a word wider than ``width`` has a line of its own.
    """
    lines: list[list[str]] = [[]]
    for token in re.findall(r"\s+|[!-~]+|.", " ".join(text.split())):
        line = lines[-1]
        if token.isspace():
            if line:
                line.append(" ")
            continue
        if "".join(line).strip() and display_width("".join(line)) + display_width(token) > width:
            while line[-1] == " ":
                line.pop()
            head, carried = token, []
            while len(line) > 1 and (head in NO_LINE_START or line[-1] in NO_LINE_END):
                head = line.pop()
                carried.insert(0, head)
            lines.append(carried)
        lines[-1].append(token)
    return [text.rstrip() for text in ("".join(line) for line in lines) if text.strip()]


class ChineseFormatter(argparse.HelpFormatter):
    """A help formatter in Chinese: 用法：, full-width section colons, columns measured in display width.

    argparse measures and wraps by ``len``; a Chinese character takes two columns on a terminal, so
    the option column and the wrapped help are laid out here by :func:`display_width` instead.
    """

    def add_usage(self, usage, actions, groups, prefix=None):
        """Add the usage line with the Chinese prefix (see :meth:`argparse.HelpFormatter.add_usage`)."""
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def add_argument(self, action):
        """Add an option, measuring its invocation in display columns."""
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            invocations = [self._format_action_invocation(action)]
            subactions = self._iter_indented_subactions(action)
            invocations += [self._format_action_invocation(sub) for sub in subactions]
            width = max(map(display_width, invocations)) + self._current_indent
            self._action_max_length = max(self._action_max_length, width)

    def _format_action(self, action):
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 11)
        action_width = help_position - self._current_indent - 2
        header = " " * self._current_indent + self._format_action_invocation(action)
        indent_first = help_position
        if action.help and display_width(header) - self._current_indent <= action_width:
            parts = [header + " " * (help_position - display_width(header))]
            indent_first = 0
        else:
            parts = [header + "\n"]
        lines = self._split_lines(self._expand_help(action), help_width) if action.help else []
        if lines:
            parts.append(" " * indent_first + lines[0] + "\n")
            parts.extend(" " * help_position + line + "\n" for line in lines[1:])
        elif not parts[0].endswith("\n"):
            parts.append("\n")
        parts.extend(self._format_action(sub) for sub in self._iter_indented_subactions(action))
        return self._join_parts(parts)

    def _split_lines(self, text, width):
        return wrap(text, width)

    def _fill_text(self, text, width, indent):
        return "\n".join(indent + line for line in wrap(text, max(width - len(indent), 11)))

    def format_help(self):
        """Return the help with full-width colons after the section titles."""
        text = super().format_help()
        for title in SECTION_TITLES:
            text = re.sub(rf"^(\s*){title}:$", rf"\1{title}：", text, flags=re.M)
        return text


class ChineseParser(argparse.ArgumentParser):
    """An argument parser that writes its scaffolding and its errors in Chinese.

    Parameters
    ----------
    *args, **kwargs
        As :class:`argparse.ArgumentParser`; ``formatter_class`` defaults to :class:`ChineseFormatter`.
        Sub-parsers made by :meth:`add_subparsers` are of this class too.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", ChineseFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = "显示本帮助并退出"

    def error(self, message: str) -> NoReturn:
        """Print the usage and the Chinese message to stderr and exit with 2.

        Parameters
        ----------
        message : str
            argparse's message (translated by :func:`translate`).
        """
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{translate(message)}\n")


def _takes_value(action: argparse.Action) -> bool:
    return action.nargs != 0 and not isinstance(action, argparse._SubParsersAction | argparse._HelpAction
                                                | argparse._VersionAction)


def finish(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Give every option its placeholder and every sub-command a description, throughout the tree.

    An option that takes a value and has neither ``metavar`` nor ``choices`` gets
    ``METAVARS[dest]``; a sub-command without a description gets its help line as one.

    Parameters
    ----------
    parser : argparse.ArgumentParser
        The top-level parser, with every command registered.

    Returns
    -------
    argparse.ArgumentParser
        The same parser.

    Raises
    ------
    KeyError
        For an option whose destination has no placeholder in :data:`METAVARS` (a new option must
        get one: the command line keeps one style).
    """
    for action in parser._actions:
        if _takes_value(action) and action.metavar is None and action.choices is None:
            action.metavar = METAVARS[action.dest]
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                if sub.description is None:
                    sub.description = helps.get(name)
                finish(sub)
    return parser
