"""What a reading of a row is (`Reading`), what a column accepts (`ColRule`, `fits`), and what
each way of undoing a rendering's corruption costs (parsers.readings describes them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LOST = "lost"  # a cell whose value is unknown (the file ends inside its row)
SPLIT_GLUED = 0.1  # per cell boundary put inside digits run into a label or another number
SPLIT_SPACED = 0.5  # per boundary inside a number set off by spaces (some spaces were lost)
SPLIT_ALONE = 6.0  # per boundary inside a number printed alone on its line or in its cell
JOIN = 2.5  # per separator ignored to join the pieces of a broken number
EXPAND = 0.5  # per extra cell a printed value stands for (crawls that drop repeated lines)
EXPAND_VALUE = 2.5  # prior, per run of equal non-zero values (zeros abound; a run of 3 is no rarer
# than a run of 2: 本年新制作 = 本年新公开 = 对外公开总数量 is common)
LOST_CELL = 2.5  # per cell the print lost
LOST_CELL_COLLAPSED = 4.0  # the same in a crawl that dropped repeated lines (runs explain more)
NOISE = 4.5  # per printed number that belongs to no cell
TAIL_KEEP = 0.5  # keeping an empty cell that ends a ragged tab line as a blank cell (it may be a
# trailing separator, with a cell lost elsewhere in the row)
GRID_DOUBT = 2.5  # added to every count-based reading when the column grid gives a reading
MAX_EXCESS = 2  # numbers beyond a row's cells that joins or noise may account for
MAX_DIGITS = 15  # no count or amount a report prints has more digits before the point
FREE_READINGS = 20  # cheapest readings kept besides those a row's sums allow
MAX_STEPS = 60_000  # search steps for one group; beyond them it is too ambiguous to read
MAX_READINGS = 5_000  # beyond this, a group is too ambiguous to read at all
COST_STEPS = (2.0, 5.0, 10.0, 24.0)  # search deeper only when nothing cheaper reads the group
USEFUL = 4.0  # readings dearer than the cheapest by more are never chosen (parsers.solve)


@dataclass(frozen=True)
class ColRule:
    """What a column accepts: negative values (本年增/减) and decimals (amounts)."""

    signed: bool = False
    decimal: bool = False


@dataclass(frozen=True)
class Reading:
    values: tuple  # per cell: float, None (printed blank) or LOST
    cost: float  # damage + how unlikely the values are
    how: tuple[str, ...]  # what was undone, for users: "split 8855698 as 88|55|698"
    lines: tuple  # per cell: the source line (None for LOST)
    raws: tuple  # per cell: the printed text it came from
    printed: str = ""  # the group's numbers as printed, for notes
    damage: float = 0.0  # what undoing the rendering's corruptions cost
    gridded: bool = False  # placed by the header's columns rather than by counting cells

    @property
    def plain(self) -> bool:
        """Read as printed: nothing split, joined, expanded, lost or dropped."""
        return not self.how


def fits(part: str, rule: ColRule, first: bool, whole_atom: bool = False) -> bool:
    """Whether `part` can be one printed cell of a column with `rule`. A number printed whole
    is taken as printed (a sign or decimals where the column expects neither are the report's);
    the column's rules choose only among ways to cut digits run together."""
    body = part
    if body[:1] in "+-":
        if not ((rule.signed or whole_atom) and first):
            return False
        body = body[1:]
    if not body:
        return False
    if "," in body:
        return whole_atom and bool(re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", body))
    whole, _, frac = body.partition(".")
    if frac and not (rule.decimal or whole_atom):
        return False
    if not whole.isdigit() or (frac and not frac.isdigit()) or len(whole) > MAX_DIGITS:
        return False
    return whole == "0" or not whole.startswith("0")
