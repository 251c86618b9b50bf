"""A manifest says, for files being ingested, who published them, for which year and where:
`gongkai ingest DIR --manifest FILE`. What it says overrides what the parser read from the file
(a report without a title, a crawler's abbreviation, a wrong year).

CSV with a header row, or JSON Lines, with the columns `file` (the file's name, or its path as
given to ingest), and any of `org`, `year`, `url`:

    file,org,year,url
    web_003.txt,莆田市科学技术局,2021,https://www.putian.gov.cn/…
    {"file": "web_003.txt", "org": "莆田市科学技术局", "year": 2021}

A manifest entry is part of a file's identity: change the entry and the next ingest reads the
file again.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from index.errors import StoreError
from parsers.meta import org_level, short_name
from parsers.report import Report

FIELDS = ("file", "org", "year", "url")


class ManifestError(StoreError):
    """A manifest that cannot be used: the message names the file, the line and what is wrong."""


def read_manifest(path: str | Path) -> dict[str, dict[str, Any]]:
    """file name or path → {org, year, url} (only the fields given). Raises ManifestError."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise ManifestError(f"{path}: cannot read the manifest: {err}") from err
    rows = list(_rows(path, text))
    out: dict[str, dict[str, Any]] = {}
    for line, row in rows:
        unknown = sorted(set(row) - set(FIELDS))
        if unknown:
            raise ManifestError(
                f"{path}, line {line}: unknown column {', '.join(unknown)}; use {', '.join(FIELDS)}"
            )
        name = str(row.get("file") or "").strip()
        if not name:
            raise ManifestError(f"{path}, line {line}: no file named")
        entry: dict[str, Any] = {}
        if str(row.get("org") or "").strip():
            entry["org"] = str(row["org"]).strip()
        if str(row.get("year") or "").strip():
            try:
                year = int(str(row["year"]).strip())
            except ValueError:
                year = 0
            if not 2000 <= year <= 2099:
                raise ManifestError(f"{path}, line {line}: year {row['year']!r} is not a year")
            entry["year"] = year
        if str(row.get("url") or "").strip():
            entry["url"] = str(row["url"]).strip()
        out[name] = entry
    return out


def _rows(path: Path, text: str):
    if path.suffix.lower() in (".jsonl", ".json"):
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as err:
                raise ManifestError(f"{path}, line {n}: not JSON: {err.msg}") from err
            if not isinstance(row, dict):
                raise ManifestError(f"{path}, line {n}: expected an object with a 'file' field")
            yield n, row
        return
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or "file" not in reader.fieldnames:
        raise ManifestError(f"{path}: the first line must name the columns, 'file' among them")
    for n, row in enumerate(reader, 2):
        yield n, {k: v for k, v in row.items() if k is not None}


def entry_for(manifest: dict[str, dict[str, Any]], file: Path) -> dict[str, Any] | None:
    """The manifest's entry for `file`: by the path as given, else by its name."""
    return manifest.get(str(file)) or manifest.get(file.name)


def apply(report: Report, entry: dict[str, Any]) -> None:
    """Override what the parser read with what the manifest says, and note it."""
    if "org" in entry and entry["org"] != report.org:
        report.warnings.append(
            f"organisation from the manifest: {entry['org']} (read: {report.org})"
        )
        report.org = entry["org"]
        report.org_short, report.org_level = short_name(report.org), org_level(report.org)
    if "year" in entry and entry["year"] != report.year:
        report.warnings.append(f"year from the manifest: {entry['year']} (read: {report.year})")
        report.year = entry["year"]
    if "url" in entry:
        report.source_url = entry["url"]
