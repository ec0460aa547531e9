"""Linking statements to registry indicators: names and aliases, word for word or loosely.

Part of :mod:`womenstats.catalog.extract` (internal).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from womenstats.catalog.loader import indicators as registry

#: Share of an indicator name's character pairs a statement must contain to be matched to it
#: when no name or alias appears in the statement word for word.
FUZZY_THRESHOLD: float = 0.8


# Measure words a name ends with; its stem (the name without one) is matched loosely.
_MEASURE_WORD = re.compile(r"(?:覆盖率|普及率|参保率|配置率|知晓率|比例|比重|人数|个数|数|率)$")


class _Entry(NamedTuple):
    """A registry name in comparable form, with the indicator's id, unit, direction and area."""

    key: str
    id: str
    unit: str
    better: str
    area: str
    name: str  # the indicator's own name (the key may be an alias)
    by_residence: bool  # the indicator is reported by urban/rural


# A value said once for several subjects: 各配备1名, 均达到90%, 分别达到.
_DISTRIBUTIVE = re.compile(r"各(?!级|类|地|项|种|界)|均|都|分别")


# A list of three or more subjects: A、B和C, A、B、C (each joined part at most ten characters).
_PART = r"[^、和与及，,；;：:]{1,10}"
_LIST = re.compile(rf"{_PART}(?:、{_PART})+[、和与及]{_PART}")
# Where the first subject of a list begins and the last one ends (感染|艾滋病、梅毒和乙肝|的孕产妇).
_ITEM_HEAD = re.compile(r".*(?:[“《（(]|感染|对|在|使|让|为|是|的)")
_ITEM_TAIL = re.compile(r"的|中|均|各|都|分别|[”》）)]")
# Subjects that are places, not measures: 城镇、农村 are residences (see statements._residences).
_PLACES = frozenset({"城镇", "农村", "城市", "城乡", "城区", "乡村"})


def list_items(clause: str) -> list[tuple[str, str]] | None:
    """Return, for a clause that gives one value to three or more subjects, each subject's reading.

    ``村党组织书记、村委会主任和社区居委会主任中女性比例均达到`` names three measures:
    ``村党组织书记中女性比例均达到`` and so on. A list (``A、B和C``, ``A、B、C``) counts when a
    word that distributes the value (``均``, ``各``, ``都``, ``分别``) follows it. Its first subject
    begins after a word that cannot belong to it (``感染``, ``的``, an opening quote) and its last
    ends before one (``的``, ``中``, ``均``); the words before and after the list are said of each.

    Returns
    -------
    list of (str, str) or None
        ``(subject, the clause as said of that subject alone)``, in order; None when the clause
        holds no such list (two subjects are read by the name matching itself, see
        :func:`_expand_parallel`), or when its subjects are places (城镇、农村).
    """
    found = _LIST.search(clause)
    if not found:
        return None
    parts = re.split("[、和与及]", found.group(0))
    if not _DISTRIBUTIVE.search(parts[-1] + clause[found.end() :]):
        return None
    head = _ITEM_HEAD.match(parts[0])
    first = parts[0][head.end() :] if head else parts[0]
    tail = _ITEM_TAIL.search(parts[-1])
    last = parts[-1][: tail.start()] if tail else parts[-1]
    items = [first, *parts[1:-1], last]
    if not all(items) or _PLACES.intersection(items):
        return None
    before = clause[: found.start()] + parts[0][: len(parts[0]) - len(first)]
    after = parts[-1][len(last) :] + clause[found.end() :]
    return [(item, before + item + after) for item in items]


