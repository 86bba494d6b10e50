import numpy as np
import pytest
from matplotlib.axes import Axes

from helpers import plot_history


class FakeHistory:
    """Stands in for keras.callbacks.History: only the .history dict is used."""

    def __init__(self, history):
        self.history = history


def test_plot_history_draws_every_metric_by_default():
    ax = plot_history({"loss": [1.0, 0.5, 0.25], "accuracy": [0.5, 0.7, 0.9]})
    assert isinstance(ax, Axes)
    assert [line.get_label() for line in ax.get_lines()] == ["loss", "accuracy"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [1, 2, 3])
    assert ax.get_xlabel() == "epoch"


def test_plot_history_accepts_keras_history_and_selects_metrics():
    ax = plot_history(FakeHistory({"loss": [3, 2], "val_loss": [4, 3]}), ["val_loss"], log_y=True)
    assert [line.get_label() for line in ax.get_lines()] == ["val_loss"]
    assert ax.get_yscale() == "log"


def test_plot_history_draws_several_runs_on_shared_axes():
    ax = plot_history({"loss": [2, 1]}, label="lr=0.1")
    plot_history({"loss": [2, 1.5]}, ax=ax, label="lr=0.01")
    assert [line.get_label() for line in ax.get_lines()] == ["lr=0.1: loss", "lr=0.01: loss"]


@pytest.mark.parametrize(
    ("history", "metrics", "message"),
    [
        ({}, None, "empty"),
        ([1, 2, 3], None, "mapping"),
        ({"loss": [1, 2]}, ["accuracy"], r"unknown metric.*\['loss'\]"),
        ({"loss": [1, 2]}, [], "at least one metric"),
        ({"loss": []}, None, "no values"),
    ],
)
def test_plot_history_rejects_bad_input(history, metrics, message):
    with pytest.raises(ValueError, match=message):
        plot_history(history, metrics)


def test_plot_history_rejects_a_non_axes():
    with pytest.raises(ValueError, match="Axes"):
        plot_history({"loss": [1.0]}, ax="not axes")
