"""Unit tests for helpers.diagrams: neurons, layered networks, computation graphs and
broadcasting, for good input (what is drawn, and that no two labels overlap) and bad input."""

import itertools
import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes

from helpers import draw_broadcast, draw_computation_graph, draw_network, draw_neuron
from helpers.diagrams import NEGATIVE_COLOR, NEURON_ACTIVATIONS, POSITIVE_COLOR


def texts(ax):
    return [t.get_text() for t in ax.texts if t.get_text()]


def overlapping_labels(ax):
    """Pairs of non-empty texts whose rendered boxes overlap (at the figure's own size)."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_text()]
    return [
        (a, b)
        for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2)
        if box_a.overlaps(box_b)
    ]


def edge_lines(ax):
    """The straight edges of a network diagram (2-point lines, legend handles excluded)."""
    return [line for line in ax.get_lines() if len(line.get_xdata()) == 2]


class FakeDense:
    """Stands in for a Keras Dense layer: get_weights() and an activation with a __name__."""

    def __init__(self, kernel, bias, activation):
        self._weights = [np.asarray(kernel, dtype=np.float32), np.asarray(bias, dtype=np.float32)]
        self.activation = activation
        self.name = "dense"

    def get_weights(self):
        return self._weights


class FakeFlatten:
    name = "flatten"

    def get_weights(self):
        return []


class FakeModel:
    def __init__(self, layers):
        self.layers = layers


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def relu(z):
    return np.maximum(z, 0)


# ---------------------------------------------------------------- draw_neuron


def test_neuron_with_numbers_computes_and_writes_z_and_output():
    ax = draw_neuron([0.5, -1.0], [1.0, 2.0], bias=0.25)
    assert isinstance(ax, Axes)
    z = 0.5 - 2.0 + 0.25
    shown = texts(ax)
    assert {"0.5", "-1", "b = 0.25", f"z = {z:g}", f"{sigmoid(z):.3f}"} <= set(shown)
    assert overlapping_labels(ax) == []


def test_neuron_without_numbers_draws_symbols():
    ax = draw_neuron(n_inputs=3, bias="b", activation="Heaviside")
    shown = texts(ax)
    assert {"$w_{1}$", "$w_{3}$", "b", "z", "ŷ"} <= set(shown)
    assert overlapping_labels(ax) == []


def test_neuron_bias_as_input_is_x0_equal_to_1():
    ax = draw_neuron([1, 1], [1, 0], bias=-1.5, bias_as_input=True, activation="Heaviside")
    shown = texts(ax)
    assert "$x_0$" in shown and "-1.5" in shown
    assert "z = -0.5" in shown
    assert shown[shown.index("output") - 1] == "0"  # Heaviside(-0.5) = 0
    assert overlapping_labels(ax) == []


@pytest.mark.parametrize(
    ("inputs", "inhibitory", "output"),
    [([1, 1], (), "1"), ([1, 0], (), "0"), ([1, 1, 1], (2,), "0"), ([1, 1, 0], (2,), "1")],
)
def test_mcculloch_pitts_unit_fires_at_threshold_unless_vetoed(inputs, inhibitory, output):
    ax = draw_neuron(inputs=inputs, activation="threshold", threshold=2, inhibitory=inhibitory)
    shown = texts(ax)
    assert any(t.startswith("fires if\nΣ ≥ 2") for t in shown)
    assert shown[shown.index("output") - 1] == output  # the value in the output circle
    assert ("inhibitory" in shown) == bool(inhibitory)
    assert overlapping_labels(ax) == []


@pytest.mark.parametrize("activation", NEURON_ACTIVATIONS)
def test_every_activation_draws(activation):
    kwargs = {"threshold": 1} if activation == "threshold" else {"weights": [2.0]}
    ax = draw_neuron(inputs=[1.0], activation=activation, **kwargs)
    assert overlapping_labels(ax) == []


def test_neuron_draws_on_a_given_axes():
    _, ax = plt.subplots()
    assert draw_neuron(n_inputs=1, ax=ax, title="t") is ax
    assert ax.get_title() == "t"


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((), {}, "how many inputs"),
        (([1.0, 2.0], [1.0]), {}, "number of inputs disagrees"),
        (([],), {}, "non-empty 1-D"),
        (([[1.0]],), {}, "non-empty 1-D"),
        (([np.nan],), {}, "finite"),
        (([1.0],), {"activation": "softsign"}, "unknown activation 'softsign'; expected one of"),
        ((), {"n_inputs": 0}, "at least 1 input"),
        ((), {"inputs": [1], "activation": "threshold"}, "needs threshold="),
        ((), {"inputs": [2], "activation": "threshold", "threshold": 1}, "inputs 0 or 1"),
        (([1.0],), {"activation": "threshold", "threshold": 1}, "no weights or bias"),
        ((), {"n_inputs": 2, "threshold": 1}, "activation='threshold' only"),
        ((), {"inputs": [1], "activation": "threshold", "threshold": 1, "inhibitory": [1]},
         r"inhibitory indices \[1\] out of range"),
        ((), {"n_inputs": 1, "bias_as_input": True}, "needs a bias"),
        (([1.0],), {"bias": float("nan")}, "bias must be finite"),
        ((), {"n_inputs": 1, "ax": "axes"}, "matplotlib Axes"),
    ],
)  # fmt: skip
def test_neuron_rejects_bad_input(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        draw_neuron(*args, **kwargs)


# ---------------------------------------------------------------- draw_network


def test_network_draws_every_unit_and_edge_of_a_small_network():
    ax = draw_network((2, 2, 1), activations=["sigmoid", "sigmoid"])
    assert len(ax.patches) == 5  # units
    assert len(edge_lines(ax)) == 2 * 2 + 2 * 1
    shown = texts(ax)
    assert "input\n2 units" in shown
    assert "hidden\n2 units\nsigmoid" in shown
    assert "output\n1 unit\nsigmoid" in shown
    assert overlapping_labels(ax) == []


def test_large_layers_are_drawn_with_an_ellipsis():
    ax = draw_network((784, 256, 10), max_units=7)
    assert texts(ax).count("⋮") == 3
    assert len(ax.patches) == 3 * 6  # 5 first units, the ellipsis, the last unit
    assert "$x_{784}$" in texts(ax) and "$h_{256}$" in texts(ax)
    assert len(edge_lines(ax)) == 6 * 6 * 2
    assert "input\n784 units" in texts(ax)
    assert overlapping_labels(ax) == []


def test_weights_set_edge_colour_width_and_labels():
    kernels = [np.array([[4.0, -2.0], [1.0, -0.5]]), np.array([[3.0], [-1.0]])]
    ax = draw_network(weights=kernels, biases=[[0.5, -0.5], [0.1]])
    edges = edge_lines(ax)
    colours = [e.get_color() for e in edges]
    widths = [e.get_linewidth() for e in edges]
    # edges are drawn target by target: (x1->h1, x2->h1, x1->h2, x2->h2, h1->y, h2->y)
    assert colours == [POSITIVE_COLOR, POSITIVE_COLOR, NEGATIVE_COLOR, NEGATIVE_COLOR,
                       POSITIVE_COLOR, NEGATIVE_COLOR]  # fmt: skip
    assert widths[0] == max(widths) and widths[3] == min(widths)
    shown = texts(ax)
    assert {"4", "-2", "-0.5", "b = 0.5", "b = -0.5", "b = 0.1"} <= set(shown)
    assert overlapping_labels(ax) == []


def test_numbers_are_written_by_default_only_on_small_networks():
    def numbers(sizes):
        kernels = [np.full((a, b), 0.5) for a, b in itertools.pairwise(sizes)]
        return texts(draw_network(weights=kernels)).count("0.5")

    assert numbers((2, 2, 1)) == 6
    assert numbers((3, 3, 1)) == 0  # 12 edges: too many labels to read
    assert numbers((3, 4, 1)) == 0


def test_network_from_a_duck_typed_keras_model():
    rng = np.random.default_rng(0)
    model = FakeModel(
        [
            FakeFlatten(),
            FakeDense(rng.normal(size=(784, 32)), np.zeros(32), relu),
            FakeDense(rng.normal(size=(32, 10)), np.zeros(10), lambda z: z),
        ]
    )
    ax = draw_network(model=model)
    shown = texts(ax)
    assert "hidden\n32 units\nrelu" in shown
    assert "output\n10 units\ncustom" in shown  # a lambda has no known name
    assert "positive weight" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert overlapping_labels(ax) == []


def test_node_colours_mark_chosen_units():
    ax = draw_network((2, 2, 1), node_colors={(1, 0): "orange"})
    faces = [p.get_facecolor() for p in ax.patches]
    assert faces.count(plt.matplotlib.colors.to_rgba("orange")) == 1


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((), {}, "give layer_sizes, weights or model"),
        (((3,),), {}, "at least 2 layers"),
        (((2, 0),), {}, "positive ints"),
        (((2, 2.5),), {}, "positive ints"),
        (((2, 2, 1),), {"weights": [np.ones((2, 2)), np.ones((3, 1))]},
         r"weights\[1\] has shape \(3, 1\); expected \(2, units\)"),
        (((2, 3, 1),), {"weights": [np.ones((2, 2)), np.ones((2, 1))]},
         r"weights\[0\] has shape \(2, 2\); layers \[2, 3, 1\] expect \(2, 3\)"),
        (((2, 2, 1),), {"weights": [np.ones((2, 2))]}, "need 2 kernels"),
        ((), {"weights": []}, "weights is empty"),
        ((), {"weights": [np.ones(3)]}, "2-D kernel"),
        ((), {"weights": [np.ones((2, 1))], "biases": [np.ones(2)]},
         r"biases\[0\] has shape \(2,\); layer 1 expects \(1,\)"),
        ((), {"biases": [np.ones(2)]}, "need weights="),
        (((2, 1),), {"activations": ["sigmoid", "relu"]}, "one activation per layer"),
        (((2, 1),), {"activations": ["sigmoidal"]}, r"unknown activation\(s\) \['sigmoidal'\]"),
        (((2, 1),), {"layer_names": ["in"]}, "got 1 layer_names for 2 layers"),
        (((2, 1),), {"max_units": 2}, "max_units must be an int >= 3"),
        (((2, 1),), {"show_values": True}, "needs weights="),
        (((2, 1),), {"node_colors": {(1, 1): "red"}}, r"\(1, 1\) is not a unit"),
        ((), {"model": FakeModel([FakeFlatten()])}, "no layers with weights"),
        ((), {"model": object()}, "Keras model with .layers"),
        ((), {"model": FakeModel([]), "weights": [np.ones((2, 1))]}, "not both"),
    ],
)  # fmt: skip
def test_network_rejects_bad_input(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        draw_network(*args, **kwargs)


def test_network_rejects_non_dense_layers():
    conv = FakeDense(np.ones((3, 3, 1, 8)), np.zeros(8), relu)
    with pytest.raises(ValueError, match=r"Dense layers only.*\(3, 3, 1, 8\)"):
        draw_network(model=FakeModel([conv]))


# ---------------------------------------------------------------- draw_computation_graph

GRAPH = {"x": [], "w": [], "b": [], "z": ["w", "x", "b"], "h": ["z"], "y": [], "L": ["h", "y"]}


def example_values():
    x, w, b, y = 1.5, 0.5, 0.0, 1.0
    z = w * x + b
    h = sigmoid(z)
    loss = (h - y) ** 2
    dh = 2 * (h - y)
    dz = dh * h * (1 - h)
    values = {"x": x, "w": w, "b": b, "z": z, "h": h, "y": y, "L": loss}
    gradients = {"L": 1.0, "h": dh, "z": dz, "w": dz * x, "b": dz}
    return values, gradients


def test_graph_writes_each_value_and_gradient():
    values, gradients = example_values()
    ax = draw_computation_graph(GRAPH, values, gradients, ops={"h": "σ(z)"})
    shown = texts(ax)
    assert "h = σ(z)" in shown
    assert f"value {round(values['h'], 3):g}" in shown  # 3 decimals, no trailing zeros
    assert f"∂L/∂w = {round(gradients['w'], 3):g}" in shown
    assert not any(t.startswith("∂L/∂x") for t in shown)  # no gradient given for x
    assert len(ax.patches) == 7 + 6  # one box per node, one arrow per edge
    assert overlapping_labels(ax) == []


def test_graph_places_operations_after_their_inputs():
    values, gradients = example_values()
    ax = draw_computation_graph(GRAPH, values, gradients, labels={"L": "loss"})
    header_x = {t.get_text(): t.get_position()[0] for t in ax.texts if t.get_fontweight() == "bold"}
    assert header_x["x"] < header_x["z"] < header_x["h"] < header_x["loss"]
    assert header_x["y"] == header_x["h"]  # a leaf sits just before its first use
    assert "∂loss/∂h" in " ".join(texts(ax))


def test_graph_accepts_scalar_tensors_like_objects():
    values, gradients = example_values()
    values = {k: np.float32(v) for k, v in values.items()}
    gradients = {k: np.array(v) for k, v in gradients.items()}
    assert isinstance(draw_computation_graph(GRAPH, values, gradients), Axes)


@pytest.mark.parametrize(
    ("graph", "values", "gradients", "message"),
    [
        ({}, {}, None, "non-empty mapping"),
        ({"a": "b", "b": []}, {}, None, "must be a list of input nodes"),
        ({"a": ["q"]}, {}, None, r"input\(s\) \['q'\] that are not nodes"),
        ({"a": [], "b": ["a"], "c": ["a"]}, {}, None, r"one loss node.*\['b', 'c'\]"),
        ({"a": ["b"], "b": ["a"], "L": ["a"]}, {}, None, "cycle"),
        ({"a": [], "L": ["a"]}, {"a": 1.0}, None, r"values lacks node\(s\) \['L'\]"),
        ({"a": [], "L": ["a"]}, {"a": 1.0, "L": np.inf}, None, "must be finite"),
        ({"a": [], "L": ["a"]}, {"a": 1.0, "L": "two"}, None, "must be a number"),
        ({"a": [], "L": ["a"]}, {"a": 1.0, "L": 1.0}, {"q": 1.0}, r"unknown node\(s\) \['q'\]"),
    ],
)
def test_graph_rejects_bad_input(graph, values, gradients, message):
    with pytest.raises(ValueError, match=message):
        draw_computation_graph(graph, values, gradients)


# ---------------------------------------------------------------- draw_broadcast


def cells(ax):
    """(alpha, text) of every cell, in drawing order: a's, then b's, then the result's."""
    return [p.get_alpha() for p in ax.patches]


