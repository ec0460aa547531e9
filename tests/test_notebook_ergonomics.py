"""Notebook ergonomics: the kernel's PATH, inline figures, work/ outside lint and nbval, make lab."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KERNEL_SPEC = Path(sys.prefix) / "share" / "jupyter" / "kernels" / "womenstats" / "kernel.json"


def _notebook(*sources: str) -> dict:
    cells = [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [],
              "source": source} for i, source in enumerate(sources)]
    kernel = {"name": "womenstats", "display_name": "Python 3 (womenstats)", "language": "python"}
    return {"cells": cells, "metadata": {"kernelspec": kernel}, "nbformat": 4, "nbformat_minor": 5}


def test_the_kernel_puts_the_environments_bin_first_on_path():
    spec = json.loads(KERNEL_SPEC.read_text(encoding="utf-8"))
    assert spec["display_name"] == "Python 3 (womenstats)"
    assert spec["env"]["PATH"] == f"{Path(sys.prefix) / 'bin'}:${{PATH}}"


def test_a_fresh_kernel_runs_the_command_and_shows_figures_inline(tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    bin_dir = str(Path(sys.prefix) / "bin")
    elsewhere = [p for p in os.environ["PATH"].split(os.pathsep) if p != bin_dir]
    monkeypatch.setenv("PATH", os.pathsep.join(elsewhere))
    monkeypatch.delenv("MPLBACKEND", raising=False)
    nb = nbformat.from_dict(_notebook(
        "!womenstats --version",
        "import womenstats as ws\n"
        "p = ws.trend.project([2020, 2021, 2022, 2023], [50.0, 52.0, 53.5, 55.0], bounds=(0, 100))\n"
        "ax = p.plot(target=60)",
    ))
    where = {"metadata": {"path": str(tmp_path)}}
    NotebookClient(nb, kernel_name="womenstats", timeout=120, resources=where).execute()
    version = "".join(out.get("text", "") for out in nb.cells[0].outputs)
    assert version.strip() == "womenstats 0.1.0"
    images = [out for out in nb.cells[1].outputs if "image/png" in out.get("data", {})]
    assert len(images) == 1  # shown inline by the kernel, once
    assert not [out for out in nb.cells[1].outputs if out.get("name") == "stderr"]


def _scratch(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_notebook("import os\nx=1;y = 2\n")), encoding="utf-8")


def test_scratch_notebooks_outside_notebooks_are_neither_linted_nor_collected(tmp_path):
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for place in ("notebooks/project.ipynb", "work/mine.ipynb", "scratch.ipynb", "docs/draft.ipynb"):
        _scratch(tmp_path / place)
    (tmp_path / "work" / "helper.py").write_text("import os\n", encoding="utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_nothing.py").write_text("def test_nothing():\n    pass\n", encoding="utf-8")
    lint = subprocess.run([str(Path(sys.prefix) / "bin" / "ruff"), "check", ".", "--no-cache",
                           "--output-format", "concise"], cwd=tmp_path, capture_output=True, text=True)
    flagged = {line.split(":")[0] for line in lint.stdout.splitlines() if ":" in line}
    assert flagged == {"notebooks/project.ipynb"}  # the project's notebooks are still linted
    collect = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "--nbval", "-p",
                              "no:cacheprovider"], cwd=tmp_path, capture_output=True, text=True)
    files = {line.split("::")[0] for line in collect.stdout.splitlines() if "::" in line}
    assert files == {"tests/test_nothing.py", "notebooks/project.ipynb"}


def test_work_is_documented_ignored_and_opened_by_make_lab():
    readme = (ROOT / "work" / "README.md").read_text(encoding="utf-8")
    assert "Python 3 (womenstats)" in readme and "不被 `make test`" in readme
    ignored = subprocess.run(["git", "check-ignore", "-q", "work/mine.ipynb"], cwd=ROOT)
    kept = subprocess.run(["git", "check-ignore", "-q", "work/README.md"], cwd=ROOT)
    assert (ignored.returncode, kept.returncode) == (0, 1)
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    dry = subprocess.run(["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "mkdir -p work" in dry and f"jupyter lab --notebook-dir={ROOT}" in dry
    assert "work/" in (ROOT / "README.md").read_text(encoding="utf-8")
