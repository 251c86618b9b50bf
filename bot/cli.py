"""The `gongkai` command line: ingest reports, inspect a parse, list the index, run the demo.

Library code raises typed errors (`index.errors`, `parsers.ParseError`); `_Group.invoke` is the one
place that turns them into `Error: …` and exit code 1.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot import config
from bot.terminal import (
    counts_text,
    echo_answer,
    echo_report,
    echo_reports,
    echo_summary,
    plural,
    shown,
)
from index.errors import NothingIngested, StoreError
from parsers.errors import ParseError
from parsers.report import PROVENANCES

PROVENANCE_KEYS = tuple(PROVENANCES)

if TYPE_CHECKING:  # keep `gongkai --help` free of the parser and storage imports
    from index.ingest import IngestSummary


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (StoreError, ParseError) as err:
            raise click.ClickException(str(err)) from err


index_option = click.option(
    "--index",
    "index",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help=f"Index folder. Default: ${config.ENV_INDEX} if set, else ./{config.DEFAULT_INDEX}",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
chroma_option = click.option(
    "--chroma-url",
    "chroma_url",
    default=None,
    envvar=config.ENV_CHROMA_URL,
    metavar="URL",
    help=f"A Chroma server (http://host:port) instead of the index folder's own (${config.ENV_CHROMA_URL}).",
)


@click.group(cls=_Group)
@click.version_option(package_name="gongkai")
def main() -> None:
    """Ask questions about Chinese government information-disclosure annual reports
    (政府信息公开工作年度报告).

    Start with `gongkai demo`, or `gongkai ingest <folder>` for your own reports.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Processes that parse files (default: one per CPU; 1 parses in this process).",
)
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0.0,
    metavar="SECONDS",
    help="If another ingest is writing to the index, wait up to SECONDS for it (default: 0).",
)
@click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=None,
    metavar="PASSAGES",
    help="Passages embedded and stored together; their reports become answerable together "
    "(default: 512).",
)
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    metavar="FILE",
    help="A CSV or JSON Lines file with columns file, org, year, url: what it says about a "
    "file overrides what is read from it.",
)
@chroma_option
@index_option
def ingest(
    paths: tuple[Path, ...],
    workers: int | None,
    wait: float,
    batch: int,
    manifest: Path | None,
    chroma_url: str | None,
    index: Path | None,
) -> None:
    """Parse report files and add them to the index.

    PATHS are files or folders (searched recursively for .txt, .md, .html, .pdf and .docx;
    hidden files are skipped). Unchanged files are skipped; a changed file replaces its old
    version. A file that cannot be parsed is reported and the others are still ingested.
    Exits with 1 only when nothing could be ingested.

    One ingest writes to an index at a time: while another is running, this one stops with
    "another ingest is writing to DIR (pid N); wait for it to finish and try again" and exit
    code 75 (or waits, with --wait). Questions can be asked meanwhile; they see only reports
    that are completely stored. An interrupted ingest (even kill -9) is finished by the next.
    """
    from index.manifest import read_manifest

    directory = config.index_dir(index)
    entries = read_manifest(manifest) if manifest else None
    _ingest(
        list(paths), directory, chroma_url, workers=workers, wait=wait, batch=batch,
        manifest=entries,
    )  # fmt: skip


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
def parse(file: Path, as_json: bool) -> None:
    """Parse one report FILE and show what was read, without touching the index.

    Shows the reading status (complete, incomplete, fails_checks, no_tables), how many of the
    template's cells were read, the cells that could not be read (by table and row, with why)
    and any failed consistency rule with its cells. With --json, print the full parse
    (metadata, status, completeness, sections, table cells with provenance and note, numbers
    quoted in the text, consistency checks, warnings); a blank cell has value null, never 0.
    """
    from parsers import parse_file

    report = parse_file(file)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        echo_report(file, report)


@main.command()
@index_option
@json_option
def reports(index: Path | None, as_json: bool) -> None:
    """List the indexed reports: organisation, year, template, reading status (complete,
    incomplete, fails_checks, no_tables), cells read of those the template prints, blank cells,
    source file. With --json, every stored column plus the cells by provenance (`cells_by`)."""
    from index.store import Store

    directory = config.index_dir(index)
    with Store(directory, create=False) as store:
        rows, counts = store.reports(), store.cell_counts()
    if as_json:
        empty = dict.fromkeys((*PROVENANCE_KEYS, "blank"), 0)
        rows = [r | {"cells_by": counts.get(r["id"], empty)} for r in rows]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        echo_reports(rows, directory, counts)


