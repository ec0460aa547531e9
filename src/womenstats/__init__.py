"""womenstats: monitoring and evaluation of local women's development plans (妇女发展规划监测评估).

The package follows one data flow, one module per arrow::

    catalog -> intake -> gender -> trend -> assess -> report

Importing the package registers the bundled Chinese font with matplotlib, so that every chart,
the package's own and a user's, renders Chinese text.
"""

from womenstats._fonts import register_chinese_font

__version__ = "0.1.0"

register_chinese_font()

__all__ = ["__version__", "register_chinese_font"]
