"""Multi-worker training on one machine: start workers on loopback ports, and the worker itself.

``local_cluster`` starts several copies of a command, each in its own process group with its
own ``TF_CONFIG`` naming every worker at ``127.0.0.1:<free port>``, and kills every group when
the ``with`` block ends, however it ends. ``python -m helpers.distributed --out DIR`` is the
worker notebook 07 starts: a few steps of MNIST training under
``tf.distribute.MultiWorkerMirroredStrategy``, written with a custom loop because Keras 3's
``fit`` fails under that strategy once there are two workers (keras-team/keras#20585).

TensorFlow is imported only inside the functions that need it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from helpers.notebook import QUIET_TF_ENV, TF_LOG_LINE

LOOPBACK = "127.0.0.1"
ALL_INTERFACES = "0.0.0.0"
# How long a worker waits for a collective (an all-reduce) before giving up: a worker whose
# peer died fails after this many seconds instead of hanging until the launcher kills it.
# Generous, because `make test` may run notebook 07 beside another notebook on two cores, and a
# slow peer must not be mistaken for a dead one.
COLLECTIVE_TIMEOUT_S = 120
# After SIGTERM, how long the workers get to exit before SIGKILL.
KILL_GRACE_S = 2.0
# local_cluster tells each worker its launcher's process id in this environment variable.
LAUNCHER_PID_ENV = "HELPERS_LAUNCHER_PID"
# How often a worker checks whether the process that started it is still there.
ORPHAN_CHECK_S = 1.0


# --- launching workers ---------------------------------------------------------------------


def free_loopback_ports(n: int) -> list[int]:
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


def tf_config(ports: Sequence[int], index: int) -> str:
    """The ``TF_CONFIG`` JSON for worker ``index`` of workers listening at 127.0.0.1:ports."""
    ports = list(ports)
    if not ports or not all(isinstance(p, int) and 0 < p < 65536 for p in ports):
        raise ValueError(f"ports must be a non-empty list of TCP ports (1-65535), got {ports!r}")
    if not isinstance(index, int) or not 0 <= index < len(ports):
        raise ValueError(f"index must be an int in 0..{len(ports) - 1}, got {index!r}")
    cluster = {"worker": [f"{LOOPBACK}:{port}" for port in ports]}
    return json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}})


def _group_exists(pgid: int) -> bool:
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
        text = self.log_paths[index].read_bytes().decode(errors="replace")
        lines = [line for line in text.splitlines() if not TF_LOG_LINE.match(line)]
        return "\n".join(lines if last is None else lines[-last:])

    def alive(self) -> list[int]:
        """Process ids of the workers that are running or whose process group still has members."""
        return [
            process.pid
            for process in self.processes
            if process.poll() is None or (os.name == "posix" and _group_exists(process.pid))
        ]

    def _signal_groups(self, sig: int) -> None:
        """Send ``sig`` to every worker's process group that still has a member."""
        for process in self.processes:
            # A group with no member left may have had its id reused by an unrelated process
            # (its leader was reaped): signal only groups that still exist. While a member is
            # alive, the system does not hand out the group's id again.
            if process.poll() is None or _group_exists(process.pid):
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
def local_cluster(
    argv: Sequence[str],
    num_workers: int = 2,
    *,
    log_dir: str | os.PathLike,
    timeout: float = 120.0,
    env: Mapping[str, str] | None = None,
) -> Iterator[LocalCluster]:
    """Start ``num_workers`` copies of ``argv``, each with its TF_CONFIG; kill them all on exit."""
    if isinstance(argv, str) or not argv or not all(isinstance(a, str) for a in argv):
        raise ValueError(f"argv must be a non-empty list of strings, got {argv!r}")
    if not isinstance(num_workers, int) or isinstance(num_workers, bool) or num_workers < 1:
        raise ValueError(f"num_workers must be a positive int, got {num_workers!r}")
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    log_dir = Path(log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    cluster = LocalCluster(ports=free_loopback_ports(num_workers))
    cluster.deadline = time.monotonic() + timeout
    try:  # the processes already started are killed even if starting the next one fails
        for i in range(num_workers):
            path = log_dir / f"worker-{i}.log"
            log = open(path, "wb")  # noqa: SIM115 (closed by _kill_all)
            cluster._logs.append(log)
            cluster.log_paths.append(path)
            worker_env = {**os.environ, **(env or {}), "TF_CONFIG": tf_config(cluster.ports, i)}
            worker_env[LAUNCHER_PID_ENV] = str(os.getpid())
            cluster.processes.append(
                subprocess.Popen(
                    list(argv),
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


# --- the worker ----------------------------------------------------------------------------


def exit_when_orphaned(
    interval: float = ORPHAN_CHECK_S, parent: int | None = None
) -> threading.Thread:
    """Start a daemon thread that ends this process once its parent ``parent`` is gone."""
    if isinstance(interval, bool) or not isinstance(interval, int | float) or interval <= 0:
        raise ValueError(f"interval must be a positive number of seconds, got {interval!r}")
    # The workers run in their own sessions, so a kernel restart (which kills the kernel, not
    # its process groups) would leave them waiting in an all-reduce until COLLECTIVE_TIMEOUT_S.
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


def mnist_mlp(seed: int = 0, hidden: int = 32) -> Any:
    """A small Keras MLP for 28x28 uint8 MNIST images, with seeded initial weights: 10 logits."""
    import keras

    return keras.Sequential(
        [
            keras.Input((28, 28), dtype="uint8", name="images"),
            keras.layers.Rescaling(1 / 255),
            keras.layers.Flatten(),
            keras.layers.Dense(
                hidden, activation="relu", kernel_initializer=keras.initializers.GlorotUniform(seed)
            ),
            keras.layers.Dense(10, kernel_initializer=keras.initializers.GlorotUniform(seed + 1)),
        ]
    )


# Notebook 07 shows an excerpt of this function's loop (replica_step and train_step) as a
# markdown code block: keep the two in sync when you edit it.
def train_mnist_steps(
    strategy: Any,
    *,
    steps: int = 40,
    global_batch: int = 64,
    examples: int = 12_000,
    seed: int = 0,
    learning_rate: float = 0.1,
) -> tuple[list[np.ndarray], list[float]]:
    """Train ``mnist_mlp`` for ``steps`` SGD steps under ``strategy``; return weights and losses."""
    for name, value in {"steps": steps, "global_batch": global_batch, "examples": examples}.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    if steps * global_batch > examples:
        raise ValueError(
            f"steps * global_batch = {steps * global_batch} examples, more than the "
            f"{examples} available: lower steps or global_batch"
        )
    import keras
    import tensorflow as tf

    from helpers.data import load_mnist

    images, labels = load_mnist("train")
    # The same shuffled order in every process, whatever its TensorFlow seeds are.
    order = np.random.default_rng(seed).permutation(examples)
    images, labels = images[order], labels[order].astype(np.int64)

    def dataset_fn(context: tf.distribute.InputContext) -> tf.data.Dataset:
        # Every worker keeps its own share of the examples (every n-th one): together the
        # workers' batches of step k make up exactly the global batch k.
        per_replica = context.get_per_replica_batch_size(global_batch)
        ds = tf.data.Dataset.from_tensor_slices((images, labels))
        ds = ds.shard(context.num_input_pipelines, context.input_pipeline_id)
        return ds.batch(per_replica, drop_remainder=True)

    with strategy.scope():  # variables created here are mirrored on every replica
        model = mnist_mlp(seed)
        optimizer = keras.optimizers.SGD(learning_rate)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)

    @tf.function
    def train_step(iterator):
        def replica_step(batch_images, batch_labels):
            with tf.GradientTape() as tape:
                per_example = loss_fn(batch_labels, model(batch_images, training=True))
                # Divide by the GLOBAL batch: summed over replicas, this is the batch mean.
                loss = tf.nn.compute_average_loss(per_example, global_batch_size=global_batch)
            gradients = tape.gradient(loss, model.trainable_variables)
            # Keras sums the gradients over all replicas (an all-reduce), then every replica
            # applies the same update to its copy of the weights.
            optimizer.apply_gradients(zip(gradients, model.trainable_variables))
            return loss

        per_replica_loss = strategy.run(replica_step, args=next(iterator))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica_loss, axis=None)

    iterator = iter(strategy.distribute_datasets_from_function(dataset_fn))
    losses = [float(train_step(iterator)) for _ in range(steps)]
    return [np.asarray(w) for w in model.get_weights()], losses


def _train_with_fit(strategy: Any, steps: int, global_batch: int, examples: int, seed: int):
    """What the TensorFlow tutorial does: Keras ``fit`` under the strategy (fails with Keras 3)."""
    import keras
    import tensorflow as tf

    from helpers.data import load_mnist

    images, labels = load_mnist("train")
    ds = tf.data.Dataset.from_tensor_slices((images[:examples], labels[:examples]))
    with strategy.scope():
        model = mnist_mlp(seed)
        model.compile(
            optimizer=keras.optimizers.SGD(0.1),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
    history = model.fit(
        ds.batch(global_batch), epochs=1, steps_per_epoch=steps, shuffle=False, verbose=0
    )
    return model.get_weights(), [float(x) for x in history.history["loss"]]


def main(argv: list[str] | None = None) -> int:
    """One worker: read TF_CONFIG, train under MultiWorkerMirroredStrategy, write the results."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.distributed",
        description="One MultiWorkerMirroredStrategy worker (needs TF_CONFIG); writes results.",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder for the results")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--global-batch", type=int, default=64)
    parser.add_argument("--examples", type=int, default=12_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--trainer", choices=["loop", "fit"], default="loop")
    args = parser.parse_args(argv)
    if "TF_CONFIG" not in os.environ:
        parser.error("TF_CONFIG is not set: start workers with helpers.local_cluster")
    task = json.loads(os.environ["TF_CONFIG"])["task"]
    exit_when_orphaned()
    # Before TensorFlow loads: quiet logs, and keep the workers on the CPU (several processes
    # sharing one GPU would each try to reserve all of its memory).
    for name, value in QUIET_TF_ENV.items():
        os.environ.setdefault(name, value)
    os.environ["CUDA_VISIBLE_DEVICES"] = "-1"
    start = time.perf_counter()
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()
    strategy = tf.distribute.MultiWorkerMirroredStrategy(
        communication_options=tf.distribute.experimental.CommunicationOptions(
            timeout_seconds=COLLECTIVE_TIMEOUT_S
        )
    )
    train = train_mnist_steps if args.trainer == "loop" else _train_with_fit
    weights, losses = train(
        strategy,
        steps=args.steps,
        global_batch=args.global_batch,
        examples=args.examples,
        seed=args.seed,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    index = task["index"]
    np.savez(args.out / f"weights-{index}.npz", *weights)
    report = {
        "task": task,
        "replicas_in_sync": strategy.num_replicas_in_sync,
        "steps": len(losses),
        "losses": losses,
        "seconds": round(time.perf_counter() - start, 1),
    }
    (args.out / f"worker-{index}.json").write_text(json.dumps(report) + "\n", encoding="utf-8")
    print(f"worker {index}: {len(losses)} steps, last loss {losses[-1]:.4f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
