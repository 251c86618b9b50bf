"""Turn a table region's lines into a stream of label fragments and number groups.

The table reader (`parsers.tables`) relies on nothing but this stream and the template. Every
rendering is reduced to the same few things:

- `Frag`: a piece of label or header text, in order (`规章`, `（三）不`, `予公开`, `信息内容`);
- `Group`: the numbers between two pieces of text, as `Atom`s (digit strings or blank cells), each
  with the separator that came before it: `cell` (a tab or pipe: a certain boundary), `space`,
  `line` (a line break) or `glue` (none: `35-15`). A group from one tab/pipe line is `positional`:
  its empty cells are real blanks. A number alone on its line or in its cell is `alone`; digits
  inside running text (`规章007`) may stand for several cells run together.

Line breaks, pipes, tabs, one cell per line, markdown block boundaries, page footers (`— 7 —`,
`第3页`) and running text are separators or noise here, never structure the reader relies on:
which row a number belongs to is decided by aligning the stream to the template.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from parsers.normalize import clean, is_blank_mark, norm, parse_number

# Cells that belong to a table's header, never to a row label.
HEADER_WORDS = (
    "信息内容",
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "行政复议",
    "行政诉讼",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "未经复议直接起诉",
    "复议后起诉",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额",
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "处理决定数量",
    "采购项目数量",
    "采购总金额",
    "社会公益",
    "法律服务",
    "商业",
    "企业",
    "科研",
    "机构",
    "组织",
    "结果",
    "维持",
    "纠正",
    "尚未",
    "审结",
    "其他",
    "总计",
    "合计",
    "本年",
    "制发",
    "废止",
    "现行",
    "有效",
    "件数",
    "数量",
    "金额",
)
# One header word, or a note about units or the 勾稽关系, possibly printed one character per line.
HEADER_PIECE = re.compile(
    "|".join(re.escape(w) for w in sorted(HEADER_WORDS, key=len, reverse=True))
    + r"|\((?:单位|本列)[^()]*\)|单位:?[万元]+|[()/:,、.\s]"
)
BLOCK = re.compile(r"第二十条第?\(?([一二三四五六七八九十]{1,2})\)?项?")
NOTE = re.compile(r"\([^()]*\)")
PROSE_PUNCT = re.compile(r"[。;；]|,.*,")
# A page footer or page count: "— 7 —", "-7-", "第 3 页", "第3页 共8页", "3/8".
PAGE_NOISE = re.compile(
    r"^\s*(?:[-—–~]+\s*\d{1,4}\s*[-—–~]+|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
BR = re.compile(r"<br\s*/?>", re.I)
# A blank mark after a number, not the sign of the next one and not a dash inside words.
NEARLY_ALL = 0.8  # share of a block's lines whose width overrides its markdown rule row
BLANK_MARK = re.compile(r"\s*(--|-|/|—|－|／)(?![\d\-/—－／])")
# The report's title repeated at the top of a page (a running header), or a table's caption.
RUNNING_HEAD = re.compile(r"(?:年度报告|年报|工作报告|续表)")
MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
# A number inside text: digits (thousands commas allowed), a decimal part, an optional sign.
NUMBER = re.compile(r"([+-]?)(?<![\d.])((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)")
# What makes digits part of the words rather than a cell: 2022年, 12月, 4位, 第3页, 2.8万人次.
TEXT_AFTER = set("年月日号时位岁页期次%％人名家户万亿倍余多")
UNITS = ("万元", "元", "件", "项", "条", "个")
ITEM_NO = re.compile(r"(\d)([.、])\s*(?=[\u4e00-\u9fff\"“(（])")
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class Atom:
    """One printed number, or one blank cell (value None, text "" or a blank mark such as "-")."""

    text: str
    line: int
    value: float | None
    sep: str = ""  # separator before it: cell | space | line | glue | "" (first of its group)
    alone: bool = False  # the only thing on its line or in its cell: unlikely to hide several cells
    glued: bool = False  # run into a label or another number (`规章007`, `35-15`)
    unit: str = ""  # 元 / 万元 printed after the number
    edge: bool = False  # a blank at the start or end of the line it came from (droppable)
    tail: bool = False  # an empty cell after the last filled cell of a tab/pipe line

    @property
    def blank(self) -> bool:
        return self.value is None


@dataclass
class Grid:
    """Where a positional line's cells sit in its block's columns (after empty spacer columns are
    dropped), and the header text printed in each column of the block."""

    cells: list[str]
    headers: dict[int, list[str]]  # column index → header texts printed in it, top to bottom
    width: int


@dataclass
class Group:
    atoms: list[Atom]
    positional: bool = False  # one tab/pipe line: boundaries and blank cells are certain
    weak: bool = False  # only blank cells beside a label: the numbers may be on another line
    grid: Grid | None = None  # a positional line whose block has a regular grid of columns
    label_cells: int = 0  # how many non-empty label cells preceded it on its line
    offset: int = 0  # the index of its first atom among the line's grid cells
    short: int = 0  # cells this markdown row lacks against its table's width (its rule row)
    noisy: bool = False  # likely not table content (a page number alone between blocks)
    regular: bool = False  # from a table whose columns are fixed (markdown rule row, grid)

    @property
    def line(self) -> int:
        return self.atoms[0].line if self.atoms else 0

    @property
    def numbers(self) -> list[Atom]:
        return [a for a in self.atoms if not a.blank]


@dataclass
class Frag:
    text: str  # cleaned, as printed
    line: int
    kind: str  # text | header | block
    norm: str = ""

    def __post_init__(self) -> None:
        self.norm = norm(self.text)


Item = Frag | Group


@dataclass
class Region:
    items: list[Item]
    table_lines: set[int] = field(default_factory=set)  # lines that are table, not prose
    header_text: str = ""  # normalised header words in order (column names, units)
    single_lines: int = 0  # lines holding one number and nothing else
    repeats: int = 0  # lines equal to the non-empty line before them


def tokenize(lines: list[tuple[int, str]]) -> Region:
    """The stream of a table region given as (line number, text) pairs."""
    region = Region([])
    builder = _Builder(region)
    block: list[tuple[int, list[str]]] = []
    prev = None
    isolated = _isolated_numbers(lines)
    for no, raw in lines:
        text = BR.sub(" ", raw)
        stripped = text.strip()
        if not stripped and "\t" not in text:
            continue  # a line of tabs alone is a row of empty cells (a row left blank)
        if stripped == prev:
            region.repeats += 1
        prev = stripped
        if MD_RULE.match(stripped):
            region.table_lines.add(no)
            builder.width = stripped.strip("|").count("|") + 1  # a markdown table's width
            continue
        cells = _positional_cells(text)
        if cells is not None:
            block.append((no, cells))
            region.table_lines.add(no)
            continue
        if block:
            builder.positional_block(block)
            block = []
        if PAGE_NOISE.match(clean(stripped)):
            region.table_lines.add(no)
            continue
        if _is_prose(stripped) or (RUNNING_HEAD.search(stripped) and len(stripped) < 60):
            builder.barrier(no)
            continue
        region.table_lines.add(no)
        if NUMBER.fullmatch(clean(stripped).replace(" ", "")):
            region.single_lines += 1
        if no in isolated:  # a page number between two blocks of a tab/pipe table
            builder.flush()
            builder.loose_line(no, text)
            if builder.open:
                builder.open[0].sep = ""
                region.items.append(Group(builder.open, noisy=True))
                builder.open = []
            continue
        builder.loose_line(no, text)
    if block:
        builder.positional_block(block)
    builder.flush()
    region.header_text = "".join(
        f.norm for f in region.items if isinstance(f, Frag) and f.kind == "header"
    )
    return region


def _isolated_numbers(lines: list[tuple[int, str]]) -> set[int]:
    """Lines holding one short number with an empty line beside them, in a table printed as
    tab/pipe lines: page numbers, most likely (a number broken inside a cell sits right under
    its line)."""
    positional = sum(1 for _, t in lines if _positional_cells(t) is not None)
    out = set()
    for i, (no, text) in enumerate(lines):
        s = clean(text).replace(" ", "")
        if not (s.isdigit() and len(s) <= 3):
            continue
        before = i == 0 or not lines[i - 1][1].strip()
        after = i + 1 == len(lines) or not lines[i + 1][1].strip()
        # right under a line ending in a digit it may be the rest of that line's last number
        rest = i > 0 and lines[i - 1][1].rstrip()[-1:].isdigit()
        if (before or (after and not rest)) and positional >= 4:
            out.add(no)
    return out


def _positional_cells(text: str) -> list[str] | None:
    """The cells of a tab line or of a pipe line holding two or more cells; None for other lines
    (a single cell closed by a pipe, `规章 |`, is a loose line)."""
    if "\t" in text:
        return text.split("\t")
    if "|" not in text:
        return None
    stripped = text.strip()
    cells = stripped.split("|")
    if stripped.startswith("|"):
        cells = cells[1:]
    if stripped.endswith("|"):
        cells = cells[:-1]
    markdown = stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1
    if not markdown and sum(1 for c in cells if c.strip()) < 2:
        return None
    return cells


def _is_prose(text: str) -> bool:
    """A sentence inside a table section (not a row, a header or a note)."""
    n = norm(text)
    bare = NOTE.sub("", n)
    return len(bare) > 20 and bool(PROSE_PUNCT.search(bare)) and len(n) > 24


class _Builder:
    """Accumulates items; loose numbers are collected into the open group until text comes."""

    def __init__(self, region: Region):
        self.region = region
        self.open: list[Atom] = []
        self.pipe_cell_empty = False
        self.after_pipe = False  # the last cell was closed by a pipe: a certain cell boundary
        self.width = 0  # the width of the markdown table being read (0: not known)

    # -- output ---------------------------------------------------------------------------------

    def flush(self) -> None:
        if self.open:
            self.region.items.append(Group(self.open, weak=all(a.text == "" for a in self.open)))
            self.open = []

    def frag(self, text: str, line: int) -> None:
        text = text.strip()
        if not text:
            return
        self.flush()
        self.region.items.append(Frag(text, line, _frag_kind(text)))

    def barrier(self, line: int) -> None:
        self.flush()
        self.region.items.append(Frag("", line, "barrier"))

    def atom(self, atom: Atom) -> None:
        if not self.open:
            atom.sep = ""
        self.open.append(atom)

    # -- loose lines: one cell per line, space-separated, run together, pipe-closed cells --------

    def loose_line(self, no: int, text: str) -> None:
        s = clean(text)
        if s.replace("|", "").strip() == "":  # pipes alone: cell terminators
            for _ in range(s.count("|")):
                self._terminate(no)
            return
        parts = s.split("|")
        for i, part in enumerate(parts):
            if part.strip():
                self._pieces(part, no, first_sep="cell" if self.after_pipe else "line")
                self.pipe_cell_empty = False
                self.after_pipe = False
            if i < len(parts) - 1:
                self._terminate(no)

    def _terminate(self, no: int) -> None:
        """A pipe closes a cell; two pipes with nothing between them enclose a blank cell."""
        if self.pipe_cell_empty:
            self.atom(Atom("", no, None, "cell"))
        self.pipe_cell_empty = True
        self.after_pipe = True

    def _pieces(self, text: str, no: int, first_sep: str) -> None:
        """Split one cell's or line's text into fragments and atoms. A number alone in its cell
        or on its line is `alone`; digits inside running text (`规章007`) may hold several cells."""
        ok, value = parse_number(text)
        if ok:
            if text.strip():
                self.atom(Atom(text.strip(), no, value, first_sep, True, unit=_unit(text)))
            return
        pos = 0
        prev = ""  # text | num
        last: Atom | None = None
        for start, end, digits, unit in _numbers(text):
            gap = self._marks(text[pos:start], no, prev == "num")
            if gap.strip():
                if last is not None and not gap[0].isspace():
                    last.glued = True  # digits run into the next label: 0000000 + 2.其他…
                self.frag(gap, no)
                sep, glued = "glue", not gap[-1].isspace()
            elif prev == "num":
                sep = "space" if gap else "glue"
                glued = not gap
            else:
                sep, glued = first_sep, False
            if glued and sep == "glue" and prev == "num" and self.open:
                self.open[-1].glued = True
            value = float(digits.replace(",", ""))
            last = Atom(digits, no, value, sep, False, glued, unit)
            self.atom(last)
            prev, pos = "num", end
        rest = self._marks(text[pos:], no, prev == "num")
        if rest.strip():
            if last is not None and not rest[0].isspace():
                last.glued = True
            self.frag(rest, no)

    def _marks(self, gap: str, no: int, after_number: bool) -> str:
        """Blank marks printed right after a number (`00000-`, `0 0 /`) are blank cells; the rest
        of `gap` is returned."""
        if not after_number:
            return gap
        while True:
            m = BLANK_MARK.match(gap)
            if not m:
                return gap
            self.atom(Atom(m.group(1), no, None, "space" if m.group(0)[0].isspace() else "glue"))
            gap = gap[m.end() :]

    # -- positional lines: tabs or pipes ---------------------------------------------------------

    def positional_block(self, block: list[tuple[int, list[str]]]) -> None:
        """Consecutive tab/pipe lines. A line's value cells are the cells after its last label
        cell. Where the block's header names the columns and every number of the block's data
        lines of the header's width sits in a named column, those lines also get a `Grid`, so a
        blank cell keeps its column (a blank 总计, empty spacer columns)."""
        rows = [(no, [clean(c) for c in cells]) for no, cells in block]
        spaced = _without_spacers(rows)
        # a markdown rule row fixes the width (less the spacer columns), unless nearly every
        # line is wider (a table continued after a page break, its rule from a narrower first
        # line); tab lines vary freely
        usual = 0
        if self.width:
            usual = self.width - (len(rows[0][1]) - len(spaced[0][1]))
            common, n = Counter(len(cells) for _, cells in spaced).most_common(1)[0]
            if common > usual and n >= NEARLY_ALL * len(spaced):
                usual = common
        rows = spaced
        headers: dict[int, list[str]] = {}
        head_widths = set()
        for _, cells in rows:
            if _is_header_line(cells):
                head_widths.add(len(cells))
                for j, c in enumerate(cells):
                    if c:
                        headers.setdefault(j, []).append(norm(c))
        head_width = max(head_widths, default=0)
        # a grid only where every header line has the width of the data lines it names
        trusted = bool(headers) and len(head_widths) == 1
        for _, cells in rows:
            if len(cells) == head_width and not _is_header_line(cells):
                last = max((j for j, c in enumerate(cells) if _cell_kind(c) == "text"), default=-1)
                numbered = {j for j, c in enumerate(cells) if j > last and _cell_kind(c) == "num"}
                trusted = trusted and numbered <= set(headers)
        for no, cells in rows:
            grid = (
                Grid(cells, headers, head_width) if trusted and len(cells) == head_width else None
            )
            self._positional_line(no, cells, grid, max(0, usual - len(cells)) if usual else 0)
        self.flush()

    def _positional_line(self, no: int, cells: list[str], grid: Grid | None, short: int) -> None:
        self.flush()
        cells = ["" if _is_unit(c) else c for c in cells]
        if PAGE_NOISE.match(" ".join(c for c in cells if c)):
            return
        if _is_header_line(cells):
            for c in cells:
                self.frag(c, no)
            return
        kinds = [_cell_kind(c) for c in cells]
        texts = [j for j, k in enumerate(kinds) if k == "text"]
        last = texts[-1] if texts else -1
        for j in texts:
            if j == last and _has_digits(cells[j]):
                self._pieces(cells[j], no, first_sep="cell")  # 规章000 inside one cell
            else:
                self.frag(cells[j], no)
        atoms = self.open
        self.open = []
        for c in cells[last + 1 :]:
            ok, value = parse_number(c)
            if ok or not c.strip():
                atoms.append(
                    Atom(c.strip(), no, value if ok else None, "cell", True, unit=_unit(c))
                )
            else:  # digits run together inside one cell, or a number with words
                sub = _Builder(self.region)
                sub._pieces(c, no, first_sep="cell")
                atoms.extend(sub.open)
        if not atoms:
            return
        if atoms:
            atoms[0].sep = ""
        filled = [n for n, a in enumerate(atoms) if a.text]
        for a in atoms[filled[-1] + 1 :] if filled else ():
            a.tail = True
        group = Group(
            atoms, positional=True, label_cells=len(texts), grid=grid, offset=last + 1, short=short
        )
        group.regular = bool(self.width) or grid is not None
        group.weak = all(a.text == "" for a in atoms)  # a printed blank mark (-, /) is not weak
        self.region.items.append(group)


def _without_spacers(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Drop spacer columns: columns empty on every line of a block whose lines all have the same
    width (HTML, Word) and that holds its header. In ragged lines (text extraction) an empty
    column may be a shifted one, and in a block without its header (a table continued after a
    page break) it may be a column left blank all along (a blank 总计): nothing is dropped."""
    width = max(len(cells) for _, cells in rows)
    empty = {j for j in range(width) if all(j >= len(c) or not c[j] for _, c in rows)}
    if not empty or len(empty) == width or len(rows) < 2 or len({len(c) for _, c in rows}) != 1:
        return rows
    if not any(_is_header_line(cells) for _, cells in rows):
        return rows
    return [(no, [c for j, c in enumerate(cells) if j not in empty]) for no, cells in rows]


