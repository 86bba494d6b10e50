"""Offline Palmer penguins: a small real table for regression, verified on every read.

``data/penguins/penguins.csv`` holds the 344 penguins of the Palmer penguins data (Gorman,
Williams and Fraser 2014; Palmer Station LTER; CC0), byte for byte as the ``palmerpenguins``
0.1.6 package on PyPI ships it. Every read checks its size and SHA-256 and its header before a
value is used. The file is found in the course's ``data/`` folder (found as for MNIST, see
``helpers.data``); a plain install of the package (the Colab setup cell) carries a copy of the
same file, so Colab needs no download either.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

import numpy as np

from helpers.data import find_data_root

FILE_NAME = "penguins.csv"
# The one source of truth for the file: its size in bytes and SHA-256.
EXPECTED = (15_241, "f204db2c753b0937caac3cb35258562c14f073e4bbc76be24b4c51ce22767a93")
COLUMNS = (
    "species",
    "island",
    "bill_length_mm",
    "bill_depth_mm",
    "flipper_length_mm",
    "body_mass_g",
    "sex",
    "year",
)
TEXT_COLUMNS = ("species", "island", "sex")
ROWS = 344
FIX = "git checkout -- data/penguins"
DISTRIBUTION = "tf-course-helpers"
# Where pyproject.toml's data-files puts the copy, under an install's data folder.
SHARED_DIR = "share/tf-course-helpers/penguins"


class PenguinDataError(RuntimeError):
    """The penguins file is missing, damaged or not the expected table; the message names it."""


def _installed_copy() -> Path | None:
    """The copy that ``pip install`` of the course's package puts under ``share/``, if any."""
    candidates = []
    try:
        files = metadata.files(DISTRIBUTION) or []
    except metadata.PackageNotFoundError:
        files = []
    # Where pip recorded it: right for an install into an environment.
    candidates += [Path(f.locate()) for f in files if f.name == FILE_NAME]
    # `pip install --target DIR` puts share/ inside DIR, beside the package, while its record
    # still points two folders higher; and a user install uses the user base.
    candidates += [
        Path(base) / SHARED_DIR / FILE_NAME
        for base in (Path(__file__).resolve().parents[1], sysconfig.get_path("data"), sys.prefix)
    ]
    return next((path for path in candidates if path.is_file()), None)


def penguins_csv(root: str | os.PathLike | None = None) -> Path:
    """The penguins file: in ``root/penguins``, else data/penguins, else the installed copy."""
    if root is not None:
        return Path(root) / "penguins" / FILE_NAME
    data_root = find_data_root()
    if data_root is not None and (data_root / "penguins" / FILE_NAME).is_file():
        return data_root / "penguins" / FILE_NAME
    installed = _installed_copy()
    if installed is not None:
        return installed
    looked = "data/penguins (from the working directory upward) and the installed package"
    raise PenguinDataError(
        f"{FILE_NAME} was not found (looked in {looked}); run from inside a clone of the "
        f"course and restore the file with `{FIX}`"
    )


def read_penguins_bytes(path: str | os.PathLike) -> bytes:
    """The file's bytes, once their size and SHA-256 match ``EXPECTED``."""
    path = Path(path)
    if not path.is_file():
        raise PenguinDataError(f"{path} is missing; restore it with `{FIX}`")
    raw = path.read_bytes()
    size, digest = EXPECTED
    actual = hashlib.sha256(raw).hexdigest()
    if len(raw) != size or actual != digest:
        raise PenguinDataError(
            f"{path} is damaged: {len(raw):,} bytes with SHA-256 {actual[:12]}..., expected "
            f"{size:,} bytes with SHA-256 {digest[:12]}...; restore it with `{FIX}`"
        )
    return raw


def load_penguins(
    root: str | os.PathLike | None = None, *, complete_only: bool = True
) -> dict[str, np.ndarray]:
    """Verified penguins table as one array per column (NaN/"" where missing).
    Used in notebook 09."""
    path = penguins_csv(root)
    rows = list(csv.reader(io.StringIO(read_penguins_bytes(path).decode("utf-8"))))
    header, body = tuple(rows[0]), rows[1:]
    if header != COLUMNS or len(body) != ROWS:
        raise PenguinDataError(
            f"{path}: expected {ROWS} rows with columns {', '.join(COLUMNS)}; got {len(body)} "
            f"rows with columns {', '.join(header)}"
        )
    table = {}
    for i, name in enumerate(COLUMNS):
        values = [row[i] for row in body]
        if name in TEXT_COLUMNS:
            table[name] = np.array(["" if v == "NA" else v for v in values])
        else:
            table[name] = np.array([np.nan if v == "NA" else float(v) for v in values], "float32")
    if complete_only:
        complete = np.ones(ROWS, bool)
        for name, column in table.items():
            complete &= column != "" if name in TEXT_COLUMNS else ~np.isnan(column)
        table = {name: column[complete] for name, column in table.items()}
    return table
