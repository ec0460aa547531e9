"""Reading a plan's text into areas, sections, numbered items, sentences and clauses.

Part of :mod:`womenstats.catalog.extract` (internal): headings (``（一）妇女与健康``, ``主要目标``,
``重点工程``), item numbers in their forms, and the cut of an item into sentences and clauses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

# Area headings: the word after 妇女与/妇女参与 decides the area.
_AREA_WORDS: tuple[tuple[str, str], ...] = (
    ("健康", "health"),
    ("教育", "education"),
    ("经济", "economy"),
    ("决策", "decision"),
    ("社会保障", "social_security"),
    ("家庭", "family"),
    ("环境", "environment"),
    ("法", "law"),
)


_AREA_HEADING = re.compile(
    r"^(?:[（(][一二三四五六七八][）)]|[一二三四五六七八]、)\s*妇女(?:与|参与)(.{1,8}?)(?:$|[:：]|主要目标|[（(\d])"
)


# An area heading without 妇女与: "（一）健康领域", "二、教育" (a short heading line, or one
# followed by its 主要目标).
_BARE_AREA_HEADING = re.compile(
    r"^(?:[（(][一二三四五六七八][）)]|[一二三四五六七八]、)\s*"
    r"(健康|教育|经济|参与决策和管理|决策和管理|社会保障|家庭建设|家庭|环境|法治|法律)(?:领域)?"
    r"(?=$|[:：]|主要目标|\d)"
)


_CHAPTER = re.compile(r"^[一二三四五六七八九十]、(.*)")


#: Section headings as plans word them, and the section each stands for.
SECTION_WORDS: dict[str, str] = {
    "主要目标": "主要目标", "发展目标": "主要目标", "目标任务": "主要目标", "工作目标": "主要目标",
    "具体目标": "主要目标", "策略措施": "策略措施", "工作措施": "策略措施", "主要措施": "策略措施",
    "推进措施": "策略措施", "策略与措施": "策略措施",
}
_SECTION_WORD = "|".join(sorted(SECTION_WORDS, key=len, reverse=True))
# A section heading: "主要目标：", "1.主要目标", "【策略措施】"; a synonym only with its colon or
# brackets, or alone on its line ("发展目标" inside a sentence is no heading).
_SECTION = re.compile(
    r"^(?:\d{1,2}[.、]|[（(][一二三四五六七八九十\d]{1,2}[）)])?\s*[【\[]?"
    rf"(主要目标|策略措施|(?:{_SECTION_WORD})(?=[】\]]|\s*[:：]|$))[】\]]?\s*[:：]?"
)


# Item numbers, each form with its reading; "3.35-64岁…" is item 3 about ages 35-64, "3.5%" a value
# (a decimal age or year never opens a sentence; the numbering must also run on, see _items).
_NOT_A_VALUE = r"(?!\d+(?:\.\d+)?\s*(?:%|‰|:|/|\.))"


_ITEM_FORMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dot", re.compile(r"^(\d{1,2})[.、]" + _NOT_A_VALUE)),
    ("paren", re.compile(r"^[（(](\d{1,2})[）)]")),
    ("circled", re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")),
    ("chinese", re.compile(r"^[（(]([一二三四五六七八九十]{1,2})[）)]")),
    # a bullet ("--", "·", "•") numbers nothing: each one is the next item
    ("bullet", re.compile(r"^(?:--|—{1,2}|[·•●▪])\s*()")),
)


_CHINESE_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)} | {
    c: i for i, c in enumerate("①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳", start=1)
}


_PROJECT_CHAPTER = ("重点工程", "重点项目")


#: The section of text under a 发展现状/发展基础/主要成就 heading: read for baselines, not targets.
BASELINE_SECTION = "发展现状"


# Headings of a section that reports where a plan starts from.
_BASELINE_TITLE = re.compile(r"发展现状|发展基础|主要成就|发展成就|取得的成就|基本情况|现状")


# A sub-heading of a chapter, "（一）发展现状" or "（二）面临的形势。…": its title.
_SUB_HEADING = re.compile(r"^[（(][一二三四五六七八九十]{1,2}[）)]([^。：:；;，,]{1,20})(?:[。：:]|$)")


# 重点工程 items name no area: the words of the project's name decide when its numbers name no
# registry indicator.
_PROJECT_AREAS: tuple[tuple[str, str], ...] = (
    ("健康", "health"),
    ("教育", "education"),
    ("就业", "economy"),
    ("乡村振兴", "economy"),
    ("科技", "economy"),
    ("家政", "economy"),
    ("决策", "decision"),
    ("保障", "social_security"),
    ("家庭", "family"),
    ("家风", "family"),
    ("母婴", "environment"),
    ("环境", "environment"),
    ("法", "law"),
    ("维权", "law"),
)


_SENTENCE_END = re.compile(r"(?<=[。；;！？])")


_CLAUSE_MARK = re.compile(r"[，,；;：:]")


def _clause_before(sentence: str, start: int) -> str:
    """Return the text from the last clause mark before ``start`` up to ``start``."""
    before = sentence[:start]
    cut = max((b.end() for b in _CLAUSE_MARK.finditer(before)), default=0)
    return before[cut:]


def _clause_after(sentence: str, end: int) -> str:
    """Return the text from ``end`` up to the next clause mark."""
    after = sentence[end:]
    cut = _CLAUSE_MARK.search(after)
    return after[: cut.start()] if cut else after


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip("。；; ")]


def _clauses(sentence: str) -> list[tuple[int, int]]:
    """Return the (start, end) of each clause of a sentence (cut at ，,；;：:)."""
    cuts = [0, *(m.end() for m in _CLAUSE_MARK.finditer(sentence)), len(sentence) + 1]
    return [(a, b) for a, b in pairwise(cuts) if sentence[a:b].strip("，,；;：:。 ")]


# The words an area heading ends with ("（四）妇女参与决策和管理截至2022年底…" ends at 管理).
_AREA_NAMES = ("决策和管理", "社会保障", "家庭建设", "健康", "教育", "经济", "家庭", "环境", "法治", "法律")


def _heading_end(heading: re.Match[str]) -> int:
    """Return where an area heading's words end in its line (a heading may run into its text)."""
    word = heading.group(1)
    for name in _AREA_NAMES:
        if word.startswith(name):
            return heading.start(1) + len(name)
    return heading.end(1)


