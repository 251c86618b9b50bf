"""Read tables 二, 三 and 四 by aligning each to the national template.

    result = extract_tables(regions, year, last_line)

For each table: its region (the lines under its heading) becomes a stream of label fragments and
number groups (parsers.tokens); the template's rows are anchored to the fragments and the groups
attached to them (parsers.align); each group's readings (parsers.readings) are chosen with the
template's arithmetic (parsers.solve). Every cell of the template comes out: read (`printed`, or
`aligned` when the reading undid a corruption), `inferred` by a template rule, or `unread` with a
note that names the row and column and says why. Nothing is ever shifted into another column to
fill a row: a value no reading places with confidence stays blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from parsers import template as T
from parsers.align import Anchor, Attachment, anchor_rows, attach_groups, concat
from parsers.normalize import norm
from parsers.readings import LOST, ColRule, Reading, plain_reading, readings
from parsers.report import Cell, TextFact
from parsers.solve import Decided, Equation, decide, holds, infer
from parsers.tokens import Atom, Frag, Group, Item, Region, tokenize

TABLE_ZH = {"proactive": "二", "requests": "三", "review_litigation": "四"}
NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,2}[、.]|\([一二三四五六七八九十]{1,2}\)|\d{1,2}[.、]?)"
)
NOTE = re.compile(r"\([^()]*\)")
OTHER_MISC = re.compile(r"\d[.、]?其他(?!处理|组织|结果|法律|情形|对外|主动)")
RESULT_TOTAL = re.compile(r"(?:\(七\)|七、|七\.)(?:总计|合计)")
WEAK_APART = 1.0  # empty cells on another line than the row's label (one cell per line)
VERIFIED = 0.1  # per equation a layout lets the printed numbers verify (6 or 7 columns)
# table 四's three blocks: 总计 (cells 4, 9, 14) = the four outcomes before it
REVIEW_SUMS = tuple((5 * n + 4, tuple(5 * n + j for j in range(4))) for n in range(3))
ARITH_FAIL = 3.0  # aligning numbers to a row whose own total they break
FOLLOWED = 0.3  # an anchor whose fragment is followed by numbers is likelier the row itself
FUZZY_MIN = 4  # characters a label (and a fragment) needs before it is matched by similarity
FUZZY = 0.6  # least character-bigram similarity for a label with none of the row's keywords
COLLAPSE_LINES = 8  # lines holding one number: enough to tell a crawl that dropped repeats
SIGNED = {"items_change"}
DECIMAL = {"fee_amount", "procurement_amount"}


@dataclass
class TableResult:
    cells: list[Cell] = field(default_factory=list)
    template: str = "gov2021"
    warnings: list[str] = field(default_factory=list)
    table_lines: set[int] = field(default_factory=set)
    other_org: bool = True  # table 三 prints the 其他 column


@lru_cache(maxsize=4096)
def core(text: str) -> str:
    """A label without its numbering and notes: （二）部分公开（区分处理的…） → 部分公开."""
    n = NUMBERING.sub("", norm(text))
    stripped = NOTE.sub("", n)
    return stripped or n


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


@dataclass
class _Row:
    """A template row as this table prints it: its key, label and column definitions."""

    key: str
    label: str
    cols: tuple[T.Col, ...]
    group: str
    rdef: T.Row | None = None

    def __post_init__(self) -> None:
        self.rules = [ColRule(c.key in SIGNED, c.key in DECIMAL) for c in self.cols]


class _Reader:
    def __init__(self, out: TableResult, collapsed: bool, last_line: int, evidence=()):
        self.value_prior = True  # off for tables whose arithmetic checks their rows
        self.out = out
        self.collapsed = collapsed
        self.last_line = last_line
        self.evidence = evidence

    # --- the three tables ------------------------------------------------------------------

    def proactive(self, region: Region) -> None:
        rows: list[_Row] = []
        for rdef in T.PROACTIVE_ROWS:
            cols = T.proactive_cols(self.out.template, rdef.group)
            if not cols:  # a row of the other template (政府集中采购 in a 2021-style report)
                other = "gov2019" if self.out.template == "gov2021" else "gov2021"
                cols = T.proactive_cols(other, rdef.group)
            rows.append(_Row(rdef.key, rdef.zh, cols, rdef.group, rdef))
            if rdef.key == "normative_documents":  # a local extension row of block （一）
                rows.append(_Row("local_1", "其他主动公开文件", cols, "art20_1"))
        expected = {r.key for r in T.proactive_rows(self.out.template)}

        def match(frag: Frag, i: int) -> list[tuple[int, int, float]]:
            out = []
            for order, row in enumerate(rows):
                words = row.rdef.match if row.rdef else ("其他主动公开",)
                pos = _find_any(frag.norm, words)
                if pos >= 0 and (row.key in expected or row.key == "local_1" or pos >= 0):
                    out.append((pos, order, 1.0 + _followed(region.items, i)))
            return out

        self._table("proactive", region, rows, match, [], required=expected)

    def requests(self, region: Region) -> None:
        rdefs = [r for r in T.request_rows(self.out.template)]
        anchors_head = self._request_head(region, rdefs)
        widths = [True, False] if anchors_head is None else [anchors_head]
        best = None
        for other_org in widths:
            cols = tuple(c for c in T.REQUEST_COLS if other_org or c.key != "other_org")
            rows = [_Row(r.key, r.zh, cols, r.group, r) for r in rdefs]
            trial = TableResult(template=self.out.template)
            reader = _Reader(trial, self.collapsed, self.last_line, self.evidence)
            cost = reader._table(
                "requests",
                region,
                rows,
                lambda f, i, rows=rows: _request_match(f, i, rows, region.items),
                _request_equations(
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
        eqs = [
            Equation(
                rule, (("review", 5 * n + 4),), tuple(("review", 5 * n + j) for j in range(4)), True
            )
            for n, rule in enumerate(("R4.1", "R4.2", "R4.3"))
        ]
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

        attached = _as_printed(items, anchors) or attach_groups(items, anchors, cost)
        found: dict[str, list[Reading]] = {}
        why: dict[str, str] = {}  # rows whose numbers have no reading at all: why
        # a row printed as empty cells, beside numbers no row could take: those may be its own
        # (its label wrapped onto a line of empty cells), so it is not known to be blank
        unplaced = _unplaced(items, anchors, attached)
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
                    why[row.key] = _unreadable(nxt, len(row.cols))
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
                why[row.key] = _unreadable(group, len(row.cols))
            total_cost += rs[0].cost if rs else 3.0
        what = {r.key: f"table {TABLE_ZH[table]} row {r.label}" for r in rows}
        by_key = {r.key: r for r in rows}

        def stated(key: tuple[str, int], value: float) -> str:
            row = by_key[key[0]]
            return _stated(self.evidence, row, row.cols[key[1]], value)

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
        grid = _grid_for(group, cols) if cols else None
        key = (_group_key(group), tuple(rules), self.collapsed, grid, sums, self.value_prior)
        rs = _cached_readings(*key)
        if not rs and group.atoms and group.atoms[-1].line >= self.last_line:
            nums = [a for a in group.atoms]
            whole = all(
                a.blank or plain_reading([a], [r]) for a, r in zip(nums, rules, strict=False)
            )
            if len(nums) < len(rules) and whole:  # the file ends inside this row: what is there
                values = tuple(a.value for a in nums) + (LOST,) * (len(rules) - len(nums))
                return [
                    Reading(
                        values,
                        0.0,
                        ("the file ends inside this row",),
                        tuple(a.line for a in nums) + (None,) * (len(rules) - len(nums)),
                        tuple(a.text for a in nums) + ("",) * (len(rules) - len(nums)),
                    )  # fmt: skip
                ]
        return rs

    def _request_head(self, region: Region, rdefs) -> bool | None:
        """Whether the header prints the 其他 column (None when the header says nothing)."""
        head = ""
        rows = [_Row(r.key, r.zh, (), r.group, r) for r in rdefs]
        for item in region.items:
            if isinstance(item, Frag):
                hit = _request_match(item, 0, rows, [])
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

    def _yuan_header(self, region: Region, row: _Row) -> bool:
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


# --- matching labels to rows -------------------------------------------------------------------


def _unplaced(items: list, anchors: list[Anchor], attached: dict) -> dict[int, str]:
    """Anchor index → the numbers (as printed) of a group beside it, before the next anchor or
    after the previous one, that no row took (not empty cells, not a page number)."""
    taken = {id(g) for att in attached.values() for g in att.groups}
    starts = [a.item for a in anchors]
    out: dict[int, str] = {}
    for i, item in enumerate(items):
        if not isinstance(item, Group) or item.weak or item.noisy or id(item) in taken:
            continue
        printed = " ".join(a.text for a in item.atoms if a.text)
        after = max((n for n, s in enumerate(starts) if s < i), default=None)
        for n in (after, None if after is None else after + 1):
            if n is not None and n < len(anchors):
                out.setdefault(n, printed)
    return out


def _unreadable(group: Group, k: int) -> str:
    """Why a group has no reading as a row of k cells, for the cells' notes."""
    printed = " ".join(a.text for a in group.atoms if a.text)
    longest = max((len(a.text) for a in group.atoms), default=0)
    if longest > 15 or (len(group.numbers) == 1 and longest > k + 6):
        digits = group.numbers[0].text if len(group.numbers) == 1 else printed
        shown = digits if len(digits) <= 40 else digits[:40] + "…"
        return (
            f"prints {sum(len(a.text) for a in group.numbers)} digits run together ('{shown}'); "
            f"too many ways to split them into {k} values"
        )
    return f"its numbers ({printed}) cannot be read as its {k} cells"


