"""Plain readings: a series, the plan"s sentence, and the verdict a 统计局 reviewer would write.

Each row is worked out by hand from the rule in docs/status_rules.md, not from the code: the
latest value against the target at the precision it is published (position first), then, for a
target whose year is still ahead, the trend. The indicators are the registry"s own, so the tolerance
of 基本达标 (``near``), the reading of “X左右” (``band``) and the published digits are the ones the
reports use. Negative controls: a series falling away from its target is 倒退, a flat series short
of it is 难以达标, a value that is only close is not 已达标.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
import pytest

from womenstats.assess import assess_series


@dataclass(frozen=True)
class Reading:
    """One plain reading: what the plan says, what was observed, what the reviewer writes."""

    sentence: str
    indicator: str
    operator: str
    value: float
    values: tuple[float, ...]
    expected: str
    label: str = ""
    tolerance: float = math.nan
    target_year: int = 2030
    year: int = 2025
    last: int = 2024
    stage: str = "midterm"
    counts: tuple[tuple[float, float], ...] = field(default=())
    warning: str = ""


NAN = math.nan

READINGS = [
    # ---- “X左右” read by the better direction (a share where more women is better)
    Reading(
        "提高农村卫生厕所普及率，2025年达到85%左右",
        "environment.rural_sanitary_toilet", "≈", 85, (92, 94, 96, 98, 99, 100, 100),
        "achieved", "已实现", tolerance=1, target_year=2025,
    ),
    Reading(
        "就业人员中的女性比例保持在45%左右",
        "economy.employed_female_share", "≈", 45, (46.2, 46.5, 46.9, 47.0, 47.1),
        "achieved", "提前实现", tolerance=1,
    ),
    Reading(
        "社区居委会成员中女性比例保持在50%左右",
        "decision.residents_committee_female_share", "≈", 50, (54.0, 55.0, 55.5, 56.0, 56.1),
        "achieved", "提前实现", tolerance=1,
    ),
    Reading(
        "城镇单位就业人员中的女性比例达到40%左右",
        "economy.urban_employed_female_share", "≈", 40, (42.9, 43.1, 43.5, 43.6, 43.78),
        "achieved", "已实现", tolerance=1, target_year=2025,
    ),
    Reading(
        "农村技能培训女性比例达到50%左右（49% 即在“左右”之内）",
        "economy.rural_training_female_share", "≈", 50, (46.0, 47.0, 48.0, 48.5, 49.0),
        "achieved", tolerance=1,
    ),
    Reading(
        "社区居委会成员中女性比例保持在50%左右（一路下滑，远低于）",
        "decision.residents_committee_female_share", "≈", 50, (50.0, 49.0, 48.2, 47.5, 47.0),
        "regressing", "倒退", tolerance=1,
    ),
    # ---- two-sided only where the registry declares a band (a balance to keep)
    Reading(
        "义务教育学校在校生中男女比例保持均衡",
        "education.compulsory_girls_share", "maintain", NAN, (46.5, 46.6, 46.4, 46.5, 46.6),
        "achieved",
    ),
    Reading(
        "义务教育学校在校生中男女比例保持均衡（女生比重离基期越来越远）",
        "education.compulsory_girls_share", "maintain", NAN, (46.5, 47.2, 48.0, 48.9, 49.8),
        "regressing",
    ),
    # ---- 100% targets judged at the published precision; p_attain on a bound the model can reach
    Reading(
        "新婚夫妇婚姻家庭辅导率达到100%",
        "family.premarital_counseling", ">=", 100, (99.5, 99.7, 99.8, 99.85, 99.89),
        "nearly_achieved", "基本达标",
    ),
    Reading(
        "镇（街道）社会工作服务站覆盖率达到100%（99.96% 印为 100.0%）",
        "family.social_work_station_coverage", ">=", 100, (99.5, 99.7, 99.9, 99.93, 99.96),
        "achieved", "提前实现",
    ),
    Reading(
        "学前教育毛入园率达到100%（远未达到）",
        "education.preschool_gross_enrollment", ">=", 100, (84.0, 84.6, 85.1, 85.5, 85.8),
        "off_track", "难以达标",
    ),
    Reading(
        "小学净入学率保持在99.95%以上（目标写到两位小数）",
        "education.primary_net_enrollment", "maintain", 99.95, (99.96, 99.95, 99.93, 99.92, 99.91),
        "nearly_achieved",
    ),
    Reading(
        "婚前医学检查率达到70%（69.96% 印为 70.0%）",
        "health.premarital_exam", ">=", 70, (66.0, 67.5, 68.6, 69.4, 69.96),
        "achieved",
    ),
    # ---- a directional target at its ceiling, or met, or not
    Reading(
        "提升城市集中式饮用水水源水质",
        "environment.urban_drinking_water_source_quality", "increase", NAN, (100.0,) * 7,
        "achieved", "提前实现",
    ),
    Reading(
        "孕产妇贫血患病率逐步降低",
        "health.maternal_anemia", "decrease", NAN, (14.0, 13.5, 13.2, 12.9, 12.7),
        "achieved",
    ),
    Reading(
        "孕产妇贫血患病率逐步降低（一路上升）",
        "health.maternal_anemia", "decrease", NAN, (12.0, 12.5, 13.2, 13.8, 14.5),
        "regressing",
    ),
    Reading(
        "乳腺癌人群筛查率逐步提高（与基期持平，按一位小数）",
        "health.breast_cancer_screening", "increase", NAN, (50.0, 50.2, 50.1, 49.9, 50.04),
        "off_track",
    ),
    # ---- a target met now is met, whatever the trend (the fall is a warning)
    Reading(
        "村委会主任中女性比例达到10%以上（比上年提高2.89个百分点）",
        "decision.village_committee_chair_female_share", ">=", 10, (9.0, 8.2, 7.6, 7.33, 10.22),
        "achieved", "提前实现",
    ),
    Reading(
        "妇女基本医疗保险参保率稳定在95%以上（逐年回落但仍在95%以上）",
        "social_security.basic_medical_insurance_female", "maintain", 95, (99.5, 98.6, 97.8, 96.9, 96.0),
        "achieved", warning="slipping",
    ),
    # ---- near misses: 基本达标, as the NBS counts “基本实现”
    Reading(
        "孕产妇死亡率控制在20/10万以下（2015年中期：20.1）",
        "health.maternal_mortality", "<=", 20, (26.1, 24.5, 23.2, 21.7, 20.1),
        "nearly_achieved", "基本达标", target_year=2020, year=2015, last=2015,
    ),
    Reading(
        "基本养老保险参保率达到96%以上（95.7%）",
        "social_security.basic_pension_insurance_female", ">=", 96, (93.0, 93.8, 94.6, 95.2, 95.7),
        "nearly_achieved",
    ),
    # ---- trend verdicts for targets not met, years ahead; negative controls
    Reading(
        "宫颈癌人群筛查率达到90%以上（稳步上升）",
        "health.cervical_cancer_screening", ">=", 90, (80.1, 81.9, 84.2, 85.8, 88.1),
        "on_track", "预计可达标",
    ),
    Reading(
        "宫颈癌人群筛查率达到90%以上（一路下滑）",
        "health.cervical_cancer_screening", ">=", 90, (85.0, 84.0, 83.0, 82.2, 81.0),
        "regressing", "倒退",
    ),
    Reading(
        "宫颈癌人群筛查率达到90%以上（多年持平）",
        "health.cervical_cancer_screening", ">=", 90, (75.0, 75.2, 74.9, 75.1, 75.0),
        "off_track", "难以达标",
    ),
    Reading(
        "农村自来水普及率巩固在99%以上（85% 上下徘徊）",
        "environment.rural_tap_water", "maintain", 99, (84.0, 85.5, 84.8, 85.6, 85.3),
        "off_track",
    ),
    Reading(
        "艾滋病母婴传播率下降到2%以下（5.6% 且不降）",
        "health.hiv_mother_to_child_transmission", "<=", 2, (5.4, 5.7, 5.5, 5.6, 5.57),
        "off_track",
    ),
    # ---- small numbers: judged on the 3-year pooled rate
    Reading(
        "孕产妇死亡率下降到8/10万以下（一例死亡后两年为零）",
        "health.maternal_mortality", "<=", 8, (20.0, 0.0, 0.0),
        "achieved", counts=((1, 5000), (0, 5000), (0, 5000)),
    ),
    # ---- a change from the baseline (2020)
    Reading(
        "剖宫产率比2020年下降10%（基期20.0%，目标18.0%）",
        "health.caesarean_rate", "decrease_pct", 10, (20.0, 19.4, 18.7, 18.3, 17.9),
        "achieved",
    ),
    Reading(
        "高中阶段毛入学率比2020年提高5个百分点（基期60.0%，目标65.0%）",
        "education.high_school_gross_enrollment", "increase_pp", 5, (60.0, 61.5, 62.8, 63.9, 64.6),
        "nearly_achieved",
    ),
    # ---- counts: no “基本达标” for a count
    Reading(
        "建设1所及以上标准化妇幼保健机构（尚无）",
        "health.standard_mch_institutions", ">=", 1, (0.0, 0.0, 0.0, 0.0, 0.0),
        "off_track",
    ),
    # ---- final verdicts: 已实现 / 基本实现 / 未实现 / 数据不足,
    # on data of the target year or up to two years before
    Reading(
        "村委会成员中女性比例达到30%以上（2020年24.2%）",
        "decision.village_committee_female_share", ">=", 30, (22.8, 23.1, 23.9, 24.2),
        "not_achieved", "未实现", target_year=2020, year=2020, last=2020, stage="final",
    ),
    Reading(
        "高等教育毛入学率达到40%（2020年54.4%）",
        "education.gross_enrollment_higher", ">=", 40, (45.7, 48.1, 51.6, 54.4),
        "achieved", "已实现", target_year=2020, year=2020, last=2020, stage="final",
    ),
    Reading(
        "妇女常见病筛查率达到80%以上（最新为2018年75.5%）",
        "health.common_disease_screening", ">=", 80, (61.2, 66.9, 75.5),
        "not_achieved", "未实现", target_year=2020, year=2020, last=2018, stage="final",
    ),
    Reading(
        "到2020年农村卫生厕所普及率达到85%（最新为2013年）",
        "environment.rural_sanitary_toilet", ">=", 85, (69.2, 71.7, 74.1),
        "insufficient_data", "数据不足", target_year=2020, year=2020, last=2013, stage="final",
    ),
    Reading(
        "体育锻炼人数比例达到50%（2024年49.6%，终期按2024年数据）",
        "health.exercise_participation_female", ">=", 50, (44.0, 45.5, 47.0, 48.5, 49.6),
        "nearly_achieved", "基本实现", target_year=2025, stage="final",
    ),
    Reading(
        "妇女体质测定标准合格比例达到90%（2024年87.3%）",
        "health.fitness_standard_female", ">=", 90, (85.0, 85.8, 86.5, 87.0, 87.3),
        "not_achieved", "未实现", target_year=2025, stage="final",
    ),
]


def _series(reading: Reading) -> pd.DataFrame:
    n = len(reading.values)
    years = list(range(reading.last - n + 1, reading.last + 1))
    if reading.counts:
        numerators = [c[0] for c in reading.counts]
        denominators = [c[1] for c in reading.counts]
    else:
        numerators = denominators = [NAN] * n
    return pd.DataFrame({"year": years, "value": list(reading.values), "numerator": numerators,
                         "denominator": denominators})


def _target(reading: Reading) -> dict:
    kind = "directional" if math.isnan(reading.value) else "quantitative"
    return {"kind": kind, "operator": reading.operator, "value": reading.value,
            "tolerance": reading.tolerance, "target_year": reading.target_year, "stage": reading.stage}


def test_there_are_at_least_thirty_readings_with_negative_controls():
    assert len(READINGS) >= 30
    statuses = {r.expected for r in READINGS}
    assert statuses >= {"achieved", "nearly_achieved", "on_track", "off_track", "regressing", "not_achieved",
                        "insufficient_data"}


@pytest.mark.parametrize("reading", READINGS, ids=[r.sentence[:24] for r in READINGS])
def test_the_verdict_is_the_one_a_reviewer_writes(reading):
    out = assess_series(_series(reading), _target(reading), reading.indicator, year=reading.year,
                        baseline_year=2020)
    assert out["status"] == reading.expected, out
    if reading.label:
        assert out["status_label"] == reading.label
    if reading.warning:
        assert reading.warning in out["warnings"].split(";")
    if out["status"] in ("achieved", "nearly_achieved"):
        assert "shortfall" not in out["warnings"]
    # a projection that prints the target is never “达标概率约 0%”
    prints_target = reading.operator == ">=" and out["proj_value"] >= reading.value - 0.05
    if not math.isnan(out["p_attain"]) and prints_target:
        assert out["p_attain"] >= 0.5


def test_the_gap_of_a_zuoyou_target_is_read_against_the_value_the_plan_wrote() -> None:
    # “村委会成员中女性比例30%左右”: met from 29% (its band), but 21.9% is 8.1 points below 30%, as a
    # reviewer reads it; a “保持稳定” target has no gap phrase (its change since the baseline says it)
    from womenstats.report.county.findings import shortfall_words

    zuoyou = {"operator": "≈", "target_value": 30.0, "comparison": ">=", "target_level": 29.0}
    assert shortfall_words(zuoyou, 21.9, "%") == "低于目标8.1个百分点"
    assert shortfall_words(zuoyou, 29.5, "%") == "低于目标0.5个百分点"
    above = {"operator": "≈", "target_value": 45.0, "comparison": "≈", "target_level": 45.0}
    assert shortfall_words(above, 49.0, "%") == "高于目标4.0个百分点"
    floor = {"operator": ">=", "target_value": 96.0, "comparison": ">=", "target_level": 96.0}
    assert shortfall_words(floor, 95.2, "%") == "低于目标0.8个百分点"
    assert shortfall_words(floor, 97, "%") == ""
    steady = {"operator": "maintain", "target_value": float("nan"), "comparison": ">=", "target_level": 30.0}
    assert shortfall_words(steady, 27.8, "%") == ""
