"""Embedding model specs and variants: `m3e-small` (fp32, PyTorch) and `m3e-small:int8` (ONNX).

Fast tests check the spec, the names that keep the variants' vectors apart, the export cache and
its errors, without loading a model. Slow tests load the real m3e-small and export it once to a
temporary cache (~30 s).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from index import embed_onnx
from index.embed import (
    HashEmbedder,
    SentenceTransformerEmbedder,
    make_embedder,
    parse_spec,
    resolve_model_path,
)
from index.embed_onnx import OnnxEmbedder, export, export_folder
from index.errors import ModelUnavailable
from tests.paths import ROOT


def test_a_spec_names_a_model_and_a_variant(tmp_path):
    odd = tmp_path / "a:b"  # a folder whose name has a colon is a folder, not a variant
    odd.mkdir()
    assert parse_spec("m3e-small") == ("m3e-small", "fp32")
    assert parse_spec("m3e-small:fp32") == ("m3e-small", "fp32")
    assert parse_spec("m3e-small:int8") == ("m3e-small", "int8")
    assert parse_spec("/models/x:int8") == ("/models/x", "int8")
    assert parse_spec(str(odd)) == (str(odd), "fp32")
    assert parse_spec("http://host/model") == ("http://host/model", "fp32")


def test_an_unknown_variant_is_refused_with_the_valid_ones(monkeypatch):
    with pytest.raises(ModelUnavailable) as err:
        make_embedder("m3e-small:int4")
    assert str(err.value) == (
        "unknown embedding variant 'int4' in 'm3e-small:int4'; valid variants: fp32, int8 "
        "(e.g. m3e-small or m3e-small:int8)"
    )
    monkeypatch.setenv("GONGKAI_EMBED_MODEL", "m3e-small:fp16")
    with pytest.raises(ModelUnavailable, match="valid variants: fp32, int8"):
        make_embedder()
    with pytest.raises(ModelUnavailable) as err:
        make_embedder(":int8")
    assert str(err.value) == "no model before ':int8' in ':int8'; e.g. m3e-small:int8"


def test_each_variant_has_its_own_name_and_the_name_rebuilds_it():
    fp32, also_fp32 = make_embedder("m3e-small"), make_embedder("m3e-small:fp32")
    int8 = make_embedder("m3e-small:int8")
    assert isinstance(fp32, SentenceTransformerEmbedder) and isinstance(int8, OnnxEmbedder)
    assert fp32.name == also_fp32.name == "m3e-small"  # unchanged: existing caches stay valid
    assert int8.name == "m3e-small:int8"
    # Chroma rebuilds an embedder from the name it stored (index/vectors.py build_from_config)
    assert make_embedder(int8.name).name == int8.name
    assert resolve_model_path("m3e-small:int8") == resolve_model_path("m3e-small")


def test_a_variant_class_refuses_the_other_variant():
    with pytest.raises(ModelUnavailable, match="make_embedder"):
        SentenceTransformerEmbedder("m3e-small:int8")
    with pytest.raises(ModelUnavailable, match="int8 variant only"):
        OnnxEmbedder("m3e-small")


def test_the_hash_embedder_is_unchanged():
    e = make_embedder("hash")
    assert isinstance(e, HashEmbedder) and e.name == "hash-256" and e.dim == 256
    [v] = e.embed(["政务公开"])
    assert math.isclose(sum(x * x for x in v), 1.0, rel_tol=1e-9)
    assert e.embed(["政务公开"]) == [v]


def test_choosing_a_model_loads_neither_torch_nor_onnxruntime():
    code = (
        "import sys; from index.embed import make_embedder; "
        "[make_embedder(s) for s in ('m3e-small', 'm3e-small:int8')]; "
        "print(sorted(m for m in ('torch', 'onnxruntime', 'sentence_transformers') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def _fake_model(folder: Path) -> Path:
    folder.mkdir()
    (folder / "config.json").write_text("{}", encoding="utf-8")
    (folder / "tokenizer.json").write_text("{}", encoding="utf-8")
    return folder


def test_the_export_cache_is_keyed_by_the_model_files(tmp_path, monkeypatch):
    model = _fake_model(tmp_path / "model")
    first = export_folder(model, tmp_path / "cache")
    assert first.parent == tmp_path / "cache" / "onnx" and first.name.startswith("model-")
    assert export_folder(model, tmp_path / "cache") == first
    (model / "config.json").write_text('{"hidden_size": 512}', encoding="utf-8")
    assert export_folder(model, tmp_path / "cache") != first
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "elsewhere"))
    before = export_folder(model)
    assert before.parent == tmp_path / "elsewhere" / "onnx"
    monkeypatch.setattr(embed_onnx, "RECIPE", "another recipe")
    assert export_folder(model) != before


def test_exporting_without_the_onnx_package_says_how_to_get_it(tmp_path, monkeypatch):
    model = _fake_model(tmp_path / "model")
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx now raises ImportError
    with pytest.raises(ModelUnavailable) as err:
        export(model, tmp_path / "out")
    assert str(err.value) == (
        f"the int8 model must be exported once from {model}, which needs the onnx package: run "
        "`make setup` (or `.venv/bin/pip install onnx`), or use the full-precision variant (fp32)"
    )
    assert not (tmp_path / "out").exists()


def test_a_model_without_tokenizer_json_cannot_be_exported(tmp_path):
    model = _fake_model(tmp_path / "model")
    (model / "tokenizer.json").unlink()
    with pytest.raises(ModelUnavailable) as err:
        export(model, tmp_path / "out")
    assert str(err.value) == f"{model} has no tokenizer.json, which the int8 variant needs"


# --- the real model -------------------------------------------------------------------------

RELATED = "大峪镇积极利用政府门户网站、政务微信公众号等平台发布政务信息，全年累计发布信息709条。"
UNRELATED = [
    "本年度本机关未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。",
    "依申请公开方面，全年共收到政府信息公开申请3件，均已按期答复。",
    "下一步将加强工作人员业务培训，提升信息公开工作的规范化水平。",
]
QUERY = "大峪镇有没有政务微信公众号？"


@pytest.fixture(scope="module")
def int8_cache(tmp_path_factory) -> Path:
    """One export of the real model into a temporary cache, shared by the slow tests."""
    return tmp_path_factory.mktemp("onnx-cache")


def _dot(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


@pytest.mark.slow
def test_the_int8_model_is_exported_once_and_checked(int8_cache):
    e = OnnxEmbedder("m3e-small:int8", cache_dir=int8_cache)
    e.embed([QUERY])
    meta = json.loads((e.folder / "meta.json").read_text(encoding="utf-8"))
    assert sorted(p.name for p in e.folder.iterdir()) == [
        "meta.json",
        "model.onnx",
        "tokenizer.json",
    ]
    assert meta["dim"] == 512 and meta["fused"] is True and meta["fp32_products"] > 0
    assert meta["probe_cosine"]["min"] >= embed_onnx.MIN_INT8_COSINE
    assert [p.name for p in e.folder.parent.iterdir()] == [e.folder.name]  # no leftovers
    stamp = (e.folder / "model.onnx").stat().st_mtime_ns
    OnnxEmbedder("m3e-small:int8", cache_dir=int8_cache).embed([QUERY])
    assert (e.folder / "model.onnx").stat().st_mtime_ns == stamp  # reused, not exported again


@pytest.mark.slow
@pytest.mark.parametrize("variant", ["fp32", "int8"])
def test_a_real_variant_gives_unit_vectors_that_rank_the_related_passage_first(variant, int8_cache):
    spec = "m3e-small" if variant == "fp32" else "m3e-small:int8"
    e = (
        OnnxEmbedder(spec, cache_dir=int8_cache)
        if variant == "int8"
        else SentenceTransformerEmbedder(spec)
    )
    passages = [UNRELATED[0], RELATED, *UNRELATED[1:]]
    vectors = e.embed(passages)
    [query] = e.embed([QUERY])
    assert e.dim == 512 and all(len(v) == 512 for v in [*vectors, query])
    assert all(math.isclose(_dot(v, v), 1.0, abs_tol=1e-4) for v in [*vectors, query])
    scores = [_dot(query, v) for v in vectors]
    assert scores.index(max(scores)) == passages.index(RELATED), scores
    # a batch comes back in the caller's order: each vector is closest to its text embedded alone
    alone = [e.embed([p])[0] for p in passages]
    for i, v in enumerate(vectors):
        sims = [_dot(v, a) for a in alone]
        assert sims.index(max(sims)) == i and sims[i] > 0.99


@pytest.mark.slow
def test_int8_stays_close_to_fp32_and_runs_without_torch(int8_cache):
    texts = [QUERY, RELATED, *UNRELATED]
    fp32 = SentenceTransformerEmbedder("m3e-small").embed(texts)
    int8 = OnnxEmbedder("m3e-small:int8", cache_dir=int8_cache).embed(texts)
    assert min(_dot(a, b) for a, b in zip(fp32, int8, strict=True)) > 0.98
    code = (
        "import sys; from index.embed import make_embedder; "
        "e = make_embedder('m3e-small:int8'); v = e.embed(['政务公开']); "
        "print(len(v[0]), e.dim, 'torch' in sys.modules)"
    )
    env = {**os.environ, "GONGKAI_CACHE_DIR": str(int8_cache)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["512", "512", "False"]
