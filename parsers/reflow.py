"""Re-flow crawled text so that headings and paragraphs stand on lines of their own.

Two renderings of crawled reports hide a report's structure from the section splitter, which
reads one heading per line:

- **One-line bodies.** The whole report sits on one or two lines of thousands of characters:
  "… 一、总体情况 2022年，平潭… （一）主动公开方面 平潭综合实验区…". When a line is longer than
  `LONG_LINE`, the body's lines (the second line of such a body may be shorter) are broken
  before each inline heading and after its title. Top-level headings 一 … 六 are recognised by
  the keywords of `sections.TOP_KEYS`; outside the table sections, sub-headings （一）…（五） are
  recognised when they name a sub-section of `sections.SUB_KEYS` ("（一）强化组织协调，…" is
  text, not a heading).
- **Fragmented narrative.** A crawler put every text run on its own line, so sentences and
  numbers are broken across lines ("2021" / "年度我局主动公开政府信息" / "50" / "件，"). When
  at least `MIN_FRAGMENTS` narrative lines, and at least `FRAGMENT_SHARE` of them, are short
  fragments (`FRAGMENT_CHARS`) that do not end a sentence, the narrative is joined back into
  paragraphs: a paragraph ends at a sentence end (。！？) and before a heading.

What is never touched: the table sections 二 三 四 keep their lines exactly as printed (the table
reader tokenises them, and their rows 一、本年新收… 三、本年度办理结果 四、结转下年度继续办理 are row
labels, not headings). A heading inside a long line is only taken when it comes after the
previous one in both numbering and template order, so a table row label, a sentence such as
"…统一、规范…", or a preamble that lists the section names ("本报告包括总体情况、主动公开政府信息情况…")
never breaks a line.

Normal reports are left exactly as they are: their paragraphs are far shorter than `LONG_LINE`
and their short lines are headings, signatures and table cells, far fewer than `FRAGMENT_SHARE`
of the narrative. When the text is re-flowed the returned lines are what line numbers and
quotes refer to, and a warning says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.normalize import norm
from parsers.sections import NUMERALS, SUB_KEYS, TABLE_SECTIONS, TOP_HEADING, top_key

# The longest paragraph in the samples and web excerpts has 420 characters, and real reports'
# longest paragraphs have about a thousand; a body crawled onto one line holds the whole report
# (pingtan: 10,000–16,000 characters). Only lines longer than this are broken.
LONG_LINE = 1000
# A fragment is shorter than a clause ("2021", "年度我局主动公开政府信息", "件，"), and does not
# end a sentence. Headings are no fragments.
FRAGMENT_CHARS = 12
# The narrative is joined when this many of its lines, and this share of them, are fragments.
# putian_kjj_2021: 116 of 169 narrative lines (69%). The samples and web excerpts: at most 4
# lines, and at most 30% only in excerpts of a dozen lines (a web page's "字号: 分享:", a
# signature, a wrapped title); the full samples at most 1 line in 20.
MIN_FRAGMENTS = 10
FRAGMENT_SHARE = 0.4
# The title of a heading printed inline, between its numeral and the text that follows.
HEADING_TITLE_MAX = 30
HEADING_SPAN = 3  # lines a top-level heading may be broken over in fragmented text
# The report's title on a line of its own: never joined to the text around it.
TITLE = re.compile(r"^[^，。,；;]{4,60}(?:年度报告|年报)\s*$")

SECTION_ORDER = (
    "preamble",
    "overview",
    "proactive_tables",
    "request_tables",
    "review_litigation_table",
    "problems_improvements",
    "other_matters",
)
NUM = f"[{NUMERALS}]{{1,2}}"
CANDIDATE = re.compile(rf"(?P<top>{NUM})\s*[、.．]|[（(]\s*(?P<sub>{NUM})\s*[)）]")
SUB_OPENER = re.compile(rf"^[#*\s\-•]*[（(]\s*({NUM})\s*[)）]")
TOP_OPENER = re.compile(rf"^[#*\s]*{NUM}\s*[、.．]")
HEADING_OPENER = re.compile(rf"^[#*\s\-•]*(?:[（(]\s*{NUM}\s*[)）]|{NUM}\s*[、.．])")
# Where an inline heading's title ends: at a space, bracket, digit or punctuation, or after the
# word that ends a heading of its level (一、总体情况 …事项; （一）…方面 …问题 …措施).
STOP = r"\s|[（(【\[\d，,。；;：:！？!?]"
TOP_END = ("情况", "事项", "概述", "概况")
SUB_END = (*TOP_END, "方面", "问题", "措施")
TOP_TITLE_STOP = re.compile(STOP + "".join(f"|(?<={w})" for w in TOP_END))
SUB_TITLE_STOP = re.compile(STOP + "".join(f"|(?<={w})" for w in SUB_END))
# Characters after which a heading may start inside a line (besides the start of a piece).
BEFORE_HEADING = set("。！？；：:;!?）)」”\"'") | set("0123456789")
LISTING = set("；;、")  # "一、总体情况；二、…": a list of the section names, not headings
SENTENCE_END = ("。", "！", "？", "!", "?")


@dataclass
class Reflowed:
    """The re-flowed lines (the input itself when nothing was changed) and what was done."""

    lines: list[str]
    warnings: list[str] = field(default_factory=list)


@dataclass
class _State:
    section: str = "preamble"
    top: int = 0  # the numeral of the last top-level heading
    sub: int = 0  # the numeral of the last sub-heading in that section


def reflow(lines: list[str], first_line: int = 1) -> Reflowed:
    """Re-flow `lines` from the 1-based `first_line` on (lines before it, a crawler header, are
    kept as they are). Returns the input list itself when the text needs no re-flowing."""
    head, body = lines[: first_line - 1], lines[first_line - 1 :]
    done: list[str] = []
    joined = [False] * len(body)
    if _is_fragmented(body):
        before = len(body)
        body, joined = _join_fragments(body)
        done.append(f"{before - len(body)} line breaks inside sentences were removed")
    run_together = any(len(t) > LONG_LINE for t in body)
    if run_together or any(joined):
        body, breaks = _split_inline_headings(body, [run_together or j for j in joined])
        if breaks:
            done.append(f"{breaks} line breaks were added around inline headings")
    if not done:
        return Reflowed(lines)
    return Reflowed(
        head + body,
        [f"the text was re-flowed ({'; '.join(done)}); line numbers refer to the re-flowed text"],
    )


# --- fragmented narrative ----------------------------------------------------------------------


def _top_headings(body: list[str]) -> dict[int, int]:
    """Top-level headings: line index → how many lines the heading takes. A heading may be
    broken over up to HEADING_SPAN short lines ("四、政府信息公开行政" / "复议、行政诉讼情况")."""
    found: dict[int, int] = {}
    for i, text in enumerate(body):
        if top_key(text):
            found[i] = 1
            continue
        probe = text.strip()
        if not TOP_OPENER.match(probe) or len(probe) > HEADING_TITLE_MAX:
            continue
        for j in range(i + 1, min(i + HEADING_SPAN, len(body))):
            more = body[j].strip()
            if not more or len(more) > HEADING_TITLE_MAX or HEADING_OPENER.match(more):
                break
            probe += more
            if top_key(probe):
                found[i] = j - i + 1
                break
    return found


def _table_mask(body: list[str], headings: dict[int, int]) -> list[bool]:
    """True for the lines of the table sections, their headings included."""
    mask, section = [], "preamble"
    for i in range(len(body)):
        if i in headings:
            section = top_key("".join(t.strip() for t in body[i : i + headings[i]])) or section
        mask.append(section in TABLE_SECTIONS)
    return mask


def _kept(text: str, in_table: bool) -> bool:
    """Lines never joined: table sections, blank lines, and table rows outside them (cells
    separated by tabs or pipes)."""
    return in_table or not text.strip() or "\t" in text or "|" in text


def _is_fragment(text: str) -> bool:
    """Short, not the end of a sentence, and not a heading ("（一）主动公开情况")."""
    s = text.strip()
    return len(s) <= FRAGMENT_CHARS and not s.endswith(SENTENCE_END) and not HEADING_OPENER.match(s)


def _is_fragmented(body: list[str]) -> bool:
    """Many short narrative lines that do not end a sentence. Only when the table sections can be
    told apart (a heading of 二, 三 or 四), since their one-cell lines must never be joined."""
    headings = _top_headings(body)
    mask = _table_mask(body, headings)
    if not any(mask):
        return False
    narrative = [t for i, t in enumerate(body) if not _kept(t, mask[i]) and i not in headings]
    fragments = sum(map(_is_fragment, narrative))
    return fragments >= MIN_FRAGMENTS and fragments >= FRAGMENT_SHARE * len(narrative)


def _opens_heading(body: list[str], i: int) -> bool:
    """Line `i` starts a heading, perhaps spread over the next lines ("（" / "四" / "）平台…")."""
    probe = ""
    for text in body[i : i + 4]:
        probe += text.strip()
        if len(probe) >= 6:
            break
    return bool(HEADING_OPENER.match(probe))


def _join_fragments(body: list[str]) -> tuple[list[str], list[bool]]:
    """Narrative lines joined into paragraphs; table sections and blank lines kept as they are,
    top-level headings and the report's title each on a line of their own. The flags mark the
    lines made of several."""
    headings = _top_headings(body)
    mask = _table_mask(body, headings)
    out: list[str] = []
    joined: list[bool] = []
    parts: list[str] = []

    def close() -> None:
        if parts:
            out.append("".join(parts))
            joined.append(len(parts) > 1)
            parts.clear()

    skip_to = 0
    for i, text in enumerate(body):
        if i < skip_to:
            continue
        if i in headings:
            close()
            span = headings[i]
            out.append("".join(t.strip() for t in body[i : i + span]) if span > 1 else text)
            joined.append(False)
            skip_to = i + span
            continue
        if _kept(text, mask[i]) or TITLE.search(text):
            close()
            out.append(text)
            joined.append(False)
            continue
        if parts and _opens_heading(body, i):
            close()
        parts.append(text.strip())
        if text.strip().endswith(SENTENCE_END):
            close()
    close()
    return out, joined


# --- inline headings ---------------------------------------------------------------------------


def _numeral(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20."""
    if len(text) == 1:
        return NUMERALS.index(text) + 1
    if text[0] == "十":
        return 10 + NUMERALS.index(text[1]) + 1
    return (NUMERALS.index(text[0]) + 1) * (10 if text[1] == "十" else 1)


