"""The schema check: each kind of broken catalog file is caught, naming the file and the entry."""

from __future__ import annotations

import csv
import shutil

import pytest

from womenstats import catalog
from womenstats.catalog import TARGET_COLUMNS
from womenstats.errors import CatalogError

GOOD_ROWS = [
    {
        "target_id": "demo.health.02-1",
        "area": "health",
        "section": "主要目标",
        "item": "02",
        "indicator_id": "health.maternal_mortality",
        "sex": "female",
        "residence": "all",
        "age_group": "all",
        "kind": "quantitative",
        "operator": "<=",
        "value": "8",
        "unit": "1/10万",
        "target_year": "2030",
        "sentence": "孕产妇死亡率下降到8/10万以下",
    },
    {
        "target_id": "demo.economy.02-1",
        "area": "economy",
        "section": "主要目标",
        "item": "02",
        "indicator_id": "economy.employed_female_share",
        "sex": "female",
        "residence": "all",
        "age_group": "all",
        "kind": "quantitative",
        "operator": "≈",
        "value": "45",
        "unit": "%",
        "target_year": "2030",
        "sentence": "就业人员中的女性比例保持在45%左右",
    },
    {
        "target_id": "demo.health.p1-1",
        "area": "health",
        "section": "重点工程",
        "item": "p1",
        "indicator_id": "health.maternal_mortality",
        "sex": "female",
        "residence": "all",
        "age_group": "all",
        "kind": "quantitative",
        "operator": "<=",
        "value": "8",
        "unit": "1/10万",
        "target_year": "2030",
        "links_to": "demo.health.02-1",
        "sentence": "孕产妇死亡率下降到8/10万以下",
    },
    {
        "target_id": "demo.law.01-1",
        "area": "law",
        "section": "主要目标",
        "item": "01",
        "sex": "total",
        "residence": "all",
        "age_group": "all",
        "kind": "qualitative",
        "target_year": "2030",
        "sentence": "全面贯彻落实男女平等宪法原则和基本国策",
    },
]

DEMO_PLAN = """\
id: demo
name: 示例县妇女发展规划（2021—2030年）
region_name: 示例县
region_code: "440783"
level: county
parents:
  - {code: "440700", name: 江门市}
period_start: 2021
period_end: 2030
baseline_year: 2020
midterm_year: 2025
final_year: 2030
status: final
source:
  document: 示例县妇女发展规划（2021—2030年）
"""


def write_targets(path, rows, columns=TARGET_COLUMNS):
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def make_demo(tmp_path, rows=GOOD_ROWS):
    """Write a small valid catalog (the package's indicator registry, one plan, ``rows``)."""
    root = tmp_path / "catalog"
    shutil.copytree(catalog.DATA_DIR / "indicators", root / "indicators")
    shutil.copy(catalog.DATA_DIR / "structure.yaml", root / "structure.yaml")
    (root / "plans").mkdir(parents=True)
    (root / "targets").mkdir()
    (root / "plans" / "demo.yaml").write_text(DEMO_PLAN, encoding="utf-8")
    write_targets(root / "targets" / "demo.csv", rows)
    return root


@pytest.fixture
def demo(tmp_path):
    """A small valid catalog: the package's indicator registry, one plan, four targets."""
    yield make_demo(tmp_path)
    catalog.clear_cache()


def broken(root, change, index=0):
    """Rewrite demo.csv with one row changed (a dict of fields; None removes the row's field)."""
    rows = [dict(r) for r in GOOD_ROWS]
    rows[index].update(change)
    write_targets(root / "targets" / "demo.csv", rows)
    catalog.clear_cache()


