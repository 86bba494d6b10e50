"""Notebook setup: quiet logs, seeds, plot defaults, a version report, saving figures, and
capturing TensorFlow's warnings."""

from __future__ import annotations

import contextlib
import logging
import os
import platform
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import matplotlib as mpl
import numpy as np

# In TF 2.21 only these two together keep stderr clean; they must be set before TF is imported.
QUIET_TF_ENV = {"TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0"}

# Lines TensorFlow's C++ side writes straight to file descriptor 2 while it loads, whatever
# TF_CPP_MIN_LOG_LEVEL says: they are logged before absl's logging is initialised.
TF_LOG_LINE = re.compile(
    r"^(\s*"
    r"|[IWEF]\d{4} [\d:.]+\s+\d+ \S+:\d+\].*"  # absl C++ log line
    r"|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+: [IWEF] \S+:\d+\].*"  # TF C++ log line
    r"|WARNING: All log messages before absl::InitializeLog\(\) is called .*"
    r"|.*oneDNN custom operations are on.*"
    r"|.*This TensorFlow binary is optimized to use available CPU instructions.*"
    r"|To enable the following instructions: .*"
    r")$"
)

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
    """Quiet TF's C++ logs, seed Python/NumPy/TF, set plot and print defaults, print versions."""
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"seed must be a non-negative int, got {seed!r}")
    if "tensorflow" not in sys.modules:
        for name, value in QUIET_TF_ENV.items():
            os.environ.setdefault(name, value)
    with _native_stderr_without_tf_logs():
        import tensorflow as tf  # only now: after the log settings

        tf.config.list_physical_devices()  # probing devices logs too; do it while filtered

    tf.keras.utils.set_random_seed(seed)  # seeds Python's random, NumPy and TensorFlow
    if deterministic:
        tf.config.experimental.enable_op_determinism()
    np.set_printoptions(precision=4, suppress=True)
    mpl.rcParams.update(PLOT_STYLE)
    if report:
        print(version_report())


def is_tf_log_noise(text: str) -> bool:
    """True if every line of ``text`` is a TensorFlow/absl start-up log line (or blank)."""
    return all(TF_LOG_LINE.match(line) for line in text.splitlines())


# A memory address in a repr, such as "<function f at 0x7f3a2c>"; it changes from run to run.
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


@contextlib.contextmanager
def capture_tf_warnings() -> Iterator[list[str]]:
    """Collect TF's Python-logger warnings in the block into the yielded list, minus addresses."""
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


@contextlib.contextmanager
def _native_stderr_without_tf_logs() -> Iterator[None]:
    """Capture what C++ code writes to fd 2; afterwards pass on every line that is not TF noise."""
    sys.stderr.flush()
    saved_fd = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved_fd, 2)
            os.close(saved_fd)
            captured.seek(0)
            text = captured.read().decode(errors="replace")
            kept = [line for line in text.splitlines() if not TF_LOG_LINE.match(line)]
            if kept:
                print("\n".join(kept), file=sys.stderr)


def version_report() -> str:
    """One line with the Python, TensorFlow, Keras and NumPy versions and the visible devices."""
    import tensorflow as tf

    devices = sorted({d.device_type for d in tf.config.list_physical_devices()})
    python = ".".join(platform.python_version_tuple()[:2])
    return (
        f"Python {python} | TensorFlow {tf.__version__} | Keras {tf.keras.__version__} | "
        f"NumPy {np.__version__} | devices: {', '.join(devices)}"
    )


def save_fig(fig: mpl.figure.Figure, name: str, directory: str | os.PathLike = "images") -> Path:
    """Save ``fig`` as ``directory/name`` (PNG unless .svg/.pdf is given); return the path."""
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
