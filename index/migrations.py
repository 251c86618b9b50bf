"""The store's schema, built by numbered migrations (recorded in `_migrations` by `Store`).

Append new ones to MIGRATIONS, never edit an applied one: an index written by an older gongkai
is brought up to date by running those it lacks, in order.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlite_utils import Database


def _m001_initial(db: Database) -> None:
    for sql in (
        """CREATE TABLE reports (
            id INTEGER PRIMARY KEY,
            source_name TEXT NOT NULL,
            source_path TEXT NOT NULL UNIQUE,
            sha256 TEXT NOT NULL UNIQUE,
            format TEXT NOT NULL, encoding TEXT NOT NULL,
            org TEXT NOT NULL, org_short TEXT NOT NULL, org_level TEXT NOT NULL,
            year INTEGER,
            template TEXT NOT NULL,
            check_status TEXT NOT NULL,
            warnings TEXT NOT NULL DEFAULT '[]',
            ingested_at TEXT NOT NULL)""",
        "CREATE INDEX ix_reports_org_year ON reports(org_short, year)",
        """CREATE TABLE sections (
            report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            key TEXT NOT NULL, path TEXT NOT NULL, text TEXT NOT NULL,
            start_line INTEGER, end_line INTEGER,
            PRIMARY KEY (report_id, ord))""",
        """CREATE TABLE cells (
            report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            table_key TEXT NOT NULL, row_key TEXT NOT NULL, col_key TEXT NOT NULL,
            grp TEXT NOT NULL DEFAULT '',
            row_label TEXT NOT NULL, col_label TEXT NOT NULL,
            value REAL, raw TEXT NOT NULL, unit TEXT NOT NULL, line INTEGER,
            provenance TEXT NOT NULL DEFAULT 'printed',
            PRIMARY KEY (report_id, table_key, row_key, col_key))""",
        "CREATE INDEX ix_cells_metric ON cells(table_key, row_key, col_key)",
        """CREATE TABLE text_facts (
            report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            value REAL NOT NULL, unit TEXT NOT NULL, quote TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '', section_key TEXT NOT NULL DEFAULT '',
            line INTEGER, approx INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (report_id, ord))""",
        """CREATE TABLE checks (
            report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            rule TEXT NOT NULL, scope TEXT NOT NULL, status TEXT NOT NULL,
            lhs REAL, rhs REAL, detail TEXT NOT NULL DEFAULT '',
            uses_inferred INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (report_id, ord))""",
    ):
        db.execute(sql)


def _m002_chunks(db: Database) -> None:
    """Retrieval: passages (chunks) with a jieba-segmented FTS5 index, an embedding cache keyed by
    model and text hash, and a report status: `pending` until its vectors are stored too."""
    for sql in (
        "ALTER TABLE reports ADD COLUMN status TEXT NOT NULL DEFAULT 'ready'",
        "ALTER TABLE reports ADD COLUMN vector_model TEXT NOT NULL DEFAULT ''",
        """CREATE TABLE chunks (
            id INTEGER PRIMARY KEY,
            report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
            ord INTEGER NOT NULL,
            section_key TEXT NOT NULL, path TEXT NOT NULL, text TEXT NOT NULL,
            embed_text TEXT NOT NULL, hash TEXT NOT NULL,
            start_line INTEGER, end_line INTEGER,
            UNIQUE (report_id, ord))""",
        "CREATE VIRTUAL TABLE chunks_fts USING fts5(words)",  # rowid = chunks.id
        """CREATE TABLE embeddings (
            model TEXT NOT NULL, hash TEXT NOT NULL, vector BLOB NOT NULL,
            PRIMARY KEY (model, hash))""",
    ):
        db.execute(sql)


def _m003_query_indexes(db: Database) -> None:
    """Indexes for questions over many reports. Ready reports by year and level (which towns …
    in 2024), holding every column a question reads from `reports`, so a question over thousands
    of them never reads their rows (long with warnings); reports by full name (search filters
    name an organisation by either name)."""
    for sql in (
        "CREATE INDEX IF NOT EXISTS ix_reports_ready ON reports(status, year, org_level, "
        "org_short, org, source_name, template, sha256)",
        "CREATE INDEX IF NOT EXISTS ix_reports_org ON reports(org)",
    ):
        db.execute(sql)


def _m004_cell_values(db: Database) -> None:
    """An index holding what a numeric answer reads of a cell (value, unit, provenance) by
    report and cell key, so a question over thousands of reports never reads the cells' rows
    (long with labels and raw text); `index.queries` names it (INDEXED BY)."""
    db.execute(
        "CREATE INDEX IF NOT EXISTS ix_cells_value ON cells(report_id, table_key, row_key, "
        "col_key, value, unit, provenance)"
    )


def _m005_read_status(db: Database) -> None:
    """How well each report was read (`parsers.report.STATUSES`): its reading status (the name
    `status` is taken by pending/ready), the template cells read and expected, where it was
    published, and each cell's note (why it is unread, or how it was placed or inferred). Cells
    that could not be read are stored as rows with value NULL and provenance 'unread' from now on.

    Reports indexed before have no unread rows and no notes: their status is derived as
    `Report.status` derives it, from the cells they have and the template's cells."""
    from parsers.template import template_cells

    for sql in (
        "ALTER TABLE reports ADD COLUMN read_status TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE reports ADD COLUMN cells_read INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE reports ADD COLUMN cells_expected INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE reports ADD COLUMN source_url TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE cells ADD COLUMN note TEXT NOT NULL DEFAULT ''",
    ):
        db.execute(sql)
    rows = db.execute(
        "SELECT r.id, r.template, r.check_status, "
        "(SELECT count(*) FROM cells c WHERE c.report_id = r.id AND c.provenance != 'unread' "
        r"AND c.row_key NOT LIKE 'local\_%' ESCAPE '\'), "
        "EXISTS (SELECT 1 FROM cells c WHERE c.report_id = r.id AND c.table_key = 'requests'), "
        "EXISTS (SELECT 1 FROM cells c WHERE c.report_id = r.id AND c.table_key = 'requests' "
        "AND c.col_key = 'other_org') FROM reports r"
    ).fetchall()
    expected: dict[tuple[str, bool], int] = {}
    updates = []
    for report_id, template, check_status, read, requests, other_org in rows:
        key = (template, not requests or bool(other_org))  # as parsers.parse decides
        if key not in expected:
            expected[key] = len(template_cells(*key))
        if read == 0:
            status = "no_tables"
        elif check_status == "fail":
            status = "fails_checks"
        elif read < expected[key]:
            status = "incomplete"
        else:
            status = "complete"
        updates.append((status, read, expected[key], report_id))
    db.conn.executemany(
        "UPDATE reports SET read_status = ?, cells_read = ?, cells_expected = ? WHERE id = ?",
        updates,
    )


