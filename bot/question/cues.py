"""Question shapes that single cue words miss: joined questions, who/where questions, yes/no
questions about a thing, and "which <thing>" questions.

`question_cues` reads the masked question (names, years and terms replaced by NUL, see
`bot.question.understand`) and adjusts the cue words found by `lexicon.CUE_RE`:

- a question of several clauses (？, ；, "…, and what/which…") is a prose question too when one
  clause asks for a number and another asks what/which/where without one
  ("陈区镇2024年收到多少申请？申请渠道有哪些？");
- who/where (谁审批, 从哪里下载, where does … publish) asks for text, not a number;
- a yes/no question whose object is no metric (有专门的制度吗, 是否有考核办法) asks for text;
- "which <thing>" (哪些渠道, which channels) asks about things, not about organisations.

    >>> from bot.question.cues import question_cues
    >>> question_cues("年报电子版从哪里下载", {"number": None, "prose": None}, [])["prose"]
    '从哪'
"""

from __future__ import annotations

import re
from typing import Any

from bot.question.lexicon import CUE_RE

CLAUSE = re.compile(
    r"[？?；;。!！，,]\s*(?:and\s+)?|[\s\0]+and\s+(?=(?:[a-z]+\s+){0,2}(?:what|which|where|who|how|why)\b)"
)
WH = re.compile(
    r"哪些|哪里|哪儿|哪个|哪种|什么|谁|怎么|如何|有哪|(?<![a-z])(?:what|which|where|who|how|why)\b"
)
WHO_WHERE = re.compile(r"谁|哪里|哪儿|何处|在哪|从哪|去哪|(?<![a-z])(?:where|who|whom)\b")
# 有专门的制度吗 / 是否有考核办法 / 有没有专人负责: the thing asked about, up to the clause end.
YES_NO = re.compile(
    r"(?:是否有|有没有|有)([^？?，,。！!；;吗么]*?)(?:吗|么)|(?:是否有|有没有)([^？?，,。！!；;]+)"
)
WHICH_THING = re.compile(
    r"(?:哪些|哪种|哪几种|哪类|哪几类|哪个)(?=[\u4e00-\u9fff])(?![是有年月多少高低大小更最])"
    r"|(?<![a-z])which\s+(?!of\b|one\b|ones\b|years?\b|\0)(?=[a-z])"
)
# what answerers need to know of a question beyond its slots (see `answer_cues`)
ASCENDING = re.compile(r"从低到高|从少到多|升序|ascending|lowest first|fewest first")
ASKED_UNIT = re.compile(r"(?:多少|几)\s*(条|件|个|次|份|人次)|(items|posts|times|sessions)")
EN_UNITS = {"items": "条", "posts": "条", "times": "次", "sessions": "次"}
PART = re.compile(r"其中|(?<![a-z])(?:of which|of these|of them|among them)(?![a-z])")
PLAN = re.compile(
    r"打算|下一步|今后|将来|未来|拟将|\bplan(?:s|ned|ning)? to\b|\bwill\b|\bgoing to\b"
)
NOT_PROSE = ("compare", "max", "min", "rank", "trend", "threshold")
MONEY_ASKED = re.compile(
    r"(?:多少|几|折合成?|换算成?|合成)\s*(亿元|万元|元)"
    r"|(?<![a-z])(?:in|how many|how much in)\s+(yuan|rmb)(?![a-z])"
)


def asked_unit(text: str) -> str | None:
    """The money unit a question asks for: 折合多少元 → 元, 多少万元 → 万元, in yuan → 元."""
    m = MONEY_ASKED.search(text)
    return (m.group(1) or "元") if m else None


def question_cues(masked: str, cues: dict[str, Any], hits: list, n_orgs: int = 0) -> dict[str, Any]:
    """`cues` with prose (and list/number) cues set by the shape of the question. With two or
    more organisations, 谁/哪个 compare them (大峪镇和湖东镇谁的行政处罚多)."""
    cues = dict(cues)
    if cues.get("prose"):
        return cues
    others = any(cues.get(k) for k in NOT_PROSE if k != "compare") or (
        n_orgs >= 2 and bool(cues.get("compare"))
    )
    if (m := WHO_WHERE.search(masked)) and not cues.get("number") and not others:
        cues["prose"] = m.group()
    elif (thing := _yes_no_thing(masked)) and not others:
        cues["prose"] = thing
        if cues.get("number") in ("有没有", "是否有"):
            cues["number"] = None
    elif (m := WHICH_THING.search(masked)) and not cues.get("number") and not others:
        cues["prose"], cues["list"] = m.group().strip(), None
    elif clause := _prose_clause(masked, hits):
        cues["prose"] = clause
    return cues


def _yes_no_thing(masked: str) -> str | None:
    """The object of a yes/no question when it is no metric (no masked term in it)."""
    for m in YES_NO.finditer(masked):
        thing = m.group(1) if m.group(1) is not None else m.group(2)
        if len(re.findall(r"[\u4e00-\u9fff]", thing)) >= 2 and "\0" not in thing:
            return m.group()
    return None


def _prose_clause(masked: str, hits: list) -> str | None:
    """The wh-word of a clause that asks for text, when another clause asks for a number."""
    bounds = [0, *(m.end() for m in CLAUSE.finditer(masked)), len(masked)]
    clauses = [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if masked[a:b].strip()]
    if len(clauses) < 2:
        return None
    numbers = [bool(CUE_RE["number"].search(masked[a:b])) for a, b in clauses]
    if not any(numbers):
        return None
    for (a, b), number in zip(clauses, numbers, strict=True):
        clause = masked[a:b]
        m = WH.search(clause)
        if number or not m or any(CUE_RE[k].search(clause) for k in ("max", "min", "rank")):
            continue
        specific = any(
            a <= start < b and any(_specific(e) for e in entries) for start, _, _, entries in hits
        )
        if not specific:
            return m.group()
    return None


def _specific(entry) -> bool:
    """A term that names one template row (not a whole table, a vague word or a narrative)."""
    return bool(entry.metric) and not entry.generic and entry.metric.kind in ("cell", "rowgroup")


def answer_cues(text: str) -> dict[str, Any]:
    """What the answerers need beyond the slots, read from the normalised, lower-cased question:
    the count unit asked for, ascending order, a part of a total, plans, a number cue."""
    m = ASKED_UNIT.search(text)
    return {
        "count_unit": (m.group(1) or EN_UNITS[m.group(2)]) if m else "",
        "ascending": bool(ASCENDING.search(text)),
        "part_of_total": bool(PART.search(text)),
        "plan": bool(PLAN.search(text)),
        "number_cue": bool(CUE_RE["number"].search(text)),
    }
