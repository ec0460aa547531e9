"""assess_plan on a temporary store with hand-made targets, and the ``womenstats assess`` command."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from womenstats import catalog, trend
from womenstats.assess import COLUMNS, NoMatchWarning, assess_plan, methods
from womenstats.cli import main
from womenstats.cli.assess import CLI_COLUMNS
from womenstats.errors import InputError
from womenstats.intake import Store
from womenstats.intake.ingest import ingest_files

REGION = "440783"  # kaiping
DEATHS = [0, 0, 1, 0, 0, 1]
DELIVERY = [99.1, 99.3, 99.4, 99.6, 99.7, 99.8]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("assess")
    rows = []
    for i, year in enumerate(range(2019, 2025)):
        base = {"region_code": REGION, "year": year, "sex": "female", "age_group": "all", "residence": "all"}
        rows.append(
            {
                **base,
                "indicator_id": "health.maternal_mortality",
                "value": round(1e5 * DEATHS[i] / 3000, 4),
                "numerator": DEATHS[i],
                "denominator": 3000,
                "unit": "1/10万",
            }
        )
        rows.append(
            {
                **base,
                "indicator_id": "health.hospital_delivery",
                "value": DELIVERY[i],
                "numerator": "",
                "denominator": "",
                "unit": "%",
            }
        )
    rows.append(
        {
            "region_code": REGION,
            "year": 2026,
            "sex": "female",
            "age_group": "all",
            "residence": "all",
            "indicator_id": "health.hospital_delivery",
            "value": 50.0,
            "numerator": "",
            "denominator": "",
            "unit": "%",
        }
    )  # after the assessment year: must be ignored
    path = folder / "obs.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    st = Store(folder / "store.sqlite")
    assert ingest_files([path], store=st).loaded
    return st


def _targets():
    cols = list(catalog.LOADED_COLUMNS)
    base = {
        "plan": "kaiping",
        "section": "主要目标",
        "sex": "female",
        "residence": "all",
        "age_group": "all",
        "tolerance": math.nan,
        "target_year": 2030,
        "links_to": "",
        "sentence": "",
        "note": "",
        "area": "health",
    }
    rows = [
        {
            **base,
            "target_id": "kaiping.health.02-1",
            "item": "02",
            "indicator_id": "health.maternal_mortality",
            "indicator": "孕产妇死亡率",
            "kind": "quantitative",
            "operator": "<=",
            "value": 15.0,
            "unit": "1/10万",
        },
        {
            **base,
            "target_id": "kaiping.health.06-1",
            "item": "06",
            "indicator_id": "health.hospital_delivery",
            "indicator": "住院分娩率",
            "kind": "quantitative",
            "operator": ">=",
            "value": 99.5,
            "unit": "%",
        },
        {
            **base,
            "target_id": "kaiping.health.01-1",
            "item": "01",
            "indicator_id": "",
            "indicator": "",
            "kind": "qualitative",
            "operator": "",
            "value": math.nan,
            "unit": "",
        },
        {
            **base,
            "target_id": "kaiping.health.p1-3",
            "item": "p1",
            "section": "重点工程",
            "indicator_id": "health.maternal_mortality",
            "indicator": "孕产妇死亡率",
            "kind": "quantitative",
            "operator": "<=",
            "value": 15.0,
            "unit": "1/10万",
            "links_to": "kaiping.health.02-1",
        },
        {
            **base,
            "target_id": "kaiping.health.p1-4",
            "item": "p1",
            "section": "重点工程",
            "indicator_id": "health.maternal_mortality",
            "indicator": "孕产妇死亡率",
            "kind": "quantitative",
            "operator": "<=",
            "value": 8.0,
            "unit": "1/10万",
            "links_to": "kaiping.health.02-1",
        },
    ]
    frame = pd.DataFrame(rows).reindex(columns=cols)
    frame["target_year"] = frame["target_year"].astype("Int64")
    return frame


def test_assess_plan_columns_rows_and_figures(store):
    out = assess_plan("kaiping", 2025, store=store, targets=_targets())
    assert list(out.columns) == list(COLUMNS)
    assert out["target_id"].tolist() == [
        "kaiping.health.02-1", "kaiping.health.06-1", "kaiping.health.01-1", "kaiping.health.p1-3",
        "kaiping.health.p1-4",
    ]
    assert set(out["region_code"]) == {REGION} and set(out["plan"]) == {"kaiping"}
    mmr, delivery, qualitative, restated, own = (out.iloc[i] for i in range(5))
    assert qualitative["status"] == "qualitative"
    assert mmr["status"] == "achieved" and "small_numbers" in mmr["warnings"]
    assert delivery["last_year"] == 2024 and delivery["last_value"] == 99.8 and delivery["n_obs"] == 6
    # the projection is the trend module's on the same series
    proj = trend.project(range(2019, 2025), DELIVERY, bounds=(0, 100))
    row = proj.forecast(years=2030).iloc[0]
    assert delivery["model"] == proj.model
    for col in ("point", "lo80", "hi80", "lo95", "hi95"):
        key = "proj_value" if col == "point" else f"proj_{col}"
        assert delivery[key] == pytest.approx(row[col], abs=1e-10)
    # P(the published value, to one decimal, reads 99.5 or more) = P(Y >= 99.45)
    assert delivery["p_attain"] == pytest.approx(proj.prob(">=", 99.45, 2030), abs=1e-12)
    assert delivery["status"] == "achieved" and delivery["status_label"] == "提前实现"  # a 2025 mid-term
    # a restatement carries the result of the target it restates and names it
    assert restated["restates"] == "kaiping.health.02-1" and mmr["restates"] == ""
    same = [c for c in COLUMNS if c not in ("target_id", "restates")]
    pd.testing.assert_series_equal(restated[same], mmr[same], check_names=False)
    # a linked row with another value is a target of its own: 1 death in 3000 births (33/10万) > 8
    assert own["restates"] == "" and own["target_value"] == 8.0
    assert own["status"] != mmr["status"]


def test_only_years_up_to_the_assessment_year_are_used(store):
    out = assess_plan("kaiping", 2022, store=store, targets=_targets())
    assert out.loc[1, "last_year"] == 2022 and out.loc[1, "n_obs"] == 4


def test_other_region_has_no_data(store):
    with pytest.warns(NoMatchWarning, match="没有地区 440700 的观测值"):
        out = assess_plan("kaiping", 2025, store=store, targets=_targets(), region_code="440700")
    assert out.loc[0, "status"] == "insufficient_data" and out.loc[0, "n_obs"] == 0


def test_unknown_method_and_missing_store_are_chinese_errors(store, tmp_path):
    with pytest.raises(InputError, match="评估方法“sdsn”不可用"):
        assess_plan("kaiping", 2025, store=store, targets=_targets(), method="sdsn")
    with pytest.raises(InputError, match="找不到数据库文件"):
        assess_plan("kaiping", 2025, store=tmp_path / "none.sqlite", targets=_targets())


def test_a_registered_method_is_called_with_the_series(store, monkeypatch):
    seen = []

    def fake(series, target, indicator, *, year, baseline_year=None):
        seen.append((len(series), target["operator"], indicator["better"], year, baseline_year))
        return {"status": "insufficient_data"}

    monkeypatch.setitem(methods.METHODS, "probe", fake)
    out = assess_plan("kaiping", 2025, store=store, targets=_targets(), method="probe")
    assert seen[:2] == [(6, "<=", "lower", 2025, 2020), (6, ">=", "higher", 2025, 2020)]
    assert out["status"].tolist() == ["insufficient_data"] * 5
    assert len(seen) == 4  # the restatement is not judged again


def test_cli_csv_has_exactly_the_columns_and_is_reproducible(store, capsys):
    args = ["assess", "--plan", "kaiping", "--year", "2025", "--store", str(store.path)]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert first.splitlines()[0] == ",".join(CLI_COLUMNS)
    assert main(args) == 0
    assert capsys.readouterr().out == first
    assert main([*args, "--format", "table"]) == 0
    table = capsys.readouterr().out
    assert table.split()[:2] == ["target_id", "operator"] and "status_label" in table.splitlines()[0]


def test_cli_unknown_method_exits_2_in_chinese(store, capsys):
    with pytest.raises(SystemExit) as stop:  # argparse refuses it: the choices are listed
        main(["assess", "--plan", "kaiping", "--year", "2025", "--store", str(store.path), "--method", "x"])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "无效的取值 'x'（可选：'ours', 'open-sdg', 'escap'）" in err
