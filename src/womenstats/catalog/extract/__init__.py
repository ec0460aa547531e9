"""Extract candidate targets from a plan's text, for a person to review.

:func:`extract_targets` reads a plan (.txt or .docx), finds the eight areas (``（一）妇女与健康`` …
``（八）妇女与法治``), their ``主要目标`` and ``策略措施`` sections, a ``重点工程`` (``重点项目``)
chapter when there is one, and the numbered items in them. Each item is split into sentences (at
``。；``) and each sentence into the statements it holds:

- a **quantitative** statement has a value: a number with a rate unit (``12/10万``, ``95%``,
  ``8‰``), a ratio (``1.5:1``, ``1:3``), a fraction in words (``三分之一`` → 33.3%), years for a
  life expectancy (``80岁``) or a schooling length (``11.6年``), a count the registry knows
  (``建设1所…妇幼保健机构``) or introduced by ``至少``, or a coverage in words (``实现全覆盖``,
  ``覆盖所有``, ``全部参加``, ``每个…都有`` → 100%);
- its operator is read from the words around the value: ``左右`` → ``≈``; ``以上``, ``不低于``,
  ``至少`` → ``>=`` (``保持/稳定在…以上`` → ``maintain``); ``以下``, ``以内``, ``控制在``,
  ``下降到`` → ``<=``; a bare ``达到`` follows the indicator's better direction;
- a **directional** statement (主要目标 only) names an indicator and a direction without a value
  (``提高``/``延长`` → ``increase``, ``降低``/``减少`` → ``decrease``, ``缩小…差距`` → ``narrow``);
- a 主要目标 sentence with neither is kept as **qualitative**.

Years (``2025年``), age ranges (``35-64岁``, ``3岁以下``), other ranges (``80%-90%``), item
numbers and document numbers are never taken for values: only the forms above are. Each statement
is mapped to the registry indicator whose Chinese name or alias (:func:`womenstats.catalog.indicators`)
it contains, preferring the longest name and the statement's unit; failing
that, to the indicator whose name (without its measure word, ``率``, ``比例``, ``人数``…) shares
at least :data:`FUZZY_THRESHOLD` of its character pairs with the statement. The rules are generic:
nothing in them names a particular plan.

A number is a target only when the text sets it for the future (:mod:`.tense`): a value the
text reports as reached (``截至2020年…已达到25%``, ``目前…``, ``据统计…``, ``比上年…``, any value of
a 发展现状/发展基础/主要成就 section) is an observed value, kept apart with the year it is about
(:func:`extract_all`, :func:`extract_baselines`) and never a target. This lets the extractor read
texts about plans too: news items, 新闻发布会 transcripts, monitoring reports. A value given to a
list of three or more subjects (``A、B和C…均达到``) gives a row per subject, ``党政领导班子`` two
bodies; ``至少有1名女性成员`` is a count per body (>= 1 人); a headline repeating a target of the
body adds nothing. Traditional characters and pinyin debris (``區(qū)``) are read as simplified
(:mod:`womenstats.catalog.traditional`).

The work is split by concern: :mod:`.structure` (areas, sections, items, sentences, clauses),
:mod:`.values` (numbers and operators), :mod:`.lexicon` (linking to registry indicators),
:mod:`.tense` (target or observed value), :mod:`.statements` (the statements of a sentence) and
:mod:`.candidates` (the rows written).
"""

from __future__ import annotations

from womenstats.catalog.extract.candidates import (
    BASELINE_COLUMNS,
    EXTRACT_COLUMNS,
    Extraction,
    extract_all,
    extract_baselines,
    extract_targets,
    extract_text,
)
from womenstats.catalog.extract.lexicon import FUZZY_THRESHOLD

__all__ = [
    "BASELINE_COLUMNS",
    "EXTRACT_COLUMNS",
    "FUZZY_THRESHOLD",
    "Extraction",
    "extract_all",
    "extract_baselines",
    "extract_targets",
    "extract_text",
]
