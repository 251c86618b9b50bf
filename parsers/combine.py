"""Choose each row's readings with the table's equations: the combinations of row readings that
satisfy them, within MARGIN of the cheapest (parsers.solve decides the cells from what is kept).
"""

from __future__ import annotations

from parsers.equations import TOL, Equation, holds
from parsers.reading_costs import LOST, Reading

MARGIN = 2.0  # readings this much dearer than the best are not competitors
KEEP = 4.0  # a row's readings this much dearer than its best are not tried jointly
MAX_NODES = 20_000  # search budget for the cheapest combination; beyond it rows stand alone
EXISTS_NODES = 1_000  # budget to show one reading can be part of a combination (else: maybe)
TOTAL_NODES = 20_000  # budget for all those questions in one table (then: maybe, for the rest)
RECONSTRUCT = 6.0  # reconstructions that add up, kept beside a cheaper one that does not
BROKEN = 2.0  # when satisfying the arithmetic costs more than this over the cheapest reading,
# the report itself breaks a rule: rows are decided one by one (and the table fails its checks)


def own_checks(
    key: str, readings: list[Reading], equations: list[Equation], doubtful: set[str]
) -> list[Reading]:
    """The row's readings that satisfy the equations within the row, within KEEP of the best.
    If none does without undoing more than BROKEN worth of corruption beyond the cheapest
    reading's, the row's own cheapest readings (the report breaks a rule there)."""
    own = [e for e in equations if all(k[0] == key for k in e.left + e.right)]
    ok = [r for r in readings if all(holds(e, lambda k, r=r: r.values[k[1]]) for e in own)]
    # the header's columns say where each number stands, unless the numbers then do not add up
    readings = [r for r in readings if not r.gridded or r in ok]
    least = min((r.damage for r in readings), default=0.0)
    cheapest = min(readings, key=lambda r: r.damage) if readings else None
    # when the cheapest reading does not add up, a reading that "adds up" only because it put a
    # missing cell (value unknown) into the sum proves nothing against it; printed blanks count
    checked = ok if cheapest in ok else [r for r in ok if _verified(r, own)]
    if checked and min(r.damage for r in checked) <= least + BROKEN:
        pool = ok
    elif not readings or (cheapest.plain and not [r for r in checked if r.damage <= RECONSTRUCT]):
        # printed as is and not adding up, nor does any plausible reconstruction: the report's
        # own error (with one that adds up, both stay, below)
        pool = readings
    elif not ok:
        pool = []  # no way of undoing the rendering adds up: none is trusted
    else:
        # the cheapest reconstruction does not add up, and one that does costs more: either the
        # report is wrong or that reconstruction is; both stay, so what they disagree on is unread
        floor = readings[0].cost
        pool = [r for r in readings if r.cost < floor + MARGIN] + [
            r for r in ok if r.damage <= least + RECONSTRUCT
        ]
        pool.sort(key=lambda r: r.cost)
        doubtful.add(key)
    if not pool:
        return []
    floor = pool[0].cost
    return [r for r in pool if r.cost <= floor + KEEP]


def _verified(reading: Reading, equations: list[Equation]) -> bool:
    """The reading keeps `equations` without a cell it had to assume missing (an unknown cell
    makes any sum hold; a blank the report prints is its own statement)."""
    cells = [k[1] for e in equations for k in e.left + e.right]
    return all(reading.lines[c] is not None or reading.values[c] is not None for c in cells)


def joint(
    cands: dict[str, list[Reading]], equations: list[Equation], doubtful: set[str] = frozenset()
) -> tuple[dict[str, list[Reading]], bool]:
    """Per row, the readings used by some combination that satisfies every equation and costs
    less than the cheapest such combination plus MARGIN; and whether one exists."""
    keys = [k for k, rs in cands.items() if rs]
    cross = [e for e in equations if len({k[0] for k in e.left + e.right}) > 1]
    if not cross:
        return _alone(cands, doubtful), True
    # a row whose readings never give one cell two different numbers (they differ only in where
    # a blank goes) constrains the others only through the cells they agree on: search with
    # those, and keep all its near-best readings
    vague = {
        k: _agreed(cands[k])
        for k in keys
        if len(cands[k]) > 1 and (k in doubtful or _compatible(cands[k]))
    }
    searched = {k: ([vague[k]] if k in vague else rs) for k, rs in cands.items()}
    search = _Search(searched, keys, cross)
    found = search.best()
    if found is None:
        return _alone(cands, doubtful), False
    best, damage = found
    # satisfying the arithmetic by readings less likely than each row's own best (more undone,
    # or runs of equal non-zero cells) by over BROKEN: the report itself does not add up
    least = sum(min(r.cost for r in cands[k]) for k in keys)
    if best > least + BROKEN:
        return _alone(cands, doubtful), False
    limit = best + MARGIN - TOL
    accepted: dict[str, list[Reading]] = {}
    for key in keys:
        rs = cands[key]
        if key in doubtful:
            accepted[key] = list(rs)  # every reading stays a competitor
        elif key in vague:
            accepted[key] = [r for r in rs if r.cost < rs[0].cost + MARGIN - TOL]
        elif len(rs) == 1:
            accepted[key] = list(rs)
        else:
            accepted[key] = [r for r in rs if search.exists(limit, key, r)]
    return accepted, True


