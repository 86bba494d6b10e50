"""helpers.data: the committed files are real MNIST, bad data fails loudly, TFDS prep is offline.

Damage is done to temporary copies of data/. The prepared TFDS folder is data/tfds when `make
data` made it, else built once per session with sockets disabled. A plain install (Binder,
Kaggle, the Colab setup cell's `pip install git+...`) must find data/ from notebooks/.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from helpers import data
from helpers.data import MnistDataError

REPO_MNIST = data.DATA_ROOT / "mnist"
TRAIN_LABEL_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
IMAGES_GZ = "train-images-idx3-ubyte.gz"
LABELS_GZ = "train-labels-idx1-ubyte.gz"


def tree_digest(folder):
    """Name and SHA-256 of every file below ``folder``: to show nothing else was touched."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def check_error(error, file_name, fix=data.FIX_IDX):
    """The error names the damaged file and the command that fixes it."""
    message = str(error.value)
    assert file_name in message and f"`{fix}`" in message, message


@pytest.fixture
def root(tmp_path):
    """A data folder holding a copy of the committed MNIST files and a file that is not ours."""
    shutil.copytree(REPO_MNIST, tmp_path / "mnist")
    (tmp_path / "notes.txt").write_text("someone else's file\n")
    return tmp_path


@pytest.fixture(scope="module")
def train():
    return data.load_mnist("train")


# --- the committed files are real MNIST ----------------------------------------------------


def test_the_committed_files_are_the_official_mnist(train):
    """Official sizes and types, per-class counts, and the well-known pixel mean and std."""
    images, labels = train
    test_images, test_labels = data.load_mnist("test")
    assert images.shape == (60_000, 28, 28) and labels.shape == (60_000,)
    assert test_images.shape == (10_000, 28, 28) and test_labels.shape == (10_000,)
    assert images.dtype == labels.dtype == np.uint8
    assert np.bincount(labels, minlength=10).tolist() == TRAIN_LABEL_COUNTS
    counts = np.bincount(images.ravel(), minlength=256)  # a histogram: no float copy
    values = np.arange(256) / 255.0
    mean = counts @ values / counts.sum()
    std = np.sqrt(counts @ (values - mean) ** 2 / counts.sum())
    assert mean == pytest.approx(0.1307, abs=5e-5)
    assert std == pytest.approx(0.3081, abs=5e-5)
    with pytest.raises(ValueError, match=r"split must be one of \['train', 'test'\]"):
        data.load_mnist("validation")


# --- bad IDX files never pass silently -----------------------------------------------------


def truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def change_one_label(path):
    """Still a well-formed IDX file in a valid gzip file: only the SHA-256 can tell."""
    raw = bytearray(gzip.decompress(path.read_bytes()))
    raw[100] = (raw[100] + 1) % 10
    path.write_bytes(gzip.compress(bytes(raw)))


def list_a_wrong_digest(path):
    """The checksum file edited to match altered data: it must still list the official ones."""
    digest = data.EXPECTED["t10k-labels-idx1-ubyte"][1]
    path.write_text(path.read_text().replace(digest, "0" * 64))


@pytest.mark.parametrize(
    ("name", "damage", "message"),
    [
        (IMAGES_GZ, Path.unlink, "is missing"),
        (IMAGES_GZ, truncate, "not a complete gzip file"),
        (LABELS_GZ, change_one_label, r"SHA-256.*truncated or altered"),
        (data.SUMS_FILE, Path.unlink, "is missing"),
        (data.SUMS_FILE, list_a_wrong_digest, "official size and SHA-256"),
    ],
)
def test_a_damaged_idx_file_is_caught_and_named_with_the_fix(root, name, damage, message):
    damage(root / "mnist" / name)
    for read in (data.load_mnist, data.mnist_idx_files, data.prepare_mnist):
        with pytest.raises(MnistDataError, match=message) as error:
            read(root=root)
        check_error(error, name)
    assert not (root / "tfds").exists() and not (root / "tfds.partial").exists(), "built anyway"


# --- the prepared TFDS dataset ---------------------------------------------------------------


