"""The answer contract (bot/answer.py) and the cues answerers take from `Understanding`."""

from __future__ import annotations

import json

import pytest

from bot.answer import ROUTES, Answer
from bot.question.model import OrgRef
from bot.question.understand import understand

KEYS = ["question", "lang", "route", "answer", "status", "result", "facts", "sql", "citations"]
KEYS += ["orgs", "reasons"]


def test_every_answer_has_the_whole_contract_in_order():
    for answer in (
        Answer("q", route="sql", answer="30"),
        Answer.refused("q" * 500, "too long"),
        Answer.failed("q", "sorry"),
    ):
        out = answer.to_json()
        assert list(out) == KEYS
        json.dumps(out)  # JSON-able as it stands
    assert len(Answer.refused("q" * 500, "too long").question) == 200


def test_timing_and_the_language_model_flag_appear_only_when_set():
    a = Answer("q", route="retrieval")
    assert "ms" not in a.to_json() and "llm" not in a.to_json()
    a.ms, a.llm = 12.5, False
    assert a.to_json()["ms"] == 12.5 and a.to_json()["llm"] is False


def test_an_unknown_route_is_refused_with_the_valid_ones():
    with pytest.raises(ValueError, match="unknown route 'error'; one of " + ", ".join(ROUTES)):
        Answer("q", route="error")


ORGS = [OrgRef("大峪镇人民政府", "大峪镇", "镇", (2024, 2025))]


@pytest.mark.parametrize(
    ("question", "field", "value"),
    [
        ("哪些镇历年有行政处罚？", "all_years", True),
        ("哪些鎮歷年有行政處罰？", "all_years", True),  # traditional characters
        ("各镇行政处罚从低到高排序", "ascending", True),
        ("各鎮行政處罰從低到高排序", "ascending", True),
        ("大峪镇2025年发布信息多少条？其中微信多少条？", "part_of_total", True),
        ("大峪镇2025年发布信息多少条？", "count_unit", "条"),
        ("How many posts did Dayu town publish in 2025?", "count_unit", "条"),
        ("大峪镇下一步打算怎么做？", "plan", True),
        ("大峪镇2025年行政处罚多少件？", "number_cue", True),
        ("大峪镇存在哪些问题？", "number_cue", False),
    ],
)
def test_the_answerers_cues_are_read_once_from_the_normalised_question(question, field, value):
    assert getattr(understand(question, ORGS), field) == value


def test_english_words_bring_their_chinese_terms():
    u = understand("Does Dayu town publish through a WeChat official account?", ORGS)
    assert "微信公众号" in u.terms_zh
    assert understand("大峪镇有微信公众号吗？", ORGS).terms_zh == []