def _is_header_line(cells: list[str]) -> bool:
    texts = [c for c in cells if c.strip()]
    if texts and all(is_blank_mark(c) for c in texts):
        return False  # `/ / / / /`: a row of blank cells
    return bool(texts) and all(_frag_kind(c) in ("header", "block") for c in texts)


def _is_unit(cell: str) -> bool:
    return clean(cell).replace(" ", "") in UNITS


def _numbers(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, digits with sign, unit) of each number in `text` that is a cell value: not
    words (2022年, 第3页, 4位小数) and not an item number (`2.其他…`: the 2 numbers the label;
    in `00000002.其他` the digits before it are cells run into it)."""
    out = []
    for m in NUMBER.finditer(text):
        sign, digits = m.group(1), m.group(2)
        start, end = m.start(), m.end()
        after = text[end:].lstrip()[:2]
        unit = next((u for u in UNITS if after.startswith(u)), "")
        if not unit and after[:1] in TEXT_AFTER:
            continue
        if (
            text[start - 1 : start] == "第"
            or text[start - 1 : start].isalpha()
            and text[start - 1 : start].isascii()
        ):
            continue  # 第3项; a number inside a word or an address (A12)
        if not unit and "." not in digits and "," not in digits and ITEM_NO.match(text, end - 1):
            if len(digits) == 1:
                continue
            digits, end = digits[:-1], end - 1
        if unit:
            end = text.index(unit, end) + len(unit)
        out.append((start, end, sign + digits, unit if unit in ("万元", "元") else ""))
    return out


def _unit(cell: str) -> str:
    c = clean(cell).replace(" ", "")
    if c.endswith("万元"):
        return "万元"
    return "元" if c.endswith("元") else ""


def _has_digits(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _cell_kind(cell: str) -> str:
    if not cell.strip():
        return "empty"
    ok, value = parse_number(cell)
    if ok:
        return "num" if value is not None else "blank"
    return "text"


def _frag_kind(text: str) -> str:
    n = norm(text)
    if BLOCK.fullmatch(n) or (n.startswith("第二十条") and len(n) <= 12):
        return "block"
    if n and not HEADER_PIECE.sub("", n):
        return "header"
    return "text"