def only_problem(root):
    problems = catalog.check(root)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def test_demo_catalog_is_valid_and_loads(demo):
    assert catalog.check(demo) == []
    frame = catalog.load("demo", data_dir=demo)
    assert list(frame.columns) == list(catalog.LOADED_COLUMNS)
    assert frame["target_id"].tolist() == [
        "demo.health.02-1",
        "demo.health.p1-1",
        "demo.economy.02-1",
        "demo.law.01-1",
    ]
    assert frame.loc[0, "indicator"] == "孕产妇死亡率"
    assert frame.loc[0, "value"] == 8.0
    assert frame.loc[3, "indicator"] == ""
    # 45%左右 without a tolerance gets the default rule: one unit of the last printed digit.
    approx = catalog.target("demo.economy.02-1", data_dir=demo)
    assert approx["operator"] == "≈"
    assert approx["tolerance"] == 1.0


@pytest.mark.parametrize(
    ("change", "index", "code", "words"),
    [
        ({"indicator_id": "health.no_such_thing"}, 0, "E_UNKNOWN_INDICATOR", "health.no_such_thing"),
        ({"sentence": ""}, 0, "E_MISSING_FIELD", "sentence"),
        ({"area": "wealth"}, 0, "E_BAD_CODE", "area"),
        ({"section": "总体目标"}, 0, "E_BAD_CODE", "section"),
        ({"kind": "numeric"}, 0, "E_BAD_CODE", "kind"),
        ({"operator": "<"}, 0, "E_BAD_CODE", "operator"),
        ({"sex": "women"}, 0, "E_BAD_CODE", "sex"),
        ({"residence": "town"}, 0, "E_BAD_CODE", "residence"),
        ({"age_group": "adults"}, 0, "E_BAD_CODE", "age_group"),
        ({"value": "800000"}, 0, "E_OUT_OF_BOUNDS", "800000"),
        ({"value": "145"}, 1, "E_OUT_OF_BOUNDS", "145"),
        ({"unit": "%"}, 0, "E_UNIT_MISMATCH", "1/10万"),
        ({"unit": "per cent"}, 0, "E_BAD_CODE", "unit"),
        ({"links_to": "demo.health.09-1"}, 2, "E_BAD_LINK", "demo.health.09-1"),
        ({"links_to": "demo.health.p1-1"}, 2, "E_BAD_LINK", "另一条本身未设 links_to"),
        ({"links_to": "demo.health.p1-1"}, 1, "E_BAD_LINK", "另一条本身未设 links_to"),
        ({"value": ""}, 0, "E_MISSING_VALUE", "value"),
        ({"operator": "increase"}, 0, "E_KIND_OPERATOR", "increase"),
        ({"operator": "<="}, 3, "E_QUALITATIVE_VALUE", "qualitative"),
        ({"target_id": "demo.economy.03-1"}, 1, "E_BAD_ID", "demo.economy.02"),
        ({"item": "2"}, 0, "E_BAD_ITEM", "item"),
        ({"tolerance": "2"}, 0, "E_BAD_TOLERANCE", "≈"),
    ],
)
def test_each_target_problem_names_file_row_and_entry(demo, change, index, code, words):
    broken(demo, change, index)
    problem = only_problem(demo)
    assert problem.code == code
    assert problem.file == "targets/demo.csv"
    assert problem.row == index + 2  # the header is line 1
    assert words in problem.message
    text = str(problem)
    assert text.startswith(f"targets/demo.csv:第{index + 2}行")
    assert GOOD_ROWS[index]["target_id"].split(".")[0] in text
    with pytest.raises(CatalogError) as err:
        catalog.load("demo", data_dir=demo)
    assert "targets/demo.csv" in str(err.value)
    assert err.value.code == code


def test_duplicate_target_id_is_caught(demo):
    rows = [*GOOD_ROWS, GOOD_ROWS[1]]
    write_targets(demo / "targets" / "demo.csv", rows)
    catalog.clear_cache()
    problem = only_problem(demo)
    assert problem.code == "E_DUPLICATE_ID"
    assert problem.row == 6
    assert problem.entry == "demo.economy.02-1"
    assert "第3行" in problem.message


def test_missing_column_is_caught(demo):
    columns = [c for c in TARGET_COLUMNS if c != "target_year"]
    write_targets(demo / "targets" / "demo.csv", GOOD_ROWS, columns)
    catalog.clear_cache()
    problem = only_problem(demo)
    assert problem.code == "E_MISSING_FIELD"
    assert "target_year" in problem.message
    assert problem.row == 1


