"""bot.passages.llm: configuration by environment, the prompt, and the checks on a model's rewrite.

Models are langchain's fake chat models (or fake client packages put in sys.modules): no test
calls a network.
"""

from __future__ import annotations

import importlib.machinery
import subprocess
import sys
import types
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableLambda

from bot.passages import llm
from bot.passages.llm import (
    LLMConfigError,
    LLMUnavailable,
    Rewrite,
    chat_model,
    configured,
    rewrite,
)
from tests.paths import ROOT

QUESTION = "刘湾镇2023年收到多少件政府信息公开申请？"
PASSAGES = [
    {
        "n": 1,
        "org": "刘湾镇人民政府",
        "year": 2023,
        "section": "三、收到和处理政府信息公开申请情况",
        "lines": "40-52",
        "text": "本年新收政府信息公开申请18件，其中予以公开12件，1,234条信息已发布。",
    },
    {
        "n": 2,
        "org": "刘湾镇人民政府",
        "year": 2023,
        "section": "五、存在的主要问题及改进情况",
        "lines": "80-86",
        "text": "落实“十二五”规划要求，加强业务培训。",
    },
]
EXTRACTIVE = "本年新收政府信息公开申请18件 [1]"
HELP = (
    "set either GONGKAI_LLM_BASE_URL, GONGKAI_LLM_API_KEY and GONGKAI_LLM_MODEL (an "
    "OpenAI-compatible server), or GONGKAI_OLLAMA_HOST and GONGKAI_LLM_MODEL (Ollama); optionally "
    "GONGKAI_LLM_TIMEOUT (seconds, default 20). Unset them all to answer without a language model"
)
OPENAI_ENV = {
    "GONGKAI_LLM_BASE_URL": "http://llm.example:8000/v1",
    "GONGKAI_LLM_API_KEY": "sk-test",
    "GONGKAI_LLM_MODEL": "qwen2.5-7b-instruct",
}
OLLAMA_ENV = {"GONGKAI_OLLAMA_HOST": "http://localhost:11434", "GONGKAI_LLM_MODEL": "qwen2.5:7b"}


def answer(reply: str, passages: list[dict] = PASSAGES, question: str = QUESTION) -> Rewrite:
    return rewrite(question, "zh", passages, EXTRACTIVE, model=FakeListChatModel(responses=[reply]))


# --- rewrite -------------------------------------------------------------------------------------


def test_accepted_rewrite():
    reply = "刘湾镇2023年共新收政府信息公开申请18件[1]，其中予以公开12件[1]。"
    assert answer(reply) == Rewrite(reply, True, "llm: accepted")


def test_not_configured_keeps_extractive():
    assert rewrite(QUESTION, "zh", PASSAGES, EXTRACTIVE) == Rewrite(
        EXTRACTIVE, False, "llm: not configured"
    )


def test_no_passages_keeps_extractive():
    model = FakeListChatModel(responses=["18件[1]"])
    assert rewrite(QUESTION, "zh", [], EXTRACTIVE, model=model) == Rewrite(
        EXTRACTIVE, False, "llm: no passages to cite"
    )


@pytest.mark.parametrize(
    "reply, reason",
    [
        ("共收到申请42件[1]。", "llm rejected: number 42 not in sources"),
        ("共收到申请18件[1]，比上年增长5.5%[1]。", "llm rejected: number 5.5 not in sources"),
        ("共收到申请18件[3]。", "llm rejected: citation [3] is not one of the passages [1, 2]"),
        ("共收到申请18件[1, 4]。", "llm rejected: citation [4] is not one of the passages [1, 2]"),
        ("共收到申请18件。", "llm rejected: no citation"),
        ("   ", "llm rejected: empty answer"),
        ("<think>18件 [1]</think>", "llm rejected: empty answer"),
        ("2021年共收到申请18件[1]。", "llm rejected: number 2021 not in sources"),
    ],
)
def test_rejected_rewrite_keeps_extractive(reply: str, reason: str):
    assert answer(reply) == Rewrite(EXTRACTIVE, False, reason)


@pytest.mark.parametrize(
    "reply",
    [
        "共收到申请十八件[1]，予以公开十二件[1]。",  # 十八 = 18 in the passage
        "二〇二三年共收到申请18件[1]。",  # the passages' year, in Chinese digits
        "2023年共收到申请18件[1]。",  # the passages' year
        "落实十二五规划[2]。",  # not a quantity, but written as in the passage
        "发布信息1234条[1]。",  # 1,234 in the passage
        "发布信息１２３４条［1］。",  # full-width digits and brackets
        "刘湾镇收到多少件？18件【1】。",  # a 【n】 citation
        "一一答复申请人，共18件[1]。",  # 一一 is a word, not a number
        "<think>也许是42件？</think>共收到申请18件[1]。",  # a reasoning model's thoughts dropped
    ],
)
def test_numbers_from_sources_accepted(reply: str):
    result = answer(reply)
    assert (result.used_llm, result.reason) == (True, "llm: accepted")


