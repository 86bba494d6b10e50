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
) -> Axes:
    """Plot metric curves (default: every metric) from a Keras History or dict, against epoch."""
    data = _history_dict(history)
    names = list(data) if metrics is None else list(metrics)
    if not names:
        raise ValueError("metrics is empty: name at least one metric to plot")
    unknown = [m for m in names if m not in data]
    if unknown:
        raise ValueError(f"unknown metric(s) {unknown}; this history has {sorted(data)}")
    ax = _new_axes(ax)
    for name in names:
        values = data[name]
        if not values:
            raise ValueError(f"metric {name!r} has no values")
        epochs = np.arange(1, len(values) + 1)
        marker = "o" if len(values) <= 30 else None
        curve_label = name if label is None else f"{label}: {name}"
        ax.plot(epochs, values, marker=marker, markersize=3, label=curve_label)
    ax.set_xlabel("epoch")
    ax.set_ylabel(names[0] if len(names) == 1 else "value")
    if log_y:
        ax.set_yscale("log")
    ax.legend()
    return ax


def plot_functions(
    functions: Mapping[str, Callable[[np.ndarray], Any]],
    x_range: tuple[float, float] = (-5.0, 5.0),
    *,
    num: int = 401,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Plot each ``name -> f(x)`` on one axes over ``x_range``; f must map an array to an array."""
    if not isinstance(functions, Mapping) or not functions:
        raise ValueError("functions must be a non-empty mapping of label to callable")
    for name, f in functions.items():
        if not callable(f):
            raise ValueError(f"functions[{name!r}] is not callable")
    if len(x_range) != 2 or not x_range[0] < x_range[1]:
        raise ValueError(f"x_range must be (low, high) with low < high, got {x_range!r}")
    if num < 2:
        raise ValueError(f"num must be at least 2 points, got {num}")
    x = np.linspace(float(x_range[0]), float(x_range[1]), num)
    ax = _new_axes(ax)
    for name, f in functions.items():
        y = np.asarray(f(x), dtype=float)
        if y.shape != x.shape:
            raise ValueError(
                f"functions[{name!r}] returned shape {y.shape}; expected {x.shape}, one value per x"
            )
        ax.plot(x, y, label=name)
    ax.axhline(0, color="0.6", lw=0.8)
    ax.axvline(0, color="0.6", lw=0.8)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax
