"""The sanitizers nbval applies before comparing outputs hide what they should, and no more."""

import re
from pathlib import Path

import pytest
from nbval.plugin import get_sanitize_patterns

CONFIG = Path(__file__).with_name("nbval_sanitize.cfg")


def sanitize(text: str) -> str:
    """Apply every regex/replace pair of the config in order, parsed by nbval itself."""
    for regex, replace in get_sanitize_patterns(CONFIG.read_text()):
        text = re.sub(regex, replace, text)
    return text


@pytest.mark.parametrize("minor", ["3.11", "3.12", "3.13"])
def test_python_version_does_not_decide_the_setup_line(minor):
    line = f"Python {minor} | TensorFlow 2.21.0 | Keras 3.15.1 | NumPy 2.4.6 | devices: CPU"
    stored = "Python 3.11 | TensorFlow 2.21.0 | Keras 3.15.1 | NumPy 2.4.6 | devices: CPU"
    assert sanitize(line) == sanitize(stored)


@pytest.mark.parametrize(
    "changed",
    [
        "Python 3.12 | TensorFlow 2.19.0 | Keras 3.15.1 | NumPy 2.4.6 | devices: CPU",
        "Python 3.12 | TensorFlow 2.21.0 | Keras 3.10.0 | NumPy 2.4.6 | devices: CPU",
        "Python 3.12 | TensorFlow 2.21.0 | Keras 3.15.1 | NumPy 2.0.2 | devices: CPU",
        "Python 3.12 | TensorFlow 2.21.0 | Keras 3.15.1 | NumPy 2.4.6 | devices: CPU, GPU",
    ],
)
def test_library_versions_and_devices_stay_compared(changed):
    stored = "Python 3.11 | TensorFlow 2.21.0 | Keras 3.15.1 | NumPy 2.4.6 | devices: CPU"
    assert sanitize(changed) != sanitize(stored)


def test_python_mentioned_in_prose_output_is_left_alone():
    text = "Python 3.11 was used to build this table"
    assert sanitize(text) == text


def test_timings_and_addresses_are_masked():
    assert sanitize("took 1.25 s at 0x7f3a2b1c4d50") == sanitize("took 3 ms at 0x55aa00112233")