def test_broadcast_column_plus_row_stretches_both():
    a = np.array([[1], [2], [3]])
    b = np.array([[10, 20, 30, 40]])
    ax = draw_broadcast(a, b)
    assert len(ax.patches) == 3 * 12
    alphas = cells(ax)
    assert alphas[:12].count(1.0) == 3  # a's own column; 9 stretched copies
    assert alphas[12:24].count(1.0) == 4  # b's own row
    assert alphas[24:].count(1.0) == 12  # the result is all real
    shown = texts(ax)
    assert {"a: shape (3, 1)", "b: shape (1, 4)", "a + b: shape (3, 4)"} <= set(shown)
    assert "43" in shown and "11" in shown
    assert overlapping_labels(ax) == []


def test_broadcast_scalar_and_vector_and_other_ops():
    ax = draw_broadcast(np.arange(3.0), 2.0, op="*")
    shown = texts(ax)
    assert "a * b: shape (3,)" in shown and "b: shape ()" in shown and "4" in shown
    assert cells(ax)[3:6].count(1.0) == 1


@pytest.mark.parametrize(
    ("a", "b", "kwargs", "message"),
    [
        (np.ones((3, 2)), np.ones(4), {}, r"shapes \(3, 2\) and \(4,\) cannot broadcast"),
        (np.ones((2, 2, 2)), 1.0, {}, r"shape \(2, 2, 2\); draw_broadcast draws up to 2-D"),
        (np.ones((0, 2)), 1.0, {}, "a is empty"),
        (1.0, np.ones((9, 1)), {}, "at most 8 cells"),
        (1.0, "x", {}, "b must be an array of numbers"),
        (1.0, 2.0, {"op": "/"}, "unknown op '/'"),
    ],
)
def test_broadcast_rejects_bad_input(a, b, kwargs, message):
    with pytest.raises(ValueError, match=message):
        draw_broadcast(a, b, **kwargs)


def test_importing_the_diagrams_does_not_import_tensorflow():
    code = "import sys, helpers.diagrams; print('tensorflow' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_weight_names_replace_the_default_symbols():
    ax = draw_neuron(n_inputs=1, input_names=["x"], weight_names=["w"])
    assert {"x", "w", "z", "ŷ"} <= set(texts(ax))
    with pytest.raises(ValueError, match="expected 1 names and weights=None"):
        draw_neuron([1.0], weight_names=["w"])
    with pytest.raises(ValueError, match="expected 2 names"):
        draw_neuron(n_inputs=2, weight_names=["w"])


def test_long_numbers_get_a_smaller_font_in_their_circle():
    ax = draw_neuron([1.08], [1.0], decimals=4)
    output = next(t for t in ax.texts if t.get_text() == "0.7465")
    assert output.get_fontsize() < 10
    assert overlapping_labels(ax) == []