@main.command()
@click.argument("query")
@click.option(
    "--org", "orgs", multiple=True, metavar="ORG", help="Only this organisation (repeatable)."
)
@click.option(
    "--year", "years", multiple=True, type=int, metavar="Y", help="Only this year (repeatable)."
)
@click.option(
    "-k", "k", default=5, show_default=True, type=click.IntRange(1, 100), help="Passages to show."
)
@click.option(
    "--mode",
    type=click.Choice(["fused", "dense", "keyword"]),
    default="fused",
    show_default=True,
    help="Ranking to use.",
)
@chroma_option
@index_option
@json_option
def search(query, orgs, years, k, mode, chroma_url, index, as_json) -> None:  # noqa: PLR0913
    """Find the report passages that best match QUERY (Chinese or English).

    Organisations and years named in QUERY filter the search unless --org/--year are given.
    Each passage is shown with its score, organisation, year, section, source file and lines.
    """
    from bot.passages.retrieve import org_refs, search_question
    from index.search import Retriever
    from index.store import Store
    from index.vectors import open_vectors

    directory = config.index_dir(index)
    with Store(directory, create=False) as store:
        vectors = open_vectors(directory, url=chroma_url) if mode != "keyword" else None
        retriever = Retriever(store, vectors)
        hits = search_question(
            retriever, query, org_refs(store), orgs=orgs, years=years, k=k, mode=mode
        )
    if as_json:
        click.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2))
        return
    if not hits:
        click.echo("No passage found.")
    for n, h in enumerate(hits, 1):
        click.echo(
            f"[{n}] {h.score:.4f}  {h.org_short or h.org} {h.year or ''}  {h.path or h.section_key}"
            f"  ({h.source_name}, lines {h.start_line}–{h.end_line})"
        )
        click.echo(f"    {h.text}")


@main.command()
@click.argument("question")
@chroma_option
@index_option
@json_option
def ask(question: str, chroma_url: str | None, index: Path | None, as_json: bool) -> None:
    """Answer one QUESTION (Chinese or English) from the index, with its sources.

    Numbers come from the reports' tables (SQL) with the cell they come from; prose answers
    quote the report passages they rest on. With --json, print only the answer as JSON.
    """
    from bot.bot import Bot

    directory = _ensure_index(index, chroma_url, quiet=as_json)
    bot = Bot(directory, chroma_url=chroma_url)
    try:
        echo_answer(bot.ask(question).to_json(), as_json)
    finally:
        bot.close()


@main.command()
@chroma_option
@index_option
@json_option
def chat(chroma_url: str | None, index: Path | None, as_json: bool) -> None:
    """Talk with the bot: one question per line; follow-ups ("那2021年呢？", "and 刘湾镇?")
    reuse what the conversation already said. End with Ctrl-D.

    With --json, read one question per input line and print one JSON answer per line.
    """
    from bot.bot import Bot, Conversation

    directory = _ensure_index(index, chroma_url, quiet=as_json)
    bot = Bot(directory, chroma_url=chroma_url)
    conversation = Conversation()
    interactive = sys.stdin.isatty() and not as_json
    try:
        while True:
            if interactive:
                click.echo("> ", nl=False)
            line = sys.stdin.readline()
            if not line:
                break
            if not line.strip():
                continue
            answer = bot.ask(line.strip(), conversation).to_json()
            if as_json:
                click.echo(json.dumps(answer, ensure_ascii=False))
                sys.stdout.flush()
            else:
                echo_answer(answer, False)
                click.echo()
    finally:
        bot.close()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7860, show_default=True, type=int, help="Port to listen on.")
@chroma_option
@index_option
def serve(host: str, port: int, chroma_url: str | None, index: Path | None) -> None:
    """Start the chat UI in the browser (http://HOST:PORT): chat with cited sources, the indexed
    reports and their tables, and upload of new report files. Stop with Ctrl-C."""
    from bot.web.app import serve as serve_web  # gradio loads only here

    directory = _ensure_index(index, chroma_url, quiet=False)
    serve_web(directory, host=host, port=port, chroma_url=chroma_url)


@main.command(name="eval")
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--index",
    "index",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="Score against this index instead of building one from the file's corpus.",
)
@json_option
def eval_(file: Path | None, index: Path | None, as_json: bool) -> None:
    """Score the bot on an eval set (default: eval/cases.jsonl): route accuracy, exact match on
    numbers and sets, citation accuracy, latency. Exits 1 below the file's thresholds."""
    from eval import score

    results, summary, failed = score.evaluate(file or score.CASES, index)
    score.print_report(results, summary, failed, as_json)
    if failed:
        raise SystemExit(1)


@main.command()
@chroma_option
@index_option
def demo(chroma_url: str | None, index: Path | None) -> None:
    """Index the built-in sample reports (data/samples/) and list the index."""
    from index.store import Store

    if not config.SAMPLES_DIR.is_dir():
        raise click.ClickException(
            f"The built-in samples are missing ({config.SAMPLES_DIR}) — run gongkai from a "
            "checkout of the repository"
        )
    directory = config.index_dir(index)
    _ingest([shown(config.SAMPLES_DIR)], directory, chroma_url)
    with Store(directory, create=False) as store:
        rows, counts = store.reports(), store.cell_counts()
    click.echo()
    echo_reports(rows, directory, counts)


