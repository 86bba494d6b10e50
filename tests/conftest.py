import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

# Tests in other people's files that `make unit` leaves to `make test`, as if they carried
# @pytest.mark.process: they run the benchmarks or build a TFDS dataset for real (seconds each
# on 2 cores). Tests in the files that carry the marker themselves are not listed here.
PROCESS_TESTS = {
    "tests/test_benchmarks.py::test_every_benchmark_runs_tiny_and_writes_the_report",
    "tests/test_benchmarks.py::test_training_loop_benchmark_reports_seconds_per_step",
    "tests/test_data.py::test_prepared_mnist_is_the_standard_tfds_dataset",
}


@pytest.hookimpl(tryfirst=True)  # before -m and -k deselect anything
def pytest_collection_modifyitems(config, items):
    found = set()
    for item in items:
        name = item.nodeid.split("[", 1)[0]
        if name in PROCESS_TESTS:
            item.add_marker(pytest.mark.process)
            found.add(name)
    collected = {item.nodeid.split("::", 1)[0] for item in items}
    lost = {name for name in PROCESS_TESTS - found if name.split("::", 1)[0] in collected}
    if lost and not any("::" in arg for arg in config.args):  # a renamed test, not a pick
        raise pytest.UsageError(f"tests/conftest.py PROCESS_TESTS names missing tests: {lost}")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")
