"""The bot end to end through the CLI: `ask`, `chat --json`, routing, follow-ups, the JSON
contract, and the SQL path staying free of torch. Passages use the hash embedder here; the eval
(tests/eval/test_eval.py) runs the real model."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

CONTRACT = {"question", "route", "answer", "facts", "sql", "citations", "reasons"}
FACT_KEYS = {"org", "year", "table", "row", "col", "row_label", "col_label", "value", "unit"}
CITATION_KEYS = {"org", "year", "source", "section", "lines", "quote"}


@pytest.fixture
def index(cli, tmp_path, samples_dir):
    assert cli("ingest", str(samples_dir), "--index", "idx").exit_code == 0
    return "idx"


def ask(cli, index, question):
    result = cli("ask", question, "--index", index, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_a_value_question_answers_from_its_cell(cli, index):
    a = ask(cli, index, "大峪镇2025年行政处罚多少件？")
    assert CONTRACT <= set(a)
    assert a["route"] == "sql"
    assert "30" in a["answer"] and "大峪镇" in a["answer"]
    fact = a["facts"][0]
    assert FACT_KEYS <= set(fact)
    assert (fact["table"], fact["row"], fact["col"], fact["value"]) == (
        "proactive",
        "administrative_penalty",
        "decisions",
        30,
    )
    assert CITATION_KEYS <= set(a["citations"][0])
    assert a["citations"][0]["source"] == "001_da26bd1ac1c5269a.txt"
    sql = a["sql"][0]
    assert "?" in sql["text"] and sql["params"] and "大峪" not in sql["text"]


def test_an_english_question_gets_an_english_answer(cli, index):
    a = ask(cli, index, "How many administrative penalties did Dayu town have in 2025?")
    assert a["route"] == "sql" and "30" in a["answer"]
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in a["answer"].split("(")[0][:20])


def test_prose_questions_quote_their_passages(cli, index):
    a = ask(cli, index, "陈区镇存在哪些主要问题？")
    assert a["route"] == "retrieval"
    assert a["citations"] and all(c["org"] == "陈区镇" for c in a["citations"])
    assert all(CITATION_KEYS <= set(c) for c in a["citations"])
    assert "[1]" in a["answer"]


def test_unknown_organisations_and_years_are_said_not_guessed(cli, index):
    a = ask(cli, index, "北京市2025年行政处罚多少件？")
    assert (a["route"], a["facts"]) == ("none", [])
    assert "北京市" in a["answer"] and "未收录" in a["answer"]
    a = ask(cli, index, "How many penalties did Dayu town have in 2019?")
    assert a["route"] == "none" and "2019" in a["answer"]


def test_chat_json_keeps_the_conversation(cli, index):
    lines = "大峪镇2025年行政处罚多少件？\n那刘湾镇呢？\nwhat about 行政许可?\n"
    result = cli("chat", "--index", index, "--json", input=lines)
    assert result.exit_code == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == 3
    assert answers[1]["facts"][0]["org"] == "刘湾镇"
    assert answers[1]["facts"][0]["row"] == "administrative_penalty"
    assert answers[2]["facts"][0]["row"] == "administrative_licensing"
    assert answers[2]["facts"][0]["org"] == "刘湾镇"


def test_without_an_index_ask_builds_the_default_one_and_says_so(cli, tmp_path):
    result = cli("ask", "大峪镇2025年行政处罚多少件？", "--json")
    assert result.exit_code == 0, result.stderr
    assert "building it from the built-in sample reports" in result.stderr
    assert json.loads(result.stdout)["route"] == "sql"  # stdout holds nothing but the JSON


def test_the_sql_path_loads_no_model(cli, index, tmp_path):
    code = (
        "import sys\n"
        "from bot.cli import main\n"
        f"main(['ask', '大峪镇2025年行政处罚多少件？', '--index', {str(tmp_path / index)!r}, "
        "'--json'], standalone_mode=False)\n"
        "heavy = ('torch', 'sentence_transformers', 'chromadb', 'gradio', 'jieba', 'langchain_core')\n"
        "print('LOADED', [m for m in heavy if m in sys.modules])\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "LOADED []"


def test_a_configured_chat_model_may_reword_prose_but_not_invent_numbers(cli, index, tmp_path):
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from bot.bot import Bot

    question = "陈区镇存在哪些主要问题？"
    fluent = "陈区镇认为政务公开的界定还不够明确，公开形式单一 [1]。"
    invented = "陈区镇共有 4321 个问题 [1]。"
    model = FakeListChatModel(responses=[fluent, invented])
    bot = Bot(tmp_path / index, llm_model=model)
    try:
        first = bot.ask(question).to_json()
        assert first["answer"] == fluent and first["llm"] is True
        second = bot.ask(question).to_json()
        assert second["llm"] is False and "4321" not in second["answer"]
        assert second["answer"].startswith("相关报告原文")
        assert any("4321" in r for r in second["reasons"])
    finally:
        bot.close()
