"""Choose among the rows' readings with the template's arithmetic (勾稽关系), then decide which
cells are read and which stay blank.

The rule (ALIGNMENT.md): find the combinations of row readings that satisfy every equation of the
table; among them keep those whose cost is within MARGIN of the cheapest (parsers.combine finds
them). A cell is read when every kept combination gives it the same value; otherwise it stays
unread, and its note names the competing values. When no combination satisfies the arithmetic
(the report itself is inconsistent), each row is decided on its own readings and the table fails
its checks.

After that, a template rule may fill what was not printed, marked `inferred`: zeros forced by a
total of 0 (every count is ≥ 0), and a total printed blank whose parts are all printed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from parsers.combine import joint, own_checks
from parsers.equations import TOL, Equation, Key
from parsers.reading_costs import LOST, Reading


@dataclass
class Decided:
    value: float | None
    provenance: str  # printed | aligned | inferred | unread
    line: int | None = None
    raw: str = ""
    note: str = ""
    options: tuple = ()  # an unread cell's competing printed values (no rule may fill it otherwise)


def decide(
    rows: dict[str, list[Reading]],
    equations: list[Equation],
    what: dict[str, str],
    stated: Callable[[Key, float], str] | None = None,
) -> tuple[dict[Key, Decided], bool]:
    """Decide every cell of `rows` (row key → its readings, cheapest first; an empty list for a
    row found without readable numbers). `what` names each row for notes. `stated(key, value)`
    quotes the narrative where it states that value for that cell ("" if it does not): among
    readings the arithmetic cannot tell apart, those the narrative confirms on more cells win.
    Returns the decisions and whether the arithmetic could be satisfied."""
    doubtful: set[str] = set()
    cands = {key: own_checks(key, rs, equations, doubtful) for key, rs in rows.items()}
    accepted, solved = joint(cands, equations, doubtful)
    out: dict[Key, Decided] = {}
    for key, readings in accepted.items():
        if not readings and rows.get(key):
            first = rows[key][0]
            for col in range(len(first.values)):
                out[(key, col)] = Decided(
                    None, "unread", _line(first), "",
                    f"{what.get(key, key)}: the printed numbers ({first.printed}) do not add up "
                    "however the rendering is undone; left blank",
                )  # fmt: skip
            continue
        if not readings:
            continue
        quotes: list[str] = []
        if stated is not None and len({r.values for r in readings}) > 1:
            readings, quotes = _confirmed(key, readings, stated)
        best = readings[0]
        # readings as plausible as the best but for how likely their values are: the choice
        # was the value prior's (a run of zeros over a run of another value), and the note says so
        rivals = [
            r
            for r in rows.get(key, ())
            if r.values != best.values and abs(r.damage - best.damage) < TOL and r.cost > best.cost
        ]
        prior = ["of the runs the printed numbers could stand for, the run of zeros is taken"]
        for col in range(len(best.values)):
            values = {r.values[col] for r in readings}
            if len(values) == 1 and best.values[col] != LOST:
                chosen = rivals and any(r.values[col] != best.values[col] for r in rivals)
                how = "; ".join([*best.how, *quotes, *(prior if chosen else [])])
                out[(key, col)] = Decided(
                    best.values[col],
                    "printed" if best.plain else "aligned",
                    best.lines[col],
                    best.raws[col],
                    f"{what.get(key, key)}: {how}" if how else "",
                )
            elif len(values) == 1:
                out[(key, col)] = Decided(
                    None, "unread", best.lines[col] or _line(best), "",
                    f"{what.get(key, key)} prints fewer cells than its columns "
                    "and which one is missing cannot be told",
                )  # fmt: skip
            else:
                shown = sorted((v for v in values if v not in (None, LOST)), key=float)
                alts = " or ".join(_fmt(v) for v in shown[:4])
                if None in values or LOST in values:
                    alts = (alts + " or blank") if alts else "blank"
                raws = best.printed or " ".join(dict.fromkeys(r for r in best.raws if r))
                out[(key, col)] = Decided(
                    None, "unread", _line(best), "",
                    f"{what.get(key, key)}: the printed numbers ({raws}) can be read more than "
                    f"one way here ({alts}); left blank",
                    tuple(float(v) for v in shown),
                )  # fmt: skip
    return out, solved


def infer(
    cells: dict[Key, Decided], equations: list[Equation], solved: bool = True, runs: bool = False
) -> list[Key]:
    """Fill cells a template rule forces; returns the keys filled (provenance `inferred`).
    Zeros are forced only in a table whose arithmetic holds (`solved`): in one that does not,
    a rule cannot be trusted to fill a cell. In a crawl that dropped repeated lines (`runs`),
    only zeros printed as such force others: where a run of equal cells was laid out, the
    arithmetic already chose the layout, and a report that breaks a rule is laid out wrong."""
    filled: list[Key] = []
    changed = True
    while changed:
        changed = False
        for eq in equations if solved else ():
            for side, other in ((eq.left, eq.right), (eq.right, eq.left)):
                known = [cells.get(k) for k in side]
                if not side or any(d is None or d.value is None for d in known):
                    continue
                if runs and any(d.provenance != "printed" for d in known):
                    continue
                if any(abs(d.value) > TOL for d in known):
                    continue
                rest = [cells.get(k) for k in other]
                if any(
                    d is not None and d.value not in (None,) and abs(d.value) > TOL for d in rest
                ):
                    continue
                for k, d in zip(other, rest, strict=True):
                    # a cell whose printed number is seen but not placed: only to one of its readings
                    printed_zero = not d or not d.options or any(abs(v) < TOL for v in d.options)
                    if d is not None and d.provenance == "unread" and printed_zero:
                        cells[k] = Decided(
                            0.0, "inferred", d.line, "",
                            f"not read; forced to 0 by {eq.rule} (the other side is 0 and "
                            "counts are never negative)",
                        )  # fmt: skip
                        filled.append(k)
                        changed = True
        for eq in equations:
            if not eq.total:
                continue
            total = cells.get(eq.left[0])
            parts = [cells.get(k) for k in eq.right]
            if (
                total is not None
                and total.provenance == "printed"
                and total.value is None
                and not total.raw
                and all(p is not None and p.value is not None for p in parts)
                and any(p.provenance in ("printed", "aligned") for p in parts)
            ):
                cells[eq.left[0]] = Decided(
                    sum(p.value for p in parts), "inferred", total.line, "",
                    f"printed blank; computed as the sum of its parts ({eq.rule})",
                )  # fmt: skip
                filled.append(eq.left[0])
                changed = True
    return filled


# --- choosing readings ---------------------------------------------------------------------


def _confirmed(key: str, readings: list[Reading], stated) -> tuple[list[Reading], list[str]]:
    """The readings with the most cells the narrative states, and its quotes (all of them when
    it confirms none)."""
    scored = []
    for r in readings:
        quotes = [
            q
            for col, v in enumerate(r.values)
            if v not in (None, LOST) and (q := stated((key, col), v))
        ]
        scored.append((len(quotes), r, quotes))
    top = max(n for n, _, _ in scored)
    if top == 0:
        return readings, []
    kept = [(r, q) for n, r, q in scored if n == top]
    quotes = [f"the narrative says 「{q}」" for q in dict.fromkeys(kept[0][1])]
    return [r for r, _ in kept], quotes


def _line(r: Reading) -> int | None:
    return next((n for n in r.lines if n), None)


def _fmt(v) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() else str(v)