def _as_printed(items: list[Item], anchors: list[Anchor]) -> dict[int, Attachment] | None:
    """The attachment of a table printed as rows: each anchored label directly followed by its
    numbers, which read as the row as printed, and no numbers anywhere else. None otherwise (the
    full alignment then decides). Saves the alignment's search on most reports."""
    out: dict[int, Attachment] = {}
    used: set[int] = set()
    for n, anchor in enumerate(anchors):
        nxt = anchor.item + 1
        if n + 1 < len(anchors) and anchors[n + 1].item == anchor.item:
            continue  # several anchors in one fragment: only the last can own numbers
        group = items[nxt] if nxt < len(items) else None
        if not isinstance(group, Group) or group.short or group.grid is not None:
            return None
        if group.weak or plain_reading(group.atoms, anchor.row.rules) is None:
            return None
        out[n] = Attachment([group], False)
        used.add(nxt)
    stray = [
        i for i, it in enumerate(items) if isinstance(it, Group) and i not in used and not it.weak
    ]
    if stray and stray[-1] > anchors[0].item:
        return None  # numbers the rows did not take, inside the table
    return out


def _request_match(frag: Frag, i: int, rows: list[_Row], items: list[Item]):
    n = frag.norm
    out = []
    follow = _followed(items, i)
    matched = False
    for order, row in enumerate(rows):
        pos = -1
        if row.key == "other_misc":
            m = OTHER_MISC.search(n)
            pos = m.start() if m else -1
        elif row.key == "result_total":
            m = RESULT_TOTAL.search(n)
            if m:
                pos = m.start()
            elif n in ("总计", "合计") and follow:
                out.append((0, order, 0.6 + follow))
                continue
        else:
            pos = _find_any(n, row.rdef.match)
        if pos >= 0:
            out.append((pos, order, 1.0 + follow))
            matched = True
    if not matched and frag.kind == "text":
        c = core(frag.text)
        scored = [
            (_dice(c, core(row.label)), order)
            for order, row in enumerate(rows)
            if FUZZY_MIN <= len(c) <= len(core(row.label)) + 6 and len(core(row.label)) >= FUZZY_MIN
        ]
        if scored:
            score, order = max(scored)
            if score >= FUZZY:
                out.append((0, order, score + follow))
    return out