def _append_indicator(root, text):
    path = root / "indicators" / "health.yaml"
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    catalog.clear_cache()
    return path.read_text(encoding="utf-8").count("\n") - text.count("\n") + 2


INDICATOR = """
- id: {id}
  name: 测试指标
  area: health
  unit: "{unit}"
  lower: 0
  upper: 100
  better: higher
  near: 0.5
  band: null
  subject: female
  breakdowns: []
  numerator: null
  denominator: null
  per: {per}
  plausible: {{county: [0, 100], national: null, denominator: null}}
  aggregation: sum_counts
  department: 卫健
  definition: 测试。
"""

VALID = INDICATOR.format(id="health.test", unit="%", per=100)


def test_duplicate_indicator_id_is_caught_with_its_line(demo):
    line = _append_indicator(demo, INDICATOR.format(id="health.maternal_mortality", unit="%", per=100))
    problem = only_problem(demo)
    assert problem.code == "E_DUPLICATE_ID"
    assert problem.file == "indicators/health.yaml"
    assert problem.entry == "health.maternal_mortality"
    assert problem.row == line
    with pytest.raises(CatalogError, match=r"indicators/health\.yaml"):
        catalog.indicators(demo)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (INDICATOR.format(id="health.test", unit="%", per=1000), "E_BAD_PER"),
        (INDICATOR.format(id="health.test", unit="percent", per=100), "E_BAD_CODE"),
        (INDICATOR.format(id="education.test", unit="%", per=100), "E_AREA_MISMATCH"),
        (VALID.replace("  department: 卫健\n", ""), "E_MISSING_FIELD"),
        (VALID.replace("lower: 0", "lower: 200"), "E_BAD_BOUNDS"),
        (VALID.replace("[]", "[region]"), "E_BAD_CODE"),
        (VALID.replace("aggregation: sum_counts", "aggregation: average"), "E_BAD_CODE"),
        (VALID.replace("aggregation: sum_counts", "aggregation: sum"), "E_BAD_AGGREGATION"),
        (VALID.replace("aggregation: sum_counts", "aggregation: share_meeting"), "E_BAD_AGGREGATION"),
        (VALID.replace("aggregation: sum_counts", "aggregation: sum_counts\n  meets: '>= 1'"),
         "E_BAD_AGGREGATION"),
        (VALID.replace("near: 0.5", "near: -1"), "E_BAD_NEAR"),
        (VALID.replace("near: 0.5", "near: 一点"), "E_BAD_NEAR"),
        # a direction and a two-sided band at once: “X左右” would have two readings
        (VALID.replace("band: null", "band: 1.0"), "E_BAD_BAND"),
        # a neutral indicator must declare the band its “X左右” and “保持” are read in
        (VALID.replace("better: higher", "better: neutral"), "E_BAD_BAND"),
        (VALID.replace("aggregation: sum_counts", "aggregation: derived"), "E_BAD_DERIVED"),
        (VALID.replace("aggregation: sum_counts",
                       "aggregation: derived\n  derived: {from: health.maternal_mortality, by: residence, "
                       "minuend: rural, subtrahend: female, form: difference}"), "E_BAD_DERIVED"),
        (VALID.replace("aggregation: sum_counts",
                       "aggregation: derived\n  derived: {from: health.no_such, by: residence, "
                       "minuend: rural, subtrahend: urban, form: difference}"), "E_BAD_DERIVED"),
    ],
)
def test_indicator_problems(demo, text, code):
    _append_indicator(demo, text)
    problem = only_problem(demo)
    assert problem.code == code
    assert problem.file == "indicators/health.yaml"
    assert problem.row is not None


