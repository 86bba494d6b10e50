"""What the benchmarks share: the notebooks' own code, and medians, spreads and ratios."""

from __future__ import annotations

import ast
import contextlib
import io
import json
import linecache
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def notebook_code(number: str, *names: str, **given: Any) -> dict[str, Any]:
    """Run the code cells of notebook ``number`` that define ``names``; return their namespace.

    A benchmark times the code a notebook teaches, not a copy of it. The cells run in notebook
    order, printing nothing, in a namespace holding TensorFlow (``tf``), Keras, NumPy (``np``)
    and ``given`` (the earlier results those cells use). A cell's definitions are its top-level
    ``def`` and assignment targets; each name must be defined by exactly one code cell.
    """
    import keras
    import numpy as np
    import tensorflow as tf

    (path,) = NOTEBOOKS.glob(f"{number}_*.ipynb")
    sources = [
        "".join(cell["source"])
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
        if cell["cell_type"] == "code"
    ]
    chosen = set()
    for name in names:
        defining = [i for i, source in enumerate(sources) if name in _defined_names(source)]
        if len(defining) != 1:
            raise LookupError(
                f"{path.name}: {len(defining)} code cells define {name!r}, expected exactly one "
                "(a benchmark runs that cell: keep the name defined in one cell)"
            )
        chosen.add(defining[0])
    namespace = {"tf": tf, "keras": keras, "np": np, **given}
    for index in sorted(chosen):
        filename = f"<{path.name}, code cell {index}>"
        # AutoGraph reads a tf.function's source through linecache, as IPython lets it do.
        lines = sources[index].splitlines(keepends=True)
        linecache.cache[filename] = (len(sources[index]), None, lines, filename)
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(sources[index], filename, "exec"), namespace)
    return namespace


def _defined_names(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:  # a cell with IPython magics defines nothing a benchmark can run
        return set()
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


@dataclass
class Side:
    """One side of a comparison: a label and the seconds each repeat took."""

    label: str
    seconds: list[float]
    scale: float = 1.0  # e.g. 50.0 when 200 of 10,000 epochs were timed and scaled linearly

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) * self.scale

    @property
    def spread(self) -> tuple[float, float]:
        return min(self.seconds) * self.scale, max(self.seconds) * self.scale


@dataclass
class Comparison:
    """A baseline and the course's way of doing the same work, timed in the same process."""

    name: str
    baseline: Side
    course: Side
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.baseline.median / self.course.median

    def as_json(self) -> dict[str, Any]:
        import tensorflow as tf

        def side(s: Side) -> dict[str, Any]:
            low, high = s.spread
            return {"label": s.label, "median_s": s.median, "min_s": low, "max_s": high}

        return {
            "name": self.name,
            "baseline": side(self.baseline),
            "course": side(self.course),
            "ratio": self.ratio,
            "n_runs": min(len(self.baseline.seconds), len(self.course.seconds)),
            "note": self.note,
            **self.extra,
            "tensorflow": tf.__version__,
            "cpu_count": os.cpu_count(),
        }


def time_repeats(run: Callable[[], Any], repeats: int, warmup: int = 1) -> list[float]:
    """Call ``run`` ``warmup`` times untimed, then ``repeats`` times; return each call's seconds."""
    if repeats < 1 or warmup < 0:
        raise ValueError(f"need repeats >= 1 and warmup >= 0, got {repeats} and {warmup}")
    for _ in range(warmup):
        run()
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    return seconds


def format_table(comparisons: list[Comparison]) -> str:
    """A plain-text table: each comparison's two medians (with min-max) and their ratio."""
    lines = [
        f"{'benchmark':34} {'baseline (median, min-max)':30} {'course (median, min-max)':30} "
        f"{'ratio':>8}"
    ]
    for c in comparisons:
        cells = []
        for s in (c.baseline, c.course):
            low, high = s.spread
            cells.append(f"{_seconds(s.median)} ({_seconds(low)}-{_seconds(high)})")
        lines.append(f"{c.name:34} {cells[0]:30} {cells[1]:30} {c.ratio:7.1f}x")
        lines.append(f"{'':34} {c.baseline.label[:30]:30} {c.course.label[:30]:30}")
        if c.note:
            lines.append(f"{'':34} note: {c.note}")
    return "\n".join(lines)


def _seconds(s: float) -> str:
    return f"{s * 1e3:.1f} ms" if s < 1 else f"{s:.2f} s"
