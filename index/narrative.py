"""Narrative numbers (发布信息709条) for SQL answers: the one in each report that best matches a
question, scored by shared character bigrams.

    best = best_numbers(queries, reports, where, params, ["发布", "信息"], unit="条")
    best[report_id].quote, best[report_id].value

A report's numbers are read from `text_facts` once and kept, with their simplified text, per
Store until the index changes (`Store.data_version`; entries are keyed by report id and content
hash as well), so a question over thousands of reports reads and converts them only the first
time. A report whose numbers together share fewer than two of the question's bigrams is passed
over without scoring each number: a number needs two of them to score at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol
from weakref import WeakKeyDictionary

from parsers.normalize import to_simplified

if TYPE_CHECKING:
    from index.store import Store


class Queries(Protocol):
    """What the scoring needs of `index.queries.Queries`: its store, and a logged query runner."""

    store: Store

    def run(self, sql: str, params: list[Any]) -> list[dict[str, Any]]: ...


# Words that mark a narrative number as a total (累计发布…) or as a part of one (其中…).
TOTAL_WORDS = re.compile(r"累计|共计|总计|全年|共")
PART_WORDS = re.compile(r"其中|包括")
SYNONYMS = {"主动公开": ("发布",), "发布": ("公开", "主动", "动公"), "受理": ("收到",)}
SYNONYMS |= {"收到": ("受理",)}  # question word → bigrams that mean the same in a report
# Bigrams in nearly every narrative number: they count for less when matching a question.
COMMON_BIGRAMS = set("公开 发布 信息 政府 政务 主动 动公 府信 务信".split())
# Bigrams shared by the labels of many different rows: they do not tell which row a number is.
GENERIC_BIGRAMS = COMMON_BIGRAMS | {"息公", "开申", "申请", "数量", "本年", "行政", "政机", "机关"}
STOP_BIGRAMS = {"多少", "哪些", "什么", "情况", "工作", "是否", "一共", "总共", "报告", "年度"}
BATCH = 500  # report ids per statement, far below SQLite's limit on parameters
# Ready reports picked by id: `+` keeps SQLite from scanning an index on status instead.
BY_ID = "+r.status = 'ready'"


class Fact(NamedTuple):
    """One narrative number of a report, as `text_facts` stores it, plus its simplified quote."""

    ord: int
    value: float
    unit: str
    quote: str
    label: str
    section_key: str
    line: int | None
    approx: int
    simplified: str  # the quote in simplified characters (the same object when it already is)


class _Cached(NamedTuple):
    facts: tuple[Fact, ...]
    text: str  # every label and simplified quote: a cheap first test for the question's bigrams


# Store → (data version, (report id, sha256) → its numbers)
_CACHE: WeakKeyDictionary[Store, tuple[tuple[int, int], dict[tuple[int, str], _Cached]]]
_CACHE = WeakKeyDictionary()


def best_numbers(
    q: Queries,
    reports: Sequence[dict[str, Any]],
    where: str,
    params: list[Any],
    terms: list[str],
    unit: str = "",
    part: bool = False,
) -> dict[int, Fact]:
    """Report id → its narrative number that best matches `terms` (and `unit`), for those of
    `reports` (rows with `id` and `sha256`; selected by `where`/`params`, if given) that have
    one."""
    known = _numbers(q, reports, where, params)
    probe = Probe(bigrams(terms))
    best: dict[int, Fact] = {}
    for r in reports:
        cached = known[(r["id"], r["sha256"])]
        if sum(g in cached.text for g in probe.grams) < 2:
            continue
        top = 0.0
        for fact in cached.facts:
            s = score(fact, probe, unit, part)
            if s > top:
                top, best[r["id"]] = s, fact
    return best


def _numbers(
    q: Queries, reports: Sequence[dict[str, Any]], where: str, params: list[Any]
) -> dict[tuple[int, str], _Cached]:
    """(report id, sha256) → its numbers, read for those not yet known: by `where` (one
    statement however many reports it selects), else by their ids, `BATCH` at a time."""
    version = q.store.data_version()
    entry = _CACHE.get(q.store)
    if entry is None or entry[0] != version:
        entry = (version, {})
        _CACHE[q.store] = entry
    known = entry[1]
    todo = {r["id"]: r["sha256"] for r in reports if (r["id"], r["sha256"]) not in known}
    if not todo:
        return known
    cols = (
        "r.id, r.sha256, f.ord, f.value, f.unit, f.quote, f.label, f.section_key, f.line, f.approx"
    )
    chunks: list[tuple[str, list[Any]]] = [(where, params)]
    if not where or len(todo) <= BATCH:
        ids = sorted(todo)
        chunks = [
            (f"{BY_ID} AND r.id IN ({', '.join('?' * len(part))})", part)
            for part in (ids[i : i + BATCH] for i in range(0, len(ids), BATCH))
        ]
    found: dict[tuple[int, str], list[Fact]] = {(i, sha): [] for i, sha in todo.items()}
    for cond, args in chunks:
        sql = (
            f"SELECT {cols} FROM reports r JOIN text_facts f ON f.report_id = r.id "
            f"WHERE {cond} ORDER BY r.id, f.ord"
        )
        for row in q.run(sql, args):
            quote = row["quote"] or ""
            simplified = to_simplified(quote)
            fact = Fact(
                row["ord"], row["value"], row["unit"], quote, row["label"] or "",
                row["section_key"], row["line"], row["approx"],
                quote if simplified == quote else simplified,
            )  # fmt: skip
            found.setdefault((row["id"], row["sha256"]), []).append(fact)
    for key, facts in found.items():
        text = "\n".join(f"{f.label}\t{f.simplified}" for f in facts)
        known[key] = _Cached(tuple(facts), text)
    return known


def names_metric(terms: Sequence[str]) -> Callable[[dict[str, Any]], bool]:
    """A test of whether a narrative number's label names the metric of `terms` (a row's
    words): they share a bigram beyond the words every request or disclosure sentence has
    (政府信息公开申请). 受理政府信息公开申请5件 names 收到申请, not 逾期未缴费."""
    own = bigrams(list(terms)) - GENERIC_BIGRAMS

    def test(fact: dict[str, Any]) -> bool:
        return bool(bigrams([fact.get("label") or fact["quote"]]) & own)

    return test


def bigrams(terms: list[str], expand: bool = True) -> set[str]:
    grams: set[str] = set()
    for term in terms:
        for part in re.findall(r"[\u4e00-\u9fff]+", to_simplified(term)):
            grams |= {part[i : i + 2] for i in range(len(part) - 1)}
            if expand:
                grams |= {g for word, more in SYNONYMS.items() if word in part for g in more}
    return grams - STOP_BIGRAMS


class Probe:
    """A question's bigrams, each weighted (common ones count for less)."""

    def __init__(self, grams: set[str]):
        self.grams = grams
        self.weight = {g: 0.3 if g in COMMON_BIGRAMS else 1.0 for g in grams}
        self.total = sum(self.weight.values())


