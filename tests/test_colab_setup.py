"""The setup cell's Colab branch, run offline: a stand-in `google.colab` module and a file:// clone.

The cell must pip-install the helpers package from the course repository and then run
`helpers.setup_notebook()` from that fresh install. pip is pointed at a temporary target
folder and forbidden to reach any index, so nothing outside the test's tmp_path changes.
The local branch (no google.colab: install nothing) is checked in the same fresh process as
setup_notebook itself (tests/test_notebook_setup.py); the URL the cell installs from, by
tests/test_stamp.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tools.course import setup_source

ROOT = Path(__file__).resolve().parents[1]

COLAB_STAND_IN = """
import sys, types
sys.modules["google.colab"] = types.ModuleType("google.colab")
"""


@pytest.mark.process  # git clone, pip install, a fresh TensorFlow
@pytest.mark.skipif(
    subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True).returncode,
    reason="needs a git checkout with at least one commit",
)
def test_colab_branch_installs_helpers_from_the_repository(tmp_path):
    clone = tmp_path / "clone"
    # A full local clone: pip's partial clone of a shallow file:// repository never ends.
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    target = tmp_path / "site"
    target.mkdir()
    cell = setup_source(url=f"file://{clone}")
    command = [sys.executable, "-c", COLAB_STAND_IN + cell + "\nprint(helpers.__file__)"]
    env = {
        **os.environ,
        "PIP_TARGET": str(target),
        "PIP_NO_INDEX": "1",  # the test must not reach the network
        "PIP_NO_DEPS": "1",  # Colab already has numpy, matplotlib and tqdm
        "PIP_NO_BUILD_ISOLATION": "0",  # build with this venv's setuptools, offline
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PYTHONPATH": str(target),
    }
    run = subprocess.run(
        command, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[0].startswith("Python 3.") and "TensorFlow" in lines[0]
    assert lines[-1] == str(target / "helpers" / "__init__.py")
    assert (target / "helpers" / "plotting.py").is_file()