@lru_cache(maxsize=16)
def _request_equations(keys: tuple[str, ...], cols: tuple[str, ...], template: str) -> list:
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


def _stated(evidence: list[TextFact], row: _Row, col: T.Col, value: float) -> str:
    """The narrative clause that states `value` for this row and column, or ""."""
    evidence = [f for f in evidence if abs(f.value - value) < 1e-9 and not f.approx]
    if not evidence:
        return ""
    row_words = [w for w in (row.rdef.match if row.rdef else ()) if len(w) >= 2]
    col_words = [w for w in (*col.match, *col.terms) if len(w) >= 2 and not w.isascii()]
    for fact in evidence:
        label = norm(fact.label)
        if any(w in label for w in row_words) and any(w in label for w in col_words):
            return fact.quote
    return ""


def _find_any(text: str, words) -> int:
    hits = [text.find(w) for w in words if w and w in text]
    return min(hits) if hits else -1


def _followed(items: list[Item], i: int) -> float:
    nxt = items[i + 1] if i + 1 < len(items) else None
    return FOLLOWED if isinstance(nxt, Group) and not nxt.weak else 0.0


def _dice(a: str, b: str) -> float:
    ga = {a[i : i + 2] for i in range(len(a) - 1)}
    gb = {b[i : i + 2] for i in range(len(b) - 1)}
    if not ga or not gb:
        return 0.0
    return 2 * len(ga & gb) / (len(ga) + len(gb))


