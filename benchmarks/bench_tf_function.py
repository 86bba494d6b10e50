"""Notebook 03's claim: a function of many small ops runs faster as a graph than eagerly."""

from __future__ import annotations

from benchmarks.common import Comparison, Side, time_repeats

CONFIGS = {"full": {"calls": 20, "repeats": 7}, "tiny": {"calls": 2, "repeats": 1}}


def many_small_ops(x):
    """200 tiny elementwise ops on a small tensor: Python dispatch dominates in eager mode."""
    import tensorflow as tf

    for _ in range(50):
        x = tf.tanh(x * 0.9 + 0.1) - 0.05 * x
    return tf.reduce_sum(x)


def run(mode: str = "full") -> list[Comparison]:
    import tensorflow as tf

    cfg = CONFIGS[mode]
    x = tf.random.stateless_normal([64], seed=[1, 2])
    graph = tf.function(many_small_ops)
    xla = tf.function(many_small_ops, jit_compile=True)

    def timed(f):
        def run_calls():
            for _ in range(cfg["calls"]):
                f(x).numpy()

        return time_repeats(run_calls, cfg["repeats"])

    eager = Side(f"eager, {cfg['calls']} calls", timed(many_small_ops))
    return [
        Comparison("tf.function vs eager (200 ops)", eager, Side("tf.function", timed(graph))),
        Comparison("XLA jit_compile vs eager", eager, Side("tf.function(jit_compile)", timed(xla))),
    ]
