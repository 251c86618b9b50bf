"""Exclusive OS locks on files in the index folder, so two processes never interleave writes.

    with ingest_lock(".gongkai") as run:      # raises IngestBusy if another ingest holds it
        run.interrupted                         # did the previous ingest stop half-way?
        ...
        run.done()

The lock is `fcntl.flock` on `<index>/ingest.lock`: the kernel releases it when its process ends,
however it ends, so a `kill -9` never leaves a stale lock. The file also records who holds it
(`pid=… state=running`) and, once an ingest has finished, `state=done`: an ingest that finds
`running` there knows the one before it was interrupted and repairs the index first.
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from index.errors import IngestBusy

INGEST_LOCK = "ingest.lock"
POLL_SECONDS = 0.1


class FileLock:
    """An exclusive `flock` on `path`, created if missing. Not re-entrant: each FileLock is its
    own open file, so a second one on the same path waits even inside the same process."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, wait: float = 0.0) -> bool:
        """Take the lock, waiting up to `wait` seconds; False if another holder kept it."""
        if self._fd is not None:
            raise RuntimeError(f"{self.path} is already held by this FileLock")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + max(0.0, wait)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._fd = fd
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    return False
                time.sleep(POLL_SECONDS)

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def read(self) -> str:
        """The note the holder (or the last holder) left in the file."""
        try:
            return self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""

    def write(self, note: str) -> None:
        """Replace the note; only while holding the lock."""
        if self._fd is None:
            raise RuntimeError(f"{self.path} is not held")
        data = note.encode("utf-8")
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, data, 0)


def holder_pid(note: str) -> int | None:
    m = re.search(r"\bpid=(\d+)", note)
    return int(m.group(1)) if m else None


class IngestRun:
    """The held ingest lock: what the last ingest left behind, and `done()` to record success."""

    def __init__(self, lock: FileLock, previous: str):
        self._lock = lock
        self.previous = previous
        # "running" left behind: the last ingest died or failed. "": never locked before (a new
        # index, or one written by an older gongkai): unknown, so treated as interrupted.
        self.interrupted = "state=done" not in previous

    def done(self, clean: bool = True) -> None:
        """The ingest finished; `clean=False`: it knowingly left work for the next one."""
        self._lock.write(f"pid={os.getpid()} state={'done' if clean else 'dirty'}\n")


@contextmanager
def ingest_lock(index_dir: str | Path, wait: float = 0.0) -> Iterator[IngestRun]:
    """Hold `<index_dir>/ingest.lock` for one ingest. Raises IngestBusy when another process
    (or another ingest in this one) holds it for longer than `wait` seconds."""
    lock = FileLock(Path(index_dir) / INGEST_LOCK)
    if not lock.acquire(wait):
        raise IngestBusy(index_dir, holder_pid(lock.read()), wait)
    try:
        previous = lock.read()
        lock.write(f"pid={os.getpid()} state=running\n")
        yield IngestRun(lock, previous)
    finally:
        lock.release()
