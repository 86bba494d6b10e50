"""Re-stamp every notebook's badge, reading path and setup cells, and the pages derived from them.

The pages: the notebook tables of README.md and README.ko.md, and the errata (ERRATA.md,
docs/ko/errata.md) written from docs/errata.toml.

The badge and setup cell come from [tool.course] in pyproject.toml; the reading-path line
(core sections and reading times, see course.reading_path) from the notebook's own cells.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from tools.course import (
    BADGE_RE,
    ROOT,
    SETUP_MARKDOWN,
    badge,
    readme_with_table,
    setup_source,
    title_with_reading_path,
)
from tools.docs import ERRATA_PAGES, README_KO, errata_page, readme_ko_with_table


def stamp(path: Path) -> bool:
    """Rewrite one notebook's badge, reading path and setup cells; True if the file changed."""
    nb = nbformat.read(path, as_version=4)
    title = nb.cells[0]
    if title.cell_type != "markdown" or not BADGE_RE.search(title.source):
        raise SystemExit(f"{path}: the first cell must be markdown holding an Open In Colab badge")
    first_code = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"), None)
    if first_code is None or "helpers.setup_notebook(" not in nb.cells[first_code].source:
        raise SystemExit(f"{path}: the first code cell must be the setup cell")
    setup_md, setup_code = nb.cells[first_code - 1], nb.cells[first_code]
    if setup_md.cell_type != "markdown" or not setup_md.source.startswith("## Setup"):
        raise SystemExit(f"{path}: a '## Setup' markdown cell must come just before the setup cell")
    old = (title.source, setup_md.source, setup_code.source)
    title.source = BADGE_RE.sub(badge(path).replace("\\", "\\\\"), title.source)
    setup_md.source = SETUP_MARKDOWN
    setup_code.source = setup_source()
    try:
        title.source = title_with_reading_path(title.source, nb.cells)
    except ValueError as err:
        raise SystemExit(f"{path}: {err}") from None
    if (title.source, setup_md.source, setup_code.source) == old:
        return False
    nbformat.write(nb, path)
    return True


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        changed = stamp(Path(arg))
        print(f"{'stamped  ' if changed else 'unchanged'} {arg}")
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    pages = {
        ROOT / "README.md": lambda text: readme_with_table(text, notebooks),
        README_KO: lambda text: readme_ko_with_table(text, notebooks),
        **{page: lambda _, lang=lang: errata_page(lang) for lang, page in ERRATA_PAGES.items()},
    }
    for page, rewrite in pages.items():
        text = page.read_text(encoding="utf-8") if page.exists() else ""
        try:
            new = rewrite(text)
        except ValueError as err:
            raise SystemExit(f"{page.relative_to(ROOT)}: {err}") from None
        if new != text:
            page.write_text(new, encoding="utf-8")
        print(f"{'rewrote  ' if new != text else 'unchanged'} {page.relative_to(ROOT)}")
