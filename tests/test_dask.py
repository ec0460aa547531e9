"""Dask: reports of several plans and batch projections of many regions on a real LocalCluster.

Both paths must give what the serial path gives, byte for byte: the four files of each report, and
the frame of one ``project_batch`` call. The cluster has two worker processes with one thread each.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from distributed import LocalCluster

from report_store import PLAN, SERIES, build_store, write_csv
from womenstats import cluster
from womenstats.cli import main
from womenstats.errors import CatalogError, InputError
from womenstats.intake import Store
from womenstats.intake.ingest import ingest_files
from womenstats.report import ReportError, run_many
from womenstats.report.run.runner import resolve_plans
from womenstats.trend.batch import project_batch
from womenstats.trend.distributed import project_regions, region_groups

OTHER_PLAN, OTHER_REGION = "taobei", "220802"


@pytest.fixture(scope="module")
def client():
    with cluster.connect(None, 2) as dask_client:
        assert len(dask_client.scheduler_info()["workers"]) == 2
        yield dask_client


def _national_like(regions: int = 24, targets: int = 12, seed: int = 7) -> pd.DataFrame:
    """A few hundred series: gaps, two regions complete (damped fits), short and bounded series."""
    rng = np.random.default_rng(seed)
    years = np.arange(2011, 2026)
    rows = []
    for region in range(regions):
        for target in range(targets):
            upper = 100.0 if target % 3 else np.nan
            level, slope = rng.uniform(30, 70), rng.uniform(-1, 1.5)
            values = np.clip(level + slope * (years - 2011) + rng.normal(0, 1.5, len(years)), 1, 99)
            keep = np.ones(len(years), dtype=bool) if region < 2 else rng.random(len(years)) > 0.25
            if target == 0 and region % 5 == 4:
                keep[:] = False
                keep[-2:] = True  # a short series: the one-series path
            for year, value in zip(years[keep], values[keep], strict=True):
                rows.append((f"R{region:03d}", f"t{target:02d}", int(year), float(value), 0.0, upper))
    return pd.DataFrame(rows, columns=["region", "target", "year", "value", "lower", "upper"])


def test_region_groups_are_consecutive_and_cover_every_region():
    regions = np.array([f"R{i}" for i in range(10)])
    groups = region_groups(regions, 4)
    assert np.concatenate(groups).tolist() == regions.tolist()
    assert len(groups) == 4 and region_groups(regions, 50)[-1].tolist() == ["R9"]


def test_projection_on_the_cluster_equals_one_batch_call(client):
    obs = _national_like()
    keys = ["region", "target"]
    expected = project_batch(obs, [2025, 2030], keys=keys, workers=1)
    assert {"damped", "vectorised", "single"} <= set(expected["route"])
    for tasks in (None, 5):
        got = project_regions(obs, [2025, 2030], keys=keys, client=client, tasks=tasks)
        pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_projection_through_a_scheduler_address(client):
    obs = _national_like(regions=8, targets=6, seed=3)
    keys = ["region", "target"]
    expected = project_batch(obs, 2030, keys=keys, workers=1, damped=False)
    got = project_regions(obs, 2030, keys=keys, scheduler=client.scheduler.address, damped=False)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_bad_series_names_its_group_after_the_others_finish(client):
    obs = _national_like(regions=6, targets=4, seed=5)
    obs = pd.concat([obs, obs.iloc[[len(obs) - 1]]])  # a repeated year in the last region
    with pytest.raises(InputError, match="R005"):
        project_regions(obs, 2030, keys=["region", "target"], client=client, tasks=3, damped=False)


def test_unreachable_scheduler_is_a_clear_error(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1)
    code = main(["report", "--plan", PLAN, "--kind", "annual", "--year", "2025", "--out", str(tmp_path),
                 "--scheduler", "tcp://127.0.0.1:9", "--no-progress"])
    assert code == 2
    assert "无法连接 --scheduler tcp://127.0.0.1:9" in capsys.readouterr().err


def _two_plan_store(folder: Path) -> Path:
    """The report tests' store of 开平市 plus the same series for 洮北区 (a second plan)."""
    store = build_store(folder)
    rows = [f"{OTHER_REGION},{year},{indicator},{sex},all,all,{value},{unit},卫健\n"
            for indicator, sex, unit, values in SERIES
            for year, value in zip(range(2018, 2025), values, strict=True)]
    result = ingest_files([write_csv(folder / "other.csv", rows)], plan=OTHER_PLAN, labels=["other.csv"],
                          simulated=True, store=Store(store))
    assert result.loaded, result.problems
    return store


