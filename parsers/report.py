"""The plain values a parser returns: a Report with its sections, table cells and narrative numbers.

Nothing here knows about storage. `Report.to_json()` gives the shape that `gongkai parse --json`
prints; that shape is a contract (see README, "Parse output").
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Raise when a parser change changes what it reads: an index re-reads the reports an older
# version stored on its next ingest of their files (index.store keeps each report's version).
# 1: row patterns; 2: alignment to the template checked by its arithmetic (ALIGNMENT.md).
PARSER_VERSION = 3


@dataclass
class Section:
    key: str  # e.g. "overview.proactive" (SCHEMA.md section keys); "preamble" before 一
    path: list[str]  # heading path as printed, e.g. ["一、总体情况", "（一）主动公开工作情况"]
    text: str
    lines: tuple[int, int]  # 1-based, inclusive


@dataclass
class Cell:
    table: str  # proactive | requests | review_litigation
    row: str  # row key, e.g. "administrative_penalty"; "local_1".. for local extension rows
    col: str  # column key, e.g. "decisions"
    row_label: str  # the template's canonical Chinese label (the printed one for local rows)
    col_label: str
    value: float | None  # None = blank, "-", "/" or not recoverable: never 0
    raw: str  # the cell text as printed ("" for blank)
    unit: str  # 件, 项, 万元
    line: int | None  # 1-based source line
    provenance: str = "printed"  # one of PROVENANCES
    group: str = ""  # block or group key, e.g. "art20_6", "denied"
    note: str = ""  # for users: why a cell is unread, or how it was placed or inferred


# How a cell was read. `unread` cells have value None and a note saying why; a printed blank is
# `printed` with value None. Only `printed` and `aligned` values were read off the page.
PROVENANCES = {
    "printed": "printed in place",
    "aligned": "placed by aligning the table to the template (run-together, split or moved cells)",
    "inferred": "not printed; computed by a template rule",
    "unread": "could not be read with confidence; left blank",
}
# A report's reading status (README, "Report status").
STATUSES = {
    "complete": "every table cell was read and the consistency checks pass",
    "incomplete": "some table cells could not be read (listed); the rest are exact",
    "fails_checks": "the table arithmetic (勾稽关系) does not hold on the cells read (rules listed)",
    "no_tables": "a report whose tables could not be read at all; kept for its text",
}
# The same words for Chinese pages and answers: (short label, meaning), same keys as above.
PROVENANCES_ZH = {
    "printed": ("原样印出", "报告在该位置印出的数字"),
    "aligned": (
        "按模板对齐",
        "按模板对齐表格后放入该栏（数字粘连拆分、连续相同栏展开或数字离开了标签）",
    ),
    "inferred": ("按勾稽关系推定", "报告未印出，按模板的勾稽关系推定"),
    "unread": ("未读出", "未能从表格中可靠读出，留空"),
}
STATUSES_ZH = {
    "complete": ("完整", "表格各栏均已读出，勾稽关系成立"),
    "incomplete": ("不完整", "部分栏目未能读出（已列出），其余准确"),
    "fails_checks": ("勾稽关系不成立", "已读出的数字之间勾稽关系不成立（列出不成立的规则）"),
    "no_tables": ("未读出表格", "表格完全未能读出，仅收录正文"),
}


@dataclass
class TextFact:
    value: float
    unit: str
    quote: str  # the clause the number stands in, as printed
    line: int
    label: str = ""  # the words before the number inside the clause, e.g. "累计主动公开政府信息"
    section: str = ""  # section key
    approx: bool = False  # "100余条"


@dataclass
class Check:
    rule: str  # R3.1 … R4.3, X1
    scope: str  # the column or row the rule was evaluated on
    status: str  # pass | fail | not_checkable
    lhs: float | None = None
    rhs: float | None = None
    detail: str = ""
    uses_inferred: bool = False


@dataclass
class Report:
    source: str  # file name as given
    org: str  # full name as printed ("" when the text never names it)
    org_short: str
    org_level: str  # 镇 | 乡 | 街道 | 县 | 市 | 区 | 部门 | 其他
    year: int | None  # the statistical year
    template: str  # gov2021 | gov2019
    sections: list[Section] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    text_facts: list[TextFact] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    format: str = "txt"  # txt | md | html | pdf | docx
    encoding: str = ""
    lines: list[str] = field(default_factory=list)  # the text the line numbers refer to
    source_url: str = ""  # where the report says it was published (crawler header), if known
    aliases: list[str] = field(default_factory=list)  # other spellings of org (a misprinted title)
    published: str = ""  # when the page was published (crawler header), YYYY-MM-DD, if known
    cells_expected: int = 0  # cells the report's template (and layout) prints in tables 二–四

    def cell(self, table: str, row: str, col: str) -> Cell | None:
        for c in self.cells:
            if (c.table, c.row, c.col) == (table, row, col):
                return c
        return None

    @property
    def check_status(self) -> str:
        statuses = {c.status for c in self.checks}
        if "fail" in statuses:
            return "fail"
        if "pass" in statuses:
            return "pass"
        return "not_checkable"

    @property
    def unread_cells(self) -> list[Cell]:
        return [c for c in self.cells if c.provenance == "unread"]

    @property
    def cells_read(self) -> int:
        """Template cells read (a printed blank counts as read); local extension rows excluded."""
        return sum(c.provenance != "unread" and not c.row.startswith("local_") for c in self.cells)

    @property
    def status(self) -> str:
        """complete | incomplete | fails_checks | no_tables (see STATUSES)."""
        if self.cells_read == 0:
            return "no_tables"
        if any(c.status == "fail" for c in self.checks):
            return "fails_checks"
        if self.cells_read < self.cells_expected or self.unread_cells:
            return "incomplete"
        return "complete"

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "encoding": self.encoding,
            "org": self.org,
            "org_short": self.org_short,
            "org_level": self.org_level,
            "year": self.year,
            "template": self.template,
            "check_status": self.check_status,
            "status": self.status,
            "completeness": {"read": self.cells_read, "expected": self.cells_expected},
            "source_url": self.source_url,
            "aliases": list(self.aliases),
            "published": self.published,
            "sections": [
                {"key": s.key, "path": s.path, "text": s.text, "lines": list(s.lines)}
                for s in self.sections
            ],
            "cells": [asdict(c) for c in self.cells],
            "text_facts": [asdict(t) for t in self.text_facts],
            "checks": [asdict(c) for c in self.checks],
            "warnings": list(self.warnings),
        }
