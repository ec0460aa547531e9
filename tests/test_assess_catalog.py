"""Every plan of the catalog assessed on the embedded data: invariants that must hold for any target."""

from __future__ import annotations

import numpy as np
import pytest

from womenstats import catalog
from womenstats.assess import COLUMNS, STATUSES, WARNING_LABELS, assess_plan
from womenstats.intake import build_store

PLANS = ("linhe", "kaiping", "nansha", "taobei", "guxian")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("assess_catalog") / "store.sqlite"
    build_store(path)
    return path


@pytest.fixture(scope="module")
def results(store):
    return {plan: assess_plan(plan, catalog.plan(plan).midterm_year, store=store) for plan in PLANS}


@pytest.mark.parametrize("plan", PLANS)
def test_one_row_per_target_not_restated(results, plan):
    out = results[plan]
    targets = catalog.load(plan)
    judged = targets.loc[targets["links_to"] == "", "target_id"].tolist()
    assert list(out.columns) == list(COLUMNS)
    assert out["target_id"].tolist() == judged
    assert set(out["status"]) <= set(STATUSES)
    qualitative = out["kind"] == "qualitative"
    assert (out.loc[qualitative, "status"] == "qualitative").all()
    assert (out.loc[~qualitative, "status"] != "qualitative").all()


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
