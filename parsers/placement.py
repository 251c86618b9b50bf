"""Where a table's number groups went: each row's groups when the table is printed as rows (no
alignment search needed), and the groups beside a row that no row took.
"""

from __future__ import annotations

from parsers.align import Anchor, Attachment
from parsers.readings import plain_reading
from parsers.stream import Group, Item


def unplaced_groups(items: list, anchors: list[Anchor], attached: dict) -> dict[int, str]:
    """Anchor index → the numbers (as printed) of a group beside it, before the next anchor or
    after the previous one, that no row took (not empty cells, not a page number)."""
    taken = {id(g) for att in attached.values() for g in att.groups}
    starts = [a.item for a in anchors]
    out: dict[int, str] = {}
    for i, item in enumerate(items):
        if not isinstance(item, Group) or item.weak or item.noisy or id(item) in taken:
            continue
        printed = " ".join(a.text for a in item.atoms if a.text)
        after = max((n for n, s in enumerate(starts) if s < i), default=None)
        for n in (after, None if after is None else after + 1):
            if n is not None and n < len(anchors):
                out.setdefault(n, printed)
    return out


def as_printed(items: list[Item], anchors: list[Anchor]) -> dict[int, Attachment] | None:
    """The attachment of a table printed as rows: each anchored label directly followed by its
    numbers, which read as the row as printed, and no numbers anywhere else. None otherwise (the
    full alignment then decides). Saves the alignment's search on most reports."""
    out: dict[int, Attachment] = {}
    used: set[int] = set()
    for n, anchor in enumerate(anchors):
        nxt = anchor.item + 1
        if n + 1 < len(anchors) and anchors[n + 1].item == anchor.item:
            continue  # several anchors in one fragment: only the last can own numbers
        group = items[nxt] if nxt < len(items) else None
        if not isinstance(group, Group) or group.short or group.grid is not None:
            return None
        if group.weak or plain_reading(group.atoms, anchor.row.rules) is None:
            return None
        out[n] = Attachment([group], False)
        used.add(nxt)
    stray = [
        i for i, it in enumerate(items) if isinstance(it, Group) and i not in used and not it.weak
    ]
    if stray and stray[-1] > anchors[0].item:
        return None  # numbers the rows did not take, inside the table
    return out