def _area_of(heading_word: str) -> str | None:
    for word, area in _AREA_WORDS:
        if heading_word.startswith(word) or word in heading_word:
            return area
    return None


def _project_area(body: str) -> str:
    """Return the area of a 重点工程 item from the words of its name (text before the first 。)."""
    name = body.split("。", 1)[0]
    for word, area in _PROJECT_AREAS:
        if word in name:
            return area
    return ""


def _chinese_number(text: str) -> int:
    """Return the value of an item number: ``3``, ``③``, ``三``, ``十二``."""
    if text.isascii() and text.isdigit():
        return int(text)
    if len(text) == 2:  # 十一…十九; 二十 does not number items
        return 10 + _CHINESE_NUMERALS.get(text[1], 0) if text[0] == "十" else 0
    return _CHINESE_NUMERALS.get(text, 0)


def _item_start(line: str, section: str, style: str | None, number: int = 0) -> tuple[str, int, str] | None:
    """Return ``(form, number, rest)`` when ``line`` starts an item of the section.

    The first item of a section fixes the form of its numbers (``1.``, ``（1）``, ``①``, or
    ``（一）`` in a 重点工程 chapter, or a bullet ``--`` that numbers the item after ``number``),
    so that sub-items in another form stay inside their item.
    """
    forms = _ITEM_FORMS if section == "重点工程" else (*_ITEM_FORMS[:3], _ITEM_FORMS[4])
    for form, pattern in forms:
        if style is not None and form != style:
            continue
        m = pattern.match(line)
        if m:
            return form, (number + 1 if form == "bullet" else _chinese_number(m.group(1))), line[m.end() :]
    return None


@dataclass
class _Cursor:
    """Where the reader of :func:`_items` is: area, section, item, and the item's text so far."""

    area: str | None = None
    section: str | None = None
    item: str | None = None
    number: int = 0
    style: str | None = None
    buffer: list[str] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    baseline: str | None = None  # under a 发展现状 heading: "chapter" (一、…) or "sub" (（一）…)

    def flush(self) -> Iterator[tuple[str, str, str, str]]:
        """Yield the item read so far (or, for a section without numbered items, its text).

        Text read under no section heading is yielded too, with section ``""`` (and the area of
        the heading above it, if any), so that a target outside the usual headings is not lost;
        under a 发展现状-type heading its section is :data:`BASELINE_SECTION`.
        """
        if self.outside:
            yield self.area or "", BASELINE_SECTION if self.baseline else "", "", "\n".join(self.outside)
            self.outside = []
        if self.area is None or not self.section:
            return
        if self.item and self.buffer:
            yield self.area, self.section, self.item, "".join(self.buffer)
        elif not self.item and self.number == 0 and self.preamble and self.section != "重点工程":
            yield self.area, self.section, _item_code(self.section, 1), "".join(self.preamble)

    def enter(self, area: str | None, section: str | None) -> None:
        self.area, self.section = area, section
        self.item, self.number, self.style, self.buffer, self.preamble = None, 0, None, [], []


