"""Read a report file of any supported format into plain text lines.

Every reader returns a `Document`: the report's text as lines, where a table row is one line with
its cells separated by tabs (a merged cell leaves empty cells to its right and below, as Word and
PDF extraction do). The table parser then works the same way on every format. Line numbers in
citations refer to these lines (for .txt/.md they are the file's own lines).

Bad files, in the order they are checked (each raises a ParseError naming the file):

- size: over $GONGKAI_MAX_FILE_MB megabytes (default 30; real reports are under 20 MB) is refused
  before anything else is done with the bytes;
- empty, or only whitespace;
- wrong extension: **the bytes decide when they can**. A PDF or a Word .docx is read as what it
  is, whatever its name, with a warning (a PDF named .docx is read as a PDF). Other binary files
  (images, archives, executables, legacy .doc) are refused, saying what they look like. Text named
  .pdf/.docx is refused ("looks like a text file, not a PDF"): usually a web page saved in place
  of the document. A .txt/.md that is a whole HTML page (starts with <!DOCTYPE html> or <html>)
  is read as HTML, and an .html file without any markup as plain text;
- text encodings (parsers/decode.py): BOMs, UTF-8, then whichever of GB18030 (GBK, GB2312), Big5
  and UTF-16 without BOM shows the report's own words; a few damaged bytes (a file cut
  mid-character) are replaced with a warning, more than that is refused as undecodable;
- more than a million characters of text (no report is that long) is refused before parsing.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from parsers.decode import BOMS, CONTROL, control_ratio, decode_text, lenient
from parsers.errors import EmptyDocument, ParseError, TooLarge, UnsupportedFormat

TEXT_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md", ".text": "txt"}
HTML_SUFFIXES = {".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html"}
SUFFIXES = {**TEXT_SUFFIXES, **HTML_SUFFIXES, ".pdf": "pdf", ".docx": "docx"}
ENV_MAX_MB = "GONGKAI_MAX_FILE_MB"
DEFAULT_MAX_MB = 30
MB = 1024 * 1024
MAX_BYTES = DEFAULT_MAX_MB * MB  # the default limit; see max_file_bytes()
MAX_CHARS = 1_000_000  # characters of text; a long report has a few hundred thousand
NAMES = {"pdf": "a PDF", "docx": "a Word file", "txt": "a text file", "md": "a text file",
         "html": "an HTML page"}  # fmt: skip
IMAGE = "; a picture of a report needs OCR first"
BINARY_MAGIC = (  # (magic, what it is, what to do)
    (b"\x89PNG", "a PNG image", IMAGE), (b"\xff\xd8\xff", "a JPEG image", IMAGE),
    (b"GIF8", "a GIF image", IMAGE), (b"BM", "a BMP image", IMAGE),
    (b"II*\x00", "a TIFF image", IMAGE), (b"MM\x00*", "a TIFF image", IMAGE),
    (b"\x00\x00\x01\x00", "an icon file", ""), (b"RIFF", "a media file", ""),
    (b"\x7fELF", "a program", ""), (b"MZ", "a Windows program", ""),
    (b"\x1f\x8b", "a gzip archive", ""), (b"Rar!", "a RAR archive", ""),
    (b"7z\xbc\xaf", "a 7-Zip archive", ""),
    (b"\xd0\xcf\x11\xe0", "a legacy or password-protected Office file (.doc/.xls)",
     "; save it as an unprotected .docx"),
)  # fmt: skip
HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
MARKUP = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*[\s/>]|/[a-zA-Z]|!--)")


@dataclass
class Document:
    lines: list[str]
    format: str  # txt | md | html | pdf | docx
    encoding: str = ""
    warnings: list[str] = field(default_factory=list)


def max_file_bytes() -> int:
    """The size limit: $GONGKAI_MAX_FILE_MB megabytes (default 30). Raises ValueError if invalid."""
    raw = os.environ.get(ENV_MAX_MB, "").strip()
    if not raw:
        return MAX_BYTES
    try:
        mb = float(raw)
    except ValueError:
        mb = -1.0
    if not mb > 0 or mb == float("inf"):
        raise ValueError(f"{ENV_MAX_MB}={raw!r} must be a positive number of megabytes")
    return int(mb * MB)


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
    data = _load(path, data)
    if not data:
        raise EmptyDocument(path, "the file is empty")
    if not data.strip():
        raise EmptyDocument(path, "the file holds only whitespace")
    real = sniff(data)
    if real == "zip":  # a zip that is no Office file: the Word reader explains a .docx
        real = "docx" if kind == "docx" else "a zip archive"
    warnings: list[str] = []
    if real in ("pdf", "docx") and real != kind:
        warnings.append(f"the file is named {path.suffix} but is {NAMES[real]}; read as {real}")
        kind = real
    elif real not in ("pdf", "docx", "text"):
        what, _, hint = real.partition("; ")
        raise UnsupportedFormat(
            path, f"looks like {what}, not {NAMES[kind]}" + (f"; {hint}" if hint else "")
        )
    elif real == "text" and kind in ("pdf", "docx"):
        looks = "an HTML page" if MARKUP.search(data[:4096].decode("latin-1")) else "a text file"
        raise UnsupportedFormat(
            path,
            f"looks like {looks}, not {NAMES[kind]} (often a web page saved in place of the "
            "document); rename it if it is the report",
        )
    if kind == "docx":
        from parsers.docx_reader import read_docx

        lines = _nonempty(read_docx(data, path), path, "Word")
        return Document(_not_too_long(lines, path), "docx", "", warnings)
    if kind == "pdf":
        from parsers.pdf_reader import read_pdf

        return Document(_not_too_long(read_pdf(data, path), path), "pdf", "", warnings)
    text, encoding, bad = decode_text(data, path, html=kind == "html")
    if bad:
        warnings.append(
            f"{bad} damaged character(s) could not be decoded as {encoding}; shown as \ufffd"
        )
    if not text.strip():
        raise EmptyDocument(path, "the file holds only whitespace")
    if kind != "html":
        _not_too_long([text], path)
    if kind in ("txt", "md") and HTML_START.match(text[:4096]):
        warnings.append(f"the file is named {path.suffix} but is an HTML page; read as html")
        kind = "html"
    elif kind == "html" and not MARKUP.search(text):
        kind = "txt"  # no markup at all: keep its lines as they are
    if kind == "html":
        from parsers.html_reader import read_html

        return Document(_not_too_long(read_html(text, path), path), "html", encoding, warnings)
    return Document(split_lines(text), kind, encoding, warnings)


def _load(path: Path, data: bytes | None) -> bytes:
    """The file's bytes, refused before reading when over the size limit."""
    try:
        limit = max_file_bytes()
    except ValueError as err:
        raise ParseError(path, str(err)) from err
    try:
        size = len(data) if data is not None else path.stat().st_size
        if size > limit:
            raise TooLarge(
                path,
                f"file is {_mb(size)} MB, over the {limit / MB:g} MB limit; real reports are "
                f"smaller (set {ENV_MAX_MB} to raise the limit)",
            )
        return data if data is not None else path.read_bytes()
    except OSError as err:
        raise ParseError(path, f"cannot read the file: {err.strerror or err}") from err


