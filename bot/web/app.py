"""The chat UI (`gongkai serve`): a Gradio Blocks app over one index.

    app = build_app(".gongkai")
    app.launch(css=CSS)

Tabs: Chat (answers with citation chips, a Sources panel, the facts, the SQL and a chart),
Reports (every indexed report; its tables as the template lays them out) and Upload (ingest
report files; rejected files are listed with the reason). Each browser session has its own
`Conversation` (gr.State), so follow-ups never mix between people.

The page is meant to be open to many people: a question longer than `MAX_QUESTION_CHARS` gets a
short reply instead of an answer, and uploads are screened by `bot.web.uploads` (file types, size,
number of files, safe names, stored only under `<index>/uploads/`).

SQLite connections belong to the thread that opened them, so every question runs on one worker
thread that owns the Bot (the Bot answers one question at a time anyway); an upload ingests on
its own connection, and the new reports are answerable as soon as it returns. Handlers are the
edge: an exception is logged and turned into a friendly message, never a stack trace.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import gradio as gr  # noqa: E402

from bot.answer import Answer  # noqa: E402
from bot.bot import Bot, Conversation  # noqa: E402
from bot.web import render  # noqa: E402
from bot.web.uploads import (  # noqa: E402
    ALLOWED,
    TooManyFiles,
    UploadConfigError,
    UploadLimits,
    screen,
    store_upload,
)
from parsers.vocabulary import org_name  # noqa: E402

log = logging.getLogger(__name__)
T = TypeVar("T")

UPLOAD_TYPES = list(ALLOWED)  # the suffixes the parsers read
MAX_QUESTION_CHARS = 1000  # no real question is near this; a long one would hold the bot up
# Gradio's own cap on an upload's size, a backstop for disk and memory: files between our limit
# and this get our message (naming the file and the limit); larger ones are cut off by Gradio.
GRADIO_SIZE_FACTOR = 4
# How many /ask or /chat requests Gradio runs at once. The Bot answers one question at a time on
# its own thread anyway; more lets Gradio's own work (decoding, encoding, rendering) overlap.
CONCURRENCY = 8
EXAMPLES = [
    "which towns had administrative penalties in 2025",
    "大峪镇2025年行政处罚多少件？",
    "那行政许可呢？",
    "陈区镇存在哪些主要问题？",
    "刘湾镇和大峪镇2025年收到申请多少件？",
    "高平镇2021年和2025年行政处罚分别是多少？",
    "Does Dayu town have a WeChat official account?",
]
SORRY = (
    "抱歉，处理这个问题时出错了，请换个说法再试。"
    " Sorry, something went wrong while answering; please try again or rephrase."
)
REPORT_SORRY = "<p>抱歉，无法显示这份报告。 Sorry, this report cannot be shown.</p>"
UPLOAD_SORRY = "抱歉，导入失败 / The upload failed: {err}"
CSS = """
.gk-chip {display:inline-block; margin:2px 4px 2px 0; padding:1px 8px; border-radius:10px;
  background:#eef2ff; color:#3730a3; font-size:0.85em; white-space:nowrap}
.gk-source {border:1px solid #e5e7eb; border-radius:6px; padding:6px 10px; margin-bottom:8px}
.gk-source-head {font-size:0.9em; color:#374151; margin-bottom:4px}
.gk-passage {line-height:1.6}
.gk-table {border-collapse:collapse; margin:4px 0 10px 0; font-size:0.9em}
.gk-table th, .gk-table td {border:1px solid #d1d5db; padding:2px 6px; min-width:2.5em}
.gk-table td {text-align:right}
.gk-table th {background:#f9fafb; text-align:left; font-weight:normal}
mark {background:#fde68a; padding:0 1px}
.gk-table td.gk-aligned, .gk-legend .gk-aligned {background:#e0f2fe}
.gk-table td.gk-inferred, .gk-legend .gk-inferred {background:#f3f4f6; color:#6b7280;
  font-style:italic}
.gk-table td.gk-unread, .gk-legend .gk-unread {background:#fee2e2; color:#991b1b}
.gk-table td.gk-absent {color:#9ca3af}
.gk-legend span {padding:0 6px; margin-right:4px; border-radius:3px}
.gk-status-incomplete b, .gk-status-fails_checks b, .gk-status-no_tables b {color:#b91c1c}
"""


class _BotThread:
    """One thread owns the Bot (and its SQLite connection); `call` runs a function there."""

    def __init__(self, index_dir: Path, chroma_url: str | None):
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gongkai-bot")
        self.bot: Bot = self._pool.submit(Bot, index_dir, chroma_url=chroma_url).result()

    def call(self, fn: Callable[[Bot], T]) -> T:
        return self._pool.submit(fn, self.bot).result()


def build_app(
    index_dir: str | Path,
    *,
    chroma_url: str | None = None,
    upload_limits: UploadLimits | None = None,
    concurrency: int | None = CONCURRENCY,
) -> gr.Blocks:
    """The Blocks app over the index in `index_dir` (which must exist). `upload_limits`: from
    $GONGKAI_UPLOAD_MAX_MB / $GONGKAI_UPLOAD_MAX_FILES when not given (UploadConfigError if
    invalid). `concurrency`: /chat and /ask requests Gradio runs at once (None: no limit)."""
    index_dir = Path(index_dir)
    limits = upload_limits or UploadLimits.from_env()
    worker = _BotThread(index_dir, chroma_url)
    ingest_lock = threading.Lock()

    def chat_turn(message: str, history: list, conversation: Conversation | None):
        history = list(history or [])
        conversation = conversation if conversation is not None else Conversation()
        message = (message or "").strip()
        if not message:
            return (history, "", conversation, *_no_answer())
        if len(message) > MAX_QUESTION_CHARS:
            reply = render.too_long(MAX_QUESTION_CHARS, len(message))
            history.append({"role": "user", "content": message[:200] + "…"})
            history.append({"role": "assistant", "content": reply})
            return (history, "", conversation, *_no_answer())
        history.append({"role": "user", "content": message})
        answered = _safely(
            f"question {message!r}",
            lambda: worker.call(lambda bot: _answer(bot, message, conversation)),
            lambda err: None,
        )
        if answered is None:
            history.append({"role": "assistant", "content": SORRY})
            return (history, "", conversation, *_no_answer())
        answer, sources = answered
        text = answer["answer"] or "（没有找到答案 / no answer found）"
        if answer["citations"]:
            text += "\n\n" + render.chips(answer)
        history.append({"role": "assistant", "content": text})
        return (history, "", conversation, *_panels(answer, sources))

    def ask(question: str, conversation: Conversation | None):
        """The answer dict as JSON, for programs (gradio_client: api_name="/ask")."""
        conversation = conversation if conversation is not None else Conversation()
        question = (question or "").strip()
        if len(question) > MAX_QUESTION_CHARS:
            reply = render.too_long(MAX_QUESTION_CHARS, len(question))
            return Answer.refused(question, reply).to_json(), conversation
        answer = _safely(
            f"question {question!r}",
            lambda: worker.call(lambda bot: bot.ask(question, conversation).to_json()),
            lambda err: Answer.failed(question, SORRY).to_json(),
        )
        return answer, conversation

    def reports_view():
        listed = _safely(
            "listing reports",
            lambda: worker.call(
                lambda bot: (render.reports_table(bot.store), render.report_choices(bot.store))
            ),
            lambda err: None,
        )
        if listed is None:
            return render.pd.DataFrame(), gr.update()
        table, choices = listed
        return table, gr.update(choices=choices)

    def show_report(report_id: int | None) -> str:
        if report_id is None:
            return ""
        return _safely(
            f"showing report {report_id}",
            lambda: worker.call(lambda bot: render.report_html(bot.store, int(report_id))),
            lambda err: REPORT_SORRY,
        )

    def upload(files: list | None, progress=gr.Progress()):  # noqa: B008 (how gradio injects it)
        paths = [Path(f if isinstance(f, str) else f.name) for f in files or []]
        if not paths:
            return ("Choose one or more report files first.", *reports_view())

        def work() -> str:
            with ingest_lock:
                return _ingest(paths, index_dir, chroma_url, progress, limits)

        message = _safely("upload", work, lambda err: UPLOAD_SORRY.format(err=err))
        return (message, *reports_view())

    with gr.Blocks(title="gongkai · 政府信息公开年报问答") as app:
        gr.Markdown(
            "## gongkai · 政府信息公开工作年度报告问答\n"
            "Ask in Chinese or English. Numbers come from the reports' tables; every answer "
            "cites the report, section and line it rests on."
        )
        conversation = gr.State(None)
        with gr.Tab("Chat 问答"):
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(label="Chat", height=460, elem_id="gk-chat")
                    with gr.Row():
                        box = gr.Textbox(
                            placeholder="例如：大峪镇2025年行政处罚多少件？",
                            show_label=False,
                            scale=5,
                            max_length=MAX_QUESTION_CHARS,
                            elem_id="gk-question",
                        )
                        send = gr.Button("Ask 提问", variant="primary", scale=1, elem_id="gk-ask")
                    gr.Examples(EXAMPLES, inputs=box, label="Examples 示例")
                    clear = gr.Button("New conversation 新对话", size="sm")
                with gr.Column(scale=2):
                    with gr.Accordion("Sources 来源", open=False, elem_id="gk-sources-panel"):
                        sources = gr.HTML(elem_id="gk-sources")
                    facts = gr.Dataframe(
                        headers=render.FACT_COLUMNS,
                        label="Facts 数据",
                        visible=False,
                        interactive=False,
                        elem_id="gk-facts",
                    )
                    bar = gr.BarPlot(x="x", y="value", color="series", visible=False, label="")
                    line = gr.LinePlot(x="x", y="value", color="series", visible=False, label="")
                    with gr.Accordion("SQL", open=False, visible=False) as sql_box:
                        sql = gr.Code(language="sql", elem_id="gk-sql")
            outputs = [chatbot, box, conversation, sources, facts, bar, line, sql_box, sql]
            chat_io = ([box, chatbot, conversation], outputs)
            send.click(chat_turn, *chat_io, api_name="chat", concurrency_limit=concurrency)
            box.submit(chat_turn, *chat_io, api_visibility="private", concurrency_limit=concurrency)
            clear.click(
                lambda: ([], "", None, *_no_answer()), None, outputs, api_visibility="private"
            )
            api_box, api_out = gr.Textbox(visible=False), gr.JSON(visible=False)
            api_button = gr.Button(visible=False)
            api_button.click(
                ask,
                [api_box, conversation],
                [api_out, conversation],
                api_name="ask",
                concurrency_limit=concurrency,
            )
        with gr.Tab("Reports 报告", elem_id="gk-reports-tab"):
            reports = gr.Dataframe(label="Indexed reports", interactive=False, elem_id="gk-reports")
            pick = gr.Dropdown(label="Show a report's tables 查看报告表格", choices=[])
            report = gr.HTML(elem_id="gk-report")
            pick.change(show_report, pick, report, api_visibility="private")
            reports.select(_picked, None, pick, api_visibility="private")
        with gr.Tab("Upload 上传", elem_id="gk-upload-tab"):
            files = gr.File(
                file_count="multiple",
                file_types=UPLOAD_TYPES,
                label=f"Report files 报告文件 ({', '.join(UPLOAD_TYPES)}; at most "
                f"{limits.max_files} files of {limits.size} each)",
                elem_id="gk-upload-files",
            )
            go = gr.Button("Ingest 导入", variant="primary", elem_id="gk-ingest")
            result = gr.Markdown(elem_id="gk-upload-result")
            go.click(upload, files, [result, reports, pick], api_name="upload")
        app.load(reports_view, None, [reports, pick], api_visibility="private")
    return app


def _safely(what: str, work: Callable[[], T], fallback: Callable[[Exception], T]) -> T:
    """Run a handler's `work`; on any error, log it (with `what` was being done) and return
    `fallback(error)`: the one place the page turns an error into what the user sees."""
    try:
        return work()
    except Exception as err:
        log.exception("%s failed", what)
        return fallback(err)


def _picked(evt: gr.SelectData):
    """A click on a row of the reports table shows that report (its id is the first column)."""
    row = evt.row_value or []
    return gr.update(value=int(row[0])) if row and str(row[0]).isdigit() else gr.update()


def _answer(bot: Bot, question: str, conversation: Conversation) -> tuple[dict[str, Any], str]:
    answer = bot.ask(question, conversation).to_json()
    return answer, render.sources_html(answer, bot.store)


def _no_answer() -> tuple:
    return (
        "",
        gr.update(visible=False, value=None),
        gr.update(visible=False),
        gr.update(visible=False),
        gr.update(visible=False),
        "",
    )


def _panels(answer: dict[str, Any], sources: str) -> tuple:
    kind, data = render.chart(answer)
    queries = "\n\n".join(
        f"{q['text']};\n-- params: {q['params']}" for q in answer.get("sql") or []
    )
    return (
        sources,
        gr.update(value=render.facts_table(answer), visible=bool(answer.get("facts"))),
        gr.update(value=data, visible=True) if kind == "bar" else gr.update(visible=False),
        gr.update(value=data, visible=True) if kind == "line" else gr.update(visible=False),
        gr.update(visible=bool(queries)),
        queries,
    )


def _ingest(
    paths: list[Path],
    index_dir: Path,
    chroma_url: str | None,
    progress,
    limits: UploadLimits | None = None,
) -> str:
    """Copy the files into `<index>/uploads/` (so citations keep their names), ingest them, and
    say what happened: one line per added report and per rejected file (name and reason)."""
    from bot.report_status import status_text
    from index.errors import IngestBusy
    from index.ingest import Failure, IngestSummary, ingest_into
    from index.keyword import add_words

    try:
        kept, refused = screen([(p, p.name) for p in paths], limits or UploadLimits())
    except TooManyFiles as err:
        return str(err)
    kept = [store_upload(path, name, index_dir / "uploads") for path, name in kept]
    rejected = [Failure(r.name, r.reason) for r in refused]
    summary = IngestSummary()
    if kept:
        progress((0, len(kept)), desc="Ingesting", unit="files")
        try:
            summary = ingest_into(
                index_dir,
                kept,
                lambda done, total, file: progress((done, total), desc=file.name, unit="files"),
                chroma_url=chroma_url,
            )
        except IngestBusy as busy:  # `gongkai ingest` is writing to this index right now
            return f"抱歉，现在不能导入 / Nothing was ingested: {busy}."
        add_words(sorted({r["org_short"] for r in summary.reports} - {""}))
        for f in summary.failures:  # keep only ingested reports in <index>/uploads
            Path(f.file).unlink(missing_ok=True)
    rejected += summary.failures
    s = summary
    lines = [
        f"**{s.added} added, {s.replaced} replaced, {s.unchanged} unchanged, "
        f"{len(rejected)} rejected.**"
    ]
    for r in summary.reports:
        what = f"{org_name(r)} {r['year'] or '?'}"
        status = status_text(r["read_status"], r["cells_read"], r["cells_expected"])
        lines.append(f"- added `{r['source_name']}`: {what}, {status}")
    for t in s.copies:
        what = f"{t.org} {t.year or ''}".strip()
        lines.append(
            f"- `{Path(t.file).name}`: 与 `{t.other_file}` 是同一份{what}报告（副本，不重复计算）"
        )
    for t in s.same_org_year:
        what = f"{t.org} {t.year or ''}".strip()
        lines.append(
            f"- `{Path(t.file).name}`: 已有 {what} 的报告（`{t.other_file}`），两者表格数字不同"
        )
    for f in rejected:
        lines.append(f"- rejected `{Path(f.file).name}`: {f.reason}")
    return "\n".join(lines)


def serve(
    index_dir: str | Path, *, host: str = "127.0.0.1", port: int = 7860, chroma_url=None
) -> None:
    """Build the app and serve it until interrupted."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        limits = UploadLimits.from_env()
    except UploadConfigError as err:
        raise SystemExit(f"Error: {err}") from err
    build_app(index_dir, chroma_url=chroma_url, upload_limits=limits).launch(
        server_name=host,
        server_port=port,
        css=CSS,
        footer_links=["api"],
        max_file_size=GRADIO_SIZE_FACTOR * limits.max_bytes,
    )
