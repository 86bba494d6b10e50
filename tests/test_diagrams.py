"""Unit tests for helpers.diagrams: for good input, what each drawing shows (and that no two
labels overlap); for bad input, a ValueError that says what was expected."""

import itertools
import subprocess
import sys
from types import SimpleNamespace

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import FancyBboxPatch, Rectangle

from helpers import (
    draw_broadcast,
    draw_computation_graph,
    draw_convolution,
    draw_data_parallel,
    draw_network,
    draw_neuron,
    draw_prefetch_timeline,
    draw_tracing,
)
from helpers.diagrams import NEGATIVE_COLOR, NEURON_ACTIVATIONS, POSITIVE_COLOR


def texts(ax):
    return [t.get_text() for t in ax.texts if t.get_text()]


def overlapping_labels(ax):
    """Pairs of non-empty texts whose rendered boxes overlap (at the figure's own size)."""
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_text()]
    pairs = itertools.combinations(boxes, 2)
    return [(a, b) for (a, box_a), (b, box_b) in pairs if box_a.overlaps(box_b)]


def edge_lines(ax):
    """The straight edges of a network diagram (2-point lines, legend handles excluded)."""
    return [line for line in ax.get_lines() if len(line.get_xdata()) == 2]


def dense(kernel, activation):
    """Stands in for a built Keras Dense layer: get_weights() and an activation with a name."""
    weights = [np.asarray(kernel, dtype=np.float32), np.zeros(np.shape(kernel)[-1])]
    return SimpleNamespace(name="dense", activation=activation, get_weights=lambda: weights)


FLATTEN = SimpleNamespace(name="flatten", get_weights=lambda: [])
CONV_MODEL = SimpleNamespace(layers=[dense(np.ones((3, 3, 1, 8)), abs)])


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_importing_helpers_does_not_import_tensorflow():
    """setup_notebook() must run before TensorFlow loads, to quiet its start-up logs."""
    code = "import sys, helpers; print('tensorflow' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


# ---------------------------------------------------------------- draw_neuron

MCP = {"activation": "threshold", "threshold": 1}  # a McCulloch-Pitts unit


def test_neuron_with_numbers_computes_and_writes_z_and_output():
    ax = draw_neuron([0.5, -1.0], [1.0, 2.0], bias=0.25)
    z = 0.5 - 2.0 + 0.25
    assert {"0.5", "-1", "b = 0.25", f"z = {z:g}", f"{sigmoid(z):.3f}"} <= set(texts(ax))
    assert overlapping_labels(ax) == []
    ax = draw_neuron([1.08], [1.0], decimals=4)  # a long number gets a smaller font
    assert next(t for t in ax.texts if t.get_text() == "0.7465").get_fontsize() < 10
    assert overlapping_labels(ax) == []
    # bias_as_input draws the bias as an input x0 = 1 with weight b, as in the perceptron
    ax = draw_neuron([1, 1], [1, 0], bias=-1.5, bias_as_input=True, activation="Heaviside")
    shown = texts(ax)
    assert {"$x_0$", "-1.5", "z = -0.5"} <= set(shown)
    assert shown[shown.index("output") - 1] == "0"  # Heaviside(-0.5) = 0
    assert overlapping_labels(ax) == []


def test_neuron_without_numbers_draws_symbols_or_the_names_given():
    ax = draw_neuron(n_inputs=3, bias="b", activation="Heaviside")
    assert {"$w_{1}$", "$w_{3}$", "b", "z", "ŷ"} <= set(texts(ax))
    assert overlapping_labels(ax) == []
    ax = draw_neuron(n_inputs=1, input_names=["x"], weight_names=["w"])
    assert {"x", "w", "z", "ŷ"} <= set(texts(ax))


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


# ---------------------------------------------------------------- draw_network


def test_network_draws_every_unit_and_edge_of_a_small_network():
    ax = draw_network((2, 2, 1), activations=["sigmoid", "sigmoid"], node_colors={(1, 0): "red"})
    assert len(ax.patches) == 5  # units
    faces = [p.get_facecolor() for p in ax.patches]
    assert faces.count(plt.matplotlib.colors.to_rgba("red")) == 1  # the unit chosen
    assert len(edge_lines(ax)) == 2 * 2 + 2 * 1
    shown = texts(ax)
    assert {"input\n2 units", "hidden\n2 units\nsigmoid", "output\n1 unit\nsigmoid"} <= set(shown)
    assert overlapping_labels(ax) == []


