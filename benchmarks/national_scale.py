"""National scale: 2 844 counties x 60 targets x 15 years, projected by the batch path and by a loop.

Generated data (fixed seed): 60 indicators — 30 percentages (bounds 0-100), 15 rates with a lower
bound of 0, 15 bounded life-expectancy-like values (0-120) — each county's series a level, a trend
and noise over 2011-2025. Two versions: every county-year observed (as specified), and 20% of
county-years missing at random (as county returns are).

Printed: the closed-form stage on every series (timed); the batch path with the full model-choice
rule and the vectorised damped-trend estimator (``trend.ets_batch``) on every series (timed, the
goal); the statsmodels paths on seeded samples, extrapolated to the whole case (the batch path
with ``ets="statsmodels"`` in worker processes, and the plain loop over ``trend.project``, which
fits one series at a time); their ratios; how often the chosen model agrees between the two
estimators on the sample; and the memory peak (``ru_maxrss`` of this process and its children).
Two goal lines: ``GOAL national_seconds`` (the complete case, full rule, <= 120 s on 2 cores) and
``GOAL national_memory_gib`` (< 4 GiB).
"""

from __future__ import annotations

import os
import resource
import sys
import time

import numpy as np
import pandas as pd

from _goal import goal_line
from womenstats.trend import project
from womenstats.trend.batch import project_batch
from womenstats.trend.models import DAMPED_MIN_OBS

COUNTIES = 2844
TARGETS = 60
YEARS = np.arange(2011, 2026)
OUT_YEARS = [2030]
SEED = 20261122
GOAL_SECONDS = 120.0
GOAL_MEMORY_GIB = 4.0
WORKERS = 2
LOOP_SAMPLE = 40
KEYS = ["county", "target"]


def generate(missing: float, seed: int = SEED) -> pd.DataFrame:
    """Long table of the national case; ``missing`` is the share of county-years not observed."""
    rng = np.random.default_rng(seed)
    kinds = np.repeat([0, 1, 2], [30, 15, 15])
    lower = np.array([0.0, 0.0, 0.0])[kinds]
    upper = np.array([100.0, np.nan, 120.0])[kinds]
    centre = np.array([60.0, 30.0, 78.0])[kinds]
    spread = np.array([20.0, 10.0, 3.0])[kinds]
    step = np.array([0.8, -0.6, 0.25])[kinds]
    noise = np.array([1.5, 2.0, 0.3])[kinds]
    level = centre[None, :] + spread[None, :] * rng.uniform(-1, 1, (COUNTIES, TARGETS))
    slope = step[None, :] * rng.uniform(0, 2, (COUNTIES, TARGETS))
    t = YEARS - YEARS[0]
    values = level[..., None] + slope[..., None] * t + noise[None, :, None] * rng.normal(
        size=(COUNTIES, TARGETS, len(YEARS)))
    values = np.clip(values, (lower + 0.5)[None, :, None],
                     np.where(np.isnan(upper), np.inf, upper - 0.5)[None, :, None])
    observed = rng.random(values.shape) >= missing
    county, target, year = np.nonzero(observed)
    return pd.DataFrame({
        "county": county.astype(np.int32), "target": target.astype(np.int16),
        "year": YEARS[year], "value": values[observed],
        "lower": lower[target], "upper": upper[target],
    })


def sample(obs: pd.DataFrame, size: int, seed: int) -> pd.DataFrame:
    """Observations of ``size`` series drawn without replacement (seeded)."""
    keys = obs[["county", "target"]].drop_duplicates()
    chosen = keys.sample(n=size, random_state=seed)
    return obs.merge(chosen, on=["county", "target"])


def loop(obs: pd.DataFrame) -> int:
    """The plain path: one ``trend.project`` (statsmodels fits) per series."""
    n = 0
    for _, part in obs.groupby(["county", "target"], sort=True):
        upper = part["upper"].iloc[0]
        proj = project(part["year"], part["value"], bounds=(0.0, None if np.isnan(upper) else upper))
        proj.forecast(years=OUT_YEARS)
        n += 1
    return n


def timed(func, *args, **kwargs):
    start = time.perf_counter()
    result = func(*args, **kwargs)
    return result, time.perf_counter() - start


def _damped_eligible(obs: pd.DataFrame) -> int:
    spans = obs.groupby(KEYS)["year"].agg(["min", "max", "count"])
    consecutive = spans["max"] - spans["min"] + 1 == spans["count"]
    return int(((spans["count"] >= DAMPED_MIN_OBS) & consecutive).sum())