def _digests(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


def test_reports_on_a_local_cluster_equal_the_serial_run(tmp_path):
    store = _two_plan_store(tmp_path)
    out = tmp_path / "reports"
    serial = run_many([PLAN, OTHER_PLAN], "annual", 2025, store=store, out=out, progress=False, jobs=1)
    assert serial.exit_code == 0, serial.failed
    before = _digests(out)
    assert len(before) == 8
    for path in out.rglob("*"):
        if path.is_file():
            path.unlink()
    on_dask = run_many([PLAN, "no_such_plan", OTHER_PLAN], "annual", 2025, store=store, out=out,
                       progress=False, jobs=2)
    assert list(on_dask.written) == [PLAN, OTHER_PLAN]
    assert "未知的规划代码" in on_dask.failed["no_such_plan"] and on_dask.exit_code == 1
    assert _digests(out) == before  # the same bytes as one after another in one process


def test_project_command_writes_the_batch_frame(tmp_path, capsys):
    obs = _national_like(regions=4, targets=3, seed=11)
    source = tmp_path / "obs.csv"
    obs.to_csv(source, index=False)
    out = tmp_path / "proj.csv"
    assert main(["project", "--input", str(source), "--keys", "region,target", "--years", "2025,2030",
                 "--out", str(out), "--jobs", "1", "--closed-form", "--no-progress"]) == 0
    got = pd.read_csv(out, dtype={"region": str, "target": str})
    expected = project_batch(obs, [2025, 2030], keys=["region", "target"], workers=1, damped=False)
    assert got[["region", "target", "year", "model"]].equals(
        expected[["region", "target", "year", "model"]].astype({"year": "int64"}))
    assert np.allclose(got["point"], expected["point"], rtol=1e-9)
    assert "已写出" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["obs.csv", "proj.csv"]  # no temporary file left


def test_project_command_names_missing_columns(tmp_path, capsys):
    source = tmp_path / "obs.csv"
    source.write_text("region,target,year,value\nR1,t1,2020,1.0\n", encoding="utf-8")
    assert main(["project", "--input", str(source), "--keys", "region,target", "--years", "2030",
                 "--jobs", "1", "--out", str(tmp_path / "proj.csv")]) == 2
    assert "缺少列 lower, upper" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["obs.csv"]  # a failed run writes nothing


def test_scheduler_without_workers_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 1)
    with LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as empty, \
            pytest.raises(cluster.ClusterError, match="没有可用的 worker"), \
            cluster.connect(empty.scheduler_address):
        pass


def test_plan_spec_names_every_plan_below_a_region():
    assert resolve_plans("region:440000") == ["kaiping", "nansha"]
    with pytest.raises(ReportError, match="下属地区的规划"):
        resolve_plans("region:440703")
    with pytest.raises(CatalogError):
        resolve_plans("region:999999")


def test_workers_compute_without_the_nannys_malloc_setting_or_the_profiler(client):
    # MALLOC_TRIM_THRESHOLD_ turns off glibc's dynamic mmap threshold (1.86x on the batch projection)
    import os

    def settings():
        import dask

        return os.environ.get("MALLOC_TRIM_THRESHOLD_"), dask.config.get("distributed.worker.profile.enabled")

    assert set(client.run(settings).values()) == {(None, False)}
    nanny = cluster.worker_config()["distributed"]["nanny"]
    assert nanny["pre-spawn-environ"]["MALLOC_TRIM_THRESHOLD_"] is None


def test_the_default_is_whatever_is_fastest_here(monkeypatch):
    # on 2 cores: a cluster pays from 2 reports on (start 0.55 + 1.2 < 2 serial reports), and from 25 000
    # series
    from womenstats.report.run import runner
    from womenstats.trend import distributed

    monkeypatch.setattr(cluster, "cores", lambda: 2)
    assert [runner.default_jobs(n) for n in (1, 2, 3, 4, 5, 8)] == [1, 2, 2, 2, 2, 2]
    monkeypatch.setattr(cluster, "cores", lambda: 1)
    assert runner.default_jobs(8) == 1
    monkeypatch.setattr(cluster, "cores", lambda: 2)
    small = _national_like()
    assert distributed._default_workers(small, ["region", "target"]) == 1
    many = pd.DataFrame({"r": np.arange(distributed.DASK_MIN_SERIES), "t": 0, "value": 1.0})
    assert distributed._default_workers(many, ["r", "t"]) == 2
    assert distributed._default_workers(many.iloc[:-1], ["r", "t"]) == 1


def test_a_report_process_serves_one_job_after_another_and_is_replaced_when_it_dies():
    from womenstats.report.run import isolated

    env = isolated.report_env()
    job = ("no-such-plan", "annual", 2025, None, None, "ours", "womenstats")
    first = isolated.run_isolated(job, env)
    assert first[1] is None and "未知的规划代码" in first[2]
    process = isolated._server(env)[0]
    second = isolated.run_isolated(job, env)
    assert second == first and isolated._server(env)[0] is process  # the same process served both
    process.kill()
    process.wait()
    third = isolated.run_isolated(job, env)  # a dead process is replaced, not reused
    assert third == first and isolated._server(env)[0] is not process
    isolated._stop_all()


def test_a_hand_started_worker_with_the_documented_environment_computes_as_fast(tmp_path):
    # docs/scale.md: `dask worker` started with cluster.WORKER_SHELL_ENV (what --scheduler users do)
    import os
    import subprocess
    import sys

    from distributed import Client

    def settings():
        import dask

        return os.environ.get("MALLOC_TRIM_THRESHOLD_"), dask.config.get("distributed.worker.profile.enabled")

    with LocalCluster(n_workers=0, dashboard_address=":0") as scheduler_only:
        command = [str(Path(sys.executable).parent / "dask"), "worker", scheduler_only.scheduler_address,
                   "--nthreads", "1"]
        worker = subprocess.Popen(command, env={**os.environ, **cluster.WORKER_SHELL_ENV},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
        try:
            with Client(scheduler_only.scheduler_address, set_as_default=False) as hand:
                hand.wait_for_workers(1, timeout=60)
                assert list(hand.run(settings).values()) == [(None, False)]
        finally:
            worker.terminate()
            worker.wait(timeout=30)
