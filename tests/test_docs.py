"""The companion pages (both READMEs, the errata pages that `make stamp` writes from
docs/errata.toml, the glossary, the notes map): every link leads somewhere real, derived pages
are current, terms exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tools import docs

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
PAGES = sorted({*ROOT.glob("*.md"), *(ROOT / "docs").rglob("*.md"), ROOT / "data" / "README.md"})
COMPANIONS = ["docs/ko/glossary.md", "docs/ko/errata.md", "docs/notes-map.md"]


def table_rows(page: str, columns: int) -> list[list[str]]:
    """The body rows of every Markdown table in `page` that has `columns` columns."""
    rows = []
    for line in (ROOT / page).read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == columns and not set(cells[0]) <= set("-: "):
            rows.append(cells)
    return [r for r in rows if not r[0].startswith(("English", "노트", "#"))]


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES])
def test_every_relative_link_leads_to_a_file_and_section_that_exist(page):
    assert docs.broken_links(page) == []


def test_the_link_check_catches_a_missing_section_and_file(tmp_path):
    page = tmp_path / "page.md"
    nb = (ROOT / "notebooks" / "05_and_xor.ipynb").as_posix()
    page.write_text(f"[a]({nb}#1.-AND-with-one-neuron) [b]({nb}#9.-Nothing) [c](nowhere.md)")
    problems = docs.broken_links(page)
    assert len(problems) == 2
    assert "has no heading #9.-Nothing" in problems[0] and "no file nowhere.md" in problems[1]


@pytest.mark.parametrize("readme", ["README.md", "README.ko.md"])
def test_both_readmes_link_every_companion_page(readme):
    text = (ROOT / readme).read_text(encoding="utf-8")
    other = "README.ko.md" if readme == "README.md" else "README.md"
    for path in [*COMPANIONS, other]:
        assert f"]({path})" in text, f"{readme} does not link {path}"


def test_readme_ko_table_is_current_and_every_notebook_has_a_korean_title(tmp_path):
    readme = docs.README_KO.read_text(encoding="utf-8")
    assert readme == docs.readme_ko_with_table(readme, NOTEBOOKS), "table: `make stamp`"
    stale = sorted(set(docs.korean_titles(NOTEBOOKS)) - {p.stem for p in NOTEBOOKS})
    assert not stale, f"docs/ko/notebooks.toml names notebooks that do not exist: {stale}"
    with pytest.raises(ValueError, match="99_new_notebook"):
        docs.korean_titles([tmp_path / "99_new_notebook.ipynb"])


@pytest.mark.parametrize("lang", sorted(docs.ERRATA_PAGES))
def test_errata_pages_are_written_from_the_one_source(lang):
    page = docs.ERRATA_PAGES[lang]
    assert page.read_text(encoding="utf-8") == docs.errata_page(lang), f"{page.name}: `make stamp`"


def test_errata_cover_the_notes_in_order_in_both_languages():
    entries = docs.load_errata()
    order = [tuple(int(n) for n in e["notes_section"].split(".")) for e in entries]
    assert order == sorted(order), "docs/errata.toml: keep the entries in the notes' order"
    for entry in entries:
        assert re.search(r"[가-힣]", entry["ko"]["correct"]), entry["ko"]["correct"]


def test_glossary_terms_occur_in_the_notebooks_and_link_where_they_are_taught():
    rows = table_rows("docs/ko/glossary.md", 4)
    cells = [c for p in NOTEBOOKS for c in json.loads(p.read_text(encoding="utf-8"))["cells"]]
    text = "\n".join("".join(c["source"]) for c in cells).lower()
    english = [row[0].strip("`").lower() for row in rows]
    duplicates = sorted({t for t in english if english.count(t) > 1})
    assert not duplicates, f"terms listed twice: {duplicates}"
    absent = [t for t in english if t not in text]
    assert not absent, f"glossary terms no notebook uses: {absent}"
    for term, korean, meaning, where in rows:
        assert re.search(r"[가-힣]", korean) and re.search(r"[가-힣]", meaning), term
        assert "](../../notebooks/" in where, f"{term}: link the section that teaches it"
    # The regularization trap: 정규화 is normalization; regularization is 규제.
    korean = dict(zip(english, (row[1] for row in rows)))
    assert korean["regularization"].startswith("규제")
    assert korean["normalization"].startswith("정규화")


def test_notes_map_sends_every_section_of_the_notes_somewhere():
    rows = table_rows("docs/notes-map.md", 4)
    sections = [row[0] for row in rows]
    assert {"1.1", "2.5", "4.7", "5.3", "6.2"} <= set(sections), sections
    for number, _, _, where in rows:
        assert "](../notebooks/" in where or "다루지 않음" in where, f"notes {number}: {where}"
