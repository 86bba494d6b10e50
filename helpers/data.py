"""Offline MNIST: verify the committed IDX files, read them, and prepare TFDS's ``mnist``.

``data/mnist/`` holds the four official MNIST files, gzip-compressed, with ``SHA256SUMS.tsv``.
Every read decompresses a file and checks its size and SHA-256 before the bytes are used.
``python -m helpers.data prepare`` (what ``make data`` runs) builds the standard TFDS dataset
``mnist/3.0.1`` from them into ``data/tfds/`` without touching the network, so notebooks call
``tfds.load("mnist", data_dir=helpers.mnist_tfds_dir(), download=False)``.

The course's ``data/`` folder is found wherever ``helpers`` is installed (editable, ``pip
install .`` or the ``git+`` install of the Colab setup cell): the folder named by the
``COURSE_DATA_DIR`` environment variable if set, else the first ``data/mnist`` found from the
working directory upward (notebooks run in ``notebooks/``), else the one beside the package in
an editable install. On Colab, where no such folder exists, the same functions download the
official files instead (the IDX files from TFDS's mirror; ``mnist`` through TFDS as usual).
TensorFlow and TFDS are imported only inside the functions that need them.
"""

from __future__ import annotations

import argparse
import csv
import functools
import gzip
import hashlib
import json
import os
import shutil
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from helpers._tf_logs import QUIET_TF_ENV, native_stderr_without_tf_logs

REPO_ROOT = Path(__file__).resolve().parents[1]
# Beside the package: the course's data/ in an editable install (a plain install has none).
DATA_ROOT = REPO_ROOT / "data"
# Names the course's data/ folder explicitly; wins over every search.
DATA_ENV = "COURSE_DATA_DIR"

TFDS_NAME = "mnist"
TFDS_VERSION = "3.0.1"
SPLIT_SIZES = {"train": 60_000, "test": 10_000}
IMAGE_SHAPE = (28, 28)
NUM_CLASSES = 10

# The official files, uncompressed: size in bytes and SHA-256. The one source of truth:
# data/mnist/SHA256SUMS.tsv holds a copy, and read_checksums refuses one that differs.
IDX_FILES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
EXPECTED = {
    "train-images-idx3-ubyte": (
        47_040_016,
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    ),
    "train-labels-idx1-ubyte": (
        60_008,
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    ),
    "t10k-images-idx3-ubyte": (
        7_840_016,
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    ),
    "t10k-labels-idx1-ubyte": (
        10_008,
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    ),
}
SUMS_FILE = "SHA256SUMS.tsv"
# Written last into a prepared folder: the size of every file in it, checked before each use.
MARKER = ".prepared.json"

FIX_IDX = "git checkout -- data/mnist"
FIX_PREPARED = "make data"
# Where TFDS itself downloads MNIST from; used only on Colab, where data/mnist is absent.
MIRROR_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"


class MnistDataError(RuntimeError):
    """A data file is missing, damaged or incomplete; the message names it and the fix."""


# --- where things are ------------------------------------------------------------------------


def _on_colab() -> bool:
    """True on Colab: in the notebook's kernel, and in any process it starts (its environment)."""
    # A subprocess (notebook 10's workers) never imports google.colab, but it inherits the
    # COLAB_RELEASE_TAG variable that Colab sets for the runtime.
    return "google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ


def _data_candidates() -> list[Path]:
    """Where data/ may be: the working directory and each parent, then beside the package."""
    here = Path.cwd()
    return [folder / "data" for folder in (here, *here.parents)] + [DATA_ROOT]


def find_data_root() -> Path | None:
    """The course's data/ folder (holding ``mnist/``), or None when there is none to be found."""
    explicit = os.environ.get(DATA_ENV)
    if explicit:
        root = Path(explicit).expanduser()
        if not (root / "mnist").is_dir():
            raise MnistDataError(
                f"{DATA_ENV}={explicit} has no mnist/ folder; point it at the course's data/ "
                f"folder (the one holding mnist/), or unset it"
            )
        return root
    return next((c for c in _data_candidates() if (c / "mnist").is_dir()), None)


def _use_colab_download(root: str | os.PathLike | None) -> bool:
    """True when no data folder is given or found, and this is Colab."""
    return root is None and find_data_root() is None and _on_colab()


def _root(root: str | os.PathLike | None) -> Path:
    if root is not None:
        return Path(root)
    found = find_data_root()
    if found is None:
        looked = ", ".join(_show(c) for c in dict.fromkeys(_data_candidates()))
        raise MnistDataError(
            f"the course's data/mnist folder was not found (looked in {looked}); run from "
            f"inside a clone of the course (restore the folder with `{FIX_IDX}`), or set "
            f"{DATA_ENV} to its data/ folder"
        )
    return found


