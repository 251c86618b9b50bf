"""What the web UI shows, as plain values: citation chips, the Sources panel, facts and chart
tables, and a report's tables laid out as in the template. No gradio here (bot/web/app.py wires it).

    chips(answer)                  -> HTML: [1] 大峪镇 2025 · 二、主动公开… · line 40
    sources_html(answer, store)    -> HTML: each cited passage or table row, the cited part in <mark>
    facts_table(answer)            -> pandas DataFrame for gr.Dataframe (blank cells stay blank)
    chart(answer)                  -> ("bar" | "line" | None, DataFrame)
    reports_table(store)           -> DataFrame: each report's status, completeness and problems
    report_html(store, report_id)  -> HTML: status, unread cells, failed rules, then the tables
    too_long(limit, size)          -> the reply to a question over the length limit
"""

from __future__ import annotations

from html import escape
from typing import Any

import pandas as pd

from bot import report_status as rs
from bot.passages.prose import SENTENCE
from index.store import Store
from parsers import template as tpl
from parsers.vocabulary import number_text, org_name

FACT_COLUMNS = ["org", "year", "row", "column", "value", "unit", "file", "line"]


num = number_text  # a cell value as printed: 30 not 30.0; blank as '', never 0


def _lines(lines: list[int] | tuple[int, int]) -> str:
    start, end = lines
    if start is None:  # a cell that could not be read has no line
        return "no line"
    return f"line {start}" if start == end else f"lines {start}–{end}"


def _short(text: str, size: int = 6) -> str:
    return text if len(text) <= size else text[:size] + "…"


def chip_text(c: dict[str, Any]) -> str:
    where = " ".join(str(x) for x in (c.get("org"), c.get("year")) if x)
    return f"[{c.get('n', '')}] {where} · {_short(c.get('section') or '')} · {_lines(c['lines'])}"


def chips(answer: dict[str, Any]) -> str:
    """The answer's citations as chips (HTML spans) for the chat message."""
    return " ".join(
        f'<span class="gk-chip" title="{escape(c.get("source", ""))}">{escape(chip_text(c))}</span>'
        for c in answer.get("citations", [])
    )


def mark(text: str, quote: str) -> str:
    """`text` escaped, with `quote` (or each of its sentences found in `text`) in <mark>."""
    pieces = [quote] if quote and quote in text else SENTENCE.findall(quote or "")
    spans: list[tuple[int, int]] = []
    for piece in (p.strip() for p in pieces):
        at = text.find(piece) if piece else -1
        if at >= 0:
            spans.append((at, at + len(piece)))
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:
            continue
        out += [escape(text[pos:start]), "<mark>", escape(text[start:end]), "</mark>"]
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def sources_html(answer: dict[str, Any], store: Store) -> str:
    """One card per citation: org, year, file, lines, section, and the cited text highlighted."""
    citations = answer.get("citations", [])
    if not citations:
        return '<p class="gk-empty">No sources for this answer.</p>'
    reports = store.reports()
    cards = []
    for c in citations:
        report = _find_report(reports, c)
        head = (
            f"<b>[{c.get('n', '')}]</b> {escape(str(c.get('org', '')))} {c.get('year') or ''}"
            f" · {escape(c.get('section') or '')} · <code>{escape(c.get('source', ''))}</code>"
            f" · {_lines(c['lines'])}{_original(report)}"
        )
        cards.append(
            f'<div class="gk-source" id="gk-source-{c.get("n", "")}">'
            f'<div class="gk-source-head">{head}</div>{_source_body(c, answer, store, report)}</div>'
        )
    return "\n".join(cards)


def _original(report: dict[str, Any] | None) -> str:
    """A link to the page the report was published on, with its date, when known."""
    url = (report or {}).get("source_url") or ""
    if not url.startswith(("http://", "https://")):
        return ""
    date = (report or {}).get("published") or ""
    when = f"（{escape(date)}）" if date else ""
    return f' · <a href="{escape(url)}" target="_blank" rel="noopener">原文 original{when}</a>'


def _find_report(reports: list[dict[str, Any]], c: dict[str, Any]) -> dict[str, Any] | None:
    same = [r for r in reports if r["source_name"] == c.get("source")]
    best = [r for r in same if r["year"] == c.get("year")]
    return (best or same or [None])[0]


def _source_body(c: dict[str, Any], answer: dict[str, Any], store: Store, report) -> str:
    start, end = c["lines"]
    fact = next(
        (
            f
            for f in answer.get("facts", [])
            if f.get("table") and f.get("source") == c.get("source") and f.get("line") == start
        ),
        None,
    )
    if fact and report:
        return _row_html(store.cells(report["id"]), fact)
    text = c.get("passage") or ""
    if not text and report:
        for s in store.sections(report["id"]):
            if s["key"] == c.get("section_key") and (s["start_line"] or 0) <= end:
                if (s["end_line"] or 0) >= start and c.get("quote", "") in s["text"]:
                    text = s["text"]
                    break
    return f'<div class="gk-passage">{mark(text or c.get("quote", ""), c.get("quote", ""))}</div>'


