"""Multi-worker training on one machine, for notebook 10: the worker's training loop, and
starting several workers on loopback ports.

``train_mnist_steps`` is what each worker runs: a few steps of MNIST training under
``tf.distribute.MultiWorkerMirroredStrategy``, written as a custom loop because Keras 3's ``fit``
fails under that strategy once there are two workers (keras-team/keras#20585).
``local_cluster`` starts several workers (``python -m helpers.distributed --out DIR``), each
with its own ``TF_CONFIG`` naming every worker at ``127.0.0.1:<free port>``; how it makes sure
no worker outlives the ``with`` block is plumbing, in ``helpers/_processes.py``.

TensorFlow is imported only inside the functions that need it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from helpers._processes import LocalCluster, exit_when_orphaned, free_ports, start_workers
from helpers._tf_logs import set_quiet_tf_env

LOOPBACK = "127.0.0.1"
# How long a worker waits for a collective (an all-reduce) before giving up: a worker whose
# peer died fails after this many seconds instead of hanging until the launcher kills it.
# Generous, because `make test` may run notebook 10 beside another notebook on two cores, and a
# slow peer must not be mistaken for a dead one.
COLLECTIVE_TIMEOUT_S = 120


# --- what each worker trains ---------------------------------------------------------------


def worker_mlp(seed: int = 0, hidden: int = 32) -> Any:
    """The workers' small Keras MLP for 28x28 uint8 MNIST images (10 logits), seeded weights."""
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
        ],
        name="worker_mlp",
    )


def train_mnist_steps(
    strategy: Any,
    *,
    steps: int = 40,
    global_batch: int = 64,
    examples: int = 12_000,
    seed: int = 0,
    learning_rate: float = 0.1,
) -> tuple[list[np.ndarray], list[float]]:
    """Train ``worker_mlp`` under ``strategy``; its weights and losses. Used in notebook 10."""
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
        model = worker_mlp(seed)
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


# --- starting the workers ------------------------------------------------------------------


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
    argv: Sequence[str],
    num_workers: int = 2,
    *,
    log_dir: str | os.PathLike,
    timeout: float = 120.0,
    env: Mapping[str, str] | None = None,
) -> Iterator[LocalCluster]:
    """Run ``argv`` ``num_workers`` times with TF_CONFIGs; kill all on exit. Used in notebook 10."""
    if isinstance(argv, str) or not argv or not all(isinstance(a, str) for a in argv):
        raise ValueError(f"argv must be a non-empty list of strings, got {argv!r}")
    if not isinstance(num_workers, int) or isinstance(num_workers, bool) or num_workers < 1:
        raise ValueError(f"num_workers must be a positive int, got {num_workers!r}")
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    ports = free_ports(num_workers)
    envs = [{**(env or {}), "TF_CONFIG": tf_config(ports, i)} for i in range(num_workers)]
    with start_workers(argv, envs, ports, log_dir=Path(log_dir), timeout=timeout) as cluster:
        yield cluster


# --- the worker program --------------------------------------------------------------------


def main(argv: list[str] | None = None, train: Callable[..., Any] | None = None) -> int:
    """One worker: read TF_CONFIG, train under MultiWorkerMirroredStrategy, write the results.

    ``train`` replaces ``train_mnist_steps`` (a test passes Keras ``fit`` this way).
    """
    parser = argparse.ArgumentParser(
        prog="python -m helpers.distributed",
        description="One MultiWorkerMirroredStrategy worker (needs TF_CONFIG); writes results.",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder for the results")
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--global-batch", type=int, default=64)
    parser.add_argument("--examples", type=int, default=12_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if "TF_CONFIG" not in os.environ:
        parser.error("TF_CONFIG is not set: start workers with helpers.local_cluster")
    task = json.loads(os.environ["TF_CONFIG"])["task"]
    exit_when_orphaned()
    # Before TensorFlow loads: quiet logs, and keep the workers on the CPU (several processes
    # sharing one GPU would each try to reserve all of its memory).
    set_quiet_tf_env()
    os.environ["CUDA_VISIBLE_DEVICES"] = "-1"
    start = time.perf_counter()
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()
    strategy = tf.distribute.MultiWorkerMirroredStrategy(
        communication_options=tf.distribute.experimental.CommunicationOptions(
            timeout_seconds=COLLECTIVE_TIMEOUT_S
        )
    )
    weights, losses = (train or train_mnist_steps)(
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