@pytest.mark.parametrize(
    "reply, reason",
    [
        ("共收到申请十九件[1]。", "llm rejected: number 十九 not in sources"),
        ("共收到申请二十八件[1]。", "llm rejected: number 二十八 not in sources"),
        ("二〇二一年共收到申请18件[1]。", "llm rejected: number 二〇二一 not in sources"),
    ],
)
def test_chinese_numerals_checked(reply: str, reason: str):
    assert answer(reply) == Rewrite(EXTRACTIVE, False, reason)


def test_numbers_of_the_question_are_sources():
    passages = [dict(PASSAGES[0], text="本年新收政府信息公开申请18件。")]
    assert answer("予以公开12件[1]。", passages).reason == "llm rejected: number 12 not in sources"
    question = "刘湾镇是否予以公开12件？"
    assert answer("予以公开12件[1]。", passages, question).reason == "llm: accepted"


class RaisingModel(FakeListChatModel):
    def _call(self, *args: Any, **kwargs: Any) -> str:
        raise TimeoutError("Request timed out after 20 s")


def test_model_raising_keeps_extractive():
    result = rewrite(QUESTION, "zh", PASSAGES, EXTRACTIVE, model=RaisingModel(responses=[""]))
    assert result == Rewrite(
        EXTRACTIVE, False, "llm failed: TimeoutError: Request timed out after 20 s"
    )


@pytest.mark.parametrize(
    "lang, system, human",
    [
        ("zh", "你是政府信息公开工作年度报告的问答助手", "<question>\n刘湾镇2023年收到多少件"),
        ("en", "You answer questions about Chinese", "<question>\n刘湾镇2023年收到多少件"),
    ],
)
def test_prompt(lang: str, system: str, human: str):
    seen = []

    def fake_model(prompt_value: Any) -> AIMessage:
        seen.extend(prompt_value.to_messages())
        return AIMessage(content="18 [1]")

    assert rewrite(QUESTION, lang, PASSAGES, EXTRACTIVE, model=RunnableLambda(fake_model)).used_llm
    [sys_msg, human_msg] = seen
    assert (sys_msg.type, human_msg.type) == ("system", "human")
    assert sys_msg.content.startswith(system)
    assert "[n]" in sys_msg.content
    assert human_msg.content.startswith(human)
    assert (
        '<passage n="1">\n[1] 刘湾镇人民政府 2023 · 三、收到和处理政府信息公开申请情况\n'
        "本年新收政府信息公开申请18件，其中予以公开12件，1,234条信息已发布。\n</passage>\n\n"
        '<passage n="2">\n[2] 刘湾镇人民政府 2023 · 五、存在的主要问题及改进情况\n'
    ) in human_msg.content
    assert f"<draft>\n{EXTRACTIVE}\n</draft>" in human_msg.content


# --- configuration -------------------------------------------------------------------------------


class FakeChat:
    """Stands in for a client class: records its keyword arguments, never calls anything."""

    def __init__(self, **kwargs: Any):
        self.kwargs = kwargs


