"""Small plotting functions for the course. Each returns the matplotlib objects it drew on."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes


def _history_dict(history: Any) -> dict[str, list[float]]:
    """Accept a Keras ``History`` or a plain ``{name: values}`` mapping; return a dict of lists."""
    data = getattr(history, "history", history)
    if not isinstance(data, Mapping):
        raise ValueError(
            f"history must be a keras History or a mapping of metric name to values, "
            f"got {type(history).__name__}"
        )
    if not data:
        raise ValueError("history is empty: it holds no metrics to plot")
    return {str(k): list(np.ravel(np.asarray(v, dtype=float))) for k, v in data.items()}


def _new_axes(ax: Axes | None) -> Axes:
    if ax is None:
        _, ax = plt.subplots()
    elif not isinstance(ax, Axes):
        raise ValueError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def plot_history(
    history: Any,
    metrics: Sequence[str] | None = None,
    *,
    ax: Axes | None = None,
    log_y: bool = False,
    label: str | None = None,
    mark_min: str | None = None,
) -> Axes:
    """Plot metrics from a Keras History or dict by epoch; mark_min: a dashed line at the
    epoch where that metric (e.g. "val_loss") is lowest. Used in notebooks 04 and 05."""
    data = _history_dict(history)
    names = list(data) if metrics is None else list(metrics)
    if not names:
        raise ValueError("metrics is empty: name at least one metric to plot")
    unknown = [m for m in names if m not in data]
    if unknown:
        raise ValueError(f"unknown metric(s) {unknown}; this history has {sorted(data)}")
    best_epoch = None
    if mark_min is not None:
        if mark_min not in data:
            raise ValueError(f"mark_min: no metric {mark_min!r}; this history has {sorted(data)}")
        marked = np.asarray(data[mark_min], dtype=float)
        if not np.isfinite(marked).any():
            raise ValueError(f"mark_min: metric {mark_min!r} has no finite values")
        best_epoch = int(np.nanargmin(np.where(np.isfinite(marked), marked, np.nan))) + 1
    ax = _new_axes(ax)
    for name in names:
        values = data[name]
        if not values:
            raise ValueError(f"metric {name!r} has no values")
        epochs = np.arange(1, len(values) + 1)
        marker = "o" if len(values) <= 30 else None
        curve_label = name if label is None else f"{label}: {name}"
        ax.plot(epochs, values, marker=marker, markersize=3, label=curve_label)
    if best_epoch is not None:
        ax.axvline(
            best_epoch, color="0.35", ls="--", lw=1, label=f"lowest {mark_min}: epoch {best_epoch}"
        )
    ax.set_xlabel("epoch")
    ax.set_ylabel(names[0] if len(names) == 1 else "value")
    if log_y:
        ax.set_yscale("log")
    ax.legend()
    return ax


def plot_learning_curves(
    history: Any,
    metrics: Sequence[str] = ("loss", "accuracy"),
    *,
    title: str | None = None,
) -> plt.Figure:
    """One panel per metric, training against validation. Used in notebooks 06 and 07."""
    data = _history_dict(history)
    names = [metrics] if isinstance(metrics, str) else list(metrics)
    if not names:
        raise ValueError("metrics is empty: name at least one metric, e.g. 'loss'")
    missing = [m for name in names for m in (name, f"val_{name}") if m not in data]
    if missing:
        raise ValueError(
            f"history lacks {missing}: fit with validation_data to get val_ metrics; "
            f"it has {sorted(data)}"
        )
    mark = "val_loss" if "val_loss" in data else None
    fig, axes = plt.subplots(1, len(names), figsize=(4.6 * len(names), 3.4), squeeze=False)
    for ax, name in zip(axes.flat, names, strict=True):
        plot_history(data, [name, f"val_{name}"], ax=ax, mark_min=mark)
        ax.set_ylabel(name)
        for line, text in zip(ax.get_lines(), ("training", "validation"), strict=False):
            line.set_label(text)
        ax.legend(fontsize=9)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def plot_confusion_matrix(
    labels: Any,
    predictions: Any,
    *,
    num_classes: int | None = None,
    class_names: Sequence[str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Counts of (label, prediction) pairs, coloured by row share. Used in notebook 07."""
    y_true = np.asarray(labels).ravel()
    y_pred = np.asarray(predictions).ravel()
    if y_true.size == 0 or y_true.shape != y_pred.shape:
        raise ValueError(
            f"labels and predictions must be non-empty and of equal length, "
            f"got {y_true.size} labels and {y_pred.size} predictions"
        )
    for name, values in (("labels", y_true), ("predictions", y_pred)):
        if not np.issubdtype(values.dtype, np.integer) or values.min() < 0:
            raise ValueError(f"{name} must be class indices: non-negative integers")
    found = int(max(y_true.max(), y_pred.max())) + 1
    if num_classes is None:
        num_classes = found if class_names is None else len(class_names)
    if isinstance(num_classes, bool) or not isinstance(num_classes, int | np.integer):
        raise ValueError(f"num_classes must be an int, got {num_classes!r}")
    if num_classes < found:
        raise ValueError(f"num_classes is {num_classes}, but the data hold class {found - 1}")
    if class_names is not None and len(class_names) != num_classes:
        raise ValueError(f"got {len(class_names)} class_names for {num_classes} classes")
    counts = np.bincount(y_true * num_classes + y_pred, minlength=num_classes**2)
    counts = counts.reshape(num_classes, num_classes)
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    ax = _new_axes(ax)
    image = ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    ax.figure.colorbar(image, ax=ax, label="share of the true class", fraction=0.046, pad=0.04)
    fontsize = 8 if num_classes <= 10 else 6
    for i in range(num_classes):
        for j in range(num_classes):
            if counts[i, j]:
                color = "white" if shares[i, j] > 0.5 else "black"
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=fontsize,
                        color=color)  # fmt: skip
    names = [str(c) for c in class_names] if class_names is not None else None
    ticks = np.arange(num_classes)
    ax.set_xticks(ticks, names if names else [str(t) for t in ticks])
    ax.set_yticks(ticks, names if names else [str(t) for t in ticks])
    ax.set_xlabel("predicted label")
    ax.set_ylabel("true label")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax


