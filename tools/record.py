"""Execute notebooks top to bottom with this interpreter's kernel, as the tests do, and time them.

Run it through `make record` (in place) or `make run` (`--out build/notebooks`), which set the
same environment as `make test`. Notebooks are written with the course's stable metadata.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client import KernelManager
from nbclient import NotebookClient
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, NbvalKernelspecManager

from tools.course import normalise


def execute(path: Path, out: Path, timeout: int) -> float:
    """Run one notebook with this interpreter as kernel, write it to `out`, return seconds."""
    nb = nbformat.read(path, as_version=4)
    km = KernelManager(
        kernel_name=CURRENT_ENV_KERNEL_NAME, kernel_spec_manager=NbvalKernelspecManager()
    )
    client = NotebookClient(
        nb,
        km=km,
        timeout=timeout,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    start = time.perf_counter()
    try:
        client.execute()
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)  # the client does not own a kernel manager it was given
    seconds = time.perf_counter() - start
    normalise(nb)  # the same metadata whichever Python recorded it
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".ipynb.partial")
    nbformat.write(nb, tmp)
    tmp.replace(out)  # never leave a half-written notebook behind
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, help="folder for executed copies (default: in place)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    args = parser.parse_args()
    total = 0.0
    for path in args.notebooks:
        out = args.out / path.name if args.out else path
        try:
            seconds = execute(path, out, args.timeout)
        except Exception as error:  # show which notebook failed, then stop
            print(f"FAILED   {path}: {type(error).__name__}: {error}", file=sys.stderr)
            return 1
        total += seconds
        print(f"{seconds:7.1f} s  {path} -> {out}", flush=True)
    print(f"{total:7.1f} s  total for {len(args.notebooks)} notebook(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