def test_plan_problems(demo):
    path = demo / "plans" / "demo.yaml"
    text = DEMO_PLAN.replace("level: county", "level: town")
    path.write_text(text.replace("midterm_year: 2025", ""), "utf-8")
    catalog.clear_cache()
    problem = only_problem(demo)
    assert problem.code == "E_MISSING_FIELD"
    assert "midterm_year" in problem.message
    path.write_text(DEMO_PLAN.replace("level: county", "level: town"), "utf-8")
    catalog.clear_cache()
    problem = only_problem(demo)
    assert (problem.file, problem.entry, problem.code) == ("plans/demo.yaml", "demo", "E_BAD_CODE")
    with pytest.raises(CatalogError, match=r"plans/demo\.yaml"):
        catalog.plan("demo", demo)


def test_targets_without_plan_and_plan_without_targets(demo):
    (demo / "targets" / "ghost.csv").write_text(",".join(TARGET_COLUMNS) + "\n", "utf-8")
    (demo / "targets" / "demo.csv").unlink()
    catalog.clear_cache()
    codes = sorted((p.file, p.code) for p in catalog.check(demo))
    assert codes == [("targets/demo.csv", "E_NO_FILE"), ("targets/ghost.csv", "E_NO_PLAN")]


def test_malformed_yaml_names_the_line(demo):
    (demo / "indicators" / "law.yaml").write_text("- id: law.x\n  name: [unclosed\n", "utf-8")
    catalog.clear_cache()
    problem = only_problem(demo)
    assert problem.code == "E_YAML"
    assert problem.file == "indicators/law.yaml"
    assert problem.row is not None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (VALID.replace("national: null", "national: [5]"), "E_BAD_PLAUSIBLE"),
        (VALID.replace("county: [0, 100]", "county: [0, 150]"), "E_BAD_PLAUSIBLE"),
        (VALID.replace("county: [0, 100]", "county: [60, 20]"), "E_BAD_PLAUSIBLE"),
        # a rate is not per head of population: only counts scale with it
        (VALID.replace("county: [0, 100]", "county: {per_10k: [0, 100]}"), "E_BAD_PLAUSIBLE"),
        (VALID.replace("denominator: null}", "denominator: deputies}"), "E_BAD_PLAUSIBLE"),
        (VALID.replace("  plausible: {county: [0, 100], national: null, denominator: null}\n", ""),
         "E_MISSING_FIELD"),
        (VALID.replace("definition: 测试。", "definition: 测试。\n  sex_core: true"), "E_BAD_SEX_CORE"),
    ],
)
def test_plausible_range_problems(demo, text, code):
    _append_indicator(demo, text)
    problem = only_problem(demo)
    assert problem.code == code
    assert problem.file == "indicators/health.yaml" and problem.row is not None


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("  per_10k: [20, 250]\n", "  per_10k: [250, 20]\n", "E_BAD_STRUCTURE"),
        ("  per_10k: [20, 250]\n", "  per_10k: [20, 250]\n  count: {county: [1, 2]}\n", "E_BAD_STRUCTURE"),
        ("  per_10k: [20, 250]\n", "  count: {town: [1, 2]}\n", "E_BAD_STRUCTURE"),
        ("- id: births\n", "- id: women\n", "E_DUPLICATE_ID"),
        ("  enumerated: true\n", "  enumerated: 是\n", "E_BAD_STRUCTURE"),
    ],
)
def test_structure_problems_name_the_file_and_entry(demo, old, new, code):
    path = demo / "structure.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    catalog.clear_cache()
    problems = [p for p in catalog.check(demo) if p.file == "structure.yaml"]
    assert [p.code for p in problems] == [code]
    assert problems[0].row is not None


def test_every_indicator_declares_its_plausible_range_and_every_rate_of_people_its_structure():
    frame = catalog.indicators()
    structure = catalog.structure()
    assert frame["plausible"].notna().all()
    rates = frame[frame["denominator"].notna() & frame["per"].notna()]
    # denominators that are no count of people, places or bodies (tonnes, cubic metres, square kilometres)
    not_counts = {"生活垃圾产生量", "污水排放量", "城镇建成区面积"}
    for ident, row in rates.iterrows():
        if row["denominator"] in not_counts:
            assert row["plausible"].denominator is None, ident
        else:
            assert row["plausible"].denominator in structure, ident
    # the bounded rare-event rates (issue 25): a county's true rate cannot credibly exceed these
    bounded = {"health.hiv_mother_to_child_transmission": 10, "health.maternal_mortality": 100,
               "health.congenital_syphilis_incidence": 150}
    for ident, ceiling in bounded.items():
        assert frame.loc[ident, "plausible"].county[1] == ceiling