def _m006_parser_version(db: Database) -> None:
    """reports.parser_version: the parser that read it (reports stored before: version 1)."""
    db.execute("ALTER TABLE reports ADD COLUMN parser_version INTEGER NOT NULL DEFAULT 1")


def _m007_copies(db: Database) -> None:
    """reports.copy_of: the report this one is a copy of (same organisation, year and cells)."""
    db.execute("ALTER TABLE reports ADD COLUMN copy_of INTEGER")


def _m008_aliases(db: Database) -> None:
    """reports.aliases: other spellings of the organisation's name (JSON list), e.g. a title that
    misprints it."""
    db.execute("ALTER TABLE reports ADD COLUMN aliases TEXT NOT NULL DEFAULT '[]'")


def _m009_published(db: Database) -> None:
    """reports.published: when the report's page was published (YYYY-MM-DD, or '')."""
    db.execute("ALTER TABLE reports ADD COLUMN published TEXT NOT NULL DEFAULT ''")


MIGRATIONS: list[tuple[int, str, Callable[[Database], None]]] = [
    (1, "reports, sections, cells, text_facts, checks", _m001_initial),
    (2, "chunks, chunks_fts, embeddings; reports.status and vector_model", _m002_chunks),
    (3, "indexes on ready reports by year and level, and on reports(org)", _m003_query_indexes),
    (4, "index on cells covering the values a question reads", _m004_cell_values),
    (
        5,
        "reports.read_status, cells_read, cells_expected, source_url; cells.note",
        _m005_read_status,
    ),
    (6, "reports.parser_version", _m006_parser_version),
    (7, "reports.copy_of", _m007_copies),
    (8, "reports.aliases", _m008_aliases),
    (9, "reports.published", _m009_published),
]
