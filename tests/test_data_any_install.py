"""helpers.data finds the course's data/ from a plain (non-editable) install, as on Binder,
Kaggle or a laptop that ran the Colab setup cell's `pip install git+...`.

The package is installed into a temporary --target without its dependencies, offline, from a
copy of the repository; a fresh Python then runs from that copy's notebooks/ folder, as a
notebook's kernel does, and must read MNIST from the copy's data/mnist.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PROBE = """
import sys
sys.path.insert(0, sys.argv[1])  # the plain install, ahead of this venv's editable one
import helpers
from helpers import data
images, labels = data.load_mnist("test")
print(helpers.__file__)
print(data.find_data_root())
print(images.shape, labels.shape)
"""


PENGUIN_PROBE = """
import sys
sys.path.insert(0, sys.argv[1])
from helpers import penguins
print(penguins.penguins_csv())
print(len(penguins.load_penguins()["species"]))
"""


@pytest.mark.process  # pip install, then two fresh Pythons
def test_a_plain_install_finds_mnist_next_to_the_notebooks(tmp_path):
    clone = tmp_path / "course clone"  # a space in the path, as learners' folders often have
    shutil.copytree(ROOT / "helpers", clone / "helpers", ignore=shutil.ignore_patterns("__py*"))
    shutil.copytree(ROOT / "data" / "mnist", clone / "data" / "mnist")
    shutil.copytree(ROOT / "data" / "penguins", clone / "data" / "penguins")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, clone / name)
    (clone / "notebooks").mkdir()
    site = tmp_path / "site"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COURSE_DATA_DIR")}
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--no-build-isolation", "--disable-pip-version-check", "--target", str(site), str(clone)],
        capture_output=True, text=True, env=env, timeout=180,
    )  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    assert (site / "helpers" / "data.py").is_file()
    assert not (site / "data").exists()  # data/ is never part of the package

    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(site)],
        capture_output=True, text=True, env=env, cwd=clone / "notebooks", timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    package, found, shapes = run.stdout.splitlines()
    assert Path(package) == site / "helpers" / "__init__.py"
    assert Path(found) == clone / "data"
    assert shapes == "(10000, 28, 28) (10000,)"

    # From a folder outside any clone, the same install says what it looked for and how to fix it.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    lost = subprocess.run(
        [sys.executable, "-c", PROBE, str(site)],
        capture_output=True, text=True, env=env, cwd=elsewhere, timeout=120,
    )  # fmt: skip
    assert lost.returncode != 0
    assert "data/mnist folder was not found" in lost.stderr
    assert "COURSE_DATA_DIR" in lost.stderr

    # The penguins table travels with the package (pyproject's data-files), as on Colab.
    penguins = subprocess.run(
        [sys.executable, "-c", PENGUIN_PROBE, str(site)],
        capture_output=True, text=True, env=env, cwd=elsewhere, timeout=120,
    )  # fmt: skip
    assert penguins.returncode == 0, penguins.stderr
    where, rows = penguins.stdout.splitlines()
    assert Path(where).resolve().is_relative_to(site.resolve()), where
    assert rows == "333"
