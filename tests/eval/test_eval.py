"""The bot's eval set, scored with the real m3e-small model against the corpus it names.

This is `gongkai eval` in CI: the totals must reach the thresholds written in the file's header.
"""

from __future__ import annotations

import pytest

from eval import score

pytestmark = pytest.mark.slow


def test_the_eval_set_is_big_and_varied_enough():
    header, cases = score.load(score.CASES)
    turns = [t for c in cases for t in c["turns"]]
    assert len(cases) >= 150
    assert {t["route"] for t in turns} == {"sql", "retrieval", "hybrid", "clarify", "none"}
    tags = {tag for c in cases for tag in c["tags"]}
    wanted = {"value", "list", "count", "total", "max", "min", "rank", "compare", "trend"}
    assert wanted | {"threshold", "multiturn", "zh", "en"} <= tags
    assert set(header["thresholds"]) == {"route", "sql_exact", "citation", "org"}
    names = [c for c in cases if "name" in c["tags"]]  # organisations by every name they go by
    forms = {tag for c in names for tag in c["tags"]}
    assert len(names) >= 60
    assert {"full", "short", "bare", "regional", "pinyin", "english", "near_miss"} <= forms


def test_the_bot_meets_the_eval_thresholds(tmp_path):
    results, totals, failed = score.evaluate(score.CASES, model="m3e-small")
    print(totals)
    assert totals["turns"] == len(results) > 150
    assert failed == [], failed
