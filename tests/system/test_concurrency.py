"""Two processes at once on one index, as real subprocesses (hash embedder from conftest):
a second ingest is refused with a clear message and exit code 75, or waits with --wait, never
interleaves; questions asked in another process while an ingest writes get answers without an
error, from ready reports only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from tests.ingest_corpus import (
    ask_json,
    gongkai,
    index_problems,
    make_corpus,
    start,
    wait_group_gone,
)

QUESTIONS = [
    "大峪镇2025年行政处罚本年处理决定数量是多少",  # sql
    "2025年有哪些镇有行政处罚",  # sql, a list over every report
    "陈区镇存在哪些主要问题？",  # retrieval
    "政府网站信息发布情况",  # retrieval over every report
]
READER = """
import json, sys, time, traceback
from pathlib import Path

index, out, stop, questions = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:]
while not (index / "gongkai.db").exists():
    time.sleep(0.05)
from bot.bot import Bot

bot = Bot(index, use_llm=False)
sql = "SELECT source_name FROM reports WHERE status = 'ready'"
with out.open("w") as log:
    last = False
    while not last:
        last = stop.exists()
        for q in questions:
            rec = {"q": q, "last": last}
            try:
                pending = "SELECT count(*) FROM reports WHERE status != 'ready'"
                rec["pending"] = bot.store.db.execute(pending).fetchone()[0]
                a = bot.ask(q).to_json()
                hits = bot.retriever().search(q, k=10, mode="dense")
                ready = {r[0] for r in bot.store.db.execute(sql)}
                cited = {f["source"] for f in a["facts"]} | {c["source"] for c in a["citations"]}
                rec.update(route=a["route"], answer=a["answer"], cited=len(cited),
                           unready=sorted(cited - ready), dense=len(hits),
                           dense_unready=sorted({h.source_name for h in hits} - ready))
            except Exception:
                rec["error"] = traceback.format_exc()
            log.write(json.dumps(rec, ensure_ascii=False) + "\\n")
            log.flush()
"""


def _lock_note(index) -> str:
    try:
        return (index / "ingest.lock").read_text()
    except OSError:
        return ""


@pytest.mark.slow
def test_a_second_ingest_is_refused_and_one_told_to_wait_runs_after(tmp_path):
    files = make_corpus(tmp_path / "reports", copies=4)
    index = tmp_path / "index"
    first = start(
        "ingest", tmp_path / "reports", "--index", index, "--workers", "1", "--batch", "8",
        log=tmp_path / "first.log",
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while f"pid={first.pid} state=running" not in _lock_note(index):
            assert first.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        second = gongkai("ingest", tmp_path / "reports", "--index", index)
        assert first.poll() is None, "the first ingest ended too soon for this test"
        assert (second.returncode, second.stdout) == (75, "")
        assert second.stderr == (
            f"Error: another ingest is writing to {index} (pid {first.pid}); "
            "wait for it to finish and try again\n"
        )
        third = gongkai("ingest", tmp_path / "reports", "--index", index, "--wait", "600")
    finally:
        first.wait(timeout=600)
        wait_group_gone(first.pid)
    # serialised, not interleaved: the first stored every file, the waiting one none
    assert first.returncode == 0
    assert f"{len(files)} added, 0 replaced, 0 unchanged" in (tmp_path / "first.log").read_text()
    assert third.returncode == 0, third.stderr
    assert f"0 added, 0 replaced, {len(files)} unchanged, 0 failed" in third.stdout
    assert index_problems(index, files) == []


@pytest.mark.slow
def test_questions_asked_during_an_ingest_are_answered_from_ready_reports(tmp_path):
    files = make_corpus(tmp_path / "reports", copies=8)
    index, answers, stop = tmp_path / "index", tmp_path / "answers.jsonl", tmp_path / "stop"
    (tmp_path / "reader.py").write_text(READER, encoding="utf-8")
    ingest = start(
        "ingest", tmp_path / "reports", "--index", index, "--workers", "2", "--batch", "16",
        log=tmp_path / "ingest.log",
    )  # fmt: skip
    with open(tmp_path / "reader.log", "w") as log:
        reader = subprocess.Popen(
            [sys.executable, tmp_path / "reader.py", index, answers, stop, *QUESTIONS],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        assert ingest.wait(timeout=600) == 0, (tmp_path / "ingest.log").read_text()
        stop.touch()
        assert reader.wait(timeout=600) == 0, (tmp_path / "reader.log").read_text()
    finally:
        for proc in (ingest, reader):
            if proc.poll() is None:
                proc.kill()
        wait_group_gone(ingest.pid)
    records = [json.loads(line) for line in answers.read_text(encoding="utf-8").splitlines()]
    errors = [r["error"] for r in records if "error" in r]
    assert errors == [], errors[0] if errors else ""
    assert "locked" not in (tmp_path / "reader.log").read_text()
    during = [r for r in records if r["pending"] > 0]
    assert len(during) >= len(QUESTIONS), "no question was asked while reports were pending"
    assert {r["route"] for r in during} >= {"sql", "retrieval"}
    assert any(r["dense"] for r in during) and any(r["cited"] for r in during)
    assert all(r["unready"] == [] and r["dense_unready"] == [] for r in records)
    for r in (r for r in records if r["last"]):  # the reader, after the ingest: as a new one
        assert r["answer"] == ask_json(index, r["q"])["answer"], r["q"]
    assert index_problems(index, files) == []


@pytest.mark.slow
def test_an_upload_while_an_ingest_runs_says_so(tmp_path, sample_files):
    from bot.web.app import _ingest
    from index.lock import ingest_lock

    index = tmp_path / "index"
    with ingest_lock(index):
        message = _ingest(sample_files[:1], index, None, lambda *args, **kwargs: None)
    assert message == (
        f"抱歉，现在不能导入 / Nothing was ingested: another ingest is writing to {index} "
        f"(pid {os.getpid()}); wait for it to finish and try again."
    )
