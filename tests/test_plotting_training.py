"""Notebook 07's plots: learning curves with the best epoch marked, and the confusion matrix."""

import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from helpers import plot_confusion_matrix, plot_history, plot_learning_curves

# Training loss keeps falling; validation loss is lowest at epoch 3, then turns up.
OVERFIT = {
    "loss": [1.0, 0.6, 0.4, 0.3, 0.2],
    "val_loss": [1.1, 0.8, 0.7, 0.75, 0.9],
    "accuracy": [0.6, 0.8, 0.85, 0.9, 0.95],
    "val_accuracy": [0.55, 0.7, 0.78, 0.77, 0.76],
}


def marker_lines(ax):
    return [line for line in ax.get_lines() if line.get_label().startswith("lowest")]


def test_plot_history_marks_the_epoch_where_a_metric_is_lowest():
    ax = plot_history(OVERFIT, ["loss", "val_loss"], mark_min="val_loss")
    (marker,) = marker_lines(ax)
    np.testing.assert_array_equal(marker.get_xdata(), [3, 3])
    assert marker.get_label() == "lowest val_loss: epoch 3"
    assert [line.get_label() for line in ax.get_lines()][:2] == ["loss", "val_loss"]


def test_mark_min_skips_nan_and_may_name_a_metric_that_is_not_drawn():
    ax = plot_history(
        {"loss": [3, 2, 1], "val_loss": [np.nan, 0.5, 0.7]}, ["loss"], mark_min="val_loss"
    )
    np.testing.assert_array_equal(marker_lines(ax)[0].get_xdata(), [2, 2])


def test_without_mark_min_nothing_is_marked():
    assert marker_lines(plot_history(OVERFIT)) == []


@pytest.mark.parametrize(
    ("history", "mark_min", "message"),
    [
        (OVERFIT, "val_acc", r"mark_min: no metric 'val_acc'.*'val_accuracy'"),
        ({"loss": [1.0], "val_loss": [np.nan]}, "val_loss", "no finite values"),
    ],
)
def test_plot_history_rejects_a_bad_mark_min(history, mark_min, message):
    with pytest.raises(ValueError, match=message):
        plot_history(history, ["loss"], mark_min=mark_min)


def test_learning_curves_draw_training_and_validation_per_metric():
    fig = plot_learning_curves(OVERFIT, title="overfitting")
    assert isinstance(fig, Figure)
    assert [ax.get_ylabel() for ax in fig.axes] == ["loss", "accuracy"]
    for ax in fig.axes:
        labels = [line.get_label() for line in ax.get_lines()]
        assert labels == ["training", "validation", "lowest val_loss: epoch 3"]
    np.testing.assert_allclose(fig.axes[1].get_lines()[1].get_ydata(), OVERFIT["val_accuracy"])
    assert fig._suptitle.get_text() == "overfitting"


def test_learning_curves_accept_one_metric_name_and_no_val_loss():
    fig = plot_learning_curves({"accuracy": [0.5, 0.6], "val_accuracy": [0.4, 0.5]}, "accuracy")
    assert len(fig.axes) == 1
    assert marker_lines(fig.axes[0]) == []  # no val_loss, nothing to mark


@pytest.mark.parametrize(
    ("history", "metrics", "message"),
    [
        ({"loss": [1.0, 0.5]}, ("loss",), r"lacks \['val_loss'\].*validation_data"),
        (OVERFIT, ("loss", "auc"), r"lacks \['auc', 'val_auc'\]"),
        (OVERFIT, (), "at least one metric"),
        ({}, ("loss",), "empty"),
        ("loss", ("loss",), "mapping"),
    ],
)
def test_learning_curves_reject_bad_input(history, metrics, message):
    with pytest.raises(ValueError, match=message):
        plot_learning_curves(history, metrics)


def cell_texts(ax):
    return {
        (round(t.get_position()[1]), round(t.get_position()[0])): t.get_text() for t in ax.texts
    }


def test_confusion_matrix_counts_pairs_rows_true_columns_predicted():
    labels = np.array([0, 0, 0, 1, 1, 2])
    predicted = np.array([0, 0, 1, 1, 1, 0])
    ax = plot_confusion_matrix(labels, predicted, title="three classes")
    assert isinstance(ax, Axes)
    # (row = true, column = predicted): counts; empty cells carry no number
    assert cell_texts(ax) == {(0, 0): "2", (0, 1): "1", (1, 1): "2", (2, 0): "1"}
    shares = ax.images[0].get_array()
    np.testing.assert_allclose(shares[0], [2 / 3, 1 / 3, 0])
    np.testing.assert_allclose(shares[2], [1, 0, 0])
    assert ax.get_xlabel() == "predicted label" and ax.get_ylabel() == "true label"
    assert ax.get_title() == "three classes"


def test_confusion_matrix_keeps_classes_that_never_occur_and_uses_names():
    ax = plot_confusion_matrix([0, 1], [0, 1], class_names=["cat", "dog", "emu"])
    assert ax.images[0].get_array().shape == (3, 3)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog", "emu"]
    ax = plot_confusion_matrix(np.array([1]), np.array([1]), num_classes=4)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["0", "1", "2", "3"]


@pytest.mark.parametrize(
    ("labels", "predictions", "kwargs", "message"),
    [
        ([], [], {}, "non-empty and of equal length"),
        ([0, 1], [0], {}, "got 2 labels and 1 predictions"),
        ([0.5, 1], [0, 1], {}, "labels must be class indices"),
        ([0, 1], [0, -1], {}, "predictions must be class indices"),
        ([0, 3], [0, 1], {"num_classes": 3}, "data hold class 3"),
        ([0, 1], [0, 1], {"num_classes": 2.0}, "num_classes must be an int"),
        ([0, 1], [0, 1], {"class_names": ["a", "b", "c"], "num_classes": 2}, "3 class_names"),
        ([0, 1], [0, 1], {"ax": "axes"}, "Axes"),
    ],
)
def test_confusion_matrix_rejects_bad_input(labels, predictions, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_confusion_matrix(labels, predictions, **kwargs)
