"""A report's passages in both halves of the index: SQLite (chunks, FTS5) and Chroma (vectors).

    finish_report(store, vectors, report_id)   # embed (cache first), upsert, mark ready

`Store.add` writes a report's chunks and keyword index in its own transaction, as `pending`.
`finish_report` then stores the vectors and only after that marks the report `ready`, so a
question never sees a report that is half indexed; a crash in between leaves it `pending`, and the
next ingest finishes it (`unfinished_reports`). Vectors are keyed by the report's content hash and
the chunk's position, so vectors left behind by a crash can never be mistaken for a newer report's.

Embeddings are cached in SQLite by (model, hash of the text the model reads): re-ingesting or
replacing a report whose passages did not change embeds nothing.
"""

from __future__ import annotations

from array import array
from typing import Any

from index.store import Store
from index.vectors import VectorStore

KEYWORD_LIMIT = 50


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
    if vectors is None:
        store.mark_ready(report_id)
        return 0
    report = store.report(report_id)
    chunks = chunk_rows(store, report_id)
    found, embedded = embed_cached(store, vectors.embedder, [c["embed_text"] for c in chunks])
    if chunks:
        vectors.upsert(
            ids=[vector_id(report["sha256"], c["ord"]) for c in chunks],
            vectors=found,
            texts=[c["text"] for c in chunks],
            metadatas=[_metadata(report, c) for c in chunks],
        )
    store.mark_ready(report_id, vectors.embedder.name)
    return embedded


def embed_cached(store: Store, embedder, texts: list[str]) -> tuple[list[list[float]], int]:
    """Vectors for `texts`, from the cache where possible; new ones are embedded and cached."""
    from index.store import text_hash

    hashes = [text_hash(t) for t in texts]
    cached = _cached(store, embedder.name, hashes)
    todo = {h: t for h, t in zip(hashes, texts, strict=True) if h not in cached}
    if todo:
        fresh = embedder.embed(list(todo.values()))
        rows = [
            (embedder.name, h, array("f", v).tobytes()) for h, v in zip(todo, fresh, strict=True)
        ]
        with store._write():
            store.db.conn.executemany(
                "INSERT OR REPLACE INTO embeddings (model, hash, vector) VALUES (?, ?, ?)", rows
            )
        cached.update({h: list(v) for h, v in zip(todo, fresh, strict=True)})
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


def _metadata(report: dict[str, Any], chunk: dict[str, Any]) -> dict[str, Any]:
    return {
        "sha": report["sha256"],
        "report_id": report["id"],
        "org_short": report["org_short"],
        "year": report["year"] if report["year"] is not None else -1,
        "section": chunk["section_key"].split(".")[0],
        "section_key": chunk["section_key"],
    }


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
    out: dict[str, dict[str, Any]] = {}
    for vid in vector_ids:
        sha, _, ord_ = vid.partition(":")
        rows = list(
            store.db.query(
                CHUNK_SELECT + "WHERE r.sha256 = ? AND c.ord = ? AND r.status = 'ready'",
                [sha, int(ord_)],
            )
        )
        if rows:
            out[vid] = rows[0]
    return out


def chunks_by_id(store: Store, chunk_ids: list[int]) -> dict[int, dict[str, Any]]:
    if not chunk_ids:
        return {}
    sql = CHUNK_SELECT + f"WHERE c.id IN ({','.join('?' * len(chunk_ids))})"
    return {r["chunk_id"]: r for r in store.db.query(sql, chunk_ids)}


CHUNK_SELECT = (
    "SELECT c.id AS chunk_id, c.ord, c.section_key, c.path, c.text, c.start_line, c.end_line, "
    "r.id AS report_id, r.org, r.org_short, r.year, r.source_name, r.source_path, r.sha256 "
    "FROM chunks c JOIN reports r ON r.id = c.report_id "
)
