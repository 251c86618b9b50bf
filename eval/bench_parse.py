"""Parse throughput: how many reports per second the parser reads on this machine.

    python -m eval.bench_parse [--rounds N] [--fresh N]

Two measures, in one process:
- *repeated*: the built-in samples and the web excerpts parsed again and again after one warm-up
  round, as before (issue 2's target was > 50 reports/s); caches help here.
- *fresh*: a generated corpus (`gongkai synth`, every text rendering, the hard ones included)
  where each report is parsed once, as an ingest of new files does: the honest figure for new
  reports. Issue 12's target: at least 100 reports/s for text reports.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from parsers import parse_file

ROOT = Path(__file__).resolve().parents[1]


def repeated(rounds: int) -> None:
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
        for _ in range(rounds):
            for f, data in subset:
                parse_file(f, data=data)
        elapsed = time.perf_counter() - start
        n = rounds * len(subset)
        print(
            f"parse {label:24s} {n:5d} reports in {elapsed:6.2f} s: {n / elapsed:7.1f} reports/s, "
            f"{1000 * elapsed / n:6.2f} ms/report  (repeated)"
        )


def fresh(n: int, seed: int = 5) -> None:
    import json

    from eval.synth import write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(n, tmp, seed=seed, formats=("txt", "md"), questions=0)
        golds = [json.loads(line) for line in (Path(tmp) / "gold_cells.jsonl").open()]
        by_style: dict[str, list[float]] = defaultdict(list)
        start = time.perf_counter()
        for gold in golds:
            clock = time.perf_counter()
            parse_file(Path(tmp) / "reports" / gold["file"])
            by_style[gold["style"]].append(time.perf_counter() - clock)
        elapsed = time.perf_counter() - start
    print(
        f"parse fresh generated reports  {len(golds):5d} reports in {elapsed:6.2f} s: "
        f"{len(golds) / elapsed:7.1f} reports/s, {1000 * elapsed / len(golds):6.2f} ms/report"
    )
    for style, times in sorted(by_style.items()):
        mean = sum(times) / len(times)
        print(
            f"    {style:12s} {len(times):4d} reports: {1 / mean:7.1f} reports/s, "
            f"{1000 * mean:6.2f} ms mean, {1000 * max(times):7.1f} ms max"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--fresh", type=int, default=300, help="generated reports parsed once each")
    args = ap.parse_args()
    repeated(args.rounds)
    if args.fresh:
        fresh(args.fresh)
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
