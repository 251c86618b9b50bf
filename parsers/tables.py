"""Map the logical rows of tables 二, 三 and 四 onto the template's cells.

Rows are recognised by their labels (never by position alone); columns by the template and, where
the rendering kept positions, by position. A row whose numbers cannot be placed with certainty is
left unplaced and explained in a warning, unless the consistency rules force its values
(`provenance='inferred'`). Blank cells stay None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations
from math import comb

from parsers import template as T
from parsers.normalize import norm
from parsers.report import Cell
from parsers.rows import LRow, Region, Tok, tokenize

NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]{1,2}[、.]|\([一二三四五六七八九十]{1,2}\)|\d{1,2}[.、]?)"
)
NOTE = re.compile(r"\([^()]*\)")
RESULT_GROUPS = {"result", "denied", "unable", "not_processed", "other"}
MAX_SPLITS = 200_000


@dataclass
class TableResult:
    cells: list[Cell] = field(default_factory=list)
    template: str = "gov2021"
    warnings: list[str] = field(default_factory=list)
    table_lines: set[int] = field(default_factory=set)


def core(text: str) -> str:
    """A label without its numbering and notes: （二）部分公开（区分处理的…） → 部分公开."""
    n = norm(text)
    n = NUMBERING.sub("", n)
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
    regions: dict[str, list[tuple[int, str]]], year: int | None, last_line: int
) -> TableResult:
    """`regions` maps proactive_tables / request_tables / review_litigation_table to their lines."""
    toks = {key: tokenize(lines) for key, lines in regions.items()}
    all_text = norm("".join(t for lines in regions.values() for _, t in lines))
    result = TableResult(template=detect_template(all_text, year))
    for region in toks.values():
        result.table_lines |= region.table_lines
    if "proactive_tables" in toks:
        _proactive(toks["proactive_tables"], result, last_line)
    if "request_tables" in toks:
        _requests(toks["request_tables"], result, last_line)
    if "review_litigation_table" in toks:
        _review(toks["review_litigation_table"], result, last_line)
    return result


# --- Table 二 -----------------------------------------------------------------------------------


def _proactive(region: Region, out: TableResult, last_line: int) -> None:
    seen: set[str] = set()
    local = 0
    for row in region.rows:
        rdef = _match_proactive(row)
        if rdef is None:
            continue
        if rdef == "local":
            local += 1
            key, group, label = f"local_{local}", "art20_1", _label_text(row)
            cols = T.proactive_cols(out.template, group)
        else:
            key, group, label = rdef.key, rdef.group, rdef.zh
            cols = T.proactive_cols(out.template, group)
            if not cols:  # a row of the other template (e.g. 政府集中采购 in a 2021-style report)
                other = "gov2019" if out.template == "gov2021" else "gov2021"
                cols = T.proactive_cols(other, group)
        if key in seen:
            out.warnings.append(
                f"line {row.line}: table 二 row {label} appears twice; kept the first"
            )
            continue
        seen.add(key)
        placed = _place_simple(row, len(cols), last_line, out, f"table 二 row {label}")
        if placed is None:
            continue
        divisor = _money_divisor(region, row, cols)
        for col, (tok, prov) in zip(cols, placed, strict=False):
            value = tok.value if tok is not None else None
            unit = col.unit
            if unit == "万元" and value is not None and (divisor != 1 or _in_yuan(tok.text)):
                value = round(value / 10000, 6)
            out.cells.append(
                Cell(
                    "proactive",
                    key,
                    col.key,
                    label,
                    col.zh,
                    value,
                    tok.text if tok else "",
                    unit,
                    tok.line if tok else row.line,
                    prov,
                    group,
                )
            )


def _match_proactive(row: LRow) -> T.Row | str | None:
    for tok in reversed(row.labels):
        c = core(tok.text)
        if "其他主动公开" in c:
            return "local"
        for rdef in T.PROACTIVE_ROWS:
            if any(m in c for m in rdef.match) and len(c) <= len(rdef.zh) + 12:
                return rdef
    return None


def _label_text(row: LRow) -> str:
    return core(row.labels[-1].text) if row.labels else ""


def _money_divisor(region: Region, row: LRow, cols: tuple[T.Col, ...]) -> int:
    """10000 when the amount column's header says 元 rather than 万元."""
    if not any(c.unit == "万元" for c in cols):
        return 1
    heads = [h for h in region.headers if h.line <= row.line and "金额" in norm(h.text)]
    if heads and _in_yuan(heads[-1].text):
        return 10000
    return 1


def _in_yuan(text: str) -> bool:
    n = norm(text)
    return "元" in n and "万元" not in n


# --- Table 三 -----------------------------------------------------------------------------------


