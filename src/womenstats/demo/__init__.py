"""The demonstration returns (模拟数据) for the five plans' regions, simulated from written assumptions.

Everything here is simulated and labelled so. What is simulated is derived from the catalog at run
time (every indicator a plan's quantitative or directional targets name), so the files follow the
catalog as it grows; the assumptions are in :data:`REGIONS`, :data:`BIRTH_RATE` and the rules of
:func:`anchor`, and are written out in ``data/raw/demo/README.md`` and ``assumptions.csv``.

Levels are anchored to the real national series where it has the indicator, else to the plan's own
target; rates from counts are drawn as binomial counts on the county's own scale (a county of
~500 000 people has ~3 000–5 000 births a year, so 0–2 maternal deaths). The returns have the flaws
real returns have: one region misses a year, one value is corrected by a second file, some cells
use ``85.3%``, thousands separators or ``—``. One seeded :class:`numpy.random.Generator` per plan
makes the files byte-for-byte reproducible.

The simulation is not intake: it only writes files that the intake then reads like any return.
:mod:`.assumptions` holds the written assumptions, :mod:`.structure` each county's structure (its
people, births, villages, bodies), :mod:`.levels` which series at what level, :mod:`.simulate` the
series, :mod:`.write` the files and :func:`generate`.
"""

from __future__ import annotations

from womenstats.demo.assumptions import REGIONS, YEARS
from womenstats.demo.levels import national_levels, national_noise
from womenstats.demo.simulate import simulate_plan
from womenstats.demo.write import generate

__all__ = ["REGIONS", "YEARS", "generate", "national_levels", "national_noise", "simulate_plan"]
