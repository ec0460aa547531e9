"""Guard an Office Open XML package (.xlsx, .docx) before any of its XML is parsed.

An Office file is a zip of XML parts, and both layers can be turned into bombs: a few hundred KiB
that inflate to gigabytes, entity declarations that expand exponentially (billion laughs) or fetch
files (external entities). :func:`check_package` refuses, from the zip's directory and the first bytes
of each part only: an entry flagged encrypted, more than :data:`MAX_ENTRIES` entries, more than
:data:`MAX_UNCOMPRESSED` bytes declared uncompressed (Python's zip reader never inflates an entry past
its declared size, so the declaration is a hard bound), and any XML part that declares a DTD or an
entity before its root element. Used by the intake (returns), the audit (report files) and the catalog
(plan texts in Word); each turns :class:`PackageRefusedError` into its own error with a Chinese message.
"""

from __future__ import annotations

import re
import zipfile
import zlib

#: The most that all entries of a package may hold uncompressed (a return with a few thousand values is
#: well under 5 MiB; 64 MiB leaves room for a national long table and refuses zip bombs at once).
MAX_UNCOMPRESSED = 64 * 1024 * 1024
#: The most entries a package may hold.
MAX_ENTRIES = 2_000
#: How much of each XML part is searched for a DTD before its root element.
PROLOGUE_BYTES = 64 * 1024
#: The first bytes of an OLE compound file: an encrypted (password-protected) Office file, or old .xls/.doc.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: What Python's zip reader raises on a damaged or unsupported archive.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, OSError,
              ValueError)

_ROOT_START = re.compile(rb"<[A-Za-z_]")
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


class PackageRefusedError(Exception):
    """Why a package must not be parsed.

    Attributes
    ----------
    code : str
        ``E_TOO_LARGE`` (size or entries over the limits) or ``E_UNREADABLE`` (encrypted, a DTD); a
        data package's zip and descriptor use their own codes (:mod:`womenstats.intake.package_zip`).
    reason : str
        What was found, in Chinese (the caller adds what to do).
    """

    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code = code
        self.reason = reason


def mib(n: int) -> str:
    """Format a byte count in MiB with one decimal (``"300.0 MiB"``)."""
    return f"{n / 1024 / 1024:.1f} MiB"


def check_package(archive: zipfile.ZipFile) -> None:
    """Refuse encrypted entries, too many entries, too much uncompressed data and DTDs.

    Parameters
    ----------
    archive : zipfile.ZipFile
        The open package.

    Raises
    ------
    PackageRefusedError
        With the figure and the limit, or the part concerned.
    """
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise PackageRefusedError("E_TOO_LARGE", f"文件含 {len(infos)} 个内部部件，超过上限 {MAX_ENTRIES}")
    encrypted = [i.filename for i in infos if i.flag_bits & 0x1]
    if encrypted:
        raise PackageRefusedError("E_UNREADABLE", f"文件内部部件 {encrypted[0]} 已加密，无法读取")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED:
        packed = sum(i.compress_size for i in infos)
        raise PackageRefusedError(
            "E_TOO_LARGE",
            f"文件解压后有 {mib(total)}（压缩后 {mib(packed)}），超过上限 {mib(MAX_UNCOMPRESSED)}，未读取",
        )
    for info in infos:
        if info.filename.lower().endswith((".xml", ".rels", ".vml")):
            _check_prologue(archive, info)


def _check_prologue(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse an XML part that declares a DTD or entities before its root element."""
    with archive.open(info) as fh:
        head = fh.read(PROLOGUE_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    root = _ROOT_START.search(head)
    prologue = head if root is None else head[: root.start()]
    if _DTD.search(prologue) or (root is None and len(head) == PROLOGUE_BYTES):
        raise PackageRefusedError(
            "E_UNREADABLE",
            f"文件内部部件 {info.filename} 含有 DTD 或实体声明（XML 炸弹、外部实体攻击的手法），"
            "正常的 Office 文件不会有；未读取",
        )