@pytest.fixture(scope="session")
def prepared(tmp_path_factory):
    """A complete prepared tfds folder: data/tfds if `make data` made it, else built once."""
    if data.prepared_problem(data.DATA_ROOT / "tfds") is None:
        return data.DATA_ROOT / "tfds"
    root = tmp_path_factory.mktemp("prepared")
    shutil.copytree(REPO_MNIST, root / "mnist")

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        patch.setattr(socket, "create_connection", refuse)
        data.prepare_mnist(root, progress=False)
    return root / "tfds"


@pytest.fixture
def prepared_copy(root, prepared):
    """``root`` with a copy of the prepared folder, to damage; plus another dataset to keep."""
    shutil.copytree(prepared / "mnist", root / "tfds" / "mnist")
    (root / "tfds" / "other_dataset").mkdir()
    (root / "tfds" / "other_dataset" / "keep.bin").write_bytes(b"\x01\x02")
    return root


def fake_build(prepared):
    """Stands in for the TFDS build (tested once below): copy a finished version folder."""

    def build(target_root, arrays, progress):
        assert sorted(arrays) == ["test", "train"]  # the verified arrays are handed over
        built = target_root / data.TFDS_NAME / data.TFDS_VERSION
        shutil.copytree(prepared / data.TFDS_NAME / data.TFDS_VERSION, built)
        (built / data.MARKER).unlink()
        return built

    return build


@pytest.mark.process  # loads TensorFlow and TFDS
def test_prepared_mnist_is_the_standard_tfds_dataset(prepared, train):
    import tensorflow_datasets as tfds

    splits, info = tfds.load(
        "mnist",
        data_dir=str(prepared),
        download=False,
        with_info=True,
        decoders={"image": tfds.decode.SkipDecoding()},
    )
    assert str(info.version) == "3.0.1"
    assert {k: v.num_examples for k, v in info.splits.items()} == data.SPLIT_SIZES
    labels = np.concatenate([b["label"].numpy() for b in splits["train"].batch(20_000)])
    assert np.bincount(labels).tolist() == TRAIN_LABEL_COUNTS
    # The first decoded images are MNIST training images (TFDS stores them shuffled).
    known = {image.tobytes() for image in train[0]}
    decoded = tfds.load("mnist", split="train[:300]", data_dir=str(prepared), download=False)
    assert all(ex["image"].numpy()[..., 0].tobytes() in known for ex in decoded)


def test_builder_never_asks_the_download_manager_for_anything(tmp_path):
    class Refuse:
        def __getattr__(self, name):
            raise AssertionError(f"download manager used: {name}")

    arrays = {"train": (np.zeros((2, 28, 28), np.uint8), np.array([3, 4], np.uint8))}
    builder = data._offline_builder_class()(arrays=arrays, progress=False, data_dir=str(tmp_path))
    assert builder.name == "mnist" and str(builder.version) == "3.0.1"
    generators = builder._split_generators(Refuse())
    assert sorted(generators) == ["test", "train"]
    key, example = next(iter(generators["train"]))
    assert key == 0 and example["label"] == 3 and example["image"].shape == (28, 28, 1)


@pytest.mark.parametrize(
    ("damage", "named", "message"),
    [
        (lambda d: shutil.rmtree(d), "mnist/3.0.1", "not prepared"),
        (lambda d: (d / data.MARKER).unlink(), "mnist/3.0.1", "half-written"),
        (lambda d: (d / "dataset_info.json").unlink(), "dataset_info.json", "is missing"),
        (
            lambda d: (d / "mnist-train.tfrecord-00000-of-00001").write_bytes(b"cut"),
            "mnist-train.tfrecord-00000-of-00001",
            "truncated or altered",
        ),
        (lambda d: (d / data.MARKER).write_text("{"), data.MARKER, "is damaged"),
    ],
)
def test_a_damaged_prepared_folder_is_caught_and_names_make_data(
    prepared_copy, damage, named, message
):
    damage(prepared_copy / "tfds" / data.TFDS_NAME / data.TFDS_VERSION)
    with pytest.raises(MnistDataError, match=message) as error:
        data.mnist_tfds_dir(prepared_copy)
    check_error(error, named, fix=data.FIX_PREPARED)


