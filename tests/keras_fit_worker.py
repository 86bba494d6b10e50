"""A notebook-10 worker that trains with Keras ``fit``, as TensorFlow's tutorial does.

Only tests/test_distributed.py starts it, through ``helpers.local_cluster``, to check that
Keras 3's ``fit`` still fails under MultiWorkerMirroredStrategy with two workers
(keras-team/keras#20585), as notebook 10 says.
"""

import keras
import tensorflow as tf

import helpers

strategy = tf.distribute.MultiWorkerMirroredStrategy()
images, labels = helpers.load_mnist("train")
dataset = tf.data.Dataset.from_tensor_slices((images[:256], labels[:256])).batch(64)
with strategy.scope():
    model = keras.Sequential(
        [keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)]
    )
    model.compile(
        optimizer=keras.optimizers.SGD(0.1),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
model.fit(dataset, epochs=1, steps_per_epoch=2, verbose=0)
print("fit finished")
