"""The observation store: provenance, idempotence, refusal of silent corrections, revision history, export."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from womenstats.cli import main
from womenstats.intake import OBS_COLUMNS, Store
from womenstats.intake.ingest import ingest_files
from womenstats.intake.store import ingest_time

HEADER = "地区代码,年份,指标代码,性别,年龄组,城乡,数值,分子,分母,单位,来源\n"


def _return(folder: Path, name: str, rows: list[str]) -> Path:
    path = folder / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def returns(tmp_path: Path) -> dict[str, Path]:
    mmr = "440783,{y},health.maternal_mortality,,,,{v},{n},{d},1/10万,卫健"
    first = _return(tmp_path, "2022.csv", [mmr.format(y=2021, v="25.0", n=1, d=4000),
                                           mmr.format(y=2022, v="0", n=0, d=3900)])
    fixed = _return(tmp_path, "2022更正.csv", [mmr.format(y=2022, v="25.0", n=1, d=4000)])
    return {"first": first, "fixed": fixed}


def test_values_keep_their_provenance(returns: dict[str, Path], tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    result = ingest_files([returns["first"]], labels=["2022.csv"], store=store)
    assert result.loaded and result.exit_code == 0
    obs = store.observations()
    assert list(obs.columns) == list(OBS_COLUMNS)
    assert obs["year"].tolist() == [2021, 2022]
    assert obs["numerator"].tolist() == [1.0, 0.0]
    assert obs["source_file"].tolist() == ["2022.csv", "2022.csv"]
    assert set(obs["source_sha256"]) == {hashlib.sha256(returns["first"].read_bytes()).hexdigest()}
    assert obs["cell"].tolist() == ["第2行", "第3行"]


def test_same_file_twice_changes_nothing(returns: dict[str, Path], tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite")
    ingest_files([returns["first"]], store=store)
    digest, files = store.content_sha256(), store.files()
    again = ingest_files([returns["first"]], store=store)
    assert again.loaded
    assert "W_ALREADY_INGESTED" in [p.code for p in again.problems]
    assert not any(p.is_error for p in again.problems)
    assert store.content_sha256() == digest
    pd.testing.assert_frame_equal(store.files(), files)


def test_a_correction_is_refused_without_revise(returns: dict[str, Path], tmp_path: Path,
                                                capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "s.sqlite"
    assert main(["ingest", str(returns["first"]), "--store", str(path)]) == 0
    before = path.read_bytes()
    assert main(["ingest", str(returns["fixed"]), "--store", str(path)]) == 1
    out = capsys.readouterr().out
    assert "E_REVISION_REFUSED" in out and "--revise" in out
    assert path.read_bytes() == before


def test_revise_keeps_the_old_value_with_when_and_which_file(returns: dict[str, Path], tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.sqlite"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1740816000")  # 2025-03-01T08:00:00Z
    assert main(["ingest", str(returns["first"]), "--store", str(path)]) == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1743494400")  # 2025-04-01T08:00:00Z
    assert main(["ingest", str(returns["fixed"]), "--store", str(path), "--revise"]) == 0
    store = Store(path)
    row = store.observations(region_code="440783").set_index("year").loc[2022]
    assert (row["value"], row["numerator"], row["denominator"]) == (25.0, 1.0, 4000.0)
    history = store.revisions()
    assert len(history) == 1
    old = history.iloc[0]
    assert (old["old_value"], old["old_numerator"], old["old_denominator"]) == (0.0, 0.0, 3900.0)
    assert old["old_source_file"].endswith("2022.csv")
    assert old["revised_by_file"].endswith("2022更正.csv")
    assert old["revised_at"] == "2025-04-01T08:00:00Z"
    assert store.files()["ingested_at"].tolist() == ["2025-03-01T08:00:00Z", "2025-04-01T08:00:00Z"]


def test_ingest_time_without_epoch_is_utc_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    stamp = ingest_time()
    assert len(stamp) == 20 and stamp.endswith("Z") and stamp[:2] == "20"


def test_store_is_a_real_sqlite_database(returns: dict[str, Path], tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    ingest_files([returns["first"]], store=Store(path))
    with sqlite3.connect(path) as conn:
        total = conn.execute(
            "SELECT SUM(numerator), SUM(denominator) FROM observations WHERE indicator_id = ?",
            ("health.maternal_mortality",),
        ).fetchone()
    assert total == (1.0, 7900.0)


def test_export_is_sorted_tidy_and_reloads_to_the_same_values(returns: dict[str, Path], tmp_path: Path,
                                                              capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "s.sqlite"
    ingest_files([returns["first"]], store=Store(path))
    out = tmp_path / "export.csv"
    assert main(["store", "export", "--store", str(path), "--out", str(out)]) == 0
    exported = pd.read_csv(out, dtype={"region_code": str})
    assert list(exported.columns) == list(OBS_COLUMNS)
    assert exported["value"].tolist() == [25.0, 0.0]
    assert main(["store", "export", "--store", str(path)]) == 0
    assert capsys.readouterr().out == out.read_text(encoding="utf-8")
    again = Store(tmp_path / "again.sqlite")
    assert ingest_files([out], store=again).loaded
    assert again.content_sha256() == Store(path).content_sha256()
