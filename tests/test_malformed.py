"""The malformed-returns corpus: each file is refused with its exact code and location, and nothing changes.

Every file in ``tests/malformed/`` has exactly one thing wrong (``expected.csv`` says which code and
where). Through the real ``womenstats`` entry point, ``validate`` must print a line
``FILE[:SHEET]:CELL-or-ROW: 错误 CODE: ...`` and exit 1 (2 when the file cannot be read), and
``ingest`` must refuse the file, leaving a store that already holds good data byte-identical, and
``data/raw`` must hash the same before and after.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from womenstats.cli import main
from womenstats.intake import Store

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "malformed"
RAW = HERE.parent / "data" / "raw"
GOOD = (
    "地区代码,年份,指标代码,性别,年龄组,城乡,数值,分子,分母,单位,来源\r\n"
    "440783,2023,health.maternal_mortality,,,,25.0,1,4000,1/10万,卫健\r\n"
)


def _expected() -> list[dict[str, str]]:
    with open(CORPUS / "expected.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


CASES = _expected()


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def seeded_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding one good value, so that "unchanged" is tested on a non-empty database."""
    folder = tmp_path_factory.mktemp("store")
    good = folder / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    store = folder / "womenstats.sqlite"
    assert main(["ingest", str(good), "--store", str(store)]) == 0
    return store


def test_corpus_has_at_least_thirty_files() -> None:
    names = {p.name for p in CORPUS.iterdir() if p.name.startswith("m")}
    assert len(CASES) >= 30
    assert {case["file"] for case in CASES} <= names


def test_generator_reproduces_the_corpus(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(CORPUS / "make_malformed.py"), str(tmp_path)], check=True)
    for path in sorted(tmp_path.iterdir()):
        assert path.read_bytes() == (CORPUS / path.name).read_bytes(), path.name


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_validate_reports_code_and_location(case: dict[str, str], capsys: pytest.CaptureFixture,
                                           monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(CORPUS)
    argv = ["validate", case["file"], "--store", str(tmp_path / "absent.sqlite")]
    if case["plan"]:
        argv += ["--plan", case["plan"]]
    code = main(argv)
    lines = capsys.readouterr().out.splitlines()
    wanted = f"{case['location']}: 错误 {case['code']}: "
    assert any(line.startswith(wanted) for line in lines), lines
    assert code == (2 if case["code"] == "E_UNREADABLE" else 1)
    assert not (tmp_path / "absent.sqlite").exists()


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_ingest_refuses_and_changes_nothing(case: dict[str, str], seeded_store: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture) -> None:
    store = tmp_path / "womenstats.sqlite"
    shutil.copyfile(seeded_store, store)
    before_store = store.read_bytes()
    before_content = Store(store).content_sha256()
    before_raw = _tree_hash(RAW)
    argv = ["ingest", str(CORPUS / case["file"]), "--store", str(store)]
    if case["plan"]:
        argv += ["--plan", case["plan"]]
    assert main(argv) != 0
    out = capsys.readouterr().out
    assert f" 错误 {case['code']}: " in out
    assert case["file"] in out
    assert store.read_bytes() == before_store
    assert Store(store).content_sha256() == before_content
    assert _tree_hash(RAW) == before_raw
    assert sorted(p.name for p in tmp_path.iterdir()) == ["womenstats.sqlite"]


def test_a_bad_file_among_good_ones_loads_nothing(seeded_store: Path, tmp_path: Path) -> None:
    store = tmp_path / "womenstats.sqlite"
    shutil.copyfile(seeded_store, store)
    good = tmp_path / "good2023.csv"
    good.write_text(GOOD.replace("2023", "2022"), encoding="utf-8")
    before = store.read_bytes()
    assert main(["ingest", str(good), str(CORPUS / "m06_value_text.csv"), "--store", str(store)]) == 1
    assert store.read_bytes() == before
    assert main(["ingest", str(good), "--store", str(store)]) == 0
    assert len(Store(store).observations()) == 2
