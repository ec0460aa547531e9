"""The provenance block every report begins with: what produced it, from which inputs, exactly.

The record holds the package version, the SHA-256 of ``requirements.lock``, the run's parameters,
the SHA-256 of every input file whose values the report shows (as recorded by the store when the
file was ingested, and re-hashed from ``data/raw`` when the file is still there), the catalog files
the plan's targets come from, and :meth:`womenstats.intake.Store.content_sha256`. Paths are
relative to the project root, so the record holds no absolute path.
"""

from __future__ import annotations

from pathlib import Path

from womenstats import __version__, catalog, paths
from womenstats._io import sha256_file
from womenstats._safe import code_literal
from womenstats.catalog import regions
from womenstats.intake import Store

# Defined in womenstats.paths (no pandas, so the runner loads them cheaply); kept here as before.
from womenstats.paths import display_path as display_path
from womenstats.paths import resolve_path as resolve_path

LOCK_FILE = "requirements.lock"


def _lock_sha256() -> str | None:
    lock = paths.project_root() / LOCK_FILE
    return sha256_file(lock) if lock.is_file() else None


def input_files(store: Store, plan_id: str, observations=None) -> list[dict[str, str | None]]:
    """Return the input files of a plan's observations, with their hashes.

    Parameters
    ----------
    store : womenstats.intake.Store
        The observation store.
    plan_id : str
        The plan whose region's observations the report uses.
    observations : pandas.DataFrame, optional
        The observations the report uses when they are not the plan region's (a parent region's
        report uses its children's).

    Returns
    -------
    list of dict
        ``file`` (as recorded at ingest), ``sha256`` (recorded at ingest) and ``sha256_now``
        (the file in ``data/raw`` hashed now, or None when it is not there), sorted by file. Only
        a plain name inside ``data/raw`` is ever opened (:func:`womenstats.paths.raw_file`): never
        an absolute path, a ``..`` or a name recorded inside a data package (``440783.zip!/…``).
    """
    obs = store.observations(plan=plan_id) if observations is None else observations
    pairs = sorted(set(zip(obs["source_file"], obs["source_sha256"], strict=True)))
    rows = []
    for name, digest in pairs:
        on_disk = paths.raw_file(name)
        now = sha256_file(on_disk) if on_disk is not None and on_disk.is_file() else None
        rows.append({"file": name, "sha256": digest, "sha256_now": now})
    return rows


def catalog_files(plan_id: str) -> list[dict[str, str]]:
    """Return the catalog files of a report (plan, targets, indicator and region registries), hashed."""
    root = Path(catalog.DATA_DIR)
    wanted = [root / "plans" / f"{plan_id}.yaml", root / "targets" / f"{plan_id}.csv"]
    wanted += sorted((root / "indicators").glob("*.yaml"))
    wanted.append(regions.registry_file())
    return [
        {"file": display_path(path), "sha256": sha256_file(path)} for path in wanted if path.is_file()
    ]


def provenance(parameters: dict, store: Store, plan_id: str, observations=None) -> dict:
    """Return the provenance record of a report run.

    Parameters
    ----------
    parameters : dict
        The notebook's parameters (plan, year, store, out_dir, method), paths as written in reports.
    store : womenstats.intake.Store
        The observation store the report reads.
    plan_id : str
        The plan reported on (whose targets the report assesses).
    observations : pandas.DataFrame, optional
        The observations the report uses, when not the plan region's (see :func:`input_files`).

    Returns
    -------
    dict
        ``package, version, requirements_lock_sha256, parameters, store, store_content_sha256,
        inputs, catalog, simulated``.
    """
    obs = store.observations(plan=plan_id) if observations is None else observations
    return {
        "package": "womenstats",
        "version": __version__,
        "requirements_lock_sha256": _lock_sha256(),
        "parameters": {key: parameters[key] for key in sorted(parameters)},
        "store": display_path(store.path),
        "store_content_sha256": store.content_sha256(),
        "inputs": input_files(store, plan_id, obs),
        "catalog": catalog_files(plan_id),
        "simulated": bool(len(obs) and obs["simulated"].astype(bool).any()),
    }


def provenance_brief(record: dict) -> str:
    """Return the provenance in one paragraph, for a document sent out (a department's, a city's).

    The full record (every file's SHA-256) stays in the executed notebook, where ``womenstats audit``
    reads it; the document names the data and how to check it.
    """
    inputs = len(record.get("inputs", []))
    return (f"数据来源：本级数据库（{inputs}个报送文件，数据库内容编号 "
            f"{code_literal(str(record['store_content_sha256'])[:16])}），由 womenstats "
            f"{record['version']} 按统一方法计算；可用 womenstats audit 重新执行本报告并逐项核对。")


def provenance_markdown(record: dict) -> str:
    """Return the provenance record as the markdown block printed in a report's appendix.

    Every name that comes from a user, a file or a path (parameters, the store, input and catalog
    files) goes through :func:`womenstats._safe.code_literal`, so it shows as text in the HTML and
    Word reports whatever characters it holds (a backtick, ``<script>``, a ``|``).
    """
    params = "，".join(
        f"{code_literal(key)} = {code_literal(value)}" for key, value in record["parameters"].items()
    )
    lines = [
        "**来源与可复核信息（provenance）**",
        "",
        f"- 软件：womenstats {record['version']}；依赖锁定文件 requirements.lock 的 SHA-256："
        f"{code_literal(record['requirements_lock_sha256'])}",
        f"- 参数：{params}",
        f"- 数据库：{code_literal(record['store'])}，"
        f"内容 SHA-256：{code_literal(record['store_content_sha256'])}",
        "",
        "| 输入文件 | SHA-256（导入时） | 与 data/raw 中现有文件一致 |",
        "| --- | --- | --- |",
    ]
    for row in record["inputs"]:
        same = "—" if row["sha256_now"] is None else ("是" if row["sha256_now"] == row["sha256"] else "否")
        lines.append(f"| {code_literal(row['file'])} | {code_literal(row['sha256'])} | {same} |")
    lines += ["", "| 目录文件 | SHA-256 |", "| --- | --- |"]
    lines += [f"| {code_literal(row['file'])} | {code_literal(row['sha256'])} |" for row in record["catalog"]]
    if record["simulated"]:
        lines += ["", "**注意：本报告使用的地区数据为模拟数据，仅用于演示方法，不代表真实情况。**"]
    return "\n".join(lines)
