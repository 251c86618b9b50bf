"""Render a parsed `Report` back into the template's printed layout, as HTML, DOCX or PDF.

Used to test the readers and the table parser on every format: parse a sample, render it, parse
the rendering, compare the cells. The three tables are drawn the way 国办公开办函〔2021〕30号
prints them (merged header cells, group labels spanning their rows); see docs/SCHEMA.md §2–4.

    from eval.render import render_pdf
    Path("x.pdf").write_bytes(render_pdf(parse_file("data/samples/001_da26bd1ac1c5269a.txt")))
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from html import escape

from parsers.report import Cell, Report
from parsers.template import (
    ART20_COLS,
    ART20_GROUPS,
    REQUEST_COLS,
    REVIEW_COLS,
    REVIEW_ROWS,
    proactive_rows,
    request_rows,
    row_def,
)

RULE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE_OF_SECTION = {
    "proactive_tables": "proactive",
    "request_tables": "requests",
    "review_litigation_table": "review_litigation",
}
HEADINGS = {
    "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
}
RESULT_GROUPS = ("result", "denied", "unable", "not_processed", "other")


@dataclass
class GridCell:
    row: int
    col: int
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Grid:
    n_cols: int
    widths: list[float]  # relative column widths (PDF)
    cells: list[GridCell] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return max((c.row + c.rowspan for c in self.cells), default=0)

    def add(self, row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1) -> None:
        self.cells.append(GridCell(row, col, text, rowspan, colspan))


# --- the document as blocks: ("title" | "heading" | "para", text, level) or ("table", Grid, 0) --


def blocks(report: Report) -> list[tuple[str, object, int]]:
    year = f"{report.year}年" if report.year else ""
    out: list[tuple[str, object, int]] = [
        ("title", f"{report.org}{year}政府信息公开工作年度报告", 0)
    ]
    printed: list[str] = []
    drawn: set[str] = set()
    for section in report.sections:
        table = TABLE_OF_SECTION.get(section.key)
        if section.key.split(".")[0] in ("problems_improvements", "other_matters"):
            out.extend(_missing_tables(report, drawn))
        for depth, heading in enumerate(section.path):
            if printed[: depth + 1] != section.path[: depth + 1]:
                out.append(("heading", heading, depth + 1))
        printed = list(section.path)
        for line in section.text.split("\n"):
            if "\t" in line and table:
                continue  # the table's own rows: drawn from the cells below
            if line.strip():
                out.append(("para", line.replace("\t", " ").strip(), 0))
        if table and table not in drawn and _cells(report, table):
            out.append(("table", GRIDS[table](report), 0))
            drawn.add(table)
    out.extend(_missing_tables(report, drawn))
    return out


def _missing_tables(report: Report, drawn: set[str]) -> list[tuple[str, object, int]]:
    """Tables that have cells but whose section the parser did not find: heading and table."""
    out: list[tuple[str, object, int]] = []
    for table, heading in HEADINGS.items():
        if table not in drawn and _cells(report, table):
            out += [("heading", heading, 1), ("table", GRIDS[table](report), 0)]
            drawn.add(table)
    return out


def _cells(report: Report, table: str) -> dict[tuple[str, str], Cell]:
    return {(c.row, c.col): c for c in report.cells if c.table == table}


def fmt(cell: Cell | None) -> str:
    """The printed value: the raw text if any, else the number (no trailing .0); blank for None."""
    if cell is None:
        return ""
    if cell.raw and cell.raw.strip():
        return cell.raw.strip()
    if cell.value is None:
        return ""
    if float(cell.value).is_integer():
        return str(int(cell.value))
    return f"{cell.value:.10f}".rstrip("0").rstrip(".")


# --- the three tables -----------------------------------------------------------------------


def _template(report: Report) -> str:
    return report.template if report.template in ("gov2021", "gov2019") else "gov2021"


def proactive_grid(report: Report) -> Grid:
    template = _template(report)
    cells = _cells(report, "proactive")
    by_group: dict[str, list[Cell]] = {}
    for cell in cells.values():
        known = row_def("proactive", cell.row)
        by_group.setdefault(cell.group or (known.group if known else ""), []).append(cell)
    groups = [g for g in ART20_GROUPS if g in by_group] + sorted(set(by_group) - set(ART20_GROUPS))
    layouts = [(g, *_block_layout(template, g, by_group[g])) for g in groups]
    n_values = max([len(cols) for _, cols, _ in layouts] + [3])
    grid = Grid(1 + n_values, [3.0] + [2.0] * n_values)
    r = 0
    for group, cols, rows in layouts:
        grid.add(r, 0, ART20_GROUPS.get(group, group), colspan=1 + n_values)
        grid.add(r + 1, 0, "信息内容")
        for i, (key, label) in enumerate(cols):
            if key == "fee_amount":
                label += "（单位：万元）"
            grid.add(r + 1, 1 + i, label, colspan=n_values - i if i == len(cols) - 1 else 1)
        r += 2
        for row, label in rows:
            grid.add(r, 0, label)
            for i, (key, _) in enumerate(cols):
                span = n_values - i if i == len(cols) - 1 else 1
                grid.add(r, 1 + i, fmt(cells.get((row, key))), colspan=span)
            r += 1
    return grid


def _block_layout(template: str, group: str, cells: list[Cell]) -> tuple[list, list]:
    """(columns, rows) of one 第二十条 block as (key, label) pairs in template order; a column or
    row the template does not know (a local extension) follows, labelled as printed."""
    cols = {c.key: c.zh for c in ART20_COLS.get((template, group), ())}
    for cell in cells:
        cols.setdefault(cell.col, cell.col_label)
    order = [r.key for r in proactive_rows(template) if r.group == group]
    cells = sorted(cells, key=lambda c: order.index(c.row) if c.row in order else len(order))
    rows = {c.row: c.row_label for c in cells}
    return list(cols.items()), list(rows.items())


def requests_grid(report: Report) -> Grid:
    cells = _cells(report, "requests")
    template = _template(report)
    other = any(col == "other_org" for _, col in cells)
    cols = [c for c in REQUEST_COLS if other or c.key != "other_org"]
    legal = [c for c in cols if c.key not in ("natural_person", "total")]
    rows = [r for r in request_rows(template) if any(k[0] == r.key for k in cells)]
    grid = Grid(3 + len(cols), [2.4, 2.4, 4.6] + [1.0] * len(cols))
    grid.add(0, 0, RULE, rowspan=3, colspan=3)
    grid.add(0, 3, "申请人情况", colspan=len(cols))
    grid.add(1, 3, "自然人", rowspan=2)
    grid.add(1, 4, "法人或其他组织", colspan=len(legal))
    grid.add(1, 4 + len(legal), "总计", rowspan=2)
    for i, col in enumerate(legal):
        grid.add(2, 4 + i, col.zh)
    result_rows = [r for r in rows if r.group in RESULT_GROUPS]
    r = 3
    for row in rows:
        if row.group in RESULT_GROUPS:
            if row is result_rows[0]:
                grid.add(r, 0, "三、本年度办理结果", rowspan=len(result_rows))
            if row.group == "result":
                grid.add(r, 1, row.zh, colspan=2)
            else:
                members = [x for x in rows if x.group == row.group]
                if row is members[0]:
                    grid.add(r, 1, row.group_zh, rowspan=len(members))
                grid.add(r, 2, row.zh)
        else:
            grid.add(r, 0, row.zh, colspan=3)
        for i, col in enumerate(cols):
            grid.add(r, 3 + i, fmt(cells.get((row.key, col.key))))
        r += 1
    return grid


def review_grid(report: Report) -> Grid:
    cells = _cells(report, "review_litigation")
    grid = Grid(15, [1.0] * 15)
    grid.add(0, 0, "行政复议", colspan=5)
    grid.add(0, 5, "行政诉讼", colspan=10)
    for i, col in enumerate(REVIEW_COLS):
        grid.add(1, i, col.zh, rowspan=2)
        grid.add(2, 5 + i, col.zh)
        grid.add(2, 10 + i, col.zh)
    grid.add(1, 5, "未经复议直接起诉", colspan=5)
    grid.add(1, 10, "复议后起诉", colspan=5)
    for j, row in enumerate(REVIEW_ROWS):
        for i, col in enumerate(REVIEW_COLS):
            grid.add(3, 5 * j + i, fmt(cells.get((row.key, col.key))))
    return grid


GRIDS = {"proactive": proactive_grid, "requests": requests_grid, "review_litigation": review_grid}


# --- HTML -----------------------------------------------------------------------------------


def render_html(report: Report) -> str:
    return html_document(blocks(report))


def html_document(doc: list[tuple[str, object, int]]) -> str:
    """An HTML page of `blocks()` (which a caller may have changed, e.g. the tables' grids)."""
    parts: list[str] = []
    title = ""
    for kind, payload, level in doc:
        if kind == "title":
            title = escape(str(payload))
            parts.append(f"<h1>{title}</h1>")
        elif kind == "heading":
            parts.append(f"<h{min(level + 1, 6)}>{escape(str(payload))}</h{min(level + 1, 6)}>")
        elif kind == "para":
            parts.append(f"<p>{escape(str(payload))}</p>")
        else:
            parts.append(_html_table(payload))  # type: ignore[arg-type]
    head = f'<head><meta charset="utf-8"><title>{title}</title></head>'
    return f"<!DOCTYPE html>\n<html>{head}<body>\n" + "\n".join(parts) + "\n</body></html>\n"


def _html_table(grid: Grid) -> str:
    rows = []
    for r in range(grid.n_rows):
        tds = []
        for c in sorted((c for c in grid.cells if c.row == r), key=lambda c: c.col):
            span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
                f' colspan="{c.colspan}"' if c.colspan > 1 else ""
            )
            tds.append(f"<td{span}>{escape(c.text)}</td>")
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return '<table border="1" cellspacing="0">\n' + "\n".join(rows) + "\n</table>"


