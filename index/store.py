"""The SQLite store of parsed reports: `<index_dir>/gongkai.db`.

    store = Store(".gongkai")
    result = store.add(report, source_path="data/samples/001.txt", sha256=digest)
    result.status  # "added" | "replaced" | "unchanged"

One row in `reports` per indexed file, with its reading status (`read_status`: complete,
incomplete, fails_checks, no_tables; `cells_read` of `cells_expected`), sections, table cells
(long form: one row per template cell, NULL = blank / "-" / "/", never 0; a cell that could not be
read is a row with provenance 'unread', value NULL and a note saying why), narrative numbers and
consistency-check results.
The schema is built by numbered migrations (index.migrations) recorded in `_migrations`; every
write runs in one transaction, so a failed replace leaves the old rows as they were. How a report
becomes rows is index.report_rows.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

from index.chunks import text_hash  # noqa: F401  (re-exported)
from index.errors import BadReport, IndexMissing, IndexUnreadable, ReportNotFound, SchemaTooNew
from index.migrations import MIGRATIONS
from index.report_rows import (
    child_rows,
    decode_report,
    integrity_problem,
    now,
    report_row,
    row_status,
)
from parsers.report import PARSER_VERSION, PROVENANCES, Report

if TYPE_CHECKING:
    from index.prepare import ChunkRow

DB_NAME = "gongkai.db"
CHILD_TABLES = ("sections", "cells", "text_facts", "checks")


@dataclass(frozen=True)
class AddResult:
    status: str  # added | replaced | reparsed | unchanged
    report_id: int
    replaced_id: int | None = None  # the id the replaced report had (its rows are gone)
    replaced_sha: str | None = None  # its content hash (its vectors can go too)
    copy_of: dict | None = None  # the report this one copies (same org, year and cells): id, file
    # other reports of the same organisation and year whose cells differ: each id and file
    same_org_year: list[dict] = field(default_factory=list)


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
            self.db.enable_wal()  # readers never wait for the writer, nor it for them
            # WAL + NORMAL: a commit survives the process being killed (kill -9), and a power
            # cut can lose only the last commits, never corrupt the file
            self.db.execute("PRAGMA synchronous = NORMAL")
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
                    [number, name, now()],
                )

    def applied_migrations(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT number FROM _migrations ORDER BY number")]

    # --- writes ---------------------------------------------------------------------------

    def add(
        self,
        report: Report,
        source_path: str | Path,
        sha256: str,
        *,
        ready: bool = True,
        chunks: Sequence[ChunkRow] | None = None,
    ) -> AddResult:
        """Store `report`, read from `source_path` whose bytes hash to `sha256`.

        Content already indexed (from any path) → "unchanged", nothing written. The same content
        read by an older parser (PARSER_VERSION) → its rows are replaced ("reparsed"). A report
        indexed from the same `source_path` with other content → its rows are replaced in the
        same transaction ("replaced"). Otherwise "added". With `ready=False` the report is stored as
        `pending`: invisible to questions until `mark_ready` (ingest does that once its vectors
        are stored too). `chunks`: the report's passages as `index.prepare.chunk_rows` cut them
        (ingest does that in its worker processes); cut here when not given.
        """
        source_path = str(source_path)
        try:
            with self._write():
                same = self.find_sha(sha256)
                if same is not None:
                    return AddResult("unchanged", same)
                stale = self.db.execute(
                    "SELECT id FROM reports WHERE sha256 = ?", [sha256]
                ).fetchone()  # read by an older parser
                if stale is not None:
                    self._delete(stale[0])
                row = self.db.execute(
                    "SELECT id, sha256 FROM reports WHERE source_path = ?", [source_path]
                ).fetchone()
                old_id, old_sha = row if row else (None, None)
                if old_id is not None:
                    self._delete(old_id)
                if stale is not None and old_id is None:
                    old_id, old_sha = stale[0], sha256
                row = {**report_row(report, source_path, sha256), "status": row_status(ready)}
                report_id = self._insert("reports", list(row), [tuple(row.values())])
                for name, rows in child_rows(report).items():
                    if rows:
                        cols = ["report_id", *rows[0]]
                        self._insert(name, cols, [(report_id, *r.values()) for r in rows])
                self._add_chunks(report_id, report, chunks)
                copy_of, others = self._twins(report_id)
        except sqlite3.IntegrityError as err:
            raise BadReport(report.source or source_path, integrity_problem(report, err)) from err
        except sqlite3.OperationalError as err:
            raise IndexUnreadable(self.path, str(err)) from err
        status = "replaced" if old_id is not None else "added"
        if old_sha == sha256:
            status = "reparsed"
        return AddResult(status, report_id, old_id, old_sha, copy_of, others)

    def _twins(self, report_id: int) -> tuple[dict | None, list[dict]]:
        """Reports of the same organisation and year as `report_id`: the first whose cells are all
        equal makes it a copy (recorded in `copy_of`, so it is never counted twice); the others
        are listed (their cells differ)."""
        me = self.db.execute(
            "SELECT COALESCE(NULLIF(org, ''), org_short), year FROM reports WHERE id = ?",
            [report_id],
        ).fetchone()
        if not me or not me[0] or me[1] is None:
            return None, []
        rows = self.db.execute(
            "SELECT id, source_name FROM reports WHERE id != ? AND copy_of IS NULL AND year = ? "
            "AND COALESCE(NULLIF(org, ''), org_short) = ? ORDER BY id",
            [report_id, me[1], me[0]],
        ).fetchall()
        mine = self._cell_values(report_id)
        for other_id, source in rows:
            if self._cell_values(other_id) == mine:
                self.db.execute(
                    "UPDATE reports SET copy_of = ? WHERE id = ?", [other_id, report_id]
                )
                return {"id": other_id, "file": source}, []
        return None, [{"id": i, "file": s} for i, s in rows]

    def _cell_values(self, report_id: int) -> set[tuple]:
        return set(
            self.db.execute(
                "SELECT table_key, row_key, col_key, value FROM cells WHERE report_id = ?",
                [report_id],
            ).fetchall()
        )

    def _insert(self, table: str, cols: list[str], rows: list[tuple]) -> int:
        """INSERT rows (same columns each); returns the last rowid."""
        sql = f"INSERT INTO [{table}] ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        if len(rows) == 1:
            return self.db.conn.execute(sql, rows[0]).lastrowid
        self.db.conn.executemany(sql, rows)
        return 0

    def remove(self, report_id: int) -> None:
        with self._write():
            self.report(report_id)
            self._delete(report_id)

    def _add_chunks(
        self, report_id: int, report: Report, chunks: Sequence[ChunkRow] | None = None
    ) -> None:
        """The report's passages and their keyword rows (ids as SQLite would give them)."""
        from index.prepare import chunk_rows

        rows = chunk_rows(report) if chunks is None else chunks
        first = self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM chunks").fetchone()[0]
        self.db.conn.executemany(
            "INSERT INTO chunks (id, report_id, ord, section_key, path, text, embed_text, hash, "
            "start_line, end_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(first + i, report_id, c.ord, c.section_key, c.path, c.text, c.embed_text, c.hash,
              c.start_line, c.end_line) for i, c in enumerate(rows)],
        )  # fmt: skip
        self.db.conn.executemany(
            "INSERT INTO chunks_fts (rowid, words) VALUES (?, ?)",
            [(first + i, c.words) for i, c in enumerate(rows)],
        )

    def mark_ready(self, report_id: int | Sequence[int], vector_model: str = "") -> None:
        """The reports' vectors (if any) are stored: let questions see them (one transaction)."""
        ids = [report_id] if isinstance(report_id, int) else list(report_id)
        with self._write():
            self.db.conn.executemany(
                "UPDATE reports SET status = 'ready', vector_model = ? WHERE id = ?",
                [(vector_model, i) for i in ids],
            )

    def mark_pending(self, report_ids: Sequence[int]) -> None:
        """Hide the reports from questions until their vectors are stored again (after the
        vector store was found to have lost some of them)."""
        with self._write():
            self.db.conn.executemany(
                "UPDATE reports SET status = 'pending' WHERE id = ?", [(i,) for i in report_ids]
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
        # its copies stand on their own again (the first of them is the report now)
        self.db.execute("UPDATE reports SET copy_of = NULL WHERE copy_of = ?", [report_id])

    # --- reads ----------------------------------------------------------------------------

    def data_version(self) -> tuple[int, int]:
        """A value that changes whenever the index's contents may have changed: a commit by any
        other connection or process (SQLite's `PRAGMA data_version`) or a write on this one.
        Caches of query results keyed on it are never stale after an ingest."""
        changed_elsewhere = self.db.execute("PRAGMA data_version").fetchone()[0]
        return (changed_elsewhere, self.db.conn.total_changes)

    def org_years(self) -> list[dict[str, Any]]:
        """One row per organisation and year with a ready report: org, org_short, org_level,
        year; in the order of `reports()` (by short name, year, id), without its cell counts."""
        sql = (
            "SELECT org, org_short, org_level, year, max(aliases) AS aliases FROM reports "
            "WHERE status = 'ready' GROUP BY org, org_short, org_level, year "
            "ORDER BY org_short, year, min(id)"
        )
        return list(self.db.query(sql))

    def find_sha(self, sha256: str) -> int | None:
        """The report holding this content as the current parser reads it (None: not indexed,
        or read by an older parser and to be read again)."""
        row = self.db.execute(
            "SELECT id FROM reports WHERE sha256 = ? AND parser_version = ?",
            [sha256, PARSER_VERSION],
        ).fetchone()
        return row[0] if row else None

    def reports(self) -> list[dict[str, Any]]:
        rows = self.db.query(
            "SELECT r.*, (SELECT count(*) FROM cells c WHERE c.report_id = r.id) AS cells "
            "FROM reports r ORDER BY r.org_short, r.year, r.id"
        )
        return [decode_report(r) for r in rows]

    def cell_counts(self) -> dict[int, dict[str, int]]:
        """Per report id: its cells by provenance (printed, aligned, inferred, unread) and
        `blank`, the cells it read as blank (NULL, not unread); read from the covering index."""
        out: dict[int, dict[str, int]] = {}
        sql = (
            "SELECT report_id, provenance, value IS NULL, count(*) FROM cells "
            "INDEXED BY ix_cells_value GROUP BY report_id, provenance, value IS NULL"
        )
        for report_id, provenance, null, n in self.db.execute(sql).fetchall():
            counts = out.setdefault(report_id, dict.fromkeys((*PROVENANCES, "blank"), 0))
            counts[provenance] = counts.get(provenance, 0) + n
            if null and provenance != "unread":
                counts["blank"] += n
        return out

    def report(self, report_id: int) -> dict[str, Any]:
        rows = list(self.db.query("SELECT * FROM reports WHERE id = ?", [report_id]))
        if not rows:
            raise ReportNotFound(report_id)
        return decode_report(rows[0])

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
