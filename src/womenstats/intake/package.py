"""Data packages between levels: a county hands its observations to the city as a Frictionless package.

:func:`export_package` writes what a region sends up — its observations up to a year (values,
numerators and denominators, breakdowns, units, the ``simulated`` flag, source and provenance) and
their revision history — as a zip holding ``datapackage.json`` (Frictionless Data Package, a Table
Schema for each resource, a ``sha256`` for each resource, the registry version it was made with)
and the CSV resources. The same store and arguments give the same bytes.

:func:`ingest_packages` loads such packages into another store, all or nothing, through
:meth:`womenstats.intake.Store.load`: refused, with the store unchanged, when a resource's bytes do
not match their hash, a row breaks its schema (checked with the ``frictionless`` library), the
package was made with another indicator registry, or its region is not below the receiving
region. The same package twice changes nothing; a corrected package (changed values) is refused
unless ``revise``, and then the old values go to the revision history as for any return.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from womenstats.errors import InputError, Location
from womenstats.intake.columns import KEY_COLUMNS, OBS_COLUMNS
from womenstats.intake.store import LoadSummary, PreparedFile, Store

#: Version of the package layout written by :func:`export_package`.
PACKAGE_VERSION = 1
#: Resource names and their files inside the zip.
RESOURCES = {"observations": "data/observations.csv", "revisions": "data/revisions.csv"}
#: Largest uncompressed package accepted (checked before anything is read).
MAX_PACKAGE_BYTES = 512 * 1024 * 1024
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)

_TYPES = {
    "year": "integer", "value": "number", "numerator": "number", "denominator": "number",
    "simulated": "integer", "old_value": "number", "old_numerator": "number", "old_denominator": "number",
    "old_simulated": "integer", "old_ingest_seq": "integer", "new_value": "number",
    "revised_in_seq": "integer",
}
_REVISION_COLUMNS = (
    "region_code", "year", "indicator_id", "sex", "age_group", "residence", "old_value", "old_numerator",
    "old_denominator", "old_unit", "old_source", "old_simulated", "old_source_file", "old_source_sha256",
    "old_sheet", "old_cell", "new_value", "revised_by_file", "revised_by_sha256",
)


@dataclass(frozen=True)
class PackageResult:
    """What :func:`ingest_package` did: the package's region and year, and the load summary."""

    region_code: str
    year: int
    summary: LoadSummary


def registry_version() -> str:
    """Return the hash of what the numbers of a package mean: each indicator's id, unit and scale.

    Two stores can exchange packages when their registries agree on these; names, definitions and
    targets may differ.
    """
    from womenstats import catalog

    frame = catalog.indicators()
    rows = sorted(f"{i}|{r['unit']}|{r['per']}|{r['lower']}|{r['upper']}" for i, r in frame.iterrows())
    return hashlib.sha256("\n".join(rows).encode("utf-8")).hexdigest()


def _schema(columns, key: tuple[str, ...] = ()) -> dict:
    fields = []
    for name in columns:
        field = {"name": name, "type": _TYPES.get(name, "string")}
        if name in key or name == "indicator_id":
            field["constraints"] = {"required": True}
        fields.append(field)
    schema: dict = {"fields": fields, "missingValues": [""]}
    if key:
        schema["primaryKey"] = list(key)
    return schema


def _csv(frame: pd.DataFrame, columns) -> bytes:
    out = frame.reindex(columns=list(columns)).sort_values(list(columns[:6]), kind="stable")
    return out.to_csv(index=False, lineterminator="\n", float_format="%.15g").encode("utf-8")


