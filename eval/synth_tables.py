"""The three tables of a synthetic report as printed rows of cells, shared by every rendering
(`eval.synth_render`, `eval.synth_render_real`, `eval.synth_render_pdf`), and the report as a
parsed `Report` for `eval.render` (HTML, Word, PDF).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from eval.render import RULE
from parsers import template as T
from parsers.report import Cell, Report, Section

if TYPE_CHECKING:
    from eval.synth_spec import Spec

TABLE_KEYS = {
    "proactive_tables": "proactive",
    "request_tables": "requests",
    "review_litigation_table": "review_litigation",
}


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


def split_label(rng: random.Random, row_label: str) -> tuple[str, str] | None:
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


# --- the document in print order -------------------------------------------------------------


def pieces(spec: Spec) -> list[tuple[str, str, int]]:
    """The report in print order as (kind, text, depth): kind is title, para, heading (depth 0 for
    一、…, 1 for （一）…) or table (text = table key)."""
    out = [("title", spec.title, 0)]
    if spec.preamble:
        out.append(("para", spec.preamble, 0))
    printed: list[str] = []
    for part in spec.parts:
        for depth, heading in enumerate(part.path):
            if printed[: depth + 1] != part.path[: depth + 1]:
                out.append(("heading", heading, depth))
        printed = list(part.path)
        out += [("para", para, 0) for para in part.paras]
        if part.key in TABLE_KEYS:
            out.append(("table", TABLE_KEYS[part.key], 0))
    return out


def text_document(
    spec: Spec,
    rng: random.Random,
    tables: Callable[[str], list[str]],
    *,
    md: bool = False,
    always_gap: bool = False,
) -> str:
    """The report as text lines: title, headings (markdown `#` if `md`), paragraphs with or without
    a blank line after each, and each table as `tables(table_key)` prints it."""
    gap = [""] if always_gap or rng.random() < 0.5 else []
    out: list[str] = []
    for kind, text, depth in pieces(spec):
        if kind == "title":
            out += [text if not md else "# " + text, ""]
        elif kind == "heading":
            out += [("#" * (depth + 2) + " " if md else "") + text, *gap]
        elif kind == "para":
            out += [text, *gap]
        else:
            out += tables(text) + [""]
    return "\n".join(out) + "\n"
