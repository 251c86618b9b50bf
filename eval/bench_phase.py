"""One measured phase of the scale benchmark, run in its own process so its peak memory is its own.

    python -m eval.bench_phase ingest  CORPUS INDEX [--workers 2] [--embed MODEL]
    python -m eval.bench_phase latency CORPUS INDEX [--model MODEL] [--routes sql,retrieval]
    python -m eval.bench_phase accuracy CORPUS INDEX [--model MODEL]
    python -m eval.bench_phase encode  CORPUS INDEX --model MODEL

Each prints one JSON object on its last line of stdout; eval/bench_scale.py runs them and writes
the results file. CORPUS is a folder written by `gongkai synth` (reports/, gold_questions.jsonl).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any


def peak_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest child (worker), in MB.

    VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, so a phase would report its parent's.
    """
    status = Path("/proc/self/status").read_text()
    own = next(int(x.split()[1]) for x in status.splitlines() if x.startswith("VmHWM")) / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    load = round(os.getloadavg()[0], 1)  # other work on the machine skews every figure
    return {"peak_mb": round(own, 1), "peak_child_mb": round(child, 1), "load_1min": load}


def percentile(times: list[float], q: float) -> float:
    times = sorted(times)
    return round(times[min(len(times) - 1, int(q * (len(times) - 1) + 0.5))], 1)


def ingest(corpus: Path, index: Path, workers: int, embed: str | None) -> dict[str, Any]:
    from index.ingest import ingest_paths
    from index.store import Store
    from index.vectors import open_vectors

    files = sorted((corpus / "reports").iterdir())
    start = time.perf_counter()
    with Store(index) as store:
        vectors = open_vectors(index, model=embed) if embed else None
        summary = ingest_paths(files, store, vectors=vectors, workers=workers)
        chunks, chars = store.db.execute(
            "select count(*), sum(length(text)) from chunks"
        ).fetchone()
    seconds = time.perf_counter() - start
    timings = {
        k: round(v, 2)
        for k, v in vars(summary).items()
        if k.endswith("_seconds") and isinstance(v, int | float)
    }
    return {
        "reports": len(files),
        "stored": summary.added + summary.replaced + summary.unchanged,
        "failed": summary.failed,
        "failures": [f"{f.file}: {f.reason}" for f in summary.failures[:5]],
        "seconds": round(seconds, 2),
        "reports_per_s": round(len(files) / seconds, 1),
        "chunks": chunks,
        "chars_per_chunk": round((chars or 0) / max(chunks, 1)),
        "embedded": summary.embedded,
        "chunks_per_s": round(summary.embedded / seconds, 2) if embed else None,
        **timings,
        **peak_mb(),
    }


def encode(index: Path, model: str) -> dict[str, Any]:
    """The model's own encode time for exactly the chunks the index holds: the ceiling for ingest."""
    from index.embed import make_embedder
    from index.store import Store

    with Store(index, create=False) as store:
        texts = [r[0] for r in store.db.execute("select text from chunks order by id")]
    embedder = make_embedder(model)
    embedder.embed(texts[:8])  # load the model and warm up
    start = time.perf_counter()
    embedder.embed(texts)
    seconds = time.perf_counter() - start
    return {
        "model": embedder.name,
        "chunks": len(texts),
        "chars": sum(map(len, texts)),
        "seconds": round(seconds, 2),
        "chunks_per_s": round(len(texts) / seconds, 2),
        **peak_mb(),
    }


def first_turns(corpus: Path) -> list[dict[str, Any]]:
    from eval.score import load

    _, cases = load(corpus / "gold_questions.jsonl")
    return [c["turns"][0] for c in cases]


def all_year_lists() -> list[str]:
    """The heaviest SQL questions: "which towns had <row>?" with no year, so every indexed year is
    read. One per proactive-disclosure row of the current template, worded from its label."""
    from parsers.template import proactive_rows

    return [f"哪些镇有{row.zh}？" for row in proactive_rows("gov2021")]


def latency(
    corpus: Path, index: Path, model: str | None, routes: list[str], limit: int
) -> dict[str, Any]:
    from bot.bot import Bot

    turns = first_turns(corpus)
    bot = Bot(index, model=model, use_llm=False)
    out: dict[str, Any] = {}
    try:
        for route in routes:
            if route == "sql_lists":
                questions = all_year_lists()
            else:
                questions = [t["question"] for t in turns if t["route"] == route][:limit]
            if not questions:
                continue
            bot.ask(questions[0])  # warm: loads the model for retrieval
            times = []
            for q in questions:
                start = time.perf_counter()
                bot.ask(q)
                times.append((time.perf_counter() - start) * 1000)
            out[route] = {
                "n": len(times),
                "p50_ms": percentile(times, 0.5),
                "p95_ms": percentile(times, 0.95),
                "mean_ms": round(statistics.mean(times), 1),
            }
    finally:
        bot.close()
    return {**out, **peak_mb()}


def accuracy(corpus: Path, index: Path, model: str | None) -> dict[str, Any]:
    from eval.score import load, run

    _, cases = load(corpus / "gold_questions.jsonl")
    results = run(cases, index, model)
    per_route: dict[str, dict[str, Any]] = {}
    for r in results:
        metrics = [m for m in ("sql_exact", "citation", "contains") if m in r["marks"]]
        ok = r["marks"]["route"] and all(r["marks"][m] for m in metrics)
        row = per_route.setdefault(r["route"], {"n": 0, "exact": 0, "route_ok": 0, "misses": []})
        row["n"] += 1
        row["exact"] += ok
        row["route_ok"] += r["marks"]["route"]
        if not ok and len(row["misses"]) < 5:
            row["misses"].append(f"{r['id']} {r['question']} -> {r['answer'][:80]}")
    for row in per_route.values():
        row["exact_rate"] = round(row["exact"] / row["n"], 3)
    return {"turns": len(results), "routes": per_route, **peak_mb()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("phase", choices=["ingest", "encode", "latency", "accuracy"])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("index", type=Path)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--embed", default=None, help="embedding model for ingest (default: none)")
    ap.add_argument("--model", default=None, help="embedding model the bot uses")
    ap.add_argument("--routes", default="sql,retrieval")
    ap.add_argument("--limit", type=int, default=200, help="questions per route")
    args = ap.parse_args(argv)
    if args.phase == "ingest":
        result = ingest(args.corpus, args.index, args.workers, args.embed)
    elif args.phase == "encode":
        result = encode(args.index, args.model)
    elif args.phase == "latency":
        routes = args.routes.split(",")
        result = latency(args.corpus, args.index, args.model, routes, args.limit)
    else:
        result = accuracy(args.corpus, args.index, args.model)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
