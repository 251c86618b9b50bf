"""The bot: one question (and the conversation so far) in, one cited answer out.

    bot = Bot(".gongkai")
    chat = Conversation()
    bot.ask("大峪镇2025年行政处罚多少件？", chat).answer
    bot.ask("那刘湾镇呢？", chat).to_json()              # the follow-up reuses year and metric

The answer is a `bot.answer.Answer`; its `to_json()` is the contract of `gongkai ask --json` (see
the README). Orchestration only: understanding in `bot.question`, wording in the answerers. Numbers come only from SQL (`bot.numbers.answer`); prose from retrieval (`bot.passages.retrieve`);
an optional language model (`bot.passages.llm`) may only reword retrieved passages. The retrieval side
(torch, Chroma, jieba) loads on the first question that needs it, never for SQL answers.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.answer import Answer
from bot.passages.retrieve import org_refs
from bot.question.orgnames import english_label
from bot.question.understand import Understanding, merge_followup, route, understand
from index.store import Store

RETRIEVAL_K = 3


@dataclass
class Conversation:
    """What a follow-up may reuse: the previous question's understanding."""

    previous: Understanding | None = None
    answered: list[str] = field(default_factory=list)  # organisations the previous answer named
    turns: int = 0
    log: list[Answer] = field(default_factory=list)


class Bot:
    def __init__(
        self,
        index_dir: str | Path,
        *,
        chroma_url: str | None = None,
        model: str | None = None,
        use_llm: bool = True,
        llm_model: Any = None,
    ):
        self.index_dir = Path(index_dir)
        self.store = Store(self.index_dir, create=False)
        self.chroma_url, self.model, self.use_llm = chroma_url, model, use_llm
        self._retriever = None
        self._llm = llm_model  # a langchain chat model; None: from the environment, if configured
        self._lock = threading.Lock()  # one SQLite connection: one question at a time

    def close(self) -> None:
        self.store.close()

    def retriever(self):
        if self._retriever is None:
            from index.search import Retriever
            from index.vectors import open_vectors

            vectors = open_vectors(self.index_dir, url=self.chroma_url, model=self.model)
            self._retriever = Retriever(self.store, vectors)
        return self._retriever

    def ask(self, question: str, conversation: Conversation | None = None) -> Answer:
        start = time.perf_counter()
        conversation = conversation if conversation is not None else Conversation()
        with self._lock:
            refs = org_refs(self.store)
            latest = max((r.years[-1] for r in refs if r.years), default=None)  # years sorted
            u = understand(question, refs, latest)
            if conversation.previous is not None:
                named = set(conversation.answered)
                answered = [r for r in refs if (r.org_short or r.org) in named]
                u = merge_followup(conversation.previous, u, answered)
            chosen, reasons = route(u, refs)
            out = Answer(question, u.lang, chosen, reasons=[*u.reasons, *reasons])
            if chosen in ("sql", "hybrid"):
                self._sql(u, out)
            if out.route in ("retrieval", "hybrid"):
                self._retrieval(u, out)
            if chosen in ("clarify", "none"):
                out.answer = _explain(chosen, u, reasons, refs)
                out.status = "no_report" if chosen == "none" else "clarify"
        conversation.previous, conversation.answered = u, list(out.orgs)
        conversation.turns += 1
        out.ms = round((time.perf_counter() - start) * 1000, 1)
        conversation.log.append(out)
        return out

    def _sql(self, u: Understanding, out: Answer) -> None:
        from bot.numbers.answer import answer_sql

        sa = answer_sql(self.store, u)
        if sa.status == "no_metric" and out.route == "sql":
            out.route = "retrieval"
            out.reasons.append("no such number in the tables or the text: searching passages")
            return
        out.answer = sa.text
        out.status, out.result, out.facts = sa.status, sa.result, sa.facts
        out.sql, out.citations, out.orgs = sa.sql, sa.citations, sa.orgs
        out.reasons += sa.reasons

    def _retrieval(self, u: Understanding, out: Answer) -> None:
        from bot.passages.prose import prose_answer
        from bot.passages.retrieve import search_understood

        hits = search_understood(self.retriever(), u, k=RETRIEVAL_K)
        first = len(out.citations) + 1
        text, citations = prose_answer(u, hits, first)
        if self.use_llm and hits:
            text = self._rewrite(u, citations, text, out)
        out.citations += citations
        out.answer = "\n\n".join(x for x in (out.answer, text) if x)

    def _rewrite(self, u: Understanding, citations: list, text: str, out: Answer) -> str:
        from bot.passages import llm

        if self._llm is None:
            if not llm.configured():
                return text
            self._llm = llm.chat_model()
        passages = [{**c, "n": c["n"], "text": c["passage"]} for c in citations]
        rewrite = llm.rewrite(u.question, u.lang, passages, text, model=self._llm)
        out.llm = rewrite.used_llm
        out.reasons.append(rewrite.reason)
        return rewrite.text


