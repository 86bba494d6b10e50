"""Every notebook follows the course conventions (see CONTRIBUTING.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tools.course import BADGE_RE, SETUP_MARKDOWN, badge, setup_source

ROOT = Path(__file__).resolve().parents[1]

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MARKER = re.compile(r"^\s*#\s*NBVAL_[A-Z_]+.*$", re.MULTILINE)
ALLOWED_MARKERS = {"# NBVAL_IGNORE_OUTPUT"}
# Where a machine's own paths or a user's name would leak into stored outputs.
PRIVATE_PATH = re.compile(r"(/home/\w+|/root\b|/Users/\w+|/work/|/tmp/(?!ipykernel_)|C:\\\\Users)")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    return "".join(cell["source"])


def output_text(output: dict) -> str:
    parts = [output.get("text", ""), output.get("evalue", ""), *output.get("traceback", [])]
    for mime, value in output.get("data", {}).items():
        if mime.startswith("text/") or mime.endswith("json"):
            parts.append(value if isinstance(value, str) else json.dumps(value))
    return "".join("".join(p) if isinstance(p, list) else p for p in parts)


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"


@pytest.fixture(params=NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def notebook(request):
    return request.param, load(request.param)


def test_name_is_numbered_snake_case(notebook):
    path, _ = notebook
    assert re.fullmatch(r"\d\d_[a-z0-9]+(_[a-z0-9]+)*\.ipynb", path.name)


def test_numbers_are_unique():
    numbers = [p.name[:2] for p in NOTEBOOKS]
    assert len(numbers) == len(set(numbers)), f"two notebooks share a number: {numbers}"


def test_title_cell_has_title_and_badge_for_this_file(notebook):
    path, nb = notebook
    first = nb["cells"][0]
    text = source(first)
    assert first["cell_type"] == "markdown"
    assert re.match(rf"# {path.name[:2]} · \S", text), "first line must be '# NN · Title'"
    assert BADGE_RE.search(text), "no Open In Colab badge in the title cell"
    assert badge(path) in text, f"badge must be exactly {badge(path)} (run `make stamp`)"


def test_first_code_cell_is_the_stamped_setup_cell(notebook):
    _, nb = notebook
    first = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code")
    assert source(nb["cells"][first]) == setup_source(), "setup cell differs (run `make stamp`)"
    assert source(nb["cells"][first - 1]) == SETUP_MARKDOWN, "setup prose differs: `make stamp`"


def test_every_code_cell_was_executed_in_order(notebook):
    _, nb = notebook
    counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code"]
    assert None not in counts, "a code cell was never executed: strict nbval would skip it"
    assert counts == list(range(1, len(counts) + 1)), "re-record top to bottom with `make record`"


def test_metadata_is_normalised(notebook):
    # No interpreter version: a re-record under another Python changes nothing but outputs.
    from tools.course import NOTEBOOK_METADATA

    _, nb = notebook
    assert nb["metadata"] == NOTEBOOK_METADATA, "metadata differs: `make stamp` normalises it"


def test_markers_are_exact_and_rare(notebook):
    _, nb = notebook
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    ignored = 0
    for cell in code:
        for marker in MARKER.findall(source(cell)):
            assert marker.strip() in ALLOWED_MARKERS, f"marker {marker.strip()!r} not allowed"
            ignored += marker.strip() == "# NBVAL_IGNORE_OUTPUT"
        assert "skip-execution" not in cell.get("metadata", {}).get("tags", [])
    assert ignored * 5 < len(code), f"{ignored}/{len(code)} cells ignored; keep it under 1 in 5"


def test_no_private_paths_or_errors_in_outputs(notebook):
    _, nb = notebook
    for i, cell in enumerate(nb["cells"]):
        for output in cell.get("outputs", []):
            text = output_text(output)
            assert not PRIVATE_PATH.search(text), f"cell {i} output shows a local path: {text!r}"
            assert output["output_type"] != "error", f"cell {i} stored an error; use try/except"


def test_notebook_ends_with_recap_exercises_and_solutions(notebook):
    _, nb = notebook
    headings = [
        line
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
        for line in source(c).splitlines()
        if line.startswith("## ")
    ]
    for wanted in ("## Recap", "## Exercises", "## Solutions"):
        assert any(h.startswith(wanted) for h in headings), f"missing a '{wanted}' section"


def test_readme_table_lists_every_notebook():
    from tools.course import readme_with_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme == readme_with_table(readme, NOTEBOOKS), "README table is stale: `make stamp`"


def test_goal_sentence_present(notebook):
    from tools.course import GOAL_RE

    _, nb = notebook
    assert GOAL_RE.search(source(nb["cells"][0])), "title cell needs 'After this notebook you can'"


def headings(cells: list, prefix: str) -> list[tuple[int, str]]:
    return [
        (i, line)
        for i, c in enumerate(cells)
        if c["cell_type"] == "markdown"
        for line in source(c).splitlines()
        if line.startswith(prefix)
    ]


def test_going_further_part_sits_between_core_and_recap(notebook):
    from tools.course import GOING_FURTHER, RECAP

    _, nb = notebook
    cells = nb["cells"]
    parts = [i for i, c in enumerate(cells) if c["cell_type"] == "markdown"]
    parts = [i for i in parts if source(cells[i]).startswith(GOING_FURTHER)]
    assert len(parts) == 1, f"need exactly one cell starting with '{GOING_FURTHER}', got {parts}"
    recap = [i for i, line in headings(cells, "## ") if line.startswith(RECAP)]
    assert recap and parts[0] < recap[0], "'## Going further' must come before '## Recap'"
    numbered = [i for i, line in headings(cells, "## ") if re.match(r"## \d+\. ", line)]
    assert numbered and max(numbered) < parts[0], (
        "core sections are '## N.'; inside Going further use '### N.' headings"
    )


def test_core_prose_is_short_enough(notebook):
    from tools.course import CORE_WORD_LIMIT, notebook_parts, words

    _, nb = notebook
    core, _ = notebook_parts(nb["cells"])
    count = words(core)
    assert count <= CORE_WORD_LIMIT, f"core prose is {count} words; at most {CORE_WORD_LIMIT}"


def test_reading_path_line_is_stamped(notebook):
    from tools.course import title_with_reading_path

    _, nb = notebook
    title = source(nb["cells"][0])
    wanted = title_with_reading_path(title, nb["cells"])
    assert title == wanted, f"reading-path line is stale (run `make stamp`); want:\n{wanted}"


def test_reading_path_names_the_core_and_is_idempotent():
    from tools.course import title_with_reading_path

    def md(text):
        return {"cell_type": "markdown", "source": text}

    code = {"cell_type": "code", "source": "x = 1"}
    prose = " ".join(["word"] * 1000)  # 5 minutes at 200 words a minute
    cells = [md("# 09 · T"), code, md(f"## 1. A\n{prose}"), code, md(f"## 2. B\n{prose}")]
    cells += [md("## Going further"), md(f"### 3. C\n{prose}"), code, md("## Recap\nr")]
    title = "# 09 · T\n\nAfter this notebook you can test.\n\nMore."
    stamped = title_with_reading_path(title, cells)
    assert stamped.split("\n\n")[2] == (
        "**Reading path.** First reading: the core, sections 1–2, about 10 minutes. "
        "*Going further* (section 3) can wait for a second reading; the whole notebook, "
        "with the recap and exercises, takes about 15 minutes."
    )
    assert stamped.endswith("\n\nMore.")
    assert title_with_reading_path(stamped, cells) == stamped
    with pytest.raises(ValueError, match="After this notebook you can"):
        title_with_reading_path("# 09 · T", cells)
