"""Scale benchmark: ingest throughput, question latency per route, memory and accuracy as the
corpus grows to 100, 1,000 and 10,000 generated reports (`gongkai synth`).

    python -m eval.bench_scale [--sizes 100,1000,10000] [--embed-sizes 100,1000] [--work DIR]
                               [--out eval/bench_results.md]

Every phase runs in its own process (eval/bench_phase.py) so that its peak memory is its own.
Corpora and indexes are kept in --work (default .bench/) and reused when present, so a second run
measures only what is missing; delete the folder to start over. The results go to --out as a
Markdown table with this machine's facts, and as JSON beside it. Nothing is asserted: the issue's
targets are printed next to each figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from eval.bench_report import write_results

ROOT = Path(__file__).resolve().parents[1]
SEED = 2026


def phase(*args: str) -> dict[str, Any]:
    """Run one eval/bench_phase.py phase in a new process and return its JSON result."""
    cmd = [sys.executable, "-m", "eval.bench_phase", *args]
    print("  $", " ".join(cmd[2:]), flush=True)
    run = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if run.returncode != 0:
        raise SystemExit(f"phase failed: {' '.join(args)}\n{run.stderr[-3000:]}")
    result = json.loads(run.stdout.strip().splitlines()[-1])
    print("   ", json.dumps(result, ensure_ascii=False)[:300], flush=True)
    return result


def corpus(work: Path, n: int) -> Path:
    out = work / f"corpus-{n}"
    if not (out / "gold_questions.jsonl").exists():
        from eval.synth import write_corpus

        start = time.perf_counter()
        write_corpus(n, out, seed=SEED, formats=("txt",))
        print(f"  generated {n} reports in {time.perf_counter() - start:.1f} s", flush=True)
    return out


def fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    return path


def serve_memory(index: Path, questions: list[str]) -> dict[str, Any]:
    """Start `gongkai serve` on the index, ask questions through its API, read its peak RSS."""
    from gradio_client import Client

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    gongkai = str(Path(sys.executable).with_name("gongkai"))
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
    proc = subprocess.Popen(
        [gongkai, "serve", "--index", str(index), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/"
        client = None
        for _ in range(240):
            try:
                client = Client(url, verbose=False)
                break
            except Exception:
                time.sleep(0.5)
        if client is None:
            raise SystemExit("gongkai serve did not start within 120 s")
        for q in questions:
            client.predict(q, api_name="/ask")
        status = Path(f"/proc/{proc.pid}/status").read_text()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        mb = {k: round(int(fields[k].split()[0]) / 1024, 1) for k in ("VmHWM", "VmRSS")}
        return {"peak_mb": mb["VmHWM"], "rss_mb": mb["VmRSS"], "questions": len(questions)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def machine() -> dict[str, Any]:
    """This machine's facts, without importing torch (12 s): the phases set its threads."""
    from importlib.metadata import version

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.machine(),
    )
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(int(mem) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "torch": version("torch"),
        "torch_threads": os.cpu_count(),  # torch's default: one per core
        "commit": commit,
        "date": time.strftime("%Y-%m-%d"),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--embed-sizes", default="100,1000")
    ap.add_argument(
        "--encode-sizes",
        default="100",
        help="sizes whose chunks are also encoded alone, as a check on the in-ingest encode time",
    )
    ap.add_argument("--model", default=None, help="embedding model (default: GONGKAI_EMBED_MODEL)")
    ap.add_argument("--work", type=Path, default=ROOT / ".bench")
    ap.add_argument("--out", type=Path, default=ROOT / "eval" / "bench_results.md")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    embed_sizes = [int(s) for s in args.embed_sizes.split(",") if s]
    encode_sizes = [int(s) for s in args.encode_sizes.split(",") if s]
    model = args.model or os.environ.get("GONGKAI_EMBED_MODEL") or "m3e-small"
    args.work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"machine": machine(), "model": model, "sizes": {}}
    previous = args.out.with_suffix(".json")
    if previous.exists():  # sizes not measured in this run keep their earlier figures
        kept = json.loads(previous.read_text(encoding="utf-8"))
        if kept.get("model") == model:
            results["sizes"] = kept.get("sizes", {})
    for n in sizes:
        print(f"{n} reports", flush=True)
        row: dict[str, Any] = {}
        data = corpus(args.work, n)
        plain = args.work / f"index-{n}-plain"
        if n <= 1000:
            row["ingest_1_worker"] = phase("ingest", str(data), str(fresh(plain)), "--workers", "1")
        row["ingest"] = phase("ingest", str(data), str(fresh(plain)), "--workers", "2")
        row["latency_sql"] = phase("latency", str(data), str(plain), "--routes", "sql,sql_lists")
        if n in embed_sizes:
            embedded = args.work / f"index-{n}-{model}"
            row["ingest_embed"] = phase(
                "ingest", str(data), str(fresh(embedded)), "--workers", "2", "--embed", model
            )
            if n in encode_sizes:
                row["encode"] = phase("encode", str(data), str(embedded), "--model", model)
            row["latency"] = phase(
                "latency", str(data), str(embedded), "--model", model, "--routes", "sql,retrieval"
            )
            if n == max(embed_sizes):
                row["accuracy"] = phase("accuracy", str(data), str(embedded), "--model", model)
                questions = [
                    "Which towns had administrative penalties in 2024?",
                    "存在哪些主要问题？",
                ]
                row["serve"] = serve_memory(embedded, questions)
                print("   ", row["serve"], flush=True)
        results["sizes"].setdefault(str(n), {}).update(row)
    write_results(results, args.out)
    print(f"results written to {args.out} and {args.out.with_suffix('.json')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
