"""Understand a question: which organisations, years and metrics, and what kind of answer it wants.

Pure functions (no database, model or network). `understand` reads one question, `merge_followup`
fills a follow-up ("那2021年呢？", "what about litigation?") from the previous turn, and `route`
picks how to answer: sql, retrieval, hybrid, clarify or none. The words live in `bot.question.lexicon`
(built from `parsers.template`), organisation names in `bot.question.orgnames`, the slot readers in
`bot.question.slots`. Every decision is logged in `Understanding.reasons`.

    >>> from bot.question.understand import OrgRef, route, understand
    >>> orgs = [OrgRef("大峪镇人民政府", "大峪镇", "镇", (2025,))]
    >>> u = understand("大峪2025年行政处罚多少件？", orgs)
    >>> u.intent, [o.org_short for o in u.orgs], u.years, u.metrics[0].row, u.metrics[0].col
    ('value', ['大峪镇'], [2025], 'administrative_penalty', 'decisions')
    >>> route(u, orgs)[0]
    'sql'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bot.question import slots
from bot.question.cues import answer_cues, asked_unit, question_cues
from bot.question.followup import merge_followup
from bot.question.glossary import chinese_terms
from bot.question.lexicon import CUE_RE, Metric, normalize, scan_terms, sections_in
from bot.question.model import AGGREGATES, OrgRef, Understanding
from bot.question.orgnames import find_orgs, find_unknown, near_orgs
from parsers.vocabulary import LEVEL_GROUPS

PLACE_AFTER_TERM = re.compile(r"镇|乡|街道|县")

__all__ = ["Metric", "OrgRef", "Understanding", "merge_followup", "route", "understand"]


def understand(
    question: str, orgs: Sequence[OrgRef], latest_year: int | None = None
) -> Understanding:
    """Read `question` against the indexed `orgs`. `latest_year` (the newest report year) turns
    去年/last year into a year."""
    cased = normalize(question, lower=False)
    text = "".join(ch.lower() if ch.isascii() else ch for ch in cased)
    u = Understanding(question, "zh" if slots.CJK.search(cased) else "en")
    buf = list(text)

    def hide(start: int, end: int) -> None:
        buf[start:end] = "\0" * (end - start)

    org_spans = _read_orgs(u, text, cased, tuple(orgs), hide)
    u.unit = asked_unit(text)
    slots.read_years(u, "".join(buf), latest_year, hide)
    cues: dict[str, Any] = slots.read_numbers(u, "".join(buf), hide)
    hits = scan_terms("".join(buf))
    # a short term right before a level word is part of a place name (会议镇), not a term
    hits = [h for h in hits if not (h[1] - h[0] <= 3 and PLACE_AFTER_TERM.match(text, h[1]))]
    for start, end, _, _ in hits:
        hide(start, end)
    cues["level"], cues["count"] = slots.read_level(u, "".join(buf), hide)
    _under_places(u, tuple(orgs))
    masked = "".join(buf)
    masked_cased = "".join(c if m != "\0" else m for c, m in zip(cased, masked, strict=True))
    for _, end, name in find_unknown(masked, masked_cased):
        if end in org_spans:  # 高平市陈区镇: a place in front of a known name only locates it
            u.reasons.append(f"'{name}' read as the place of the organisation that follows")
        elif name not in u.unknown_orgs:
            u.unknown_orgs.append(name)
            if near := near_orgs(name, tuple(orgs)):
                u.near[name] = near
                u.reasons.append(f"'{name}' is close to {', '.join(o.org for o in near)}")
            u.reasons.append(f"'{name}' looks like an organisation but is not indexed")
    cues |= {name: (m.group() if (m := rx.search(masked)) else None) for name, rx in CUE_RE.items()}
    cues = question_cues(masked, cues, hits, len(u.orgs) + len(u.ambiguous))
    counting = cues["list"] or cues["level"] or cues["how_many"]  # 哪些单位有年报 / 几份年报
    slots.read_terms(u, hits, bool(cues["number"]), bool(counting and not cues["prose"]))
    if cues["items"] and not u.metrics and not u.narrative_number:
        u.narrative_number = True
        u.reasons.append(f"narrative number from '{cues['items']}'")
    slots.read_intent(u, cues)
    u.topics = slots.topics(masked, hits)
    u.sections = sections_in(text)
    for name, value in answer_cues(text).items():
        setattr(u, name, value)
    u.all_years = bool(slots.ALL_YEARS.search(text))
    u.terms_zh = chinese_terms(question)
    return u


PLACE_LEVELS = ("县", "市", "区")  # a government named after a place that others belong to


def under(places: Sequence[OrgRef], orgs: Sequence[OrgRef]) -> list[OrgRef]:
    """Indexed organisations under the places among `places` (清河市 → 清河市农业农村局,
    清河市宁乐镇人民政府): their full names begin with the place's name."""
    prefixes = [p.org_short for p in places if p.org_level in PLACE_LEVELS and p.org_short]
    return [
        o for o in orgs
        if o not in places and any(o.org.startswith(x) and o.org != x for x in prefixes)
    ]  # fmt: skip


