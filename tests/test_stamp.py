"""What `make stamp` and `make record` write: the README's Performance table from `make bench`'s
report, notebooks' stable metadata, and the revision the Colab badge and setup cell point at."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from tools import course, derived
from tools.new_notebook import skeleton

ROOT = Path(__file__).resolve().parents[1]


def comparison(name, baseline, course_way, n_runs, note=""):
    """One entry of `make bench`'s report; each side is (label, median, min, max) in seconds."""
    sides = [dict(zip(("label", "median_s", "min_s", "max_s"), s)) for s in (baseline, course_way)]
    entry = {"name": name, "baseline": sides[0], "course": sides[1], "n_runs": n_runs}
    entry.update(note=note, ratio=baseline[1] / course_way[1], tensorflow="2.21.0", cpu_count=2)
    return entry


REPORT = [
    comparison("tf.function", ("eager", 0.327, 0.31, 0.35), ("traced", 0.0124, 0.012, 0.013), 5),
    comparison("XOR", ("fit", 417.0, 410.0, 1330.0), ("loop", 0.0076, 0.0075, 0.0079), 3, "n.b."),
]


def test_the_performance_table_shows_each_comparison_from_the_report():
    """Three significant digits, ms below a second, thousands separated; notes below."""
    lines = derived.performance_table(REPORT, "2026-12-03").splitlines()
    assert all(s in lines[0] for s in ("2026-12-03", "TensorFlow 2.21.0", "2 CPUs", "3 to 5"))
    assert lines[4] == (
        "| tf.function | eager: 327 ms (310 ms-350 ms) | traced: 12.4 ms (12 ms-13 ms) | 26.4x |"
    )
    assert lines[5] == (
        "| XOR | fit: 417 s (410 s-1,330 s) | loop: 7.6 ms (7.5 ms-7.9 ms) | 54,868x |"
    )
    assert lines[6:] == ["", "- XOR: n.b."]
    with pytest.raises(ValueError, match="make bench"):
        derived.performance_table([], "2026-12-03")


def test_the_readme_table_is_written_from_the_report_between_its_markers_only(tmp_path):
    start, end = derived.PERFORMANCE_START, derived.PERFORMANCE_END
    new = derived.readme_with_performance(f"intro\n{start}\nold table\n{end}\nafter\n", "table")
    assert new == f"intro\n{start}\ntable\n{end}\nafter\n"
    assert derived.readme_with_performance(new, "table") == new
    with pytest.raises(ValueError, match="markers"):
        derived.readme_with_performance("no markers", "t")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")  # the real one: one stamped table
    assert readme.count(start) == readme.count(end) == 1
    stamped = f"{start}\nWritten by `make stamp` from the `make bench` of "
    assert stamped in readme
    # What make stamp writes there: the table from build/bench.json, dated by the file.
    assert derived.bench_table(tmp_path / "missing.json") is None
    report = tmp_path / "bench.json"
    report.write_text(json.dumps(REPORT))
    os.utime(report, (1_796_000_000, 1_796_000_000))  # 2026-11-30
    assert f"{start}\n{derived.bench_table(report)}".startswith(f"{stamped}2026-")


def test_new_notebooks_start_normalised():
    nb = skeleton(ROOT / "notebooks" / "99_example.ipynb", "Example", "try things")
    assert nb.metadata == course.NOTEBOOK_METADATA
    nbformat.validate(nb)


@pytest.mark.process  # one kernel
def test_record_writes_normalised_metadata(tmp_path):
    """No interpreter version, no widget state: another Python changes only what cells print."""
    path = tmp_path / "one.ipynb"
    nb = new_notebook(cells=[new_code_cell("print(6 * 7)")])
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3.12", "language": "python"},
        "language_info": {**course.LANGUAGE_INFO, "version": "3.10.0"},
        "widgets": {"state": {}},
    }
    nbformat.write(nb, path)
    command = [sys.executable, "-m", "tools.record", str(path)]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    recorded = nbformat.read(path, as_version=4)
    assert recorded.metadata == course.NOTEBOOK_METADATA
    assert recorded.cells[0].outputs[0]["text"] == "42\n"


def test_badge_and_setup_cell_point_at_the_configured_ref_and_a_tag_at_itself():
    ref = course.course_config()["ref"]
    assert (
        course.git_url() == f"https://github.com/{course.course_config()['repository']}.git@{ref}"
    )
    assert f"/blob/{ref}/notebooks/" in course.colab_url(ROOT / "notebooks" / "01_x.ipynb")
    assert f"git+{course.git_url()}" in course.setup_source()
    # A release commit's notebooks must install that release's helpers (CONTRIBUTING.md).
    tags = subprocess.run(
        ["git", "-C", str(ROOT), "tag", "--points-at", "HEAD"], capture_output=True, text=True
    ).stdout.split()
    assert not tags or ref in tags, f"HEAD is tagged {tags} but [tool.course] ref is {ref!r}"


@pytest.mark.parametrize("ref", ["", "main branch", "../x", "-rf", "x.lock"])
def test_a_ref_that_is_no_branch_or_tag_name_is_refused(ref, monkeypatch, tmp_path):
    (tmp_path / "pyproject.toml").write_text(f'[tool.course]\nrepository = "a/b"\nref = "{ref}"\n')
    monkeypatch.setattr(course, "ROOT", tmp_path)
    with pytest.raises(ValueError, match="ref must be a branch or tag name"):
        course.course_config()
