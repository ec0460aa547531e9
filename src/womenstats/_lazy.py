"""Public names of a package imported on first use (PEP 562), so importing the package stays cheap."""

from __future__ import annotations

import importlib
from collections.abc import Callable

#: The ``where`` entry of a name that is itself a submodule (``womenstats.trend``).
SUBMODULE = ""


def lazy_names(package: str, where: dict[str, str],
               namespace: dict) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """Return a package's ``__getattr__`` and ``__dir__`` for names defined in its submodules.

    Parameters
    ----------
    package : str
        The package (its ``__name__``).
    where : dict
        Public name -> the submodule of ``package`` that defines it, or :data:`SUBMODULE` for a
        name that is a submodule (imported on first access, as ``import package.name`` would).
    namespace : dict
        The package's ``globals()``: a name is kept there once imported.
    """

    def get(name: str) -> object:
        if name in where:
            if where[name] == SUBMODULE:
                value = importlib.import_module(f"{package}.{name}")
            else:
                value = getattr(importlib.import_module(f"{package}.{where[name]}"), name)
            namespace[name] = value
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def listing() -> list[str]:
        return sorted(set(namespace) | set(where))

    return get, listing
