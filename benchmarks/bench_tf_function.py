"""Notebook 03's claim: a function of many small ops runs faster as a graph than eagerly.

The function and its input are notebook 03's own `many_small_ops` and `x_small`.
"""

from __future__ import annotations

from benchmarks.common import Comparison, Side, notebook_code, time_repeats

CONFIGS = {"full": {"calls": 20, "repeats": 7}, "tiny": {"calls": 2, "repeats": 1}}


def run(mode: str = "full") -> list[Comparison]:
    import tensorflow as tf

    cfg = CONFIGS[mode]
    nb = notebook_code("03", "many_small_ops", "x_small")
    many_small_ops, x = nb["many_small_ops"], nb["x_small"]

    def timed(function):
        def run_calls():
            for _ in range(cfg["calls"]):
                function(x).numpy()

        return time_repeats(run_calls, cfg["repeats"])

    eager = Side(f"eager, {cfg['calls']} calls", timed(many_small_ops))
    graph = Side("tf.function", timed(tf.function(many_small_ops)))
    xla = Side("tf.function(jit_compile)", timed(tf.function(many_small_ops, jit_compile=True)))
    return [
        Comparison("tf.function vs eager (nb03 ops)", eager, graph),
        Comparison("XLA jit_compile vs eager", eager, xla),
    ]
