"""Numeric answers from a real index of the sample and web reports: values, zero vs blank, no
report, aggregates, comparisons, trends, English, citations and parameterised SQL.

Expected numbers come from the gold files (tests/data/samples_gold.jsonl and
tests/data/web/facts.jsonl), never from the code under test.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.config import SAMPLES_DIR
from bot.numbers.answer import SqlAnswer, answer_sql
from bot.passages.retrieve import org_refs
from bot.question.understand import understand
from index.ingest import ingest_paths
from index.store import Store
from tests.paths import DATA, ROOT

WEB = DATA / "web"
PENALTY = ["proactive", "administrative_penalty", "decisions"]
LICENSING = ["proactive", "administrative_licensing", "decisions"]
NEW_REQUESTS = ["requests", "new_received", "total"]


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("sql") / "index"
    files = sorted(SAMPLES_DIR.glob("*.txt")) + sorted(WEB.glob("*.txt"))
    with Store(target) as store:
        summary = ingest_paths(files, store, vectors=None)
    assert summary.failed == 0
    return target


@pytest.fixture(scope="module")
def store(index_dir: Path):
    with Store(index_dir, create=False) as s:
        yield s


@pytest.fixture(scope="module")
def ask(store: Store):
    refs = org_refs(store)
    latest = max(y for r in refs for y in r.years)

    def run(question: str) -> SqlAnswer:
        return answer_sql(store, understand(question, refs, latest))

    return run


@pytest.fixture(scope="module")
def gold(store: Store) -> list[dict]:
    """Every gold table value as {org_short, year, level, key, value}: samples and web facts."""
    short = {r["source_name"]: r["org_short"] for r in store.reports()}
    rows = _jsonl(DATA / "samples_gold.jsonl")
    heads = {r["file"]: r for r in rows if "key" not in r}
    out = [
        {**heads[r["file"]], "level": "镇" * heads[r["file"]]["org_short"].endswith("镇"), **r}
        for r in rows
        if "key" in r
    ]
    levels = {m["file"]: m["org_type"] for m in _jsonl(WEB / "manifest.jsonl")}
    for f in _jsonl(WEB / "facts.jsonl"):
        if f["source"] == "table" and f.get("key"):
            out.append({**f, "org_short": short[f["file"]], "level": levels[f["file"]]})
    return out


def value(gold: list[dict], org: str, year: int, key: list[str]) -> float | None:
    (hit,) = [g for g in gold if (g["org_short"], g["year"], g["key"]) == (org, year, key)]
    return hit["value"]


def towns(gold: list[dict], year: int, key: list[str]) -> dict[str, float]:
    return {
        g["org_short"]: g["value"]
        for g in gold
        if g["year"] == year and g["key"] == key and g["level"] == "镇" and g["value"] is not None
    }


# --- one value -----------------------------------------------------------------------------


def test_value_with_its_cell_and_citation(ask, gold):
    sa = ask("大峪镇2025年行政处罚多少件？")
    expected = value(gold, "大峪镇", 2025, PENALTY)
    assert (sa.status, sa.result) == ("value", expected) and expected == 30
    assert sa.text == "大峪镇2025年行政处罚（本年处理决定数量）为30件。"
    (fact,) = sa.facts
    assert fact["org"] == "大峪镇" and fact["year"] == 2025 and fact["section"] == "二"
    assert (fact["table"], fact["row"], fact["col"]) == tuple(PENALTY)
    assert (fact["row_label"], fact["col_label"]) == ("行政处罚", "本年处理决定数量")
    assert fact["source"] == "001_da26bd1ac1c5269a.txt" and fact["unit"] == "件"
    (cite,) = sa.citations
    assert cite["section"] == "二、主动公开政府信息情况"
    assert cite["lines"] == [fact["line"], fact["line"]]
    assert cite["quote"] == "行政处罚: 30" and sa.orgs == ["大峪镇"]


@pytest.mark.parametrize(
    "question, org, year, key",
    [
        ("陈区镇2024年行政规范性文件现行有效件数", "陈区镇", 2024, ["proactive", "normative_documents", "in_force"]),
        ("刘湾镇2025年行政复议尚未审结的有几件", "刘湾镇", 2025, ["review_litigation", "review", "pending"]),
        ("高平镇2021年部分公开的申请总计多少件", "高平镇", 2021, ["requests", "partially_granted", "total"]),
        ("湖东镇2025年行政许可多少件", "湖东镇", 2025, LICENSING),
        ("仙庵镇2023年行政处罚决定数量", "仙庵镇", 2023, PENALTY),
    ],
)  # fmt: skip
def test_values_match_gold(ask, gold, question, org, year, key):
    sa = ask(question)
    expected = value(gold, org, year, key)
    assert sa.result == expected
    assert sa.status == ("zero" if expected == 0 else "value")
    assert [f["value"] for f in sa.facts] == [expected]


def test_reported_zero_is_said_to_be_zero(ask, gold):
    sa = ask("高平镇2021年部分公开的申请总计多少件")
    assert value(gold, "高平镇", 2021, ["requests", "partially_granted", "total"]) == 0
    assert sa.status == "zero" and sa.result == 0
    assert sa.text.endswith("为0件（报告填报为0）。")


def test_blank_cell_is_not_zero(ask, gold):
    assert value(gold, "高平镇", 2021, ["requests", "granted", "natural_person"]) is None
    sa = ask("高平镇2021年予以公开的申请里，自然人有几件？")
    assert (sa.status, sa.result) == ("blank", None)
    assert sa.text == "高平镇2021年予以公开（自然人）：该栏为空，报告未填报（不是0）。"
    assert sa.facts[0]["value"] is None and sa.facts[0]["col"] == "natural_person"


def test_blank_cell_in_english(ask):
    sa = ask(
        "In Gaoping's 2021 report, how many partially disclosed requests came from natural persons?"
    )
    assert sa.status == "blank"
    assert "left blank" in sa.text or "leaves" in sa.text
    assert "(not reported, not zero)" in sa.text


def test_no_report_for_that_year(ask):
    sa = ask("大峪镇2019年行政处罚多少件")
    assert (sa.status, sa.facts, sa.result) == ("no_report", [], None)
    assert sa.text == "未收录大峪镇2019年的报告（已收录：2025）。"


def test_truncated_report_says_the_cell_could_not_be_read(ask):
    """The excerpt stops inside table 二: table 四's cells are stored unread. (Before unread
    cells were stored this answered `missing`, "没有该项数据".)"""
    sa = ask("湖东镇2025年行政复议总计多少件")
    assert sa.status == "unread" and sa.result is None
    (fact,) = sa.facts
    assert (fact["value"], fact["provenance"], fact["row"], fact["col"]) == (
        None, "unread", "review", "total",
    )  # fmt: skip
    assert fact["note"]  # the parser's reason
    assert (
        sa.text
        == f"湖东镇2025年行政复议（总计）：该报告的这一项未能从表格中读出（原因：{fact['note']}）。"
    )
    assert "没有该项数据" not in sa.text and "为0" not in sa.text and "为空" not in sa.text


def test_money_keeps_its_unit(ask, gold):
    expected = value(gold, "中山街道", 2021, ["proactive", "administrative_fees", "fee_amount"])
    sa = ask("石家庄中山街道2021年行政事业性收费金额多少")
    assert sa.result == expected == 0.092
    assert "为0.092万元。" in sa.text and sa.facts[0]["unit"] == "万元"


def test_english_value(ask, gold):
    sa = ask("How many administrative penalty decisions did Dayu town make in 2025?")
    assert sa.result == value(gold, "大峪镇", 2025, PENALTY)
    assert sa.text == (
        "In 2025, Dayu town (大峪镇) reported administrative penalties (decisions this year): 30."
    )


def test_row_group_sums_its_members(ask, gold):
    sa = ask("大峪镇2025年不予公开多少件")
    members = [g for g in gold if g["org_short"] == "大峪镇" and g["key"][1].startswith("denied_")]
    expected = sum(g["value"] for g in members if g["key"][2] == "total")
    assert sa.result == expected and sa.facts[0]["row"] == "denied"
    assert sa.citations[0]["lines"][0] < sa.citations[0]["lines"][1]


def test_narrative_number_quotes_its_sentence(ask):
    sa = ask("大峪镇2025年全年累计发布信息多少条？")
    assert (sa.status, sa.result) == ("value", 709)
    assert "“全年累计发布信息 709 条”" in sa.text
    (cite,) = sa.citations
    assert cite["section"] == "一、总体情况 › （一）主动公开情况" and cite["quote"].endswith(
        "709 条"
    )


def test_missing_cell_stated_in_the_text(ask):
    facts = {f["metric"]: f for f in _jsonl(WEB / "facts.jsonl") if f["file"] == "029.txt"}
    review, litigation = facts["text:行政复议(件)"], facts["text:行政诉讼(件)"]
    sa = ask("章安街道2024年产生了多少行政复议和行政诉讼")  # the excerpt has no table 四
    quoted = [f for f in sa.facts if "quote" in f]
    assert [f["value"] for f in quoted] == [review["value"], litigation["value"]]
    assert [f["quote"] for f in quoted] == [review["evidence"], litigation["evidence"]]
    # table 四's cells are stored unread: said so, then the sentence with its line
    unread = [f for f in sa.facts if "quote" not in f]
    assert [(f["value"], f["provenance"]) for f in unread] == [(None, "unread")] * 2
    line = quoted[0]["line"]
    assert (
        f"该报告的这一项未能从表格中读出（原因：{unread[0]['note']}）；报告正文第{line}行写明“产生行政复议3件”（3件）"
        in sa.text
    )


def test_narrative_without_a_match_falls_back(ask):
    assert ask("大峪镇2025年有没有收取信息处理费？").status == "no_metric"


# --- aggregates ----------------------------------------------------------------------------


def test_list_of_towns_with_penalties(ask, gold):
    expected = {org for org, v in towns(gold, 2025, PENALTY).items() if v > 0}
    sa = ask("2025年哪些镇作出了行政处罚决定？")
    assert set(sa.orgs) == expected and len(sa.orgs) == len(expected)
    for org in expected:
        assert org in sa.text
    # 西四镇's excerpt stops before the row: its cell is unread, said and not counted (before
    # unread cells were stored it had no cell: "未填报或无此项")
    assert sa.text.endswith("其中西四镇的该项未能从表格中读出，未计入。")


def test_count_and_total(ask, gold):
    values = towns(gold, 2025, PENALTY)
    count = ask("2025年有几个镇的行政处罚不为零")
    assert count.result == sum(v > 0 for v in values.values())
    total = ask("2025年各镇行政处罚一共多少件")
    assert total.result == sum(values.values())
    assert sorted(f["value"] for f in total.facts) == sorted(values.values())
    assert "合计42件" in total.text


def test_zero_threshold_count_in_english(ask, gold):
    sa = ask("How many towns reported zero administrative penalties in 2025?")
    assert sa.result == sum(v == 0 for v in towns(gold, 2025, PENALTY).values())


def test_max_includes_the_value(ask, gold):
    values = towns(gold, 2025, LICENSING)
    best = max(values.values())
    sa = ask("2025年行政许可最多的是哪个镇")
    assert sa.result == best
    assert sa.orgs == [org for org, v in values.items() if v == best]


def test_rank_with_limit(ask, gold):
    values = towns(gold, 2025, PENALTY)
    sa = ask("2025年行政处罚数量前两名的镇")
    assert sa.orgs == sorted(values, key=lambda o: -values[o])[:2]


def test_any_year_ranges_over_every_report(ask, gold):
    expected = {
        g["org_short"]
        for g in gold
        if g["key"] == PENALTY and g["level"] == "镇" and (g["value"] or 0) >= 30
    }
    sa = ask("Which towns reported 30 or more administrative penalty decisions in any year?")
    assert set(sa.orgs) == expected and sa.text.startswith("Across all years, ")


def test_no_year_aggregates_every_year(ask, gold):
    sa = ask("行政处罚最多的是哪个镇？")
    top = max((g for g in gold if g["key"] == PENALTY and g["level"] == "镇" and g["value"]),
              key=lambda g: g["value"])  # fmt: skip
    assert "未指定年份，按所有已收录年份统计" in sa.text
    assert f"{top['org_short']}{top['year']}年（{int(top['value'])}件）" in sa.text
    assert sa.orgs == [top["org_short"]] and "no year named: every indexed year" in sa.reasons


def test_compare(ask, gold):
    a, b = value(gold, "大峪镇", 2025, PENALTY), value(gold, "湖东镇", 2025, PENALTY)
    sa = ask("大峪镇和湖东镇2025年谁的行政处罚多？")
    assert [f["value"] for f in sa.facts] == [a, b] and sa.status == "mixed"
    assert sa.text.endswith(f"大峪镇比湖东镇多{int(a - b)}件。")


def test_trend(ask, gold):
    old, new = (value(gold, "高平镇", y, NEW_REQUESTS) for y in (2021, 2025))
    sa = ask("高平镇2021年和2025年收到的政府信息公开申请有什么变化")
    assert [(f["year"], f["value"]) for f in sa.facts] == [(2021, old), (2025, new)]
    assert sa.text.endswith("2021–2025年变化：持平。" if old == new else "。")


def test_report_listing(ask, store):
    sa = ask("2024年有哪些单位的政府信息公开年报？")
    years = {m["file"]: m["year"] for m in _jsonl(WEB / "manifest.jsonl")}
    years |= {g["file"]: g["year"] for g in _jsonl(DATA / "samples_gold.jsonl") if "key" not in g}
    expected = {r["org_short"] for r in store.reports() if years[r["source_name"]] == 2024}
    assert set(sa.orgs) == expected and sa.result is None


# --- SQL and speed -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "大峪镇2025年行政处罚多少件？",
        "2025年哪些镇作出了行政处罚决定？",
        "大峪镇2025年全年累计发布信息多少条？",
    ],
)
def test_sql_is_parameterised(ask, question):
    sa = ask(question)
    assert sa.sql
    for statement in sa.sql:
        assert statement["params"] and statement["text"].count("?") == len(statement["params"])
        assert "大峪" not in statement["text"] and "2025" not in statement["text"]
        assert "r.status = 'ready'" in statement["text"] or "FROM cells" in statement["text"]


def test_only_ready_reports(store, ask):
    def mark(status: str) -> None:
        with store.db.conn:
            store.db.execute("UPDATE reports SET status = ? WHERE org_short = '大峪镇'", [status])

    mark("pending")
    try:
        assert ask("大峪镇2025年行政处罚多少件？").status == "no_report"
    finally:
        mark("ready")


def test_a_value_is_fast(ask):
    ask("大峪镇2025年行政处罚多少件？")
    times = []
    for _ in range(5):
        start = time.perf_counter()
        ask("大峪镇2025年行政处罚多少件？")
        times.append(time.perf_counter() - start)
    assert min(times) < 0.020


def test_no_heavy_imports(index_dir):
    code = (
        "import sys\n"
        "from bot.passages.retrieve import org_refs\n"
        "from bot.numbers.answer import answer_sql\n"
        "from bot.question.understand import understand\n"
        "from index.store import Store\n"
        f"store = Store({str(index_dir)!r}, create=False)\n"
        "refs = org_refs(store)\n"
        "for q in ('大峪镇2025年行政处罚多少件？', 'Which towns had penalties in 2025?',\n"
        "          '大峪镇2025年全年累计发布信息多少条？'):\n"
        "    assert answer_sql(store, understand(q, refs, 2025)).facts\n"
        "heavy = ('torch', 'chromadb', 'jieba', 'sentence_transformers', 'gradio')\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


# --- follow-ups answered from the index ----------------------------------------------------------


@pytest.fixture(scope="module")
def ask_after(store: Store):
    from bot.question.understand import merge_followup

    refs = org_refs(store)
    latest = max(y for r in refs for y in r.years)

    def run(first: str, second: str) -> SqlAnswer:
        u = merge_followup(understand(first, refs, latest), understand(second, refs, latest))
        return answer_sql(store, u)

    return run


def test_money_converted_exactly(ask_after, gold):
    fees = ["proactive", "administrative_fees", "fee_amount"]
    wan = value(gold, "北坡镇", 2022, fees)
    sa = ask_after("北坡镇2022年行政事业性收费多少万元", "换算成元是多少？")
    assert sa.result == 1904573.79 and wan == 190.457379  # 190.457379 × 10000, no float error
    assert sa.text.endswith("为190.457379万元，折合1904573.79元。")
    assert [f["value"] for f in sa.facts] == [wan]  # the fact stays as printed


def test_part_of_a_narrative_total(ask_after):
    sa = ask_after("大峪镇2025年全年累计发布信息多少条？", "其中政府网站发布了多少条？")
    assert sa.result == 69 and "政府网站共发布信息 69 条" in sa.text


def test_request_row_stated_in_a_sentence(ask):
    sa = ask("章安街道2024年予以公开了几件？")  # no table 三 in the excerpt: “予以公开1件”
    assert (sa.result, sa.facts[-1]["quote"]) == (1, "予以公开1件")
    assert sa.facts[0]["provenance"] == "unread" and sa.facts[0]["value"] is None


# --- organisations that share a short name -----------------------------------------------------


@pytest.fixture(scope="module")
def namesakes(tmp_path_factory: pytest.TempPathFactory):
    """Two counties' towns of one short name (大峪镇) for the same year, plus a byte-for-byte
    different mirror copy of one of them."""
    folder = tmp_path_factory.mktemp("namesakes")
    text = (SAMPLES_DIR / "001_da26bd1ac1c5269a.txt").read_text(encoding="utf-8")
    head = "大峪镇人民政府 2025"
    assert head in text
    for name, county, extra in (("a", "东平县", ""), ("b", "西山县", ""), ("c", "东平县", "\n")):
        (folder / f"{name}.txt").write_text(text.replace(head, county + head) + extra, "utf-8")
    with Store(folder / "index") as s:
        ingest_paths(sorted(folder.glob("*.txt")), s, vectors=None)
    with Store(folder / "index", create=False) as s:
        refs = org_refs(s)
        yield lambda question: answer_sql(s, understand(question, refs, 2025))


def test_namesake_organisations_are_never_merged(namesakes):
    listed = namesakes("Which towns issued administrative penalties in 2025?")
    assert len(listed.orgs) == 2  # the mirror copy counts once, the other county's town too
    assert {o[:3] for o in listed.orgs} == {"东平县", "西山县"}  # told apart by full name
    assert namesakes("2025年有多少个镇作出了行政处罚决定？").result == 2


# --- when a sentence may stand in for a missing cell -------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "章安街道2024年有几件逾期不补正？",  # the sentence counts all requests, not this row
        "章安街道2024年部分公开多少件",
        "章安街道2024年行政复议维持多少件",  # “产生行政复议3件” is no count of upheld ones
    ],
)
def test_unrelated_sentence_never_stands_in_for_a_cell(ask, question):
    sa = ask(question)  # 029.txt: no tables 三 and 四; its sentences name other rows
    # (the cells are stored unread now; before, the report had none: `missing`)
    assert sa.status == "unread" and sa.result is None
    assert [(f["value"], f["provenance"]) for f in sa.facts] == [(None, "unread")]
    assert "正文" not in sa.text


def test_row_the_template_lacks_borrows_no_sentence(tmp_path):
    """A report whose template has no such row, but whose table is there, answers `missing`
    even when a sentence mentions the row's words."""
    text = (SAMPLES_DIR / "001_da26bd1ac1c5269a.txt").read_text(encoding="utf-8")
    head = "一、总体情况\n"
    assert head in text
    said = "本年度完成政府集中采购项目12项。\n"
    (tmp_path / "r.txt").write_text(text.replace(head, head + said, 1), "utf-8")
    with Store(tmp_path / "index") as s:
        ingest_paths([tmp_path / "r.txt"], s, vectors=None)
        assert (12.0,) in s.db.execute("SELECT value FROM text_facts").fetchall()
        sa = answer_sql(s, understand("大峪镇2025年政府集中采购项目数量", org_refs(s), 2025))
    assert sa.status == "missing" and not sa.facts  # gov2021 prints no 政府集中采购 row


