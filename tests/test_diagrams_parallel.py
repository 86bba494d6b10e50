"""helpers.draw_data_parallel (notebook 10): what one step of data parallelism shows."""

import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import FancyBboxPatch, Rectangle

from helpers import draw_data_parallel


def texts(ax):
    return [t.get_text() for t in ax.texts]


@pytest.mark.parametrize("replicas, global_batch", [(1, 4), (2, 8), (3, 12), (4, 16)])
def test_the_global_batch_is_split_evenly_and_every_replica_applies_the_same_update(
    replicas, global_batch
):
    ax = draw_data_parallel(replicas, global_batch)
    examples = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(examples) == global_batch  # one square per example
    # Each replica's colour marks global_batch / replicas consecutive examples.
    colors = [tuple(p.get_facecolor()) for p in examples]
    per_replica = global_batch // replicas
    for r in range(replicas):
        chunk = colors[r * per_replica : (r + 1) * per_replica]
        assert len(set(chunk)) == 1
        assert r == 0 or chunk[0] != colors[(r - 1) * per_replica]
    shown = texts(ax)
    assert f"global batch: {global_batch} examples" in shown
    assert [f"replica {r + 1}" for r in range(replicas)] == [
        t for t in shown if t.startswith("replica ")
    ]
    assert sum(f"\n{per_replica} examples\n" in t for t in shown) == replicas
    assert shown.count("w ← w − η g") == replicas  # the same update on every replica
    (reduce_text,) = [t for t in shown if t.startswith("all-reduce")]
    assert f"/ {replicas}" in reduce_text
    boxes = [p for p in ax.patches if isinstance(p, FancyBboxPatch)]
    assert len(boxes) == 2 * replicas + 1  # replicas, updates, one all-reduce


def test_draws_on_given_axes_with_a_title():
    _fig, ax = plt.subplots()
    assert draw_data_parallel(ax=ax, title="data parallelism") is ax
    assert ax.get_title() == "data parallelism"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"replicas": 0}, "replicas must be an int from 1 to 4"),
        ({"replicas": 5, "global_batch": 10}, "replicas must be"),
        ({"replicas": True}, "replicas must be"),
        ({"replicas": 2, "global_batch": 7}, "split"),
        ({"replicas": 2, "global_batch": 26}, "from 2 to 24"),
        ({"replicas": 2, "global_batch": 8.0}, "global_batch"),
        ({"ax": "axes"}, "ax must be"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        draw_data_parallel(**kwargs)
