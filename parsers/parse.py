"""parse_file: one report file in, one `Report` out. The parser's single public entry point."""

from __future__ import annotations

from pathlib import Path

from parsers.checks import run_checks
from parsers.errors import NotAReport
from parsers.meta import read_meta
from parsers.normalize import norm
from parsers.readers import read_document
from parsers.report import Cell, Report, Section
from parsers.sections import TABLE_SECTIONS, split_sections
from parsers.tables import extract_tables
from parsers.template import template_cells
from parsers.textfacts import extract_text_facts

TABLE_NAMES = {"proactive": "二", "requests": "三", "review_litigation": "四"}


def parse_file(path: str | Path, data: bytes | None = None) -> Report:
    """Parse a .txt/.md/.html/.pdf/.docx report. Raises parsers.ParseError with a clear message.

    A report without any table is kept (its narrative is still searchable) with the warning
    "no table cells found"; a file with neither report sections nor tables raises NotAReport.
    """
    doc = read_document(path, data)
    report = parse_lines(doc.lines, source=Path(path).name, path=str(path))
    report.format, report.encoding = doc.format, doc.encoding
    report.warnings[:0] = doc.warnings
    return report


def parse_lines(lines: list[str], source: str = "", path: str = "") -> Report:
    raw_sections = split_sections(lines)
    headed = [s for s in raw_sections if s.key != "preamble"]
    last_line = max((i + 1 for i, t in enumerate(lines) if t.strip()), default=0)
    meta = read_meta(lines, headed[0].start if headed else min(len(lines), 40))

    regions: dict[str, list[tuple[int, str]]] = {}
    for sec in raw_sections:
        if sec.key in TABLE_SECTIONS:
            regions.setdefault(sec.key, []).extend(sec.body)
    if not regions:  # no table headings: look for the tables' rows anywhere
        numbered = list(enumerate(lines, start=1))
        regions = {"proactive_tables": numbered, "request_tables": numbered}
    tables = extract_tables(regions, meta.year, last_line)

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

    if not headed and not tables.cells:
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
        warnings=list(tables.warnings),
        lines=lines,
    )
    other_org = not any(c.table == "requests" for c in tables.cells) or any(
        c.col == "other_org" for c in tables.cells
    )
    report.cells = with_unread_cells(report.cells, report.template, other_org)
    report.cells_expected = len(template_cells(report.template, other_org))
    report.checks = run_checks(report.cells, text_facts, report.template)
    if not meta.org:
        report.warnings.append("the organisation is not named in the text")
    if meta.year is None:
        report.warnings.append("the report year could not be found")
    if not tables.cells:  # narrative only: still worth indexing for retrieval
        report.warnings.append("no table cells found")
    else:
        read = {c.table for c in tables.cells}
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


def _is_prose(text: str) -> bool:
    n = norm(text)
    return len(n) >= 20 and any(p in text for p in "，。,；")
