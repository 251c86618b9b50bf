"""Turn a report file into a plain `Report` value. Knows nothing of storage.

from parsers import parse_file
report = parse_file("data/samples/001_da26bd1ac1c5269a.txt")
"""

from parsers.errors import ParseError
from parsers.report import Cell, Check, Report, Section, TextFact


def parse_file(path, **kwargs) -> Report:
    from parsers.parse import parse_file as _parse_file

    return _parse_file(path, **kwargs)


__all__ = ["Cell", "Check", "ParseError", "Report", "Section", "TextFact", "parse_file"]
