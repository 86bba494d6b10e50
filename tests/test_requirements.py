"""Two requirement sets: a learner's `make lab` and `make test` install no contributors' tools.

requirements.txt holds what reading, running and testing the notebooks needs; ruff,
pre-commit, Playwright and the workflow check live in requirements-dev.txt, which only the
targets that use them install (`make -n -B` prints what each target would run, installing
nothing).
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


def names(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {re.split(r"[=<>\[ ]", line)[0].lower() for line in lines if line and line[0] != "#"}


def test_learners_requirements_hold_no_contributor_tool_and_no_binary_wrapper():
    learner, dev = names(ROOT / "requirements.txt"), names(ROOT / "requirements-dev.txt")
    assert {"tensorflow", "tensorflow-datasets", "numpy", "matplotlib", "jupyterlab"} <= learner
    assert {"nbval", "pytest"} <= learner, "make test runs on the learner's set"
    assert not learner & CONTRIBUTOR_TOOLS, learner & CONTRIBUTOR_TOOLS
    assert dev >= CONTRIBUTOR_TOOLS and not dev & learner, "each tool in exactly one set"
    assert not any("actionlint" in name for name in learner | dev), "no unofficial binaries"


def make_dry_run(target: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    run = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", target],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return run.stdout


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
    commands = make_dry_run(target)
    assert ("-r requirements.txt" in commands) == learner, commands
    assert ("-r requirements-dev.txt" in commands) == dev, commands
