"""The `:int8` embedding variant: the model exported once to ONNX, quantised to 8 bits, and run by
ONNX Runtime without torch.

    embedder = make_embedder("m3e-small:int8")   # or GONGKAI_EMBED_MODEL=m3e-small:int8
    embedder.embed(["…"])                        # first use in a fresh cache: exports (~30 s)

The export needs torch, sentence-transformers and the `onnx` package, and reads only the model
folder on disk: the transformer and its mean pooling become one graph, ONNX Runtime's BERT
optimizer fuses it, and dynamic quantisation stores weights (7-bit, one scale per column) and
activations as int8, except in the feed-forward down-projections, which stay fp32. Each step is
checked against the full-precision model on probe sentences; an export that does not reproduce it
is refused. The result lives in `<cache>/onnx/<model>-<fingerprint>/`, where `<cache>` is
`$GONGKAI_CACHE_DIR`, else `$XDG_CACHE_HOME/gongkai`, else `~/.cache/gongkai`; the fingerprint
covers the model folder's files and the export recipe, so a changed model is exported afresh.
Later processes load it with onnxruntime and tokenizers only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import warnings
from pathlib import Path
from typing import Any

from index.errors import ModelUnavailable as ModelError
from index.model_spec import QUERY_TEXTS, VARIANTS, parse_spec, resolve_model_path

# what the export does; changing it makes every cached export stale
RECIPE = "mean-pool/opset17/bert-fusion/qint8-dynamic/per-channel/7-bit/fp32-after-gelu/1"
MIN_EXPORT_COSINE = 0.999  # the fp32 graph against the model it came from
MIN_INT8_COSINE = 0.95  # the quantised graph against the model (measured: min 0.997)
PROBES = [
    "主动公开政府信息情况",
    "2024年，本机关共收到政府信息公开申请38件，全部按时答复。",
    "Does the town publish information on a WeChat official account?",
    "依申请公开方面，严格按照法定程序和时限办理，做到应公开尽公开；" * 3,
    "政府信息公开工作存在的主要问题及改进情况。" * 30,  # longer than the model reads
]
_RUNTIMES: dict[str, _Runtime] = {}
_LOCK = threading.Lock()


def cache_root() -> Path:
    if os.environ.get("GONGKAI_CACHE_DIR"):
        return Path(os.environ["GONGKAI_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "gongkai"


def export_folder(model_path: Path, cache_dir: str | Path | None = None) -> Path:
    """Where the int8 export of the model in `model_path` is (or will be) cached."""
    digest = hashlib.sha256(RECIPE.encode())
    for file in sorted(p for p in model_path.iterdir() if p.is_file()):
        st = file.stat()
        digest.update(f"{file.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    root = Path(cache_dir).expanduser() if cache_dir else cache_root()
    return root / "onnx" / f"{model_path.name}-{digest.hexdigest()[:16]}"


class OnnxEmbedder:
    """A sentence-transformers model folder (mean pooling), as int8 ONNX on the CPU."""

    def __init__(
        self,
        model: str | None = None,
        batch_size: int = 8,
        threads: int | None = None,
        cache_dir: str | Path | None = None,
    ):
        if parse_spec(model)[1] != "int8":
            raise ModelError(f"OnnxEmbedder runs the int8 variant only, not {model!r}")
        self.path = resolve_model_path(model)
        self.name = f"{self.path.name}:int8"
        self.dim = 0  # known once loaded
        self.batch_size = batch_size
        self.threads = threads or max(1, os.cpu_count() or 1)
        self.folder = export_folder(self.path, cache_dir)

    def _runtime(self) -> _Runtime:
        with _LOCK:
            key = str(self.folder)
            if key not in _RUNTIMES:
                if not (self.folder / "meta.json").exists():
                    export(self.path, self.folder)
                _RUNTIMES[key] = _Runtime(self.folder)
            runtime = _RUNTIMES[key]
        self.dim = runtime.dim
        return runtime

    def embed(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        threads = 1 if len(texts) <= QUERY_TEXTS else self.threads
        vectors = self._runtime().encode(texts, self.batch_size, threads)
        return [v.tolist() for v in vectors]


class _Runtime:
    """One exported model: its tokenizer and an ONNX Runtime session per thread count."""

    def __init__(self, folder: Path, model_file: str = "model.onnx"):
        from tokenizers import Tokenizer

        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.model_file = folder / model_file
        self.dim = int(meta["dim"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(int(meta["max_length"]))
        self.tokenizer.enable_padding(pad_id=int(meta["pad_id"]), pad_token=meta["pad_token"])
        self.sessions: dict[int, Any] = {}
        self.lock = threading.Lock()

    def session(self, threads: int):
        with self.lock:
            if threads not in self.sessions:
                import onnxruntime as ort

                options = ort.SessionOptions()
                options.intra_op_num_threads = threads
                options.inter_op_num_threads = 1
                options.log_severity_level = 3
                self.sessions[threads] = ort.InferenceSession(
                    str(self.model_file), options, providers=["CPUExecutionProvider"]
                )
            return self.sessions[threads]

    def encode(self, texts: list[str], batch_size: int, threads: int):
        """Unit vectors (a float32 array) in the caller's order; batches of similar length."""
        import numpy as np

        session = self.session(threads)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            part = order[start : start + batch_size]
            encoded = self.tokenizer.encode_batch([texts[i] for i in part])
            feed = {
                "input_ids": np.array([e.ids for e in encoded], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
            }
            vectors = session.run(None, feed)[0]
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            out[part] = vectors / np.clip(norms, 1e-12, None)
        return out


def export(model_path: Path, target: Path) -> dict[str, Any]:
    """Export the model in `model_path` to int8 ONNX in `target` (written atomically); returns
    what was recorded in `target/meta.json`."""
    if not (model_path / "tokenizer.json").exists():
        raise ModelError(f"{model_path} has no tokenizer.json, which the int8 variant needs")
    try:
        import onnx  # noqa: F401
    except ImportError as err:
        raise ModelError(
            f"the int8 model must be exported once from {model_path}, which needs the onnx "
            "package: run `make setup` (or `.venv/bin/pip install onnx`), or use the full-precision "
            f"variant ({VARIANTS[0]})"
        ) from err
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        meta = _export_into(model_path, work)
        try:
            os.replace(work, target)
        except OSError:  # another process finished the same export first
            if not (target / "meta.json").exists():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return meta


def _export_into(model_path: Path, work: Path) -> dict[str, Any]:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import numpy as np
    from sentence_transformers import SentenceTransformer

    # eager attention exports as plain ops, which the optimizer fuses into its Attention kernel
    model = SentenceTransformer(
        str(model_path),
        device="cpu",
        local_files_only=True,
        model_kwargs={"attn_implementation": "eager"},
    )
    reference = model.encode(PROBES, normalize_embeddings=True, convert_to_numpy=True)
    config = model[0].auto_model.config
    shutil.copyfile(model_path / "tokenizer.json", work / "tokenizer.json")
    meta: dict[str, Any] = {
        "recipe": RECIPE,
        "source": str(model_path),
        "dim": int(reference.shape[1]),
        "max_length": int(model.max_seq_length),
        "pad_id": int(model.tokenizer.pad_token_id or 0),
        "pad_token": model.tokenizer.pad_token or "[PAD]",
    }
    (work / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")

    def cosines(file: str):
        vectors = _Runtime(work, file).encode(PROBES, batch_size=len(PROBES), threads=1)
        return (vectors * reference).sum(axis=1)

    _to_onnx(model[0].auto_model, model.tokenizer, work / "fp32.onnx")
    worst = float(cosines("fp32.onnx").min())
    if worst < MIN_EXPORT_COSINE:
        raise ModelError(
            f"cannot run {model_path} in ONNX: the export differs from the model (cosine "
            f"{worst:.3f} on probe sentences; is its pooling not the mean?); use the "
            f"full-precision variant ({VARIANTS[0]})"
        )
    source = "fp32.onnx"
    if _fuse(work / "fp32.onnx", work / "fused.onnx", config):
        if float(cosines("fused.onnx").min()) >= MIN_EXPORT_COSINE:
            source = "fused.onnx"
    meta["fused"] = source == "fused.onnx"
    meta["fp32_products"] = _quantise(work / source, work / "model.onnx")
    found = cosines("model.onnx")
    if float(found.min()) < MIN_INT8_COSINE:
        raise ModelError(
            f"the int8 export of {model_path} strays too far from the model (cosine "
            f"{found.min():.3f} < {MIN_INT8_COSINE}); use the full-precision variant ({VARIANTS[0]})"
        )
    meta["probe_cosine"] = {
        "min": round(float(found.min()), 4),
        "mean": round(float(np.mean(found)), 4),
    }
    for name in ("fp32.onnx", "fused.onnx"):
        (work / name).unlink(missing_ok=True)
    (work / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return meta


def _to_onnx(encoder, tokenizer, file: Path) -> None:
    import torch

    class MeanPooled(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            hidden = self.inner(input_ids=input_ids, attention_mask=attention_mask)[0]
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    sample = tokenizer(PROBES[:2], padding=True, return_tensors="pt")
    axes = {"batch": 0, "tokens": 1}
    with warnings.catch_warnings(), torch.inference_mode():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            MeanPooled(encoder).eval(),
            (sample["input_ids"], sample["attention_mask"]),
            str(file),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={
                "input_ids": {v: k for k, v in axes.items()},
                "attention_mask": {v: k for k, v in axes.items()},
                "embedding": {0: "batch"},
            },
            opset_version=17,
            dynamo=False,
        )


def _fuse(source: Path, target: Path, config) -> bool:
    """ONNX Runtime's transformer optimizer (attention, layer norm, GELU fusion); False when the
    model is not one it knows."""
    try:
        from onnxruntime.transformers.optimizer import optimize_model

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            optimized = optimize_model(
                str(source),
                model_type="bert",
                num_heads=int(getattr(config, "num_attention_heads", 0) or 0),
                hidden_size=int(getattr(config, "hidden_size", 0) or 0),
                opt_level=1,
            )
            optimized.save_model_to_file(str(target))
    except Exception:  # an architecture the optimizer does not handle: use the plain graph
        return False
    return True


def _quantise(source: Path, target: Path) -> int:
    """Dynamic int8 quantisation of `source` into `target`, except the matrix products that read
    a GELU's output (the feed-forward down-projections): their inputs have the widest range, and
    one scale per tensor loses most there. Returns how many products were kept in fp32."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(source), load_external_data=False).graph
    gelu = {o for n in graph.node if "Gelu" in n.op_type for o in n.output}
    keep = [n.name for n in graph.node if n.op_type == "MatMul" and n.input[0] in gelu]
    before = logging.root.manager.disable
    logging.disable(logging.WARNING)  # "consider pre-processing", said on the root logger
    try:
        quantize_dynamic(
            str(source),
            str(target),
            weight_type=QuantType.QInt8,
            per_channel=True,  # one scale per output column: cosine to fp32 0.997, not 0.990
            reduce_range=True,  # 7-bit weights: no u8*s8 overflow on CPUs without VNNI
            nodes_to_exclude=keep,  # cosine 0.998 instead of 0.997, 1.5x fp32 instead of 1.8x
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    finally:
        logging.disable(before)
    return len(keep)