@lru_cache(maxsize=65536)
def _label_bigrams(label: str) -> frozenset[str]:
    return frozenset(bigrams([label], expand=False) or {""})


def score(fact: Fact, probe: Probe, unit: str, part: bool = False) -> float:
    """How well a narrative number matches the question: the share of the question's bigrams it
    contains (counted twice), the share of its label that the question asks about, the unit asked
    for, and whether it is a total rather than a part of one (其中…; the other way round when
    the question asks for a part)."""
    label, quote, grams = fact.label, fact.simplified, probe.grams
    hits = [g for g in grams if g in label or g in quote]
    if len(hits) < 2:  # most numbers: decided before the costlier parts below
        return 0.0
    own = _label_bigrams(label)
    total = 2 * sum(probe.weight[g] for g in hits) / probe.total + len(own & grams) / len(own)
    head = quote.split(label)[0] if label and label in quote else quote
    total += 0.5 if unit and fact.unit == unit else 0.0
    exact = own <= grams and len(own) >= 2  # the question names this label exactly (今日高平)
    if part or exact:
        return total + 0.5 * exact + (0.25 if part and PART_WORDS.search(head) else 0.0)
    total += 0.25 if TOTAL_WORDS.search(quote) else 0.0
    return total - (1.0 if PART_WORDS.search(head) else 0.0)
