"""Companion pages: links into notebook sections, and the errata written from one source.

A link to a notebook section uses the anchor JupyterLab gives a heading: the heading's rendered
text with each space replaced by "-" (`## 3. Keras: a hidden layer solves XOR` becomes
`#3.-Keras:-a-hidden-layer-solves-XOR`). `broken_links` checks every relative link of a
Markdown page: the file must exist and, for a notebook, the anchor must name one of its headings.

`docs/errata.toml` lists every correction the course makes to the lecture notes, in English and
Korean; `make stamp` writes `ERRATA.md` and `docs/ko/errata.md` from it (`errata_pages`).
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from urllib.parse import unquote

from tools.course import readme_with_table

ROOT = Path(__file__).resolve().parents[1]
ERRATA_SOURCE = ROOT / "docs" / "errata.toml"
ERRATA_PAGES = {"en": ROOT / "ERRATA.md", "ko": ROOT / "docs" / "ko" / "errata.md"}

HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
# Markdown that does not show in a heading's rendered text: code ticks, emphasis, links.
INLINE_LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# A link target may hold balanced parentheses: headings like "Dense (fully connected) layers".
LINK_RE = re.compile(r"(?<!!)\[([^\]]*)\]\(((?:[^()\s]|\([^()\s]*\))+)\)")


def rendered_text(heading: str) -> str:
    """A Markdown heading's text as rendered: without code ticks, emphasis or link targets."""
    text = INLINE_LINK_RE.sub(r"\1", heading)
    return re.sub(r"[`*]|(?<!\w)_|_(?!\w)", "", text).strip()


def anchor(heading: str) -> str:
    """JupyterLab's anchor for a heading: its rendered text with spaces replaced by '-'."""
    return rendered_text(heading).replace(" ", "-")


def notebook_headings(path: Path) -> list[str]:
    """The text of every Markdown heading in a notebook, in order."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    headings = []
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        in_fence = False
        for line in "".join(cell["source"]).splitlines():
            if line.lstrip().startswith("```"):
                in_fence = not in_fence
            match = None if in_fence else HEADING_RE.match(line)
            if match:
                headings.append(match[2])
    return headings


def section_link(notebook: str, heading: str, *, start: Path = ROOT) -> str:
    """A relative link from the folder `start` to a notebook's section, checked to exist."""
    path = ROOT / "notebooks" / notebook
    if not path.is_file():
        raise ValueError(f"no notebook {notebook!r} in notebooks/")
    if heading not in notebook_headings(path):
        raise ValueError(f"{notebook} has no heading {heading!r}")
    rel = Path(*[".."] * len(start.relative_to(ROOT).parts), "notebooks", notebook).as_posix()
    return f"{rel}#{anchor(heading)}"


def broken_links(page: Path) -> list[str]:
    """Every relative link in a Markdown page whose file or notebook section does not exist."""
    problems = []
    for text, target in LINK_RE.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        file_part, _, fragment = target.partition("#")
        path = (page.parent / unquote(file_part)).resolve()
        if not path.exists():
            problems.append(f"[{text}]({target}): no file {file_part}")
        elif fragment and path.suffix == ".ipynb":
            anchors = {anchor(h) for h in notebook_headings(path)}
            if unquote(fragment) not in anchors:
                problems.append(f"[{text}]({target}): {path.name} has no heading #{fragment}")
    return problems


# --- README.ko.md: its notebook table, from docs/ko/notebooks.toml and the notebooks ---

KO_TITLES = ROOT / "docs" / "ko" / "notebooks.toml"
README_KO = ROOT / "README.ko.md"


def korean_titles(notebooks: list[Path]) -> dict[str, dict[str, str]]:
    """Each notebook's Korean title and goal; a clear error names a notebook with no entry."""
    with open(KO_TITLES, "rb") as f:
        titles = tomllib.load(f)
    missing = [p.stem for p in notebooks if p.stem not in titles]
    if missing:
        raise ValueError(f"{KO_TITLES.relative_to(ROOT)} has no title and goal for {missing}")
    return titles


def readme_ko_with_table(readme: str, notebooks: list[Path]) -> str:
    """README.ko.md's text with its notebook table (Korean titles and goals) rewritten."""
    titles = korean_titles(notebooks)
    return readme_with_table(
        readme,
        notebooks,
        header="| # | 노트북 | 배우는 내용 | 핵심 읽기 시간 | 열기 |",
        describe=lambda path, _: (titles[path.stem]["title"], titles[path.stem]["learn"]),
        minutes="{}분",
    )


