"""Unit tests for helpers.plotting: what each plot draws from the numbers it is given, and, for
bad input, a ValueError that says what was expected."""

from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import (
    ACTIVATION_NAMES,
    plot_activations,
    plot_confusion_matrix,
    plot_decision_boundary,
    plot_gradient_descent_1d,
    plot_history,
    plot_image_grid,
    plot_learning_curves,
    plot_runs,
    plot_softmax,
)

X_GATES = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
Y_AND = np.array([0, 0, 0, 1])
# Training loss keeps falling; validation loss is lowest at epoch 3, then turns up.
OVERFIT = {
    "loss": [1.0, 0.6, 0.4, 0.3, 0.2],
    "val_loss": [1.1, 0.8, 0.7, 0.75, 0.9],
    "accuracy": [0.6, 0.8, 0.85, 0.9, 0.95],
    "val_accuracy": [0.55, 0.7, 0.78, 0.77, 0.76],
}


def labels(ax):
    return [line.get_label() for line in ax.get_lines()]


def legend(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def and_neuron(points):
    """A hand-set sigmoid neuron that computes AND; returns shape (n,)."""
    return 1 / (1 + np.exp(-(points @ np.array([5.0, 5.0]) - 7.5)))


def step_and(points):
    """A perceptron computing AND: outputs exactly 0 or 1."""
    return np.where(points @ np.array([1.0, 1.0]) - 1.5 >= 0, 1, 0)


# ---------------------------------------------------------------- training histories


def test_plot_history_draws_the_chosen_metrics_against_epochs():
    ax = plot_history({"loss": [1.0, 0.5, 0.25], "accuracy": [0.5, 0.7, 0.9]})
    assert labels(ax) == ["loss", "accuracy"]  # every metric by default
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [1, 2, 3])
    assert ax.get_xlabel() == "epoch"
    keras_history = SimpleNamespace(history={"loss": [3, 2], "val_loss": [4, 3]})
    ax = plot_history(keras_history, ["val_loss"], log_y=True)
    assert labels(ax) == ["val_loss"] and ax.get_yscale() == "log"
    ax = plot_history({"loss": [2, 1]}, label="lr=0.1")
    plot_history({"loss": [2, 1.5]}, ax=ax, label="lr=0.01")  # several runs on shared axes
    assert labels(ax) == ["lr=0.1: loss", "lr=0.01: loss"]


def test_plot_history_marks_the_epoch_where_a_metric_is_lowest():
    assert not any(label.startswith("lowest") for label in labels(plot_history(OVERFIT)))
    ax = plot_history(OVERFIT, ["loss", "val_loss"], mark_min="val_loss")
    assert labels(ax) == ["loss", "val_loss", "lowest val_loss: epoch 3"]
    np.testing.assert_array_equal(ax.get_lines()[2].get_xdata(), [3, 3])
    # NaN is skipped, and the metric marked need not be drawn
    history = {"loss": [3, 2, 1], "val_loss": [np.nan, 0.5, 0.7]}
    ax = plot_history(history, ["loss"], mark_min="val_loss")
    np.testing.assert_array_equal(ax.get_lines()[1].get_xdata(), [2, 2])


def test_learning_curves_draw_training_and_validation_per_metric():
    fig = plot_learning_curves(OVERFIT, title="overfitting")
    assert [ax.get_ylabel() for ax in fig.axes] == ["loss", "accuracy"]
    for ax in fig.axes:
        assert labels(ax) == ["training", "validation", "lowest val_loss: epoch 3"]
    np.testing.assert_allclose(fig.axes[1].get_lines()[1].get_ydata(), OVERFIT["val_accuracy"])
    assert fig._suptitle.get_text() == "overfitting"
    # one metric may be named alone; without val_loss there is nothing to mark
    fig = plot_learning_curves({"accuracy": [0.5, 0.6], "val_accuracy": [0.4, 0.5]}, "accuracy")
    assert len(fig.axes) == 1 and labels(fig.axes[0]) == ["training", "validation"]


