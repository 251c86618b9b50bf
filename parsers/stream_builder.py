"""Build a table's stream (parsers.stream) from its lines: loose lines (one cell per line, space
separated, run together, pipe-closed cells) and blocks of tab/pipe lines (with their header's
column grid). parsers.tokens decides which line is which.
"""

from __future__ import annotations

import re
from collections import Counter

from parsers.normalize import clean, norm, parse_number
from parsers.stream import Atom, Frag, Grid, Group, Region
from parsers.table_text import (
    PAGE_NOISE,
    cell_kind,
    cell_numbers,
    cell_unit,
    frag_kind,
    has_digits,
    is_header_line,
    is_unit,
)

NEARLY_ALL = 0.8  # share of a block's lines whose width overrides its markdown rule row
# A blank mark after a number, not the sign of the next one and not a dash inside words.
BLANK_MARK = re.compile(r"\s*(--|-|/|—|－|／)(?![\d\-/—－／])")


class StreamBuilder:
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
        self.region.items.append(Frag(text, line, frag_kind(text)))

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
                self.atom(Atom(text.strip(), no, value, first_sep, True, unit=cell_unit(text)))
            return
        pos = 0
        prev = ""  # text | num
        last: Atom | None = None
        for start, end, digits, unit in cell_numbers(text):
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
            if is_header_line(cells):
                head_widths.add(len(cells))
                for j, c in enumerate(cells):
                    if c:
                        headers.setdefault(j, []).append(norm(c))
        head_width = max(head_widths, default=0)
        # a grid only where every header line has the width of the data lines it names
        trusted = bool(headers) and len(head_widths) == 1
        for _, cells in rows:
            if len(cells) == head_width and not is_header_line(cells):
                last = max((j for j, c in enumerate(cells) if cell_kind(c) == "text"), default=-1)
                numbered = {j for j, c in enumerate(cells) if j > last and cell_kind(c) == "num"}
                trusted = trusted and numbered <= set(headers)
        for no, cells in rows:
            grid = (
                Grid(cells, headers, head_width) if trusted and len(cells) == head_width else None
            )
            self._positional_line(no, cells, grid, max(0, usual - len(cells)) if usual else 0)
        self.flush()

    def _positional_line(self, no: int, cells: list[str], grid: Grid | None, short: int) -> None:
        self.flush()
        cells = ["" if is_unit(c) else c for c in cells]
        if PAGE_NOISE.match(" ".join(c for c in cells if c)):
            return
        if is_header_line(cells):
            for c in cells:
                self.frag(c, no)
            return
        kinds = [cell_kind(c) for c in cells]
        texts = [j for j, k in enumerate(kinds) if k == "text"]
        last = texts[-1] if texts else -1
        for j in texts:
            if j == last and has_digits(cells[j]):
                self._pieces(cells[j], no, first_sep="cell")  # 规章000 inside one cell
            else:
                self.frag(cells[j], no)
        atoms = self.open
        self.open = []
        for c in cells[last + 1 :]:
            ok, value = parse_number(c)
            if ok or not c.strip():
                atoms.append(
                    Atom(c.strip(), no, value if ok else None, "cell", True, unit=cell_unit(c))
                )
            else:  # digits run together inside one cell, or a number with words
                sub = StreamBuilder(self.region)
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
    if not any(is_header_line(cells) for _, cells in rows):
        return rows
    return [(no, [c for j, c in enumerate(cells) if j not in empty]) for no, cells in rows]