def test_large_layers_are_drawn_with_an_ellipsis():
    ax = draw_network((784, 256, 10), max_units=7)
    shown = texts(ax)
    assert shown.count("⋮") == 3
    assert len(ax.patches) == 3 * 6  # 5 first units, the ellipsis, the last unit
    assert {"$x_{1}$", "$x_{784}$", "$h_{256}$", "$\\hat{y}_{10}$"} <= set(shown)
    assert len(edge_lines(ax)) == 6 * 6 * 2
    assert "input\n784 units" in shown
    assert overlapping_labels(ax) == []


def test_weights_set_edge_colour_width_and_labels():
    kernels = [np.array([[4.0, -2.0], [1.0, -0.5]]), np.array([[3.0], [-1.0]])]
    ax = draw_network(weights=kernels, biases=[[0.5, -0.5], [0.1]])
    edges = edge_lines(ax)
    colours = [e.get_color() for e in edges]
    widths = [e.get_linewidth() for e in edges]
    # edges are drawn target by target: (x1->h1, x2->h1, x1->h2, x2->h2, h1->y, h2->y)
    positive, negative = POSITIVE_COLOR, NEGATIVE_COLOR
    assert colours == [positive, positive, negative, negative, positive, negative]
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
    layers = [FLATTEN, dense(rng.normal(size=(784, 32)), np.tanh), dense(np.ones((32, 10)), abs)]
    ax = draw_network(model=SimpleNamespace(layers=layers))
    shown = texts(ax)
    # abs is not an activation Keras has: "custom"
    assert {"hidden\n32 units\ntanh", "output\n10 units\ncustom"} <= set(shown)
    assert "positive weight" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert overlapping_labels(ax) == []


def test_network_draws_the_chosen_units_and_labels_the_outputs():
    """Notebook 06 draws the pixels that matter and names the output units by digit."""
    rng = np.random.default_rng(0)
    ax = draw_network(
        weights=[rng.normal(size=(784, 16)), rng.normal(size=(16, 10))],
        units={0: [350, 406, 462]},
        unit_labels={2: [str(d) for d in range(10)]},
        max_units=10,
    )
    shown = texts(ax)
    assert {"$x_{351}$", "$x_{407}$", "$x_{463}$"} <= set(shown)
    assert "$x_{1}$" not in shown and "$x_{784}$" not in shown
    assert [str(d) for d in range(10)] == [t for t in shown if t.isdigit() and len(t) == 1]
    # 3 inputs x 9 hidden units shown (8, then the last), 9 x 10 outputs: no other pixel's edges
    assert len(edge_lines(ax)) == 3 * 9 + 9 * 10


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


def test_graph_writes_values_and_gradients_and_places_operations_after_their_inputs():
    values, gradients = example_values()
    values = {k: np.float32(v) for k, v in values.items()}  # as .numpy() returns them
    gradients = {k: np.array(v) for k, v in gradients.items()}
    ax = draw_computation_graph(GRAPH, values, gradients, labels={"L": "loss"}, ops={"h": "σ(z)"})
    shown = texts(ax)
    assert f"value {round(float(values['h']), 3):g}" in shown  # 3 decimals, no trailing zeros
    assert f"∂loss/∂w = {round(float(gradients['w']), 3):g}" in shown
    assert not any(t.startswith("∂loss/∂x") for t in shown)  # no gradient given for x
    assert len(ax.patches) == 7 + 6  # one box per node, one arrow per edge
    assert overlapping_labels(ax) == []
    header_x = {t.get_text(): t.get_position()[0] for t in ax.texts if t.get_fontweight() == "bold"}
    assert header_x["x"] < header_x["z"] < header_x["h = σ(z)"] < header_x["loss"]
    assert header_x["y"] == header_x["h = σ(z)"]  # a leaf sits just before its first use


# ---------------------------------------------------------------- draw_broadcast


def alphas(ax):
    """Alpha of every cell, in drawing order: a's, then b's, then the result's."""
    return [p.get_alpha() for p in ax.patches]


