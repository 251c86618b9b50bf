"""Parse throughput: how many reports per second the parser reads on this machine.

    python -m eval.bench_parse [--rounds N]

Parses the built-in samples and the web excerpts repeatedly (in one process, after one warm-up
round) and prints reports/s and ms per report. The target in issue 2 is > 50 reports/s.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

from parsers import parse_file

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    files = sorted((ROOT / "data" / "samples").glob("*.txt")) + sorted(
        (ROOT / "tests" / "data" / "web").glob("*.txt")
    )
    blobs = [(f, f.read_bytes()) for f in files]
    for f, data in blobs:  # warm-up: imports and caches
        parse_file(f, data=data)
    for label, subset in (
        ("samples (full reports)", blobs[:5]),
        ("web excerpts", blobs[5:]),
        ("all", blobs),
    ):
        start = time.perf_counter()
        for _ in range(args.rounds):
            for f, data in subset:
                parse_file(f, data=data)
        elapsed = time.perf_counter() - start
        n = args.rounds * len(subset)
        print(
            f"parse {label:24s} {n:5d} reports in {elapsed:6.2f} s: {n / elapsed:7.1f} reports/s, "
            f"{1000 * elapsed / n:6.2f} ms/report"
        )
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )


if __name__ == "__main__":
    main()
