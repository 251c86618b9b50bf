"""Read a Word .docx report into text lines (see `parsers.readers` for the line contract).

The body is walked in order: each paragraph is a line, each table row one tab-separated line.
Merged cells are read from the XML: `w:gridSpan` adds empty cells to the right, a `w:vMerge`
continuation is an empty cell. The zip is checked before python-docx opens it, so a zip bomb is
refused without being expanded.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from parsers.errors import DamagedFile, TooLarge

MAX_UNPACKED = 200 * 1024 * 1024  # bytes, all members; a real report's XML is a few MB at most
MAX_MEMBER = 50 * 1024 * 1024  # bytes, any one member (document.xml is parsed whole)
MAX_MEMBERS = 10_000
MAX_RATIO = 200  # uncompressed / compressed, per member (XML packs about 10:1)
RATIO_FLOOR = 1024 * 1024  # members smaller than this cannot hurt, whatever their ratio
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")


def read_docx(data: bytes, path: str | Path) -> list[str]:
    """The document's text as lines. Raises ParseError for anything that is not a sound .docx."""
    check_zip(data, path)
    import docx

    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as err:  # python-docx raises KeyError, ValueError, lxml errors, zlib …
        raise DamagedFile(path, f"not a readable .docx: {_reason(err)}") from err
    lines: list[str] = []
    _block(body, lines)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def check_zip(data: bytes, path: str | Path) -> None:
    """Refuse what is not a zip, not a Word document, or would expand to something huge.

    Only the central directory is read: the members' declared sizes are checked before anything
    is decompressed (and zipfile stops a member that lies about its size at the declared size).
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as err:
        if data.startswith(b"PK"):
            raise DamagedFile(
                path, "damaged .docx: the zip archive is truncated or corrupt; download it again"
            ) from err
        raise DamagedFile(path, "not a valid .docx file (it is not a zip archive)") from err
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise TooLarge(
                path, f"refused: the .docx holds {len(members)} parts (possible zip bomb)"
            )
        if "word/document.xml" not in {m.filename for m in members}:
            raise DamagedFile(path, "not a .docx: no word/document.xml inside")
        total = sum(m.file_size for m in members)
        bomb = total > MAX_UNPACKED or any(
            m.file_size > MAX_MEMBER
            or (m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1))
            for m in members
        )
        if bomb:
            mb = max(1, round(total / (1024 * 1024)))
            raise TooLarge(path, f"refused: the .docx expands to {mb} MB (possible zip bomb)")


def _reason(err: Exception) -> str:
    text = str(err).strip().strip("\"'")
    return (text.splitlines()[0] if text else type(err).__name__)[:120]


def one_line(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def _block(parent, lines: list[str]) -> None:
    """Paragraphs and tables under `parent` (the body, or a content control) in order."""
    for child in parent.iterchildren():
        tag = child.tag
        if tag == W + "p":
            lines.extend(line for line in _paragraph_lines(child) if line)
        elif tag == W + "tbl":
            rows = _table_lines(child)
            if rows:
                lines.extend(["", *rows, ""] if lines and lines[-1] else [*rows, ""])
        elif tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent")
            _block(content if content is not None else child, lines)


def _paragraph_lines(p) -> list[str]:
    """A paragraph's text; a manual line break (w:br, w:cr) starts a new line."""
    parts: list[str] = []
    lines: list[str] = []
    for el in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen"):
        tag = el.tag
        if any(a.tag == FALLBACK for a in el.iterancestors()):
            continue  # the same text box again, for old Word versions
        if tag == W + "t":
            parts.append(el.text or "")
        elif tag == W + "tab":
            parts.append(" ")  # a tab inside prose must not look like a table row
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        elif el.get(W + "type") not in ("page", "column"):
            lines.append(one_line("".join(parts)))
            parts = []
    lines.append(one_line("".join(parts)))
    return lines


def _cell_text(tc) -> str:
    """All text in a cell on one line (its paragraphs and any nested table, space-separated)."""
    pieces: list[str] = []
    for p in tc.iter(W + "p"):
        pieces.extend(_paragraph_lines(p))
    return " ".join(piece for piece in pieces if piece)


def _val(el, name: str) -> str | None:
    found = el.find(name) if el is not None else None
    return None if found is None else found.get(W + "val")


def _int(value: str | None, default: int) -> int:
    try:
        return min(max(int(value or default), 0), 1000)
    except ValueError:
        return default


def _own_cells(tr) -> list:
    """The row's w:tc elements, also those wrapped in content controls (w:sdt/w:sdtContent)."""
    cells = []
    for child in tr.iterchildren():
        if child.tag == W + "tc":
            cells.append(child)
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent")
            cells.extend(_own_cells(content if content is not None else child))
    return cells


def _table_lines(tbl) -> list[str]:
    rows: list[list[str]] = []
    for tr in tbl.iter(W + "tr"):
        if _parent_table(tr) is not tbl:
            continue  # a row of a nested table: its text is part of the enclosing cell
        trpr = tr.find(W + "trPr")
        row = [""] * _int(_val(trpr, W + "gridBefore"), 0)
        for tc in _own_cells(tr):
            tcpr = tc.find(W + "tcPr")
            span = max(1, _int(_val(tcpr, W + "gridSpan"), 1))
            vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
            hmerge = tcpr.find(W + "hMerge") if tcpr is not None else None
            continued = (vmerge is not None and vmerge.get(W + "val") != "restart") or (
                hmerge is not None and hmerge.get(W + "val") != "restart"
            )
            row.append("" if continued else _cell_text(tc))
            row.extend([""] * (span - 1))
        row.extend([""] * _int(_val(trpr, W + "gridAfter"), 0))
        rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return ["\t".join(r + [""] * (width - len(r))) for r in rows if any(r)]


def _parent_table(el):
    parent = el.getparent()
    while parent is not None and parent.tag != W + "tbl":
        parent = parent.getparent()
    return parent
