"""Notebook setup: quiet logs, seeds, plot defaults, a version report, saving figures, and
capturing TensorFlow's warnings.

How TensorFlow's start-up logs are kept quiet is plumbing, in ``helpers/_tf_logs.py``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import platform
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import matplotlib as mpl
import numpy as np

from helpers._tf_logs import native_stderr_without_tf_logs, set_quiet_tf_env

PLOT_STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 10,
    "legend.framealpha": 0.85,
}

_FIGURE_SUFFIXES = {".png", ".svg", ".pdf"}


def setup_notebook(seed: int = 42, *, deterministic: bool = True, report: bool = True) -> None:
    """Quiet TF logs, seed, set plot/print defaults, print versions. Used in every notebook."""
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    if "tensorflow" not in sys.modules:
        set_quiet_tf_env()
    with native_stderr_without_tf_logs():
        import tensorflow as tf  # only now: after the log settings

        tf.config.list_physical_devices()  # probing devices logs too; do it while filtered

    tf.keras.utils.set_random_seed(seed)  # seeds Python's random, NumPy and TensorFlow
    if deterministic:
        tf.config.experimental.enable_op_determinism()
    np.set_printoptions(precision=4, suppress=True)
    mpl.rcParams.update(PLOT_STYLE)
    if report:
        print(version_report())


# A memory address in a repr, such as "<function f at 0x7f3a2c>"; it changes from run to run.
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


@contextlib.contextmanager
def capture_tf_warnings() -> Iterator[list[str]]:
    """Collect TF's Python-logger warnings in the block. Used in notebooks 03 and 07."""
    import tensorflow as tf

    logger = tf.get_logger()  # TF configures its logger on first use: do that before filtering
    messages: list[str] = []

    def keep(record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True  # let lower levels reach the usual handlers
        messages.append(_ADDRESS.sub("", record.getMessage()))
        return False  # captured: not printed

    logger.addFilter(keep)
    try:
        yield messages
    finally:
        logger.removeFilter(keep)


def version_report() -> str:
    """One line: Python, TensorFlow, Keras and NumPy versions, devices. Used in every notebook."""
    import tensorflow as tf

    devices = sorted({d.device_type for d in tf.config.list_physical_devices()})
    python = ".".join(platform.python_version_tuple()[:2])
    return (
        f"Python {python} | TensorFlow {tf.__version__} | Keras {tf.keras.__version__} | "
        f"NumPy {np.__version__} | devices: {', '.join(devices)}"
    )


def save_fig(fig: mpl.figure.Figure, name: str, directory: str | os.PathLike = "images") -> Path:
    """Save ``fig`` as ``directory/name`` (PNG by default). Used in notebooks 01 and 10."""
    if not isinstance(fig, mpl.figure.Figure):
        raise ValueError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise ValueError(
            f"name must be a plain file name of letters, digits, '_', '-' or '.', got {name!r}"
        )
    path = Path(directory) / name
    if path.suffix == "":
        path = path.with_suffix(".png")
    elif path.suffix not in _FIGURE_SUFFIXES:
        raise ValueError(
            f"unsupported figure type {path.suffix!r}; use one of {sorted(_FIGURE_SUFFIXES)}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    return path


def empty_build_dir(name: str) -> Path:
    """Empty build/<name> at the course's top (ignored by git). Used in notebooks 06, 07 and 10."""
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise ValueError(f"name must be a plain folder name such as '06_tf_data', got {name!r}")
    # Notebooks run in notebooks/ (Jupyter, nbval) or at the top of the repository (a script).
    here = Path.cwd()
    top = here.parent if here.name == "notebooks" else here
    folder = top / "build" / name
    shutil.rmtree(folder, ignore_errors=True)  # start empty, whatever an earlier run left
    folder.mkdir(parents=True)
    return folder
