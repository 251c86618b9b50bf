"""Write the scale benchmark's results (eval/bench_scale.py) as Markdown and JSON.

The Markdown puts each figure next to issue 6's target for it; the JSON keeps everything measured.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TARGETS = {
    "ingest_rps": 50.0,  # reports/s without embeddings
    "embed_overhead": 1.2,  # ingest time with embeddings / the model's encode time
    "sql_p50": 30.0,  # ms at 10,000 reports
    "sql_p95": 100.0,
    "retrieval_p50": 150.0,  # ms at 1,000 reports, model warm
    "serve_mb": 1536.0,
}


def mark(ok: bool | None) -> str:
    return "" if ok is None else ("met" if ok else "**missed**")


def write_results(results: dict[str, Any], out: Path) -> None:
    out.with_suffix(".json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    out.write_text("\n".join(lines(results)) + "\n", encoding="utf-8")


def lines(results: dict[str, Any]) -> list[str]:
    m = results["machine"]
    out = [
        "# Scale benchmark results",
        "",
        "Written by `make bench` (`python -m eval.bench_scale`) on generated reports",
        "(`gongkai synth`, txt renderings). Figures are from one run on the machine below.",
        "",
        f"- machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB; Python {m['python']}, "
        f"torch {m['torch']} ({m['torch_threads']} threads)",
        f"- commit {m['commit']}, {m['date']}; embedding model `{results['model']}`",
        "- peak MB is the phase process's own peak resident memory (parse workers not included); "
        "load is the 1-minute load average when the phase ended: other work on the machine "
        "slows every figure.",
        "",
        "## Ingest",
        "",
        "| reports | workers | embeddings | seconds | reports/s | chunks | chunks/s | peak MB "
        "| load | target |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for n, row in results["sizes"].items():
        for key, workers, embed in (
            ("ingest_1_worker", 1, "no"),
            ("ingest", 2, "no"),
            ("ingest_embed", 2, "yes"),
        ):
            r = row.get(key)
            if not r:
                continue
            target = "" if embed == "yes" else mark(r["reports_per_s"] >= TARGETS["ingest_rps"])
            out.append(
                f"| {n} | {workers} | {embed} | {r['seconds']} | {r['reports_per_s']} | "
                f"{r['chunks']} | {r.get('chunks_per_s') or ''} | "
                f"{r['peak_mb']:.0f} | {r.get('load_1min', '')} | {target} |"
            )
    out += [
        "",
        "## Embedding ceiling",
        "",
        "Ingest with embeddings against the model's own encode time for the same chunks: the "
        "time spent inside the model during that ingest, and (where measured) the same chunks "
        "encoded alone in one warm call. Target: the whole ingest within 1.2× of the encode time.",
        "",
        "| reports | chunks embedded | ingest s | encode s in ingest | ratio | target | "
        "encoded alone s | chunks/s alone |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for n, row in results["sizes"].items():
        ing, enc = row.get("ingest_embed"), row.get("encode") or {}
        if ing and ing.get("embed_seconds"):
            ratio = ing["seconds"] / ing["embed_seconds"]
            out.append(
                f"| {n} | {ing['embedded']} | {ing['seconds']} | {ing['embed_seconds']} | "
                f"{ratio:.2f} | {mark(ratio <= TARGETS['embed_overhead'])} | "
                f"{enc.get('seconds', '')} | {enc.get('chunks_per_s', '')} |"
            )
    out += [
        "",
        "## Question latency (warm, one process, ms)",
        "",
        "`sql` and `retrieval`: the generated gold questions' first turns of that route. "
        '`sql_lists`: the heaviest SQL questions, "哪些镇有<row>？" with no year (every '
        "indexed year is read), one per proactive-disclosure row. Targets: SQL p50 ≤ 30 ms and "
        "p95 ≤ 100 ms at 10,000 reports; retrieval p50 ≤ 150 ms at 1,000 reports.",
        "",
        "| reports | index | route | questions | p50 | p95 | peak MB | load | target |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for n, row in results["sizes"].items():
        for key, index in (("latency_sql", "no vectors"), ("latency", "with vectors")):
            r = row.get(key)
            if not r:
                continue
            for route in ("sql", "sql_lists", "retrieval"):
                if route not in r:
                    continue
                x = r[route]
                out.append(
                    f"| {n} | {index} | {route} | {x['n']} | {x['p50_ms']} | {x['p95_ms']} | "
                    f"{r['peak_mb']:.0f} | {r.get('load_1min', '')} | {latency_target(int(n), route, x)} |"
                )
    for n, row in results["sizes"].items():
        if "serve" in row:
            s = row["serve"]
            out += [
                "",
                "## Serve memory",
                "",
                f"`gongkai serve` on the {n}-report index after {s['questions']} questions "
                f"(SQL and retrieval, model loaded): peak resident {s['peak_mb']:.0f} MB, now "
                f"{s['rss_mb']:.0f} MB; target ≤ 1.5 GB: {mark(s['peak_mb'] <= TARGETS['serve_mb'])}.",
            ]
        if "accuracy" in row:
            a = row["accuracy"]
            out += [
                "",
                f"## Accuracy at {n} reports",
                "",
                f"Generated gold questions ({a['turns']} turns), exact match per expected route: "
                "right route and every expected value, organisation set, status and citation.",
                "",
                "| route | turns | exact | rate | right route |",
                "| --- | --- | --- | --- | --- |",
            ]
            for route, r in sorted(a["routes"].items()):
                out.append(
                    f"| {route} | {r['n']} | {r['exact']} | {r['exact_rate']} | {r['route_ok']} |"
                )
            misses = [m for r in a["routes"].values() for m in r["misses"]]
            if misses:
                out += ["", "Some misses:", ""] + [f"- {m}" for m in misses[:10]]
    return out


def latency_target(n: int, route: str, x: dict[str, Any]) -> str:
    if route.startswith("sql") and n >= 10000:
        return mark(x["p50_ms"] <= TARGETS["sql_p50"] and x["p95_ms"] <= TARGETS["sql_p95"])
    if route == "retrieval" and n == 1000:
        return mark(x["p50_ms"] <= TARGETS["retrieval_p50"])
    return ""
