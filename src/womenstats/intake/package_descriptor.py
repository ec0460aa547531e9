"""Check a package's ``datapackage.json`` before anything is done with it: only what womenstats writes.

The descriptor is read as data and never handed to a library that would follow it: it must be
UTF-8 JSON of at most :data:`MAX_DESCRIPTOR_BYTES`, an object, with a ``womenstats`` section (package
version, region code, year, plan, registry version) and a ``resources`` list of at most
:data:`MAX_RESOURCES` objects. A resource's ``path`` must be a relative name inside the zip (never a
URL, an absolute path, a ``..``, a list), and the one womenstats writes for that resource; its
``schema`` and ``dialect``, when given, must be written inline (a URL or a path to another file is
refused: a library would fetch it). The inline schema is never used to read the rows: they are
read by womenstats' own schema (:mod:`womenstats.intake.package_rows`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from womenstats._ooxml import PackageRefusedError, mib

#: Version of the package layout written by :func:`womenstats.intake.package.export_package`.
PACKAGE_VERSION = 1
#: Resource names and their files inside the zip.
RESOURCES = {"observations": "data/observations.csv", "revisions": "data/revisions.csv"}
#: The descriptor's file inside the zip.
DESCRIPTOR = "datapackage.json"
#: Largest ``datapackage.json`` read (a genuine one is a few KiB).
MAX_DESCRIPTOR_BYTES = 1024 * 1024
#: The most resources a descriptor may list.
MAX_RESOURCES = len(RESOURCES)

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class PackageMeta:
    """The ``womenstats`` section of a checked descriptor.

    Attributes
    ----------
    region_code : str
        The region that sent the package.
    year : int
        The last year it holds (``截至``).
    plan : str
        The plan it was reported for ('' when none).
    registry_version : str
        The hash of the indicator registry it was made with.
    hashes : dict
        Resource name → its declared ``sha256:…``.
    """

    region_code: str
    year: int
    plan: str
    registry_version: str
    hashes: dict[str, str]


def parse_descriptor(raw: bytes, entries: set[str]) -> PackageMeta:
    """Check a descriptor's bytes and return what womenstats needs of it.

    Parameters
    ----------
    raw : bytes
        ``datapackage.json`` as read from the zip.
    entries : set of str
        The names of the zip's entries (a declared resource must be one of them).

    Returns
    -------
    PackageMeta

    Raises
    ------
    PackageRefusedError
        ``E_PACKAGE_DESCRIPTOR`` (not UTF-8, not JSON, truncated, nested too deep, not an object, a
        field missing or of the wrong kind), ``E_PACKAGE_PATH`` (a path, schema or dialect that is
        remote, absolute, outside the zip, not a name, or declared but absent), ``E_PACKAGE`` (not a
        womenstats package: another version, other resources), ``E_TOO_LARGE``.
    """
    if len(raw) > MAX_DESCRIPTOR_BYTES:
        raise PackageRefusedError("E_TOO_LARGE",
                                  f"{DESCRIPTOR} 有 {mib(len(raw))}，超过上限 {mib(MAX_DESCRIPTOR_BYTES)}")
    descriptor = _json_object(raw)
    meta = descriptor.get("womenstats")
    if not isinstance(meta, dict):
        raise PackageRefusedError("E_PACKAGE", f"{DESCRIPTOR} 中没有 womenstats 说明，不是本系统导出的数据包")
    if meta.get("package_version") != PACKAGE_VERSION:
        raise PackageRefusedError("E_PACKAGE", f"数据包版本为 {_shown(meta.get('package_version'))}，"
                                  f"本系统读取版本 {PACKAGE_VERSION}")
    region, year = meta.get("region_code"), meta.get("year")
    if not isinstance(region, str) or not re.fullmatch(r"\d{6}", region):
        raise _bad(f"{DESCRIPTOR} 的 womenstats.region_code "
                   f"{_shown(region)} 不是 6 位地区代码")
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100:
        raise _bad(f"{DESCRIPTOR} 的 womenstats.year {_shown(year)} 不是年份")
    plan, registry = meta.get("plan", ""), meta.get("registry_version")
    if not isinstance(plan, str) or len(plan) > 64 or not isinstance(registry, str):
        raise _bad(f"{DESCRIPTOR} 的 womenstats.plan 或 registry_version "
                   "不是文字")
    hashes = _resources(descriptor.get("resources"), entries)
    return PackageMeta(region, year, plan, registry, hashes)


def _json_object(raw: bytes) -> dict:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _bad(f"{DESCRIPTOR} 不是 UTF-8 编码（第 {exc.start} 字节起"
                   "无法解码，GBK、UTF-16 等编码的描述文件不接受）") from None
    try:
        descriptor = json.loads(text)
    except RecursionError:
        raise _bad(f"{DESCRIPTOR} 嵌套层数过多，不是本系统写的描述文件") from None
    except ValueError as exc:
        where = f"第 {exc.lineno} 行第 {exc.colno} 列" if isinstance(exc, json.JSONDecodeError) else ""
        raise _bad(f"{DESCRIPTOR} 不是有效的 JSON（{where}出错，"
                   "可能被截断或改动）") from None
    if not isinstance(descriptor, dict):
        raise _bad(f"{DESCRIPTOR} 不是一个 JSON 对象"
                   f"（是 {type(descriptor).__name__}）")
    return descriptor


def _resources(resources: object, entries: set[str]) -> dict[str, str]:
    """Check the resource list: each a womenstats resource, at a safe path present in the zip."""
    if not isinstance(resources, list):
        raise _bad(f"{DESCRIPTOR} 的 resources 不是列表")
    if len(resources) > MAX_RESOURCES:
        raise PackageRefusedError("E_TOO_LARGE", f"{DESCRIPTOR} 列出 {len(resources)} 个资源，"
                                  f"数据包只应有 {MAX_RESOURCES} 个")
    hashes: dict[str, str] = {}
    for number, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict):
            raise _bad(f"{DESCRIPTOR} 的第 {number} 个资源不是 JSON 对象")
        name = resource.get("name")
        where = f"资源 {_shown(name)}"
        if not isinstance(name, str):
            raise _bad(f"{DESCRIPTOR} 的第 {number} 个资源的 name 是 {_shown(name)}，应为文字")
        check_path(resource.get("path"), where)
        for key in ("schema", "dialect"):
            if key in resource and not isinstance(resource[key], dict):
                raise _outside(f"{where} 的 {key} 是 {_shown(resource[key])}："
                               "只接受写在描述文件中的内容，不读取网址或其他文件")
        path = resource["path"]
        if path not in entries:
            raise _outside(f"{where} 声明的文件 {path} 不在数据包中")
        if name not in RESOURCES or RESOURCES[name] != path or name in hashes:
            raise PackageRefusedError("E_PACKAGE", f"{where}（{path}）不是本系统数据包的资源"
                                      f"（应为 {'、'.join(RESOURCES.values())} 各一个）")
        digest = resource.get("hash")
        if not isinstance(digest, str):
            raise _bad(f"{where} 没有 hash（sha256）")
        hashes[name] = digest
    if set(hashes) != set(RESOURCES):
        missing = "、".join(RESOURCES[n] for n in RESOURCES if n not in hashes)
        raise PackageRefusedError("E_PACKAGE", f"{DESCRIPTOR} 没有列出资源 {missing}")
    extra = sorted(entries - {DESCRIPTOR, *RESOURCES.values()})
    if extra:
        raise PackageRefusedError("E_PACKAGE", f"zip 中有描述文件未列出的文件 {extra[0]}")
    return hashes


def check_path(path: object, where: str) -> str:
    """Return a resource path that is a plain relative name inside the zip, or refuse it.

    Parameters
    ----------
    path : object
        The ``path`` of a resource, as the descriptor gives it.
    where : str
        How the resource is named in a message.

    Raises
    ------
    PackageRefusedError
        ``E_PACKAGE_PATH`` for a list, a URL, an absolute path (POSIX or Windows), a ``..`` or ``.``
        part, a backslash, or an empty name.
    """
    if not isinstance(path, str) or not path:
        raise _outside(f"{where} 的 path 是 {_shown(path)}，应为数据包内的一个文件名")
    if _URL.match(path) and not PureWindowsPath(path).drive:
        raise _outside(f"{where} 的 path {_shown(path)} 是网址，数据包不得引用外部文件")
    posix = PurePosixPath(path)
    if posix.is_absolute() or PureWindowsPath(path).anchor or "\\" in path:
        raise _outside(f"{where} 的 path {_shown(path)} 是绝对路径，"
                       "只接受数据包内的相对路径")
    if any(part in {"..", "."} for part in path.split("/")) or "" in path.split("/"):
        raise _outside(f"{where} 的 path {_shown(path)} 指向数据包之外或不规范")
    return path


def _bad(reason: str) -> PackageRefusedError:
    return PackageRefusedError("E_PACKAGE_DESCRIPTOR", reason)


def _outside(reason: str) -> PackageRefusedError:
    return PackageRefusedError("E_PACKAGE_PATH", reason)


def _shown(value: object) -> str:
    """Show a descriptor value in a message: short, as JSON."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"
