"""The quick start: notebooks/00_quickstart.ipynb (re-executed by nbval) and the README's copy of its code."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "00_quickstart.ipynb"


def _code_cells() -> list[dict]:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "womenstats"
    return [cell for cell in nb["cells"] if cell["cell_type"] == "code"]


def test_about_ten_cells_that_narrate_and_call_with_one_import():
    cells = _code_cells()
    sources = ["".join(cell["source"]) for cell in cells]
    assert 8 <= len(cells) <= 12
    assert cells[0]["metadata"].get("tags") == ["parameters"]
    assert "import womenstats as ws" in sources[1]
    code = "\n".join(sources)
    assert not re.search(r"^\s*(def|class|lambda)\b|^\s*(from|import) (?!womenstats as ws)", code, re.M)
    for call in ("ws.intake.Store().observations(", "ws.gender.compare_sexes(obs, \"difference\")",
                 "ws.trend.project(y, indicator=indicator)", "p.summary()", "p.plot(", "p.forecast(",
                 "ws.assess.assess_plan(plan, year)", "'at_risk', 'off_track', 'regressing'"):
        assert call in code, call


def test_committed_with_reproducible_outputs():
    cells = _code_cells()
    assert all(cell["outputs"] for cell in cells[1:])  # every call shows its result
    text = json.dumps([cell["outputs"] for cell in cells], ensure_ascii=False)
    assert "image/png" in text and "Projection Results: 村委会成员中女性比例" in text
    assert "newcombe" in text  # the comparison carries its intervals
    assert not re.search(r"0x[0-9a-fA-F]{6,}", text), "a memory address in an output"
    assert str(ROOT) not in text and "/home/" not in text
    assert not re.search(r"\b(19|20)\d\d-\d\d-\d\d[ T]\d\d:\d\d", text), "a timestamp in an output"
    assert "stderr" not in text  # no warnings on the way


def test_the_readme_shows_the_notebooks_code():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python 快速上手（JupyterLab）", 1)[1]
    block = re.search(r"```python\n(.*?)\n```", section, re.S).group(1)
    assert block == "\n\n".join("".join(cell["source"]) for cell in _code_cells())
