"""Starting several workers of a multi-worker TensorFlow program on one machine, for notebook 10.

Notebook 10 writes the worker program itself (``worker.py``); ``local_cluster`` starts copies
of it, each with its own ``TF_CONFIG`` naming every worker at ``127.0.0.1:<free port>``.
How it makes sure that no worker outlives the ``with`` block is plumbing, in
``helpers/_processes.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from helpers._processes import LocalCluster, free_ports, start_workers

LOOPBACK = "127.0.0.1"


def tf_config(ports: Sequence[int], index: int) -> str:
    """The ``TF_CONFIG`` JSON for worker ``index`` of workers listening at 127.0.0.1:ports."""
    ports = list(ports)
    if not ports or not all(isinstance(p, int) and 0 < p < 65536 for p in ports):
        raise ValueError(f"ports must be a non-empty list of TCP ports (1-65535), got {ports!r}")
    if not isinstance(index, int) or not 0 <= index < len(ports):
        raise ValueError(f"index must be an int in 0..{len(ports) - 1}, got {index!r}")
    cluster = {"worker": [f"{LOOPBACK}:{port}" for port in ports]}
    return json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}})


@contextlib.contextmanager
def local_cluster(
    script: str | os.PathLike,
    args: Sequence[str] = (),
    num_workers: int = 2,
    *,
    log_dir: str | os.PathLike,
    timeout: float = 120.0,
) -> Iterator[LocalCluster]:
    """Start ``num_workers`` copies of ``script``; kill them on exit. Used in notebook 10."""
    if not Path(script).is_file():
        raise FileNotFoundError(f"no worker script at {script!s}: write it first")
    if isinstance(args, str) or not all(isinstance(a, str) for a in args):
        raise ValueError(f"args must be a list of strings, got {args!r}")
    if not isinstance(num_workers, int) or isinstance(num_workers, bool) or num_workers < 1:
        raise ValueError(f"num_workers must be a positive int, got {num_workers!r}")
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    ports = free_ports(num_workers)
    envs = [{"TF_CONFIG": tf_config(ports, i)} for i in range(num_workers)]
    with start_workers(script, args, envs, ports, log_dir=Path(log_dir), timeout=timeout) as c:
        yield c