def test_broadcast_stretches_a_column_a_row_or_a_scalar():
    ax = draw_broadcast(np.array([[1], [2], [3]]), np.array([[10, 20, 30, 40]]))
    assert len(ax.patches) == 3 * 12
    assert alphas(ax)[:12].count(1.0) == 3  # a's own column; 9 stretched copies
    assert alphas(ax)[12:24].count(1.0) == 4  # b's own row
    assert alphas(ax)[24:].count(1.0) == 12  # the result is all real
    shown = texts(ax)
    assert {"a: shape (3, 1)", "b: shape (1, 4)", "a + b: shape (3, 4)"} <= set(shown)
    assert "43" in shown and "11" in shown
    assert overlapping_labels(ax) == []
    ax = draw_broadcast(np.arange(3.0), 2.0, op="*")
    shown = texts(ax)
    assert "a * b: shape (3,)" in shown and "b: shape ()" in shown and "4" in shown
    assert alphas(ax)[3:6].count(1.0) == 1
    assert overlapping_labels(ax) == []


# ---------------------------------------------------------------- draw_convolution

PATCH = np.array([[0, 1, 9, 9, 2], [0, 2, 10, 8, 0], [0, 3, 10, 7, 0], [0, 1, 9, 6, 0]]) / 10
SOBEL = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])


def test_convolution_draws_every_value_the_window_and_the_highlighted_sum():
    ax = draw_convolution(PATCH, SOBEL, at=(1, 1))
    shown = texts(ax)
    assert {"input patch (4, 5)", "kernel (3, 3)", "feature map (2, 3)"} <= set(shown)
    # 20 input cells, 9 kernel cells, 6 output cells, each labelled with its value.
    value_labels = [t for t in shown if t.replace(".", "").replace("-", "").isdigit()]
    assert len(value_labels) == 20 + 9 + 6
    # The output at (1, 1), summed by hand from rows 1-3, columns 1-3 of the patch:
    expected = np.sum(PATCH[1:4, 1:4] * SOBEL)
    assert np.isclose(expected, -1.9)
    note = next(t for t in shown if t.startswith("highlighted output"))
    assert note.endswith("= -1.9")
    assert "0.2·1 + 0.8·(-1) + 0.3·2" in note  # negative weights in parentheses
    assert overlapping_labels(ax) == []
    ax = draw_convolution(PATCH, SOBEL, at=(1, 2))
    (outline,) = [p for p in ax.patches if isinstance(p, Rectangle) and not p.get_fill()]
    assert np.isclose(outline.get_width(), outline.get_height())  # a 3 x 3 window
    assert any(p.get_facecolor()[:3] != (1.0, 1.0, 1.0) for p in ax.patches), "no highlight"
    note = texts(draw_convolution(np.ones((6, 6)), np.ones((3, 3))))[-1]
    assert "(9 non-zero products)" in note and note.endswith("= 9")


# ---------------------------------------------------------------- draw_tracing

CALLS = [
    ("f(1)", "Python value 1", True),
    ("f(1)", "Python value 1", False),
    ("f(tf.constant(1.0))", "float32, shape ()", True),
    ("f(tf.constant(2.0))", "float32, shape ()", False),
    ("f(tf.constant([1.0, 2.0]))", "float32, shape (2,)", True),
]


def test_tracing_draws_every_call_and_one_graph_per_signature():
    ax = draw_tracing(CALLS, function="double")
    shown = texts(ax)
    assert {call for call, _, _ in CALLS} <= set(shown)
    assert [t for t in shown if t.startswith("graph ")] == [
        "graph 1: Python value 1",
        "graph 2: float32, shape ()",
        "graph 3: float32, shape (2,)",
    ]
    assert shown.count("double's body\nruns once") == 3  # one Python run per trace
    assert shown.count("trace") == 3
    assert "same signature: reuse graph 1" in shown and "same signature: reuse graph 2" in shown
    # three Python boxes and three graph boxes, nothing for the two reused calls
    assert len([p for p in ax.patches if isinstance(p, FancyBboxPatch)]) == 6
    assert overlapping_labels(ax) == []


# ---------------------------------------------------------------- draw_prefetch_timeline


def bars(ax):
    """(x, width, y-centre) of every bar, sorted by lane (top first), then by time."""
    rects = [p for p in ax.patches if isinstance(p, Rectangle)]
    found = [(p.get_x(), p.get_width(), round(p.get_y() + p.get_height() / 2, 3)) for p in rects]
    return sorted(found, key=lambda b: (-b[2], b[0]))


