"""Data packages between levels: a county hands its observations to the city as a Frictionless package.

:func:`export_package` writes what a region sends up — its observations up to a year (values,
numerators and denominators, breakdowns, units, the ``simulated`` flag, source and provenance) and
their revision history — as a zip holding ``datapackage.json`` (Frictionless Data Package, womenstats'
Table Schema for each resource, a ``sha256`` for each resource, the registry version it was made
with) and the CSV resources. A city's store sends its counties' observations as it received them
(and any of its own): the province sums the same counts. The same store and arguments give the same
bytes.

:func:`ingest_packages` loads such packages into another store, all or nothing, after every check
(refusals are :class:`PackageError`, the store unchanged): the zip read within limits
(:mod:`~womenstats.intake.package_zip`), the descriptor (:mod:`~womenstats.intake.package_descriptor`),
each resource's hash, the registry version, the rows by womenstats' own schema
(:mod:`~womenstats.intake.package_rows`), then each row's region, a return's value rules and the
history (:mod:`~womenstats.intake.package_checks`). Provenance is kept as package-relative names
(``440783.zip!/demo/…``): never a path on the receiving machine. The same package twice changes
nothing; a corrected package (changed values) is refused unless ``revise``, and then the old values
go to the revision history as for any return; the county's own history is added to the receiving
store's.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from womenstats._io import ZIP_EPOCH, sha256_file
from womenstats._ooxml import PackageRefusedError
from womenstats.catalog import regions
from womenstats.errors import InputError, Location
from womenstats.intake.columns import OBS_COLUMNS
from womenstats.intake.package_checks import (
    allowed_regions,
    check_history,
    check_observations,
    check_regions,
    copied_rows,
    region_label,
)
from womenstats.intake.package_descriptor import (
    DESCRIPTOR,
    MAX_DESCRIPTOR_BYTES,
    PACKAGE_VERSION,
    RESOURCES,
    PackageMeta,
    parse_descriptor,
)
from womenstats.intake.package_rows import REVISION_COLUMNS, SCHEMAS, Table, read_table
from womenstats.intake.package_zip import MAX_PACKAGE_BYTES, read_zip
from womenstats.intake.problems import Problem, problem, sort_key
from womenstats.intake.store import LoadSummary, PreparedFile, Store
from womenstats.paths import PACKAGE_MARK

__all__ = ["MAX_PACKAGE_BYTES", "PACKAGE_MARK", "PACKAGE_VERSION", "RESOURCES", "PackageError",
           "PackageResult", "export_package", "ingest_packages", "package_relative", "prepare_package",
           "read_package", "registry_version"]

#: What a package's sender must do about a refused package.
REMEDY = "请报送单位核对其数据库，更正后用 womenstats export 重新导出数据包。"


@dataclass(frozen=True)
class PackageResult:
    """What :func:`ingest_packages` did with one package: its region and year, and the load summary."""

    region_code: str
    year: int
    summary: LoadSummary


class PackageError(InputError):
    """A refused package: the first problem's code, place and message, and every problem found.

    Parameters
    ----------
    problems : list of Problem
        What was found, each located in the package (file, resource, row).
    remedy : str
        What to do, in Chinese (added to the message).
    """

    def __init__(self, problems: list[Problem], remedy: str = REMEDY):
        self.problems = sorted(problems, key=sort_key)
        first = self.problems[0]
        more = f"（本数据包共 {len(self.problems)} 处问题，首处如上）" if len(self.problems) > 1 else ""
        super().__init__(f"{first.message.rstrip('。')}。{more}{remedy}", first.location, first.code)


def _refuse(name: str, code: str, message: str, remedy: str = REMEDY) -> PackageError:
    return PackageError([problem(code, Location(file=name), message)], remedy)


def registry_version() -> str:
    """Return the hash of what the numbers of a package mean: each indicator's id, unit and scale.

    Two stores can exchange packages when their registries agree on these; names, definitions and
    targets may differ.
    """
    from womenstats import catalog

    frame = catalog.indicators()
    rows = sorted(f"{i}|{r['unit']}|{r['per']}|{r['lower']}|{r['upper']}" for i, r in frame.iterrows())
    return hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()


def _csv(frame: pd.DataFrame, columns) -> bytes:
    out = frame.reindex(columns=list(columns)).sort_values(list(columns[:6]), kind="stable")
    return out.to_csv(index=False, lineterminator="\n", float_format="%.15g").encode("utf-8")


def sent_regions(region_code: str) -> list[str]:
    """Return the regions a region's package holds: itself and the registered regions below it."""
    return [str(region_code), *regions.children(str(region_code), depth=None)]


