"""The readings of a number group as a row (parsers.readings), cached, with the column order a
regular grid's header gives; and why a group has none.
"""

from __future__ import annotations

from functools import lru_cache

from parsers.reading_costs import LOST, ColRule, Reading
from parsers.readings import plain_reading, readings
from parsers.stream import Atom, Group


def group_readings(
    group: Group,
    rules: list[ColRule],
    collapsed: bool,
    last_line: int,
    value_prior: bool,
    cols=None,
    sums=(),
) -> list[Reading]:
    """Every plausible reading of `group` as a row with `rules` (parsers.readings), placed by the
    header's columns where the group is a line of a regular grid. A group at the end of the file
    that holds fewer numbers than the row, all read as printed, reads as those and lost cells."""
    grid = _grid_for(group, cols) if cols else None
    key = (_group_key(group), tuple(rules), collapsed, grid, sums, value_prior)
    rs = _cached_readings(*key)
    if not rs and group.atoms and group.atoms[-1].line >= last_line:
        nums = [a for a in group.atoms]
        whole = all(a.blank or plain_reading([a], [r]) for a, r in zip(nums, rules, strict=False))
        if len(nums) < len(rules) and whole:  # the file ends inside this row: what is there
            values = tuple(a.value for a in nums) + (LOST,) * (len(rules) - len(nums))
            return [
                Reading(
                    values,
                    0.0,
                    ("the file ends inside this row",),
                    tuple(a.line for a in nums) + (None,) * (len(rules) - len(nums)),
                    tuple(a.text for a in nums) + ("",) * (len(rules) - len(nums)),
                )  # fmt: skip
            ]
    return rs


def unreadable_note(group: Group, k: int) -> str:
    """Why a group has no reading as a row of k cells, for the cells' notes."""
    printed = " ".join(a.text for a in group.atoms if a.text)
    longest = max((len(a.text) for a in group.atoms), default=0)
    if longest > 15 or (len(group.numbers) == 1 and longest > k + 6):
        digits = group.numbers[0].text if len(group.numbers) == 1 else printed
        shown = digits if len(digits) <= 40 else digits[:40] + "…"
        return (
            f"prints {sum(len(a.text) for a in group.numbers)} digits run together ('{shown}'); "
            f"too many ways to split them into {k} values"
        )
    return f"its numbers ({printed}) cannot be read as its {k} cells"


def _group_key(group: Group) -> tuple:
    atoms = tuple(
        (a.text, a.line, a.value, a.sep, a.alone, a.glued, a.unit, a.edge, a.tail)
        for a in group.atoms
    )
    return (atoms, group.positional, group.short, group.regular)


@lru_cache(maxsize=4096)
def _cached_readings(
    key: tuple,
    rules: tuple,
    collapsed: bool,
    grid: tuple | None,
    sums: tuple = (),
    value_prior: bool = True,
) -> list[Reading]:
    atoms, positional, short, regular = key
    group = Group(
        [Atom(*fields) for fields in atoms], positional=positional, short=short, regular=regular
    )
    return readings(group, list(rules), collapsed, list(grid) if grid else None, sums, value_prior)


def _grid_for(group: Group, cols) -> tuple | None:
    """The atom index of each column, from the header printed above it in a regular grid."""
    grid = group.grid
    if grid is None or not group.positional:
        return None
    columns = _header_columns(id(grid.headers), grid, tuple(cols))
    if columns is None:
        return None
    out = [j - group.offset for j in columns]
    if out != sorted(set(out)) or out[0] < 0:
        return None
    return tuple(out)


_HEADER_MEMO: dict = {}


def _header_columns(memo_key: int, grid, cols: tuple) -> tuple | None:
    key = (memo_key, cols)
    if key in _HEADER_MEMO and _HEADER_MEMO[key][0] is grid.headers:
        return _HEADER_MEMO[key][1]
    if len(_HEADER_MEMO) > 4096:
        _HEADER_MEMO.clear()
    out = []
    for col in cols:
        words = (col.zh, *col.match)
        scored = []
        for j, texts in grid.headers.items():
            score = 0
            for w in words:
                for t in texts:
                    if t == w:
                        score = max(score, 3)
                    elif len(w) > 2 and w in t:
                        score = max(score, 2 if t.endswith(w) else 1)
            if score:
                scored.append((score, -j, j))
        if not scored:
            _HEADER_MEMO[key] = (grid.headers, None)
            return None
        out.append(max(scored)[2])
    _HEADER_MEMO[key] = (grid.headers, tuple(out))
    return tuple(out)
