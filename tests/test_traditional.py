"""Traditional characters and conversion debris (:mod:`womenstats.catalog.traditional`).

The table is hand-written; these tests hold it to what the extractor reads. The characters it must
cover are derived here, not listed: every character of the seed plans, of the indicator registry
and of the extractor's patterns that Big5 cannot encode (so a traditional text writes it another
way). GB2312, the simplified standard, tells a simplified character from a traditional one.
"""

from __future__ import annotations

import re
from types import ModuleType

import pytest

from womenstats import catalog, paths
from womenstats.catalog import text as text_module
from womenstats.catalog.extract import candidates, extract_text, lexicon, statements, structure, values
from womenstats.catalog.text import normalise, read_plan_text
from womenstats.catalog.traditional import TABLE, simplify

# Traditional characters that GB2312 also holds, mapped all the same: 於 (不低於; in a simplified
# plan it could only be a surname) and 後 (以後, 最後; simplified writes 后).
IN_GB2312_ON_PURPOSE = {"於", "後"}

# 着 is written 著 in traditional texts, but 著 is also a simplified character (显著): not mapped.
NOT_MAPPED = {"着"}


def _in(encoding: str, ch: str) -> bool:
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _needing_a_source(text: str) -> set[str]:
    """Chinese characters of ``text`` that Big5 cannot encode: simplified forms."""
    return {ch for ch in text if "\u4e00" <= ch <= "\u9fff" and not _in("big5", ch)}


def _pattern_text(*modules: ModuleType) -> str:
    """The words of every pattern, word list and word table the given modules define."""
    out = []
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, re.Pattern):
                out.append(value.pattern)
            elif isinstance(value, str):
                out.append(value)
            elif isinstance(value, (tuple, list, dict, frozenset, set)):
                out.append(repr(value))
    return "".join(out)


def test_every_pair_maps_a_traditional_character_to_a_simplified_one():
    assert len(TABLE) > 500
    for code, simplified in TABLE.items():
        traditional = chr(code)
        assert _in("gb2312", simplified), (traditional, simplified)
        assert traditional in IN_GB2312_ON_PURPOSE or not _in("gb2312", traditional), traditional


@pytest.mark.parametrize("source", ["registry", "patterns", "seeds"])
def test_the_table_covers_every_character_the_extractor_reads(source):
    registry = catalog.indicators()
    texts = {
        "registry": "".join(registry["name"]) + "".join("".join(a) for a in registry["aliases"]),
        "patterns": _pattern_text(text_module, structure, values, lexicon, statements, candidates),
        "seeds": "".join(read_plan_text(p) for p in sorted((paths.raw_dir() / "plans").glob("*.txt"))),
    }
    missing = _needing_a_source(texts[source]) - set(TABLE.values()) - NOT_MAPPED
    assert missing == set()


def test_a_simplified_text_comes_back_unchanged():
    kaiping = read_plan_text(paths.raw_dir() / "plans" / "kaiping.txt")
    assert simplify(kaiping) == kaiping


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("剖宮產率不超過30%", "剖宫产率不超过30%"),
        ("婦女常見病篩查率不低於90%", "妇女常见病筛查率不低于90%"),
        ("孕產婦死亡率控制在10/10萬以下", "孕产妇死亡率控制在10/10万以下"),
        ("全區(qū)村委會成員中女性比例達到30%以上", "全区村委会成员中女性比例达到30%以上"),
        ("縣（xiàn）委、區（qu1）政府領導班子", "县委、区政府领导班子"),
        ("上一個規劃週期以來", "上一个规划周期以来"),
        # a parenthesised ASCII word is no pinyin: kept
        ("人乳頭瘤病毒(HPV)疫苗", "人乳头瘤病毒(HPV)疫苗"),
        ("附件(a)", "附件(a)"),
    ],
)
def test_traditional_words_and_pinyin_debris(written, read):
    assert simplify(written) == read


def test_normalise_reads_traditional_text_as_simplified():
    assert normalise("（一）婦女與健康\n主要目標：\n1.剖宮產率不超過30%。") == (
        "（一）妇女与健康\n主要目标：\n1.剖宫产率不超过30%。"
    )


def test_a_big5_file_is_not_misread_as_gb18030(tmp_path):
    text = "某縣婦女發展規劃（2021-2030年）\n（一）婦女與健康\n主要目標：\n1.孕產婦死亡率控制在10/10萬以下。"
    path = tmp_path / "big5.txt"
    path.write_bytes(text.encode("big5"))
    assert read_plan_text(path) == text
    gb = tmp_path / "gb.txt"
    gb.write_bytes(simplify(text).encode("gb18030"))
    assert read_plan_text(gb) == simplify(text)


def test_traditional_operators_are_read_as_their_simplified_forms():
    text = (
        "某縣婦女發展規劃（2021—2030年）\n（一）婦女與健康\n主要目標：\n"
        "1.剖宮產率不超過30%。\n2.婦女常見病篩查率不低於90%。\n3.孕產婦死亡率控制在10/10萬以下。\n"
        "4.孕產婦系統管理率達到92%以上。\n"
    )
    frame = extract_text(text, "demo")
    rows = frame[frame["kind"] == "quantitative"]
    assert list(zip(rows["indicator_id"], rows["operator"], rows["value"], strict=True)) == [
        ("health.caesarean_rate", "<=", 30.0),
        ("health.common_disease_screening", ">=", 90.0),
        ("health.maternal_mortality", "<=", 10.0),
        ("health.maternal_system_management", ">=", 92.0),
    ]
    assert rows["sentence"].iloc[0] == "剖宫产率不超过30%。"
