"""Errors the index raises. `str(err)` is a message for a user that says what to do next.

The CLI turns these into `Error: …` and exit code 1 in one place (`bot/cli.py`); the chat UI turns
them into a reply. Library code only raises.
"""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """Base class: anything wrong with the index on disk or with what was asked of it."""


class IndexMissing(StoreError):
    def __init__(self, index_dir: str | Path):
        self.index_dir = str(index_dir)
        super().__init__(f"No index at {self.index_dir} — run `gongkai ingest <folder>` first")


class IndexUnreadable(StoreError):
    """The database file exists but SQLite cannot use it (not a database, locked, read-only…)."""

    def __init__(self, db_path: str | Path, problem: str):
        self.db_path = str(db_path)
        self.problem = problem
        super().__init__(
            f"Cannot use the index at {self.db_path}: {problem} — "
            "close other gongkai processes, or move the file aside and ingest again"
        )


class SchemaTooNew(StoreError):
    def __init__(self, db_path: str | Path, found: int, known: int):
        self.found, self.known = found, known
        super().__init__(
            f"The index at {db_path} has schema version {found}, but this gongkai knows only up to "
            f"{known} — upgrade gongkai, or pass --index to use another folder"
        )


class ReportNotFound(StoreError):
    def __init__(self, report_id: int):
        self.report_id = report_id
        super().__init__(f"No report with id {report_id} in the index — see `gongkai reports`")


class BadReport(StoreError):
    """A parsed Report could not be stored as it is (e.g. the same cell twice)."""

    def __init__(self, source: str, problem: str):
        self.source, self.problem = source, problem
        super().__init__(f"{source}: cannot store this report: {problem}")


class NothingToIngest(StoreError):
    def __init__(self, paths: list[str], suffixes: list[str]):
        self.paths = paths
        where = ", ".join(paths) if paths else "(no paths given)"
        super().__init__(
            f"No report files found in {where} — supported file types: {', '.join(suffixes)}"
        )


class NothingIngested(StoreError):
    def __init__(self, failed: int):
        self.failed = failed
        noun = "file" if failed == 1 else "files"
        super().__init__(
            f"None of the {failed} {noun} could be ingested — see the FAILED lines above"
        )


class ModelUnavailable(StoreError):
    """The embedding model cannot be found or loaded."""


class VectorStoreError(StoreError):
    """Chroma (on disk or a server) refused a read or write."""

    def __init__(self, where: str, problem: str):
        self.where, self.problem = where, problem
        super().__init__(f"Vector store at {where}: {problem}")


class IngestBusy(StoreError):
    """Another ingest holds the index's ingest lock (`index/lock.py`)."""

    def __init__(self, index_dir: str | Path, pid: int | None, waited: float = 0.0):
        self.index_dir, self.pid, self.waited = str(index_dir), pid, waited
        who = f" (pid {pid})" if pid else ""
        waited_note = f", still after {waited:g} s" if waited > 0 else ""
        super().__init__(
            f"another ingest is writing to {self.index_dir}{who}{waited_note}; "
            "wait for it to finish and try again"
        )
