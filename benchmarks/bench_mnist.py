"""MNIST (notebook 06): the input pipeline alone, and training to 97.5 % test accuracy.

The course's side is notebook 06's own `train_ds` (cache, shuffle, batch, a vectorised `map`
with AUTOTUNE, prefetch), run from its cell; the baseline is the naive pipeline of its section
8 (a per-example `map` of the same `scale`, then `batch`; no cache, no prefetch), with the same
shuffle. Both read the TFDS files without TFDS's own auto-caching. Training uses notebook 06's
model cell on both sides, with the same shuffled order, so the two sides need the same number
of epochs and differ only in input-pipeline cost.
"""

from __future__ import annotations

import time

from benchmarks.common import Comparison, Side, notebook_code, time_repeats

TARGET_ACCURACY = 0.975
CONFIGS = {  # max_epochs None: notebook 06's EPOCHS
    "full": {"split": "train[:50000]", "test": "test", "repeats": 3, "max_epochs": None},
    "tiny": {"split": "train[:1024]", "test": "test[:1000]", "repeats": 1, "max_epochs": 1},
}


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


def pipelines(split: str, test_split: str) -> tuple[dict, object]:
    """Fresh naive and tuned (notebook 06's) training pipelines, and notebook 06's test set."""
    import tensorflow as tf

    tf.keras.utils.set_random_seed(42)  # the same shuffle order on both sides, every repeat
    nb = notebook_code(
        "06",
        "train_ds",
        fit_part=raw_split(split),
        validation_part=raw_split("train[50000:]"),
        mnist_test=raw_split(test_split),
    )
    naive = raw_split(split).shuffle(10_000, seed=42).map(nb["scale"]).batch(nb["BATCH_SIZE"])
    return {"naive": naive, "tuned": nb["train_ds"]}, nb["test_ds"]


def train_to_target(train_ds, test_ds, max_epochs: int | None) -> tuple[float, int, float]:
    """Train notebook 06's model until test accuracy >= target: (train seconds, epochs, acc)."""
    nb = notebook_code("06", "EPOCHS", train_ds=train_ds)
    model, max_epochs = nb["model"], max_epochs or nb["EPOCHS"]
    seconds, epochs, accuracy = 0.0, 0, 0.0
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

    ready, _ = pipelines(split, cfg["test"])
    examples = sum(1 for _ in raw_split(split))
    naive_seconds = time_repeats(drain(ready["naive"]), cfg["repeats"])
    tuned_seconds = time_repeats(drain(ready["tuned"]), cfg["repeats"])
    pipeline = Comparison(
        f"MNIST input pipeline, {examples:,} ex.",
        Side("per-example map, no cache", naive_seconds),
        Side("nb06 train_ds (cache, prefetch)", tuned_seconds),
        note="seconds per pass over the split after one warm-up pass (which fills the cache)",
    )
    pipeline.extra = {
        "examples_per_second": {
            "baseline": examples / pipeline.baseline.median,
            "course": examples / pipeline.course.median,
        }
    }

    results = {"naive": [], "tuned": []}
    for _ in range(2 if mode == "full" else 1):
        for label in results:
            fresh, test_ds = pipelines(split, cfg["test"])  # a new, empty cache every repeat
            results[label].append(train_to_target(fresh[label], test_ds, cfg["max_epochs"]))
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
        Side("nb06 train_ds", [r[0] for r in results["tuned"]]),
        note=f"training seconds only (tracing included); epochs {epochs}, test acc. {accuracy}",
        extra={"epochs": epochs, "test_accuracy": accuracy},
    )
    return [pipeline, training]
