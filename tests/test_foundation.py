"""The project's foundation: pins in step, the Chinese font renders, the command answers."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

import womenstats
from womenstats._fonts import FONT_FAMILY, chinese_font_path
from womenstats.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _pins(lines):
    return {
        line.strip().lstrip("- ").strip()
        for line in lines
        if re.match(r"^\s*-?\s*[A-Za-z0-9_.\-]+==\S+\s*$", line)
    }


def test_environment_yml_mirrors_lock():
    lock = _pins((ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines())
    env = _pins((ROOT / "environment.yml").read_text(encoding="utf-8").splitlines())
    assert lock, "requirements.lock holds no pins"
    assert env == lock


def test_requirements_in_pins_are_in_lock():
    top = _pins((ROOT / "requirements.in").read_text(encoding="utf-8").splitlines())
    lock = {p.lower().replace("_", "-") for p in _pins((ROOT / "requirements.lock").read_text().splitlines())}
    missing = {p for p in top if p.lower().replace("_", "-") not in lock}
    assert not missing, f"requirements.in pins absent from the lock: {missing}"


def test_installed_versions_match_lock():
    from importlib.metadata import PackageNotFoundError, version

    mismatched = []
    for pin in _pins((ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()):
        name, wanted = pin.split("==")
        try:
            got = version(name)
        except PackageNotFoundError:
            mismatched.append(f"{name}: not installed")
            continue
        if got != wanted:
            mismatched.append(f"{name}: {got} != {wanted}")
    assert not mismatched, mismatched


def test_font_is_registered_at_import():
    assert chinese_font_path().is_file()
    assert matplotlib.rcParams["font.sans-serif"][0] == FONT_FAMILY
    assert womenstats.register_chinese_font() == FONT_FAMILY  # idempotent


def test_chinese_chart_has_no_missing_glyph(tmp_path):
    fig, ax = plt.subplots()
    ax.set_title("孕产妇死亡率（1/10万）与村委会成员中女性比例")
    ax.set_xlabel("年份")
    ax.set_ylabel("女性比例（%）")
    ax.plot([2020, 2021, 2022], [1, 2, 3], label="模拟数据")
    ax.legend()
    out = tmp_path / "chart.png"
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")
        fig.savefig(out)
    plt.close(fig)
    assert out.stat().st_size > 1000


def test_missing_glyph_is_detected_when_font_lacks_it(tmp_path):
    # The glyph check above must be able to fail: DejaVu Sans alone lacks CJK glyphs.
    with matplotlib.rc_context({"font.sans-serif": ["DejaVu Sans"], "font.family": ["sans-serif"]}):
        fig, ax = plt.subplots()
        ax.set_title("妇女")
        with pytest.warns(UserWarning, match="missing from font"):
            fig.savefig(tmp_path / "bad.png")
        plt.close(fig)


def test_cli_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert womenstats.__version__ in capsys.readouterr().out
