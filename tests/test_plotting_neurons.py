"""Unit tests for the plots of notebooks 00, 04 and 05: activations, softmax, decision
boundaries, gradient descent on a 1-D loss and several training runs."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes

from helpers import (
    ACTIVATION_NAMES,
    plot_activations,
    plot_decision_boundary,
    plot_gradient_descent_1d,
    plot_runs,
    plot_softmax,
)

X_GATES = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
Y_AND = np.array([0, 0, 0, 1])


def and_neuron(points):
    """A hand-set sigmoid neuron that computes AND; returns shape (n,)."""
    return 1 / (1 + np.exp(-(points @ np.array([5.0, 5.0]) - 7.5)))


class FakeKerasModel:
    """Stands in for a Keras model: callable on an (n, 2) float32 array, returns (n, 1)."""

    def __init__(self):
        self.seen = []

    def __call__(self, points):
        self.seen.append((points.dtype, points.shape))
        return and_neuron(points)[:, None]


# ---------------------------------------------------------------- plot_activations


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
    assert {t.get_text() for t in fig.legends[0].get_texts()} == {"f(x)", "f'(x)"}


def test_plot_activations_leaky_slope_and_subset():
    fig = plot_activations(["ReLU", "leaky ReLU / PReLU"], (-2, 2), alpha=0.2, num=5)
    leaky = fig.axes[1]
    np.testing.assert_allclose(leaky.get_lines()[0].get_ydata(), [-0.4, -0.2, 0, 1, 2])
    # the derivative has no value at the kink: a gap (NaN) instead of a vertical connector
    np.testing.assert_allclose(leaky.get_lines()[1].get_xdata(), [-2, -1, np.nan, 1, 2])
    np.testing.assert_allclose(leaky.get_lines()[1].get_ydata(), [0.2, 0.2, np.nan, 1, 1])


def test_plot_activations_breaks_step_functions_at_the_jump():
    fig = plot_activations(["Heaviside"], (-1, 1), num=5)
    f_line, df_line = fig.axes[0].get_lines()[:2]
    np.testing.assert_allclose(f_line.get_ydata(), [0, 0, np.nan, 1, 1])
    np.testing.assert_allclose(df_line.get_ydata(), [0, 0, np.nan, 0, 0])
    assert [t.get_text() for t in fig.axes[0].texts] == ["f'(0) undefined"]


def test_plot_activations_draws_the_function_over_its_derivative():
    fig = plot_activations(["ReLU", "sigmoid"], num=11)
    relu, sigmoid = fig.axes[:2]
    f_line, df_line = relu.get_lines()[:2]
    assert f_line.get_zorder() > df_line.get_zorder()  # where both are 0, f stays visible
    assert np.isnan(df_line.get_ydata()).sum() == 1 and not np.isnan(f_line.get_ydata()).any()
    assert [t.get_text() for t in relu.texts] == ["f'(0) undefined"]
    assert len(sigmoid.texts) == 0 and not np.isnan(sigmoid.get_lines()[1].get_ydata()).any()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"names": []}, "empty"),
        ({"names": ["softplus"]}, r"unknown activation.*softplus"),
        ({"x_range": (1, -1)}, "low < high"),
        ({"alpha": 1.5}, r"alpha.*\[0, 1\)"),
        ({"num": 2}, "at least 3"),
    ],
)
def test_plot_activations_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_activations(**kwargs)


# ---------------------------------------------------------------- plot_softmax


def test_plot_softmax_bars_sum_to_one():
    fig = plot_softmax([2.0, 1.0, 0.1], ["a", "b", "c"])
    ax_z, ax_p = fig.axes
    heights = np.array([bar.get_height() for bar in ax_p.patches])
    assert heights.sum() == pytest.approx(1.0)
    assert heights.argmax() == 0
    np.testing.assert_allclose([bar.get_height() for bar in ax_z.patches], [2.0, 1.0, 0.1])
    assert ax_p.get_ylabel() == "probability"


def test_plot_softmax_is_stable_for_large_logits():
    fig = plot_softmax([1000.0, 999.0])
    heights = [bar.get_height() for bar in fig.axes[1].patches]
    assert np.all(np.isfinite(heights)) and sum(heights) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("logits", "labels", "message"),
    [
        ([1.0], None, "at least 2"),
        ([[1.0, 2.0]], None, "1-D"),
        ([1.0, np.nan], None, "finite"),
        ([1.0, 2.0], ["only one"], "1 labels for 2 logits"),
    ],
)
def test_plot_softmax_rejects_bad_input(logits, labels, message):
    with pytest.raises(ValueError, match=message):
        plot_softmax(logits, labels)


# ---------------------------------------------------------------- plot_decision_boundary


def test_plot_decision_boundary_with_a_numpy_function():
    ax = plot_decision_boundary(and_neuron, X_GATES, Y_AND, title="AND", resolution=21)
    assert isinstance(ax, Axes)
    assert ax.get_title() == "AND"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$x_1$", "$x_2$")
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["boundary p = 0.5", "class 0", "class 1"]
    notes = [t.get_text() for t in ax.texts]
    assert notes == ["p=0.00", "p=0.08", "p=0.08", "p=0.92"]


def test_plot_decision_boundary_accepts_a_keras_like_model_and_column_labels():
    model = FakeKerasModel()
    plot_decision_boundary(model, X_GATES.tolist(), Y_AND[:, None], resolution=11)
    assert model.seen[0] == (np.float32, (121, 2))  # the grid, as float32 rows of (x1, x2)
    assert model.seen[1] == (np.float32, (4, 2))  # then the labelled points


def test_plot_decision_boundary_without_a_crossing_draws_no_boundary():
    ax = plot_decision_boundary(lambda p: np.full(len(p), 0.5), X_GATES, [0, 1, 1, 0])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["class 0", "class 1"]


def test_plot_decision_boundary_draws_on_a_given_axes():
    _, ax = plt.subplots()
    assert plot_decision_boundary(and_neuron, X_GATES, Y_AND, ax=ax, resolution=5) is ax


@pytest.mark.parametrize(
    ("predict", "X", "y", "message"),
    [
        ("not callable", X_GATES, Y_AND, "callable"),
        (and_neuron, X_GATES[:, :1], Y_AND, r"shape \(n, 2\)"),
        (and_neuron, X_GATES, Y_AND[:3], "one label per row"),
        (and_neuron, X_GATES, [0, 1, 2, 1], "only class labels 0 and 1"),
        (lambda p: np.ones((len(p), 2)), X_GATES, Y_AND, "one probability per row"),
        (lambda p: 2 * np.ones(len(p)), X_GATES, Y_AND, r"probabilities in \[0, 1\]"),
        (lambda p: np.full(len(p), np.nan), X_GATES, Y_AND, r"probabilities in \[0, 1\]"),
    ],
)
def test_plot_decision_boundary_rejects_bad_input(predict, X, y, message):
    with pytest.raises(ValueError, match=message):
        plot_decision_boundary(predict, X, y, resolution=5)


def step_and(points):
    """A perceptron computing AND: outputs exactly 0 or 1."""
    return np.where(points @ np.array([1.0, 1.0]) - 1.5 >= 0, 1, 0)


def test_plot_decision_boundary_binary_mode_two_colours_no_colorbar():
    ax = plot_decision_boundary(step_and, X_GATES, Y_AND, resolution=21, binary=True)
    assert len(ax.figure.axes) == 1, "no colour bar for a 0/1 output"
    assert [t.get_text() for t in ax.texts] == ["output 0", "output 0", "output 0", "output 1"]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["boundary", "class 0", "class 1", "output 0 region", "output 1 region"]


def test_plot_decision_boundary_default_mode_has_a_probability_colorbar():
    ax = plot_decision_boundary(and_neuron, X_GATES, Y_AND, resolution=5)
    colorbar_axes = [a for a in ax.figure.axes if a is not ax]
    assert len(colorbar_axes) == 1 and colorbar_axes[0].get_ylabel() == "predicted P(class 1)"


def test_plot_decision_boundary_binary_mode_rejects_probabilities():
    with pytest.raises(ValueError, match="binary=True predict must return outputs 0 or 1"):
        plot_decision_boundary(and_neuron, X_GATES, Y_AND, resolution=5, binary=True)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"resolution": 1}, "at least 2"),
        ({"padding": -1}, ">= 0"),
        ({"binary": "yes"}, "True or False"),
    ],
)
def test_plot_decision_boundary_rejects_bad_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_decision_boundary(and_neuron, X_GATES, Y_AND, **kwargs)


# ---------------------------------------------------------------- plot_gradient_descent_1d


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


def test_plot_gradient_descent_1d_reports_a_divergent_run():
    paths = {"a": descend(0.1), "b": descend(0.2), "c": descend(0.5), "diverges": descend(1.5)}
    fig = plot_gradient_descent_1d(np.square, paths, x_range=(-5, 5))
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == 4 and len(fig.axes) == 4  # a 2 x 2 grid
    assert "leaves the plot at step 2" in axes[3].texts[0].get_text()


def test_plot_gradient_descent_1d_handles_overflow_to_inf():
    fig = plot_gradient_descent_1d(np.square, {"overflow": [1.0, -3.0, np.inf, np.nan]})
    assert "leaves the plot at step 1" in fig.axes[0].texts[0].get_text()


@pytest.mark.parametrize(
    ("loss", "paths", "kwargs", "message"),
    [
        (3, {"a": [1.0]}, {}, "loss must be callable"),
        (np.square, {}, {}, "non-empty mapping"),
        (np.square, [1.0, 0.5], {}, "non-empty mapping"),
        (np.square, {"a": []}, {}, "start with a finite"),
        (np.square, {"a": [np.nan]}, {}, "start with a finite"),
        (np.square, {"a": [1.0]}, {"x_range": (2, 1)}, "low < high"),
        (np.square, {"a": [1.0]}, {"num": 1}, "at least 2"),
        (lambda x: x[:-1], {"a": [1.0]}, {}, "one per x"),
    ],
)
def test_plot_gradient_descent_1d_rejects_bad_input(loss, paths, kwargs, message):
    with pytest.raises(ValueError, match=message):
        plot_gradient_descent_1d(loss, paths, **kwargs)


# ---------------------------------------------------------------- plot_runs


class FakeHistory:
    def __init__(self, history):
        self.history = history


def test_plot_runs_one_line_per_run_labelled_by_name():
    runs = {"lr=0.1": {"loss": [1.0, 0.5, 0.2]}, "lr=1": FakeHistory({"loss": [1.0, 0.1, 0.01]})}
    ax = plot_runs(runs, log_y=True, xlabel="update")
    assert [line.get_label() for line in ax.get_lines()] == ["lr=0.1", "lr=1"]
    np.testing.assert_array_equal(ax.get_lines()[1].get_xdata(), [1, 2, 3])
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_yscale()) == ("update", "loss", "log")


def test_plot_runs_other_metric_on_a_given_axes():
    _, ax = plt.subplots()
    out = plot_runs({"a": {"loss": [1, 2], "accuracy": [0.5, 0.7]}}, "accuracy", ax=ax)
    assert out is ax and ax.get_ylabel() == "accuracy"


@pytest.mark.parametrize(
    ("runs", "metric", "message"),
    [
        ({}, "loss", "non-empty mapping"),
        ([{"loss": [1.0]}], "loss", "non-empty mapping"),
        ({"a": {"loss": [1.0]}}, "accuracy", r"run 'a' has no metric 'accuracy'"),
        ({"a": {"loss": []}}, "loss", "no values"),
        ({"a": [1.0, 2.0]}, "loss", "mapping of metric name"),
    ],
)
def test_plot_runs_rejects_bad_input(runs, metric, message):
    with pytest.raises(ValueError, match=message):
        plot_runs(runs, metric)


def test_plot_runs_rejects_a_non_axes():
    with pytest.raises(ValueError, match="Axes"):
        plot_runs({"a": {"loss": [1.0]}}, ax="not axes")