def _chapter_title(text: str) -> tuple[str, str]:
    """Split a chapter line into its title and the text run on after it (a flattened copy).

    The title ends at the first sentence end, colon or bullet, and is at most 30 characters; a
    longer line without one is all title only when it is short.
    """
    cut = re.search(r"[。：:；;！？]|--|(?<=.{30})", text)
    if cut is None:
        return text, ""
    return text[: cut.start()], text[cut.start() :].lstrip("。：:；;！？")


def _item_code(section: str, number: int) -> str:
    return {"主要目标": f"{number:02d}", "策略措施": f"s{number}"}.get(section, f"p{number}")


def _items(text: str) -> Iterator[tuple[str, str, str, str]]:
    """Yield ``(area, section, item, text)`` for every numbered item of the plan.

    Areas come from their headings (``（一）妇女与健康`` or ``一、妇女与健康``), sections from
    ``主要目标``/``策略措施`` (also ``1.主要目标``, ``【主要目标】``), a ``重点工程`` or
    ``重点项目`` chapter is a section of its own whose ``area`` is empty (the statement's indicator
    or the project's name decides). Items are numbered consecutively in one form (a bullet
    ``--`` numbers the next); a section without numbered items is read as one item. Text under no
    section heading comes as ``(area or "", "", "", text)``, its lines joined by line breaks.
    """
    cur = _Cursor()
    for line in text.split("\n"):
        heading = _AREA_HEADING.match(line)
        if not heading and cur.section != "重点工程":
            heading = _BARE_AREA_HEADING.match(line)
        if heading:
            yield from cur.flush()
            cur.enter(_area_of(heading.group(1)), None)
            line = line[_heading_end(heading) :]
            if not _SECTION.match(line):
                # a heading run into its text ("（一）妇女与健康2022年，全县…"): the text is kept
                line = line.lstrip("：:。 ")
                if not line:
                    continue
        elif _CHAPTER.match(line):
            yield from cur.flush()
            title, rest = _chapter_title(_CHAPTER.match(line).group(1))
            project = any(word in title for word in _PROJECT_CHAPTER)
            cur.enter("" if project else None, "重点工程" if project else None)
            cur.baseline = "chapter" if _BASELINE_TITLE.search(title) else None
            if not rest:
                continue
            line = rest
        section = _SECTION.match(line)
        if section and cur.area is not None:
            yield from cur.flush()
            cur.enter(cur.area, SECTION_WORDS.get(section.group(1), section.group(1)))
            line = line[section.end() :]
            if not line:
                continue
        if not cur.section:
            state = _baseline_after(cur.baseline, line)
            if state != cur.baseline:
                yield from cur.flush()
                cur.baseline = state
            cur.outside.append(line)
            continue
        start = _item_start(line, cur.section, cur.style, cur.number)
        if start and start[1] == cur.number + 1:
            yield from cur.flush()
            cur.style, cur.number = start[0], start[1]
            cur.item, cur.buffer = _item_code(cur.section, start[1]), [start[2]]
        elif cur.item:
            cur.buffer.append(line)
        else:
            cur.preamble.append(line)
    yield from cur.flush()


def _baseline_after(state: str | None, line: str) -> str | None:
    """Return whether a 发展现状 section is open after a line of text outside sections.

    A sub-heading (``（一）发展现状``) opens one; a sub-heading of another title closes only a
    section a sub-heading opened: the sub-headings of a ``一、发展现状`` chapter
    (``（一）妇女健康水平明显提高``) stay inside it.
    """
    sub = _SUB_HEADING.match(line)
    if not sub or state == "chapter":
        return state
    if _BASELINE_TITLE.search(sub.group(1)):
        return "sub"
    return None if state == "sub" else state
