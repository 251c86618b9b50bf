"""An ingest killed with SIGKILL at random points, again and again, then run to the end, leaves
the same index as one never interrupted: each file one ready report, no duplicate or orphan row,
each passage exactly one vector and no vector of a report that is gone, the same answers.

`gongkai ingest` runs as a real subprocess (hash embedder, GONGKAI_EMBED_MODEL=hash from
conftest), with two parsing workers and small batches so that kills land while parsing, while
storing and while writing Chroma. One file changes between two kills (its old version may be
pending or ready by then), and the killed process's workers must not outlive it.
"""

from __future__ import annotations

import os
import random
import signal
import time

import pytest

from tests.ingest_corpus import (
    ask_json,
    gongkai,
    index_problems,
    make_corpus,
    ready_without_vectors,
    start,
    wait_group_gone,
)

SEED = int(os.environ.get("GONGKAI_CRASH_SEED", "20261123"))  # another seed: other kill points
QUESTIONS = [
    "大峪镇2025年行政处罚本年处理决定数量是多少",
    "2025年有哪些镇有行政处罚",
    "陈区镇存在哪些主要问题？",
    "Does Dayu town have a WeChat official account?",
]
INGEST = ("--workers", "2", "--batch", "16")


@pytest.mark.slow
def test_an_ingest_killed_at_random_points_ends_as_an_uninterrupted_one(tmp_path):
    rng = random.Random(SEED)
    files = make_corpus(tmp_path / "reports", copies=1, web_copies=16)  # 48 files
    assert len(files) == 48
    changing = files[2]  # a sample report; its first version is ingested, then it changes
    final_bytes = changing.read_bytes()
    changing.write_bytes(final_bytes.replace("。".encode(), "；".encode(), 3))
    reference, crashed = tmp_path / "reference", tmp_path / "crashed"

    killed = 0
    for round_ in range(6):
        if round_ == 3:
            changing.write_bytes(final_bytes)
        stored, ready = _reports(crashed), _reports(crashed, ready=True)
        log = tmp_path / f"round{round_}.log"
        proc = start("ingest", tmp_path / "reports", "--index", crashed, *INGEST, log=log)
        if round_ == 1:  # while starting, or repairing after the first kill
            time.sleep(rng.uniform(0.3, 1.2))
        else:  # once a random number of reports more are stored (or ready), a moment later
            count_ready = round_ % 2 == 0
            done = ready if count_ready else stored
            target = done + rng.randint(1, max(1, (len(files) - done) // 2))
            while proc.poll() is None and _reports(crashed, count_ready) < target:
                time.sleep(0.01)
            time.sleep(rng.uniform(0.0, 0.02))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            killed += 1
        proc.wait(timeout=300)
        assert proc.returncode in (0, -signal.SIGKILL), log.read_text()
        assert wait_group_gone(proc.pid) == [], "the killed ingest's workers outlived it"
        if (crashed / "gongkai.db").exists():
            assert ready_without_vectors(crashed) == [], f"round {round_}"
        after = (_reports(crashed), _reports(crashed, ready=True))
        print(f"round {round_}: rc {proc.returncode}, {(stored, ready)} -> {after} reports")
    assert killed >= 4, "the ingests finished before most kills: the test proved little"

    last = gongkai("ingest", tmp_path / "reports", "--index", crashed, *INGEST)
    assert last.returncode == 0, last.stderr
    assert gongkai("ingest", tmp_path / "reports", "--index", reference, *INGEST).returncode == 0

    assert index_problems(crashed, files) == []
    assert index_problems(reference, files) == []
    assert _rows(crashed) == _rows(reference)
    for question in QUESTIONS:  # internal report ids differ: the changed file got a new one
        got, want = ask_json(crashed, question), ask_json(reference, question)
        assert [q["text"] for q in got.pop("sql")] == [q["text"] for q in want.pop("sql")]
        assert got == want, question


def _reports(index, ready: bool = False) -> int:
    """Reports stored so far (all, or ready ones), read while an ingest may be writing."""
    import sqlite3

    if not (index / "gongkai.db").exists():
        return 0
    conn = sqlite3.connect(index / "gongkai.db", timeout=10)
    try:
        where = " WHERE status = 'ready'" if ready else ""
        return conn.execute("SELECT count(*) FROM reports" + where).fetchone()[0]
    except sqlite3.OperationalError:  # no tables yet
        return 0
    finally:
        conn.close()


def _rows(index) -> dict[str, list]:
    """Every stored row, with report and chunk ids replaced by file and position (a file
    replaced during the crashes got a new id), without the ingest time. The embedding cache is
    left out: it may keep the vectors of the changed file's first version, as it should."""
    from index.store import Store

    with Store(index, create=False) as store:
        db = store.db
        out = {}
        for table in ("sections", "cells", "text_facts", "checks"):
            cols = [c.name for c in db[table].columns if c.name != "report_id"]
            sql = (
                f"SELECT r.source_path, {', '.join('t.' + c for c in cols)} FROM [{table}] t "
                "JOIN reports r ON r.id = t.report_id"
            )
            out[table] = sorted(map(repr, db.execute(sql)))
        out["reports"] = sorted(
            db.execute("SELECT source_path, sha256, org, year, status, vector_model FROM reports")
        )
        out["chunks"] = sorted(
            db.execute(
                "SELECT r.source_path, c.ord, c.section_key, c.path, c.text, c.embed_text, c.hash, "
                "c.start_line, c.end_line, f.words FROM chunks c JOIN reports r ON r.id = "
                "c.report_id JOIN chunks_fts f ON f.rowid = c.id"
            )
        )
        return out