def test_no_plan_sets_a_target_outside_the_range_its_region_can_have():
    frame = catalog.indicators()
    for plan_id in catalog.plans():
        national = catalog.plan(plan_id).level == "national"
        targets = catalog.load(plan_id)
        levels = targets[(targets["kind"] == "quantitative")
                         & targets["operator"].isin([">=", "<=", "≈", "=", "maintain"])
                         & (targets["value"].astype(str).str.strip() != "")]
        for row in levels.itertuples(index=False):
            spec = frame.loc[row.indicator_id, "plausible"]
            span = spec.national if national else (None if spec.per_10k else spec.county)
            if span is not None:
                assert span[0] <= float(row.value) <= span[1], (row.target_id, row.value, span)


COVERAGE = """\
coverage:
  main_targets: 60
  basis: 示例：规划全文只读到部分领域，来源：https://example.org/plan
  missing:
    - {area: education, scope: all, note: 教育领域目标原句未读到。}
    - {area: health, scope: partial, note: 健康领域只读到第2条。}
"""


def _with_coverage(root, text):
    (root / "plans" / "demo.yaml").write_text(DEMO_PLAN + text, "utf-8")
    catalog.clear_cache()


def test_a_plan_says_which_targets_the_catalog_lacks(demo):
    assert catalog.plan("demo", demo).coverage is None  # catalogued whole
    _with_coverage(demo, COVERAGE)
    assert catalog.check(demo) == []
    coverage = catalog.plan("demo", demo).coverage
    assert coverage.main_targets == 60
    assert "https://example.org/plan" in coverage.basis
    # Area order, whatever the file's order.
    assert coverage.missing_areas() == ("health", "education")
    assert coverage.missing_areas("all") == ("education",)
    assert coverage.missing[0] == catalog.Gap("health", "partial", "健康领域只读到第2条。")


@pytest.mark.parametrize(
    ("old", "new", "code", "words"),
    [
        ("scope: all", "scope: most", "E_BAD_COVERAGE", "scope"),
        ("area: education", "area: sports", "E_BAD_COVERAGE", "sports"),
        ("area: education", "area: [education, law]", "E_BAD_COVERAGE", "area"),
        ("area: health", "area: education", "E_BAD_COVERAGE", "重复"),
        ("main_targets: 60", "main_targets: 多项", "E_BAD_COVERAGE", "正整数"),
        ("basis: 示例：规划全文只读到部分领域，", "basis_: ", "E_BAD_COVERAGE", "basis"),
        (", note: 教育领域目标原句未读到。", "", "E_BAD_COVERAGE", "note"),
        # The declaration must agree with the targets file: health has rows, education none.
        ("area: education, scope: all", "area: education, scope: partial", "E_COVERAGE_MISMATCH", "改为 all"),
        ("area: health, scope: partial", "area: health, scope: all", "E_COVERAGE_MISMATCH", "改为 partial"),
        ("coverage:", "coverage_notes:", "E_UNKNOWN_FIELD", "coverage_notes"),
    ],
)
def test_coverage_problems_name_the_plan_file(demo, old, new, code, words):
    assert old in COVERAGE
    _with_coverage(demo, COVERAGE.replace(old, new))
    problem = only_problem(demo)
    assert (problem.file, problem.entry, problem.code) == ("plans/demo.yaml", "demo", code)
    assert words in problem.message
    if code == "E_COVERAGE_MISMATCH":  # loading the plan's targets refuses it too
        with pytest.raises(CatalogError, match="scope"):
            catalog.load("demo", data_dir=demo)
