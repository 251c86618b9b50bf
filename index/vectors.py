"""Chunk vectors in Chroma: a PersistentClient inside the index folder, or a Chroma server.

We always hand Chroma our own vectors and our own embedding function (its default would download
a model) and switch its telemetry off. One collection per embedding model, so vectors of two
models never mix.

Chroma's folder mode is single-process: a second process reading the folder while another writes
it fails ("Error finding id": its in-memory HNSW index lags the shared metadata) and can even
leave the folder inconsistent, since a reader replays and persists Chroma's write-ahead log too.
So every use of `<index>/chroma` holds `<index>/chroma.lock` (an exclusive `flock`: an ingest for
its whole run, a question for one query), and a process reopens its client whenever someone else
held the folder since its own last use. A question that finds the folder busy (an ingest is
writing) ranks passages by exact cosine over the embeddings cached in `gongkai.db` instead: the
same vectors, of ready reports only, without touching Chroma. A Chroma server (`--chroma-url`)
handles concurrency itself and needs none of this.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from index.embed import Embedder
from index.errors import VectorStoreError
from index.lock import FileLock, holder_pid

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
log = logging.getLogger(__name__)
CHROMA_LOCK = "chroma.lock"
WRITE_WAIT = 60.0  # seconds an ingest waits for questions to finish with the folder
READ_WAIT = 2.0  # seconds a question waits for another question (never for an ingest)
UPSERT_BATCH = 1024  # vectors per Chroma call: each call has a large fixed cost
_HTTP: dict[str, Any] = {}
_LOCAL: dict[str, _Folder] = {}
_REGISTRY = threading.Lock()


def _embedding_function(embedder: Embedder):
    from chromadb.api.types import EmbeddingFunction

    class GongkaiEmbeddingFunction(EmbeddingFunction):
        def __init__(self, inner: Embedder):
            self.inner = inner

        def __call__(self, input):  # noqa: A002 (chroma's parameter name)
            return self.inner.embed(list(input))

        @staticmethod
        def name() -> str:
            return "gongkai"

        def get_config(self) -> dict[str, Any]:
            return {"model": self.inner.name}

        @staticmethod
        def build_from_config(config: dict[str, Any]):
            from index.embed import make_embedder

            return GongkaiEmbeddingFunction(make_embedder(config.get("model")))

        def default_space(self):
            return "cosine"

    return GongkaiEmbeddingFunction(embedder)


def _settings():
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def _http_client(url: str):
    if url not in _HTTP:
        import chromadb

        m = re.match(r"^(https?)://([^:/]+)(?::(\d+))?/?$", url)
        if not m:
            raise ValueError(f"--chroma-url must look like http://host:port, not {url!r}")
        _HTTP[url] = chromadb.HttpClient(
            host=m.group(2), port=int(m.group(3) or 8000), ssl=m.group(1) == "https",
            settings=_settings(),
        )  # fmt: skip
    return _HTTP[url]


class _Folder:
    """This process's use of one `<index>/chroma` folder: its client and the lock guarding it.
    Re-entrant for the thread holding it; other threads and processes wait or are refused."""

    def __init__(self, index_dir: Path):
        self.path = str((index_dir / "chroma").resolve())
        self.lock = FileLock(index_dir / CHROMA_LOCK)
        self.thread_lock = threading.RLock()
        self.depth = 0
        self.role = ""
        self.token = uuid.uuid4().hex[:12]  # what this process writes in the lock file
        self.client: Any = None

    def acquire(self, role: str, wait: float) -> bool:
        """Hold the folder as `role` (ingest, write, read, query), waiting up to `wait` s."""
        if wait > 0:
            got = self.thread_lock.acquire(timeout=wait)
        else:
            got = self.thread_lock.acquire(blocking=False)
        if not got:
            return False
        try:
            if self.depth == 0:
                if not self.lock.acquire(wait):
                    self.thread_lock.release()
                    return False
                if self.client is not None and f"token={self.token}" not in self.lock.read():
                    self.close()  # another process used the folder since: reload what it wrote
                self.lock.write(f"pid={os.getpid()} token={self.token} role={role}\n")
                self.role = role
        except BaseException:
            self.lock.release()
            self.thread_lock.release()
            raise
        self.depth += 1
        return True

    def release(self) -> None:
        self.depth -= 1
        if self.depth == 0:
            self.role = ""
            self.lock.release()
        self.thread_lock.release()

    def busy_with_ingest(self) -> bool:
        """Is the folder held by an ingest (here or elsewhere), so waiting is pointless?"""
        return self.role == "ingest" or "role=ingest" in self.lock.read()

    def open(self):
        if self.client is None:
            import chromadb

            self.client = chromadb.PersistentClient(path=self.path, settings=_settings())
        return self.client

    def close(self) -> None:
        if self.client is not None:
            client, self.client = self.client, None
            try:
                client.close()
            except Exception:  # a client that cannot close cleanly is dropped all the same
                log.warning("closing the Chroma client at %s failed", self.path, exc_info=True)


def _folder(index_dir: Path) -> _Folder:
    key = str((index_dir / "chroma").resolve())
    with _REGISTRY:
        if key not in _LOCAL:
            _LOCAL[key] = _Folder(index_dir)
        return _LOCAL[key]


class VectorStore:
    def __init__(
        self, embedder: Embedder, index_dir: str | Path | None = None, url: str | None = None
    ):
        if not url and index_dir is None:
            raise ValueError("VectorStore needs an index folder or a Chroma server URL")
        self.embedder = embedder
        self.url = url
        self.index_dir = Path(index_dir) if index_dir is not None else None
        slug = re.sub(r"[^a-zA-Z0-9_-]", "-", embedder.name)[:40]
        self.name = f"chunks-{slug}"
        self._local = None if url else _folder(self.index_dir)
        self._cached: tuple[Any, Any] | None = None  # (client, its collection)
        if url:
            self._get_collection(_http_client(url))  # fail early on a bad URL or server

    # --- the lock ---------------------------------------------------------------------------

    def writing(self, wait: float = WRITE_WAIT):
        """Hold the Chroma folder for a batch of writes (an ingest holds it for its whole run)."""
        return self._held("ingest", wait)

    @contextmanager
    def _held(self, role: str = "write", wait: float = WRITE_WAIT) -> Iterator[None]:
        if self._local is None:
            yield
            return
        if not self._local.acquire(role, wait):
            pid = holder_pid(self._local.lock.read())
            raise VectorStoreError(
                self._local.path,
                f"it is in use by another process{f' (pid {pid})' if pid else ''}; "
                "try again when it has finished",
            )
        try:
            yield
        finally:
            self._local.release()

    def _collection(self):
        client = _http_client(self.url) if self.url else self._local.open()
        if self._cached is None or self._cached[0] is not client:  # new, or reopened
            self._cached = (client, self._get_collection(client))
        return self._cached[1]

    def _get_collection(self, client):
        return client.get_or_create_collection(
            self.name,
            embedding_function=_embedding_function(self.embedder),
            metadata={"hnsw:space": "cosine"},
        )

    @property
    def collection(self):
        """The Chroma collection, for tests and tools in a single process (it is opened under
        the lock, but used after it is released)."""
        with self._held("read"):
            return self._collection()

    # --- writes (an ingest holds `writing()` around them) ----------------------------------

    def upsert(
        self, ids: list[str], vectors: list[list[float]], texts: list[str], metadatas: list[dict]
    ) -> None:
        with self._held():
            collection = self._collection()
            for i in range(0, len(ids), UPSERT_BATCH):
                part = slice(i, i + UPSERT_BATCH)
                collection.upsert(
                    ids=ids[part],
                    embeddings=vectors[part],
                    documents=texts[part],
                    metadatas=metadatas[part],
                )

    def delete_sha(self, sha256: str) -> None:
        """Drop the vectors of a report's content (after it was replaced or removed)."""
        with self._held():
            self._collection().delete(where={"sha": sha256})

    def delete_ids(self, ids: list[str]) -> None:
        with self._held():
            collection = self._collection()
            for i in range(0, len(ids), 500):
                collection.delete(ids=ids[i : i + 500])

    def ids(self, page: int = 5000) -> set[str]:
        """Every vector id in the collection."""
        out: set[str] = set()
        with self._held("read"):
            collection = self._collection()
            while True:
                got = collection.get(include=[], limit=page, offset=len(out))["ids"]
                out.update(got)
                if len(got) < page:
                    return out

    def count(self) -> int:
        with self._held("read"):
            return self._collection().count()

    # --- reads ------------------------------------------------------------------------------

    def query(
        self, vector: list[float], k: int, where: dict | None = None
    ) -> list[tuple[str, float]]:
        """(vector id, cosine similarity) best first. While an ingest holds the Chroma folder,
        exact cosine over the cached embeddings of ready reports instead."""
        folder = self._local
        if folder is None:
            return self._chroma_query(vector, k, where)
        wait = 0.0 if folder.busy_with_ingest() else READ_WAIT
        if not folder.acquire("query", wait):
            return self.cache_query(vector, k, where)
        try:
            return self._chroma_query(vector, k, where)
        except Exception as err:  # Chroma's files disagree with themselves: answer all the same
            log.warning("Chroma query failed (%s); ranking from the embedding cache", err)
            return self.cache_query(vector, k, where)
        finally:
            folder.release()

    def _chroma_query(self, vector, k, where) -> list[tuple[str, float]]:
        collection = self._collection()
        if collection.count() == 0:
            return []
        res = collection.query(
            query_embeddings=[vector], n_results=k, where=where or None, include=["distances"]
        )
        return [(i, 1.0 - d) for i, d in zip(res["ids"][0], res["distances"][0], strict=False)]

    def cache_query(
        self, vector: list[float], k: int, where: dict | None = None
    ) -> list[tuple[str, float]]:
        """Exact cosine ranking of the ready reports' passages from `gongkai.db`'s embedding
        cache, filtered by a Chroma-style `where` on the vectors' metadata."""
        from index.cache_search import rank_cached

        if self.index_dir is None:
            return []
        return rank_cached(self.index_dir, self.embedder.name, vector, k, where)


def open_vectors(
    index_dir: str | Path, url: str | None = None, model: str | None = None
) -> VectorStore:
    """The vector store of an index: Chroma in `<index_dir>/chroma`, or the server at `url`;
    the embedding model from `model`, else $GONGKAI_EMBED_MODEL, else m3e-small."""
    from index.embed import make_embedder

    return VectorStore(make_embedder(model), index_dir=index_dir, url=url)
