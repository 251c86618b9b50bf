"""Ingest report files into a Store: find them, skip unchanged ones, parse the rest, store them.

    summary = ingest_paths(["data/samples"], Store(".gongkai"), vectors=vectors, workers=2)
    summary.added, summary.unchanged, summary.failures, summary.parse_seconds

A bad file never stops the batch: it is recorded as a failure (file, reason) and the next file is
read. A report whose consistency checks fail is stored and listed as flagged, never dropped; one
whose tables were not all read (incomplete, no_tables) is stored and listed too, and every report
is counted by its reading status.
Re-ingesting a file whose bytes have not changed does not parse it again.

Parsing (pure CPU) runs in `workers` processes (`index.prepare`); this process stores the results
in file order, so the index is the same as a serial ingest's. A report is stored `pending`; once
about `batch_size` passages of several reports are waiting, the new ones are embedded (64 per
model call, `index.passages`), all are stored in Chroma in one call (each call has a large fixed
cost), and those reports are marked ready. One ingest at a time holds the index
(`index.lock`); one killed half-way is finished, and the vector store repaired, by the next.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable
from contextlib import closing, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import parsers
from index.errors import BadReport, NothingToIngest, StoreError
from index.lock import ingest_lock
from index.manifest import apply as apply_manifest
from index.manifest import entry_for
from index.passages import finish_reports, unfinished_reports
from index.prepare import Prepared, pool_size, prepare_all, prepare_file
from index.repair import repair
from index.store import Store
from index.vectors import VectorStore
from parsers import parse_file
from parsers.readers import SUFFIXES
from parsers.report import STATUSES

Progress = Callable[[int, int, Path], None]  # (files done, files in total, file just done)
VECTOR_BATCH = 512  # passages stored in Chroma together (and their reports marked ready)


@dataclass(frozen=True)
class Failure:
    file: str
    reason: str


@dataclass(frozen=True)
class Twin:
    """A stored report and another report of the same organisation and year (`other_file`)."""

    file: str
    org: str
    year: int | None
    other_file: str


@dataclass(frozen=True)
class Flagged:
    file: str
    report_id: int
    org: str
    year: int | None
    rules: tuple[str, ...]  # the failing rules, e.g. ("R3.1 natural_person",)
    cells_read: int = 0
    cells_expected: int = 0


@dataclass(frozen=True)
class Unread:
    """A stored report whose tables were not all read: status incomplete or no_tables."""

    file: str
    report_id: int
    org: str
    year: int | None
    status: str  # incomplete | no_tables
    cells_read: int
    cells_expected: int


@dataclass
class IngestSummary:
    added: int = 0
    replaced: int = 0
    reparsed: int = 0  # same content, stored by an older parser: read again
    unchanged: int = 0
    failures: list[Failure] = field(default_factory=list)
    flagged: list[Flagged] = field(default_factory=list)
    # reports stored or found unchanged, by reading status (parsers.report.STATUSES)
    statuses: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    unread: list[Unread] = field(default_factory=list)  # the incomplete and no_tables ones
    report_ids: list[int] = field(default_factory=list)  # every report this batch touched
    reports: list[dict] = field(default_factory=list)  # their stored rows (`ingest_into` only)
    copies: list[Twin] = field(default_factory=list)  # copies of reports already indexed
    same_org_year: list[Twin] = field(default_factory=list)  # another report, other cells
    embedded: int = 0  # passages embedded (not found in the embedding cache)
    finished: int = 0  # reports an interrupted ingest had left unfinished
    stray_vectors: int = 0  # vectors an interrupted ingest had left, deleted
    workers: int = 1  # parsing processes used (1: this one)
    seconds: float = 0.0  # wall time of the whole ingest
    parse_seconds: float = 0.0  # reading, parsing, chunking (summed over the workers)
    store_seconds: float = 0.0  # SQLite writes of reports, cells and passages
    embed_seconds: float = 0.0  # the embedding model and its cache
    vector_seconds: float = 0.0  # Chroma writes

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def total(self) -> int:
        return self.added + self.replaced + self.reparsed + self.unchanged + self.failed


def ingest_into(
    index_dir: str | Path,
    paths: Iterable[str | Path],
    progress: Progress | None = None,
    *,
    chroma_url: str | None = None,
    **options,
) -> IngestSummary:
    """Open (or create) the index at `index_dir`, ingest `paths` into it with its vector store,
    and return the summary with `reports`: the stored rows of the reports it touched. `options`
    go to `ingest_paths` (workers, batch_size, wait). The command line and the web page's upload
    both ingest through here."""
    from index.vectors import open_vectors

    with Store(index_dir) as store:
        summary = ingest_paths(
            paths, store, progress, open_vectors(index_dir, url=chroma_url), **options
        )
        touched = set(summary.report_ids)
        summary.reports = [r for r in store.reports() if r["id"] in touched]
    return summary


def find_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Failure]]:
    """Files to ingest under `paths`, sorted, plus a failure for every path that does not exist.

    Folders are searched recursively for supported suffixes, skipping hidden files and folders;
    a file named directly is always tried (an unsupported one then fails with a clear reason).
    """
    found: dict[Path, Path] = {}
    missing: list[Failure] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in names:
                    file = Path(root) / name
                    if not name.startswith(".") and file.suffix.lower() in SUFFIXES:
                        found.setdefault(file.resolve(), file)
        elif path.exists():
            found.setdefault(path.resolve(), path)
        else:
            missing.append(Failure(str(path), "no such file or folder"))
    return sorted(found.values(), key=str), missing


def ingest_paths(
    paths: Iterable[str | Path],
    store: Store,
    progress: Progress | None = None,
    vectors: VectorStore | None = None,
    *,
    workers: int | None = None,
    batch_size: int = VECTOR_BATCH,
    wait: float = 0.0,
    manifest: dict[str, dict] | None = None,
) -> IngestSummary:
    """Ingest every report file under `paths` into `store` (and its passages into `vectors`).

    `manifest` (`index.manifest.read_manifest`): per file, the organisation, year and URL that
    override what the parser reads.

    `workers`: parsing processes (default: one per CPU; 1 parses here). `wait`: seconds to wait
    for another ingest of the same index to finish before raising IngestBusy. Raises
    NothingToIngest when `paths` name no file at all; store-level errors (the index cannot be
    written) propagate, since every later file would fail the same way. Reports an earlier,
    interrupted ingest left unfinished are finished too.
    """
    start = time.perf_counter()
    paths = [str(p) for p in paths]
    files, missing = find_files(paths)
    if not files and not missing:
        raise NothingToIngest(paths, sorted(SUFFIXES))
    summary = IngestSummary(failures=list(missing))
    with ingest_lock(store.index_dir, wait) as run:
        with vectors.writing() if vectors is not None else nullcontext():
            if vectors is not None and run.interrupted:
                summary.stray_vectors = repair(store, vectors).stray
            batch = _Batch(store, vectors, summary, batch_size)
            batch.manifest = manifest or {}
            items = [((file, sha), None if sha and store.find_sha(sha) else file)
                     for file, sha in ((f, _sha(f, batch.manifest)) for f in files)]  # fmt: skip
            todo = sum(1 for _, file in items if file)
            summary.workers = pool_size(todo, workers) if parse_file is parsers.parse_file else 1
            with closing(prepare_all(items, workers, parse_file)) as prepared:
                for done, ((file, sha), outcome) in enumerate(prepared, 1):
                    _store_one(file, sha, outcome, store, summary, batch)
                    if progress is not None:
                        progress(done, len(files), file)
            batch.flush()
            left = unfinished_reports(store, vectors.embedder.name if vectors else None)
            for i in range(0, len(left), 256):  # left by an earlier ingest, or found by repair
                batch.finish(left[i : i + 256])
            summary.finished = len(left)
        # a replace without a vector store leaves the old vectors: the next ingest with one
        # removes them (as after an interruption)
        run.done(clean=vectors is not None or not (summary.replaced or summary.reparsed))
    summary.seconds = time.perf_counter() - start
    return summary


def _sha(file: Path, manifest: dict[str, dict] | None = None) -> str | None:
    """The file's identity: its bytes, and its manifest entry if it has one."""
    try:
        digest = hashlib.sha256(file.read_bytes())
    except OSError:
        return None  # prepare_file says why
    entry = entry_for(manifest, file) if manifest else None
    if entry:
        digest.update(json.dumps(entry, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


class _Batch:
    """Reports stored `pending`, waiting until enough passages are collected to embed them."""

    def __init__(self, store: Store, vectors: VectorStore | None, summary: IngestSummary, size):
        self.store, self.vectors, self.summary, self.size = store, vectors, summary, size
        self.ids: list[int] = []
        self.passages = 0
        self.replaced: list[str] = []  # content hashes whose vectors can go
        self.reread: list[str] = []  # content read again: its old vectors go before the new
        self.manifest: dict[str, dict] = {}  # per file: organisation, year, URL that override

    def add(self, report_id: int, passages: int, replaced_sha: str | None, reread=False) -> None:
        if self.vectors is None:  # stored ready: nothing to wait for
            return
        self.ids.append(report_id)
        self.passages += passages
        if replaced_sha:
            (self.reread if reread else self.replaced).append(replaced_sha)
        if self.passages >= self.size:
            self.flush()

    def flush(self) -> None:
        if self.vectors is not None:
            clock = time.perf_counter()
            for sha in self.replaced:  # unless a later file brought that content back
                if self.store.find_sha(sha) is None:
                    self.vectors.delete_sha(sha)
            for sha in self.reread:
                self.vectors.delete_sha(sha)
            self.summary.vector_seconds += time.perf_counter() - clock
        self.finish(self.ids)
        self.ids, self.passages, self.replaced, self.reread = [], 0, [], []

    def finish(self, report_ids: list[int]) -> None:
        timings: dict[str, float] = {}
        self.summary.embedded += finish_reports(self.store, self.vectors, report_ids, timings)
        self.summary.embed_seconds += timings.get("embed", 0.0)
        self.summary.vector_seconds += timings.get("vectors", 0.0)


def _store_one(
    file: Path,
    sha: str | None,
    prepared: Prepared | None,
    store: Store,
    summary: IngestSummary,
    batch: _Batch,
) -> None:
    clock = time.perf_counter()
    if prepared is None:  # its content was indexed when the batch began
        report_id = store.find_sha(sha) if sha else None
        if report_id is not None:
            summary.unchanged += 1
            summary.report_ids.append(report_id)
            _flag_stored(file, report_id, store, summary)
            summary.store_seconds += time.perf_counter() - clock
            return
        prepared = prepare_file(file, parse_file)  # an earlier file replaced that content
    summary.parse_seconds += prepared.seconds
    report = prepared.report
    if report is None:
        summary.failures.append(Failure(str(file), prepared.problem))
        return
    chunks: list | None = prepared.chunks
    entry = entry_for(batch.manifest, file) if batch.manifest else None
    if entry:
        apply_manifest(report, entry)
        chunks = None  # passages name the organisation: cut them again
    clock = time.perf_counter()
    try:
        result = store.add(
            report,
            source_path=file.resolve(),
            sha256=sha or prepared.sha256,  # with a manifest entry, the entry is part of it
            ready=batch.vectors is None,
            chunks=chunks,
        )
    except BadReport as err:
        summary.failures.append(Failure(str(file), err.problem))
        return
    except StoreError:  # the index itself is unusable: stop, every file would fail
        raise
    except Exception as err:  # a bug must not stop the batch
        reason = f"internal error: {type(err).__name__}: {err}"
        summary.failures.append(Failure(str(file), reason))
        return
    summary.store_seconds += time.perf_counter() - clock
    setattr(summary, result.status, getattr(summary, result.status) + 1)
    summary.report_ids.append(result.report_id)
    if result.status == "unchanged":
        _flag_stored(file, result.report_id, store, summary)
        return
    reread = result.status == "reparsed"
    if result.copy_of:
        summary.copies.append(Twin(str(file), report.org, report.year, result.copy_of["file"]))
    for other in result.same_org_year:
        summary.same_org_year.append(Twin(str(file), report.org, report.year, other["file"]))
    batch.add(result.report_id, len(prepared.chunks), result.replaced_sha, reread)
    status, read, expected = report.status, report.cells_read, report.cells_expected
    _count(summary, file, result.report_id, report.org, report.year, status, read, expected)
    if report.check_status == "fail":
        rules = tuple(f"{c.rule} {c.scope}".strip() for c in report.checks if c.status == "fail")
        summary.flagged.append(
            Flagged(str(file), result.report_id, report.org, report.year, rules, read, expected)
        )


def _count(summary: IngestSummary, file: Path, report_id: int, org: str, year, status: str,
           read: int, expected: int) -> None:  # fmt: skip
    summary.statuses[status] = summary.statuses.get(status, 0) + 1
    if status in ("incomplete", "no_tables"):
        summary.unread.append(Unread(str(file), report_id, org, year, status, read, expected))


def _flag_stored(file: Path, report_id: int, store: Store, summary: IngestSummary) -> None:
    row = store.report(report_id)
    status, read, expected = row["read_status"], row["cells_read"], row["cells_expected"]
    _count(summary, file, report_id, row["org"], row["year"], status, read, expected)
    if row["check_status"] == "fail":
        rules = tuple(
            f"{c['rule']} {c['scope']}".strip()
            for c in store.checks(report_id)
            if c["status"] == "fail"
        )
        summary.flagged.append(
            Flagged(str(file), report_id, row["org"], row["year"], rules, read, expected)
        )
