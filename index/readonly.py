"""A read-only, time-limited SQLite connection for SQL the program did not write itself.

No path runs such SQL today: every query in gongkai is fixed text with `?` parameters. This is the
guard any future path must use if it ever runs SQL composed elsewhere (say, by a language model):

    db = ReadOnlyDB(".gongkai", tables=("reports", "cells"), time_limit=2.0)
    db.query("SELECT org_short, year FROM reports WHERE year = ?", [2025])   # list of dicts
    db.query("DROP TABLE reports")    # raises QueryRefused: not a read of an allowed table

Four locks, each enough on its own against writes: the file is opened `mode=ro`; `PRAGMA
query_only` is on; an authorizer (`set_authorizer`) allows only SELECT, reads of the allowed
tables' columns and plain SQL functions — no INSERT/UPDATE/DELETE/DDL, ATTACH, PRAGMA or
transaction, no other table (so no `sqlite_master`); and a progress handler stops a statement
that runs past `time_limit` seconds (a runaway recursive CTE, a cross join of everything). Rows
beyond `max_rows` are refused rather than read into memory.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from index.errors import IndexMissing, StoreError
from index.store import DB_NAME

# The tables of parsed reports: enough for any question about their numbers and text.
DEFAULT_TABLES = ("reports", "sections", "cells", "text_facts", "checks")
DEFAULT_TIME_LIMIT = 2.0  # seconds per statement
DEFAULT_MAX_ROWS = 10_000
PROGRESS_STEPS = 1_000  # SQLite VM instructions between two looks at the clock
# Functions with side effects or access outside the database (most are not even compiled in).
DENIED_FUNCTIONS = {"load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"}
_ACTION_NAMES = {
    value: name[len("SQLITE_") :].lower()
    for name, value in vars(sqlite3).items()
    if name.startswith("SQLITE_")
    and isinstance(value, int)
    and name not in ("SQLITE_OK", "SQLITE_DENY", "SQLITE_IGNORE")
    and not name.startswith(("SQLITE_LIMIT", "SQLITE_DBCONFIG"))
}


class ReadOnlyError(StoreError):
    """Base class: a statement the read-only connection would not run to the end."""


class QueryRefused(ReadOnlyError):
    def __init__(self, sql: str, problem: str):
        self.sql, self.problem = sql, problem
        super().__init__(
            f"Refused to run this SQL: {problem} — only a SELECT that reads the allowed tables "
            "may run here"
        )


class QueryTimeout(ReadOnlyError):
    def __init__(self, sql: str, limit: float):
        self.sql, self.limit = sql, limit
        super().__init__(
            f"The SQL ran longer than {limit:g} s and was stopped — ask for fewer rows or a "
            "simpler query"
        )


class ReadOnlyDB:
    """A read-only connection to `<index_dir>/gongkai.db` (or a `.db` file) that reads only
    `tables`, each statement stopped after `time_limit` seconds and `max_rows` rows."""

    def __init__(
        self,
        index_dir: str | Path,
        *,
        tables: Sequence[str] = DEFAULT_TABLES,
        time_limit: float = DEFAULT_TIME_LIMIT,
        max_rows: int = DEFAULT_MAX_ROWS,
    ):
        path = Path(index_dir)
        path = path if path.suffix == ".db" else path / DB_NAME
        if not path.is_file():
            raise IndexMissing(path.parent)
        if not 0 < time_limit < float("inf"):
            raise ValueError(f"time_limit must be a positive number of seconds, got {time_limit!r}")
        if max_rows < 1:
            raise ValueError(f"max_rows must be at least 1, got {max_rows!r}")
        self.path, self.time_limit, self.max_rows = path, float(time_limit), int(max_rows)
        self.conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        self.conn.execute("PRAGMA query_only = ON")
        plain, self._schema = self._tables()
        unknown = sorted(set(tables) - plain)
        if unknown:
            self.conn.close()
            raise ValueError(
                f"cannot allow {', '.join(unknown)}: not an ordinary table of {path}; "
                f"use some of {', '.join(sorted(plain))}"
            )
        self.tables = frozenset(tables)
        self._denied: list[str] = []
        self._deadline = 0.0
        self.conn.set_authorizer(self._authorize)
        self.conn.set_progress_handler(self._over_time, PROGRESS_STEPS)

    def _tables(self) -> tuple[set[str], set[str]]:
        """(ordinary tables that may be allowed, every name in the schema)."""
        rows = self.conn.execute("SELECT name, type, sql FROM sqlite_master").fetchall()
        tables = {n for n, kind, _ in rows if kind == "table" and not n.startswith("sqlite_")}
        virtual = {n for n, _, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")}
        shadows = {n for n in tables for v in virtual if n.startswith(v + "_")}
        schema = {n for n, _, _ in rows} | {"sqlite_master", "sqlite_schema", "sqlite_temp_master"}
        return tables - virtual - shadows, schema

    def _authorize(self, action: int, arg1, arg2, db_name, source) -> int:
        if action == sqlite3.SQLITE_SELECT:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_READ:
            if arg1 in self.tables and db_name in ("main", None):
                return sqlite3.SQLITE_OK
            if arg2 == "" and arg1 not in self._schema:  # a CTE's name (WITH x AS …), no table
                return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() not in DENIED_FUNCTIONS:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_RECURSIVE:  # WITH RECURSIVE: bounded by the time limit
            return sqlite3.SQLITE_OK
        what = _ACTION_NAMES.get(action, str(action))
        target = arg2 if action == sqlite3.SQLITE_FUNCTION else arg1
        self._denied.append(f"{what} {target}" if target else what)
        return sqlite3.SQLITE_DENY

    def _over_time(self) -> int:
        return 1 if time.monotonic() > self._deadline else 0  # non-zero interrupts the statement

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The rows of one SELECT, as dicts. Raises QueryRefused or QueryTimeout."""
        self._denied.clear()
        self._deadline = time.monotonic() + self.time_limit
        try:
            cur = self.conn.execute(sql, list(params))
            rows = cur.fetchmany(self.max_rows + 1)
        except sqlite3.DatabaseError as err:
            if self._denied:
                denied = ", ".join(dict.fromkeys(self._denied))
                raise QueryRefused(sql, f"not allowed: {denied}") from err
            if "interrupted" in str(err):
                raise QueryTimeout(sql, self.time_limit) from err
            raise QueryRefused(sql, str(err)) from err
        except (sqlite3.Warning, sqlite3.ProgrammingError, ValueError) as err:
            raise QueryRefused(sql, str(err)) from err  # e.g. two statements, a NUL character
        finally:
            self._deadline = 0.0  # outside query(): no statement may run at all
        if len(rows) > self.max_rows:
            raise QueryRefused(sql, f"more than {self.max_rows} rows")
        names = [d[0] for d in cur.description or ()]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ReadOnlyDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
