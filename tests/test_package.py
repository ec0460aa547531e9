"""A county hands its data to the city: Frictionless data packages, exported and ingested for real.

Each refusal is driven by a real package tampered with here (a changed byte, a broken row, another
registry, a region of another city, a corrected value), and each time the receiving store's file
is byte-for-byte what it was.
"""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest
from frictionless import Package

from womenstats.cli import main
from womenstats.errors import InputError
from womenstats.intake import Store, build_store
from womenstats.intake.package import RESOURCES, export_package, ingest_packages

KAIPING = "440783"


@pytest.fixture(scope="module")
def county(tmp_path_factory):
    path = tmp_path_factory.mktemp("county") / "county.sqlite"
    build_store(path)
    return Store(path)


@pytest.fixture(scope="module")
def package(county, tmp_path_factory):
    out = tmp_path_factory.mktemp("pkg") / "kaiping.zip"
    return export_package(county, KAIPING, 2024, out, plan="kaiping")


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rewrite(package, out, change):
    """Copy ``package`` to ``out`` after ``change(descriptor, data)`` edits it in place."""
    with zipfile.ZipFile(package) as zf:
        descriptor = json.loads(zf.read("datapackage.json"))
        data = {name: zf.read(path) for name, path in RESOURCES.items()}
    change(descriptor, data)
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("datapackage.json", json.dumps(descriptor, ensure_ascii=False))
        for name, path in RESOURCES.items():
            zf.writestr(path, data[name])
    return out


def _rehash(descriptor, data):
    for resource in descriptor["resources"]:
        resource["hash"] = "sha256:" + hashlib.sha256(data[resource["name"]]).hexdigest()
        resource["bytes"] = len(data[resource["name"]])


def test_export_is_byte_identical_and_a_valid_frictionless_package(county, package, tmp_path):
    again = export_package(county, KAIPING, 2024, tmp_path / "again.zip", plan="kaiping")
    assert again.read_bytes() == package.read_bytes()
    with zipfile.ZipFile(package) as zf:
        zf.extractall(tmp_path / "unzipped")
        descriptor = json.loads(zf.read("datapackage.json"))
    assert Package(str(tmp_path / "unzipped" / "datapackage.json")).validate().valid
    meta = descriptor["womenstats"]
    assert (meta["region_code"], meta["year"], meta["plan"]) == (KAIPING, 2024, "kaiping")
    fields = [f["name"] for f in descriptor["resources"][0]["schema"]["fields"]]
    assert {"numerator", "denominator", "simulated", "source_file", "sex", "residence"} <= set(fields)
    rows = (tmp_path / "unzipped" / RESOURCES["observations"]).read_text(encoding="utf-8").splitlines()
    expected = county.observations(region_code=KAIPING)
    assert len(rows) - 1 == (expected["year"] <= 2024).sum()


def test_the_city_takes_it_in_once(package, county, tmp_path):
    city = Store(tmp_path / "city.sqlite")
    [result] = ingest_packages([package], city, region="440700")
    assert result.summary.n_new == result.summary.n_rows > 500
    order = ["year", "indicator_id", "sex", "residence"]
    mine = city.observations().sort_values(order).reset_index(drop=True)
    theirs = county.observations(region_code=KAIPING)
    theirs = theirs[theirs["year"] <= 2024].sort_values(order)
    assert mine["value"].tolist() == theirs["value"].tolist()
    # provenance travels, as names inside the package (never a path on the city's machine)
    assert mine["source_file"].tolist() == [f"kaiping.zip!/{name}" for name in theirs["source_file"]]
    assert mine["source_sha256"].tolist() == theirs["source_sha256"].tolist()
    before = _sha(city.path)
    [again] = ingest_packages([package], city, region="440000")  # the province is above too
    assert again.summary.already and _sha(city.path) == before


def _edit_year(new: bytes, rehash: bool):
    def change(descriptor, data):
        data["observations"] = data["observations"].replace(b"\n440783,2020,", b"\n440783," + new + b",", 1)
        if rehash:
            _rehash(descriptor, data)
    return change