def _split_inline_headings(body: list[str], flagged: list[bool]) -> tuple[list[str], int]:
    """The flagged lines broken before and after their inline headings, and how many breaks
    were added; other lines only update which section the text is in."""
    state = _State()
    out: list[str] = []
    breaks = 0
    for text, flag in zip(body, flagged, strict=True):
        if flag:
            pieces = _split_line(text, state)
            breaks += len(pieces) - 1
            out.extend(pieces)
            continue
        out.append(text)
        key = top_key(text)
        if key:
            m = TOP_HEADING.match(text.strip().lstrip("#* "))
            state.section, state.sub = key, 0
            state.top = _numeral(m.group(1)) if m else state.top
        elif (m := SUB_OPENER.match(text)) and state.section not in TABLE_SECTIONS:
            state.sub = max(state.sub, _numeral(m.group(1)))
    return out, breaks


def _split_line(text: str, state: _State) -> list[str]:
    """`text` as lines, each heading in it on a line of its own."""
    pieces: list[str] = []
    cursor = 0
    for m in CANDIDATE.finditer(text):
        if m.start() < cursor:
            continue
        end = _heading_end(text, m, state, cursor)
        if end is None:
            continue
        pieces.append(text[cursor : m.start()])
        pieces.append(text[m.start() : end])
        cursor = end
    if not pieces:
        return [text]
    pieces.append(text[cursor:])
    return [p.strip() for p in pieces if p.strip()]


