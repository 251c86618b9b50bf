"""Text renderings of reports as crawlers and Word-to-text converters leave them (for .txt).

Each function appends to `applied` the names of the corruptions it actually applied (they go to
the gold line's `corruptions`, so that `eval.parse_score` can report per corruption). Every
choice is drawn from the `rng` given, so a seed gives the same bytes.

- `dump` (`render_dump`): a crawler dump, as `pingtan_2020.txt` / `pingtan_2022.txt`
  (shared/reports/real): `crawler_header` (标题:, 发布时间:, 文号:, 发布机构: empty or short,
  栏目:, 原文链接: or 原始链接:, sometimes 本地目录: and links.tsv, then a 正文 marker), then
  `run_together_body`: the whole body on one very long line (`two_lines`: broken once, before a
  heading), headings, paragraphs and tables run together. In the tables: `glued_header` (header
  words with no space between), `glued_cells` (a row's values with no separator: `规章007`, and a
  sub-item number glued to the previous row's digits: `00000002.其他…`), `spaced_cells` (single
  spaces between all of a row's cells), `mixed_spaces` (spaces between some cells and not others:
  `200 000121`), `glued_negative` (`行政处罚2648-18538`), `glued_blank_mark` (a `-` or `/` blank
  glued to digits), `blank_vanished` (a blank cell printed as nothing), `repeated_group_label`
  (三、本年度办理结果 printed again before （四）), `label_note` (（二）部分公开 with its note).
- `dedup` (`render_dedup`): one cell per line, as `putian_kjj_2021.txt`: `crawler_header`,
  `one_cell_per_line`, `header_pieces` / `header_chars` (header words broken into pieces, or one
  character per line: 商/业/企/业), `broken_lines` (narrative and sub-headings broken across lines
  at any point, numbers too: 202/1/年), `label_note_line` (the note of （二）部分公开 on its own
  line); then every line equal to the line before it is dropped, literally, over the whole text:
  `dropped_repeats`, and `collapsed_cells` when table values went (a run of equal cells prints
  once, an all-zero row as a single 0). As for `cells`, only reports without blank cells: a blank
  would leave no trace, and could not be told from a collapsed 0.
- `word` (`render_word`): Word converted to text, cells separated by tabs as in `tabs`, with
  `review_split` (table 四 as three blocks, 行政复议 / 未经复议直接起诉 / 复议后起诉, each with its
  own header row and its 5 values), `text_between` (（续表）, 单位：件 … between the blocks),
  `header_chars` (header words one character per line inside their cell, so a header row spans
  many lines), `number_broken` (a number broken over two lines inside its cell: `1` / `62`).
  Nothing is lost: every cell can be read back.
"""

from __future__ import annotations

import random
import string
from typing import TYPE_CHECKING

from eval.render import RULE
from eval.synth_tables import Line, fmt_value, pieces, table_rows, text_document
from parsers import template as T

if TYPE_CHECKING:
    from eval.synth_spec import Spec

CORRUPTIONS = {  # every corruption each rendering applies (some only on some reports)
    "dump": (
        *("crawler_header", "run_together_body", "two_lines", "glued_header", "glued_cells"),
        *("spaced_cells", "mixed_spaces", "glued_negative", "glued_blank_mark", "blank_vanished"),
        *("repeated_group_label", "label_note"),
    ),
    "dedup": (
        *("crawler_header", "one_cell_per_line", "header_pieces", "header_chars"),
        *("broken_lines", "label_note_line", "dropped_repeats", "collapsed_cells"),
    ),
    "word": ("review_split", "text_between", "header_chars", "number_broken"),
}
BODY_MARKERS = ("==================== 正文 ====================", "正文:")
PARTIAL_NOTE = "（区分处理的，只计这一情形，不计其他情形）"
SITE_PATHS = ("zwgk/zfxxgk/zfxxgknb", "zfxxgk/bmzfxxgk/zfxxgknb", "xxgk/ndbg", "zwgk/ndbg")


def note(applied: list[str], name: str) -> None:
    if name not in applied:
        applied.append(name)


