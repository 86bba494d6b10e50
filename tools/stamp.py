"""`make stamp`: rewrite what is derived, never written by hand (CONTRIBUTING.md lists it).

Each notebook's badge and setup cell (from [tool.course] in pyproject.toml), its reading-path
line (course.reading_path) and metadata (course.NOTEBOOK_METADATA); both READMEs' notebook
tables; the errata pages, from docs/errata.toml; helpers' "Used in notebook NN." back-links;
and README.md's Performance table, from build/bench.json when `make bench` has written it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from tools import course, derived, docs

ROOT = course.ROOT


def stamp(path: Path) -> bool:
    """Rewrite one notebook's badge, reading path, setup cells and metadata; True if changed."""
    nb = nbformat.read(path, as_version=4)
    title = nb.cells[0]
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), 0)
    setup_md, setup_code = nb.cells[first_code - 1], nb.cells[first_code]
    if title.cell_type != "markdown" or not course.BADGE_RE.search(title.source):
        raise SystemExit(f"{path}: the first cell must be markdown holding an Open In Colab badge")
    if "helpers.setup_notebook(" not in setup_code.source:
        raise SystemExit(f"{path}: the first code cell must be the setup cell")
    if setup_md.cell_type != "markdown" or not setup_md.source.startswith("## Setup"):
        raise SystemExit(f"{path}: a '## Setup' markdown cell must come just before the setup cell")
    old = (title.source, setup_md.source, setup_code.source)
    title.source = course.BADGE_RE.sub(course.badge(path).replace("\\", "\\\\"), title.source)
    setup_md.source = course.SETUP_MARKDOWN
    setup_code.source = course.setup_source()
    try:
        title.source = course.title_with_reading_path(title.source, nb.cells)
    except ValueError as err:
        raise SystemExit(f"{path}: {err}") from None
    if not course.normalise(nb) and (title.source, setup_md.source, setup_code.source) == old:
        return False
    nbformat.write(nb, path)
    return True


def rewrite(path: Path, make_text) -> None:
    """Write `make_text(old text)` to `path` when it differs; say which it was."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        new = make_text(text)
    except ValueError as err:
        raise SystemExit(f"{path.relative_to(ROOT)}: {err}") from None
    if new != text:
        path.write_text(new, encoding="utf-8")
    print(f"{'rewrote  ' if new != text else 'unchanged'} {path.relative_to(ROOT)}")


def readme(text: str, notebooks: list[Path]) -> str:
    """README.md with its notebook table and, when build/bench.json exists, its Performance."""
    text = course.readme_with_table(text, notebooks)
    table = derived.bench_table()
    if table is None:
        print("no build/bench.json (run `make bench`): README.md's Performance table kept")
        return text
    return derived.readme_with_performance(text, table)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(f"{'stamped  ' if stamp(Path(arg)) else 'unchanged'} {arg}")
    # The "Used in notebook NN." back-links: what cannot be written (a function no notebook
    # uses, a docstring without the sentence) is reported after everything else is written.
    links, problems = derived.back_links(), []
    for path in derived.exported_functions():
        errors = []
        rewrite(path, lambda text, errors=errors: derived.with_back_links(text, links, errors))
        problems += [f"{path.relative_to(ROOT)}: {error}" for error in errors]
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    rewrite(ROOT / "README.md", lambda text: readme(text, notebooks))
    rewrite(docs.README_KO, lambda text: docs.readme_ko_with_table(text, notebooks))
    for lang, page in docs.ERRATA_PAGES.items():
        rewrite(page, lambda _, lang=lang: docs.errata_page(lang))
    if problems:
        raise SystemExit("\n".join(["make stamp could not write these back-links:", *problems]))
