"""Snapshot the bot's JSON answers on the eval set, and compare two snapshots.

A refactor must not change what users get: run this before and after, and compare.

    python -m eval.answers_snapshot --out before.jsonl            # builds a temporary index
    python -m eval.answers_snapshot --out after.jsonl --index DIR  # or reuses one
    python -m eval.answers_snapshot --compare before.jsonl after.jsonl

Each line is one turn: the case id and turn number, and the answer as `gongkai ask --json`
gives it, without its timing (`ms`). The comparison prints every turn whose answer differs,
key by key, and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from eval.score import CASES, build_index, load

VOLATILE = ("ms",)  # keys that differ from run to run


def snapshot(file: Path, index_dir: Path | None = None) -> list[dict[str, Any]]:
    """Every turn of every case in `file`, asked in its conversation, with its answer."""
    from bot.bot import Bot, Conversation
    from index.store import DB_NAME

    header, cases = load(file)
    with tempfile.TemporaryDirectory() as tmp:
        index_dir = index_dir or Path(tmp)
        if not (index_dir / DB_NAME).exists():
            build_index(index_dir, header.get("index", ["data/samples"]), None, file.parent)
        bot = Bot(index_dir, use_llm=False)
        out = []
        try:
            for case in cases:
                conversation = Conversation()
                for n, turn in enumerate(case["turns"], 1):
                    answer = bot.ask(turn["question"], conversation).to_json()
                    answer = {k: v for k, v in answer.items() if k not in VOLATILE}
                    out.append({"id": f"{case['id']}.{n}", "answer": answer})
        finally:
            bot.close()
    return out


def compare(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[str]:
    """One line per difference: a turn missing from one side, or a key whose value changed."""
    a, b = ({r["id"]: r["answer"] for r in rows} for rows in (before, after))
    diffs = [f"{i}: only in the first snapshot" for i in a if i not in b]
    diffs += [f"{i}: only in the second snapshot" for i in b if i not in a]
    for i in (i for i in a if i in b):
        for key in sorted(set(a[i]) | set(b[i])):
            if a[i].get(key, "<absent>") != b[i].get(key, "<absent>"):
                diffs.append(
                    f"{i} {key}: {a[i].get(key, '<absent>')!r} → {b[i].get(key, '<absent>')!r}"
                )
    return diffs


def _read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--cases", type=Path, default=CASES, help="eval cases (default: eval/cases.jsonl)"
    )
    ap.add_argument(
        "--index",
        type=Path,
        help="an index to reuse, built there if absent (default: a temporary one)",
    )
    ap.add_argument("--out", type=Path, help="write the snapshot here")
    ap.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = ap.parse_args(argv)
    if args.compare:
        diffs = compare(*(_read(p) for p in args.compare))
        for line in diffs:
            print(line)
        print(f"{len(diffs)} differences")
        return 1 if diffs else 0
    if not args.out:
        ap.error("give --out FILE to snapshot, or --compare BEFORE AFTER")
    rows = snapshot(args.cases, args.index)
    lines = (json.dumps(r, ensure_ascii=False, sort_keys=True) for r in rows)
    args.out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    print(f"{len(rows)} answers written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
