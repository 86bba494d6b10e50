"""Helpers for the TensorFlow/Keras course: notebook setup, plotting and offline data.

Notebooks need one line, ``import helpers``, then call ``helpers.setup_notebook()``.
Nothing here imports TensorFlow at import time, so the setup call can still quiet its logs.
"""

from helpers.notebook import save_fig, setup_notebook
from helpers.plotting import (
    ACTIVATION_NAMES,
    plot_activations,
    plot_decision_boundary,
    plot_functions,
    plot_gradient_descent_1d,
    plot_history,
    plot_runs,
    plot_softmax,
)

__all__ = [
    "ACTIVATION_NAMES",
    "plot_activations",
    "plot_decision_boundary",
    "plot_functions",
    "plot_gradient_descent_1d",
    "plot_history",
    "plot_runs",
    "plot_softmax",
    "save_fig",
    "setup_notebook",
]
