"""What make installs, and with which Python.

A learner's `make lab` and `make test` install requirements.txt only; the contributors' tools
(ruff, pre-commit, Playwright, the workflow check) are in requirements-dev.txt, which only the
targets that use them install. The course supports Python 3.11 to 3.13; another interpreter
gets one clear line from make.
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
# Run make as a top-level make even under `make test`, whose MAKELEVEL would prefix make[1].
MAKE_ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def pins(name: str) -> dict[str, str]:
    """Each package a requirements file names, lower-cased, with its pinned version."""
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    pinned = re.compile(r"([A-Za-z0-9_.-]+)(?:\[[^]]*\])?==([A-Za-z0-9_.+!-]+)")
    found = [pinned.fullmatch(line) for line in lines if line and line[0] != "#"]
    assert all(found), f"{name}: pin exact versions (name==version), one per line"
    return {match[1].lower(): match[2] for match in found}


def test_learners_requirements_hold_no_contributor_tool_and_no_binary_wrapper():
    learner_pins = pins("requirements.txt")
    learner, dev = set(learner_pins), set(pins("requirements-dev.txt"))
    assert {"tensorflow", "tensorflow-datasets", "numpy", "matplotlib", "jupyterlab"} <= learner
    assert {"nbval", "pytest"} <= learner, "make test runs on the learner's set"
    assert not learner & CONTRIBUTOR_TOOLS, learner & CONTRIBUTOR_TOOLS
    assert dev >= CONTRIBUTOR_TOOLS and not dev & learner, "each tool in exactly one set"
    assert not any("actionlint" in name for name in learner | dev), "no unofficial binaries"
    # setuptools 65 called pkgutil.ImpImporter, which Python 3.12 removed (issue 13).
    assert int(learner_pins["setuptools"].split(".")[0]) >= 66


@needs_make
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
    command = ["make", "--no-print-directory", "-n", "-B", target]  # prints, installs nothing
    run = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, env=MAKE_ENV, check=True
    )
    assert ("-r requirements.txt" in run.stdout) == learner, run.stdout
    assert ("-r requirements-dev.txt" in run.stdout) == dev, run.stdout


# Answers `-V` like Python 3.10 and fails every `-c` check, as an old interpreter would.
FAKE_PYTHON = """#!/bin/sh
if [ "$1" = "-V" ]; then echo "Python 3.10.13"; exit 0; fi
exit 1
"""

# What the Makefile needs to reach its Python check.
MAKEFILE_NEEDS = "Makefile requirements.txt requirements-dev.txt pyproject.toml helpers/_tf_logs.py"


@needs_make
@pytest.mark.parametrize("target", ["install", "lint"])
def test_make_refuses_an_unsupported_python_in_one_line(tmp_path, target):
    for name in MAKEFILE_NEEDS.split():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    python = tmp_path / "python3.10"
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    command = ["make", "--no-print-directory", target, f"PYTHON={python}"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=MAKE_ENV)
    assert result.returncode != 0
    assert not (tmp_path / ".venv").exists(), "no environment may be built with it"
    make_lines = re.compile(r"make(\[\d+\])?: ")
    message = [line for line in result.stderr.splitlines() if not make_lines.match(line)]
    # One line that names the interpreter, its version, the supported ones and a way out.
    assert len(message) == 1, result.stderr
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    supported = re.search(r"^SUPPORTED_PYTHON := (.+)$", makefile, re.MULTILINE)[1]
    for part in (str(python), "Python 3.10.13", supported, "PYTHON="):
        assert part in message[0], (part, message[0])