def _clean_name(text: str) -> str:
    """Return the comparable form of a name or statement.

    No 的/中, no parenthesised remarks, and a pair of sexes said once: ``女厕位与男厕位``,
    ``女厕位比男厕位`` and ``男厕位与女厕位`` read as ``男女厕位``. ``党政领导班子`` names two
    bodies: it reads as ``党委、政府领导班子``.
    """
    text = re.sub(r"[（(][^）)]*[）)]", "", text)
    text = re.sub(r"党政(?=[^，,；;。]{0,6}班子)", "党委、政府", text)
    text = re.sub(r"[的中\s]", "", text)
    return re.sub(r"[女男]([\u4e00-\u9fff]{1,4})[与和比][男女]\1", r"男女\1", text)


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _expand_parallel(text: str) -> list[str]:
    """Spell out ``A、B<suffix>`` as ``A<suffix>`` and ``B<suffix>``.

    ``小学、初中阶段净入学率`` gives ``小学阶段净入学率`` (among other cuts of ``B``) and
    ``初中阶段净入学率``; ``区委、区政府领导班子`` gives ``区委领导班子`` and ``区政府领导班子``.
    When the text distributes one value over its subjects (``各``, ``均``, ``都``, ``分别``),
    ``和``, ``与`` and ``及`` join subjects too: ``党委和政府领导班子中各配备1名女干部`` gives
    ``党委领导班子…`` and ``政府领导班子…``.
    """
    joiners = "[、和与及]" if _DISTRIBUTIVE.search(text) else "、"
    out = []
    for m in re.finditer(joiners, text):
        left, right = text[: m.start()], text[m.end() :]
        for k in range(1, min(6, len(right) - 1) + 1):
            out.append(left + right[k:])
        for k in range(1, min(6, len(left)) + 1):
            out.append(left[: len(left) - k] + right)
    return out


@dataclass(frozen=True)
class _Lexicon:
    """The registry's names and aliases (longest first), and their stems."""

    entries: tuple[_Entry, ...]
    stems: tuple[_Entry, ...]

    @classmethod
    def from_registry(cls) -> _Lexicon:
        frame = registry()
        seen: dict[str, _Entry] = {}
        names = [(n, str(i)) for i, row in frame.iterrows() for n in (row["name"], *row["aliases"])]
        for name, ident in names:
            key = _clean_name(name)
            if len(key) >= 3 and key not in seen:
                row = frame.loc[ident]
                seen[key] = _Entry(
                    key,
                    ident,
                    row["unit"],
                    row["better"],
                    row["area"],
                    row["name"],
                    "residence" in row["breakdowns"],
                )
        entries = sorted(seen.values(), key=lambda e: (-len(e.key), e.key))
        stems = {}
        for entry in entries:
            stem = _MEASURE_WORD.sub("", entry.key)
            if len(stem) >= 4:
                stems.setdefault((stem, entry.id), entry._replace(key=stem))
        return cls(tuple(entries), tuple(sorted(stems.values(), key=lambda e: (-len(e.key), e))))

    def exact(self, text: str, unit: str = "") -> list[_Entry]:
        """Return the entries named word for word in ``text`` or its ``A、B`` expansions.

        Best first: an entry with the statement's unit beats one without; then the longer name.
        """
        clean = _clean_name(text)
        found: dict[str, tuple[int, _Entry]] = {}
        for variant in (clean, *_expand_parallel(clean)):
            for entry in self.entries:
                if entry.key in variant:
                    score = len(entry.key) + (100 if unit and entry.unit == unit else 0)
                    if entry.id not in found or found[entry.id][0] < score:
                        found[entry.id] = (score, entry)
                    break
        return [e for _, e in sorted(found.values(), key=lambda p: (-p[0], p[1].id))]

    def loose(self, text: str, unit: str = "") -> list[_Entry]:
        """Return the entries whose stem shares most character pairs with ``text``.

        For each reading of ``text`` (itself and its ``A、B`` expansions) the stem with the largest
        share of its pairs in the reading (at least :data:`FUZZY_THRESHOLD`; ties: the statement's
        unit, then the longer stem) is taken; the result lists the distinct indicators found.
        """
        clean = _clean_name(text)
        found: dict[str, _Entry] = {}
        for variant in (clean, *_expand_parallel(clean)):
            have = _pairs(variant)
            best: tuple[float, int, int, _Entry] | None = None
            for entry in self.stems:
                pairs = _pairs(entry.key)
                share = len(pairs & have) / len(pairs)
                if share >= FUZZY_THRESHOLD:
                    rank = (share, int(bool(unit) and entry.unit == unit), len(entry.key), entry)
                    if best is None or rank[:3] > best[:3]:
                        best = rank
            if best is not None:
                found.setdefault(best[3].id, best[3])
        return list(found.values())

    def ranked(self, text: str) -> list[_Entry]:
        """Return every entry named in ``text``: word for word first, then loosely, best first."""
        clean = _clean_name(text)
        have = set().union(*(_pairs(v) for v in (clean, *_expand_parallel(clean))))
        loose = []
        for entry in self.stems:
            pairs = _pairs(entry.key)
            share = len(pairs & have) / len(pairs)
            if share >= FUZZY_THRESHOLD:
                loose.append((-share, -len(entry.key), entry.id, entry))
        return self.exact(text) + [e for *_, e in sorted(loose)]

    def find(self, text: str, unit: str = "") -> list[_Entry]:
        """Return :meth:`exact`'s entries, or :meth:`loose`'s when none is named word for word."""
        return self.exact(text, unit) or self.loose(text, unit)


