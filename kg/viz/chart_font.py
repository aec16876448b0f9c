"""Chinese in matplotlib charts: a font of this machine that has the characters, made the default.

matplotlib draws with the fonts of its font cache, which it makes the first time it runs:
a CJK font installed after that (``apt-get install fonts-noto-cjk``) is not in it, and
every Chinese label comes out as empty boxes, with a "Glyph … missing from font(s)"
warning.  :func:`use_chinese_font` does not rely on the cache: it finds a font file that
has Chinese characters itself -- fontconfig's choice for Chinese first, then every font
file matplotlib finds on disk -- registers it with the font manager and puts it first.
Without one it raises :class:`NoChineseFont`, rather than drawing boxes.

The notebooks call it before their charts::

    from kg.viz.chart_font import use_chinese_font
    use_chinese_font()          # e.g. 'Noto Sans CJK SC'
"""
from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

__all__ = ["NoChineseFont", "find_chinese_font", "use_chinese_font"]

#: Characters a font must have to draw the charts' labels.
SAMPLE = "中文县村镇贫困发生率"


class NoChineseFont(RuntimeError):
    """No font on this machine has Chinese characters."""


def _candidates() -> Iterator[tuple[str, int]]:
    """(font file, face index): fontconfig's best font for Chinese, then every font matplotlib finds."""
    fc_match = shutil.which("fc-match")
    if fc_match:
        try:
            out = subprocess.run([fc_match, "-f", "%{file}|%{index}", ":lang=zh-cn"], capture_output=True,
                                 text=True, timeout=30, check=False).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        file, _, index = out.partition("|")
        if file:
            yield file, int(index) if index.isdigit() else 0
    from matplotlib import font_manager

    for file in sorted(font_manager.findSystemFonts()):
        yield file, 0


def _draws(file: str, index: int, text: str):
    """The font's family name if its face ``index`` in ``file`` has every character of ``text``, else None."""
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(file, face_index=index)
    except (OSError, RuntimeError, ValueError):
        return None
    return font.family_name if all(font.get_char_index(ord(c)) for c in text) else None


def find_chinese_font() -> tuple[Path, str]:
    """(font file, family name) of a font that draws Chinese.

    >>> path, family = find_chinese_font()
    >>> path.is_file() and bool(family)
    True
    """
    for file, index in _candidates():
        family = _draws(file, index, SAMPLE)
        if family:
            return Path(file), family
    raise NoChineseFont("no font on this machine has Chinese characters, so the charts' labels would be "
                        "boxes: install one (Debian/Ubuntu: apt-get install fonts-noto-cjk; or any font "
                        "with Simplified Chinese) and run again")


def use_chinese_font() -> str:
    """Register a font that draws Chinese with matplotlib and make it the default; its family name.

    >>> import matplotlib
    >>> use_chinese_font() == matplotlib.rcParams["font.sans-serif"][0]
    True
    """
    from matplotlib import font_manager, rcParams

    path, family = find_chinese_font()
    font_manager.fontManager.addfont(str(path))
    rcParams["font.family"] = "sans-serif"
    rcParams["font.sans-serif"] = [family, *(f for f in rcParams["font.sans-serif"] if f != family)]
    rcParams["axes.unicode_minus"] = False      # the CJK fonts' minus sign is often missing
    return family
