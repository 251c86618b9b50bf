"""The words of numeric answers, in Chinese or English: one sentence per reading, plus the lines
for comparisons, trends, lists, totals, extremes, rankings and report listings.

    >>> from bot.question.lexicon import lookup
    >>> from index.queries import Reading
    >>> report = {"org": "大峪镇人民政府", "org_short": "大峪镇", "org_level": "镇", "year": 2025}
    >>> reading = Reading(report, lookup("行政处罚")[0].metric, "value", 30.0, "件")
    >>> sentence(reading, zh=True)
    '大峪镇2025年行政处罚（本年处理决定数量）为30件。'
    >>> sentence(reading, zh=False)
    'In 2025, Dayu town (大峪镇) reported administrative penalties (decisions this year): 30.'

Numbers are printed as stored (30, not 30.0; 0.092 万元), organisations by their short name (in
English with the pinyin in front), blank cells as "not reported" and never as 0, cells that could
not be read from the table as such (with the parser's reason), never as blank or 0.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bot.question.lexicon import Metric
from index.queries import Reading
from parsers.aliases import english_name
from parsers.meta import short_name
from parsers.vocabulary import (
    LEVEL_GROUPS,
    LEVELS,
    PLACE_LEVELS,
    number_text,
    org_name,
    pool_en,
    pool_zh,
)

UNIT_EN = {"件": "", "起": "", "个": "", "份": "", "次": " times", "条": " items", "项": " items"}
UNIT_EN |= {"万元": " 万元 (10,000 yuan)", "人次": " person-times"}
LEVEL_EN = {level: LEVELS[level][0] for level in PLACE_LEVELS}  # Dayu town (大峪镇)
POOL_ZH = {level: pool_zh(level) for level in (*LEVELS, *LEVEL_GROUPS)}
POOL_EN = {level: pool_en(level) for level in (*LEVELS, *LEVEL_GROUPS)}
# A long list names this many organisations and says how many more there are (all of them are
# in the answer's `orgs`; its facts and citations are those of the ones named).
SHOWN = 30
OP_WORDS = {"gt": ("超过", "more than"), "ge": ("不少于", "at least"), "lt": ("少于", "fewer than")}
OP_WORDS |= {"le": ("不超过", "at most"), "eq": ("为", "equal to")}


@dataclass
class Scope:
    """What an aggregate ranges over, as words: 2025年 / in 2025, 各镇 / towns, a note when the
    year was chosen for the user, and whether names need their year (several years)."""

    when: str
    pool: str
    note: str = ""
    span: bool = False


num = number_text


def unit_en(unit: str) -> str:
    return UNIT_EN.get(unit, f" {unit}" if unit else "")


def label(what: Metric | None, zh: bool, topics: list[str] | None = None) -> str:
    """行政处罚（本年处理决定数量） / administrative penalties (decisions this year)."""
    if what is None:
        return "、".join((topics or [])[:2]) if zh else "the number stated in the text"
    if not zh:
        return what.label_en
    row, _, col = what.label_zh.partition("·")
    return f"{row}（{col}）" if col else row


def who(r: Reading, zh: bool, with_year: bool = False) -> str:
    name, level = r.name, r.report["org_level"]
    if not zh and not (r.report["org_short"] or r.report["org"]) and not r.label:
        name = org_name(r.report, "en")
    elif not zh and level == "部门" and (english := english_name(r.report["org"] or "")):
        name = f"{english} ({name})"  # Putian Municipal Science and Technology Bureau (莆田市…)
    if not zh and level in LEVEL_EN:
        base = re.sub(r"(街道|镇|乡|县|区|市)$", "", r.report["org_short"] or name)
        if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", base):
            from pypinyin import lazy_pinyin  # loaded already for English questions

            name = f"{''.join(lazy_pinyin(base)).capitalize()} {LEVEL_EN[level]} ({name})"
    # the report's title spells the name otherwise: say so, it may be how the question put it
    misprints = json.loads(r.report.get("aliases") or "[]")
    if misprints:
        said = short_name(misprints[0]) if r.name == r.report["org_short"] else misprints[0]
        name += f"（报告标题作“{said}”）" if zh else f' (the report\'s title says "{said}")'
    if with_year and r.report["year"]:
        return f"{name}{r.report['year']}年" if zh else f"{name} {r.report['year']}"
    return name


def sentence(r: Reading, zh: bool) -> str:
    """One reading: value, reported zero, blank, not read from the table, no such row, or a
    number from the text."""
    name, year, n, unit = who(r, zh), r.report["year"], num(r.value), r.unit
    what = label(r.metric, zh) if r.metric else ""
    if r.unread:
        return _unread(r, zh, name, what)
    if r.text_fact:
        f = r.text_fact
        said = f"{n}{'余' if f['approx'] else ''}{unit}" if zh else f"{n}{unit_en(unit)}"
        if zh:
            where = f"{what}：表格中没有该项，" if what else ""
            return f"{name}{year}年{where}报告正文写明“{f['quote']}”（{said}）。"
        where = f" has no table row for {what}; its text" if what else ""
        return f"{name}'s {year} report{where} states “{f['quote']}” ({said})."
    if r.metric is None:
        if zh:
            return f"{name}{year}年的报告正文中没有找到对应的数字。"
        return f"{name}'s {year} report states no such number."
    if r.status == "blank":
        if zh:
            return f"{name}{year}年{what}：该栏为空，报告未填报（不是0）。"
        return f"{name}'s {year} report leaves {what} blank (not reported, not zero)."
    if r.status == "missing":
        if zh:
            return f"{name}{year}年的报告中没有该项数据（{what}）。"
        return f"{name}'s {year} report has no such table row ({what})."
    if zh:
        note = "（报告填报为0）" if r.status == "zero" else ""
        note = "（报告未印出该栏，按表内合计推定为0）" if r.inferred else note
        note += "（部分栏目为空，仅合计已填报的）" if r.partial else ""
        return f"{name}{year}年{what}为{n}{unit}{note}。"
    note = " (the report fills in 0)" if r.status == "zero" else ""
    note = " (not printed; inferred as 0 from the table's totals)" if r.inferred else note
    note += " (some cells blank; only the filled ones summed)" if r.partial else ""
    return f"In {year}, {name} reported {what}: {n}{unit_en(unit)}{note}."


def _unread(r: Reading, zh: bool, name: str, what: str) -> str:
    """A cell the parser could not read from the report's table: said so with why (never blank,
    never 0), and the number the report's text gives for it, with its line, if any."""
    year, why, part = r.report["year"], r.why_unread, len(r.cells) > 1
    if zh:
        some = f"{len(r.cells)}栏中有{len(r.unread)}栏未读出；" if part else ""
        why = f"（{some}原因：{why}）" if why else (f"（{some.rstrip('；')}）" if some else "")
        text = f"{name}{year}年{what}：该报告的这一项未能从表格中读出{why}。"
    else:
        some = f"{len(r.unread)} of its {len(r.cells)} cells; " if part else ""
        why = f" ({some}{why})" if why else (f" ({some.rstrip('; ')})" if some else "")
        text = (
            f"In {year}, {name}: {what} — this cell could not be read from the report's table{why}."
        )
    f = r.text_fact
    if f is None:
        return text
    n, unit = num(r.value), r.unit
    if zh:
        said = f"{n}{'余' if f['approx'] else ''}{unit}"
        return text.removesuffix("。") + f"；报告正文第{f['line']}行写明“{f['quote']}”（{said}）。"
    said = f"{n}{unit_en(unit)}"
    return text + f" The report's text states, line {f['line']}: “{f['quote']}” ({said})."


