"""Follow-up questions: fill what a short question leaves out from the previous turn.

`merge_followup(previous, current)` carries over the organisations, years, metrics and intent
that `current` lacks ("那2021年呢？", "what about litigation?", "总计呢？"). Pronouns (它, 他们,
该镇, it, they, them) point at the previous organisations, or at the organisations the previous
answer listed (`answered`), and carry the previous topics (它 = the account asked about before).

    >>> from bot.question.understand import OrgRef, understand
    >>> orgs = [OrgRef("大峪镇人民政府", "大峪镇", "镇", (2025,))]
    >>> u = merge_followup(understand("大峪镇2025年行政处罚多少件", orgs), understand("行政许可呢", orgs))
    >>> [o.org_short for o in u.orgs], u.years, u.metrics[0].row
    (['大峪镇'], [2025], 'administrative_licensing')
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from bot.question import slots
from bot.question.lexicon import cols_for, is_term, lookup, with_col
from bot.question.model import AGGREGATES, OrgRef, Understanding

PRONOUN = re.compile(
    r"它们|他们|她们|它|其中|该(?:镇|乡|街道|单位|县|区|市|部门)|这些|上述"
    r"|(?<![a-z])(?:it|its|they|them|their|those|these)(?![a-z])",
    re.IGNORECASE,
)
# The total column of the previous row (高平镇予以公开的申请中自然人有几件？→ 总计呢？).
TOTAL_COL = re.compile(r"总计|合计|总数|(?<![a-z])(?:total|overall|in all)(?![a-z])", re.IGNORECASE)
MORE = re.compile(r"更多|多|更高|高|(?<![a-z])(?:more|higher|larger|bigger)(?![a-z])")
FEWER = re.compile(r"更少|少|更低|低|(?<![a-z])(?:fewer|less|lower|smaller)(?![a-z])")


def merge_followup(
    previous: Understanding, current: Understanding, answered: Sequence[OrgRef] = ()
) -> Understanding:
    """`current` with what it lacks taken from `previous`, when it is a follow-up: short, starting
    with 那/and/what about…, ending in 呢, or missing its organisation or its metric.
    `answered`: the organisations the previous answer named (a list of towns)."""
    cue = slots.follow_up_cue(current.question)
    pronoun = PRONOUN.search(current.question)
    has_who = bool(current.orgs or current.ambiguous or current.unknown_orgs or current.level)
    has_what = bool(current.metrics or current.narrative_number or current.wants_prose)
    aggregate = current.intent_cue is not None and current.intent in AGGREGATES
    prev_who = bool(previous.orgs or previous.ambiguous or previous.unknown_orgs or previous.level)
    if not (cue or pronoun or not has_what or (not has_who and prev_who and not aggregate)):
        return current
    u = replace(current, reasons=list(current.reasons))
    carried = []
    if not has_what and (previous.metrics or previous.narrative_number or previous.wants_prose):
        u.applicant = current.applicant or previous.applicant
        u.metrics = [slots.with_applicant(m, u.applicant) for m in previous.metrics]
        if TOTAL_COL.search(current.question) and not current.applicant:
            u.applicant = None
            u.metrics = [_total(m) for m in previous.metrics]
        u.narrative_number, u.wants_prose = previous.narrative_number, previous.wants_prose
        u.wants_number = current.wants_number or previous.wants_number
        u.topics = _topics(previous.topics, current.topics)
        u.sections = list(dict.fromkeys(previous.sections + current.sections))
        u.unit = current.unit or previous.unit
        what = [m.row or m.table for m in u.metrics] + ["narrative"] * u.narrative_number
        carried.append("metrics " + ", ".join(what) if what else "prose question")
    elif pronoun and pronoun.group() != "其中" and not has_who and not current.metrics:
        # 它发布了多少条: 它 is the account asked about; 其中 names its own part
        u.topics = list(dict.fromkeys(previous.topics + current.topics))
        carried.append(f"topics (from '{pronoun.group()}')")
    if pronoun and not has_who and not previous.orgs and len(answered) > 1:
        u.orgs, u.org_mentions = list(answered), [pronoun.group()] * len(answered)
        names = ", ".join(o.org_short or o.org for o in answered)
        carried.append(f"orgs {names} (the previous answer, '{pronoun.group()}')")
        u.intent, u.intent_cue = _among(current.question, previous)
    elif not has_who and not aggregate and prev_who:
        u.orgs, u.org_mentions = list(previous.orgs), list(previous.org_mentions)
        u.ambiguous, u.unknown_orgs = dict(previous.ambiguous), list(previous.unknown_orgs)
        u.level = previous.level
        names = [o.org_short or o.org for o in u.orgs] + [*u.ambiguous, *u.unknown_orgs]
        carried.append("orgs " + ", ".join(names) if names else f"level {u.level}")
    elif not has_who and previous.level:
        u.level = previous.level
        carried.append(f"level {u.level}")
    if not current.years and not current.relative_year and previous.years:
        u.years, u.relative_year = list(previous.years), previous.relative_year
        carried.append("years " + ", ".join(map(str, u.years)))
    if not carried:
        return current
    if current.intent_cue is None and u.intent_cue is None:
        if (
            has_who
            and previous.intent in (*AGGREGATES, "compare")
            or (has_what and previous.intent == "prose")
        ):  # a number asked after a prose question keeps its own intent
            u.intent = "value" if u.metrics or u.narrative_number else u.intent
        else:
            u.intent, u.intent_cue = previous.intent, previous.intent_cue
            u.threshold, u.rank_limit = previous.threshold, previous.rank_limit
    if u.intent != current.intent:
        carried.append(f"intent {u.intent}")
    u.reasons.append(f"follow-up ({cue or (pronoun and pronoun.group()) or 'missing slots'})")
    u.reasons += [f"carried over {c} from the previous question" for c in carried]
    return u


def _total(metric):
    """The metric read from its total column, when it has one."""
    return with_col(metric, "total") if "total" in cols_for(metric) else metric


def _topics(previous: list[str], current: list[str]) -> list[str]:
    """Topics of a follow-up that names another narrative subject (政府网站呢？ after 公众号):
    its own narrative words replace the previous ones."""

    def narrative(t: str) -> bool:
        return any(e.narrative for e in lookup(t)) if is_term(t) else False

    if any(narrative(t) for t in current):
        previous = [t for t in previous if not narrative(t)]
    return list(dict.fromkeys(previous + current))


def _among(question: str, previous: Understanding) -> tuple[str, str | None]:
    """Which of them had more? → max over the previous answer's organisations."""
    text = question.lower()
    if m := MORE.search(text):
        return "max", m.group()
    if m := FEWER.search(text):
        return "min", m.group()
    return ("value" if previous.intent in AGGREGATES else previous.intent), None
