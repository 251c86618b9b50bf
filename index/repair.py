"""Make Chroma agree with SQLite again after an ingest was interrupted (killed, crashed, failed).

    result = repair(store, vectors)   # result.stray, result.reopened

SQLite is the record; Chroma holds the vectors of its chunks, keyed `sha256:ord`. An ingest killed
between its SQLite and its Chroma writes can leave vectors of a report that SQLite replaced or
never committed (stray: deleted here), and Chroma's own recovery could lose vectors it had
acknowledged (a ready report missing some: set back to `pending` here, so this ingest stores them
again from the embedding cache, and questions do not see the report meanwhile). Run by ingest,
under its lock, when the ingest before it did not finish. Stray vectors are deleted only from
the index's own Chroma folder: a Chroma server's collection may be shared by several indexes.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.store import Store
from index.vectors import VectorStore


@dataclass(frozen=True)
class RepairResult:
    stray: int = 0  # vectors deleted: no chunk in SQLite has their id
    reopened: int = 0  # ready reports set back to pending: Chroma lacked some of their vectors


def repair(store: Store, vectors: VectorStore) -> RepairResult:
    have = vectors.ids()
    model = vectors.embedder.name
    expected: set[str] = set()
    lacking: set[int] = set()
    sql = (
        "SELECT r.sha256, c.ord, r.id, r.status = 'ready' AND r.vector_model = ? "
        "FROM chunks c JOIN reports r ON r.id = c.report_id"
    )
    for sha, ord_, report_id, stored in store.db.execute(sql, [model]):
        vid = f"{sha}:{ord_}"
        expected.add(vid)
        if stored and vid not in have:
            lacking.add(report_id)
    # a Chroma server's collection may hold other indexes' vectors too: only this index's own
    # folder is known to hold nothing else
    stray = sorted(have - expected) if vectors.url is None else []
    if stray:
        vectors.delete_ids(stray)
    if lacking:
        store.mark_pending(sorted(lacking))
    return RepairResult(len(stray), len(lacking))
