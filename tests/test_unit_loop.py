"""`make unit` stays a fast loop: what starts real processes is marked and left to `make test`."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_make_unit_skips_process_tests_and_make_test_runs_them():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    unit = re.search(r"^unit:.*\n\t(.+)$", makefile, re.MULTILINE)[1]
    test = re.search(r"^test:.*\n\t(.+)$", makefile, re.MULTILINE)[1]
    assert '-m "not slow and not process"' in unit
    assert '-m "not slow"' in test