def test_without_prefetch_the_stages_alternate_and_with_prefetch_they_overlap():
    ax = draw_prefetch_timeline(2, 3, 4)
    drawn = bars(ax)
    assert len(drawn) == 16  # 4 batches x 2 stages x 2 timelines
    lanes = [drawn[i : i + 4] for i in range(0, 16, 4)]
    plain_prepare, plain_train, fetch_prepare, fetch_train = lanes
    # Without prefetch: prepare 2, train 3, then the next batch: a batch every 5 time units.
    assert [b[0] for b in plain_prepare] == [0, 5, 10, 15]
    assert [b[0] for b in plain_train] == [2, 7, 12, 17]
    # With prefetch the model trains back to back once the first batch is ready.
    assert [b[0] for b in fetch_train] == [2, 5, 8, 11]
    # ...and the pipeline prepares each batch while the model trains on the one before.
    assert [b[0] for b in fetch_prepare] == [0, 2, 5, 8]
    assert all(width == 2 for _, width, _ in plain_prepare + fetch_prepare)
    assert {" done at 20 ms", " done at 14 ms"} <= set(texts(ax))
    assert overlapping_labels(ax) == []
    # A slow pipeline sets the pace even with prefetch: the model trains every 3 s.
    ax = draw_prefetch_timeline(3, 1, 3, unit="s")
    assert [b[0] for b in bars(ax)[-3:]] == [3, 6, 9]
    assert {" done at 12 s", " done at 10 s"} <= set(texts(ax))  # 3 x (3 + 1); 3 x 3 + 1


# ---------------------------------------------------------------- draw_data_parallel


@pytest.mark.parametrize(("replicas", "global_batch"), [(1, 4), (2, 8), (3, 12), (4, 16)])
def test_data_parallel_splits_the_batch_evenly_and_applies_one_update(replicas, global_batch):
    ax = draw_data_parallel(replicas, global_batch)
    examples = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(examples) == global_batch  # one square per example
    # Each replica's colour marks global_batch / replicas consecutive examples.
    per_replica = global_batch // replicas
    colors = [tuple(p.get_facecolor()) for p in examples]
    chunks = [set(colors[i : i + per_replica]) for i in range(0, global_batch, per_replica)]
    assert all(len(chunk) == 1 for chunk in chunks)
    assert len(set.union(*chunks)) == replicas
    shown = texts(ax)
    assert f"global batch: {global_batch} examples" in shown
    replica_names = [t for t in shown if t.startswith("replica ")]
    assert replica_names == [f"replica {r + 1}" for r in range(replicas)]
    assert sum(f"\n{per_replica} examples\n" in t for t in shown) == replicas
    assert shown.count("w ← w − η g") == replicas  # the same update on every replica
    (reduce_text,) = [t for t in shown if t.startswith("all-reduce")]
    assert f"/ {replicas}" in reduce_text
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == 2 * replicas + 1  # replicas, updates, one all-reduce
    assert overlapping_labels(ax) == []


# Valid calls that the bad-input rows below change one argument of.
VALID = {
    draw_computation_graph: {"graph": {"a": [], "L": ["a"]}, "values": {"a": 1.0, "L": 1.0}},
    draw_convolution: {"patch": PATCH, "kernel": SOBEL},
    draw_tracing: {"calls": CALLS},
    draw_prefetch_timeline: {"prepare": 1, "train": 1},
}


# A valid call of every diagram, for the functions VALID above lacks.
CALLS_OF_ALL = VALID | {
    draw_neuron: {"n_inputs": 1},
    draw_network: {"layer_sizes": (2, 1)},
    draw_broadcast: {"a": 1.0, "b": 2.0},
    draw_data_parallel: {},
}


@pytest.mark.parametrize("draw", CALLS_OF_ALL)
def test_every_diagram_draws_on_a_given_axes(draw):
    _, ax = plt.subplots()
    assert draw(**CALLS_OF_ALL[draw], ax=ax) is ax
    with pytest.raises(ValueError, match="ax must be a matplotlib Axes"):
        draw(**CALLS_OF_ALL[draw], ax="axes")


@pytest.mark.parametrize(
    ("draw", "kwargs", "message"),
    [
        (draw_neuron, {}, "how many inputs"),
        (draw_neuron, {"weights": [1.0, 2.0], "inputs": [1.0]}, "number of inputs disagrees"),
        (draw_neuron, {"weights": []}, "non-empty 1-D"),
        (draw_neuron, {"weights": [[1.0]]}, "non-empty 1-D"),
        (draw_neuron, {"weights": [np.nan]}, "finite"),
        (draw_neuron, {"weights": [1.0], "activation": "softsign"}, "unknown activation"),
        (draw_neuron, {"n_inputs": 0}, "at least 1 input"),
        (draw_neuron, {"inputs": [1], "activation": "threshold"}, "needs threshold="),
        (draw_neuron, {**MCP, "inputs": [2]}, "inputs 0 or 1"),
        (draw_neuron, {**MCP, "weights": [1.0]}, "no weights or bias"),
        (draw_neuron, {"n_inputs": 2, "threshold": 1}, "activation='threshold' only"),
        (draw_neuron, {**MCP, "inputs": [1], "inhibitory": [1]}, r"inhibitory indices \[1\]"),
        (draw_neuron, {"n_inputs": 1, "bias_as_input": True}, "needs a bias"),
        (draw_neuron, {"weights": [1.0], "bias": np.nan}, "bias must be finite"),
        (draw_neuron, {"weights": [1.0], "weight_names": ["w"]}, "one or the other"),
        (draw_neuron, {"n_inputs": 2, "weight_names": ["w"]}, "expected 2 weight_names"),
        (draw_network, {}, "give layer_sizes, weights or model"),
        (draw_network, {"layer_sizes": (3,)}, "at least 2 layers"),
        (draw_network, {"layer_sizes": (2, 0)}, "positive ints"),
        (draw_network, {"layer_sizes": (2, 2.5)}, "positive ints"),
        (draw_network, {"weights": []}, "weights is empty"),
        (draw_network, {"weights": [np.ones(3)]}, "2-D kernel"),
        (
            draw_network,
            {"weights": [np.ones((2, 2)), np.ones((3, 1))]},
            r"weights\[1\] has shape \(3, 1\); expected \(2, units\)",
        ),
        (
            draw_network,
            {"layer_sizes": (2, 3), "weights": [np.ones((2, 2))]},
            r"\(2, 2\); layers \[2, 3\] expect \(2, 3\)",
        ),
        (draw_network, {"layer_sizes": (2, 2, 1), "weights": [np.ones((2, 2))]}, "need 2 kernels"),
        (draw_network, {"weights": [np.ones((2, 1))], "biases": [[1, 1]]}, r"expects \(1,\)"),
        (draw_network, {"biases": [np.ones(2)]}, "need weights="),
        (
            draw_network,
            {"layer_sizes": (2, 1), "activations": ["relu"] * 2},
            "activation per",
        ),
        (draw_network, {"layer_sizes": (2, 1), "activations": ["sigmoidal"]}, "'sigmoidal'"),
        (draw_network, {"layer_sizes": (2, 1), "layer_names": ["in"]}, "1 layer_names for 2"),
        (draw_network, {"layer_sizes": (2, 1), "max_units": 2}, "max_units must be an int >= 3"),
        (draw_network, {"layer_sizes": (2, 1), "show_values": True}, "needs weights="),
        (draw_network, {"layer_sizes": (2, 1), "node_colors": {(1, 1): "red"}}, "not a unit"),
        (draw_network, {"model": SimpleNamespace(layers=[FLATTEN])}, "no layers with weights"),
        (draw_network, {"model": object()}, "Keras model with .layers"),
        (draw_network, {"model": FLATTEN, "weights": [np.ones((2, 1))]}, "not both"),
        (draw_network, {"model": CONV_MODEL}, r"Dense layers only.*\(3, 3, 1, 8\)"),
        (draw_network, {"layer_sizes": (784, 16), "units": {0: []}}, "1 to 7 distinct units"),
        (draw_network, {"layer_sizes": (784, 16), "units": {0: [3, 3]}}, "distinct"),
        (draw_network, {"layer_sizes": (784, 16), "units": {0: [784]}}, "from 0 to 783"),
        (draw_network, {"layer_sizes": (784, 16), "units": {5: [1]}}, "not a layer"),
        (draw_network, {"layer_sizes": (2, 3), "unit_labels": {1: ["a"]}}, "one label per unit"),
        (draw_network, {"layer_sizes": (2, 3), "unit_labels": {1: "abc"}}, "one label per unit"),
        (draw_computation_graph, {"graph": {}, "values": {}}, "non-empty mapping"),
        (draw_computation_graph, {"graph": {"a": "b", "b": []}, "values": {}}, "list of input"),
        (draw_computation_graph, {"graph": {"a": ["q"]}, "values": {}}, r"\['q'\] that are not"),
        (draw_computation_graph, {"graph": {"a": [], "b": ["a"], "c": ["a"]}}, "one loss node"),
        (draw_computation_graph, {"graph": {"a": ["b"], "b": ["a"], "L": ["a"]}}, "cycle"),
        (draw_computation_graph, {"values": {"a": 1.0}}, r"values lacks node\(s\) \['L'\]"),
        (draw_computation_graph, {"values": {"a": 1, "L": np.inf}}, "must be finite"),
        (draw_computation_graph, {"values": {"a": 1, "L": "two"}}, "must be a number"),
        (draw_computation_graph, {"gradients": {"q": 1.0}}, r"unknown node\(s\) \['q'\]"),
        (draw_broadcast, {"a": np.ones((3, 2)), "b": np.ones(4)}, "cannot broadcast"),
        (draw_broadcast, {"a": np.ones((2, 2, 2)), "b": 1.0}, "draws up to 2-D"),
        (draw_broadcast, {"a": np.ones((0, 2)), "b": 1.0}, "a is empty"),
        (draw_broadcast, {"a": 1.0, "b": np.ones((9, 1))}, "at most 8 cells"),
        (draw_broadcast, {"a": 1.0, "b": "x"}, "b must be an array of numbers"),
        (draw_broadcast, {"a": 1.0, "b": 2.0, "op": "/"}, "unknown op '/'"),
        (draw_convolution, {"patch": np.ones(5)}, "patch must be a non-empty 2-D array"),
        (draw_convolution, {"kernel": np.ones((5, 5))}, "larger than patch"),
        (draw_convolution, {"patch": np.ones((12, 12))}, "at most 10 cells"),
        (draw_convolution, {"at": (2, 0)}, r"outside the feature map of shape \(2, 3\)"),
        (draw_convolution, {"patch": [["a"]]}, "patch must be a 2-D array of numbers"),
        (draw_convolution, {"kernel": [[np.nan]]}, "kernel must hold finite numbers"),
        (draw_tracing, {"calls": []}, "non-empty sequence"),
        (draw_tracing, {"calls": "f(1)"}, "non-empty sequence"),
        (draw_tracing, {"calls": [("f(1)", "1")]}, r"\(call, signature, traced\) tuple"),
        (draw_tracing, {"calls": [("", "1", True)]}, "non-empty strings"),
        (draw_tracing, {"calls": [("f(1)", "1", "yes")]}, "traced must be True or False"),
        (draw_tracing, {"calls": [("f(1)", "1", False)]}, "no earlier call traced"),
        (draw_tracing, {"calls": [("f(1)", "1", True)] * 2}, r"already has a graph"),
        (draw_tracing, {"function": ""}, "function must be a non-empty name"),
        (draw_prefetch_timeline, {"prepare": 0}, "positive"),
        (draw_prefetch_timeline, {"train": float("nan")}, "finite"),
        (draw_prefetch_timeline, {"prepare": "fast"}, "prepare must be a number"),
        (draw_prefetch_timeline, {"batches": 0}, "batches"),
        (draw_prefetch_timeline, {"batches": 2.0}, "batches"),
        (draw_data_parallel, {"replicas": 0}, "replicas must be an int from 1 to 4"),
        (draw_data_parallel, {"replicas": 5, "global_batch": 10}, "replicas must be"),
        (draw_data_parallel, {"replicas": True}, "replicas must be"),
        (draw_data_parallel, {"replicas": 2, "global_batch": 7}, "split"),
        (draw_data_parallel, {"replicas": 2, "global_batch": 26}, "from 2 to 24"),
        (draw_data_parallel, {"replicas": 2, "global_batch": 8.0}, "global_batch"),
    ],
)
def test_diagrams_reject_bad_input(draw, kwargs, message):
    """Each row changes one argument of a valid call (VALID) to a bad one."""
    with pytest.raises(ValueError, match=message):
        draw(**{**VALID.get(draw, {}), **kwargs})
