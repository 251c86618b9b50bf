"""Renderings of reports converted from PDF and Word by other tools: tables drawn from the
template grid of `eval.render`, then broken the way converters break them.

Each function appends to `applied` the names of the corruptions it actually applied (they go to
the gold line's `corruptions`). Every choice is drawn from the `rng` given.

- `pdf_md` (`render_pdf_md`, .md): a PDF-to-markdown conversion. Tables are markdown tables
  (`| a | b |`, a `|---|` rule under each block's first row), with `page_break` (a table broken
  into several markdown blocks), `repeated_header` (the header rows printed again after a break;
  without it the next block's first data row is its markdown header), `page_footer` (— 7 —,
  - 7 -, 第 3 页, 第3页 共8页, a bare 7: between blocks and between paragraphs), `running_header`
  (the report title after a footer), `footer_in_table` (a footer or the title as a row inside a
  block), `span_moved` (a merged cell's text in the middle row or column of its span),
  `span_wrapped` (a merged cell's text wrapped over rows: `| （三）不 | 4.保护… |` then
  `| 予公开 | 5.属于… |`; 三、本年度 / 办理结果; the rule text over the header rows),
  `header_split` (header words split over two rows: 商业 / 企业), `spaced_header`
  (自 然 人), `label_br` (a label with `<br>` inside), `label_note` (（二）部分公开 with its note),
  `label_wrapped` (a label's second half on a row of its own, value cells empty),
  `numbers_apart` (a row's values on a row of their own, label cells empty, just before or
  after its label-only row), `trailing_cells` (extra empty cells at the end of rows), and
  `short_row` (a row printed with one cell too few: a cell lost, so the row is lossy; the gold
  keeps the true values). Headings are `##`, bold or plain.
- `html_spacer` (`render_html_spacer`, .html): the HTML tables of `eval.render` with
  `spacer_columns` (empty columns between real ones, as Word's HTML export leaves them; merged
  header cells span them) and `trailing_cells` (extra empty cells at the end of some rows).
  Nothing is lost.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, NamedTuple

from eval import render
from eval.render import RULE, Grid, GridCell
from eval.synth_render_real import PARTIAL_NOTE, note
from eval.synth_tables import pieces, split_label, to_report

if TYPE_CHECKING:
    from eval.synth_spec import Spec

CORRUPTIONS = {  # every corruption each rendering applies (some only on some reports)
    "pdf_md": (
        *("page_break", "repeated_header", "page_footer", "running_header", "footer_in_table"),
        *("span_moved", "span_wrapped", "header_split", "spaced_header", "label_br"),
        *("label_note", "label_wrapped", "numbers_apart", "trailing_cells", "short_row"),
    ),
    "html_spacer": ("spacer_columns", "trailing_cells"),
}
LOSSY = ("short_row",)  # pdf_md: a report with these cannot be read back whole
LABEL_COLS = {"proactive": 1, "requests": 3, "review_litigation": 0}
FOOTERS = ("— {n} —", "- {n} -", "第 {n} 页", "第{n}页 共{t}页", "{n}")


class Row(NamedTuple):
    kind: str  # header | data | label (label only) | values (values only) | cont | noise
    cells: list[str]


# --- the grid as markdown rows ------------------------------------------------------------------


def _is_header(grid: Grid, table: str, r: int) -> bool:
    if table != "proactive":
        return r < 3
    first = next((c.text for c in grid.cells if c.row == r and c.col == 0), "")
    return first == "信息内容" or first.startswith("第二十条")


def _cut(text: str, k: int, rng: random.Random) -> list[str]:
    """`text` in `k` non-empty parts; a leading （三） or 三、 stays whole in the first part."""
    lead = 3 if text.startswith("（") and "）" in text[:4] else 2 if text[1:2] == "、" else 0
    lo = min(lead + 1, len(text) - k + 1)
    cuts = sorted(rng.sample(range(lo, len(text)), k - 1))
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]


def _grid_rows(grid: Grid, table: str, rng: random.Random, applied: list[str]) -> list[Row]:
    rows = [[""] * grid.n_cols for _ in range(grid.n_rows)]
    span = rng.choice(("top", "top", "middle", "wrap"))
    for c in grid.cells:
        r, col, text = c.row, c.col, c.text
        header = _is_header(grid, table, r)
        if c.colspan > 1 and header and text and rng.random() < 0.4:
            col = c.col + (c.colspan - 1) // 2
            note(applied, "span_moved")
        if c.rowspan > 1 and text and span == "middle":
            r = c.row + (c.rowspan - 1) // 2
            note(applied, "span_moved")
        elif c.rowspan > 1 and span == "wrap" and len(text) >= 4:
            k = min(c.rowspan, rng.choice((2, 2, 3)), len(text))
            top = c.row + (c.rowspan - k) // 2
            for i, part in enumerate(_cut(text, k, rng)):
                rows[top + i][col] = part
            note(applied, "span_wrapped")
            continue
        rows[r][col] = text
    return [Row("header" if _is_header(grid, table, r) else "data", cells) for r, cells in
            enumerate(rows)]  # fmt: skip


def _headers(rows: list[Row], rng: random.Random, applied: list[str]) -> list[Row]:
    """Header words spaced out or split over two rows, as narrow PDF columns print them."""
    out: list[Row] = []
    split = rng.random() < 0.4
    for i, row in enumerate(rows):
        if row.kind != "header":
            out.append(row)
            continue
        cells = list(row.cells)
        last = i + 1 == len(rows) or rows[i + 1].kind != "header"
        if split and last and any(len(c) >= 4 and c != RULE for c in cells):
            top = [c[: len(c) // 2] if len(c) >= 4 and c != RULE else c for c in cells]
            low = [c[len(c) // 2 :] if len(c) >= 4 and c != RULE else "" for c in cells]
            out += [Row("header", top), Row("header", low)]
            note(applied, "header_split")
            continue
        for j, c in enumerate(cells):
            if 2 <= len(c) <= 5 and rng.random() < 0.2:
                cells[j] = " ".join(c)
                note(applied, "spaced_header")
        out.append(Row("header", cells))
    return out


def _labels(rows: list[Row], n: int, rng: random.Random, applied: list[str]) -> list[Row]:
    """Long labels with `<br>` inside, or with their second half on the next row."""
    out: list[Row] = []
    p_br, p_wrap = rng.choice((0.0, 0.25)), rng.choice((0.0, 0.3))
    for row in rows:
        if row.kind != "data" or n == 0:
            out.append(row)
            continue
        cells = list(row.cells)
        j = max((k for k in range(n) if cells[k]), default=None)
        if j is None:
            out.append(row)
            continue
        if cells[j] == "（二）部分公开" and rng.random() < 0.6:
            cells[j] += rng.choice(("<br>", "")) + PARTIAL_NOTE
            note(applied, "label_note")
        elif len(cells[j]) >= 10 and rng.random() < p_br:
            cut = rng.randint(3, len(cells[j]) - 2)
            cells[j] = cells[j][:cut] + "<br>" + cells[j][cut:]
            note(applied, "label_br")
        elif rng.random() < p_wrap and (two := split_label(rng, cells[j])):
            cells[j] = two[0]
            out += [
                Row("data", cells),
                Row("cont", [""] * j + [two[1]] + [""] * (len(cells) - j - 1)),
            ]
            note(applied, "label_wrapped")
            continue
        out.append(Row("data", cells))
    return out


def _apart(rows: list[Row], n: int, rng: random.Random, applied: list[str]) -> list[Row]:
    """Some rows as a label-only row and a values-only row, in one order for the whole table,
    only between rows printing both label and values (or headers), so the pair stays certain."""
    if n == 0 or rng.random() < 0.6:
        return rows

    def full(row: Row) -> bool:
        return row.kind == "header" or (
            row.kind == "data" and any(row.cells[:n]) and any(row.cells[n:])
        )

    before = rng.random() < 0.5
    out: list[Row] = []
    for i, row in enumerate(rows):
        ok = (
            row.kind == "data"
            and all(full(x) for x in rows[max(0, i - 1) : i + 2])
            and not (out and out[-1].kind in ("label", "values"))
        )
        if not ok or rng.random() > 0.25:
            out.append(row)
            continue
        label = Row("label", row.cells[:n] + [""] * (len(row.cells) - n))
        values = Row("values", [""] * n + row.cells[n:])
        out += [values, label] if before else [label, values]
        note(applied, "numbers_apart")
    return out


def _losses(rows: list[Row], n: int, rng: random.Random, applied: list[str]) -> list[Row]:
    """Short rows (a cell lost) and extra empty cells at the end of rows."""
    rows, short = list(rows), set()
    if rng.random() < 0.25:
        data = [i for i, r in enumerate(rows) if r.kind in ("data", "values") and any(r.cells[n:])]
        for i in rng.sample(data, min(len(data), rng.choice((1, 1, 2)))):
            cells = list(rows[i].cells)
            empty_labels = [k for k in range(n) if not cells[k]]
            if empty_labels and rng.random() < 0.3:
                del cells[rng.choice(empty_labels)]
            else:
                del cells[rng.randrange(n, len(cells))]
            rows[i] = rows[i]._replace(cells=cells)
            short.add(i)
            note(applied, "short_row")
    if rng.random() < 0.4:
        every, extra = rng.random() < 0.5, rng.choice((1, 1, 2))
        for i, row in enumerate(rows):
            if every or (rng.random() < 0.3 and i not in short):  # a short row stays short
                rows[i] = row._replace(cells=row.cells + [""] * extra)
                note(applied, "trailing_cells")
    return rows


class _Pages:
    """Page footers and running headers, numbered through the document."""

    def __init__(self, spec: Spec, rng: random.Random) -> None:
        self.rng, self.title = rng, spec.title.replace("\n", "")
        self.form = rng.choice(FOOTERS)
        self.page = rng.randint(1, 3)
        self.total = self.page + rng.randint(6, 14)
        self.header = rng.random() < 0.5

    def footer(self) -> str:
        self.page += 1
        return self.form.format(n=self.page - 1, t=max(self.total, self.page))

    def turn(self, applied: list[str]) -> list[str]:
        note(applied, "page_footer")
        out = ["", self.footer(), ""]
        if self.header:
            note(applied, "running_header")
            out += [self.title, ""]
        return out


def _md(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table_md(spec: Spec, table: str, pages: _Pages, rng: random.Random, applied: list[str]):
    grid = render.GRIDS[table](to_report(spec))
    n = LABEL_COLS[table]
    rows = _grid_rows(grid, table, rng, applied)
    rows = _losses(_apart(_labels(_headers(rows, rng, applied), n, rng, applied), n, rng, applied),
                   n, rng, applied)  # fmt: skip
    head = [r for r in rows if r.kind == "header"] if table != "proactive" else []
    pair = ("label", "values")  # never break a table between the two halves of a row
    ok = [
        i
        for i in range(1, len(rows))
        if rows[i - 1].kind != "header"
        and rows[i].kind in ("data", *pair)
        and not (rows[i].kind in pair and rows[i - 1].kind in pair)
    ]
    breaks = set(rng.sample(ok, min(len(ok), rng.choice((0, 1, 1, 2)))))
    inside = rng.choice(ok) if ok and rng.random() < 0.15 else None
    repeat = bool(head) and rng.random() < 0.5
    out: list[str] = []
    block: list[list[str]] = []

    def flush() -> None:
        if block:
            out.append(_md(block[0]))
            out.append("|" + "---|" * len(block[0]))
            out.extend(_md(cells) for cells in block[1:])
            block.clear()

    for i, row in enumerate(rows):
        if i in breaks:
            flush()
            note(applied, "page_break")
            out += pages.turn(applied)
            if repeat:
                note(applied, "repeated_header")
                block += [list(r.cells) for r in head]
        elif i == inside:
            text = pages.title if pages.form == "{n}" or rng.random() < 0.3 else pages.footer()
            block.append([text] + [""] * (grid.n_cols - 1))
            note(applied, "footer_in_table")
        block.append(list(row.cells))
    flush()
    return out


def render_pdf_md(spec: Spec, rng: random.Random, applied: list[str]) -> str:
    pages = _Pages(spec, rng)
    heading = rng.choice(("md", "md", "bold", "plain"))
    p_turn = rng.choice((0.0, 0.1, 0.2))
    out: list[str] = []
    for kind, text, depth in pieces(spec):
        if kind == "title":
            mark = rng.choice(("# ", "**", ""))
            out += [mark + text + ("**" if mark == "**" else ""), ""]
        elif kind == "heading":
            hashes = "#" * (depth + 2) + " "
            out += [{"md": hashes + text, "bold": f"**{text}**", "plain": text}[heading], ""]
        elif kind == "para":
            out += [text, ""]
            if rng.random() < p_turn:
                out += pages.turn(applied)
        else:
            out += _table_md(spec, text, pages, rng, applied) + [""]
    return "\n".join(out) + "\n"


# --- html_spacer ----------------------------------------------------------------------------------


def _spacers(grid: Grid, rng: random.Random, applied: list[str]) -> Grid:
    """`grid` with empty spacer columns inserted and extra empty cells after some rows."""
    cells = [GridCell(c.row, c.col, c.text, c.rowspan, c.colspan) for c in grid.cells]
    n, widths, rows = grid.n_cols, list(grid.widths), grid.n_rows
    for _ in range(rng.choice((1, 1, 2, 3))):
        at, fill = rng.randint(0, n), rng.choice(("", "", "\u00a0"))
        covered: set[int] = set()
        for c in cells:
            if c.col >= at:
                c.col += 1
            elif c.col + c.colspan > at:  # a merged cell across the spacer spans it too
                c.colspan += 1
                covered.update(range(c.row, c.row + c.rowspan))
        cells += [GridCell(r, at, fill) for r in range(rows) if r not in covered]
        n += 1
        widths.insert(at, 0.2)
        note(applied, "spacer_columns")
    if rng.random() < 0.6:
        every, extra = rng.random() < 0.4, rng.choice((1, 2))
        for r in range(rows):
            if every or rng.random() < 0.3:
                cells += [GridCell(r, n + k, "") for k in range(extra)]
                note(applied, "trailing_cells")
    return Grid(n, widths, cells)


def render_html_spacer(spec: Spec, rng: random.Random, applied: list[str]) -> str:
    doc = [
        (kind, _spacers(payload, rng, applied) if kind == "table" else payload, level)
        for kind, payload, level in render.blocks(to_report(spec))
    ]
    return render.html_document(doc)