def _row_html(cells: list[dict[str, Any]], fact: dict[str, Any]) -> str:
    """The cited table row: every column of it, the cited cell in <mark>."""
    row = [c for c in cells if c["table_key"] == fact["table"] and c["row_key"] == fact["row"]]
    if not row:
        return f'<div class="gk-passage"><mark>{escape(str(fact.get("quote", "")))}</mark></div>'
    head = "".join(f"<th>{escape(c['col_label'])}</th>" for c in row)
    body = "".join(_td(c, mark=c["col_key"] == fact["col"]) for c in row)
    label = escape(row[0]["row_label"])
    return (
        f'<table class="gk-table"><tr><th></th>{head}</tr>'
        f'<tr class="gk-cited"><th>{label}</th>{body}</tr></table>'
    )


def facts_table(answer: dict[str, Any]) -> pd.DataFrame:
    rows = [
        [
            f.get("org", ""),
            f.get("year") or "",
            f.get("row_label") or f.get("quote", ""),
            f.get("col_label", ""),
            num(f.get("value")),
            f.get("unit", ""),
            f.get("source", ""),
            f.get("line") or "",
        ]
        for f in answer.get("facts", [])
    ]
    for row, f in zip(rows, answer.get("facts", []), strict=True):
        if f.get("provenance") == "unread":
            row[4] = rs.provenance_label("unread")  # 未读出: not blank, not 0
    return pd.DataFrame(rows, columns=FACT_COLUMNS)


def chart(answer: dict[str, Any]) -> tuple[str | None, pd.DataFrame]:
    """A bar chart for facts of several organisations, a line chart for one organisation over
    several years, else nothing. Columns: x, value, series."""
    facts = [f for f in answer.get("facts", []) if f.get("value") is not None]
    orgs = {f["org"] for f in facts}
    years = {f["year"] for f in facts}
    metric = {(f.get("row_label") or f.get("quote", ""), f.get("col_label", "")) for f in facts}

    def series(f: dict[str, Any]) -> str:
        label = f.get("row_label") or f.get("quote", "")
        return f"{label}（{f['col_label']}）" if len(metric) > 1 and f.get("col_label") else label

    if len(orgs) > 1:
        rows = [
            (f"{f['org']} {f['year']}" if len(years) > 1 else f["org"], f["value"], series(f))
            for f in facts
        ]
        return "bar", pd.DataFrame(rows, columns=["x", "value", "series"])
    if len(orgs) == 1 and len(years) > 1:
        rows = [
            (str(y), v, name)
            for y, v, name in sorted((int(f["year"]), f["value"], series(f)) for f in facts)
        ]
        return "line", pd.DataFrame(rows, columns=["x", "value", "series"])
    return None, pd.DataFrame(columns=["x", "value", "series"])


REPORT_COLUMNS = ["id", "org", "year", "template", "status 状态", "read 已读出", "blank 留空"]
REPORT_COLUMNS += ["problems 问题", "file", "indexed"]
UNREAD_LISTED = 40  # groups of unread cells a report's page lists before "…"


def reports_table(store: Store) -> pd.DataFrame:
    """One row per report: its reading status and completeness (never a bare "pass"), blank
    cells, and what is wrong with it: cells not read, consistency rules that fail."""
    counts = store.cell_counts()
    rows = []
    for r in store.reports():
        by = counts.get(r["id"], {})
        problems = []
        if by.get("unread"):
            problems.append(f"{by['unread']}栏未读出")
        if r["check_status"] == "fail":
            failed = [c["rule"] for c in store.checks(r["id"]) if c["status"] == "fail"]
            rules = "、".join(dict.fromkeys(failed))
            problems.append(f"勾稽关系{rules}不成立（{len(failed)}处）")
        if r.get("copy_of"):
            problems.append(f"与报告 {r['copy_of']} 相同（副本，不重复计算）")
        status = r["read_status"]
        rows.append(
            [r["id"], org_name(r), r["year"] or "", r["template"]]
            + [f"{status} {rs.STATUSES_ZH.get(status, ('',))[0]}".strip()]
            + [f"{r['cells_read']}/{r['cells_expected']}", by.get("blank", 0)]
            + ["；".join(problems), r["source_name"], r.get("status", "")]
        )
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def report_choices(store: Store) -> list[tuple[str, int]]:
    return [
        (f"{org_name(r)} {r['year'] or '?'} · {r['source_name']}", r["id"]) for r in store.reports()
    ]