# --- cells that could not be read from the table -----------------------------------------------

UNREAD_NOTE = "line 20: table 二 row 行政处罚 prints 3 numbers for 4 columns"


def _cell(table, row, col, value, provenance="printed", note="", line=20):
    from parsers import template as T
    from parsers.report import Cell

    group = T.row_def(table, row).group
    return Cell(
        table, row, col, T.row_def(table, row).zh, T.col_def(table, col, "gov2021", group).zh,
        value, "" if value is None or provenance == "inferred" else f"{value:g}",
        T.col_def(table, col, "gov2021", group).unit, None if provenance == "unread" else line,
        provenance, group, note,
    )  # fmt: skip


@pytest.fixture(scope="module")
def unread_ask(tmp_path_factory: pytest.TempPathFactory):
    """An index of four handmade town reports for 2025: 大峪镇 (行政处罚 30 aligned, 行政许可
    inferred 0), 湖东镇 (行政处罚 unread but 12 in its text, 行政许可 unread), 刘湾镇 (行政处罚
    5, 行政强制 left blank, one 不予公开 row unread), 西四镇 (行政处罚 unread, no text)."""
    from parsers import template as T
    from parsers.report import Section, TextFact
    from tests.conftest import make_report

    P = "proactive"
    said = "本年度共作出行政处罚决定12件"
    denied = [r.key for r in T.request_rows("gov2021") if r.group == "denied"]
    reports = {
        "大峪镇": make_report(cells=[
            _cell(P, "administrative_penalty", "decisions", 30.0, "aligned", "digits split: 3|0 → 30"),
            _cell(P, "administrative_licensing", "decisions", 0.0, "inferred", "forced to 0 by 总计"),
        ]),
        "湖东镇": make_report(
            org="湖东镇人民政府", org_short="湖东镇",
            cells=[_cell(P, "administrative_penalty", "decisions", None, "unread", UNREAD_NOTE),
                   _cell(P, "administrative_licensing", "decisions", None, "unread", UNREAD_NOTE)],
            sections=[Section("overview.proactive", ["一、总体情况", "（一）主动公开情况"], said, (13, 14))],
            text_facts=[TextFact(12.0, "件", said, 14, label="作出行政处罚决定", section="overview.proactive")],
        ),
        "刘湾镇": make_report(
            org="刘湾镇人民政府", org_short="刘湾镇",
            cells=[_cell(P, "administrative_penalty", "decisions", 5.0),
                   _cell(P, "administrative_coercion", "decisions", None),
                   *[_cell("requests", row, "total", 0.0) for row in denied[:-1]],
                   _cell("requests", denied[-1], "total", None, "unread", "line 60: 总计 missing")],
        ),
        "西四镇": make_report(
            org="西四镇人民政府", org_short="西四镇", text_facts=[],
            cells=[_cell(P, "administrative_penalty", "decisions", None, "unread", UNREAD_NOTE)],
        ),
    }  # fmt: skip
    folder = tmp_path_factory.mktemp("unread") / "index"
    with Store(folder) as s:
        for n, (name, report) in enumerate(reports.items()):
            report.source = f"{name}.txt"
            s.add(report, f"/r/{name}.txt", str(n) * 64)
    with Store(folder, create=False) as s:
        refs = org_refs(s)
        yield lambda question: answer_sql(s, understand(question, refs, 2025))