def _show(path: Path) -> str:
    """A path as a reader should see it: relative to the course folder when it lies inside it."""
    try:
        found = find_data_root()
    except MnistDataError:  # a wrong COURSE_DATA_DIR is reported where it is used
        found = None
    for course in ([found.parent] if found else []) + [REPO_ROOT]:
        try:
            return path.resolve().relative_to(course.resolve()).as_posix()
        except ValueError:
            continue
    return str(path)


# --- the IDX files -------------------------------------------------------------------------


def read_checksums(mnist_dir: str | os.PathLike) -> dict[str, tuple[int, str]]:
    """Map each IDX file name to the (size, SHA-256) that ``SHA256SUMS.tsv`` lists for it."""
    path = Path(mnist_dir) / SUMS_FILE
    fix = f"restore it with `{FIX_IDX}`"
    if not path.is_file():
        raise MnistDataError(f"{_show(path)} is missing; {fix}")
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = {
                row["idx_file"]: (int(row["idx_bytes"]), row["idx_sha256"].strip().lower())
                for row in csv.DictReader(f, delimiter="\t")
            }
    except (KeyError, TypeError, ValueError, UnicodeDecodeError) as error:
        raise MnistDataError(f"{_show(path)} is malformed ({error}); {fix}") from None
    for name, expected in EXPECTED.items():
        if rows.get(name) != expected:
            raise MnistDataError(
                f"{_show(path)} does not list the official size and SHA-256 of {name}; {fix}"
            )
    return rows


def read_idx_bytes(name: str, mnist_dir: str | os.PathLike) -> bytes:
    """Decompress ``mnist_dir/name.gz``; return its bytes once their size and SHA-256 match."""
    if name not in EXPECTED:
        raise ValueError(f"name must be one of {sorted(EXPECTED)}, got {name!r}")
    size, digest = read_checksums(mnist_dir)[name]
    path = Path(mnist_dir) / f"{name}.gz"
    fix = f"restore it with `{FIX_IDX}`"
    if not path.is_file():
        raise MnistDataError(f"{_show(path)} is missing; {fix}")
    try:
        raw = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, zlib.error) as error:
        raise MnistDataError(
            f"{_show(path)} is not a complete gzip file ({error}); it is truncated or "
            f"altered; {fix}"
        ) from None
    actual = hashlib.sha256(raw).hexdigest()
    if len(raw) != size or actual != digest:
        raise MnistDataError(
            f"{_show(path)} decompresses to {len(raw):,} bytes with SHA-256 {actual[:16]}..., "
            f"expected {size:,} bytes with SHA-256 {digest[:16]}...; it is truncated or "
            f"altered; {fix}"
        )
    return raw


