"""Synthetic table values that obey the consistency rules (勾稽关系, parsers/checks.py).

`make_values` fills every cell of a template's three tables (most small towns report mostly 0);
`add_blanks` blanks some cells the way real reports do; `break_rule` makes exactly one rule fail.
Values are keyed (table, row, col); None is a blank cell. Rows and columns come from
`parsers.template`.

    >>> import random
    >>> v = make_values(random.Random(0), "gov2021", "town", other_org=True)
    >>> v[("requests", "new_received", "total")] + v[("requests", "carried_over", "total")] == (
    ...     v[("requests", "result_total", "total")] + v[("requests", "carried_forward", "total")])
    True
"""

from __future__ import annotations

import random

from parsers import template as T

Key = tuple[str, str, str]
Values = dict[Key, float | None]
APPLICANTS = [c.key for c in T.REQUEST_COLS if c.key != "total"]
FLOWS = ("new_received", "carried_over", "result_total", "carried_forward")
OUTCOMES = [c.key for c in T.REVIEW_COLS if c.key != "total"]
RULES = ("R3.1", "R3.2", "R3.3", "R4.1", "R4.2", "R4.3", "X1")
REVIEW_RULE = {"R4.1": "review", "R4.2": "litigation_direct", "R4.3": "litigation_after_review"}
# How often a result row takes a request, by row key (others: 1).
RESULT_WEIGHTS = {
    "granted": 40,
    "partially_granted": 12,
    "unable_not_held": 18,
    "unable_needs_creation": 4,
    "unable_unclear": 3,
    "not_processed_petition": 5,
    "not_processed_duplicate": 4,
    "denied_third_party_rights": 3,
    "denied_process_info": 2,
    "other_misc": 3,
    "other_total": 5,
}
SCALE = {"town": 8, "gov": 250, "dept": 120}  # a busy year's new requests from individuals


def result_rows(template: str) -> list[str]:
    return [
        r.key
        for r in T.request_rows(template)
        if r.group in ("result", "denied", "unable", "not_processed", "other")
        and r.key != "result_total"
    ]


def count(rng: random.Random, p_zero: float, hi: int) -> int:
    """0 with probability `p_zero`, else log-uniform in 1..hi."""
    if rng.random() < p_zero:
        return 0
    return max(1, int(hi ** rng.random()))


def money(rng: random.Random, p_zero: float, hi: float) -> float:
    if rng.random() < p_zero:
        return 0.0
    digits = rng.choice((1, 2, 2, 4, 4, 6))
    return round(max(10**-digits, hi ** rng.random() - 0.999), digits)


def make_values(
    rng: random.Random,
    template: str,
    kind: str,
    other_org: bool = True,
    carried: dict[str, float] | None = None,
) -> Values:
    """Every cell of `template` for an organisation of `kind` (town, gov, dept). `carried`: last
    year's carried-forward requests per column (R3.5), when the organisation reported then."""
    values: Values = {}
    _proactive(rng, template, kind, values)
    _requests(rng, template, kind, other_org, carried, values)
    _review(rng, kind, values)
    return values


def _proactive(rng: random.Random, template: str, kind: str, values: Values) -> None:
    for row in T.proactive_rows(template):
        for col in T.proactive_cols(template, row.group):
            values[("proactive", row.key, col.key)] = float(_proactive_value(rng, kind, row, col))
    made, stock = (
        ("issued", "in_force") if template == "gov2021" else ("newly_made", "total_published")
    )
    for row in ("regulations", "normative_documents"):  # the stock includes this year's
        values[("proactive", row, stock)] += values[("proactive", row, made)]
        if template == "gov2019":
            values[("proactive", row, "newly_published")] = values[("proactive", row, made)]


