"""An optional language model that rewrites an extractive answer into a fluent one.

Numbers never come from the model: its answer is kept only if every [n] names a given passage, at
least one [n] is present, and every number in it (Arabic, or Chinese numerals of two or more
characters such as 十八) is in the passages, the question or the extractive answer. Otherwise, or
if the model fails, the extractive answer stands and `Rewrite.reason` says why.

Configured only by environment variables (nothing set: no model, `configured()` is False):
- an OpenAI-compatible server: GONGKAI_LLM_BASE_URL, GONGKAI_LLM_API_KEY, GONGKAI_LLM_MODEL
  (needs the langchain-openai package);
- or Ollama: GONGKAI_OLLAMA_HOST, GONGKAI_LLM_MODEL (needs langchain-ollama or langchain-community);
- optional GONGKAI_LLM_TIMEOUT, seconds per request (default 20).

    model = chat_model()  # once; None when not configured
    result = rewrite(question, "zh", passages, extractive, model=model)

LangChain and the client packages are imported only when a model is built or used.
"""

from __future__ import annotations

import importlib.util
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.lexicon import CN_DIGITS, number

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

ENV_BASE_URL = "GONGKAI_LLM_BASE_URL"
ENV_API_KEY = "GONGKAI_LLM_API_KEY"
ENV_MODEL = "GONGKAI_LLM_MODEL"
ENV_OLLAMA_HOST = "GONGKAI_OLLAMA_HOST"
ENV_TIMEOUT = "GONGKAI_LLM_TIMEOUT"
ENV_ALL = (ENV_BASE_URL, ENV_API_KEY, ENV_MODEL, ENV_OLLAMA_HOST, ENV_TIMEOUT)
DEFAULT_TIMEOUT = 20.0
HELP = (
    f"set either {ENV_BASE_URL}, {ENV_API_KEY} and {ENV_MODEL} (an OpenAI-compatible server), "
    f"or {ENV_OLLAMA_HOST} and {ENV_MODEL} (Ollama); optionally {ENV_TIMEOUT} (seconds, default "
    f"{DEFAULT_TIMEOUT:g}). Unset them all to answer without a language model"
)
# Client packages per provider, in order of preference: (module, pip name).
PACKAGES = {
    "openai": [("langchain_openai", "langchain-openai")],
    "ollama": [
        ("langchain_ollama", "langchain-ollama"),
        ("langchain_community", "langchain-community"),
    ],
}


class LLMError(Exception):
    """Base class: the language model cannot be set up as configured."""


class LLMConfigError(LLMError):
    def __init__(self, problem: str):
        self.problem = problem
        super().__init__(f"Invalid language-model configuration: {problem} — {HELP}")


class LLMUnavailable(LLMError):
    def __init__(self, provider: str):
        pip_names = " or ".join(pip for _, pip in PACKAGES[provider])
        self.provider = provider
        super().__init__(
            f"The {provider} language model needs the {pip_names} package, which is not "
            f"installed — run `pip install {PACKAGES[provider][0][1]}`, or unset the "
            f"GONGKAI_LLM_*/GONGKAI_OLLAMA_* variables"
        )


@dataclass(frozen=True)
class Settings:
    provider: str  # "openai" or "ollama"
    model: str
    url: str
    api_key: str | None
    timeout: float


@dataclass
class Rewrite:
    text: str  # the final answer text: the model's if accepted, else the extractive one
    used_llm: bool
    reason: str  # "llm: accepted", "llm rejected: …", "llm failed: …", "llm: not configured"