def _explain(chosen: str, u: Understanding, reasons: list[str], refs) -> str:
    """The reply for clarify / none: what is missing or not indexed, and what is."""
    zh = u.lang == "zh"
    if chosen == "none":
        why = "；".join(_missing_zh(u)) if zh else "; ".join(reasons)
        have = sorted({r.org_short or r.org for r in refs})
        listing = "、".join(have[:12]) if zh else ", ".join(have[:12])
        if zh:
            return f"无法回答：{why}。已收录的单位包括：{listing}。"
        return f"Cannot answer: {why}. Indexed organisations include: {listing}."
    if u.related:
        place = "、".join(o.org_short or o.org for o in u.orgs)
        years = "、".join(f"{y}年" for y in u.years)
        names = [o.org for o in u.related[:12]]
        more = len(u.related) - len(names)
        if zh:
            tail = f"等{len(u.related)}个" if more > 0 else ""
            return (
                f"未收录{place}{years}本级的报告。已收录{place}所属单位{years}的报告："
                f"{'、'.join(names)}{tail}。请问要查哪一个？"
            )
        tail = f" and {more} more" if more > 0 else ""
        years = ", ".join(map(str, u.years))
        return (
            f"No {years} report of {place} itself is indexed. Indexed {years} reports of "
            f"organisations under it: {', '.join(names)}{tail}. Which one do you mean?"
        )
    if u.near and not u.orgs:
        names = [o.org_short or o.org for near in u.near.values() for o in near]
        if zh:
            return f"未收录{'、'.join(u.near)}的报告。您是不是要问：{'、'.join(names)}？"
        names = [english_label(o) for near in u.near.values() for o in near]
        return f"No report of {', '.join(u.near)} is indexed. Did you mean {' or '.join(names)}?"
    options = []
    for candidates in u.ambiguous.values():
        options += [f"{o.org}" for o in candidates]
    for o in u.orgs:
        if len(o.years) > 1 and not u.years:
            options += [f"{o.org_short or o.org} {y}" for y in o.years]
    if not options and not u.orgs:
        years = sorted({y for r in refs for y in r.years})
        options = [str(y) for y in years]
    if zh:
        return f"请说明具体对象：{'、'.join(options) or '单位和年份'}？（{'；'.join(reasons)}）"
    return f"Please be more specific: {', '.join(options) or 'organisation and year'}? ({'; '.join(reasons)})"


def _missing_zh(u: Understanding) -> list[str]:
    """What is not indexed, said in Chinese."""
    years = "、".join(f"{y}年" for y in u.years)
    out = [f"未收录{name}{years}的报告" for name in u.unknown_orgs]
    for o in u.orgs:
        if u.years and not set(u.years) & set(o.years):
            have = "、".join(map(str, o.years)) or "无"
            out.append(f"未收录{o.org_short or o.org}{years}的报告（已收录年份：{have}）")
    if not out:
        kind = u.level or "单位"
        out.append(f"未收录任何{kind}{years}的报告")
    return out
