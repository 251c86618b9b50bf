"""Score narrative retrieval: hit@1, hit@3 and MRR for dense only, keyword only and fused.

    python -m eval.retrieval_eval                      # builds a temp index of data/samples
    python -m eval.retrieval_eval --index DIR --json   # an existing index; JSON per question
    python -m eval.retrieval_eval --min-hit3 0.9       # exit 1 when fused hit@3 is below 0.9
    python -m eval.retrieval_eval --model m3e-small:int8   # another embedding model variant

Each question in `eval/retrieval_questions.jsonl` names the report file and the section where its
answer is. A passage hits when it comes from that file and lies in that section (or one of its
sub-sections). The question alone is searched, as a user would type it: organisations and years
it names become filters exactly as in `gongkai search`.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

QUESTIONS = Path(__file__).with_name("retrieval_questions.jsonl")
SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
MODES = ("dense", "keyword", "fused")
DEPTH = 10  # ranks looked at for MRR


def load_questions(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def is_hit(hit: Any, question: dict[str, Any]) -> bool:
    section = question["expect_section"]
    return hit.source_name == question["expect_file"] and (
        hit.section_key == section or hit.section_key.startswith(section + ".")
    )


def evaluate(
    index_dir: Path,
    questions: list[dict[str, Any]],
    chroma_url: str | None = None,
    model: str | None = None,
):
    """Per-question ranks of the first hit per mode, and the totals per mode."""
    from bot.passages.retrieve import org_refs, search_question
    from index.search import Retriever
    from index.store import Store
    from index.vectors import open_vectors

    with Store(index_dir, create=False) as store:
        retriever = Retriever(store, open_vectors(index_dir, url=chroma_url, model=model))
        refs = org_refs(store)
        results = []
        for q in questions:
            row: dict[str, Any] = {"id": q["id"], "lang": q["lang"], "question": q["question"]}
            for mode in MODES:
                start = time.perf_counter()
                hits = search_question(retriever, q["question"], refs, k=DEPTH, mode=mode)
                row[f"{mode}_ms"] = round((time.perf_counter() - start) * 1000, 1)
                rank = next((n for n, h in enumerate(hits, 1) if is_hit(h, q)), None)
                row[mode] = rank
                if mode == "fused":
                    row["top"] = [f"{h.source_name} {h.section_key}" for h in hits[:3]]
            results.append(row)
    return results, totals(results)


def totals(results: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    out = {}
    for mode in MODES:
        ranks = [r[mode] for r in results]
        n = len(ranks) or 1
        out[mode] = {
            "hit@1": round(sum(1 for r in ranks if r == 1) / n, 3),
            "hit@3": round(sum(1 for r in ranks if r and r <= 3) / n, 3),
            "mrr": round(sum(1 / r for r in ranks if r) / n, 3),
        }
    return out


def build_index(target: Path, chroma_url: str | None = None, model: str | None = None) -> None:
    from index.ingest import ingest_paths
    from index.store import Store
    from index.vectors import open_vectors

    with Store(target) as store:
        vectors = open_vectors(target, url=chroma_url, model=model)
        summary = ingest_paths([SAMPLES], store, vectors=vectors)
    if summary.failures:
        raise SystemExit(f"could not index the samples: {summary.failures}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--index", type=Path, help="an index that holds data/samples (default: build one)"
    )
    ap.add_argument("--questions", type=Path, default=QUESTIONS)
    ap.add_argument("--chroma-url", default=None)
    ap.add_argument(
        "--model",
        default=None,
        help="embedding model spec, e.g. m3e-small:int8 (default: "
        "$GONGKAI_EMBED_MODEL, else m3e-small)",
    )
    ap.add_argument("--json", action="store_true", help="print per-question results as JSON")
    ap.add_argument("--min-hit3", type=float, default=None, help="fail below this fused hit@3")
    args = ap.parse_args(argv)
    questions = load_questions(args.questions)
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = args.index
        if index_dir is None:
            index_dir = Path(tmp)
            build_index(index_dir, args.chroma_url, args.model)
        results, summary = evaluate(index_dir, questions, args.chroma_url, args.model)
    if args.json:
        print(json.dumps({"results": results, "totals": summary}, ensure_ascii=False, indent=1))
    else:
        for r in results:
            if r["fused"] != 1:
                print(f"{r['id']} fused rank {r['fused']}: {r['question']}  → {r['top']}")
        print(f"{len(results)} questions")
        print(f"{'mode':8} {'hit@1':>6} {'hit@3':>6} {'MRR':>6}")
        for mode, t in summary.items():
            print(f"{mode:8} {t['hit@1']:6.3f} {t['hit@3']:6.3f} {t['mrr']:6.3f}")
    if args.min_hit3 is not None and summary["fused"]["hit@3"] < args.min_hit3:
        print(f"FAIL: fused hit@3 {summary['fused']['hit@3']} < {args.min_hit3}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