def crawler_header(spec: Spec, rng: random.Random, marker: str | None = None) -> list[str]:
    """The block a crawler writes before the body (pingtan, putian)."""
    title = spec.title.replace("\n", "")
    month, day = rng.randint(1, 3), rng.randint(1, 28)
    stamp = f"{spec.year + 1}{month:02d}"
    host = "www." + "".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 9))) + ".gov.cn"
    path, page = rng.choice(SITE_PATHS), rng.randint(10000, 2999999)
    agency = rng.choice(("", "", spec.org.short, spec.org.name))
    link = rng.choice(("原文链接", "原始链接"))
    out = [
        f"标题: {title}",
        f"发布时间: {spec.year + 1}-{month:02d}-{day:02d} {rng.randint(8, 18):02d}:"
        f"{rng.randint(0, 59):02d}",
        "文号: ",
        f"发布机构: {agency}",
        "栏目: 政府信息公开年报",
        f"{link}: https://{host}/{path}/{stamp}/t{stamp}{day:02d}_{page}.htm",
    ]
    if rng.random() < 0.5:
        out += [f"本地目录: {path}/{stamp}/{page}_{title}", "页面链接与图片详见 links.tsv(同目录)"]
    return [*out, marker or rng.choice(BODY_MARKERS)]


def _label(row_label: str, rng: random.Random, p_note: float, applied: list[str]) -> str:
    if row_label == "（二）部分公开" and rng.random() < p_note:
        note(applied, "label_note")
        return row_label + PARTIAL_NOTE
    return row_label


# --- dump: the body on one or two lines, cells run together -------------------------------------


def _run(values: list[str], p_space: float, rng: random.Random, applied: list[str]) -> str:
    """A row's values one after another, a space between two of them with probability
    `p_space`; a blank printed as nothing vanishes."""
    shown = [v for v in values if v]
    if len(shown) < len(values):
        note(applied, "blank_vanished")
    out, seps = (shown[0] if shown else ""), set()
    for prev, value in zip(shown, shown[1:], strict=False):
        sep = " " if rng.random() < p_space else ""
        seps.add(sep)
        if not sep and value.startswith("-") and value != "-":
            note(applied, "glued_negative")
        if not sep and ({prev, value} & {"-", "/", "—"}):
            note(applied, "glued_blank_mark")
        out += sep + value
    if seps == {""}:
        note(applied, "glued_cells")
    elif seps == {" "}:
        note(applied, "spaced_cells")
    elif seps:
        note(applied, "mixed_spaces")
    return out


def _dump_table(spec: Spec, table: str, rng: random.Random, applied: list[str]) -> str:
    hsep = rng.choice(("", "", " "))  # between header words
    if not hsep:
        note(applied, "glued_header")
    lsep = rng.choice(("", "", " "))  # between a row's label and its first value
    profile = rng.choice(((8, 1, 2), (1, 6, 3), (3, 1, 6)))  # glued, spaced, mixed rows

    def values(vals: list[str]) -> str:
        return _run(vals, rng.choices((0.0, 1.0, 0.35), profile)[0], rng, applied)

    lines = table_rows(spec, table)
    out: list[str] = []
    if table == "review_litigation":
        heads = [c for line in lines if line.kind == "header" for c in line.cells if c]
        glue = rng.choice(("", "", " "))
        return hsep.join(heads) + glue + _run(lines[-1].values, 1.0 if glue else 0.0, rng, applied)
    if table == "requests":
        cols = [c.zh for c in T.REQUEST_COLS if spec.other_org or c.key != "other_org"]
        heads = ["申请人情况", "自然人", "法人或其他组织", "总计", *cols[1:-1]]
        if hsep == " " and rng.random() < 0.5:
            heads = [h[:2] + " " + h[2:] if len(h) == 4 else h for h in heads]
        out.append(hsep.join(([RULE] if rng.random() < 0.85 else []) + heads))
    again = rng.random() < 0.3
    for line in lines:
        if line.kind in ("block", "header"):
            if table == "proactive":
                out.append(hsep.join(c for c in line.cells if c))
            continue
        labels = [_label(c, rng, 0.7, applied) for c in line.labels if c]
        if again and labels and labels[0].startswith("（四）"):
            note(applied, "repeated_group_label")
            labels.insert(0, T.G_RESULT)
        out.append("".join(labels) + lsep + values(line.values))
    p_row = rng.choice((0.0, 0.0, 0.3))  # a space between two rows
    return out[0] + "".join((" " if rng.random() < p_row else "") + x for x in out[1:])