def export_package(store: Store, region_code: str, year: int, out: str | Path, *, plan: str = "") -> Path:
    """Write a region's observations up to ``year`` as a Frictionless data package (a zip).

    A county's package holds the county's observations; a city's (or a province's) holds those of
    the regions below it as its store received them, and its own if it has any (never a roll-up:
    the level above sums the same counts and keeps each county's provenance).

    Parameters
    ----------
    store : Store
        The sending region's store.
    region_code : str
        The region whose data are sent (GB/T 2260).
    year : int
        The last year included.
    out : str or Path
        The ``.zip`` file to write (written whole, or not at all).
    plan : str, optional
        The plan the data were reported for (recorded in the package).

    Returns
    -------
    Path
        ``out``.
    """
    codes = sent_regions(region_code)
    obs = store.observations()
    obs = obs.loc[obs["region_code"].astype(str).isin(codes) & (obs["year"] <= int(year))]
    if obs.empty:
        raise InputError(f"数据库中没有地区 {region_code} 及其下级在 {year} 年及以前的数据，无法导出数据包。",
                         Location(file=Path(store.path).name), "E_NO_DATA")
    revisions = store.revisions()
    sent = revisions["region_code"].astype(str).isin(codes) & (revisions["year"] <= int(year))
    revisions = revisions.loc[sent]
    data = {"observations": _csv(obs, OBS_COLUMNS), "revisions": _csv(revisions, REVISION_COLUMNS)}
    descriptor = {
        "name": f"womenstats-{region_code}-{year}",
        "title": f"地区 {region_code} 截至 {year} 年的监测数据",
        "profile": "tabular-data-package",
        "womenstats": {"package_version": PACKAGE_VERSION, "region_code": str(region_code), "year": int(year),
                       "plan": plan, "registry_version": registry_version()},
        "resources": [
            {"name": name, "path": RESOURCES[name], "profile": "tabular-data-resource", "format": "csv",
             "encoding": "utf-8", "mediatype": "text/csv", "bytes": len(data[name]),
             "hash": "sha256:" + hashlib.sha256(data[name]).hexdigest(), "schema": SCHEMAS[name]}
            for name in RESOURCES
        ],
    }
    text = json.dumps(descriptor, ensure_ascii=False, indent=2, sort_keys=True)
    files = {DESCRIPTOR: text.encode("utf-8"), **{RESOURCES[n]: data[n] for n in RESOURCES}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            zf.writestr(info, files[name])
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    partial.write_bytes(buffer.getvalue())
    partial.replace(out)
    return out


@dataclass
class ReadPackage:
    """A package whose zip, descriptor, hashes, registry and schemas passed (:func:`read_package`)."""

    meta: PackageMeta
    data: dict[str, bytes]
    tables: dict[str, Table]


def read_package(path: str | Path, name: str | None = None) -> ReadPackage:
    """Open a package and check it: zip, descriptor, hashes, registry version and schemas.

    Parameters
    ----------
    path : str or Path
        The package.
    name : str, optional
        How the package is named in messages (its file name by default).

    Returns
    -------
    ReadPackage

    Raises
    ------
    PackageError
        With the codes of :mod:`~womenstats.intake.package_zip`,
        :mod:`~womenstats.intake.package_descriptor` and :mod:`~womenstats.intake.package_rows`,
        ``E_PACKAGE_HASH`` and ``E_PACKAGE_REGISTRY``, each naming the file and what to do.
    """
    path = Path(path)
    name = name or path.name
    if not path.is_file():
        raise _refuse(name, "E_PACKAGE", "找不到数据包文件", "请检查文件名和路径。")
    try:
        entries = read_zip(path, {DESCRIPTOR: MAX_DESCRIPTOR_BYTES})
        if DESCRIPTOR not in entries:
            raise PackageRefusedError("E_PACKAGE", f"zip 中没有 {DESCRIPTOR}，不是本系统导出的数据包")
        meta = parse_descriptor(entries[DESCRIPTOR], set(entries))
    except PackageRefusedError as exc:
        raise _refuse(name, exc.code, exc.reason, "请用 womenstats export 重新导出数据包，"
                                                  "或向报送单位索取原数据包。") from None
    data = {resource: entries[path_] for resource, path_ in RESOURCES.items()}
    for resource, digest in meta.hashes.items():
        if digest != "sha256:" + hashlib.sha256(data[resource]).hexdigest():
            raise _refuse(name, "E_PACKAGE_HASH",
                          f"资源 {RESOURCES[resource]} 的内容与数据包记录的哈希不符"
                          "（文件在导出后被改动或损坏）",
                          "请向报送单位索取原数据包。")
    if meta.registry_version != registry_version():
        raise _refuse(name, "E_PACKAGE_REGISTRY",
                      "数据包所用的指标库版本与本库不同（指标的单位或口径可能不一致）",
                      "请双方先统一指标库版本，再重新导出导入。")
    tables = {resource: read_table(data[resource], resource, name, path_)
              for resource, path_ in RESOURCES.items()}
    problems = [p for table in tables.values() for p in table.problems]
    if problems:
        raise PackageError(problems)
    return ReadPackage(meta, data, tables)


def package_relative(package: str, name: object) -> str:
    """Return a name recorded in a package as a name inside that package, never a local path.

    A drive, a leading ``/``, ``.`` and ``..`` parts and control characters are dropped and
    backslashes read as ``/``; the package's name goes in front, after :data:`PACKAGE_MARK`
    (``"/data/x.xlsx"`` in ``440783.zip`` → ``"440783.zip!/data/x.xlsx"``). Reports never open such
    a name (:func:`womenstats.paths.raw_file`).
    """
    text = re.sub(r"[\x00-\x1f\x7f]", "", str(name or ""))
    parts = [p for p in re.split(r"[\\/]+", text) if p not in {"", ".", ".."}]
    if parts and re.fullmatch(r"[A-Za-z]:", parts[0]):
        parts = parts[1:]
    return f"{package}{PACKAGE_MARK}{'/'.join(parts)}" if parts else package


def _frame(rows: list[dict], resource: str, package: str, names: tuple[str, ...]) -> pd.DataFrame:
    """Return rows as a frame of the resource's columns: texts '' and numbers NaN where missing."""
    fields = SCHEMAS[resource]["fields"]
    frame = pd.DataFrame(rows, columns=[f["name"] for f in fields])
    for spec in fields:
        column = spec["name"]
        if spec["type"] == "string":
            frame[column] = frame[column].where(frame[column].notna(), "")
        elif spec["type"] == "number":
            frame[column] = frame[column].astype(float)
    for column in names:
        frame[column] = [package_relative(package, v) for v in frame[column]]
    return frame


@dataclass
class PreparedPackage:
    """A checked package, ready to load: its metadata, its file for the store, its row numbers."""

    meta: PackageMeta
    file: PreparedFile
    numbers: list[int]


def prepare_package(path: str | Path, region: str) -> PreparedPackage:
    """Check a package (:func:`read_package`), its regions, values and history, and make it a file to load.

    Parameters
    ----------
    path : str or Path
        The package (``.zip``) written by :func:`export_package`.
    region : str
        The receiving region: the package's region, and each row's, must lie below it.

    Returns
    -------
    PreparedPackage
        Observations and history named by the package file and identified by the hash of the
        observations resource; ``source_file`` and the history's file names package-relative.

    Raises
    ------
    PackageError
        Any refusal, the package named.
    """
    path = Path(path)
    name = path.name
    package = read_package(path, name)
    meta = package.meta
    allowed, why = allowed_regions(meta.region_code, str(region))
    if why:
        raise _refuse(name, "E_PACKAGE_REGION", f"数据包的地区 {region_label(meta.region_code)}{why}",
                      "请确认数据包是否报错了单位，或 --region 是否写对。")
    observations, history = package.tables["observations"], package.tables["revisions"]
    where = Location(file=name, sheet=RESOURCES["observations"])
    problems = check_regions(observations.rows, observations.numbers, meta.region_code, allowed, where)
    problems = problems or check_observations(observations.rows, observations.numbers, meta.year, where)
    if not problems:
        current = {tuple(r[c] for c in OBS_COLUMNS[:6]): r["value"] for r in observations.rows}
        problems = check_history(history.rows, history.numbers, current, allowed, meta.year,
                                 Location(file=name, sheet=RESOURCES["revisions"]))
    if problems:
        raise PackageError(problems)
    rows = _frame(observations.rows, "observations", name, ("source_file",))
    carried = _frame(history.rows, "revisions", name, ("old_source_file", "revised_by_file"))
    sha = hashlib.sha256(package.data["observations"]).hexdigest()
    return PreparedPackage(meta, PreparedFile(name, sha, rows, history=carried), observations.numbers)


def ingest_packages(paths: Sequence[str | Path], store: Store, *, region: str, revise: bool = False,
                    expect_sha256: Sequence[str] | None = None) -> list[PackageResult]:
    """Load checked packages into ``store``, all of them or nothing.

    Parameters
    ----------
    paths : sequence of str or Path
        Packages written by :func:`export_package`.
    store : Store
        The receiving store (the city's).
    region : str
        The receiving region (see :func:`prepare_package`).
    revise : bool, default False
        Allow changed values to replace stored ones (the old ones go to the revision history).
    expect_sha256 : sequence of str, optional
        The SHA-256 of each package's file, in order, as the sender published it out of band (its
        covering letter): a package whose bytes hash otherwise is refused before it is opened.

    Returns
    -------
    list of PackageResult
        One per package, in order; a package loaded before changes nothing (``summary.already``).

    Raises
    ------
    PackageError
        The refusals of :func:`prepare_package`, ``E_PACKAGE_SHA256`` (not the package announced),
        ``E_PACKAGE_DUPLICATE`` (rows another region supplied) and ``E_PACKAGE_REVISED`` (changed
        values without ``revise``), naming the package concerned. Nothing is written then.
    """
    regions.name(str(region))  # an unknown receiving region is refused (CatalogError)
    if expect_sha256 is not None:
        _check_sha256(paths, expect_sha256)
    prepared: list[PreparedPackage] = []
    seen = store.observations()
    for item in (prepare_package(p, str(region)) for p in paths):
        file = item.file
        copied = copied_rows(file.rows, item.numbers, seen,
                             Location(file=file.name, sheet=RESOURCES["observations"]))
        if copied:
            raise PackageError(copied, "请向报送单位核实数据包所属地区。")
        prepared.append(item)
        seen = pd.concat([seen, file.rows], ignore_index=True)
    summaries, problems = store.load([item.file for item in prepared], revise=revise)
    if problems:
        first = problems[0]
        raise _refuse(str(first.location.file), "E_PACKAGE_REVISED",
                      f"数据包修改了库中已有的 {len(problems)} 个数值（如 {first.message}）",
                      "确认是更正后，加 --revise 重新导入，旧值将存入修订记录。")
    return [PackageResult(item.meta.region_code, item.meta.year, s)
            for item, s in zip(prepared, summaries, strict=True)]


def _check_sha256(paths: Sequence[str | Path], expected: Sequence[str]) -> None:
    if len(expected) != len(paths):
        raise InputError(f"给了 {len(paths)} 个数据包、{len(expected)} 个 --expect-sha256："
                         "每个数据包各给一个，按数据包的顺序。", code="E_ARGUMENT")
    for path, want in zip(paths, expected, strict=True):
        want = want.strip().lower()
        if not re.fullmatch(r"[0-9a-f]{64}", want):
            raise InputError(f"--expect-sha256 “{want}”不是 64 位十六进制的 SHA-256。", code="E_ARGUMENT")
        got = sha256_file(path)
        if got != want:
            raise _refuse(Path(path).name, "E_PACKAGE_SHA256",
                          f"数据包文件的 SHA-256 为 {got}，与报送函写明的 {want} 不符"
                          "（数据包在传递中被替换、改动或损坏）",
                          "请勿导入，向报送单位核实后索取原数据包。")
