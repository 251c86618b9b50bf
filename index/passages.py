"""A report's passages in both halves of the index: SQLite (chunks, FTS5) and Chroma (vectors).

    finish_reports(store, vectors, report_ids)   # embed (cache first), upsert, mark ready

`Store.add` writes a report's chunks and keyword index in its own transaction, as `pending`.
`finish_reports` then stores the vectors and only after that marks the reports `ready`, so a
question never sees a report that is half indexed; a crash in between leaves it `pending`, and the
next ingest finishes it (`unfinished_reports`). Vectors are keyed by the report's content hash and
the chunk's position, so vectors left behind by a crash can never be mistaken for a newer report's.

Embeddings are cached in SQLite by (model, hash of the text the model reads): re-ingesting or
replacing a report whose passages did not change embeds nothing.
"""

from __future__ import annotations

import time
from array import array
from itertools import chain
from typing import Any

from index.chunks import chunk_metadata
from index.store import Store
from index.vectors import VectorStore

KEYWORD_LIMIT = 50
EMBED_BATCH = 64  # passages per call of the model (it sorts a call's texts by length)


def unfinished_reports(store: Store, model: str | None) -> list[int]:
    """Reports still pending, or (when vectors are wanted) lacking vectors of `model`."""
    sql = "SELECT id FROM reports WHERE status != 'ready'"
    params: list[Any] = []
    if model:
        sql += " OR vector_model != ?"
        params.append(model)
    return [r[0] for r in store.db.execute(sql + " ORDER BY id", params)]


def finish_report(store: Store, vectors: VectorStore | None, report_id: int) -> int:
    """Store the report's vectors (if a vector store is given), then mark it ready.

    Returns how many passages had to be embedded (0 when all came from the cache)."""
    return finish_reports(store, vectors, [report_id])


def finish_reports(
    store: Store,
    vectors: VectorStore | None,
    report_ids: list[int],
    timings: dict[str, float] | None = None,
) -> int:
    """Store the vectors of all `report_ids` (if a vector store is given), then mark them all
    ready in one transaction. Passages not in the cache are embedded `EMBED_BATCH` at a time
    across reports, and stored in Chroma in one go, so many small reports cost what one large
    one does.

    Returns how many passages had to be embedded; adds seconds spent to `timings["embed"]`
    (model and cache) and `timings["vectors"]` (Chroma)."""
    if not report_ids:
        return 0
    if vectors is None:
        store.mark_ready(report_ids)
        return 0
    clock = time.perf_counter()
    rows = _chunks_of(store, report_ids)
    found, embedded = embed_cached(store, vectors.embedder, [c["embed_text"] for c in rows])
    middle = time.perf_counter()
    if rows:
        vectors.upsert(
            ids=[vector_id(c["sha256"], c["ord"]) for c in rows],
            vectors=found,
            texts=[c["text"] for c in rows],
            metadatas=[
                chunk_metadata(c["sha256"], c["report_id"], c["org_short"], c["year"],
                               c["section_key"]) for c in rows
            ],
        )  # fmt: skip
    store.mark_ready(report_ids, vectors.embedder.name)
    if timings is not None:
        timings["embed"] = timings.get("embed", 0.0) + middle - clock
        timings["vectors"] = timings.get("vectors", 0.0) + time.perf_counter() - middle
    return embedded


