"""Dense ranking without Chroma: exact cosine over the embeddings cached in `gongkai.db`.

    rank_cached(".gongkai", "m3e-small", vector, k=30, where={"sha": {"$in": [...]}})

Used by `VectorStore.query` while an ingest holds the Chroma folder (Chroma's folder mode serves
one process at a time). Every passage of a ready report has its vector in the cache (ingest caches
a vector before storing it in Chroma, and marks the report ready after), so the ranking covers
exactly the passages Chroma would, scored exactly rather than by HNSW's approximation. Results
are Chroma's: (vector id `sha256:ord`, cosine similarity), best first.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from index.store import DB_NAME

SQL = (
    "SELECT r.sha256, c.ord, r.id, r.org_short, r.year, c.section_key, e.vector "
    "FROM chunks c JOIN reports r ON r.id = c.report_id "
    "JOIN embeddings e ON e.model = ? AND e.hash = c.hash WHERE r.status = 'ready'"
)
MAX_SQL_SHAS = 30_000  # SQLite allows 32,766 parameters


def rank_cached(
    index_dir: str | Path, model: str, vector: list[float], k: int, where: dict | None = None
) -> list[tuple[str, float]]:
    import numpy as np

    from index.chunks import chunk_metadata

    path = Path(index_dir) / DB_NAME
    if not path.is_file():
        return []
    shas = _sha_filter(where)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10.0)
    try:
        sql, params = SQL, [model]
        if shas is not None and len(shas) <= MAX_SQL_SHAS:  # else filtered below, row by row
            if not shas:
                return []
            sql += f" AND r.sha256 IN ({','.join('?' * len(shas))})"
            params += shas
        ids, blobs = [], []
        for sha, ord_, report_id, org_short, year, section_key, blob in conn.execute(sql, params):
            meta = chunk_metadata(sha, report_id, org_short, year, section_key)
            if where is None or matches(meta, where):
                ids.append(f"{sha}:{ord_}")
                blobs.append(blob)
    finally:
        conn.close()
    if not ids:
        return []
    matrix = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(ids), -1)
    query = np.asarray(vector, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1) * (np.linalg.norm(query) or 1.0)
    scores = matrix @ query / np.where(norms == 0, 1.0, norms)
    best = np.argsort(-scores, kind="stable")[:k]
    return [(ids[i], float(scores[i])) for i in best]


def matches(meta: dict[str, Any], where: dict) -> bool:
    """Chroma's metadata filter, the operators gongkai uses: $and, $or, $in, $nin, $eq, $ne and
    a bare value for equality."""
    for key, cond in where.items():
        if key == "$and":
            if not all(matches(meta, w) for w in cond):
                return False
        elif key == "$or":
            if not any(matches(meta, w) for w in cond):
                return False
        elif not _test(meta.get(key), cond):
            return False
    return True


def _test(value: Any, cond: Any) -> bool:
    if not isinstance(cond, dict):
        return value == cond
    ops = {
        "$eq": lambda v, c: v == c,
        "$ne": lambda v, c: v != c,
        "$in": lambda v, c: v in c,
        "$nin": lambda v, c: v not in c,
    }
    for op, arg in cond.items():
        if op not in ops:
            raise ValueError(f"unsupported filter operator {op!r}; use one of {', '.join(ops)}")
        if not ops[op](value, arg):
            return False
    return True


def _sha_filter(where: dict | None) -> list[str] | None:
    """The content hashes a filter confines the search to (narrows the SQL), or None."""
    if not where:
        return None
    sha = where.get("sha")
    if isinstance(sha, str):
        return [sha]
    if isinstance(sha, dict) and set(sha) == {"$in"}:
        return list(sha["$in"])
    for part in where.get("$and", []):
        found = _sha_filter(part)
        if found is not None:
            return found
    return None
