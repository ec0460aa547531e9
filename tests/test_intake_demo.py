"""The embedded demonstration data (模拟数据): reproducible, labelled simulated, on a county scale."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from womenstats import catalog
from womenstats.intake import Store, build_store
from womenstats.intake.demo import REGIONS, generate

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
DEMO = RAW / "demo"


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "README.md"
    }


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path = tmp_path_factory.mktemp("demo") / "womenstats.sqlite"
    build_store(path)
    return Store(path)


def test_the_script_regenerates_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    generate(tmp_path)
    assert _digests(tmp_path) == _digests(DEMO)


def test_every_demo_value_is_simulated_and_every_national_value_real(store: Store) -> None:
    obs = store.observations()
    national = obs["region_code"] == "000000"
    assert national.any() and (~national).any()
    assert (obs.loc[national, "simulated"] == 0).all()
    assert (obs.loc[~national, "simulated"] == 1).all()
    assert set(obs.loc[~national, "region_code"]) == {catalog.plan(r.plan).region_code for r in REGIONS}


def test_counties_have_their_own_scale_of_births_and_maternal_deaths(store: Store) -> None:
    linhe = catalog.plan("linhe").region_code
    mmr = store.observations(region_code=linhe, indicator_id="health.maternal_mortality")
    mmr = mmr[(mmr["sex"].isin(["female", "total"])) & (mmr["residence"] == "all")]
    assert len(mmr) >= 5
    assert mmr["denominator"].between(3000, 6500).all()
    assert mmr["numerator"].between(0, 3).all()


def test_the_flaws_real_returns_have(store: Store) -> None:
    taobei = store.observations(plan="taobei")
    assert 2022 not in set(taobei["year"])
    revisions = store.revisions()
    assert (revisions["region_code"] == catalog.plan("kaiping").region_code).any()
    assert len(store.normalisations()) > 0


def test_building_twice_gives_the_same_content(store: Store, tmp_path: Path) -> None:
    again = tmp_path / "again.sqlite"
    build_store(again)
    assert Store(again).content_sha256() == store.content_sha256()
