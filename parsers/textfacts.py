"""Numbers stated in the narrative ("全年累计发布信息 709 条", "收到政府信息公开申请16件").

Each becomes a TextFact with its unit, the clause it stands in (as printed) and its line, so it can
be answered exactly and quoted. Dates, years and numbers without a unit are left out, except a
number that ends a clause right after words ("信息公开目录信息更新13568").
"""

from __future__ import annotations

import re

from parsers.normalize import clean, to_simplified
from parsers.report import TextFact

UNITS = "人次|个工作日|工作日|万元|元|条|件|篇|次|个|份|期|项|起|家|场|名|人|户|批|类|部|天|期|%|％"
NUMBER = re.compile(
    rf"(?<![\d.])(\d{{1,15}}(?:\.\d+)?)\s*(余|多)?\s*({UNITS})"
    r"|(?<=[\u4e00-\u9fff])(\d{1,7})(?=\s*(?:$|[，。；,;]))"
)
CLAUSE_END = re.compile(r"[，。；;！？!?：:,]")
NONE_RECEIVED = re.compile(r"(?:未|没有|无)(?:收到|接到|受理|接收)[^，。；,;]{0,30}?申请")
DATE_AFTER = re.compile(r"^\s*(?:年|月|日|号|时|分|届|周年|—|-)")


def extract_text_facts(lines: list[tuple[int, str, str]]) -> list[TextFact]:
    """`lines` are (line number, text, section key) of narrative lines."""
    facts: list[TextFact] = []
    for no, text, section in lines:
        for start, end in _clauses(text):
            clause = text[start:end]
            plain = to_simplified(
                clean(clause)
            )  # numbers are read here; the quote stays as printed
            found = _numbers(plain, no, section)
            for fact in found:
                fact.quote = clause.strip()
            facts.extend(found)
            if NONE_RECEIVED.search(plain) and not found:
                facts.append(TextFact(0, "件", clause.strip(), no, "收到政府信息公开申请", section))
    return facts


def _clauses(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in CLAUSE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _numbers(clause: str, no: int, section: str) -> list[TextFact]:
    out = []
    prev_end = 0
    for m in NUMBER.finditer(clause):
        if m.group(1) is not None:
            value, approx, unit = m.group(1), bool(m.group(2)), m.group(3)
        else:
            value, approx, unit = m.group(4), False, ""
        if DATE_AFTER.match(clause[m.end() :]) or (
            unit == "" and len(value) == 4 and value.startswith("20")
        ):
            continue
        label = _label(clause[prev_end : m.start()], clause[m.end() :])
        prev_end = m.end()
        out.append(
            TextFact(
                float(value),
                unit.replace("％", "%"),
                clause.strip(),
                no,
                label[-30:],
                section,
                approx,
            )
        )
    return out


FILLER = re.compile(
    r"^(?:其中|包括|共计|共|累计|全年|本年度|今年|以及|及|和|与|、|\s)+|(?:其中|包括|以及|及|和|与|共计|共|、|\s)+$"
)


def _label(before: str, after: str) -> str:
    """What the number counts: the words before it, or after its unit when none stand before."""
    ends_joined = re.search(r"(?:以及|及|和|与|、|包括|其中)\s*$", before)
    head = FILLER.sub("", re.split(r"[、]", before)[-1]).strip()
    if len(head) >= 2 and not ends_joined:
        return head[-30:]
    tail = re.split(r"[、\d]|以及|及|和", after)[0]
    return FILLER.sub("", tail).strip()[:30]
