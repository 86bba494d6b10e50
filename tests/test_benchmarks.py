"""`make bench` cannot rot: every benchmark runs here in a tiny configuration."""

import contextlib
import io
import json
import re

import pytest

from benchmarks import run
from benchmarks.common import Side, notebook_code, time_repeats


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """One tiny run of every benchmark, shared by the tests below: (report path, printed text)."""
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert run.main(["--tiny", "--out", str(out)]) == 0
    return out, printed.getvalue()


@pytest.mark.process  # every benchmark, tiny, in TensorFlow
def test_every_benchmark_runs_tiny_and_writes_the_report(tiny_run):
    out, table = tiny_run
    report = json.loads(out.read_text())
    names = [entry["name"] for entry in report]
    assert names and len(set(names)) == len(names), f"missing or repeated names: {names}"
    for module in run.BENCHMARKS:  # each benchmark adds at least one comparison
        counts = re.findall(rf"^  {module}: (\d+) comparison", table, re.MULTILINE)
        assert counts and int(counts[0]) >= 1, f"benchmark {module} reported no comparison"
    for entry in report:
        assert {"name", "baseline", "course", "ratio", "n_runs", "tensorflow", "cpu_count"} <= set(
            entry
        )
        for side in (entry["baseline"], entry["course"]):
            assert side["label"] and side["median_s"] > 0
        assert entry["ratio"] == entry["baseline"]["median_s"] / entry["course"]["median_s"]
        assert entry["n_runs"] >= 1
    assert all(name in table for name in names)
    assert not out.with_suffix(".partial").exists()


def test_time_repeats_counts_calls_and_rejects_bad_arguments():
    calls = []
    seconds = time_repeats(lambda: calls.append(1), repeats=3, warmup=2)
    assert len(seconds) == 3 and len(calls) == 5
    for bad in ({"repeats": 0}, {"repeats": 1, "warmup": -1}):
        with pytest.raises(ValueError, match="repeats"):
            time_repeats(lambda: None, **bad)


def test_scaled_side_reports_scaled_median_and_spread():
    side = Side("x", [1.0, 3.0, 2.0], scale=10)
    assert side.median == 20 and side.spread == (10, 30)


@pytest.mark.process  # every benchmark, tiny, in TensorFlow
def test_training_loop_benchmark_reports_seconds_per_step(tiny_run):
    name = "nb07 hand loop vs fit, s/step"
    (entry,) = [e for e in json.loads(tiny_run[0].read_text()) if e["name"] == name]
    assert entry["steps_per_repeat"] == 4  # 256 digits in batches of 64, one epoch
    for side in (entry["baseline"], entry["course"]):
        assert 0 < side["min_s"] <= side["median_s"] <= side["max_s"] < 5  # seconds per step
    assert entry["ratio"] == entry["baseline"]["median_s"] / entry["course"]["median_s"]


def test_notebook_code_names_the_notebook_when_a_name_is_not_defined_once():
    with pytest.raises(LookupError, match=r"05_and_xor\.ipynb: 0 code cells define 'no_such'"):
        notebook_code("05", "no_such")
