"""pytest configuration shared by the unit tests and the nbval notebook tests.

- TensorFlow's C++/absl start-up lines on stderr are dropped from both the stored and the
  fresh outputs before nbval compares them: they depend on the machine, not on the lesson.
  Any other stderr (a Python warning, say) is still compared.
- nbval's 5 s wait for a cell's output after it finishes is raised, so a slow, shared
  machine does not fail a notebook that is merely late.
- The summary lists each notebook's wall time and the total.
"""

from __future__ import annotations

import time
from collections import defaultdict

import pytest

from helpers._tf_logs import is_tf_log_noise

try:
    from nbval.plugin import IPyNbCell
except ImportError:  # nbval missing: the unit tests still run
    IPyNbCell = None

OUTPUT_TIMEOUT_S = 60


def is_tf_log_output(output: dict) -> bool:
    """True for a stderr stream output made only of TensorFlow/absl log lines."""
    if output.get("output_type") != "stream" or output.get("name") != "stderr":
        return False
    text = output.get("text", "")
    return is_tf_log_noise("".join(text) if isinstance(text, list) else text)


if IPyNbCell is not None:
    _compare_outputs = IPyNbCell.compare_outputs

    def _compare_without_tf_logs(self, test, ref, skip_compare=None):
        test = [o for o in test if not is_tf_log_output(o)]
        ref = [o for o in ref if not is_tf_log_output(o)]
        return _compare_outputs(self, test, ref, skip_compare)

    IPyNbCell.compare_outputs = _compare_without_tf_logs


def pytest_collection_modifyitems(items):
    for item in items:
        if IPyNbCell is not None and isinstance(item, IPyNbCell):
            item.output_timeout = OUTPUT_TIMEOUT_S


_notebook_seconds: dict[str, float] = defaultdict(float)
_session_start = time.perf_counter()


def pytest_runtest_logreport(report):
    path = report.nodeid.split("::", 1)[0]
    if path.endswith(".ipynb"):
        _notebook_seconds[path] += report.duration


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter):
    if not _notebook_seconds:
        return
    write = terminalreporter.write_line
    terminalreporter.section("notebook wall time (cell execution and comparison)")
    for path, seconds in sorted(_notebook_seconds.items()):
        write(f"{seconds:7.1f} s  {path}")
    write(f"{sum(_notebook_seconds.values()):7.1f} s  all notebooks")
    write(f"{time.perf_counter() - _session_start:7.1f} s  whole pytest session")
