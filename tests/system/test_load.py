"""Load: `gongkai serve` on the built-in samples with the real model, 8 clients at once, each with
its own conversations (eval/load_test.py, bounded). Every answer must be well formed, and repeated
runs of a conversation must get the same answers. Figures are printed, not asserted."""

from __future__ import annotations

import pytest

from eval import load_test

CLIENTS = 8
QUESTIONS = 400  # about a minute on two busy cores


def test_problems_spots_malformed_answers():
    good = {
        "question": "q",
        "route": "sql",
        "answer": "30件",
        "facts": [],
        "sql": [],
        "citations": [{"n": 1, "source": "a.txt", "lines": [1, 1]}],
        "reasons": [],
    }
    assert load_test.problems(good) == []
    assert load_test.problems("oops") == ["not an answer: str"]
    assert load_test.problems({**good, "route": "error", "answer": " "}) == [
        "route 'error'",
        "empty answer text",
    ]
    assert load_test.problems({**good, "citations": [{"n": 1}]}) == [
        "a citation without n, source or lines"
    ]
    bad = dict(good)
    del bad["sql"]
    assert load_test.problems(bad) == ["no sql"]


def test_plan_mixes_kinds_and_counts_questions():
    cases = load_test.cases_for(["data/samples"])
    assert cases and all("web" not in c.get("tags", []) for c in cases)
    conversations = load_test.plan(cases, 300, seed=1)
    assert sum(len(c) for c in conversations) == 300
    kinds = {kind for c in conversations for kind, _, _ in c}
    assert kinds == {"sql", "retrieval", "followup", "junk"}
    assert any(len(c) > 1 for c in conversations)  # follow-ups stay in their conversation
    assert load_test.plan(cases, 300, seed=1) == conversations  # seeded


@pytest.mark.slow
def test_eight_clients_on_a_real_serve():
    cases = load_test.cases_for(["data/samples"])
    conversations = load_test.plan(cases, QUESTIONS, seed=0)
    with load_test.serving(["data/samples"], model="m3e-small") as url:
        report = load_test.run(url, conversations, CLIENTS)
    load_test.print_report(report, as_json=False)
    summary = report.summary()
    assert report.errors == []
    assert summary["questions"] == QUESTIONS
    assert summary["repeated"] > 0 and report.inconsistent() == []
    assert set(summary["by_kind"]) == {"sql", "retrieval", "followup", "junk"}