def test_plot_runs_one_line_per_run_labelled_by_name():
    history = SimpleNamespace(history={"loss": [1.0, 0.1, 0.01], "accuracy": [0.5, 0.7, 0.9]})
    runs = {"lr=0.1": {"loss": [1.0, 0.5, 0.2], "accuracy": [0.4, 0.6, 0.8]}, "lr=1": history}
    ax = plot_runs(runs, log_y=True, xlabel="update")
    assert labels(ax) == ["lr=0.1", "lr=1"]
    np.testing.assert_array_equal(ax.get_lines()[1].get_xdata(), [1, 2, 3])
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_yscale()) == ("update", "loss", "log")
    ax = plot_runs(runs, "accuracy")
    assert ax.get_ylabel() == "accuracy"
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), [0.5, 0.7, 0.9])


# ---------------------------------------------------------------- confusion matrix and images


def test_confusion_matrix_counts_pairs_rows_true_columns_predicted():
    ax = plot_confusion_matrix([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 1, 0], title="three classes")
    # (row = true, column = predicted): counts; empty cells carry no number
    cells = {tuple(round(v) for v in t.get_position()[::-1]): t.get_text() for t in ax.texts}
    assert cells == {(0, 0): "2", (0, 1): "1", (1, 1): "2", (2, 0): "1"}
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


def digits(n, *shape):
    return np.random.default_rng(0).integers(0, 256, size=(n, *shape), dtype=np.uint8)


def titles(fig):
    return [ax.get_title() for ax in fig.axes if ax.get_title()]


def test_image_grid_has_one_panel_per_image_gray_or_rgb_and_hides_the_rest():
    fig = plot_image_grid(digits(10, 28, 28), labels=np.arange(10)[:, None], ncols=4)
    assert len(fig.axes) == 12  # 3 rows of 4
    assert titles(fig) == [str(i) for i in range(10)]
    assert [len(ax.images) for ax in fig.axes] == [1] * 10 + [0, 0]
    assert not any(ax.axison for ax in fig.axes)
    # a channel axis of one is dropped; RGB is kept
    gray = plot_image_grid(digits(3, 28, 28, 1))
    assert gray.axes[0].images[0].get_array().shape == (28, 28)
    rgb = plot_image_grid(digits(2, 8, 8, 3), title="colour")
    assert rgb.axes[0].images[0].get_array().shape == (8, 8, 3)
    assert rgb._suptitle.get_text() == "colour"
    assert len(rgb.axes) == 2  # ncols shrinks to the number of images


def test_image_grid_marks_wrong_predictions_red_and_uses_class_names():
    fig = plot_image_grid(
        digits(3, 5, 5), labels=[0, 1, 2], predictions=[0, 2, 2], class_names=["a", "b", "c"]
    )
    assert titles(fig) == ["a | pred a", "b | pred c", "c | pred c"]
    colours = [ax.title.get_color() for ax in fig.axes]
    assert colours[1] == "crimson"
    assert colours[0] == colours[2] == "black"


# ---------------------------------------------------------------- activations and softmax


def test_plot_activations_draws_every_function_with_its_derivative():
    fig = plot_activations()
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible][:5] == list(ACTIVATION_NAMES)[:5]
    assert "α = 0.1" in visible[-1].get_title()
    sigmoid_ax = visible[ACTIVATION_NAMES.index("sigmoid")]
    f_line, df_line = sigmoid_ax.get_lines()[:2]
    x = f_line.get_xdata()
    np.testing.assert_allclose(f_line.get_ydata(), 1 / (1 + np.exp(-x)))
    assert df_line.get_ydata().max() == pytest.approx(0.25)  # sigmoid' peaks at x = 0
    assert len(sigmoid_ax.texts) == 0 and not np.isnan(df_line.get_ydata()).any()
    assert {t.get_text() for t in fig.legends[0].get_texts()} == {"f(x)", "f'(x)"}