def _requests(region: Region, out: TableResult, last_line: int) -> None:
    header = {norm(h.text) for h in region.headers}
    has_other = "其他" in header or not (
        header & {"自然人", "商业企业", "科研机构", "法律服务机构", "社会公益组织"}
    )
    cols = tuple(c for c in T.REQUEST_COLS if has_other or c.key != "other_org")
    k = len(cols)
    placed: dict[str, list[tuple[Tok | None, str]]] = {}
    lines: dict[str, int] = {}
    pending: list[tuple[T.Row, LRow]] = []
    for row in region.rows:
        rdef = _match_request(row)
        if rdef is None:
            continue
        if rdef.key in placed or any(p[0].key == rdef.key for p in pending):
            out.warnings.append(
                f"line {row.line}: table 三 row {rdef.zh} appears twice; kept the first"
            )
            continue
        values = _place_requests(row, k, last_line, out, rdef.zh)
        lines[rdef.key] = row.line
        if values is None:
            if not any(t.kind == "glued" for t in row.values):  # a failed split has warned already
                pending.append((rdef, row))
        else:
            placed[rdef.key] = values
    _infer_forced(pending, placed, cols, out)
    for rdef in T.REQUEST_ROWS:
        for col, (tok, prov) in zip(cols, placed.get(rdef.key, []), strict=False):
            out.cells.append(
                Cell(
                    "requests",
                    rdef.key,
                    col.key,
                    rdef.zh,
                    col.zh,
                    tok.value if tok else (0.0 if prov == "inferred" else None),
                    tok.text if tok else "",
                    "件",
                    tok.line if tok else lines[rdef.key],
                    prov,
                    rdef.group,
                )
            )


def _match_request(row: LRow) -> T.Row | None:
    for i, tok in enumerate(reversed(row.labels)):
        c = core(tok.text)
        n = norm(tok.text)
        for rdef in T.REQUEST_ROWS:
            if rdef.item and rdef.match and any(m in c for m in rdef.match):
                return rdef
        if c == "其他" and n != c:
            return T.row_def("requests", "other_misc")
        for key, words in (
            ("granted", ("予以公开",)),
            ("partially_granted", ("部分公开", "区分处理")),
            ("new_received", ("本年新收", "新收政府信息公开申请")),
            ("carried_over", ("上年结转",)),
            ("carried_forward", ("结转下年",)),
            ("other_total", ("其他处理",)),
        ):
            if any(w in c for w in words):
                return T.row_def("requests", key)
        if i == 0 and c in ("总计", "合计") and row.values:
            return T.row_def("requests", "result_total")
    return None


def _place_requests(row: LRow, k: int, last_line: int, out: TableResult, label: str):
    glued = [t for t in row.values if t.kind == "glued"]
    if glued:
        return _split_glued(
            glued[0], k, lambda p: abs(sum(p[:-1]) - p[-1]) < 1e-9, out, f"table 三 row {label}"
        )
    vals = row.values
    nums = [t for t in vals if t.kind == "value"]
    if len(nums) == k:
        return [(t, "printed") for t in nums]
    if not row.positional:
        return _truncated(nums, k, last_line) if nums else None
    if not nums:
        return [(None, "printed")] * k if len(vals) >= k else None
    first = vals.index(nums[0])
    last = len(vals) - 1 - vals[::-1].index(nums[-1])
    span = vals[first : last + 1]
    if len(span) == k:
        return [(t, "printed") for t in span]
    if len(nums) == 1 and nums[0].last_in_line and first >= 1:
        return [(None, "printed")] * (k - 1) + [(nums[0], "printed")]  # only 总计 printed
    return _truncated(nums, k, last_line)


def _truncated(nums: list[Tok], k: int, last_line: int):
    """The excerpt ends inside this row: place what is there, in order."""
    if nums and nums[-1].line >= last_line and len(nums) < k:
        return [(t, "printed") for t in nums]
    return None


def _infer_forced(pending, placed, cols, out: TableResult) -> None:
    """Rows whose numbers could not be aligned: fill them only where R3.2 and R3.4 force every value
    (the column's printed （七）总计 is 0, so every result row of that column is 0)."""
    totals = placed.get("result_total", [])
    for rdef, row in pending:
        nums = [t for t in row.values if t.kind == "value"]
        forced = (
            rdef.group in RESULT_GROUPS
            and len(totals) == len(cols)
            and all(tok is not None and tok.value == 0 for tok, _ in totals)
        )
        if forced and all(t.value == 0 for t in nums):
            placed[rdef.key] = [(None, "inferred")] * len(cols)
            out.warnings.append(
                f"line {row.line}: table 三 row {rdef.zh} prints {len(nums)} numbers for {len(cols)} columns; "
                "every value is forced to 0 by （七）总计 = 0, so the cells are inferred"
            )
        else:
            raw = " ".join(t.text for t in row.values)
            out.warnings.append(
                f"line {row.line}: table 三 row {rdef.zh} prints {len(nums)} numbers for {len(cols)} columns "
                f"and which column is missing cannot be told; cells left unread (raw: {raw})"
            )


