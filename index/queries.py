"""The SQL behind numeric answers: one `Reading` per report for a template metric or a narrative
number, read with parameterised queries from ready reports only.

    q = Queries(store)
    readings = q.read(metric, orgs=[("大峪镇人民政府", "大峪镇")], years=[2025])
    readings[0].status, readings[0].value        # ("value", 30.0)
    q.log                                        # [{"text": "SELECT …", "params": [...]}]

A metric's value is its cell, or the sum of its member rows (row groups such as 不予公开) and
columns (法人或其他组织 = the five organisation columns). NULL cells are blank, never 0; a cell
that could not be read (provenance `unread`) makes the reading `unread`, never blank or 0; a report
without the cell (another template, an index built before unread cells were stored) reads as
`missing`. SQL text is built only from the fixed fragments below and `?` placeholders; every
value travels as a parameter.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from index.narrative import BATCH, BY_ID, best_numbers
from parsers import template as T
from parsers.template import Metric
from parsers.vocabulary import CN_NUMERALS, LEVEL_GROUPS, TABLE_NUMERALS, TABLE_SECTION, org_name

if TYPE_CHECKING:
    from index.store import Store

Orgs = Sequence[tuple[str, str]] | None  # (org, org_short) pairs, as in `OrgRef`
Years = Sequence[int] | None
LEGAL_PERSON_COLS = tuple(c.key for c in T.REQUEST_COLS if c.key not in ("natural_person", "total"))
REPORT_COLS = (
    "r.id, r.org, r.org_short, r.org_level, r.year, r.source_name, r.template, r.sha256, r.aliases, "
    "r.source_url, r.published"
)
ORG_MATCH = "(COALESCE(NULLIF(r.org, ''), r.org_short) = ? AND r.org_short IN (?, ''))"


@dataclass
class Reading:
    """One report's answer to one metric: `status` value | zero | blank | unread | missing.

    `unread`: the report's template prints the cell but it could not be read from the table
    (value unknown, never 0 or blank); a number its text gives instead is `text_fact`, with the
    status of that number and the unread `cells` kept."""

    report: dict[str, Any]
    metric: Metric | None  # None: a narrative number
    status: str
    value: float | None = None
    unit: str = ""
    cells: list[dict[str, Any]] = field(default_factory=list)
    text_fact: dict[str, Any] | None = None  # the narrative number read instead of a cell
    partial: bool = False  # some member cells blank, the others summed
    label: str = ""  # the name shown instead of the short one (set by `dedupe` on a clash)

    @property
    def unread(self) -> list[dict[str, Any]]:
        """The cells of this reading that could not be read from the table (value unknown)."""
        return [c for c in self.cells if c["provenance"] == "unread"]

    @property
    def why_unread(self) -> str:
        """The parser's notes on the unread cells (once `Queries.details` has read them)."""
        return "; ".join(dict.fromkeys(c["note"] for c in self.unread if c.get("note")))

    @property
    def inferred(self) -> bool:
        """Some cell was not printed but imputed by the parser from the table's totals."""
        return any(c["provenance"] == "inferred" for c in self.cells)

    @property
    def name(self) -> str:
        """The organisation's short name (the file name when the report names none), or its
        full name where another organisation in the same answer shares the short one."""
        if self.label:
            return self.label
        return org_name(self.report)

    @property
    def ref(self) -> tuple[str, str]:
        """(org, org_short) as `bot.passages.retrieve.org_refs` spells them."""
        org, short = self.report["org"], self.report["org_short"]
        return (org or short, short or org)

    def fact(self) -> dict[str, Any]:
        """The fact behind the number: its narrative sentence, else its cell (or summed cells)."""
        return self.facts()[-1]

    def facts(self) -> list[dict[str, Any]]:
        """The facts behind the answer: its cell (or summed cells) with how it was read
        (`provenance`, and the parser's `note`), and the narrative sentence that gives the
        number when there is one (a cell that could not be read comes first, value null)."""
        out = {"org": self.name, "year": self.report["year"], "value": self.value}
        out |= {"unit": self.unit, "source": self.report["source_name"]}
        facts = []
        if self.cells and (not self.text_fact or self.unread):
            facts.append(self._cell_fact(out if not self.text_fact else out | {"value": None}))
        if self.text_fact:
            f = self.text_fact
            facts.append(
                out | {"quote": f["quote"], "line": f["line"], "section": f["section_key"]}
            )
        return facts

    def _cell_fact(self, out: dict[str, Any]) -> dict[str, Any]:
        m, first, one = self.metric, self.cells[0], len(self.cells) == 1
        row_label, _, col_label = m.label_zh.partition("·")
        provenances = {c["provenance"] for c in self.cells}
        provenance = next((p for p in CAUTION if p in provenances), first["provenance"])
        notes = [c.get("note") or "" for c in self.cells if c["provenance"] == provenance]
        out = out | {
            "table": m.table,
            "row": first["row_key"] if one else m.row,
            "col": first["col_key"] if one else m.col,
            "row_label": first["row_label"] if one else row_label,
            "col_label": first["col_label"] if one else col_label,
            "line": first["line"],
            "section": TABLE_NUMERALS[m.table],
            "provenance": provenance,
            "note": "; ".join(dict.fromkeys(n for n in notes if n)),
        }
        if not one:  # a sum: each cell with its value and how it was read
            keys = ("row_key", "col_key", "value", "provenance", "note", "line")
            out["cells"] = [{k.removesuffix("_key"): c.get(k) for k in keys} for c in self.cells]
        return out

    def citation(self, n: int) -> dict[str, Any]:
        """Citation `n`: the report, its section and lines, and the printed row or sentence."""
        out = {"n": n, "org": self.name, "year": self.report["year"]}
        out["source"] = self.report["source_name"]
        for key, name in (("source_url", "url"), ("published", "published")):
            if self.report.get(key):  # where the report was published, and when
                out[name] = self.report[key]
        if self.text_fact:
            f = self.text_fact
            out |= {"section": f["path"], "section_key": f["section_key"]}
            return out | {"lines": [f["line"], f["line"]], "quote": f["quote"]}
        lines = [c["line"] for c in self.cells if c["line"] is not None]
        quotes = [c["quote"] for c in self.cells if c["provenance"] != "unread"]
        return out | {
            "section": section_title(self.metric.table),
            "section_key": TABLE_SECTION[self.metric.table],
            "lines": [min(lines), max(lines)] if lines else [None, None],
            "quote": "；".join(dict.fromkeys(quotes)) or self.why_unread,
        }


