"""The chat UI: `gongkai serve` in a real browser, and ten sessions at once through gradio_client.

The browser test starts `gongkai serve` in a subprocess on a temp index built from the samples
with the real model, drives headless Chromium with Playwright, and saves screenshots to
tests/artifacts/web/ (its path is printed)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from bot.config import SAMPLES_DIR
from tests.paths import DATA

ARTIFACTS = DATA.parent / "artifacts" / "web"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_up(url: str, proc: subprocess.Popen | None = None, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"nothing answered at {url} within {timeout} s")


# --- ten sessions at once -----------------------------------------------------------------


@pytest.fixture
def app_url(tmp_path: Path):
    """The app in this process on a temp index of the samples (hash embedder: plumbing only)."""
    from bot.web.app import CSS, build_app
    from index.ingest import ingest_paths
    from index.store import Store
    from index.vectors import open_vectors

    index = tmp_path / "index"
    with Store(index) as store:
        ingest_paths([SAMPLES_DIR], store, vectors=open_vectors(index))
    port = _free_port()
    app = build_app(index)
    app.launch(server_name="127.0.0.1", server_port=port, css=CSS, prevent_thread_lock=True)
    url = f"http://127.0.0.1:{port}/"
    _wait_up(url)
    yield url
    app.close()


SESSIONS = [  # (org, year, first question's row) — each session then asks "那行政许可呢？"
    ("大峪镇", 2025, "行政处罚"),
    ("刘湾镇", 2025, "行政处罚"),
    ("高平镇", 2025, "行政处罚"),
    ("高平镇", 2021, "行政处罚"),
    ("陈区镇", 2024, "行政处罚"),
    ("大峪镇", 2025, "行政强制"),
    ("刘湾镇", 2025, "行政强制"),
    ("高平镇", 2025, "行政强制"),
    ("高平镇", 2021, "行政强制"),
    ("陈区镇", 2024, "行政强制"),
]


def test_ten_sessions_keep_their_own_conversations(app_url: str) -> None:
    from gradio_client import Client

    results: dict[int, tuple[dict, dict]] = {}
    errors: list[BaseException] = []

    def session(i: int) -> None:
        org, year, row = SESSIONS[i]
        try:
            client = Client(app_url, verbose=False)
            first = client.predict(f"{org}{year}年{row}多少件？", api_name="/ask")
            follow = client.predict("那行政许可呢？", api_name="/ask")
            results[i] = (first, follow)
        except BaseException as err:  # reported below, with the session
            errors.append(err)

    threads = [threading.Thread(target=session, args=(i,)) for i in range(len(SESSIONS))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=90)
    assert not errors, errors
    assert sorted(results) == list(range(len(SESSIONS)))
    for i, (first, follow) in results.items():
        org, year, row = SESSIONS[i]
        assert first["route"] == "sql", (i, first["answer"])
        assert [(f["org"], f["year"], f["row_label"]) for f in first["facts"]] == [
            (org, year, row)
        ], (i, first["answer"])
        # the follow-up keeps this session's organisation and year, and changes only the metric
        assert [(f["org"], f["year"], f["row_label"]) for f in follow["facts"]] == [
            (org, year, "行政许可")
        ], (i, follow["answer"])
        assert follow["answer"].startswith(f"{org}{year}年行政许可"), (i, follow["answer"])


def test_a_failing_question_gets_a_friendly_reply(
    app_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gradio_client import Client

    from bot.bot import Bot
    from bot.web.app import SORRY

    def broken(self, question, conversation=None):
        raise RuntimeError("the index went away")

    monkeypatch.setattr(Bot, "ask", broken)
    history = Client(app_url, verbose=False).predict(
        "大峪镇2025年行政处罚多少件？", api_name="/chat"
    )[0]
    assert history[-1]["role"] == "assistant"
    assert history[-1]["content"][0]["text"] == SORRY


def test_upload_rejects_bad_files_with_a_reason(app_url: str, tmp_path: Path) -> None:
    from gradio_client import Client, handle_file

    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "minutes.md").write_text("# 会议纪要\n\n今天开会。\n")
    message, reports, _ = Client(app_url, verbose=False).predict(
        [handle_file(tmp_path / "empty.txt"), handle_file(tmp_path / "minutes.md")],
        api_name="/upload",
    )
    assert message.splitlines() == [
        "**0 added, 0 replaced, 0 unchanged, 2 rejected.**",
        "- rejected `empty.txt`: the file is empty",
        "- rejected `minutes.md`: no report sections or tables found; "
        "is this a 政府信息公开工作年度报告?",
    ]
    assert len(reports["data"]) == 5


def test_importing_the_cli_does_not_import_gradio() -> None:
    code = "import sys, bot.cli; sys.exit('gradio' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


# --- the browser ----------------------------------------------------------------------------


@pytest.fixture
def served(tmp_path: Path):
    """`gongkai serve` on a fresh index (built from the samples with the real model)."""
    port = _free_port()
    env = {**os.environ, "GONGKAI_EMBED_MODEL": "m3e-small", "GRADIO_ANALYTICS_ENABLED": "False"}
    log = (tmp_path / "serve.log").open("w")
    cmd = [
        str(Path(sys.executable).parent / "gongkai"),
        "serve",
        "--index",
        str(tmp_path / "index"),
    ]
    proc = subprocess.Popen(
        [*cmd, "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_up(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
        print((tmp_path / "serve.log").read_text()[-2000:])


@pytest.mark.slow
@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"
)
def test_browser_chat_sources_upload_followup(served: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    print(f"screenshots: {ARTIFACTS}")
    upload = tmp_path / "upload"
    upload.mkdir()
    shutil.copyfile(DATA / "web" / "001.txt", upload / "湖东镇2025年报.txt")
    (upload / "notes.txt").write_text("")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(served, wait_until="domcontentloaded")
        bot = page.locator('#gk-chat [data-testid="bot"]')

        def ask(question: str) -> str:
            before = bot.count()
            page.locator("#gk-question textarea").fill(question)
            page.locator("#gk-ask").click()
            expect(bot).to_have_count(before + 1)
            return bot.last.inner_text()

        # an English question answered from the tables, with a citation chip and a source
        text = ask("which towns had administrative penalties in 2025")
        assert "大峪镇" in text and "30" in text, text
        chip = bot.last.locator(".gk-chip").first
        assert chip.get_attribute("title") == "001_da26bd1ac1c5269a.txt"
        assert "line 40" in chip.inner_text()
        page.get_by_text("Sources 来源").click()
        sources = page.locator("#gk-sources")
        expect(sources).to_contain_text("001_da26bd1ac1c5269a.txt")
        expect(sources.locator("mark").first).to_have_text("30")
        page.screenshot(path=ARTIFACTS / "1-chat-sources.png", full_page=True)

        # a prose question: the cited sentence is highlighted in its passage
        text = ask("陈区镇存在哪些主要问题？")
        assert "陈区镇" in text
        expect(sources).to_contain_text("004_62538884590742ab.txt")
        assert sources.locator("mark").count() >= 1
        page.screenshot(path=ARTIFACTS / "2-chat-retrieval.png", full_page=True)

        # upload a new report and an empty file: one is added, the other rejected with a reason
        page.get_by_role("tab", name="Upload 上传").click()
        page.locator("input[type=file]").set_input_files(
            [upload / "湖东镇2025年报.txt", upload / "notes.txt"]
        )
        page.locator("#gk-ingest").click()
        result = page.locator("#gk-upload-result")
        expect(result).to_contain_text("1 added", timeout=90_000)
        expect(result).to_contain_text("湖东镇 2025")
        expect(result).to_contain_text("incomplete — ")  # its tables 三 and 四 are cut off
        expect(result).to_contain_text("notes.txt: the file is empty")
        page.screenshot(path=ARTIFACTS / "3-upload.png", full_page=True)

        # the new report is in the reports table and its tables show as in the template
        page.get_by_role("tab", name="Reports 报告").click()
        expect(page.locator("#gk-reports")).to_contain_text("湖东镇")
        page.locator("#gk-reports").get_by_text("湖东镇").first.click()
        report = page.locator("#gk-report")
        expect(report).to_contain_text("行政处罚")
        expect(report.locator("tr", has_text="行政许可").first).to_contain_text("349")
        expect(report).to_contain_text("不完整 · 已读出")  # status with its completeness
        expect(report.locator(".gk-unread-list")).to_contain_text("表三")
        unread = report.locator("td.gk-unread").first
        expect(unread).to_have_text("未读出")
        assert unread.get_attribute("title").startswith("未读出 · ")  # the note as tooltip
        expect(page.locator("#gk-reports")).not_to_contain_text("pass")
        page.screenshot(path=ARTIFACTS / "4-report-tables.png", full_page=True)

        # and answerable at once, with a follow-up in the same conversation
        page.get_by_role("tab", name="Chat 问答").click()
        text = ask("湖东镇2025年行政处罚多少件")
        assert "湖东镇" in text and "12" in text, text
        text = ask("那行政许可呢？")
        assert "湖东镇" in text and "349" in text, text
        page.screenshot(path=ARTIFACTS / "5-followup.png", full_page=True)
        browser.close()