# --- Table 四 -----------------------------------------------------------------------------------


def _review(region: Region, out: TableResult, last_line: int) -> None:
    cols = [(r, c) for r in T.REVIEW_ROWS for c in T.REVIEW_COLS]

    def check(parts: list[float]) -> bool:
        return all(abs(sum(parts[i : i + 4]) - parts[i + 4]) < 1e-9 for i in (0, 5, 10))

    for row in region.rows:
        nums = [t for t in row.values if t.kind in ("value", "glued")]
        if not nums:
            continue
        if nums[0].kind == "glued":
            placed = _split_glued(nums[0], 15, check, out, "table 四")
        elif len(nums) == 15:
            placed = [(t, "printed") for t in nums]
        elif row.positional and len(_trim(row.values, 15)) == 15:
            placed = [(t, "printed") for t in _trim(row.values, 15)]
        elif len(nums) < 15 and nums[-1].line >= last_line:
            placed = [(t, "printed") for t in nums]
        else:
            out.warnings.append(
                f"line {row.line}: table 四 has {len(nums)} numbers, expected 15; not read"
            )
            continue
        if placed is None:
            return
        for (rdef, col), (tok, prov) in zip(cols, placed, strict=False):
            out.cells.append(
                Cell(
                    "review_litigation",
                    rdef.key,
                    col.key,
                    rdef.zh,
                    col.zh,
                    tok.value if tok else None,
                    tok.text if tok else "",
                    "件",
                    tok.line if tok else row.line,
                    prov,
                    rdef.key,
                )
            )
        return


def _trim(vals: list[Tok], k: int) -> list[Tok]:
    vals = list(vals)
    while len(vals) > k and vals[-1].kind == "blank":
        vals.pop()
    while len(vals) > k and vals[0].kind == "blank":
        vals.pop(0)
    return vals


# --- shared -------------------------------------------------------------------------------------


def _place_simple(row: LRow, k: int, last_line: int, out: TableResult, what: str):
    """Values for a table 二 row of `k` columns, as (tok or None, provenance) pairs; None if unsure."""
    glued = [t for t in row.values if t.kind == "glued"]
    if glued:
        return _split_glued(glued[0], k, None, out, what)
    if row.positional:
        vals = _trim(row.values, k)
        while len(vals) > k and vals[-1].kind == "blank":
            vals.pop()
        if len(vals) > k:
            out.warnings.append(
                f"line {row.line}: {what} has {len(vals)} values for {k} columns; kept the first {k}"
            )
            vals = vals[:k]
        return [(t, "printed") for t in vals]
    nums = [t for t in row.values if t.kind == "value"]
    if len(nums) >= k:
        if len(nums) > k:
            out.warnings.append(
                f"line {row.line}: {what} has {len(nums)} values for {k} columns; kept the first {k}"
            )
        return [(t, "printed") for t in nums[:k]]
    if not nums:
        return None
    placed = _truncated(nums, k, last_line)
    if placed is None:
        out.warnings.append(
            f"line {row.line}: {what} prints {len(nums)} numbers for {k} columns; cells left unread"
        )
    return placed


def _split_glued(tok: Tok, k: int, check, out: TableResult, what: str):
    """Recover cells run together (`规章000`) when exactly one split into `k` numbers fits."""
    digits = tok.text
    if k == 1:
        return (
            [(Tok(digits, tok.line, "value", float(digits)), "printed")]
            if _number_ok(digits)
            else None
        )
    fits = []
    n = len(digits)
    if comb(n - 1, k - 1) > MAX_SPLITS:  # no telling which one: do not try them all
        out.warnings.append(
            f"line {tok.line}: {what} prints {n} digits run together ('{_short(digits)}'); "
            f"too many ways to split them into {k} values; cells left unread"
        )
        return None
    for cuts in combinations(range(1, n), k - 1):
        bounds = (0, *cuts, n)
        parts = [digits[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        if not all(_number_ok(p) for p in parts):
            continue
        values = [float(p) for p in parts]
        if check is None or check(values):
            fits.append(parts)
            if len(fits) > 1:
                break
    if len(fits) != 1:
        out.warnings.append(
            f"line {tok.line}: {what} prints its numbers run together ('{digits}') and "
            f"{'no' if not fits else 'more than one'} split into {k} values fits; cells left unread"
        )
        return None
    out.warnings.append(
        f"line {tok.line}: {what} prints its numbers run together ('{digits}'); "
        f"the only split that fits is {' | '.join(fits[0])} (cells marked inferred)"
    )
    return [(Tok(p, tok.line, "value", float(p)), "inferred") for p in fits[0]]


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _number_ok(part: str) -> bool:
    if not part or part.count(".") > 1 or part.startswith(".") or part.endswith("."):
        return False
    whole = part.split(".")[0]
    return len(whole) <= 15 and (whole == "0" or not whole.startswith("0"))
