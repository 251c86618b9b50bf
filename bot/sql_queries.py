"""The SQL behind numeric answers: one `Reading` per report for a template metric or a narrative
number, read with parameterised queries from ready reports only.

    q = Queries(store)
    readings = q.read(metric, orgs=[("大峪镇人民政府", "大峪镇")], years=[2025])
    readings[0].status, readings[0].value        # ("value", 30.0)
    q.log                                        # [{"text": "SELECT …", "params": [...]}]

A metric's value is its cell, or the sum of its member rows (row groups such as 不予公开) and
columns (法人或其他组织 = the five organisation columns). NULL cells are blank, never 0; a report
without the cell (a truncated table, another template) reads as `missing`. SQL text is built only
from the fixed fragments below and `?` placeholders; every value travels as a parameter.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.lexicon import Metric
from parsers import template as T
from parsers.normalize import to_simplified

if TYPE_CHECKING:
    from index.store import Store

Orgs = Sequence[tuple[str, str]] | None  # (org, org_short) pairs, as in `OrgRef`
Years = Sequence[int] | None
NUMERALS = {2: "二", 3: "三", 4: "四"}
SECTION_KEYS = {
    "proactive": "proactive_tables",
    "requests": "request_tables",
    "review_litigation": "review_litigation_table",
}
LEGAL_PERSON_COLS = tuple(c.key for c in T.REQUEST_COLS if c.key not in ("natural_person", "total"))
LEVELS = {"乡镇": ("镇", "乡")}
REPORT_COLS = "r.id, r.org, r.org_short, r.org_level, r.year, r.source_name, r.template"
ORG_MATCH = "(COALESCE(NULLIF(r.org, ''), r.org_short) = ? AND r.org_short IN (?, ''))"
# Words that mark a narrative number as a total (累计发布…) or as a part of one (其中…).
TOTAL_WORDS = re.compile(r"累计|共计|总计|全年|共")
PART_WORDS = re.compile(r"其中|包括")
SYNONYMS = {"主动公开": ("发布",), "发布": ("公开", "主动", "动公"), "受理": ("收到",)}
SYNONYMS |= {"收到": ("受理",)}  # question word → bigrams that mean the same in a report
# Bigrams in nearly every narrative number: they count for less when matching a question.
COMMON_BIGRAMS = set("公开 发布 信息 政府 政务 主动 动公 府信 务信".split())
STOP_BIGRAMS = {"多少", "哪些", "什么", "情况", "工作", "是否", "一共", "总共", "报告", "年度"}


@dataclass
class Reading:
    """One report's answer to one metric: `status` value | zero | blank | missing."""

    report: dict[str, Any]
    metric: Metric | None  # None: a narrative number
    status: str
    value: float | None = None
    unit: str = ""
    cells: list[dict[str, Any]] = field(default_factory=list)
    text_fact: dict[str, Any] | None = None  # the narrative number read instead of a cell
    partial: bool = False  # some member cells blank, the others summed

    @property
    def inferred(self) -> bool:
        """Some cell was not printed but imputed by the parser from the table's totals."""
        return any(c["provenance"] == "inferred" for c in self.cells)

    @property
    def name(self) -> str:
        """The organisation's short name (the file name when the report names none)."""
        return self.report["org_short"] or self.report["org"] or self.report["source_name"]

    @property
    def ref(self) -> tuple[str, str]:
        """(org, org_short) as `bot.retrieve.org_refs` spells them."""
        org, short = self.report["org"], self.report["org_short"]
        return (org or short, short or org)

    def fact(self) -> dict[str, Any]:
        """The fact behind the number: its cell (or summed cells) or its narrative sentence."""
        out = {"org": self.name, "year": self.report["year"], "value": self.value}
        out |= {"unit": self.unit, "source": self.report["source_name"]}
        if self.text_fact:
            f = self.text_fact
            return out | {"quote": f["quote"], "line": f["line"], "section": f["section_key"]}
        m, first, one = self.metric, self.cells[0], len(self.cells) == 1
        row_label, _, col_label = m.label_zh.partition("·")
        return out | {
            "table": m.table,
            "row": first["row_key"] if one else m.row,
            "col": first["col_key"] if one else m.col,
            "row_label": first["row_label"] if one else row_label,
            "col_label": first["col_label"] if one else col_label,
            "line": first["line"],
            "section": NUMERALS[T.TABLES[m.table]["section"]],
        }

    def citation(self, n: int) -> dict[str, Any]:
        """Citation `n`: the report, its section and lines, and the printed row or sentence."""
        out = {"n": n, "org": self.name, "year": self.report["year"]}
        out["source"] = self.report["source_name"]
        if self.text_fact:
            f = self.text_fact
            out |= {"section": f["path"], "section_key": f["section_key"]}
            return out | {"lines": [f["line"], f["line"]], "quote": f["quote"]}
        lines = [c["line"] for c in self.cells if c["line"] is not None]
        return out | {
            "section": section_title(self.metric.table),
            "section_key": SECTION_KEYS[self.metric.table],
            "lines": [min(lines), max(lines)] if lines else [None, None],
            "quote": "；".join(dict.fromkeys(c["quote"] for c in self.cells)),
        }


