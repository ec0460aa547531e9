"""Read a plan's text (.txt in any common encoding, or .docx) and clean it for extraction.

Plan texts reach us as PDF extractions (one long line, stray spaces inside words, page numbers
such as ``- 34 -``), as saved web pages (navigation and footer around the text), as Word files
and as plain text in UTF-8 or GB18030. :func:`read_plan_text` returns the text as written;
:func:`normalise` turns it into one clean string in which every structural marker (area heading,
section heading, numbered item) starts a new line, whatever the line breaks of the source were.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from womenstats.catalog.traditional import simplify
from womenstats.errors import InputError, Location

#: Encodings tried, in order, for a .txt file (UTF-8 with or without BOM, then the Chinese ones).
TEXT_ENCODINGS: tuple[str, ...] = ("utf-8-sig", "gb18030", "big5")

# Full-width ASCII digits/letters and the punctuation that matters inside numbers.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}
_FULL_WIDTH.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})
_FULL_WIDTH.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})
_FULL_WIDTH.update(
    {
        ord("％"): "%",
        ord("﹪"): "%",
        ord("．"): ".",
        ord("／"): "/",
        ord("\u3000"): " ",
        ord("\u00a0"): " ",
        ord("\ufeff"): None,
        ord("\u200b"): None,
    }
)

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
# A page number on its own line or inline between spaces: "- 34 -", "— 5 —", "第 3 页".
_PAGE_NUMBER = re.compile(
    r"(?:(?<=\s)|^)(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?)(?=\s|$)"
)
# A line holding nothing but a number: a page number of a PDF extracted line by line.
_PAGE_LINE = re.compile(r"^\s*\d{1,3}\s*$")
_SPACES = re.compile(r"[ \t\r\f\v]+")
# "（责任单位：卫健局、妇联）" after each area of some plans: not part of any target.
_RESPONSIBLE = re.compile(r"[（(]\s*(?:责任单位|牵头单位)\s*[:：][^）)]*[）)]")
# A number that is a value, not an item number: "3.5%", "1.5:1", "78.1岁".
_VALUE_AHEAD = r"(?!\d+(?:\.\d+)?\s*(?:%|‰|:|/|\.))"
_MARKERS = [
    # area heading (一) 妇女与健康 … (八) 妇女与法治/法律
    r"[（(][一二三四五六七八][）)]\s*妇女(?:与|参与)",
    # chapter heading 三、重点工程 / 四、组织实施 (also 一、妇女与健康): after the end of a sentence
    # or a title, never inside an enumeration (一、二、三产业) or a word (以二、三级医院)
    r"(?:(?<=[。；;！？）)》”\s])|^)[一二三四五六七八九十]、(?![一二三四五六七八九十]、)",
    # section heading, numbered or not: 主要目标： 1.主要目标 （二）策略措施 【主要目标】
    r"(?:\d{1,2}[.、]|[（(][一二三四五六七八九十\d]{1,2}[）)])\s*[【\[]?(?:主要目标|策略措施)(?![的和与及])",
    r"[【\[]?(?:主要目标|策略措施)(?:[】\]]?\s*[:：]|[】\]])",
    r"(?:主要目标|策略措施)(?=\s*(?:\d{1,2}[.、]|[（(]\d{1,2}[）)]|[①-⑳]))",
]
_MARKER = re.compile("|".join(f"(?:{m})" for m in _MARKERS))
# A numbered item "1." "2、" "①" after the end of a sentence (never a value such as "3.5%").
_ITEM_BREAK = re.compile(
    r"(?<=[。：:；;！？）)”」])\s*(?=(?:\d{1,2})[.、]" + _VALUE_AHEAD + r")|(?<=[。；;！？])\s*(?=[①-⑳])"
)
# A bulleted item "--…" (a list flattened onto one line): never a dash between numbers.
_BULLET_BREAK = re.compile(r"(?<![\d\-])\s*(?=--(?!-)\s*[^\d\s\-])")
# A 重点工程 item "（一）…工程" and a sub-item "（1）".
_PAREN_BREAK = re.compile(r"(?<=[。：:；;！？])\s*(?=[（(](?:[一二三四五六七八九十]{1,2}|\d{1,2})[）)])")
# A source line that starts an item, a heading or a section keeps its line break.
_LINE_START = re.compile(
    r"^(?:\d{1,2}[.、]"
    + _VALUE_AHEAD
    + r"|[（(](?:[一二三四五六七八九十]{1,2}|\d{1,2})[）)]|[①-⑳]|[【\[]?(?:主要目标|策略措施))"
)
# A short source line "三、组织实施" is a chapter heading (a long one may be a wrapped "一、二、三产业").
_CHAPTER_LINE = re.compile(r"^[一二三四五六七八九十]、(?![一二三四五六七八九十]、).{1,30}$")
# The first "（一）" right after a chapter title ("三、重点工程（一）妇女健康保护工程。").
_CHAPTER_FIRST = re.compile(r"^([一二三四五六七八九十]、[^\n。（(]{2,24})(?=[（(]一[）)])", re.MULTILINE)
# A colon or ratio sign between two numbers: "1.5：1", "1∶3".
_RATIO_SIGN = re.compile(r"(?<=\d)\s*[:：∶]\s*(?=\d)")


def read_plan_text(path: str | Path) -> str:
    """Return the text of a plan document.

    Parameters
    ----------
    path : str or Path
        A ``.txt`` file (UTF-8, UTF-8 with BOM, GB18030 or Big5) or a ``.docx`` file (paragraphs
        and table cells, in document order).

    Returns
    -------
    str
        The text as written, one paragraph a line.

    Raises
    ------
    InputError
        If the file is missing, of another type, or not decodable; the message names the file.
    """
    path = Path(path)
    where = Location(file=path.name)
    if not path.is_file():
        raise InputError("找不到规划文本文件，请检查路径。", where, "E_NO_FILE")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _read_docx(path, where)
    if suffix not in {".txt", ".text", ".md", ""}:
        raise InputError(
            "只支持 .txt 和 .docx 格式的规划文本；PDF 请先另存为文本或 Word 文件。",
            where,
            "E_FILE_TYPE",
        )
    decoded = _decode(path.read_bytes())
    if decoded is not None:
        return decoded
    raise InputError(
        "无法识别文本编码（已尝试 UTF-8、GB18030、Big5），请另存为 UTF-8 后重试。",
        where,
        "E_ENCODING",
    )


# Characters written alike in both scripts and frequent in any plan: a Big5 file misread as GB18030
# (or the reverse) holds few of them.
_COMMON = frozenset("的一是不了人在有中大上和地到以出可也生能而子下自之年作所然家事成方多去如都同其本心前女")


def _decode(data: bytes) -> str | None:
    """Return ``data`` decoded with the first of :data:`TEXT_ENCODINGS` that reads it, or None.

    GB18030 decodes nearly any byte string, Big5 files included (into nonsense); when both read
    the bytes, the decoding with more of :data:`_COMMON`'s characters is the right one.
    """
    readings = []
    for encoding in TEXT_ENCODINGS:
        try:
            readings.append(data.decode(encoding))
        except UnicodeDecodeError:
            continue
        if encoding == TEXT_ENCODINGS[0]:
            return readings[0]
    if not readings:
        return None
    return max(readings, key=lambda text: sum(ch in _COMMON for ch in text))


def _read_docx(path: Path, where: Location) -> str:
    """Return the text of a .docx, after the package guard (no zip or XML bomb is parsed)."""
    import zipfile

    import docx  # python-docx, imported here: only .docx input needs it
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    from womenstats._ooxml import ZIP_ERRORS, PackageRefusedError, check_package

    damaged = InputError(
        "无法打开该 Word 文件（可能已损坏、加密或不是 .docx），请用 Word 另存为 .docx 后重试。",
        where,
        "E_DOCX",
    )
    try:
        with zipfile.ZipFile(path) as archive:
            check_package(archive)
        document = docx.Document(str(path))
    except PackageRefusedError as exc:
        raise InputError(f"{exc.reason}；请用 Word 另存为 .docx 后重试。", where, exc.code) from None
    except (PackageNotFoundError, KeyError, IndexError, etree.XMLSyntaxError, *ZIP_ERRORS):
        raise damaged from None
    return "\n".join(_docx_lines(document))


def _docx_lines(document: Any) -> list[str]:
    """Return the paragraphs and table rows of a Word document, in document order.

    A table row becomes one line, its cells joined by a space (a merged cell counted once).
    """
    from docx.table import Table

    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = row.cells
                texts = [
                    cell.text.strip()
                    for i, cell in enumerate(cells)
                    if i == 0 or cell._tc is not cells[i - 1]._tc  # a merged cell repeats
                ]
                lines.append(" ".join(t for t in texts if t))
        else:
            lines.append(block.text)
    return lines


def to_half_width(text: str) -> str:
    """Return ``text`` with full-width digits, letters, ``％ ． ／`` and odd spaces made ASCII.

    Chinese punctuation (``，。：（）``) is kept: the plans' headings are written with it.
    """
    return text.translate(_FULL_WIDTH)


def squeeze_spaces(text: str) -> str:
    """Remove spaces except those between two ASCII letters.

    PDF extraction leaves spaces inside words (``中国特 色``), around numbers (``达到 78.1 岁``,
    ``12.5/10 万``) and inside them (``1 2/10万``); only a space between two ASCII letters
    (``HPV vaccine``) carries meaning.
    """
    text = _SPACES.sub(" ", text)
    return re.sub(r"(?<![A-Za-z]) | (?![A-Za-z])", "", text)


def _joined(line: str, previous: str = "") -> str:
    """Return a source line with what joins it to the previous one.

    A line break before a marker, and after a chapter heading alone on its line
    (``一、发展现状`` is a title, not the start of the paragraph below it); a space otherwise.
    """
    breaks = _LINE_START.match(line) or _CHAPTER_LINE.match(line) or _CHAPTER_LINE.match(previous)
    return ("\n" if breaks else " ") + line


def normalise(text: str) -> str:
    """Return one clean string of a plan with each structural marker at the start of a line.

    Steps: traditional characters made simplified and pinyin debris removed
    (:func:`womenstats.catalog.traditional.simplify`); full-width characters made ASCII
    (:func:`to_half_width`); page numbers (``- 34 -``,
    ``第3页``) removed; every line break dropped (sources break lines inside sentences, or not at
    all) except before a line that starts an item or heading; stray spaces removed
    (:func:`squeeze_spaces`); then a line break inserted before each
    area heading (``（一）妇女与健康``), chapter heading (``三、重点工程``), section heading
    (``主要目标：``), numbered item (``1.`` after the end of a sentence), bulleted item (``--``)
    and parenthesised item.

    Parameters
    ----------
    text : str
        The plan text as read by :func:`read_plan_text`.

    Returns
    -------
    str
        The normalised text.
    """
    text = to_half_width(simplify(text))
    lines = [_PAGE_NUMBER.sub(" ", line).strip() for line in text.splitlines() if not _PAGE_LINE.match(line)]
    lines = [line for line in lines if line]
    joined = "".join(_joined(line, prev) for prev, line in zip(["", *lines[:-1]], lines, strict=True))
    flat = squeeze_spaces(joined).lstrip("\n")
    flat = _RATIO_SIGN.sub(":", flat)
    flat = _RESPONSIBLE.sub("", flat)
    flat = _MARKER.sub(lambda m: "\n" + m.group(0), flat)
    flat = _ITEM_BREAK.sub("\n", flat)
    flat = _BULLET_BREAK.sub("\n", flat)
    flat = _PAREN_BREAK.sub("\n", flat)
    flat = _CHAPTER_FIRST.sub("\\1\n", flat)
    return "\n".join(line.strip() for line in flat.split("\n") if line.strip())
