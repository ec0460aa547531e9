"""The reader's HTML: the executed notebook without its code."""

from __future__ import annotations

import html
import os

from womenstats._io import atomic_path
from womenstats.report.display import iter_items

#: The alternative text nbconvert gives an image without one; replaced by the chart's title.
NBCONVERT_ALT = "No description has been provided for this image"


def notebook_html(nb, title: str) -> str:
    """Return an executed notebook as HTML without code cells or prompts.

    Uses nbconvert's :class:`~nbconvert.HTMLExporter` with ``exclude_input``; the tables and charts
    show through their HTML and PNG outputs, each chart with its title as alternative text.

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
    exporter.log.setLevel("ERROR")  # its missing-alt warning: the chart titles are put in below
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    for item in iter_items(nb):
        if item.kind == "chart":
            body = body.replace(f'alt="{NBCONVERT_ALT}"', f'alt="{html.escape(item.title)}"', 1)
    return body


def write_html(nb, path: str | os.PathLike[str], title: str) -> None:
    """Write :func:`notebook_html` to ``path`` atomically (UTF-8)."""
    with atomic_path(path) as tmp:
        tmp.write_text(notebook_html(nb, title), encoding="utf-8")
