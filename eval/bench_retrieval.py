"""Retrieval benchmark: embedding throughput (passages/s) and search latency p50/p95 per mode.

    python -m eval.bench_retrieval            # the samples and the web excerpts, real m3e-small

Prints figures; it asserts nothing. The model load and the first query are timed apart, so the
search figures are for a warm process, as in the chat server.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = [ROOT / "data" / "samples", *sorted((ROOT / "tests" / "data" / "web").glob("[0-9]*.txt"))]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    from bot.passages.retrieve import org_refs, search_question
    from eval.retrieval_eval import load_questions
    from index.embed import make_embedder
    from index.ingest import ingest_paths
    from index.search import Retriever
    from index.store import Store
    from index.vectors import VectorStore

    start = time.perf_counter()
    embedder = make_embedder()
    embedder.embed(["预热"])
    print(f"model {embedder.name}: import + load {time.perf_counter() - start:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(tmp)
        vectors = VectorStore(embedder, index_dir=tmp)
        start = time.perf_counter()
        summary = ingest_paths(CORPUS, store, vectors=vectors)
        ingest_s = time.perf_counter() - start
        texts = [r[0] for r in store.db.execute("SELECT embed_text FROM chunks")]
        chars = sum(len(t) for t in texts) / max(1, len(texts))
        start = time.perf_counter()
        embedder.embed(texts)
        encode_s = time.perf_counter() - start
        print(
            f"corpus: {summary.total} files, {len(texts)} passages (mean {chars:.0f} chars), "
            f"{len(summary.failures)} failed"
        )
        print(
            f"ingest with embeddings: {ingest_s:.1f} s ({summary.total / ingest_s:.1f} reports/s)"
        )
        print(f"model encode alone: {len(texts) / encode_s:.1f} passages/s ({encode_s:.1f} s)")
        retriever = Retriever(store, vectors)
        refs = org_refs(store)
        questions = [q["question"] for q in load_questions()]
        search_question(retriever, questions[0], refs)  # warm the segmenter and the index
        print(f"search latency over {len(questions)} questions (k=5):")
        for mode in ("keyword", "dense", "fused"):
            times = []
            for q in questions:
                t = time.perf_counter()
                search_question(retriever, q, refs, k=5, mode=mode)
                times.append((time.perf_counter() - t) * 1000)
            print(
                f"  {mode:8} p50 {_pct(times, 0.5):6.1f} ms  p95 {_pct(times, 0.95):6.1f} ms  "
                f"mean {statistics.mean(times):6.1f} ms"
            )
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
