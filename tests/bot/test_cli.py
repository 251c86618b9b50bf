"""The `gongkai` CLI on a temp index, with the built-in sample reports. Each test runs in tmp_path."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import index.ingest
from bot.cli import main
from index.store import DB_NAME, Store
from parsers.report import Cell, Check
from tests.paths import ROOT

SUMMARY = (
    "Ingested {} into {}: {} added, {} replaced, {} unchanged, {} failed; "
    "{} complete, {} incomplete, {} fails_checks, {} no_tables.\n"
)


def summary(
    files, index, added, replaced, unchanged, failed, fails_checks, incomplete=0, no_tables=0
):
    """The ingest summary line: every report stored or unchanged is counted by its status."""
    complete = added + replaced + unchanged - fails_checks - incomplete - no_tables
    return SUMMARY.format(
        files, index, added, replaced, unchanged, failed, complete, incomplete, fails_checks,
        no_tables,
    )  # fmt: skip


def no_embed(stdout: str) -> str:
    """The ingest summary without its passage count (that depends on the chunker)."""
    return re.sub(r"; \d+ passages? embedded", "", stdout)


SUFFIXES = ".docx, .htm, .html, .markdown, .md, .pdf, .shtml, .text, .txt, .xhtml"


def db_rows(index_dir: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(index_dir / DB_NAME)
    try:
        return {
            t: sorted(conn.execute(f"SELECT * FROM [{t}]").fetchall(), key=repr)
            for t in ("reports", "sections", "cells", "text_facts", "checks")
        }
    finally:
        conn.close()


def test_ingest_samples_then_again_changes_nothing(cli, reports_dir, tmp_path):
    first = cli("ingest", "reports", "--index", "index")
    assert (first.exit_code, first.stderr) == (0, "")
    assert no_embed(first.stdout) == summary("5 files", "index", 5, 0, 0, 0, 0)
    before = db_rows(tmp_path / "index")
    assert len(before["reports"]) == 5
    again = cli("ingest", "reports", "--index", "index")
    assert again.exit_code == 0
    assert no_embed(again.stdout) == summary("5 files", "index", 0, 0, 5, 0, 0)
    assert db_rows(tmp_path / "index") == before


def test_a_changed_file_replaces_its_old_version(cli, reports_dir, tmp_path):
    cli("ingest", "reports", "--index", "index")
    before = {t: len(rows) for t, rows in db_rows(tmp_path / "index").items()}
    path = reports_dir / "001_da26bd1ac1c5269a.txt"
    path.write_text(path.read_text().replace("全年累计发布信息 709 条", "全年累计发布信息 710 条"))
    result = cli("ingest", "reports", "--index", "index")
    assert result.exit_code == 0
    assert no_embed(result.stdout) == summary("5 files", "index", 0, 1, 4, 0, 0)
    assert {t: len(rows) for t, rows in db_rows(tmp_path / "index").items()} == before
    with Store(tmp_path / "index") as store:
        (row,) = [r for r in store.reports() if r["source_name"] == path.name]
        values = {f["value"] for f in store.text_facts(row["id"])}
    assert (710.0 in values, 709.0 in values) == (True, False)


def test_bad_files_are_reported_and_the_others_ingested(cli, reports_dir):
    (reports_dir / "empty.txt").write_bytes(b"")
    (reports_dir / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = cli("ingest", "reports", "missing.txt", "--index", "index")
    assert result.exit_code == 0
    assert no_embed(result.stdout) == summary("8 files", "index", 5, 0, 0, 3, 0) + (
        "  FAILED missing.txt: no such file or folder\n"
        "  FAILED reports/empty.txt: the file is empty\n"
        "  FAILED reports/picture.txt: looks like a PNG image, not a text file; a picture of a "
        "report needs OCR first\n"
    )


def test_an_unexpected_parser_error_does_not_stop_the_batch(cli, reports_dir, monkeypatch):
    real = index.ingest.parse_file

    def parse_file(path, data=None):
        if path.name.startswith("002"):
            raise RuntimeError("boom")
        return real(path)

    monkeypatch.setattr(index.ingest, "parse_file", parse_file)
    result = cli("ingest", "reports", "--index", "index")
    assert result.exit_code == 0
    assert no_embed(result.stdout) == summary("5 files", "index", 4, 0, 0, 1, 0) + (
        "  FAILED reports/002_dbf068044dca84d8.txt: internal error: RuntimeError: boom\n"
    )


def test_a_report_failing_checks_is_stored_and_flagged(
    cli, reports_dir, monkeypatch, report_factory
):
    real = index.ingest.parse_file
    failing = report_factory(checks=[Check("R3.1", "natural_person", "fail", 5.0, 0.0, "5 ≠ 0")])
    monkeypatch.setattr(
        index.ingest,
        "parse_file",
        lambda p, data=None: failing if p.name.startswith("001") else real(p, data=data),
    )
    result = cli("ingest", "reports", "--index", "index")
    assert result.exit_code == 0
    assert no_embed(result.stdout) == summary("5 files", "index", 5, 0, 0, 0, 1) + (
        "  FLAGGED reports/001_da26bd1ac1c5269a.txt: 大峪镇人民政府 2025 fails R3.1 natural_person\n"
    )
    listed = json.loads(cli("reports", "--index", "index", "--json").stdout)
    assert [r["check_status"] for r in listed if r["source_name"].startswith("001")] == ["fail"]


def test_a_real_inconsistent_table_is_flagged_not_dropped(cli, reports_dir):
    path = reports_dir / "001_da26bd1ac1c5269a.txt"
    row = "一、本年新收政府信息公开申请数量\t\t0\t"
    path.write_text(path.read_text().replace(row, row.replace("0", "5"), 1))
    result = cli("ingest", "reports", "--index", "index")
    assert result.exit_code == 0
    assert no_embed(result.stdout).startswith(summary("5 files", "index", 5, 0, 0, 0, 1))
    assert "  FLAGGED reports/001_da26bd1ac1c5269a.txt: 大峪镇人民政府 2025 fails R3.1" in (
        result.stdout
    )


def test_nothing_ingested_exits_1(cli, tmp_path):
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "empty.txt").write_bytes(b"")
    result = cli("ingest", "bad", "--index", "index")
    assert result.exit_code == 1
    assert no_embed(result.stdout) == summary("1 file", "index", 0, 0, 0, 1, 0) + (
        "  FAILED bad/empty.txt: the file is empty\n"
    )
    assert result.stderr == (
        "Error: None of the 1 file could be ingested — see the FAILED lines above\n"
    )


def test_no_report_files_exits_1_without_creating_an_index(cli, tmp_path):
    (tmp_path / "stuff" / ".hidden").mkdir(parents=True)
    (tmp_path / "stuff" / "notes.csv").write_text("a,b\n")
    (tmp_path / "stuff" / ".draft.txt").write_text("政府信息公开")
    (tmp_path / "stuff" / ".hidden" / "report.txt").write_text("政府信息公开")
    result = cli("ingest", "stuff", "--index", "index")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: No report files found in stuff — supported file types: {SUFFIXES}\n"
    )
    assert not (tmp_path / "index").exists()


def test_parse_json_follows_the_contract(cli, samples_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_INDEX", str(tmp_path / "never"))
    result = cli("parse", samples_dir / "002_dbf068044dca84d8.txt", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert list(data) == [
        "source", "format", "encoding", "org", "org_short", "org_level", "year", "template",
        "check_status", "status", "completeness", "source_url", "aliases", "published", "sections", "cells",
        "text_facts", "checks", "warnings",
    ]  # fmt: skip
    assert (data["status"], data["completeness"]) == ("complete", {"read": 200, "expected": 200})
    assert (data["org_short"], data["year"], data["template"]) == ("高平镇", 2021, "gov2021")
    assert set(data["sections"][0]) == {"key", "path", "text", "lines"}
    assert set(data["cells"][0]) == {
        "table", "row", "col", "row_label", "col_label", "value", "raw", "unit", "line",
        "provenance", "group", "note",
    }  # fmt: skip
    assert {"value", "unit", "quote", "line"} <= set(data["text_facts"][0])
    blanks = [c for c in data["cells"] if c["raw"] == "" and c["provenance"] != "inferred"]
    assert blanks and all(c["value"] is None for c in blanks)  # blank is null, never 0
    assert {c["provenance"] for c in data["cells"]} <= {"printed", "aligned", "inferred", "unread"}
    assert not (tmp_path / "never").exists()  # parse never touches an index


def test_parse_prints_a_summary(cli, samples_dir):
    result = cli("parse", samples_dir / "001_da26bd1ac1c5269a.txt")
    assert result.exit_code == 0
    assert no_embed(result.stdout).splitlines()[1:4] == [
        "  org:       大峪镇人民政府 (大峪镇, 镇)",
        "  year:      2025",
        "  template:  gov2021",
    ]


def test_parse_errors(cli, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = cli("parse", "empty.txt")
    assert (result.exit_code, result.stderr) == (1, "Error: empty.txt: the file is empty\n")
    missing = cli("parse", "nope.txt")
    assert missing.exit_code == 2
    assert missing.stderr.endswith(
        "Error: Invalid value for 'FILE': File 'nope.txt' does not exist.\n"
    )


def test_reports_without_an_index(cli, tmp_path):
    result = cli("reports", "--index", "index")
    assert result.exit_code == 1
    assert result.stderr == "Error: No index at index — run `gongkai ingest <folder>` first\n"
    assert not (tmp_path / "index").exists()


def test_reports_of_an_empty_index(cli, tmp_path):
    Store(tmp_path / "index").close()
    result = cli("reports", "--index", "index")
    assert (result.exit_code, result.stdout) == (
        0,
        "The index at index is empty — run `gongkai ingest <folder>`\n",
    )


def test_reports_lists_what_is_indexed(cli, reports_dir, sample_files):
    cli("ingest", "reports", "--index", "index")
    text = cli("reports", "--index", "index")
    assert text.exit_code == 0
    lines = no_embed(text.stdout).splitlines()
    assert lines[0].split() == ["id", "org", "year", "template", "status", "read", "blank", "file"]
    assert lines[-1] == "5 reports in index"
    assert any("大峪镇人民政府" in line and "001_da26bd1ac1c5269a.txt" in line for line in lines)
    listed = json.loads(cli("reports", "--index", "index", "--json").stdout)
    assert sorted(r["source_name"] for r in listed) == [p.name for p in sample_files]
    assert {"org", "year", "template", "check_status", "source_path", "sha256"} <= set(listed[0])
    assert {"read_status", "cells_read", "cells_expected", "source_url", "cells_by"} <= set(
        listed[0]
    )


def test_demo_builds_the_default_index(cli, tmp_path):
    result = cli("demo")
    assert result.exit_code == 0
    lines = no_embed(result.stdout).splitlines()
    assert lines[0] + "\n" == summary("5 files", ".gongkai", 5, 0, 0, 0, 0)
    assert lines[-1] == "5 reports in .gongkai"
    assert (tmp_path / ".gongkai" / DB_NAME).is_file()
    assert no_embed(cli("demo").stdout).splitlines()[0] + "\n" == summary(
        "5 files", ".gongkai", 0, 0, 5, 0, 0
    )


def test_gongkai_index_is_honoured_and_index_option_wins(cli, reports_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_INDEX", str(tmp_path / "from-env"))
    result = cli("ingest", "reports")
    assert no_embed(result.stdout) == summary("5 files", tmp_path / "from-env", 5, 0, 0, 0, 0)
    assert (tmp_path / "from-env" / DB_NAME).is_file()
    assert not (tmp_path / ".gongkai").exists()
    assert cli("reports", "--index", "other").stderr == (
        "Error: No index at other — run `gongkai ingest <folder>` first\n"
    )


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_has_help_and_is_in_the_readme(cli, name):
    result = cli(name, "--help")
    assert result.exit_code == 0
    assert main.commands[name].help and len(main.commands[name].help.strip()) > 20
    assert f"gongkai {name}" in (ROOT / "README.md").read_text()


def test_the_installed_entry_point(tmp_path, samples_dir):
    script = Path(sys.executable).parent / "gongkai"
    env = {**os.environ, "GONGKAI_INDEX": str(tmp_path / "idx")}
    run = subprocess.run(
        [script, "ingest", samples_dir], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert (run.returncode, run.stderr) == (0, "")
    assert no_embed(run.stdout) == summary("5 files", tmp_path / "idx", 5, 0, 0, 0, 0)
    help_ = subprocess.run([script, "--help"], capture_output=True, text=True)
    assert help_.returncode == 0
    assert all(name in help_.stdout for name in ("ingest", "parse", "reports", "demo"))


def test_listing_and_parsing_load_no_heavy_library(tmp_path, cli, sample_files):
    assert cli("demo", "--index", str(tmp_path / "idx")).exit_code == 0
    code = (
        "import sys\n"
        "from bot.cli import main\n"
        f"main(['reports', '--index', {str(tmp_path / 'idx')!r}], standalone_mode=False)\n"
        f"main(['parse', {str(sample_files[0])!r}], standalone_mode=False)\n"
        "heavy = ('torch', 'sentence_transformers', 'chromadb', 'gradio', 'pdfplumber', 'docx')\n"
        "print('LOADED', [m for m in heavy if m in sys.modules])\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert no_embed(run.stdout).splitlines()[-1] == "LOADED []"


# --- reading status: parse, ingest, reports -------------------------------------------------


def _cell(table, row, col, value, provenance="printed", note="", line=None):
    from parsers import template as T

    return Cell(
        table, row, col, T.row_def(table, row).zh, T.col_def(table, col).zh, value,
        "" if value is None else str(int(value)), "件", line, provenance, note=note,
    )  # fmt: skip


def _partly_read(report_factory):
    """A report with one printed, one blank, one aligned and one inferred cell, and cells that
    could not be read: part of a row, two whole rows, and all of table 四."""
    cells = [
        _cell("requests", "new_received", "natural_person", 3.0, line=51),
        _cell("requests", "new_received", "commercial_enterprise", None, line=51),
        _cell("requests", "new_received", "total", 3.0, "aligned", "digits split", 51),
        _cell("requests", "new_received", "other_org", 0.0, "inferred", "forced to 0"),
        _cell("requests", "new_received", "research_institution", None, "unread", "line 51: 5 numbers for 6 columns"),
        *[_cell("requests", row, col, None, "unread", "row not found")
          for row in ("carried_over", "granted") for col in ("natural_person", "total")],
        *[_cell("review_litigation", "review", col, None, "unread", "table 四 was not found")
          for col in ("upheld", "corrected", "other_outcome", "pending", "total")],
    ]  # fmt: skip
    return report_factory(cells=cells, checks=[], cells_expected=20)


def test_parse_shows_status_completeness_and_the_unread_cells(
    cli, tmp_path, monkeypatch, report_factory
):
    import parsers

    monkeypatch.setattr(parsers, "parse_file", lambda path: _partly_read(report_factory))
    (tmp_path / "town.txt").write_text("x")
    result = cli("parse", "town.txt")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[4:12] == [
        "  status:    incomplete — some table cells could not be read (listed); the rest are exact",
        "  cells:     4 of 20 read (10 unread, 1 blank, 1 inferred, 1 aligned)",
        "  unread:    10 cells",
        "    - table 三 一、本年新收政府信息公开申请数量: 科研机构 — line 51: 5 numbers for 6 columns",
        "    - table 三 二、上年结转政府信息公开申请数量 to （一）予以公开: 2 rows (4 cells) — row not found",
        "    - table 四 all 5 cells — table 四 was not found",
        "  sections:  1",
        "  in text:   1 number",
    ]
    assert "pass" not in result.stdout.split("  checks:")[0]


def test_parse_lists_only_the_first_unread_groups(cli, tmp_path, monkeypatch, report_factory):
    import parsers
    from parsers import template as T

    cells = [
        _cell("requests", row.key, "total", None, "unread", f"note {i}")
        for i, row in enumerate(T.request_rows("gov2021"))
    ]
    monkeypatch.setattr(
        parsers, "parse_file", lambda p: report_factory(cells=cells, checks=[], cells_expected=25)
    )
    (tmp_path / "town.txt").write_text("x")
    lines = cli("parse", "town.txt").stdout.splitlines()
    at = lines.index("  unread:    25 cells")
    assert lines[at + 1] == "    - table 三 一、本年新收政府信息公开申请数量: 总计 — note 0"
    assert lines[at + 7] == "    … and 19 more (see --json)"
    assert lines[4].startswith("  status:    no_tables — ")


def test_parse_shows_a_failed_rule_with_its_cells(cli, tmp_path, monkeypatch, report_factory):
    import parsers

    values = {"natural_person": 0, "commercial_enterprise": 0, "research_institution": 0,
              "public_interest_org": 0, "legal_service_org": 1, "total": 0}  # fmt: skip
    cells = [_cell("requests", "new_received", c, float(v), line=62) for c, v in values.items()]
    check = Check("R3.3", "new_received", "fail", 0.0, 1.0, "0 ≠ 1")
    monkeypatch.setattr(
        parsers,
        "parse_file",
        lambda p: report_factory(cells=cells, checks=[check], cells_expected=6),
    )
    (tmp_path / "town.txt").write_text("x")
    result = cli("parse", "town.txt")
    lines = result.stdout.splitlines()
    assert lines[4] == (
        "  status:    fails_checks — the table arithmetic (勾稽关系) does not hold on the cells "
        "read (rules listed)"
    )
    at = lines.index("  checks:    0 pass, 1 fail, 0 not checkable")
    assert lines[at + 1] == (
        "    FAIL R3.3 (total = the sum of the applicant columns), table 三 row "
        "一、本年新收政府信息公开申请数量: 总计 0 ≠ 自然人 0 + 商业企业 0 + 科研机构 0 + "
        "社会公益组织 0 + 法律服务机构 1 = 1"
    )


def test_parse_of_a_sample_is_complete(cli, samples_dir):
    lines = cli("parse", samples_dir / "001_da26bd1ac1c5269a.txt").stdout.splitlines()
    assert lines[4] == (
        "  status:    complete — every table cell was read and the consistency checks pass"
    )
    assert lines[5].startswith("  cells:     175 of 175 read (0 unread, 0 blank, ")
    assert not any(line.startswith("  checks:    pass") for line in lines)


def test_ingest_counts_statuses_and_lists_partly_read_reports(
    cli, reports_dir, monkeypatch, report_factory
):
    real = index.ingest.parse_file
    partly, empty = _partly_read(report_factory), report_factory(cells=[], checks=[], org="空镇")
    empty.cells_expected = 200
    fake = {"001": partly, "002": empty}
    monkeypatch.setattr(
        index.ingest, "parse_file", lambda p, data=None: fake.get(p.name[:3]) or real(p, data=data)
    )
    result = cli("ingest", "reports", "--index", "index")
    assert result.exit_code == 0
    assert no_embed(result.stdout) == summary(
        "5 files", "index", 5, 0, 0, 0, 0, incomplete=1, no_tables=1
    ) + (
        "  INCOMPLETE reports/001_da26bd1ac1c5269a.txt: 大峪镇人民政府 2025 — 4 of 20 table cells read\n"
        "  NO TABLES reports/002_dbf068044dca84d8.txt: 空镇 2025 — no table could be read; kept "
        "for its text\n"
    )
    again = cli("ingest", "reports", "--index", "index")  # unchanged: counted and listed again
    assert no_embed(again.stdout).splitlines()[1:] == no_embed(result.stdout).splitlines()[1:]
    assert "3 complete, 1 incomplete, 0 fails_checks, 1 no_tables" in again.stdout

    listed = cli("reports", "--index", "index").stdout.splitlines()
    (row,) = [line for line in listed if "001_da26bd1ac1c5269a.txt" in line]
    assert row.split()[4:] == ["incomplete", "4/20", "1", "001_da26bd1ac1c5269a.txt"]
    assert not any(" pass " in line for line in listed)
    data = json.loads(cli("reports", "--index", "index", "--json").stdout)
    (one,) = [r for r in data if r["source_name"].startswith("001")]
    assert (one["read_status"], one["cells_read"], one["cells_expected"]) == ("incomplete", 4, 20)
    assert one["cells_by"] == {"printed": 2, "aligned": 1, "inferred": 1, "unread": 10, "blank": 1}


def test_ingest_lists_a_flagged_report_with_its_completeness(
    cli, reports_dir, monkeypatch, report_factory
):
    real = index.ingest.parse_file
    failing = _partly_read(report_factory)
    failing.checks = [Check("R3.1", "natural_person", "fail", 5.0, 0.0, "5 ≠ 0")]
    monkeypatch.setattr(
        index.ingest,
        "parse_file",
        lambda p, data=None: failing if p.name.startswith("001") else real(p, data=data),
    )
    result = cli("ingest", "reports", "--index", "index")
    assert no_embed(result.stdout) == summary("5 files", "index", 5, 0, 0, 0, 1) + (
        "  FLAGGED reports/001_da26bd1ac1c5269a.txt: 大峪镇人民政府 2025 fails R3.1 "
        "natural_person; 4 of 20 table cells read\n"
    )


def test_the_readme_explains_every_status_and_provenance():
    from parsers.report import PROVENANCES, PROVENANCES_ZH, STATUSES, STATUSES_ZH

    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Report status", 1)[1].split("\n## ", 1)[0]
    rows = {
        line.split("|")[1].strip(" `") for line in section.splitlines() if line.startswith("| `")
    }
    assert rows == set(STATUSES) | set(PROVENANCES)
    assert set(STATUSES_ZH) == set(STATUSES) and set(PROVENANCES_ZH) == set(PROVENANCES)