# --- Artificial neurons: activations, decision boundaries, learning rates, runs (00, 04, 05) ---


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


# name -> (f, f'). f' is drawn without a value at 0 for the functions that have no derivative
# there: the step functions (a jump) and the ReLUs (a kink).
_ACTIVATIONS: dict[str, tuple[Callable[..., np.ndarray], Callable[..., np.ndarray]]] = {
    "Heaviside": (lambda x, a: np.where(x >= 0, 1.0, 0.0), lambda x, a: np.zeros_like(x)),
    "sign": (lambda x, a: np.sign(x), lambda x, a: np.zeros_like(x)),
    "sigmoid": (
        lambda x, a: _sigmoid(x),
        lambda x, a: _sigmoid(x) * (1.0 - _sigmoid(x)),
    ),
    "tanh": (lambda x, a: np.tanh(x), lambda x, a: 1.0 - np.tanh(x) ** 2),
    "ReLU": (lambda x, a: np.maximum(x, 0.0), lambda x, a: np.where(x > 0, 1.0, 0.0)),
    "leaky ReLU / PReLU": (
        lambda x, a: np.where(x >= 0, x, a * x),
        lambda x, a: np.where(x >= 0, 1.0, a),
    ),
}
ACTIVATION_NAMES: tuple[str, ...] = tuple(_ACTIVATIONS)
_STEP_FUNCTIONS = {"Heaviside", "sign"}
_NOT_DIFFERENTIABLE_AT_0 = _STEP_FUNCTIONS | {"ReLU", "leaky ReLU / PReLU"}


