"""Match a table's label fragments to the template's rows (by keywords, or by similarity for
table 三), and find the narrative clause that states a cell's value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from parsers import template as T
from parsers.normalize import norm
from parsers.reading_costs import ColRule
from parsers.report import TextFact
from parsers.stream import Frag, Group, Item

NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,2}[、.]|\([一二三四五六七八九十]{1,2}\)|\d{1,2}[.、]?)"
)
NOTE = re.compile(r"\([^()]*\)")
OTHER_MISC = re.compile(r"\d[.、]?其他(?!处理|组织|结果|法律|情形|对外|主动)")
RESULT_TOTAL = re.compile(r"(?:\(七\)|七、|七\.)(?:总计|合计)")
FOLLOWED = 0.3  # an anchor whose fragment is followed by numbers is likelier the row itself
FUZZY_MIN = 4  # characters a label (and a fragment) needs before it is matched by similarity
FUZZY = 0.6  # least character-bigram similarity for a label with none of the row's keywords
SIGNED = {"items_change"}
DECIMAL = {"fee_amount", "procurement_amount"}


@dataclass
class TableRow:
    """A template row as this table prints it: its key, label and column definitions."""

    key: str
    label: str
    cols: tuple[T.Col, ...]
    group: str
    rdef: T.Row | None = None

    def __post_init__(self) -> None:
        self.rules = [ColRule(c.key in SIGNED, c.key in DECIMAL) for c in self.cols]


@lru_cache(maxsize=4096)
def core(text: str) -> str:
    """A label without its numbering and notes: （二）部分公开（区分处理的…） → 部分公开."""
    n = NUMBERING.sub("", norm(text))
    stripped = NOTE.sub("", n)
    return stripped or n


def request_match(frag: Frag, i: int, rows: list[TableRow], items: list[Item]):
    n = frag.norm
    out = []
    follow = followed(items, i)
    matched = False
    for order, row in enumerate(rows):
        pos = -1
        if row.key == "other_misc":
            m = OTHER_MISC.search(n)
            pos = m.start() if m else -1
        elif row.key == "result_total":
            m = RESULT_TOTAL.search(n)
            if m:
                pos = m.start()
            elif n in ("总计", "合计") and follow:
                out.append((0, order, 0.6 + follow))
                continue
        else:
            pos = find_any(n, row.rdef.match)
        if pos >= 0:
            out.append((pos, order, 1.0 + follow))
            matched = True
    if not matched and frag.kind == "text":
        c = core(frag.text)
        scored = [
            (_dice(c, core(row.label)), order)
            for order, row in enumerate(rows)
            if FUZZY_MIN <= len(c) <= len(core(row.label)) + 6 and len(core(row.label)) >= FUZZY_MIN
        ]
        if scored:
            score, order = max(scored)
            if score >= FUZZY:
                out.append((0, order, score + follow))
    return out


def stated_for(evidence: list[TextFact], row: TableRow, col: T.Col, value: float) -> str:
    """The narrative clause that states `value` for this row and column, or ""."""
    evidence = [f for f in evidence if abs(f.value - value) < 1e-9 and not f.approx]
    if not evidence:
        return ""
    row_words = [w for w in (row.rdef.match if row.rdef else ()) if len(w) >= 2]
    col_words = [w for w in (*col.match, *col.terms) if len(w) >= 2 and not w.isascii()]
    for fact in evidence:
        label = norm(fact.label)
        if any(w in label for w in row_words) and any(w in label for w in col_words):
            return fact.quote
    return ""


def find_any(text: str, words) -> int:
    hits = [text.find(w) for w in words if w and w in text]
    return min(hits) if hits else -1


def followed(items: list[Item], i: int) -> float:
    nxt = items[i + 1] if i + 1 < len(items) else None
    return FOLLOWED if isinstance(nxt, Group) and not nxt.weak else 0.0


def _dice(a: str, b: str) -> float:
    ga = {a[i : i + 2] for i in range(len(a) - 1)}
    gb = {b[i : i + 2] for i in range(len(b) - 1)}
    if not ga or not gb:
        return 0.0
    return 2 * len(ga & gb) / (len(ga) + len(gb))
