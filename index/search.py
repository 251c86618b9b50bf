"""Find the passages that answer a question: dense (m3e-small in Chroma) and keyword (FTS5 over
jieba-segmented text) rankings, fused by reciprocal rank.

    retriever = Retriever(store, vectors)           # vectors=None: keyword only
    hits = retriever.search("陈区镇存在哪些主要问题", orgs=["陈区镇"], k=3)
    hits[0].org_short, hits[0].path, hits[0].lines, hits[0].text

Filters (organisation short names, years, top-level section keys) narrow both rankings before
they are fused; only reports whose SQLite rows and vectors are both complete are searched.
`mode` is "fused" (default), "dense" or "keyword", so the eval can score each on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from index import passages
from index.keyword import add_words, match_query
from index.store import Store
from index.vectors import VectorStore

MODES = ("fused", "dense", "keyword")
RRF_K = 60  # the usual reciprocal-rank-fusion constant
CANDIDATES = 30  # taken from each ranking before fusing
SECTION_WEIGHT = 1.0  # a passage in a section the question points at: as if ranked first once more


@dataclass
class Hit:
    chunk_id: int
    report_id: int
    org: str
    org_short: str
    year: int | None
    source_name: str
    source_path: str
    section_key: str
    path: str
    start_line: int
    end_line: int
    text: str
    score: float = 0.0
    ranks: dict[str, int] = field(default_factory=dict)  # mode → 1-based rank in that ranking

    @property
    def lines(self) -> tuple[int, int]:
        return (self.start_line, self.end_line)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "lines": list(self.lines)}


class Retriever:
    def __init__(self, store: Store, vectors: VectorStore | None = None):
        self.store = store
        self.vectors = vectors
        self._names_version: tuple[int, int] | None = None
        self._learn_names()

    def _learn_names(self) -> None:
        """Teach the keyword segmenter the indexed organisations' names, again whenever the
        index has changed (a report added since is searched by its name too)."""
        version = self.store.data_version()
        if version != self._names_version:
            add_words(sorted({r["org_short"] for r in self.store.org_years()} - {""}))
            self._names_version = version

    def search(
        self,
        query: str,
        *,
        orgs: Sequence[str] | None = None,
        years: Sequence[int] | None = None,
        sections: Sequence[str] | None = None,
        prefer_sections: Sequence[str] = (),
        extra_terms: Sequence[str] = (),
        dense_text: str | None = None,
        k: int = 5,
        mode: str = "fused",
    ) -> list[Hit]:
        """The `k` best passages for `query`. `extra_terms` (e.g. Chinese words for an English
        question) are added to the keyword query; the model embeds `dense_text` if given, else
        the query and the extra terms.

        Fused search also takes `prefer_sections`, the section keys the question points at: a
        passage there scores as if a third ranking had put it first (times `SECTION_WEIGHT`). Its
        top `k` prefer passages from different sections: a second passage of a report's section
        comes after the first passages of all the others."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        if mode == "dense" and self.vectors is None:
            raise ValueError("dense search needs a vector store")
        self._learn_names()
        scope = self._scope(orgs, years)
        if scope is not None and not scope:
            return []
        rankings: dict[str, list[int]] = {}
        if mode in ("fused", "keyword"):
            rankings["keyword"] = self._keyword(query, extra_terms, scope, sections, orgs or ())
        if mode in ("fused", "dense") and self.vectors is not None:
            text = dense_text or " ".join([query, *extra_terms])
            rankings["dense"] = self._dense(text, scope, sections)
        if mode != "fused":
            return self._fuse(rankings, k)
        return self._fuse(rankings, k, prefer_sections, diverse=True)

    def _scope(self, orgs, years) -> list[tuple[int, str]] | None:
        """(id, sha256) of the ready reports the filters allow; None = no filter."""
        if not orgs and not years:
            return None
        sql, params = "SELECT id, sha256 FROM reports WHERE status = 'ready'", []
        if orgs:
            sql += f" AND (org_short IN ({_marks(orgs)}) OR org IN ({_marks(orgs)}))"
            params += [*orgs, *orgs]
        if years:
            sql += f" AND year IN ({_marks(years)})"
            params += list(years)
        return [(r[0], r[1]) for r in self.store.db.execute(sql, params)]

    def _keyword(self, query, extra_terms, scope, sections, orgs) -> list[int]:
        match = match_query(" ".join([query, *extra_terms]), drop=orgs if scope else ())
        ids = [i for i, _ in scope] if scope is not None else None
        found = passages.keyword_search(self.store, match, ids, sections, CANDIDATES)
        return [chunk_id for chunk_id, _ in found]

    def _dense(self, text, scope, sections) -> list[int]:
        vector = self.vectors.embedder.embed([text])[0]
        where = []
        if scope is not None:
            where.append({"sha": {"$in": [sha for _, sha in scope]}})
        if sections:
            where.append({"section": {"$in": list(sections)}})
        clause = where[0] if len(where) == 1 else ({"$and": where} if where else None)
        found = self.vectors.query(vector, CANDIDATES, clause)
        rows = passages.chunks_for_vectors(self.store, [vid for vid, _ in found])
        return [rows[vid]["chunk_id"] for vid, _ in found if vid in rows]

    def _fuse(
        self,
        rankings: dict[str, list[int]],
        k: int,
        prefer_sections: Sequence[str] = (),
        diverse: bool = False,
    ) -> list[Hit]:
        scores: dict[int, float] = {}
        ranks: dict[int, dict[str, int]] = {}
        for mode, ids in rankings.items():
            for rank, chunk_id in enumerate(ids, 1):
                scores[chunk_id] = scores.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank)
                ranks.setdefault(chunk_id, {})[mode] = rank
        rows = passages.chunks_by_id(self.store, list(scores))
        for chunk_id, row in rows.items():
            if any(_within(row["section_key"], s) for s in prefer_sections):
                scores[chunk_id] += SECTION_WEIGHT / (RRF_K + 1)
        best = sorted((c for c in scores if c in rows), key=lambda c: (-scores[c], c))
        if diverse:
            best = _spread(best, rows, prefer_sections)
        return [_hit(rows[c], scores[c], ranks[c]) for c in best[:k]]


def _within(section_key: str, section: str) -> bool:
    return section_key == section or section_key.startswith(section + ".")


def _spread(
    ordered: list[int], rows: dict[int, dict[str, Any]], prefer_sections: Sequence[str] = ()
) -> list[int]:
    """The same order, except that a passage from a (report, section) already listed waits until
    every first passage of another section has been listed — unless the question asks for that
    section (its passages are what it wants: they keep their places)."""
    seen: set[tuple[int, str]] = set()
    first, later = [], []
    for chunk_id in ordered:
        key = (rows[chunk_id]["report_id"], rows[chunk_id]["section_key"])
        wanted = any(_within(key[1], s) for s in prefer_sections)
        (later if key in seen and not wanted else first).append(chunk_id)
        seen.add(key)
    return first + later


def _hit(row: dict[str, Any], score: float, ranks: dict[str, int]) -> Hit:
    names = Hit.__dataclass_fields__.keys() - {"score", "ranks"}
    return Hit(**{n: row[n] for n in names}, score=round(score, 6), ranks=ranks)


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))
