"""Read a data package's zip without trusting it: the directory checked first, bytes counted as they inflate.

A package is a zip the city did not make. Before any entry is read, :func:`read_zip` refuses an
archive that cannot be opened, holds more than :data:`MAX_ENTRIES` entries, holds two entries
of the same name (viewers show the first, Python's reader loads the second), an encrypted entry, a
compression other than stored or deflate, or declares more than :data:`MAX_PACKAGE_BYTES`
uncompressed. Each entry is then inflated here, chunk by chunk, with :mod:`zlib`: the bytes that come
out are counted as they come, and reading stops at the first byte beyond the entry's declared size
or beyond the cap, whatever the zip's headers say; at the end the stream must have ended exactly at
the declared size with the declared CRC-32. (``ZipFile.read`` inflates a whole entry into memory
before cutting it to its declared size: 1.5 MB declaring 1 000 bytes grew past 1 GiB.)

Every refusal is :class:`PackageRefusedError` with a code and a Chinese reason naming the entry; the
caller adds the package's name and what to do.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections import Counter
from pathlib import Path

from womenstats._ooxml import ZIP_ERRORS, PackageRefusedError, mib

#: The most that all entries of a package may hold uncompressed.
MAX_PACKAGE_BYTES = 512 * 1024 * 1024
#: The most entries a package's zip may hold (a package has three).
MAX_ENTRIES = 16
#: Compressed bytes read at a time; inflated output is requested in pieces of the same size.
CHUNK = 64 * 1024

_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_LOCAL_MAGIC = b"PK\x03\x04"
_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
_ZIP_ERRORS = (*ZIP_ERRORS, struct.error)


def read_zip(path: Path, limits: dict[str, int]) -> dict[str, bytes]:
    """Return every entry of a package's zip, read within the limits.

    Parameters
    ----------
    path : pathlib.Path
        The zip.
    limits : dict
        Entry name → the most bytes it may hold uncompressed (an entry not named here may hold up
        to :data:`MAX_PACKAGE_BYTES`); all entries together never more than that.

    Returns
    -------
    dict
        Entry name → its bytes, in the zip's order.

    Raises
    ------
    PackageRefusedError
        ``E_PACKAGE`` (not a zip, too many entries), ``E_PACKAGE_ZIP`` (two entries of one name,
        encrypted, another compression, an entry whose bytes disagree with the zip's directory) or
        ``E_TOO_LARGE`` (declared or actual size over a limit).
    """
    try:
        size = path.stat().st_size
        if size > MAX_PACKAGE_BYTES:
            raise PackageRefusedError("E_TOO_LARGE",
                                      f"zip 文件有 {mib(size)}，超过上限 {mib(MAX_PACKAGE_BYTES)}")
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except PackageRefusedError:
        raise
    except _ZIP_ERRORS:
        raise PackageRefusedError("E_PACKAGE", "不是有效的 zip 文件，无法打开") from None
    _check_directory(infos, limits)
    out: dict[str, bytes] = {}
    budget = MAX_PACKAGE_BYTES
    try:
        with path.open("rb") as fh:
            for info in infos:
                cap = min(limits.get(info.filename, MAX_PACKAGE_BYTES), budget)
                out[info.filename] = _inflate(fh, info, cap)
                budget -= info.file_size
    except PackageRefusedError:
        raise
    except _ZIP_ERRORS:
        raise PackageRefusedError("E_PACKAGE_ZIP", "zip 文件已损坏，无法读出其中的文件") from None
    return out


def _check_directory(infos: list[zipfile.ZipInfo], limits: dict[str, int]) -> None:
    """Refuse from the zip's directory alone, before any entry is inflated."""
    if len(infos) > MAX_ENTRIES:
        raise PackageRefusedError("E_PACKAGE", f"zip 中有 {len(infos)} 个文件，数据包只应有 datapackage.json "
                                               "和 data/ 下的资源")
    repeated = [name for name, n in Counter(i.filename for i in infos).items() if n > 1]
    if repeated:
        raise PackageRefusedError("E_PACKAGE_ZIP", f"zip 中有两个同名文件 {repeated[0]}（解压软件显示一个，"
                                                   "导入读到另一个）")
    for info in infos:
        if info.flag_bits & 0x1:
            raise PackageRefusedError("E_PACKAGE_ZIP", f"zip 中的 {info.filename} 已加密，无法核验")
        if info.compress_type not in _METHODS:
            raise PackageRefusedError("E_PACKAGE_ZIP", f"zip 中的 {info.filename} 使用了不支持的压缩方式"
                                                       f"（{info.compress_type}），只接受 deflate 或不压缩")
        limit = limits.get(info.filename)
        if limit is not None and info.file_size > limit:
            raise PackageRefusedError("E_TOO_LARGE", f"{info.filename} 解压后有 {mib(info.file_size)}，"
                                                     f"超过上限 {mib(limit)}")
    total = sum(i.file_size for i in infos)
    if total > MAX_PACKAGE_BYTES:
        raise PackageRefusedError("E_TOO_LARGE",
                                  f"数据包解压后有 {mib(total)}，超过上限 {mib(MAX_PACKAGE_BYTES)}")


def _inflate(fh, info: zipfile.ZipInfo, cap: int) -> bytes:
    """Read one entry's raw bytes and inflate them, never producing more than ``cap`` + 1 bytes.

    The entry must end exactly at its declared size with its declared CRC-32 (a stream that goes on
    is refused at the first byte past the declared size, without inflating the rest).
    """
    fh.seek(info.header_offset)
    header = _LOCAL_HEADER.unpack(fh.read(_LOCAL_HEADER.size))
    if header[0] != _LOCAL_MAGIC:
        raise PackageRefusedError("E_PACKAGE_ZIP", f"zip 中 {info.filename} 的文件头已损坏")
    name_length, extra_length = header[9], header[10]
    raw_name = fh.read(name_length)
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    if raw_name.decode(encoding, errors="replace") != info.orig_filename:
        raise PackageRefusedError("E_PACKAGE_ZIP", f"zip 中 {info.filename} 的目录名与文件头中的名字不同"
                                                   "（解压软件与导入会读到不同的文件）")
    fh.seek(extra_length, 1)
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    limit = min(info.file_size, cap)
    parts: list[bytes] = []
    produced, left, crc = 0, info.compress_size, 0
    while left > 0:
        chunk = fh.read(min(CHUNK, left))
        if not chunk:
            raise PackageRefusedError("E_PACKAGE_ZIP", f"zip 中 {info.filename} 的内容不完整（文件被截断）")
        left -= len(chunk)
        while chunk:
            if inflater is None:
                piece, chunk = chunk, b""
            else:
                piece = inflater.decompress(chunk, CHUNK)
                chunk = inflater.unconsumed_tail
            produced += len(piece)
            if produced > limit:
                _over(info, produced, cap)
            crc = zlib.crc32(piece, crc)
            parts.append(piece)
            if inflater is not None and inflater.eof:
                break
    if inflater is not None and not inflater.eof:
        raise PackageRefusedError("E_PACKAGE_ZIP", f"zip 中 {info.filename} 的压缩数据不完整")
    if produced != info.file_size or crc != info.CRC:
        raise PackageRefusedError("E_PACKAGE_ZIP", f"zip 中 {info.filename} 解压后的长度或校验和与 zip 目录"
                                                   "记录的不符（文件被改动或损坏）")
    return b"".join(parts)


def _over(info: zipfile.ZipInfo, produced: int, cap: int) -> None:
    if produced > cap:
        raise PackageRefusedError("E_TOO_LARGE",
                                  f"{info.filename} 解压到 {mib(produced)} 时超过上限 {mib(cap)}"
                                  f"（zip 记录的大小为 {info.file_size} 字节），已停止读取")
    raise PackageRefusedError("E_PACKAGE_ZIP",
                              f"zip 中 {info.filename} 解压后比 zip 记录的 {info.file_size} 字节更长"
                              "（文件头被改动），已停止读取")
