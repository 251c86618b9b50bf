"""The synthetic corpus generator (eval/synth.py): every rendering parses back to its gold cells,
broken reports fail exactly their rule, the CLI is deterministic, and the gold questions agree
with the gold cells and are answered by the bot."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eval import score
from eval.synth import build_specs, write_corpus
from eval.synth_numbers import BLANK_PATTERNS, blank_keys, result_rows
from eval.synth_render import REAL_STYLES, STYLES, render_file
from parsers import parse_file
from parsers import template as T

# The renderings of real reports (REAL_STYLES) lose or scramble cells: tests/eval/test_synth_real.py.
TEXT_STYLES = [
    (fmt, style)
    for fmt, styles in STYLES.items()
    for style in styles
    if fmt in ("txt", "md") and style not in REAL_STYLES
]
OLDER = tuple(s for styles in STYLES.values() for s in styles if s not in REAL_STYLES)
SEEDS = st.integers(min_value=0, max_value=2**31)


def write(tmp: Path, spec, fmt: str | None = None, style: str | None = None) -> Path:
    fmt, style = fmt or spec.fmt, style or spec.style
    stem = spec.file.rsplit(".", 1)[0]
    spec = dataclasses.replace(spec, fmt=fmt, style=style, file=f"{stem}.{style}.{fmt}")
    path = tmp / spec.file
    path.write_bytes(render_file(spec, random.Random(spec.index)))
    return path


def assert_parses_to_gold(path: Path, gold: dict) -> None:
    report = parse_file(path)
    where = f"{path.name} ({gold['style']})"
    meta = (report.org, report.org_short, report.org_level, report.year, report.template)
    assert meta == tuple(gold[k] for k in ("org", "org_short", "org_level", "year", "template"))
    got = {(c.table, c.row, c.col): c.value for c in report.cells}
    want = {(t, r, c): v for t, r, c, v in gold["cells"]}
    assert set(got) == set(want), where
    for key, value in want.items():
        if value is None:
            assert got[key] is None, f"{where} {key}: blank read as {got[key]}"
        else:
            assert got[key] == pytest.approx(value), f"{where} {key}"
    failed = {c.rule for c in report.checks if c.status == "fail"}
    assert failed == ({gold["broken"]} if gold["broken"] else set()), where
    if not gold["broken"]:
        assert report.check_status == "pass", where
    facts = sorted((f.value, f.unit, f.section, f.quote) for f in report.text_facts)
    gold_facts = sorted(
        (f["value"], f["unit"], f["section"], f["quote"]) for f in gold["text_facts"]
    )
    assert facts == gold_facts, where


def gold_of(spec, fmt: str, style: str) -> dict:
    return dataclasses.replace(spec, fmt=fmt, style=style).gold()


# --- round trips -------------------------------------------------------------------------------


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(seed=SEEDS)
def test_every_text_rendering_parses_back_to_the_gold_cells(tmp_path, seed):
    specs = build_specs(6, seed, ("txt",), broken=0.5)
    assert any(s.broken for s in specs)
    for spec in specs:
        if "total_column" in spec.blanks:
            continue  # a blank 总计 column: tests/eval/test_synth_real.py
        for fmt, style in TEXT_STYLES:
            if style == "cells" and any(v is None for v in spec.values.values()):
                continue  # one cell per line cannot show a blank cell
            assert_parses_to_gold(write(tmp_path, spec, fmt, style), gold_of(spec, fmt, style))


@pytest.mark.parametrize("fmt,examples", [("html", 4), ("docx", 3), ("pdf", 2)])
def test_html_word_and_pdf_parse_back_to_the_gold_cells(tmp_path, fmt, examples):
    @settings(max_examples=examples, deadline=None)
    @given(seed=SEEDS)
    def check(seed):
        for spec in build_specs(3, seed, (fmt,), broken=0.34, styles=(*OLDER, fmt)):
            if "total_column" in spec.blanks:
                continue  # a blank 总计 column: tests/eval/test_synth_real.py
            assert_parses_to_gold(write(tmp_path, spec), spec.gold())

    check()


@pytest.mark.parametrize("pattern", BLANK_PATTERNS)
@pytest.mark.parametrize("fmt", ["txt", "html"])
def test_each_blank_pattern_stays_blank(tmp_path, pattern, fmt):
    specs = build_specs(40, 3, (fmt,), broken=0, styles=OLDER)
    spec = next(s for s in specs if s.org.kind == "gov")
    values = dict(spec.values)
    for key in blank_keys(pattern, spec.template, values):
        values[key] = None
    spec = dataclasses.replace(spec, values=values, raws={}, blanks=[pattern])
    for style in STYLES.get(fmt, (fmt,)):
        if style != "cells" and style not in REAL_STYLES:
            assert_parses_to_gold(write(tmp_path, spec, fmt, style), gold_of(spec, fmt, style))


def test_a_blank_total_column_in_the_request_table_is_computed_from_its_parts(tmp_path):
    """Shanghai 2019 leaves the 总计 of the result rows blank; positions are certain in HTML, so
    each 总计 is the sum of the row's printed parts, marked `inferred`; every other cell is as
    printed."""
    spec = build_specs(1, 2, ("html",), broken=0, styles=("html",))[0]
    values = dict(spec.values)
    rows = [*result_rows(spec.template), "result_total"]
    for row in rows:
        values[("requests", row, "total")] = None
    spec = dataclasses.replace(spec, values=values, raws={})
    report = parse_file(write(tmp_path, spec))
    assert report.status == "complete"
    cells = {(c.table, c.row, c.col): c for c in report.cells}
    parts = [c.key for c in T.REQUEST_COLS if c.key != "total"]
    for row in rows:
        total = cells["requests", row, "total"]
        want = sum(spec.values.get(("requests", row, col)) or 0 for col in parts)
        assert (total.value, total.provenance) == (want, "inferred"), row
    printed = {k: v for k, v in values.items() if v is not None}
    assert printed
    for key, value in printed.items():
        assert cells[key].value == pytest.approx(value), key


# --- the command line --------------------------------------------------------------------------


def files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_cli_writes_a_deterministic_corpus(cli, tmp_path):
    args = ("--formats", "txt,md,html")
    result = cli("synth", "30", "--out", "a", "--seed", "4", *args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Wrote 30 reports of ")
    a = files(tmp_path / "a")
    assert len([n for n in a if n.startswith("reports/")]) == 30
    gold = [json.loads(line) for line in a["gold_cells.jsonl"].decode().splitlines()]
    assert [g["file"] for g in gold] == sorted(n.split("/")[1] for n in a if "/" in n)
    assert {g["format"] for g in gold} == {"txt", "md", "html"}
    assert cli("synth", "30", "--out", "b", "--seed", "4", *args).exit_code == 0
    assert files(tmp_path / "b") == a
    assert cli("synth", "30", "--out", "c", "--seed", "5", *args).exit_code == 0
    other = files(tmp_path / "c")
    assert other["gold_cells.jsonl"] != a["gold_cells.jsonl"]
    assert other["gold_questions.jsonl"] != a["gold_questions.jsonl"]


def test_word_and_pdf_files_are_byte_identical_for_the_same_seed():
    for fmt in ("docx", "pdf"):
        first, again = build_specs(1, 7, (fmt,))[0], build_specs(1, 7, (fmt,))[0]
        assert render_file(first, random.Random(0)) == render_file(again, random.Random(0))


def test_cli_says_what_is_wrong(cli, tmp_path):
    result = cli("synth", "5", "--out", "x", "--formats", "txt,rtf")
    assert result.exit_code == 1
    assert (
        result.stderr == "Error: unknown format rtf; use one or more of: txt, md, html, docx, pdf\n"
    )
    assert cli("synth", "5", "--out", "x").exit_code == 0
    result = cli("synth", "5", "--out", "x")
    assert result.exit_code == 1
    assert result.stderr == "Error: x/reports already holds files; choose a new or empty folder\n"


# --- gold questions ----------------------------------------------------------------------------


def test_gold_questions_agree_with_the_gold_cells(tmp_path):
    summary = write_corpus(300, tmp_path, seed=9)
    header, cases = score.load(tmp_path / "gold_questions.jsonl")
    assert header["index"] == ["reports"] and set(header["thresholds"]) >= {"route", "sql_exact"}
    assert len(cases) == summary["questions"] == 100
    gold = {g["file"]: g for g in map(json.loads, (tmp_path / "gold_cells.jsonl").open())}
    cells = {(f, t, r, c): v for f, g in gold.items() for t, r, c, v in g["cells"]}
    tags = {t for c in cases for t in c["tags"]}
    assert {"value", "zero", "list", "count", "multiturn", "retrieval", "zh", "en"} <= tags
    for case in cases:
        for turn in case["turns"]:
            expect = turn["expect"]
            assert turn["route"] in {"sql", "retrieval", "none"}
            if "cell" in turn and "file" in turn:  # one cell of one report
                value = cells[(turn["file"], *turn["cell"])]
                assert expect == ({"status": "blank"} if value is None else {
                    "values": [value], "status": "zero" if value == 0 else "value"})  # fmt: skip
            elif "scope" in turn:  # organisations of a level with the figure above 0
                scope, (t, r, c) = turn["scope"], turn["cell"]
                hits = [g for f, g in gold.items() if g["year"] == scope["year"]
                        and g["org_level"] in scope["levels"] and (cells.get((f, t, r, c)) or 0) > 0]  # fmt: skip
                if "orgs" in expect:
                    names = {g["org_short"] for g in hits} | {g["org"] for g in hits}
                    assert len(expect["orgs"]) == len(hits) and set(expect["orgs"]) <= names
                else:
                    assert expect["values"] == [len(hits)]
            elif "file" in turn:  # a number stated in the narrative
                stated = [f["value"] for f in gold[turn["file"]]["text_facts"]]
                assert expect["values"][0] in stated
            elif "source" in expect:
                assert expect["source"]["section"].split(".")[0] in {
                    s.split(".")[0] for s in gold[expect["source"]["file"]]["sections"]
                }


def test_the_bot_answers_the_generated_sql_questions(tmp_path):
    """End to end on a small corpus with the hash embedder: ingest, then grade every case."""
    write_corpus(60, tmp_path / "corpus", seed=1, questions=50)
    header, cases = score.load(tmp_path / "corpus" / "gold_questions.jsonl")
    score.build_index(tmp_path / "index", header["index"], base=tmp_path / "corpus")
    results = score.run(cases, tmp_path / "index")
    totals = score.totals(results)
    print(totals)
    assert totals["sql_exact_n"] >= 30
    assert totals["sql_exact"] >= 0.9
    assert totals["route"] >= 0.9
