"""Every function the helpers package exports ends its docstring with a back-link that
`make stamp` writes (tools/derived.py), like d2l's library pointing back to where each function
is taught: "Used in notebook 05.", "Used in notebooks 04, 05 and 08." or "Used in every
notebook.". A function shown to learners in a README instead says so ("Used in README.ko.md.")
and must appear there.
"""

from __future__ import annotations

import inspect
import textwrap
from pathlib import Path

import pytest

import helpers
from tools.derived import (
    USED_IN_RE,
    back_links,
    exported_functions,
    notebooks,
    used_in,
    users,
    with_back_links,
)

ROOT = Path(__file__).resolve().parents[1]
LINKS = back_links()


def test_there_are_functions_to_check():
    assert {"setup_notebook", "load_mnist", "local_cluster", "plot_runs"} <= set(LINKS)


@pytest.mark.parametrize("name", sorted(LINKS))
def test_docstring_names_the_notebooks_that_use_the_function(name):
    doc = " ".join((inspect.getdoc(getattr(helpers, name)) or "").split())
    match = USED_IN_RE.search(doc)
    assert match, f"helpers.{name}: the docstring needs a 'Used in notebook NN.' sentence"
    if LINKS[name] is None:
        assert match[1], f"helpers.{name}: no notebook uses it and no README is named"
        readme = (ROOT / match[1]).read_text(encoding="utf-8")
        assert f"helpers.{name}(" in readme, f"helpers.{name}: {match[1]} does not show it"
    else:
        assert match[0] == LINKS[name], f"helpers.{name}: stale back-link (run `make stamp`)"


def test_every_module_is_as_make_stamp_writes_it():
    for path in exported_functions():
        text = path.read_text(encoding="utf-8")
        assert with_back_links(text, LINKS) == text, f"{path.name}: run `make stamp`"


def test_version_report_counts_as_used_wherever_setup_notebook_is():
    assert users("version_report", notebooks()) == users("setup_notebook", notebooks())


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
    def one_line(x):
        """Do a thing. Used in notebook 01."""


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
    ''')


def test_back_links_are_rewritten_in_place_and_long_lines_broken():
    links = {
        "one_line": "Used in notebooks 03 and 04.",
        "wrapped": "Used in notebook 05.",
        "long_line": "Used in notebooks 01, 02 and 03.",
        "in_readme": None,
    }
    new = with_back_links(MODULE, links)
    assert '"""Do a thing. Used in notebooks 03 and 04."""' in new
    assert '"""Do a thing, said in two lines. Used in notebook 05.\n    """' in new
    assert 'overflow.\n    Used in notebooks 01, 02 and 03."""' in new
    assert '"""Draw Korean. Used in README.ko.md."""' in new
    assert '"""Not exported. Used in notebook 09."""' in new
    assert max(len(line) for line in new.splitlines()) <= 100
    assert with_back_links(new, links) == new


@pytest.mark.parametrize(
    ("links", "message"),
    [
        ({"untouched": None}, "no notebook uses it"),
        ({"in_readme": "Used in notebook 01."}, None),
    ],
)
def test_a_function_no_notebook_uses_must_name_a_readme(links, message):
    if message is None:  # a README function later used by a notebook gets its back-link
        assert '"""Draw Korean. Used in notebook 01."""' in with_back_links(MODULE, links)
        return
    with pytest.raises(ValueError, match=message):
        with_back_links(MODULE, links)


def test_a_docstring_without_a_back_link_is_named():
    source = 'def f():\n    """Does f."""\n'
    with pytest.raises(ValueError, match="f: the docstring needs"):
        with_back_links(source, {"f": "Used in notebook 01."})
