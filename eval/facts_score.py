"""Score the parser against a facts file (one JSON fact per line, as tests/data/web/facts.jsonl).

A table fact counts as found when the parsed report has a cell under its `key` with the same value
(a `null` key marks a local extension row: found when a local row with that printed label has it).
A text fact counts as found when a narrative number of the same value is quoted in a clause that
contains the fact's evidence (compared in simplified characters without spaces).

    python -m eval.facts_score tests/data/web        # prints per-file results and totals
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from parsers import parse_file
from parsers.normalize import norm
from parsers.report import Report


@dataclass
class Score:
    table_found: int = 0
    table_total: int = 0
    text_found: int = 0
    text_total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def table_rate(self) -> float:
        return self.table_found / self.table_total if self.table_total else 1.0

    @property
    def text_rate(self) -> float:
        return self.text_found / self.text_total if self.text_total else 1.0


def table_fact_found(report: Report, fact: dict) -> bool:
    table, row, col = fact["key"]
    if row is None:
        label = norm(fact["metric"].split(".")[0])
        col_label = norm(fact["metric"].split(".")[1])
        return any(
            c.row.startswith("local")
            and label in norm(c.row_label)
            and norm(c.col_label) == col_label
            and c.value == fact["value"]
            for c in report.cells
        )
    cell = report.cell(table, row, col)
    return cell is not None and cell.value is not None and abs(cell.value - fact["value"]) < 1e-9


def text_fact_found(report: Report, fact: dict) -> bool:
    evidence = norm(fact["evidence"])
    return any(
        abs(t.value - fact["value"]) < 1e-9
        and (evidence in norm(t.quote) or norm(t.quote) in evidence)
        for t in report.text_facts
    )


def score(facts_file: Path, files_dir: Path) -> Score:
    facts = [
        json.loads(line)
        for line in facts_file.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    reports: dict[str, Report] = {}
    result = Score()
    for fact in facts:
        name = fact["file"]
        if name not in reports:
            reports[name] = parse_file(files_dir / name)
        report = reports[name]
        if fact["source"] == "table":
            result.table_total += 1
            ok = table_fact_found(report, fact)
            result.table_found += ok
        else:
            result.text_total += 1
            ok = text_fact_found(report, fact)
            result.text_found += ok
        if not ok:
            result.misses.append(
                f"{name} {fact['source']} {fact.get('key') or fact['metric']} = {fact['value']} "
                f"(evidence: {fact['evidence'][:60]!r})"
            )
    return result


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else Path("tests/data/web")
    result = score(folder / "facts.jsonl", folder)
    for miss in result.misses:
        print("MISS", miss)
    print(
        f"table facts: {result.table_found}/{result.table_total} ({result.table_rate:.1%}); "
        f"text facts: {result.text_found}/{result.text_total} ({result.text_rate:.1%})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
