"""Chunk vectors in Chroma: a PersistentClient inside the index folder, or a Chroma server.

We always hand Chroma our own vectors and our own embedding function (its default would download
a model) and switch its telemetry off. One collection per embedding model, so vectors of two
models never mix.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from index.embed import Embedder

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
_CLIENTS: dict[str, Any] = {}


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


def _client(index_dir: Path | None, url: str | None):
    import chromadb
    from chromadb.config import Settings

    key = url or str(Path(index_dir, "chroma").resolve())
    if key not in _CLIENTS:
        settings = Settings(anonymized_telemetry=False, allow_reset=False)
        if url:
            m = re.match(r"^(https?)://([^:/]+)(?::(\d+))?/?$", url)
            if not m:
                raise ValueError(f"--chroma-url must look like http://host:port, not {url!r}")
            _CLIENTS[key] = chromadb.HttpClient(
                host=m.group(2),
                port=int(m.group(3) or 8000),
                ssl=m.group(1) == "https",
                settings=settings,
            )
        else:
            _CLIENTS[key] = chromadb.PersistentClient(path=key, settings=settings)
    return _CLIENTS[key]


class VectorStore:
    def __init__(
        self, embedder: Embedder, index_dir: str | Path | None = None, url: str | None = None
    ):
        self.embedder = embedder
        client = _client(Path(index_dir) if index_dir else None, url)
        slug = re.sub(r"[^a-zA-Z0-9_-]", "-", embedder.name)[:40]
        self.collection = client.get_or_create_collection(
            f"chunks-{slug}",
            embedding_function=_embedding_function(embedder),
            metadata={"hnsw:space": "cosine"},
        )

    def upsert(
        self, ids: list[str], vectors: list[list[float]], texts: list[str], metadatas: list[dict]
    ) -> None:
        for i in range(0, len(ids), 500):
            self.collection.upsert(
                ids=ids[i : i + 500],
                embeddings=vectors[i : i + 500],
                documents=texts[i : i + 500],
                metadatas=metadatas[i : i + 500],
            )

    def delete_sha(self, sha256: str) -> None:
        """Drop the vectors of a report's content (after it was replaced or removed)."""
        self.collection.delete(where={"sha": sha256})

    def count(self) -> int:
        return self.collection.count()

    def query(
        self, vector: list[float], k: int, where: dict | None = None
    ) -> list[tuple[str, float]]:
        """(vector id, cosine similarity) best first."""
        if self.collection.count() == 0:
            return []
        res = self.collection.query(
            query_embeddings=[vector], n_results=k, where=where or None, include=["distances"]
        )
        return [(i, 1.0 - d) for i, d in zip(res["ids"][0], res["distances"][0], strict=False)]


def open_vectors(
    index_dir: str | Path, url: str | None = None, model: str | None = None
) -> VectorStore:
    """The vector store of an index: Chroma in `<index_dir>/chroma`, or the server at `url`;
    the embedding model from `model`, else $GONGKAI_EMBED_MODEL, else m3e-small."""
    from index.embed import make_embedder

    return VectorStore(make_embedder(model), index_dir=index_dir, url=url)
