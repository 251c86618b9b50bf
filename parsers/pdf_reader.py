"""Read a PDF report into text lines (see `parsers.readers` for the line contract).

Per page, tables are found by their ruling lines (pdfplumber); each table row becomes one
tab-separated line (a merged cell leaves empty cells right of and below it). The text outside the
tables becomes ordinary lines, wrapped lines of one paragraph joined again. Text lines and table
rows keep their top-to-bottom order.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from parsers.errors import DamagedFile, ParseError, TooLarge

SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
SENTENCE_END = tuple("。；;：:！!？?.")
HEADING_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（]\s*[一二三四五六七八九十]+\s*[)）]|第)"
)
SCANNED = "scanned PDF: no text to read (it has no text layer; run OCR first)"
MAX_PAGES = 500  # a report runs to a few dozen pages
MIN_CHARS_PER_PAGE = 10  # fewer, with images on the pages: a scan with a page number or stamp


def read_pdf(data: bytes, path: str | Path) -> list[str]:
    """The document's text as lines. Raises ParseError for scanned, encrypted or broken PDFs."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as err:
        raise _error(path, err) from err
    lines: list[str] = []
    chars = images = 0
    try:
        pages = pdf.pages
        if len(pages) > MAX_PAGES:
            raise TooLarge(path, f"the PDF has {len(pages)} pages, over the {MAX_PAGES}-page limit")
        for page in pages:
            page = page.dedupe_chars()
            chars += sum(1 for c in page.chars if c["text"].strip())
            images += len(page.images)
            lines.extend(page_lines(page))
    except ParseError:
        raise
    except Exception as err:
        raise _error(path, err) from err
    finally:
        with contextlib.suppress(Exception):  # closing re-reads the pages of a broken file
            pdf.close()
    if not chars or (images and chars < MIN_CHARS_PER_PAGE * len(pages)):
        raise DamagedFile(path, SCANNED)
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):  # no leading or doubled empty lines
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return out


def _error(path: str | Path, err: Exception) -> ParseError:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = err.args[0] if err.args and isinstance(err.args[0], Exception) else err
    if isinstance(cause, PDFPasswordIncorrect):
        return DamagedFile(
            path, "encrypted PDF: it needs a password to open; save an unprotected copy and retry"
        )
    if isinstance(cause, PDFEncryptionError):
        return DamagedFile(
            path, f"encrypted PDF: its encryption is not supported ({_reason(cause)}); "
            "save an unprotected copy and retry",
        )  # fmt: skip
    return DamagedFile(path, f"not a readable PDF: {_reason(cause)}")


def _reason(err: Exception) -> str:
    text = str(err).strip()
    return (text.splitlines()[0] if text else type(err).__name__)[:120]


def one_line(text: str | None) -> str:
    return SPACE.sub(" ", text or "").strip()


def page_lines(page) -> list[str]:
    """One page: table rows and the text outside the tables, top to bottom."""
    # a single ruled box (a frame round a note, a page border) is not a table
    tables = [t for t in page.find_tables() if len(t.cells) > 1]
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    text_lines = (page.filter(outside) if boxes else page).extract_text_lines(return_chars=False)
    items: list[tuple[float, int, list[str]]] = [
        (top, 0, lines) for top, lines in _paragraphs(text_lines, page.width)
    ]
    for table in tables:
        rows = ["\t".join(one_line(cell) for cell in row) for row in table.extract()]
        rows = [row for row in rows if row.strip()]
        if rows:
            items.append((table.bbox[1], 1, ["", *rows, ""]))
    items.sort(key=lambda item: (item[0], item[1]))
    return [line for _, _, lines in items for line in lines]


def _paragraphs(text_lines: list[dict], page_width: float) -> list[tuple[float, list[str]]]:
    """Join the wrapped lines of a paragraph: a line that runs to the right margin continues on
    the next line when that one starts at the left margin close below it (and does not look like
    a heading)."""
    lines = [ln for ln in text_lines if one_line(ln["text"])]
    if not lines:
        return []
    left = min(ln["x0"] for ln in lines)
    right = max(ln["x1"] for ln in lines)
    if right - left < page_width / 2:
        right = float("inf")  # no line spans the page: nothing to join
    out: list[tuple[float, list[str]]] = []
    prev = None
    for ln in lines:
        text = one_line(ln["text"])
        height = max(ln["bottom"] - ln["top"], 1.0)
        if prev is not None and _continues(prev, ln, left, right, height):
            out[-1][1][0] = _join(out[-1][1][0], text)
        else:
            out.append((ln["top"], [text]))
        prev = ln
    return out


def _continues(prev: dict, ln: dict, left: float, right: float, height: float) -> bool:
    text = one_line(ln["text"])
    return (
        prev["x1"] >= right - 2 * height
        and ln["x0"] <= left + height / 2
        and 0 <= ln["top"] - prev["bottom"] < height
        and not one_line(prev["text"]).endswith(SENTENCE_END)
        and not HEADING_START.match(text)
    )


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return f"{a} {b}"
    return a + b
