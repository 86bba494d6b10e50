"""The course's one source of truth for its GitHub slug, and what is stamped from it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
BADGE_RE = re.compile(
    r"\[!\[Open In Colab\]\([^)]*\)\]\(https://colab\.research\.google\.com/github/[^)]*\)"
)

SETUP_MARKDOWN = """\
## Setup

The first code cell prepares the notebook. It quiets TensorFlow's start-up logs, seeds the
random number generators of Python, NumPy and TensorFlow, makes TensorFlow's operations
deterministic (`tf.config.experimental.enable_op_determinism()`: a rerun gives the same
numbers, at some cost in speed), tells NumPy to print 4 decimals, and prints the versions in
use. On Colab it first installs the course's small `helpers` package. If you copy code from
here into your own script, these settings are why its numbers may print differently."""

SETUP_TEMPLATE = """\
# Setup. On Colab: install the course's helpers package (Colab keeps its own TensorFlow).
# Everywhere: quiet TensorFlow's logs, seed every random generator, print the versions.
import sys

if "google.colab" in sys.modules:
    import subprocess

    course_repo = "git+{git_url}"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", course_repo], check=True)

import helpers

helpers.setup_notebook()"""


def course_config() -> dict[str, str]:
    """The [tool.course] table of pyproject.toml (repository slug and branch)."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        config = tomllib.load(f)["tool"]["course"]
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", config.get("repository", "")):
        raise ValueError(f"[tool.course] repository must be 'owner/name', got {config!r}")
    return config


def git_url() -> str:
    config = course_config()
    return f"https://github.com/{config['repository']}.git@{config['branch']}"


def colab_url(notebook: Path) -> str:
    config = course_config()
    rel = notebook.resolve().relative_to(ROOT).as_posix()
    return (
        f"https://colab.research.google.com/github/{config['repository']}/blob/"
        f"{config['branch']}/{rel}"
    )


def badge(notebook: Path) -> str:
    return f"[![Open In Colab]({BADGE_IMAGE})]({colab_url(notebook)})"


def setup_source(url: str | None = None) -> str:
    return SETUP_TEMPLATE.format(git_url=url or git_url())


README_START = "<!-- notebook-table:start (make stamp writes this table) -->"
README_END = "<!-- notebook-table:end -->"
GOAL_RE = re.compile(r"After this notebook you can (.+?)\.?\s*$", re.MULTILINE)


def notebook_table(notebooks: list[Path]) -> str:
    """The README's notebook table: number, title, what you learn, Colab badge."""
    import nbformat

    rows = ["| # | notebook | what you learn | open |", "|---|---|---|---|"]
    for path in sorted(notebooks):
        title_cell = nbformat.read(path, as_version=4).cells[0].source
        title = title_cell.splitlines()[0].split("·", 1)[-1].strip()
        goal = GOAL_RE.search(title_cell)
        learn = goal.group(1) if goal else ""
        rel = path.resolve().relative_to(ROOT).as_posix()
        rows.append(f"| {path.name[:2]} | [{title}]({rel}) | {learn} | {badge(path)} |")
    return "\n".join(rows)


def readme_with_table(readme: str, notebooks: list[Path]) -> str:
    """README text with the part between the table markers replaced by the current table."""
    start, end = readme.index(README_START), readme.index(README_END)
    table = notebook_table(notebooks)
    return f"{readme[: start + len(README_START)]}\n{table}\n{readme[end:]}"