def dedupe(readings: list[Reading]) -> list[Reading]:
    """One reading per organisation and year (a mirror copy of a report is indexed twice)."""
    out: dict[tuple[str, int], Reading] = {}
    for r in readings:
        key = (r.name, r.report["year"])
        if key not in out or (out[key].value is None and r.value is not None):
            out[key] = r
    return list(out.values())


def section_title(table: str) -> str:
    info = T.TABLES[table]
    return f"{NUMERALS[info['section']]}、{info['zh']}"


def metric_unit(metric: Metric) -> str:
    """The template unit of a metric's column (件 when the template does not say)."""
    row = T.row_def(metric.table, metric.rows[0]) if metric.rows else None
    for template in T.TEMPLATES:
        col = T.col_def(metric.table, metric.col or "", template, row.group if row else "")
        if col:
            return col.unit
    return "件"


class Queries:
    """Parameterised reads against one Store; `log` keeps every statement executed."""

    def __init__(self, store: Store):
        self.db = store.db
        self.log: list[dict[str, Any]] = []

    def run(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        self.log.append({"text": sql, "params": list(params)})
        cur = self.db.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    @staticmethod
    def _where(orgs: Orgs, years: Years, level: str | None) -> tuple[str, list[Any]]:
        """WHERE for ready reports of `orgs` ((org, org_short) pairs), `years` and `level`."""
        parts, params = ["r.status = 'ready'"], []
        if orgs:
            parts.append("(" + " OR ".join([ORG_MATCH] * len(orgs)) + ")")
            params += [x for org, short in orgs for x in (org, short)]
        if years:
            parts.append(f"r.year IN ({_marks(years)})")
            params += list(years)
        if level:
            levels = LEVELS.get(level, (level,))
            parts.append(f"r.org_level IN ({_marks(levels)})")
            params += list(levels)
        return " AND ".join(parts), params

    def reports(
        self, orgs: Orgs = None, years: Years = None, level: str | None = None
    ) -> list[dict[str, Any]]:
        """The ready reports of `orgs`, `years` and `level` (None: any)."""
        where, params = self._where(orgs, years, level)
        sql = (
            f"SELECT {REPORT_COLS} FROM reports r WHERE {where} ORDER BY r.year, r.org_short, r.id"
        )
        return self.run(sql, params)

    def read(
        self, metric: Metric, orgs: Orgs = None, years: Years = None, level: str | None = None
    ) -> list[Reading]:
        """A Reading of `metric` for every matching report (missing when it has no such cell)."""
        cols = LEGAL_PERSON_COLS if metric.col == "legal_person_subtotal" else (metric.col,)
        where, params = self._where(orgs, years, level)
        sql = (
            f"SELECT {REPORT_COLS}, c.row_key, c.col_key, c.row_label, c.col_label, c.value, "
            "c.raw, c.unit, c.line, c.provenance, c.rowid AS printed FROM reports r LEFT JOIN cells c "
            f"ON c.report_id = r.id AND c.table_key = ? AND c.row_key IN ({_marks(metric.rows)}) "
            f"AND c.col_key IN ({_marks(cols)}) WHERE {where} ORDER BY r.year, r.org_short, r.id"
        )
        rows = self.run(sql, [metric.table, *metric.rows, *cols, *params])
        by_report: dict[int, list[dict[str, Any]]] = {}
        reports: dict[int, dict[str, Any]] = {}
        for row in rows:
            reports[row["id"]] = {k: row[k] for k in REPORT_KEYS}
            by_report.setdefault(row["id"], [])
            if row["row_key"] is not None:
                by_report[row["id"]].append({k: row[k] for k in CELL_KEYS})
        readings = [_reading(reports[i], metric, cells) for i, cells in by_report.items()]
        self._quote_rows(metric.table, [r for r in readings if r.cells])
        return readings

    def _quote_rows(self, table: str, readings: list[Reading]) -> None:
        """Attach to each cell the printed row it sits in: label, then the raw values."""
        if not readings:
            return
        ids = sorted({r.report["id"] for r in readings})
        row_keys = sorted({c["row_key"] for r in readings for c in r.cells})
        sql = (
            "SELECT report_id, row_key, row_label, col_key, raw FROM cells WHERE table_key = ? "
            f"AND row_key IN ({_marks(row_keys)}) AND report_id IN ({_marks(ids)}) "
            "ORDER BY report_id, rowid"
        )
        printed: dict[tuple[int, str], list[dict[str, Any]]] = {}
        for row in self.run(sql, [table, *row_keys, *ids]):
            printed.setdefault((row["report_id"], row["row_key"]), []).append(row)
        for r in readings:
            for cell in r.cells:
                row = printed.get((r.report["id"], cell["row_key"]), [])
                cell["quote"] = f"{cell['row_label']}: " + " | ".join(c["raw"] for c in row)

    def narrative(
        self,
        terms: list[str],
        unit: str = "",
        orgs: Orgs = None,
        years: Years = None,
        level: str | None = None,
        part: bool = False,
    ) -> list[Reading]:
        """For every matching report, the narrative number that best matches `terms` (and the
        `unit` asked for, if any); `missing` where none does. `part`: the question asks for a
        part of a total (其中…), so parts are preferred to totals."""
        where, params = self._where(orgs, years, level)
        sql = (
            f"SELECT {REPORT_COLS}, f.ord, f.value, f.unit, f.quote, f.label, f.section_key, "
            "f.line, f.approx, (SELECT s.path FROM sections s WHERE s.report_id = r.id "
            "AND s.key = f.section_key ORDER BY s.ord LIMIT 1) AS path "
            f"FROM reports r LEFT JOIN text_facts f ON f.report_id = r.id WHERE {where} "
            "ORDER BY r.year, r.org_short, r.id, f.ord"
        )
        probe = _bigrams(terms)
        reports: dict[int, dict[str, Any]] = {}
        best: dict[int, tuple[float, dict[str, Any]]] = {}
        for row in self.run(sql, params):
            reports.setdefault(row["id"], {k: row[k] for k in REPORT_KEYS})
            score = _score(row, probe, unit, part) if row["ord"] is not None else 0.0
            if score > best.get(row["id"], (0.0, {}))[0]:
                best[row["id"]] = (score, row)
        out = []
        for report_id, report in reports.items():
            if report_id not in best:
                out.append(Reading(report, None, "missing"))
                continue
            row = best[report_id][1]
            path = " › ".join(json.loads(row["path"])) if row["path"] else row["section_key"]
            fact = {k: row[k] for k in ("value", "unit", "quote", "label", "line", "approx")}
            fact |= {"section_key": row["section_key"], "path": path}
            status = "zero" if row["value"] == 0 else "value"
            out.append(Reading(report, None, status, row["value"], row["unit"], text_fact=fact))
        return out


REPORT_KEYS = ("id", "org", "org_short", "org_level", "year", "source_name", "template")
CELL_KEYS = ("row_key", "col_key", "row_label", "col_label", "value", "raw", "unit", "line")
CELL_KEYS += ("provenance", "printed")


def _marks(values) -> str:
    return ", ".join("?" * len(values))


def _reading(report: dict[str, Any], metric: Metric, cells: list[dict[str, Any]]) -> Reading:
    cells.sort(key=lambda c: (metric.rows.index(c["row_key"]), c["printed"]))
    unit = next((c["unit"] for c in cells if c["unit"]), "") or metric_unit(metric)
    if not cells:
        return Reading(report, metric, "missing", unit=unit)
    values = [c["value"] for c in cells if c["value"] is not None]
    if not values:
        return Reading(report, metric, "blank", unit=unit, cells=cells)
    total = round(sum(values), 6)
    status = "zero" if total == 0 else "value"
    return Reading(report, metric, status, total, unit, cells, partial=len(values) < len(cells))


def _bigrams(terms: list[str], expand: bool = True) -> set[str]:
    grams: set[str] = set()
    for term in terms:
        for part in re.findall(r"[\u4e00-\u9fff]+", to_simplified(term)):
            grams |= {part[i : i + 2] for i in range(len(part) - 1)}
            if expand:
                grams |= {g for word, more in SYNONYMS.items() if word in part for g in more}
    return grams - STOP_BIGRAMS


def _score(row: dict[str, Any], probe: set[str], unit: str, part: bool = False) -> float:
    """How well a narrative number matches the question: the share of the question's bigrams it
    contains (counted twice), the share of its label that the question asks about, the unit asked
    for, and whether it is a total rather than a part of one (其中…; the other way round when
    the question asks for a part)."""
    label, quote = row["label"] or "", to_simplified(row["quote"] or "")
    own = _bigrams([label], expand=False) or {""}
    hits = [g for g in probe if g in label or g in quote]
    if len(hits) < 2 or not probe:
        return 0.0
    weight = {g: 0.3 if g in COMMON_BIGRAMS else 1.0 for g in probe}
    score = 2 * sum(weight[g] for g in hits) / sum(weight.values()) + len(own & probe) / len(own)
    head = quote.split(label)[0] if label and label in quote else quote
    score += 0.5 if unit and row["unit"] == unit else 0.0
    exact = own <= probe and len(own) >= 2  # the question names this label exactly (今日高平)
    if part or exact:
        return score + 0.5 * exact + (0.25 if part and PART_WORDS.search(head) else 0.0)
    score += 0.25 if TOTAL_WORDS.search(quote) else 0.0
    return score - (1.0 if PART_WORDS.search(head) else 0.0)
