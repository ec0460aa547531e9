"""Every plan of the catalog assessed on the embedded data: invariants that must hold for any target."""

from __future__ import annotations

import numpy as np
import pytest

from womenstats import catalog
from womenstats.assess import COLUMNS, STATUSES, WARNING_LABELS, assess_plan
from womenstats.intake import build_store

PLANS = ("linhe", "kaiping", "nansha", "taobei", "guxian")
ALL_PLANS = tuple(catalog.plans())


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("assess_catalog") / "store.sqlite"
    build_store(path)
    return path


@pytest.fixture(scope="module")
def results(store):
    return {plan: assess_plan(plan, catalog.plan(plan).midterm_year, store=store) for plan in ALL_PLANS}


@pytest.mark.parametrize("plan", ALL_PLANS)
def test_every_target_of_every_plan_has_one_row(results, plan):
    out = results[plan]
    targets = catalog.load(plan)
    assert list(out.columns) == list(COLUMNS)
    assert out["target_id"].tolist() == targets["target_id"].tolist()
    assert set(out["status"]) <= set(STATUSES)
    assert out["status"].notna().all() and (out["status_label"] != "").all()
    # a restating row carries exactly the result of the target it names, which is itself judged
    by_id = out.set_index("target_id")
    restating = out.loc[out["restates"] != ""]
    for _, row in restating.iterrows():
        original = by_id.loc[row["restates"]]
        assert original["restates"] == ""
        for col in ("indicator_id", "operator", "target_value", "status", "p_attain", "proj_value",
                    "warnings"):
            assert row[col] == original[col] or (row[col] != row[col] and original[col] != original[col])
    linked = targets.loc[targets["links_to"] != ""].set_index("target_id")
    assert set(restating["target_id"]) <= set(linked.index)


@pytest.mark.parametrize("plan", PLANS)
def test_qualitative_targets_and_only_they_are_qualitative(results, plan):
    out = results[plan]
    qualitative = out["kind"] == "qualitative"
    assert (out.loc[qualitative, "status"] == "qualitative").all()
    assert (out.loc[~qualitative, "status"] != "qualitative").all()


def test_kaiping_targets_from_measures_and_projects_are_assessed(results):
    out = results["kaiping"].set_index("target_id")
    assert len(out) == 162
    assert out.loc["kaiping.health.p1-3", "restates"] == "kaiping.health.02-1"
    assert out.loc["kaiping.social_security.s3", "restates"] == "kaiping.social_security.03-1"
    assert out.loc["kaiping.environment.p7", "status"] == out.loc["kaiping.environment.12", "status"]
    # linked to 03-3 but about the 35-45 age group: judged on its own series (none in the demo data)
    assert out.loc["kaiping.health.s5-1", "restates"] == ""
    assert out.loc["kaiping.health.s5-1", "status"] == "insufficient_data"


@pytest.mark.parametrize("plan", PLANS)
def test_intervals_nest_and_probabilities_are_probabilities(results, plan):
    out = results[plan].dropna(subset=["proj_lo95"])
    assert len(out) > 10
    cols = ["proj_lo95", "proj_lo80", "proj_value", "proj_hi80", "proj_hi95"]
    values = out[cols].to_numpy(float)
    assert (np.diff(values, axis=1) >= -1e-9).all()
    p = results[plan]["p_attain"].dropna()
    assert ((p >= 0) & (p <= 1)).all()


@pytest.mark.parametrize("plan", PLANS)
def test_only_data_up_to_the_assessment_year_and_known_warning_codes(results, plan):
    out = results[plan]
    year = catalog.plan(plan).midterm_year
    assert (out["last_year"].dropna() <= year).all()
    codes = {c for w in out["warnings"] for c in w.split(";") if c}
    assert codes <= set(WARNING_LABELS)
