"""How well a report was read, in words for people: its status with its completeness, the cells
that could not be read (grouped by table and row, with the parser's note), and a failed
consistency rule with the cells it names and their values. The CLI (`gongkai parse`, `reports`,
`ingest`) and the web page (Reports tab, uploads) both say it this way.

    >>> status_text("incomplete", 9, 200)
    'incomplete — 9 of 200 cells read'
    >>> status_text("incomplete", 9, 200, zh=True)
    '不完整 · 已读出 9/200 栏'
    >>> from parsers.report import Cell
    >>> row = "一、本年新收政府信息公开申请数量"
    >>> cells = parsed_cells([
    ...     Cell("requests", "new_received", "total", row, "总计", 0.0, "0", "件", 51),
    ...     Cell("requests", "new_received", "natural_person", row, "自然人", 1.0, "1", "件", 51),
    ...     Cell("requests", "new_received", "commercial_enterprise", row, "商业企业", None, "", "件",
    ...          51, provenance="unread", note="could not be read with confidence; left blank"),
    ... ])
    >>> print(unread_groups(cells)[0].text(zh=True))
    表三 「一、本年新收政府信息公开申请数量」：商业企业 — could not be read with confidence; left blank
    >>> print(failed_rule({"rule": "R3.3", "scope": "new_received", "rhs": 1.0}, cells, "gov2021", zh=True))
    R3.3（总计 = 各类申请人之和），表三「一、本年新收政府信息公开申请数量」行：总计 0 ≠ 自然人 1 + 商业企业 ? + ...

Cells are plain dicts with the parser's keys (`table`, `row`, `col`, `row_label`, `col_label`,
`value`, `provenance`, `note`, `line`): `asdict(cell)` of a parsed Cell, or `stored_cell(row)`
of a row of `Store.cells`. The words for statuses and provenances are `parsers.report`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from parsers import template as T
from parsers.checks import APPLICANT_COLS, RESULT_ROWS
from parsers.report import PROVENANCES_ZH, STATUSES, STATUSES_ZH, Cell
from parsers.vocabulary import TABLE_NUMERALS, number_text

Key = tuple[str, str, str]
# What each consistency rule (docs/SCHEMA.md §5) states, in words: (zh, en)
RULE_WORDS = {
    "R3.1": ("本年新收 + 上年结转 = 办理结果总计 + 结转下年度", "new + carried over = handled + carried forward"),
    "R3.2": ("办理结果总计 = （一）至（六）各项之和", "total handled = the sum of the outcomes （一）–（六）"),
    "R3.3": ("总计 = 各类申请人之和", "total = the sum of the applicant columns"),
    "R4": ("总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结", "total = upheld + corrected + other + pending"),
    "X1": ("正文所述收到的申请数 = 表三 本年新收申请·总计", "requests stated in the text = table 三 new requests, total"),
}  # fmt: skip
REVIEW_PARTS = ("upheld", "corrected", "other_outcome", "pending")
LISTED_TERMS = 6  # a side of a rule with more cells names the non-zero ones and counts the rest


def table_name(table: str, zh: bool = False) -> str:
    """表三 / table 三."""
    numeral = TABLE_NUMERALS[table]
    return f"表{numeral}" if zh else f"table {numeral}"


def status_text(status: str, read: int, expected: int, zh: bool = False) -> str:
    """The status with its completeness: "incomplete — 9 of 200 cells read"."""
    if zh:
        return f"{STATUSES_ZH.get(status, (status,))[0]} · 已读出 {read}/{expected} 栏"
    return f"{status} — {read} of {expected} cells read"


def status_meaning(status: str, zh: bool = False) -> str:
    if zh:
        return STATUSES_ZH.get(status, ("", ""))[1]
    return STATUSES.get(status, "")


def provenance_label(provenance: str) -> str:
    """按模板对齐 / 按勾稽关系推定 / 未读出 / 原样印出."""
    return PROVENANCES_ZH.get(provenance, (provenance,))[0]


def parsed_cells(cells: Iterable[Cell]) -> list[dict[str, Any]]:
    return [asdict(c) for c in cells]


def stored_cell(row: dict[str, Any]) -> dict[str, Any]:
    """A row of `Store.cells` with the parser's key names."""
    out = {k: v for k, v in row.items() if k not in ("table_key", "row_key", "col_key", "grp")}
    return out | {"table": row["table_key"], "row": row["row_key"], "col": row["col_key"]}


