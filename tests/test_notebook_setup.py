"""The setup cell as stamped, in a fresh process: locally it installs nothing, quiets TensorFlow
and seeds; on Colab (faked offline) it first pip-installs helpers from the course repository.
Then helpers.notebook's save_fig, capture_tf_warnings and empty_build_dir.
"""

import os
import subprocess
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import empty_build_dir, save_fig, setup_notebook
from tools.course import setup_source

ROOT = Path(__file__).resolve().parents[1]
COLAB_STAND_IN = """
import sys, types
sys.modules["google.colab"] = types.ModuleType("google.colab")
"""


@pytest.mark.process  # a fresh Python that imports TensorFlow
def test_setup_cell_installs_nothing_quiets_tf_seeds_and_reports_in_a_fresh_process(tmp_path):
    # One fresh process (TensorFlow's start-up is the slow part) runs the notebooks' setup cell
    # as stamped, then calls setup_notebook again. TensorFlow must not be imported before the
    # setup call, which sets its log level first. Without google.colab the cell only imports
    # helpers and runs the setup: pip must not be called (it would fail offline here).
    code = setup_source() + (
        "\nimport os, numpy as np\n"
        "for _ in range(2):\n"
        "    helpers.setup_notebook(seed=7)\n"
        "    import tensorflow as tf\n"
        "    print(round(float(np.random.rand()), 6), round(float(tf.random.uniform([])), 6))\n"
        "print(os.environ['TF_CPP_MIN_LOG_LEVEL'], os.environ['TF_ENABLE_ONEDNN_OPTS'])\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    env.update(PIP_NO_INDEX="1", PIP_TARGET=str(tmp_path / "never"))
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr == "", f"setup_notebook left TensorFlow noise on stderr:\n{run.stderr}"
    assert not (tmp_path / "never").exists(), "the local setup cell must install nothing"
    cell_report, report, first, report_again, second, levels = run.stdout.splitlines()
    assert report.startswith("Python 3.") and "TensorFlow 2." in report and "CPU" in report
    assert cell_report == report_again == report
    assert first == second, "the same seed must give the same numbers"
    assert first.split()[0] == str(round(float(np.random.RandomState(7).rand()), 6))
    assert levels == "2 0"


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


@pytest.mark.parametrize("seed", [-1, 1.5, "42", True])
def test_setup_rejects_bad_seeds(seed):
    with pytest.raises(ValueError, match="seed must be a non-negative int"):
        setup_notebook(seed=seed)


def test_save_fig_refuses_bad_names_and_non_figures_then_writes_png_by_default(tmp_path):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    for name in ["", "../escape", "a/b", "/abs", "x.jpg"]:
        with pytest.raises(ValueError, match=r"name|unsupported"):
            save_fig(fig, name, directory=tmp_path)
    with pytest.raises(ValueError, match="Figure"):
        save_fig(np.zeros(3), "x", directory=tmp_path)
    assert list(tmp_path.iterdir()) == [], "a refused figure must write nothing"
    path = save_fig(fig, "line", directory=tmp_path / "images")
    assert path == tmp_path / "images" / "line.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert save_fig(fig, "f.svg", directory=tmp_path).suffix == ".svg"


@pytest.mark.process  # loads TensorFlow (seconds)
def test_capture_tf_warnings_collects_warnings_without_addresses_and_cleans_up():
    """Notebooks 03 and 07 print what it collects (their retracing warnings, run by nbval)."""
    import tensorflow as tf

    from helpers import capture_tf_warnings

    logger = tf.get_logger()
    filters_before = list(logger.filters)
    with capture_tf_warnings() as warnings:
        logger.info("not a warning")
        logger.warning("object <f at 0x7f3a2c10> failed")
    assert warnings == ["object <f> failed"]
    assert logger.filters == filters_before, "the filter must be removed after the block"


def test_empty_build_dir_is_at_the_top_of_the_course_and_starts_empty(tmp_path, monkeypatch):
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")  # where Jupyter and nbval run a notebook
    first = empty_build_dir("06_tf_data")
    assert first == tmp_path / "build" / "06_tf_data" and first.is_dir()
    (first / "left over").write_text("from an earlier run")
    assert list(empty_build_dir("06_tf_data").iterdir()) == []
    monkeypatch.chdir(tmp_path)  # a script run from the top of the repository
    assert empty_build_dir("07_x") == tmp_path / "build" / "07_x"
    for name in ["", "../escape", "a/b", ".hidden", 7]:
        with pytest.raises(ValueError, match="plain folder name"):
            empty_build_dir(name)
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["06_tf_data", "07_x"]