def settings(environ: Mapping[str, str] = os.environ) -> Settings | None:
    """The configuration in `environ`; None if none is set. Raises LLMConfigError if it is
    incomplete, contradictory or has an unknown GONGKAI_LLM_*/GONGKAI_OLLAMA_* variable."""
    env = {
        k: v.strip()
        for k, v in environ.items()
        if k.startswith(("GONGKAI_LLM_", "GONGKAI_OLLAMA_"))
    }
    unknown = sorted(k for k in env if k not in ENV_ALL)
    if unknown:
        raise LLMConfigError(f"unknown variable {', '.join(unknown)}")
    env = {k: v for k, v in env.items() if v}
    if not env:
        return None
    if ENV_BASE_URL in env and ENV_OLLAMA_HOST in env:
        raise LLMConfigError(f"both {ENV_BASE_URL} and {ENV_OLLAMA_HOST} are set")
    provider = "ollama" if ENV_OLLAMA_HOST in env else "openai"
    needed = (
        [ENV_OLLAMA_HOST, ENV_MODEL]
        if provider == "ollama"
        else [ENV_BASE_URL, ENV_API_KEY, ENV_MODEL]
    )
    missing = [k for k in needed if k not in env]
    if missing:
        raise LLMConfigError(f"{', '.join(missing)} not set")
    try:
        timeout = float(env.get(ENV_TIMEOUT, DEFAULT_TIMEOUT))
    except ValueError:
        timeout = 0.0
    if not 0 < timeout < float("inf"):
        raise LLMConfigError(
            f"{ENV_TIMEOUT} must be a positive number of seconds, got {env[ENV_TIMEOUT]!r}"
        )
    url = env[ENV_OLLAMA_HOST if provider == "ollama" else ENV_BASE_URL]
    return Settings(provider, env[ENV_MODEL], url, env.get(ENV_API_KEY), timeout)


def _installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None  # finds without importing


def status(environ: Mapping[str, str] = os.environ) -> str:
    """One line for logs and the UI: "llm: ready (…)", or why no model will be used."""
    try:
        found = settings(environ)
    except LLMConfigError as err:
        return f"llm: {err}"
    if found is None:
        return "llm: not configured"
    if not any(_installed(module) for module, _ in PACKAGES[found.provider]):
        return f"llm: {LLMUnavailable(found.provider)}"
    return f"llm: ready ({found.provider} model {found.model} at {found.url})"


def configured(environ: Mapping[str, str] = os.environ) -> bool:
    """True if `environ` configures a model completely and its client package is installed."""
    return status(environ).startswith("llm: ready")


def chat_model(environ: Mapping[str, str] = os.environ) -> BaseChatModel | None:
    """The configured chat model, or None if none is configured. Builds a client without calling
    the network. Raises LLMConfigError or LLMUnavailable (a client package missing)."""
    found = settings(environ)
    if found is None:
        return None
    common = {"model": found.model, "base_url": found.url, "temperature": 0}
    if found.provider == "openai" and _installed("langchain_openai"):
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(**common, api_key=found.api_key, timeout=found.timeout, max_retries=1)
    if found.provider == "ollama" and _installed("langchain_ollama"):
        from langchain_ollama import ChatOllama

        return ChatOllama(**common, client_kwargs={"timeout": found.timeout})
    if found.provider == "ollama" and _installed("langchain_community"):
        from langchain_community.chat_models import ChatOllama as CommunityChatOllama

        return CommunityChatOllama(**common, timeout=max(1, round(found.timeout)))
    raise LLMUnavailable(found.provider)


SYSTEM = {
    "zh": "你是政府信息公开工作年度报告的问答助手。请把“草稿答案”改写成通顺、简洁的回答。规则：\n"
    "1. 只依据下面编号的材料回答，不使用材料以外的任何知识。\n"
    "2. 每个事实陈述之后用 [n] 标注出处，n 是材料编号，只能引用给出的编号。\n"
    "3. 数字必须与材料中的写法完全一致：不计算、不换算、不四舍五入、不编造数字。\n"
    "4. 用中文回答。\n"
    "5. 如果材料不能回答这个问题，就直接说不知道，不要猜测。",
    "en": "You answer questions about Chinese government information-disclosure annual reports. "
    "Rewrite the draft answer into a fluent, concise answer. Rules:\n"
    "1. Answer only from the numbered passages below; use no other knowledge.\n"
    "2. After each claim cite its source as [n], where n is a passage number; cite only the "
    "numbers given.\n"
    "3. Copy every number exactly as the passages write it: do not calculate, convert, round or "
    "invent numbers.\n"
    "4. Answer in English.\n"
    "5. If the passages do not answer the question, say that you don't know; do not guess.",
}
HUMAN = {
    "zh": "问题：{question}\n\n材料：\n{passages}\n\n草稿答案：\n{extractive}\n\n改写后的回答：",
    "en": "Question: {question}\n\nPassages:\n{passages}\n\nDraft answer:\n{extractive}\n\nRewritten answer:",
}


