"""The course supports Python 3.11 to 3.13; another interpreter gets one clear line from make."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# Answers `-V` like Python 3.10 and fails every `-c` check, as an old interpreter would.
FAKE_PYTHON = """#!/bin/sh
if [ "$1" = "-V" ]; then echo "Python 3.10.13"; exit 0; fi
exit 1
"""
# What the Makefile needs to reach its Python check.
COPIED = ["Makefile", "requirements.txt", "requirements-dev.txt", "pyproject.toml"]


def supported() -> str:
    """The versions the Makefile names, e.g. "3.11, 3.12 or 3.13"."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return re.search(r"^SUPPORTED_PYTHON := (.+)$", makefile, re.MULTILINE)[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize("target", ["install", "lint"])
def test_make_refuses_an_unsupported_python_in_one_line(tmp_path, target):
    for name in [*COPIED, "helpers/_tf_logs.py"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    python = tmp_path / "python3.10"
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    # Run as a top-level make even under `make test`, whose MAKELEVEL would prefix make[1].
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    command = ["make", "--no-print-directory", target, f"PYTHON={python}"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=env)
    assert result.returncode != 0
    assert not (tmp_path / ".venv").exists(), "no environment may be built with it"
    make_lines = re.compile(r"make(\[\d+\])?: ")
    message = [line for line in result.stderr.splitlines() if not make_lines.match(line)]
    # One line that names the interpreter, its version, the supported ones and a way out.
    assert len(message) == 1, result.stderr
    for part in (str(python), "Python 3.10.13", supported(), "PYTHON="):
        assert part in message[0], (part, message[0])


def test_pyproject_readme_and_makefile_name_the_same_versions():
    versions = re.findall(r"3\.\d+", supported())
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == f">={versions[0]}"
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"Python {supported()}" in readme
