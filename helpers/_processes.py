"""Starting worker processes and making sure none outlives its ``with`` block (plumbing).

``helpers.distributed.local_cluster`` (notebook 10) uses this: it chooses free ports, starts
each worker script (``python -m helpers._processes SCRIPT ARGS``) in a process group of its
own, and on the way out signals every group that still has a member, SIGTERM first and
SIGKILL after a grace period. A worker also exits by itself when the process that started it
dies (``exit_when_orphaned``, which ``run_worker`` starts before the script).
"""

from __future__ import annotations

import contextlib
import os
import runpy
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from helpers._tf_logs import QUIET_TF_ENV, without_tf_log_lines

ALL_INTERFACES = "0.0.0.0"
# After SIGTERM, how long the workers get to exit before SIGKILL.
KILL_GRACE_S = 2.0
# start_workers tells each worker its launcher's process id in this environment variable.
LAUNCHER_PID_ENV = "HELPERS_LAUNCHER_PID"
# How often a worker checks whether the process that started it is still there.
ORPHAN_CHECK_S = 1.0


def free_ports(n: int) -> list[int]:
    """``n`` distinct TCP ports that the system had free on every interface a moment ago."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be a positive int, got {n!r}")
    sockets = []
    try:
        # Probe on 0.0.0.0, not 127.0.0.1: TensorFlow's gRPC server binds the port on all
        # interfaces, so a port taken on another interface would clash. There is still a race:
        # the sockets close here and the workers bind the ports seconds later, so another
        # program may take one in between (the workers then fail to start, and a rerun picks
        # new ports). Nothing short of passing open sockets to the workers avoids that.
        for _ in range(n):  # hold every socket open until all are chosen: n distinct ports
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sockets.append(s)
            s.bind((ALL_INTERFACES, 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def group_exists(pgid: int) -> bool:
    """True while a process of group ``pgid`` is running (zombies, already dead, do not count)."""
    proc = Path("/proc")
    if proc.is_dir():  # Linux: read each process's state and group from /proc/PID/stat
        for stat in proc.glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # the process ended while we looked
            if int(fields[2]) == pgid and fields[0] not in ("Z", "X"):
                return True
        return False
    try:
        os.killpg(pgid, 0)  # elsewhere: signal 0 only asks whether the group has a member
    except ProcessLookupError:
        return False
    except PermissionError:  # a member exists that we may not signal
        return True
    return True


@dataclass
class LocalCluster:
    """The running workers of ``local_cluster``: their ports, processes and log files."""

    ports: list[int]
    processes: list[subprocess.Popen] = field(default_factory=list)
    log_paths: list[Path] = field(default_factory=list)
    deadline: float = 0.0
    killed: bool = False  # True once the clean-up ran: no process of the cluster is left
    _logs: list[IO[bytes]] = field(default_factory=list, repr=False)

    def wait(self) -> list[int]:
        """Wait until all workers exit, or one fails (the rest are then killed); exit codes."""
        while True:
            codes = [process.poll() for process in self.processes]
            if None not in codes:
                return codes
            if any(code not in (None, 0) for code in codes):
                self._kill_all()  # its peers would only wait for it until their time-out
                return [process.returncode for process in self.processes]
            if time.monotonic() > self.deadline:
                i = codes.index(None)
                raise TimeoutError(
                    f"worker {i} still running at the deadline; its log ends with:\n"
                    f"{self.log(i, last=20)}"
                )
            time.sleep(0.05)

    def log(self, index: int, last: int | None = None) -> str:
        """What worker ``index`` printed, without TensorFlow's C++ start-up lines."""
        if not isinstance(index, int) or not 0 <= index < len(self.log_paths):
            raise ValueError(f"index must be an int in 0..{len(self.log_paths) - 1}, got {index!r}")
        lines = without_tf_log_lines(self.log_paths[index].read_bytes().decode(errors="replace"))
        return "\n".join(lines if last is None else lines[-last:])

    def alive(self) -> list[int]:
        """Process ids of the workers that are running or whose process group still has members."""
        return [
            process.pid
            for process in self.processes
            if process.poll() is None or (os.name == "posix" and group_exists(process.pid))
        ]

    def _signal_groups(self, sig: int) -> None:
        """Send ``sig`` to every worker's process group that still has a member."""
        for process in self.processes:
            # A group with no member left may have had its id reused by an unrelated process
            # (its leader was reaped): signal only groups that still exist. While a member is
            # alive, the system does not hand out the group's id again.
            if process.poll() is None or group_exists(process.pid):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, sig)  # the worker and anything it started

    def _kill_all(self) -> None:
        """SIGTERM every worker's group, SIGKILL what is left after a grace period; once only."""
        if self.killed:  # a second round could only hit reused process ids
            return
        if os.name == "posix":
            self._signal_groups(signal.SIGTERM)
            grace_end = time.monotonic() + KILL_GRACE_S
            while self.alive() and time.monotonic() < grace_end:
                time.sleep(0.05)
            self._signal_groups(signal.SIGKILL)
        else:
            for process in self.processes:
                if process.poll() is None:
                    process.kill()
        for process in self.processes:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
        for log in self._logs:
            log.close()
        self.killed = True


