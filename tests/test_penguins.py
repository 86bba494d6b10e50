"""helpers.penguins: the committed file is the real table, and a bad or missing file fails loudly.

Damage is always done to temporary copies of data/penguins.
"""

from __future__ import annotations

import hashlib
import shutil
import tomllib

import numpy as np
import pytest

from helpers import penguins
from helpers.data import DATA_ROOT, REPO_ROOT
from helpers.penguins import PenguinDataError

REPO_FILE = DATA_ROOT / "penguins" / penguins.FILE_NAME


@pytest.fixture
def root(tmp_path):
    """A data folder holding a copy of the committed penguins file."""
    (tmp_path / "penguins").mkdir()
    shutil.copy(REPO_FILE, tmp_path / "penguins" / penguins.FILE_NAME)
    return tmp_path


def test_the_committed_file_matches_its_published_digest():
    raw = REPO_FILE.read_bytes()
    assert (len(raw), hashlib.sha256(raw).hexdigest()) == penguins.EXPECTED


def test_complete_rows_are_the_well_known_333_with_their_species_counts():
    table = penguins.load_penguins()
    assert list(table) == list(penguins.COLUMNS)
    assert all(len(column) == 333 for column in table.values())
    species, counts = np.unique(table["species"], return_counts=True)
    assert dict(zip(species.tolist(), counts.tolist())) == {
        "Adelie": 146,
        "Chinstrap": 68,
        "Gentoo": 119,
    }
    assert table["body_mass_g"].dtype == np.float32
    assert table["body_mass_g"].min() >= 2700 and table["body_mass_g"].max() <= 6300


def test_all_rows_keep_missing_values_visible():
    table = penguins.load_penguins(complete_only=False)
    assert len(table["species"]) == penguins.ROWS
    assert np.isnan(table["body_mass_g"]).sum() == 2
    assert (table["sex"] == "").sum() == 11


def test_a_missing_file_names_itself_and_the_fix(root):
    (root / "penguins" / penguins.FILE_NAME).unlink()
    with pytest.raises(PenguinDataError, match="is missing") as error:
        penguins.load_penguins(root)
    assert penguins.FILE_NAME in str(error.value) and penguins.FIX in str(error.value)


def test_an_altered_value_is_caught_by_its_sha256(root):
    path = root / "penguins" / penguins.FILE_NAME
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b"3750", b"3751", 1))  # same size, one digit changed
    with pytest.raises(PenguinDataError, match="is damaged") as error:
        penguins.load_penguins(root)
    assert penguins.FIX in str(error.value)
    assert path.read_bytes() != raw  # the user's file is reported, not replaced


def test_a_wrong_table_with_the_right_digest_is_still_refused(root, monkeypatch):
    path = root / "penguins" / penguins.FILE_NAME
    path.write_bytes(b"species,island\nAdelie,Dream\n")
    raw = path.read_bytes()
    monkeypatch.setattr(penguins, "EXPECTED", (len(raw), hashlib.sha256(raw).hexdigest()))
    with pytest.raises(PenguinDataError, match="expected 344 rows with columns species"):
        penguins.load_penguins(root)


def test_no_file_anywhere_says_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(penguins, "find_data_root", lambda: None)
    monkeypatch.setattr(penguins, "_installed_copy", lambda: None)
    with pytest.raises(PenguinDataError, match=r"was not found .*data/penguins"):
        penguins.penguins_csv()


def test_a_plain_install_carries_the_same_file():
    """The Colab setup cell installs the package alone: pyproject ships the file beside it."""
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = config["tool"]["setuptools"]["data-files"]
    assert any("data/penguins/penguins.csv" in files for files in shipped.values()), shipped
    assert any("penguins" in target for target in shipped), shipped
