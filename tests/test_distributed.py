"""helpers.local_cluster: workers get loopback TF_CONFIGs, and none survives its `with` block.

The clean-up tests start plain Python scripts (one of which starts a grandchild), so they are
fast; notebook 10 starts real TensorFlow workers, and one slow test checks its claim about
Keras `fit`.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import _processes
from helpers._processes import free_ports
from helpers.distributed import local_cluster, tf_config

FIT_WORKER = Path(__file__).with_name("keras_fit_worker.py")

# A worker that starts a grandchild, writes the grandchild's pid and its environment, then
# sleeps: killing only the worker would leave the grandchild behind.
PARENT = """
import json, os, subprocess, sys, time
child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])
index = json.loads(os.environ['TF_CONFIG'])['task']['index']
path = os.path.join(sys.argv[1], f'worker-{index}')
open(path + '.tmp', 'w').write(json.dumps({'grandchild': child.pid, 'env': dict(os.environ)}))
os.replace(path + '.tmp', path)
time.sleep(120)
"""


def script(tmp_path: Path, code: str, name: str = "worker.py") -> Path:
    path = tmp_path / name
    path.write_text(code)
    return path


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


def test_free_ports_are_distinct_and_free_on_every_interface():
    # gRPC binds the workers' ports on 0.0.0.0, so they must be free there, not only on loopback.
    ports = free_ports(3)
    assert len(set(ports)) == 3
    for port in ports:
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
    ("kwargs", "error"),
    [
        ({"script": "no_such_worker.py"}, FileNotFoundError),
        ({"args": "--out"}, ValueError),
        ({"num_workers": 0}, ValueError),
        ({"timeout": 0}, ValueError),
    ],
)
def test_local_cluster_rejects_bad_input(tmp_path, kwargs, error):
    args = {"script": script(tmp_path, "pass"), "log_dir": tmp_path, **kwargs}
    name = next(iter(kwargs)).replace("script", "worker script")
    with pytest.raises(error, match=name), local_cluster(**args):
        pass


@pytest.mark.process  # starts worker processes
def test_a_failing_body_leaves_no_worker_or_grandchild_behind(tmp_path):
    worker = script(tmp_path, PARENT)
    with (
        pytest.raises(RuntimeError, match="the cell failed"),
        local_cluster(worker, [str(tmp_path)], log_dir=tmp_path / "logs") as cluster,
    ):
        wait_for_files([tmp_path / f"worker-{i}" for i in range(2)])
        written = [json.loads((tmp_path / f"worker-{i}").read_text()) for i in range(2)]
        pids = [p.pid for p in cluster.processes]
        grandchildren = [w["grandchild"] for w in written]
        assert all(map(running, pids + grandchildren))
        assert len(cluster.alive()) == 2
        raise RuntimeError("the cell failed")
    assert cluster.alive() == []
    assert not any(map(running, pids))
    deadline = time.monotonic() + 10  # orphans are reaped by init: allow it a moment
    while any(map(running, grandchildren)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(running, grandchildren)), "a grandchild survived the clean-up"
    configs = [json.loads(w["env"]["TF_CONFIG"]) for w in written]
    assert [c["task"]["index"] for c in configs] == [0, 1]
    assert configs[0]["cluster"]["worker"] == [f"127.0.0.1:{p}" for p in cluster.ports]
    assert configs[1]["cluster"] == configs[0]["cluster"]
    for w in written:  # workers stay off the GPU, and TensorFlow's start-up logs stay quiet
        assert w["env"]["CUDA_VISIBLE_DEVICES"] == "-1"
        assert w["env"]["TF_CPP_MIN_LOG_LEVEL"]


@pytest.mark.process  # starts worker processes
def test_wait_raises_timeout_error_and_the_workers_are_killed(tmp_path):
    sleeper = script(tmp_path, "import time; time.sleep(120)")
    with (
        pytest.raises(TimeoutError, match="worker 0 still running"),
        local_cluster(sleeper, log_dir=tmp_path, timeout=0.5) as cluster,
    ):
        cluster.wait()
    assert cluster.alive() == []
    assert all(p.returncode is not None for p in cluster.processes)


@pytest.mark.process  # starts worker processes
def test_wait_stops_the_others_as_soon_as_one_worker_fails(tmp_path):
    code = (
        "import json, os, sys, time\n"
        "if json.loads(os.environ['TF_CONFIG'])['task']['index'] == 1:\n"
        "    sys.exit(1)\n"
        "time.sleep(120)\n"
    )
    start = time.monotonic()
    with local_cluster(script(tmp_path, code), log_dir=tmp_path, timeout=60) as cluster:
        codes = cluster.wait()
    assert codes[1] == 1 and codes[0] != 0
    assert time.monotonic() - start < 30, "wait() should not wait for the surviving worker"
    assert cluster.alive() == []


@pytest.mark.process  # starts worker processes
def test_wait_returns_exit_codes_and_log_drops_tf_noise(tmp_path):
    code = (
        "import sys\n"
        "print('W0000 00:00:1.000000   1 cuda_platform.cc:52] a TF C++ log line', flush=True)\n"
        "print('hello from', sys.argv[1:])\n"
        "sys.exit(3)\n"
    )
    worker = script(tmp_path, code)
    with local_cluster(worker, ["--out", "x"], num_workers=1, log_dir=tmp_path) as cluster:
        assert cluster.wait() == [3]
        assert cluster.log(0) == "hello from ['--out', 'x']"
        with pytest.raises(ValueError, match="index"):
            cluster.log(1)


@pytest.mark.process  # starts a worker process
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
    worker = script(tmp_path, code)
    with local_cluster(worker, [str(ready)], num_workers=1, log_dir=tmp_path) as cluster:
        wait_for_files([ready])
        assert not cluster.killed
    assert cluster.killed and cluster.alive() == []
    assert cluster.processes[0].returncode == -9  # SIGTERM was ignored: SIGKILL ended it
    assert time.monotonic() - start < 30
    cluster._kill_all()  # a second clean-up signals nothing (the ids may belong to others now)


@pytest.mark.process  # starts worker processes
def test_a_worker_whose_launcher_dies_exits_on_its_own(tmp_path):
    # The launcher starts a worker as local_cluster does and exits at once, as a restarted
    # kernel would; the worker learns the launcher's pid from the environment.
    worker = script(tmp_path, "import time; time.sleep(120)")
    launcher = (
        "import os, subprocess, sys\n"
        "env = {**os.environ, 'HELPERS_LAUNCHER_PID': str(os.getpid())}\n"
        f"argv = [sys.executable, '-m', 'helpers._processes', {str(worker)!r}]\n"
        "child = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL)\n"
        "print(child.pid, flush=True)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", launcher], capture_output=True, text=True, timeout=60, check=True
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


@pytest.mark.slow
def test_keras_fit_still_fails_under_two_workers(tmp_path):
    """Notebook 10 says Keras 3's fit fails under MultiWorkerMirroredStrategy with two workers
    (keras-team/keras#20585). If this test fails, Keras fixed it: update the notebook."""
    with local_cluster(FIT_WORKER, log_dir=tmp_path, timeout=180) as cluster:
        codes = cluster.wait()
        logs = [cluster.log(i) for i in range(2)]
    assert codes != [0, 0], "fit now works under MultiWorkerMirroredStrategy: update notebook 10"
    assert any("PerReplica" in log for log in logs), logs


def test_helpers_exports_the_launcher_lazily():
    import helpers

    assert helpers.local_cluster is local_cluster
