"""Numeric answers: an understood question in, a short cited answer out, every number from SQL.

    sa = answer_sql(store, understand("大峪镇2025年行政处罚多少件？", org_refs(store), 2025))
    sa.text      # "大峪镇2025年行政处罚（本年处理决定数量）为30件。"
    sa.status    # value | zero | blank | unread | missing | no_report | mixed | no_metric

A value is one cell (or a summed row group) of one report; list, count, total, max, min, rank,
threshold, compare and trend are computed over those values. A blank cell is never counted as 0;
a cell that could not be read from the table is `unread` (said so, with the parser's reason),
never blank or 0, and an aggregate names the reports it could not count for that reason; a report
without the cell (another template) is `missing`, never 0. When the cell is unread, or its table
cut off or absent (not when its template has no such row), a sentence whose label names the row
may state the row's total, which is then quoted with its line. A long list names `SHOWN`
organisations and counts the rest; its facts and citations are those of the ones named.
Narrative numbers (发布信息多少条) come from `text_facts`; `no_metric` tells the caller to fall
back to retrieval.
Queries live in `index.queries`, the words in `bot.numbers.wording`.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from bot.numbers import wording as W
from bot.question.lexicon import (
    ROWGROUPS,
    Metric,
    default_col,
    is_term,
    table_metrics,
)
from bot.question.model import AGGREGATES
from bot.question.slots import with_applicant
from index.narrative import names_metric
from index.queries import Queries, Reading, dedupe
from parsers import template as T

if TYPE_CHECKING:
    from bot.question.understand import Understanding
    from index.store import Store

COUNT_UNITS = {"件", "起", "个", "次", "份", "人次"}  # a table count may be stated in any of them
OPS = {"gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le}
OPS |= {"eq": operator.eq}
TABLE_SUBJECT = {"requests": "申请"}  # what a table counts, as its sentences say it
MONEY = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}


@dataclass
class SqlAnswer:
    text: str
    status: str  # value | zero | blank | missing | no_report | mixed | no_metric
    result: float | None = None
    facts: list[dict[str, Any]] = field(default_factory=list)
    sql: list[dict[str, Any]] = field(default_factory=list)
    citations: list[dict[str, Any]] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def answer_sql(store: Store, u: Understanding) -> SqlAnswer:
    """Answer `u` (intent value, list, count, total, max, min, rank, threshold, compare, trend)
    from the tables and narrative numbers of the ready reports in `store`."""
    q, zh, reasons = Queries(store), u.lang == "zh", []
    tables = [m for m in u.metrics if m.kind == "table"]
    metrics = [m for m in u.metrics if m.kind != "table"] or [
        m for t in tables for m in table_metrics(t.table)
    ]
    metrics = [with_applicant(m, u.applicant) for m in metrics]
    whats: list[Metric | None] = [*metrics, *([None] * u.narrative_number)]
    if not whats:
        text = "表格中没有可回答的数字。" if zh else "No table figure answers this."
        return SqlAnswer(text, "no_metric", reasons=["no template metric or narrative number"])
    if whats[0] is not None and whats[0].kind == "reports":
        return _reports(q, u, reasons)
    if u.intent in AGGREGATES or not u.orgs:
        if len(whats) > 1:
            reasons.append(f"{u.intent}: only the first metric is used")
        text, chosen, result, pool = _aggregate(q, u, whats[0], reasons)
        if not pool:
            status = "no_report"
        elif u.intent in ("count", "total", "value"):
            status = "zero" if result == 0 else "value" if result is not None else "blank"
        else:  # nothing qualifies: zero organisations
            status = chosen[0].status if len(chosen) == 1 else "mixed" if chosen else "zero"
    else:
        lines, chosen = [], []
        for what in whats:
            found, missing = _named(q, u, what, reasons)
            q.details([r for r in found if r.unread])  # their notes say why, in the sentence
            chosen += found
            lines += [W.sentence(r, zh) for r in found] + missing
            if u.intent in ("compare", "trend") and len(found) > 1:
                lines.append((W.compare if u.intent == "compare" else W.trend)(found, zh))
        text = "".join(lines) if zh else " ".join(x for x in lines if x)
        if chosen and all(r.metric is None and r.status == "missing" for r in chosen):
            reasons.append("no narrative number matches the question")
            return SqlAnswer(text, "no_metric", sql=q.log, reasons=reasons)
        one = len(chosen) == 1 and len(lines) == 1
        status = chosen[0].status if one else "mixed" if chosen else "no_report"
        result = chosen[0].value if one else None
        if one and (converted := _convert(chosen[0], u.unit)) is not None:
            result, unit = float(converted), u.unit
            said = f"折合{converted:f}{unit}。" if zh else f" That is {converted:f} {unit}."
            text = text.removesuffix("。") + "，" + said if zh else text + said
            reasons.append(f"converted {chosen[0].unit} to {unit}")
    shown = [r for r in chosen if r.cells or r.text_fact]
    if u.intent in AGGREGATES or not u.orgs:
        shown = shown[: W.SHOWN]  # a long list: the facts of the organisations it names
    q.details(shown)
    citations = [r.citation(n) for n, r in enumerate(shown, 1)]
    orgs = list(dict.fromkeys(r.name for r in chosen))
    facts = [f for r in shown for f in r.facts()]
    return SqlAnswer(text, status, result, facts, q.log, citations, orgs, reasons)


def _named(q: Queries, u: Understanding, what: Metric | None, reasons: list[str]):
    """Readings of `what` for the organisations and years the question names, and a sentence
    for each organisation with no report for any of the years asked about."""
    orgs = [(o.org, o.org_short) for o in u.orgs]
    if what is None:
        found = q.narrative(*_probe(u), orgs=orgs, years=u.years or None, part=_part(u))
    else:
        found = q.read(what, orgs=orgs, years=u.years or None)
        found = _from_text(q, u, found, reasons)
    order = {ref: i for i, ref in enumerate(orgs)}
    found = sorted(dedupe(found), key=lambda r: (order.get(r.ref, 99), r.report["year"] or 0))
    missing = []
    for o in u.orgs:
        have = {r.report["year"] for r in found if r.ref == (o.org, o.org_short)}
        lacking = [y for y in u.years if y not in have]
        reasons += [f"no {y} report for {o.org_short}" for y in lacking]
        if lacking and not have:  # an organisation with some of the years answers for those
            missing.append(W.no_report(o.org_short, lacking, o.years, u.lang == "zh"))
    return found, missing


def _from_text(
    q: Queries, u: Understanding, readings: list[Reading], reasons: list[str]
) -> list[Reading]:
    """A report without the cell, or whose cell could not be read from its table, may state
    the number in its text (产生行政复议3件): `readings` with such a number in place of their
    `missing` ones, and added to their `unread` ones (which keep their unread cells), all read
    at once."""
    lacking = [r for r in readings if r.status in ("missing", "unread")]
    if not lacking:
        return readings
    m, unit = lacking[0].metric, lacking[0].unit  # one metric: a missing cell has its unit
    if m.col != _main_col(m):  # a sentence states a row's total, never one column of it
        return readings  # (维持, 自然人)
    missing = [r for r in lacking if r.status == "missing"]
    lacking = _cut_off(q, m, missing) + [r for r in lacking if r.status == "unread"]
    if not lacking:
        return readings
    if m.kind == "cell":
        own = T.row_def(m.table, m.row).terms
    else:
        own = ROWGROUPS[(m.table, m.row)][2]
    terms = [t for t in own if re.search(r"[\u4e00-\u9fff]", t)] + [m.label_zh.split("·")[0]]
    terms += [t for t in u.topics if not is_term(t)]  # context words, not other metrics
    terms += [TABLE_SUBJECT[m.table]] if m.table in TABLE_SUBJECT else []  # 在办结的5件申请中
    said = q.narrative(terms, unit, reports=[r.report for r in lacking])
    named = names_metric(own + (m.label_zh.split("·")[0],))
    stated = {alt.report["id"]: alt for alt in said if alt.text_fact and named(alt.text_fact)}
    out = []
    for r in readings:
        alt = stated.get(r.report["id"]) if r.status in ("missing", "unread") else None
        if alt and (alt.unit == r.unit or {alt.unit, r.unit} <= COUNT_UNITS):
            why = "cell unread" if r.unread else "no table cell"
            reasons.append(f"{r.name} {r.report['year']}: {why}; number from the text")
            r = Reading(
                alt.report, r.metric, alt.status, alt.value, alt.unit, r.unread, alt.text_fact
            )
        out.append(r)
    return out


def _main_col(m: Metric) -> str:
    """The column a row's number means when a sentence states it (总计; 处理决定 for 行政处罚)."""
    row = T.row_def(m.table, m.row) if m.kind == "cell" else None
    return default_col(m.table, row) if row else "total"


