"""Read a report file of any supported format into plain text lines.

Every reader returns a `Document`: the report's text as lines, where a table row is one line with
its cells separated by tabs (a merged cell leaves empty cells to its right and below, as Word and
PDF extraction do). The table parser then works the same way on every format. Line numbers in
citations refer to these lines (for .txt/.md they are the file's own lines).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from parsers.errors import EmptyDocument, ParseError, UnsupportedFormat

TEXT_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".text": "txt"}
HTML_SUFFIXES = {".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html"}
SUFFIXES = {**TEXT_SUFFIXES, **HTML_SUFFIXES, ".pdf": "pdf", ".docx": "docx"}
MAX_BYTES = 20 * 1024 * 1024  # no real report is anywhere near this


@dataclass
class Document:
    lines: list[str]
    format: str  # txt | md | html | pdf | docx
    encoding: str = ""


def read_document(path: str | Path, data: bytes | None = None) -> Document:
    """Read `path` (or `data`, named by `path`) into a Document. Raises ParseError."""
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise UnsupportedFormat(
            path,
            f"unsupported file type '{path.suffix or '(none)'}'; use one of: "
            + ", ".join(sorted(SUFFIXES)),
        )
    if data is None:
        try:
            size = path.stat().st_size
        except OSError as err:
            raise ParseError(path, f"cannot read the file: {err.strerror or err}") from err
        if size > MAX_BYTES:
            raise ParseError(
                path,
                f"file is too large ({size / 1e6:.1f} MB; the limit is {MAX_BYTES // 1_000_000} MB)",
            )
        data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise ParseError(
            path,
            f"file is too large ({len(data) / 1e6:.1f} MB; the limit is {MAX_BYTES // 1_000_000} MB)",
        )
    if not data.strip():
        raise EmptyDocument(path, "the file is empty")
    sniffed = _sniff(data)
    if sniffed and sniffed != kind and not (sniffed == "text" and kind in ("txt", "md", "html")):
        raise ParseError(path, f"the file's extension says {kind} but its content is {sniffed}")
    if kind in ("txt", "md"):
        text, encoding = decode_bytes(data, path)
        return Document(split_lines(text), kind, encoding)
    if kind == "html":
        from parsers.html_reader import read_html

        text, encoding = decode_bytes(data, path, html=True)
        return Document(read_html(text, path), "html", encoding)
    if kind == "docx":
        from parsers.docx_reader import read_docx

        return Document(read_docx(data, path), "docx")
    from parsers.pdf_reader import read_pdf

    return Document(read_pdf(data, path), "pdf")


def split_lines(text: str) -> list[str]:
    text = (
        text.replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\u2028", "\n")
        .replace("\u3000", " ")
    )
    return text.split("\n")


def _sniff(data: bytes) -> str:
    """What the bytes look like, whatever the extension says ("" when unsure)."""
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"  # a zip; the docx reader checks it really is one
    for magic in (
        b"\x89PNG",
        b"\xff\xd8\xff",
        b"GIF8",
        b"BM",
        b"\x00\x00\x01\x00",
        b"RIFF",
        b"\x7fELF",
        b"MZ",
    ):
        if head.startswith(magic):
            return "binary"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "a legacy Office file (.doc/.xls); save it as .docx"
    return "text"


def decode_bytes(data: bytes, path: str | Path = "", html: bool = False) -> tuple[str, str]:
    """Decode report text: BOMs, UTF-8, then the encoding under which the report's own words appear
    (UTF-16 without BOM, GB18030/GBK), then a detector. Raises ParseError."""
    for bom, enc in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(enc), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = ["utf-16-le", "utf-16-be", "gb18030"]
    if html:
        declared = _declared_charset(data)
        if declared:
            candidates.insert(0, declared)
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if any(word in text for word in REPORT_WORDS):
            return text, enc
    if b"\x00" in data[:4096]:
        raise ParseError(path, "this is a binary file, not text")
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or _control_ratio(str(best)) > 0.05:
        raise ParseError(path, "cannot decode the text (not UTF-8, UTF-16 or GB18030)")
    return str(best), best.encoding


REPORT_WORDS = ("公开", "公開", "政府", "报告", "報告")


def _declared_charset(data: bytes) -> str:
    import re

    m = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", data[:4096], re.I)
    return m.group(1).decode("ascii").lower() if m else ""


def _control_ratio(text: str) -> float:
    if not text:
        return 1.0
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r") or ch == "\ufffd")
    return bad / len(text)