def no_report(org: str, years: list[int], have: tuple[int, ...], zh: bool) -> str:
    sep = "、" if zh else ", "
    asked, other = sep.join(map(str, years)), sep.join(map(str, have)) or "—"
    if zh:
        return f"未收录{org}{asked}年的报告（已收录：{other}）。"
    return f"No {asked} report for {org} is indexed (indexed: {other})."


def compare(readings: list[Reading], zh: bool) -> str:
    have = [r for r in readings if r.value is not None]
    if len(have) < 2:
        return ""
    hi, lo = max(have, key=lambda r: r.value), min(have, key=lambda r: r.value)
    unit = have[0].unit
    if hi.value == lo.value:
        return (
            f"数值相同，均为{num(hi.value)}{unit}。" if zh else f"They are equal ({num(hi.value)})."
        )
    span = len({r.report["year"] for r in have}) > 1
    a, b, d = who(hi, zh, span), who(lo, zh, span), num(hi.value - lo.value)
    return f"{a}比{b}多{d}{unit}。" if zh else f"{a} is higher than {b} by {d}{unit_en(unit)}."


def trend(readings: list[Reading], zh: bool) -> str:
    have = [r for r in readings if r.value is not None]
    if len(have) < 2:
        return ""
    first, last = have[0], have[-1]
    d, unit = last.value - first.value, first.unit
    span = f"{first.report['year']}–{last.report['year']}"
    if zh:
        change = "持平" if d == 0 else f"{'增加' if d > 0 else '减少'}{num(abs(d))}{unit}"
        return f"{span}年变化：{change}。"
    change = "unchanged" if d == 0 else f"{'up' if d > 0 else 'down'} {num(abs(d))}"
    return f"Change {span}: {change}."


def items(readings: list[Reading], zh: bool, span: bool) -> str:
    """The first `SHOWN` of `readings` with their values, and how many more there are."""
    if not readings:
        return "无" if zh else "none"
    return ("、" if zh else ", ").join(item(r, zh, span) for r in readings[:SHOWN]) + _more(
        readings, zh
    )


