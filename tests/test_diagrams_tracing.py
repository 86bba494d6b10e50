"""helpers.draw_tracing: the calls, Python boxes and graphs it draws, and bad input."""

import pytest
from matplotlib.patches import FancyBboxPatch

from helpers import draw_tracing

CALLS = [
    ("f(1)", "Python value 1", True),
    ("f(1)", "Python value 1", False),
    ("f(tf.constant(1.0))", "float32, shape ()", True),
    ("f(tf.constant(2.0))", "float32, shape ()", False),
    ("f(tf.constant([1.0, 2.0]))", "float32, shape (2,)", True),
]


def texts(ax):
    return [t.get_text() for t in ax.texts]


def test_draws_every_call_and_one_graph_per_signature_with_the_labels_given():
    ax = draw_tracing(CALLS, function="f", title="five calls")
    drawn = texts(ax)
    for call, _, _ in CALLS:
        assert call in drawn
    graphs = [t for t in drawn if t.startswith("graph ")]
    assert graphs == [
        "graph 1: Python value 1",
        "graph 2: float32, shape ()",
        "graph 3: float32, shape (2,)",
    ]
    assert drawn.count("f's body\nruns once") == 3  # one Python run per trace
    assert drawn.count("trace") == 3
    assert "same signature: reuse graph 1" in drawn and "same signature: reuse graph 2" in drawn
    # three Python boxes and three graph boxes, nothing for the two reused calls
    assert len([p for p in ax.patches if isinstance(p, FancyBboxPatch)]) == 6
    assert ax.get_title() == "five calls"


def test_the_function_name_appears_in_the_python_boxes():
    ax = draw_tracing([("double(1)", "Python value 1", True)], function="double")
    assert "double's body\nruns once" in texts(ax)


@pytest.mark.parametrize(
    ("calls", "message"),
    [
        ([], "non-empty sequence"),
        ("f(1)", "non-empty sequence"),
        ([("f(1)", "Python value 1")], r"calls\[0\] must be a \(call, signature, traced\) tuple"),
        ([("", "Python value 1", True)], "non-empty strings"),
        ([("f(1)", "Python value 1", "yes")], "traced must be True or False"),
        ([("f(1)", "Python value 1", False)], "no earlier call traced"),
        (
            [("f(1)", "Python value 1", True), ("f(1)", "Python value 1", True)],
            r"already has a graph \(traced by calls\[0\]\)",
        ),
    ],
)
def test_bad_calls_raise_a_value_error_that_says_what_was_expected(calls, message):
    with pytest.raises(ValueError, match=message):
        draw_tracing(calls)


def test_bad_function_name_and_axes_raise():
    with pytest.raises(ValueError, match="function must be a non-empty name"):
        draw_tracing(CALLS, function="")
    with pytest.raises(ValueError, match="ax must be a matplotlib Axes"):
        draw_tracing(CALLS, ax="not axes")


def test_renders_to_png(tmp_path):
    ax = draw_tracing(CALLS, function="f")
    out = tmp_path / "tracing.png"
    ax.figure.savefig(out)
    assert out.stat().st_size > 10_000