def render_dump(spec: Spec, rng: random.Random, applied: list[str]) -> str:
    head = crawler_header(spec, rng)
    note(applied, "crawler_header")
    note(applied, "run_together_body")
    p_space = rng.choice((0.0, 0.2, 0.9))
    body: list[tuple[str, str]] = []
    for kind, text, _ in pieces(spec):
        if kind == "table":
            text = _dump_table(spec, text, rng, applied)
        body.append((kind, text))
    out = body[0][1]
    headings = [i for i, (kind, _) in enumerate(body) if kind == "heading"]
    cut = rng.choice(headings) if headings and rng.random() < 0.4 else -1
    for i, (_, text) in enumerate(body[1:], 1):
        if i == cut:
            note(applied, "two_lines")
            out += "\n"
        elif rng.random() < p_space:
            out += " "
        out += text
    return "\n".join([*head, out]) + "\n"


# --- dedup: one cell per line, equal adjacent lines dropped --------------------------------------


def _broken(text: str, p: float, rng: random.Random, keep: tuple[str, ...] = ()) -> list[str]:
    """`text` broken across lines at random points, more often at and inside numbers; never
    inside a clause of `keep`."""
    inside: set[int] = set()
    for clause in keep:
        at = text.find(clause)
        if at >= 0:
            inside.update(range(at + 1, at + len(clause)))
    out, start = [], 0
    for i in range(1, len(text)):
        a, b = text[i - 1].isdigit(), text[i].isdigit()
        q = p + (0.25 if a != b else 0.12 if a and b else 0.0)
        if rng.random() < q and i not in inside:
            out.append(text[start:i])
            start = i
    return [*out, text[start:]]


def _pieces_of(word: str, mode: str, rng: random.Random) -> list[str]:
    if mode == "chars":
        return list(word)
    out, i = [], 0
    while i < len(word):
        k = rng.randint(1, 3)
        out.append(word[i : i + k])
        i += k
    return out


def _dedup_table(spec: Spec, table: str, rng: random.Random, applied: list[str]):
    mode = rng.choice(("intact", "pieces", "chars", "mixed"))
    out: list[tuple[str, bool]] = []  # (line, is a table value)
    for line in table_rows(spec, table):
        if line.kind == "header":
            for cell in (c for c in line.cells if c):
                how = rng.choice(("intact", "pieces", "chars")) if mode == "mixed" else mode
                if cell == RULE or len(cell) < 3 or how == "intact" or rng.random() < 0.4:
                    out.append((cell, False))
                    continue
                note(applied, "header_chars" if how == "chars" else "header_pieces")
                out += [(p, False) for p in _pieces_of(cell, how, rng)]
            continue
        for cell in (c for c in line.labels if c):
            if cell == "（二）部分公开" and rng.random() < 0.6:
                note(applied, "label_note_line")
                out += [(cell, False), (PARTIAL_NOTE, False)]
            else:
                out.append((cell, False))
        out += [(v, True) for v in line.values if v]
    return out


