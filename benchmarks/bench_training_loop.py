"""Notebook 07: the hand-written training loop against `fit`, in seconds per training step.

Both sides train notebook 07's network (Rescaling, two hidden layers of 128 ReLU units, 10
softmax outputs) with Adam on the same MNIST digits, held in memory, in shuffled batches of 64:
`fit` with its default of one step per call into TensorFlow, and the loop of notebook 07's
section 7 (a `tf.function` step with `GradientTape`, `apply_gradients` and metric objects).
tests/test_one_copy.py fails when this network, its compile settings or the step differ from
the notebook's.
The ratio is the loop's time per step divided by `fit`'s: above 1, the loop is slower.
"""

from __future__ import annotations

from benchmarks.common import Comparison, Side, time_repeats

BATCH_SIZE = 64
CONFIGS = {
    "full": {"examples": 10_000, "epochs": 2, "repeats": 3},
    "tiny": {"examples": 256, "epochs": 1, "repeats": 1},
}


def digits(n: int):
    """The first ``n`` training digits as a shuffled, batched dataset of raw uint8 pixels."""
    import tensorflow as tf

    import helpers

    images, labels = helpers.load_mnist("train")
    dataset = tf.data.Dataset.from_tensor_slices((images[:n, ..., None], labels[:n]))
    return dataset.shuffle(n, seed=42).batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)


def notebook_08_model():
    import keras

    keras.utils.set_random_seed(42)
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Rescaling(1 / 255),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(2e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def hand_written_loop(model, dataset, epochs: int):
    """Notebook 07's loop: returns a function that trains ``epochs`` epochs when called."""
    import keras
    import tensorflow as tf

    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    optimizer = keras.optimizers.Adam(2e-3)
    train_loss, train_acc = keras.metrics.Mean(), keras.metrics.SparseCategoricalAccuracy()

    @tf.function
    def train_step(images, labels):
        with tf.GradientTape() as tape:
            probabilities = model(images, training=True)
            loss = loss_fn(labels, probabilities) + sum(model.losses)
        gradients = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(gradients, model.trainable_weights))
        train_loss.update_state(loss)
        train_acc.update_state(labels, probabilities)

    def train():
        for _ in range(epochs):
            train_loss.reset_state()
            train_acc.reset_state()
            for images, labels in dataset:
                train_step(images, labels)

    return train


def run(mode: str = "full") -> list[Comparison]:
    cfg = CONFIGS[mode]
    dataset = digits(cfg["examples"])
    epochs = cfg["epochs"]
    steps = epochs * int(dataset.cardinality())

    fit_model = notebook_08_model()

    def fit():
        fit_model.fit(dataset, epochs=epochs, shuffle=False, verbose=0)

    loop = hand_written_loop(notebook_08_model(), dataset, epochs)
    # One untimed call each traces the step functions; the scale turns seconds into s/step.
    loop_seconds = time_repeats(loop, cfg["repeats"])
    fit_seconds = time_repeats(fit, cfg["repeats"])
    return [
        Comparison(
            "nb08 hand loop vs fit, s/step",
            Side("tf.function loop (s/step)", loop_seconds, scale=1 / steps),
            Side("model.fit (s/step)", fit_seconds, scale=1 / steps),
            note=(
                f"ratio = loop's time per step / fit's; {cfg['examples']:,} digits, batch "
                f"{BATCH_SIZE}, {steps} steps per repeat, fit with steps_per_execution=1"
            ),
            extra={"steps_per_repeat": steps},
        )
    ]
