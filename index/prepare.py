"""The CPU half of ingest: read, parse, chunk and segment report files, in worker processes.

    for item, outcome in prepare_all(items, workers=2):   # same order as `items`
        outcome.report, outcome.chunks  # or outcome.problem / outcome.internal

`prepare_file` is pure CPU and touches no index, so it runs in a process pool (`workers` > 1) or
in this process (`workers` = 1) with the same result. Storing stays in the caller's process, the
single SQLite writer. Workers are forked from a `forkserver` (a clean process that has loaded the
parsers and jieba once, never a fork of one holding Chroma, torch, SQLite or web-server threads)
and learn the words the segmenter already knows here, so a passage's keyword row is the same
whichever process segmented it. As with any process pool, a script that calls this must guard
its top level with `if __name__ == "__main__":` (each worker imports the main module).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from parsers.report import Report

T = TypeVar("T")
MIN_POOL_FILES = (
    32  # fewer files to parse: a pool's start-up (about a second) costs more than it saves
)
WINDOW_PER_WORKER = 8  # files handed to each worker ahead of the one being stored
OWNER_POLL_SECONDS = 0.5  # how often a worker checks that the ingest it serves is alive


@dataclass(frozen=True)
class ChunkRow:
    """A passage ready to store: its `chunks` columns plus its segmented words for FTS5."""

    ord: int
    section_key: str
    path: str
    text: str
    embed_text: str
    hash: str
    start_line: int
    end_line: int
    words: str


@dataclass
class Prepared:
    """What became of one file: a report and its passages, or the problem that stopped it."""

    sha256: str = ""
    report: Report | None = None
    chunks: list[ChunkRow] = field(default_factory=list)
    problem: str = ""  # for the user: the file cannot be read or is not a report
    internal: bool = False  # the problem is a bug in gongkai, not in the file
    seconds: float = 0.0  # time spent reading, parsing, chunking and segmenting


def chunk_rows(report: Report) -> list[ChunkRow]:
    """The report's passages with what the model reads, its hash and its keyword words."""
    from index.chunks import chunk_report, text_hash
    from index.keyword import index_text

    rows = []
    for chunk in chunk_report(report):
        embed_text = chunk.embed_text(report)
        words = index_text(f"{report.org} {chunk.path} {chunk.text}")
        rows.append(
            ChunkRow(chunk.ord, chunk.section_key, chunk.path, chunk.text, embed_text,
                     text_hash(embed_text), chunk.line_start, chunk.line_end, words)
        )  # fmt: skip
    return rows


def prepare_file(file: str | Path, parse: Callable[..., Report] | None = None) -> Prepared:
    """Read and parse `file` (with `parse`, default `parsers.parse_file`) and cut its passages.
    Never raises: a problem is returned."""
    from parsers import ParseError, parse_file

    parse = parse or parse_file
    start = time.perf_counter()
    out = Prepared()
    try:
        data = Path(file).read_bytes()
    except OSError as err:
        out.problem = f"cannot read the file: {err.strerror or err}"
        return out
    out.sha256 = hashlib.sha256(data).hexdigest()
    try:
        out.report = parse(file, data=data)
        out.chunks = chunk_rows(out.report)
    except ParseError as err:
        out.report, out.problem = None, err.problem
    except Exception as err:  # a parser bug must not stop the batch
        out.report, out.problem = None, f"internal error: {type(err).__name__}: {err}"
        out.internal = True
    out.seconds = time.perf_counter() - start
    return out


def prepare_all(
    items: Iterable[tuple[T, Path | None]],
    workers: int | None = None,
    parse: Callable[..., Report] | None = None,
) -> Iterator[tuple[T, Prepared | None]]:
    """(item, Prepared) for every (item, file), in the order given; (item, None) where file is
    None (nothing to parse: the caller passes it through in order). With `workers` > 1 and at
    least MIN_POOL_FILES files, files are parsed by a pool of that many processes, a bounded
    window ahead. A `parse` other than `parsers.parse_file` (a test's stand-in) runs here."""
    from parsers import parse_file

    items = list(items)
    todo = sum(1 for _, f in items if f is not None)
    if pool_size(todo, workers) <= 1 or parse not in (None, parse_file):
        for item, file in items:
            yield item, (prepare_file(file, parse) if file is not None else None)
        return
    workers = pool_size(todo, workers)
    pool = _pool(workers)
    window: deque[tuple[T, Path | None, Future | None]] = deque()
    try:
        for item, file in items:
            window.append((item, file, _submit(pool, file)))
            while len(window) > workers * WINDOW_PER_WORKER:
                yield _result(window.popleft())
        while window:
            yield _result(window.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def pool_size(files: int, workers: int | None) -> int:
    """Processes that will parse `files` files: 1 (this one) when a pool would not pay."""
    workers = workers or os.cpu_count() or 1
    return 1 if files < MIN_POOL_FILES else max(1, min(workers, files))


def _submit(pool: ProcessPoolExecutor, file: Path | None) -> Future | None:
    if file is None:
        return None
    try:
        return pool.submit(prepare_file, file)
    except BrokenProcessPool:  # a worker died earlier: this file is parsed here instead
        return None


def _result(entry: tuple[T, Path | None, Future | None]) -> tuple[T, Prepared | None]:
    item, file, future = entry
    if file is None:
        return item, None
    if future is None:
        return item, prepare_file(file)
    try:
        return item, future.result()
    except BrokenProcessPool:  # a worker died (killed, out of memory): parse here instead
        return item, prepare_file(file)


def _pool(workers: int) -> ProcessPoolExecutor:
    from index import keyword

    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["index.prepare_worker"])  # workers fork from it warm
    else:
        context = multiprocessing.get_context("spawn")
    known = sorted(keyword._KNOWN)  # words taught to the segmenter in this process
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(known, os.getpid()),
    )


def _init_worker(known: list[str], owner: int) -> None:
    from index.keyword import add_words

    add_words(known)  # also loads jieba and the template's terms
    threading.Thread(target=_exit_with, args=(owner,), daemon=True).start()


def _exit_with(owner: int) -> None:
    """End this worker once the ingest that started it is gone. A worker blocks on its task
    queue, whose write end it holds too, so it would outlive an ingest killed with `kill -9`."""
    while _alive(owner):
        time.sleep(OWNER_POLL_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")  # a zombie is dead
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
            return True
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
