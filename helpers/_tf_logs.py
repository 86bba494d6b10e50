"""Keeping TensorFlow's start-up logs out of the course's output (plumbing, not course content).

The one source of the quiet-TensorFlow settings: ``helpers.setup_notebook``, the MNIST
preparation, notebook 10's workers, ``benchmarks/run.py`` and the Makefile (which runs
``python helpers/_tf_logs.py`` to print them) all take ``QUIET_TF_ENV`` from here.
Standard library only, so the Makefile can run this file with any Python before ``.venv`` exists.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Iterator

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


def set_quiet_tf_env() -> None:
    """Set ``QUIET_TF_ENV`` in this process's environment, keeping values already set."""
    for name, value in QUIET_TF_ENV.items():
        os.environ.setdefault(name, value)


def is_tf_log_noise(text: str) -> bool:
    """True if every line of ``text`` is a TensorFlow/absl start-up log line (or blank)."""
    return all(TF_LOG_LINE.match(line) for line in text.splitlines())


def without_tf_log_lines(text: str) -> list[str]:
    """The lines of ``text`` that are not TensorFlow/absl start-up log lines."""
    return [line for line in text.splitlines() if not TF_LOG_LINE.match(line)]


@contextlib.contextmanager
def native_stderr_without_tf_logs() -> Iterator[None]:
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
            kept = without_tf_log_lines(captured.read().decode(errors="replace"))
            if kept:
                print("\n".join(kept), file=sys.stderr)


if __name__ == "__main__":  # the Makefile's NB_ENV: NAME=value pairs on one line
    print(" ".join(f"{name}={value}" for name, value in QUIET_TF_ENV.items()))