def _other_registry(descriptor, data):
    descriptor["womenstats"]["registry_version"] = "0" * 64


@pytest.mark.parametrize(("change", "code", "words"), [
    (_edit_year(b"2019", rehash=False), "E_PACKAGE_HASH", "哈希不符"),
    (_edit_year(b"20x0", rehash=True), "E_PACKAGE_SCHEMA", "不符合系统的表结构：“year”的值“20x0”不是整数"),
    (_other_registry, "E_PACKAGE_REGISTRY", "指标库版本"),
])
def test_tampered_packages_are_refused_and_the_store_is_untouched(package, tmp_path, change, code, words):
    city = Store(tmp_path / "city.sqlite")
    ingest_packages([package], city, region="440700")
    before = _sha(city.path)
    bad = _rewrite(package, tmp_path / "bad.zip", change)
    with pytest.raises(InputError, match=words) as err:
        ingest_packages([bad], city, region="440700")
    assert err.value.code == code and "bad.zip" in str(err.value)
    assert _sha(city.path) == before


def test_a_region_outside_the_city_and_a_file_that_is_no_package(package, tmp_path):
    city = Store(tmp_path / "city.sqlite")
    with pytest.raises(InputError, match="不是本级地区 440100（广州市）的下级") as err:
        ingest_packages([package], city, region="440100")
    assert err.value.code == "E_PACKAGE_REGION" and not city.path.exists()
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="不是有效的 zip") as err:
        ingest_packages([junk], city, region="440700")
    assert err.value.code == "E_PACKAGE" and "junk.zip" in str(err.value)


def _corrected(descriptor, data):
    lines = data["observations"].decode("utf-8").split("\n")
    head = lines[0].split(",")
    value, numerator = head.index("value"), head.index("numerator")
    # a value without counts (a corrected rate would have to agree with its counts)
    at = next(i for i, line in enumerate(lines[1:], start=1) if line.split(",")[numerator] == "")
    row = lines[at].split(",")
    row[value] = str(float(row[value]) + 1.5)
    lines[at] = ",".join(row)
    data["observations"] = "\n".join(lines).encode("utf-8")
    _rehash(descriptor, data)


def test_a_corrected_package_needs_revise_and_keeps_the_old_value(package, tmp_path):
    city = Store(tmp_path / "city.sqlite")
    ingest_packages([package], city, region="440700")
    before = _sha(city.path)
    fixed = _rewrite(package, tmp_path / "fixed.zip", _corrected)
    with pytest.raises(InputError, match="--revise") as err:
        ingest_packages([fixed], city, region="440700")
    assert err.value.code == "E_PACKAGE_REVISED" and _sha(city.path) == before
    [result] = ingest_packages([fixed], city, revise=True, region="440700")
    assert result.summary.n_revised == 1
    revisions = city.revisions()
    ours = revisions.loc[revisions["revised_by_file"] == "fixed.zip"]
    assert len(ours) == 1 and ours["new_value"].iloc[0] == ours["old_value"].iloc[0] + 1.5
    # the county's own correction (kaiping_2023_更正.csv) came with the first package
    carried = revisions.loc[revisions["revised_by_file"] != "fixed.zip"]
    assert carried["revised_by_file"].tolist() == ["kaiping.zip!/demo/kaiping/kaiping_2023_更正.csv"]


def test_command_line_export_and_ingest(county, tmp_path, capsys):
    out = tmp_path / "k.zip"
    assert main(["export", "--plan", "kaiping", "--year", "2024", "--out", str(out),
                 "--store", str(county.path)]) == 0
    city = tmp_path / "city.sqlite"
    assert main(["ingest", str(out), "--store", str(city), "--region", "440700"]) == 0
    assert "已导入（新增" in capsys.readouterr().err
    assert main(["ingest", str(out), "--store", str(city), "--region", "141000"]) == 1
    captured = capsys.readouterr()
    assert "E_PACKAGE_REGION" in captured.out and "数据库保持原样" in captured.err
