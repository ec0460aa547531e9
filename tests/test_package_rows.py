"""A county's package cannot speak for another region, carry impossible values, or rewrite history (issue 26).

Each hostile package is a genuine ``womenstats export`` of 开平 (440783) edited here with its hashes
recomputed (tests/package_tools.py), ingested with ``--revise`` (the worst case) into a city store that
already holds 鹤山 (440784). Each is refused whole with its code, naming the package, the resource and
the row, and the store's file is byte for byte what it was.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from package_tools import OBSERVATIONS, REVISIONS, first, genuine, tamper
from womenstats.cli import main
from womenstats.intake import EmptySelectionWarning, Store
from womenstats.intake.package import PackageError, ingest_packages

CITY, KAIPING, HESHAN = "440700", "440783", "440784"


@pytest.fixture(scope="module")
def county() -> Store:
    return Store()  # the store built from data/raw (make data); only read here


@pytest.fixture(scope="module")
def kaiping(county: Store, tmp_path_factory) -> Path:
    return genuine(county, KAIPING, tmp_path_factory.mktemp("genuine") / "440783.zip")


@pytest.fixture
def city(county: Store, tmp_path: Path) -> Store:
    store = Store(tmp_path / "江门.sqlite")
    ingest_packages([genuine(county, HESHAN, tmp_path / "440784.zip")], store, region=CITY)
    return store


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _refused(package: Path, store: Store, code: str, where: str, words: str = "") -> PackageError:
    before = _sha(store.path)
    with pytest.raises(PackageError) as caught:
        ingest_packages([package], store, region=CITY, revise=True)
    error = caught.value
    assert error.code == code, str(error)
    assert str(error).startswith(f"{package.name}:{where}"), str(error)
    assert words in str(error), str(error)
    assert _sha(store.path) == before
    return error


def _rate(rows):
    return first(rows, year="2024", unit="%", numerator=lambda v: v != "")


def _set(column: str, value: str, pick=_rate):
    def edit(rows):
        pick(rows)[column] = value
    return edit


def _row_number(package: Path, pick) -> int:
    from package_tools import entries, read_rows

    _, rows = read_rows(entries(package)[OBSERVATIONS])
    return rows.index(pick(rows)) + 2


# -- one region per package, checked on every row ---------------------------------------------------------
def _every_row(code: str):
    def edit(rows):
        for row in rows:
            row["region_code"] = code
    return edit


@pytest.mark.parametrize(("region", "code", "words"), [
    (HESHAN, "E_PACKAGE_REGION", "这一行的地区是 440784（鹤山市），而数据包是 440783（开平市） 报送的"),
    (CITY, "E_PACKAGE_REGION", "这一行的地区是 440700（江门市）"),
    ("000000", "E_PACKAGE_REGION", "这一行的地区是 000000"),
    ("44078X", "E_PACKAGE_SCHEMA", "“region_code”的值“44078X”不符合格式"),
])
def test_rows_of_another_region_are_refused(kaiping, city, tmp_path, region, code, words):
    before = len(city.observations(region_code=HESHAN))
    bad = tamper(kaiping, tmp_path / "bad.zip", rows=_every_row(region))
    _refused(bad, city, code, f"{OBSERVATIONS}:第2行", words)
    assert len(city.observations(region_code=HESHAN)) == before > 0  # 鹤山's own values untouched


def test_one_row_of_another_region_refuses_the_whole_package(kaiping, city, tmp_path):
    bad = tamper(kaiping, tmp_path / "bad.zip", rows=_set("region_code", HESHAN))
    row = _row_number(bad, lambda rows: first(rows, region_code=HESHAN))
    _refused(bad, city, "E_PACKAGE_REGION", f"{OBSERVATIONS}:第{row}行")
    with pytest.warns(EmptySelectionWarning, match=KAIPING):
        assert city.observations(region_code=KAIPING).empty


@pytest.mark.parametrize(("region", "code", "words"), [
    (CITY, "E_PACKAGE_REGION", "就是本级地区 440700（江门市）"),
    ("000000", "E_PACKAGE_REGION", "是全国（000000）"),
    ("440100", "E_PACKAGE_REGION", "不是本级地区 440700（江门市）的下级"),
    ("44078X", "E_PACKAGE_DESCRIPTOR", "womenstats.region_code \"44078X\" 不是 6 位地区代码"),
    ("999999", "E_PACKAGE_REGION", "不在地区表中"),
])
def test_a_package_declaring_another_region_is_refused(kaiping, city, tmp_path, region, code, words):
    def declare(meta):
        meta["womenstats"]["region_code"] = region
    bad = tamper(kaiping, tmp_path / "bad.zip", rows=_every_row(region), descriptor=declare)
    _refused(bad, city, code, " ", words)


def _refile_as_taishan(rows):
    for row in rows:
        row["region_code"] = "440781"


def _declare_taishan(meta):
    meta["womenstats"]["region_code"] = "440781"


def _hide_provenance(rows):
    _refile_as_taishan(rows)
    for row in rows:
        row["source_file"], row["source_sha256"] = "taishan.xlsx", "0" * 64


@pytest.mark.parametrize(("edit", "words"), [(_refile_as_taishan, "已是地区 440783（开平市） 的数值"),
                                            (_hide_provenance, "与地区 440783（开平市） 已有的数值完全相同")],
                         ids=["provenance", "counts"])
def test_a_county_filed_again_under_an_absent_county_is_refused(county, kaiping, tmp_path, edit, words):
    store = Store(tmp_path / "江门.sqlite")
    ingest_packages([kaiping], store, region=CITY)
    bad = tamper(kaiping, tmp_path / "440781.zip", rows=edit, revisions=lambda rows: rows.clear(),
                 descriptor=_declare_taishan)
    _refused(bad, store, "E_PACKAGE_DUPLICATE", f"{OBSERVATIONS}:第", words)
    # the same within one ingest: the second package is blamed
    fresh = Store(tmp_path / "fresh.sqlite")
    with pytest.raises(PackageError) as caught:
        ingest_packages([kaiping, bad], fresh, region=CITY)
    assert caught.value.code == "E_PACKAGE_DUPLICATE" and str(caught.value).startswith("440781.zip:")
    assert not fresh.path.exists() or fresh.observations().empty


# -- the system's schema and a return's value rules -------------------------------------------------------
def _count_row(rows):
    return first(rows, year="2024", unit="人")


def _drop_simulated(header, rows):
    return [h for h in header if h != "simulated"], rows


@pytest.mark.parametrize(("edit", "code", "words"), [
    (_set("value", "inf"), "E_PACKAGE_SCHEMA", "“value”的值“inf”不是十进制数"),
    (_set("value", "-INF"), "E_PACKAGE_SCHEMA", "“value”的值“-INF”不是十进制数"),
    (_set("value", "NaN"), "E_PACKAGE_SCHEMA", "“value”的值“NaN”不是十进制数"),
    (_set("denominator", "1,500"), "E_PACKAGE_SCHEMA", "“denominator”的值“1,500”不是十进制数"),
    (_set("value", "1e999"), "E_PACKAGE_SCHEMA", "不是有限的数"),
    (_set("numerator", "-5"), "E_NEGATIVE_COUNT", "分子 -5 是负数"),
    (_set("value", "-5", _count_row), "E_NEGATIVE_COUNT", "数值 -5 是负数"),
    (_set("value", "150", lambda rows: first(rows, year="2024", unit="%", numerator="")),
     "E_OUT_OF_RANGE", "为 150%，超出取值范围"),
    (_set("sex", "unknown"), "E_PACKAGE_SCHEMA", "“sex”的值“unknown”不是可用的代码"),
    (_set("residence", "城镇"), "E_PACKAGE_SCHEMA", "“residence”的值“城镇”不是可用的代码"),
    (_set("indicator_id", "health.no_such_thing"), "E_UNKNOWN_INDICATOR", "health.no_such_thing"),
    (_set("unit", "‰"), "E_UNIT_MISMATCH", "单位“‰”不是指标库中"),
    (_set("year", "1900"), "E_YEAR_OUT_OF_SPAN", "年份 1900 不在规划监测期内"),
    (_set("year", "2100"), "E_YEAR_OUT_OF_SPAN", "年份 2100 晚于数据包声明的截至年份 2024"),
    (_set("year", "2025"), "E_YEAR_OUT_OF_SPAN", "年份 2025 晚于数据包声明的截至年份 2024"),
    (_set("simulated", "2"), "E_PACKAGE_SCHEMA", "“simulated”的值“2”不是可用的代码"),
    (_set("source", "x" * 140_000), "E_TOO_LARGE", "超过 131072 个字符"),
])
def test_impossible_values_are_refused_naming_the_row(kaiping, city, tmp_path, edit, code, words):
    bad = tamper(kaiping, tmp_path / "bad.zip", rows=edit)
    _refused(bad, city, code, f"{OBSERVATIONS}:第", words)


def test_numerator_over_denominator_and_zero_over_zero(kaiping, city, tmp_path):
    def over(rows):
        _rate(rows).update(numerator="90", denominator="60")

    def zero(rows):
        _rate(rows).update(numerator="0", denominator="0")

    def disagree(rows):
        row = _rate(rows)
        row["value"] = f"{float(row['value']) + 5:g}"

    row = _row_number(kaiping, _rate)
    for edit, code in ((over, "E_NUMERATOR_GT_DENOMINATOR"), (zero, "E_ZERO_DENOMINATOR"),
                       (disagree, "E_RATE_MISMATCH")):
        _refused(tamper(kaiping, tmp_path / "bad.zip", rows=edit), city, code, f"{OBSERVATIONS}:第{row}行")


def test_a_missing_column_and_a_permissive_schema_change_nothing(kaiping, city, tmp_path):
    bad = tamper(kaiping, tmp_path / "bad.zip", header=_drop_simulated)
    _refused(bad, city, "E_PACKAGE_SCHEMA", f"{OBSERVATIONS}:第1行", "缺少列“simulated”")

    def permissive(meta):
        for resource in meta["resources"]:
            resource["schema"] = {"fields": [{"name": f["name"], "type": "any"}
                                             for f in resource["schema"]["fields"]]}
    bad = tamper(kaiping, tmp_path / "bad.zip", rows=_set("value", "NaN"), descriptor=permissive)
    _refused(bad, city, "E_PACKAGE_SCHEMA", f"{OBSERVATIONS}:第", "NaN")


def test_a_dropped_primary_key_does_not_let_a_repeated_key_change_a_value(kaiping, tmp_path):
    store = Store(tmp_path / "江门.sqlite")
    ingest_packages([kaiping], store, region=CITY)
    before = store.observations()

    def repeat(rows):
        again = dict(first(rows, year="2024", numerator=""))
        again["value"] = f"{float(again['value']) + 1:g}"
        rows.append(again)

    def drop_key(meta):
        meta["resources"][0]["schema"].pop("primaryKey")
    bad = tamper(kaiping, tmp_path / "bad.zip", rows=repeat, descriptor=drop_key)
    error = _refused(bad, store, "E_DUPLICATE_KEY", f"{OBSERVATIONS}:第")
    assert "主键不能重复" in str(error)
    assert store.observations().equals(before)


# -- history travels ----------------------------------------------------------------------------------------
def test_the_countys_history_is_shown_in_the_city_store(kaiping, county, tmp_path):
    store = Store(tmp_path / "江门.sqlite")
    ingest_packages([kaiping], store, region=CITY)
    theirs = county.revisions()
    theirs = theirs.loc[theirs["region_code"] == KAIPING]
    mine = store.revisions()
    assert len(theirs) == 1 and len(mine) == 1
    assert mine["old_value"].tolist() == theirs["old_value"].tolist()
    assert mine["new_value"].tolist() == theirs["new_value"].tolist()
    assert mine["revised_by_file"].tolist() == [f"440783.zip!/{n}" for n in theirs["revised_by_file"]]
    assert mine["revised_by_sha256"].tolist() == theirs["revised_by_sha256"].tolist()
    # a newer package with the same history adds nothing to it
    later = tamper(kaiping, tmp_path / "440783_b.zip", rows=lambda rows: rows.sort(key=lambda r: r["cell"]))
    ingest_packages([later], store, region=CITY)
    assert len(store.revisions()) == 1


def _falsified(rows):
    rows[0]["new_value"] = f"{float(rows[0]['new_value']) + 3:g}"


def _other_county(rows):
    rows[0]["region_code"] = HESHAN


@pytest.mark.parametrize(("edit", "words"), [(_falsified, "接不上"), (_other_county, "不属于这个数据包")])
def test_a_falsified_history_is_refused(kaiping, city, tmp_path, edit, words):
    bad = tamper(kaiping, tmp_path / "bad.zip", revisions=edit)
    _refused(bad, city, "E_PACKAGE_HISTORY", f"{REVISIONS}:第2行", words)


# -- the right file is blamed; the command line -----------------------------------------------------------
def test_a_refusal_names_the_package_concerned(county, kaiping, tmp_path, capsys):
    store = tmp_path / "江门.sqlite"
    pengjiang = genuine(county, "440703", tmp_path / "440703.zip")
    assert main(["ingest", str(kaiping), "--store", str(store), "--region", CITY]) == 0

    def corrected(rows):
        row = first(rows, year="2024", numerator="")
        row["value"] = f"{float(row['value']) + 1:g}"
    fixed = tamper(kaiping, tmp_path / "440783_corrected.zip", rows=corrected)
    before = _sha(store)
    assert main(["ingest", str(pengjiang), str(fixed), "--store", str(store), "--region", CITY]) == 1
    out = capsys.readouterr().out
    assert out.startswith("440783_corrected.zip: E_PACKAGE_REVISED") and "440703.zip" not in out
    bad = tamper(pengjiang, tmp_path / "440703_bad.zip", rows=_set("value", "NaN"))
    assert main(["ingest", str(pengjiang), str(bad), "--store", str(store), "--region", CITY]) == 1
    out = capsys.readouterr().out
    assert out.startswith("440703_bad.zip:data/observations.csv:第") and "E_PACKAGE_SCHEMA" in out
    assert _sha(store) == before


def test_the_receiving_region_is_required_for_a_package(kaiping, tmp_path, capsys):
    assert main(["ingest", str(kaiping), "--store", str(tmp_path / "s.sqlite")]) == 2
    assert "E_ARGUMENT" in capsys.readouterr().err and not (tmp_path / "s.sqlite").exists()


def test_expect_sha256_checks_the_package_against_the_covering_letter(kaiping, tmp_path, capsys):
    store = tmp_path / "江门.sqlite"
    digest = _sha(kaiping)
    assert main(["ingest", str(kaiping), "--store", str(store), "--region", CITY,
                 "--expect-sha256", "0" * 64]) == 1
    out = capsys.readouterr().out
    assert out.startswith("440783.zip: E_PACKAGE_SHA256") and digest in out and not store.exists()
    assert main(["ingest", str(kaiping), "--store", str(store), "--region", CITY,
                 "--expect-sha256", digest.upper()]) == 0
    assert main(["ingest", str(kaiping), str(kaiping), "--store", str(store), "--region", CITY,
                 "--expect-sha256", digest]) == 2
    assert "E_ARGUMENT" in capsys.readouterr().err
