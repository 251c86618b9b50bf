"""The generator's hard name cases at scale, against its gold: misprinted titles are read as the
text spells them and found by the misprint; reports that name no organisation get it from the
manifest; re-encoded copies are recorded as copies and counted once."""

from __future__ import annotations

import json

import pytest

from bot.bot import Bot
from eval.synth import write_corpus
from index.ingest import ingest_into
from index.manifest import read_manifest
from index.store import Store
from parsers.meta import short_name

PENALTY = ["proactive", "administrative_penalty", "decisions"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("synth_names")
    mp = pytest.MonkeyPatch()
    mp.setenv("GONGKAI_EMBED_MODEL", "hash")
    summary = write_corpus(150, out, seed=5, formats=("txt", "md", "html"), names=0.5)
    ingest_into(
        out / "index", [out / "reports"], workers=1, manifest=read_manifest(out / "manifest.csv")
    )
    gold = [json.loads(line) for line in (out / "gold_cells.jsonl").open(encoding="utf-8")]
    with Store(out / "index", create=False) as store:
        rows = {r["source_name"]: r for r in store.reports()}
    bot = Bot(out / "index", use_llm=False)
    yield summary, gold, rows, bot
    bot.close()
    mp.undo()


def cases(gold: list[dict], kind: str) -> list[dict]:
    return [g for g in gold if g.get("name_case") == kind]


def penalty(g: dict):
    return next(v for t, r, c, v in g["cells"] if [t, r, c] == PENALTY)


def test_the_corpus_has_every_hard_case(corpus):
    summary, gold, rows, _ = corpus
    assert len(rows) == len(gold) == summary["reports"] + summary["name_cases"]["copy"]
    assert {k: v >= 5 for k, v in summary["name_cases"].items()} == dict.fromkeys(
        ("misprint", "untitled", "copy"), True
    )


def test_a_misprinted_title_is_read_as_the_text_spells_it_and_found_by_the_misprint(corpus):
    _, gold, rows, bot = corpus
    for g in cases(gold, "misprint"):
        row = rows[g["file"]]
        assert (row["org"], row["aliases"]) == (g["org"], g["aliases"]), g["file"]
        asked = f"{short_name(g['aliases'][0])}{g['year']}年行政处罚多少件？"
        answer = bot.ask(asked).to_json()
        assert {f["org"] for f in answer["facts"]} == {g["org_short"]}, (asked, answer["answer"])
        assert "报告标题作" in answer["answer"]
        (fact,) = answer["facts"]
        if fact["provenance"] != "unread":  # (a cell the parser could not read says so)
            assert fact["value"] == penalty(g), (asked, fact)


def test_a_report_naming_no_organisation_is_named_by_the_manifest(corpus):
    _, gold, rows, bot = corpus
    for g in cases(gold, "untitled"):
        row = rows[g["file"]]
        assert (row["org"], row["year"]) == (g["org"], g["year"]), g["file"]


def test_a_copy_is_recorded_and_counted_once(corpus):
    _, gold, rows, bot = corpus
    copies = [g for g in cases(gold, "copy") if "copy_of" in g]
    assert copies
    for g in copies:
        assert rows[g["file"]]["copy_of"] == rows[g["copy_of"]]["id"]
        answer = bot.ask(f"{g['org_short']}{g['year']}年行政处罚多少件？").to_json()
        assert [f["source"] for f in answer["facts"]] == [g["copy_of"]], answer["answer"]