@main.command()
@click.argument("n", type=click.IntRange(min=1))
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Folder to write into (created; its reports/ must be empty).",
)
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed.")
@click.option(
    "--formats",
    default="txt",
    show_default=True,
    metavar="LIST",
    help="File formats to draw from, comma-separated: txt,md,html,docx,pdf.",
)
@click.option(
    "--broken",
    default=0.1,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Fraction of reports that break exactly one consistency rule.",
)
@click.option(
    "--questions",
    type=click.IntRange(min=0),
    default=None,
    metavar="K",
    help="Number of gold questions. Default: N/3, between 20 and 3000.",
)
@click.option(
    "--names",
    default=0.0,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Fraction of reports given a hard name case: a misprinted title, no organisation named "
    "(DIR/manifest.csv names it), or a re-encoded copy beside it.",
)
def synth(  # noqa: PLR0913
    n: int, out: Path, seed: int, formats: str, broken: float, questions: int | None, names: float
) -> None:
    """Write N synthetic reports with gold answers, to test and benchmark at scale.

    DIR/reports/ gets the report files (both templates, years 2019–2025, many renderings),
    DIR/gold_cells.jsonl every cell's value (null for a blank) and the rule each broken report
    breaks, DIR/gold_questions.jsonl questions to score with `gongkai eval
    DIR/gold_questions.jsonl`. The same N, seed and formats give the same files.
    """
    from eval.synth import SynthError, write_corpus

    kinds = tuple(f.strip().lower() for f in formats.split(",") if f.strip())
    try:
        s = write_corpus(
            n, out, seed=seed, formats=kinds, broken=broken, questions=questions, names=names
        )
    except SynthError as err:
        raise click.ClickException(str(err)) from err
    folder = shown(out)
    click.echo(
        f"Wrote {plural(s['reports'], 'report')} of {plural(s['orgs'], 'organisation')} to "
        f"{folder / 'reports'} in {s['seconds']} s: {s['broken']} breaking one consistency rule, "
        f"{s['with_blanks']} with blank cells."
    )
    click.echo(f"  formats:    {counts_text(s['formats'])}")
    click.echo(f"  renderings: {counts_text(s['styles'])}")
    click.echo(f"Gold cells in {folder / 'gold_cells.jsonl'}")
    click.echo(
        f"{plural(s['questions'], 'question')} in {folder / 'gold_questions.jsonl'} "
        f"(score: gongkai eval {folder / 'gold_questions.jsonl'})"
    )


class _Busy(click.ClickException):
    exit_code = 75  # EX_TEMPFAIL: another ingest holds the index; try again later


def _ingest(
    paths: Sequence[Path],
    directory: Path,
    chroma_url: str | None,
    *,
    err: bool = False,
    workers: int | None = None,
    wait: float = 0.0,
    batch: int | None = None,
    manifest: dict | None = None,
) -> IngestSummary:
    """Ingest and print a summary (on stderr with `err=True`, keeping stdout for JSON)."""
    from tqdm import tqdm

    from index.errors import IngestBusy, NothingToIngest
    from index.ingest import VECTOR_BATCH, find_files, ingest_into
    from parsers.readers import SUFFIXES

    echo = functools.partial(click.echo, err=err)
    files, missing = find_files(paths)
    if not files and not missing:  # say so before creating an empty index
        raise NothingToIngest([str(p) for p in paths], sorted(SUFFIXES))
    bar = tqdm(
        total=len(files), unit="file", file=sys.stderr, leave=False, disable=not sys.stderr.isatty()
    )

    def progress(done: int, total: int, file: Path) -> None:
        bar.set_postfix_str(file.name, refresh=False)
        bar.update(1)

    try:
        summary = ingest_into(
            directory, paths, progress, chroma_url=chroma_url, workers=workers, wait=wait,
            batch_size=batch or VECTOR_BATCH, manifest=manifest,
        )  # fmt: skip
    except IngestBusy as busy:
        raise _Busy(str(busy)) from busy
    finally:
        bar.close()
    echo_summary(summary, directory, echo)
    if summary.total == summary.failed:
        raise NothingIngested(summary.failed)
    return summary


def _ensure_index(index: Path | None, chroma_url: str | None, *, quiet: bool) -> Path:
    """The index folder; with none there yet, build it from the built-in samples first."""
    from index.store import DB_NAME

    directory = config.index_dir(index)
    if not (directory / DB_NAME).is_file():
        click.echo(
            f"No index at {directory}: building it from the built-in sample reports first.",
            err=True,
        )
        _ingest([shown(config.SAMPLES_DIR)], directory, chroma_url, err=True)
    return directory