@contextlib.contextmanager
def start_workers(
    script: str | os.PathLike,
    args: Sequence[str],
    envs: Sequence[Mapping[str, str]],
    ports: list[int],
    *,
    log_dir: Path,
    timeout: float,
) -> Iterator[LocalCluster]:
    """Start ``script`` once per entry of ``envs`` (added to ours); kill them all on exit."""
    argv = [sys.executable, "-m", "helpers._processes", str(script), *args]
    # Quiet TensorFlow's start-up logs, and keep the workers on the CPU: several processes
    # sharing one GPU would each try to reserve all of its memory.
    worker_base = {**QUIET_TF_ENV, **os.environ, "CUDA_VISIBLE_DEVICES": "-1"}
    log_dir.mkdir(parents=True, exist_ok=True)
    cluster = LocalCluster(ports=ports)
    cluster.deadline = time.monotonic() + timeout
    try:  # the processes already started are killed even if starting the next one fails
        for i, env in enumerate(envs):
            path = log_dir / f"worker-{i}.log"
            log = open(path, "wb")  # noqa: SIM115 (closed by _kill_all)
            cluster._logs.append(log)
            cluster.log_paths.append(path)
            worker_env = {**worker_base, **env, LAUNCHER_PID_ENV: str(os.getpid())}
            cluster.processes.append(
                subprocess.Popen(
                    argv,
                    env=worker_env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=os.name == "posix",  # its own process group
                )
            )
        yield cluster
    finally:
        cluster._kill_all()


def exit_when_orphaned(
    interval: float = ORPHAN_CHECK_S, parent: int | None = None
) -> threading.Thread:
    """Start a daemon thread that ends this process once its parent ``parent`` is gone."""
    if isinstance(interval, bool) or not isinstance(interval, int | float) or interval <= 0:
        raise ValueError(f"interval must be a positive number of seconds, got {interval!r}")
    # The workers run in their own sessions, so a kernel restart (which kills the kernel, not
    # its process groups) would leave them waiting in an all-reduce until their time-out.
    # When the parent dies, the worker is handed to another parent: that is the signal to exit.
    # The launcher passes its pid in LAUNCHER_PID_ENV: os.getppid() read here could already
    # name the new parent if the launcher died while this process was starting.
    if parent is None:
        parent = int(os.environ.get(LAUNCHER_PID_ENV, os.getppid()))

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(3)

    thread = threading.Thread(target=watch, name="exit-when-orphaned", daemon=True)
    thread.start()
    return thread


def run_worker(argv: Sequence[str]) -> None:
    """Run the script ``argv[0]`` as ``__main__`` with ``argv[1:]``; exit if the launcher dies."""
    if not argv:
        raise SystemExit("usage: python -m helpers._processes SCRIPT [ARG ...]")
    exit_when_orphaned()
    sys.argv = list(argv)
    runpy.run_path(argv[0], run_name="__main__")


if __name__ == "__main__":
    run_worker(sys.argv[1:])
