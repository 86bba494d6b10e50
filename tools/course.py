"""The course's one source of truth for its GitHub slug and ref, and what is stamped from it."""

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


# A git ref that is safe in a URL: "main", or a release tag such as "v2026.12".
REF_RE = re.compile(r"[A-Za-z0-9][\w.-]*")


def course_config() -> dict[str, str]:
    """The [tool.course] table of pyproject.toml (repository slug and the ref to stamp)."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        config = tomllib.load(f)["tool"]["course"]
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", config.get("repository", "")):
        raise ValueError(f"[tool.course] repository must be 'owner/name', got {config!r}")
    if not REF_RE.fullmatch(config.get("ref", "")) or config["ref"].endswith(".lock"):
        raise ValueError(f"[tool.course] ref must be a branch or tag name, got {config!r}")
    return config


def git_url() -> str:
    """Where the Colab setup cell installs helpers from: the stamped ref of the repository, so
    a notebook of a release installs that release's helpers."""
    config = course_config()
    return f"https://github.com/{config['repository']}.git@{config['ref']}"


def colab_url(notebook: Path) -> str:
    config = course_config()
    rel = notebook.resolve().relative_to(ROOT).as_posix()
    return (
        f"https://colab.research.google.com/github/{config['repository']}/blob/"
        f"{config['ref']}/{rel}"
    )


def badge(notebook: Path) -> str:
    return f"[![Open In Colab]({BADGE_IMAGE})]({colab_url(notebook)})"


def setup_source(url: str | None = None) -> str:
    return SETUP_TEMPLATE.format(git_url=url or git_url())


# Notebook-level metadata as `make record` and `make stamp` write it: the kernel and language,
# never the interpreter's version (3.11.7 vs 3.12.3 is no change to a lesson), no widget state.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
NOTEBOOK_METADATA = {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO}


def normalise(nb) -> bool:
    """Give notebook `nb` (an nbformat node) the course's stable metadata; True if it changed."""
    import copy

    import nbformat

    if nb.metadata == NOTEBOOK_METADATA:
        return False
    nb.metadata = nbformat.from_dict(copy.deepcopy(NOTEBOOK_METADATA))
    return True


README_START = "<!-- notebook-table:start (make stamp writes this table) -->"
README_END = "<!-- notebook-table:end -->"
GOAL_RE = re.compile(r"After this notebook you can (.+?)\.?\s*$", re.MULTILINE)
TABLE_HEADER = "| # | notebook | what you learn | core reading | open |"


def _title_and_goal(path: Path, title_cell: str) -> tuple[str, str]:
    goal = GOAL_RE.search(title_cell)
    return title_cell.splitlines()[0].split("·", 1)[-1].strip(), goal[1] if goal else ""


def notebook_table(notebooks: list[Path], header=TABLE_HEADER, describe=None, minutes="{} min"):
    """A README's notebook table: number, title, what you learn, core reading time, badge.

    ``describe(path, title_cell)`` gives a notebook's title and goal (by default, its title
    cell's); README.ko.md passes the Korean ones, its header and its unit of minutes."""
    import nbformat

    rows = [header, "|---|---|---|---|---|"]
    for path in sorted(notebooks):
        cells = nbformat.read(path, as_version=4).cells
        title, learn = (describe or _title_and_goal)(path, cells[0].source)
        rel = path.resolve().relative_to(ROOT).as_posix()
        time = minutes.format(reading_minutes(notebook_parts(cells)[0]))
        rows.append(f"| {path.name[:2]} | [{title}]({rel}) | {learn} | {time} | {badge(path)} |")
    return "\n".join(rows)


def readme_with_table(readme: str, notebooks: list[Path], **table_options) -> str:
    """README text with the part between the table markers replaced by the current table."""
    start, end = readme.index(README_START), readme.index(README_END)
    table = notebook_table(notebooks, **table_options)
    return f"{readme[: start + len(README_START)]}\n{table}\n{readme[end:]}"


