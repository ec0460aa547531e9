"""Roll-up of a city from its counties: each indicator by its declared rule, coverage shown, never filled in.

Expected figures are computed by hand in the comments.
"""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest

from womenstats import catalog
from womenstats.cli import main
from womenstats.gender.intervals import clopper_pearson_limits
from womenstats.gender.rollup import ROLLUP_COLUMNS, rollup
from womenstats.intake import Store
from womenstats.intake.package import export_package, ingest_packages

CITY = "440700"


def _obs():
    rows = []

    def add(region, year, indicator, value, num=np.nan, den=np.nan, sex="female"):
        rows.append({"region_code": region, "year": year, "indicator_id": indicator, "sex": sex,
                     "age_group": "all", "residence": "all", "value": value, "numerator": num,
                     "denominator": den})

    # maternal mortality: 1 death in 3 000 births, 0 in 2 000; 440785 reported 2 500 births in 2023 only
    add("440783", 2024, "health.maternal_mortality", 1e5 / 3000, 1, 3000)
    add("440784", 2024, "health.maternal_mortality", 0.0, 0, 2000)
    add("440785", 2023, "health.maternal_mortality", 1e5 / 2500, 1, 2500)
    add(CITY, 2024, "health.maternal_mortality", 25.0, 2, 8000)  # the city's own figure
    # women cadres in government leadership: counted per body, one county has one, the other none
    add("440783", 2024, "decision.gov_leadership_female_cadres", 1)
    add("440784", 2024, "decision.gov_leadership_female_cadres", 0)
    # counts add up
    add("440783", 2024, "social_security.female_unemployment_insured", 1200)
    add("440784", 2024, "social_security.female_unemployment_insured", 800)
    # an average without counts is not rolled up
    add("440783", 2024, "health.life_expectancy_female", 80.1)
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def table():
    return rollup(_obs(), CITY, 2024).set_index("indicator_id")


def test_rates_sum_numerators_and_denominators(table):
    mmr = table.loc["health.maternal_mortality"]
    assert list(rollup(_obs(), CITY, 2024).columns) == list(ROLLUP_COLUMNS)
    # (1 + 0) / (3000 + 2000) * 100 000 = 20, not the mean of 33.3 and 0 (16.7)
    assert mmr["value"] == pytest.approx(20.0) and (mmr["numerator"], mmr["denominator"]) == (1, 5000)
    assert mmr["lower"] < 20 < mmr["upper"]  # Garwood interval of 1 event
    assert (mmr["n_children"], mmr["n_reporting"]) == (7, 2)
    assert mmr["missing"] == "440703;440704;440705;440781;440785"
    # coverage against the city's own 8 000 births: 5 000 / 8 000
    assert mmr["coverage"] == pytest.approx(0.625)
    assert mmr["own_value"] == 25.0 and mmr["difference"] == pytest.approx(-5.0)


def test_coverage_without_the_parents_own_figure():
    obs = _obs()
    obs = obs[obs["region_code"] != CITY]
    mmr = rollup(obs, CITY, 2024).set_index("indicator_id").loc["health.maternal_mortality"]
    # four missing counties never reported a denominator: their size, so the share, is unknown
    assert math.isnan(mmr["coverage"]) and math.isnan(mmr["own_value"])
    # with the other four counties' earlier births known: 5 000 / (5 000 + 2 500 + 4 × 1 000)
    earlier = pd.DataFrame([{"region_code": c, "year": 2022, "indicator_id": "health.maternal_mortality",
                             "sex": "female", "age_group": "all", "residence": "all", "value": 0.0,
                             "numerator": 0, "denominator": 1000}
                            for c in ("440703", "440704", "440705", "440781")])
    table = rollup(pd.concat([obs, earlier]), CITY, 2024).set_index("indicator_id")
    mmr = table.loc["health.maternal_mortality"]
    assert mmr["coverage"] == pytest.approx(5000 / 11500)


