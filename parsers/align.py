"""Align a table's stream (parsers.tokens) to the template's rows.

Two steps, both by cost, neither tied to a rendering:

1. `anchor_rows`: which label fragment names which template row. Every fragment is scored
   against every row (its keywords, or the similarity of its characters to the row's label); the
   anchors kept are the best-scoring sequence that keeps the template's row order (rows are never
   printed out of order; a repeated group label or header is simply not an anchor).
2. `attach_groups`: which numbers belong to which anchored row. The number groups between two
   anchors go to the row before them (the usual layout), to the row after them (a row's numbers
   printed on the line before its label), or nowhere (noise). Each choice costs what it takes to
   read the numbers as that row (parsers.readings), plus a small cost for the less usual
   direction; the cheapest assignment of the whole table wins. Headers and block titles
   (`第二十条第（五）项`) are barriers numbers never cross.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from parsers.tokens import Atom, Frag, Group, Item

OTHER_SIDE = 1.0  # a row's numbers printed before its label when most follow it (or the reverse)
DISCARD = 3.0  # numbers that belong to no row
DISCARD_WEAK = 0.5  # blank cells beside a label line, whose numbers are elsewhere
NO_NUMBERS = 3.0  # an anchored row that gets no numbers at all
MAX_SPAN = 3  # lines (number groups) one row's numbers may be spread over


@dataclass(frozen=True)
class Anchor:
    item: int  # index of the fragment in the stream
    pos: int  # position inside the fragment's normalised text
    order: int  # the row's position in the template
    row: Any  # the template row (or a local extension row)
    score: float


def anchor_rows(
    items: list[Item], match: Callable[[Frag, int], list[tuple[int, int, float]]]
) -> list[Anchor]:
    """The anchors: `match(frag, index)` gives (pos, order, score) candidates for a fragment; the
    result is the highest-scoring subsequence whose template order increases along the text."""
    cands: list[Anchor] = []
    for i, item in enumerate(items):
        if isinstance(item, Frag) and item.kind in ("text", "header"):
            for pos, order, score in match(item, i):
                cands.append(Anchor(i, pos, order, None, score))
    cands.sort(key=lambda a: (a.item, a.pos))
    best: list[float] = []
    back: list[int] = []
    for i, a in enumerate(cands):
        top, arg = 0.0, -1
        for j in range(i):
            b = cands[j]
            if b.order < a.order and (b.item, b.pos) < (a.item, a.pos) and best[j] > top + 1e-9:
                top, arg = best[j], j
        best.append(top + a.score)
        back.append(arg)
    if not cands:
        return []
    end = max(range(len(cands)), key=lambda i: (best[i], -i))
    chain = []
    while end >= 0:
        chain.append(cands[end])
        end = back[end]
    return chain[::-1]


def concat(groups: list[Group]) -> Group:
    """Groups read as one: a row continued on the next line or block."""
    if len(groups) == 1:
        return groups[0]
    atoms: list[Atom] = []
    for g in groups:
        filled = [n for n, a in enumerate(g.atoms) if a.text]
        first, last = (filled[0], filled[-1]) if filled else (len(g.atoms), -1)
        for n, a in enumerate(g.atoms):
            sep = "line" if n == 0 and atoms else a.sep  # a line break: between cells or inside one
            edge = a.edge or (not a.text and (n < first or n > last))
            atoms.append(Atom(a.text, a.line, a.value, sep, a.alone, a.glued, a.unit, edge, a.tail))
    return Group(
        atoms,
        positional=all(g.positional for g in groups),
        weak=all(g.weak for g in groups),
        short=sum(g.short for g in groups),
        regular=all(g.regular for g in groups),
    )


@dataclass
class Attachment:
    groups: list[Group]
    before: bool  # the numbers were printed before the row's label


def attach_groups(
    items: list[Item], anchors: list[Anchor], cost: Callable[[Anchor, Group], float]
) -> dict[int, Attachment]:
    """Which groups each anchor reads (keyed by the anchor's index in `anchors`).

    `cost(anchor, group)` is the cost of the cheapest reading of `group` as the anchor's row
    (infinity if none). Both directions are tried for the whole table (numbers after their labels,
    or before them) and the cheaper is kept, each allowing the other direction at OTHER_SIDE.
    """
    segments = _segments(items, anchors)
    memo: dict[tuple, float] = {}

    def cached(anchor: Anchor, groups: list[Group]) -> float:
        key = (anchor.item, anchor.pos, tuple(id(g) for g in groups))
        if key not in memo:
            memo[key] = cost(anchor, concat(groups))
        return memo[key]

    best: tuple[float, dict[int, Attachment]] | None = None
    for before_first in (False, True):
        total, chosen = _assign(anchors, segments, cached, before_first)
        if best is None or total < best[0] - 1e-9:
            best = (total, chosen)
    return best[1] if best else {}


def _segments(items: list[Item], anchors: list[Anchor]) -> list[list[list[Group]]]:
    """For each gap (before the first anchor, between anchors, after the last), its groups split
    into runs by barriers: [[run, run, …] per gap]. A fragment holding two anchors leaves an
    empty gap between them."""
    gaps: list[list[list[Group]]] = [[[]] for _ in range(len(anchors) + 1)]
    anchor_items = [a.item for a in anchors]
    anchored = set(anchor_items)
    k = 0  # anchors printed before item i
    for i, item in enumerate(items):
        while k < len(anchor_items) and anchor_items[k] < i:
            k += 1
        if isinstance(item, Group):
            gaps[k][-1].append(item)
        elif item.kind in ("header", "block", "barrier") and i not in anchored:
            gaps[k].append([])
    return gaps


def _assign(anchors, segments, cost, before_first: bool) -> tuple[float, dict[int, Attachment]]:
    """Dynamic programme over the gaps. State after gap g: whether anchor g already got its
    numbers from that gap (printed before its label)."""
    after_cost = OTHER_SIDE if before_first else 0.0
    before_cost = 0.0 if before_first else OTHER_SIDE
    n = len(anchors)
    inf = float("inf")
    dp: list[list[float]] = [[inf, inf] for _ in range(n + 1)]
    back: list[list[Any]] = [[None, None] for _ in range(n + 1)]
    for g in range(n + 1):
        prev_states = [(0, 0.0)] if g == 0 else [(t, dp[g - 1][t]) for t in (0, 1)]
        for t_prev, base in prev_states:
            if base == inf:
                continue
            for left, right, drop in _gap_options(segments[g]):
                c = base + drop
                if g == 0:
                    if left:
                        continue
                elif left:
                    if t_prev:
                        continue
                    c += after_cost + cost(anchors[g - 1], left)
                elif not t_prev:
                    c += NO_NUMBERS
                t = 0
                if right and (all(x.weak for x in right) or not all(x.positional for x in right)):
                    # empty cells belong to the label before them; and only a table laid out in
                    # cells (tab or pipe lines) puts a row's numbers before its label
                    continue
                if right:
                    if g < n:
                        c += before_cost + cost(anchors[g], right)
                        t = 1
                    else:
                        c += _drop_cost(right)
                if c < dp[g][t] - 1e-9:
                    dp[g][t] = c
                    back[g][t] = (t_prev, left, right)
    chosen: dict[int, Attachment] = {}
    t = 0
    for g in range(n, -1, -1):
        if back[g][t] is None:
            break
        t_prev, left, right = back[g][t]
        if left:
            chosen[g - 1] = Attachment(left, False)
        if right and g < n:
            chosen[g] = Attachment(right, True)
        t = t_prev
    return dp[n][0], chosen


def _gap_options(runs: list[list[Group]]) -> list[tuple[list[Group], list[Group], float]]:
    """(groups to the anchor before, groups to the anchor after, cost of what is discarded).
    A row's numbers span at most MAX_SPAN lines."""
    first, last = runs[0], runs[-1]
    out = []
    if len(runs) == 1:
        m = len(first)
        for p in range(min(m, MAX_SPAN) + 1):
            for q in range(max(p, m - MAX_SPAN), m + 1):
                dropped = first[p:q]
                out.append((first[:p], first[q:], _drop_cost(dropped)))
    else:
        middle = [g for run in runs[1:-1] for g in run]
        for p in range(min(len(first), MAX_SPAN) + 1):
            for q in range(max(0, len(last) - MAX_SPAN), len(last) + 1):
                dropped = first[p:] + middle + last[:q]
                out.append((first[:p], last[q:], _drop_cost(dropped)))
    # a page number between two blocks of a table is never a row's number
    return [o for o in out if not any(g.noisy for g in o[0] + o[1])]


def _drop_cost(groups: list[Group]) -> float:
    return sum(DISCARD_WEAK if g.weak or g.noisy else DISCARD for g in groups)