def _more(readings: list, zh: bool) -> str:
    rest = len(readings) - SHOWN
    if rest <= 0:
        return ""
    return f"等（另有{rest}个未列出）" if zh else f", … ({rest} more not shown)"


def item(r: Reading, zh: bool, span: bool) -> str:
    text = r.metric is not None and r.text_fact is not None  # no cell: the number is in the text
    unread = bool(r.unread)  # the cell could not be read; the text gives the number
    if zh:
        where = "，表格未读出" * unread + "，取自正文" * text
        return f"{who(r, zh, span)}（{num(r.value)}{r.unit}{where}）"
    where = " (table cell unread; from the text)" if unread else " (from the text)" * text
    return f"{who(r, zh, span)}: {num(r.value)}{unit_en(r.unit)}{where}"


def aggregate(intent: str, zh: bool, s: Scope, what: str, listing: list[Reading], **kw) -> str:
    """The line for list/count/threshold (kw: op, n), total (kw: result) and max/min/rank."""
    cap = s.when[:1].upper() + s.when[1:]
    unit = kw.get("unit") or (listing[0].unit if listing else "")
    if intent in ("list", "count", "threshold"):
        op, n = kw["op"], kw["n"]
        cond = (
            f"{OP_WORDS[op][0]}{num(n)}{unit if n else ''}" if zh else f"{OP_WORDS[op][1]} {num(n)}"
        )
        if zh:
            return f"{s.when}{s.pool}中{what}{cond}的有{len(listing)}个{s.note}：{items(listing, zh, s.span)}。"
        pool = _singular(s.pool) if len(listing) == 1 else s.pool
        return (
            f"{cap}, {len(listing)} {pool} had {what} {cond}{s.note}: {items(listing, zh, s.span)}."
        )
    if intent == "total":
        total = num(kw["result"])
        if zh:
            return (
                f"{s.when}{s.pool}{what}合计{total}{unit}（{len(listing)}份报告）{s.note}："
                f"{items(listing, zh, s.span)}。"
            )
        return (
            f"{cap}, {what} across {len(listing)} {s.pool} add up to {total}{unit_en(unit)}"
            f"{s.note}: {items(listing, zh, s.span)}."
        )
    if intent in ("max", "min"):
        most = (
            ("最多" if intent == "max" else "最少")
            if zh
            else ("most" if intent == "max" else "least")
        )
        if zh:
            return f"{s.when}{s.pool}中{what}{most}的是{items(listing, zh, s.span)}{s.note}。"
        return f"{cap}, the {most} {what} among {s.pool}{s.note}: {items(listing, zh, s.span)}."
    ranked = "；".join(f"{i}. {item(r, zh, s.span)}" for i, r in enumerate(listing[:SHOWN], 1))
    ranked += _more(listing, zh).replace(", …", "; …") if len(listing) > SHOWN else ""
    if zh:
        return f"{s.when}{s.pool}按{what}排名{s.note}：{ranked}。"
    return f"{cap}, {s.pool} ranked by {what}{s.note}: {ranked.replace('；', '; ')}."


def not_read(readings: list[Reading], zh: bool, span: bool) -> str:
    """The reports whose cell could not be read from the table, so were not counted."""
    if not readings:
        return ""
    names = ("、" if zh else ", ").join(who(r, zh, span) for r in readings[:SHOWN])
    names += _more(readings, zh)
    if zh:
        return f"其中{names}的该项未能从表格中读出，未计入。"
    return f" Not counted: {names} — this cell could not be read from the report's table."


def not_reported(readings: list[Reading], zh: bool, span: bool) -> str:
    if not readings:
        return ""
    names = ("、" if zh else ", ").join(who(r, zh, span) for r in readings[:SHOWN])
    names += _more(readings, zh)
    return f"未填报或无此项（不计为0）：{names}。" if zh else f" Not reported (not 0): {names}."


def reports(found: list[Reading], zh: bool, s: Scope, orgs: list[str]) -> str:
    """Which reports are indexed: an organisation's years, or the organisations of a year."""
    if orgs:
        if zh:
            years = "、".join(f"{r.report['year']}年" for r in found) or "无"
            return f"已收录{'、'.join(orgs)}的报告：{years}。"
        return f"Indexed reports: {', '.join(who(r, zh, True) for r in found) or 'none'}."
    names = ("、" if zh else ", ").join(who(r, zh, s.span) for r in found) or "—"
    if zh:
        return f"{s.when}已收录{s.pool}的报告{len(found)}份：{names}。"
    of, when = f" of {s.pool}" if s.pool else "", s.when.replace("in ", "for ")
    return f"{len(found)} annual reports{of} are indexed{' ' * bool(when)}{when}: {names}."


def _singular(pool: str) -> str:
    """towns → town, counties → county, cities → city (for "1 town had …")."""
    for plural, one in (("ies", "y"), ("s", "")):
        if pool.endswith(plural):
            return pool[: -len(plural)] + one
    return pool