def row_name(cell: dict[str, Any]) -> str:
    """The row as the template prints it, with its group for numbered sub-items:
    （三）不予公开 1.属于国家秘密."""
    row = T.row_def(cell["table"], cell["row"])
    if row is not None and row.item and row.group_zh:
        return f"{row.group_zh} {row.zh}"
    return cell["row_label"] or (row.zh if row else cell["row"])


num = number_text


# --- unread cells --------------------------------------------------------------------------


@dataclass
class UnreadGroup:
    """Unread cells sharing one note: a whole table (`first` ""), a run of whole rows (`first`
    to `last`), or some columns of one row (`cols`)."""

    table: str
    first: str  # the first row's printed name; "" for the whole table
    last: str  # the last row's name for a run of several whole rows, else ""
    rows: int  # rows in the group
    cols: list[str]  # the column labels of a partly unread row; [] for whole rows
    note: str
    count: int  # cells

    def text(self, zh: bool = False) -> str:
        where = table_name(self.table, zh)
        if zh:
            if not self.first:
                what = f"全部{self.count}栏"
            elif self.last:
                what = f"「{self.first}」至「{self.last}」共{self.rows}行（{self.count}栏）"
            else:
                what = f"「{self.first}」：{'、'.join(self.cols) or '全部栏目'}"
        elif not self.first:
            what = f"all {self.count} cells"
        elif self.last:
            what = f"{self.first} to {self.last}: {self.rows} rows ({self.count} cells)"
        else:
            what = f"{self.first}: {', '.join(self.cols) or 'every column'}"
        return f"{where} {what}" + (f" — {self.note}" if self.note else "")


def unread_groups(cells: Sequence[dict[str, Any]]) -> list[UnreadGroup]:
    """The unread cells of `cells`, in their order, grouped so that a long list stays short:
    a table none of whose cells was read (one note), runs of rows none of whose cells was read
    (one note), else the unread columns of a row (per note)."""
    out: list[UnreadGroup] = []
    tables: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for c in cells:
        tables.setdefault(c["table"], {}).setdefault(c["row"], []).append(c)
    for table, rows in tables.items():
        members = [c for row in rows.values() for c in row]
        unread = [c for c in members if c["provenance"] == "unread"]
        if not unread:
            continue
        if len(unread) == len(members) and len({c["note"] for c in unread}) == 1:
            out.append(UnreadGroup(table, "", "", len(rows), [], unread[0]["note"], len(unread)))
            continue
        run: UnreadGroup | None = None  # whole rows, one note, one after another
        for row in rows.values():
            lost = [c for c in row if c["provenance"] == "unread"]
            notes = {c["note"] for c in lost}
            whole = len(lost) == len(row) and len(notes) == 1
            if whole and run is not None and run.note == lost[0]["note"]:
                run.last, run.rows, run.count = (
                    row_name(row[0]),
                    run.rows + 1,
                    run.count + len(lost),
                )
                continue
            run = None
            if whole:
                cols = [lost[0]["col_label"]] if len(lost) == 1 else []  # 行政处罚: 处理决定
                run = UnreadGroup(table, row_name(row[0]), "", 1, cols, lost[0]["note"], len(lost))
                out.append(run)
                continue
            for note in dict.fromkeys(c["note"] for c in lost):
                cols = [c["col_label"] for c in lost if c["note"] == note]
                out.append(UnreadGroup(table, row_name(row[0]), "", 1, cols, note, len(cols)))
    return out


# --- failed consistency rules ----------------------------------------------------------------


