"""Run every benchmark, print the table and write build/bench.json.

python -m benchmarks.run            # full run (`make bench`, a few minutes on 2 cores)
python -m benchmarks.run --tiny     # every benchmark in a tiny configuration (seconds)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from benchmarks import bench_mnist, bench_tf_function, bench_training_loop, bench_xor
from benchmarks.common import format_table

BENCHMARKS = {
    "xor": bench_xor,
    "tf_function": bench_tf_function,
    "mnist": bench_mnist,
    "training_loop": bench_training_loop,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiny", action="store_true", help="tiny configuration, for tests")
    parser.add_argument("--only", choices=sorted(BENCHMARKS), action="append")
    parser.add_argument("--out", type=Path, default=Path("build/bench.json"))
    args = parser.parse_args(argv)
    import helpers

    helpers.setup_notebook(report=False)  # quiets TensorFlow's logs before it first loads
    print(helpers.version_report(), f"| {os.cpu_count()} CPUs", flush=True)
    mode = "tiny" if args.tiny else "full"
    comparisons = []
    for name in args.only or BENCHMARKS:
        start = time.perf_counter()
        results = BENCHMARKS[name].run(mode)
        comparisons += results
        print(f"  {name}: {len(results)} comparison(s) in {time.perf_counter() - start:.1f} s",
              flush=True)  # fmt: skip
    print()
    print(format_table(comparisons))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_suffix(".partial")
    tmp.write_text(json.dumps([c.as_json() for c in comparisons], indent=2) + "\n")
    tmp.replace(args.out)
    print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