def _heading_end(text: str, m: re.Match, state: _State, cursor: int) -> int | None:
    """Where the heading at `m` ends (after its title and a colon), updating `state`; None when
    `m` is no heading here."""
    in_table = state.section in TABLE_SECTIONS
    top, sub = m.group("top"), m.group("sub")
    if (_numeral(top) <= state.top) if top else (in_table or _numeral(sub) <= state.sub):
        return None  # headings come in order; tables have no sub-headings
    start = m.start()
    title_start = m.end()
    while title_start < len(text) and text[title_start].isspace():
        title_start += 1
    title_stop = TOP_TITLE_STOP if top else SUB_TITLE_STOP
    stop = title_stop.search(text, title_start, title_start + HEADING_TITLE_MAX + 1)
    if stop is None or stop.start() == title_start:
        return None
    title_end = stop.start()
    title = text[title_start:title_end]
    # Glued to a word before it ("…年度报告一、总体情况2019年"), a heading must end as headings
    # do, so that "…统一、主动公开工作要求，…" stays a sentence.
    glued = start > cursor and not (text[start - 1].isspace() or text[start - 1] in BEFORE_HEADING)
    if glued and not in_table and not title.endswith(TOP_END if top else SUB_END):
        return None
    if top:
        key = top_key(f"{top}、{title}")
        if (
            not key
            or SECTION_ORDER.index(key) <= SECTION_ORDER.index(state.section)
            or text[title_end : title_end + 1] in LISTING
        ):
            return None
        state.section, state.top, state.sub = key, _numeral(top), 0
        trailing = ":："
    else:
        words = [w for _, ws in SUB_KEYS.get(state.section, ()) for w in ws]
        if not any(w in norm(title) for w in words):
            return None
        state.sub = _numeral(sub)
        trailing = ":：。"
    end = title_end
    while end < len(text) and (text[end] in trailing or text[end].isspace()):
        end += 1
    return end
