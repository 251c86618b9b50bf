"""Retrieval with the real m3e-small model, on disk and through a Chroma server (`chroma run`).

The eval questions (eval/retrieval_questions.jsonl) name the report and section holding each
answer; fused hit@3 must reach 0.90. These tests embed the samples' passages once per index
(about 50 passages, ~10 s with the model load).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from eval import retrieval_eval

pytestmark = pytest.mark.slow
MODEL = "m3e-small"


@pytest.fixture(scope="module")
def real_index(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("real-index")
    retrieval_eval.build_index(target, model=MODEL)
    return target


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    chroma = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = tmp_path_factory.mktemp("chroma-server")
    log = (data / "server.log").open("w")
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                assert proc.poll() is None, (data / "server.log").read_text()
                time.sleep(0.25)
        else:
            pytest.fail("chroma run did not answer within 30 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def _check(results, totals):
    assert len(results) >= 40
    assert {r["lang"] for r in results} == {"zh", "en"}
    assert totals["fused"]["hit@3"] >= 0.90, totals
    # fusion must not be worse than either ranking on its own
    assert totals["fused"]["mrr"] >= max(totals["dense"]["mrr"], totals["keyword"]["mrr"]) - 0.02


def test_retrieval_eval_on_disk(real_index):
    results, totals = retrieval_eval.evaluate(
        real_index, retrieval_eval.load_questions(), model=MODEL
    )
    print(totals)
    _check(results, totals)


def test_retrieval_eval_through_a_chroma_server(chroma_server, tmp_path):
    index_dir = tmp_path / "index"
    retrieval_eval.build_index(index_dir, chroma_url=chroma_server, model=MODEL)
    assert not (index_dir / "chroma").exists()  # the vectors live on the server
    results, totals = retrieval_eval.evaluate(
        index_dir, retrieval_eval.load_questions(), chroma_url=chroma_server, model=MODEL
    )
    _check(results, totals)
