"""Score the bot on its eval set (eval/cases.jsonl): route, exact numbers and sets, citations.

    python -m eval.score [FILE] [--index DIR] [--json]      (also: gongkai eval)

Line 1 of the file holds the thresholds and the corpus (`index`: folders, relative to the
repository) that the cases were written against; every other line is one conversation. Without
`--index`, the corpus is indexed into a temporary folder with the real embedding model. Each turn
is asked in its conversation and graded against its `expect`:

- route: the answer's route equals the expected one;
- sql_exact (turns with `values`, `orgs` or `status`): every expected number appears among the
  answer's facts or its result, the organisations equal the expected ones (in order when
  `ordered`), the status equals;
- citation (turns with `source`): a citation points into the expected file and section;
- contains: every expected phrase appears in the answer text.

Exit code 1 when a total is below its threshold.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CASES = Path(__file__).with_name("cases.jsonl")
METRICS = ("route", "sql_exact", "org", "citation", "contains")


def load(path: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    if not rows or "thresholds" not in rows[0]:
        raise SystemExit(f"{path}: line 1 must be the header with 'thresholds'")
    return rows[0], rows[1:]


def grade(expect: dict[str, Any], route: str, answer: dict[str, Any]) -> dict[str, bool]:
    marks = {"route": answer["route"] == route}
    if any(k in expect for k in ("values", "orgs", "status")):
        ok = True
        if "values" in expect:
            got = [f["value"] for f in answer["facts"] if f.get("value") is not None]
            if answer.get("result") is not None:
                got.append(answer["result"])
            ok &= all(any(_same(v, g) for g in got) for v in expect["values"])
        if "orgs" in expect:
            ok &= _same_orgs(expect["orgs"], answer, bool(expect.get("ordered")))
        if "status" in expect:
            ok &= answer.get("status") == expect["status"]
        marks["sql_exact"] = ok
    if "org" in expect:  # exactly this organisation, and no other, in the answer's facts
        marks["org"] = {f.get("org") for f in answer["facts"]} == {expect["org"]}
    if "source" in expect:
        src = expect["source"]
        marks["citation"] = any(
            c["source"] == src["file"] and _in_section(c, src["section"])
            for c in answer["citations"]
        )
    if "contains" in expect:
        text = answer["answer"] + " ".join(c.get("passage", "") for c in answer["citations"])
        marks["contains"] = all(p in text for p in expect["contains"])
    return marks


def _same(a: float, b: float) -> bool:
    return abs(float(a) - float(b)) < 1e-6


def _same_orgs(expected: list[str], answer: dict[str, Any], ordered: bool) -> bool:
    got = list(answer.get("orgs") or [])

    def match(name: str, have: str) -> bool:
        return name == have or name in have or have in name

    if len(got) != len(expected):
        return False
    if ordered:
        return all(match(e, g) for e, g in zip(expected, got, strict=True))
    left = list(got)
    for e in expected:
        hit = next((g for g in left if match(e, g)), None)
        if hit is None:
            return False
        left.remove(hit)
    return True


def _in_section(citation: dict[str, Any], section: str) -> bool:
    key = citation.get("section_key", "")
    return key == section or key.startswith(section + ".")


def run(cases: list[dict[str, Any]], index_dir: Path, model: str | None = None):
    from bot.bot import Bot, Conversation

    bot = Bot(index_dir, model=model, use_llm=False)
    results = []
    try:
        for case in cases:
            conversation = Conversation()
            for n, turn in enumerate(case["turns"], 1):
                start = time.perf_counter()
                answer = bot.ask(turn["question"], conversation).to_json()
                ms = (time.perf_counter() - start) * 1000
                marks = grade(turn.get("expect", {}), turn["route"], answer)
                results.append(
                    {
                        "id": f"{case['id']}.{n}",
                        "question": turn["question"],
                        "route": turn["route"],
                        "got_route": answer["route"],
                        "marks": marks,
                        "ms": round(ms, 1),
                        "answer": answer["answer"],
                    }
                )
    finally:
        bot.close()
    return results


def totals(results: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"turns": len(results)}
    for metric in METRICS:
        marks = [r["marks"][metric] for r in results if metric in r["marks"]]
        out[metric] = round(sum(marks) / len(marks), 3) if marks else None
        out[f"{metric}_n"] = len(marks)
    times = sorted(r["ms"] for r in results)
    out["latency_p50_ms"] = times[len(times) // 2] if times else None
    out["latency_p95_ms"] = times[int(0.95 * (len(times) - 1))] if times else None
    return out


def build_index(
    target: Path, folders: list[str], model: str | None = None, base: Path | None = None
) -> None:
    """Index the corpus `folders`: relative to the repository, or else to `base` (the folder of
    the cases file, as for a corpus written by `gongkai synth`)."""
    from index.ingest import ingest_paths
    from index.store import Store
    from index.vectors import open_vectors

    paths = [p for f in folders for p in _report_files(_corpus_folder(f, base))]
    with Store(target) as store:
        ingest_paths(paths, store, vectors=open_vectors(target, model=model))


def _corpus_folder(folder: str, base: Path | None) -> Path:
    if (ROOT / folder).is_dir() or base is None:
        return ROOT / folder
    return base / folder


def _report_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.lower() != "readme.md")


def evaluate(file: Path = CASES, index_dir: Path | None = None, model: str | None = None):
    header, cases = load(file)
    with tempfile.TemporaryDirectory() as tmp:
        if index_dir is None:
            index_dir = Path(tmp)
            build_index(index_dir, header.get("index", ["data/samples"]), model, file.parent)
        results = run(cases, index_dir, model)
    summary = totals(results)
    failed = [
        f"{m} {summary[m]} < {t}"
        for m, t in header["thresholds"].items()
        if summary.get(m) is not None and summary[m] < t
    ]
    return results, summary, failed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", type=Path, default=CASES)
    ap.add_argument("--index", type=Path, default=None)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    results, summary, failed = evaluate(args.file, args.index)
    print_report(results, summary, failed, args.json)
    return 1 if failed else 0


def print_report(results, summary, failed, as_json: bool) -> None:
    if as_json:
        print(
            json.dumps(
                {"results": results, "totals": summary, "failed": failed}, ensure_ascii=False
            )
        )
        return
    for r in results:
        bad = [m for m, ok in r["marks"].items() if not ok]
        if bad:
            print(
                f"FAIL {r['id']} {','.join(bad)} (route {r['got_route']}≠{r['route']}?) {r['question']}"
            )
            print(f"     → {r['answer'][:160]!r}")
    for m in METRICS:
        print(f"{m:10} {summary[m]}  (n={summary[m + '_n']})")
    print(f"latency p50 {summary['latency_p50_ms']} ms, p95 {summary['latency_p95_ms']} ms")
    for f in failed:
        print(f"BELOW THRESHOLD: {f}")


if __name__ == "__main__":
    sys.exit(main())