def _cut_off(q: Queries, m: Metric, lacking: list[Reading]) -> list[Reading]:
    """Those of `lacking` (no cell for `m`) whose table may have been cut off before the row:
    the report's template prints the row, or the report has no cell of that table at all. A
    report whose template has no such row (gov2019 has no 逾期未缴费) answers `missing`."""
    printed = {t for row in m.rows if (d := T.row_def(m.table, row)) for t in d.templates}
    other = [r.report["id"] for r in lacking if r.report["template"] not in printed]
    tabled = q.have_table(m.table, other) if other else set()
    return [r for r in lacking if r.report["id"] not in tabled]


def _aggregate(q: Queries, u: Understanding, what: Metric | None, reasons: list[str]):
    """(text, the readings answered, result, how many reports were read) for an aggregate."""
    zh, level = u.lang == "zh", u.level
    orgs = [(o.org, o.org_short) for o in u.orgs] or None
    years, note = u.years or None, ""
    if not years and not u.all_years:
        reasons.append("no year named: every indexed year")
        note = (
            "（未指定年份，按所有已收录年份统计）" if zh else " (no year given: all indexed years)"
        )
    if what is None:
        readings = q.narrative(*_probe(u), orgs=orgs, years=years, level=level, part=_part(u))
    else:
        readings = q.read(what, orgs=orgs, years=years, level=level)
        readings = _from_text(q, u, readings, reasons)
    readings = dedupe(readings)
    have = [r for r in readings if r.value is not None]
    one_year = bool(years) and len(years) == 1
    when = (f"{years[0]}年" if zh else f"in {years[0]}") if one_year else ""
    pool = W.POOL_ZH.get(level or "", "各单位") if zh else W.POOL_EN.get(level or "", "reports")
    if u.under:  # 清河市各部门 / departments of 清河市
        pool = f"{u.under}{pool}" if zh else f"{pool} of {u.under}"
    scope = W.Scope(when or ("各年度" if zh else "across all years"), pool, note, not one_year)
    intent, label = ("total" if u.intent == "value" else u.intent), W.label(what, zh, u.topics)
    unit, result, kw = (have[0].unit if have else ""), None, {}
    if intent in ("list", "count", "threshold"):
        op, n = u.threshold or ("gt", 0)
        listing = sorted((r for r in have if OPS[op](r.value, n)), key=lambda r: -r.value)
        result = float(len(listing)) if intent == "count" else None
        kw = {"op": op, "n": n}
    elif intent == "total":
        listing, result = have, round(sum(r.value for r in have), 6) if have else None
    elif intent in ("max", "min"):
        result = (max if intent == "max" else min)((r.value for r in have), default=None)
        listing = [r for r in have if r.value == result]
    else:  # rank
        listing = sorted(have, key=lambda r: r.value, reverse=not u.ascending)
        listing = listing[: u.rank_limit] if u.rank_limit else listing
    text = W.aggregate(intent, zh, scope, label, listing, result=result, unit=unit, **kw)
    unread = [r for r in readings if r.value is None and r.unread]  # not counted: say whose
    text += W.not_read(unread, zh, scope.span)
    text += W.not_reported(
        [r for r in readings if r.value is None and not r.unread], zh, scope.span
    )
    if unread:
        reasons.append(f"{len(unread)} report(s) with the cell unread: not counted")
    if not readings:
        text = f"{scope.when}没有符合条件的报告。" if zh else f"No report {scope.when} matches."
    return text, listing, result, len(readings)