def test_an_interrupted_preparation_never_looks_complete_and_is_redone_in_place(
    prepared_copy, prepared, monkeypatch
):
    """What an interrupted `make data` leaves is reported, then replaced; nothing else moves."""
    version_dir = prepared_copy / "tfds" / data.TFDS_NAME / data.TFDS_VERSION
    shutil.rmtree(version_dir)
    others = {
        p: tree_digest(p) for p in (prepared_copy / "mnist", prepared_copy / "tfds/other_dataset")
    }

    def interrupted(target_root, arrays, progress):
        (target_root / "mnist" / "3.0.1").mkdir(parents=True)
        (target_root / "mnist" / "3.0.1" / "mnist-train.tfrecord-00000-of-00001").write_bytes(b"x")
        raise KeyboardInterrupt

    monkeypatch.setattr(data, "_build_tfds", interrupted)
    with pytest.raises(KeyboardInterrupt):
        data.prepare_mnist(prepared_copy)
    with pytest.raises(MnistDataError, match="interrupted") as error:
        data.mnist_tfds_dir(prepared_copy)
    check_error(error, "mnist/3.0.1", fix=data.FIX_PREPARED)
    version_dir.mkdir()  # and a half-written folder (no marker) where the real one goes
    (version_dir / "mnist-test.tfrecord-00000-of-00001").write_bytes(b"half")

    monkeypatch.setattr(data, "_build_tfds", fake_build(prepared))  # `make data` again
    assert data.prepare_mnist(prepared_copy) == prepared_copy / "tfds"
    assert data.mnist_tfds_dir(prepared_copy) == str(prepared_copy / "tfds")
    assert tree_digest(version_dir) == tree_digest(prepared / data.TFDS_NAME / data.TFDS_VERSION)
    assert {p: tree_digest(p) for p in others} == others
    assert (prepared_copy / "notes.txt").read_text() == "someone else's file\n"
    assert not (prepared_copy / "tfds.partial").exists()