def _passage_block(passages: list[dict]) -> str:
    return "\n\n".join(
        f"[{p['n']}] {p.get('org', '')} {p.get('year', '')} · {p.get('section', '')}\n"
        f"{p.get('text', '')}"
        for p in passages
    )


CITE_RE = re.compile(r"[\[【](\d+(?:\s*[,、]\s*\d+)*)[\]】]")
ARABIC_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
CN_NUM_RE = re.compile(r"[零〇一二两三四五六七八九十百千万]{2,}")
CN_NOT_NUMBERS = {"一一", "万一", "千万", "一五一十", "三三两两"}  # words, not quantities


def _plain(text: str) -> str:
    """NFKC (full-width digits and brackets), Chinese commas kept apart from thousands commas."""
    return unicodedata.normalize("NFKC", text.replace("，", "、"))


def _cn_value(numeral: str) -> float | None:
    if not re.search("[十百千万]", numeral):  # 二〇二三 → 2023: digit by digit
        return float("".join(str(CN_DIGITS[ch]) for ch in numeral))
    return number(numeral)


def _numbers(text: str) -> list[tuple[str, float]]:
    """(as written, value) of each number in `text`, citation markers left out."""
    text = CITE_RE.sub(" ", _plain(text))
    found = [(m, float(m.replace(",", ""))) for m in ARABIC_RE.findall(text)]
    for m in CN_NUM_RE.findall(text):
        value = _cn_value(m)
        if m not in CN_NOT_NUMBERS and value is not None:
            found.append((m, value))
    return found


def _problem(answer: str, sources: str, years: set[float], numbers: set[int]) -> str | None:
    """Why the model's answer cannot be used, or None if it passes every check."""
    if not answer.strip():
        return "empty answer"
    cited = [int(n) for group in CITE_RE.findall(_plain(answer)) for n in re.split(r"[,、]", group)]
    if not cited:
        return "no citation"
    for n in cited:
        if n not in numbers:
            return f"citation [{n}] is not one of the passages {sorted(numbers)}"
    known = _numbers(sources)  # a number passes by value (十八 = 18) or as written (十二五)
    values, written_forms = {v for _, v in known} | years, {w for w, _ in known}
    for written, value in _numbers(answer):
        if value not in values and written not in written_forms:
            return f"number {written} not in sources"
    return None


def _reply_text(message: Any) -> str:
    text = message.text if hasattr(message, "text") else str(message)
    return re.sub(r"<think>.*?</think>", "", text, flags=re.DOTALL).strip()  # reasoning models


def rewrite(
    question: str, lang: str, passages: list[dict], extractive: str, model: Any = None
) -> Rewrite:
    """The model's rewrite of `extractive` if it passes the checks, else `extractive` itself.
    `passages` are dicts with n (the citation number), org, year, section, lines and text."""
    if model is None:
        return Rewrite(extractive, False, "llm: not configured")
    if not passages:
        return Rewrite(extractive, False, "llm: no passages to cite")
    from langchain_core.prompts import ChatPromptTemplate

    lang = "zh" if lang.lower().startswith("zh") else "en"
    prompt = ChatPromptTemplate.from_messages([("system", SYSTEM[lang]), ("human", HUMAN[lang])])
    inputs = {"question": question, "passages": _passage_block(passages), "extractive": extractive}
    try:
        answer = _reply_text((prompt | model).invoke(inputs))
    except Exception as err:  # any failure of the model or its server: keep the extractive answer
        return Rewrite(extractive, False, f"llm failed: {type(err).__name__}: {err}"[:300])
    sources = "\n".join(
        [question, extractive]
        + [f"{p.get('org', '')} {p.get('section', '')} {p.get('text', '')}" for p in passages]
    )
    years = {float(p["year"]) for p in passages if str(p.get("year", "")).isdigit()}
    problem = _problem(answer, sources, years, {int(p["n"]) for p in passages})
    if problem:
        return Rewrite(extractive, False, f"llm rejected: {problem}")
    return Rewrite(answer, True, "llm: accepted")
