"""Storing reports and finding things in them: SQLite (`store.py`, all SQL: `queries.py`,
`narrative.py`, `keyword.py`) and Chroma (`vectors.py`), filled by `ingest.py`. Knows nothing of
questions. See docs/ARCHITECTURE.md."""
