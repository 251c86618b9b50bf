"""Errors a parser raises. Each names the file and says what is wrong in words for a user.

`err.path` is the file, `err.problem` the reason alone (what `gongkai ingest` prints after the
file name), `str(err)` both. Errors pickle (a process pool sends them back whole).
"""

from __future__ import annotations


class ParseError(Exception):
    """The file could not be read as a report. `str(err)` is the message to show."""

    def __init__(self, path: str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __reduce__(self):
        return (type(self), (self.path, self.problem))


class UnsupportedFormat(ParseError):
    """Not a format gongkai reads (by extension, or by what the bytes turn out to be)."""


class EmptyDocument(ParseError):
    """The file, or the text it yields, is empty."""


class NotAReport(ParseError):
    """Readable text, but not a 政府信息公开工作年度报告."""


class TooLarge(ParseError):
    """Over the size limit, or a compressed part that would expand past it."""


class DamagedFile(ParseError):
    """A PDF or Word file that is truncated, corrupt, encrypted or cannot be decoded."""
