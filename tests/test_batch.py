"""The batch path gives the one-series path's numbers (to 1e-8) on random series with gaps."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from womenstats.errors import InputError
from womenstats.trend import choose, fit_candidates, project
from womenstats.trend.batch import BATCH_COLUMNS, project_batch

YEARS = [2024, 2025, 2030]
COLUMNS = ["point", "lo80", "hi80", "lo95", "hi95"]
BOUNDS = [(0.0, 100.0), (0.0, np.nan), (np.nan, np.nan), (0.0, 120.0), (-50.0, 50.0)]


def _bounds(lo, up):
    return (None if np.isnan(lo) else lo, None if np.isnan(up) else up)


def _random_obs(seed: int, n_series: int, consecutive_every: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_series):
        lo, up = BOUNDS[i % len(BOUNDS)]
        n = int(rng.integers(1, 12))
        years = np.sort(rng.choice(np.arange(2008, 2024), size=n, replace=False))  # gaps
        if consecutive_every and i % consecutive_every == 0:
            years = np.arange(2010, 2022)
        values = rng.uniform(10, 40) + rng.normal(0.4, 1.2, len(years)).cumsum()
        values = np.clip(values, 0.5, 49.5)
        rows += [{"region": f"r{i % 7}", "target": i, "year": int(y), "value": float(v), "lower": lo,
                  "upper": up} for y, v in zip(years, values, strict=True)]
    return pd.DataFrame(rows)


def _assert_equal_to_project(batch: pd.DataFrame, obs: pd.DataFrame, keys, project_one=None):
    assert list(batch.columns) == [*keys, *BATCH_COLUMNS]
    groups = obs.groupby(keys, sort=True)
    assert len(batch) == groups.ngroups * len(YEARS)
    for key, part in groups:
        proj = (project_one or _project)(part)
        expected = proj.forecast(years=YEARS)
        got = batch.set_index(keys).loc[key]
        assert (got["model"] == proj.model).all(), key
        assert (got["n_obs"] == proj.n_obs).all()
        assert (got["year"].to_numpy() == YEARS).all()
        for col in COLUMNS:
            np.testing.assert_allclose(got[col].to_numpy(), expected[col].to_numpy(), rtol=1e-8, atol=1e-8,
                                       equal_nan=True, err_msg=f"{key} {col}")


def _project(part):
    return project(part["year"], part["value"], bounds=_bounds(part["lower"].iloc[0], part["upper"].iloc[0]))


def test_batch_equals_one_series_path_on_random_series_with_gaps():
    obs = _random_obs(11, 400)
    batch = project_batch(obs, YEARS, keys=["region", "target"], workers=1)
    assert set(batch["route"]) == {"vectorised", "single"}
    assert {"linear", "loglinear", "logit", "growth", "none"} <= set(batch["model"])
    _assert_equal_to_project(batch, obs, ["region", "target"])


def test_damped_candidates_in_worker_processes_equal_the_one_series_path():
    obs = _random_obs(5, 24, consecutive_every=4)
    batch = project_batch(obs, YEARS, keys=["target"], workers=2, ets="statsmodels")
    assert (batch["route"] == "damped").sum() == 6 * len(YEARS)
    _assert_equal_to_project(batch, obs, ["target"])


def test_without_damped_the_choice_is_among_the_closed_form_candidates():
    obs = _random_obs(5, 8, consecutive_every=2)
    batch = project_batch(obs, YEARS, keys=["target"], workers=1, damped=False)
    assert "damped" not in set(batch["route"]) and "damped" not in set(batch["model"])

    def closed_form_only(part):
        proj = _project(part)
        if proj.fit is None or proj.n_obs < 3:
            return proj
        fits = fit_candidates(proj.years, proj.values, bounds=proj.bounds)
        fit, _ = choose([f for f in fits if f.model != "damped"])
        return dataclasses.replace(proj, fit=fit, model=fit.model)

    _assert_equal_to_project(batch, obs, ["target"], closed_form_only)


def test_count_series_take_the_one_series_path():
    years = np.arange(2014, 2023)
    rows = []
    for i, deaths in enumerate([[3, 2, 4, 1, 2, 2, 1, 0, 1], [0] * 9]):
        births = 5000 + 100 * np.arange(9)
        rows += [{"target": i, "year": int(y), "value": 1e5 * d / b, "numerator": float(d),
                  "denominator": float(b), "lower": 0.0, "upper": 1e5, "per": 1e5}
                 for y, d, b in zip(years, deaths, births, strict=True)]
    obs = pd.DataFrame(rows)
    batch = project_batch(obs, YEARS, keys=["target"], workers=1)
    assert set(batch["route"]) == {"worker"}

    def with_counts(part):
        return project(part["year"], part["value"], bounds=(0.0, 1e5), numerators=part["numerator"],
                       denominators=part["denominator"], per=1e5)

    _assert_equal_to_project(batch, obs, ["target"], with_counts)


def test_exact_linear_series():
    obs = pd.DataFrame({"target": 0, "year": np.arange(2015, 2021), "value": 10.0 + 2 * np.arange(6),
                        "lower": np.nan, "upper": np.nan})
    batch = project_batch(obs, YEARS, keys=["target"], workers=1)
    assert (batch["model"] == "linear").all()
    np.testing.assert_allclose(batch["point"], [28.0, 30.0, 40.0])
    np.testing.assert_allclose(batch["hi95"], batch["point"], atol=1e-8)


def test_bad_series_are_refused_in_chinese():
    obs = pd.DataFrame({"target": [1, 1, 1], "year": [2018, 2018, 2019], "value": [1.0, 2.0, 3.0],
                        "lower": 0.0, "upper": 100.0})
    with pytest.raises(InputError, match=r"target=1.*年份重复"):
        project_batch(obs, YEARS, keys=["target"], workers=1)
    obs["year"] = [2017, 2018, 2019]
    obs.loc[2, "value"] = 130.0
    with pytest.raises(InputError, match="超出指标的取值范围"):
        project_batch(obs, YEARS, keys=["target"], workers=1)


def test_one_aicc_serves_one_fit_and_arrays():
    from womenstats.trend.select import aicc

    # loglik -10, k 3, n 10: 20 + 6 + 24/6 = 30
    assert aicc(-10.0, 3, 10) == pytest.approx(30.0)
    assert math.isnan(aicc(-10.0, 3, 4))  # n <= k + 1
    got = aicc(np.array([-10.0, -10.0, -5.0]), 3, np.array([10, 4, 6]))
    assert got[0] == pytest.approx(30.0) and math.isnan(got[1]) and got[2] == pytest.approx(10 + 6 + 12)


def test_vectorised_noise_floors_equal_the_one_series_floor():
    from womenstats.trend.batch import _noise_floors
    from womenstats.trend.projection import noise_floor

    rng = np.random.default_rng(4)
    n = rng.integers(1, 16, 300)
    y = np.full((300, 15), np.nan)
    for i, m in enumerate(n):
        y[i, :m] = rng.normal(50, 10, m) if i % 5 else 7.0
    lower = np.where(np.arange(300) % 3 == 0, np.nan, 0.0)
    upper = np.where(np.arange(300) % 4 == 0, np.nan, 100.0)
    got = _noise_floors(y, n.astype(float), lower, upper)
    expected = [noise_floor(y[i, :m], lower[i], upper[i]) for i, m in enumerate(n)]
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)