def test_plot_activations_leave_a_gap_where_there_is_no_derivative():
    fig = plot_activations(["ReLU", "leaky ReLU / PReLU"], (-2, 2), alpha=0.2, num=5)
    relu, leaky = fig.axes
    f_line, df_line = relu.get_lines()[:2]
    assert f_line.get_zorder() > df_line.get_zorder()  # where both are 0, f stays visible
    assert np.isnan(df_line.get_ydata()).sum() == 1 and not np.isnan(f_line.get_ydata()).any()
    np.testing.assert_allclose(leaky.get_lines()[0].get_ydata(), [-0.4, -0.2, 0, 1, 2])
    # the derivative has no value at the kink: a gap (NaN) instead of a vertical connector
    np.testing.assert_allclose(leaky.get_lines()[1].get_xdata(), [-2, -1, np.nan, 1, 2])
    np.testing.assert_allclose(leaky.get_lines()[1].get_ydata(), [0.2, 0.2, np.nan, 1, 1])
    assert [t.get_text() for t in relu.texts] == ["f'(0) undefined"]
    # a step function's line breaks at the jump too
    fig = plot_activations(["Heaviside"], (-1, 1), num=5)
    f_line, df_line = fig.axes[0].get_lines()[:2]
    np.testing.assert_allclose(f_line.get_ydata(), [0, 0, np.nan, 1, 1])
    np.testing.assert_allclose(df_line.get_ydata(), [0, 0, np.nan, 0, 0])
    assert [t.get_text() for t in fig.axes[0].texts] == ["f'(0) undefined"]


@pytest.mark.parametrize("logits", [[2.0, 1.0, 0.1], [1000.0, 999.0, 990.0]])
def test_plot_softmax_bars_are_probabilities_even_for_large_logits(logits):
    fig = plot_softmax(logits, ["a", "b", "c"])
    ax_z, ax_p = fig.axes
    heights = np.array([bar.get_height() for bar in ax_p.patches])
    assert np.all(np.isfinite(heights)) and heights.sum() == pytest.approx(1.0)
    assert heights.argmax() == 0
    np.testing.assert_allclose([bar.get_height() for bar in ax_z.patches], logits)
    assert ax_p.get_ylabel() == "probability"


# ---------------------------------------------------------------- decision boundaries


def test_plot_decision_boundary_with_a_numpy_function():
    ax = plot_decision_boundary(and_neuron, X_GATES, Y_AND, title="AND", resolution=21)
    assert ax.get_title() == "AND"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$x_1$", "$x_2$")
    assert legend(ax) == ["boundary p = 0.5", "class 0", "class 1"]
    assert [t.get_text() for t in ax.texts] == ["p=0.00", "p=0.08", "p=0.08", "p=0.92"]
    (colorbar,) = [a for a in ax.figure.axes if a is not ax]
    assert colorbar.get_ylabel() == "predicted P(class 1)"
    ax = plot_decision_boundary(lambda p: np.full(len(p), 0.5), X_GATES, [0, 1, 1, 0])
    assert legend(ax) == ["class 0", "class 1"]  # no crossing, no boundary


def test_plot_decision_boundary_accepts_a_keras_like_model_and_column_labels():
    seen = []

    def model(points):
        """Like a Keras model: called on an (n, 2) float32 array, returns (n, 1)."""
        seen.append((points.dtype, points.shape))
        return and_neuron(points)[:, None]

    plot_decision_boundary(model, X_GATES.tolist(), Y_AND[:, None], resolution=11)
    assert seen == [(np.float32, (121, 2)), (np.float32, (4, 2))]  # the grid, then the points


def test_plot_decision_boundary_binary_mode_two_colours_no_colorbar():
    ax = plot_decision_boundary(step_and, X_GATES, Y_AND, resolution=21, binary=True)
    assert len(ax.figure.axes) == 1, "no colour bar for a 0/1 output"
    assert [t.get_text() for t in ax.texts] == ["output 0", "output 0", "output 0", "output 1"]
    assert legend(ax) == ["boundary", "class 0", "class 1", "output 0 region", "output 1 region"]


# ---------------------------------------------------------------- gradient descent


def descend(lr, x0=2.0, steps=10):
    xs = [x0]
    for _ in range(steps):
        xs.append(xs[-1] - lr * 2 * xs[-1])  # d/dx x^2 = 2x
    return xs


