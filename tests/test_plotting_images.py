"""plot_image_grid: a grid of small images titled by label and prediction."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers import plot_image_grid


def digits(n, *shape):
    rng = np.random.default_rng(0)
    return rng.integers(0, 256, size=(n, *shape), dtype=np.uint8)


def titles(fig):
    return [ax.get_title() for ax in fig.axes if ax.get_title()]


def test_grid_has_one_titled_panel_per_image_and_hides_the_rest():
    fig = plot_image_grid(digits(10, 28, 28), labels=range(10), ncols=4)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 12  # 3 rows of 4
    assert titles(fig) == [str(i) for i in range(10)]
    assert [len(ax.images) for ax in fig.axes] == [1] * 10 + [0, 0]
    assert not any(ax.axison for ax in fig.axes)


def test_channel_axis_of_one_is_dropped_and_rgb_is_kept():
    gray = plot_image_grid(digits(3, 28, 28, 1))
    assert gray.axes[0].images[0].get_array().shape == (28, 28)
    rgb = plot_image_grid(digits(2, 8, 8, 3), title="colour")
    assert rgb.axes[0].images[0].get_array().shape == (8, 8, 3)
    assert rgb._suptitle.get_text() == "colour"
    assert len(rgb.axes) == 2  # ncols shrinks to the number of images


def test_wrong_predictions_are_red_and_class_names_are_used():
    fig = plot_image_grid(
        digits(3, 5, 5), labels=[0, 1, 2], predictions=[0, 2, 2], class_names=["a", "b", "c"]
    )
    assert titles(fig) == ["a | pred a", "b | pred c", "c | pred c"]
    colours = [ax.title.get_color() for ax in fig.axes]
    assert colours[1] == "crimson"
    assert colours[0] == colours[2] == "black"


def test_labels_may_be_any_array_like():
    fig = plot_image_grid(digits(2, 5, 5), labels=np.array([[7], [3]]))
    assert titles(fig) == ["7", "3"]


@pytest.mark.parametrize(
    ("images", "kwargs", "message"),
    [
        (np.zeros((28, 28)), {}, r"non-empty batch.*got shape \(28, 28\)"),
        (np.zeros((0, 28, 28)), {}, "non-empty batch"),
        (np.zeros((2, 28, 28, 2)), {}, r"1 or 3\), got shape \(2, 28, 28, 2\)"),
        (np.zeros((101, 4, 4)), {}, "at most 100"),
        (np.zeros((3, 4, 4)), {"labels": [1, 2]}, "got 2 labels for 3 images"),
        (np.zeros((3, 4, 4)), {"predictions": [1]}, "got 1 predictions for 3 images"),
        (np.zeros((3, 4, 4)), {"ncols": 0}, "ncols must be a positive int"),
        (np.zeros((3, 4, 4)), {"ncols": 2.5}, "ncols must be a positive int"),
    ],
)
def test_bad_input_is_rejected_with_a_clear_message(images, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_image_grid(images, **kwargs)
