"""Write environment.yml from requirements.lock so conda users get the same pins."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    """Rewrite environment.yml with every pin of requirements.lock under ``pip:``."""
    pins = [
        line.strip()
        for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    lines = [
        "# Generated from requirements.lock by tools/write_environment.py (`make lock`); do not edit.",
        "# conda env create -f environment.yml && conda activate womenstats && pip install --no-deps -e .",
        "name: womenstats",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        "  - python=3.11",
        "  - pip",
        "  - pip:",
        *[f"      - {pin}" for pin in pins],
    ]
    (ROOT / "environment.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
