"""Consistency rules (勾稽关系, SCHEMA.md §5) evaluated on a report's cells.

Each rule gives pass, fail or not_checkable (a needed cell is blank or absent) per column or row.
A failing report is kept and flagged, never dropped.
"""

from __future__ import annotations

from parsers import template as T
from parsers.report import Cell, Check, TextFact
from parsers.vocabulary import number_text

TOL = 1e-6
RESULT_ROWS = {
    "gov2021": [
        r.key
        for r in T.REQUEST_ROWS
        if r.key
        not in ("new_received", "carried_over", "result_total", "carried_forward", "other_total")
    ],
    "gov2019": [
        r.key
        for r in T.REQUEST_ROWS
        if r.key
        not in (
            "new_received",
            "carried_over",
            "result_total",
            "carried_forward",
            "other_no_correction",
            "other_unpaid_fee",
            "other_misc",
        )
    ],
}
APPLICANT_COLS = [c.key for c in T.REQUEST_COLS if c.key != "total"]


def run_checks(cells: list[Cell], text_facts: list[TextFact], template: str) -> list[Check]:
    grid = {(c.table, c.row, c.col): c for c in cells}
    cols = [
        c.key
        for c in T.REQUEST_COLS
        if ("requests", "new_received", c.key) in grid
        or ("requests", "result_total", c.key) in grid
    ]
    checks: list[Check] = []
    if any(c.table == "requests" for c in cells):
        for col in cols:
            checks.append(
                _rule(
                    "R3.1",
                    col,
                    grid,
                    [("requests", r, col) for r in ("new_received", "carried_over")],
                    [("requests", r, col) for r in ("result_total", "carried_forward")],
                )
            )
            checks.append(
                _rule(
                    "R3.2",
                    col,
                    grid,
                    [("requests", "result_total", col)],
                    [("requests", r, col) for r in RESULT_ROWS[template]],
                )
            )
        rows = [r.key for r in T.REQUEST_ROWS if any(("requests", r.key, c) in grid for c in cols)]
        for row in rows:
            parts = [
                ("requests", row, c)
                for c in APPLICANT_COLS
                if ("requests", row, c) in grid or c != "other_org"
            ]
            checks.append(_rule("R3.3", row, grid, [("requests", row, "total")], parts))
    for rule, row in (
        ("R4.1", "review"),
        ("R4.2", "litigation_direct"),
        ("R4.3", "litigation_after_review"),
    ):
        if any(c.table == "review_litigation" and c.row == row for c in cells):
            parts = [
                ("review_litigation", row, c)
                for c in ("upheld", "corrected", "other_outcome", "pending")
            ]
            checks.append(_rule(rule, row, grid, [("review_litigation", row, "total")], parts))
    checks.append(_narrative_requests(grid, text_facts))
    return checks


def _rule(rule: str, scope: str, grid, left: list[tuple], right: list[tuple]) -> Check:
    used = [grid.get(k) for k in left + right]
    missing = [k for k, c in zip(left + right, used, strict=False) if c is None or c.value is None]
    inferred = any(c is not None and c.provenance == "inferred" for c in used)
    if missing:
        names = ", ".join(f"{k[1]}.{k[2]}" for k in missing[:3])
        return Check(
            rule, scope, "not_checkable", detail=f"blank or absent: {names}", uses_inferred=inferred
        )
    lhs = sum(grid[k].value for k in left)
    rhs = sum(grid[k].value for k in right)
    status = "pass" if abs(lhs - rhs) <= TOL else "fail"
    detail = "" if status == "pass" else f"{number_text(lhs)} ≠ {number_text(rhs)}"
    return Check(rule, scope, status, lhs, rhs, detail, inferred)


def _narrative_requests(grid, text_facts: list[TextFact]) -> Check:
    """X1: the request count stated in the narrative equals table 三 new_received.total."""
    stated = next(
        (
            f
            for f in text_facts
            if "申请" in f.quote
            and f.unit in ("件", "条", "份", "个")
            and any(w in f.quote for w in ("收到", "受理", "接收", "新收"))
            and not any(w in f.quote for w in ("复议", "诉讼", "答复", "办结"))
        ),
        None,
    )
    cell = grid.get(("requests", "new_received", "total"))
    if stated is None or cell is None or cell.value is None:
        return Check(
            "X1",
            "new_received.total",
            "not_checkable",
            detail="no request count in the narrative" if stated is None else "table value absent",
        )
    status = "pass" if abs(stated.value - cell.value) <= TOL else "fail"
    return Check(
        "X1",
        "new_received.total",
        status,
        stated.value,
        cell.value,
        f"narrative line {stated.line}: {stated.quote}",
        cell.provenance == "inferred",
    )
