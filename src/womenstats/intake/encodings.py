"""Decode a CSV return: detect its encoding, say where decoding fails, notice a wrong guess.

Detection: a byte-order mark decides first (UTF-8, UTF-16); otherwise strict UTF-8, then GB18030 (a
superset of GBK and GB2312, what Excel writes on Chinese Windows). A user who knows better names the
encoding (``--encoding big5``). Three things are never silent:

* bytes that do not decode: :class:`UndecodableError` names the row and the byte offset;
* a file that is UTF-8 up to some row and then not (a GBK row pasted into a UTF-8 file): it is not
  decoded as GB18030 as a whole (which would garble every Chinese character before that row), the
  row where UTF-8 stops is named;
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
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise _failure(data, "utf-8", first) from None


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
