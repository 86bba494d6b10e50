import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

# Tests in other people's files that `make unit` leaves to `make test`, as if they carried
# @pytest.mark.process: they start worker processes, run the benchmarks or build a TFDS dataset
# for real (seconds each on 2 cores). tests/test_unit_loop.py fails when one is renamed.
PROCESS_TESTS = {
    "tests/test_benchmarks.py::test_every_benchmark_runs_tiny_and_writes_the_report",
    "tests/test_benchmarks.py::test_training_loop_benchmark_reports_seconds_per_step",
    "tests/test_data.py::test_prepared_mnist_is_the_standard_tfds_dataset",
    "tests/test_distributed.py::test_a_failing_body_leaves_no_worker_or_grandchild_behind",
    "tests/test_distributed.py::test_wait_raises_timeout_error_and_the_workers_are_killed",
    "tests/test_distributed.py::test_wait_stops_the_others_as_soon_as_one_worker_fails",
    "tests/test_distributed.py::test_wait_returns_exit_codes_and_log_drops_tf_noise",
    "tests/test_distributed.py::test_a_worker_that_ignores_sigterm_is_killed_after_the_grace_period",
    "tests/test_distributed.py::test_a_worker_whose_parent_dies_exits_on_its_own",
}
MISSING_PROCESS_TESTS = pytest.StashKey[set]()


@pytest.hookimpl(tryfirst=True)  # before -m and -k deselect anything
def pytest_collection_modifyitems(config, items):
    found = set()
    for item in items:
        name = item.nodeid.split("[", 1)[0]
        if name in PROCESS_TESTS:
            item.add_marker(pytest.mark.process)
            found.add(name)
    if any("::" in arg for arg in config.args):  # tests picked by name: nothing to check
        return
    collected = {item.nodeid.split("::", 1)[0] for item in items}
    missing = {name for name in PROCESS_TESTS - found if name.split("::", 1)[0] in collected}
    config.stash[MISSING_PROCESS_TESTS] = missing


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")
