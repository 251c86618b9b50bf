"""index/store.py on real SQLite files in tmp_path, with handmade Reports."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from index.errors import BadReport, IndexMissing, IndexUnreadable, ReportNotFound, SchemaTooNew
from index.store import DB_NAME, MIGRATIONS, Store
from parsers.report import PARSER_VERSION, Cell, Check

SHA_A = "a" * 64
SHA_B = "b" * 64


def table_rows(db_path: Path) -> dict[str, list[tuple]]:
    """Every row of every data table, read with plain sqlite3 (independent of Store)."""
    conn = sqlite3.connect(db_path)
    try:
        return {
            t: sorted(conn.execute(f"SELECT * FROM [{t}]").fetchall(), key=repr)
            for t in ("reports", "sections", "cells", "text_facts", "checks")
        }
    finally:
        conn.close()


def test_migrations_apply_once_and_are_recorded(index_dir):
    with Store(index_dir) as store:
        assert (
            store.applied_migrations()
            == [n for n, _, _ in MIGRATIONS]
            == [1, 2, 3, 4, 5, 6, 7, 8, 9]
        )
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert set(store.db.table_names()) >= {
            "_migrations",
            "reports",
            "sections",
            "cells",
            "text_facts",
            "checks",
        }
    with Store(index_dir) as store:  # reopening applies nothing again
        rows = store.db.execute("SELECT number, name FROM _migrations").fetchall()
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5, 6, 7, 8, 9]


def test_index_from_a_newer_gongkai_is_refused(index_dir):
    Store(index_dir).close()
    conn = sqlite3.connect(index_dir / DB_NAME)
    conn.execute("INSERT INTO _migrations VALUES (99, 'future', 'now')")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNew) as err:
        Store(index_dir)
    assert str(err.value) == (
        f"The index at {index_dir / DB_NAME} has schema version 99, but this gongkai knows only "
        "up to 9 — upgrade gongkai, or pass --index to use another folder"
    )


def test_missing_index_is_not_created_when_reading(index_dir):
    with pytest.raises(IndexMissing) as err:
        Store(index_dir, create=False)
    assert str(err.value) == f"No index at {index_dir} — run `gongkai ingest <folder>` first"
    assert not index_dir.exists()


def test_a_file_that_is_not_a_database_is_reported(index_dir):
    index_dir.mkdir()
    (index_dir / DB_NAME).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(IndexUnreadable) as err:
        Store(index_dir)
    assert str(err.value) == (
        f"Cannot use the index at {index_dir / DB_NAME}: file is not a database — "
        "close other gongkai processes, or move the file aside and ingest again"
    )


def test_add_stores_everything_and_reads_it_back(index_dir, report_factory):
    with Store(index_dir) as store:
        result = store.add(report_factory(), "/r/town.txt", SHA_A)
        assert (result.status, result.replaced_id) == ("added", None)
        row = store.report(result.report_id)
        assert {k: row[k] for k in ("source_name", "source_path", "sha256", "org", "year")} == {
            "source_name": "town.txt",
            "source_path": "/r/town.txt",
            "sha256": SHA_A,
            "org": "大峪镇人民政府",
            "year": 2025,
        }
        assert (row["check_status"], row["warnings"]) == ("pass", ["line 51: a blank cell"])
        assert [c["value"] for c in store.cells(result.report_id)] == [30.0, None]
        assert store.cells(result.report_id)[0]["grp"] == "art20_6"
        assert store.sections(result.report_id)[0]["path"] == ["一、总体情况", "（一）主动公开情况"]
        assert store.text_facts(result.report_id)[0]["approx"] is False
        assert [c["uses_inferred"] for c in store.checks(result.report_id)] == [False, True]
        assert [r["id"] for r in store.reports()] == [result.report_id]
        assert store.counts() == {
            "reports": 1,
            "sections": 1,
            "cells": 2,
            "text_facts": 1,
            "checks": 2,
            "chunks": 1,
        }


def test_null_stays_null_and_zero_stays_zero(index_dir, report_factory):
    cells = [
        Cell(
            "requests", "carried_over", "natural_person", "上年结转", "自然人", 0.0, "0", "件", 52
        ),
        Cell("requests", "carried_over", "other", "上年结转", "其他", None, "-", "件", 52),
    ]
    with Store(index_dir) as store:
        store.add(report_factory(cells=cells), "/r/town.txt", SHA_A)
        nulls = store.db.execute("SELECT count(*) FROM cells WHERE value IS NULL").fetchone()[0]
        zeros = store.db.execute("SELECT count(*) FROM cells WHERE value = 0").fetchone()[0]
    assert (nulls, zeros) == (1, 1)


def test_same_content_is_unchanged_and_writes_nothing(index_dir, report_factory):
    with Store(index_dir) as store:
        first = store.add(report_factory(), "/r/town.txt", SHA_A)
    before = table_rows(index_dir / DB_NAME)
    with Store(index_dir) as store:
        again = store.add(report_factory(), "/r/town.txt", SHA_A)
        copy = store.add(report_factory(), "/elsewhere/copy.txt", SHA_A)
    assert again.status == copy.status == "unchanged"
    assert again.report_id == copy.report_id == first.report_id
    assert table_rows(index_dir / DB_NAME) == before


def test_changed_content_replaces_the_old_rows(index_dir, report_factory):
    new_cells = [
        Cell(
            "proactive",
            "administrative_penalty",
            "decisions",
            "行政处罚",
            "本年处理决定数量",
            31.0,
            "31",
            "件",
            40,
            group="art20_6",
        ),
    ]
    with Store(index_dir) as store:
        old = store.add(report_factory(), "/r/town.txt", SHA_A)
        other = store.add(report_factory(org="陈区镇人民政府"), "/r/other.txt", SHA_B)
        new = store.add(report_factory(cells=new_cells, checks=[]), "/r/town.txt", "c" * 64)
        assert (new.status, new.replaced_id) == ("replaced", old.report_id)
        with pytest.raises(ReportNotFound):
            store.report(old.report_id)
        for table in ("sections", "cells", "text_facts", "checks"):
            n = store.db.execute(
                f"SELECT count(*) FROM [{table}] WHERE report_id = ?", [old.report_id]
            ).fetchone()[0]
            assert n == 0, table
        assert [c["value"] for c in store.cells(new.report_id)] == [31.0]
        assert store.report(new.report_id)["sha256"] == "c" * 64
        assert store.report(new.report_id)["check_status"] == "not_checkable"
        assert len(store.cells(other.report_id)) == 2  # the other report is untouched
        assert store.counts() == {
            "reports": 2,
            "sections": 2,
            "cells": 3,
            "text_facts": 2,
            "checks": 2,
            "chunks": 2,
        }


def test_a_replace_that_fails_halfway_keeps_the_old_rows(index_dir, report_factory):
    with Store(index_dir) as store:
        store.add(report_factory(), "/r/town.txt", SHA_A)
    before = table_rows(index_dir / DB_NAME)
    broken = Cell("requests", "x", "y", "行", "列", object(), "?", "件", 1)  # cannot be bound
    with Store(index_dir) as store:
        with pytest.raises(sqlite3.Error):
            store.add(report_factory(cells=[*report_factory().cells, broken]), "/r/town.txt", SHA_B)
    assert table_rows(index_dir / DB_NAME) == before


def test_a_duplicate_cell_is_a_bad_report_and_rolls_back(index_dir, report_factory):
    with Store(index_dir) as store:
        store.add(report_factory(), "/r/town.txt", SHA_A)
    before = table_rows(index_dir / DB_NAME)
    cells = report_factory().cells
    with Store(index_dir) as store:
        with pytest.raises(BadReport) as err:
            store.add(report_factory(cells=[*cells, cells[0]]), "/r/town.txt", SHA_B)
    assert str(err.value) == (
        "town.txt: cannot store this report: the parser produced the same cell more than once: "
        "proactive/administrative_penalty/decisions"
    )
    assert table_rows(index_dir / DB_NAME) == before


def test_remove_deletes_a_report_and_its_rows(index_dir, report_factory):
    with Store(index_dir) as store:
        keep = store.add(report_factory(), "/r/a.txt", SHA_A)
        gone = store.add(report_factory(), "/r/b.txt", SHA_B)
        store.remove(gone.report_id)
        assert [r["id"] for r in store.reports()] == [keep.report_id]
        assert store.counts() == {
            "reports": 1,
            "sections": 1,
            "cells": 2,
            "text_facts": 1,
            "checks": 2,
            "chunks": 1,
        }
        with pytest.raises(ReportNotFound) as err:
            store.remove(gone.report_id)
    assert str(err.value) == (
        f"No report with id {gone.report_id} in the index — see `gongkai reports`"
    )


def test_deleting_a_report_row_cascades(index_dir, report_factory):
    with Store(index_dir) as store:
        added = store.add(report_factory(), "/r/a.txt", SHA_A)
        with store.db.conn:
            store.db.execute("DELETE FROM reports WHERE id = ?", [added.report_id])
        assert store.counts() == {
            "reports": 0,
            "sections": 0,
            "cells": 0,
            "text_facts": 0,
            "checks": 0,
            "chunks": 0,
        }


# --- reading status, completeness and unread cells (migration 5) --------------------------


def _cell(row: str, col: str, value, provenance: str = "printed", note: str = "", line=51):
    return Cell(
        "requests", row, col, "本年新收政府信息公开申请数量", col, value,
        "" if value is None else str(int(value)), "件", line, provenance, note=note,
    )  # fmt: skip


def test_status_completeness_and_unread_cells_are_stored(index_dir, report_factory):
    cells = [
        _cell("new_received", "natural_person", 3.0),
        _cell("new_received", "commercial_enterprise", None),  # printed blank
        _cell("new_received", "research_institution", 0.0, "inferred", "forced to 0 by 总计"),
        _cell("new_received", "total", 3.0, "aligned", "digits run together, split"),
        _cell("new_received", "other_org", None, "unread", "5 numbers for 6 columns", None),
    ]
    report = report_factory(cells=cells, cells_expected=5, source_url="http://x.gov.cn/r.html")
    assert (report.status, report.cells_read) == ("incomplete", 4)
    with Store(index_dir) as store:
        added = store.add(report, "/r/town.txt", SHA_A)
        row = store.report(added.report_id)
        assert {
            k: row[k] for k in ("read_status", "cells_read", "cells_expected", "source_url")
        } == {
            "read_status": "incomplete",
            "cells_read": 4,
            "cells_expected": 5,
            "source_url": "http://x.gov.cn/r.html",
        }
        stored = {c["col_key"]: c for c in store.cells(added.report_id)}
        assert store.cell_counts()[added.report_id] == {
            "printed": 2, "aligned": 1, "inferred": 1, "unread": 1, "blank": 1,
        }  # fmt: skip
    unread, blank = stored["other_org"], stored["commercial_enterprise"]
    # an unread cell is a row of its own: NULL, 'unread', with why; a blank is printed NULL
    assert (unread["value"], unread["provenance"], unread["note"], unread["line"]) == (
        None, "unread", "5 numbers for 6 columns", None,
    )  # fmt: skip
    assert (blank["value"], blank["provenance"], blank["note"]) == (None, "printed", "")
    assert stored["total"]["note"] == "digits run together, split"


@pytest.mark.parametrize(
    "cells, checks, expected",
    [
        ([], [], "no_tables"),
        (None, [Check("R3.3", "new_received", "fail", 0.0, 3.0, "0 ≠ 3")], "fails_checks"),
        (None, [Check("R3.1", "total", "pass", 3.0, 3.0)], "complete"),
    ],
)
def test_each_status_is_stored_as_the_parser_gives_it(
    index_dir, report_factory, cells, checks, expected
):
    report = report_factory(checks=checks, **({} if cells is None else {"cells": cells}))
    with Store(index_dir) as store:
        added = store.add(report, "/r/town.txt", SHA_A)
        assert store.report(added.report_id)["read_status"] == report.status == expected


def test_an_index_at_schema_4_migrates_and_derives_each_status(index_dir, monkeypatch):
    """An index written by the previous gongkai (migrations 1–4, no unread rows) gets the new
    columns, and each report a status derived from its cells and its check status."""
    import index.store as store_module
    from parsers.template import template_cells

    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS[:4])
    with Store(index_dir) as old:
        assert old.applied_migrations() == [1, 2, 3, 4]
        full = [s for s in template_cells("gov2021", other_org=False)]  # a 6-column table 三
        reports = {
            1: ("pass", full),  # every cell the template prints: complete
            2: ("fail", full[:40]),  # fails its checks (and lacks cells): fails_checks
            3: ("pass", full[:9]),  # table 二 only: incomplete, 9 of 200 (7 columns assumed)
            4: ("not_checkable", []),  # no cells: no_tables
        }
        for rid, (check, specs) in reports.items():
            old.db.execute(
                "INSERT INTO reports (id, source_name, source_path, sha256, format, encoding, org, "
                "org_short, org_level, year, template, check_status, ingested_at) VALUES "
                "(?, ?, ?, ?, 'txt', 'utf-8', '镇', '镇', '镇', 2025, 'gov2021', ?, 'now')",
                [rid, f"{rid}.txt", f"/r/{rid}.txt", str(rid) * 64, check],
            )
            old.db.conn.executemany(
                "INSERT INTO cells (report_id, table_key, row_key, col_key, row_label, col_label, "
                "value, raw, unit, line) VALUES (?, ?, ?, ?, ?, ?, 0, '0', '件', 1)",
                [(rid, s.table, s.row.key, s.col.key, s.row.zh, s.col.zh) for s in specs],
            )
        old.db.conn.commit()
    monkeypatch.setattr(store_module, "MIGRATIONS", MIGRATIONS)
    with Store(index_dir) as store:
        assert store.applied_migrations() == [1, 2, 3, 4, 5, 6, 7, 8, 9]
        # read by the older parser: kept and answered from, and read again by the next ingest
        versions = {r["id"]: r["parser_version"] for r in store.reports()}
        assert versions == dict.fromkeys(reports, 1) != dict.fromkeys(reports, PARSER_VERSION)
        assert all(store.find_sha(str(rid) * 64) is None for rid in reports)
        got = {
            r["id"]: (r["read_status"], r["cells_read"], r["cells_expected"], r["source_url"])
            for r in store.reports()
        }
        notes = {c["note"] for c in store.cells(1)}
    assert got == {
        1: ("complete", 175, 175, ""),
        2: ("fails_checks", 40, 175, ""),
        3: ("incomplete", 9, 200, ""),
        4: ("no_tables", 0, 200, ""),
    }
    assert notes == {""}
