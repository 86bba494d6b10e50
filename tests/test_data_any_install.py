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
from helpers import data, penguins
print(helpers.__file__)
print(penguins.penguins_csv())
print(len(penguins.load_penguins()["species"]))
print(data.find_data_root())
images, labels = data.load_mnist("test")
print(images.shape, labels.shape)
"""


@pytest.mark.process  # pip install, then two fresh Pythons
def test_a_plain_install_finds_mnist_next_to_the_notebooks_and_carries_the_penguins(tmp_path):
    clone = tmp_path / "course clone"  # a space in the path, as learners' folders often have
    shutil.copytree(ROOT / "helpers", clone / "helpers", ignore=shutil.ignore_patterns("__py*"))
    for folder in ("mnist", "penguins"):
        shutil.copytree(ROOT / "data" / folder, clone / "data" / folder)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, clone / name)
    (clone / "notebooks").mkdir()
    (tmp_path / "elsewhere").mkdir()
    site = tmp_path / "site"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COURSE_DATA_DIR")}

    def run(*command, cwd=tmp_path):
        return subprocess.run(
            command, capture_output=True, text=True, env=env, cwd=cwd, timeout=180
        )

    offline = "--quiet --no-deps --no-index --no-build-isolation --disable-pip-version-check"
    install = run(sys.executable, "-m", "pip", "install", *offline.split(), "--target", site, clone)
    assert install.returncode == 0, install.stdout + install.stderr
    assert (site / "helpers" / "data.py").is_file()
    assert not (site / "data").exists()  # data/ is never part of the package

    found = run(sys.executable, "-c", PROBE, str(site), cwd=clone / "notebooks")
    assert found.returncode == 0, found.stderr
    package, _, rows, root, shapes = found.stdout.splitlines()
    assert Path(package) == site / "helpers" / "__init__.py"
    assert Path(root) == clone / "data"
    assert (rows, shapes) == ("333", "(10000, 28, 28) (10000,)")

    # Outside any clone, the penguins table comes with the package (pyproject's data-files,
    # as on Colab), and MNIST's error says what it looked for and how to fix it.
    lost = run(sys.executable, "-c", PROBE, str(site), cwd=tmp_path / "elsewhere")
    assert lost.returncode != 0
    _, where, rows, root = lost.stdout.splitlines()
    assert Path(where).resolve().is_relative_to(site.resolve()), where
    assert (rows, root) == ("333", "None")
    assert "data/mnist folder was not found" in lost.stderr
    assert "COURSE_DATA_DIR" in lost.stderr
