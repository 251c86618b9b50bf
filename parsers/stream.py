"""The items of a table's stream (parsers.tokens): label fragments and groups of numbers.

- `Frag`: a piece of label or header text, in order;
- `Group`: the numbers between two pieces of text, as `Atom`s (digit strings or blank cells);
- `Region`: a table region's stream, with what was seen of its lines on the way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers.normalize import norm


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
