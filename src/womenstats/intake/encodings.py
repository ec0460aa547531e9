"""Decode a CSV return: detect its encoding, say where decoding fails, notice a wrong guess.

Detection: a byte-order mark decides first (UTF-8, UTF-16); otherwise strict UTF-8, then GB18030 (a
superset of GBK and GB2312, what Excel writes on Chinese Windows). A user who knows better names the
encoding (``--encoding big5``). Three things are never silent:

* bytes that do not decode: :class:`UndecodableError` names the row and the byte offset;
* a file that is UTF-8 up to some row and then not (a GBK row pasted into a UTF-8 file): it is not
  decoded as GB18030 as a whole (which would garble every Chinese character before that row), the
  row where UTF-8 stops is named;
* a file that decodes as GB18030 but reads as more common Chinese in Big5 (traditional Chinese
  from Taiwan, Hong Kong or Macao: ``教育局`` in Big5 reads ``毙▅Ы`` in GB18030, every character of
  it in GB2312, so no warning would catch it): :class:`LikelyBig5Error` names the first row that
  reads differently, with both readings; the user says which it is (``--encoding big5``);
* a decoding that "works" but produces characters outside common Chinese text (Big5 or UTF-8 read
  as GB18030 gives rare ideographs): :func:`uncommon_rows` names the rows, for a warning.
"""

from __future__ import annotations

import codecs
import unicodedata

#: Encodings tried, in this order, for a CSV without a byte-order mark.
CSV_ENCODINGS: tuple[str, ...] = ("utf-8", "gb18030")

#: Character categories that hold text (letters); punctuation, symbols and digits are never "uncommon".
_LETTERS = {"Lo", "Lu", "Ll", "Lt", "Lm"}


class UndecodableError(ValueError):
    """Bytes that do not decode: where, and in which encoding.

    Attributes
    ----------
    encoding : str
        The encoding tried.
    row : int
        1-based line of the file where decoding fails.
    offset : int
        0-based byte offset in the file of the first byte that does not decode.
    mixed : bool
        True when the rows before are valid UTF-8 with Chinese text (a file of mixed encodings).
    """

    def __init__(self, encoding: str, row: int, offset: int, mixed: bool = False):
        super().__init__(f"{encoding} fails at row {row}, byte {offset}")
        self.encoding = encoding
        self.row = row
        self.offset = offset
        self.mixed = mixed


class LikelyBig5Error(ValueError):
    """Bytes that decode as GB18030 but are more likely Big5: where, and how each reads.

    Attributes
    ----------
    row : int
        1-based line of the file where the two readings first differ in a character that is not
        common in GB18030.
    as_gb18030, as_big5 : str
        The Chinese text of that line in each reading (at most 12 characters).
    """

    def __init__(self, row: int, as_gb18030: str, as_big5: str):
        super().__init__(f"row {row} reads {as_gb18030!r} in GB18030, {as_big5!r} in Big5")
        self.row = row
        self.as_gb18030 = as_gb18030
        self.as_big5 = as_big5


def known_encoding(name: str) -> str | None:
    """Return Python's name of an encoding a user typed (``GBK`` → ``gbk``), or None when unknown."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _failure(data: bytes, encoding: str, exc: UnicodeDecodeError, skip: int = 0, mixed: bool = False):
    start = skip + exc.start
    row = data[:start].decode(encoding, errors="replace").count("\n") + 1
    return UndecodableError(encoding, row, start, mixed)


def decode_csv(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode CSV bytes, detecting the encoding unless one is given.

    Parameters
    ----------
    data : bytes
        The file's bytes.
    encoding : str, optional
        The encoding to use (strict); detected when omitted.

    Returns
    -------
    (str, str)
        The text and the name of the encoding used.

    Raises
    ------
    UndecodableError
        When the bytes do not decode; it names the row and byte offset (of the UTF-8 failure when
        detection fails altogether, or when the file is UTF-8 up to a row and then not).
    """
    if encoding is not None:
        skip = len(codecs.BOM_UTF8) if encoding.replace("_", "-") in {"utf-8", "utf-8-sig"} and \
            data.startswith(codecs.BOM_UTF8) else 0
        try:
            return data[skip:].decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise _failure(data, encoding, exc, skip) from None
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _failure(data, "utf-8", exc, len(codecs.BOM_UTF8), mixed=True) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _failure(data, "utf-16", exc) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first = exc
    if not data[: first.start].isascii():
        raise _failure(data, "utf-8", first, mixed=True)
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise _failure(data, "utf-8", first) from None
    _check_not_big5(data, text)
    return text, "gb18030"


def common_share(text: str, encoding: str) -> float:
    """Return the share of a text's non-ASCII characters that are everyday text in an encoding.

    Everyday text is the first level of hanzi and the punctuation rows: GB2312 rows A1 and A3 and
    the 3 755 level-1 hanzi (B0A1–D7F9) for ``gb18030``; Big5 rows A1–A3 and the 5 401 常用字
    (A440–C67E) for ``big5``. A right decoding scores near 1; Big5 read as GB18030 gives kana,
    Cyrillic, box drawing and GBK's rarer hanzi, GB18030 read as Big5 its rarer level-2 hanzi.

    Returns
    -------
    float
        The share, 1.0 for a text without non-ASCII characters.
    """
    wide = [ch for ch in text if not ch.isascii()]
    if not wide:
        return 1.0
    standard = "gb2312" if encoding == "gb18030" else "cp950"
    common = 0
    for ch in wide:
        try:
            code = ch.encode(standard)
        except UnicodeEncodeError:
            continue
        if len(code) != 2:
            continue
        word = int.from_bytes(code, "big")
        if standard == "gb2312":
            common += code[0] in (0xA1, 0xA3) or 0xB0A1 <= word <= 0xD7F9
        else:
            common += 0xA140 <= word <= 0xA3FE or 0xA440 <= word <= 0xC67E
    return common / len(wide)


def _check_not_big5(data: bytes, text: str) -> None:
    """Raise :class:`LikelyBig5Error` when the bytes read as more common Chinese in Big5 (cp950)."""
    try:
        big5 = data.decode("cp950")
    except UnicodeDecodeError:
        return
    if common_share(big5, "big5") <= common_share(text, "gb18030"):
        return
    lines = zip(text.split("\n"), big5.split("\n"), strict=True)
    for number, (gb_line, b5_line) in enumerate(lines, start=1):
        if gb_line != b5_line and common_share(gb_line, "gb18030") < 1.0:
            raise LikelyBig5Error(number, _wide(gb_line), _wide(b5_line))


def _wide(line: str) -> str:
    return "".join(ch for ch in line if not ch.isascii())[:12]


def is_uncommon(ch: str) -> bool:
    """Return True for a character unlikely in a Chinese return: a letter outside ASCII and GB2312.

    GB2312 holds the 6 763 hanzi of everyday simplified Chinese; the rare ideographs a wrong decoding
    produces (Big5 or UTF-8 read as GB18030) lie outside it. Private-use and unassigned code points
    count as uncommon too. Digits, punctuation and symbols never do.
    """
    if ch.isascii():
        return False
    category = unicodedata.category(ch)
    if category in {"Co", "Cn"}:
        return True
    if category not in _LETTERS:
        return False
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False


def uncommon_rows(text: str, limit: int = 10) -> list[tuple[int, str]]:
    """Return up to ``limit`` rows (1-based lines) holding uncommon characters, with those characters."""
    found: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        odd = "".join(dict.fromkeys(ch for ch in line if is_uncommon(ch)))
        if odd:
            found.append((number, odd[:10]))
            if len(found) >= limit:
                break
    return found