def _break_at_zero(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop the point x = 0 and put a NaN between the negative and positive sides (a gap)."""
    neg, pos = x < 0, x > 0
    gap = np.array([np.nan])
    return np.concatenate([x[neg], gap, x[pos]]), np.concatenate([y[neg], gap, y[pos]])


def _check_range(x_range: Sequence[float], name: str = "x_range") -> tuple[float, float]:
    if len(x_range) != 2 or not np.all(np.isfinite(x_range)) or not x_range[0] < x_range[1]:
        raise ValueError(f"{name} must be (low, high) with low < high, got {x_range!r}")
    return float(x_range[0]), float(x_range[1])


def plot_activations(
    names: Sequence[str] | None = None,
    x_range: tuple[float, float] = (-4.0, 4.0),
    *,
    alpha: float = 0.1,
    num: int = 401,
) -> plt.Figure:
    """Draw each activation function (solid, on top) with its derivative (dashed), one per panel.

    Where a function has no derivative at 0 (Heaviside, sign, ReLU, leaky ReLU) the dashed line
    has a gap at 0 and the panel says "f'(0) undefined"; a step function's line has a gap at
    its jump and a dot at its value f(0). Used in notebook 00.
    """
    names = list(ACTIVATION_NAMES) if names is None else list(names)
    if not names:
        raise ValueError(f"names is empty: pick some of {list(ACTIVATION_NAMES)}")
    unknown = [n for n in names if n not in _ACTIVATIONS]
    if unknown:
        raise ValueError(f"unknown activation(s) {unknown}; known: {list(ACTIVATION_NAMES)}")
    low, high = _check_range(x_range)
    if not 0 <= alpha < 1:
        raise ValueError(f"alpha (the leaky slope for x < 0) must be in [0, 1), got {alpha!r}")
    if num < 3:
        raise ValueError(f"num must be at least 3 points, got {num}")
    cols = min(3, len(names))
    rows = -(-len(names) // cols)
    fig, axes = plt.subplots(
        rows, cols, figsize=(3.4 * cols, 2.9 * rows), squeeze=False, sharex=True
    )
    x = np.linspace(low, high, num)
    for ax, name in zip(axes.flat, names, strict=False):
        f, df = _ACTIVATIONS[name]
        x_f, y = x, f(x, alpha)
        x_df, dy = x, df(x, alpha)
        if name in _STEP_FUNCTIONS:  # no vertical line at the jump; a dot shows f(0)
            x_f, y = _break_at_zero(x, y)
        if name in _NOT_DIFFERENTIABLE_AT_0:  # no vertical line, no value at 0
            x_df, dy = _break_at_zero(x, dy)
        # the function is drawn over its derivative, so where both are 0 the solid line shows
        ax.plot(x_f, y, color="C0", lw=2, label="f(x)", zorder=3)
        ax.plot(x_df, dy, color="C1", lw=2, ls="--", label="f'(x)", zorder=2)
        if name in _STEP_FUNCTIONS and low <= 0 <= high:
            f0 = float(f(np.array(0.0), alpha))
            ax.plot([0], [f0], "o", color="C0", ms=5, zorder=4)
        if name in _NOT_DIFFERENTIABLE_AT_0 and low <= 0 <= high:
            ax.text(
                0.03,
                0.95,
                "f'(0) undefined",
                transform=ax.transAxes,
                va="top",
                fontsize=8,
                color="C1",
            )
        title = name if name != "leaky ReLU / PReLU" else f"{name} (α = {alpha:g})"
        ax.set_title(title)
        ax.axhline(0, color="0.6", lw=0.8)
        ax.axvline(0, color="0.6", lw=0.8)
        ax.set_xlabel("x")
    for ax in axes.flat[len(names) :]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel("value")
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=2, bbox_to_anchor=(0.5, 1.0))
    fig.tight_layout(rect=(0, 0, 1, 0.94))
    return fig


def plot_softmax(logits: Sequence[float], labels: Sequence[str] | None = None) -> plt.Figure:
    """Bar charts of logits and their softmax probabilities, side by side. Used in notebook 00."""
    z = np.asarray(logits, dtype=float)
    if z.ndim != 1 or z.size < 2:
        raise ValueError(f"logits must be a 1-D vector of at least 2 numbers, got shape {z.shape}")
    if not np.all(np.isfinite(z)):
        raise ValueError(f"logits must be finite numbers, got {z}")
    labels = [f"class {i}" for i in range(z.size)] if labels is None else list(labels)
    if len(labels) != z.size:
        raise ValueError(f"got {len(labels)} labels for {z.size} logits; expected one per logit")
    p = np.exp(z - z.max())
    p /= p.sum()
    fig, (ax_z, ax_p) = plt.subplots(1, 2, figsize=(9, 3.4))
    ax_z.bar(labels, z, color="C0")
    ax_z.axhline(0, color="0.4", lw=0.8)
    ax_z.set_title("logits z (any real numbers)")
    ax_z.set_ylabel("z")
    bars = ax_p.bar(labels, p, color="C2")
    ax_p.bar_label(bars, labels=[f"{v:.3f}" for v in p], fontsize=9)
    ax_p.set_ylim(0, min(1.0, p.max() * 1.25) + 0.02)
    ax_p.set_title(f"softmax(z): probabilities, sum = {p.sum():.3f}")
    ax_p.set_ylabel("probability")
    fig.tight_layout()
    return fig


def plot_decision_boundary(
    predict: Callable[[np.ndarray], Any],
    X: Any,
    y: Any,
    *,
    ax: Axes | None = None,
    resolution: int = 101,
    padding: float = 0.5,
    title: str | None = None,
    binary: bool = False,
) -> Axes:
    """Shade predict(points) = P(class 1) over the plane, draw p = 0.5, mark the labelled points.

    ``predict`` gets an (n, 2) float32 array and may return any array-like of n probabilities
    (shape (n,) or (n, 1)): a NumPy function or a Keras model both work. With ``binary=True``
    it must return outputs 0 or 1 (a perceptron's step): the plane gets two colours, no
    colour bar, and each point is labelled with its output. Used in notebooks 00 and 05.
    """
    if not callable(predict):
        raise ValueError(f"predict must be callable (a function or a Keras model), got {predict!r}")
    X = np.asarray(X, dtype=np.float32)
    if X.ndim != 2 or X.shape[1] != 2 or len(X) == 0:
        raise ValueError(f"X must have shape (n, 2) with n >= 1, got {X.shape}")
    y = np.asarray(y).ravel()
    if y.shape != (len(X),):
        raise ValueError(f"y must hold one label per row of X ({len(X)}), got shape {y.shape}")
    if not np.isin(y, (0, 1)).all():
        raise ValueError(f"y must contain only class labels 0 and 1, got {np.unique(y)}")
    if resolution < 2:
        raise ValueError(f"resolution must be at least 2 grid points per axis, got {resolution}")
    if padding < 0:
        raise ValueError(f"padding must be >= 0, got {padding}")
    if not isinstance(binary, bool):
        raise ValueError(f"binary must be True or False, got {binary!r}")

    def probabilities(points: np.ndarray) -> np.ndarray:
        p = np.asarray(predict(points), dtype=float).ravel()
        if p.shape != (len(points),):
            raise ValueError(
                f"predict returned {p.size} values for {len(points)} points; expected one "
                f"probability per row"
            )
        if binary and not np.isin(p, (0, 1)).all():
            raise ValueError(
                f"with binary=True predict must return outputs 0 or 1, got values like "
                f"{p[~np.isin(p, (0, 1))][:3]}"
            )
        if not np.all(np.isfinite(p)) or p.min() < 0 or p.max() > 1:
            raise ValueError("predict must return probabilities in [0, 1]")
        return p

    low, high = X.min(axis=0) - padding, X.max(axis=0) + padding
    g0, g1 = np.meshgrid(
        np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)
    )
    grid = np.column_stack([g0.ravel(), g1.ravel()]).astype(np.float32)
    p_grid = probabilities(grid).reshape(g0.shape)
    p_points = probabilities(X)
    ax = _new_axes(ax)
    if binary:  # two regions, one colour each: the output is 0 or 1, nothing in between
        cmap = plt.get_cmap("RdBu_r")
        region_colors = [cmap(0.2), cmap(0.8)]
        ax.contourf(g0, g1, p_grid, levels=[-0.5, 0.5, 1.5], colors=region_colors, alpha=0.55)
    else:
        filled = ax.contourf(
            g0, g1, p_grid, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.55
        )
        ax.figure.colorbar(filled, ax=ax, label="predicted P(class 1)")
    if p_grid.min() < 0.5 < p_grid.max():
        ax.contour(g0, g1, p_grid, levels=[0.5], colors="k", linewidths=2)
        ax.plot([], [], color="k", lw=2, label="boundary" if binary else "boundary p = 0.5")
    for cls, color, marker in ((0, "C0", "o"), (1, "C3", "s")):
        pts = X[y == cls]
        ax.scatter(
            pts[:, 0],
            pts[:, 1],
            s=110,
            c=color,
            marker=marker,
            edgecolors="k",
            zorder=3,
            label=f"class {cls}",
        )
    if binary:
        for output, color in enumerate(region_colors):
            ax.fill_between([], [], color=color, alpha=0.55, label=f"output {output} region")
    for (x0, x1), p in zip(X, p_points, strict=True):
        ax.annotate(
            f"output {p:.0f}" if binary else f"p={p:.2f}",
            (x0, x1),
            xytext=(0, 12),
            textcoords="offset points",
            ha="center",
            fontsize=9,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "alpha": 0.8, "lw": 0},
        )
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])
    ax.set_aspect("equal")
    ax.locator_params(nbins=5)  # few enough ticks that their labels never collide
    ax.grid(False)
    if title:
        ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, fontsize=9, frameon=False)
    return ax


def plot_gradient_descent_1d(
    loss: Callable[[np.ndarray], Any],
    paths: Mapping[str, Sequence[float]],
    *,
    x_range: tuple[float, float] | None = None,
    num: int = 401,
) -> plt.Figure:
    """One panel per run: the 1-D loss curve and the points x_0, x_1, ... that a run visited.

    ``paths`` maps a label (e.g. "lr = 0.1") to the sequence of x values. Points that leave
    ``x_range`` (default: 1.2 times the largest start, both sides of 0) are reported, not drawn.
    Used in notebook 00.
    """
    if not callable(loss):
        raise ValueError(f"loss must be callable, got {loss!r}")
    if not isinstance(paths, Mapping) or not paths:
        raise ValueError("paths must be a non-empty mapping of label to a sequence of x values")
    arrays = {}
    for label, path in paths.items():
        values = np.asarray(path, dtype=float).ravel()
        if values.size == 0 or not np.isfinite(values[0]):
            raise ValueError(f"paths[{label!r}] must start with a finite x value")
        arrays[str(label)] = values
    if x_range is None:
        r = 1.2 * max(abs(v[0]) for v in arrays.values()) or 1.0
        x_range = (-r, r)
    low, high = _check_range(x_range)
    if num < 2:
        raise ValueError(f"num must be at least 2 points, got {num}")
    xs = np.linspace(low, high, num)
    curve = np.asarray(loss(xs), dtype=float)
    if curve.shape != xs.shape:
        raise ValueError(f"loss returned shape {curve.shape}; expected {xs.shape}, one per x")
    n = len(arrays)
    cols = n if n <= 3 else (2 if n == 4 else 3)
    rows = -(-n // cols)
    fig, axes = plt.subplots(
        rows, cols, figsize=(3.6 * cols, 3.2 * rows), sharey=True, squeeze=False
    )
    for ax, (label, values) in zip(axes.flat, arrays.items(), strict=False):
        ax.plot(xs, curve, color="0.5", lw=1.5)
        inside = np.isfinite(values) & (values >= low) & (values <= high)
        first_out = int(np.argmin(inside)) if not inside.all() else None
        shown = values[: first_out if first_out is not None else len(values)]
        if first_out is not None and np.isfinite(values[first_out]):  # the step leaving the plot
            exit_x = values[first_out - 1 : first_out + 1]
            exit_y = np.asarray(loss(exit_x), dtype=float)
            ax.plot(exit_x, exit_y, "-", color="C3", lw=1, clip_on=True)
        ax.plot(shown, np.asarray(loss(shown), dtype=float), "-o", color="C3", ms=4, lw=1)
        ax.plot(shown[:1], np.asarray(loss(shown[:1]), dtype=float), "o", color="k", ms=7)
        steps = len(values) - 1
        if first_out is None:
            last = values[-1]
            note = f"after {steps} steps: x = {last:.3g}\nloss = {float(loss(np.array(last))):.3g}"
        else:
            note = f"leaves the plot at step {first_out}\n(|x| keeps growing)"
        ax.text(0.5, 0.97, note, transform=ax.transAxes, ha="center", va="top", fontsize=9)
        ax.set_title(label)
        ax.set_xlabel("x (the weight)")
        ax.set_xlim(low, high)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_ylabel("loss(x)")
    top = float(np.nanmax(curve))
    axes[0, 0].set_ylim(float(np.nanmin(curve)) - 0.05 * top, 1.3 * top)
    fig.tight_layout()
    return fig


def plot_runs(
    runs: Mapping[str, Any],
    metric: str = "loss",
    *,
    ax: Axes | None = None,
    log_y: bool = False,
    xlabel: str = "epoch",
) -> Axes:
    """One metric of several runs on shared axes. Used in notebooks 04, 05, 07 and 09."""
    if not isinstance(runs, Mapping) or not runs:
        raise ValueError("runs must be a non-empty mapping of run name to a History or dict")
    curves = {}
    for name, history in runs.items():
        data = _history_dict(history)
        if metric not in data:
            raise ValueError(f"run {name!r} has no metric {metric!r}; it has {sorted(data)}")
        if not data[metric]:
            raise ValueError(f"run {name!r}: metric {metric!r} has no values")
        curves[str(name)] = data[metric]
    ax = _new_axes(ax)
    for name, values in curves.items():
        steps = np.arange(1, len(values) + 1)
        marker = "o" if len(values) <= 30 else None
        ax.plot(steps, values, marker=marker, markersize=3, label=name)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(metric)
    if log_y:
        ax.set_yscale("log")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside the plot: hides no data
    return ax


MAX_GRID_IMAGES = 100


def plot_image_grid(
    images: Any,
    labels: Sequence[Any] | None = None,
    *,
    predictions: Sequence[Any] | None = None,
    ncols: int = 8,
    class_names: Sequence[str] | None = None,
    cmap: str = "binary",
    title: str | None = None,
) -> plt.Figure:
    """Images (n, h, w[, 1 or 3]) in a grid, with labels. Used in notebooks 06, 07, 08 and 10."""
    x = np.asarray(images)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if not (x.ndim == 3 or (x.ndim == 4 and x.shape[-1] == 3)) or x.shape[0] == 0:
        raise ValueError(
            f"images must be a non-empty batch shaped (n, height, width) or "
            f"(n, height, width, 1 or 3), got shape {np.shape(images)}"
        )
    n = x.shape[0]
    if n > MAX_GRID_IMAGES:
        raise ValueError(f"got {n} images; show at most {MAX_GRID_IMAGES} in one grid")
    if isinstance(ncols, bool) or not isinstance(ncols, int | np.integer) or ncols < 1:
        raise ValueError(f"ncols must be a positive int, got {ncols!r}")

    def as_list(values: Any, name: str) -> list[Any] | None:
        if values is None:
            return None
        values = np.asarray(values).ravel().tolist()
        if len(values) != n:
            raise ValueError(f"got {len(values)} {name} for {n} images; expected one per image")
        return values

    labels, predictions = as_list(labels, "labels"), as_list(predictions, "predictions")

    def name(value: Any) -> str:
        return str(class_names[int(value)]) if class_names is not None else str(value)

    ncols = min(int(ncols), n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.15 * ncols, 1.3 * nrows), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        ax.imshow(x[i], cmap=cmap if x.ndim == 3 else None)
        parts, color = [], "black"
        if labels is not None:
            parts.append(name(labels[i]))
        if predictions is not None:
            parts.append(f"pred {name(predictions[i])}")
            if labels is not None and predictions[i] != labels[i]:
                color = "crimson"
        if parts:
            ax.set_title(" | ".join(parts), fontsize=9, color=color)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig
