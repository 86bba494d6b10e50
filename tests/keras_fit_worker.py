"""A notebook-10 worker that trains with Keras ``fit``, as TensorFlow's tutorial does.

Only tests/test_distributed.py starts it (``python tests/keras_fit_worker.py --out DIR``), to
check that Keras 3's ``fit`` still fails under MultiWorkerMirroredStrategy with two workers
(keras-team/keras#20585), as notebook 10 says.
"""

from __future__ import annotations

import sys
from typing import Any

from helpers.distributed import main, worker_mlp


def train_with_fit(strategy: Any, *, steps: int, global_batch: int, examples: int, seed: int):
    """Keras ``fit`` under the strategy, with the same model and data as train_mnist_steps."""
    import keras
    import tensorflow as tf

    from helpers.data import load_mnist

    images, labels = load_mnist("train")
    ds = tf.data.Dataset.from_tensor_slices((images[:examples], labels[:examples]))
    with strategy.scope():
        model = worker_mlp(seed)
        model.compile(
            optimizer=keras.optimizers.SGD(0.1),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
    history = model.fit(
        ds.batch(global_batch), epochs=1, steps_per_epoch=steps, shuffle=False, verbose=0
    )
    return model.get_weights(), [float(x) for x in history.history["loss"]]


if __name__ == "__main__":
    sys.exit(main(train=train_with_fit))
