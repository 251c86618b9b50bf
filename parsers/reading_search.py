"""The search behind parsers.readings: every way of reading a group's atoms as a row of `k`
cells (joins, splits, runs, dropped numbers, lost cells) within a cost cap, cheapest first.
"""

from __future__ import annotations

from parsers.reading_costs import (
    EXPAND,
    EXPAND_VALUE,
    JOIN,
    LOST_CELL,
    LOST_CELL_COLLAPSED,
    MAX_READINGS,
    MAX_STEPS,
    NOISE,
    SPLIT_ALONE,
    SPLIT_GLUED,
    SPLIT_SPACED,
    TAIL_KEEP,
    ColRule,
    Reading,
    fits,
)
from parsers.stream import Atom


class ReadingSearch:
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
                if not fits(part, self.rules[col], pos == 0, whole):
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
        while ok < most and fits(part, self.rules[col + ok], False if part[:1] in "+-" else True):
            ok += 1
        return range(1, ok + 1)
