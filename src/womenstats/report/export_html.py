"""The reader's HTML: the executed notebook without its code."""

from __future__ import annotations

import os

from womenstats._io import atomic_path


def notebook_html(nb, title: str) -> str:
    """Return an executed notebook as HTML without code cells or prompts.

    Uses nbconvert's :class:`~nbconvert.HTMLExporter` with ``exclude_input``; the tables and charts
    show through their HTML and PNG outputs.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed, normalised notebook.
    title : str
        The page title.

    Returns
    -------
    str
        The HTML document.
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def write_html(nb, path: str | os.PathLike[str], title: str) -> None:
    """Write :func:`notebook_html` to ``path`` atomically (UTF-8)."""
    with atomic_path(path) as tmp:
        tmp.write_text(notebook_html(nb, title), encoding="utf-8")
