"""What the command line prints: answers with their cells, reports, one report's reading, and
an ingest's summary. Plain text for a terminal; `bot.cli` decides when to print it.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from parsers.report import PROVENANCES, STATUSES
from parsers.vocabulary import number_text, org_name

if TYPE_CHECKING:
    from index.ingest import IngestSummary
    from parsers.report import Report

PROVENANCE_KEYS = tuple(PROVENANCES)
STATUS_KEYS = tuple(STATUSES)
LISTED_UNREAD = 20  # incomplete (and no_tables) reports an ingest names, each kind


def counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))


LISTED_UNREAD = 20  # incomplete (and no_tables) reports an ingest names, each kind


def echo_answer(answer: dict[str, Any], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(answer, ensure_ascii=False, indent=2))
        return
    click.echo(answer["answer"])
    facts = [f for f in answer["facts"] if "row_label" in f]
    if facts:
        click.echo()
        for f in facts:
            value = (
                f"{number_text(f['value'])} {f['unit']}".strip() if f["value"] is not None else ""
            )
            if f["value"] is None:  # not read from the table (unknown), or left blank (not 0)
                value = "（未读出）" if f.get("provenance") == "unread" else "（空）"
            where = ", ".join(x for x in (f.get("source", ""), line_text(f.get("line"))) if x)
            click.echo(
                f"  {f['org']} {f['year']}  {f['row_label']} / {f['col_label']} = {value}  ({where})"
            )
        for f in answer["facts"]:  # a number the text gives for a cell that could not be read
            if "quote" in f and any(t.get("provenance") == "unread" for t in facts):
                value = f"{number_text(f['value'])} {f['unit']}".strip()
                where = ", ".join(x for x in (f.get("source", ""), line_text(f.get("line"))) if x)
                click.echo(f"  {f['org']} {f['year']}  正文“{f['quote']}” = {value}  ({where})")
    if answer["citations"] and not facts:
        click.echo()
        for c in answer["citations"]:
            start, end = c["lines"]
            click.echo(f"  [{c.get('n', '')}] {c['source']} · {c['section']} · lines {start}–{end}")
    click.echo(f"  (route: {answer['route']})")


def line_text(line: int | None) -> str:
    return f"line {line}" if line is not None else ""


def echo_reports(
    rows: list[dict[str, Any]], directory: Path, counts: dict[int, dict[str, int]]
) -> None:
    if not rows:
        click.echo(f"The index at {directory} is empty — run `gongkai ingest <folder>`")
        return
    table = [("id", "org", "year", "template", "status", "read", "blank", "file")] + [
        (
            str(r["id"]),
            r["org"] or org_name(r),
            str(r["year"] or "?"),
            r["template"],
            r["read_status"] + (f" (copy of {r['copy_of']})" if r.get("copy_of") else ""),
            f"{r['cells_read']}/{r['cells_expected']}",
            str(counts.get(r["id"], {}).get("blank", 0)),
            r["source_name"],
        )
        for r in rows
    ]
    widths = [max(text_width(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        click.echo("  ".join(pad(v, w) for v, w in zip(row, widths, strict=True)).rstrip())
    click.echo(f"{plural(len(rows), 'report')} in {directory}")


UNREAD_SHOWN = 6  # groups of unread cells `gongkai parse` lists before "… and N more"


FAILS_SHOWN = 8  # failed checks it lists


def echo_report(file: Path, report: Report) -> None:
    from bot import report_status as rs

    statuses = [c.status for c in report.checks]
    by = {p: sum(c.provenance == p for c in report.cells) for p in PROVENANCE_KEYS}
    blank = sum(c.value is None and c.provenance != "unread" for c in report.cells)
    extra = [x for x in (report.org_short, report.org_level) if x and x != report.org]
    org = (report.org or "(not found)") + (f" ({', '.join(extra)})" if extra else "")
    lines = [
        f"{file} ({report.format}{', ' + report.encoding if report.encoding else ''})",
        f"  org:       {org}",
        f"  year:      {report.year or '(not found)'}",
        f"  template:  {report.template}",
        f"  status:    {report.status} — {rs.status_meaning(report.status)}",
        f"  cells:     {report.cells_read} of {report.cells_expected} read ({by['unread']} unread, "
        f"{blank} blank, {by['inferred']} inferred, {by['aligned']} aligned)",
    ]
    if report.unread_cells:
        cells = rs.parsed_cells(report.cells)
        groups = rs.unread_groups(cells)
        lines.append(f"  unread:    {plural(len(report.unread_cells), 'cell')}")
        lines += [f"    - {g.text()}" for g in groups[:UNREAD_SHOWN]]
        rest = sum(g.count for g in groups[UNREAD_SHOWN:])
        if rest:
            lines.append(f"    … and {rest} more (see --json)")
    lines += [
        f"  sections:  {len(report.sections)}",
        f"  in text:   {plural(len(report.text_facts), 'number')}",
        f"  checks:    {statuses.count('pass')} pass, {statuses.count('fail')} fail, "
        f"{statuses.count('not_checkable')} not checkable",
    ]
    failed = [c for c in report.checks if c.status == "fail"]
    if failed:
        cells = rs.parsed_cells(report.cells)
        for c in failed[:FAILS_SHOWN]:
            lines.append(f"    FAIL {rs.failed_rule(asdict(c), cells, report.template)}")
        if len(failed) > FAILS_SHOWN:
            lines.append(f"    … and {len(failed) - FAILS_SHOWN} more (see --json)")
    lines.append(f"  warnings:  {len(report.warnings) or 'none'}")
    lines += [f"    - {w}" for w in report.warnings[:5]]
    if len(report.warnings) > 5:
        lines.append(f"    … and {len(report.warnings) - 5} more (see --json)")
    click.echo("\n".join(lines))


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    return text + " " * (width - text_width(text))


def shown(path: Path) -> Path:
    """`path` relative to the current directory when it lies inside it (shorter messages)."""
    try:
        return path.relative_to(Path.cwd())
    except (ValueError, OSError):
        return path


def echo_summary(summary: IngestSummary, directory: Path, echo: Callable[[str], None]) -> None:
    """Say what an ingest did: counts, then every failed, flagged and (up to LISTED_UNREAD of
    each kind) incomplete or unreadable report."""
    s = summary
    by_status = ", ".join(f"{s.statuses.get(k, 0)} {k}" for k in STATUS_KEYS)
    echo(
        f"Ingested {plural(s.total, 'file')} into {directory}: {s.added} added, "
        f"{s.replaced} replaced, {s.unchanged} unchanged, {s.failed} failed; "
        f"{by_status}; {plural(s.embedded, 'passage')} embedded."
    )
    if s.reparsed:
        echo(f"  Read {plural(s.reparsed, 'report')} again: an older parser had stored them.")
    if s.finished:
        echo(f"  Finished {plural(s.finished, 'report')} an interrupted ingest had left.")
    if s.stray_vectors:
        echo(f"  Removed {plural(s.stray_vectors, 'vector')} an interrupted ingest had left.")
    for failure in s.failures:
        echo(f"  FAILED {failure.file}: {failure.reason}")
    for twin in s.copies:
        what = " ".join(x for x in (twin.org, str(twin.year or "")) if x)
        echo(f"  COPY {twin.file}: the same {what} report as {twin.other_file}; counted once")
    for twin in s.same_org_year:
        what = " ".join(x for x in (twin.org, str(twin.year or "")) if x)
        echo(
            f"  SAME ORGANISATION AND YEAR {twin.file}: {what} is indexed from {twin.other_file} "
            "too, with other table cells; answers say which file they use"
        )
    for flag in s.flagged:
        what = " ".join(x for x in (flag.org, str(flag.year or "")) if x) or "report"
        read = flag.cells_read, flag.cells_expected
        lacking = f"; {read[0]} of {read[1]} table cells read" if read[0] < read[1] else ""
        echo(f"  FLAGGED {flag.file}: {what} fails {', '.join(flag.rules)}{lacking}")
    for status, word in (("incomplete", "INCOMPLETE"), ("no_tables", "NO TABLES")):
        listed = [u for u in s.unread if u.status == status]
        for u in listed[:LISTED_UNREAD]:
            what = " ".join(x for x in (u.org, str(u.year or "")) if x) or "report"
            if status == "incomplete":
                why = f"{u.cells_read} of {u.cells_expected} table cells read"
            else:
                why = "no table could be read; kept for its text"
            echo(f"  {word} {u.file}: {what} — {why}")
        if len(listed) > LISTED_UNREAD:
            more = len(listed) - LISTED_UNREAD
            echo(f"  … and {more} more {status} (see `gongkai reports`)")