def test_head_counts_are_the_share_of_children_that_meet_them(table):
    cadres = table.loc["decision.gov_leadership_female_cadres"]
    assert catalog.indicator("decision.gov_leadership_female_cadres").aggregation == "share_meeting"
    # 1 of 2 reporting counties has >= 1 woman: 50%, Clopper-Pearson of 1 in 2
    lo, hi = clopper_pearson_limits(np.array([1.0]), np.array([2.0]), 0.05)
    assert cadres["value"] == 50.0 and cadres["lower"] == pytest.approx(100 * lo[0])
    assert cadres["upper"] == pytest.approx(100 * hi[0]) and cadres["coverage"] == pytest.approx(2 / 7)


def test_counts_add_and_averages_are_not_rolled_up(table):
    insured = table.loc["social_security.female_unemployment_insured"]
    assert insured["aggregation"] == "sum" and insured["value"] == 2000
    life = table.loc["health.life_expectancy_female"]
    assert life["aggregation"] == "none" and math.isnan(life["value"]) and life["reason"] == "not_additive"


def test_every_indicator_declares_its_rule():
    frame = catalog.indicators()
    assert frame["aggregation"].isin(["sum_counts", "sum", "share_meeting", "derived", "none"]).all()
    assert (frame.loc[frame["aggregation"] == "share_meeting", "meets"] != "").all()


def test_command_line_on_a_city_store_built_from_a_county_package(tmp_path, capsys):
    from womenstats.intake import build_store

    county = Store(tmp_path / "county.sqlite")
    build_store(county.path)
    package = export_package(county, "440783", 2024, tmp_path / "kaiping.zip", plan="kaiping")
    city = Store(tmp_path / "city.sqlite")
    ingest_packages([package], city, region=CITY)
    assert main(["rollup", "--region", CITY, "--year", "2024", "--store", str(city.path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ",".join(ROLLUP_COLUMNS)
    rows = [line.split(",") for line in out[1:]]
    assert rows and all(r[0] == CITY and r[12] == "7" and r[13] in ("0", "1") for r in rows)
    assert main(["rollup", "--region", "999999", "--year", "2024", "--store", str(city.path)]) == 2
    assert "999999" in capsys.readouterr().err


def test_a_city_passes_its_counties_up_and_the_province_rolls_them_up(tmp_path, capsys):
    from womenstats.assess.region import reporting_members
    from womenstats.catalog import regions

    full = Store()  # the store built from data/raw (make data)
    counties = regions.children(CITY)
    packages = [str(export_package(full, code, 2024, tmp_path / f"{code}.zip")) for code in counties]
    city, province = tmp_path / "江门.sqlite", tmp_path / "广东.sqlite"
    assert main(["ingest", *packages, "--store", str(city), "--region", CITY]) == 0
    # the city's package holds its counties as it received them (not a roll-up of its own)
    up = tmp_path / "440700.zip"
    assert main(["export", "--region", CITY, "--year", "2024", "--out", str(up), "--store", str(city)]) == 0
    assert main(["ingest", str(up), "--store", str(province), "--region", "440000"]) == 0
    held = Store(province).observations()
    assert sorted(set(held["region_code"])) == counties
    assert held["source_file"].str.startswith("440700.zip!/4407").all()  # each county's provenance travels
    capsys.readouterr()
    assert main(["rollup", "--region", "440000", "--year", "2024", "--store", str(province)]) == 0
    got = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"region_code": str})
    expected = rollup(full.observations().loc[lambda o: o["region_code"].isin(counties)], "440000", 2024,
                      children=reporting_members("440000"))
    assert len(got) == len(expected) > 80
    assert (got["n_children"] == len(reporting_members("440000"))).all()
    np.testing.assert_allclose(got["value"], expected["value"], rtol=1e-9)
    # the province's own store cannot send the city's counties back down as a package of the city
    assert main(["ingest", str(up), "--store", str(province), "--region", CITY]) == 1
    assert "E_PACKAGE_REGION" in capsys.readouterr().out
