"""Korean text in matplotlib figures: find an installed Korean font and draw with it."""

from __future__ import annotations

import shutil
import sys

import matplotlib
from matplotlib import font_manager

# In the order tried: the fonts Debian/Ubuntu (fonts-noto-cjk, fonts-nanum), macOS and Windows ship.
KOREAN_FONTS = (
    "Noto Sans CJK KR",
    "NanumGothic",
    "NanumBarunGothic",
    "Noto Sans KR",
    "AppleGothic",
    "Apple SD Gothic Neo",
    "Malgun Gothic",
)
# Glyphs a Korean font lacks (Greek letters, arrows) still come from matplotlib's own font.
FALLBACK_FONT = "DejaVu Sans"


class KoreanFontError(RuntimeError):
    """No Korean font is installed; the message says how to install one on this system."""


def _installed_korean_font() -> str | None:
    names = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in KOREAN_FONTS if name in names), None)


def _add_new_system_fonts() -> None:
    """Register fonts installed after matplotlib built its font cache (e.g. apt-get on Colab)."""
    known = {font.fname for font in font_manager.fontManager.ttflist}
    for path in font_manager.findSystemFonts():
        if path not in known:
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue  # a font file matplotlib cannot read is not one we can use


def _how_to_install() -> str:
    if "google.colab" in sys.modules:
        return "On Colab, run this in a cell:\n    !apt-get -qq install fonts-nanum"
    if sys.platform.startswith("linux") and shutil.which("apt-get"):
        return (
            "On Debian or Ubuntu, install one in a terminal:\n    sudo apt-get install fonts-nanum"
        )
    if sys.platform == "darwin":
        return "macOS ships AppleGothic; if it was removed, install Noto Sans CJK KR."
    if sys.platform == "win32":
        return "Windows ships Malgun Gothic; if it was removed, install Noto Sans CJK KR."
    return "Install Noto Sans CJK KR or NanumGothic with your system's package manager."


def use_korean_font() -> str:
    """Make matplotlib draw Korean text with an installed Korean font and return the font's name;
    raise KoreanFontError saying how to install one if none is found. Used in README.ko.md."""
    font = _installed_korean_font()
    if font is None:
        _add_new_system_fonts()
        font = _installed_korean_font()
    if font is None:
        raise KoreanFontError(
            f"No Korean font found for matplotlib (looked for {', '.join(KOREAN_FONTS)}). "
            f"{_how_to_install()}\nthen call helpers.use_korean_font() again."
        )
    matplotlib.rcParams["font.family"] = [font, FALLBACK_FONT]
    # Korean fonts often lack the Unicode minus sign that matplotlib puts in tick labels.
    matplotlib.rcParams["axes.unicode_minus"] = False
    return font