def _compatible(readings: list[Reading]) -> bool:
    for col in range(len(readings[0].values)):
        known = {r.values[col] for r in readings if r.values[col] not in (None, LOST)}
        if len(known) > 1:
            return False
    return True


def _agreed(readings: list[Reading]) -> Reading:
    """One reading with the cells all `readings` agree on, blank (unknown) elsewhere."""
    best = readings[0]
    values = tuple(
        best.values[c] if len({r.values[c] for r in readings}) == 1 else None
        for c in range(len(best.values))
    )
    return Reading(values, best.cost, best.how, best.lines, best.raws, best.printed, best.damage)


class _Search:
    """Depth-first search over the rows with more than one reading, pruned by a lower bound on
    the cost of the rows still open and by each equation as soon as its rows are all chosen."""

    def __init__(self, cands: dict[str, list[Reading]], keys: list[str], cross: list[Equation]):
        self.cands = cands
        self.fixed = {k: cands[k][0] for k in keys if len(cands[k]) == 1}
        totals = {e.left[0][0] for e in cross if e.total}
        # totals first: then every part chosen after them can be checked against its total
        self.open = sorted((k for k in keys if len(cands[k]) > 1), key=lambda k: k not in totals)
        self.sides = [
            (tuple(e.left), tuple(e.right)) for e in cross
        ]  # equations as cell lists, checked on partial choices (unchosen rows count as unknown)
        self.touch: dict[str, list[int]] = {}
        for n, e in enumerate(cross):
            for row in {k[0] for k in e.left + e.right}:
                self.touch.setdefault(row, []).append(n)
        self.base = sum(r.cost for r in self.fixed.values())
        floor = [cands[k][0].cost for k in self.open]
        self.rest = [sum(floor[i:]) for i in range(len(floor) + 1)]
        self.chosen: dict[str, Reading] = dict(self.fixed)
        self.spent = 0  # nodes used by `exists` so far

    def _can_hold(self, n: int) -> bool:
        """Equation n can still hold: as `holds`, with unchosen rows' cells unknown (≥ 0)."""
        chosen = self.chosen
        sums = []
        for side in self.sides[n]:
            known, unknown = 0.0, False
            for row, col in side:
                r = chosen.get(row)
                v = r.values[col] if r is not None else None
                if type(v) is float:
                    known += v
                else:
                    unknown = True
            sums.append((known, unknown))
        (left, left_open), (right, right_open) = sums
        if left_open and right_open:
            return True
        if left_open:
            return left <= right + TOL
        if right_open:
            return right <= left + TOL
        return abs(left - right) <= TOL

    def _ok(self, i: int) -> bool:
        """The equations touched by open row i (all of them, for i = -1) can still hold."""
        if i < 0:
            return all(self._can_hold(n) for n in range(len(self.sides)))
        return all(self._can_hold(n) for n in self.touch.get(self.open[i], ()))

    def best(self) -> tuple[float, float] | None:
        """The cost and damage of the cheapest combination that satisfies every equation (None if
        none is found within the search budget)."""
        if not self._ok(-1):
            return None
        found = [float("inf")]
        damage = [0.0]
        nodes = [0]

        def go(i: int, cost: float) -> bool:
            nodes[0] += 1
            if nodes[0] > MAX_NODES:
                return False
            if cost + self.rest[i] >= found[0] - TOL:
                return True
            if i == len(self.open):
                found[0] = cost
                damage[0] = sum(r.damage for r in self.chosen.values())
                return True
            key = self.open[i]
            for r in self.cands[key]:
                self.chosen[key] = r
                if self._ok(i) and not go(i + 1, cost + r.cost):
                    return False
            self.chosen.pop(key, None)
            return True

        complete = go(0, self.base)
        self.chosen = dict(self.fixed)
        if not complete or found[0] == float("inf"):
            return None
        return found[0], damage[0]

    def exists(self, limit: float, key: str, reading: Reading) -> bool:
        """Whether some combination with row `key` read as `reading` satisfies every equation
        and costs less than `limit` (True when the budget runs out: doubt keeps cells unread)."""
        nodes = [0]
        pick = self.open.index(key)
        rest = [
            self.rest[i] - (self.cands[key][0].cost - reading.cost if i <= pick else 0.0)
            for i in range(len(self.open) + 1)
        ]

        def go(i: int, cost: float) -> bool | None:
            nodes[0] += 1
            if nodes[0] > EXISTS_NODES or self.spent + nodes[0] > TOTAL_NODES:
                return None
            if cost + rest[i] > limit:
                return False
            if i == len(self.open):
                return True
            k = self.open[i]
            for r in [reading] if k == key else self.cands[k]:
                self.chosen[k] = r
                if self._ok(i):
                    found = go(i + 1, cost + r.cost)
                    if found is None or found:
                        return found
            self.chosen.pop(k, None)
            return False

        found = go(0, self.base)
        self.spent += nodes[0]
        self.chosen = dict(self.fixed)
        return found is None or found


def _alone(
    cands: dict[str, list[Reading]], doubtful: set[str] = frozenset()
) -> dict[str, list[Reading]]:
    out = {}
    for key, rs in cands.items():
        if rs and key in doubtful:
            out[key] = list(rs)
        elif rs:
            floor = rs[0].cost
            out[key] = [r for r in rs if r.cost < floor + MARGIN - TOL]
        else:
            out[key] = []
    return out
