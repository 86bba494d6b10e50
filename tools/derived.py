"""Text that `make stamp` derives instead of anyone keeping it by hand: the back-link that
ends each exported helpers function's docstring ("Used in notebooks 04, 05 and 08."), from the
notebooks' code, as d2l's library says where each function is defined; README.md's Performance
table, from the last `make bench` (build/bench.json).
"""

from __future__ import annotations

import ast
import datetime
import inspect
import json
import re
from pathlib import Path

from tools.course import ROOT, and_list

NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
LINE_LIMIT = 100  # ruff's line-length in pyproject.toml
USED_IN_RE = re.compile(
    r"Used\s+in\s+(?:every\s+notebook|notebooks?\s+\d\d(?:(?:,\s+|\s+and\s+)\d\d)*"
    r"|(README[\w.]*\.md))\."
)
# setup_notebook prints it: a notebook that calls setup_notebook uses it.
CALLED_BY_SETUP = {"version_report": "setup_notebook"}


def notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks").glob(NOTEBOOK_GLOB))


def notebook_code(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def users(name: str, paths: list[Path]) -> set[str]:
    """The numbers (as "05") of the notebooks whose code calls helpers.<name>."""
    called = re.compile(rf"\bhelpers\.{CALLED_BY_SETUP.get(name, name)}\b")
    return {path.name[:2] for path in paths if called.search(notebook_code(path))}


def used_in(numbers: set[str], everyone: set[str]) -> str:
    """The back-link sentence for a function used by the notebooks numbered `numbers`."""
    if not numbers:
        raise ValueError("no notebook uses it")
    if numbers == everyone and len(everyone) > 1:
        return "Used in every notebook."
    return f"Used in notebook{'s' if len(numbers) > 1 else ''} {and_list(sorted(numbers))}."


def exported_functions() -> dict[Path, list[str]]:
    """helpers' exported functions, by the file that defines them."""
    import helpers

    found: dict[Path, list[str]] = {}
    for name in sorted(helpers.__all__):
        obj = inspect.unwrap(getattr(helpers, name))  # a context manager's own function
        if inspect.isfunction(obj):
            found.setdefault(Path(inspect.getsourcefile(obj)).resolve(), []).append(name)
    return found


def back_links(paths: list[Path] | None = None) -> dict[str, str | None]:
    """Each exported function's back-link; None where no notebook uses it."""
    paths = notebooks() if paths is None else paths
    everyone = {path.name[:2] for path in paths}
    functions = [name for names in exported_functions().values() for name in names]
    numbers = {name: users(name, paths) for name in functions}
    return {name: used_in(n, everyone) if n else None for name, n in numbers.items()}


def with_back_links(
    source: str, links: dict[str, str | None], errors: list[str] | None = None
) -> str:
    """`source` (a module) with the back-link of each function named in `links` rewritten.

    A docstring must already hold one "Used in ..." sentence, which is replaced; a line made
    longer than LINE_LIMIT is broken before it. A function no notebook uses (None) must say
    "Used in README....md." instead. A ValueError names the function otherwise, or, when an
    `errors` list is given, the message is appended to it and the other functions are done.
    """
    lines = source.splitlines(keepends=True)
    functions = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in links
    ]
    for node in sorted(functions, key=lambda n: n.lineno, reverse=True):
        try:
            lines = _rewrite(node, lines, links[node.name])
        except ValueError as err:
            if errors is None:
                raise
            errors.append(str(err))
    return "".join(lines)


def _rewrite(node: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str], link: str | None):
    """`lines` with the back-link in `node`'s docstring set to `link` (see with_back_links)."""
    doc = node.body[0]
    first, last = doc.lineno - 1, doc.end_lineno
    text = "".join(lines[first:last])
    match = USED_IN_RE.search(text) if ast.get_docstring(node) else None
    if match is None:
        raise ValueError(f"{node.name}: the docstring needs a 'Used in notebook NN.' sentence")
    if link is None:
        if match[1] is None:
            raise ValueError(f"{node.name}: no notebook uses it (say 'Used in README.md.')")
        return lines
    text = text[: match.start()] + link + text[match.end() :]
    new = text.splitlines(keepends=True)
    for i, line in enumerate(new):
        at = line.find(link)
        if at > 0 and len(line.rstrip("\n")) > LINE_LIMIT and line[:at].strip():
            indent = " " * (node.col_offset + 4)
            new[i : i + 1] = [line[:at].rstrip() + "\n", indent + line[at:]]
            break
    return lines[:first] + new + lines[last:]


# README.md's Performance table.
PERFORMANCE_START = "<!-- performance-table:start (make stamp writes it from build/bench.json) -->"
PERFORMANCE_END = "<!-- performance-table:end -->"
BENCH_REPORT = ROOT / "build" / "bench.json"


def _seconds(s: float) -> str:
    """Three significant digits, in ms below a second: 8.69 ms, 214 ms, 5.42 s, 994 s, 1,330 s."""
    value, unit = (s * 1e3, "ms") if s < 0.9995 else (s, "s")
    return f"{value:,.0f} {unit}" if value >= 99.95 else f"{value:.3g} {unit}"


def _ratio(r: float) -> str:
    return f"{r:,.0f}x" if r >= 99.95 else f"{r:.1f}x"


def _side(side: dict) -> str:
    spread = f"{_seconds(side['min_s'])}-{_seconds(side['max_s'])}"
    return f"{side['label']}: {_seconds(side['median_s'])} ({spread})"


def performance_table(report: list[dict], measured_on: str) -> str:
    """The Performance table written from `make bench`'s report, measured on `measured_on`."""
    if not report:
        raise ValueError("build/bench.json holds no comparison; run `make bench`")
    tensorflow = {entry["tensorflow"] for entry in report}
    cpus = {entry["cpu_count"] for entry in report}
    runs = sorted({entry["n_runs"] for entry in report})
    repeats = str(runs[0]) if len(runs) == 1 else f"{runs[0]} to {runs[-1]}"
    rows = [
        f"Written by `make stamp` from the `make bench` of {measured_on} (TensorFlow "
        f"{', '.join(sorted(tensorflow))}, {', '.join(map(str, sorted(cpus)))} CPUs, CPU only): "
        f"medians of {repeats} timed runs after a warm-up, min-max in brackets.",
        "",
        "| comparison | baseline | the course's way | ratio |",
        "|---|---|---|---|",
    ]
    notes = []
    for entry in report:
        rows.append(
            f"| {entry['name']} | {_side(entry['baseline'])} | {_side(entry['course'])} "
            f"| {_ratio(entry['ratio'])} |"
        )
        if entry.get("note"):
            notes.append(f"- {entry['name']}: {entry['note']}")
    return "\n".join(rows + (["", *notes] if notes else []))


def readme_with_performance(readme: str, table: str) -> str:
    """README text with the part between the Performance markers replaced by `table`."""
    if PERFORMANCE_START not in readme or PERFORMANCE_END not in readme:
        raise ValueError(f"README.md needs the markers {PERFORMANCE_START} and {PERFORMANCE_END}")
    start, end = readme.index(PERFORMANCE_START), readme.index(PERFORMANCE_END)
    return f"{readme[: start + len(PERFORMANCE_START)]}\n{table}\n{readme[end:]}"


def bench_table(path: Path = BENCH_REPORT) -> str | None:
    """The Performance table from `path`, or None when `make bench` has not written it."""
    if not path.is_file():
        return None
    report = json.loads(path.read_text(encoding="utf-8"))
    day = datetime.date.fromtimestamp(path.stat().st_mtime).isoformat()
    return performance_table(report, day)
