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

Here: which line is what (tab/pipe block, markdown rule, page footer, prose, loose line); the
items are parsers.stream's, built by parsers.stream_builder.
"""

from __future__ import annotations

import re

from parsers.normalize import clean, norm
from parsers.stream import Atom, Frag, Group, Item, Region  # noqa: F401  (re-exported)
from parsers.stream_builder import StreamBuilder
from parsers.table_text import NUMBER, PAGE_NOISE

NOTE = re.compile(r"\([^()]*\)")
PROSE_PUNCT = re.compile(r"[。;；]|,.*,")
BR = re.compile(r"<br\s*/?>", re.I)
# The report's title repeated at the top of a page (a running header), or a table's caption.
RUNNING_HEAD = re.compile(r"(?:年度报告|年报|工作报告|续表)")
MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def tokenize(lines: list[tuple[int, str]]) -> Region:
    """The stream of a table region given as (line number, text) pairs."""
    region = Region([])
    builder = StreamBuilder(region)
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
