"""The SQLite store of parsed reports: `<index_dir>/gongkai.db`.

    store = Store(".gongkai")
    result = store.add(report, source_path="data/samples/001.txt", sha256=digest)
    result.status  # "added" | "replaced" | "unchanged"

One row in `reports` per indexed file, with its sections, table cells (long form: one row per
printed cell, NULL = blank / "-" / "/", never 0), narrative numbers and consistency-check results.
The schema is built by numbered migrations recorded in `_migrations`; every write runs in one
transaction, so a failed replace leaves the old rows as they were.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from index.errors import BadReport, IndexMissing, IndexUnreadable, ReportNotFound, SchemaTooNew
from parsers.report import Report

DB_NAME = "gongkai.db"
CHILD_TABLES = ("sections", "cells", "text_facts", "checks")


@dataclass(frozen=True)
class AddResult:
    status: str  # added | replaced | unchanged
    report_id: int
    replaced_id: int | None = None  # the id the replaced report had (its rows are gone)
    replaced_sha: str | None = None  # its content hash (its vectors can go too)


# --- Migrations: append new ones, never edit an applied one ---------------------------------


def _m001_initial(db: Database) -> None:
    for sql in (
        """CREATE TABLE reports (
            id INTEGER PRIMARY KEY,
            source_name TEXT NOT NULL,
            source_path TEXT NOT NULL UNIQUE,
            sha256 TEXT NOT NULL UNIQUE,
            format TEXT NOT NULL, encoding TEXT NOT NULL,
            org TEXT NOT NULL, org_short TEXT NOT NULL, org_level TEXT NOT NULL,
            year INTEGER,
            template TEXT NOT NULL,
            check_status TEXT NOT NULL,
            warnings TEXT NOT NULL DEFAULT '[]',
            ingested_at TEXT NOT NULL)""",
        "CREATE INDEX ix_reports_org_year ON reports(org_short, year)",
        """CREATE TABLE sections (
            report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            key TEXT NOT NULL, path TEXT NOT NULL, text TEXT NOT NULL,
            start_line INTEGER, end_line INTEGER,
            PRIMARY KEY (report_id, ord))""",
        """CREATE TABLE cells (
            report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            table_key TEXT NOT NULL, row_key TEXT NOT NULL, col_key TEXT NOT NULL,
            grp TEXT NOT NULL DEFAULT '',
            row_label TEXT NOT NULL, col_label TEXT NOT NULL,
            value REAL, raw TEXT NOT NULL, unit TEXT NOT NULL, line INTEGER,
            provenance TEXT NOT NULL DEFAULT 'printed',
            PRIMARY KEY (report_id, table_key, row_key, col_key))""",
        "CREATE INDEX ix_cells_metric ON cells(table_key, row_key, col_key)",
        """CREATE TABLE text_facts (
            report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            value REAL NOT NULL, unit TEXT NOT NULL, quote TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '', section_key TEXT NOT NULL DEFAULT '',
            line INTEGER, approx INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (report_id, ord))""",
        """CREATE TABLE checks (
            report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            rule TEXT NOT NULL, scope TEXT NOT NULL, status TEXT NOT NULL,
            lhs REAL, rhs REAL, detail TEXT NOT NULL DEFAULT '',
            uses_inferred INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (report_id, ord))""",
    ):
        db.execute(sql)


def _m002_chunks(db: Database) -> None:
    """Retrieval: passages (chunks) with a jieba-segmented FTS5 index, an embedding cache keyed by
    model and text hash, and a report status: `pending` until its vectors are stored too."""
    for sql in (
        "ALTER TABLE reports ADD COLUMN status TEXT NOT NULL DEFAULT 'ready'",
        "ALTER TABLE reports ADD COLUMN vector_model TEXT NOT NULL DEFAULT ''",
        """CREATE TABLE chunks (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            section_key TEXT NOT NULL, path TEXT NOT NULL, text TEXT NOT NULL,
            embed_text TEXT NOT NULL, hash TEXT NOT NULL,
            start_line INTEGER, end_line INTEGER,
            UNIQUE (report_id, ord))""",
        "CREATE VIRTUAL TABLE chunks_fts USING fts5(words)",  # rowid = chunks.id
        """CREATE TABLE embeddings (
            model TEXT NOT NULL, hash TEXT NOT NULL, vector BLOB NOT NULL,
            PRIMARY KEY (model, hash))""",
    ):
        db.execute(sql)


MIGRATIONS: list[tuple[int, str, Callable[[Database], None]]] = [
    (1, "reports, sections, cells, text_facts, checks", _m001_initial),
    (2, "chunks, chunks_fts, embeddings; reports.status and vector_model", _m002_chunks),
]


# --- The store ----------------------------------------------------------------------------


class Store:
    """Open (and with `create=True`, create) the index in `index_dir`; apply pending migrations."""

    def __init__(self, index_dir: str | Path, *, create: bool = True, timeout: float = 10.0):
        self.index_dir = Path(index_dir)
        self.path = self.index_dir / DB_NAME
        if not self.path.is_file():
            if not create:
                raise IndexMissing(self.index_dir)
            try:
                self.index_dir.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise IndexUnreadable(self.path, f"cannot create the folder ({err})") from err
        try:
            conn = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False)
            self.db = Database(conn, execute_plugins=False)
            self.db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.enable_wal()
            self._migrate()
        except sqlite3.DatabaseError as err:
            raise IndexUnreadable(self.path, str(err)) from err

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction, taken up front so that a concurrent writer waits, not fails."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _migrate(self) -> None:
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS _migrations ("
            "number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        known = MIGRATIONS[-1][0]
        newest = max(self.applied_migrations(), default=0)
        if newest > known:
            raise SchemaTooNew(self.path, newest, known)
        pending = set(n for n, _, _ in MIGRATIONS) - set(self.applied_migrations())
        for number, name, migrate in MIGRATIONS:
            if number not in pending:
                continue
            with self._write():
                if number in self.applied_migrations():  # another process got there first
                    continue
                migrate(self.db)
                self.db.execute(
                    "INSERT INTO _migrations (number, name, applied_at) VALUES (?, ?, ?)",
                    [number, name, _now()],
                )

    def applied_migrations(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT number FROM _migrations ORDER BY number")]

    # --- writes ---------------------------------------------------------------------------

    def add(
        self, report: Report, source_path: str | Path, sha256: str, *, ready: bool = True
    ) -> AddResult:
        """Store `report`, read from `source_path` whose bytes hash to `sha256`.

        Content already indexed (from any path) → "unchanged", nothing written. A report indexed
        from the same `source_path` with other content → its rows are replaced in the same
        transaction ("replaced"). Otherwise "added". With `ready=False` the report is stored as
        `pending`: invisible to questions until `mark_ready` (ingest does that once its vectors
        are stored too).
        """
        source_path = str(source_path)
        try:
            with self._write():
                same = self.find_sha(sha256)
                if same is not None:
                    return AddResult("unchanged", same)
                row = self.db.execute(
                    "SELECT id, sha256 FROM reports WHERE source_path = ?", [source_path]
                ).fetchone()
                old_id, old_sha = row if row else (None, None)
                if old_id is not None:
                    self._delete(old_id)
                row = _report_row(report, source_path, sha256)
                table = self.db["reports"].insert({**row, "status": _status(ready)})
                report_id = int(table.last_pk)
                for name, rows in _child_rows(report).items():
                    self.db[name].insert_all({"report_id": report_id, **r} for r in rows)
                self._add_chunks(report_id, report)
        except sqlite3.IntegrityError as err:
            raise BadReport(report.source or source_path, _integrity_problem(report, err)) from err
        except sqlite3.OperationalError as err:
            raise IndexUnreadable(self.path, str(err)) from err
        status = "replaced" if old_id is not None else "added"
        return AddResult(status, report_id, old_id, old_sha)

    def remove(self, report_id: int) -> None:
        with self._write():
            self.report(report_id)
            self._delete(report_id)

    def _add_chunks(self, report_id: int, report: Report) -> None:
        from index.chunks import chunk_report
        from index.keyword import index_text

        for chunk in chunk_report(report):
            embed_text = chunk.embed_text(report)
            cur = self.db.execute(
                "INSERT INTO chunks (report_id, ord, section_key, path, text, embed_text, hash, "
                "start_line, end_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [report_id, chunk.ord, chunk.section_key, chunk.path, chunk.text, embed_text,
                 text_hash(embed_text), chunk.line_start, chunk.line_end],
            )  # fmt: skip
            words = index_text(f"{report.org} {chunk.path} {chunk.text}")
            self.db.execute(
                "INSERT INTO chunks_fts (rowid, words) VALUES (?, ?)", [cur.lastrowid, words]
            )

    def mark_ready(self, report_id: int, vector_model: str = "") -> None:
        """The report's vectors (if any) are stored: let questions see it."""
        with self._write():
            self.db.execute(
                "UPDATE reports SET status = 'ready', vector_model = ? WHERE id = ?",
                [vector_model, report_id],
            )

    def _delete(self, report_id: int) -> None:
        self.db.execute(
            "DELETE FROM chunks_fts WHERE rowid IN (SELECT id FROM chunks WHERE report_id = ?)",
            [report_id],
        )
        self.db.execute("DELETE FROM chunks WHERE report_id = ?", [report_id])
        for name in CHILD_TABLES:  # explicit, so it never depends on PRAGMA foreign_keys
            self.db.execute(f"DELETE FROM [{name}] WHERE report_id = ?", [report_id])
        self.db.execute("DELETE FROM reports WHERE id = ?", [report_id])

    # --- reads ----------------------------------------------------------------------------

    def find_sha(self, sha256: str) -> int | None:
        row = self.db.execute("SELECT id FROM reports WHERE sha256 = ?", [sha256]).fetchone()
        return row[0] if row else None

    def reports(self) -> list[dict[str, Any]]:
        rows = self.db.query(
            "SELECT r.*, (SELECT count(*) FROM cells c WHERE c.report_id = r.id) AS cells "
            "FROM reports r ORDER BY r.org_short, r.year, r.id"
        )
        return [_decode_report(r) for r in rows]

    def report(self, report_id: int) -> dict[str, Any]:
        rows = list(self.db.query("SELECT * FROM reports WHERE id = ?", [report_id]))
        if not rows:
            raise ReportNotFound(report_id)
        return _decode_report(rows[0])

    def cells(self, report_id: int) -> list[dict[str, Any]]:
        return self._children("cells", report_id, "rowid")

    def sections(self, report_id: int) -> list[dict[str, Any]]:
        rows = self._children("sections", report_id, "ord")
        return [{**r, "path": json.loads(r["path"])} for r in rows]

    def text_facts(self, report_id: int) -> list[dict[str, Any]]:
        return [
            {**r, "approx": bool(r["approx"])}
            for r in self._children("text_facts", report_id, "ord")
        ]

    def checks(self, report_id: int) -> list[dict[str, Any]]:
        rows = self._children("checks", report_id, "ord")
        return [{**r, "uses_inferred": bool(r["uses_inferred"])} for r in rows]

    def counts(self) -> dict[str, int]:
        """Rows per table (reports and its child tables)."""
        return {
            name: self.db.execute(f"SELECT count(*) FROM [{name}]").fetchone()[0]
            for name in ("reports", *CHILD_TABLES, "chunks")
        }

    def _children(self, name: str, report_id: int, order: str) -> list[dict[str, Any]]:
        sql = f"SELECT * FROM [{name}] WHERE report_id = ? ORDER BY {order}"
        return list(self.db.query(sql, [report_id]))


