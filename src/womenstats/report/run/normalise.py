"""Make an executed notebook depend only on its inputs: remove what papermill and nbclient stamp on it.

Papermill records start and end times, durations, the input and output paths and the environment
in the notebook's and every cell's metadata; nbclient records execution timings; papermill's
injected-parameters cell gets a random id. All of that changes from run to run, so it is removed
or fixed here. What stays: the parameters (``metadata.papermill.parameters``, which the audit
re-uses), the cells, their outputs and execution counts. Output on ``stderr`` (library warnings,
which print absolute file paths) is dropped as well.
"""

from __future__ import annotations

#: Keys of ``metadata.papermill`` that are kept (the rest are times, paths and the environment).
KEPT_PAPERMILL_KEYS = ("default_parameters", "parameters")
#: Cell metadata keys that hold run times.
DROPPED_CELL_KEYS = ("papermill", "execution", "ExecuteTime")
#: Id given to the cell papermill injects with the parameters.
INJECTED_ID = "injected-parameters"


def normalise_notebook(nb):
    """Strip run-specific metadata from an executed notebook, in place, and return it.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook executed by papermill.

    Returns
    -------
    nbformat.NotebookNode
        The same notebook: ``metadata.papermill`` reduced to the parameters, cell timings removed,
        the injected cell's id fixed, ``stderr`` streams removed.
    """
    papermill = nb.metadata.get("papermill")
    if papermill is not None:
        nb.metadata["papermill"] = {k: papermill[k] for k in KEPT_PAPERMILL_KEYS if k in papermill}
    for cell in nb.cells:
        for key in DROPPED_CELL_KEYS:
            cell.metadata.pop(key, None)
        if INJECTED_ID in cell.metadata.get("tags", []):
            cell["id"] = INJECTED_ID
        if cell.cell_type == "code":
            cell.outputs = [
                out
                for out in cell.outputs
                if not (out.get("output_type") == "stream" and out.get("name") == "stderr")
            ]
    return nb


def parameters_of(nb) -> dict:
    """Return the parameters a report notebook was executed with (``metadata.papermill.parameters``).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        An executed report notebook.

    Returns
    -------
    dict
        The parameters; empty when the notebook was not run by papermill with parameters.
    """
    return dict(nb.metadata.get("papermill", {}).get("parameters", {}))