def fake_package(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    module = types.ModuleType(name)
    module.__spec__ = importlib.machinery.ModuleSpec(name, None)
    module.ChatOpenAI = module.ChatOllama = FakeChat
    module.chat_models = module
    monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setitem(sys.modules, f"{name}.chat_models", module)


def missing_package(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setitem(sys.modules, name, None)  # find_spec and import both see it missing


def test_nothing_configured():
    assert configured({}) is False
    assert chat_model({"GONGKAI_LLM_MODEL": "  ", "PATH": "/bin"}) is None
    assert llm.status({}) == "llm: not configured"


def test_openai_configured(monkeypatch: pytest.MonkeyPatch):
    fake_package(monkeypatch, "langchain_openai")
    assert configured(OPENAI_ENV) is True
    assert llm.status(OPENAI_ENV) == (
        "llm: ready (openai model qwen2.5-7b-instruct at http://llm.example:8000/v1)"
    )
    model = chat_model({**OPENAI_ENV, "GONGKAI_LLM_TIMEOUT": "5"})
    assert model.kwargs == {
        "model": "qwen2.5-7b-instruct",
        "base_url": "http://llm.example:8000/v1",
        "temperature": 0,
        "api_key": "sk-test",
        "timeout": 5.0,
        "max_retries": 1,
    }


def test_openai_package_missing(monkeypatch: pytest.MonkeyPatch):
    missing_package(monkeypatch, "langchain_openai")
    message = (
        "The openai language model needs the langchain-openai package, which is not installed — "
        "run `pip install langchain-openai`, or unset the GONGKAI_LLM_*/GONGKAI_OLLAMA_* variables"
    )
    assert configured(OPENAI_ENV) is False
    assert llm.status(OPENAI_ENV) == f"llm: {message}"
    with pytest.raises(LLMUnavailable) as err:
        chat_model(OPENAI_ENV)
    assert str(err.value) == message


def test_ollama_configured(monkeypatch: pytest.MonkeyPatch):
    fake_package(monkeypatch, "langchain_ollama")
    assert configured(OLLAMA_ENV) is True
    assert chat_model(OLLAMA_ENV).kwargs == {
        "model": "qwen2.5:7b",
        "base_url": "http://localhost:11434",
        "temperature": 0,
        "client_kwargs": {"timeout": 20.0},
    }


def test_ollama_from_langchain_community(monkeypatch: pytest.MonkeyPatch):
    missing_package(monkeypatch, "langchain_ollama")
    fake_package(monkeypatch, "langchain_community")
    assert configured(OLLAMA_ENV) is True
    assert chat_model(OLLAMA_ENV).kwargs["timeout"] == 20


def test_ollama_packages_missing(monkeypatch: pytest.MonkeyPatch):
    missing_package(monkeypatch, "langchain_ollama")
    missing_package(monkeypatch, "langchain_community")
    assert configured(OLLAMA_ENV) is False
    with pytest.raises(LLMUnavailable) as err:
        chat_model(OLLAMA_ENV)
    assert str(err.value) == (
        "The ollama language model needs the langchain-ollama or langchain-community package, "
        "which is not installed — run `pip install langchain-ollama`, or unset the "
        "GONGKAI_LLM_*/GONGKAI_OLLAMA_* variables"
    )


@pytest.mark.parametrize(
    "env, problem",
    [
        ({"GONGKAI_LLM_MODEL": "m"}, "GONGKAI_LLM_BASE_URL, GONGKAI_LLM_API_KEY not set"),
        ({"GONGKAI_LLM_BASE_URL": "http://x/v1"}, "GONGKAI_LLM_API_KEY, GONGKAI_LLM_MODEL not set"),
        ({"GONGKAI_OLLAMA_HOST": "http://x:11434"}, "GONGKAI_LLM_MODEL not set"),
        (
            {**OPENAI_ENV, **OLLAMA_ENV},
            "both GONGKAI_LLM_BASE_URL and GONGKAI_OLLAMA_HOST are set",
        ),
        ({**OPENAI_ENV, "GONGKAI_LLM_URL": "x"}, "unknown variable GONGKAI_LLM_URL"),
        (
            {**OPENAI_ENV, "GONGKAI_LLM_TIMEOUT": "soon"},
            "GONGKAI_LLM_TIMEOUT must be a positive number of seconds, got 'soon'",
        ),
        (
            {**OLLAMA_ENV, "GONGKAI_LLM_TIMEOUT": "0"},
            "GONGKAI_LLM_TIMEOUT must be a positive number of seconds, got '0'",
        ),
    ],
)
def test_invalid_configuration(monkeypatch: pytest.MonkeyPatch, env: dict, problem: str):
    fake_package(monkeypatch, "langchain_openai")
    fake_package(monkeypatch, "langchain_ollama")
    message = f"Invalid language-model configuration: {problem} — {HELP}"
    assert configured(env) is False
    assert llm.status(env) == f"llm: {message}"
    with pytest.raises(LLMConfigError) as err:
        chat_model(env)
    assert str(err.value) == message


def test_real_chat_openai_is_built_without_network():
    pytest.importorskip("langchain_openai")
    model = chat_model(OPENAI_ENV)  # constructing a client sends nothing
    assert (model.model_name, model.request_timeout) == ("qwen2.5-7b-instruct", 20.0)


def test_import_is_lazy():
    code = (
        "import sys, bot.passages.llm; bot.passages.llm.status(); bot.passages.llm.configured(); "
        "print(sorted(m for m in sys.modules if m.startswith(('langchain', 'openai', 'ollama'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout == "[]\n"