def test_an_unread_cell_is_said_to_be_unread_in_chinese(unread_ask):
    sa = unread_ask("湖东镇2025年行政许可多少件？")
    assert (sa.status, sa.result) == ("unread", None)
    assert sa.text == (
        f"湖东镇2025年行政许可（本年处理决定数量）：该报告的这一项未能从表格中读出（原因：{UNREAD_NOTE}）。"
    )
    (fact,) = sa.facts
    assert (fact["value"], fact["provenance"], fact["note"], fact["line"]) == (
        None, "unread", UNREAD_NOTE, None,
    )  # fmt: skip
    assert sa.citations[0]["source"] == "湖东镇.txt" and sa.citations[0]["quote"] == UNREAD_NOTE
    for wrong in ("没有该项数据", "为空", "为0", "未填报"):
        assert wrong not in sa.text


def test_an_unread_cell_is_said_to_be_unread_in_english(unread_ask):
    sa = unread_ask("How many administrative licensing decisions did Hudong town make in 2025?")
    assert sa.status == "unread"
    assert sa.text == (
        "In 2025, Hudong town (湖东镇): administrative licensing (decisions this year) — this "
        f"cell could not be read from the report's table ({UNREAD_NOTE})."
    )
    for wrong in ("no such", "blank", ": 0", "not reported"):
        assert wrong not in sa.text


