"""Bot benchmark: cold-start time of `gongkai ask --json` for a SQL question (a new process each
time, as a user runs it), and warm per-route latency inside one process.

    python -m eval.bench_bot

Prints figures; asserts nothing. The target for the cold SQL answer is under 2 s.
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SQL_QUESTIONS = [
    "大峪镇2025年行政处罚多少件？",
    "Which towns had administrative penalties in 2025?",
]
PROSE_QUESTIONS = ["陈区镇存在哪些主要问题？", "What problems did Dayu town report?"]


def main() -> int:
    gongkai = shutil.which("gongkai") or str(Path(sys.executable).with_name("gongkai"))
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "idx"
        subprocess.run(
            [gongkai, "ingest", str(ROOT / "data" / "samples"), "--index", str(index)],
            check=True,
            capture_output=True,
        )
        print("cold start, `gongkai ask --json` (new process each run):")
        for q in SQL_QUESTIONS:
            times = []
            for _ in range(3):
                start = time.perf_counter()
                run = subprocess.run(
                    [gongkai, "ask", q, "--json", "--index", str(index)],
                    capture_output=True,
                    text=True,
                )
                times.append(time.perf_counter() - start)
                assert run.returncode == 0, run.stderr
            print(
                f"  {q}: median {statistics.median(times):.2f} s (runs: "
                + ", ".join(f"{t:.2f}" for t in times)
                + ")"
            )
        from bot.bot import Bot

        bot = Bot(index, use_llm=False)
        start = time.perf_counter()
        bot.ask(PROSE_QUESTIONS[0])
        print(
            f"first retrieval question (loads torch and the model): {time.perf_counter() - start:.1f} s"
        )
        for name, questions in (("sql", SQL_QUESTIONS), ("retrieval", PROSE_QUESTIONS)):
            times = []
            for _ in range(10):
                for q in questions:
                    start = time.perf_counter()
                    bot.ask(q)
                    times.append((time.perf_counter() - start) * 1000)
            times.sort()
            print(
                f"warm {name:9}: p50 {times[len(times) // 2]:.1f} ms, p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms"
            )
        bot.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
