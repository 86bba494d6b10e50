"""Create a notebook skeleton that follows the course conventions.

    python -m tools.new_notebook notebooks/02_variables.ipynb "Variables" "change weights in place"

It holds the title with its Colab badge, the one-sentence goal, the stamped setup cell, and
empty Recap and Exercises sections. Fill it in, then `make record NB=...`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from tools.course import SETUP_MARKDOWN, badge, normalise, setup_source


def skeleton(path: Path, title: str, goal: str) -> nbformat.NotebookNode:
    """A new notebook with the title, badge, goal, setup cell, recap and exercises."""
    number = path.name[:2]
    cells = [
        new_markdown_cell(
            f"# {number} · {title}\n\n{badge(path)}\n\nAfter this notebook you can {goal}."
        ),
        new_markdown_cell(SETUP_MARKDOWN),
        new_code_cell(setup_source()),
        new_markdown_cell("## Recap\n\n- ..."),
        new_markdown_cell("## Exercises\n\n1. ..."),
        new_markdown_cell("## Solutions"),
    ]
    nb = new_notebook(cells=cells)
    normalise(nb)
    return nb


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    target = Path(sys.argv[1])
    if not re.fullmatch(r"\d\d_[a-z0-9]+(_[a-z0-9]+)*\.ipynb", target.name):
        raise SystemExit(f"{target.name}: expected NN_snake_case.ipynb")
    if target.exists():
        raise SystemExit(f"{target} exists; not overwriting it")
    nbformat.write(skeleton(target, sys.argv[2], sys.argv[3]), target)
    print(f"created {target}")
