"""MNIST (notebook 06): the input pipeline alone, and training to 97.5 % test accuracy.

Baseline: the naive pipeline (per-example `map`, no `cache`, no `prefetch`).
Course: the tuned one (`cache`, batch-then-vectorised `map` with AUTOTUNE, `prefetch`).
Training uses notebook 06's model and recipe on both sides, with the same shuffled order,
so the two sides need the same number of epochs and differ only in input-pipeline cost.
"""

from __future__ import annotations

import time

from benchmarks.common import Comparison, Side, time_repeats

TARGET_ACCURACY = 0.975
BATCH_SIZE = 256
MAX_EPOCHS = 5  # notebook 06's schedule length
CONFIGS = {
    "full": {"split": "train[:50000]", "pipeline_repeats": 3, "train_repeats": 2, "max_epochs": 5},
    "tiny": {"split": "train[:1024]", "pipeline_repeats": 1, "train_repeats": 1, "max_epochs": 1},
}


def scale(images, labels):
    import tensorflow as tf

    return tf.cast(images, tf.float32) / 255.0, labels


def raw_split(split: str):
    import tensorflow_datasets as tfds

    import helpers

    return tfds.load(
        "mnist",
        split=split,
        as_supervised=True,
        data_dir=helpers.mnist_tfds_dir(),
        download=False,
        read_config=tfds.ReadConfig(try_autocache=False),  # TFDS would cache MNIST by itself
    )


def naive_pipeline(split: str, shuffle_seed: int | None = None):
    ds = raw_split(split)
    if shuffle_seed is not None:
        ds = ds.shuffle(10_000, seed=shuffle_seed)
    return ds.map(scale).batch(BATCH_SIZE)


def tuned_pipeline(split: str, shuffle_seed: int | None = None):
    import tensorflow as tf

    ds = raw_split(split).cache()
    if shuffle_seed is not None:
        ds = ds.shuffle(10_000, seed=shuffle_seed)
    return (
        ds.batch(BATCH_SIZE)
        .map(scale, num_parallel_calls=tf.data.AUTOTUNE)
        .prefetch(tf.data.AUTOTUNE)
    )


def notebook_06_model(steps: int):
    import tensorflow as tf

    tf.keras.utils.set_random_seed(42)
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(28, 28, 1)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(256, activation="relu"),
            tf.keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=tf.keras.optimizers.Adam(tf.keras.optimizers.schedules.CosineDecay(3e-3, steps)),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def train_to_target(make_train, test_ds, max_epochs: int) -> tuple[float, int, float]:
    """Train epoch by epoch until test accuracy >= target; return (train seconds, epochs, acc)."""
    import tensorflow as tf

    tf.keras.utils.set_random_seed(42)  # the same shuffle order on both sides, every repeat
    train_ds = make_train()
    model = notebook_06_model(MAX_EPOCHS * int(train_ds.cardinality()))
    seconds, accuracy = 0.0, 0.0
    epochs = 0
    while epochs < max_epochs and accuracy < TARGET_ACCURACY:
        start = time.perf_counter()
        model.fit(train_ds, epochs=1, shuffle=False, verbose=0)  # the dataset shuffles
        seconds += time.perf_counter() - start
        epochs += 1
        accuracy = model.evaluate(test_ds, verbose=0)[1]
    return seconds, epochs, accuracy


def run(mode: str = "full") -> list[Comparison]:
    cfg = CONFIGS[mode]
    split = cfg["split"]

    def drain(dataset):
        def run_once():
            for _ in dataset:
                pass

        return run_once

    naive, tuned = naive_pipeline(split), tuned_pipeline(split)
    examples = sum(1 for _ in raw_split(split))
    pipeline = Comparison(
        f"MNIST input pipeline, {examples:,} ex.",
        Side("per-example map, no cache", time_repeats(drain(naive), cfg["pipeline_repeats"])),
        Side("cache+batched map+prefetch", time_repeats(drain(tuned), cfg["pipeline_repeats"])),
        note="seconds per pass over the split after one warm-up pass (which fills the cache)",
    )
    pipeline.extra = {
        "examples_per_second": {
            "baseline": examples / pipeline.baseline.median,
            "course": examples / pipeline.course.median,
        }
    }

    test_ds = tuned_pipeline("test" if mode == "full" else "test[:1000]")
    results = {}
    for label, make in (("naive", naive_pipeline), ("tuned", tuned_pipeline)):
        runs = [
            train_to_target(lambda m=make: m(split, shuffle_seed=42), test_ds, cfg["max_epochs"])
            for _ in range(cfg["train_repeats"])
        ]
        results[label] = runs
    if mode == "full":
        for label, runs in results.items():
            for _, epochs, accuracy in runs:
                if accuracy < TARGET_ACCURACY:
                    raise AssertionError(f"{label}: {accuracy:.2%} after {epochs} epochs")
    epochs = {label: [r[1] for r in runs] for label, runs in results.items()}
    accuracy = {label: [round(r[2], 4) for r in runs] for label, runs in results.items()}
    training = Comparison(
        "MNIST training to 97.5 % test acc.",
        Side("naive pipeline", [r[0] for r in results["naive"]]),
        Side("tuned pipeline", [r[0] for r in results["tuned"]]),
        note=f"training seconds only (tracing included); epochs {epochs}, test acc. {accuracy}",
        extra={"epochs": epochs, "test_accuracy": accuracy},
    )
    return [pipeline, training]
