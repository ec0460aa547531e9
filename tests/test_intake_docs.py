"""docs/intake.md lists every problem code with its severity, so a user can look any line of `validate` up."""

from __future__ import annotations

from pathlib import Path

from womenstats.intake.problems import CODES

DOC = Path(__file__).resolve().parents[1] / "docs" / "intake.md"


def test_every_problem_code_is_documented_with_its_severity() -> None:
    text = DOC.read_text(encoding="utf-8")
    for code, (severity, meaning) in CODES.items():
        assert f"| `{code}` | {severity} | {meaning} |" in text, code