def _in_yuan(text: str) -> bool:
    n = norm(text)
    return "元" in n and "万元" not in n


def _raw(text: str) -> str:
    return text


def _group_key(group: Group) -> tuple:
    atoms = tuple(
        (a.text, a.line, a.value, a.sep, a.alone, a.glued, a.unit, a.edge, a.tail)
        for a in group.atoms
    )
    return (atoms, group.positional, group.short, group.regular)


@lru_cache(maxsize=4096)
def _cached_readings(
    key: tuple,
    rules: tuple,
    collapsed: bool,
    grid: tuple | None,
    sums: tuple = (),
    value_prior: bool = True,
) -> list[Reading]:
    atoms, positional, short, regular = key
    group = Group(
        [Atom(*fields) for fields in atoms], positional=positional, short=short, regular=regular
    )
    return readings(group, list(rules), collapsed, list(grid) if grid else None, sums, value_prior)


def _grid_for(group: Group, cols) -> tuple | None:
    """The atom index of each column, from the header printed above it in a regular grid."""
    grid = group.grid
    if grid is None or not group.positional:
        return None
    columns = _header_columns(id(grid.headers), grid, tuple(cols))
    if columns is None:
        return None
    out = [j - group.offset for j in columns]
    if out != sorted(set(out)) or out[0] < 0:
        return None
    return tuple(out)


_HEADER_MEMO: dict = {}


def _header_columns(memo_key: int, grid, cols: tuple) -> tuple | None:
    key = (memo_key, cols)
    if key in _HEADER_MEMO and _HEADER_MEMO[key][0] is grid.headers:
        return _HEADER_MEMO[key][1]
    if len(_HEADER_MEMO) > 4096:
        _HEADER_MEMO.clear()
    out = []
    for col in cols:
        words = (col.zh, *col.match)
        scored = []
        for j, texts in grid.headers.items():
            score = 0
            for w in words:
                for t in texts:
                    if t == w:
                        score = max(score, 3)
                    elif len(w) > 2 and w in t:
                        score = max(score, 2 if t.endswith(w) else 1)
            if score:
                scored.append((score, -j, j))
        if not scored:
            _HEADER_MEMO[key] = (grid.headers, None)
            return None
        out.append(max(scored)[2])
    _HEADER_MEMO[key] = (grid.headers, tuple(out))
    return tuple(out)
