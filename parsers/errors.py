"""Errors a parser raises. Each names the file and says what is wrong in words for a user."""

from __future__ import annotations


class ParseError(Exception):
    """The file could not be read as a report. `str(err)` is the message to show."""

    def __init__(self, path: str, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class UnsupportedFormat(ParseError):
    pass


class EmptyDocument(ParseError):
    pass


class NotAReport(ParseError):
    pass
