"""Imported once by the process that starts ingest's parsing workers (`index.prepare`): it loads
the parsers and the jieba dictionary there, so every worker forked from it starts warm."""

from index import keyword
from parsers import parse  # noqa: F401 (imported for its side effect: loaded once, shared)

keyword.add_words([])  # loads jieba and teaches it the template's terms
