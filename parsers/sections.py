"""Split a report's lines into its sections (一 … 六 and their （一）（二） sub-sections).

Headings are recognised by a numeral and a keyword, only on lines that are not table rows, so the
table rows that also start with 一、二、三、四、 are never taken for headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.normalize import clean, norm
from parsers.vocabulary import SUB_KEYS, TABLE_SECTIONS, TOP_KEYS  # noqa: F401

TOP_HEADING = re.compile(
    r"^[#*\s]*(?:第)?([一二三四五六七八九十]{1,2})(?:部分)?\s*(?:[、.．,，]|\s)\s*(\S.{0,44}?)[*\s]*$"
)
SUB_HEADING = re.compile(r"^[#\s\-•*]*[(（]\s*([一二三四五六七八九十]{1,2})\s*[)）]\s*(.*?)[*\s]*$")

NUMERALS = "一二三四五六七八九十"


@dataclass
class RawSection:
    key: str
    path: list[str]
    start: int  # 1-based line of the heading (or first line)
    end: int  # 1-based, inclusive
    body: list[tuple[int, str]]  # (line number, text) of the lines under the heading


def top_key(line: str) -> str | None:
    """The section key if `line` is a top-level heading such as 二、主动公开政府信息情况."""
    if "\t" in line or "|" in line:
        return None
    m = TOP_HEADING.match(clean(line))
    if not m:
        return None
    title = norm(m.group(2))
    if len(title) > 30 or "。" in title:
        return None
    for key, words in TOP_KEYS:
        if any(w in title for w in words):
            return key
    return None


def split_sections(lines: list[str], first_line: int = 1) -> list[RawSection]:
    """Sections in document order. Lines before the first heading form the `preamble`."""
    sections: list[RawSection] = [RawSection("preamble", [], first_line, first_line, [])]
    for no, line in enumerate(lines, start=1):
        if no < first_line:
            continue
        key = top_key(line)
        if key:
            heading = clean(line).lstrip("# ").strip()
            last = sections[-1]
            if last.key == key and not any(_is_sentence(t) for _, t in last.body):
                last.end = no  # a repeated heading (sample 002): merge
                continue
            sections.append(RawSection(key, [heading], no, no, []))
            continue
        sections[-1].body.append((no, line))
        sections[-1].end = no
    return [s for s in _with_subsections(sections) if s.key != "preamble" or _has_text(s)]


def _is_sentence(text: str) -> bool:
    return len(text.strip()) >= 20 and any(p in text for p in "，。,；")


def _has_text(section: RawSection) -> bool:
    return any(t.strip() for _, t in section.body)


def _with_subsections(sections: list[RawSection]) -> list[RawSection]:
    out: list[RawSection] = []
    for sec in sections:
        if sec.key in TABLE_SECTIONS or sec.key == "preamble":
            out.append(sec)
            continue
        current = RawSection(sec.key, list(sec.path), sec.start, sec.start, [])
        out.append(current)
        used: set[str] = set()
        for no, line in sec.body:
            sub = _sub_heading(line) if "\t" not in line else None
            if sub is None:
                current.body.append((no, line))
                current.end = no
                continue
            heading, rest, numeral = sub
            key = _sub_key(sec.key, heading, numeral, used)
            used.add(key)
            current = RawSection(key, [sec.path[0], heading], no, no, [])
            if rest:
                current.body.append((no, rest))
            out.append(current)
    return out


def _sub_heading(line: str) -> tuple[str, str, str] | None:
    """(heading, text on the same line after it, numeral) for lines like （一）主动公开情况：…"""
    text = clean(line)
    m = SUB_HEADING.match(text)
    if not m:
        return None
    numeral, rest = m.group(1), m.group(2).strip()
    label = f"（{numeral}）"
    if not rest:
        return label, "", numeral
    cut = re.search(r"[:：。;；]", rest)
    if len(rest) <= 30 and (cut is None or cut.end() == len(rest)):
        return label + rest.rstrip(":：。;； "), "", numeral
    if cut and cut.start() <= 30:
        head = rest[: cut.start()].strip()
        tail = _as_printed(line, rest[cut.end() :].strip())
        # "（一）主动公开信息情况：2021年，…" → heading + text; a sentence that merely starts with
        # a numbered clause is not a heading unless its head names a known sub-section.
        return label + head, tail, numeral
    return None


def _as_printed(line: str, tail: str) -> str:
    """`tail` (cleaned text after a heading's colon) as printed in `line`, for quoting."""
    m = re.search(r"[:：。;；]", line)
    printed = line[m.end() :].strip() if m else ""
    return printed if norm(printed) == norm(tail) else tail


def _sub_key(parent: str, heading: str, numeral: str, used: set[str]) -> str:
    title = norm(heading)
    for key, words in SUB_KEYS.get(parent, ()):
        full = f"{parent}.{key}"
        if full not in used and any(w in title for w in words):
            return full
    n = NUMERALS.index(numeral) + 1 if numeral in NUMERALS else len(used) + 1
    key = f"{parent}.part{n}"
    while key in used:
        key += "b"
    return key