def report_html(store: Store, report_id: int) -> str:
    """The report's reading status and completeness, the cells that could not be read (with
    why), the consistency rules that fail (with their cells), then its three tables laid out as
    the template prints them: blank cells blank, unread ones 未读出, aligned and inferred ones
    marked (legend)."""
    report = store.report(report_id)
    stored = [rs.stored_cell(c) for c in store.cells(report_id)]
    cells = {(c["table"], c["row"], c["col"]): c for c in stored}
    t, status = report["template"], report["read_status"]
    url = report.get("source_url") or ""
    link = (
        f' · <a href="{escape(url)}" target="_blank" rel="noopener">原文 source</a>'
        if url.startswith(("http://", "https://"))
        else ""
    )
    parts = [
        f"<h3>{escape(report['org'] or org_name(report))} {report['year'] or ''}</h3>",
        f"<p><code>{escape(report['source_name'])}</code> · template {escape(t)}{link}</p>",
        f'<p class="gk-status gk-status-{escape(status)}">状态 status：<b>'
        f"{escape(rs.status_text(status, report['cells_read'], report['cells_expected'], True))}"
        f"</b>（{escape(rs.status_meaning(status, True))}）</p>",
    ]
    blank = sum(c["value"] is None and c["provenance"] != "unread" for c in stored)
    if blank:
        parts.append(f"<p>报告留空 {blank} 栏（留空不是0，也不是未读出）。</p>")
    groups = rs.unread_groups(stored)
    if groups:
        unread = sum(g.count for g in groups)
        items = "".join(f"<li>{escape(g.text(zh=True))}</li>" for g in groups[:UNREAD_LISTED])
        if len(groups) > UNREAD_LISTED:
            items += f"<li>…另有{sum(g.count for g in groups[UNREAD_LISTED:])}栏</li>"
        parts.append(
            f'<div class="gk-unread-list"><h4>未读出的栏目（{unread}栏）</h4><ul>{items}</ul></div>'
        )
    failed = [c for c in store.checks(report_id) if c["status"] == "fail"]
    if failed:
        items = "".join(f"<li>{escape(rs.failed_rule(c, stored, t, zh=True))}</li>" for c in failed)
        parts.append(f'<div class="gk-failed"><h4>勾稽关系不成立</h4><ul>{items}</ul></div>')
    parts.append(LEGEND)
    groups_: dict[str, list] = {}
    for row in tpl.proactive_rows(t):
        groups_.setdefault(row.group, []).append(row)
    parts.append(f"<h4>二、{tpl.TABLES['proactive']['zh']}</h4>")
    for group, rows in groups_.items():
        parts.append(_grid(cells, "proactive", rows, tpl.proactive_cols(t, group), "信息内容"))
    parts.append(f"<h4>三、{tpl.TABLES['requests']['zh']}</h4>")
    parts.append(_grid(cells, "requests", tpl.request_rows(t), tpl.REQUEST_COLS, ""))
    parts.append(f"<h4>四、{tpl.TABLES['review_litigation']['zh']}</h4>")
    parts.append(_grid(cells, "review_litigation", tpl.REVIEW_ROWS, tpl.REVIEW_COLS, ""))
    return "\n".join(parts)


LEGEND = (
    '<p class="gk-legend">图例：'
    + " ".join(
        f'<span class="gk-{p}" title="{escape(rs.PROVENANCES_ZH[p][1])}">'
        f"{escape(rs.PROVENANCES_ZH[p][0])}</span>"
        for p in ("aligned", "inferred", "unread")
    )
    + "（鼠标悬停在单元格上可看原因和行号）</p>"
)


def _td(cell: dict[str, Any] | None, mark: bool = False) -> str:
    """One table cell: its value (blank when the report left it blank), 未读出 for a cell that
    could not be read, marked by provenance; the tooltip gives how it was read and its line."""
    if cell is None:  # no such cell stored: not in this report's layout
        return '<td class="gk-absent" title="本报告的表格没有这一栏">—</td>'
    provenance = cell["provenance"]
    tip = [rs.provenance_label(provenance)] if provenance != "printed" else []
    if cell.get("note"):
        tip.append(cell["note"])
    if cell.get("line"):
        tip.append(f"line {cell['line']}")
    if provenance == "printed" and cell["value"] is None:
        tip.insert(0, "报告留空（不是0）")
    value = rs.provenance_label("unread") if provenance == "unread" else num(cell["value"])
    value = f"<mark>{value}</mark>" if mark else value
    title = f' title="{escape(" · ".join(tip))}"' if tip else ""
    css = f' class="gk-{provenance}"' if provenance != "printed" else ""
    return f"<td{css}{title}>{value}</td>"


def _grid(cells: dict, table: str, rows, cols, corner: str) -> str:
    head = "".join(f"<th>{escape(c.zh)}</th>" for c in cols)
    body = []
    for row in rows:
        label = f"{row.group_zh} {row.zh}" if row.group_zh and row.item == 1 else row.zh
        tds = "".join(_td(cells.get((table, row.key, col.key))) for col in cols)
        body.append(f"<tr><th>{escape(label)}</th>{tds}</tr>")
    return (
        f'<table class="gk-table gk-report"><tr><th>{corner}</th>{head}</tr>{"".join(body)}</table>'
    )


def too_long(limit: int, size: int) -> str:
    """The reply to a question of `size` characters, over the `limit`."""
    return (
        f"问题太长（{size} 字，上限 {limit} 字），请缩短后再问。"
        f" The question is too long ({size} characters; the limit is {limit});"
        " please shorten it."
    )
