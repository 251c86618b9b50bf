"""The ways a group of printed numbers can be read as one template row of `k` cells.

A rendering corrupts a row in a handful of ways (ALIGNMENT.md); each way of undoing them is a
*reading* with a cost, the cheaper the more usual:

- `SPLIT`: digits run together stand for several cells (`规章007` → 0 | 0 | 7). Cheap for digits
  run into a label, dearer where spaces set numbers off, dear for a number alone on its line.
- `JOIN`: a number broken over two lines or by a space (`1` / `62` → 162).
- `EXPAND`: in a crawl that dropped repeated lines, one printed value stands for a run of equal
  cells (`0` for a whole all-zero row).
- `LOST_CELL`: a cell missing from the print. Renderings drop empty cells, not numbers, so a
  missing cell reads as blank; where it may sit anywhere, the readings disagree and the cells
  stay unread. A tab/pipe line with fewer cells than the lines around it (`short`) lost cells
  for sure: there a missing cell costs nothing, so nothing is placed by position alone.
- `NOISE`: a stray number that belongs to no cell (a footnote mark, a page number).
Blank cells printed at the ends of a row may be dropped for free (spacer and merged cells).

A reading's `damage` is the sum of these; its `cost` adds how unlikely its values are
(`EXPAND_VALUE`: a run of equal non-zero cells is far rarer than a run of zeros). Which reading
is right is decided later by the template's arithmetic (parsers.solve); here we only list the
plausible ones, each with its values and what it did, for the warnings.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from parsers.tokens import Atom, Group

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


def readings(
    group: Group,
    rules: list[ColRule],
    collapsed: bool = False,
    grid: list[int] | None = None,
    sums: tuple = (),
    value_prior: bool = True,
) -> list[Reading]:
    """Every plausible reading of `group` as len(rules) cells, cheapest first.

    `value_prior`: weigh how likely the values are (EXPAND_VALUE). Only for rows the template's
    arithmetic cannot check: where it can, a run of equal non-zero cells is common (a total equal
    to its only part) and the arithmetic, not a prior, must choose.

    `grid`: for a positional line whose block has a regular column grid, the index among the
    group's atoms of each column (from the header); that reading is preferred.
    `sums`: (total column, (part columns…)) the readings must keep (counts are never negative,
    so a total below the sum of its parts so far cuts a branch early); for rows read alone.
    """
    k = len(rules)
    filled = sum(1 for a in group.atoms if a.text)
    if not collapsed and filled > k + MAX_EXCESS:
        return []  # more numbers than a row holds, by far: not one row's numbers
    out: list[Reading] = []
    if grid is not None and len(grid) == k and all(0 <= j < len(group.atoms) for j in grid):
        cells = [group.atoms[j] for j in grid]
        others = [a for j, a in enumerate(group.atoms) if j not in grid and not a.blank]
        if not others and all(
            _fits(a.text, r, True) for a, r in zip(cells, rules, strict=True) if not a.blank
        ):
            out.append(
                Reading(
                    tuple(a.value for a in cells),
                    0.0,
                    (),
                    tuple(a.line for a in cells),
                    tuple(a.text + a.unit for a in cells),
                    gridded=True,
                )
            )
    if group.atoms and all(not a.text for a in group.atoms):  # empty cells only: a blank row
        a = group.atoms[0]
        # unless the line has fewer cells than its block: the cells it lost are not known blank
        value = LOST if group.short else None
        return [Reading((value,) * k, 0.0, (), (a.line,) * k, ("",) * k, "")]
    plain = plain_reading(group.atoms, rules) if not group.short else None
    if plain is not None and not out:
        return [plain, *_joined(group.atoms, rules)]
    search = _Search(group.atoms, rules, collapsed, group.short, sums, regular=group.regular)
    search.value_prior = EXPAND_VALUE if value_prior else 0.0
    found: list[Reading] = []
    for cap in COST_STEPS:
        found = search.run(cap)
        if found or search.overflow:
            break
    if found and not search.overflow:
        # only readings within USEFUL of the cheapest can ever be chosen (parsers.solve)
        limit = min(r.damage for r in found) + USEFUL
        if limit > search.cap:
            found = search.run(limit)
        found = [r for r in found if r.damage <= limit]
    if search.overflow:
        return out  # too many ways: only the grid reading, if any
    if sums:
        # the cheapest readings whatever the sums: if they break them and those that keep them
        # cost more, parsers.solve must see both (the report may be wrong, or the reading)
        free = _Search(group.atoms, rules, collapsed, group.short, (), FREE_READINGS, group.regular)
        free.value_prior = search.value_prior
        for cap in COST_STEPS:
            extra = free.run(cap)
            if extra:
                break
        least = min((r.damage for r in extra), default=0.0)
        found += [r for r in extra if r.damage <= least + 1e-9]
    doubt = GRID_DOUBT if out else 0.0
    printed = " ".join(a.text + a.unit for a in group.atoms if not a.blank)
    out += [
        Reading(r.values, r.cost + doubt, r.how, r.lines, r.raws, "", r.damage + doubt)
        for r in found
    ]
    out = [
        Reading(r.values, r.cost, r.how, r.lines, r.raws, printed, r.damage, r.gridded) for r in out
    ]
    out.sort(key=lambda r: r.cost)
    return _dedupe(out)


def plain_reading(atoms: list[Atom], rules: list[ColRule]) -> Reading | None:
    """The reading of a group printed as its row: one whole number (or an inner blank) per
    column, blank cells at the ends aside. Every other reading of such a group costs more than
    USEFUL (it must split, drop or lose something) but those joining a number broken over two
    lines or by a space (`_joined`)."""
    filled = [i for i, a in enumerate(atoms) if a.text]
    if not filled:
        return None
    core = atoms[filled[0] : filled[-1] + 1]
    if len(core) != len(rules):
        return None
    if not all(a.blank or _fits(a.text, r, True, True) for a, r in zip(core, rules, strict=True)):
        return None
    printed = " ".join(a.text + a.unit for a in core if not a.blank)
    return Reading(
        tuple(a.value for a in core),
        0.0,
        (),
        tuple(a.line for a in core),
        tuple(a.text + a.unit for a in core),
        printed,
    )


def _joined(atoms: list[Atom], rules: list[ColRule]) -> list[Reading]:
    """Beside a plain reading: the readings that join two numbers a line break or a space
    separates into one cell (`1` / `6` → 16), the row then ending in a blank cell printed empty."""
    out = []
    for i in range(len(atoms) - 1):
        a, b = atoms[i], atoms[i + 1]
        if a.blank or b.blank or b.sep not in ("space", "line") or b.text[:1] in "+-":
            continue
        text = a.text + b.text
        one = dataclasses.replace(a, text=text, value=float(text.replace(",", "")), unit=b.unit)
        merged = [*atoms[:i], one, *atoms[i + 2 :]]
        filled = [n for n, x in enumerate(merged) if x.text]
        end = filled[-1] + 1
        while end - filled[0] < len(rules) and end < len(merged) and merged[end].blank:
            end += 1  # an empty cell after the row's numbers: the one the join left free
        core = merged[filled[0] : end]
        if len(core) != len(rules) or not all(
            x.blank or _fits(x.text, r, True, True) for x, r in zip(core, rules, strict=True)
        ):
            continue
        tail = TAIL_KEEP if end > filled[-1] + 1 and merged[end - 1].tail else 0.0
        out.append(
            Reading(
                tuple(x.value for x in core),
                JOIN + tail,
                (f"joined {text}",),
                tuple(x.line for x in core),
                tuple(x.text + x.unit for x in core),
                " ".join(x.text + x.unit for x in core if not x.blank),
                JOIN + tail,
            )
        )
    return out


def _dedupe(found: list[Reading]) -> list[Reading]:
    """One reading per set of values (the cheapest); it counts as placed by the header's
    columns only if no count of the cells gives the same values."""
    first: dict[tuple, Reading] = {}
    counted: set[tuple] = set()
    for r in found:
        first.setdefault(r.values, r)
        if not r.gridded:
            counted.add(r.values)
    return [dataclasses.replace(r, gridded=False) if v in counted else r for v, r in first.items()]


def _fits(part: str, rule: ColRule, first: bool, whole_atom: bool = False) -> bool:
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


class _Search:
    """Depth-first search over the atoms: each number is joined, split, expanded or dropped; each
    blank kept or (at the ends) dropped; lost cells inserted anywhere."""

    def __init__(
        self,
        atoms: list[Atom],
        rules: list[ColRule],
        collapsed: bool,
        short: int,
        sums=(),
        most: int = MAX_READINGS,
        regular: bool = True,
    ):
        self.atoms = atoms
        self.value_prior = EXPAND_VALUE
        self.tail_cost = 0.0 if regular else TAIL_KEEP
        self.sums = sums
        self.max_readings = most
        self.short = short  # cells a short tab/pipe line lost for sure: missing at no cost
        self.rules = rules
        self.k = len(rules)
        self.collapsed = collapsed
        self.lost_cost = LOST_CELL_COLLAPSED if collapsed else LOST_CELL
        # empty cells at the ends of a line (spacers, merged label cells) may be dropped; a
        # printed blank mark (-, /) is a real cell
        first = next((i for i, a in enumerate(atoms) if a.text), len(atoms))
        last = max((i for i, a in enumerate(atoms) if a.text), default=-1)
        self.edge = {
            i for i, a in enumerate(atoms) if not a.text and (a.edge or i < first or i > last)
        }
        self.overflow = False
        # bounds on the cells the atoms from i on can still give: most (every digit a cell, or
        # any run when repeats were dropped) and fewest (one per number, blanks at the ends out)
        n = len(atoms)
        self.most = [0] * (n + 1)
        self.fewest = [0] * (n + 1)
        for i in range(n - 1, -1, -1):
            a = atoms[i]
            if a.blank:
                self.most[i] = self.most[i + 1] + 1
                self.fewest[i] = self.fewest[i + 1] + (0 if i in self.edge else 1)
            else:
                digits = sum(ch.isdigit() for ch in a.text)
                self.most[i] = self.most[i + 1] + (self.k if collapsed else digits)
                self.fewest[i] = self.fewest[i + 1] + 1
        self.run_end = {}
        for i in sorted(self.edge, reverse=True):
            self.run_end[i] = self.run_end.get(i + 1, i + 1) if i + 1 in self.edge else i + 1
        joinable = any(a.sep in ("space", "line") for a in atoms[1:])
        self.cheapest_fix = min(JOIN, NOISE) if joinable else NOISE

    def run(self, cap: float) -> list[Reading]:
        self.cap = cap
        self.found: list[Reading] = []
        self.overflow = False
        self.steps = 0
        self.prior = 0.0  # the part of the running cost that is EXPAND_VALUE, not damage
        self._step(0, [], 0.0, ())
        return self.found

    def _emit(self, cells: list[tuple], cost: float, how: tuple) -> None:
        if len(self.found) >= self.max_readings:
            self.overflow = True
            return
        self.found.append(
            Reading(
                tuple(c[0] for c in cells),
                round(cost, 6),
                how,
                tuple(c[1] for c in cells),
                tuple(c[2] for c in cells),
                "",
                round(cost - self.prior, 6),
            )
        )

    def _step(self, i: int, cells: list[tuple], cost: float, how: tuple) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            self.overflow = True
        if cost - self.prior > self.cap or len(cells) > self.k or self.overflow:
            return  # the cap bounds the damage; how likely the values are is weighed later
        if self.sums and not self._sums_ok(cells):
            return
        missing = sum(1 for c in cells if c[1] is None)
        lost_cost = 0.0 if missing < self.short else self.lost_cost
        short = self.k - len(cells) - self.most[i]  # cells only missing ones can give
        extra = len(cells) + self.fewest[i] - self.k  # numbers to join or leave out
        bound = max(short, 0) * lost_cost + max(extra, 0) * self.cheapest_fix
        if cost - self.prior + bound > self.cap:
            return
        at_blank = i < len(self.atoms) and self.atoms[i].blank
        if len(cells) < self.k and not at_blank:  # a cell missing here (it was empty); next to a
            # blank it reads the same on either side, so it is only tried on one
            self._step(
                i,
                [*cells, (None, None, "")],
                cost + lost_cost,
                (*how, "a missing cell read as blank"),
            )
        if i == len(self.atoms):
            if len(cells) == self.k:
                self._emit(cells, cost, how)
            return
        atom = self.atoms[i]
        if i in self.edge:
            # a run of empty cells at the ends of lines (spacers, merged label cells): keep some
            # at its start and some at its end, drop the middle
            end = self.run_end[i]
            run = self.atoms[i:end]
            for a in range(len(run) + 1):
                for b in range(len(run) - a + 1):
                    kept = run[:a] + run[len(run) - b :]
                    if len(cells) + len(kept) <= self.k:
                        extra = self.tail_cost if any(x.tail for x in kept) else 0.0
                        self._step(
                            end,
                            [*cells, *((None, x.line, x.text) for x in kept)],
                            cost + extra,
                            how,
                        )
            return
        if atom.blank:
            self._step(i + 1, [*cells, (None, atom.line, atom.text)], cost, how)
            return
        self._step(i + 1, cells, cost + NOISE, (*how, f"{atom.text} left out"))
        joined, join_cost = atom.text, 0.0
        for j in range(i, len(self.atoms)):
            if j > i:
                nxt = self.atoms[j]
                if nxt.blank or nxt.sep in ("cell", "glue", "") or nxt.text[:1] in "+-":
                    break
                joined += nxt.text
                join_cost += JOIN
            step_how = how if j == i else (*how, f"joined {joined}")
            pieces = self.atoms[i : j + 1]
            if any(a.alone for a in pieces):
                split_cost = SPLIT_ALONE
            elif all(a.glued for a in pieces):
                split_cost = SPLIT_GLUED
            else:
                split_cost = SPLIT_SPACED
            self._parts(j + 1, joined, cells, cost + join_cost, step_how, split_cost, atom, j == i)

    def _sums_ok(self, cells: list[tuple]) -> bool:
        """Each total already read is at least the parts read so far, and equals them once all
        are read (blank cells count as unknown)."""
        n = len(cells)
        for total, parts in self.sums:
            if total >= n or not isinstance(cells[total][0], float):
                continue
            seen = [cells[p][0] for p in parts if p < n]
            known = sum(v for v in seen if isinstance(v, float))
            if known > cells[total][0] + 1e-6:
                return False
            if len(seen) == len(parts) and all(isinstance(v, float) for v in seen):
                if abs(known - cells[total][0]) > 1e-6:
                    return False
        return True

    def _parts(self, nxt: int, digits: str, cells, cost, how, split_cost, atom, single) -> None:
        """Cut `digits` into one or more cells, starting at column len(cells)."""

        def cut(pos: int, cells: list[tuple], cost: float, parts: tuple) -> None:
            self.steps += 1
            if self.steps > MAX_STEPS:
                self.overflow = True
            if cost - self.prior > self.cap or len(cells) > self.k or self.overflow:
                return
            col = len(cells)
            if col >= self.k or (self.sums and not self._sums_ok(cells)):
                return
            for end in range(len(digits), pos, -1):
                part = digits[pos:end]
                whole = pos == 0 and end == len(digits) and single
                if not _fits(part, self.rules[col], pos == 0, whole):
                    continue
                value = float(part.replace(",", ""))
                raw = part + atom.unit if end == len(digits) else part
                for run in self._runs(value, col, part):
                    new = [*cells, *[(value, atom.line, raw)] * run]
                    prior = self.value_prior if value != 0 and run > 1 else 0.0
                    extra = (run - 1) * EXPAND + prior
                    self.prior += prior
                    parts2 = (*parts, part + (f"×{run}" if run > 1 else ""))
                    if end == len(digits):
                        note = how
                        if len(parts2) > 1:
                            note = (*how, f"split {digits} as {'|'.join(parts2)}")
                        elif run > 1:
                            note = (*how, f"{part} printed once for {run} equal cells")
                        self._step(nxt, new, cost + extra, note)
                    else:
                        cut(end, new, cost + extra + split_cost, parts2)
                    self.prior -= prior

        cut(0, cells, cost, ())

    def _runs(self, value: float, col: int, part: str) -> range:
        if not self.collapsed:
            return range(1, 2)
        most = self.k - col
        ok = 1
        while ok < most and _fits(part, self.rules[col + ok], False if part[:1] in "+-" else True):
            ok += 1
        return range(1, ok + 1)