def test_an_unread_cell_quotes_the_number_its_text_gives(unread_ask):
    sa = unread_ask("湖东镇2025年行政处罚多少件？")
    assert (sa.status, sa.result) == ("value", 12)
    assert sa.text == (
        f"湖东镇2025年行政处罚（本年处理决定数量）：该报告的这一项未能从表格中读出（原因：{UNREAD_NOTE}）"
        "；报告正文第14行写明“本年度共作出行政处罚决定12件”（12件）。"
    )
    cell, text = sa.facts
    assert (cell["value"], cell["provenance"]) == (None, "unread")
    assert (text["value"], text["quote"], text["line"]) == (12, "本年度共作出行政处罚决定12件", 14)
    assert sa.citations[0]["lines"] == [14, 14]
    en = unread_ask("How many administrative penalty decisions did Hudong town make in 2025?")
    assert en.text.endswith(
        f"could not be read from the report's table ({UNREAD_NOTE}). The report's text states, "
        "line 14: “本年度共作出行政处罚决定12件” (12)."
    )


def test_aggregates_name_the_reports_they_could_not_count(unread_ask):
    total = unread_ask("2025年各镇行政处罚一共多少件")
    assert total.result == 30 + 5 + 12  # 湖东镇 from its text; 西四镇 unknown, not counted as 0
    assert "湖东镇（12件，表格未读出，取自正文）" in total.text
    assert total.text.endswith("其中西四镇的该项未能从表格中读出，未计入。")
    listed = unread_ask("2025年哪些镇作出了行政处罚决定？")
    assert set(listed.orgs) == {"大峪镇", "湖东镇", "刘湾镇"}
    assert listed.text.endswith("其中西四镇的该项未能从表格中读出，未计入。")
    en = unread_ask("Which towns had administrative penalties in 2025?")
    assert en.text.endswith(
        " Not counted: Xisi town (西四镇) — this cell could not be read from the report's table."
    )
    ranked = unread_ask("2025年行政处罚数量前两名的镇")
    assert ranked.orgs == ["大峪镇", "湖东镇"] and "西四镇的该项未能从表格中读出" in ranked.text


