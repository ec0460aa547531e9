"""One import: ``import womenstats as ws`` reaches every module lazily, and the docs name only what exists."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import womenstats as ws

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("catalog", "intake", "gender", "trend", "assess", "report")

#: The functions a statistician reaches for first, by module.
COMMON = {
    "catalog": ["load", "plan", "plans", "indicator", "indicators", "target", "indicator_info"],
    "intake": ["Store", "validate_file", "ingest_files", "read_return", "write_template"],
    "gender": ["compare_sexes", "proportion", "poisson_rate", "female_share", "aggregate", "suppress"],
    "trend": ["project", "Projection", "project_batch", "backtest", "plot_projection"],
    "assess": ["assess_plan", "assess_series", "target_projection", "target_series", "indicator_info"],
    "report": ["run_report", "audit_report", "open_report", "show_table", "show_chart"],
}

#: A module path in backticks, optionally after ``ws.`` or ``womenstats.``, and whether it is called.
CITED = re.compile(r"(?<![\w.])((?:ws\.|womenstats\.)?(?:" + "|".join(MODULES)
                   + r")(?:\.[A-Za-z_]\w*)+)(\()?")


def test_the_modules_are_imported_on_first_access_only():
    code = ("import sys, womenstats as ws; "
            "assert not [m for m in sys.modules if m.startswith(('womenstats.trend', 'womenstats.assess'))]; "
            "ws.trend.project; assert 'womenstats.trend' in sys.modules; "
            "assert 'womenstats.report.run.runner' not in sys.modules; print(sorted(ws.__all__))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == str(sorted(["__version__", "register_chinese_font", *MODULES]))


def test_every_module_and_common_function_is_reachable_and_listed():
    for module in MODULES:
        mod = getattr(ws, module)
        assert mod is importlib.import_module(f"womenstats.{module}")
        assert module in dir(ws)
        for name in COMMON[module]:
            assert name in mod.__all__, f"{module}.{name} not in __all__"
            assert callable(getattr(mod, name))
        for name in mod.__all__:
            getattr(mod, name)  # every listed name exists
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        ws.nothing  # noqa: B018


@pytest.fixture(scope="module")
def fresh() -> dict[str, list[str]]:
    """What ``dir(ws.<module>)`` lists right after ``import womenstats.<module>`` in a new interpreter."""
    code = ("import importlib, json; print(json.dumps({m: sorted(dir(importlib.import_module("
            f"'womenstats.' + m))) for m in {MODULES!r}}}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _resolve(dotted: str, fresh: dict[str, list[str]]):
    """Resolve a cited name as a user would reach it.

    The short form (``trend.project``, ``ws.trend.project``) must be an attribute chain from ``ws``
    in a new interpreter: its second name must be listed by the module as imported alone
    (``gender.rollup`` is not: the submodule is not imported by ``womenstats.gender``). A full
    ``womenstats.`` path is a module path: its modules may be imported.
    """
    parts = dotted.split(".")
    if parts[0] == "womenstats":
        obj, path = ws, "womenstats"
        for part in parts[1:]:
            path = f"{path}.{part}"
            obj = getattr(obj, part) if hasattr(obj, part) else importlib.import_module(path)
        return obj
    if parts[0] == "ws":
        parts = parts[1:]
    if parts[1] not in fresh[parts[0]]:
        raise AttributeError(f"ws.{parts[0]} has no attribute {parts[1]!r} "
                             f"(write womenstats.{dotted} for a module)")
    obj = getattr(ws, parts[0])
    for part in parts[1:]:
        obj = getattr(obj, part)
    return obj


def _cited() -> list[tuple[str, str, bool]]:
    out = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for span in re.findall(r"`([^`\n]+)`", path.read_text(encoding="utf-8")):
            for match in CITED.finditer(span):
                name = match.group(1)
                if re.search(r"\.(md|py|csv|yaml|ipynb|sqlite)$", name):
                    continue  # a file, not a name
                out.append((path.name, name, match.group(2) is not None))
    return sorted(set(out))


def test_every_name_the_docs_and_readme_cite_exists(fresh):
    cited = _cited()
    assert len(cited) > 60
    missing = []
    for file, name, called in cited:
        try:
            obj = _resolve(name, fresh)
        except (AttributeError, ImportError) as exc:
            missing.append(f"{file}: {name} ({exc})")
            continue
        if called and not callable(obj):
            missing.append(f"{file}: {name}() is not callable")
    assert missing == []


def test_the_resolver_catches_what_the_issue_found(fresh):
    import womenstats.gender.rollup  # noqa: F401  (imported here, still no attribute of a fresh ws.gender)

    for name in ("gender.rollup", "gender.no_such_function", "trend.projection.no_such_thing"):
        with pytest.raises(AttributeError):
            _resolve(name, fresh)
    assert callable(_resolve("womenstats.gender.rollup.rollup", fresh))
    assert _resolve("ws.trend.project", fresh) is ws.trend.project


def test_shared_docstrings_are_filled_and_an_unknown_placeholder_fails():
    from womenstats._docstrings import PARAMETERS, fill

    for module in MODULES:
        mod = getattr(ws, module)
        for name in mod.__all__:
            doc = getattr(getattr(mod, name), "__doc__", None) or ""
            assert "%(" not in doc, f"{module}.{name}: placeholder left in its docstring"
    doc = ws.catalog.load.__doc__
    assert "    data_dir : path-like, optional\n        The catalog data folder" in doc
    assert PARAMETERS["data_dir"].splitlines()[1].strip() in ws.catalog.structure.__doc__
    with pytest.raises(KeyError, match="datadir"):
        fill("Parameters\n    %(datadir)s")
