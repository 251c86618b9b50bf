"""Readers for the slots of a question: years, thresholds, level, metrics, intent and topics.

Each `read_*` fills part of an `Understanding` from normalised question text and hides (masks) the
text it used, so later readers do not read it twice. `bot.question.understand` runs them in order.

    >>> from bot.question.slots import follow_up_cue, years_in
    >>> years_in("大峪镇2021到2025年行政处罚变化")
    [2021, 2022, 2023, 2024, 2025]
    >>> follow_up_cue("那2021年呢？")
    '那'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.question.lexicon import (
    CN_DIGITS,
    EN_NUMBERS,
    NUM,
    Metric,
    cell_metric,
    cols_for,
    number,
    scan_terms,
    with_col,
)
from bot.question.model import AGGREGATES, OrgRef, Understanding  # noqa: F401
from parsers import template as T
from parsers.vocabulary import EN_LEVEL_WORDS, ZH_LEVEL_WORDS

Hide = Callable[[int, int], None]
CJK = re.compile(r"[\u4e00-\u9fff]")
YEAR_TAIL = r"(?!\d)\s*(?:年度|年)?"
RANGE = re.compile(
    rf"(?<!\d)(20\d\d)\s*(?:年度|年)?\s*(?:到|至|-|–|—|~|to|through|until)\s*(20\d\d){YEAR_TAIL}"
    rf"|between\s+(20\d\d)\s+and\s+(20\d\d){YEAR_TAIL}"
)
CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})\s*年")
RECENT = re.compile(
    r"(?:最近|近)\s*([一二两三四五六七八九十\d]+)\s*年"
    r"|(?:last|past|previous)\s+(\d+|two|three|four|five|six|seven|eight|nine|ten)\s+years"
)
YEAR = re.compile(
    r"(?<![\d.])(?:fy\s?)?(20\d\d)(?![\d.])(?!\s*[件条项个次元万篇份人家起名场%])\s*(?:年度|年)?"
)
RELATIVE = {"前年": -1, "the year before last": -1, "去年": 0, "last year": 0}
RELATIVE |= {"今年": 0, "this year": 0}  # reports come out a year late: both mean the newest
# Aggregates over every indexed year (which towns … in any year): no year to ask for.
ALL_YEARS = re.compile(r"any year|all years|every year|历年|各年|所有年份|任何一年|每一年")
NOW = ("今年", "this year")  # with an explicit year (2024年…this year) it means that year
RELATIVE_RE = re.compile("|".join(sorted(RELATIVE, key=len, reverse=True)))
OPS = {"不少于": "ge", "不低于": "ge", "至少": "ge", "不超过": "le", "不多于": "le", "不高于": "le"}
OPS |= {"至多": "le", "超过": "gt", "多于": "gt", "大于": "gt", "高于": "gt", "超出": "gt"}
OPS |= {"少于": "lt", "低于": "lt", "小于": "lt", "不到": "lt", "不足": "lt", "等于": "eq"}
OPS |= {"no more than": "le", "not more than": "le", "at most": "le", "no fewer than": "ge"}
OPS |= {"no less than": "ge", "at least": "ge", "more than": "gt", "greater than": "gt"}
OPS |= {"over": "gt", "above": "gt", "exceeding": "gt", "exceeds": "gt", "fewer than": "lt"}
OPS |= {"less than": "lt", "under": "lt", "below": "lt", "exactly": "eq", "equal to": "eq"}
_OPS = "|".join(sorted(OPS, key=len, reverse=True))
NOT_YEARS = r"(?![\d.a-z])(?!\s*(?:years?|年))"
THRESHOLD = re.compile(rf"(?<![a-z])({_OPS})\s*{NUM}{NOT_YEARS}")
THRESHOLD_AFTER = re.compile(
    rf"{NUM}\s*(?:件|条|项|个|次|万元|元)?\s*(及以上|或以上|以上|及以下|或以下|以下|以内)"
)
THRESHOLD_OR = re.compile(rf"(?<![a-z]){NUM}\s+(?:[a-z]+\s+)?or\s+(more|fewer|less)(?![a-z])")
AFTER_OPS = {"以上": "ge", "以下": "le", "以内": "le", "more": "ge", "fewer": "le", "less": "le"}
RANK = re.compile(
    rf"前\s*(\d+|[一二两三四五六七八九十]+)\s*(?:名|个|位)?|(?<![a-z])top[\s-]*(\d+|{'|'.join(EN_NUMBERS)})(?![a-z])"
)
ZH_COUNT = ("有多少个", "有几个", "多少个", "几个")
LEVEL_ZH = re.compile(
    r"(哪些|哪个|哪一个|哪几个|各个|各|所有|全部|每个|每一个|有多少个|有几个|多少个|几个|其他|其余|按)"
    rf"({'|'.join(sorted(ZH_LEVEL_WORDS, key=len, reverse=True))})"
    r"|()的(乡镇|街道|镇|乡|县|区|部门)(?=$|[^\u4e00-\u9fff]|有|中|里|是|之中|当中|排名|排序)"
    r"|()(乡镇)"
)
EN_LEVELS = {word: level for word, (_, level) in EN_LEVEL_WORDS.items() if level}
LEVEL_EN = re.compile(
    r"(?<![a-z])(?:(how many|number of|which|what|each|every|all|any|other|among)\s+(?:(?:of\s+)?the\s+)?)?"
    r"(townships?|towns?|sub[\s-]?districts?|streets?|counties|county|districts?|departments?"
    r"|agency|agencies|bureaus?|cities|city)(?![a-z])"
)
FOLLOW_UP = re.compile(
    r"^\s*(那么|那|还有|再看|and|what about|how about|same for|also)(?![a-z])|(呢)\s*[?？。!！]*\s*$",
    re.IGNORECASE,
)
TOPIC_STOP = re.compile(
    r"请问|哪些|哪个|哪几个|哪里|哪儿|何处|什么|谁|多少|如何|怎样|怎么样|怎么|是否|有没有|存在|主要|一下|情况|方面|进行"
    r"|开展|以及|做了|采取了|采取|分别|一共|总共|合计|排名|最多|最少|比较|对比|变化|超过|相比|没有|几[件个次条项]?"
    r"|[呢吗吧啊的了和与及]|[^\u4e00-\u9fffa-z0-9]"
)
EN_STOPWORDS = set(
    "what which how did does do the and for with many much have has had was were are is there "
    "this that about any its their town towns year years report reports more than most least "
    "from into over each every all between compare who whom why when where been done tell receive "
    "received top rank ranked total across change changed changes trend show give list".split()
)


def _add_years(u: Understanding, years: Sequence[int], text: str) -> None:
    u.years = sorted(set(u.years) | {y for y in years if 2000 <= y <= 2099})
    shown = f"{years[0]}–{years[-1]}" if len(years) > 2 else ", ".join(map(str, years))
    u.reasons.append(f"year{'s' * (len(years) > 1)} {shown} from '{text.strip()}'")


def read_years(u: Understanding, text: str, latest_year: int | None, hide: Hide) -> None:
    """2025, 2025年, 二〇二五年, FY2024, 2021到2025年, between 2021 and 2025, 近三年, 去年."""
    chars, terms = list(text), None
    for rx in (RANGE, CN_YEAR, RECENT, YEAR, RELATIVE_RE):
        for m in rx.finditer("".join(chars)):
            if rx in (RECENT, RELATIVE_RE):
                terms = _term_spans(text) if terms is None else terms
                if any(
                    a <= m.start() and m.end() <= b and b - a > len(m.group()) for a, b in terms
                ):
                    u.reasons.append(f"'{m.group()}' is part of a metric name, not a year")
                    continue  # carried over from last year, change this year: not a year
            chars[m.start() : m.end()] = "\0" * (m.end() - m.start())
            if rx is RANGE:
                a, b = (int(g) for g in m.groups() if g)
                years = list(range(a, b + 1)) if a <= b <= a + 30 else [a, b]
            elif rx is CN_YEAR:
                years = [int("".join(str(CN_DIGITS[c]) for c in m.group(1)))]
            elif rx is YEAR:
                years = [int(m.group(1))]
            else:
                n = number(m.group(1) or m.group(2)) if rx is RECENT else None
                if latest_year is None:
                    u.relative_year = m.group()
                    u.reasons.append(f"relative year '{m.group()}' not resolved: no latest year")
                    hide(*m.span())
                    continue
                if rx is RELATIVE_RE and RELATIVE[m.group()] == 0 and u.years and m.group() in NOW:
                    u.reasons.append(f"'{m.group()}' read as the year already named")
                    hide(*m.span())
                    continue
                if rx is RECENT:
                    years = list(range(latest_year - int(n or 1) + 1, latest_year + 1))
                else:
                    years = [latest_year + RELATIVE[m.group()]]
                u.relative_year = m.group()
            _add_years(u, years, m.group())
            hide(*m.span())


def _term_spans(text: str) -> list[tuple[int, int]]:
    """Where the metric and column phrases of `text` are (lexicon terms)."""
    return [(start, end) for start, end, _, _ in scan_terms(text)]


def years_in(text: str, latest_year: int | None = None) -> list[int]:
    """The years a text names (for tests and tools)."""
    u = Understanding(text)
    read_years(u, text, latest_year, lambda a, b: None)
    return u.years


def _num(text: str) -> float | int:
    value = number(text) or 0.0
    return int(value) if value == int(value) else value


def read_numbers(u: Understanding, text: str, hide: Hide) -> dict[str, str | None]:
    """Thresholds (超过10件, more than ten, 10件以上, 5 or more) and rank limits (前3, top 3)."""
    cues: dict[str, str | None] = {"threshold": None, "rank_limit": None}
    m = THRESHOLD.search(text)
    if m:
        u.threshold = (OPS[m.group(1)], _num(m.group(2)))
    elif m := THRESHOLD_AFTER.search(text) or THRESHOLD_OR.search(text):
        u.threshold = (AFTER_OPS[m.group(2).lstrip("及或")], _num(m.group(1)))
    if m:
        cues["threshold"] = m.group()
        u.reasons.append(f"threshold {u.threshold[0]} {u.threshold[1]} from '{m.group()}'")
        hide(*m.span())
    if m := RANK.search(text):
        u.rank_limit = int(_num(m.group(1) or m.group(2)))
        cues["rank_limit"] = m.group()
        u.reasons.append(f"rank limit {u.rank_limit} from '{m.group()}'")
        hide(*m.span())
    return cues


def read_level(u: Understanding, text: str, hide: Hide) -> tuple[str | None, bool]:
    """The kind of organisation a question ranges over (哪些镇, 各街道, which towns, counties).
    Returns (the text that said so, whether it asks how many)."""
    for m in LEVEL_ZH.finditer(text):
        quantifier = m.group(1) or ""
        idx = next(i for i in (2, 4, 6) if m.group(i))
        u.level = ZH_LEVEL_WORDS[m.group(idx)] or None
        hide(*m.span(idx))
        u.reasons.append(f"level {u.level or 'any'} from '{m.group()}'")
        return m.group(), quantifier in ZH_COUNT
    for m in LEVEL_EN.finditer(text):
        word = re.sub(r"[\s-]", "", m.group(2))
        word = {"counties": "county", "agencies": "agency", "cities": "city"}.get(word, word)
        plural = word.endswith("s") or word != re.sub(r"[\s-]", "", m.group(2))
        if not (m.group(1) or plural):
            continue
        u.level = EN_LEVELS[word.rstrip("s")]
        hide(*m.span(2))
        u.reasons.append(f"level {u.level} from '{m.group()}'")
        return m.group(), m.group(1) in ("how many", "number of")
    return None, False


def with_applicant(metric: Metric, applicant: str | None) -> Metric:
    if applicant and metric.table == "requests" and metric.kind != "table":
        return with_col(metric, applicant)
    return metric


def read_terms(u: Understanding, hits: list, number_cue: bool, listing: bool = False) -> None:
    """Metrics, columns, applicant and narrative numbers from `lexicon.scan_terms` hits.
    `listing`: the question asks which or how many (哪些单位有年报 reads the reports)."""
    named = {
        e.metric.table
        for *_, entries in hits
        for e in entries
        if e.metric and not e.generic and not any(x.col for x in entries)
    }
    found, cols, narrative = [], [], []
    for _, _, term, entries in hits:
        if any(e.narrative for e in entries):
            narrative.append(term)
            continue
        has_metric = any(e.metric for e in entries)
        as_col = [e.col for e in entries if e.col and (e.col[0] in named or not has_metric)]
        cols += [(term, c) for c in as_col]
        found += [(term, e.metric, e.generic) for e in entries if e.metric and not as_col]
    reports = [f for f in found if f[1].kind == "reports"]
    found = [f for f in found if f[1].kind != "reports"]
    if reports and not found and not (narrative and number_cue) and listing:
        found = reports[:1]
    if any(not generic for *_, generic in found):
        for term in dict.fromkeys(t for t, _, generic in found if generic):
            u.reasons.append(f"'{term}' taken as context for the more specific metric")
        found = [f for f in found if not f[2]]
    for term, metric, _ in found:
        if metric.kind == "rowgroup" and any(m.row in metric.rows for _, m, _ in found):
            u.reasons.append(f"'{term}' read as the group of a more specific row")
        elif metric not in u.metrics:
            u.metrics.append(metric)
            u.reasons.append(f"metric {metric.row or metric.table} from '{term}'")
    for term, (table, col) in cols:
        if table == "requests":
            if u.applicant is None:
                u.applicant = col
                u.reasons.append(f"applicant {col} from '{term}'")
            continue
        targets = [i for i, m in enumerate(u.metrics) if m.kind != "table" and m.table == table]
        targets = [i for i in targets if col in cols_for(u.metrics[i])]
        for i in targets:
            u.metrics[i] = with_col(u.metrics[i], col)
        if not targets and table == "proactive" and not any(m.table == table for m in u.metrics):
            rows = _rows_with(col, "gov2021") or _rows_with(col, "gov2019")
            u.metrics += [cell_metric(table, r, col) for r in rows]
            targets = rows
        u.reasons.append(
            f"column {col} from '{term}'"
            if targets
            else f"column '{term}' has no row here; ignored"
        )
    if u.applicant:
        if number_cue and not any(m.table == "requests" for m in u.metrics):
            u.metrics.append(
                cell_metric("requests", T.row_def("requests", "new_received"), "total")
            )
            u.reasons.append("metric new_received implied by the applicant")
        u.metrics = [with_applicant(m, u.applicant) for m in u.metrics]
    table_only = u.metrics and all(m.kind == "table" and m.table == "proactive" for m in u.metrics)
    if number_cue and (narrative or table_only):
        u.narrative_number = True
        u.reasons.append(f"narrative number from '{(narrative or ['主动公开'])[0]}'")
        if table_only:
            u.metrics = []  # table 二 has no total: 主动公开信息多少条 is stated in the text


def _rows_with(col: str, template: str) -> list[T.Row]:
    """Table 二 rows that have column `col` in `template` (废止 → 规章 and 行政规范性文件)."""
    rows = T.proactive_rows(template)
    return [r for r in rows if col in {c.key for c in T.proactive_cols(template, r.group)}]


def read_intent(u: Understanding, cues: dict[str, str | None]) -> None:
    """Set intent, wants_prose and wants_number from the cue words found (see lexicon.CUES)."""
    n_orgs = len(u.orgs) + len(u.ambiguous)
    has_what = bool(u.metrics) or u.narrative_number
    trend = cues["trend"] if has_what else None
    prose = cues["prose"] or (None if trend else cues["how"])
    if not prose and not has_what and not cues["number"]:
        prose = cues["weak_prose"]
    u.wants_prose = bool(prose)
    implicit_trend = n_orgs == 1 and len(u.years) >= 2 and has_what
    prose_only = bool(cues["prose"]) and not cues["number"]  # which report plans to improve…
    choices = (
        ("compare", (cues["compare"] or cues["max"] or cues["min"]) if n_orgs >= 2 else None),
        ("trend", trend),
        ("threshold", cues["threshold"]),
        ("rank", cues["rank"] or cues["rank_limit"]),
        ("max", cues["max"]),
        ("min", cues["min"]),
        ("count", cues["level"] if cues["count"] else None),
        ("total", cues["total"] if n_orgs != 1 and has_what else None),
        (
            "list",
            cues["level"] or (cues["list"] if not n_orgs and has_what and not prose_only else None),
        ),
        ("trend", "several years" if implicit_trend else None),
    )
    intent, cue = next(((i, c) for i, c in choices if c), (None, None))
    if intent in ("list", "count") and cues["zero"] and has_what and not u.threshold:
        # 哪些镇没有行政处罚 / how many towns had zero penalties: value = 0
        intent, cue = "threshold" if intent == "list" else intent, cues["zero"]
        u.threshold = ("eq", 0)
        u.reasons.append(f"threshold eq 0 from '{cue}'")
    if intent is None:
        intent = "value" if has_what and (not prose or cues["number"]) else "prose"
        cue = prose if intent == "prose" else None
    u.intent, u.intent_cue = intent, cue
    u.wants_number = bool(cues["number"]) or (intent != "prose" and (has_what or intent != "value"))
    u.reasons.append(f"intent {intent} from '{cue}'" if cue else f"intent {intent} (default)")
    if prose:
        u.reasons.append(f"prose cue '{prose}'")


def topics(masked: str, hits: list) -> list[str]:
    """Content words for retrieval, in order: the terms found plus the words left once names,
    years, numbers, level words and question words are taken out."""
    words = [(start, term) for start, _, term, _ in hits]
    rest = TOPIC_STOP.sub(lambda m: " " * len(m.group()), masked.replace("\0", " "))
    for m in re.finditer(r"\S+", rest):
        w = m.group()
        if len(w) >= 2 and CJK.search(w) or w.isalpha() and len(w) >= 3 and w not in EN_STOPWORDS:
            words.append((m.start(), w))
    return list(dict.fromkeys(w for _, w in sorted(words)))


def follow_up_cue(question: str) -> str | None:
    """那/and/what about at the start, 呢 at the end, or 'short' for a very short question."""
    m = FOLLOW_UP.search(question.strip())
    if m:
        return m.group(1) or m.group(2)
    bare = re.sub(r"[\W_]", " ", question)
    if len(CJK.findall(bare)) + len(re.findall(r"[A-Za-z]+", bare)) <= 4 and bare.strip():
        return "short"
    return None


def pool(level: str | None, orgs: Sequence[OrgRef]) -> list[OrgRef]:
    """The indexed organisations a question about `level` ranges over."""
    levels = {"乡镇": ("镇", "乡")}.get(level or "", (level,))
    return [o for o in orgs if level is None or o.org_level in levels]
