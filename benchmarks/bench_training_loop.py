"""Notebook 07: its hand-written training loop against `fit`, in seconds per training step.

Both sides run notebook 07's own cells (`notebook_code`): its digits, its shuffled batches of
64, its network and compile settings (`make_mlp`), and the `tf.function` step of its section 7
(`make_train_step`: `GradientTape`, `apply_gradients`, metric objects). `fit` runs as the
notebook compiles it, with `steps_per_execution`; the loop calls the step once per batch.
The ratio is the loop's time per step divided by `fit`'s: above 1, the loop is slower.
"""

from __future__ import annotations

from benchmarks.common import Comparison, Side, notebook_code, time_repeats

CONFIGS = {
    "full": {"examples": 10_000, "epochs": 2, "repeats": 3},
    "tiny": {"examples": 256, "epochs": 1, "repeats": 1},
}


def run(mode: str = "full") -> list[Comparison]:
    import tensorflow_datasets as tfds

    import helpers

    cfg = CONFIGS[mode]
    names = ("x_pool", "batches", "make_mlp", "make_train_step")
    nb = notebook_code("07", *names, helpers=helpers, tfds=tfds)
    n, epochs = cfg["examples"], cfg["epochs"]
    dataset = nb["batches"](nb["x_pool"][:n], nb["y_pool"][:n])
    steps = epochs * int(dataset.cardinality())

    fit_model = nb["make_mlp"]()

    def fit():
        fit_model.fit(dataset, epochs=epochs, shuffle=False, verbose=0)

    loop_model = nb["make_mlp"]()
    train_step = nb["make_train_step"](loop_model, loop_model.optimizer)

    def loop():
        for _ in range(epochs):
            for images, labels in dataset:
                train_step(images, labels)

    # One untimed call each traces the step functions; the scale turns seconds into s/step.
    loop_seconds = time_repeats(loop, cfg["repeats"])
    fit_seconds = time_repeats(fit, cfg["repeats"])
    per_call = fit_model.steps_per_execution
    return [
        Comparison(
            "nb07 hand loop vs fit, s/step",
            Side("tf.function loop (s/step)", loop_seconds, scale=1 / steps),
            Side("model.fit (s/step)", fit_seconds, scale=1 / steps),
            note=(
                f"ratio = loop's time per step / fit's; {n:,} digits, batch "
                f"{nb['BATCH_SIZE']}, {steps} steps per repeat, fit with steps_per_execution="
                f"{per_call}"
            ),
            extra={"steps_per_repeat": steps},
        )
    ]
