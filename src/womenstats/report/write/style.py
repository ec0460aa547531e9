"""One chart style for every report: the matplotlib style file and the fixed look of each status.

Each status keeps the same colour, hatch and marker in every chart and table. The colours are chosen
so that their grey levels (ITU-R BT.601 luma, ``0.299 R + 0.587 G + 0.114 B``, what a greyscale
printer or photocopier approximates) are at least 0.1 apart, and the light ones carry a hatch, so a
report printed in black and white still tells the statuses apart.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from matplotlib.colors import to_rgb

from womenstats.assess.status import STATUS_LABELS, STATUSES, status_label

#: The style file applied to every report chart.
STYLE_FILE = Path(__file__).with_name("womenstats.mplstyle")

#: Label printed on every chart and table that shows simulated data.
SIMULATED_LABEL = "模拟数据"


@dataclass(frozen=True)
class StatusLook:
    """How one status is drawn.

    Attributes
    ----------
    label : str
        Chinese label.
    color : str
        Fill colour (hex).
    hatch : str
        Matplotlib hatch pattern ('' for none).
    edge : str
        Edge and hatch colour (light on dark fills, dark on light fills).
    marker : str
        Matplotlib marker.
    """

    label: str
    color: str
    hatch: str
    edge: str
    marker: str


_LOOKS: dict[str, tuple[str, str, str, str]] = {
    "achieved": ("#2f8d59", "", "#1a1a1a", "o"),
    "nearly_achieved": ("#5aa36b", "||", "#1a1a1a", "p"),
    "on_track": ("#7cbf6b", "//", "#1a1a1a", "^"),
    "at_risk": ("#f6b94a", "..", "#1a1a1a", "D"),
    "off_track": ("#b91d2e", "xx", "#ffffff", "v"),
    "regressing": ("#4d0011", "", "#ffffff", "X"),
    "not_achieved": ("#7c1222", "++", "#ffffff", "h"),
    "insufficient_data": ("#d9d9d9", "--", "#1a1a1a", "s"),
    "qualitative": ("#ffffff", "\\\\", "#1a1a1a", "P"),
}

#: Status code -> :class:`StatusLook`, in report order.
STATUS_LOOKS: dict[str, StatusLook] = {
    code: StatusLook(STATUS_LABELS[code], *_LOOKS[code]) for code in STATUSES
}


def grey_level(color: str) -> float:
    """Return the grey level a colour prints as.

    Uses the ITU-R BT.601 luma weights, ``Y = 0.299 R + 0.587 G + 0.114 B`` on the 0–1 sRGB
    components (the conversion of PIL's ``convert("L")``).

    Parameters
    ----------
    color : str
        Any matplotlib colour.

    Returns
    -------
    float
        0 (black) to 1 (white).
    """
    red, green, blue = to_rgb(color)
    return 0.299 * red + 0.587 * green + 0.114 * blue


#: Looks for statuses of other methods (the peers' codes): greys with hatches and markers.
OTHER_LOOKS: tuple[tuple[str, str, str, str], ...] = (
    ("#f0f0f0", "//", "#1a1a1a", "o"),
    ("#bdbdbd", "..", "#1a1a1a", "s"),
    ("#969696", "xx", "#1a1a1a", "^"),
    ("#636363", "", "#ffffff", "D"),
    ("#252525", "", "#ffffff", "v"),
    ("#ffffff", "--", "#1a1a1a", "P"),
)


def status_look(code: str, label: str | None = None) -> StatusLook:
    """Return the look of a status code.

    Our statuses have their fixed look (:data:`STATUS_LOOKS`; a stage's label, 提前实现 or 已实现,
    keeps its code's look). A status of another method (the peers' codes, when a report is run
    with ``method="open-sdg"`` or ``"escap"``) gets one of :data:`OTHER_LOOKS` chosen by a hash of
    its code, so it is the same in every chart.

    Parameters
    ----------
    code : str
        Status code.
    label : str, optional
        Its Chinese label (the code itself when omitted).
    """
    if code in STATUS_LOOKS:
        look = STATUS_LOOKS[code]
        return look if label is None else StatusLook(label, look.color, look.hatch, look.edge, look.marker)
    index = int(hashlib.sha256(code.encode("utf-8")).hexdigest(), 16) % len(OTHER_LOOKS)
    return StatusLook(label or code, *OTHER_LOOKS[index])


@contextlib.contextmanager
def report_style() -> Iterator[None]:
    """Apply the report style file for the duration of a ``with`` block."""
    import matplotlib.pyplot as plt

    with plt.style.context(str(STYLE_FILE)):
        yield


def mark_simulated(fig) -> None:
    """Write 模拟数据 in the top-right corner of a figure."""
    fig.text(0.99, 0.99, SIMULATED_LABEL, ha="right", va="top", fontsize=11, fontweight="bold",
             color="#b2182b", bbox={"facecolor": "white", "edgecolor": "#b2182b", "pad": 2})


#: The end every report chart's docstring shares (appended by :func:`report_chart`).
_CHART_DOC = """\
    simulated : bool, default False
        Label the chart 模拟数据 in its top-right corner.

    Returns
    -------
    matplotlib.figure.Figure
"""


def report_chart(draw: Callable) -> Callable:
    """Make a drawing function a report chart: drawn in the report style, labelled when simulated.

    The decorated function draws and returns a :class:`~matplotlib.figure.Figure` (or None when
    there is nothing to draw); the chart takes one more keyword, ``simulated``, and its docstring
    ends with that parameter and the return type (the way matplotlib shares docstring parts).
    """

    @functools.wraps(draw)
    def chart(*args, simulated: bool = False, **kwargs):
        with report_style():
            fig = draw(*args, **kwargs)
            if simulated and fig is not None:
                mark_simulated(fig)
        return fig

    chart.__doc__ = (draw.__doc__ or "").rstrip() + "\n" + _CHART_DOC
    return chart


def label_fills() -> dict[str, tuple[str, str]]:
    """Return status label -> (fill, text colour) as ``RRGGBB`` hex, for table cells in Word and Excel.

    Every label a status is printed with (the stage's words 提前实现, 已实现, 基本实现 included)
    takes its code's fill; text is white on the dark fills (those whose edge is white), black
    elsewhere.
    """
    labels = {code: {look.label} for code, look in STATUS_LOOKS.items()}
    for code in STATUS_LOOKS:
        labels[code] |= {status_label(code, final=True), status_label(code, stage="midterm")}
    return {
        label: (look.color.lstrip("#").upper(), "FFFFFF" if look.edge == "#ffffff" else "000000")
        for code, look in STATUS_LOOKS.items() for label in sorted(labels[code])
    }
