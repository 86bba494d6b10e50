"""Helpers for the TensorFlow/Keras course: notebook setup, plotting and offline data.

Notebooks need one line, ``import helpers``, then call ``helpers.setup_notebook()``.
Nothing here imports TensorFlow at import time, so the setup call can still quiet its logs.
"""

from helpers.notebook import save_fig, setup_notebook
from helpers.plotting import plot_functions, plot_history

__all__ = ["plot_functions", "plot_history", "save_fig", "setup_notebook"]