def test_plot_gradient_descent_1d_one_panel_per_run():
    paths = {"small": descend(0.01), "good": descend(0.3), "big": descend(0.9)}
    fig = plot_gradient_descent_1d(np.square, paths)
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in axes] == list(paths)
    assert axes[0].get_xlim() == pytest.approx((-2.4, 2.4))  # 1.2 x the largest start
    path_line = axes[1].get_lines()[1]
    np.testing.assert_allclose(path_line.get_xdata(), paths["good"])
    assert "after 10 steps" in axes[1].texts[0].get_text()


def test_plot_gradient_descent_1d_reports_where_a_run_diverges():
    paths = {"a": descend(0.1), "b": descend(0.2), "c": descend(0.5), "diverges": descend(1.5)}
    fig = plot_gradient_descent_1d(np.square, paths, x_range=(-5, 5))
    assert len(fig.axes) == 4 and all(ax.get_visible() for ax in fig.axes)  # a 2 x 2 grid
    assert "leaves the plot at step 2" in fig.axes[3].texts[0].get_text()
    fig = plot_gradient_descent_1d(np.square, {"overflow": [1.0, -3.0, np.inf, np.nan]})
    assert "leaves the plot at step 1" in fig.axes[0].texts[0].get_text()


# Valid calls that the bad-input rows below change one argument of.
VALID = {
    plot_history: {"history": {"loss": [1.0, 0.5]}},
    plot_learning_curves: {"history": OVERFIT, "metrics": "loss"},
    plot_runs: {"runs": {"a": {"loss": [1.0]}}},
    plot_confusion_matrix: {"labels": [0, 1], "predictions": [0, 1]},
    plot_image_grid: {"images": np.zeros((3, 4, 4))},
    plot_softmax: {"logits": [1.0, 2.0]},
    plot_decision_boundary: {"predict": and_neuron, "X": X_GATES, "y": Y_AND, "resolution": 5},
    plot_gradient_descent_1d: {"loss": np.square, "paths": {"a": [1.0]}},
}


