"""The words the bot understands: template metrics, question cue words and numbers.

Rows, columns, labels and their synonyms come from `parsers.template` (the one source of template
knowledge). This module adds only what has no row there: row groups that are summed (不予公开,
行政诉讼), whole tables, numbers that live in the narrative (发布信息多少条, 信息处理费), report
sections, and the cue words of questions (多少, 最多, which towns, more than …).

    >>> from bot.question.lexicon import scan_terms
    >>> [(text, entries[0].metric.row) for _, _, text, entries in scan_terms("大峪镇行政处罚多少件")]
    [('行政处罚', 'administrative_penalty')]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from parsers import template as T
from parsers.normalize import to_simplified
from parsers.template import Metric
from parsers.vocabulary import SECTION_TERMS


@dataclass(frozen=True)
class Entry:
    """One meaning of a user term: a metric, a column of a table, or a narrative-only number."""

    metric: Metric | None = None
    col: tuple[str, str] | None = None  # (table, col_key)
    narrative: bool = False
    generic: bool = False  # a vague metric term that yields to any more specific one


# Row groups that must be summed: (table, group) -> (zh, en, terms, member rows).
ROWGROUPS: dict[tuple[str, str], tuple[str, str, tuple[str, ...], tuple[str, ...]]] = {
    ("requests", "denied"): (
        "不予公开",
        "not disclosed",
        ("不予公开", "不公开", "拒绝公开", "not disclosed", "withheld", "refused", "denied"),
        tuple(r.key for r in T.REQUEST_ROWS if r.group == "denied"),
    ),
    ("requests", "unable"): (
        "无法提供",
        "unable to provide",
        ("无法提供", "unable to provide"),
        tuple(r.key for r in T.REQUEST_ROWS if r.group == "unable"),
    ),
    ("requests", "not_processed"): (
        "不予处理",
        "not processed",
        ("不予处理", "not processed"),
        tuple(r.key for r in T.REQUEST_ROWS if r.group == "not_processed"),
    ),
    ("requests", "other"): (  # gov2021 prints three sub-rows, gov2019 one row: summing gives both
        "其他处理",
        "other handling",
        ("其他处理", "other handling"),
        tuple(r.key for r in T.REQUEST_ROWS if r.group == "other") + ("other_total",),
    ),
    ("review_litigation", "litigation"): (
        "行政诉讼",
        "administrative litigation",
        ("行政诉讼", "诉讼", "起诉", "被起诉", "官司", "litigation", "lawsuits", "court cases"),
        ("litigation_direct", "litigation_after_review"),
    ),
}
TABLE_TERMS = {
    "proactive": ("主动公开", "主动公开情况", "主动公开政府信息情况", "proactive disclosure"),
    "requests": ("收到和处理政府信息公开申请情况", "申请办理情况", "request handling"),
    "review_litigation": (
        "行政复议、行政诉讼",
        "行政复议和行政诉讼",
        "复议和诉讼",
        "复议诉讼",
        "reconsideration and litigation",
    ),
}
# Terms so vague that a more specific metric in the same question wins (申请 in 自然人申请 …).
GENERIC_TERMS = {"申请", "收到", "申请数量", "受理申请", "requests", "request", "applications"}
GENERIC_TERMS |= {"信息公开申请", "依申请公开", "disclosure requests", "information requests"}
GENERIC_TERMS |= {"foi requests"}
# Column terms too common in questions to mean a column ("how did … change").
WEAK_COL_TERMS = {"change", "增"}
LEGAL_PERSON = ("法人或其他组织", "法人", "legal persons", "organisations", "organizations")
# Numbers that are not template cells but are stated in the narrative (text_facts).
NARRATIVE_TERMS = (
    *("信息处理费", "处理费", "发布信息", "发布", "条信息", "网站", "政府网站", "门户网站", "专区"),
    *("专栏", "栏目", "培训", "会议", "新媒体", "政务新媒体", "公众号", "微信", "微博", "公开栏"),
    *("政策解读", "解读", "更新", "浏览量", "访问量"),
    *("processing fee", "information processing fee", "posted", "posts", "website", "portal"),
    *("special section", "column", "training", "trainings", "trained", "sessions", "meetings"),
    *("wechat", "weibo", "new media", "bulletin board", "updated", "page views"),
    *("publish", "published", "proactively published", "proactively publish"),
)
# The reports themselves (哪些单位有年报, how many annual reports): a listing, not a table metric.
REPORTS = Metric("reports", None, None, "reports", "年度报告", "annual reports")
REPORT_TERMS = ("年报", "年度报告", "工作年度报告", "政府信息公开年报", "报告", "annual report")
# --- cue words (matched on simplified, ASCII-lower-cased text) ---------------------------------
_W = r"(?<![a-z])"  # English word start
CUES = {
    "compare": r"比较|对比|相比|哪个|谁|比|差距|更多|更少"
    rf"|{_W}(?:compare|comparison|versus|vs|difference|which|more|fewer|less|higher|lower)\b",
    "trend": r"变化|趋势|历年|逐年|每年|各年|走势|增长|下降|增加|减少|变动|这几年|近几年|多年来"
    rf"|{_W}chang(?:e|ed|es|ing)\b|{_W}trends?\b|over the years|over time|year by year|each year"
    rf"|every year|{_W}increas|{_W}decreas|{_W}gr[eo]w|{_W}evolv|{_W}histor",
    "rank": r"排名|排序|排个序|排行|名次|从高到低|从多到少|从大到小|从低到高|从少到多"
    rf"|{_W}rank|{_W}sort(?:ed)?\b|{_W}order(?:ed)? by\b",
    "max": rf"最多|最高|最大|{_W}(?:most|highest|largest|biggest|maximum|max|greatest)\b",
    "min": rf"最少|最低|最小|{_W}(?:fewest|least|lowest|smallest|minimum|min)\b",
    "total": r"总共|一共|合计|总和|共计|加起来|累计|总量|汇总"
    rf"|{_W}(?:total|altogether|sum|combined|overall)\b|across all",
    "list": rf"哪些|哪几个|有哪|列出|列举|名单|{_W}(?:which|list)\b|name the",
    "number": r"多少|几[件个次条项家人起名场篇期份位]|数量|数目|总数|总量|金额|有没有|是否有|[条件次个]数"
    rf"|how many|how much|{_W}(?:number|amount|count|figure|total)\b",
    "prose": r"问题|不足|措施|举措|做法|经验|亮点|如何|怎样|怎么|为什么|为何|原因|做了什么|做了哪些"
    r"|开展了哪些|哪些工作|什么工作|介绍|描述|概述|总结|说明一下|改进|整改|计划|打算"
    rf"|{_W}(?:problems?|issues|shortcomings?|measures?|steps|why|describe|explain|summari[sz]e)\b"
    rf"|what did|what (?:has|have|was|were) (?:been )?done|{_W}improv|{_W}plans?\b|tell me about",
    "how": r"how (?:did|does|do|is|was|were|are|has|have)\b",
    # "issue" is also a verb (how many penalties did it issue): prose only without a number cue
    "weak_prose": rf"情况|工作|怎么样|内容|方面|什么|{_W}(?:overview|situation|work|issue)\b"
    r"|(?<!what )(?<!how )(?<![a-z])about\b",  # what about X? is a follow-up, not a topic
    "zero": rf"(?<!有)没有|未|(?<!不)为零|(?<!不)为\s*0(?![\d.])|{_W}(?<!non-)(?<!non )(?:no|zero|none)\b",
    "how_many": r"多少|几[份个家]|how many",
    "items": r"(?:多少|几)\s*条",  # 条 counts items of information: a narrative number
}
CUE_RE = {name: re.compile(pattern) for name, pattern in CUES.items()}

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
EN_NUMBERS = dict(
    zip(
        "one two three four five six seven eight nine ten eleven twelve fifteen twenty".split(),
        (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 20),
        strict=True,
    )
)
NUM = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+|" + "|".join(EN_NUMBERS) + r")"


def number(text: str) -> float | None:
    """'10' → 10, '十' → 10, '二十五' → 25, '一百零五' → 105, 'three' → 3; None if not a number."""
    text = text.strip().lower()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if text in EN_NUMBERS:
        return float(EN_NUMBERS[text])
    total = section = digit = 0
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            section += (digit or 1) * CN_UNITS[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10000
            section = digit = 0
        else:
            return None
    return float(total + section + digit) if text else None


def normalize(text: str, lower: bool = True) -> str:
    """Question text for matching: NFKC (full-width digits and letters), simplified characters,
    ASCII letters lower-cased (unless `lower=False`). Keeps spaces; keeps the length in practice."""
    text = to_simplified(unicodedata.normalize("NFKC", text))
    return "".join(ch.lower() if ch.isascii() else ch for ch in text) if lower else text


def _key(term: str) -> str:
    return re.sub(r"[\s-]+", " ", normalize(term)).strip()


def plain_label(zh: str) -> str:
    """A printed row label without its numbering: 一、本年新收… → 本年新收…"""
    return re.sub(r"^(?:[一二三四五六七]、|（[一二三四五六七]）|\d\.)", "", zh)


def cell_metric(table: str, row: T.Row, col_key: str) -> Metric:
    col = T.col_def(table, col_key, "gov2021", row.group) or T.col_def(
        table, col_key, "gov2019", row.group
    )
    col_zh, col_en = (col.zh, col.en) if col else ("法人或其他组织", "legal persons")
    zh, en = f"{plain_label(row.zh)}·{col_zh}", f"{row.en} ({col_en})"
    return Metric(table, row.key, col_key, "cell", zh, en, (row.key,))


def with_col(metric: Metric, col_key: str) -> Metric:
    """The same metric read from another column (labels follow)."""
    if metric.kind == "cell":
        return cell_metric(metric.table, T.row_def(metric.table, metric.row), col_key)
    if metric.kind == "rowgroup":
        return _group(metric.table, metric.row, col_key)
    return metric


def _group(table: str, group: str, col_key: str = "total") -> Metric:
    zh, en, _, rows = ROWGROUPS[(table, group)]
    col = T.col_def(table, col_key) if col_key != "legal_person_subtotal" else None
    col_zh, col_en = (col.zh, col.en) if col else ("法人或其他组织", "legal persons")
    return Metric(table, group, col_key, "rowgroup", f"{zh}·{col_zh}", f"{en} ({col_en})", rows)


def table_metrics(table: str) -> list[Metric]:
    """What a whole table's number means (收到多少申请, 行政复议和行政诉讼): requests → new
    requests; reconsideration and litigation → both totals; proactive → none (the text says)."""
    if table == "requests":
        return [cell_metric(table, T.row_def(table, "new_received"), "total")]
    if table == "review_litigation":
        return [
            cell_metric(table, T.row_def(table, "review"), "total"),
            _group(table, "litigation"),
        ]
    return []


def default_col(table: str, row: T.Row) -> str:
    if table != "proactive":
        return "total"
    cols = T.proactive_cols("gov2021", row.group) or T.proactive_cols("gov2019", row.group)
    return cols[0].key


def cols_for(metric: Metric) -> set[str]:
    """The column keys a metric can be read from, in any template."""
    if metric.table == "requests":
        return {c.key for c in T.REQUEST_COLS} | {"legal_person_subtotal"}
    if metric.table == "review_litigation":
        return {c.key for c in T.REVIEW_COLS}
    row = T.row_def("proactive", metric.row or "")
    return {c.key for (_, g), cs in T.ART20_COLS.items() for c in cs if row and g == row.group}


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, tuple[Entry, ...]]:
    """Every user term (normalised) → its meanings."""
    vocab: dict[str, list[Entry]] = {}

    def add(term: str, entry: Entry, override: bool = False) -> None:
        key = _key(term)
        keys = [key]
        if key.isascii() and key.endswith("s") and not key.endswith("ss"):
            keys.append(key[:-1])  # penalties/penalty are both listed; requests → request
        for k in keys:
            if override:
                vocab[k] = [e for e in vocab.get(k, []) if e.metric is None]
            if entry not in vocab.setdefault(k, []):
                vocab[k].append(entry)

    for table, rows in (
        ("proactive", T.PROACTIVE_ROWS),
        ("requests", T.REQUEST_ROWS),
        ("review_litigation", T.REVIEW_ROWS),
    ):
        for row in rows:
            metric = cell_metric(table, row, default_col(table, row))
            label = plain_label(row.zh)
            for term in (*row.terms, row.en, *([label] if len(label) > 2 else [])):
                add(term, Entry(metric, generic=_key(term) in GENERIC_TERMS))
    for cols in T.ART20_COLS.values():
        for col in cols:
            for term in (*col.terms, col.zh, col.en):
                if _key(term) not in WEAK_COL_TERMS:
                    add(term, Entry(col=("proactive", col.key)))
    for table, cols in (("requests", T.REQUEST_COLS), ("review_litigation", T.REVIEW_COLS)):
        for col in cols:
            if col.key != "total":
                for term in col.terms:
                    add(term, Entry(col=(table, col.key)))
    for term in LEGAL_PERSON:
        add(term, Entry(col=("requests", "legal_person_subtotal")))
    for (table, group), (_, _, terms, _) in ROWGROUPS.items():
        for term in terms:
            add(term, Entry(_group(table, group)), override=True)
    for table, terms in TABLE_TERMS.items():
        info = T.TABLES[table]
        metric = Metric(table, None, None, "table", info["zh"], info["en"])
        for term in terms:
            add(term, Entry(metric), override=True)
    for term in NARRATIVE_TERMS:
        add(term, Entry(narrative=True), override=True)
    for term in REPORT_TERMS:
        add(term, Entry(REPORTS, generic=True))
    return {k: tuple(v) for k, v in vocab.items()}


@lru_cache(maxsize=1)
def _scanner() -> re.Pattern[str]:
    parts = []
    for term in sorted(vocabulary(), key=len, reverse=True):
        if term.isascii():
            body = re.escape(term).replace(r"\ ", r"[\s-]+")
            # not inside a hyphenated compound: reward-and-penalty mechanism is no penalty
            parts.append(rf"(?<![a-z0-9])(?<![a-z]-){body}(?:e?s)?(?![a-z0-9])(?!-[a-z])")
        else:
            parts.append(re.escape(term))
    return re.compile("|".join(parts))


def lookup(text: str) -> tuple[Entry, ...]:
    vocab, key = vocabulary(), _key(text)
    for k in (key, key[:-1], key[:-2]):
        if k in vocab:
            return vocab[k]
    return ()


def scan_terms(text: str) -> list[tuple[int, int, str, tuple[Entry, ...]]]:
    """Known terms in normalised `text`, leftmost-longest, as (start, end, text, meanings)."""
    return [(m.start(), m.end(), m.group(), lookup(m.group())) for m in _scanner().finditer(text)]


def is_term(text: str) -> bool:
    """True if `text` is a metric or narrative term (such a word is never an organisation name)."""
    return _key(text) in vocabulary()


def sections_in(text: str) -> list[str]:
    """Report sections a question points at, e.g. 问题 → problems_improvements."""
    return [key for key, terms in SECTION_TERMS.items() if any(_key(t) in text for t in terms)]
