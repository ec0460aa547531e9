"""womenstats: monitoring and evaluation of local women's development plans (妇女发展规划监测评估).

The package follows one data flow, one module per arrow::

    catalog -> intake -> gender -> trend -> assess -> report

``import womenstats as ws`` gives every module as an attribute, imported on first use (PEP 562), so
the import itself stays cheap::

    obs = ws.intake.Store().observations(plan="kaiping")
    p = ws.trend.project(y, indicator="失业保险参保率")
    verdicts = ws.assess.assess_plan("kaiping", 2025)

Importing the package registers the bundled Chinese font with matplotlib, so that every chart,
the package's own and a user's, renders Chinese text.
"""

from womenstats._fonts import register_chinese_font
from womenstats._lazy import SUBMODULE as _SUBMODULE
from womenstats._lazy import lazy_names

__version__ = "0.1.0"

register_chinese_font()

#: The modules of the data flow, imported on first access (``ws.trend``).
MODULES: tuple[str, ...] = ("catalog", "intake", "gender", "trend", "assess", "report")

__all__ = ["__version__", "register_chinese_font", *MODULES]

__getattr__, __dir__ = lazy_names(__name__, dict.fromkeys(MODULES, _SUBMODULE), globals())