def test_command_line_reports_ok_and_errors(prepared_copy, capsys):
    assert data.main(["prepare", "--root", str(prepared_copy)]) == 0
    assert "already prepared" in capsys.readouterr().out
    assert data.main(["check", "--root", str(prepared_copy)]) == 0
    (prepared_copy / "mnist" / IMAGES_GZ).unlink()
    assert data.main(["check", "--root", str(prepared_copy)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and IMAGES_GZ in err and data.FIX_IDX in err


# --- where data/ is found: Colab, the working directory, COURSE_DATA_DIR ----------------------


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """Not on Colab, no COURSE_DATA_DIR, no data/ beside the package or above the working dir."""
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.delenv("COLAB_RELEASE_TAG", raising=False)
    monkeypatch.delenv(data.DATA_ENV, raising=False)
    monkeypatch.setattr(data, "DATA_ROOT", tmp_path / "site" / "data")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_on_colab_without_repo_data_the_official_files_are_downloaded_and_verified(
    elsewhere, monkeypatch
):
    import urllib.request

    # Notebook 10's workers never import google.colab but inherit Colab's environment.
    monkeypatch.setenv("COLAB_RELEASE_TAG", "release-colab_20260101-060000_RC00")
    monkeypatch.setattr(data, "_colab_tfds_dir", lambda: "~/tensorflow_datasets")
    assert data.mnist_tfds_dir() == "~/tensorflow_datasets"  # TFDS downloads as usual
    fetched = []

    def fake_urlretrieve(url, filename):
        fetched.append(url)
        shutil.copy(REPO_MNIST / url.rsplit("/", 1)[1], filename)

    monkeypatch.setattr(urllib.request, "urlretrieve", fake_urlretrieve)
    monkeypatch.setattr(data.Path, "home", lambda: elsewhere / "home")
    files = data.mnist_idx_files()
    assert len(fetched) == 4 and all(u.startswith(data.MIRROR_URL) for u in fetched)
    assert files["test_labels"].startswith(str(elsewhere / "home"))
    data.mnist_idx_files()  # cached: no second download
    assert len(fetched) == 4


def test_outside_colab_a_missing_repo_folder_is_an_error_not_a_download(elsewhere):
    for call in (data.mnist_tfds_dir, data.mnist_idx_files, data.load_mnist):
        with pytest.raises(MnistDataError, match="data/mnist folder was not found") as error:
            call()
        assert "git checkout -- data/mnist" in str(error.value)
        assert data.DATA_ENV in str(error.value)
    (elsewhere / "data" / "mnist").mkdir(parents=True)  # found, but empty: name the fixes
    with pytest.raises(MnistDataError, match="make data"):
        data.mnist_tfds_dir()
    with pytest.raises(MnistDataError, match="git checkout -- data/mnist"):
        data.mnist_idx_files()


def test_the_environment_variable_wins_even_on_colab_and_a_wrong_one_is_named(
    root, elsewhere, monkeypatch
):
    shutil.copytree(REPO_MNIST, elsewhere / "data" / "mnist")  # a data/ here, but the variable
    monkeypatch.setenv(data.DATA_ENV, str(root))  # names another
    assert data.find_data_root() == root
    assert data.mnist_idx_files()["train_images"].startswith(str(root / "mnist"))
    monkeypatch.setitem(sys.modules, "google.colab", object())
    assert data.mnist_idx_dir() == root / "mnist"  # no download on Colab either
    monkeypatch.setenv(data.DATA_ENV, str(elsewhere / "nowhere"))
    with pytest.raises(MnistDataError, match=f"{data.DATA_ENV}=.*nowhere has no mnist/ folder"):
        data.mnist_idx_files()


PROBE = """
import sys
sys.path.insert(0, sys.argv[1])  # the plain install, ahead of this venv's editable one
import helpers
from helpers import data, penguins
print(helpers.__file__)
print(penguins.penguins_csv())
print(len(penguins.load_penguins()["species"]))
print(data.find_data_root())
images, labels = data.load_mnist("test")
print(images.shape, labels.shape)
"""


@pytest.mark.process  # pip install, then two fresh Pythons
def test_a_plain_install_finds_mnist_next_to_the_notebooks_and_carries_the_penguins(tmp_path):
    clone = tmp_path / "course clone"  # a space in the path, as learners' folders often have
    shutil.copytree(
        data.REPO_ROOT / "helpers", clone / "helpers", ignore=shutil.ignore_patterns("__py*")
    )
    for folder in ("mnist", "penguins"):
        shutil.copytree(data.DATA_ROOT / folder, clone / "data" / folder)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(data.REPO_ROOT / name, clone / name)
    (clone / "notebooks").mkdir()
    (tmp_path / "elsewhere").mkdir()
    site = tmp_path / "site"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COURSE_DATA_DIR")}

    def run(*command, cwd=tmp_path):
        return subprocess.run(
            command, capture_output=True, text=True, env=env, cwd=cwd, timeout=180
        )

    offline = "--quiet --no-deps --no-index --no-build-isolation --disable-pip-version-check"
    install = run(sys.executable, "-m", "pip", "install", *offline.split(), "--target", site, clone)
    assert install.returncode == 0, install.stdout + install.stderr
    assert (site / "helpers" / "data.py").is_file()
    assert not (site / "data").exists()  # data/ is never part of the package

    found = run(sys.executable, "-c", PROBE, str(site), cwd=clone / "notebooks")
    assert found.returncode == 0, found.stderr
    package, _, rows, root, shapes = found.stdout.splitlines()
    assert Path(package) == site / "helpers" / "__init__.py"
    assert Path(root) == clone / "data"
    assert (rows, shapes) == ("333", "(10000, 28, 28) (10000,)")

    # Outside any clone, the penguins table comes with the package (pyproject's data-files,
    # as on Colab), and MNIST's error says what it looked for and how to fix it.
    lost = run(sys.executable, "-c", PROBE, str(site), cwd=tmp_path / "elsewhere")
    assert lost.returncode != 0
    _, where, rows, root = lost.stdout.splitlines()
    assert Path(where).resolve().is_relative_to(site.resolve()), where
    assert (rows, root) == ("333", "None")
    assert "data/mnist folder was not found" in lost.stderr
    assert "COURSE_DATA_DIR" in lost.stderr
