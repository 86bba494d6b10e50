"""Re-stamp every notebook's Colab badge and setup cell from [tool.course] in pyproject.toml."""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from course import BADGE_RE, ROOT, badge, readme_with_table, setup_source


def stamp(path: Path) -> bool:
    """Rewrite the badge and setup cell of one notebook; return True if the file changed."""
    nb = nbformat.read(path, as_version=4)
    title = nb.cells[0]
    if title.cell_type != "markdown" or not BADGE_RE.search(title.source):
        raise SystemExit(f"{path}: the first cell must be markdown holding an Open In Colab badge")
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code or "helpers.setup_notebook(" not in code[0].source:
        raise SystemExit(f"{path}: the first code cell must be the setup cell")
    old = (title.source, code[0].source)
    title.source = BADGE_RE.sub(badge(path).replace("\\", "\\\\"), title.source)
    code[0].source = setup_source()
    if (title.source, code[0].source) == old:
        return False
    nbformat.write(nb, path)
    return True


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        changed = stamp(Path(arg))
        print(f"{'stamped  ' if changed else 'unchanged'} {arg}")
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    new = readme_with_table(text, sorted((ROOT / "notebooks").glob("*.ipynb")))
    if new != text:
        readme.write_text(new, encoding="utf-8")
    print(f"{'rewrote  ' if new != text else 'unchanged'} README.md notebook table")
