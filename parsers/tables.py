"""Read tables 二, 三 and 四 by aligning each to the national template.

    result = extract_tables(regions, year, last_line)

For each table: its region (the lines under its heading) becomes a stream of label fragments and
number groups (parsers.tokens); the template's rows are anchored to the fragments and the groups
attached to them (parsers.align); each group's readings (parsers.readings) are chosen with the
template's arithmetic (parsers.solve). Every cell of the template comes out: read (`printed`, or
`aligned` when the reading undid a corruption), `inferred` by a template rule, or `unread` with a
note that names the row and column and says why. Nothing is ever shifted into another column to
fill a row: a value no reading places with confidence stays blank.

Labels are matched to rows by parsers.row_labels; a table printed as rows is placed by
parsers.placement without the alignment's search; groups are read by parsers.group_readings; the
tables' equations are parsers.equations'.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers import template as T
from parsers.align import Anchor, anchor_rows, attach_groups, concat
from parsers.equations import REVIEW_SUMS, Equation, holds, request_equations, review_equations
from parsers.group_readings import group_readings, unreadable_note
from parsers.normalize import norm
from parsers.placement import as_printed, unplaced_groups
from parsers.reading_costs import ColRule, Reading
from parsers.report import Cell, TextFact
from parsers.row_labels import TableRow, find_any, followed, request_match, stated_for
from parsers.solve import Decided, decide, infer
from parsers.stream import Frag, Group, Region
from parsers.tokens import tokenize

TABLE_ZH = {"proactive": "二", "requests": "三", "review_litigation": "四"}
WEAK_APART = 1.0  # empty cells on another line than the row's label (one cell per line)
VERIFIED = 0.1  # per equation a layout lets the printed numbers verify (6 or 7 columns)
ARITH_FAIL = 3.0  # aligning numbers to a row whose own total they break
COLLAPSE_LINES = 8  # lines holding one number: enough to tell a crawl that dropped repeats


@dataclass
class TableResult:
    cells: list[Cell] = field(default_factory=list)
    template: str = "gov2021"
    warnings: list[str] = field(default_factory=list)
    table_lines: set[int] = field(default_factory=set)
    other_org: bool = True  # table 三 prints the 其他 column


def detect_template(text_norm: str, year: int | None) -> str:
    score = {t: sum(text_norm.count(s) for s in sigs) for t, sigs in T.TEMPLATE_SIGNALS.items()}
    if "其他对外管理服务" in text_norm or "政府集中采购" in text_norm:
        score["gov2019"] += 1
    if "逾期不补正" in text_norm:
        score["gov2021"] += 1
    if score["gov2019"] != score["gov2021"]:
        return max(score, key=score.get)
    return "gov2019" if year is not None and year <= 2020 else "gov2021"


def extract_tables(
    regions: dict[str, list[tuple[int, str]]],
    year: int | None,
    last_line: int,
    evidence: list[TextFact] | tuple = (),
) -> TableResult:
    """`regions` maps proactive_tables / request_tables / review_litigation_table to their lines;
    `evidence` are numbers the narrative states, which may settle a cell the print left
    ambiguous (never fill one it did not print)."""
    streams = {key: tokenize(lines) for key, lines in regions.items()}
    all_text = norm("".join(t for lines in regions.values() for _, t in lines))
    result = TableResult(template=detect_template(all_text, year))
    for region in streams.values():
        result.table_lines |= region.table_lines
    collapsed = sum(r.single_lines for r in streams.values()) >= COLLAPSE_LINES and not any(
        r.repeats for r in streams.values()
    )
    reader = _Reader(result, collapsed, last_line, list(evidence))
    if "proactive_tables" in streams:
        reader.proactive(streams["proactive_tables"])
    if "request_tables" in streams:
        reader.requests(streams["request_tables"])
    if "review_litigation_table" in streams:
        reader.review(streams["review_litigation_table"])
    return result


class _Reader:
    def __init__(self, out: TableResult, collapsed: bool, last_line: int, evidence=()):
        self.value_prior = True  # off for tables whose arithmetic checks their rows
        self.out = out
        self.collapsed = collapsed
        self.last_line = last_line
        self.evidence = evidence

    # --- the three tables ------------------------------------------------------------------

    def proactive(self, region: Region) -> None:
        rows: list[TableRow] = []
        for rdef in T.PROACTIVE_ROWS:
            cols = T.proactive_cols(self.out.template, rdef.group)
            if not cols:  # a row of the other template (政府集中采购 in a 2021-style report)
                other = "gov2019" if self.out.template == "gov2021" else "gov2021"
                cols = T.proactive_cols(other, rdef.group)
            rows.append(TableRow(rdef.key, rdef.zh, cols, rdef.group, rdef))
            if rdef.key == "normative_documents":  # a local extension row of block （一）
                rows.append(TableRow("local_1", "其他主动公开文件", cols, "art20_1"))
        expected = {r.key for r in T.proactive_rows(self.out.template)}

        def match(frag: Frag, i: int) -> list[tuple[int, int, float]]:
            out = []
            for order, row in enumerate(rows):
                words = row.rdef.match if row.rdef else ("其他主动公开",)
                pos = find_any(frag.norm, words)
                if pos >= 0 and (row.key in expected or row.key == "local_1" or pos >= 0):
                    out.append((pos, order, 1.0 + followed(region.items, i)))
            return out

        self._table("proactive", region, rows, match, [], required=expected)

    def requests(self, region: Region) -> None:
        rdefs = [r for r in T.request_rows(self.out.template)]
        anchors_head = self._request_head(region, rdefs)
        widths = [True, False] if anchors_head is None else [anchors_head]
        best = None
        for other_org in widths:
            cols = tuple(c for c in T.REQUEST_COLS if other_org or c.key != "other_org")
            rows = [TableRow(r.key, r.zh, cols, r.group, r) for r in rdefs]
            trial = TableResult(template=self.out.template)
            reader = _Reader(trial, self.collapsed, self.last_line, self.evidence)
            cost = reader._table(
                "requests",
                region,
                rows,
                lambda f, i, rows=rows: request_match(f, i, rows, region.items),
                request_equations(
                    tuple(r.key for r in rows), tuple(c.key for c in cols), self.out.template
                ),
            )
            if best is None or cost < best[0] - 1e-9:
                best = (cost, trial, other_org)
        _, trial, other_org = best
        self.out.cells += trial.cells
        self.out.warnings += trial.warnings
        self.out.other_org = other_org

    def review(self, region: Region) -> None:
        groups = [g for g in region.items if isinstance(g, Group) and not g.noisy]
        # a line of empty cells with no label is a block of blank cells (复议后起诉 left blank);
        # empty cells beside a label are not
        real = [g for g in groups if not g.weak or (g.positional and not g.label_cells)]
        if not any(not g.weak for g in real):
            real = []
        cols = [(r, c) for r in T.REVIEW_ROWS for c in T.REVIEW_COLS]
        eqs = review_equations()
        if not real:
            return
        self.value_prior = False
        found: dict[str, list[Reading]] = {}
        if real:
            group = concat(real)
            rules = [ColRule()] * 15
            found["review"] = self._readings(group, rules, sums=REVIEW_SUMS)
        what = {"review": "table 四 (行政复议、行政诉讼)"}
        decided, _ = decide(found, eqs, what) if found else ({}, True)
        infer(decided, eqs, runs=self.collapsed)
        for n, (rdef, col) in enumerate(cols):
            d = decided.get(("review", n))
            if d is None:
                note = (
                    "table 四 prints no numbers"
                    if not real
                    else "table 四's numbers could not be read as its 15 cells"
                )
                d = Decided(None, "unread", real[0].line if real else None, "", note)
            self.out.cells.append(
                Cell(
                    "review_litigation",
                    rdef.key,
                    col.key,
                    rdef.zh,
                    col.zh,
                    d.value,
                    d.raw,
                    "件",
                    d.line,
                    d.provenance,
                    rdef.key,
                    d.note,
                )  # fmt: skip
            )
        self._warn_rows("table 四", [c for c in self.out.cells if c.table == "review_litigation"])

    # --- shared ----------------------------------------------------------------------------

    def _table(self, table, region, rows, match, equations, required=None) -> float:
        """Anchor, attach, read and decide one table; append its cells. Returns the alignment's
        cost (to compare layouts)."""
        items = region.items
        self.value_prior = not equations
        anchors = anchor_rows(items, match)
        if not anchors:  # the table is not here (parse fills its cells in as unread)
            return 3.0 * len(rows)
        anchors = [Anchor(a.item, a.pos, a.order, rows[a.order], a.score) for a in anchors]

        own: dict[str, list[Equation]] = {r.key: [] for r in rows}
        for e in equations:
            touched = {k[0] for k in e.left + e.right}
            if len(touched) == 1 and next(iter(touched)) in own:
                own[next(iter(touched))].append(e)

        def cost(anchor: Anchor, group: Group) -> float:
            """What it takes to read `group` as the anchor's row: the least damage of its readings
            (how unlikely the values are plays no part in which row numbers belong to), and
            ARITH_FAIL more when no reading keeps the row's own arithmetic (R3.3)."""
            rs = self._readings(group, anchor.row.rules, anchor.row.cols)
            if not rs:
                return float("inf")
            if group.weak:  # only empty cells: the row's own line says it is blank
                return 0.0 if group.line == items[anchor.item].line else WEAK_APART
            eqs = own[anchor.row.key]
            ok = [r for r in rs if all(holds(e, lambda k, r=r: r.values[k[1]]) for e in eqs)]
            least = min(r.damage for r in rs)
            return min(min((r.damage for r in ok), default=float("inf")), least + ARITH_FAIL)

        attached = as_printed(items, anchors) or attach_groups(items, anchors, cost)
        found: dict[str, list[Reading]] = {}
        why: dict[str, str] = {}  # rows whose numbers have no reading at all: why
        # a row printed as empty cells, beside numbers no row could take: those may be its own
        # (its label wrapped onto a line of empty cells), so it is not known to be blank
        unplaced = unplaced_groups(items, anchors, attached)
        where: dict[str, int | None] = {}
        moved: set[str] = set()
        total_cost = 0.0
        for n, anchor in enumerate(anchors):
            row = anchor.row
            where[row.key] = items[anchor.item].line
            att = attached.get(n)
            if att is None:
                found[row.key] = []
                total_cost += 3.0
                nxt = items[anchor.item + 1] if anchor.item + 1 < len(items) else None
                if isinstance(nxt, Group) and not nxt.weak:  # numbers beside it, unreadable
                    why[row.key] = unreadable_note(nxt, len(row.cols))
                continue
            group = concat(att.groups)
            beside = unplaced.get(n)
            if group.weak and beside is not None:
                found[row.key] = []
                why[row.key] = (
                    f"its own line is empty and the numbers near it ({beside}) could not be "
                    "placed in any row; left blank"
                )
                total_cost += 3.0
                continue
            rs = self._readings(group, row.rules, row.cols)
            if att.before:
                moved.add(row.key)
            found[row.key] = rs
            if not rs:
                why[row.key] = unreadable_note(group, len(row.cols))
            total_cost += rs[0].cost if rs else 3.0
        what = {r.key: f"table {TABLE_ZH[table]} row {r.label}" for r in rows}
        by_key = {r.key: r for r in rows}

        def stated(key: tuple[str, int], value: float) -> str:
            row = by_key[key[0]]
            return stated_for(self.evidence, row, row.cols[key[1]], value)

        decided, solved = decide(found, equations, what, stated)
        infer(decided, equations, solved, runs=self.collapsed)
        for row in rows:
            if row.key not in where and (
                row.key.startswith("local_") or (required and row.key not in required)
            ):
                continue
            if (
                row.rdef is not None
                and row.rdef.templates
                and self.out.template not in row.rdef.templates
                and row.key not in where
            ):
                continue
            for c, col in enumerate(row.cols):
                d = decided.get((row.key, c))
                if d is None:
                    note = (
                        f"{what[row.key]} was not found in table {TABLE_ZH[table]}"
                        if row.key not in where
                        else f"{what[row.key]}: " + why.get(row.key, "no numbers found for it")
                    )
                    d = Decided(None, "unread", where.get(row.key), "", note)
                elif row.key in moved and d.provenance == "printed":
                    d = Decided(
                        d.value,
                        "aligned",
                        d.line,
                        d.raw,
                        f"{what[row.key]}: its numbers are printed before its label",
                    )
                value, unit = d.value, col.unit
                if unit == "万元" and value is not None and d.provenance in ("printed", "aligned"):
                    if _in_yuan(d.raw) or self._yuan_header(region, row):
                        value = round(value / 10000, 6)
                self.out.cells.append(
                    Cell(
                        table,
                        row.key,
                        col.key,
                        row.label,
                        col.zh,
                        value,
                        _raw(d.raw),
                        unit,
                        d.line if d.line is not None else where.get(row.key),
                        d.provenance,
                        row.group if table != "review_litigation" else row.key,
                        d.note,
                    )  # fmt: skip
                )
        for r in rows:
            if r.key in where:
                self._warn_rows(
                    what[r.key], [c for c in self.out.cells if c.table == table and c.row == r.key]
                )
        verified = sum(
            1
            for e in equations
            if all(
                decided.get(k) is not None and decided[k].value is not None
                for k in e.left + e.right
            )
            and holds(e, lambda k: decided[k].value)
        )
        return total_cost + (0.0 if solved else 1.0) - VERIFIED * verified

    def _readings(self, group: Group, rules: list[ColRule], cols=None, sums=()) -> list[Reading]:
        return group_readings(
            group, rules, self.collapsed, self.last_line, self.value_prior, cols, sums
        )

    def _request_head(self, region: Region, rdefs) -> bool | None:
        """Whether the header prints the 其他 column (None when the header says nothing)."""
        head = ""
        rows = [TableRow(r.key, r.zh, (), r.group, r) for r in rdefs]
        for item in region.items:
            if isinstance(item, Frag):
                hit = request_match(item, 0, rows, [])
                if hit:
                    head += item.norm[: min(p for p, _, _ in hit)]
                    break
                head += item.norm
        if "法律服务" in head:
            tail = head[head.rindex("法律服务") :]
            return "其他" in tail.replace("法人或其他组织", "")
        if "其他" in head.replace("法人或其他组织", "") and "总计" in head:
            return True
        return None

    def _yuan_header(self, region: Region, row: TableRow) -> bool:
        heads = [i.norm for i in region.items if isinstance(i, Frag) and "金额" in i.norm]
        return bool(heads) and _in_yuan(heads[-1]) if row.key == "administrative_fees" else False

    def _warn_rows(self, what: str, cells: list[Cell]) -> None:
        """One warning for a row (or table 四) that was not simply read as printed."""
        unread = [c for c in cells if c.provenance == "unread"]
        line = next((c.line for c in cells if c.line), None)
        at = f"line {line}: " if line else ""
        if unread:
            note = next((c.note for c in unread if c.note), "")
            note = note.removeprefix(f"{what}: ")
            self.out.warnings.append(
                f"{at}{what}: {len(unread)} of {len(cells)} cells left unread"
                + (f" ({note})" if note else "")
            )
        elif any(c.provenance == "aligned" for c in cells):
            note = next(c.note for c in cells if c.provenance == "aligned")
            self.out.warnings.append(f"{at}{note} (cells marked aligned)")
        elif any(c.provenance == "inferred" for c in cells):
            note = next(c.note for c in cells if c.provenance == "inferred")
            self.out.warnings.append(f"{at}{what}: {note}")


def _in_yuan(text: str) -> bool:
    n = norm(text)
    return "元" in n and "万元" not in n


def _raw(text: str) -> str:
    return text
