"""Turn the lines of a table region into logical rows, whatever the rendering.

Renderings seen in real reports: cells separated by tabs (Word/PDF extraction), pipes inline
(`规章 | 0 | 0 | 0 |`), one cell per line with blank lines between, one pipe-closed cell per line
(`规章 |` / `0 |`), cells with the pipes on their own lines, cells separated by spaces
(`规章 0 0 0`), and cells run together (`规章000`). A logical row is its label cells followed by
its value cells; a row whose cells kept their positions (tabs, pipes) is `positional`, so a blank
cell there is a real blank, not a lost one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.normalize import clean, norm, parse_number

# Cells that belong to a table's header, never to a row label.
HEADER_WORDS = {
    "信息内容",
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "商业",
    "企业",
    "科研机构",
    "科研",
    "机构",
    "社会公益组织",
    "社会公益",
    "组织",
    "法律服务机构",
    "法律服务",
    "其他",
    "总计",
    "合计",
    "行政复议",
    "行政诉讼",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "结果",
    "维持",
    "纠正",
    "未经复议直接起诉",
    "复议后起诉",
    "尚未",
    "审结",
}
HEADER_PREFIXES = (
    "信息内容",
    "本年制发",
    "本年废止",
    "现行有效",
    "本年处理决定",
    "本年收费金额",
    "本年新制作",
    "本年新公开",
    "本年新",
    "对外公开总数",
    "上一年项目",
    "本年增",
    "处理决定数量",
    "采购项目数量",
    "采购总金额",
    "收费金额",
    "(本列数据",
    "本列数据",
    "(本列)",
    "制作数量",
    "公开数量",
    "本年制发数量",
)
BLOCK = re.compile(r"第二十条第?\(?([一二三四五六七八九十]{1,2})\)?项?")
# numbers separated by whitespace, each matched one way only (no nested repeats to backtrack)
SPACED_ROW = re.compile(
    r"^(.*?[^\d\s.,+\-])\s+([+-]?\d[\d,]*(?:\.\d+)?(?:\s+[+-]?\d[\d,]*(?:\.\d+)?)*)\s*$"
)
GLUED_ROW = re.compile(r"^(.*?[^\d\s.,+\-])(\d[\d.]*)$")
NOTE = re.compile(r"\([^()]*\)")
PROSE = re.compile(r"[，。；,;：:].*[，。；,;]")


@dataclass
class Tok:
    text: str  # as printed (cleaned of pinyin notes)
    line: int
    kind: str  # text | header | block | value | blank | glued
    value: float | None = None
    last_in_line: bool = False


@dataclass
class LRow:
    labels: list[Tok] = field(default_factory=list)
    values: list[Tok] = field(default_factory=list)
    positional: bool = False

    @property
    def line(self) -> int:
        toks = self.labels or self.values
        return toks[0].line if toks else 0

    def label_texts(self) -> list[str]:
        return [t.text for t in self.labels]


@dataclass
class Region:
    rows: list[LRow]
    headers: list[Tok]  # header and block cells in order (column labels, units, 第二十条 blocks)
    table_lines: set[int]  # lines that belong to the table (not prose)


def classify(raw: str, line: int) -> Tok:
    text = clean(raw)
    is_value, value = parse_number(text)
    if is_value:
        return Tok(text, line, "blank" if value is None else "value", value)
    n = norm(text)
    if BLOCK.fullmatch(n) or (n.startswith("第二十条") and len(n) <= 12):
        return Tok(text, line, "block")
    if n in HEADER_WORDS or n.startswith(HEADER_PREFIXES) or "勾稽" in n:
        return Tok(text, line, "header")
    return Tok(text, line, "text")


def split_line(text: str) -> tuple[str, list[str]]:
    if "\t" in text:
        return "tab", text.split("\t")
    if "|" in text:
        stripped = text.strip()
        cells = stripped.split("|")
        if stripped.endswith("|"):
            cells = cells[:-1]
        if stripped.startswith("|") and len(cells) > 2 and any(c.strip() for c in cells):
            cells = cells[1:]  # markdown style: | a | b |
        if all(re.fullmatch(r"\s*:?-{3,}:?\s*", c) for c in cells if c.strip()) and any(
            c.strip() for c in cells
        ):
            return "rule", []
        return "pipe", cells
    return "plain", [text]


def merge_own_line_pipes(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """`规章` followed by a line starting with `|`: the pipe closes that cell (pipes on own lines)."""
    out: list[tuple[int, str]] = []
    for no, text in lines:
        if out and text.lstrip().startswith("|"):
            prev_no, prev = out[-1]
            if prev.strip() and "|" not in prev and "\t" not in prev:
                out[-1] = (prev_no, prev.rstrip() + " |")
                rest = text.lstrip()[1:]
                if rest.strip():
                    out.append((no, rest))
                continue
        if text.strip():
            out.append((no, text))
    return out


def tokenize(lines: list[tuple[int, str]]) -> Region:
    rows: list[LRow] = []
    headers: list[Tok] = []
    table_lines: set[int] = set()
    cur: LRow | None = None

    def new_row(positional: bool) -> LRow:
        row = LRow(positional=positional)
        rows.append(row)
        return row

    for no, text in merge_own_line_pipes(lines):
        kind, cells = split_line(text)
        if kind == "rule":
            table_lines.add(no)
            continue
        if kind == "plain":
            toks = _plain_toks(text, no)
            if toks is None:  # prose inside a table section
                cur = None
                continue
        else:
            toks = [classify(c, no) for c in cells]
        if not toks:
            continue
        toks[-1].last_in_line = True
        table_lines.add(no)
        positional = kind != "plain"
        has_number = any(t.kind in ("value", "glued") for t in toks)
        if has_number:  # a bare 总计 or 其他 printed before numbers labels that row
            for t in toks:
                if t.kind == "header":
                    t.kind = "text"
        if any(t.kind in ("header", "block") for t in toks) and not any(
            t.kind == "text" for t in toks
        ):
            headers.extend(t for t in toks if t.kind in ("header", "block"))
            if any(t.kind == "block" for t in toks) or (cur and cur.values) or kind != "plain":
                cur = None
            continue
        if any(t.kind == "text" for t in toks):
            first = next(i for i, t in enumerate(toks) if t.kind == "text")
            if cur is None or cur.values or kind == "tab":
                cur = new_row(positional)
            for t in toks[first:]:
                if t.kind in ("header", "block"):
                    headers.append(t)
                elif t.kind == "text":
                    if cur.values:
                        cur = new_row(positional)
                    cur.labels.append(t)
                else:
                    cur.values.append(t)
            cur.positional = cur.positional or positional
            continue
        # values only
        if cur is None:
            cur = new_row(positional)
        cur.values.extend(toks)
        cur.positional = cur.positional or positional
    return Region(rows, headers, table_lines)


def _plain_toks(text: str, no: int) -> list[Tok] | None:
    """A line with no separators: one cell, a space-separated row, a run-together row, or prose."""
    s = clean(text)
    if not s:
        return []
    tok = classify(s, no)
    if tok.kind != "text":
        return [tok]
    parts = s.split()
    if len(parts) > 1 and all(classify(p, no).kind in ("value", "blank") for p in parts):
        return [classify(p, no) for p in parts]
    m = SPACED_ROW.match(s)
    if m and not PROSE.search(m.group(1)):
        return [Tok(m.group(1).strip(), no, "text")] + [classify(v, no) for v in m.group(2).split()]
    if (len(norm(s)) > 60 or PROSE.search(s)) and len(NOTE.sub("", norm(s))) > 20:
        return None  # prose; a short label with a long note, 规章（设区的市…提供相关数据）, is kept
    if " " in s and all(classify(p, no).kind == "header" for p in s.split()):
        return [classify(p, no) for p in s.split()]
    m = GLUED_ROW.match(s)
    if m and not BLOCK.search(norm(s)):
        return [Tok(m.group(1).strip(), no, "text"), Tok(m.group(2), no, "glued")]
    return [tok]