# The reading path. A first reading covers the core: the numbered `## N.` sections between the
# setup cell and the `## Going further` part. The estimate counts prose at WORDS_PER_MINUTE and
# a fixed time per code cell (read the code, then its output), rounded to READING_STEP minutes.
GOING_FURTHER = "## Going further"
RECAP = "## Recap"
CORE_WORD_LIMIT = 2000
WORDS_PER_MINUTE = 200
MINUTES_PER_CODE_CELL = 1.0
READING_STEP = 5
READING_PATH_PREFIX = "**Reading path.**"
# `## N.` in the core, `### N.` inside Going further (numbering runs on); not `### 6.1`.
SECTION_RE = re.compile(r"^#{2,3} (\d+)\. ", re.MULTILINE)


def _source(cell) -> str:
    source = cell["source"]
    return "".join(source) if isinstance(source, list) else source


def _has_heading(cell, heading: str) -> bool:
    return any(line.startswith(heading) for line in _source(cell).splitlines())


def _starts_the_rest(cell) -> bool:
    """True for the markdown cell that opens Going further or, without one, the recap."""
    if cell["cell_type"] != "markdown":
        return False
    return _source(cell).startswith(GOING_FURTHER) or _has_heading(cell, RECAP)


def notebook_parts(cells: list) -> tuple[list, list]:
    """Split the cells after the setup cell into the core and the rest (Going further onward)."""
    setup = next((i for i, c in enumerate(cells) if c["cell_type"] == "code"), None)
    if setup is None:
        raise ValueError("a notebook needs a setup code cell; found no code cell")
    body = cells[setup + 1 :]
    end = next((i for i, c in enumerate(body) if _starts_the_rest(c)), len(body))
    return body[:end], body[end:]


def words(cells: list) -> int:
    """Words of markdown prose in `cells`, counted as len(text.split())."""
    return sum(len(_source(c).split()) for c in cells if c["cell_type"] == "markdown")


def reading_minutes(cells: list) -> int:
    """Estimated minutes to read `cells`, rounded to READING_STEP (at least READING_STEP)."""
    code = sum(c["cell_type"] == "code" for c in cells)
    minutes = words(cells) / WORDS_PER_MINUTE + code * MINUTES_PER_CODE_CELL
    return max(READING_STEP, READING_STEP * round(minutes / READING_STEP))


def and_list(items: list) -> str:
    """The items joined as "1", "1 and 2" or "1, 2 and 3", in the order given."""
    items = [str(item) for item in items]
    return items[-1] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _span(cells: list) -> str:
    """The numbered sections in `cells`: "sections 1–4", "section 3", "sections 2 and 5"."""
    markdown = [_source(c) for c in cells if c["cell_type"] == "markdown"]
    numbers = [int(n) for text in markdown for n in SECTION_RE.findall(text)]
    if len(numbers) > 1 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"sections {numbers[0]}–{numbers[-1]}"
    return f"section{'s' if len(numbers) > 1 else ''} {and_list(numbers)}" if numbers else ""


def reading_path(cells: list) -> str:
    """The reading-path line make stamp writes into a notebook's title cell."""
    core, rest = notebook_parts(cells)
    recap = next((i for i, c in enumerate(rest) if _has_heading(c, RECAP)), len(rest))
    line = (
        f"{READING_PATH_PREFIX} First reading: the core, "
        f"{_span(core) or 'everything before the recap'}, about {reading_minutes(core)} minutes."
    )
    extra = _span(rest[:recap])
    if extra:
        line += f" *Going further* ({extra}) can wait for a second reading; the whole notebook"
    else:
        line += " The whole notebook"
    total = reading_minutes(core + rest)
    return line + f", with the recap and exercises, takes about {total} minutes."


def title_with_reading_path(title: str, cells: list) -> str:
    """The title cell's source with its reading-path paragraph (re)written after the goal."""
    kept = [p for p in title.split("\n\n") if not p.startswith(READING_PATH_PREFIX)]
    goal = next((i for i, p in enumerate(kept) if GOAL_RE.search(p)), None)
    if goal is None:
        raise ValueError("the title cell needs an 'After this notebook you can ...' sentence")
    kept.insert(goal + 1, reading_path(cells))
    return "\n\n".join(kept)
