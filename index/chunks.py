"""Cut a report's narrative into passages for retrieval, each inside one section and citable.

A chunk keeps its section's heading path, the report's organisation and year, and the exact
source lines it spans. Chinese text is split on sentence ends (。！？；), never on spaces; chunks
are sized for m3e-small (it reads 512 tokens; one Chinese character is about one token) and
overlap by one short sentence. Tables are not prose and are not chunked.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from parsers.report import Report, Section

MAX_CHARS = 320
OVERLAP_MAX = 80
SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+|\n|$)")
SKIP_KEYS = ("proactive_tables", "request_tables", "review_litigation_table")
# A line that only names the report (its title, perhaps after a web page's date and source): it
# says nothing a question could ask about, yet as a short passage full of the report's name it
# would outrank real text.
TITLE_LINE = re.compile(r"[^。！？；!?;]{0,120}年度报告[\s）)]*")


@dataclass
class Chunk:
    ord: int
    section_key: str
    path: str  # heading path joined with " › "
    text: str  # the passage as printed
    line_start: int
    line_end: int

    def embed_text(self, report: Report) -> str:
        """What the model reads: who, when and which section, then the passage."""
        who = f"{report.org_short or report.org}{report.year or ''}年"
        return f"{who} {self.path}：{self.text}" if self.path else f"{who}：{self.text}"

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def chunk_report(report: Report, max_chars: int = MAX_CHARS) -> list[Chunk]:
    chunks: list[Chunk] = []
    for section in report.sections:
        if not section.text.strip() or (section.key in SKIP_KEYS and len(section.text) < 40):
            continue
        for text, start, end in _split(section, report.lines, max_chars):
            chunks.append(
                Chunk(len(chunks), section.key, " › ".join(section.path), text, start, end)
            )
    return chunks


def _split(section: Section, lines: list[str], max_chars: int) -> list[tuple[str, int, int]]:
    """Sentences of the section with their source lines, packed into chunks of <= max_chars."""
    sentences: list[tuple[str, int]] = []
    line_of = _line_finder(section, lines)
    for text_line in section.text.split("\n"):
        if TITLE_LINE.fullmatch(text_line.strip()):
            continue
        no = line_of(text_line)
        for m in SENTENCE.finditer(text_line):
            s = m.group(0).strip()
            if s:
                sentences.extend((piece, no) for piece in _hard_wrap(s, max_chars))
    out: list[tuple[str, int, int]] = []
    current: list[tuple[str, int]] = []
    for sent in sentences:
        if current and sum(len(s) for s, _ in current) + len(sent[0]) > max_chars:
            out.append(_pack(current))
            tail = current[-1]
            current = (
                [tail]
                if len(tail[0]) <= OVERLAP_MAX and len(tail[0]) + len(sent[0]) <= max_chars
                else []
            )
        current.append(sent)
    if current and (not out or _pack(current)[0] != out[-1][0]):
        out.append(_pack(current))
    return out


def _pack(sentences: list[tuple[str, int]]) -> tuple[str, int, int]:
    return "".join(s for s, _ in sentences), sentences[0][1], sentences[-1][1]


def _hard_wrap(sentence: str, max_chars: int) -> list[str]:
    """A single sentence longer than a chunk is cut at commas, then hard."""
    if len(sentence) <= max_chars:
        return [sentence]
    parts, cur = [], ""
    for piece in re.split(r"(?<=[，,、])", sentence):
        while len(piece) > max_chars:
            parts.append(piece[:max_chars])
            piece = piece[max_chars:]
        if len(cur) + len(piece) > max_chars:
            parts.append(cur)
            cur = ""
        cur += piece
    if cur:
        parts.append(cur)
    return [p for p in parts if p]


def _line_finder(section: Section, lines: list[str]):
    start, end = section.lines
    span = (
        [(no, lines[no - 1].strip()) for no in range(start, min(end, len(lines)) + 1)]
        if lines
        else []
    )

    def line_of(text_line: str) -> int:
        probe = text_line.strip()
        for no, text in span:
            if probe and (probe == text or probe in text or (text and text in probe)):
                return no
        return start

    return line_of


def text_hash(text: str) -> str:
    """The key of a passage's embedding in the cache: sha256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def chunk_metadata(
    sha256: str, report_id: int, org_short: str, year: int | None, section_key: str
) -> dict[str, Any]:
    """What Chroma stores beside a passage's vector (and what `where` filters match)."""
    return {
        "sha": sha256,
        "report_id": report_id,
        "org_short": org_short,
        "year": year if year is not None else -1,
        "section": section_key.split(".")[0],
        "section_key": section_key,
    }
