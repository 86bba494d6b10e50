"""helpers.penguins: the committed file is the real table, and a bad or missing file fails loudly.

Damage is always done to temporary copies of data/penguins. That a plain install (the Colab
setup cell's) carries the file is checked by tests/test_data.py.
"""

from __future__ import annotations

import hashlib
import shutil

import numpy as np
import pytest

from helpers import penguins
from helpers.data import DATA_ROOT
from helpers.penguins import PenguinDataError

REPO_FILE = DATA_ROOT / "penguins" / penguins.FILE_NAME


@pytest.fixture
def path(tmp_path):
    """A copy of the committed penguins file, in a data folder of its own."""
    (tmp_path / "penguins").mkdir()
    return shutil.copy(REPO_FILE, tmp_path / "penguins" / penguins.FILE_NAME)


def test_the_committed_file_is_the_published_table_with_its_well_known_counts():
    raw = REPO_FILE.read_bytes()
    assert (len(raw), hashlib.sha256(raw).hexdigest()) == penguins.EXPECTED
    table = penguins.load_penguins()
    assert list(table) == list(penguins.COLUMNS)
    assert all(len(column) == 333 for column in table.values())  # the complete rows
    species = dict(zip(*np.unique(table["species"], return_counts=True)))
    assert species == {"Adelie": 146, "Chinstrap": 68, "Gentoo": 119}
    assert table["body_mass_g"].dtype == np.float32
    assert table["body_mass_g"].min() >= 2700 and table["body_mass_g"].max() <= 6300
    everything = penguins.load_penguins(complete_only=False)  # missing values stay visible
    assert len(everything["species"]) == penguins.ROWS
    assert np.isnan(everything["body_mass_g"]).sum() == 2
    assert (everything["sex"] == "").sum() == 11


def change_one_digit(path):
    path.write_bytes(path.read_bytes().replace(b"3750", b"3751", 1))  # the same size


@pytest.mark.parametrize(
    ("damage", "message"), [(lambda p: p.unlink(), "is missing"), (change_one_digit, "is damaged")]
)
def test_a_missing_or_altered_file_names_itself_and_the_fix(path, damage, message):
    damage(path)
    with pytest.raises(PenguinDataError, match=message) as error:
        penguins.load_penguins(path.parents[1])
    assert penguins.FILE_NAME in str(error.value) and penguins.FIX in str(error.value)


def test_no_file_anywhere_says_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(penguins, "find_data_root", lambda: None)
    monkeypatch.setattr(penguins, "_installed_copy", lambda: None)
    with pytest.raises(PenguinDataError, match=r"was not found .*data/penguins"):
        penguins.penguins_csv()