def test_a_sum_with_an_unread_member_is_not_summed(unread_ask):
    sa = unread_ask("刘湾镇2025年不予公开多少件")
    assert (sa.status, sa.result) == ("unread", None)
    assert sa.text == (
        "刘湾镇2025年不予公开（总计）：该报告的这一项未能从表格中读出"
        "（8栏中有1栏未读出；原因：line 60: 总计 missing）。"
    )
    (fact,) = sa.facts
    assert fact["provenance"] == "unread" and len(fact["cells"]) == 8
    assert [c["provenance"] for c in fact["cells"]].count("unread") == 1


def test_aligned_inferred_and_blank_cells_keep_their_answers(unread_ask):
    aligned = unread_ask("大峪镇2025年行政处罚多少件？")
    assert aligned.text == "大峪镇2025年行政处罚（本年处理决定数量）为30件。"
    assert (aligned.facts[0]["provenance"], aligned.facts[0]["note"]) == (
        "aligned", "digits split: 3|0 → 30",
    )  # fmt: skip
    inferred = unread_ask("大峪镇2025年行政许可多少件")
    assert inferred.text.endswith("（报告未印出该栏，按表内合计推定为0）。")
    assert inferred.facts[0]["provenance"] == "inferred"
    blank = unread_ask("刘湾镇2025年行政强制多少件")
    assert blank.status == "blank" and "该栏为空，报告未填报（不是0）" in blank.text
    assert blank.facts[0]["provenance"] == "printed"
