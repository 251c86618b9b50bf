"""parse_file: one report file in, one `Report` out. The parser's single public entry point."""

from __future__ import annotations

import re
from pathlib import Path

from parsers.checks import run_checks
from parsers.errors import NotAReport
from parsers.header import Header, read_header
from parsers.meta import read_meta
from parsers.normalize import norm
from parsers.readers import read_document
from parsers.reflow import reflow
from parsers.report import Cell, Report, Section
from parsers.sections import TABLE_SECTIONS, split_sections
from parsers.tables import extract_tables
from parsers.template import template_cells
from parsers.textfacts import extract_text_facts

TABLE_NAMES = {"proactive": "二", "requests": "三", "review_litigation": "四"}
# A report names itself in its title or its opening sentences ("现将…年度报告公布如下").
REPORT_NAME = re.compile(r"(?:政府|政务)信息公开.{0,12}?(?:年度报告|年报)|信息公开年报")
OPENING_CHARS = 600


def parse_file(path: str | Path, data: bytes | None = None) -> Report:
    """Parse a .txt/.md/.html/.pdf/.docx report. Raises parsers.ParseError with a clear message.

    A report without any readable table is kept (its narrative is still searchable) with the
    warning "no table cells found" and status `no_tables`; only a file that is no report (no
    report sections, no tables, and neither its title nor its opening names a 政府信息公开…年度报告)
    raises NotAReport.
    """
    doc = read_document(path, data)
    report = parse_lines(doc.lines, source=Path(path).name, path=str(path))
    report.format, report.encoding = doc.format, doc.encoding
    report.warnings[:0] = doc.warnings
    return report


def parse_lines(lines: list[str], source: str = "", path: str = "") -> Report:
    """Parse a report's text lines. A crawler's header block is read for the title and link and
    kept out of the sections; crawled text is re-flowed first (parsers/reflow.py), and the
    Report's `lines` are then the re-flowed lines that its line numbers refer to."""
    header = read_header(lines)
    flowed = reflow(lines, header.body_start)
    lines = flowed.lines
    raw_sections = split_sections(lines, header.body_start)
    headed = [s for s in raw_sections if s.key != "preamble"]
    last_line = max((i + 1 for i, t in enumerate(lines) if t.strip()), default=0)
    head_end = headed[0].start if headed else min(len(lines), header.body_start - 1 + 40)
    meta = read_meta(lines, head_end, header, file_name=Path(source or path).stem)

    regions: dict[str, list[tuple[int, str]]] = {}
    for sec in raw_sections:
        if sec.key in TABLE_SECTIONS:
            regions.setdefault(sec.key, []).extend(sec.body)
    if not regions:  # no table headings: look for the tables' rows anywhere
        numbered = list(enumerate(lines, start=1))
        regions = {"proactive_tables": numbered, "request_tables": numbered}
    # numbers the narrative states (outside the tables) can settle a cell the print left ambiguous
    evidence = extract_text_facts(
        [(no, t, s.key) for s in raw_sections if s.key not in TABLE_SECTIONS for no, t in s.body]
    )
    tables = extract_tables(regions, meta.year, last_line, evidence)

    sections: list[Section] = []
    narrative: list[tuple[int, str, str]] = []
    for sec in raw_sections:
        body = [(no, t) for no, t in sec.body if t.strip() and no not in meta.title_lines]
        if sec.key in TABLE_SECTIONS:
            body = [(no, t) for no, t in body if no not in tables.table_lines and _is_prose(t)]
        text = "\n".join(t.strip() for _, t in body)
        if not text and not sec.path:
            continue
        start = sec.start if sec.path else (body[0][0] if body else sec.start)
        sections.append(Section(sec.key, sec.path, text, (start, max(sec.end, start))))
        narrative.extend((no, t, sec.key) for no, t in body)

    read_cells = [c for c in tables.cells if c.provenance != "unread"]
    if not headed and not read_cells and not _names_a_report(lines, header, meta.title_lines):
        raise NotAReport(
            path or source,
            "no report sections or tables found; is this a 政府信息公开工作年度报告?",
        )
    text_facts = extract_text_facts(narrative)
    report = Report(
        source=source,
        org=meta.org,
        org_short=meta.org_short,
        org_level=meta.org_level,
        year=meta.year,
        template=tables.template,
        sections=sections,
        cells=tables.cells,
        text_facts=text_facts,
        warnings=[*flowed.warnings, *tables.warnings],
        lines=lines,
        source_url=header.source_url,
        aliases=list(meta.aliases),
        published=header.published,
    )
    for alias in meta.aliases:
        report.warnings.append(
            f"the title names {alias}; the text says {meta.org}: using {meta.org}"
        )
    report.cells = with_unread_cells(report.cells, report.template, tables.other_org)
    report.cells_expected = len(template_cells(report.template, tables.other_org))
    report.checks = run_checks(report.cells, text_facts, report.template)
    if not meta.org:
        report.warnings.append("the organisation is not named in the text")
    if meta.year is None:
        report.warnings.append("the report year could not be found")
    if not read_cells:  # narrative only: still worth indexing for retrieval
        report.warnings.append("no table cells found")
    else:
        read = {c.table for c in read_cells}
        report.warnings.extend(
            f"no cells read for table {zh}; the file may be cut short or the table missing"
            for table, zh in TABLE_NAMES.items()
            if table not in read
        )
    return report


def with_unread_cells(cells: list[Cell], template: str, other_org: bool) -> list[Cell]:
    """`cells` plus an `unread` cell (value None) for every template cell the tables did not give,
    in template order, so a report lists every cell it should have and says which it lacks."""
    have = {(c.table, c.row, c.col) for c in cells}
    missing = [
        Cell(
            spec.table,
            spec.row.key,
            spec.col.key,
            spec.row.zh,
            spec.col.zh,
            None,
            "",
            spec.col.unit,
            None,
            "unread",
            spec.row.key if spec.table == "review_litigation" else spec.row.group,
            f"table {TABLE_NAMES[spec.table]} was not found or this cell could not be read",
        )
        for spec in template_cells(template, other_org)
        if (spec.table, spec.row.key, spec.col.key) not in have
    ]
    return cells + missing


def _names_a_report(lines: list[str], header: Header, title_lines: tuple[int, ...]) -> bool:
    """The title (crawler header or title lines) or the opening of the text names a report."""
    opening = ""
    for text in lines[header.body_start - 1 :]:
        opening += text
        if len(opening) >= OPENING_CHARS:
            break
    opening = opening[:OPENING_CHARS]
    titles = [header.title] + [lines[no - 1] for no in title_lines if 0 < no <= len(lines)]
    return any(REPORT_NAME.search(norm(t)) for t in (*titles, opening))


def _is_prose(text: str) -> bool:
    n = norm(text)
    return len(n) >= 20 and any(p in text for p in "，。,；")
