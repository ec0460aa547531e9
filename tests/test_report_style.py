"""The report style: statuses keep one look, distinguishable in grey; charts label simulated data."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pandas as pd

from womenstats.assess.status import STATUS_LABELS
from womenstats.report.county import charts
from womenstats.report.write.display import figure_png
from womenstats.report.write.style import STATUS_LOOKS, grey_level, label_fills


def test_every_status_has_a_look_with_its_label():
    assert list(STATUS_LOOKS) == list(STATUS_LABELS)
    assert all(STATUS_LOOKS[c].label == STATUS_LABELS[c] for c in STATUS_LABELS)


def test_grey_levels_are_apart_and_hatches_distinct():
    levels = sorted(grey_level(look.color) for look in STATUS_LOOKS.values())
    assert min(b - a for a, b in itertools.pairwise(levels)) >= 0.1
    hatched = [look.hatch for look in STATUS_LOOKS.values() if look.hatch]
    assert len(set(hatched)) == len(hatched)
    assert len({look.marker for look in STATUS_LOOKS.values()}) == len(STATUS_LOOKS)


def test_grey_level_matches_pil_luma():
    from PIL import Image

    for look in STATUS_LOOKS.values():
        rgb = tuple(int(look.color[i : i + 2], 16) for i in (1, 3, 5))
        pil = Image.new("RGB", (1, 1), rgb).convert("L").getpixel((0, 0)) / 255
        assert abs(pil - grey_level(look.color)) < 1 / 255 + 1e-9


def test_label_fills_white_text_on_dark():
    fills = label_fills()
    assert fills["已达标"] == fills["提前实现"] == fills["已实现"] == ("2F8D59", "000000")
    assert fills["倒退"] == ("4D0011", "FFFFFF")
    assert fills["未实现"] == ("7C1222", "FFFFFF")  # a final miss: dark, apart from 难以达标
    assert fills["基本达标"] == fills["基本实现"] and fills["未实现"] != fills["难以达标"]


def _texts(fig):
    return [t.get_text() for t in fig.texts] + [t.get_text() for ax in fig.axes for t in ax.texts]


def test_overview_chart_counts_and_simulated_label():
    counts = pd.DataFrame({"achieved": [3, 1], "off_track": [1, 2]}, index=["妇女与健康", "妇女与教育"])
    counts = counts.reindex(columns=list(STATUS_LABELS), fill_value=0)
    fig = charts.status_overview(counts, simulated=True)
    ax = fig.axes[0]
    widths = [p.get_width() for p in ax.patches if p.get_width() > 0]
    assert sorted(widths) == [1, 1, 2, 3]
    assert "模拟数据" in _texts(fig)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(STATUS_LABELS.values())
    plain = charts.status_overview(counts, simulated=False)
    assert "模拟数据" not in _texts(plain)


def test_trend_chart_draws_target_line_year_and_fan():
    observed = pd.DataFrame({"year": [2019, 2020, 2021], "value": [80.0, 81.0, 82.5]})
    years = np.arange(2021, 2031)
    point = np.linspace(82.5, 88, len(years))
    forecast = pd.DataFrame({"year": years, "point": point, "lo80": point - 1, "hi80": point + 1,
                             "lo95": point - 2, "hi95": point + 2})
    fig = charts.trend_chart(observed, forecast, title="住院分娩率", unit="%", target_value=90.0,
                             operator=">=", target_year=2030, status="at_risk", simulated=True)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "目标 ≥ 90%" in labels and "80% 预测区间" in labels and "95% 预测区间" in labels
    assert "需加快进度" in labels
    hlines = [line for line in ax.lines if list(line.get_ydata()) == [90.0, 90.0]]
    vlines = [line for line in ax.lines if list(line.get_xdata()) == [2030, 2030]]
    assert hlines and vlines
    assert "目标年 2030" in _texts(fig) and "模拟数据" in _texts(fig)
    assert figure_png(fig) == figure_png(fig)


def test_other_methods_statuses_get_a_stable_grey_look():
    from womenstats.report.write.style import OTHER_LOOKS, status_look

    look = status_look("substantial_progress", "进展显著，按期可达")
    assert look == status_look("substantial_progress", "进展显著，按期可达")
    assert look.label == "进展显著，按期可达"
    assert (look.color, look.hatch, look.edge, look.marker) in OTHER_LOOKS
    assert status_look("achieved") is STATUS_LOOKS["achieved"]
    counts = pd.DataFrame({"target_achieved": [2], "limited_progress": [1]}, index=["妇女与健康"])
    fig = charts.status_overview(counts, labels={"target_achieved": "已达标", "limited_progress": "进展有限"})
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["已达标", "进展有限"]


def test_charts_have_no_missing_glyph():
    import warnings

    counts = pd.DataFrame({code: [1] for code in STATUS_LABELS}, index=["妇女参与决策和管理"])
    observed = pd.DataFrame({"year": [2019, 2020, 2021], "value": [20.0, 17.5, 16.9]})
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")
        figure_png(charts.status_overview(counts, simulated=True))
        empty = pd.DataFrame(columns=["year", "point", "lo80", "hi80", "lo95", "hi95"])
        figure_png(charts.trend_chart(observed, empty,
                                      title="孕产妇死亡率（1/10万）", unit="1/10万", target_value=20.0,
                                      operator="<=", target_year=2020, simulated=True))
