"""A `Report` as the rows the store writes, and a stored report row as the store returns it."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from parsers.report import PARSER_VERSION, Report


def report_row(report: Report, source_path: str, sha256: str) -> dict[str, Any]:
    return {
        "source_name": Path(source_path).name,
        "source_path": source_path,
        "sha256": sha256,
        "parser_version": PARSER_VERSION,
        "format": report.format,
        "encoding": report.encoding,
        "org": report.org,
        "org_short": report.org_short,
        "org_level": report.org_level,
        "year": report.year,
        "template": report.template,
        "check_status": report.check_status,
        "read_status": report.status,
        "cells_read": report.cells_read,
        "cells_expected": report.cells_expected,
        "source_url": report.source_url,
        "aliases": json.dumps(list(report.aliases), ensure_ascii=False),
        "published": report.published,
        "warnings": json.dumps(list(report.warnings), ensure_ascii=False),
        "ingested_at": now(),
    }


# column -> Report attribute; explicit, so a new field in parsers/report.py never breaks a write
CELL_COLUMNS = {
    **{"table_key": "table", "row_key": "row", "col_key": "col", "grp": "group"},
    **{name: name for name in ("row_label", "col_label", "value", "raw", "unit", "line")},
    "provenance": "provenance",
    "note": "note",
}
FACT_COLUMNS = {
    **{name: name for name in ("value", "unit", "quote", "label", "line", "approx")},
    "section_key": "section",
}
CHECK_COLUMNS = {
    name: name for name in ("rule", "scope", "status", "lhs", "rhs", "detail", "uses_inferred")
}


def child_rows(report: Report) -> dict[str, list[dict[str, Any]]]:
    return {
        "sections": [
            {
                "ord": i,
                "key": s.key,
                "path": json.dumps(s.path, ensure_ascii=False),
                "text": s.text,
                "start_line": s.lines[0],
                "end_line": s.lines[1],
            }
            for i, s in enumerate(report.sections)
        ],
        "cells": [_pick(c, CELL_COLUMNS) for c in report.cells],
        "text_facts": [
            {"ord": i, **_pick(t, FACT_COLUMNS)} for i, t in enumerate(report.text_facts)
        ],
        "checks": [{"ord": i, **_pick(c, CHECK_COLUMNS)} for i, c in enumerate(report.checks)],
    }


def _pick(obj: object, columns: dict[str, str]) -> dict[str, Any]:
    values = {col: getattr(obj, attr) for col, attr in columns.items()}
    return {k: int(v) if isinstance(v, bool) else v for k, v in values.items()}


def integrity_problem(report: Report, err: sqlite3.IntegrityError) -> str:
    twice = [k for k, n in Counter((c.table, c.row, c.col) for c in report.cells).items() if n > 1]
    if twice:
        return "the parser produced the same cell more than once: " + ", ".join(
            "/".join(k) for k in twice[:5]
        )
    return str(err)


def decode_report(row: dict[str, Any]) -> dict[str, Any]:
    aliases = json.loads(row.get("aliases") or "[]")
    return {**row, "warnings": json.loads(row["warnings"]), "aliases": aliases}


def row_status(ready: bool) -> str:
    return "ready" if ready else "pending"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
