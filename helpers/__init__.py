"""Helpers for the TensorFlow/Keras course: notebook setup, plotting and offline data.

Notebooks need one line, ``import helpers``, then call ``helpers.setup_notebook()``.
Nothing here imports TensorFlow at import time, so the setup call can still quiet its logs.
"""

from helpers.diagrams import (
    draw_broadcast,
    draw_computation_graph,
    draw_convolution,
    draw_data_parallel,
    draw_network,
    draw_neuron,
    draw_prefetch_timeline,
    draw_tracing,
)
from helpers.fonts import KoreanFontError, use_korean_font
from helpers.notebook import (
    capture_tf_warnings,
    empty_build_dir,
    save_fig,
    setup_notebook,
    version_report,
)
from helpers.plotting import (
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

# The data helpers load on first use, so that `python -m helpers.data` runs without a warning.
_DATA_EXPORTS = ("MnistDataError", "load_mnist", "mnist_idx_files", "mnist_tfds_dir")
# helpers.penguins reads helpers.data: loaded on first use too.
_PENGUIN_EXPORTS = ("PenguinDataError", "load_penguins")
# The launcher of notebook 10's workers: loaded on first use too.
_DISTRIBUTED_EXPORTS = ("local_cluster",)


def __getattr__(name: str):
    if name in _DATA_EXPORTS:
        from importlib import import_module

        return getattr(import_module("helpers.data"), name)
    if name in _PENGUIN_EXPORTS:
        from importlib import import_module

        return getattr(import_module("helpers.penguins"), name)
    if name in _DISTRIBUTED_EXPORTS:
        from importlib import import_module

        return getattr(import_module("helpers.distributed"), name)
    raise AttributeError(f"module 'helpers' has no attribute {name!r}")


__all__ = [
    "ACTIVATION_NAMES",
    "KoreanFontError",
    "capture_tf_warnings",
    "draw_broadcast",
    "draw_computation_graph",
    "draw_convolution",
    "draw_data_parallel",
    "draw_network",
    "draw_neuron",
    "draw_prefetch_timeline",
    "draw_tracing",
    "empty_build_dir",
    "plot_activations",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_gradient_descent_1d",
    "plot_history",
    "plot_image_grid",
    "plot_learning_curves",
    "plot_runs",
    "plot_softmax",
    "save_fig",
    "setup_notebook",
    "use_korean_font",
    "version_report",
    *_DATA_EXPORTS,
    *_DISTRIBUTED_EXPORTS,
    *_PENGUIN_EXPORTS,
]
