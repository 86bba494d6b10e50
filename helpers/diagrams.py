"""Diagrams of neurons, layered networks, computation graphs and broadcasting, drawn with
matplotlib from the numbers a notebook computes. Each function returns the Axes it drew on."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch, Rectangle

POSITIVE_COLOR = "tab:red"
NEGATIVE_COLOR = "tab:blue"
_EDGE_GRAY = "0.55"
_NODE_FACE = "#f4f4f4"


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    elif not isinstance(ax, Axes):
        raise ValueError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def _finish(ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")


def _fmt(value: float, decimals: int) -> str:
    """A number with at most ``decimals`` decimals and no trailing zeros: 1, -1.5, 0.496."""
    text = np.format_float_positional(float(value), precision=decimals, trim="-")
    return "0" if text == "-0" else text


def _finite_array(values: Any, name: str, what: str) -> np.ndarray:
    """``values`` as a float array; a clear error if they are not numbers or not finite."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{name} must be {what} of numbers, got {values!r}") from e
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite numbers, got {array}")
    return array


def _vector(values: Any, name: str) -> np.ndarray:
    array = _finite_array(values, name, "a sequence")
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of numbers, got {values!r}")
    return array


def _scalar(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{name} must be a number, got {value!r}") from e
    if not np.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number}")
    return number


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], **kw: Any) -> None:
    style = {"arrowstyle": "-|>", "mutation_scale": 12, "color": "0.25", "lw": 1.2}
    style.update(kw)
    ax.add_patch(FancyArrowPatch(start, end, **style))


def _rounded_box(
    ax: Axes, xy: tuple[float, float], width: float, height: float, *, pad: float, **style: Any
) -> None:
    """Draw a box with rounded corners, the shape of every box in these diagrams."""
    ax.add_patch(FancyBboxPatch(xy, width, height, boxstyle=f"round,pad={pad}", **style))


def _fits(text: str) -> float:
    """A font size at which ``text`` fits inside a node circle: smaller for long numbers."""
    return 10.0 if len(text) <= 4 else 8.5


def _label_box(alpha: float = 0.9) -> dict[str, Any]:
    return {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": alpha}


# --------------------------------------------------------------------------- a single neuron

# name -> (f(z, threshold), text in the activation box)
_NEURON_ACTIVATIONS: dict[str, tuple[Callable[[float, float], float], str]] = {
    "sigmoid": (lambda z, t: float(1.0 / (1.0 + np.exp(-z))), "sigmoid\nσ(z)"),
    "tanh": (lambda z, t: float(np.tanh(z)), "tanh(z)"),
    "ReLU": (lambda z, t: max(z, 0.0), "ReLU\nmax(z, 0)"),
    "linear": (lambda z, t: z, "linear\nf(z) = z"),
    "Heaviside": (lambda z, t: 1.0 if z >= 0 else 0.0, "Heaviside\n1 if z ≥ 0"),
    "sign": (lambda z, t: float(np.sign(z)), "sign(z)\n-1, 0 or 1"),
    "threshold": (lambda z, t: 1.0 if z >= t else 0.0, "fires if\nΣ ≥ {t}"),
}
NEURON_ACTIVATIONS: tuple[str, ...] = tuple(_NEURON_ACTIVATIONS)


def draw_neuron(
    weights: Sequence[float] | None = None,
    inputs: Sequence[float] | None = None,
    bias: float | str | None = None,
    *,
    n_inputs: int | None = None,
    activation: str = "sigmoid",
    threshold: float | None = None,
    inhibitory: Sequence[int] = (),
    bias_as_input: bool = False,
    input_names: Sequence[str] | None = None,
    weight_names: Sequence[str] | None = None,
    decimals: int = 3,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Draw one neuron: inputs, weighted edges, bias, sum, activation. Used in notebooks 00 and 04.

    Numbers given are written on the drawing and the neuron's z and output are computed from
    them; whatever is missing is drawn as a symbol (w₁, x₁, z, ŷ). ``bias`` may be a number, a
    symbol such as "b", or None (no bias). ``bias_as_input=True`` draws the bias as an extra
    input x₀ = 1 with weight b, as in the perceptron. ``activation="threshold"`` with
    ``threshold`` draws a McCulloch-Pitts unit: unweighted inputs, those listed in
    ``inhibitory`` veto firing.
    """
    if activation not in _NEURON_ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; expected one of {NEURON_ACTIVATIONS}")
    mp = activation == "threshold"
    if mp and threshold is None:
        raise ValueError("activation='threshold' needs threshold=, the number of inputs to fire")
    if not mp and (threshold is not None or len(inhibitory)):
        raise ValueError("threshold= and inhibitory= belong to activation='threshold' only")
    if mp and (weights is not None or bias is not None):
        raise ValueError("a McCulloch-Pitts unit (activation='threshold') has no weights or bias")
    w = None if weights is None else _vector(weights, "weights")
    x = None if inputs is None else _vector(inputs, "inputs")
    sizes = {
        "weights": None if w is None else w.size,
        "inputs": None if x is None else x.size,
        "input_names": None if input_names is None else len(input_names),
        "n_inputs": n_inputs,
    }
    given = {k: v for k, v in sizes.items() if v is not None}
    if not given:
        raise ValueError("give weights, inputs, input_names or n_inputs: how many inputs?")
    if len(set(given.values())) > 1:
        raise ValueError(f"the number of inputs disagrees: {given}; expected one number")
    n = next(iter(given.values()))
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValueError(f"a neuron needs at least 1 input, got {n!r}")
    if mp and x is not None and not np.isin(x, (0, 1)).all():
        raise ValueError(f"a McCulloch-Pitts unit takes inputs 0 or 1, got {x}")
    bad = [i for i in inhibitory if not 0 <= i < n]
    if bad:
        raise ValueError(f"inhibitory indices {bad} out of range; expected 0..{n - 1}")
    if bias_as_input and bias is None:
        raise ValueError("bias_as_input=True needs a bias (a number or a symbol such as 'b')")
    b_value = None if bias is None or isinstance(bias, str) else _scalar(bias, "bias")
    if not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"decimals must be an int >= 0, got {decimals!r}")
    names = [f"$x_{{{i + 1}}}$" for i in range(n)] if input_names is None else list(input_names)
    if weight_names is not None and w is not None:
        raise ValueError("weight_names replace the weights' numbers: give one or the other")
    if weight_names is not None and len(weight_names) != n:
        raise ValueError(f"expected {n} weight_names, one per input, got {len(weight_names)}")
    symbols = [f"$w_{{{i + 1}}}$" for i in range(n)] if weight_names is None else weight_names

    # forward pass, when every number is known
    z = out = None
    if mp and x is not None:
        excit = [xi for i, xi in enumerate(x) if i not in set(inhibitory)]
        z = float(sum(excit))
        fires = z >= float(threshold) and not any(x[i] for i in inhibitory)
        out = 1.0 if fires else 0.0
    elif w is not None and x is not None and (bias is None or b_value is not None):
        z = float(w @ x) + (b_value or 0.0)
        out = _NEURON_ACTIVATIONS[activation][0](z, 0.0)

    # the rows on the left: the inputs, and x0 = 1 first when the bias is an input
    rows: list[tuple[str, str, str, bool]] = []  # (name, value text, weight text, inhibitory)
    if bias_as_input:
        rows.append(("$x_0$", "1", _fmt(b_value, decimals) if b_value is not None else bias, False))
    for i in range(n):
        value = _fmt(x[i], decimals) if x is not None else ""
        if mp:
            weight = "inhibitory" if i in inhibitory else ""
        else:
            weight = _fmt(w[i], decimals) if w is not None else str(symbols[i])
        rows.append((names[i], value, weight, i in inhibitory))

    spacing = 1.25
    height = spacing * (len(rows) - 1)
    ys = [height / 2 - spacing * k for k in range(len(rows))]
    fig_h = max(2.6, 0.62 * height + 2.2)
    ax = _axes(ax, (7.0, fig_h))
    r_in, sum_xy, r_sum = 0.36, (4.0, 0.0), 0.5
    for (name, value, weight, inhib), y in zip(rows, ys):
        ax.add_patch(Circle((0, y), r_in, fc="#e8f1fa", ec="0.3", lw=1.2, zorder=3))
        ax.text(0, y, value, ha="center", va="center", fontsize=_fits(value), zorder=4)
        ax.text(-r_in - 0.12, y, name, ha="right", va="center", fontsize=11)
        start = np.array([r_in, y])
        direction = np.array(sum_xy) - start
        end = np.array(sum_xy) - direction / np.linalg.norm(direction) * r_sum
        if inhib:  # the classic notation: a dashed edge ending in a small open circle
            ax.plot(*zip(start, end), color=NEGATIVE_COLOR, ls="--", lw=1.4, zorder=1)
            ax.add_patch(Circle(tuple(end), 0.08, fc="white", ec=NEGATIVE_COLOR, lw=1.4, zorder=4))
        else:
            _arrow(ax, tuple(start), tuple(end), zorder=1)
        if weight:  # beside the edge, on its upper side, so the line stays visible
            normal = np.array([-direction[1], direction[0]]) / np.linalg.norm(direction)
            pos = start + 0.4 * (end - start) + 0.2 * normal
            color = NEGATIVE_COLOR if inhib else "black"
            ax.text(
                *pos,
                weight,
                ha="center",
                va="center",
                fontsize=10,
                color=color,
                bbox=_label_box(0.8),
                zorder=5,
            )
    ax.add_patch(Circle(sum_xy, r_sum, fc=_NODE_FACE, ec="0.2", lw=1.4, zorder=3))
    ax.text(*sum_xy, "Σ", ha="center", va="center", fontsize=17, zorder=4)
    z_text = "z" if z is None else f"z = {_fmt(z, decimals)}"
    if mp:
        z_text = "Σ" if z is None else f"Σ = {_fmt(z, decimals)}"
    ax.text(sum_xy[0], sum_xy[1] - r_sum - 0.18, z_text, ha="center", va="top", fontsize=10)
    if bias is not None and not bias_as_input:
        top = (sum_xy[0], sum_xy[1] + r_sum + 0.9)
        _arrow(ax, top, (sum_xy[0], sum_xy[1] + r_sum), zorder=1)
        b_text = f"b = {_fmt(b_value, decimals)}" if b_value is not None else str(bias)
        ax.text(top[0], top[1] + 0.08, b_text, ha="center", va="bottom", fontsize=10)

    box_x, box_w, box_h = 5.35, 1.8, 1.1
    label = _NEURON_ACTIVATIONS[activation][1]
    if mp:
        label = label.format(t=_fmt(float(threshold), decimals))
        if inhibitory:
            label += "\nno veto"
    _rounded_box(
        ax, (box_x, -box_h / 2), box_w, box_h, pad=0.06, fc="#fff4e0", ec="0.3", lw=1.2, zorder=2
    )
    ax.text(box_x + box_w / 2, 0, label, ha="center", va="center", fontsize=9.5, zorder=3)
    _arrow(ax, (sum_xy[0] + r_sum, 0), (box_x - 0.06, 0))
    out_x = box_x + box_w + 1.3
    _arrow(ax, (box_x + box_w + 0.06, 0), (out_x - 0.58, 0))
    ax.add_patch(Circle((out_x, 0), 0.58, fc="#eaf6ea", ec="0.3", lw=1.2, zorder=3))
    out_text = "ŷ" if out is None else _fmt(out, decimals)
    ax.text(out_x, 0, out_text, ha="center", va="center", fontsize=_fits(out_text), zorder=4)
    ax.text(out_x, -0.72, "output", ha="center", va="top", fontsize=9, color="0.3")
    ax.text(0, ys[-1] - 0.6, "inputs", ha="center", va="top", fontsize=9, color="0.3")
    top_y = max(ys[0] + 0.6, 1.9 if bias is not None and not bias_as_input else 0.9)
    _finish(ax, (-1.6, out_x + 0.75), (min(ys[-1] - 1.0, -1.1), top_y))
    if title:
        ax.set_title(title)
    return ax


# --------------------------------------------------------------------------- a layered network

_KNOWN_LAYER_ACTIVATIONS = (
    "linear",
    "sigmoid",
    "tanh",
    "relu",
    "softmax",
    "heaviside",
    "sign",
    "step",
    "threshold",
    "leaky_relu",
    "elu",
    "selu",
    "gelu",
    "silu",
    "swish",
    "softplus",
    "custom",
)


def _model_parameters(model: Any) -> tuple[list[np.ndarray], list[np.ndarray], list[str]]:
    """Kernels, biases and activation names of a Keras model's Dense layers (duck-typed)."""
    layers = getattr(model, "layers", None)
    if layers is None:
        raise ValueError(f"model must be a Keras model with .layers, got {type(model).__name__}")
    kernels, biases, activations = [], [], []
    for layer in layers:
        params = [np.asarray(p) for p in layer.get_weights()]
        if not params:  # Flatten, Rescaling, Dropout: nothing to draw
            continue
        if params[0].ndim != 2:
            raise ValueError(
                f"draw_network draws Dense layers only; layer {getattr(layer, 'name', layer)!r} "
                f"has a kernel of shape {params[0].shape}, expected 2-D (inputs, units)"
            )
        kernels.append(params[0])
        biases.append(params[1] if len(params) > 1 else np.zeros(params[0].shape[1]))
        name = getattr(getattr(layer, "activation", None), "__name__", "linear")
        activations.append(name if name in _KNOWN_LAYER_ACTIVATIONS else "custom")
    if not kernels:
        raise ValueError("model has no layers with weights; build it (call it once) first")
    return kernels, biases, activations


def _shown_units(size: int, max_units: int) -> list[int | None]:
    """Indices drawn for a layer: all, or the first ones, None (the ellipsis), the last."""
    if size <= max_units:
        return list(range(size))
    return [*range(max_units - 2), None, size - 1]


def draw_network(
    layer_sizes: Sequence[int] | None = None,
    *,
    weights: Sequence[Any] | None = None,
    biases: Sequence[Any] | None = None,
    model: Any = None,
    activations: Sequence[str] | None = None,
    layer_names: Sequence[str] | None = None,
    max_units: int = 7,
    show_values: bool | None = None,
    node_colors: Mapping[tuple[int, int], str] | None = None,
    decimals: int = 2,
    ax: Axes | None = None,
    title: str | None = None,
    units: Mapping[int, Sequence[int]] | None = None,
    unit_labels: Mapping[int, Sequence[str]] | None = None,
) -> Axes:
    """Draw a layered network, e.g. (2, 2, 1) or (784, 256, 10). Used in notebooks 00, 05 and 06.

    Layers larger than ``max_units`` show their first units, an ellipsis and the last unit.
    With ``weights`` (one kernel of shape (inputs, units) per layer, and optionally
    ``biases``) or a Keras ``model``, each edge's colour shows the weight's sign (red
    positive, blue negative) and its width the size; ``show_values`` writes the numbers
    (default: when no layer has more than 3 units and there are at most 9 edges).
    ``node_colors`` maps (layer, unit) to a colour.
    ``units`` maps a layer to the units to draw (e.g. the pixels that matter), followed by an
    ellipsis for the rest; ``unit_labels`` maps a layer to one label per unit (e.g. digits).
    """
    if model is not None and weights is not None:
        raise ValueError("give weights or model, not both")
    kernels: list[np.ndarray] | None = None
    bias_list: list[np.ndarray] | None = None
    if model is not None:
        kernels, bias_list, model_acts = _model_parameters(model)
        if biases is not None:
            raise ValueError("biases come from the model; do not pass biases with model=")
        if activations is None:
            activations = model_acts
    elif weights is not None:
        kernels = [np.asarray(k, dtype=float) for k in weights]
        if not kernels:
            raise ValueError("weights is empty: give one kernel (inputs, units) per layer")
        for i, k in enumerate(kernels):
            if k.ndim != 2 or 0 in k.shape:
                raise ValueError(
                    f"weights[{i}] must be a 2-D kernel (inputs, units), got {k.shape}"
                )
        if biases is not None:
            bias_list = [np.asarray(b, dtype=float) for b in biases]
    elif biases is not None:
        raise ValueError("biases need weights= (the kernels) as well")
    if kernels is not None:
        inferred = [kernels[0].shape[0]] + [k.shape[1] for k in kernels]
        for i in range(1, len(kernels)):
            if kernels[i].shape[0] != kernels[i - 1].shape[1]:
                raise ValueError(
                    f"weights[{i}] has shape {kernels[i].shape}; expected "
                    f"({kernels[i - 1].shape[1]}, units) to follow weights[{i - 1}] "
                    f"of shape {kernels[i - 1].shape}"
                )
        if layer_sizes is None:
            layer_sizes = inferred
    if layer_sizes is None:
        raise ValueError("give layer_sizes, weights or model")
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs at least 2 layers (input and output), got {sizes}")
    for s in sizes:
        if isinstance(s, bool) or not isinstance(s, int | np.integer) or s < 1:
            raise ValueError(f"layer sizes must be positive ints, got {sizes}")
    n_layers = len(sizes)
    if kernels is not None:
        if len(kernels) != n_layers - 1:
            raise ValueError(
                f"{n_layers} layers need {n_layers - 1} kernels, got {len(kernels)} weights"
            )
        for i, k in enumerate(kernels):
            if k.shape != (sizes[i], sizes[i + 1]):
                raise ValueError(
                    f"weights[{i}] has shape {k.shape}; layers {sizes} expect "
                    f"({sizes[i]}, {sizes[i + 1]})"
                )
            if not np.all(np.isfinite(k)):
                raise ValueError(f"weights[{i}] holds non-finite values")
    if bias_list is not None:
        if len(bias_list) != n_layers - 1:
            raise ValueError(
                f"{n_layers} layers need {n_layers - 1} bias vectors, got {len(bias_list)}"
            )
        for i, b in enumerate(bias_list):
            if b.shape != (sizes[i + 1],):
                raise ValueError(
                    f"biases[{i}] has shape {b.shape}; layer {i + 1} expects ({sizes[i + 1]},)"
                )
    if activations is not None:
        activations = [str(a) for a in activations]
        if len(activations) != n_layers - 1:
            raise ValueError(
                f"give one activation per layer after the input: {n_layers - 1}, "
                f"got {len(activations)}"
            )
        unknown = [a for a in activations if a.lower() not in _KNOWN_LAYER_ACTIVATIONS]
        if unknown:
            raise ValueError(
                f"unknown activation(s) {unknown}; expected names like {_KNOWN_LAYER_ACTIVATIONS}"
            )
    if layer_names is None:
        hidden = n_layers - 2
        layer_names = [
            "input",
            *(["hidden"] if hidden == 1 else [f"hidden {i + 1}" for i in range(hidden)]),
            "output",
        ]
    elif len(layer_names) != n_layers:
        raise ValueError(f"got {len(layer_names)} layer_names for {n_layers} layers")
    if isinstance(max_units, bool) or not isinstance(max_units, int) or max_units < 3:
        raise ValueError(f"max_units must be an int >= 3, got {max_units!r}")
    shown = [_shown_units(s, max_units) for s in sizes]
    for layer, chosen in (units or {}).items():
        if not (isinstance(layer, int) and 0 <= layer < n_layers):
            raise ValueError(f"units key {layer!r} is not a layer of {sizes}")
        picked = [int(u) for u in chosen]
        if not 1 <= len(picked) <= max_units or len(set(picked)) != len(picked):
            raise ValueError(
                f"units[{layer}] must hold 1 to {max_units} distinct units, got {chosen}"
            )
        if not all(0 <= u < sizes[layer] for u in picked):
            raise ValueError(
                f"units[{layer}] must be units from 0 to {sizes[layer] - 1}, got {chosen}"
            )
        shown[layer] = [*picked, *([None] if len(picked) < sizes[layer] else [])]
    labels = {}
    for layer, names in (unit_labels or {}).items():
        if not (isinstance(layer, int) and 0 <= layer < n_layers):
            raise ValueError(f"unit_labels key {layer!r} is not a layer of {sizes}")
        if isinstance(names, str) or len(names) != sizes[layer]:
            raise ValueError(
                f"unit_labels[{layer}] must hold one label per unit ({sizes[layer]}), got {names!r}"
            )
        labels[layer] = [str(name) for name in names]
    # numbers on the edges stay readable up to about 3 units a layer and 9 edges
    small = max(sizes) <= 3 and sum(a * b for a, b in itertools.pairwise(sizes)) <= 9
    if show_values is None:
        show_values = kernels is not None and small
    if show_values and kernels is None:
        raise ValueError("show_values=True needs weights= or model=: there are no numbers to show")
    colors = dict(node_colors or {})
    for layer, unit in colors:
        if not (0 <= layer < n_layers and 0 <= unit < sizes[layer]):
            raise ValueError(f"node_colors key {(layer, unit)} is not a unit of layers {sizes}")

    dx, dy, r = 3.0, 1.3, 0.31
    tallest = max(len(u) for u in shown)
    pos: dict[tuple[int, int], tuple[float, float]] = {}
    ellipses: list[tuple[float, float]] = []
    for layer, units in enumerate(shown):
        top = dy * (len(units) - 1) / 2
        for k, unit in enumerate(units):
            xy = (layer * dx, top - k * dy)
            if unit is None:
                ellipses.append(xy)
            else:
                pos[(layer, unit)] = xy
    ax = _axes(ax, (min(8.0, 1.9 * n_layers + 1.6), max(2.6, 0.58 * dy * tallest + 1.6)))

    limit = 1.0
    if kernels is not None:
        shown_w = [
            k[
                np.ix_(
                    [u for u in shown[i] if u is not None],
                    [u for u in shown[i + 1] if u is not None],
                )
            ]
            for i, k in enumerate(kernels)
        ]
        limit = max(float(np.abs(w).max()) for w in shown_w) or 1.0
    for layer in range(n_layers - 1):
        targets = [u for u in shown[layer + 1] if u is not None]
        for j_idx, j in enumerate(targets):
            for i in (u for u in shown[layer] if u is not None):
                (x0, y0), (x1, y1) = pos[(layer, i)], pos[(layer + 1, j)]
                if kernels is None:
                    color, width = _EDGE_GRAY, 1.0
                else:
                    w = float(kernels[layer][i, j])
                    color = POSITIVE_COLOR if w >= 0 else NEGATIVE_COLOR
                    width = 0.4 + 3.6 * abs(w) / limit
                ax.plot(
                    [x0 + r, x1 - r],
                    [y0, y1],
                    color=color,
                    lw=width,
                    alpha=0.8,
                    zorder=1,
                    solid_capstyle="butt",
                )
                if show_values:
                    # near the target, staggered by target, so labels of crossing edges part
                    t = 0.62 if len(targets) > 1 and j_idx % 2 else 0.3
                    if len(targets) == 1:
                        t = 0.55
                    lx, ly = x0 + r + t * (x1 - x0 - 2 * r), y0 + t * (y1 - y0)
                    ax.text(
                        lx,
                        ly,
                        _fmt(kernels[layer][i, j], decimals),
                        ha="center",
                        va="center",
                        fontsize=8.5,
                        color=color,
                        bbox=_label_box(0.85),
                        zorder=5,
                    )
    for (layer, unit), (x0, y0) in pos.items():
        face = colors.get((layer, unit), "#e8f1fa" if layer == 0 else _NODE_FACE)
        ax.add_patch(Circle((x0, y0), r, fc=face, ec="0.25", lw=1.2, zorder=3))
        # x, h (the layer's name below says which hidden layer) and ŷ, numbered from 1
        symbol = "x" if layer == 0 else ("h" if layer < n_layers - 1 else r"\hat{y}")
        size = sizes[layer]
        label = f"${symbol}_{{{unit + 1}}}$" if size > 1 or layer == 0 else f"${symbol}$"
        if layer in labels:
            label = labels[layer][unit]
        ax.text(
            x0, y0, label, ha="center", va="center", fontsize=7.5 if size >= 100 else 9.5, zorder=4
        )
        if bias_list is not None and show_values and layer > 0:
            b = bias_list[layer - 1][unit]
            ax.text(
                x0,
                y0 + r + 0.08,
                f"b = {_fmt(b, decimals)}",
                ha="center",
                va="bottom",
                fontsize=8.5,
                color=POSITIVE_COLOR if b >= 0 else NEGATIVE_COLOR,
            )
    for x0, y0 in ellipses:
        ax.text(x0, y0, "⋮", ha="center", va="center", fontsize=18, color="0.3")
    bottom = -dy * (tallest - 1) / 2 - r
    for layer, name in enumerate(layer_names):
        units = "unit" if sizes[layer] == 1 else "units"
        text = f"{name}\n{sizes[layer]} {units}"
        if activations is not None and layer > 0:
            text += f"\n{activations[layer - 1]}"
        ax.text(layer * dx, bottom - 0.3, text, ha="center", va="top", fontsize=9)
    top_y = dy * (tallest - 1) / 2 + r + (0.55 if bias_list is not None and show_values else 0.25)
    if kernels is not None:
        handles = [
            Line2D([], [], color=POSITIVE_COLOR, lw=2.5, label="positive weight"),
            Line2D([], [], color=NEGATIVE_COLOR, lw=2.5, label="negative weight"),
        ]
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=2,
            fontsize=8.5,
            frameon=False,
            title="width ∝ |weight|",
            title_fontsize=8.5,
        )
    _finish(ax, (-0.9, (n_layers - 1) * dx + 0.9), (bottom - 1.45, top_y))
    if title:
        ax.set_title(title)
    return ax


# --------------------------------------------------------------------------- computation graph


def _graph_columns(graph: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Column of each node: operations after their inputs, leaves just before their first use."""
    depth: dict[str, int] = {}
    visiting: set[str] = set()

    def op_depth(node: str) -> int:
        if node in depth:
            return depth[node]
        if node in visiting:
            raise ValueError(f"graph has a cycle through {node!r}; expected a DAG")
        visiting.add(node)
        inputs = graph[node]
        depth[node] = 0 if not inputs else 1 + max(op_depth(i) for i in inputs)
        visiting.discard(node)
        return depth[node]

    for node in graph:
        op_depth(node)
    for node, inputs in graph.items():
        if not inputs:
            users = [depth[u] for u, ins in graph.items() if node in ins]
            depth[node] = min(users) - 1 if users else 0
    return depth


def draw_computation_graph(
    graph: Mapping[str, Sequence[str]],
    values: Mapping[str, Any],
    gradients: Mapping[str, Any] | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    ops: Mapping[str, str] | None = None,
    decimals: int = 3,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Draw an expression's graph with each node's value and gradient. Used in notebook 00.

    ``graph`` maps each node to the nodes it is computed from (inputs and parameters map to
    ``[]``); the one node nothing uses is the loss. ``values`` and ``gradients`` (dLoss/dnode)
    come from the notebook's ``tf.GradientTape``; a node missing from ``gradients`` shows no
    gradient. ``labels`` gives display symbols, ``ops`` the operation, e.g. {"h": "σ(z₁)"}.
    """
    if not isinstance(graph, Mapping) or not graph:
        raise ValueError("graph must be a non-empty mapping of node -> list of its input nodes")
    for node, inputs in graph.items():
        if isinstance(inputs, str):
            raise ValueError(
                f"graph[{node!r}] must be a list of input nodes, got the string {inputs!r}"
            )
        missing = [i for i in inputs if i not in graph]
        if missing:
            raise ValueError(
                f"node {node!r} takes input(s) {missing} that are not nodes; nodes: {list(graph)}"
            )
    sinks = [n for n in graph if not any(n in ins for ins in graph.values())]
    if len(sinks) != 1 or not graph[sinks[0]]:
        raise ValueError(
            f"graph must end in one loss node that nothing else uses; nodes nothing uses: {sinks}"
        )
    loss = sinks[0]
    columns = _graph_columns(graph)
    missing = [n for n in graph if n not in values]
    if missing:
        raise ValueError(f"values lacks node(s) {missing}; expected a value for every node")
    gradients = dict(gradients or {})
    extra = [n for n in list(values) + list(gradients) if n not in graph]
    if extra:
        raise ValueError(f"values/gradients name unknown node(s) {extra}; nodes: {list(graph)}")
    vals = {n: _scalar(values[n], f"values[{n!r}]") for n in graph}
    grads = {n: _scalar(g, f"gradients[{n!r}]") for n, g in gradients.items()}
    labels = {n: (labels or {}).get(n, n) for n in graph}
    ops = dict(ops or {})

    by_column: dict[int, list[str]] = {}
    for node in graph:
        by_column.setdefault(columns[node], []).append(node)
    dx, dy, box_w, box_h = 3.1, 1.55, 2.45, 1.12
    pos: dict[str, tuple[float, float]] = {}
    for col, nodes in by_column.items():
        operations = [n for n in nodes if graph[n]]
        leaves = [n for n in nodes if not graph[n]]
        half = (len(leaves) + 1) // 2
        order = leaves[:half] + operations + leaves[half:]
        # the operations (the main chain) sit on one line at y = 0, leaves above and below
        top = dy * (half + (len(operations) - 1) / 2) if operations else dy * (len(order) - 1) / 2
        for k, node in enumerate(order):
            pos[node] = (col * dx, top - k * dy)
    n_cols = max(columns.values()) + 1
    tallest = max(len(v) for v in by_column.values())
    ax = _axes(ax, (min(8.0, 1.75 * n_cols + 0.6), max(2.8, 0.62 * dy * tallest + 1.0)))
    for node, inputs in graph.items():
        for i in inputs:
            (x0, y0), (x1, y1) = pos[i], pos[node]
            _arrow(
                ax,
                (x0 + box_w / 2, y0),
                (x1 - box_w / 2, y1),
                lw=1.0,
                color="0.45",
                shrinkA=2,
                shrinkB=2,
                zorder=1,
            )
    loss_symbol = labels[loss]
    for node, (x0, y0) in pos.items():
        is_leaf = not graph[node]
        face = "#e8f1fa" if is_leaf else ("#fde7e7" if node == loss else "#fff4e0")
        _rounded_box(
            ax,
            (x0 - box_w / 2, y0 - box_h / 2),
            box_w,
            box_h,
            pad=0.04,
            fc=face,
            ec="0.3",
            lw=1.1,
            zorder=2,
        )
        head = labels[node] if node not in ops else f"{labels[node]} = {ops[node]}"
        ax.text(x0, y0 + 0.3, head, ha="center", va="center", fontsize=9.5, weight="bold", zorder=3)
        ax.text(
            x0,
            y0,
            f"value {_fmt(vals[node], decimals)}",
            ha="center",
            va="center",
            fontsize=9,
            zorder=3,
        )
        if node in grads:
            grad_text = f"∂{loss_symbol}/∂{labels[node]} = {_fmt(grads[node], decimals)}"
            ax.text(
                x0,
                y0 - 0.3,
                grad_text,
                ha="center",
                va="center",
                fontsize=9,
                color="tab:red",
                zorder=3,
            )
    bottom = min(y for _, y in pos.values()) - box_h / 2
    top = max(y for _, y in pos.values()) + box_h / 2
    ax.text(
        (n_cols - 1) * dx / 2,
        bottom - 0.25,
        f"black: forward value    red: gradient of {loss_symbol}, computed backwards",
        ha="center",
        va="top",
        fontsize=8.5,
        color="0.3",
    )
    _finish(
        ax, (-box_w / 2 - 0.15, (n_cols - 1) * dx + box_w / 2 + 0.15), (bottom - 0.75, top + 0.15)
    )
    if title:
        ax.set_title(title)
    return ax


# --------------------------------------------------------------------------- broadcasting

_MAX_BROADCAST_CELLS = 8  # per axis: more cells would not leave room for readable numbers


def _as_2d(shape: tuple[int, ...]) -> tuple[int, int]:
    padded = (1,) * (2 - len(shape)) + tuple(shape)
    return padded[0], padded[1]


def draw_broadcast(a: Any, b: Any, ax: Axes | None = None, *, op: str = "+") -> Axes:
    """Draw how the shapes of a and b stretch under broadcasting. Used in notebook 01.

    Each operand is drawn at the result's shape: its own cells solid, the copies broadcasting
    makes lighter; then the result with its values. Arrays of up to 2 dimensions.
    """
    ops = {"+": np.add, "-": np.subtract, "*": np.multiply}
    if op not in ops:
        raise ValueError(f"unknown op {op!r}; expected one of {list(ops)}")
    arrays = []
    for name, value in (("a", a), ("b", b)):
        try:
            array = np.asarray(value, dtype=float)
        except (TypeError, ValueError) as e:
            raise ValueError(f"{name} must be an array of numbers, got {value!r}") from e
        if array.ndim > 2:
            raise ValueError(f"{name} has shape {array.shape}; draw_broadcast draws up to 2-D")
        if array.size == 0:
            raise ValueError(f"{name} is empty (shape {array.shape}); expected at least one number")
        arrays.append(array)
    a_arr, b_arr = arrays
    try:
        out_shape = np.broadcast_shapes(a_arr.shape, b_arr.shape)
    except ValueError:
        raise ValueError(
            f"shapes {a_arr.shape} and {b_arr.shape} cannot broadcast: aligned from the right, "
            f"each pair of sizes must be equal or one of them 1"
        ) from None
    rows, cols = _as_2d(out_shape)
    if max(rows, cols) > _MAX_BROADCAST_CELLS:
        raise ValueError(
            f"the result has shape {out_shape}; draw_broadcast draws at most "
            f"{_MAX_BROADCAST_CELLS} cells per axis"
        )
    result = ops[op](a_arr, b_arr)
    ax = _axes(ax, (7.5, max(2.2, 0.5 * rows + 1.5)))
    cell, gap = 0.62, 0.9

    def grid(x0: float, array: np.ndarray, color: str, label: str) -> float:
        own_rows, own_cols = _as_2d(array.shape)
        values = np.broadcast_to(array.reshape(own_rows, own_cols), (rows, cols))
        top = cell * rows / 2
        for i in range(rows):
            for j in range(cols):
                original = (own_rows == rows or i == 0) and (own_cols == cols or j == 0)
                ax.add_patch(
                    Rectangle(
                        (x0 + j * cell, top - (i + 1) * cell),
                        cell,
                        cell,
                        fc=color,
                        alpha=1.0 if original else 0.28,
                        ec="0.25",
                        lw=1.2 if original else 0.6,
                        ls="-" if original else "--",
                    )
                )
                ax.text(
                    x0 + (j + 0.5) * cell,
                    top - (i + 0.5) * cell,
                    _fmt(values[i, j], 2),
                    ha="center",
                    va="center",
                    fontsize=9,
                    color="black" if original else "0.35",
                )
        ax.text(x0 + cols * cell / 2, top + 0.12, label, ha="center", va="bottom", fontsize=9.5)
        return x0 + cols * cell

    x = grid(0.0, a_arr, "#9ecae1", f"a: shape {a_arr.shape}")
    ax.text(x + gap / 2, 0, op, ha="center", va="center", fontsize=16)
    x = grid(x + gap, b_arr, "#fdd0a2", f"b: shape {b_arr.shape}")
    ax.text(x + gap / 2, 0, "=", ha="center", va="center", fontsize=16)
    x = grid(x + gap, result, "#c7e9c0", f"a {op} b: shape {out_shape}")
    bottom = -cell * rows / 2
    note = "lighter, dashed cells: copies that broadcasting pretends exist (no memory is used)"
    ax.text(x / 2, bottom - 0.2, note, ha="center", va="top", fontsize=8.5, color="0.3")
    _finish(ax, (-0.15, x + 0.15), (bottom - 0.7, cell * rows / 2 + 0.55))
    return ax


_MAX_CONV_CELLS = 10


def _matrix(value: Any, name: str) -> np.ndarray:
    array = _finite_array(value, name, "a 2-D array")
    if array.ndim != 2 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 2-D array, got shape {array.shape}")
    if max(array.shape) > _MAX_CONV_CELLS:
        raise ValueError(
            f"{name} has shape {array.shape}; draw_convolution draws at most "
            f"{_MAX_CONV_CELLS} cells per side (pass a patch of the image)"
        )
    return array


def _convolve_valid(patch: Any, kernel: Any) -> np.ndarray:
    """Slide kernel over patch without padding or flipping, as tf.nn.conv2d does with
    padding="VALID": each output is the sum of a window times the kernel."""
    image, weights = _matrix(patch, "patch"), _matrix(kernel, "kernel")
    kh, kw = weights.shape
    if kh > image.shape[0] or kw > image.shape[1]:
        raise ValueError(f"kernel {weights.shape} is larger than patch {image.shape}")
    windows = np.lib.stride_tricks.sliding_window_view(image, (kh, kw))
    return np.einsum("ijkl,kl->ij", windows, weights)


def draw_convolution(
    patch: Any,
    kernel: Any,
    ax: Axes | None = None,
    *,
    at: tuple[int, int] = (0, 0),
    decimals: int = 2,
) -> Axes:
    """Draw a kernel sliding over an input patch: the window at `at`, the kernel, the feature
    map, and the sum that gives its highlighted value. Used in notebook 08."""
    image, weights = _matrix(patch, "patch"), _matrix(kernel, "kernel")
    output = _convolve_valid(image, weights)
    row, col = at
    if not (0 <= row < output.shape[0] and 0 <= col < output.shape[1]):
        raise ValueError(f"at={at} is outside the feature map of shape {output.shape}")
    kh, kw = weights.shape
    cell, gap = 0.6, 1.0
    height = max(image.shape[0], output.shape[0]) * cell
    ax = _axes(ax, (10, max(3.2, 0.55 * image.shape[0] + 1.8)))
    window_color, kernel_color, out_color = "#fdd0a2", "#9ecae1", "#c7e9c0"

    def grid(x0: float, values: np.ndarray, label: str, color: Callable[[int, int], str]) -> float:
        rows, cols = values.shape
        top = height / 2 - (height - rows * cell) / 2
        for i in range(rows):
            for j in range(cols):
                ax.add_patch(
                    Rectangle(
                        (x0 + j * cell, top - (i + 1) * cell), cell, cell, fc=color(i, j), ec="0.3"
                    )
                )
                ax.text(
                    x0 + (j + 0.5) * cell,
                    top - (i + 0.5) * cell,
                    _fmt(values[i, j], decimals),
                    ha="center",
                    va="center",
                    fontsize=7.5 if max(values.shape) > 6 else 9,
                )
        ax.text(x0 + cols * cell / 2, top + 0.12, label, ha="center", va="bottom", fontsize=9.5)
        return x0 + cols * cell

    def in_window(i: int, j: int) -> str:
        return window_color if row <= i < row + kh and col <= j < col + kw else "white"

    x = grid(0.0, image, f"input patch {image.shape}", in_window)
    # The window's outline, so it stays visible where a pixel is 0 and the cell is white.
    top = height / 2 - (height - image.shape[0] * cell) / 2
    ax.add_patch(
        Rectangle(
            (col * cell, top - (row + kh) * cell),
            kw * cell,
            kh * cell,
            fill=False,
            ec="tab:orange",
            lw=2.5,
        )
    )
    ax.text(x + gap / 2, 0, "×", ha="center", va="center", fontsize=16)
    x = grid(x + gap, weights, f"kernel {weights.shape}", lambda i, j: kernel_color)
    ax.text(x + gap / 2, 0, "→", ha="center", va="center", fontsize=16)

    def highlight(i: int, j: int) -> str:
        return out_color if (i, j) == (row, col) else "white"

    x = grid(x + gap, output, f"feature map {output.shape}", highlight)
    window = image[row : row + kh, col : col + kw]

    def term(value: float) -> str:
        text = _fmt(value, decimals)
        return f"({text})" if value < 0 else text

    terms = [
        f"{term(a)}·{term(w)}" for a, w in zip(window.ravel(), weights.ravel()) if a != 0 and w != 0
    ]
    total = _fmt(output[row, col], decimals)
    shown = " + ".join(terms) if terms else "every product is 0"
    if len(terms) > 6:
        shown = " + ".join(terms[:6]) + f" + … ({len(terms)} non-zero products)"
    note = f"highlighted output = sum of window × kernel = {shown} = {total}"
    ax.text(x / 2, -height / 2 - 0.25, note, ha="center", va="top", fontsize=9)
    _finish(ax, (-0.15, x + 0.15), (-height / 2 - 0.9, height / 2 + 0.55))
    return ax


# --------------------------------------------------------------------------- tracing


def draw_tracing(
    calls: Sequence[tuple[str, str, bool]],
    *,
    function: str = "f",
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Draw a tf.function's calls: each traces a new graph or reuses one. Used in notebook 03.

    ``calls`` holds one ``(call, signature, traced)`` per call, in order: the call as written,
    the input signature it was matched on (a dtype and shape, or a Python value), and whether
    it traced (from ``experimental_get_tracing_count()``). A call traces exactly when its
    signature is new; anything else is refused, so the drawing cannot contradict TensorFlow.
    Traced calls run the Python ``function`` once and add a graph; the others reuse a graph.
    """
    if isinstance(calls, (str, bytes)) or not isinstance(calls, Sequence) or not calls:
        raise ValueError("calls must be a non-empty sequence of (call, signature, traced) tuples")
    if not isinstance(function, str) or not function:
        raise ValueError(f"function must be a non-empty name, got {function!r}")
    graphs: dict[str, int] = {}  # signature -> row of the call that traced it
    rows: list[tuple[str, str, bool]] = []
    for i, item in enumerate(calls):
        if not (isinstance(item, tuple) and len(item) == 3):
            raise ValueError(f"calls[{i}] must be a (call, signature, traced) tuple, got {item!r}")
        call, signature, traced = item
        if not (isinstance(call, str) and call and isinstance(signature, str) and signature):
            raise ValueError(f"calls[{i}]: call and signature must be non-empty strings: {item!r}")
        if not isinstance(traced, bool):
            raise ValueError(f"calls[{i}]: traced must be True or False, got {traced!r}")
        if traced and signature in graphs:
            raise ValueError(
                f"calls[{i}] says it traced, but signature {signature!r} already has a graph "
                f"(traced by calls[{graphs[signature]}]); a call traces only for a new signature"
            )
        if not traced and signature not in graphs:
            raise ValueError(
                f"calls[{i}] says it reused a graph, but no earlier call traced signature "
                f"{signature!r}; the first call with a signature traces"
            )
        if traced:
            graphs[signature] = i
        rows.append((call, signature, traced))

    n = len(rows)
    trace_color, reuse_color = "tab:orange", "0.45"
    longest = max(len(call) for call, _, _ in rows)
    x_call = 0.0
    x_start = x_call + 0.115 * longest + 0.4  # just right of the longest call
    x_python = x_start + 1.7  # centre of the Python boxes
    x_graph = x_python + 1.9  # left edge of the graph boxes
    graph_width = 0.1 * max(len(s) for s in graphs) + 1.3  # fits "graph N: <signature>"
    x_lane = x_graph + graph_width + 0.35  # reuse arrows climb to the right of the graphs
    top = n - 1
    ax = _axes(ax, (0.75 * (x_lane + 0.3 + 0.15 * n), 1.4 + 0.62 * n))

    def y(i: int) -> float:
        return float(top - i)

    heads = [
        (x_call, "left", "calls, in order"),
        (x_python, "center", "Python function"),
        (x_graph, "left", "concrete functions (graphs)"),
    ]
    for x, ha, text in heads:
        ax.text(x, top + 0.95, text, ha=ha, va="center", fontsize=10, weight="bold")
    reuses = 0
    for i, (call, signature, traced) in enumerate(rows):
        yi = y(i)
        ax.text(
            x_call,
            yi,
            call,
            ha="left",
            va="center",
            fontsize=9,
            family="monospace",
            bbox=_label_box(1.0) | {"ec": "0.7"},
        )
        if traced:
            number = list(graphs).index(signature) + 1
            _rounded_box(
                ax,
                (x_python - 0.8, yi - 0.27),
                1.6,
                0.54,
                pad=0.02,
                fc="#fff5eb",
                ec=trace_color,
                lw=1.2,
            )
            ax.text(
                x_python, yi, f"{function}'s body\nruns once", ha="center", va="center", fontsize=8
            )
            _rounded_box(
                ax,
                (x_graph, yi - 0.27),
                graph_width,
                0.54,
                pad=0.02,
                fc="#e6f0fa",
                ec="tab:blue",
                lw=1.0,
            )
            ax.text(
                x_graph + 0.12,
                yi,
                f"graph {number}: {signature}",
                ha="left",
                va="center",
                fontsize=8.5,
            )
            _arrow(ax, (x_start, yi), (x_python - 0.8, yi), color=trace_color, lw=1.6)
            _arrow(ax, (x_python + 0.8, yi), (x_graph, yi), color=trace_color, lw=1.6)
            ax.text(
                (x_python + 0.8 + x_graph) / 2,
                yi + 0.06,
                "trace",
                ha="center",
                va="bottom",
                fontsize=8,
                color=trace_color,
            )
        else:
            row = graphs[signature]
            number = list(graphs).index(signature) + 1
            x_up = x_lane + 0.15 * reuses
            reuses += 1
            ax.plot(
                [x_start, x_up, x_up], [yi, yi, y(row) - 0.12], color=reuse_color, lw=1.2, ls="--"
            )
            _arrow(
                ax,
                (x_up, y(row) - 0.12),
                (x_graph + graph_width, y(row) - 0.12),
                color=reuse_color,
                lw=1.2,
            )
            ax.text(
                x_python,
                yi + 0.06,
                f"same signature: reuse graph {number}",
                ha="center",
                va="bottom",
                fontsize=8,
                color=reuse_color,
            )
    ax.plot(
        [], [], color=trace_color, lw=1.6, label="new signature: trace (run Python, add a graph)"
    )
    ax.plot([], [], color=reuse_color, lw=1.2, ls="--", label="known signature: reuse its graph")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=2, frameon=False, fontsize=9)
    _finish(ax, (x_call - 0.2, x_lane + 0.3 + 0.15 * reuses), (-0.6, top + 1.3))
    if title:
        ax.set_title(title)
    return ax


# --------------------------------------------------------------------------- input pipelines

_PREPARE_COLOR, _TRAIN_COLOR = "tab:orange", "tab:blue"


def _prefetch_schedule(
    prepare: float, train: float, batches: int, prefetch: bool
) -> list[tuple[float, float]]:
    """(start of preparing, start of training) for each batch, with or without prefetch(1)."""
    times: list[tuple[float, float]] = []
    prepared = trained = 0.0  # when the previous batch finished each stage
    for k in range(batches):
        # Without prefetch the pipeline idles while the model trains; with it, the pipeline
        # prepares batch k as soon as batch k - 1 has left the buffer of one.
        start = (prepared if k == 0 else max(prepared, times[-1][1])) if prefetch else trained
        prepared = start + prepare
        train_start = max(prepared, trained)
        trained = train_start + train
        times.append((start, train_start))
    return times


def draw_prefetch_timeline(
    prepare: float,
    train: float,
    batches: int = 4,
    *,
    unit: str = "ms",
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Timelines of an input pipeline without and with prefetch. Used in notebook 06.

    Each batch is first prepared (read and map, for ``prepare`` time units) and then trained
    on (one train step, ``train`` units). Without prefetch the two alternate; with prefetch,
    the pipeline prepares the next batch while the model trains on this one. Each timeline is
    marked with the time its last step ends.
    """
    prepare, train = _scalar(prepare, "prepare"), _scalar(train, "train")
    if prepare <= 0 or train <= 0:
        raise ValueError(f"prepare and train must be positive times, got {prepare}, {train}")
    if isinstance(batches, bool) or not isinstance(batches, int) or not 1 <= batches <= 12:
        raise ValueError(f"batches must be an int from 1 to 12, got {batches!r}")
    ax = _axes(ax, (8.0, 3.4))
    lanes = {False: (3.4, 2.6), True: (1.2, 0.4)}  # y of the read/map and train-step lanes
    ends = {}
    for prefetch, (y_prepare, y_train) in lanes.items():
        for k, (start, train_start) in enumerate(
            _prefetch_schedule(prepare, train, batches, prefetch)
        ):
            for x, width, y, color in [
                (start, prepare, y_prepare, _PREPARE_COLOR),
                (train_start, train, y_train, _TRAIN_COLOR),
            ]:
                ax.add_patch(Rectangle((x, y - 0.3), width, 0.6, fc=color, ec="white", alpha=0.85))
                ax.text(
                    x + width / 2,
                    y,
                    f"{k + 1}",
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=9,
                    fontweight="bold",
                )
        ends[prefetch] = train_start + train
        ax.plot(
            [ends[prefetch]] * 2, [y_train - 0.45, y_prepare + 0.45], color="0.3", ls="--", lw=1
        )
        ax.text(
            ends[prefetch],
            y_prepare + 0.5,
            f" done at {_fmt(ends[prefetch], 2)} {unit}",
            ha="left",
            va="bottom",
            fontsize=9,
        )
    ax.set_yticks(
        [3.4, 2.6, 1.2, 0.4],
        [
            "no prefetch: read + map",
            "no prefetch: train step",
            "prefetch: read + map",
            "prefetch: train step",
        ],
    )
    ax.set_xlim(0, max(ends.values()) * 1.22)
    ax.set_ylim(-0.2, 4.4)
    ax.set_xlabel(f"time ({unit}); the numbers in the bars are batches")
    ax.grid(False)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="y", length=0)
    if title:
        ax.set_title(title)
    return ax


# --------------------------------------------------------------------------- data parallelism

_REPLICA_COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:purple")


def draw_data_parallel(
    replicas: int = 2,
    global_batch: int = 8,
    *,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """One step of data parallelism: split batch, all-reduced gradients. Used in notebook 10.

    The global batch is split into equal per-replica batches; each replica holds a copy of the
    same weights and computes a gradient on its own part; an all-reduce combines the gradients
    into one, the global batch's mean gradient, which every replica applies, so the copies stay
    identical.
    """
    if isinstance(replicas, bool) or not isinstance(replicas, int) or not 1 <= replicas <= 4:
        raise ValueError(f"replicas must be an int from 1 to 4, got {replicas!r}")
    if (
        isinstance(global_batch, bool)
        or not isinstance(global_batch, int)
        or not replicas <= global_batch <= 24
        or global_batch % replicas
    ):
        raise ValueError(
            f"global_batch must be an int from {replicas} to 24 that {replicas} replicas split "
            f"evenly, got {global_batch!r}"
        )
    per_replica = global_batch // replicas
    box_w, gap = 3.4, 0.5
    width = replicas * box_w + (replicas - 1) * gap
    centers = [box_w / 2 + r * (box_w + gap) for r in range(replicas)]
    ax = _axes(ax, (max(5.5, 1.6 * width), 5.6))
    # The global batch: one square per example, coloured by the replica it goes to.
    side = min(0.42, (width - 0.2) / global_batch)
    left = (width - side * global_batch) / 2
    for i in range(global_batch):
        color = _REPLICA_COLORS[i // per_replica]
        ax.add_patch(Rectangle((left + i * side, 7.0), side * 0.9, side * 0.9, fc=color, alpha=0.7))
    ax.text(
        width / 2,
        7.0 + side + 0.15,
        f"global batch: {global_batch} examples",
        ha="center",
        va="bottom",
        fontsize=10,
    )
    names = [chr(0x2081 + r) for r in range(replicas)]  # subscripts 1, 2, ...
    for r, x in enumerate(centers):
        color = _REPLICA_COLORS[r]
        chunk_x = left + (r * per_replica + per_replica / 2) * side
        _arrow(ax, (chunk_x, 6.9), (x, 6.05), color=color)
        _rounded_box(
            ax, (x - box_w / 2 + 0.1, 3.9), box_w - 0.2, 2.1, pad=0.05, fc="white", ec=color, lw=1.8
        )
        ax.text(
            x,
            5.75,
            f"replica {r + 1}",
            ha="center",
            va="center",
            fontsize=10,
            fontweight="bold",
            color=color,
        )
        ax.text(
            x,
            4.75,
            f"same weights w\n{per_replica} examples\n→ gradient g{names[r]}",
            ha="center",
            va="center",
            fontsize=9,
        )
        _arrow(ax, (x, 3.85), (x, 3.05), color=color)
        _arrow(ax, (x, 1.75), (x, 0.95), color="0.3")
        _rounded_box(
            ax,
            (x - box_w / 2 + 0.1, 0.0),
            box_w - 0.2,
            0.9,
            pad=0.05,
            fc="#f4f4f4",
            ec=color,
            lw=1.5,
        )
        ax.text(x, 0.45, "w ← w − η g", ha="center", va="center", fontsize=10)
    _rounded_box(ax, (0.1, 1.8), width - 0.2, 1.2, pad=0.05, fc="#fdf3e1", ec="0.35", lw=1.4)
    terms = " + ".join(f"g{names[r]}" for r in range(replicas))
    ax.text(
        width / 2,
        2.4,
        f"all-reduce: g = ({terms}) / {replicas}\nthe mean gradient, sent to every replica",
        ha="center",
        va="center",
        fontsize=9.5,
    )
    ax.text(
        width / 2,
        -0.3,
        "the same update on every replica: the copies stay identical",
        ha="center",
        va="top",
        fontsize=9,
    )
    _finish(ax, (-0.2, width + 0.2), (-0.8, 7.9))
    if title:
        ax.set_title(title)
    return ax