# --- ERRATA.md and docs/ko/errata.md, from docs/errata.toml ---

ERRATA_TEXT = {
    "en": {
        "title": "# Errata: what the course corrects in the lecture notes",
        "intro": (
            'The course grew out of the Korean lecture notes "Deep Learning(1) - 개요". Where'
            " they are wrong or outdated, a notebook says so and shows the right way; this page"
            " lists every such correction, in the order of the notes' own sections, with the"
            " notebook section that shows it. The Korean version is"
            " [docs/ko/errata.md](docs/ko/errata.md); the map from the notes' sections to the"
            " notebooks is [docs/notes-map.md](docs/notes-map.md)."
        ),
        "generated": (
            "*Written by `make stamp` from `docs/errata.toml`, the one source of both"
            " languages: edit that file, not this page.*"
        ),
        "heading": "Notes {notes_section} → notebook {number}",
        "notes_say": "The notes",
        "correct": "Right",
        "why": "Why",
        "shown": "Shown in",
    },
    "ko": {
        "title": "# 정오표: 강의 노트에서 바로잡은 내용",
        "intro": (
            "이 강좌는 강의 노트 「Deep Learning(1) - 개요」에서 출발했습니다. 노트의 내용이"
            " 틀렸거나 지금과 맞지 않는 곳은 노트북에서 그렇다고 밝히고 올바른 방법을"
            " 보여 줍니다. 이 페이지는 그렇게 바로잡은 내용을 노트의 절 순서대로 모두 모으고,"
            " 각각을 직접 확인할 수 있는 노트북 절로 연결합니다. 영어판은"
            " [ERRATA.md](../../ERRATA.md), 노트의 절과 노트북을 잇는 지도는"
            " [notes-map.md](../notes-map.md), 용어는 [용어집](glossary.md)에 있습니다."
        ),
        "generated": (
            "*이 페이지는 `make stamp`가 `docs/errata.toml`에서 만듭니다. 두 언어의 원본은"
            " 그 파일 하나이니, 고칠 때는 이 페이지가 아니라 그 파일을 고치세요.*"
        ),
        "heading": "노트 {notes_section} → 노트북 {number}",
        "notes_say": "노트의 내용",
        "correct": "바로잡음",
        "why": "이유",
        "shown": "확인할 곳",
    },
}
ERRATUM_FIELDS = ("notes_say", "correct", "why")


def load_errata() -> list[dict]:
    """The entries of docs/errata.toml, each checked to have every field in both languages."""
    with open(ERRATA_SOURCE, "rb") as f:
        entries = tomllib.load(f).get("erratum", [])
    if not entries:
        raise ValueError(f"{ERRATA_SOURCE.relative_to(ROOT)} lists no [[erratum]]")
    for i, entry in enumerate(entries, 1):
        fields = {key: entry.get(key) for key in ("notes_section", "notebook", "section")}
        for lang in ERRATA_TEXT:
            words = entry.get(lang) if isinstance(entry.get(lang), dict) else {}
            fields.update({f"{lang}.{key}": words.get(key) for key in ERRATUM_FIELDS})
        missing = [key for key, value in fields.items() if not str(value or "").strip()]
        if missing:
            raise ValueError(f"docs/errata.toml, erratum {i}: missing or empty {missing}")
    return entries


def errata_page(lang: str) -> str:
    """ERRATA.md ("en") or docs/ko/errata.md ("ko"), written from docs/errata.toml."""
    text = ERRATA_TEXT[lang]
    page = ERRATA_PAGES[lang]
    parts = [text["title"], text["intro"], text["generated"]]
    for entry in load_errata():
        link = section_link(entry["notebook"], entry["section"], start=page.parent)
        number = entry["notebook"][:2]
        heading = text["heading"].format(notes_section=entry["notes_section"], number=number)
        words = entry[lang]
        parts.append(
            f"## {heading}\n\n"
            + "\n".join(f"- **{text[field]}:** {words[field]}" for field in ERRATUM_FIELDS)
            + f"\n- **{text['shown']}:** [{number} · {rendered_text(entry['section'])}]({link})"
        )
    return "\n\n".join(parts) + "\n"
