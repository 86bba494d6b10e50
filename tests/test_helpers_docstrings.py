"""Every function the helpers package exports names, in its docstring, the notebooks that use it.

Like d2l's library pointing back to where each function is taught: "Used in notebook 05.",
"Used in notebooks 04, 05 and 08." or "Used in every notebook.", and the list must be true.
A function shown to learners in a README instead ("Used in README.ko.md.") must appear there.
"""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pytest

import helpers

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
USED_IN = re.compile(
    r"Used in (every notebook|notebooks? (\d\d(?:(?:, | and )\d\d)*)|(README[\w.]*\.md))\."
)
# setup_notebook prints it: a notebook that calls setup_notebook uses it.
CALLED_BY_SETUP = {"version_report"}

FUNCTIONS = sorted(name for name in helpers.__all__ if inspect.isfunction(getattr(helpers, name)))


def code_of(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def users(name: str) -> set[str]:
    """The numbers (as "05") of the notebooks whose code calls helpers.<name>."""
    pattern = re.compile(rf"\bhelpers\.{name}\b")
    return {path.name[:2] for path in NOTEBOOKS if pattern.search(code_of(path))}


def test_there_are_functions_to_check():
    assert {"setup_notebook", "load_mnist", "local_cluster", "plot_runs"} <= set(FUNCTIONS)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_docstring_names_the_notebooks_that_use_the_function(name):
    doc = inspect.getdoc(getattr(helpers, name)) or ""
    match = USED_IN.search(" ".join(doc.split()))
    assert match, f"helpers.{name}: the docstring must say 'Used in notebook NN.'"
    if match[3]:
        readme = (ROOT / match[3]).read_text(encoding="utf-8")
        assert f"helpers.{name}(" in readme, f"helpers.{name}: {match[3]} does not show it"
        assert not users(name), f"helpers.{name}: notebooks {sorted(users(name))} use it too"
        return
    everyone = {path.name[:2] for path in NOTEBOOKS}
    used = users("setup_notebook") if name in CALLED_BY_SETUP else users(name)
    claimed = everyone if match[1] == "every notebook" else set(re.findall(r"\d\d", match[2]))
    assert claimed == used, (
        f"helpers.{name}: the docstring says {match[0]!r}, but notebooks {sorted(used)} use it"
    )
