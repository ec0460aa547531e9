"""Measuring extraction against curated targets, and the ways real copies of a plan text differ.

Shared by ``test_extract.py`` (the five plans as they are) and ``test_extract_robustness.py`` (the
five plans perturbed the way web copies, scans and PDF extractions are).

A candidate matches a curated row when operator and value agree (values within 0.2%, so that
``1:3`` read as 0.333 matches a curated 0.333) and, when both name an indicator, the indicators
agree. Each row and each candidate is used once: the pairs are a maximum matching
(:func:`scipy.optimize.linear_sum_assignment`), preferring pairs in the same area and section.
"""

from __future__ import annotations

import math
import random
import re

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from womenstats import catalog


def compatible(candidate, row) -> bool:
    if candidate.operator != row.operator:
        return False
    if not math.isclose(candidate.value, row.value, rel_tol=2e-3):
        return False
    both = candidate.indicator_id and row.indicator_id
    return not both or candidate.indicator_id == row.indicator_id


def matching(candidates: pd.DataFrame, rows: pd.DataFrame) -> list[tuple[int, int]]:
    """Return a maximum one-to-one matching of candidates to rows, as (candidate, row) positions."""
    weight = np.zeros((len(candidates), len(rows)))
    for i, cand in enumerate(candidates.itertuples(index=False)):
        for j, row in enumerate(rows.itertuples(index=False)):
            if compatible(cand, row):
                weight[i, j] = 100 + 2 * (cand.area == row.area) + (cand.section == row.section)
    if weight.size == 0:
        return []
    picked_rows, picked_cols = linear_sum_assignment(weight, maximize=True)
    return [(i, j) for i, j in zip(picked_rows, picked_cols, strict=True) if weight[i, j] > 0]


def measure(extracted: pd.DataFrame, curated: pd.DataFrame) -> tuple[int, int, int, int]:
    """Return (found, to find, matched candidates, candidates) of quantitative rows.

    Recall counts the curated quantitative rows that do not restate another (``links_to`` blank);
    precision counts the quantitative candidates that match any curated quantitative row.
    """
    curated = curated[curated["kind"] == "quantitative"].reset_index(drop=True)
    to_find = curated[curated["links_to"].fillna("") == ""].reset_index(drop=True)
    candidates = extracted[extracted["kind"] == "quantitative"].reset_index(drop=True)
    return (
        len(matching(candidates, to_find)),
        len(to_find),
        len(matching(candidates, curated)),
        len(candidates),
    )


def curated(plan_id: str) -> pd.DataFrame:
    return catalog.load(plan_id)


# ---------------------------------------------------------------- perturbations

_ASCII = str.maketrans({"，": ",", "（": "(", "）": ")", "：": ":", "；": ";"})
_FULL_DIGITS = {**{c: c + 0xFEE0 for c in range(0x30, 0x3A)}, ord("%"): "％", ord("."): "．"}
_AREA_HEAD = re.compile(r"[（(]([一二三四五六七八])[）)]\s*妇女(?:与|参与)([^\n：:（(]{1,8})")
_SECTION_HEAD = re.compile(
    r"(?:\d{1,2}[.、]|[（(][一二三四五六七八九十\d]{1,2}[）)])?\s*[【\[]?(主要目标|策略措施)[】\]]?\s*[:：]?"
)
_ITEM = re.compile(r"(?m)^(\s*)(\d{1,2})([.、])(?!\d)")


def ascii_punctuation(text: str, rng: random.Random) -> str:
    """Chinese commas, parentheses, colons and semicolons typed in ASCII (a web copy)."""
    return text.translate(_ASCII)


def full_width_digits(text: str, rng: random.Random) -> str:
    """Digits, ``%`` and the decimal point in full width (a scan's OCR, some Word files)."""
    return text.translate(_FULL_DIGITS)


def stray_spaces(text: str, rng: random.Random) -> str:
    """Spaces between characters, around numbers and inside words (a PDF extraction)."""
    out = []
    for ch in text:
        out.append(ch)
        if ch != "\n" and rng.random() < 0.06:
            out.append(" ")
    return "".join(out)


def item_numbers_alone(text: str, rng: random.Random) -> str:
    """Each item number on a line of its own: ``1.`` then the item's text on the next line."""
    return _ITEM.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3)}\n", text)


def lines_joined(text: str, rng: random.Random) -> str:
    """The whole text on one line (copied out of a web page or a PDF)."""
    return "".join(line.strip() for line in text.splitlines())


def lines_split(text: str, rng: random.Random) -> str:
    """Line breaks inside sentences, every 20 to 40 characters (a PDF's wrapped lines)."""
    out, run = [], 0
    width = rng.randint(20, 40)
    for ch in text.replace("\n", ""):
        out.append(ch)
        run += 1
        if run >= width:
            out.append("\n")
            run, width = 0, rng.randint(20, 40)
    return "".join(out)


def headings_reworded(text: str, rng: random.Random) -> str:
    """Area headings written without ``妇女与`` (``一、健康领域``), sections as ``发展目标：``."""
    words = ("发展目标:", "目标任务:", "主要目标")
    text = _AREA_HEAD.sub(lambda m: f"{m.group(1)}、{m.group(2).strip()}领域", text)
    return _SECTION_HEAD.sub(lambda m: rng.choice(words) if m.group(1) == "主要目标" else "工作措施:", text)


def headings_removed(text: str, rng: random.Random) -> str:
    """No area or section headings at all: items follow one another (a post that lists targets)."""
    text = _AREA_HEAD.sub("", text)
    return _SECTION_HEAD.sub("", text)


def dash_bullets(text: str, rng: random.Random) -> str:
    """Each section flattened onto one line, its items as ``--`` bullets instead of numbers."""
    text = _ITEM.sub("--", text)
    return re.sub(r"\n--", " --", text)


def web_copy(text: str, rng: random.Random) -> str:
    """A copy from a web post: ASCII punctuation, reworded headings, everything on one line."""
    return lines_joined(ascii_punctuation(headings_reworded(text, rng), rng), rng)


def scan(text: str, rng: random.Random) -> str:
    """An OCR'd scan: full-width digits, stray spaces, wrapped lines, item numbers alone."""
    return lines_split(stray_spaces(full_width_digits(item_numbers_alone(text, rng), rng), rng), rng)


def bare_list(text: str, rng: random.Random) -> str:
    """A post listing the targets with no headings, bullets instead of numbers, ASCII punctuation."""
    return ascii_punctuation(dash_bullets(headings_removed(text, rng), rng), rng)


PERTURBATIONS = {
    "ascii_punctuation": ascii_punctuation,
    "full_width_digits": full_width_digits,
    "stray_spaces": stray_spaces,
    "item_numbers_alone": item_numbers_alone,
    "lines_joined": lines_joined,
    "lines_split": lines_split,
    "headings_reworded": headings_reworded,
    "headings_removed": headings_removed,
    "dash_bullets": dash_bullets,
    "web_copy": web_copy,
    "scan": scan,
    "bare_list": bare_list,
}


def perturb(text: str, kind: str, seed: int = 20261202) -> str:
    return PERTURBATIONS[kind](text, random.Random(seed))
