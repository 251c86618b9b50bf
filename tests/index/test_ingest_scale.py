"""Ingest at scale, in-process: parallel parsing gives the serial result, passages are embedded
across reports in batches and never twice, an interrupted ingest is finished and repaired, and
the ingest lock and the Chroma folder lock behave (hash embedder; see tests/system/test_crash.py
and tests/system/test_concurrency.py for real processes)."""

from __future__ import annotations

import threading
import time

import pytest

import index.ingest
from index.embed import HashEmbedder
from index.errors import IngestBusy
from index.ingest import ingest_paths
from index.lock import INGEST_LOCK, FileLock, ingest_lock
from index.prepare import MIN_POOL_FILES
from index.search import Retriever
from index.store import Store
from index.vectors import VectorStore, open_vectors
from parsers.report import PARSER_VERSION
from tests.ingest_corpus import index_problems, make_corpus


class CountingEmbedder(HashEmbedder):
    def __init__(self):
        super().__init__()
        self.calls: list[int] = []

    def embed(self, texts):
        self.calls.append(len(texts))
        return super().embed(texts)


@pytest.fixture
def corpus(tmp_path):
    files = make_corpus(tmp_path / "reports", copies=1, web_copies=8)
    assert len(files) >= MIN_POOL_FILES
    return tmp_path / "reports", files


def _dump(index) -> dict[str, list]:
    with Store(index, create=False) as store:
        db = store.db
        tables = ("sections", "cells", "text_facts", "checks", "chunks", "embeddings")
        out = {t: list(db.execute(f"SELECT * FROM [{t}] ORDER BY 1, 2")) for t in tables}
        cols = "id, source_path, sha256, org, year, template, check_status, status, vector_model"
        out["reports"] = list(db.execute(f"SELECT {cols} FROM reports ORDER BY id"))
        out["fts"] = list(db.execute("SELECT rowid, words FROM chunks_fts ORDER BY rowid"))
    out["vectors"] = sorted(open_vectors(index).ids())
    return out


def test_parsing_in_two_worker_processes_stores_what_a_serial_ingest_does(tmp_path, corpus):
    folder, files = corpus
    results = {}
    for workers in (1, 2):
        index = tmp_path / f"index{workers}"
        with Store(index) as store:
            summary = ingest_paths([folder], store, vectors=open_vectors(index), workers=workers)
        assert (summary.workers, summary.added, summary.failed) == (workers, len(files), 0)
        assert summary.parse_seconds > 0 and summary.store_seconds > 0
        results[workers] = _dump(index)
    assert results[1] == results[2]
    assert index_problems(tmp_path / "index2", files) == []


def test_unchanged_files_are_skipped_before_parsing(index_dir, corpus, monkeypatch):
    folder, files = corpus
    with Store(index_dir) as store:
        ingest_paths([folder], store, workers=1)
        parsed = []
        real = index.ingest.parse_file
        monkeypatch.setattr(
            index.ingest, "parse_file", lambda p, data=None: parsed.append(p) or real(p, data=data)
        )
        files[0].write_bytes(files[0].read_bytes() + b"\n")
        summary = ingest_paths([folder], store)
    assert parsed == [files[0]]
    assert (summary.unchanged, summary.replaced, summary.workers) == (len(files) - 1, 1, 1)


