"""helpers.distributed: workers get loopback TF_CONFIGs, and none survives its `with` block.

The clean-up tests start plain Python processes (one of which starts a grandchild), so they
are fast; two tests start real TensorFlow workers (about 10 s each on two cores).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from helpers import _processes, distributed
from helpers._processes import free_ports
from helpers.distributed import local_cluster, tf_config

FIT_WORKER = Path(__file__).with_name("keras_fit_worker.py")

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]
# A worker that starts a grandchild in its own process group, writes the grandchild's pid and
# its TF_CONFIG, then sleeps: killing only the worker would leave the grandchild behind.
PARENT = (
    "import os, subprocess, sys, time\n"
    "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
    "out = sys.argv[1]\n"
    "index = __import__('json').loads(os.environ['TF_CONFIG'])['task']['index']\n"
    "open(f'{out}/grandchild-{index}.tmp', 'w').write(str(child.pid))\n"
    "os.replace(f'{out}/grandchild-{index}.tmp', f'{out}/grandchild-{index}')\n"
    "open(f'{out}/tf_config-{index}', 'w').write(os.environ['TF_CONFIG'])\n"
    "time.sleep(120)\n"
)


def running(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: fall back to signal 0
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state not in ("Z", "X")


def wait_for_files(paths, seconds=30.0):
    deadline = time.monotonic() + seconds
    while not all(p.exists() for p in paths):
        assert time.monotonic() < deadline, f"workers did not write {paths}"
        time.sleep(0.05)


def test_free_ports_are_distinct_and_bindable():
    ports = free_ports(3)
    assert len(set(ports)) == 3
    for port in ports:
        with socket.socket() as s:
            s.bind(("127.0.0.1", port))


def test_free_ports_are_free_on_every_interface():
    # gRPC binds the workers' ports on 0.0.0.0, so they must be free there, not only on loopback.
    for port in free_ports(2):
        with socket.socket() as s:
            s.bind(("0.0.0.0", port))


@pytest.mark.parametrize("n", [0, -1, 1.5, True, "2"])
def test_free_ports_rejects_bad_counts(n):
    with pytest.raises(ValueError, match="positive int"):
        free_ports(n)


def test_tf_config_names_every_worker_on_loopback():
    config = json.loads(tf_config([2001, 2002], 1))
    assert config == {
        "cluster": {"worker": ["127.0.0.1:2001", "127.0.0.1:2002"]},
        "task": {"type": "worker", "index": 1},
    }


@pytest.mark.parametrize(
    ("ports", "index", "match"),
    [([], 0, "ports"), ([0], 0, "ports"), ([70000], 0, "ports"), ([2001], 1, "index")],
)
def test_tf_config_rejects_bad_input(ports, index, match):
    with pytest.raises(ValueError, match=match):
        tf_config(ports, index)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"argv": []}, "argv"),
        ({"argv": "python"}, "argv"),
        ({"num_workers": 0}, "num_workers"),
        ({"timeout": 0}, "timeout"),
    ],
)
def test_local_cluster_rejects_bad_input(tmp_path, kwargs, match):
    args = {"argv": SLEEPER, "log_dir": tmp_path, **kwargs}
    with pytest.raises(ValueError, match=match), local_cluster(**args):
        pass


def test_a_failing_body_leaves_no_worker_or_grandchild_behind(tmp_path):
    argv = [sys.executable, "-c", PARENT, str(tmp_path)]
    with (
        pytest.raises(RuntimeError, match="the cell failed"),
        local_cluster(argv, num_workers=2, log_dir=tmp_path / "logs") as cluster,
    ):
        wait_for_files([tmp_path / f"grandchild-{i}" for i in range(2)])
        pids = [p.pid for p in cluster.processes]
        grandchildren = [int((tmp_path / f"grandchild-{i}").read_text()) for i in range(2)]
        assert all(map(running, pids + grandchildren))
        assert len(cluster.alive()) == 2
        raise RuntimeError("the cell failed")
    assert cluster.alive() == []
    assert not any(map(running, pids))
    deadline = time.monotonic() + 10  # orphans are reaped by init: allow it a moment
    while any(map(running, grandchildren)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(running, grandchildren)), "a grandchild survived the clean-up"
    configs = [json.loads((tmp_path / f"tf_config-{i}").read_text()) for i in range(2)]
    assert [c["task"]["index"] for c in configs] == [0, 1]
    assert configs[0]["cluster"] == configs[1]["cluster"]
    assert configs[0]["cluster"]["worker"] == [f"127.0.0.1:{p}" for p in cluster.ports]


def test_wait_raises_timeout_error_and_the_workers_are_killed(tmp_path):
    with (
        pytest.raises(TimeoutError, match="worker 0 still running"),
        local_cluster(SLEEPER, num_workers=2, log_dir=tmp_path, timeout=0.5) as cluster,
    ):
        cluster.wait()
    assert cluster.alive() == []
    assert all(p.returncode is not None for p in cluster.processes)


def test_wait_stops_the_others_as_soon_as_one_worker_fails(tmp_path):
    code = (
        "import json, os, sys, time\n"
        "if json.loads(os.environ['TF_CONFIG'])['task']['index'] == 1:\n"
        "    sys.exit(1)\n"
        "time.sleep(120)\n"
    )
    start = time.monotonic()
    with local_cluster([sys.executable, "-c", code], log_dir=tmp_path, timeout=60) as cluster:
        codes = cluster.wait()
    assert codes[1] == 1 and codes[0] != 0
    assert time.monotonic() - start < 30, "wait() should not wait for the surviving worker"
    assert cluster.alive() == []


def test_wait_returns_exit_codes_and_log_drops_tf_noise(tmp_path):
    code = (
        "import sys\n"
        "print('W0000 00:00:1.000000   1 cuda_platform.cc:52] a TF C++ log line', flush=True)\n"
        "print('hello from the worker')\n"
        "sys.exit(3)\n"
    )
    with local_cluster([sys.executable, "-c", code], num_workers=1, log_dir=tmp_path) as cluster:
        assert cluster.wait() == [3]
        assert cluster.log(0) == "hello from the worker"
        with pytest.raises(ValueError, match="index"):
            cluster.log(1)


@pytest.mark.skipif(os.name != "posix", reason="process groups and SIGTERM are POSIX")
def test_a_worker_that_ignores_sigterm_is_killed_after_the_grace_period(tmp_path):
    code = (
        "import signal, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "open(sys.argv[1], 'w').close()\n"
        "time.sleep(120)\n"
    )
    ready = tmp_path / "ready"
    start = time.monotonic()
    with local_cluster(
        [sys.executable, "-c", code, str(ready)], num_workers=1, log_dir=tmp_path
    ) as cluster:
        wait_for_files([ready])
        assert not cluster.killed
    assert cluster.killed and cluster.alive() == []
    assert cluster.processes[0].returncode == -9  # SIGTERM was ignored: SIGKILL ended it
    assert time.monotonic() - start < 30
    cluster._kill_all()  # a second clean-up signals nothing (the ids may belong to others now)


# The child learns its parent's pid from the environment, as local_cluster's workers do: the
# parent may be gone before the child has even imported helpers.
ORPHAN = (
    "import os, subprocess, sys\n"
    "code = 'import time; from helpers._processes import exit_when_orphaned; "
    "exit_when_orphaned(0.05); time.sleep(120)'\n"
    "env = {**os.environ, 'HELPERS_LAUNCHER_PID': str(os.getpid())}\n"
    "child = subprocess.Popen([sys.executable, '-c', code], env=env,\n"
    "                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "print(child.pid, flush=True)\n"
)


def test_a_worker_whose_parent_dies_exits_on_its_own():
    # The parent prints its child's pid and exits at once, as a restarted kernel would.
    result = subprocess.run(
        [sys.executable, "-c", ORPHAN], capture_output=True, text=True, timeout=60, check=True
    )
    orphan = int(result.stdout)
    deadline = time.monotonic() + 20
    while running(orphan) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running(orphan), "the orphaned worker kept running"


@pytest.mark.parametrize("interval", [0, -1.0, True, "1"])
def test_exit_when_orphaned_rejects_bad_intervals(interval):
    with pytest.raises(ValueError, match="positive number"):
        _processes.exit_when_orphaned(interval)


def run_tf_workers(tmp_path, *extra, worker=("-m", "helpers.distributed")):
    out = tmp_path / "out"
    argv = [sys.executable, *worker, "--out", str(out), *extra]
    with local_cluster(argv, num_workers=2, log_dir=tmp_path / "logs", timeout=180) as cluster:
        codes = cluster.wait()
        logs = [cluster.log(i) for i in range(2)]
    assert cluster.alive() == []
    return out, codes, logs


# Real TensorFlow workers take 20 s each; notebook 10 runs the same path under `make test`.
@pytest.mark.slow
def test_two_tensorflow_workers_end_with_identical_weights(tmp_path):
    out, codes, logs = run_tf_workers(tmp_path, "--steps", "5", "--global-batch", "32")
    assert codes == [0, 0], logs
    reports = [json.loads((out / f"worker-{i}.json").read_text()) for i in range(2)]
    assert [r["steps"] for r in reports] == [5, 5]
    assert [r["replicas_in_sync"] for r in reports] == [2, 2]
    assert reports[0]["losses"] == reports[1]["losses"]
    first, second = (np.load(out / f"weights-{i}.npz") for i in range(2))
    for name in first.files:
        np.testing.assert_array_equal(first[name], second[name])


@pytest.mark.slow
def test_keras_fit_still_fails_under_two_workers(tmp_path):
    """Notebook 10 says Keras 3's fit fails under MultiWorkerMirroredStrategy with two workers
    (keras-team/keras#20585). If this test fails, Keras fixed it: update the notebook."""
    _, codes, logs = run_tf_workers(tmp_path, "--steps", "2", worker=[str(FIT_WORKER)])
    assert codes != [0, 0], "fit now works under MultiWorkerMirroredStrategy: update notebook 10"
    assert any("PerReplica" in log for log in logs), logs


def test_train_mnist_steps_rejects_more_steps_than_examples():
    with pytest.raises(ValueError, match="more than the"):
        distributed.train_mnist_steps(None, steps=10, global_batch=64, examples=100)


@pytest.mark.parametrize("name", ["steps", "global_batch", "examples"])
def test_train_mnist_steps_rejects_non_positive_sizes(name):
    with pytest.raises(ValueError, match=name):
        distributed.train_mnist_steps(None, **{name: 0})


def test_worker_refuses_to_start_without_tf_config(monkeypatch, tmp_path, capsys):
    monkeypatch.delenv("TF_CONFIG", raising=False)
    with pytest.raises(SystemExit):
        distributed.main(["--out", str(tmp_path)])
    assert "TF_CONFIG is not set" in capsys.readouterr().err


def test_helpers_exports_the_launcher_lazily():
    import helpers

    assert helpers.local_cluster is local_cluster
    assert helpers.train_mnist_steps is distributed.train_mnist_steps
