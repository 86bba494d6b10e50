"""use_korean_font: Korean renders with an installed font, or an error says how to get one.

The rendering test needs a Korean font on the machine: `.ci/run` and the workflow install
Debian's fonts-nanum. Elsewhere it is skipped, except under CI, where a missing font fails it.
"""

import os
import sys
import warnings
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib import font_manager

from helpers import KoreanFontError, use_korean_font
from helpers.fonts import KOREAN_FONTS


@pytest.fixture(autouse=True)
def restore_rc_params():
    with matplotlib.rc_context():
        yield


def korean_figure():
    """A figure with Korean title, labels and legend, drawn; and the missing-glyph warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots(figsize=(5, 3))
        epochs = np.arange(1, 11)
        ax.plot(epochs, np.log(1 / epochs), label="검증 손실")
        ax.set(title="손실 함수: 에포크마다 줄어든다", xlabel="에포크", ylabel="로그 손실")
        ax.legend()
        fig.tight_layout()
        fig.canvas.draw()
    return fig, [str(w.message) for w in caught if "missing from font" in str(w.message)]


def a_korean_font_is_installed() -> bool:
    names = {font.name for font in font_manager.fontManager.ttflist}
    paths = " ".join(font_manager.findSystemFonts()).lower()
    return bool(names & set(KOREAN_FONTS)) or "nanum" in paths or "cjk" in paths


def test_korean_renders_with_an_installed_font():
    _, missing = korean_figure()
    assert missing, "DejaVu Sans drew Korean: the glyph check below proves nothing"
    if not a_korean_font_is_installed():
        if os.environ.get("CI"):
            pytest.fail("CI must install a Korean font: apt-get install fonts-nanum")
        pytest.skip("no Korean font on this machine (apt-get install fonts-nanum)")
    font = use_korean_font()
    assert font in KOREAN_FONTS
    fig, missing = korean_figure()
    assert missing == []
    title = fig.axes[0].title
    used = Path(font_manager.findfont(title.get_fontproperties(), fallback_to_default=False))
    assert font_manager.FontProperties(fname=used).get_name() == font
    # Negative tick labels keep their minus sign, drawn as an ASCII hyphen.
    assert matplotlib.rcParams["axes.unicode_minus"] is False
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any(label.startswith("-") for label in labels), labels
    out = Path(__file__).parents[1] / "build" / "figures" / "korean_font.png"  # to look at
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=100)
    assert out.stat().st_size > 5_000


def test_a_font_installed_after_matplotlib_started_is_found(monkeypatch):
    if not a_korean_font_is_installed():
        pytest.skip("no Korean font on this machine (apt-get install fonts-nanum)")
    # As on Colab after `!apt-get install fonts-nanum`: the font is on disk, not in the cache.
    without = [f for f in font_manager.fontManager.ttflist if f.name not in KOREAN_FONTS]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", without)
    assert use_korean_font() in KOREAN_FONTS


@pytest.mark.parametrize(
    ("platform", "colab", "apt_get", "advice"),
    [
        ("linux", True, "/usr/bin/apt-get", "!apt-get -qq install fonts-nanum"),
        ("linux", False, "/usr/bin/apt-get", "sudo apt-get install fonts-nanum"),
        ("linux", False, None, "with your system's package manager"),
        ("darwin", False, None, "macOS ships AppleGothic"),
        ("win32", False, None, "Windows ships Malgun Gothic"),
    ],
)
def test_the_error_says_how_to_get_a_korean_font(monkeypatch, platform, colab, apt_get, advice):
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda: [])
    monkeypatch.setattr(sys, "platform", platform)
    monkeypatch.setattr("shutil.which", lambda name: apt_get if name == "apt-get" else None)
    if colab:
        monkeypatch.setitem(sys.modules, "google.colab", object())
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    before = dict(matplotlib.rcParams)
    with pytest.raises(KoreanFontError) as error:
        use_korean_font()
    assert advice in str(error.value) and "helpers.use_korean_font() again" in str(error.value)
    assert dict(matplotlib.rcParams) == before, "a failed call must leave matplotlib as it was"