def dedupe(readings: list[Reading]) -> list[Reading]:
    """One reading per organisation and year (a mirror copy of a report is indexed twice).

    Organisations are told apart by full name: two that share a short name (竹阳街道 of two
    counties) are never merged, and are then shown by their full names. A copy that prints no
    full name joins the one organisation of that short name that does, if there is exactly one."""
    out: dict[tuple[str, str, int], Reading] = {}
    fulls: dict[str, set[str]] = {}  # short name → the full names ('' for none) seen
    for r in readings:
        key = (*_org_key(r), r.report["year"])
        kept = out.get(key)
        if kept is None or (kept.value is None and r.value is not None):
            out[key] = r
        fulls.setdefault(key[0], set()).add(key[1])
    clash: dict[str, list[tuple[str, str, int]]] = {}
    for key in out:
        if len(fulls[key[0]]) > 1:
            clash.setdefault(key[0], []).append(key)
    for short, keys in clash.items():
        for unnamed in [k for k in keys if not k[1]]:
            named = [k for k in keys if k[2] == unnamed[2] and k[1]]
            if len(named) == 1:  # an unnamed copy of the one named organisation
                copy = out.pop(unnamed)
                if out[named[0]].value is None and copy.value is not None:
                    out[named[0]] = copy
        left = [k for k in keys if k in out]
        several = len({k[1] for k in left}) > 1
        for key in left:
            out[key].label = (key[1] or short) if several else ""
    return list(out.values())


def _org_key(r: Reading) -> tuple[str, str]:
    """(short name, full name or '' when the report prints none beyond the short name)."""
    report = r.report
    short = org_name(report)
    org = report["org"] or ""
    return short, ("" if org == short else org)


def section_title(table: str) -> str:
    info = T.TABLES[table]
    return f"{CN_NUMERALS[info['section'] - 1]}、{info['zh']}"