def _same_unit(entries: list[_Entry], unit: str) -> list[_Entry]:
    return [e for e in entries if e.unit == unit]


def _coverage(entries: list[_Entry]) -> list[_Entry]:
    """Return the entries that can be a coverage: a percentage where higher is better."""
    return [e for e in entries if e.unit == "%" and e.better == "higher"]


def _distinct(entries: list[_Entry]) -> list[_Entry]:
    """Return the best entry, plus the others when they name distinct parallel measures (A、B)."""
    if not entries:
        return []
    best = [entries[0]]
    for entry in entries[1:]:
        if all(entry.key not in b.key and b.key not in entry.key for b in best) and len(entry.key) >= 5:
            best.append(entry)
    return best if len(best) > 1 and all(len(b.key) >= 5 for b in best) else best[:1]


def _in_order(text: str, entries: list[_Entry]) -> list[_Entry]:
    """Return ``entries`` in the order the text names them (by the character pairs only each has)."""
    clean = _clean_name(text)

    def place(entry: _Entry) -> int:
        others = set().union(*(_pairs(e.key) for e in entries if e is not entry))
        own = [clean.find(p) for p in _pairs(entry.key) - others if p in clean]
        return min(own, default=len(clean))

    return sorted(entries, key=place)


# Roles a measure can be about; the words just before one name whose role it is (村委会主任,
# 妇代会主任 are two roles).
_ROLES = ("主任", "书记", "主席", "委员")
_COUNT_UNITS = frozenset({"人", "个", "次"})


def _role_clash(entry: _Entry, text: str) -> str | None:
    """Return the role ``text`` names that differs from the entry's (None when they agree)."""
    name = re.sub("[女男]", "", _clean_name(entry.name))
    clean = re.sub("[女男]", "", _clean_name(text))
    for role in _ROLES:
        at = name.find(role)
        if at < 2 or role not in clean:
            continue
        own = name[at - 2 : at]
        said = {clean[max(0, i - 3) : i] for i in range(2, len(clean)) if clean.startswith(role, i)}
        if not any(word.endswith(own) for word in said):
            return sorted(said)[0] + role
    return None


def link_problem(entry: _Entry, text: str, operator: str) -> str | None:
    """Return why linking a statement to ``entry`` makes no sense, or None when it does.

    Three checks: the operator's direction against the indicator's ``better`` (``>=`` for an
    indicator where lower is better, ``<=`` for one where higher is); a role that differs
    (``妇代会主任`` is not ``村委会主任``); and for a count, the counted thing (the last two
    characters of the indicator's name without its measure word) absent from the statement.

    Parameters
    ----------
    entry : _Entry
        The candidate indicator.
    text : str
        The words the statement's value is about (its clause).
    operator : str
        The statement's operator.

    Returns
    -------
    str or None
        A Chinese reason for the reviewer.
    """
    up = operator in (">=", "increase_pct", "increase_pp")
    down = operator in ("<=", "decrease_pct", "decrease_pp")
    if (up and entry.better == "lower") or (down and entry.better == "higher"):
        better = "越低越好" if entry.better == "lower" else "越高越好"
        return f"方向与指标“{entry.name}”相反（该指标{better}）"
    clash = _role_clash(entry, text)
    if clash:
        return f"所说的“{clash}”与指标“{entry.name}”不是同一对象"
    if entry.unit in _COUNT_UNITS:
        head = _MEASURE_WORD.sub("", _clean_name(entry.name))[-2:]
        if head not in _clean_name(text):
            return f"计数对象与指标“{entry.name}”（{head}）不同"
    return None