# --- Report → rows ------------------------------------------------------------------------


def _report_row(report: Report, source_path: str, sha256: str) -> dict[str, Any]:
    return {
        "source_name": Path(source_path).name,
        "source_path": source_path,
        "sha256": sha256,
        "format": report.format,
        "encoding": report.encoding,
        "org": report.org,
        "org_short": report.org_short,
        "org_level": report.org_level,
        "year": report.year,
        "template": report.template,
        "check_status": report.check_status,
        "warnings": json.dumps(list(report.warnings), ensure_ascii=False),
        "ingested_at": _now(),
    }


# column -> Report attribute; explicit, so a new field in parsers/report.py never breaks a write
CELL_COLUMNS = {
    **{"table_key": "table", "row_key": "row", "col_key": "col", "grp": "group"},
    **{name: name for name in ("row_label", "col_label", "value", "raw", "unit", "line")},
    "provenance": "provenance",
}
FACT_COLUMNS = {
    **{name: name for name in ("value", "unit", "quote", "label", "line", "approx")},
    "section_key": "section",
}
CHECK_COLUMNS = {
    name: name for name in ("rule", "scope", "status", "lhs", "rhs", "detail", "uses_inferred")
}


def _child_rows(report: Report) -> dict[str, list[dict[str, Any]]]:
    return {
        "sections": [
            {
                "ord": i,
                "key": s.key,
                "path": json.dumps(s.path, ensure_ascii=False),
                "text": s.text,
                "start_line": s.lines[0],
                "end_line": s.lines[1],
            }
            for i, s in enumerate(report.sections)
        ],
        "cells": [_pick(c, CELL_COLUMNS) for c in report.cells],
        "text_facts": [
            {"ord": i, **_pick(t, FACT_COLUMNS)} for i, t in enumerate(report.text_facts)
        ],
        "checks": [{"ord": i, **_pick(c, CHECK_COLUMNS)} for i, c in enumerate(report.checks)],
    }


def _pick(obj: object, columns: dict[str, str]) -> dict[str, Any]:
    values = {col: getattr(obj, attr) for col, attr in columns.items()}
    return {k: int(v) if isinstance(v, bool) else v for k, v in values.items()}


def _integrity_problem(report: Report, err: sqlite3.IntegrityError) -> str:
    twice = [k for k, n in Counter((c.table, c.row, c.col) for c in report.cells).items() if n > 1]
    if twice:
        return "the parser produced the same cell more than once: " + ", ".join(
            "/".join(k) for k in twice[:5]
        )
    return str(err)


def _decode_report(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "warnings": json.loads(row["warnings"])}


def _status(ready: bool) -> str:
    return "ready" if ready else "pending"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
