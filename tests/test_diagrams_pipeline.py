"""helpers.draw_prefetch_timeline (notebook 06): the bars it draws, their timing, bad input.

Also draw_network's ``units`` and ``unit_labels``, which notebook 06 uses to draw the pixels
that matter and to name the output units by digit.
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.patches import Rectangle

from helpers import draw_network, draw_prefetch_timeline


def bars(ax):
    """(x, width, y-centre) of every bar, sorted by lane (top first), then by time."""
    found = [
        (p.get_x(), p.get_width(), round(p.get_y() + p.get_height() / 2, 3))
        for p in ax.patches
        if isinstance(p, Rectangle)
    ]
    return sorted(found, key=lambda b: (-b[2], b[0]))


def test_without_prefetch_the_stages_alternate_and_with_prefetch_they_overlap():
    ax = draw_prefetch_timeline(2, 3, 4)
    drawn = bars(ax)
    assert len(drawn) == 16  # 4 batches x 2 stages x 2 timelines
    lanes = [drawn[i : i + 4] for i in range(0, 16, 4)]
    plain_prepare, plain_train, fetch_prepare, fetch_train = lanes
    # Without prefetch: prepare 2, train 3, then the next batch: a batch every 5 time units.
    assert [b[0] for b in plain_prepare] == [0, 5, 10, 15]
    assert [b[0] for b in plain_train] == [2, 7, 12, 17]
    # With prefetch the model trains back to back once the first batch is ready.
    assert [b[0] for b in fetch_train] == [2, 5, 8, 11]
    # ...and the pipeline prepares each batch while the model trains on the one before.
    assert [b[0] for b in fetch_prepare] == [0, 2, 5, 8]
    assert all(width == 2 for _, width, _ in plain_prepare + fetch_prepare)
    texts = [t.get_text() for t in ax.texts]
    assert " done at 20 ms" in texts and " done at 14 ms" in texts


def test_a_slow_pipeline_sets_the_pace_even_with_prefetch():
    ax = draw_prefetch_timeline(3, 1, 3, unit="s")
    fetch_train = bars(ax)[-3:]
    assert [b[0] for b in fetch_train] == [3, 6, 9]  # every 3 s: the pipeline is the bottleneck
    texts = [t.get_text() for t in ax.texts]
    assert " done at 12 s" in texts and " done at 10 s" in texts  # 3 x (3 + 1); 3 x 3 + 1


def test_draws_on_given_axes_with_a_title():
    _fig, ax = plt.subplots()
    assert draw_prefetch_timeline(1.5, 1, ax=ax, title="pipeline") is ax
    assert ax.get_title() == "pipeline"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"prepare": 0, "train": 1}, "positive"),
        ({"prepare": 1, "train": float("nan")}, "finite"),
        ({"prepare": "fast", "train": 1}, "prepare must be a number"),
        ({"prepare": 1, "train": 1, "batches": 0}, "batches"),
        ({"prepare": 1, "train": 1, "batches": 2.0}, "batches"),
        ({"prepare": 1, "train": 1, "ax": "axes"}, "ax must be"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        draw_prefetch_timeline(**kwargs)


# --- draw_network: chosen units and labels -------------------------------------------------


def unit_texts(ax):
    return [t.get_text() for t in ax.texts]


def test_draw_network_draws_the_chosen_units_and_labels_the_outputs():
    rng = np.random.default_rng(0)
    kernels = [rng.normal(size=(784, 16)), rng.normal(size=(16, 10))]
    ax = draw_network(
        weights=kernels,
        units={0: [350, 406, 462]},
        unit_labels={2: [str(d) for d in range(10)]},
        max_units=10,
    )
    texts = unit_texts(ax)
    assert {"$x_{351}$", "$x_{407}$", "$x_{463}$"} <= set(texts)
    assert "$x_{1}$" not in texts and "$x_{784}$" not in texts
    assert [str(d) for d in range(10)] == [t for t in texts if t.isdigit() and len(t) == 1]
    # 3 inputs x 9 shown hidden units (8, an ellipsis, the last one... max_units=10: 8 + last)
    # + 9 x 10 edges are drawn; none from a pixel that is not chosen.
    edges = [line for line in ax.lines if len(line.get_xdata()) == 2]
    assert len(edges) == 3 * 9 + 9 * 10


def test_draw_network_without_the_new_arguments_is_unchanged():
    ax = draw_network((784, 256, 10))
    assert "$x_{1}$" in unit_texts(ax) and "$\\hat{y}_{10}$" in unit_texts(ax)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"units": {0: []}}, "1 to 7 distinct units"),
        ({"units": {0: [3, 3]}}, "distinct"),
        ({"units": {0: [784]}}, "from 0 to 783"),
        ({"units": {5: [1]}}, "not a layer"),
        ({"unit_labels": {2: ["a", "b"]}}, "one label per unit"),
        ({"unit_labels": {2: "0123456789"}}, "one label per unit"),
    ],
)
def test_draw_network_refuses_bad_units_and_labels(kwargs, message):
    with pytest.raises(ValueError, match=message):
        draw_network((784, 16, 10), **kwargs)
