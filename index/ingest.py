"""Ingest report files into a Store: find them, skip unchanged ones, parse the rest, store them.

    summary = ingest_paths(["data/samples"], Store(".gongkai"))
    summary.added, summary.unchanged, summary.failures

A bad file never stops the batch: it is recorded as a failure (file, reason) and the next file is
read. A report whose consistency checks fail is stored and listed as flagged, never dropped.
Re-ingesting a file whose bytes have not changed does not parse it again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from index.errors import BadReport, NothingToIngest, StoreError
from index.passages import finish_report, unfinished_reports
from index.store import Store
from index.vectors import VectorStore
from parsers import ParseError, parse_file
from parsers.readers import SUFFIXES

Progress = Callable[[int, int, Path], None]  # (files done, files in total, file just done)


@dataclass(frozen=True)
class Failure:
    file: str
    reason: str


@dataclass(frozen=True)
class Flagged:
    file: str
    report_id: int
    org: str
    year: int | None
    rules: tuple[str, ...]  # the failing rules, e.g. ("R3.1 natural_person",)


@dataclass
class IngestSummary:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    failures: list[Failure] = field(default_factory=list)
    flagged: list[Flagged] = field(default_factory=list)
    report_ids: list[int] = field(default_factory=list)  # every report this batch touched
    embedded: int = 0  # passages embedded (not found in the embedding cache)
    finished: int = 0  # reports an interrupted ingest had left unfinished

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def total(self) -> int:
        return self.added + self.replaced + self.unchanged + self.failed


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
) -> IngestSummary:
    """Ingest every report file under `paths` into `store` (and its passages into `vectors`).

    Reports an earlier, interrupted ingest left unfinished are finished first. Raises
    NothingToIngest when `paths` name no file at all; store-level errors (the index cannot be
    written) propagate, since every later file would fail the same way.
    """
    paths = [str(p) for p in paths]
    files, missing = find_files(paths)
    if not files and not missing:
        raise NothingToIngest(paths, sorted(SUFFIXES))
    summary = IngestSummary(failures=list(missing))
    model = vectors.embedder.name if vectors else None
    for report_id in unfinished_reports(store, model):
        summary.embedded += finish_report(store, vectors, report_id)
        summary.finished += 1
    for done, file in enumerate(files, 1):
        _ingest_one(file, store, summary, vectors)
        if progress is not None:
            progress(done, len(files), file)
    return summary


def _ingest_one(
    file: Path, store: Store, summary: IngestSummary, vectors: VectorStore | None
) -> None:
    try:
        data = file.read_bytes()
    except OSError as err:
        summary.failures.append(Failure(str(file), f"cannot read the file: {err.strerror or err}"))
        return
    sha256 = hashlib.sha256(data).hexdigest()
    report_id = store.find_sha(sha256)
    if report_id is not None:
        summary.unchanged += 1
    else:
        try:
            report = parse_file(file, data=data)
            result = store.add(report, source_path=file.resolve(), sha256=sha256, ready=False)
        except (ParseError, BadReport) as err:
            summary.failures.append(Failure(str(file), err.problem))
            return
        except StoreError:  # the index itself is unusable: stop, every file would fail
            raise
        except Exception as err:  # a parser bug must not stop the batch
            reason = f"internal error: {type(err).__name__}: {err}"
            summary.failures.append(Failure(str(file), reason))
            return
        report_id = result.report_id
        if result.status != "unchanged":
            summary.embedded += finish_report(store, vectors, report_id)
            if vectors is not None and result.replaced_sha:
                vectors.delete_sha(result.replaced_sha)
        setattr(summary, result.status, getattr(summary, result.status) + 1)
    summary.report_ids.append(report_id)
    row = store.report(report_id)
    if row["check_status"] == "fail":
        rules = tuple(
            f"{c['rule']} {c['scope']}".strip()
            for c in store.checks(report_id)
            if c["status"] == "fail"
        )
        summary.flagged.append(Flagged(str(file), report_id, row["org"], row["year"], rules))
