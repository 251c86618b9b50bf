"""Questions over many reports: the statements a question runs do not grow with the reports or
hits it reads, and what is kept between questions never outlives a change to the index.

Behaviour only, no timings (the figures come from a benchmark script): statements are counted
with sqlite3's trace callback.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.bot import Bot, Conversation
from bot.numbers.answer import answer_sql
from bot.passages.retrieve import org_refs
from bot.question.orgnames import OrgRef, find_orgs
from bot.question.understand import understand
from index import passages
from index.ingest import ingest_paths
from index.store import Store
from parsers.report import Report, TextFact


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@contextmanager
def selects(store: Store) -> Iterator[list[str]]:
    """The SELECT statements `store` runs inside the block."""
    seen: list[str] = []
    store.db.conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        store.db.conn.set_trace_callback(None)
    seen[:] = [s for s in seen if s.lstrip().upper().startswith("SELECT")]


def _town(make: Callable[..., Report], name: str, year: int = 2025, **kw) -> Report:
    return make(org=f"{name}人民政府", org_short=name, year=year, **kw)


def _shorts(refs) -> set[str]:
    return {r.org_short for r in refs}


# --- organisations known to the bot ---------------------------------------------------------


def test_org_refs_are_reused_until_the_index_changes(index_dir: Path, report_factory):
    with Store(index_dir) as store:
        store.add(_town(report_factory, "大峪镇"), "a.txt", _sha("a"))
        first = org_refs(store)
        assert org_refs(store) is first  # nothing changed: the same tuple, names indexed once
        store.add(_town(report_factory, "刘湾镇", 2024), "b.txt", _sha("b"))
        assert _shorts(org_refs(store)) == {"大峪镇", "刘湾镇"}
        both = org_refs(store)
        store.add(_town(report_factory, "刘湾镇", 2024, warnings=[]), "b.txt", _sha("b2"))
        assert org_refs(store) is both  # replaced with the same organisations and years

        pending = store.add(_town(report_factory, "陈区镇"), "c.txt", _sha("c"), ready=False)
        assert "陈区镇" not in _shorts(org_refs(store))  # not ready: not answerable yet
        store.mark_ready(pending.report_id)
        assert "陈区镇" in _shorts(org_refs(store))

        with Store(index_dir) as other:  # another process's ingest commits
            other.add(_town(report_factory, "高平镇", 2021), "d.txt", _sha("d"))
        assert "高平镇" in _shorts(org_refs(store))
        with Store(index_dir) as other:
            other.remove(pending.report_id)
        assert _shorts(org_refs(store)) == {"大峪镇", "刘湾镇", "高平镇"}


def test_the_bot_answers_about_reports_added_while_it_runs(index_dir: Path, report_factory):
    with Store(index_dir) as store:
        store.add(_town(report_factory, "大峪镇"), "a.txt", _sha("a"))
    bot = Bot(index_dir, use_llm=False)
    try:
        before = bot.ask("刘湾镇2025年行政处罚多少件？", Conversation()).to_json()
        assert before["route"] == "none" and before["facts"] == []
        narrative = bot.ask("大峪镇2025年全年发布信息多少条？", Conversation()).to_json()
        assert narrative["result"] == 709

        with Store(index_dir) as ingest:  # as `gongkai ingest` in another process
            ingest.add(_town(report_factory, "刘湾镇"), "b.txt", _sha("b"))
            fact = TextFact(815.0, "条", "全年发布信息 815 条", 11, label="发布信息", section="x")
            changed = _town(report_factory, "大峪镇", text_facts=[fact])
            assert ingest.add(changed, "a.txt", _sha("a2")).status == "replaced"

        after = bot.ask("刘湾镇2025年行政处罚多少件？", Conversation()).to_json()
        assert after["route"] == "sql" and [f["value"] for f in after["facts"]] == [30]
        assert (
            bot.ask("大峪镇2025年全年发布信息多少条？", Conversation()).to_json()["result"] == 815
        )
    finally:
        bot.close()


def test_name_indexes_follow_the_organisations():
    dayu = OrgRef("大峪镇人民政府", "大峪镇", "镇", (2025,))
    liuwan = OrgRef("刘湾镇人民政府", "刘湾镇", "镇", (2025,))
    office = OrgRef("武汉市东湖生态旅游风景区城乡工作办事处", "东湖城乡工作办事处", "街道", (2025,))
    assert [m.orgs for m in find_orgs("刘湾镇行政处罚", (dayu,))] == []
    assert [m.orgs for m in find_orgs("刘湾镇行政处罚", (dayu, liuwan))] == [(liuwan,)]
    assert [m.orgs for m in find_orgs("刘湾镇行政处罚", tuple([dayu, liuwan]))] == [(liuwan,)]
    partial = find_orgs("东湖风景区城乡工作办事处2025年", (dayu, office))
    assert [(m.how, m.orgs) for m in partial] == [("partial", (office,))]
    english = find_orgs("the donghu scenic area urban rural work office", (dayu, office))
    assert [m.orgs for m in english] == [(office,)]


# --- statements per question ----------------------------------------------------------------


def _lacking_penalty(make: Callable[..., Report], name: str, stated: float | None) -> Report:
    """A report whose table has no 行政处罚 cell; its text may state the number instead."""
    facts = []
    if stated is not None:
        quote = f"全年作出行政处罚决定{stated:g}件"
        facts = [TextFact(stated, "件", quote, 12, label="作出行政处罚决定", section="x")]
    return _town(make, name, cells=[], text_facts=facts)


def test_numbers_read_from_the_text_take_the_same_statements_for_any_number_of_reports(
    tmp_path: Path, report_factory
):
    counts = []
    for lacking in (2, 9):
        names = [
            f"{a}{b}镇" for a, b in zip("东西南北中安平和兴", "宁泰康盛丰永长清明", strict=True)
        ]
        names = names[:lacking]
        with Store(tmp_path / str(lacking)) as store:
            store.add(_town(report_factory, "大峪镇"), "a.txt", _sha("a"))
            for i, name in enumerate(names):
                stated = float(i + 1) if i % 2 == 0 else None
                store.add(_lacking_penalty(report_factory, name, stated), f"{i}.txt", _sha(name))
            u = understand("2025年哪些镇有行政处罚？", org_refs(store), 2025)
            first = answer_sql(store, u)  # reads each report's narrative numbers once
            with selects(store) as seen:
                again = answer_sql(store, u)
        stating = {n: float(i + 1) for i, n in enumerate(names) if i % 2 == 0}
        for sa in (first, again):
            assert {f["org"]: f["value"] for f in sa.facts} == {"大峪镇": 30.0, **stating}
        assert len(seen) == len(again.sql)
        counts.append(len(seen))
    assert counts[0] == counts[1] == 3  # the cells, their printed rows, the quoted sections


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory, sample_files_module) -> Path:
    from index.vectors import open_vectors

    target = tmp_path_factory.mktemp("scale") / "index"
    with Store(target) as store:
        vectors = open_vectors(target, model="hash")
        assert ingest_paths(sample_files_module, store, vectors=vectors).failed == 0
    return target


@pytest.fixture(scope="module")
def sample_files_module() -> list[Path]:
    from bot.config import SAMPLES_DIR

    return sorted(SAMPLES_DIR.glob("*.txt"))


def test_vector_hits_are_read_in_one_statement(samples: Path):
    with Store(samples, create=False) as store:
        rows = store.db.execute(
            "SELECT r.sha256, c.ord, c.id FROM chunks c JOIN reports r ON r.id = c.report_id "
            "ORDER BY c.id DESC"
        ).fetchall()
        ids = [f"{sha}:{ord_}" for sha, ord_, _ in rows]
        for hits in (ids[:1], ids[:25]):
            with selects(store) as seen:
                found = passages.chunks_for_vectors(store, [*hits, "0" * 64 + ":1", "bad"])
            assert len(seen) == 1
            assert list(found) == hits  # in the order asked; unknown ids dropped
            assert [found[h]["chunk_id"] for h in hits] == [c for _, _, c in rows[: len(hits)]]
        pending_sha = rows[0][0]
        with store.db.conn:
            store.db.execute(
                "UPDATE reports SET status = 'pending' WHERE sha256 = ?", [pending_sha]
            )
        found = passages.chunks_for_vectors(store, ids[:25])
        with store.db.conn:
            store.db.execute("UPDATE reports SET status = 'ready' WHERE sha256 = ?", [pending_sha])
        assert found and all(not h.startswith(pending_sha) for h in found)


@pytest.mark.parametrize("mode", ["fused", "dense", "keyword"])
def test_a_search_runs_the_same_statements_for_any_number_of_hits(samples: Path, mode: str):
    from index.search import Retriever
    from index.vectors import open_vectors

    with Store(samples, create=False) as store:
        retriever = Retriever(store, open_vectors(samples, model="hash"))
        retriever.search("信息", k=1, mode=mode)  # FTS5 reads its own settings the first time
        counts: dict[bool, list[int]] = {False: [], True: []}
        for k in (1, 3, 20):
            for scoped in (False, True):
                orgs = ["陈区镇", "大峪镇", "高平镇"] if scoped else None
                with selects(store) as seen:
                    hits = retriever.search(
                        "信息公开 存在的问题 政务微信", orgs=orgs, k=k, mode=mode
                    )
                assert len(hits) == k
                counts[scoped].append(len(seen))
    rankings = {"fused": 2, "dense": 1, "keyword": 1}[mode]
    assert counts[False] == [rankings + 1] * 3  # each ranking, then the passages' rows
    assert counts[True] == [rankings + 2] * 3  # and first the reports the filter allows


# --- long lists ------------------------------------------------------------------------------


def test_a_long_list_names_some_and_counts_all(tmp_path: Path, report_factory):
    """Over many organisations and years, the text names the first `SHOWN` with the count of
    the rest; `orgs` holds every one; facts and citations are those of the ones named, and the
    statements run do not grow with the reports read."""
    from bot.numbers.wording import SHOWN

    counts = []
    for n in (SHOWN + 5, 2 * SHOWN + 7):
        with Store(tmp_path / str(n)) as store:
            for i in range(n):
                year = 2021 + i % 4  # no year asked: every indexed year
                store.add(_town(report_factory, f"甲{i:03d}镇", year), f"{i}.txt", _sha(f"{n}:{i}"))
            u = understand("哪些镇作出过行政处罚？", org_refs(store), 2025)
            with selects(store) as seen:
                sa = answer_sql(store, u)
        assert len(sa.orgs) == n and len(sa.facts) == len(sa.citations) == SHOWN
        assert f"另有{n - SHOWN}个未列出" in sa.text and f"有{n}个" in sa.text
        assert {f["org"] for f in sa.facts} < set(sa.orgs)
        assert all(f["row_label"] and f["line"] for f in sa.facts)
        pairs = zip(sa.facts, sa.citations, strict=True)
        assert all(c["quote"].startswith(f["row_label"]) for f, c in pairs)
        counts.append(len(seen))
    assert counts[0] == counts[1]
