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

The costs are parsers.reading_costs'; the search over a group's atoms is parsers.reading_search.
"""

from __future__ import annotations

import dataclasses

from parsers.reading_costs import (
    COST_STEPS,
    EXPAND_VALUE,
    FREE_READINGS,
    GRID_DOUBT,
    JOIN,
    LOST,
    MAX_EXCESS,
    TAIL_KEEP,
    USEFUL,
    ColRule,
    Reading,
    fits,
)
from parsers.reading_search import ReadingSearch
from parsers.stream import Atom, Group


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
            fits(a.text, r, True) for a, r in zip(cells, rules, strict=True) if not a.blank
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
    search = ReadingSearch(group.atoms, rules, collapsed, group.short, sums, regular=group.regular)
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
        free = ReadingSearch(
            group.atoms, rules, collapsed, group.short, (), FREE_READINGS, group.regular
        )
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
    if not all(a.blank or fits(a.text, r, True, True) for a, r in zip(core, rules, strict=True)):
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
            x.blank or fits(x.text, r, True, True) for x, r in zip(core, rules, strict=True)
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
