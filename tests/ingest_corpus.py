"""Helpers for the ingest-at-scale tests: a corpus of report copies, `gongkai` as a subprocess,
and a check of everything an index must satisfy when no ingest is running."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.config import SAMPLES_DIR

GONGKAI = str(Path(sys.executable).with_name("gongkai"))
WEB_DIR = Path(__file__).parent / "data" / "web"
SOURCES = sorted(SAMPLES_DIR.glob("*.txt")) + sorted(WEB_DIR.glob("*.txt"))


def make_corpus(folder: Path, copies: int = 0, web_copies: int | None = None) -> list[Path]:
    """The samples and the web excerpts, plus `copies` rounds of copies of the web excerpts
    (`web_copies` of them per round, default all), each copy with distinct bytes (a trailing
    newline per round), so each is its own report with the same text."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for src in SOURCES:
        files.append(folder / src.name)
        files[-1].write_bytes(src.read_bytes())
    web = sorted(WEB_DIR.glob("*.txt"))[:web_copies]
    for n in range(1, copies + 1):
        for src in web:
            files.append(folder / f"copy{n}_{src.name}")
            files[-1].write_bytes(src.read_bytes() + b"\n" * n)
    return files


def gongkai(*args: str | Path, timeout: float = 300, **kwargs) -> subprocess.CompletedProcess:
    """Run the `gongkai` command; GONGKAI_EMBED_MODEL=hash comes from the test's environment."""
    return subprocess.run(
        [GONGKAI, *map(str, args)], capture_output=True, text=True, timeout=timeout, **kwargs
    )


def start(*args: str | Path, log: Path) -> subprocess.Popen:
    """Start `gongkai` in its own process group (so its workers can be found and cleaned up),
    its output going to `log` (a pipe could be held open by a worker that outlived it)."""
    with open(log, "w") as out:
        return subprocess.Popen(
            [GONGKAI, *map(str, args)], stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def group_members(pgid: int) -> list[int]:
    """Live processes in process group `pgid` (zombies excluded)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            out.append(int(stat.parent.name))
    return out


def wait_group_gone(pgid: int, seconds: float = 15.0) -> list[int]:
    """Wait for every process of the group to end; kill and return the ones that did not."""
    deadline = time.monotonic() + seconds
    while (left := group_members(pgid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    if left:
        os.killpg(pgid, signal.SIGKILL)
    return left


def ask_json(index: Path, question: str) -> dict:
    run = gongkai("ask", "--json", "--index", index, question)
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout)
    answer.pop("ms", None)
    return answer


def index_problems(index: Path, files: list[Path] | None = None) -> list[str]:
    """What is wrong with an index no ingest is writing to: a file not exactly one ready report;
    orphan or duplicate rows; a chunk without exactly one vector, or a vector without a chunk."""
    from index.store import CHILD_TABLES, Store
    from index.vectors import open_vectors

    problems = []
    with Store(index, create=False) as store:
        db = store.db
        if files is not None:
            paths = [r[0] for r in db.execute("SELECT source_path FROM reports")]
            expected = sorted(str(f.resolve()) for f in files)
            if sorted(paths) != expected:
                problems.append(f"reports' files {sorted(paths)} != {expected}")
        for row in db.query("SELECT id, source_name, status, vector_model FROM reports"):
            if row["status"] != "ready" or row["vector_model"] != "hash-256":
                problems.append(f"report {row} is not ready with hash-256 vectors")
        for name in (*CHILD_TABLES, "chunks"):
            sql = f"SELECT count(*) FROM [{name}] WHERE report_id NOT IN (SELECT id FROM reports)"
            if n := db.execute(sql).fetchone()[0]:
                problems.append(f"{n} {name} rows of no report")
        fts = "SELECT count(*) FROM chunks_fts WHERE rowid NOT IN (SELECT id FROM chunks)"
        if n := db.execute(fts).fetchone()[0]:
            problems.append(f"{n} keyword rows of no chunk")
        no_fts = "SELECT count(*) FROM chunks WHERE id NOT IN (SELECT rowid FROM chunks_fts)"
        if n := db.execute(no_fts).fetchone()[0]:
            problems.append(f"{n} chunks without a keyword row")
        sql = "SELECT r.sha256 || ':' || c.ord FROM chunks c JOIN reports r ON r.id = c.report_id"
        chunk_ids = [r[0] for r in db.execute(sql)]
    vectors = open_vectors(index)
    have = vectors.ids()
    if len(chunk_ids) != len(set(chunk_ids)):
        problems.append("two chunks share a vector id")
    if missing := set(chunk_ids) - have:
        problems.append(f"{len(missing)} chunks without a vector, e.g. {sorted(missing)[:3]}")
    if stray := have - set(chunk_ids):
        problems.append(f"{len(stray)} vectors of no chunk, e.g. {sorted(stray)[:3]}")
    if vectors.count() != len(have):
        problems.append(f"Chroma counts {vectors.count()} vectors but lists {len(have)}")
    return problems


def ready_without_vectors(index: Path) -> list[str]:
    """Ready reports lacking a vector (a question could see them half indexed); any moment."""
    from index.store import Store
    from index.vectors import open_vectors

    with Store(index, create=False) as store:
        sql = (
            "SELECT r.source_name, r.sha256 || ':' || c.ord FROM chunks c "
            "JOIN reports r ON r.id = c.report_id WHERE r.status = 'ready'"
        )
        rows = list(store.db.execute(sql))
    have = open_vectors(index).ids()
    return sorted({name for name, vid in rows if vid not in have})
