"""The registry of assessment methods: ``ours`` and, when they land, the peers' (open-sdg, ESCAP).

A method is a function with the signature of :func:`womenstats.assess.ours.assess_series`::

    method(series, target, indicator, *, year, baseline_year=None) -> dict

returning the keys :data:`womenstats.assess.ours.RESULT_KEYS` (a peer fills what it has and leaves
the rest NaN). :func:`register` adds one; :func:`get` looks one up by name.
"""

from __future__ import annotations

from collections.abc import Callable

from womenstats.assess.ours import assess_series
from womenstats.assess.peers import assess_escap, assess_open_sdg
from womenstats.errors import InputError, Location

#: Method name -> function.
METHODS: dict[str, Callable[..., dict[str, object]]] = {
    "ours": assess_series, "open-sdg": assess_open_sdg, "escap": assess_escap}

#: Methods the command line offers (those not yet registered give a Chinese error).
KNOWN_METHODS: tuple[str, ...] = ("ours", "open-sdg", "escap")


def register(name: str, func: Callable[..., dict[str, object]]) -> None:
    """Register an assessment method under ``name`` (replacing any earlier one).

    Parameters
    ----------
    name : str
        The method's name (``open-sdg``, ``escap``).
    func : callable
        ``func(series, target, indicator, *, year, baseline_year=None) -> dict``.
    """
    METHODS[name] = func


def get(name: str) -> Callable[..., dict[str, object]]:
    """Return the assessment method called ``name``.

    Parameters
    ----------
    name : str
        A registered method name.

    Returns
    -------
    callable

    Raises
    ------
    InputError
        If no such method is registered (the message lists the available ones).
    """
    if name not in METHODS:
        raise InputError(
            f"评估方法“{name}”不可用；可用的方法：{'、'.join(sorted(METHODS))}。请用 --method 选择其中之一。",
            Location(file="--method"),
            "E_UNKNOWN_METHOD",
        )
    return METHODS[name]
