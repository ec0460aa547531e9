"""Find an indicator by what a person writes: its id, its Chinese name or one of its aliases.

A statistician types 高中阶段教育毛入学率 or 失业保险参保率, not ``education.high_school_gross_enrollment``.
:func:`resolve_indicator_id` maps any of the three spellings to the registry id (names and aliases are
unique across the registry, which ``tests/test_catalog.py`` checks) and, for a text that is none of
them, raises an error naming the closest ones (:func:`suggestions`, by :class:`difflib.SequenceMatcher`
on the characters, which suits Chinese names as well as ids).
"""

from __future__ import annotations

import difflib
import unicodedata

import pandas as pd

from womenstats.errors import CatalogError, Location

#: How many close names an error suggests.
SUGGESTIONS = 3
#: Least :meth:`difflib.SequenceMatcher.ratio` for a name to be suggested.
CUTOFF = 0.5


def normalise_label(text: object) -> str:
    """Return a label as compared: NFKC (full-width to half-width), without spaces.

    Parameters
    ----------
    text : object
        What was typed.

    Returns
    -------
    str
    """
    return "".join(unicodedata.normalize("NFKC", str(text)).split())


def label_index(frame: pd.DataFrame) -> dict[str, str]:
    """Map every id, name and alias of a registry (normalised) to its indicator id.

    Parameters
    ----------
    frame : pandas.DataFrame
        The registry as :func:`womenstats.catalog.indicators` returns it (index ``id``; ``name``,
        ``aliases``).

    Returns
    -------
    dict of str to str
    """
    out: dict[str, str] = {}
    for ident, name, aliases in zip(frame.index, frame["name"], frame["aliases"], strict=True):
        for label in (ident, name, *aliases):
            out.setdefault(normalise_label(label), str(ident))
    return out


def suggestions(text: str, frame: pd.DataFrame, n: int = SUGGESTIONS) -> list[str]:
    """Return the registry names closest to ``text`` (by name, alias or id), best first.

    Parameters
    ----------
    text : str
        What was typed.
    frame : pandas.DataFrame
        The registry.
    n : int
        Most names returned.

    Returns
    -------
    list of str
        Chinese names of the indicators (each once), possibly empty.

    References
    ----------
    Ratcliff, J. W. and Obershelp (1988) pattern matching, as :func:`difflib.get_close_matches`.
    """
    labels = label_index(frame)
    close = difflib.get_close_matches(normalise_label(text), list(labels), n=4 * n, cutoff=CUTOFF)
    names: list[str] = []
    for label in close:
        name = str(frame.loc[labels[label], "name"])
        if name not in names:
            names.append(name)
    return names[:n]


def did_you_mean(text: str, frame: pd.DataFrame) -> str:
    """Return “您是不是要找：A、B？” for the closest names, or an empty string when none is close."""
    close = suggestions(text, frame)
    return f"您是不是要找：{'、'.join(close)}？" if close else ""


def resolve_indicator_id(text: object, frame: pd.DataFrame) -> str:
    """Return the id of the indicator whose id, name or alias is ``text``.

    Parameters
    ----------
    text : object
        An id (``health.maternal_mortality``), a name (孕产妇死亡率) or an alias; compared after
        :func:`normalise_label`.
    frame : pandas.DataFrame
        The registry.

    Returns
    -------
    str

    Raises
    ------
    CatalogError
        ``E_UNKNOWN_INDICATOR`` naming the closest names when there is no such indicator.
    """
    if isinstance(text, str) and text in frame.index:
        return text
    hit = label_index(frame).get(normalise_label(text))
    if hit is not None:
        return hit
    raise CatalogError(
        f"指标库中没有“{text}”（按指标 id、名称和别名查找）。{did_you_mean(str(text), frame)}"
        "可用 catalog.indicators() 或 womenstats catalog list 查看全部指标。",
        Location(file="indicators"),
        "E_UNKNOWN_INDICATOR",
    )
