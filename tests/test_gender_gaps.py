"""The gender analysis' gaps (``gender.gaps.group_gaps``): level, interval, change and whether it moved.

Every figure is checked against a value computed here independently: statsmodels' Newcombe interval
for each year's difference, and Altman and Bland's test of two estimates worked from those intervals.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep

from womenstats.gender.gaps import change_significant, group_gaps

#: An illiteracy rate by sex (per 100), counted in a base year and a latest year.
INDICATOR = "education.young_adult_illiteracy"


def _obs(counts: dict[int, tuple[int, int, int, int]]) -> pd.DataFrame:
    """Observation rows from ``year -> (female events, female n, male events, male n)``."""
    rows = []
    for year, (fx, fn, mx, mn) in counts.items():
        for sex, x, n in (("female", fx, fn), ("male", mx, mn)):
            rows.append({"region_code": "440783", "year": year, "indicator_id": INDICATOR, "age_group": "all",
                         "sex": sex, "residence": "all", "value": 100 * x / n, "numerator": x,
                         "denominator": n})
    return pd.DataFrame(rows)


def _newcombe(fx: int, fn: int, mx: int, mn: int) -> tuple[float, float, float]:
    low, high = confint_proportions_2indep(fx, fn, mx, mn, method="newcomb", compare="diff")
    return 100 * (fx / fn - mx / mn), 100 * low, 100 * high


def _moved(now: tuple[float, float, float], base: tuple[float, float, float]) -> bool:
    z = stats.norm.ppf(0.975)
    se_now, se_base = (now[2] - now[1]) / (2 * z), (base[2] - base[1]) / (2 * z)
    return bool(abs(now[0] - base[0]) / math.sqrt(se_now**2 + se_base**2) > z)


@pytest.mark.parametrize("counts, moved", [
    ({2020: (90, 300, 60, 300), 2024: (40, 300, 38, 300)}, True),  # 10 points → under 1: closed
    ({2020: (30, 200, 25, 200), 2024: (33, 200, 25, 200)}, False),  # 2.5 → 4 points: noise
])
def test_the_change_of_a_gap_is_judged_against_chance(counts, moved):
    gaps = group_gaps(_obs(counts), by="sex", baseline_year=2020)
    row = gaps.to_dict("records")[0]  # as the report reads it: a plain bool, for ``is False``
    now, base = _newcombe(*counts[2024]), _newcombe(*counts[2020])
    assert (row["difference"], row["lower"], row["upper"]) == pytest.approx(now, abs=1e-9)
    assert row["base_difference"] == pytest.approx(base[0])
    assert row["change"] == pytest.approx(abs(now[0]) - abs(base[0]))
    assert row["change_significant"] is _moved(now, base) is moved


def test_a_gap_without_counts_has_no_verdict_on_its_change():
    obs = _obs({2020: (90, 300, 60, 300), 2024: (40, 300, 38, 300)}).assign(numerator=math.nan)
    row = group_gaps(obs, by="sex", baseline_year=2020).iloc[0]
    assert math.isnan(row["lower"]) and math.isnan(row["change_significant"])
    assert row["trend"] == "narrowed"  # the size still moved, in words


def test_change_significant_needs_both_intervals():
    assert math.isnan(change_significant((1.0, math.nan, math.nan), (0.0, -1.0, 1.0)))
    assert change_significant((5.0, 4.0, 6.0), (0.0, -1.0, 1.0)) is True


@pytest.mark.parametrize("counts, said", [
    ({2020: (90, 300, 60, 300), 2024: (40, 300, 38, 300)}, "差距比2020年缩小9.3个百分点。"),
    ({2020: (30, 200, 25, 200), 2024: (33, 200, 25, 200)},
     "差距比2020年扩大1.5个百分点（变化在统计上不显著）。"),
])
def test_the_gender_analysis_says_when_a_change_is_within_chance(counts, said):
    from womenstats.report.county.gender_section import gap_sentence

    row = group_gaps(_obs(counts), by="sex", baseline_year=2020).to_dict("records")[0]
    assert gap_sentence("文盲率", row).endswith(said)


def test_a_gap_that_changed_sides_says_so_instead_of_a_change_of_its_size():
    # 2020: women 15%, men 30% (men ahead by 15 points); 2024: women 40%, men 20% (women ahead by 20)
    from womenstats.report.county import gender_section

    counts = {2020: (30, 200, 60, 200), 2024: (80, 200, 40, 200)}
    gaps = group_gaps(_obs(counts), by="sex", baseline_year=2020)
    row = gaps.to_dict("records")[0]
    assert gender_section.turned(row) == ("男性", "女性")
    said = "女性高20.0个百分点（差异在统计上显著），2020年为男性高15.0个百分点。"
    assert gender_section.gap_sentence("文盲率", row).endswith(said)
    shown = gender_section.gender_table(gaps.assign(area="education", name="文盲率")).iloc[0]
    assert shown["比基期差距变化"] == "由男性高转为女性高"