def _under_places(u: Understanding, orgs: tuple[OrgRef, ...]) -> None:
    """清河市的部门 / 沭阳县各镇: a level asked for under a named county or city means the
    organisations of that level under it, not the county's own government."""
    if not (u.level and u.orgs) or any(o.org_level not in PLACE_LEVELS for o in u.orgs):
        return
    if all(o.org_level == u.level for o in u.orgs):
        return
    levels = LEVEL_GROUPS.get(u.level, (u.level,))
    found = [o for o in under(u.orgs, orgs) if o.org_level in levels]
    places = ", ".join(o.org_short for o in u.orgs)
    u.reasons.append(f"the {u.level} under {places}: {len(found)} indexed")
    u.orgs, u.org_mentions, u.under = found, [places] * len(found), places


def _read_orgs(
    u: Understanding, text: str, cased: str, orgs: tuple[OrgRef, ...], hide: slots.Hide
) -> set[int]:
    """Fill orgs, ambiguous and unknown_orgs from names of indexed organisations; return the
    start offsets of the names found."""
    starts = set()
    for m in find_orgs(text, orgs):
        hide(m.start, m.end)
        starts.add(m.start)
        m = replace(m, text=cased[m.start : m.end])  # mentions keep the user's capitals
        if len(m.orgs) == 1 or (len(m.orgs) > 1 and len(set(m.orgs) & set(u.orgs)) == 1):
            org = m.orgs[0] if len(m.orgs) == 1 else next(o for o in m.orgs if o in u.orgs)
            if org not in u.orgs:
                u.orgs.append(org)
                u.org_mentions.append(m.text)
            u.reasons.append(f"org {org.org_short or org.org} from '{m.text}'")
        elif m.orgs:
            u.ambiguous[m.text] = list(m.orgs)
            names = ", ".join(o.org for o in m.orgs)
            u.reasons.append(f"'{m.text}' is ambiguous: {names}")
        else:
            u.unknown_orgs.append(m.text)
            u.reasons.append(f"'{m.text}' matches no indexed organisation of that level")
    return starts


def route(u: Understanding, orgs: Sequence[OrgRef]) -> tuple[str, list[str]]:
    """(route, reasons): sql (template metrics, narrative numbers), retrieval (prose), hybrid
    (both), clarify (ambiguous organisation, missing year) or none (nothing indexed to answer)."""
    reasons: list[str] = []
    years = "/".join(map(str, u.years))
    when = f"{years} " if years else ""
    if u.unknown_orgs and not u.orgs and not u.ambiguous:
        if all(name in u.near for name in u.unknown_orgs):
            return "clarify", [
                f"'{n}' is not indexed; did you mean {u.near[n][0].org}?" for n in u.near
            ]
        return "none", [f"no {when}report for {name} is indexed" for name in u.unknown_orgs]
    reasons += [f"ignoring unknown organisation {name}" for name in u.unknown_orgs]
    if u.years and u.orgs:
        missing = [o for o in u.orgs if not set(u.years) & set(o.years)]
        for o in missing:
            have = ", ".join(map(str, o.years)) or "none"
            reasons.append(f"no {when}report for {o.org_short or o.org} is indexed (years: {have})")
        if len(missing) == len(u.orgs):
            u.related = [o for o in under(u.orgs, orgs) if set(u.years) & set(o.years)]
            if u.related:
                names = ", ".join(o.org for o in u.related[:8])
                return "clarify", reasons + [f"reports of organisations under it: {names}"]
            return "none", reasons
    elif u.years and not u.ambiguous:
        pool = slots.pool(u.level, orgs)
        if pool and not any(set(u.years) & set(o.years) for o in pool):
            kind = f" for any {u.level}" if u.level else ""
            return "none", reasons + [f"no {when}report is indexed{kind}"]
    if u.ambiguous and u.intent in ("value", "compare", "trend", "prose"):
        for mention, candidates in u.ambiguous.items():
            names = " or ".join(o.org for o in candidates)
            reasons.append(f"'{mention}' could be {names}")
        return "clarify", reasons
    if u.relative_year and not u.years:
        return "clarify", reasons + [f"'{u.relative_year}' needs the latest report year"]
    asks_sql = (bool(u.metrics) or u.narrative_number) and u.intent != "prose"
    listing = bool(u.metrics) and all(m.kind == "reports" for m in u.metrics)  # 哪些单位有年报
    if asks_sql and not u.years and u.intent in ("value", "compare") and not listing:
        for o in u.orgs:
            if len(o.years) > 1:
                have = ", ".join(map(str, o.years))
                reasons.append(f"{o.org_short or o.org} has reports for {have}; no year named")
        if any(len(o.years) > 1 for o in u.orgs):
            return "clarify", reasons
    nobody = not (u.orgs or u.ambiguous or u.level)
    if asks_sql and u.intent == "value" and nobody and not u.years and not listing:
        return "clarify", reasons + ["one number asked for, but no organisation and no year named"]
    if asks_sql and not u.years and u.intent in AGGREGATES and not listing:
        reasons.append("no year named: every indexed year, each report labelled with its year")
    if asks_sql and u.intent == "value" and nobody:
        reasons.append("no organisation named: all indexed organisations")
    if asks_sql:
        what = [m.row or m.table for m in u.metrics] + ["narrative number"] * u.narrative_number
        reasons.append("template metric: " + ", ".join(what))
    if u.wants_prose:
        reasons.append("prose question: " + (", ".join(u.topics) or "report text"))
    if asks_sql and u.wants_prose:
        return "hybrid", reasons
    if asks_sql:
        return "sql", reasons
    if u.wants_prose:
        return "retrieval", reasons
    if u.orgs or u.topics:
        return "retrieval", reasons + ["no metric or prose cue: searching the report text"]
    return "clarify", reasons + ["no organisation, metric or topic recognised"]
