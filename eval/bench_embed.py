"""Embedding benchmark: how fast each model variant encodes the built-in corpus, and what it costs.

    python -m eval.bench_embed                     # fp32, int8 and torch-int8; 3 interleaved rounds
    python -m eval.bench_embed --variants fp32,int8 --batch-sizes 8 --threads 2 --rounds 5
    python -m eval.bench_embed --no-eval --json    # timings only, as JSON

The passages are the real chunks (`index.chunks.chunk_report`, as the model reads them) of the
samples and the web excerpts. For every variant, thread count and batch size it prints passages/s
and characters/s; at the default batch size also the same texts sent one call per report (as a
per-report ingest does), in calls of 64 in corpus order (as index/passages.py batches them), and
in slices of one batch each (so no length sorting); then one short query's latency; then quality:
cosine to fp32 (min/mean) and the retrieval eval (hit@1, hit@3, MRR, dense and fused;
`eval/retrieval_eval.py` on a temporary index built with that variant).

Variants: `fp32` and `int8` are what GONGKAI_EMBED_MODEL selects (`m3e-small`, `m3e-small:int8`);
`torch-int8` is PyTorch's dynamic quantisation of the fp32 model, measured for comparison only.
Rounds run every configuration in turn and keep each one's best, so a busy machine (other
processes on the 2 cores) hurts all variants alike; the CPU-time rate (passages per CPU-second of
this process) is the steadier figure when the machine is shared. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = [ROOT / "data" / "samples", *sorted((ROOT / "tests" / "data" / "web").glob("[0-9]*.txt"))]
SPECS = {"fp32": "m3e-small", "int8": "m3e-small:int8", "torch-int8": None}
QUERY = "大峪镇有没有政务微信公众号？"


def corpus_texts() -> list[list[str]]:
    """The texts the model reads, one list per report, in file order."""
    from index.chunks import chunk_report
    from index.ingest import find_files
    from parsers import ParseError, parse_file

    files, _ = find_files(CORPUS)
    per_report = []
    for file in files:
        try:
            report = parse_file(file)
        except ParseError:
            continue
        texts = [c.embed_text(report) for c in chunk_report(report)]
        if texts:
            per_report.append(texts)
    return per_report


class TorchInt8:
    """The fp32 model with its Linear layers quantised by torch.ao (dynamic int8): comparison only."""

    def __init__(self):
        from index.embed import SentenceTransformerEmbedder

        self.inner = SentenceTransformerEmbedder("m3e-small")
        self.name, self.dim, self.threads = "m3e-small/torch-int8", 512, self.inner.threads
        import copy
        import warnings

        import torch

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = copy.deepcopy(self.inner._model())
            torch.ao.quantization.quantize_dynamic(
                model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True
            )
        self.model = model

    def embed(self, texts: list[str]) -> list[list[float]]:
        from index.embed import QUERY_TEXTS, _use_threads

        _use_threads(1 if len(texts) <= QUERY_TEXTS else self.threads)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = self.model.encode(
            [texts[i] for i in order],
            batch_size=self.inner.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        out: list[list[float]] = [[] for _ in texts]
        for pos, i in enumerate(order):
            out[i] = vectors[pos].tolist()
        return out


def make(variant: str):
    from index.embed import make_embedder

    return TorchInt8() if variant == "torch-int8" else make_embedder(SPECS[variant])


def timed(fn: Callable[[], Any]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def throughput(embedders, per_report, args) -> list[dict[str, Any]]:
    texts = [t for texts in per_report for t in texts]
    shuffled = texts[:]
    random.Random(0).shuffle(shuffled)
    default_bs = 8 if 8 in args.batch_sizes else args.batch_sizes[0]  # the embedders' default
    runs: list[tuple[str, int, int, str, Callable[[Any], Any]]] = []
    for variant in embedders:
        for threads in args.threads:
            for bs in args.batch_sizes:
                runs.append((variant, threads, bs, "one call", lambda e: e.embed(texts)))
            if threads == max(args.threads):
                runs.append(
                    (variant, threads, default_bs, "per report",
                     lambda e: [e.embed(t) for t in per_report])
                )  # fmt: skip
                runs.append(
                    (variant, threads, default_bs, "calls of 64",
                     lambda e: [e.embed(texts[i : i + 64]) for i in range(0, len(texts), 64)])
                )  # fmt: skip
                runs.append(
                    (variant, threads, default_bs, "unsorted",
                     lambda e, bs=default_bs: [e.embed(shuffled[i : i + bs])
                                               for i in range(0, len(shuffled), bs)])
                )  # fmt: skip
    best: dict[int, list[float]] = {}
    for r in range(args.rounds):
        print(
            f"  round {r + 1}/{args.rounds}, load average {os.getloadavg()[0]:.1f}", file=sys.stderr
        )
        for n, (variant, threads, bs, _, fn) in enumerate(runs):
            e = embedders[variant]
            e.threads, e.batch_size = threads, bs
            if hasattr(e, "inner"):
                e.inner.threads, e.inner.batch_size = threads, bs
            wall, cpu = timed(lambda fn=fn, e=e: fn(e))
            old = best.get(n, [wall, cpu])
            best[n] = [min(old[0], wall), min(old[1], cpu)]
    chars = sum(len(t) for t in texts)
    return [
        {
            "variant": variant, "threads": threads, "batch": bs, "calls": how,
            "passages_s": round(len(texts) / best[n][0], 1),
            "chars_s": round(chars / best[n][0]),
            "passages_cpu_s": round(len(texts) / best[n][1], 1),
        }
        for n, (variant, threads, bs, how, _) in enumerate(runs)
    ]  # fmt: skip


def query_latency(embedders, repeats: int = 20) -> dict[str, float]:
    times: dict[str, list[float]] = {v: [] for v in embedders}
    for _ in range(repeats):
        for variant, e in embedders.items():
            times[variant].append(timed(lambda e=e: e.embed([QUERY]))[0] * 1000)
    return {v: round(statistics.median(t), 1) for v, t in times.items()}


def quality(embedders, texts: list[str], run_eval: bool) -> dict[str, dict[str, Any]]:
    import numpy as np

    vectors = {v: np.array(e.embed(texts)) for v, e in embedders.items()}
    reference = vectors.get("fp32")
    out: dict[str, dict[str, Any]] = {}
    for variant in embedders:
        row: dict[str, Any] = {}
        if reference is not None:
            cos = (vectors[variant] * reference).sum(axis=1)
            row["cos_min"], row["cos_mean"] = (
                round(float(cos.min()), 4),
                round(float(cos.mean()), 4),
            )
        if run_eval and SPECS[variant]:
            row.update(retrieval(SPECS[variant]))
        out[variant] = row
    return out


def retrieval(spec: str) -> dict[str, dict[str, float]]:
    from eval.retrieval_eval import build_index, evaluate, load_questions

    with tempfile.TemporaryDirectory() as tmp:
        build_index(Path(tmp), model=spec)
        _, totals = evaluate(Path(tmp), load_questions(), model=spec)
    return {mode: totals[mode] for mode in ("dense", "fused")}


def machine() -> dict[str, Any]:
    import onnxruntime
    import torch

    cpu = next(
        (ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
         if ln.startswith("model name")), platform.processor(),
    ) if Path("/proc/cpuinfo").exists() else platform.processor()  # fmt: skip
    return {
        "cores": os.cpu_count(), "cpu": cpu, "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(), "onnxruntime": onnxruntime.__version__,
        "python": platform.python_version(), "load_average": round(os.getloadavg()[0], 1),
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--variants", default=",".join(SPECS), help="comma-separated: " + ", ".join(SPECS)
    )
    ap.add_argument("--batch-sizes", default="8,16,32,64")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-eval", action="store_true", help="skip the retrieval eval")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    variants = [v for v in args.variants.split(",") if v]
    unknown = [v for v in variants if v not in SPECS]
    if unknown:
        ap.error(f"unknown variant {unknown[0]!r}; valid: {', '.join(SPECS)}")
    args.batch_sizes = [int(b) for b in args.batch_sizes.split(",")]
    args.threads = [int(t) for t in args.threads.split(",")]

    facts = machine()
    per_report = corpus_texts()
    texts = [t for p in per_report for t in p]
    embedders: dict[str, Any] = {}
    loads = {}
    for v in variants:
        wall, _ = timed(lambda v=v: embedders.setdefault(v, make(v)).embed(["预热"]))
        loads[v] = round(wall, 1)
    chars = [len(t) for t in texts]
    print(
        f"machine: {facts['cores']} cores ({facts['cpu']}), torch {facts['torch']} "
        f"({facts['torch_threads']} threads by default), onnxruntime {facts['onnxruntime']}, "
        f"load average {facts['load_average']}"
    )
    print(
        f"corpus: {len(per_report)} reports, {len(texts)} passages, {statistics.mean(chars):.0f} "
        f"characters on average (max {max(chars)})"
    )
    print("first use (imports, load, export if not cached): " + ", ".join(
        f"{v} {s} s" for v, s in loads.items()))  # fmt: skip
    rows = throughput(embedders, per_report, args)
    latency = query_latency(embedders)
    scores = quality(embedders, texts, not args.no_eval)
    facts["load_average_end"] = round(os.getloadavg()[0], 1)
    if args.json:
        out = {"machine": facts, "load_s": loads, "throughput": rows, "query_ms": latency,
               "quality": scores}  # fmt: skip
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    print(f"{'variant':11} {'threads':>7} {'batch':>5} {'calls':11} {'passages/s':>10} "
          f"{'chars/s':>8} {'per CPU-s':>9}")  # fmt: skip
    for r in rows:
        print(
            f"{r['variant']:11} {r['threads']:7} {r['batch']:5} {r['calls']:11} "
            f"{r['passages_s']:10.1f} {r['chars_s']:8} {r['passages_cpu_s']:9.1f}"
        )
    print("one short query (median of 20): " + ", ".join(
        f"{v} {ms} ms" for v, ms in latency.items()))  # fmt: skip
    for variant, row in scores.items():
        line = f"{variant:11}"
        if "cos_min" in row:
            line += f" cosine to fp32 min {row['cos_min']:.4f} mean {row['cos_mean']:.4f}"
        for mode in ("dense", "fused"):
            if mode in row:
                t = row[mode]
                line += f"  {mode} hit@1 {t['hit@1']:.3f} hit@3 {t['hit@3']:.3f} MRR {t['mrr']:.3f}"
        print(line)
    print(f"load average at the end: {facts['load_average_end']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
