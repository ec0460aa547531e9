"""Reading the catalog's files: the data folder, a YAML file with the line of each node, raising problems.

Shared by :mod:`womenstats.catalog.loader` and :mod:`womenstats.catalog.structure`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from womenstats.catalog.schema import Problem
from womenstats.errors import CatalogError, Location
from womenstats.paths import package_data

#: The catalog data shipped with the package.
DATA_DIR: Path = package_data("catalog", "data")

PathLike = str | Path


def _root(data_dir: PathLike | None) -> Path:
    return Path(data_dir).resolve() if data_dir is not None else DATA_DIR


def _read_yaml(path: Path, root: Path) -> tuple[Any, Any]:
    """Return a YAML file's data and its node tree (for the line of each entry)."""
    rel = path.relative_to(root).as_posix()
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        loader = loader_class(path.read_text(encoding="utf-8"))
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise CatalogError(
            f"YAML 格式错误：{getattr(exc, 'problem', exc)}，请修正后重试。",
            Location(file=rel, row=line),
            "E_YAML",
        ) from None
    except UnicodeDecodeError:
        raise CatalogError(
            "文件不是 UTF-8 编码，请另存为 UTF-8。", Location(file=rel), "E_ENCODING"
        ) from None
    return data, node


def _raise(problems: list[Problem]) -> None:
    if not problems:
        return
    first = problems[0]
    more = (
        f"（另有 {len(problems) - 1} 处问题，运行 womenstats catalog check 查看全部）"
        if len(problems) > 1
        else ""
    )
    entry = f"（{first.entry}）" if first.entry else ""
    raise CatalogError(f"{entry}{first.message}{more}", first.location, first.code)
