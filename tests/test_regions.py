"""The region registry: codes, names, levels, parents and children, checked against the catalog."""

from __future__ import annotations

import pytest

from womenstats import catalog
from womenstats.catalog import regions
from womenstats.errors import CatalogError

JIANGMEN_COUNTIES = ["440703", "440704", "440705", "440781", "440783", "440784", "440785"]


def test_the_demo_city_and_its_counties():
    assert regions.name("440700") == "江门市" and regions.level("440700") == "city"
    assert regions.children("440700") == JIANGMEN_COUNTIES
    assert [regions.name(c) for c in JIANGMEN_COUNTIES] == [
        "蓬江区", "江海区", "新会区", "台山市", "开平市", "鹤山市", "恩平市"
    ]
    assert regions.parents("440783") == ["440700", "440000", "000000"]
    assert "440783" in regions.children("440000", depth=None)
    assert regions.children("440000") == ["440100", "440700"]
    assert regions.level("000000") == "national" and regions.parents("000000") == []


@pytest.mark.parametrize("plan_id", catalog.plans())
def test_every_plan_region_and_its_parents_are_registered(plan_id):
    plan = catalog.plan(plan_id)
    assert regions.level(plan.region_code) == plan.level
    listed = [p.code for p in plan.parents]
    assert listed == regions.parents(plan.region_code)[: len(listed)]
    for parent in plan.parents:
        assert regions.name(parent.code) == parent.name


def test_an_unknown_code_is_a_clear_error():
    with pytest.raises(CatalogError, match="地区代码“999999”不在地区表") as err:
        regions.parents("999999")
    assert err.value.code == "E_UNKNOWN_REGION"
    with pytest.raises(CatalogError):
        regions.children("12345")


def test_a_province_can_use_its_own_complete_registry(tmp_path, monkeypatch) -> None:
    registry = regions
    path = tmp_path / "省地区表.csv"
    path.write_text("code,name,level,parent,note\n000000,全国,national,,\n990000,模拟省,province,000000,\n"
                    "990101,模拟一县,county,990000,\n990102,模拟二县,county,990000,\n", encoding="utf-8")
    monkeypatch.setenv(registry.REGIONS_ENV, str(path))
    assert registry.registry_file() == path
    assert registry.children("990000") == ["990101", "990102"]
    assert registry.parents("990102") == ["990000", "000000"]
    with pytest.raises(CatalogError, match=r"省地区表\.csv"):
        registry.name("440783")  # not in the province's own file
    monkeypatch.setenv(registry.REGIONS_ENV, str(tmp_path / "没有.csv"))
    with pytest.raises(CatalogError, match="WOMENSTATS_REGIONS"):
        registry.children("990000")
    monkeypatch.delenv(registry.REGIONS_ENV)
    assert "440783" in registry.children("440700")