def _not_too_long(lines: list[str], path: Path) -> list[str]:
    """Refuse more text than any report holds before the (linear but not cheap) parse."""
    chars = sum(map(len, lines))
    if chars > MAX_CHARS:
        raise TooLarge(
            path,
            f"the file holds {chars / 1e6:.1f} million characters of text, over the "
            f"{MAX_CHARS / 1e6:g} million a report could need",
        )
    return lines


def _mb(size: int) -> str:
    return f"{size / MB:.1f}" if size >= MB // 10 else f"{size / MB:.2g}"


def _nonempty(lines: list[str], path: Path, what: str) -> list[str]:
    if not any(line.strip() for line in lines):
        raise EmptyDocument(path, f"the {what} document has no text")
    return lines


def split_lines(text: str) -> list[str]:
    """Lines as the parser sees them: any line break ends a line; control characters dropped."""
    text = re.sub(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]", "\n", text).replace("\u3000", " ")
    return CONTROL.sub("", text).split("\n")


def sniff(data: bytes) -> str:
    """What the bytes are, whatever the name says: "pdf", "docx", "text", or a description of
    another binary format ("a PNG image")."""
    head = data[:8]
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    sample = data[:4096]
    for magic, what, hint in BINARY_MAGIC:
        if head.startswith(magic) and (len(magic) > 2 or b"\x00" in sample):
            return what + hint
    if any(data.startswith(bom) for bom, _ in BOMS):
        return "text"
    if b"\x00" in sample and not _utf16_like(sample):
        return "binary data"
    return "text"


def _zip_kind(data: bytes) -> str:
    """ "docx" for a Word file or a damaged zip (the Word reader says what is wrong with it), the
    name of another Office format, or "zip"."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return "docx"
    if "word/document.xml" in names:
        return "docx"
    for prefix, what in (("xl/", "an Excel workbook (.xlsx)"), ("ppt/", "a PowerPoint file")):
        if any(n.startswith(prefix) for n in names):
            return what
    if "mimetype" in names and "content.xml" in names:
        return "an OpenDocument file (save it as .docx)"
    return "zip"


def _utf16_like(sample: bytes) -> bool:
    """NUL bytes that are the high halves of UTF-16 characters: decodes cleanly as UTF-16."""
    sample = sample[: len(sample) // 2 * 2]
    for enc in ("utf-16-le", "utf-16-be"):
        text, bad = lenient(sample, enc)
        if bad <= 1 and control_ratio(text) < 0.01:
            return True
    return False