def test_passages_are_embedded_across_reports_in_batches_and_never_twice(index_dir, corpus):
    folder, files = corpus
    embedder = CountingEmbedder()
    with Store(index_dir) as store:
        vectors = VectorStore(embedder, index_dir=index_dir)
        summary = ingest_paths([folder], store, vectors=vectors, workers=1)
        texts = {r[0] for r in store.db.execute("SELECT embed_text FROM chunks")}
        assert summary.embedded == sum(embedder.calls) == len(texts)  # copies embed nothing
        assert max(embedder.calls) <= 64
        assert len(embedder.calls) == -(-len(texts) // 64) < len(files) / 4
        embedder.calls.clear()
        for file in files[:3]:  # new bytes, same passages: stored again, embedded never
            file.write_bytes(file.read_bytes() + b"\n")
        again = ingest_paths([folder], store, vectors=vectors)
        assert (again.replaced, again.embedded, embedder.calls) == (3, 0, [])
    assert index_problems(index_dir, files) == []


def test_a_failed_ingest_leaves_pending_reports_that_the_next_one_finishes(
    index_dir, corpus, monkeypatch
):
    folder, files = corpus
    store, vectors = Store(index_dir), open_vectors(index_dir)
    real, calls = VectorStore.upsert, []

    def upsert_then_fail(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(VectorStore, "upsert", upsert_then_fail)
    with pytest.raises(RuntimeError, match="the disk is full"):
        ingest_paths([folder], store, vectors=vectors, batch_size=64, workers=1)
    statuses = dict(store.db.execute("SELECT status, count(*) FROM reports GROUP BY status"))
    assert statuses["ready"] > 0 and statuses["pending"] > 0
    pending = {r[0] for r in store.db.execute("SELECT id FROM reports WHERE status = 'pending'")}
    hits = Retriever(store, vectors).search("政府信息公开", k=200)
    assert hits and not pending & {h.report_id for h in hits}

    stored = store.counts()["reports"]
    monkeypatch.setattr(VectorStore, "upsert", real)
    summary = ingest_paths([folder], store, vectors=vectors)
    assert (summary.finished, summary.unchanged) == (len(pending), stored)
    assert summary.added == len(files) - stored > 0
    store.close()
    assert index_problems(index_dir, files) == []


def test_after_an_interrupted_ingest_the_vector_store_is_repaired(index_dir, corpus):
    folder, files = corpus
    with Store(index_dir) as store:
        vectors = open_vectors(index_dir)
        ingest_paths([folder], store, vectors=vectors)
        gone = store.db.execute("SELECT sha256 FROM reports ORDER BY id LIMIT 1").fetchone()[0]
        vectors.delete_sha(gone)  # Chroma lost a ready report's vectors
        stray = vectors.collection.get(limit=1, include=["embeddings", "metadatas"])
        vectors.upsert(["0" * 64 + ":0"], [list(stray["embeddings"][0])], ["x"], stray["metadatas"])
        assert index_problems(index_dir, files) != []
        summary = ingest_paths([folder], store, vectors=vectors)
        assert summary.finished == 0  # the last ingest finished: nothing is checked

        lock = FileLock(index_dir / INGEST_LOCK)  # as a killed ingest leaves it
        lock.acquire()
        lock.write("pid=1 state=running\n")
        lock.release()
        summary = ingest_paths([folder], store, vectors=vectors)
    assert (summary.stray_vectors, summary.finished, summary.embedded) == (1, 1, 0)
    assert index_problems(index_dir, files) == []


def test_a_replace_without_vectors_has_the_next_vector_ingest_drop_the_old_ones(index_dir, corpus):
    folder, files = corpus
    with Store(index_dir) as store:
        vectors = open_vectors(index_dir)
        ingest_paths([folder], store, vectors=vectors)
        files[1].write_bytes(files[1].read_bytes().replace("。".encode(), "；".encode(), 2))
        assert ingest_paths([folder], store).replaced == 1  # no vector store: old vectors stay
        summary = ingest_paths([folder], store, vectors=vectors)
    assert summary.stray_vectors > 0 and summary.finished == 1
    assert index_problems(index_dir, files) == []


def test_reports_an_older_parser_stored_are_read_again_with_their_vectors(index_dir, corpus):
    """A parser change (PARSER_VERSION) re-reads, on the next ingest, the reports it would read
    differently: rows and passages replaced, the old vectors gone, nothing else touched."""
    folder, files = corpus
    with Store(index_dir) as store:
        vectors = open_vectors(index_dir)
        ingest_paths([folder], store, vectors=vectors)
        old_id, sha = store.db.execute("SELECT id, sha256 FROM reports ORDER BY id").fetchone()
        fresh = store.db.execute(
            "SELECT table_key, row_key, col_key, value FROM cells WHERE report_id = ? ORDER BY 1, 2, 3",
            [old_id],
        ).fetchall()
        # as an older parser left it: another version, a wrong cell, a passage more
        store.db.execute("UPDATE reports SET parser_version = 1 WHERE id = ?", [old_id])
        store.db.execute("UPDATE cells SET value = 999 WHERE report_id = ?", [old_id])
        store.db.conn.commit()
        stray = f"{sha}:999"
        vectors.upsert([stray], [[0.1] * 256], ["old"], [{"sha": sha}])
        summary = ingest_paths([folder], store, vectors=vectors)
        assert (summary.reparsed, summary.unchanged, summary.added) == (1, len(files) - 1, 0)
        new_id, version = store.db.execute(
            "SELECT id, parser_version FROM reports WHERE sha256 = ?", [sha]
        ).fetchone()
        again = store.db.execute(
            "SELECT table_key, row_key, col_key, value FROM cells WHERE report_id = ? ORDER BY 1, 2, 3",
            [new_id],
        ).fetchall()
        assert new_id != old_id and version == PARSER_VERSION and again == fresh
        assert ingest_paths([folder], store, vectors=vectors).unchanged == len(files)
    assert stray not in open_vectors(index_dir).ids()
    assert index_problems(index_dir, files) == []


def test_a_second_ingest_is_refused_while_one_holds_the_lock(index_dir, corpus):
    folder, _ = corpus
    with Store(index_dir) as store, ingest_lock(index_dir):
        with pytest.raises(IngestBusy) as err:
            ingest_paths([folder], store)
    assert str(err.value) == (
        f"another ingest is writing to {index_dir} (pid {err.value.pid}); "
        "wait for it to finish and try again"
    )
    assert err.value.pid is not None and err.value.pid > 0


def test_an_ingest_told_to_wait_runs_once_the_other_finishes(index_dir, corpus):
    folder, files = corpus
    held = threading.Event()

    def hold() -> None:
        with ingest_lock(index_dir):
            held.set()
            time.sleep(1.0)

    other = threading.Thread(target=hold)
    other.start()
    held.wait()
    with Store(index_dir) as store:
        with pytest.raises(IngestBusy, match=r"still after 0\.2 s"):
            ingest_paths([folder], store, wait=0.2)
        summary = ingest_paths([folder], store, wait=30)
    other.join()
    assert summary.added == len(files)


def test_a_question_during_an_ingest_ranks_from_the_embedding_cache(index_dir, samples_dir):
    with Store(index_dir) as store:
        vectors = open_vectors(index_dir)
        ingest_paths([samples_dir], store, vectors=vectors)
        query = vectors.embedder.embed(["政府网站信息发布"])[0]
        shas = [r[0] for r in store.db.execute("SELECT sha256 FROM reports LIMIT 2")]
        where = {"$and": [{"sha": {"$in": shas}}, {"section": {"$in": ["overview"]}}]}
        from_chroma = vectors.query(query, 5, where)
        busy, release = threading.Event(), threading.Event()

        def ingest_holding_the_folder() -> None:
            with vectors.writing():
                busy.set()
                release.wait(30)

        other = threading.Thread(target=ingest_holding_the_folder)
        other.start()
        busy.wait()
        try:
            from_cache = vectors.query(query, 5, where)
        finally:
            release.set()
            other.join()
    assert from_chroma and [i for i, _ in from_cache] == [i for i, _ in from_chroma]
    assert [s for _, s in from_cache] == pytest.approx([s for _, s in from_chroma], abs=1e-4)
