"""Who published a report and for which year: organisation, short name, level, statistical year.

The title ("大峪镇人民政府 2025 年政府信息公开工作年度报告") is the best source; it may span two
lines, put the year first, or be missing, in which case the preamble's sentences ("由XX编制",
"现将XX2023年…") and the statistical period ("统计期限自2024年1月1日") are used.

A crawled report's header (parsers/header.py) comes first: its 标题 is the report's title. Its
发布机构 is used only when neither the title nor the text names the organisation: crawlers give
abbreviations (莆田市科技局 for 莆田市科学技术局) and portals name the office that posted the page
(海陵区政府办 for a 城东街道 report), so it never overrides a name the report prints.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from parsers.aliases import near_miss
from parsers.header import Header
from parsers.normalize import clean, norm, to_simplified

CJK = r"\u4e00-\u9fff"
ORG_CHARS = rf"[{CJK}()（）·]"
YEAR = r"(20[0-4]\d)"
# What follows the year in a report title.
TITLE_TAIL = r"\s*年\s*度?\s*(?:本级)?(?:政府|政务)?(?:信息)?(?:公开|政务公开)"
ORG_SUFFIX = re.compile(
    r"(人民政府办公室|人民政府|街道办事处|办事处|管理委员会|管委会|委员会|政府|街道|镇|乡|局|厅|委|办公室|办|中心|院|所|队|站|署|会|区|县|市|处|园区)$"
)
LEAD_WORDS = re.compile(
    r"^.*?(?:现将|现公布|特向社会公布|向社会公布|公布|编制|关于|标题[:：]|发布|是|由|将|对|特|据|请与|联系)"
)
# What an organisation does first in the overview's opening sentence.
SUBJECT_VERBS = "在|坚持|按照|认真|严格|围绕|深入|紧紧|全面|继续|持续|进一步|以|根据|始终|聚焦"
# Words of a sentence, never of an organisation's name (积极推动, 认真落实, 进一步加强…).
NOT_IN_A_NAME = re.compile(
    r"(?:坚持|按照|认真|严格|围绕|深入|紧紧|全面|继续|持续|进一步|根据|始终|聚焦|积极|推动|加强|落实"
    r"|做好|开展|强化|提升|完善|不断|切实|扎实|高度|注重|大力|努力|着力|有效|健全|召开|印发|制定)"
)
# Not a name: 我镇, 本街道, 全镇, 各村, 该局, 镇政府…
GENERIC_ORG = re.compile(r"^(?:我|本|全|各|该|这)|^(?:镇|乡|街道|区|县|市)(?:人民)?政府$")
PERIOD = re.compile(
    r"统计(?:期限|时限|日期|时间|期间)?[^。]{0,12}?自?\s*" + YEAR + r"\s*年\s*1\s*月\s*1\s*日"
)


@dataclass
class Meta:
    org: str
    org_short: str
    org_level: str
    year: int | None
    title_lines: tuple[int, ...]  # 1-based lines that hold the title
    aliases: tuple[str, ...] = ()  # other spellings of the name: a title that misprints it


def read_meta(
    lines: list[str], head_end: int, header: Header | None = None, file_name: str = ""
) -> Meta:
    """Metadata from `lines`; `head_end` is the 1-based line of the first section heading and
    `header` the crawler header, if any (the report's own text starts at `header.body_start`);
    `file_name` (without its suffix) is read like a title when nothing else names the
    organisation or the year (莆田市科学技术局2021年政府信息公开工作年度报告.pdf)."""
    header = header or Header()
    first = header.body_start - 1
    head_rows = range(first, min(len(lines), max(head_end, first + 1)))
    head = [(i + 1, clean(to_simplified(lines[i]))) for i in head_rows]
    org, year, title_lines = _from_title(head)
    if header.title_line:
        h_org, h_year, h_lines = _from_title(
            [(header.title_line, clean(to_simplified(header.title)))]
        )
        if h_org or h_year is not None:
            # the body may print the title again: those lines are the title, not the preamble
            same = org in ("", h_org) and year in (None, h_year)
            again = title_lines if same else ()
            again += tuple(n for n, t in head if norm(t) == norm(header.title) and n not in again)
            org, year = h_org or org, h_year if h_year is not None else year
            title_lines = h_lines + again
    text = "\n".join(clean(to_simplified(t)) for t in lines[first : first + 400])
    if not org:
        org = _org_from_sentences(text)
        if org and not year:
            m = re.search(re.escape(org) + r"\s*" + YEAR + TITLE_TAIL, text)
            year = int(m.group(1)) if m else None
    if (not org or year is None) and file_name:
        f_org, f_year, _ = _from_title([(0, clean(to_simplified(file_name)))])
        org, year = org or f_org, year if year is not None else f_year
    if not org and header.publisher:
        org = _trim_org(clean(to_simplified(header.publisher)))
    if year is None:
        year = _year_from_text(text)
    org = org.strip(" :：,，")
    org, misprint = _as_the_text_spells_it(org, text)
    aliases = (misprint,) if misprint else ()
    return Meta(org, short_name(org), org_level(org), year, title_lines, aliases)


def _as_the_text_spells_it(org: str, text: str) -> tuple[str, str]:
    """(`org` as the report's text spells it, and the other spelling if that differs). A title
    can misprint the name by one confusable character (沐阳县 for 沭阳县): when the text says the
    name with one such character changed at least twice, and more often than as printed (lines
    of the title and its running headers aside), the text's spelling is the name."""
    short = short_name(org)
    # the title, and running headers that repeat it on every page, do not count as the text
    said = sum(line.count(short) for line in text.splitlines() if "年度报告" not in line)
    if len(short) < 3 or said >= 2:
        return org, ""
    size, last = len(short), short[-1]
    spellings = Counter(
        text[i - size + 1 : i + 1]
        for i, ch in enumerate(text)
        if ch == last and i >= size - 1 and near_miss(text[i - size + 1 : i + 1], short)
    )
    if not spellings:
        return org, ""
    best, count = spellings.most_common(1)[0]
    if count < 2 or count <= said:
        return org, ""
    return org.replace(short, best, 1), org


def _from_title(head: list[tuple[int, str]]) -> tuple[str, int | None, tuple[int, ...]]:
    org_first = re.compile(rf"({ORG_CHARS}{{2,40}}?)\s*{YEAR}{TITLE_TAIL}")
    year_first = re.compile(
        rf"^\s*{YEAR}\s*年\s*度?\s*({ORG_CHARS}{{2,40}}?)\s*(?:政府|政务)?(?:信息)?公开"
    )
    for idx, (no, text) in enumerate(head):
        titled = (
            "报告" in text or "年报" in text or (idx + 1 < len(head) and "报告" in head[idx + 1][1])
        )
        if len(text) > 80 or not (titled or org_first.match(text.strip())):
            continue
        m = re.match(rf"^\s*{YEAR}{TITLE_TAIL}", text)
        if m:  # the org is on the line above (sample 004)
            prev = [(n, t) for n, t in head[:idx] if t.strip()]
            if prev and len(prev[-1][1]) <= 30 and ORG_SUFFIX.search(prev[-1][1].strip()):
                return _trim_org(prev[-1][1]), int(m.group(1)), (prev[-1][0], no)
        m = year_first.search(text)
        if m:
            org = _trim_org(m.group(2))
            if org and org not in ("政府", "政务"):
                return org, int(m.group(1)), (no,)
        m = org_first.search(text)
        if m:
            org = _trim_org(m.group(1))
            if org:
                return org, int(m.group(2)), (no,)
        m = re.match(rf"^\s*{YEAR}{TITLE_TAIL}", text)
        if m:
            return "", int(m.group(1)), (no,)
    return "", None, ()


def _trim_org(candidate: str) -> str:
    """The organisation name at the end of `candidate`, without leading verbs or labels. A name
    holds no verb: "中仓街道积极推动街道…" is the name 中仓街道 and then a sentence."""
    s = re.sub(r"\s+", "", candidate)
    verb = NOT_IN_A_NAME.search(s)
    if verb:
        head = s[: verb.start()]
        return _trim_org(head) if head and ORG_SUFFIX.search(head) else ""
    s = re.sub(r"^(?:#|标题[:：]?)+", "", s)
    s = LEAD_WORDS.sub("", s) if LEAD_WORDS.match(s) and not ORG_SUFFIX.search(s[:2]) else s
    s = s.strip("()（）:：,，")
    if not s or not ORG_SUFFIX.search(s):
        return ""
    return s


def _org_from_sentences(text: str) -> str:
    patterns = (
        rf"(?:现将|现公布|公布|编制|公开)({ORG_CHARS}{{2,30}}?){YEAR}{TITLE_TAIL}",
        rf"由({ORG_CHARS}{{2,30}}?)(?:党政办公室|党政综合办公室|办公室|党政办)?(?:编制|负责编制)",
        rf"{YEAR}\s*年\s*度?\s*({ORG_CHARS}{{2,30}}?)(?:政府信息公开|政务信息公开)工作",
        rf"请与({ORG_CHARS}{{2,30}}?)(?:党政办公室|党政综合办公室|办公室|党政办)?联系",
        # the overview's opening: "2025年,朝外街道在区委、区政府的正确领导下…"
        rf"(?:^|\n){YEAR}\s*年\s*度?\s*[,，]\s*({ORG_CHARS}{{2,30}}?)(?:{SUBJECT_VERBS})",
    )
    for pat in patterns:
        for m in re.finditer(pat, text):
            groups = [g for g in m.groups() if g and not re.fullmatch(YEAR, g)]
            org = _trim_org(groups[0]) if groups else ""
            if org and len(org) >= 3 and not GENERIC_ORG.match(org):
                return org
    return ""


def _year_from_text(text: str) -> int | None:
    m = PERIOD.search(text)
    if m:
        return int(m.group(1))
    years = Counter(int(y) for y in re.findall(YEAR + r"\s*年", text))
    return years.most_common(1)[0][0] if years else None


def short_name(org: str) -> str:
    """大峪镇人民政府 → 大峪镇; 石家庄市桥西区中山街道办事处 → 中山街道; departments stay whole."""
    s = re.sub(r"[(（][^)）]*[)）]", "", org)
    s = re.sub(r"(人民政府|政府)$", "", s)
    s = re.sub(r"街道办事处$", "街道", s)
    m = re.search(r"([^省市县区州盟旗]{1,8}?(?:镇|乡|街道))$", s)
    if m and len(m.group(1)) >= 2:
        return m.group(1)
    return s or org


def org_level(org: str) -> str:
    s = re.sub(r"[(（][^)）]*[)）]", "", org)
    if re.search(r"(局|委员会|委|办公室|中心|厅|署|院|所|队|站|管委会|管理委员会)$", s):
        return "部门"
    s = re.sub(r"(人民政府|政府)$", "", s)
    if re.search(r"(街道|街道办事处|办事处)$", s):
        return "街道"
    for level in ("镇", "乡", "县", "市", "区"):
        if s.endswith(level):
            return level
    return "其他" if org else ""
