"""conftest.py's patch of nbval works, proven on small notebooks (as nbval's own tests do).

The patch drops stderr outputs made only of TensorFlow's C++ start-up log lines before nbval
compares a cell's outputs. Each sample notebook holds one executed code cell whose stored
outputs differ from a fresh run's in one way; strict nbval runs them in a subprocess, once with
the course's conftest.py and once without it. An nbval upgrade that renames or changes the
patched method makes the first group fail here, not in a notebook weeks later.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

pytestmark = pytest.mark.process  # starts pytest and one kernel per notebook

ROOT = Path(__file__).resolve().parents[1]
TF_LOG = (
    "2026-12-03 10:00:00.123456: I tensorflow/core/util/port.cc:153] oneDNN custom operations "
    "are on. You may see slightly different numerical results.\n"
)
FRESH_TF_LOG = TF_LOG.replace("10:00:00.123456", "11:59:59.654321")
KERNELSPEC = {"display_name": "Python 3", "language": "python", "name": "python3"}
WARNING = "UserWarning: a real warning that the lesson shows\n"


def stdout(text: str):
    return new_output("stream", name="stdout", text=text)


def stderr(text: str):
    return new_output("stream", name="stderr", text=text)


# name -> (code, stored outputs, passes with the patch, passes without it)
SAMPLES = {
    "stored_tf_log": ("print(2 + 2)", [stdout("4\n"), stderr(TF_LOG)], True, False),
    "fresh_tf_log": (
        f"import sys\nprint(2 + 2)\n_ = sys.stderr.write({FRESH_TF_LOG!r})",
        [stdout("4\n")],
        True,
        False,
    ),
    "different_tf_log_lines": (
        f"import sys\n_ = sys.stderr.write({FRESH_TF_LOG!r})",
        [stderr(TF_LOG)],
        True,
        False,
    ),
    "real_difference": ("print(2 + 2)", [stdout("5\n"), stderr(TF_LOG)], False, False),
    "stored_warning_missing": ("print(2 + 2)", [stdout("4\n"), stderr(WARNING)], False, False),
    "same_output": ("print(2 + 2)", [stdout("4\n")], True, True),
}


def write_samples(folder: Path) -> None:
    folder.mkdir()
    for name, (code, outputs, _, _) in SAMPLES.items():
        cell = new_code_cell(code, execution_count=1, outputs=outputs)
        nb = new_notebook(cells=[cell], metadata={"kernelspec": KERNELSPEC})
        nbformat.write(nb, folder / f"{name}.ipynb")


def outcomes(folder: Path) -> dict[str, str]:
    """Run strict nbval over `folder`; each notebook's outcome, 'passed' or 'failed'."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:xdist",
         "-p", "no:cacheprovider", "-q", "-rA", "--rootdir", str(folder), str(folder)],
        capture_output=True, text=True, cwd=folder, timeout=300,
    )  # fmt: skip
    found = dict(
        (m[2], m[1].lower())
        for m in re.finditer(r"^(PASSED|FAILED|ERROR) (\w+)\.ipynb::", run.stdout, re.M)
    )
    assert set(found) == set(SAMPLES), run.stdout[-3000:] + run.stderr[-3000:]
    return found


def test_tf_log_lines_are_ignored_and_real_differences_still_fail(tmp_path):
    write_samples(tmp_path / "patched")
    shutil.copy(ROOT / "conftest.py", tmp_path / "patched" / "conftest.py")
    write_samples(tmp_path / "plain")
    patched, plain = outcomes(tmp_path / "patched"), outcomes(tmp_path / "plain")
    for name, (_, _, with_patch, without_patch) in SAMPLES.items():
        assert patched[name] == ("passed" if with_patch else "failed"), (name, patched)
        # Without conftest.py, plain nbval fails every sample that differs: the samples are real.
        assert plain[name] == ("passed" if without_patch else "failed"), (name, plain)