def rule_sides(rule: str, scope: str, template: str, keys: set[Key]) -> tuple[list[Key], list[Key]]:
    """The cells on the left and the right of `rule` evaluated on `scope` (a column of table 三
    for R3.1/R3.2, a row for R3.3 and R4.x), as `parsers.checks` adds them up. `keys`: the
    report's cells (a 6-column table 三 has no 其他 column)."""
    if rule == "R3.1":
        left = [("requests", r, scope) for r in ("new_received", "carried_over")]
        return left, [("requests", r, scope) for r in ("result_total", "carried_forward")]
    if rule == "R3.2":
        rows = RESULT_ROWS.get(template, RESULT_ROWS["gov2021"])
        return [("requests", "result_total", scope)], [("requests", r, scope) for r in rows]
    if rule == "R3.3":
        parts = [
            ("requests", scope, c)
            for c in APPLICANT_COLS
            if c != "other_org" or ("requests", scope, c) in keys
        ]
        return [("requests", scope, "total")], parts
    if rule.startswith("R4"):
        parts = [("review_litigation", scope, c) for c in REVIEW_PARTS]
        return [("review_litigation", scope, "total")], parts
    return [], []


def failed_rule(
    check: dict[str, Any], cells: Sequence[dict[str, Any]], template: str, zh: bool = False
) -> str:
    """A failed check in words, with the cells it adds up and their values:
    R3.3（总计 = 各类申请人之和），表三「一、本年新收…」行：总计 0 ≠ 自然人 1 + 商业企业 0 + … = 1."""
    rule, scope = check["rule"], check["scope"]
    says = RULE_WORDS.get("R4" if rule.startswith("R4") else rule, ("", ""))[0 if zh else 1]
    head = f"{rule}（{says}）" if zh else f"{rule} ({says})"
    if rule == "X1":
        return head + _narrative_words(check, zh)
    grid = {(c["table"], c["row"], c["col"]): c for c in cells}
    left, right = rule_sides(rule, scope, template, set(grid))
    if not left:
        return head + ("：" if zh else ": ") + (check.get("detail") or "")
    by_column = rule in ("R3.1", "R3.2")
    first = grid.get(left[0]) or _template_cell(left[0])
    if by_column:
        col = first["col_label"]
        where = f"，表三「{col}」列" if zh else f", table 三 column {col}"
    else:
        row = row_name(first)
        where = (
            f"，{table_name(left[0][0], True)}「{row}」行"
            if zh
            else (f", {table_name(left[0][0])} row {row}")
        )
    lhs, rhs = _side(left, grid, by_column, zh), _side(right, grid, by_column, zh)
    total = num(check.get("rhs"))
    if zh:
        return f"{head}{where}：{lhs} ≠ {rhs}" + (f" = {total}" if len(right) > 1 else "")
    return f"{head}{where}: {lhs} ≠ {rhs}" + (f" = {total}" if len(right) > 1 else "")


def _side(keys: list[Key], grid: dict[Key, dict[str, Any]], by_column: bool, zh: bool) -> str:
    terms = []
    for key in keys:
        c = grid.get(key) or _template_cell(key)
        terms.append((row_name(c) if by_column else c["col_label"], c["value"]))
    if len(terms) > LISTED_TERMS:
        shown = [t for t in terms if t[1] != 0]
        rest = len(terms) - len(shown)
        words = [f"{label} {num(v) or '?'}" for label, v in shown]
        words.append(f"其余{rest}栏为0" if zh else f"{rest} more of 0")
        return " + ".join(words)
    return " + ".join(f"{label} {num(v) or '?'}" for label, v in terms)


def _template_cell(key: Key) -> dict[str, Any]:
    """A cell the report lacks, named as the template names it; its value unknown."""
    row, col = T.row_def(key[0], key[1]), T.col_def(key[0], key[2])
    return {"table": key[0], "row": key[1], "col": key[2], "value": None,
            "row_label": row.zh if row else key[1], "col_label": col.zh if col else key[2]}  # fmt: skip


def _narrative_words(check: dict[str, Any], zh: bool) -> str:
    m = re.match(r"narrative line (\d+): (.*)", check.get("detail") or "", re.S)
    line, quote = (m.group(1), m.group(2)) if m else ("?", check.get("detail") or "")
    stated, cell = num(check.get("lhs")), num(check.get("rhs"))
    row = T.row_def("requests", "new_received")
    label = f"{row.zh if row else 'new_received'}·总计"
    if zh:
        return f"：正文第{line}行「{quote}」为 {stated}，表三「{label}」为 {cell}"
    return f": the text (line {line}: “{quote}”) says {stated}; table 三 {label} is {cell}"
