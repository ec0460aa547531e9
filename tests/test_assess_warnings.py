"""Each early warning triggered, and not triggered."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from womenstats import trend
from womenstats.assess import WARNING_LABELS, assess_series, detrended_cv
from womenstats.assess import early_warnings as ew

PCT = {"lower": 0.0, "upper": 100.0, "better": "higher", "per": None}


def series(values, last=2024):
    years = list(range(last - len(values) + 1, last + 1))
    nan = [math.nan] * len(values)
    return pd.DataFrame({"year": years, "value": values, "numerator": nan, "denominator": nan})


def codes(values, value=90.0, year=2025, last=2024, operator=">="):
    tgt = {"kind": "quantitative", "operator": operator, "value": value, "tolerance": math.nan,
           "target_year": 2030}
    out = assess_series(series(values, last=last), tgt, PCT, year=year)
    return set(filter(None, out["warnings"].split(";"))), out


def test_codes_and_names():
    assert WARNING_LABELS == {
        "shortfall": "预计达标困难", "slipping": "已达标但有回落", "volatile": "波动较大",
        "break": "趋势突变", "small_numbers": "小数字", "stale": "数据陈旧",
    }


def test_shortfall():
    found, out = codes([70, 70.5, 71, 71.2, 71.8])
    assert "shortfall" in found and "预计达标困难" in out["warning_text"]
    assert "shortfall" not in codes([80.1, 81.9, 84.2, 85.8, 88.1])[0]
    assert ew.shortfall(met_now=False, final=True, p_attain=0.0, point_meets=None, target_year=2030) is None
    assert ew.shortfall(met_now=False, final=False, p_attain=0.5, point_meets=None, target_year=2030) is None
    assert ew.shortfall(met_now=False, final=False, p_attain=math.nan, point_meets=False,
                        target_year=2030).code == "shortfall"


def test_slipping():
    found, out = codes([95.5, 94.8, 93.9, 93.1, 92.2])  # met now, heading below 90
    assert "slipping" in found and "已达标但有回落" in out["warning_text"]
    assert "slipping" not in codes([91, 91.5, 92, 92.4, 93])[0]
    assert ew.slipping(met_now=False, p_attain=0.0, point_meets=False, target_year=2030) is None


def test_volatility_is_the_detrended_cv_against_ten_percent():
    values = np.array([40.0, 52.0, 41.0, 55.0, 44.0, 58.0])
    years = np.arange(2019, 2025)
    fit = sm.OLS(values, sm.add_constant(years.astype(float))).fit()
    cv = math.sqrt(fit.ssr / 4) / values.mean()
    assert detrended_cv(years, values) == pytest.approx(cv)
    assert cv > ew.VOLATILITY_CV == 0.10
    found, out = codes(list(values))
    assert "volatile" in found and "波动较大" in out["warning_text"]
    assert "volatile" not in codes([80.1, 81.9, 84.2, 85.8, 88.1])[0]
    assert ew.volatile([2020, 2021, 2022], [10, 50, 10]) is None  # fewer than four values


def test_break_outside_the_95_interval_of_earlier_years():
    steady = [80.0, 80.9, 82.1, 83.0, 84.1, 84.9]
    found, out = codes([*steady, 70.0], last=2024)
    assert "break" in found and "趋势突变" in out["warning_text"]
    earlier = trend.project(range(2018, 2024), steady, bounds=(0, 100)).forecast(years=2024).iloc[0]
    assert not earlier["lo95"] <= 70.0 <= earlier["hi95"]
    assert "break" not in codes([*steady, 86.0])[0]
    assert ew.trend_break(2024, 5.0, math.nan, math.nan) is None


def test_small_numbers_warning():
    assert ew.small_numbers(3).code == "small_numbers"
    assert ew.small_numbers(20) is None and ew.small_numbers(math.nan) is None


def test_stale_when_older_than_two_years_before_the_assessment():
    found, out = codes([80.1, 81.9, 84.2, 85.8, 88.1], last=2021, year=2025)
    assert "stale" in found and "2021" in out["warning_text"]
    assert "stale" not in codes([80.1, 81.9, 84.2, 85.8, 88.1], last=2023, year=2025)[0]
    assert ew.stale(None, 2025) is None
