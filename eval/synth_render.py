"""Print a synthetic report the ways real sites do: tab-separated cells, pipes on one line
(markdown tables), one cell per line, labels with split characters (PDF extraction), and HTML,
Word and PDF through `eval.render`.

Text styles (`STYLES`), each for .txt or .md:
- `tabs`: cells separated by tabs, as Word/PDF text extraction gives them (sample 001);
- `split`: tabs, with labels spaced out and wrapped onto a second line (sample 004);
- `pipes`: `规章 | 0 | 0 | 0 |` (web excerpt 001); `markdown`: `| 规章 | 0 | 0 | 0 |` with rules;
- `pipe_cells`: one cell per line closed by a pipe, `|` alone for a blank (web excerpts 007, 017);
- `cells`: one cell per line with blank lines between (web excerpts 002, 005). A blank cell leaves
  no trace in it, so it is used only for reports without blank cells.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, NamedTuple

from eval.render import RULE
from parsers import template as T
from parsers.report import Cell, Report, Section

if TYPE_CHECKING:
    from eval.synth import Spec

STYLES = {"txt": ("tabs", "split", "pipes", "pipe_cells", "cells"), "md": ("markdown", "cells")}


class Line(NamedTuple):
    """One printed table row: label or header cells, value cells, empty cells after them."""

    kind: str  # block | header | data | total_only (only the 总计 cell printed) | cont (wrapped)
    labels: list[str]
    values: list[str] = []
    pad: list[str] = []

    @property
    def cells(self) -> list[str]:
        return [*self.labels, *self.values, *self.pad]


def fmt_value(value: float | None, raw: str = "") -> str:
    if value is None:
        return raw
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.10f}".rstrip("0").rstrip(".")


# --- the three tables as rows of cells ---------------------------------------------------------


def table_rows(spec: Spec, table: str) -> list[Line]:
    build = {"proactive": _proactive, "requests": _requests, "review_litigation": _review}
    return build[table](spec)


def _val(spec: Spec, key: tuple[str, str, str]) -> str:
    return fmt_value(spec.values[key], spec.raws.get(key, ""))


def _proactive(spec: Spec) -> list[Line]:
    width = 1 + max(len(T.proactive_cols(spec.template, g)) for g in T.ART20_GROUPS)
    out: list[Line] = []
    for group, title in T.ART20_GROUPS.items():
        cols = T.proactive_cols(spec.template, group)
        if not cols:
            continue
        pad = [""] * (width - 1 - len(cols))
        heads = [c.zh + ("（单位：万元）" if c.key == "fee_amount" else "") for c in cols]
        out += [
            Line("block", [title], [], [""] * (width - 1)),
            Line("header", ["信息内容", *heads], [], pad),
        ]
        for row in T.proactive_rows(spec.template):
            if row.group == group:
                vals = [_val(spec, ("proactive", row.key, c.key)) for c in cols]
                out.append(Line("data", [row.zh], vals, pad))
    return out


def _requests(spec: Spec) -> list[Line]:
    cols = [c for c in T.REQUEST_COLS if spec.other_org or c.key != "other_org"]
    legal = [c.zh for c in cols if c.key not in ("natural_person", "total")]
    out: list[Line] = [
        Line("header", [RULE, "", "申请人情况", *[""] * (len(cols) - 1)]),
        Line("header", ["", "", "自然人", "法人或其他组织", *[""] * (len(legal) - 1), "总计"]),
        Line("header", ["", "", "", *legal, ""]),
    ]
    seen: set[str] = set()
    for row in T.request_rows(spec.template):
        vals = [_val(spec, ("requests", row.key, c.key)) for c in cols]
        if row.group == "result" and row.key == "granted":
            labels = [row.group_zh, row.zh]
        elif row.group == "result":
            labels = ["", row.zh]
        elif row.group:
            labels = ["", "" if row.group in seen else row.group_zh, row.zh]
            seen.add(row.group)
        else:
            labels = [row.zh, ""]
        only_total = all(spec.values[("requests", row.key, c.key)] is None for c in cols[:-1])
        out.append(Line("total_only" if only_total and vals[-1] else "data", labels, vals))
    return out


def _review(spec: Spec) -> list[Line]:
    heads = [c.zh for c in T.REVIEW_COLS]
    names = [r.zh.split("·")[-1] for r in T.REVIEW_ROWS]
    litigation = T.REVIEW_ROWS[1].zh.split("·")[0]
    blank5 = [""] * 5
    keys = [("review_litigation", r.key, c.key) for r in T.REVIEW_ROWS for c in T.REVIEW_COLS]
    return [
        Line("header", [names[0], *blank5[1:], litigation, *blank5[1:], *blank5]),
        Line("header", [*heads, names[1], *blank5[1:], names[2], *blank5[1:]]),
        Line("header", [*blank5, *heads, *heads]),
        Line("data", [], [_val(spec, k) for k in keys]),
    ]


# --- text styles -------------------------------------------------------------------------------


def _spaced(text: str) -> str:
    return " ".join(text)


def _split_label(rng: random.Random, row_label: str) -> tuple[str, str] | None:
    """A long sub-item label cut in two, as PDF extraction wraps it; the first part still names the
    row and the second names no row (checked against the template's keywords)."""
    if len(row_label) < 12:
        return None
    cut = rng.randint(len(row_label) // 2, len(row_label) - 4)
    head, tail = row_label[:cut], row_label[cut:]
    words = [m for r in T.REQUEST_ROWS for m in r.match]
    if not any(m in head for r in T.REQUEST_ROWS if r.zh == row_label for m in r.match):
        return None
    if any(m in tail for m in words) or tail in ("其他", "总计"):
        return None
    return head, tail


GROUP_LABEL = ("三、", "（三）", "（四）", "（五）")


def _pdf_like(rng: random.Random, lines: list[Line]) -> list[Line]:
    """Labels as PDF text extraction gives them: short header words and group labels spaced
    out (自 然 人, （三） 不 予 公 开), long sub-item labels wrapped onto a second line."""
    out: list[Line] = []
    for line in lines:
        if line.kind == "header":
            spaced = [
                _spaced(c) if 2 <= len(c) <= 6 and rng.random() < 0.5 else c for c in line.labels
            ]
            out.append(line._replace(labels=spaced))
            continue
        if line.kind not in ("data", "total_only") or not line.labels:
            out.append(line)
            continue
        labels = list(line.labels)
        for i, c in enumerate(labels):
            if c.startswith(GROUP_LABEL) and rng.random() < 0.6:
                head = 2 if c.startswith("三、") else 3
                labels[i] = c[:head] + " " + _spaced(c[head:])
        cut = _split_label(rng, labels[-1]) if rng.random() < 0.4 else None
        if cut:
            labels[-1] = cut[0]
            tail = [*[""] * (len(labels) - 1), cut[1]]
            out += [line._replace(labels=labels), Line("cont", tail, [""] * len(line.values))]
        else:
            out.append(line._replace(labels=labels))
    return out


def table_text(spec: Spec, table: str, style: str, rng: random.Random) -> list[str]:
    lines = table_rows(spec, table)
    if style == "split":
        lines = _pdf_like(rng, lines)
    out: list[str] = []
    for n, line in enumerate(lines):
        cells = line.cells
        if style == "cells":  # one cell per line, blank lines between; empty cells vanish
            out += [x for c in cells if c for x in (c, "")]
        elif style == "pipe_cells":  # one cell per line closed by a pipe; a blank value is "|"
            out += [f"{c} |" for c in line.labels if c] + [
                f"{v} |" if v else "|" for v in line.values
            ]
        elif style in ("tabs", "split"):
            # a row printing only its 总计 must end with it (sample 002)
            trailing = spec.trailing_tab and line.kind == "data" and line.labels
            out.append("\t".join(cells) + ("\t" if trailing else ""))
        elif style == "pipes":
            out.append(" | ".join(cells) + " |")
        else:  # markdown
            out.append("| " + " | ".join(cells) + " |")
            if n == 0:
                out.append("|" + "---|" * len(cells))
    return out


def render_text(spec: Spec, rng: random.Random) -> str:
    md = spec.style == "markdown"
    gap = [""] if spec.style == "cells" or rng.random() < 0.5 else []
    title = spec.title if not md else "# " + spec.title
    out: list[str] = [title, ""]
    if spec.preamble:
        out += [spec.preamble, *gap]
    printed: list[str] = []
    for part in spec.parts:
        for depth, heading in enumerate(part.path):
            if printed[: depth + 1] != part.path[: depth + 1]:
                out += [("#" * (depth + 2) + " " if md else "") + heading, *gap]
        printed = list(part.path)
        for para in part.paras:
            out += [para, *gap]
        if part.key in TABLE_KEYS:
            out += table_text(spec, TABLE_KEYS[part.key], spec.style, rng) + [""]
    return "\n".join(out) + "\n"


TABLE_KEYS = {
    "proactive_tables": "proactive",
    "request_tables": "requests",
    "review_litigation_table": "review_litigation",
}


# --- HTML, Word and PDF through eval.render ----------------------------------------------------


def to_report(spec: Spec) -> Report:
    """The synthetic report as a parsed `Report`, for `eval.render`."""
    sections = [Section("preamble", [], spec.preamble, (0, 0))] if spec.preamble else []
    sections += [Section(p.key, p.path, "\n".join(p.paras), (0, 0)) for p in spec.parts]
    cells = []
    for (table, row, col), value in spec.values.items():
        rdef = T.row_def(table, row)
        cdef = T.col_def(table, col, spec.template, rdef.group)
        raw = spec.raws.get((table, row, col), "") if value is None else fmt_value(value)
        group = rdef.group if table != "review_litigation" else row
        cells.append(
            Cell(table, row, col, rdef.zh, cdef.zh, value, raw, cdef.unit, None, group=group)
        )
    return Report(
        spec.file,
        spec.org.name,
        spec.org.short,
        spec.org.level,
        spec.year,
        spec.template,
        sections,
        cells,
    )


def render_file(spec: Spec, rng: random.Random) -> bytes:
    if spec.fmt in ("txt", "md"):
        return render_text(spec, rng).encode("utf-8")
    from eval import render

    report = to_report(spec)
    if spec.fmt == "html":
        return render.render_html(report).encode("utf-8")
    if spec.fmt == "docx":
        return _fixed_zip(render.render_docx(report))
    from reportlab import rl_config

    invariant, rl_config.invariant = rl_config.invariant, 1  # no creation date or random id
    try:
        return render.render_pdf(report)
    finally:
        rl_config.invariant = invariant


def _fixed_zip(data: bytes) -> bytes:
    """The same .docx with every zip entry dated 1980-01-01, so equal input gives equal bytes."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
            fixed.compress_type, fixed.external_attr = info.compress_type, info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
