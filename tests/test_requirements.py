"""Two requirement sets: a learner's `make lab` and `make test` install no contributors' tools.

requirements.txt holds what reading, running and testing the notebooks needs; ruff,
pre-commit, Playwright and the workflow check live in requirements-dev.txt, which only the
targets that use them install (`make -n -B` prints what each target would run, installing
nothing). Both sets pin exact versions; a learner's Python 3.12 needs setuptools 66 or newer.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONTRIBUTOR_TOOLS = {"ruff", "pre-commit", "playwright", "check-jsonschema"}


def pins(name: str) -> dict[str, str]:
    """Each package a requirements file names, lower-cased, with its pinned version."""
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    found = [re.split(r"\[[^]]*\]|==", line) for line in lines if line and line[0] != "#"]
    assert all(len(parts) >= 2 for parts in found), f"{name}: pin exact versions"
    return {parts[0].lower(): parts[-1] for parts in found}


def test_learners_requirements_hold_no_contributor_tool_and_no_binary_wrapper():
    learner, dev = pins("requirements.txt"), pins("requirements-dev.txt")
    assert {"tensorflow", "tensorflow-datasets", "numpy", "matplotlib", "jupyterlab"} <= set(
        learner
    )
    assert {"nbval", "pytest"} <= set(learner), "make test runs on the learner's set"
    assert not set(learner) & CONTRIBUTOR_TOOLS, set(learner) & CONTRIBUTOR_TOOLS
    assert set(dev) >= CONTRIBUTOR_TOOLS and not set(dev) & set(learner), "each in one set"
    assert not any("actionlint" in name for name in {*learner, *dev}), "no unofficial binaries"
    # setuptools 65 called pkgutil.ImpImporter, which Python 3.12 removed (issue 13).
    assert int(learner["setuptools"].split(".")[0]) >= 66


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize(
    ("target", "learner", "dev"),
    [
        ("lab", True, False),
        ("test", True, False),
        ("lint", False, True),
        ("format", False, True),
        ("test-browser", True, True),
    ],
)
def test_each_target_installs_only_the_sets_it_needs(target, learner, dev):
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    command = ["make", "--no-print-directory", "-n", "-B", target]  # prints, installs nothing
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env, check=True)
    assert ("-r requirements.txt" in run.stdout) == learner, run.stdout
    assert ("-r requirements-dev.txt" in run.stdout) == dev, run.stdout
