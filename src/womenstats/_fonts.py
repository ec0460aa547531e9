"""Register the bundled Chinese font (Noto Sans SC, SIL OFL 1.1) with matplotlib.

The font file ships in the pinned PyPI package ``pylopdf-fonts-zh-cn``; nothing is fetched at run time.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
FONT_FILE = "NotoSansSC-Regular.otf"
FONT_FAMILY = "Noto Sans SC"


def chinese_font_path() -> Path:
    """Return the path of the bundled Chinese font file.

    Returns
    -------
    pathlib.Path
        Path of ``NotoSansSC-Regular.otf`` inside the installed font package.

    Raises
    ------
    FileNotFoundError
        If the font package is installed without its font file.
    """
    path = Path(str(files(FONT_PACKAGE).joinpath(FONT_FILE)))
    if not path.is_file():
        raise FileNotFoundError(f"找不到中文字体文件 {FONT_FILE}：请运行 `make setup` 重新安装依赖。")
    return path


def register_chinese_font() -> str:
    """Add the bundled font to matplotlib and make it the default sans-serif family.

    Idempotent: calling it again changes nothing. DejaVu Sans stays second in the list so that
    glyphs the Chinese font lacks fall back to it.

    Returns
    -------
    str
        The font family name now first in ``rcParams["font.sans-serif"]``.
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    path = str(chinese_font_path())
    if not any(entry.fname == path for entry in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(path)
    families = [FONT_FAMILY] + [f for f in mpl.rcParams["font.sans-serif"] if f != FONT_FAMILY]
    mpl.rcParams["font.sans-serif"] = families
    mpl.rcParams["font.family"] = ["sans-serif"]
    mpl.rcParams["axes.unicode_minus"] = False
    # Reproducible SVG/PDF output: no creation dates, fixed hash salt.
    mpl.rcParams["svg.hashsalt"] = "womenstats"
    return FONT_FAMILY