def export_package(store: Store, region_code: str, year: int, out: str | Path, *, plan: str = "") -> Path:
    """Write a region's observations up to ``year`` as a Frictionless data package (a zip).

    Parameters
    ----------
    store : Store
        The county's store.
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
    obs = store.observations(region_code=str(region_code))
    obs = obs.loc[obs["year"] <= int(year)]
    if obs.empty:
        raise InputError(f"数据库中没有地区 {region_code} 在 {year} 年及以前的数据，无法导出数据包。",
                         Location(file=Path(store.path).name), "E_NO_DATA")
    revisions = store.revisions()
    revisions = revisions.loc[(revisions["region_code"].astype(str) == str(region_code))
                              & (revisions["year"] <= int(year))]
    data = {"observations": _csv(obs, OBS_COLUMNS), "revisions": _csv(revisions, _REVISION_COLUMNS)}
    schemas = {"observations": _schema(OBS_COLUMNS, KEY_COLUMNS), "revisions": _schema(_REVISION_COLUMNS)}
    descriptor = {
        "name": f"womenstats-{region_code}-{year}",
        "title": f"地区 {region_code} 截至 {year} 年的监测数据",
        "profile": "tabular-data-package",
        "womenstats": {"package_version": PACKAGE_VERSION, "region_code": str(region_code), "year": int(year),
                       "plan": plan, "registry_version": registry_version()},
        "resources": [
            {"name": name, "path": RESOURCES[name], "profile": "tabular-data-resource", "format": "csv",
             "encoding": "utf-8", "mediatype": "text/csv", "bytes": len(data[name]),
             "hash": "sha256:" + hashlib.sha256(data[name]).hexdigest(), "schema": schemas[name]}
            for name in RESOURCES
        ],
    }
    text = json.dumps(descriptor, ensure_ascii=False, indent=2, sort_keys=True)
    files = {"datapackage.json": text.encode("utf-8"), **{RESOURCES[n]: data[n] for n in RESOURCES}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            zf.writestr(info, files[name])
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    partial.write_bytes(buffer.getvalue())
    partial.replace(out)
    return out


def _refuse(path: Path, message: str, code: str) -> InputError:
    return InputError(message, Location(file=path.name), code)


def read_package(path: str | Path) -> tuple[dict, dict[str, bytes]]:
    """Open a package and check it: layout, sizes, hashes, registry version and schemas.

    Returns
    -------
    (dict, dict)
        The descriptor and each resource's bytes.

    Raises
    ------
    InputError
        ``E_PACKAGE`` (not a womenstats package), ``E_TOO_LARGE``, ``E_PACKAGE_HASH``,
        ``E_PACKAGE_REGISTRY`` or ``E_PACKAGE_SCHEMA``, each naming the file and what to do.
    """
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        raise _refuse(path, "不是有效的数据包（zip 文件无法打开）：请重新导出后再导入。",
                      "E_PACKAGE") from None
    with zf:
        total = sum(i.file_size for i in zf.infolist())
        if total > MAX_PACKAGE_BYTES:
            size, limit = total / 2**20, MAX_PACKAGE_BYTES / 2**20
            raise _refuse(path, f"数据包解压后有 {size:.1f} MiB，超过上限 {limit:.0f} MiB。", "E_TOO_LARGE")
        names = set(zf.namelist())
        if names != {"datapackage.json", *RESOURCES.values()}:
            raise _refuse(path, "数据包的文件组成不对（应含 datapackage.json 和 data/ 下的两个 CSV）："
                                "请用 womenstats export 重新生成。", "E_PACKAGE")
        descriptor = json.loads(zf.read("datapackage.json").decode("utf-8"))
        data = {r["name"]: zf.read(r["path"]) for r in descriptor.get("resources", [])}
    meta = descriptor.get("womenstats", {})
    if meta.get("package_version") != PACKAGE_VERSION or set(data) != set(RESOURCES):
        raise _refuse(path, "不是本系统导出的数据包（缺少 womenstats 说明或资源）。", "E_PACKAGE")
    for resource in descriptor["resources"]:
        actual = "sha256:" + hashlib.sha256(data[resource["name"]]).hexdigest()
        if actual != resource.get("hash"):
            raise _refuse(path, f"资源 {resource['path']} 的内容与数据包记录的哈希不符"
                                "（文件在导出后被改动或损坏）：请向报送单位索取原数据包。", "E_PACKAGE_HASH")
    if meta.get("registry_version") != registry_version():
        raise _refuse(path, "数据包所用的指标库版本与本库不同（指标的单位或口径可能不一致）："
                            "请双方先统一指标库版本，再重新导出导入。", "E_PACKAGE_REGISTRY")
    _validate_schemas(path, descriptor, data)
    return descriptor, data


def _validate_schemas(path: Path, descriptor: dict, data: dict[str, bytes]) -> None:
    from frictionless import Package

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "data").mkdir()
        for resource in descriptor["resources"]:
            (root / resource["path"]).write_bytes(data[resource["name"]])
        (root / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
        report = Package(str(root / "datapackage.json")).validate()
    if not report.valid:
        error = report.flatten(["rowNumber", "fieldName", "type", "note"])[0]
        row, field, kind, note = error
        raise _refuse(path, f"数据包第 {row} 行“{field}”不符合表结构（{kind}：{note}）："
                            "请报送单位更正后重新导出。", "E_PACKAGE_SCHEMA")


def prepare_package(path: str | Path, region: str | None = None) -> tuple[dict, PreparedFile]:
    """Check a package (:func:`read_package`) and its region, and turn it into a file to load.

    Parameters
    ----------
    path : str or Path
        The package (``.zip``) written by :func:`export_package`.
    region : str, optional
        The receiving region: the package's region must lie below it (at any depth) in the
        region registry.

    Returns
    -------
    (dict, PreparedFile)
        The package's ``womenstats`` metadata and its observations, named by the package file and
        identified by the hash of the observations resource.
    """
    from womenstats.catalog import regions

    path = Path(path)
    descriptor, data = read_package(path)
    meta = descriptor["womenstats"]
    if region is not None and str(region) not in regions.parents(meta["region_code"]):
        raise _refuse(path, f"数据包的地区 {meta['region_code']}（{regions.name(meta['region_code'])}）"
                            f"不是本级地区 {region} 的下级：请确认数据包是否报错了单位。", "E_PACKAGE_REGION")
    rows = pd.read_csv(io.BytesIO(data["observations"]), dtype=dict.fromkeys(OBS_COLUMNS, str),
                       keep_default_na=False)
    for col in ("year", "simulated"):
        rows[col] = rows[col].astype(int)
    for col in ("value", "numerator", "denominator"):
        rows[col] = pd.to_numeric(rows[col].replace("", None), errors="raise")
    sha = hashlib.sha256(data["observations"]).hexdigest()
    return meta, PreparedFile(path.name, sha, rows[list(OBS_COLUMNS)])


def ingest_packages(paths, store: Store, *, revise: bool = False,
                    region: str | None = None) -> list[PackageResult]:
    """Load checked packages into ``store``, all of them or nothing.

    Parameters
    ----------
    paths : sequence of str or Path
        Packages written by :func:`export_package`.
    store : Store
        The receiving store (the city's).
    revise : bool, default False
        Allow changed values to replace stored ones (the old ones go to the revision history).
    region : str, optional
        The receiving region (see :func:`prepare_package`).

    Returns
    -------
    list of PackageResult
        One per package, in order; a package loaded before changes nothing (``summary.already``).

    Raises
    ------
    InputError
        The refusals of :func:`read_package` and :func:`prepare_package`, and ``E_PACKAGE_REVISED``
        for changed values without ``revise``. Nothing is written then.
    """
    prepared = [prepare_package(p, region) for p in paths]
    summaries, problems = store.load([file for _, file in prepared], revise=revise)
    if problems:
        first = problems[0]
        raise _refuse(Path(paths[0]), f"数据包修改了库中已有的 {len(problems)} 个数值（如 {first.message}）："
                                      "确认是更正后，加 --revise 重新导入，旧值将存入修订记录。",
                      "E_PACKAGE_REVISED")
    return [PackageResult(m["region_code"], int(m["year"]), s)
            for (m, _), s in zip(prepared, summaries, strict=True)]