# --- DOCX -----------------------------------------------------------------------------------


def render_docx(report: Report) -> bytes:
    import docx

    doc = docx.Document()
    for kind, payload, level in blocks(report):
        if kind == "title":
            doc.add_heading(str(payload), 0)
        elif kind == "heading":
            doc.add_heading(str(payload), min(level, 9))
        elif kind == "para":
            doc.add_paragraph(str(payload))
        else:
            grid: Grid = payload  # type: ignore[assignment]
            table = doc.add_table(rows=grid.n_rows, cols=grid.n_cols)
            table.style = "Table Grid"
            # cells fetched once, before any merge (table.cell() re-walks the whole table);
            # merged areas are disjoint, so merging one never touches another's corner cells
            at = [row.cells for row in table.rows]
            for c in grid.cells:
                cell = at[c.row][c.col]
                if c.rowspan > 1 or c.colspan > 1:
                    cell = cell.merge(at[c.row + c.rowspan - 1][c.col + c.colspan - 1])
                cell.text = c.text
            doc.add_paragraph("")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- PDF ------------------------------------------------------------------------------------

FONT = "STSong-Light"


def render_pdf(report: Report) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = {"fontName": FONT, "wordWrap": "CJK"}
    title = ParagraphStyle("title", fontSize=16, leading=24, alignment=TA_CENTER, **base)
    heading = ParagraphStyle("heading", fontSize=12, leading=20, spaceBefore=6, **base)
    body = ParagraphStyle("body", fontSize=10.5, leading=16, firstLineIndent=21, **base)
    cell = ParagraphStyle("cell", fontSize=7.5, leading=9.5, alignment=TA_CENTER, **base)

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm)  # fmt: skip
    story: list = []
    for kind, payload, _ in blocks(report):
        if kind in ("title", "heading", "para"):
            style = {"title": title, "heading": heading, "para": body}[kind]
            story.append(Paragraph(escape(str(payload)), style))
        else:
            grid: Grid = payload  # type: ignore[assignment]
            data = [[""] * grid.n_cols for _ in range(grid.n_rows)]
            styles = [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
            for c in grid.cells:
                data[c.row][c.col] = Paragraph(escape(c.text), cell)
                if c.rowspan > 1 or c.colspan > 1:
                    end = (c.col + c.colspan - 1, c.row + c.rowspan - 1)
                    styles.append(("SPAN", (c.col, c.row), end))
            unit = doc.width / sum(grid.widths)
            table = Table(data, colWidths=[w * unit for w in grid.widths], style=TableStyle(styles))
            story += [Spacer(1, 4), KeepTogether([table]), Spacer(1, 8)]  # a table on one page
    doc.build(story)
    return out.getvalue()
