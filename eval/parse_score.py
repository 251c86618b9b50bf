"""Score the parser on a synthetic corpus (`gongkai synth`): every gold cell against the parsed
cell, per rendering (`style`), per corruption and overall.

    python -m eval.parse_score DIR [--json] [--workers N] [--timeout S] [--show K]

DIR holds `reports/` and `gold_cells.jsonl`. Each report is parsed with `parsers.parse_file`; its
cells are matched to the gold cells by (table, row, col). A gold cell with a value is `exact`,
`unread` (parsed value None; `no_note` counts those without a note saying why) or `wrong`. A gold
blank is `blank_ok` when read as blank, `inferred_for_blank` when the parser computed it by a
template rule (provenance `inferred`) and the value equals what the rules give from the gold
cells (e.g. a blank 总计 as the sum of its row), and `wrong` otherwise. A report whose gold breaks
a rule should have status `fails_checks`, and no other should: `status_off` counts both misses.
A report the parser crashes on, or takes more than `--timeout` seconds over (default 60), counts
every gold cell as unread, without a note.

    from eval.parse_score import score_corpus
    result = score_corpus("/tmp/corpus", workers=2)
    result.tallies["overall"].exact
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, fields
from functools import partial
from pathlib import Path
from typing import Any

from eval.synth_numbers import result_rows
from parsers import template as T

Key = tuple[str, str, str]
OUTCOMES = ("exact", "unread", "wrong", "blank_ok", "inferred_for_blank")


@dataclass
class Parsed:
    """What the scorer needs of a parsed report (small, so workers can send it back)."""

    file: str
    status: str = ""
    cells: dict[Key, tuple[float | None, str, str]] = field(default_factory=dict)
    error: str = ""  # the exception, if the parser crashed
    seconds: float = 0.0


class _TimedOut(BaseException):  # not an Exception: the parser's own handlers must not catch it
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _TimedOut


def parse_one(path: str | Path, timeout: float | None = None) -> Parsed:
    """Parse one report; a crash, or a parse longer than `timeout` seconds (Unix, main thread
    only), is returned as `error`."""
    from parsers import parse_file

    start = time.perf_counter()
    if timeout:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        report = parse_file(path)
    except _TimedOut:
        return Parsed(Path(path).name, error=f"timed out after {timeout:g} s", seconds=timeout)
    except Exception as err:  # a crash is a result to count, not the end of the run
        return Parsed(Path(path).name, error=f"{type(err).__name__}: {err}")
    finally:
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    cells = {(c.table, c.row, c.col): (c.value, c.provenance, c.note) for c in report.cells}
    return Parsed(Path(path).name, report.status, cells, seconds=time.perf_counter() - start)


# --- what the template's arithmetic gives a blank gold cell ------------------------------------


def equations(template: str, keys: set[Key]) -> list[tuple[list[Key], list[Key]]]:
    """The 勾稽关系 (R3.1–R3.3, R4.1–R4.3) over the cells in `keys`, as sum(left) = sum(right)."""
    cols = [c.key for c in T.REQUEST_COLS if ("requests", "new_received", c.key) in keys]
    people = [c for c in cols if c != "total"]
    out: list[tuple[list[Key], list[Key]]] = []
    for row in T.request_rows(template):  # R3.3
        out.append(([("requests", row.key, "total")], [("requests", row.key, c) for c in people]))
    for col in cols:
        rows = result_rows(template)
        out.append(  # R3.2
            ([("requests", "result_total", col)], [("requests", r, col) for r in rows])
        )
        out.append(  # R3.1
            (
                [("requests", "new_received", col), ("requests", "carried_over", col)],
                [("requests", "result_total", col), ("requests", "carried_forward", col)],
            )
        )
    outcomes = [c.key for c in T.REVIEW_COLS if c.key != "total"]
    for row in T.REVIEW_ROWS:  # R4.1–R4.3
        left = [("review_litigation", row.key, "total")]
        out.append((left, [("review_litigation", row.key, c) for c in outcomes]))
    return [(a, b) for a, b in out if all(k in keys for k in a + b)]


def derived_blanks(template: str, gold: dict[Key, float | None]) -> dict[Key, float]:
    """Values the rules give the gold's blank cells from its printed ones, applied until
    nothing changes (a blank 总计 column: each row's sum, then …). Counts are never negative, so
    blanks on one side of a rule whose other cells leave them 0 in sum are each 0."""
    known = {k: v for k, v in gold.items() if v is not None}
    derived: dict[Key, float] = {}
    eqs = equations(template, set(gold))
    changed = True
    while changed:
        changed = False
        for left, right in eqs:
            unknown = [k for k in left + right if k not in known]
            if not unknown:
                continue
            total = sum(known.get(k, 0) for k in right) - sum(known.get(k, 0) for k in left)
            if len(unknown) == 1:
                (key,) = unknown
                known[key] = derived[key] = total if key in left else -total
            elif total == 0 and (set(unknown) <= set(left) or set(unknown) <= set(right)):
                for key in unknown:
                    known[key] = derived[key] = 0.0
            else:
                continue
            changed = True
    return derived


# --- scoring -----------------------------------------------------------------------------------


@dataclass
class Tally:
    reports: int = 0
    crashed: int = 0  # the parser raised, or took longer than the timeout (also `timed_out`)
    timed_out: int = 0
    cells: int = 0  # gold cells with a value
    exact: int = 0
    unread: int = 0
    no_note: int = 0  # unread without a note
    wrong: int = 0
    blanks: int = 0  # gold blank cells
    blank_ok: int = 0
    inferred_for_blank: int = 0
    complete: int = 0  # reports with status complete
    status_off: int = 0  # broken but not fails_checks, or fails_checks but not broken
    seconds: float = 0.0  # parse time, summed over reports

    def add(self, other: Tally) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class CellResult:
    file: str
    key: Key
    gold: float | None
    got: float | None
    provenance: str
    note: str
    outcome: str  # one of OUTCOMES


def same(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def score_report(gold: dict[str, Any], parsed: Parsed) -> tuple[Tally, list[CellResult]]:
    """One report's tally and every gold cell's outcome."""
    cells: dict[Key, float | None] = {(t, r, c): v for t, r, c, v in gold["cells"]}
    derived = derived_blanks(gold["template"], cells)
    tally = Tally(reports=1, crashed=int(bool(parsed.error)), seconds=parsed.seconds)
    tally.timed_out = int(parsed.error.startswith("timed out"))
    results: list[CellResult] = []
    for key, want in cells.items():
        got, provenance, why = parsed.cells.get(key, (None, "missing", ""))
        if want is not None:
            tally.cells += 1
            outcome = "unread" if got is None else "exact" if same(got, want) else "wrong"
            tally.no_note += outcome == "unread" and not why
        else:
            tally.blanks += 1
            sums = provenance == "inferred" and key in derived and same(got or 0, derived[key])
            outcome = "blank_ok" if got is None else "inferred_for_blank" if sums else "wrong"
        setattr(tally, outcome, getattr(tally, outcome) + 1)
        results.append(CellResult(gold["file"], key, want, got, provenance, why, outcome))
    if not parsed.error:
        tally.complete = int(parsed.status == "complete")
        tally.status_off = int((parsed.status == "fails_checks") != bool(gold["broken"]))
    return tally, results


@dataclass
class CorpusScore:
    tallies: dict[str, Tally]  # "overall", "style:<style>", "corruption:<name>"
    wrong: list[CellResult]  # every wrong cell, in file order
    crashes: list[tuple[str, str]]
    status_off: list[tuple[str, str | None, str]]  # file, gold broken rule, parsed status
    seconds: float  # wall time of the parse
    workers: int

    @property
    def rate(self) -> float:
        return self.tallies["overall"].reports / self.seconds if self.seconds else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "reports_per_second": round(self.rate, 2),
            "seconds": round(self.seconds, 2),
            "workers": self.workers,
            "tallies": {k: asdict(t) for k, t in self.tallies.items()},
            "wrong": [asdict(c) for c in self.wrong],
            "crashes": [list(c) for c in self.crashes],
            "status_off": [list(s) for s in self.status_off],
        }


def load_gold(folder: Path) -> list[dict[str, Any]]:
    path = folder / "gold_cells.jsonl"
    if not path.is_file():
        raise FileNotFoundError(f"no {path}: DIR must be a corpus written by `gongkai synth`")
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def score_corpus(folder: str | Path, workers: int = 1, timeout: float | None = 60) -> CorpusScore:
    """Parse every report of the corpus in `folder` (in `workers` processes; a parse longer
    than `timeout` seconds is stopped and counted as a crash) and score it against the gold."""
    folder = Path(folder)
    golds = load_gold(folder)
    paths = [folder / "reports" / g["file"] for g in golds]
    parse = partial(parse_one, timeout=timeout)
    start = time.perf_counter()
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            parsed = list(pool.map(parse, paths, chunksize=4))
    else:
        parsed = [parse(p) for p in paths]
    seconds = time.perf_counter() - start
    tallies: dict[str, Tally] = defaultdict(Tally)
    wrong, crashes, status_off = [], [], []
    for gold, got in zip(golds, parsed, strict=True):
        tally, results = score_report(gold, got)
        groups = ["overall", f"style:{gold.get('style', '?')}"]
        groups += [f"corruption:{c}" for c in gold.get("corruptions", [])]
        for group in groups:
            tallies[group].add(tally)
        wrong += [r for r in results if r.outcome == "wrong"]
        if got.error:
            crashes.append((gold["file"], got.error))
        elif tally.status_off:
            status_off.append((gold["file"], gold["broken"], got.status))
    order = sorted(tallies, key=lambda k: (k != "overall", not k.startswith("style:"), k))
    return CorpusScore({k: tallies[k] for k in order}, wrong, crashes, status_off, seconds, workers)


# --- printing ----------------------------------------------------------------------------------

COLUMNS = ("reports", "crashed", "timed_out", "cells", "exact", "unread", "no_note", "wrong", "blanks",
           "inferred_for_blank", "complete", "status_off")  # fmt: skip


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def table(result: CorpusScore) -> list[str]:
    heads = ("group", *COLUMNS, "exact%", "rep/s")
    rows = []
    for name, t in result.tallies.items():
        rate = t.reports / t.seconds if t.seconds else 0.0
        if name == "overall":
            rate = result.rate
        rows.append([name, *(str(getattr(t, c)) for c in COLUMNS), _pct(t.exact, t.cells),
                     f"{rate:.1f}"])  # fmt: skip
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(heads)]
    line = lambda cells: "  ".join(  # noqa: E731
        c.ljust(w) if i == 0 else c.rjust(w)
        for i, (c, w) in enumerate(zip(cells, widths, strict=True))
    )
    return [line(heads), *(line(r) for r in rows)]


def report_lines(result: CorpusScore, show: int = 10) -> list[str]:
    overall = result.tallies["overall"]
    out = [
        f"{overall.reports} reports parsed in {result.seconds:.1f} s with {result.workers} "
        f"worker(s): {result.rate:.1f} reports/s; {overall.cells} gold cells with a value: "
        f"{_pct(overall.exact, overall.cells)} exact, {overall.unread} unread, "
        f"{overall.wrong} wrong.",
        "(per style and per corruption; rep/s per group is 1 / mean parse time of one report)",
        *table(result),
    ]
    if result.wrong:
        out.append(f"First wrong cells (of {len(result.wrong)}):")
        for c in result.wrong[:show]:
            got = "blank" if c.got is None else c.got
            out.append(f"  {c.file} {'/'.join(c.key)}: gold {c.gold}, got {got} "
                       f"[{c.provenance}] {c.note}".rstrip())  # fmt: skip
    if result.crashes:
        out.append(f"Crashes ({len(result.crashes)}):")
        out += [f"  {f}: {e}" for f, e in result.crashes[:show]]
    if result.status_off:
        out.append(f"Status not as the gold says ({len(result.status_off)}):")
        out += [f"  {f}: gold broken {b}, status {s}" for f, b, s in result.status_off[:show]]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m eval.parse_score", description=__doc__.split(
        "\n\n")[0])  # fmt: skip
    ap.add_argument("folder", type=Path, help="a corpus written by `gongkai synth`")
    ap.add_argument("--json", action="store_true", help="print the full result as JSON")
    ap.add_argument("--workers", type=int, default=1, help="parse in N processes (default 1)")
    ap.add_argument("--timeout", type=float, default=60.0,
                    help="seconds a report may take to parse; longer counts as a crash (default 60)")  # fmt: skip
    ap.add_argument("--show", type=int, default=10, help="wrong cells to list (default 10)")
    args = ap.parse_args(argv)
    try:
        result = score_corpus(args.folder, max(1, args.workers), args.timeout or None)
    except FileNotFoundError as err:
        print(f"Error: {err}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=1))
    else:
        print("\n".join(report_lines(result, args.show)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