@lru_cache(maxsize=256)
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
        self.store, self.db = store, store.db
        self.log: list[dict[str, Any]] = []

    def run(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        self.log.append({"text": sql, "params": list(params)})
        cur = self.db.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    @staticmethod
    def _where(orgs: Orgs, years: Years, level: str | None) -> tuple[str, list[Any]]:
        """WHERE for ready reports of `orgs` ((org, org_short) pairs), `years` and `level`."""
        parts, params = ["r.status = 'ready'", "r.copy_of IS NULL"], []
        if orgs:
            parts.append("(" + " OR ".join([ORG_MATCH] * len(orgs)) + ")")
            params += [x for org, short in orgs for x in (org, short)]
        if years:
            parts.append(f"r.year IN ({_marks(years)})")
            params += list(years)
        if level:
            levels = LEVEL_GROUPS.get(level, (level,))
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
        """A Reading of `metric` for every matching report (missing when it has no such cell).

        Only what the values need is read here (from an index that covers it); the labels,
        lines and printed rows of the cells an answer shows are read by `details`."""
        where, params = self._where(orgs, years, level)
        cells, cell_params = _cells_of(metric)
        sql = (
            f"SELECT {REPORT_COLS}, c.row_key, c.col_key, c.value, c.unit, c.provenance, "
            "c.rowid AS printed FROM reports r LEFT JOIN cells c INDEXED BY ix_cells_value "
            f"ON c.report_id = r.id AND {cells} "
            f"WHERE {where} ORDER BY r.year, r.org_short, r.id"
        )
        self.log.append({"text": sql, "params": [*cell_params, *params]})
        n = len(REPORT_KEYS)
        readings, report, found = [], None, []
        for row in self.db.execute(sql, [*cell_params, *params]).fetchall():
            if report is None or row[0] != report["id"]:
                if report is not None:
                    readings.append(_reading(report, metric, found))
                report, found = dict(zip(REPORT_KEYS, row[:n], strict=True)), []
            if row[n] is not None:
                found.append(dict(zip(LEAN_KEYS, row[n:], strict=True)))
        if report is not None:
            readings.append(_reading(report, metric, found))
        return readings

    def details(self, readings: Sequence[Reading]) -> None:
        """Fill in the cells of `readings` (those an answer shows) with their labels, line and
        the printed row they sit in (label, then the raw values): one query per table, by
        report id (`BATCH` at a time), however many readings the question read."""
        by_table: dict[str, list[Reading]] = {}
        for r in readings:
            if r.cells and "quote" not in r.cells[0]:
                by_table.setdefault(r.metric.table, []).append(r)
        for table, todo in by_table.items():
            row_keys = sorted({c["row_key"] for r in todo for c in r.cells})
            ids = sorted({r.report["id"] for r in todo})
            rows: dict[tuple[int, str], list[dict[str, Any]]] = {}
            printed: dict[int, dict[str, Any]] = {}
            for start in range(0, len(ids), BATCH):
                part = ids[start : start + BATCH]
                sql = (
                    "SELECT c.rowid AS printed, c.report_id, c.row_key, c.row_label, c.col_label, "
                    f"c.raw, c.line, c.note FROM cells c WHERE c.report_id IN ({_marks(part)}) "
                    f"AND c.table_key = ? AND c.row_key IN ({_marks(row_keys)}) "
                    "ORDER BY c.report_id, c.rowid"
                )
                for row in self.run(sql, [*part, table, *row_keys]):
                    rows.setdefault((row["report_id"], row["row_key"]), []).append(row)
                    printed[row["printed"]] = row
            for r in todo:
                for cell in r.cells:
                    got = printed[cell["printed"]]
                    cell |= {k: got[k] for k in ("row_label", "col_label", "raw", "line", "note")}
                    row = rows[(r.report["id"], cell["row_key"])]
                    cell["quote"] = f"{cell['row_label']}: " + " | ".join(c["raw"] for c in row)

    def narrative(
        self,
        terms: list[str],
        unit: str = "",
        orgs: Orgs = None,
        years: Years = None,
        level: str | None = None,
        part: bool = False,
        reports: Sequence[dict[str, Any]] | None = None,
    ) -> list[Reading]:
        """For every matching report, the narrative number that best matches `terms` (and the
        `unit` asked for, if any); `missing` where none does. `part`: the question asks for a
        part of a total (其中…), so parts are preferred to totals. `reports`: these reports
        (as a Reading has them, e.g. those without a cell) instead of orgs, years and level."""
        where, params = self._where(orgs, years, level)
        if reports is None:
            order = "ORDER BY r.year, r.org_short, r.id"
            rows = self.run(f"SELECT {REPORT_COLS} FROM reports r WHERE {where} {order}", params)
        else:
            rows, where, params = list(reports), "", []
        best = best_numbers(self, rows, where, params, terms, unit, part)
        paths = self._section_paths([(i, fact.section_key) for i, fact in best.items()])
        out = []
        for row in rows:
            report = {k: row[k] for k in REPORT_KEYS}
            fact = best.get(row["id"])
            if fact is None:
                out.append(Reading(report, None, "missing"))
                continue
            path = paths.get((row["id"], fact.section_key), fact.section_key)
            found = {k: getattr(fact, k) for k in ("value", "unit", "quote", "label", "line")}
            found |= {"approx": fact.approx, "section_key": fact.section_key, "path": path}
            status = "zero" if fact.value == 0 else "value"
            out.append(Reading(report, None, status, fact.value, fact.unit, text_fact=found))
        return out

    def have_table(self, table: str, ids: Sequence[int]) -> set[int]:
        """Those of report `ids` with at least one cell of `table` read (not `unread`), `BATCH`
        at a time."""
        found: set[int] = set()
        ids = sorted(set(ids))
        for start in range(0, len(ids), BATCH):
            part = ids[start : start + BATCH]
            sql = (
                f"SELECT r.id FROM reports r WHERE r.id IN ({_marks(part)}) AND EXISTS "
                "(SELECT 1 FROM cells c WHERE c.report_id = r.id AND c.table_key = ? "
                "AND c.provenance != 'unread')"
            )
            found |= {row["id"] for row in self.run(sql, [*part, table])}
        return found

    def _section_paths(self, keys: list[tuple[int, str]]) -> dict[tuple[int, str], str]:
        """(report id, section key) → the section's printed heading path, for the narrative
        numbers chosen (read for those only, in batches of `BATCH` reports)."""
        out: dict[tuple[int, str], str] = {}
        ids, names = sorted({i for i, _ in keys}), sorted({k for _, k in keys})
        for start in range(0, len(ids), BATCH):
            part = ids[start : start + BATCH]
            sql = (
                "SELECT s.report_id, s.key, s.path FROM sections s JOIN reports r "
                f"ON r.id = s.report_id WHERE {BY_ID} AND r.id IN ({_marks(part)}) "
                f"AND s.key IN ({_marks(names)}) ORDER BY s.report_id, s.ord DESC"
            )
            for row in self.run(sql, [*part, *names]):  # the first section of a key wins
                out[(row["report_id"], row["key"])] = row["path"]
        return {k: _heading_path(out[k]) for k in keys if k in out}


# A fact of several cells takes the provenance of the least certain of them.
CAUTION = ("unread", "inferred", "aligned", "printed")
REPORT_KEYS = (
    "id",
    "org",
    "org_short",
    "org_level",
    "year",
    "source_name",
    "template",
    "sha256",
    "aliases",
    "source_url",
    "published",
)
LEAN_KEYS = ("row_key", "col_key", "value", "unit", "provenance", "printed")


@lru_cache(maxsize=4096)
def _heading_path(stored: str) -> str:
    """A section's stored heading path (JSON) as printed: 一、总体情况 › （一）主动公开情况."""
    return " › ".join(json.loads(stored))


def _marks(values) -> str:
    return ", ".join("?" * len(values))


def _cells_of(metric: Metric) -> tuple[str, list[Any]]:
    """SQL condition on `cells c` for the cells of `metric`, and its parameters."""
    cols = LEGAL_PERSON_COLS if metric.col == "legal_person_subtotal" else (metric.col,)
    sql = f"c.table_key = ? AND c.row_key IN ({_marks(metric.rows)}) AND c.col_key IN ({_marks(cols)})"
    return sql, [metric.table, *metric.rows, *cols]


def _reading(report: dict[str, Any], metric: Metric, cells: list[dict[str, Any]]) -> Reading:
    if len(cells) > 1:
        cells.sort(key=lambda c: (metric.rows.index(c["row_key"]), c["printed"]))
    units = [c["unit"] for c in cells if c["unit"]]
    unit = units[0] if units else metric_unit(metric)
    if not cells:
        return Reading(report, metric, "missing", unit=unit)
    if any(c["provenance"] == "unread" for c in cells):  # its value is not known: not 0
        return Reading(report, metric, "unread", unit=unit, cells=cells)
    values = [c["value"] for c in cells if c["value"] is not None]
    if not values:
        return Reading(report, metric, "blank", unit=unit, cells=cells)
    total = round(sum(values), 6)
    status = "zero" if total == 0 else "value"
    return Reading(report, metric, status, total, unit, cells, partial=len(values) < len(cells))