@pytest.mark.parametrize(
    ("plot", "kwargs", "message"),
    [
        (plot_history, {"history": {}}, "empty"),
        (plot_history, {"history": [1, 2, 3]}, "mapping"),
        (plot_history, {"metrics": ["accuracy"]}, r"unknown metric.*\['loss'\]"),
        (plot_history, {"metrics": []}, "at least one metric"),
        (plot_history, {"history": {"loss": []}}, "no values"),
        (plot_history, {"history": OVERFIT, "mark_min": "val_acc"}, r"'val_acc'.*'val_accuracy'"),
        (plot_history, {"history": {"loss": [np.nan]}, "mark_min": "loss"}, "no finite values"),
        (plot_learning_curves, {"history": {"loss": [1.0]}}, r"\['val_loss'\].*validation_data"),
        (plot_learning_curves, {"metrics": ("loss", "auc")}, r"lacks \['auc', 'val_auc'\]"),
        (plot_learning_curves, {"metrics": ()}, "at least one metric"),
        (plot_runs, {"runs": {}}, "non-empty mapping"),
        (plot_runs, {"runs": {"a": [1.0]}}, "mapping of metric name to values, got list"),
        (plot_learning_curves, {"history": {}}, "history is empty"),
        (plot_learning_curves, {"history": "loss"}, "mapping of metric name to values, got str"),
        (plot_runs, {"runs": [{"loss": [1.0]}]}, "non-empty mapping"),
        (plot_runs, {"metric": "accuracy"}, "run 'a' has no metric 'accuracy'"),
        (plot_runs, {"runs": {"a": {"loss": []}}}, "no values"),
        (plot_confusion_matrix, {"labels": [], "predictions": []}, "non-empty and of equal"),
        (plot_confusion_matrix, {"predictions": [0]}, "got 2 labels and 1 predictions"),
        (plot_confusion_matrix, {"labels": [0.5, 1]}, "labels must be class indices"),
        (plot_confusion_matrix, {"predictions": [0, -1]}, "predictions must be class indices"),
        (plot_confusion_matrix, {"labels": [0, 3], "num_classes": 3}, "data hold class 3"),
        (plot_confusion_matrix, {"num_classes": 2.0}, "num_classes must be an int"),
        (plot_confusion_matrix, {"class_names": list("abc"), "num_classes": 2}, "3 class_names"),
        (plot_image_grid, {"images": np.zeros((28, 28))}, r"non-empty batch.*\(28, 28\)"),
        (plot_image_grid, {"images": np.zeros((0, 28, 28))}, "non-empty batch"),
        (plot_image_grid, {"images": np.zeros((2, 28, 28, 2))}, r"1 or 3\), got shape"),
        (plot_image_grid, {"images": np.zeros((101, 4, 4))}, "at most 100"),
        (plot_image_grid, {"labels": [1, 2]}, "got 2 labels for 3 images"),
        (plot_image_grid, {"predictions": [1]}, "got 1 predictions for 3 images"),
        (plot_image_grid, {"ncols": 0}, "ncols must be a positive int"),
        (plot_image_grid, {"ncols": 2.5}, "ncols must be a positive int"),
        (plot_activations, {"names": []}, "empty"),
        (plot_activations, {"names": ["softplus"]}, r"unknown activation.*softplus"),
        (plot_activations, {"x_range": (1, -1)}, "low < high"),
        (plot_activations, {"alpha": 1.5}, r"alpha.*\[0, 1\)"),
        (plot_activations, {"num": 2}, "at least 3"),
        (plot_softmax, {"logits": [1.0]}, "at least 2"),
        (plot_softmax, {"logits": [[1.0, 2.0]]}, "1-D"),
        (plot_softmax, {"logits": [1.0, np.nan]}, "must be finite numbers, got"),
        (plot_softmax, {"labels": ["only one"]}, "1 labels for 2 logits"),
        (plot_decision_boundary, {"predict": "not callable"}, "callable"),
        (plot_decision_boundary, {"X": X_GATES[:, :1]}, r"shape \(n, 2\)"),
        (plot_decision_boundary, {"y": Y_AND[:3]}, "one label per row"),
        (plot_decision_boundary, {"y": [0, 1, 2, 1]}, "only class labels 0 and 1"),
        (plot_decision_boundary, {"predict": lambda p: np.ones((len(p), 2))}, "one probability"),
        (plot_decision_boundary, {"predict": lambda p: 2 * np.ones(len(p))}, r"in \[0, 1\]"),
        (plot_decision_boundary, {"predict": lambda p: np.full(len(p), np.nan)}, r"in \[0, 1\]"),
        (plot_decision_boundary, {"binary": True}, "must return outputs 0 or 1"),
        (plot_decision_boundary, {"resolution": 1}, "at least 2"),
        (plot_decision_boundary, {"padding": -1}, ">= 0"),
        (plot_decision_boundary, {"binary": "yes"}, "True or False"),
        (plot_gradient_descent_1d, {"loss": 3}, "loss must be callable"),
        (plot_gradient_descent_1d, {"paths": {}}, "non-empty mapping"),
        (plot_gradient_descent_1d, {"paths": [1.0, 0.5]}, "non-empty mapping"),
        (plot_gradient_descent_1d, {"paths": {"a": []}}, "start with a finite"),
        (plot_gradient_descent_1d, {"paths": {"a": [np.nan]}}, "start with a finite"),
        (plot_gradient_descent_1d, {"x_range": (2, 1)}, "low < high"),
        (plot_gradient_descent_1d, {"num": 1}, "at least 2"),
        (plot_gradient_descent_1d, {"loss": lambda x: x[:-1]}, "one per x"),
    ],
)
def test_plots_reject_bad_input(plot, kwargs, message):
    """Each row changes one argument of a valid call (VALID) to a bad one."""
    with pytest.raises(ValueError, match=message):
        plot(**{**VALID.get(plot, {}), **kwargs})


@pytest.mark.parametrize(
    "plot", [plot_history, plot_runs, plot_confusion_matrix, plot_decision_boundary]
)
def test_plots_draw_on_a_given_axes(plot):
    _, ax = plt.subplots()
    assert plot(**VALID[plot], ax=ax) is ax
    with pytest.raises(ValueError, match="ax must be a matplotlib Axes"):
        plot(**VALID[plot], ax="axes")