def _chunks_of(store: Store, report_ids: list[int]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(0, len(report_ids), 500):
        part = report_ids[i : i + 500]
        sql = (
            "SELECT r.id AS report_id, r.sha256, r.org_short, r.year, c.ord, c.section_key, "
            "c.text, c.embed_text FROM chunks c JOIN reports r ON r.id = c.report_id "
            f"WHERE r.id IN ({','.join('?' * len(part))}) ORDER BY r.id, c.ord"
        )
        out += store.db.query(sql, part)
    return out


def embed_cached(
    store: Store, embedder, texts: list[str], batch: int = EMBED_BATCH
) -> tuple[list[list[float]], int]:
    """Vectors for `texts`, from the cache where possible; new ones are embedded `batch` at a
    time, each batch cached in its own transaction (an interrupted ingest keeps what it paid for).
    """
    from index.chunks import text_hash

    hashes = [text_hash(t) for t in texts]
    cached = _cached(store, embedder.name, hashes)
    todo = list({h: t for h, t in zip(hashes, texts, strict=True) if h not in cached}.items())
    for i in range(0, len(todo), batch):
        part = todo[i : i + batch]
        fresh = embedder.embed([t for _, t in part])
        rows = [
            (embedder.name, h, array("f", v).tobytes())
            for (h, _), v in zip(part, fresh, strict=True)
        ]
        with store._write():
            store.db.conn.executemany(
                "INSERT OR REPLACE INTO embeddings (model, hash, vector) VALUES (?, ?, ?)", rows
            )
        cached.update({h: list(v) for (h, _), v in zip(part, fresh, strict=True)})
    return [cached[h] for h in hashes], len(todo)


def _cached(store: Store, model: str, hashes: list[str]) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    unique = list(dict.fromkeys(hashes))
    for i in range(0, len(unique), 500):
        part = unique[i : i + 500]
        marks = ",".join("?" * len(part))
        sql = f"SELECT hash, vector FROM embeddings WHERE model = ? AND hash IN ({marks})"
        for h, blob in store.db.execute(sql, [model, *part]):
            out[h] = array("f", blob).tolist()
    return out


def vector_id(sha256: str, ord_: int) -> str:
    return f"{sha256}:{ord_}"


def chunk_rows(store: Store, report_id: int) -> list[dict[str, Any]]:
    sql = "SELECT * FROM chunks WHERE report_id = ? ORDER BY ord"
    return list(store.db.query(sql, [report_id]))


def keyword_search(
    store: Store,
    match: str,
    report_ids: list[int] | None,
    sections: list[str] | None = None,
    limit: int = KEYWORD_LIMIT,
) -> list[tuple[int, float]]:
    """(chunk id, BM25 score; higher is better) for an FTS5 `match`, ready reports only."""
    if not match:
        return []
    sql = (
        "SELECT c.id, -bm25(chunks_fts) AS score FROM chunks_fts "
        "JOIN chunks c ON c.id = chunks_fts.rowid JOIN reports r ON r.id = c.report_id "
        "WHERE chunks_fts MATCH ? AND r.status = 'ready'"
    )
    params: list[Any] = [match]
    if report_ids is not None:
        sql += f" AND r.id IN ({','.join('?' * len(report_ids))})"
        params += report_ids
    if sections:
        ors = " OR ".join("c.section_key = ? OR c.section_key LIKE ?" for _ in sections)
        sql += f" AND ({ors})"
        params += [p for s in sections for p in (s, s + ".%")]
    sql += " ORDER BY bm25(chunks_fts) LIMIT ?"
    return [(r[0], r[1]) for r in store.db.execute(sql, [*params, limit])]


def chunks_for_vectors(store: Store, vector_ids: list[str]) -> dict[str, dict[str, Any]]:
    """vector id → chunk row with its report's fields, for vectors of ready reports only
    (vectors left by an interrupted or replaced ingest map to nothing and are dropped)."""
    keys = {}
    for vid in vector_ids:
        sha, _, ord_ = vid.partition(":")
        if ord_.isdigit():
            keys[(sha, int(ord_))] = vid
    if not keys:
        return {}
    # one query for all hits: (sha, ord) pairs as a VALUES table, each found by its indexes
    pairs = ", ".join("(?, ?)" for _ in keys)
    sql = (
        f"{CHUNK_COLUMNS} FROM (VALUES {pairs}) AS v JOIN reports r ON r.sha256 = v.column1 "
        "JOIN chunks c ON c.report_id = r.id AND c.ord = v.column2 WHERE r.status = 'ready'"
    )
    found = {keys[(r["sha256"], r["ord"])]: r for r in store.db.query(sql, [*chain(*keys)])}
    return {vid: found[vid] for vid in vector_ids if vid in found}


def chunks_by_id(store: Store, chunk_ids: list[int]) -> dict[int, dict[str, Any]]:
    if not chunk_ids:
        return {}
    sql = CHUNK_SELECT + f"WHERE c.id IN ({','.join('?' * len(chunk_ids))})"
    return {r["chunk_id"]: r for r in store.db.query(sql, chunk_ids)}


CHUNK_COLUMNS = (
    "SELECT c.id AS chunk_id, c.ord, c.section_key, c.path, c.text, c.start_line, c.end_line, "
    "r.id AS report_id, r.org, r.org_short, r.year, r.source_name, r.source_path, r.sha256"
)
CHUNK_SELECT = CHUNK_COLUMNS + " FROM chunks c JOIN reports r ON r.id = c.report_id "