def parse_idx(raw: bytes, name: str = "IDX data") -> np.ndarray:
    """Turn the bytes of an IDX file of unsigned bytes into an array, checking its header."""
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08 or raw[3] not in (1, 2, 3):
        magic = raw[:4].hex() if len(raw) >= 4 else f"only {len(raw)} bytes"
        raise MnistDataError(
            f"{name}: bad magic number ({magic}); expected 0x00000801 (labels) or "
            f"0x00000803 (images), i.e. unsigned bytes in 1 to 3 dimensions"
        )
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise MnistDataError(f"{name}: {len(raw)} bytes, too short for a {ndim}-D header")
    dims = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = header + int(np.prod(dims))
    if len(raw) != expected:
        raise MnistDataError(
            f"{name}: {len(raw):,} bytes, but its header promises dimensions {dims}, "
            f"i.e. {expected:,} bytes"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(dims).copy()


def mnist_idx_dir(root: str | os.PathLike | None = None) -> Path:
    """The folder holding the four MNIST ``.gz`` files: ``root/mnist`` (default ``data/mnist``)."""
    if _use_colab_download(root):
        return _download_idx_files()
    return _root(root) / "mnist"


def mnist_idx_files(root: str | os.PathLike | None = None) -> dict[str, str]:
    """Verify the four IDX files; their ``.gz`` paths by key. Used in notebook 06."""
    mnist_dir = mnist_idx_dir(root)
    for name in IDX_FILES.values():
        read_idx_bytes(name, mnist_dir)
    return {key: str(mnist_dir / f"{name}.gz") for key, name in IDX_FILES.items()}


def load_mnist(
    split: str = "train", root: str | os.PathLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Verified MNIST ``split``: uint8 images, labels. Used in notebooks 06, 08, 09 and 10."""
    if split not in SPLIT_SIZES:
        raise ValueError(f"split must be one of {list(SPLIT_SIZES)}, got {split!r}")
    mnist_dir = mnist_idx_dir(root)
    arrays = []
    for kind in ("images", "labels"):
        name = IDX_FILES[f"{split}_{kind}"]
        arrays.append(parse_idx(read_idx_bytes(name, mnist_dir), name))
    images, labels = arrays
    n = SPLIT_SIZES[split]
    if images.shape != (n, *IMAGE_SHAPE) or labels.shape != (n,) or labels.max() >= NUM_CLASSES:
        raise MnistDataError(
            f"MNIST {split}: got images {images.shape} and labels {labels.shape}, expected "
            f"({n}, 28, 28) and ({n},) with labels 0-9; restore the files with `{FIX_IDX}`"
        )
    return images, labels


def _download_idx_files(cache: Path | None = None) -> Path:
    """Colab only: fetch the four official ``.gz`` files once into ``cache``; return it."""
    import urllib.request

    cache = cache or Path.home() / ".keras" / "datasets" / "mnist_idx"
    cache.mkdir(parents=True, exist_ok=True)
    for name in EXPECTED:
        path = cache / f"{name}.gz"
        if not path.is_file():
            partial = path.with_name(path.name + ".partial")
            urllib.request.urlretrieve(MIRROR_URL + path.name, partial)
            partial.replace(path)
    sums = cache / SUMS_FILE
    if not sums.is_file():
        lines = ["idx_file\tidx_bytes\tidx_sha256"]
        lines += [f"{name}\t{size}\t{digest}" for name, (size, digest) in EXPECTED.items()]
        sums.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return cache


# --- the prepared TFDS dataset -------------------------------------------------------------


def _version_dir(tfds_dir: Path) -> Path:
    return tfds_dir / TFDS_NAME / TFDS_VERSION


def prepared_problem(tfds_dir: str | os.PathLike) -> str | None:
    """None if ``tfds_dir`` holds a complete prepared ``mnist/3.0.1``, else what is wrong."""
    version_dir = _version_dir(Path(tfds_dir))
    if not version_dir.is_dir():
        partial = Path(tfds_dir).with_name(Path(tfds_dir).name + ".partial")
        why = "an earlier preparation was interrupted" if partial.exists() else "not prepared"
        return f"{_show(version_dir)} does not exist ({why})"
    marker = version_dir / MARKER
    if not marker.is_file():
        return (
            f"{_show(version_dir)} is half-written: it has no {MARKER}, which preparation "
            f"writes last"
        )
    try:
        manifest = json.loads(marker.read_text(encoding="utf-8"))
        files = {str(k): int(v) for k, v in manifest["files"].items()}
        sources = manifest["source_sha256"]
    except (ValueError, KeyError, TypeError, AttributeError):
        return f"{_show(marker)} is damaged"
    if sources != {name: digest for name, (_, digest) in EXPECTED.items()}:
        return f"{_show(version_dir)} was not prepared from the official MNIST files"
    if not files:
        return f"{_show(marker)} lists no files"
    for relative, size in sorted(files.items()):
        path = version_dir / relative
        if not path.is_file():
            return f"{_show(path)} is missing"
        if path.stat().st_size != size:
            return (
                f"{_show(path)} has {path.stat().st_size:,} bytes, expected {size:,}: "
                f"it is truncated or altered"
            )
    return None


def mnist_tfds_dir(root: str | os.PathLike | None = None) -> str:
    """The checked ``data_dir`` for ``tfds.load("mnist", ...)``. Used in notebooks 06 and 07."""
    if _use_colab_download(root):
        return _colab_tfds_dir()
    tfds_dir = _root(root) / "tfds"
    problem = prepared_problem(tfds_dir)
    if problem is not None:
        raise MnistDataError(f"MNIST for TFDS is not ready: {problem}; run `{FIX_PREPARED}`")
    return str(tfds_dir)


def _colab_tfds_dir() -> str:
    """Colab only: let TFDS download and prepare ``mnist`` in its default folder; return it."""
    import tensorflow_datasets as tfds

    data_dir = os.path.expanduser("~/tensorflow_datasets")
    tfds.builder(TFDS_NAME, data_dir=data_dir).download_and_prepare()
    return data_dir


@functools.cache
def _offline_builder_class() -> type:
    """TFDS's own MNIST builder, fed from already verified arrays instead of a download."""
    import tensorflow_datasets as tfds
    from tqdm.auto import tqdm

    class OfflineMNIST(tfds.image_classification.MNIST, skip_registration=True):
        """Builds the standard ``mnist`` dataset from the committed files, offline."""

        name = TFDS_NAME  # the same name, version and features as the registered builder
        # No code folder, hence no checksums file to look up: this builder downloads nothing.
        # (Looking it up from a package also needs `importlib_resources`, absent here.)
        code_path = None

        def __init__(self, *, arrays, progress: bool = True, **kwargs):
            self._arrays = arrays
            self._progress = progress
            super().__init__(**kwargs)

        def _split_generators(self, dl_manager):  # never touches dl_manager: no download
            return {split: self._generate_examples(split) for split in SPLIT_SIZES}

        def _generate_examples(self, split: str) -> Iterator[tuple[int, dict]]:
            images, labels = self._arrays[split]
            bar = tqdm(
                range(len(labels)),
                desc=f"mnist {split}",
                unit=" examples",
                mininterval=0.5,
                disable=not self._progress,
            )
            for i in bar:  # the key is the index, as in TFDS's builder: same shuffled order
                yield i, {"image": images[i][..., None], "label": int(labels[i])}

        # TFDS would print "Downloading ... to <temporary folder>": nothing is downloaded.
        def _log_download_bytes(self) -> None:
            pass

        def _log_download_done(self) -> None:
            pass

    return OfflineMNIST


def _build_tfds(target_root: Path, arrays: dict, progress: bool) -> Path:
    """Write ``mnist/3.0.1`` under ``target_root`` with TFDS, offline; return its folder."""
    with native_stderr_without_tf_logs():  # TensorFlow's C++ start-up lines: not news
        import tensorflow as tf
        import tensorflow_datasets as tfds
        from tensorflow_datasets.core.utils import tqdm_utils

        tf.config.list_physical_devices()

    was_active = getattr(tqdm_utils, "_active", True)
    tfds.display_progress_bar(False)  # ours (one bar per split) replaces TFDS's three
    try:
        builder = _offline_builder_class()(
            arrays=arrays, progress=progress, data_dir=str(target_root)
        )
        builder.download_and_prepare(
            download_dir=str(target_root / "downloads"),
            download_config=tfds.download.DownloadConfig(try_download_gcs=False),
        )
    finally:
        tfds.display_progress_bar(was_active)
    counts = {name: split.num_examples for name, split in builder.info.splits.items()}
    if counts != SPLIT_SIZES:
        raise MnistDataError(f"TFDS wrote splits {counts}, expected {SPLIT_SIZES}")
    return Path(builder.data_dir)


def _write_marker(version_dir: Path) -> None:
    files = {
        p.relative_to(version_dir).as_posix(): p.stat().st_size
        for p in sorted(version_dir.rglob("*"))
        if p.is_file() and p.name != MARKER
    }
    manifest = {
        "dataset": f"{TFDS_NAME}/{TFDS_VERSION}",
        "source_sha256": {name: digest for name, (_, digest) in EXPECTED.items()},
        "files": files,
    }
    (version_dir / MARKER).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def prepare_mnist(root: str | os.PathLike | None = None, *, progress: bool = True) -> Path:
    """Build TFDS ``mnist/3.0.1`` into ``root/tfds`` from the verified files, once, atomically."""
    root = _root(root)
    tfds_dir = root / "tfds"
    target = _version_dir(tfds_dir)
    if prepared_problem(tfds_dir) is None:
        return tfds_dir
    arrays = {split: load_mnist(split, root) for split in SPLIT_SIZES}  # hashes checked here
    # Build beside the real folder and rename into place only when complete: an interrupted
    # run leaves `tfds.partial/`, never a `tfds/mnist/3.0.1` that looks prepared.
    partial = tfds_dir.with_name(tfds_dir.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)  # what an interrupted run left behind
    built = _build_tfds(partial, arrays, progress)
    _write_marker(built)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():  # a half-written folder: move it aside, then drop it with the rest
        os.replace(target, partial / "stale")
    os.replace(built, target)
    shutil.rmtree(partial)
    problem = prepared_problem(tfds_dir)
    if problem is not None:
        raise MnistDataError(f"preparation finished but {problem}")
    return tfds_dir


# --- command line --------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """``prepare``: build data/tfds once (a quick no-op when complete); ``check``: verify all."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.data", description="Verify and prepare the offline MNIST data."
    )
    parser.add_argument("command", choices=["prepare", "check"])
    parser.add_argument(
        "--root", type=Path, default=None, help="folder holding mnist/ (default: data/)"
    )
    args = parser.parse_args(argv)
    # Before TFDS imports TensorFlow: quiet logs; preparation needs no GPU.
    for name, value in {**QUIET_TF_ENV, "CUDA_VISIBLE_DEVICES": "-1"}.items():
        os.environ.setdefault(name, value)
    try:
        tfds_dir = _root(args.root) / "tfds"
        if args.command == "check":
            mnist_idx_files(args.root)
            print(f"ok: the four MNIST files in {_show(mnist_idx_dir(args.root))} verify")
            mnist_tfds_dir(args.root)
            print(f"ok: {_show(_version_dir(tfds_dir))} is complete")
        elif prepared_problem(tfds_dir) is None:
            print(f"MNIST already prepared in {_show(_version_dir(tfds_dir))}")
        else:
            start = time.perf_counter()
            prepare_mnist(args.root)
            print(
                f"prepared {_show(_version_dir(tfds_dir))} in {time.perf_counter() - start:.1f} s"
            )
    except MnistDataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
