"""Backtests: the MASE scale, each method's held-out forecast, coverage, and the command."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from womenstats.cli import main
from womenstats.errors import InputError
from womenstats.trend.backtest import (
    SERIES_KEYS,
    SUMMARY_COLUMNS,
    backtest,
    backtest_frame,
    mase_scale,
    method_forecasts,
    summarise,
)


def _series(name, years, values, lower=None, upper=None):
    return pd.DataFrame({
        "indicator_id": name, "sex": "female", "age_group": "all", "residence": "all",
        "year": years, "value": values, "lower": lower, "upper": upper, "per": np.nan,
    })


def test_mase_scale_by_hand():
    # differences per year: |3 - 1| / 1 = 2 and |7 - 3| / 2 = 2 -> scale 2
    assert mase_scale([2010, 2011, 2013], [1.0, 3.0, 7.0]) == pytest.approx(2.0)
    # annual series without gaps: the usual mean absolute first difference (1 + 3 + 2) / 3 = 2
    assert mase_scale([1, 2, 3, 4], [5.0, 6.0, 3.0, 5.0]) == pytest.approx(2.0)
    assert math.isnan(mase_scale([2010], [1.0]))


def test_linear_series_gives_linear_mase_zero():
    years = np.arange(2010, 2018)
    obs = _series("x.lin", years, 2.0 + 0.5 * (years - 2010))
    result = backtest_frame(obs, k=2)
    summary = result.summary.set_index("method")
    assert summary.loc["linear", "mase"] == pytest.approx(0.0, abs=1e-9)
    assert summary.loc["ours", "mase"] == pytest.approx(0.0, abs=1e-9)  # the exact fit is chosen
    # training 2.0 .. 4.5 (2010-2015), held out 5.0 and 5.5. The two-point growth baseline bends
    # away from the line: 4.5 (4.5/4)^h = 5.0625, 5.6953125 -> errors 0.0625, 0.1953125, scale 0.5
    growth = result.details.query("method == 'growth'")
    assert growth["point"].to_numpy() == pytest.approx([5.0625, 5.6953125])
    assert summary.loc["growth", "mase"] == pytest.approx((0.0625 + 0.1953125) / 2 / 0.5)
    # the naive method carries 4.5 forward: errors 0.5 and 1.0 over a scale of 0.5 -> MASE 1.5
    assert summary.loc["naive", "mase"] == pytest.approx(1.5)


def test_linear_intervals_match_statsmodels_and_coverage_counts_them():
    years = np.array([2012, 2013, 2014, 2015, 2016, 2017, 2018])
    values = np.array([10.0, 11.2, 11.9, 13.4, 13.8, 15.1, 18.5])
    fc = method_forecasts(years[:-1], values[:-1], [2018])["linear"]
    x = sm.add_constant(years[:-1].astype(float))
    pred = sm.OLS(values[:-1], x).fit().get_prediction(np.array([[1.0, 2018.0]]))
    lo80, hi80 = pred.conf_int(obs=True, alpha=0.2)[0]
    lo95, hi95 = pred.conf_int(obs=True, alpha=0.05)[0]
    assert (fc["lo80"].iloc[0], fc["hi80"].iloc[0]) == pytest.approx((lo80, hi80), rel=1e-10)
    assert (fc["lo95"].iloc[0], fc["hi95"].iloc[0]) == pytest.approx((lo95, hi95), rel=1e-10)
    detail = backtest_frame(_series("x.y", years, values), k=1).details.query("method == 'linear'")
    assert detail["in80"].iloc[0] == float(lo80 <= 18.5 <= hi80)
    assert detail["in95"].iloc[0] == float(lo95 <= 18.5 <= hi95)


def test_coverage_by_hand():
    # four forecasts: 80% intervals contain 10 and 20 but not 35 and 1 -> 0.5; 95% contain three -> 0.75
    details = pd.DataFrame({
        "indicator_id": ["a", "a", "b", "c"], "sex": "total", "age_group": "all", "residence": "all",
        "method": "ours", "model": "linear", "year": [2020, 2021, 2020, 2020], "horizon": [1, 2, 1, 1],
        "actual": [10.0, 20.0, 35.0, 1.0], "point": [11.0, 18.0, 30.0, 3.0],
        "lo80": [9.0, 15.0, 28.0, 2.0], "hi80": [13.0, 21.0, 32.0, 4.0],
        "lo95": [8.0, 14.0, 26.0, 0.5], "hi95": [14.0, 22.0, 34.0, 5.0],
        "scale": [1.0, 1.0, 2.0, 4.0],
    })
    details["scaled_error"] = (details["actual"] - details["point"]).abs() / details["scale"]
    details["in80"] = [1.0, 1.0, 0.0, 0.0]
    details["in95"] = [1.0, 1.0, 0.0, 1.0]
    row = summarise(details).iloc[0]
    assert list(summarise(details).columns) == list(SUMMARY_COLUMNS)
    assert (row["n_series"], row["n_forecasts"], row["n_intervals"]) == (3, 4, 4)
    assert row["coverage80"] == 0.5 and row["coverage95"] == 0.75
    # Clopper-Pearson 95% limits of 2/4: beta quantiles B(0.025; 2, 3) and B(0.975; 3, 2)
    assert (row["coverage80_lo"], row["coverage80_hi"]) == pytest.approx((0.067586, 0.932414), abs=1e-6)
    assert (row["coverage95_lo"], row["coverage95_hi"]) == pytest.approx((0.194120, 0.993690), abs=1e-6)
    # MASE = mean(1/1, 2/1, 5/2, 2/4) = 6/4
    assert row["mase"] == pytest.approx(1.5)


def test_inside_flags_from_intervals():
    years = np.arange(2010, 2017)
    values = np.array([50.0, 52.0, 51.0, 55.0, 54.0, 58.0, 80.0])  # a jump in the held-out year
    result = backtest_frame(_series("x.jump", years, values, lower=0.0, upper=100.0), k=1)
    d = result.details
    with_interval = d[d["lo80"].notna()]
    assert ((with_interval["in80"] == 0.0) & (with_interval["in95"] == 0.0)).all()
    assert d.loc[d["method"].isin(["growth", "naive"]), "in80"].isna().all()


def test_exclusions_and_bad_k():
    obs = pd.concat([
        _series("x.short", [2018, 2019, 2020], [1.0, 2.0, 3.0]),
        _series("x.flat", [2016, 2017, 2018, 2019], [4.0, 4.0, 4.0, 5.0]),
    ])
    result = backtest_frame(obs, k=1)
    assert result.details.empty
    assert dict(zip(result.excluded["indicator_id"], result.excluded["reason"], strict=True)) == {
        "x.flat": "flat", "x.short": "too_short"}
    assert list(result.excluded.columns) == [*SERIES_KEYS, "reason"]
    with pytest.raises(InputError, match="k"):
        backtest_frame(obs, k=4)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "bt.sqlite"
    assert main(["data", "build", "--store", str(path)]) == 0
    return path


def test_national_backtest_and_command(store, capsys):
    result = backtest(1, store=store)
    assert {"ours", "growth", "naive"} <= set(result.summary["method"])
    assert (result.summary["n_series"] > 0).all()
    # every held-out value is a real national value of the store
    assert (result.details["actual"].notna()).all()
    capsys.readouterr()
    assert main(["backtest", "--k", "1", "--store", str(store), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ",".join(SUMMARY_COLUMNS)
    assert main(["backtest", "--store", str(store)]) == 0
    text = capsys.readouterr().out
    assert "平均绝对标度误差MASE" in text and "两点增长率外推" in text
    # the same inputs print the same bytes
    assert main(["backtest", "--store", str(store)]) == 0
    assert capsys.readouterr().out == text


@pytest.mark.parametrize("k", [1, 2, 3])
def test_the_backtest_figures_of_the_docs_are_what_it_prints(store, k):
    """The table of docs/trend.md: a regression guard on the embedded real data."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "trend.md").read_text(encoding="utf-8")
    pattern = rf"^\| {k} \| (\d+) / (\d+) \| \**([\d.]+)\** \| \**([\d.]+)\** \| ([\d.]+) \|"
    row = re.search(pattern, text, re.M)
    series, forecasts, ours, growth, naive = row.groups()
    summary = backtest(k, store=store).summary.set_index("method")
    assert summary.loc["ours", "n_series"] == int(series)
    assert summary.loc["ours", "n_forecasts"] == summary.loc["growth", "n_forecasts"] == int(forecasts)
    for method, figure in (("ours", ours), ("growth", growth), ("naive", naive)):
        assert round(summary.loc[method, "mase"], 3) == float(figure), method


def test_default_rule_beats_growth_two_years_ahead(store):
    summary = backtest(2, store=store).summary.set_index("method")
    assert summary.loc["ours", "mase"] < summary.loc["growth", "mase"]
    assert summary.loc["ours", "coverage95"] >= 0.8


def test_missing_store_is_a_chinese_error(tmp_path, capsys):
    assert main(["backtest", "--store", str(tmp_path / "none.sqlite")]) == 2
    assert "数据库文件不存在" in capsys.readouterr().err
