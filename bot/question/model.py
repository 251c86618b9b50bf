"""What question understanding hands on to the answerers: `Understanding` (everything a later
stage needs to know about a question) and `OrgRef` (one indexed organisation).

    >>> from bot.question.model import OrgRef, Understanding
    >>> u = Understanding("大峪镇2025年行政处罚多少件？", orgs=[OrgRef("大峪镇人民政府", "大峪镇", "镇")])
    >>> u.intent, u.lang, u.orgs[0].org_short
    ('value', 'zh', '大峪镇')
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from parsers.template import Metric

# intents that answer over many organisations or years (lists, counts, totals, rankings…)
AGGREGATES = ("list", "count", "total", "max", "min", "rank", "threshold")


@dataclass(frozen=True)
class OrgRef:
    """One indexed organisation, as the index knows it."""

    org: str  # full name as printed, e.g. 大峪镇人民政府, 湖东镇人民政府(陆丰市)
    org_short: str  # e.g. 大峪镇
    org_level: str  # 镇/乡/街道/县/市/区/部门/其他
    years: tuple[int, ...] = ()  # years with an indexed report
    aliases: tuple[str, ...] = ()  # other spellings its reports use (a title that misprints it)


@dataclass
class Understanding:
    """What a question asks. `intent` is one of value, list, count, total, max, min, rank,
    compare, trend, threshold, prose; `intent_cue` is the text that set it (None = default)."""

    question: str
    lang: str = "zh"
    orgs: list[OrgRef] = field(default_factory=list)
    org_mentions: list[str] = field(default_factory=list)
    ambiguous: dict[str, list[OrgRef]] = field(default_factory=dict)
    unknown_orgs: list[str] = field(default_factory=list)
    # an unknown name one confusable character from indexed ones (大裕镇 → 大峪镇): did you mean?
    near: dict[str, list[OrgRef]] = field(default_factory=dict)
    # organisations under a named place (a county's departments and towns) that could be meant
    related: list[OrgRef] = field(default_factory=list)
    under: str = ""  # the place a level was asked under (清河市的部门: 清河市)
    years: list[int] = field(default_factory=list)
    relative_year: str | None = None
    level: str | None = None  # 镇/乡/乡镇 (either)/街道/县/区/市/部门 for "which towns"…
    metrics: list[Metric] = field(default_factory=list)
    applicant: str | None = None  # a requests column key; None = total
    narrative_number: bool = False
    topics: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    wants_prose: bool = False
    wants_number: bool = False
    intent: str = "value"
    intent_cue: str | None = None
    threshold: tuple[str, float] | None = None
    rank_limit: int | None = None
    unit: str | None = None  # the unit asked for (多少元 → 元), when a number may be converted
    count_unit: str = ""  # the count unit asked for: 多少条 → 条, how many posts → 条
    all_years: bool = False  # 历年 / every year: all years, on purpose
    ascending: bool = False  # 从低到高 / lowest first
    part_of_total: bool = False  # 其中… / of which: a part of a total
    plan: bool = False  # asks what will be done (下一步, plans to)
    number_cue: bool = False  # 多少 / 几件 / how many, anywhere in the question
    terms_zh: list[str] = field(default_factory=list)  # Chinese terms for its English words
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
