"""The template's arithmetic (勾稽关系) as equations over cells: whether one can hold, and the
equations of tables 三 and 四."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from parsers.reading_costs import LOST

Key = tuple[str, int]  # (row key, column index)
TOL = 1e-6
# table 四's three blocks: 总计 (cells 4, 9, 14) = the four outcomes before it
REVIEW_SUMS = tuple((5 * n + 4, tuple(5 * n + j for j in range(4))) for n in range(3))


@dataclass(frozen=True)
class Equation:
    rule: str
    left: tuple[Key, ...]
    right: tuple[Key, ...]
    total: bool = False  # left is one total cell and right its parts (total = Σ parts)


def holds(eq: Equation, value) -> bool:
    """Whether the equation can hold: exactly, when every cell is known; otherwise whether the
    unknown cells (blank or lost) can take values ≥ 0 that make it hold (counts are never
    negative, so `5 = 8 + ?` cannot)."""
    sides = []
    for keys in (eq.left, eq.right):
        vals = [value(k) for k in keys]
        known = sum(v for v in vals if v is not None and v != LOST)
        sides.append((known, any(v is None or v == LOST for v in vals)))
    (left, left_open), (right, right_open) = sides
    if left_open and right_open:
        return True
    if left_open:
        return left <= right + TOL
    if right_open:
        return right <= left + TOL
    return abs(left - right) <= TOL


@lru_cache(maxsize=16)
def request_equations(keys: tuple[str, ...], cols: tuple[str, ...], template: str) -> list:
    """R3.1, R3.2 per column and R3.3 per row of table 三, over (row key, column index)."""
    result = [
        k
        for k in keys
        if k not in ("new_received", "carried_over", "result_total", "carried_forward")
        and not (template == "gov2021" and k == "other_total")
    ]
    eqs = []
    total = len(cols) - 1
    for c in range(len(cols)):
        name = cols[c]
        eqs.append(
            Equation(
                f"R3.1 ({name})",
                (("new_received", c), ("carried_over", c)),
                (("result_total", c), ("carried_forward", c)),
            )
        )
        eqs.append(
            Equation(f"R3.2 ({name})", (("result_total", c),), tuple((r, c) for r in result), True)
        )
    for key in keys:
        eqs.append(
            Equation(f"R3.3 ({key})", ((key, total),), tuple((key, c) for c in range(total)), True)
        )
    return eqs


def review_equations() -> list[Equation]:
    """R4.1–R4.3: in each of table 四's three blocks, 总计 = the four outcomes before it."""
    return [
        Equation(
            rule, (("review", 5 * n + 4),), tuple(("review", 5 * n + j) for j in range(4)), True
        )
        for n, rule in enumerate(("R4.1", "R4.2", "R4.3"))
    ]
