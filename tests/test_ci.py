"""The CI set-up says what it does: the workflow and .ci/run run every check; Colab's pins hold.

Which runner or Python version a job uses, and in which order, is CI's business, not pinned here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ["make lint", "make test", "make test-colab", "make test-browser"]


def test_the_workflow_and_ci_run_run_every_check_on_push_and_pull_request():
    workflow = yaml.safe_load((ROOT / ".github/workflows/test.yml").read_text(encoding="utf-8"))
    assert set(workflow.get("on", workflow.get(True))) == {"push", "pull_request"}  # YAML 1.1
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    runs = [step["run"] for step in steps if step.get("run", "").startswith("make ")]
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for target in TARGETS:
        assert any(re.fullmatch(rf"{target}( .*)?", run) for run in runs), target
        assert target in script, f".ci/run does not run {target}"


def test_colab_pins_are_exact_and_keep_protobuf_below_6():
    # Exact pins make `make test-colab` reproducible; which versions is the file's business.
    lines = (ROOT / "tests" / "colab-requirements.txt").read_text(encoding="utf-8").splitlines()
    pins = [line for line in lines if line and not line.startswith("#")]
    assert pins and all(re.fullmatch(r"[\w.-]+==[\w.]+", line) for line in pins), pins
    versions = dict(line.split("==") for line in pins)
    assert {"tensorflow", "keras", "numpy", "tensorflow-datasets"} <= set(versions)
    # TFDS fails to import on Colab's TensorFlow with protobuf 6 (see the file's comment).
    assert int(versions["protobuf"].split(".")[0]) < 6


def test_jupyter_server_turns_off_websocket_pings():
    server = json.loads((ROOT / "jupyter" / "jupyter_server_config.json").read_text("utf-8"))
    # Pings off: a timeout above the interval makes Tornado warn, and one equal to it makes
    # Jupyter Server close every kernel websocket one interval after it opens (jupyter/README.md).
    assert server["ServerApp"]["tornado_settings"] == {"ws_ping_interval": 0}