def _proactive_value(rng: random.Random, kind: str, row: T.Row, col: T.Col) -> float:
    if col.unit == "万元":
        return money(rng, 0.7 if kind == "town" else 0.4, 2000.0)
    if row.group == "art20_1":  # only city and district governments make 规章
        if row.key == "regulations" and kind != "gov":
            return 0
        return count(rng, 0.75, 4 if kind == "town" else 26)
    if col.key == "items_change":
        return rng.choice((0, 0, 0, 0, 1, 2, -1, -3))
    if col.key in ("prev_year_items", "procurement_items"):
        return count(rng, 0.5, 40)
    idle = {"town": 0.65, "gov": 0.3, "dept": 0.25}[kind]  # no decisions at all this year
    if row.key != "administrative_licensing":
        idle += (1 - idle) / 2
    hi = {"town": 300, "gov": 800, "dept": 5000}[kind]
    return count(rng, idle, hi // 10 if row.key == "administrative_coercion" else hi)


def _requests(rng, template, kind, other_org, carried, values: Values) -> None:
    rows = result_rows(template)
    weights = [RESULT_WEIGHTS.get(r, 1) for r in rows]
    quiet = kind == "town" and rng.random() < 0.6
    scale = SCALE[kind]
    table: dict[str, dict[str, int]] = {r.key: {} for r in T.request_rows(template)}
    for col in APPLICANTS:
        if col == "other_org" and not other_org:
            new = over = 0
        else:
            p_zero = 1.0 if quiet else (0.15 if col == "natural_person" else 0.75)
            new = count(rng, p_zero, scale if col == "natural_person" else max(2, scale // 8))
            over = int(carried[col]) if carried is not None else count(rng, 0.8, max(2, new // 4))
        inflow = new + over
        forward = count(rng, 0.6, max(1, inflow // 4)) if inflow else 0
        forward = min(forward, inflow)
        done = inflow - forward
        cells = dict.fromkeys(rows, 0)
        for row in rng.choices(rows, weights, k=done):
            cells[row] += 1
        cells |= {"new_received": new, "carried_over": over, "result_total": done}
        cells["carried_forward"] = forward
        for row, n in cells.items():
            table[row][col] = n
    for row, cols in table.items():
        cols["total"] = sum(cols.values())
        for col, n in cols.items():
            if col != "other_org" or other_org:
                values[("requests", row, col)] = float(n)


def _review(rng: random.Random, kind: str, values: Values) -> None:
    p_zero = {"town": 0.97, "gov": 0.6, "dept": 0.7}[kind]
    for row in T.REVIEW_ROWS:
        parts = [count(rng, p_zero, 12) for _ in OUTCOMES]
        for col, n in zip(OUTCOMES, parts, strict=True):
            values[("review_litigation", row.key, col)] = float(n)
        values[("review_litigation", row.key, "total")] = float(sum(parts))


def carried_forward(values: Values) -> dict[str, float]:
    """This year's carried-forward requests per applicant column (next year's carried over)."""
    return {c: values.get(("requests", "carried_forward", c)) or 0.0 for c in APPLICANTS}


# --- blanks ------------------------------------------------------------------------------------

BLANK_PATTERNS = (
    "regulations_row",
    "fee",
    "coercion",
    "carried_over_row",
    "total_only",
    "after_review",
)
# Blank patterns chosen apart from BLANK_PATTERNS (so that adding one changes no older corpus):
# `total_column`, the gov2019 Shanghai 2019 way of leaving table 三's 总计 column blank in every row.
OLD_TEMPLATE_BLANKS = ("total_column",)
BLANK_MARKS = ("", "", "", "-", "/", "—")


def add_blanks(rng: random.Random, values: Values, template: str, k: int = 1) -> list[str]:
    """Blank `k` groups of cells as real reports do (a row left empty, a cell with “/”, a row
    printing only its 总计). Returns the pattern names used."""
    chosen = rng.sample(BLANK_PATTERNS, k)
    for pattern in chosen:
        for key in blank_keys(pattern, template, values):
            values[key] = None
    return chosen


def blank_keys(pattern: str, template: str, values: Values) -> list[Key]:
    req = [c.key for c in T.REQUEST_COLS if ("requests", "new_received", c.key) in values]
    if pattern == "regulations_row":
        return [k for k in values if k[0] == "proactive" and k[1] == "regulations"]
    if pattern == "fee":
        return [k for k in values if k[0] == "proactive" and k[1] == "administrative_fees"][-1:]
    if pattern == "coercion":
        return [k for k in values if k[0] == "proactive" and k[1] == "administrative_coercion"][-1:]
    if pattern == "carried_over_row":
        return [("requests", "carried_over", c) for c in req]
    if pattern == "total_only":  # sample 002: （一）（二） print only the 总计 cell
        return [
            ("requests", r, c)
            for r in ("granted", "partially_granted")
            for c in req
            if c != "total"
        ]
    if pattern == "after_review":  # Shanghai 2019: 复议后起诉 left empty
        return [("review_litigation", "litigation_after_review", c.key) for c in T.REVIEW_COLS]
    if pattern == "total_column":  # Shanghai 2019: table 三's 总计 printed blank in every row
        return [("requests", r.key, "total") for r in T.request_rows(template)]
    known = ", ".join((*BLANK_PATTERNS, *OLD_TEMPLATE_BLANKS))
    raise ValueError(f"unknown blank pattern {pattern!r}; use one of {known}")


# --- breaking one rule -------------------------------------------------------------------------


def break_rule(rng: random.Random, values: Values, template: str, rule: str) -> int:
    """Change the tables so that `rule` fails and every other rule still holds. Returns the
    amount added. X1 (narrative vs table) is broken in the narrative, not here."""
    d = rng.randint(1, 5)
    cols = [c for c in APPLICANTS if ("requests", "new_received", c) in values]
    col = rng.choice(cols)
    if rule == "R3.1":  # carried forward too high in one column (and its 总计): inflow ≠ outflow
        for c in (col, "total"):
            values[("requests", "carried_forward", c)] += d
    elif rule == "R3.2":  # one result row too high, （七）总计 unchanged
        row = rng.choice(result_rows(template))
        for c in (col, "total"):
            values[("requests", row, c)] += d
    elif rule == "R3.3":  # carried over and carried forward both higher in one column only
        for row in ("carried_over", "carried_forward"):
            values[("requests", row, col)] += d
    elif rule in REVIEW_RULE:
        values[("review_litigation", REVIEW_RULE[rule], "total")] += d
    elif rule != "X1":
        raise ValueError(f"unknown rule {rule!r}; use one of {', '.join(RULES)}")
    return d