def _reports(q: Queries, u: Understanding, reasons: list[str]) -> SqlAnswer:
    """Which reports are indexed: the years of named organisations, or the organisations (and
    how many) with a report for the years and level asked about."""
    zh = u.lang == "zh"
    rows = q.reports([(o.org, o.org_short) for o in u.orgs] or None, u.years or None, u.level)
    found = dedupe([Reading(r, None, "value", r["year"], "年") for r in rows])
    when = (f"{u.years[0]}年" if zh else f"in {u.years[0]}") if len(u.years) == 1 else ""
    pool = W.POOL_ZH.get(u.level or "", "各单位") if zh else W.POOL_EN.get(u.level or "", "")
    text = W.reports(
        found, zh, W.Scope(when, pool, "", len(u.years) != 1), [o.org_short for o in u.orgs]
    )
    counting = u.number_cue and not u.orgs
    reasons.append("the reports themselves: one per organisation and year")
    facts = [{"org": r.name, "year": r.value, "value": r.value, "unit": "年"} for r in found]
    citations = [
        {"n": n, "org": r.name, "year": r.value, "source": r.report["source_name"], "section": "",
         "section_key": "", "lines": [None, None], "quote": r.report["org"] or r.name}
        for n, r in enumerate(found, 1)
    ]  # fmt: skip
    for fact, r in zip(facts, found, strict=True):
        fact["source"] = r.report["source_name"]
    result = float(len(found)) if counting else None
    status = "value" if found else "no_report"
    orgs = list(dict.fromkeys(r.name for r in found))
    return SqlAnswer(text, status, result, facts, q.log, citations, orgs, reasons)


def _convert(r: Reading, unit: str | None) -> Decimal | None:
    """`r`'s value in the money `unit` asked for (0.092万元 → 920元), by exact decimal
    arithmetic; None when no conversion is asked for or possible."""
    if r.value is None or not unit or unit == r.unit or {unit, r.unit} - MONEY.keys():
        return None
    value = Decimal(repr(r.value)) * MONEY[r.unit] / MONEY[unit]
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def _part(u: Understanding) -> bool:
    """The question asks for a part of a total: 其中今日高平APP发了多少, of which…"""
    return u.part_of_total


def _probe(u: Understanding) -> tuple[list[str], str]:
    """Chinese content words of the question (English goes through the glossary) and the unit
    it asks for (多少条 → 条)."""
    return [*u.topics, *u.terms_zh], u.count_unit