def _statsmodels_estimate(obs: pd.DataFrame, closed_seconds: float, size: int) -> tuple[float, float]:
    """Whole-case seconds of the batch path with statsmodels' damped fits (sample), and agreement."""
    part = sample(obs, size, SEED)
    sm, sm_seconds = timed(project_batch, part, OUT_YEARS, keys=KEYS, workers=WORKERS,
                           ets="statsmodels")
    _, part_closed = timed(project_batch, part, OUT_YEARS, keys=KEYS, workers=1, damped=False)
    ours = project_batch(part, OUT_YEARS, keys=KEYS, workers=1)
    n_damped = int((sm.drop_duplicates(KEYS)["route"] == "damped").sum())
    per_damped = (sm_seconds - part_closed) / max(n_damped, 1)
    whole = closed_seconds + _damped_eligible(obs) * per_damped
    agree = float((ours["model"].to_numpy() == sm["model"].to_numpy()).mean())
    print(f"batch path with statsmodels' damped fits ({WORKERS} worker processes), sample of {size}: "
          f"{n_damped} damped fits, {per_damped * 1000:,.1f} ms each (incl. start-up) -> whole case "
          f"estimated ~{whole:,.0f} s (extrapolated from the sample)")
    print(f"  chosen model, vectorised vs statsmodels estimator, same sample: {agree:.2%} agree "
          f"({round((1 - agree) * len(ours))} differ)")
    return whole, agree


def scenario(name: str, missing: float, sm_sample: int) -> dict[str, float]:
    obs, seconds = timed(generate, missing)
    n_series = obs.groupby(KEYS).ngroups
    print(f"\n== {name}: {COUNTIES} counties x {TARGETS} targets x {len(YEARS)} years, "
          f"{missing:.0%} county-years missing: {n_series:,} series, {len(obs):,} values "
          f"(generated in {seconds:.1f} s)")
    _, closed_seconds = timed(project_batch, obs, OUT_YEARS, keys=KEYS, workers=1, damped=False)
    print(f"batch path, closed-form candidates only (linear/log/logit; damped=False), every series, one "
          f"process: {closed_seconds:.1f} s = {n_series / closed_seconds:,.0f} series/s")
    full, whole = timed(project_batch, obs, OUT_YEARS, keys=KEYS, workers=WORKERS)
    series = full.drop_duplicates(KEYS)
    print(f"batch path, FULL rule, vectorised damped-trend estimator, every series (measured): "
          f"{whole:.1f} s = {n_series / whole:,.0f} series/s; {int((series['route'] == 'damped').sum()):,} "
          f"damped fits, damped chosen for {int((series['model'] == 'damped').sum()):,}")
    sm_whole, agree = _statsmodels_estimate(obs, closed_seconds, sm_sample)
    loop_part = sample(obs, LOOP_SAMPLE, SEED + 1)
    n, seconds = timed(loop, loop_part)
    loop_rate = n / seconds
    loop_whole = n_series / loop_rate
    print(f"plain loop over trend.project (statsmodels, one process), sample of {LOOP_SAMPLE}: "
          f"{loop_rate:,.1f} series/s -> whole case ~{loop_whole:,.0f} s (extrapolated from the sample)")
    print(f"ratio statsmodels / vectorised (full rule): batch with statsmodels workers "
          f"{sm_whole / whole:,.1f}x, plain loop {loop_whole / whole:,.1f}x")
    return {"whole_seconds": whole, "sm_seconds": sm_whole, "loop_seconds": loop_whole, "agree": agree}


def memory_gib() -> float:
    """Peak resident memory of this process plus that of its largest child (``ru_maxrss``, KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 2 ** 20


def main() -> int:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"national-scale benchmark (seed {SEED}; {os.cpu_count()} CPUs visible, load average {load}: "
          f"timings scale with the machine's other work; projecting to {OUT_YEARS[0]})")
    complete = scenario("complete series (as specified)", 0.0, sm_sample=400)
    scenario("county returns with gaps", 0.2, sm_sample=600)
    memory = memory_gib()
    print(f"\nmemory peak (ru_maxrss, this process + largest child): {memory:.2f} GiB")
    seconds = complete["whole_seconds"]
    print(goal_line("national_seconds", seconds, GOAL_SECONDS, seconds <= GOAL_SECONDS, digits=1))
    print(goal_line("national_memory_gib", memory, GOAL_MEMORY_GIB, memory < GOAL_MEMORY_GIB))
    return 0


if __name__ == "__main__":
    sys.exit(main())
