"""Passages in the index: chunks, the embedding cache, Chroma vectors, keyword search, fusion.

These tests use the deterministic hash embedder (plumbing). Retrieval quality with the real
m3e-small model is in tests/eval/test_retrieval_quality.py.
"""

from __future__ import annotations

import re

import pytest

from index import passages
from index.chunks import MAX_CHARS, chunk_report
from index.errors import ModelUnavailable
from index.ingest import ingest_paths
from index.search import Retriever
from index.store import Store
from index.vectors import open_vectors
from parsers import parse_file


@pytest.fixture
def indexed(index_dir, samples_dir):
    store = Store(index_dir)
    vectors = open_vectors(index_dir)
    summary = ingest_paths([samples_dir], store, vectors=vectors)
    yield store, vectors, summary
    store.close()


def test_chunks_stay_inside_one_section_and_quote_their_lines(sample_files):
    for file in sample_files:
        report = parse_file(file)
        lines = report.lines
        chunks = chunk_report(report)
        assert chunks, file
        for chunk in chunks:
            section = next(s for s in report.sections if s.key == chunk.section_key)
            assert section.lines[0] <= chunk.line_start <= chunk.line_end <= section.lines[1]
            assert len(chunk.text) <= MAX_CHARS
            span = "".join(lines[chunk.line_start - 1 : chunk.line_end]).replace(" ", "")
            first = re.split(r"[。！？；]", chunk.text)[0][:20].replace(" ", "")
            assert first in span, (file.name, chunk.ord)
            assert "\t" not in chunk.text  # table rows are not prose


def test_every_chunk_has_a_vector_and_keyword_row(indexed):
    store, vectors, summary = indexed
    n = store.counts()["chunks"]
    assert n == summary.embedded == vectors.count() > 30
    fts = store.db.execute("SELECT count(*) FROM chunks_fts").fetchone()[0]
    assert fts == n
    assert {r["status"] for r in store.reports()} == {"ready"}
    assert {r["vector_model"] for r in store.reports()} == {"hash-256"}


def test_reingesting_unchanged_files_embeds_nothing(indexed, samples_dir):
    store, vectors, _ = indexed
    again = ingest_paths([samples_dir], store, vectors=vectors)
    assert (again.unchanged, again.embedded) == (5, 0)


def test_a_changed_file_reuses_cached_passages_and_drops_old_vectors(index_dir, reports_dir):
    store, vectors = Store(index_dir), open_vectors(index_dir)
    ingest_paths([reports_dir], store, vectors=vectors)
    before = vectors.count()
    file = sorted(reports_dir.glob("*.txt"))[1]
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("。", "。\n", 1), encoding="utf-8")  # same passages, new bytes
    summary = ingest_paths([reports_dir], store, vectors=vectors)
    assert (summary.replaced, summary.embedded) == (1, 0)
    assert vectors.count() == before == store.counts()["chunks"]


def test_a_pending_report_is_invisible_and_the_next_ingest_finishes_it(index_dir, samples_dir):
    store, vectors = Store(index_dir), open_vectors(index_dir)
    file = sorted(samples_dir.glob("*.txt"))[1]
    data = file.read_bytes()
    import hashlib

    result = store.add(
        parse_file(file), file.resolve(), hashlib.sha256(data).hexdigest(), ready=False
    )
    retriever = Retriever(store, vectors)
    assert retriever.search("政府网站发布信息", k=3) == []
    summary = ingest_paths([file], store, vectors=vectors)
    assert (summary.finished, summary.unchanged) == (1, 1)
    assert store.report(result.report_id)["status"] == "ready"
    assert retriever.search("政府网站发布信息", k=3)


def test_vectors_left_by_a_replaced_report_are_never_returned(indexed):
    store, vectors, _ = indexed
    rid = store.reports()[0]["id"]
    sha = store.report(rid)["sha256"]
    store.remove(rid)  # SQLite rows gone, vectors still in Chroma
    assert vectors.collection.get(where={"sha": sha})["ids"]
    hits = Retriever(store, vectors).search("信息公开", k=50, mode="dense")
    assert hits and rid not in {h.report_id for h in hits}


def test_filters_narrow_every_ranking(indexed):
    store, vectors, _ = indexed
    retriever = Retriever(store, vectors)
    for mode in ("dense", "keyword", "fused"):
        hits = retriever.search("存在的主要问题", orgs=["陈区镇"], k=5, mode=mode)
        assert hits and {h.org_short for h in hits} == {"陈区镇"}, mode
        hits = retriever.search("主动公开", years=[2021], k=5, mode=mode)
        assert hits and {h.year for h in hits} == {2021}, mode
        hits = retriever.search("问题", sections=["problems_improvements"], k=5, mode=mode)
        assert hits and all(h.section_key.startswith("problems_improvements") for h in hits)
    assert retriever.search("问题", orgs=["北京市"], k=5) == []


def test_keyword_search_finds_a_rare_phrase_first(indexed):
    store, vectors, _ = indexed
    hits = Retriever(store, None).search("今日高平", k=3, mode="keyword")
    assert hits and "今日高平" in hits[0].text
    assert hits[0].ranks == {"keyword": 1}


def test_fused_hits_carry_everything_a_citation_needs(indexed):
    store, vectors, _ = indexed
    hit = Retriever(store, vectors).search("政务公开专区", k=1)[0]
    d = hit.to_dict()
    for key in ("org", "org_short", "year", "source_name", "path", "lines", "text", "score"):
        assert d[key] not in (None, ""), key
    assert set(d["ranks"]) <= {"dense", "keyword"} and d["score"] > 0


def test_a_missing_model_folder_is_a_clear_error(index_dir, monkeypatch):
    monkeypatch.setenv("GONGKAI_EMBED_MODEL", str(index_dir / "no-such-model"))
    with pytest.raises(ModelUnavailable) as err:
        open_vectors(index_dir)
    assert str(err.value) == (
        f"no model folder at {index_dir / 'no-such-model'}; set GONGKAI_EMBED_MODEL to a folder "
        "or to 'm3e-small'"
    )


def test_unfinished_reports_include_those_embedded_by_another_model(indexed):
    store, _, _ = indexed
    assert passages.unfinished_reports(store, "hash-256") == []
    assert len(passages.unfinished_reports(store, "m3e-small")) == 5


def test_the_keyword_query_keeps_numbers_but_not_years_or_the_names_in_scope():
    from index.keyword import match_query

    match = match_query("高平镇2025年通过今日高平APP发布了397条信息", drop=["高平镇"])
    words = set(re.findall(r'"([^"]+)"', match))
    assert "397" in words and "2025" not in words
    assert not words & {"高平镇", "高平"}
    assert "高平镇" in match_query("高平镇2025年发布了多少条信息")


def test_a_line_that_only_names_the_report_is_not_a_passage(sample_files):
    titles = [
        c.text
        for file in sample_files
        for c in chunk_report(parse_file(file))
        if re.fullmatch(r"[^。]*年度报告", c.text.strip())
    ]
    assert titles == []


def test_a_preferred_section_lifts_its_passages_and_sections_take_turns(indexed):
    store, vectors, _ = indexed
    retriever = Retriever(store, vectors)
    query, orgs = "培训工作人员", ["高平镇"]
    plain = retriever.search(query, orgs=orgs, k=10)
    keys = [(h.report_id, h.section_key) for h in plain]
    distinct = len(set(keys))
    assert len(set(keys[:distinct])) == distinct  # every section once before any twice
    preferred = retriever.search(query, orgs=orgs, prefer_sections=["problems_improvements"], k=3)
    assert preferred[0].section_key.startswith("problems_improvements")
