"""Chinese keyword search over chunks: jieba-segmented text in an SQLite FTS5 table, ranked by BM25.

FTS5's own tokenizers do not know Chinese words, so text is segmented with jieba (which is taught
the template's terms and the indexed organisations' names) and stored space-separated.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence

from parsers import template as T

_LOCK = threading.Lock()
_READY = False
_KNOWN: set[str] = set()
STOPWORDS = set(
    "的 了 和 与 及 是 在 有 吗 呢 吧 啊 哪些 哪个 什么 怎么 怎样 如何 多少 几 请问 请 告诉 我 我们 你 一下 "
    "情况 方面 主要 进行 开展 工作 年 年度 镇 乡 街道 政府 人民政府 报告 其 该 这 那 为 对 中 上 下 个 "
    "哪 谁 么 都 也 还 就 又 并 及其 以及 或 等".split()
)
EXTRA_TERMS = (
    "政务公开专区",
    "政务微信",
    "微信公众号",
    "政务新媒体",
    "公开栏",
    "信息处理费",
    "保密审查",
    "三审三校",
    "依申请公开",
    "主动公开",
    "监督保障",
    "平台建设",
    "政府网站",
    "门户网站",
    "便民服务",
    "行政村",
)


def _init() -> None:
    global _READY
    with _LOCK:
        if _READY:
            return
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        terms = {t for r in (*T.PROACTIVE_ROWS, *T.REQUEST_ROWS, *T.REVIEW_ROWS) for t in r.terms}
        terms |= {t for c in (*T.REQUEST_COLS, *T.REVIEW_COLS) for t in c.terms}
        for term in terms | set(EXTRA_TERMS):
            if re.search(r"[\u4e00-\u9fff]", term):
                jieba.add_word(term, freq=20000)
        _READY = True


def add_words(words: list[str]) -> None:
    """Teach the segmenter organisation names (大峪镇, 陈区镇人民政府…)."""
    _init()
    import jieba

    for w in words:
        if w and w not in _KNOWN:
            jieba.add_word(w, freq=50000)
            _KNOWN.add(w)


def segment(text: str) -> list[str]:
    _init()
    import jieba

    words = []
    for w in jieba.cut_for_search(text.lower()):
        w = w.strip()
        if w and re.search(r"[\u4e00-\u9fff0-9a-z]", w):
            words.append(w)
    return words


def index_text(text: str) -> str:
    return " ".join(segment(text))


YEAR = re.compile(r"(?:19|20)\d\d")


def match_query(question: str, drop: Sequence[str] = ()) -> str:
    """An FTS5 MATCH expression: the question's content words, OR-ed, each quoted.

    Stop words, years and single digits (the year filter and list numbering do their work) and
    words inside `drop` (the names of the organisations the search is already limited to, which
    every passage in scope shares) are left out; other numbers (397 条) are kept."""
    names = [d for d in drop if d]
    words = [
        w
        for w in dict.fromkeys(segment(question))
        if w not in STOPWORDS
        and not YEAR.fullmatch(w)
        and not (w.isdigit() and len(w) == 1)
        and not (len(w) >= 2 and any(w in name for name in names))
    ]
    return " OR ".join('"' + w.replace('"', "") + '"' for w in words)
