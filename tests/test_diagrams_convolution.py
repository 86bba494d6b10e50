"""helpers.draw_convolution: the window, kernel and feature map it draws, and bad input."""

import numpy as np
import pytest
from matplotlib.patches import Rectangle

from helpers import draw_convolution

PATCH = np.array(
    [
        [0.0, 0.1, 0.9, 0.9, 0.2],
        [0.0, 0.2, 1.0, 0.8, 0.0],
        [0.0, 0.3, 1.0, 0.7, 0.0],
        [0.0, 0.1, 0.9, 0.6, 0.0],
    ]
)
SOBEL = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])


def feature_map_by_loops(patch, kernel):
    rows, cols = patch.shape[0] - kernel.shape[0] + 1, patch.shape[1] - kernel.shape[1] + 1
    out = np.zeros((rows, cols))
    for r in range(rows):
        for c in range(cols):
            out[r, c] = np.sum(patch[r : r + kernel.shape[0], c : c + kernel.shape[1]] * kernel)
    return out


def cell_texts(ax):
    return [t.get_text() for t in ax.texts]


def test_draws_every_input_kernel_and_output_value_and_the_highlighted_sum():
    ax = draw_convolution(PATCH, SOBEL, at=(1, 1))
    expected = feature_map_by_loops(PATCH, SOBEL)
    assert expected.shape == (2, 3)
    texts = cell_texts(ax)
    assert "input patch (4, 5)" in texts and "kernel (3, 3)" in texts
    assert "feature map (2, 3)" in texts
    # 20 input cells, 9 kernel cells, 6 output cells, each labelled with its value.
    value_labels = [t for t in texts if t.replace(".", "").replace("-", "").isdigit()]
    assert len(value_labels) == 20 + 9 + 6
    note = next(t for t in texts if t.startswith("highlighted output"))
    assert np.isclose(expected[1, 1], -1.9)
    assert note.endswith("= -1.9")
    assert "0.2·1 + 0.8·(-1) + 0.3·2" in note  # negative weights in parentheses


def test_window_outline_and_highlight_sit_where_at_says():
    ax = draw_convolution(PATCH, SOBEL, at=(1, 2))
    outlines = [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill()]
    assert len(outlines) == 1
    width, height = outlines[0].get_width(), outlines[0].get_height()
    assert np.isclose(width, height)  # a 3 x 3 window
    green = [p for p in ax.patches if p.get_facecolor()[:3] != (1.0, 1.0, 1.0)]
    assert green, "the window and the highlighted output are coloured"


def test_a_sum_of_many_terms_is_shortened():
    ones = np.ones((6, 6))
    ax = draw_convolution(ones, np.ones((3, 3)))
    note = next(t for t in cell_texts(ax) if t.startswith("highlighted output"))
    assert "(9 non-zero products)" in note and note.endswith("= 9")


@pytest.mark.parametrize(
    ("patch", "kernel", "at", "message"),
    [
        (np.ones(5), SOBEL, (0, 0), "patch must be a non-empty 2-D array"),
        (PATCH, np.ones((5, 5)), (0, 0), "larger than patch"),
        (np.ones((12, 12)), SOBEL, (0, 0), "at most 10 cells"),
        (PATCH, SOBEL, (2, 0), "outside the feature map of shape (2, 3)"),
        ([["a"]], SOBEL, (0, 0), "patch must be a 2-D array of numbers"),
        (PATCH, [[np.nan]], (0, 0), "kernel must hold finite numbers"),
    ],
)
def test_bad_input_names_what_was_expected(patch, kernel, at, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        draw_convolution(patch, kernel, at=at)
