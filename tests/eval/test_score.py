"""The eval scorer grades what it is given: numbers, sets, order, status, citations."""

from __future__ import annotations

from eval.score import grade, totals


def answer(**kw):
    base = {"route": "sql", "answer": "", "facts": [], "result": None, "orgs": [], "status": None}
    return {**base, "citations": [], **kw}


def test_values_must_all_appear_among_facts_or_the_result():
    a = answer(facts=[{"value": 30}, {"value": 0}], result=2, status="value")
    assert grade({"values": [30, 2], "status": "value"}, "sql", a) == {
        "route": True,
        "sql_exact": True,
    }
    assert grade({"values": [31]}, "sql", a)["sql_exact"] is False
    assert grade({"values": [30], "status": "zero"}, "sql", a)["sql_exact"] is False
    assert grade({"values": [30]}, "retrieval", a)["route"] is False


def test_org_sets_ignore_order_unless_ranked_and_tolerate_full_names():
    a = answer(orgs=["湖东镇", "大峪镇"])
    assert grade({"orgs": ["大峪镇", "湖东镇"]}, "sql", a)["sql_exact"]
    assert not grade({"orgs": ["大峪镇", "湖东镇"], "ordered": True}, "sql", a)["sql_exact"]
    assert not grade({"orgs": ["大峪镇"]}, "sql", a)["sql_exact"]
    assert grade({"orgs": ["湖东镇人民政府", "大峪镇"]}, "sql", a)["sql_exact"]


def test_a_citation_must_point_into_the_expected_file_and_section():
    cite = {"source": "a.txt", "section_key": "problems_improvements.problems", "passage": "x"}
    a = answer(route="retrieval", citations=[cite], answer="一是人员不足")
    expect = {"source": {"file": "a.txt", "section": "problems_improvements"}, "contains": ["人员"]}
    assert grade(expect, "retrieval", a) == {"route": True, "citation": True, "contains": True}
    expect["source"]["section"] = "overview"
    assert grade(expect, "retrieval", a)["citation"] is False


def test_totals_count_only_graded_turns():
    rows = [
        {"marks": {"route": True, "sql_exact": False}, "ms": 1.0},
        {"marks": {"route": False}, "ms": 3.0},
    ]
    t = totals(rows)
    assert (t["route"], t["sql_exact"], t["sql_exact_n"], t["citation"]) == (0.5, 0.0, 1, None)
