"""Parameter descriptions several public functions share, written once.

A docstring line that holds nothing but ``%(name)s`` is replaced by the description of ``name``
below, at that line's indent, when the module is imported (the way pandas' ``doc`` decorator and
statsmodels' ``Substitution`` share text). ``help()``, JupyterLab's ``?`` and Sphinx read the filled
text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)

#: Shared numpydoc parameter entries, by placeholder name.
PARAMETERS: dict[str, str] = {
    "data_dir": (
        "data_dir : path-like, optional\n"
        "    The catalog data folder; the package's own when omitted."
    ),
}

_PLACEHOLDER = re.compile(r"^([ \t]*)%\((\w+)\)s[ \t]*$", re.MULTILINE)


def fill(text: str) -> str:
    r"""Replace each placeholder line of ``text`` with its shared description.

    Parameters
    ----------
    text : str
        A docstring.

    Returns
    -------
    str
        ``text`` with every line ``%(name)s`` replaced by ``PARAMETERS[name]``, indented as the line.

    Raises
    ------
    KeyError
        A placeholder names no entry of :data:`PARAMETERS` (a mistake in the source, found at import).

    Examples
    --------
    >>> print(fill("Reads the catalog.\n\n%(data_dir)s"))
    Reads the catalog.
    <BLANKLINE>
    data_dir : path-like, optional
        The catalog data folder; the package's own when omitted.
    """

    def entry(match: re.Match[str]) -> str:
        indent, name = match.groups()
        return "\n".join(indent + line for line in PARAMETERS[name].splitlines())

    return _PLACEHOLDER.sub(entry, text)


def shared(func: F) -> F:
    """Fill the placeholders of ``func``'s docstring (see :func:`fill`); a decorator."""
    if func.__doc__:
        func.__doc__ = fill(func.__doc__)
    return func
