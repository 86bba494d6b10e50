"""Every function helpers exports ends its docstring with the back-link `make stamp` writes
("Used in notebooks 04, 05 and 08.", "Used in every notebook."); one that no notebook uses says
which README shows it ("Used in README.ko.md.") and must appear there.
"""

from __future__ import annotations

import inspect
import textwrap
from pathlib import Path

import pytest

import helpers
from tools.derived import USED_IN_RE, back_links, exported_functions, used_in, with_back_links

ROOT = Path(__file__).resolve().parents[1]


def test_every_back_link_is_as_make_stamp_writes_it_and_readme_functions_are_shown():
    """with_back_links raises for a docstring without the sentence or a function nobody uses."""
    links = back_links()
    assert {"setup_notebook", "version_report", "load_mnist"} <= set(links)
    for path in exported_functions():
        text = path.read_text(encoding="utf-8")
        assert with_back_links(text, links) == text, f"{path.name}: run `make stamp`"
    for name in [name for name, link in links.items() if link is None]:
        readme = USED_IN_RE.search(" ".join(inspect.getdoc(getattr(helpers, name)).split()))[1]
        assert f"helpers.{name}(" in (ROOT / readme).read_text(encoding="utf-8"), (name, readme)


def test_the_sentence_lists_notebooks_in_order():
    everyone = {"00", "01", "02"}
    assert used_in({"01"}, everyone) == "Used in notebook 01."
    assert used_in({"02", "00"}, everyone) == "Used in notebooks 00 and 02."
    assert used_in({"02", "00", "01"}, {"00", "01", "02", "03"}) == (
        "Used in notebooks 00, 01 and 02."
    )
    assert used_in(everyone, everyone) == "Used in every notebook."
    with pytest.raises(ValueError, match="no notebook"):
        used_in(set(), everyone)


MODULE = textwrap.dedent('''\
    def wrapped(x):
        """Do a thing, said in two lines. Used in
        notebooks 01 and
        02.
        """


    def long_line(x):
        """A summary that is long enough for a longer back-link to overflow. Used in notebook 01."""


    def in_readme(x):
        """Draw Korean. Used in README.ko.md."""


    def untouched(x):
        """Not exported. Used in notebook 09."""


    def no_link(x):
        """Does a thing."""
    ''')


def test_back_links_are_rewritten_in_place_and_long_lines_broken():
    links = {
        "wrapped": "Used in notebook 05.",
        "long_line": "Used in notebooks 01, 02 and 03.",
        "in_readme": None,
    }
    new = with_back_links(MODULE, links)
    assert '"""Do a thing, said in two lines. Used in notebook 05.\n    """' in new
    assert 'overflow.\n    Used in notebooks 01, 02 and 03."""' in new
    assert '"""Draw Korean. Used in README.ko.md."""' in new
    assert '"""Not exported. Used in notebook 09."""' in new
    assert max(len(line) for line in new.splitlines()) <= 100
    assert with_back_links(new, links) == new
    # A README function that a notebook starts to use gets its back-link, in place.
    new = with_back_links(MODULE, {"in_readme": "Used in notebooks 03 and 04."})
    assert '"""Draw Korean. Used in notebooks 03 and 04."""' in new


@pytest.mark.parametrize(
    ("links", "message"),
    [
        ({"untouched": None}, "untouched: no notebook uses it"),
        ({"no_link": "Used in notebook 01."}, "no_link: the docstring needs"),
    ],
)
def test_a_function_without_a_back_link_or_a_user_is_named(links, message):
    with pytest.raises(ValueError, match=message):
        with_back_links(MODULE, links)
    errors = []  # make stamp collects them and writes the rest
    assert with_back_links(MODULE, links, errors) == MODULE and message in errors[0]