def render_dedup(spec: Spec, rng: random.Random, applied: list[str]) -> str:
    lines: list[tuple[str, bool]] = [(x, False) for x in crawler_header(spec, rng, "正文:")]
    for name in ("crawler_header", "one_cell_per_line"):
        note(applied, name)
    p = rng.uniform(0.02, 0.07)
    # the request count stated in 一（二） stays whole, so that X1 (text vs table) can be checked
    keep = tuple(f.quote for f in spec.facts if f.section == "overview.on_request")
    for kind, text, depth in pieces(spec):
        if kind == "table":
            lines += _dedup_table(spec, text, rng, applied)
            continue
        if kind == "title" and rng.random() < 0.6:
            continue  # the body starts with the text; the title is in the header
        broken = (
            _broken(text, p if kind == "para" else p / 2, rng, keep) if kind != "title" else [text]
        )
        if kind == "heading" and depth == 0:
            broken = [text]
        if len(broken) > 1:
            note(applied, "broken_lines")
        lines += [(x, False) for x in broken]
    kept = [lines[0]]
    for prev, cur in zip(lines, lines[1:], strict=False):
        if cur[0] == prev[0]:
            note(applied, "dropped_repeats")
            if cur[1]:
                note(applied, "collapsed_cells")
        else:
            kept.append(cur)
    return "\n".join(x for x, _ in kept) + "\n"


# --- word: tabs, table 四 in three blocks, header words one character per line -------------------

REVIEW_TITLES = {
    "review": ("行政复议", "行政复议情况", "（一）行政复议"),
    "litigation_direct": (
        "行政诉讼（未经复议直接起诉）",
        "未经复议直接起诉",
        "（二）未经复议直接起诉",
    ),
    "litigation_after_review": ("行政诉讼（复议后起诉）", "复议后起诉", "（三）复议后起诉"),
}
BETWEEN = ("（续表）", "单位：件", "续表", "")


class _Word:
    def __init__(self, spec: Spec, rng: random.Random, applied: list[str]) -> None:
        self.spec, self.rng, self.applied = spec, rng, applied
        self.chars = rng.random() < 0.5  # header words one character per line
        self.p_break = rng.choice((0.0, 0.0, 0.06, 0.12))  # a number broken inside its cell
        self.breaks = 0

    def head(self, cell: str) -> str:
        if self.chars and 2 <= len(cell) <= 8 and cell != RULE and self.rng.random() < 0.7:
            note(self.applied, "header_chars")
            return "\n".join(cell)
        return cell

    def value(self, cell: str) -> str:
        if cell.isdigit() and len(cell) >= 2 and self.breaks < 3:
            if self.rng.random() < self.p_break:
                self.breaks += 1
                note(self.applied, "number_broken")
                cut = self.rng.randint(1, len(cell) - 1)
                return cell[:cut] + "\n" + cell[cut:]
        return cell

    def line(self, line: Line) -> str:
        if line.kind == "header":
            cells = [self.head(c) for c in line.cells]
        else:
            cells = [*line.labels, *map(self.value, line.values), *line.pad]
        trailing = self.spec.trailing_tab and line.kind == "data" and line.labels
        return "\t".join(cells) + ("\t" if trailing else "")

    def table(self, table: str) -> list[str]:
        if table == "review_litigation":
            return self.review()
        return [self.line(line) for line in table_rows(self.spec, table)]

    def review(self) -> list[str]:
        rng, spec = self.rng, self.spec
        note(self.applied, "review_split")
        layout = rng.choice(("title_line", "title_cell"))
        pick = rng.randrange(3)
        out: list[str] = []
        for i, row in enumerate(T.REVIEW_ROWS):
            title = REVIEW_TITLES[row.key][pick]
            if i == 1 and "行政诉讼" not in title and rng.random() < 0.5:
                out.append("行政诉讼")
            heads = [self.head(c.zh) for c in T.REVIEW_COLS]
            vals = [
                self.value(_fmt(spec, ("review_litigation", row.key, c.key))) for c in T.REVIEW_COLS
            ]
            if layout == "title_line":
                out += [title, "\t".join(heads), "\t".join(vals)]
            else:
                out += ["\t".join([title, *heads]), "\t".join(["", *vals])]
            if i < 2 and rng.random() < 0.4:
                note(self.applied, "text_between")
                out.append(rng.choice(BETWEEN))
        return out


def _fmt(spec: Spec, key: tuple[str, str, str]) -> str:
    return fmt_value(spec.values[key], spec.raws.get(key, ""))


def render_word(spec: Spec, rng: random.Random, applied: list[str]) -> str:
    word = _Word(spec, rng, applied)
    return text_document(spec, rng, word.table)
