"""Extractive answers from retrieved passages: the supporting sentences, quoted, each with a
numbered citation to its report, section and lines.

    text, citations = prose_answer(understanding, hits, first=1)
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from parsers.vocabulary import PREAMBLE_NAME

if TYPE_CHECKING:
    from bot.question.understand import Understanding
    from index.search import Hit

SENTENCE = re.compile(r"[^。！？；!?;]+[。！？；!?;]?")
SENTENCES_PER_HIT = 2


def prose_answer(u: Understanding, hits: list[Hit], first: int = 1) -> tuple[str, list[dict]]:
    zh = u.lang == "zh"
    if not hits:
        return (
            "没有找到相关段落。" if zh else "No passage in the indexed reports answers this."
        ), []
    probe = _probe(u)
    lines, citations = [], []
    for n, hit in enumerate(hits, first):
        quote = _best_sentences(hit.text, probe)
        who = f"{hit.org_short or hit.org}{hit.year or ''}年" if zh else _who_en(hit)
        section = hit.path or PREAMBLE_NAME["zh" if zh else "en"]
        where = (
            f"{section}，第{hit.start_line}–{hit.end_line}行"
            if zh
            else f"{section}, lines {hit.start_line}–{hit.end_line}"
        )
        lines.append(
            f"[{n}] {who}（{where}）：「{quote}」" if zh else f"[{n}] {who} ({where}): “{quote}”"
        )
        citations.append(_citation(n, hit, quote))
    head = "相关报告原文：" if zh else "What the reports say:"
    return "\n".join([head, *lines]), citations


def _citation(n: int, hit: Hit, quote: str) -> dict[str, Any]:
    return {
        "n": n,
        "org": hit.org_short or hit.org,
        "year": hit.year,
        "source": hit.source_name,
        "section": hit.path or hit.section_key,
        "section_key": hit.section_key,
        "lines": [hit.start_line, hit.end_line],
        "quote": quote,
        "passage": hit.text,
    }


def _who_en(hit: Hit) -> str:
    return f"{hit.org_short or hit.org} {hit.year or ''}".strip()


def _probe(u: Understanding) -> set[str]:
    """Character bigrams and terms of what the question is about (Chinese side)."""
    from bot.question.glossary import chinese_terms

    names = {o.org_short for o in u.orgs} | {o.org for o in u.orgs}
    text = u.question
    for name in names:
        text = text.replace(name, " ")
    words = [*chinese_terms(u.question), *u.topics, text]
    grams: set[str] = set()
    for w in words:
        w = re.sub(r"[^\u4e00-\u9fff]", " ", w)
        for part in w.split():
            grams |= {part[i : i + 2] for i in range(len(part) - 1)}
    return grams - {"哪些", "什么", "多少", "是否", "情况", "工作", "存在"}


def _best_sentences(text: str, probe: set[str]) -> str:
    """The passage's sentences that share most with the question, in their printed order."""
    sentences = [s.strip() for s in SENTENCE.findall(text) if s.strip()]
    if len(sentences) <= SENTENCES_PER_HIT:
        return text.strip()
    scored = sorted(
        range(len(sentences)),
        key=lambda i: (-sum(g in sentences[i] for g in probe), i),
    )
    keep = sorted(scored[:SENTENCES_PER_HIT])
    return "".join(sentences[i] for i in keep)
