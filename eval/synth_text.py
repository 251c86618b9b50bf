"""The narrative of a synthetic report: sections 一–六 with their sub-sections, built from varied
sentence templates that carry known numbers (全年主动公开政府信息X条, 开展培训X次 …).

`narrative` returns the report's parts in print order (the three table sections are placeholders
the renderer fills) and the numbers stated in the text, each with its section and its clause as
printed, as `parsers.textfacts` should find it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

TABLE_PARTS = ("proactive_tables", "request_tables", "review_litigation_table")
TOP = {
    "overview": ("一、总体情况",),
    "proactive_tables": ("二、主动公开政府信息情况",),
    "request_tables": ("三、收到和处理政府信息公开申请情况",),
    "review_litigation_table": ("四、政府信息公开行政复议、行政诉讼情况",),
    "problems_improvements": (
        "五、存在的主要问题及改进情况",
        "五、政府信息公开工作存在的主要问题及改进情况",
    ),
    "other_matters": ("六、其他需要报告的事项",),
}
SUB = {
    "overview.proactive": ("主动公开情况", "主动公开政府信息情况", "主动公开工作情况"),
    "overview.on_request": ("依申请公开情况", "依申请公开政府信息情况", "依申请公开工作情况"),
    "overview.info_management": ("政府信息管理情况", "政府信息管理工作情况"),
    "overview.platforms": ("政府信息公开平台建设情况", "平台建设情况"),
    "overview.supervision": ("监督保障情况", "政府信息公开监督保障情况"),
    "problems_improvements.problems": ("存在的主要问题", "主要问题"),
    "problems_improvements.improvements": ("改进情况", "改进措施"),
}
NUMERALS = "一二三四五"
PROBLEMS = (
    "政策解读形式较为单一，图表、音视频等多元化解读运用不足",
    "信息发布的及时性有待提高，个别栏目更新不够及时",
    "工作人员业务能力有待提升，对《条例》的理解把握还不够深入",
    "主动公开的深度和广度不够，重点领域信息公开还不够全面",
    "政民互动渠道有待拓展，回应社会关切的主动性不强",
    "基层政务公开标准化规范化建设仍需加强",
    "公开内容的规范性有待加强，部分信息要素不全",
    "政务新媒体运营维护力量不足，内容更新频率不高",
    "公开平台栏目设置不够科学，部分信息查找不便",
)
IMPROVEMENTS = (
    "加强业务培训，提升工作人员的政策水平和业务能力",
    "健全信息发布审核机制，严格落实“三审三校”制度",
    "丰富政策解读形式，推广图文、短视频等通俗易懂的解读方式",
    "加强栏目日常巡查维护，确保信息更新及时准确",
    "聚焦重点领域和群众关切，拓展公开的深度和广度",
    "畅通政民互动渠道，及时回应社会关切",
    "规范依申请公开办理流程，确保依法依规按时答复",
    "优化平台栏目设置，方便群众查询获取信息",
)
LEADS = (
    "{year}年，{who}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，扎实推进政务公开各项工作。",
    "{year}年，{who}在上级部门的指导下，坚持“公开为常态、不公开为例外”原则，持续深化政务公开，有效保障了人民群众的知情权、参与权和监督权。",
    "{year}年度，{who}高度重视政府信息公开工作，围绕中心工作和群众关切，不断提升政务公开质量和实效。",
)
MANAGEMENT = (
    "严格执行信息发布审核制度，落实“先审查、后公开”和“一事一审”要求，确保公开信息内容准确规范。",
    "建立健全政府信息管理动态调整机制，及时清理过时信息，做好政策文件的梳理和归档工作。",
)
PLATFORMS = (
    "持续加强政府网站信息公开专栏建设，规范栏目设置，确保信息集中统一发布。",
    "充分发挥政务新媒体的传播优势，推动政务信息多渠道同步发布，方便群众及时获取。",
)
SUPERVISION = (
    "将政务公开工作纳入年度绩效考核，明确责任分工，定期开展自查自纠。",
    "主动接受社会监督，畅通意见反馈渠道，本年度未发生因政务公开工作引发的责任追究情况。",
)
OTHER = (
    "本年度未收取政府信息公开信息处理费。",
    "{year}年度本机关未发出收费通知，未收取信息处理费。",
    "无其他需要报告的事项。",
)


@dataclass
class Part:
    key: str  # section key (SCHEMA.md §1), or one of TABLE_PARTS
    path: list[str]  # the printed headings, top first
    paras: list[str] = field(default_factory=list)


@dataclass
class Fact:
    value: float
    unit: str
    section: str
    quote: str  # the clause as printed

    def to_json(self) -> dict:
        value = int(self.value) if float(self.value).is_integer() else self.value
        return {"value": value, "unit": self.unit, "section": self.section, "quote": self.quote}


def _sub(rng: random.Random, key: str, n: int) -> str:
    bracket = rng.choice(("（{}）", "（{}）", "({})", "({}) "))
    return bracket.format(NUMERALS[n]) + rng.choice(SUB[key])


def narrative(
    rng: random.Random,
    who: str,
    year: int,
    requests: float | None,
    split_problems: bool,
    scale: int = 2000,
) -> tuple[list[Part], list[Fact]]:
    """The report's parts and stated numbers. `who` is how the text names the organisation;
    `requests` is the request count to state in 一（二） (None: say nothing about it); `scale`
    bounds the number of items published."""
    facts: list[Fact] = []

    def fact(key: str, text: str, value: int, unit: str) -> str:
        clause = text.format(n=value)
        facts.append(Fact(float(value), unit, key, clause))
        return clause

    heads = {key: rng.choice(options) for key, options in TOP.items()}
    parts = [Part("overview", [heads["overview"]], [rng.choice(LEADS).format(year=year, who=who)])]
    overview = [heads["overview"]]

    key = "overview.proactive"
    total = max(3, int(scale ** rng.random()))
    web = rng.randint(0, total)
    paras = [
        "全年通过政府门户网站、政务新媒体、政务公开栏等平台，"
        + fact(key, rng.choice(("累计主动公开政府信息{n}条", "主动公开政府信息{n}条")), total, "条")
        + "，其中，"
        + fact(key, "政府网站发布{n}条", web, "条")
        + "，"
        + fact(key, "政务新媒体发布{n}条", total - web, "条")
        + "。"
    ]
    if rng.random() < 0.5:
        paras.append(
            "围绕重要政策文件，"
            + fact(key, "发布政策解读{n}篇", rng.randint(1, 40), "篇")
            + "，帮助群众准确理解政策。"
        )
    parts.append(Part(key, overview + [_sub(rng, key, 0)], paras))

    key = "overview.on_request"
    if requests is None:
        text = "严格按照法定程序和时限办理政府信息公开申请，畅通申请渠道。"
    elif requests == 0:
        facts.append(Fact(0.0, "件", key, "本年度未收到政府信息公开申请"))
        text = "畅通申请渠道，落实专人负责，本年度未收到政府信息公开申请。"
    else:
        text = (
            "畅通申请渠道，落实专人负责，"
            + fact(
                key,
                rng.choice(("全年共收到政府信息公开申请{n}件", "全年共受理政府信息公开申请{n}件")),
                int(requests),
                "件",
            )
            + "，均在法定期限内予以答复。"
        )
    parts.append(Part(key, overview + [_sub(rng, key, 1)], [text]))

    key = "overview.info_management"
    paras = [rng.choice(MANAGEMENT)]
    if rng.random() < 0.5:
        paras.append(
            fact(key, "全年开展保密审查{n}次", rng.randint(1, 60), "次") + "，未发生失泄密情况。"
        )
    parts.append(Part(key, overview + [_sub(rng, key, 2)], paras))

    key = "overview.platforms"
    paras = [rng.choice(PLATFORMS)]
    if rng.random() < 0.6:
        paras.append(
            fact(key, "目前运营政务新媒体账号{n}个", rng.randint(1, 9), "个")
            + "，信息发布渠道进一步拓宽。"
        )
    parts.append(Part(key, overview + [_sub(rng, key, 3)], paras))

    key = "overview.supervision"
    paras = [rng.choice(SUPERVISION)]
    if rng.random() < 0.7:
        paras.append(
            fact(key, "全年组织开展政务公开业务培训{n}次", rng.randint(1, 12), "次")
            + "，"
            + fact(key, "参训人员{n}人次", rng.randint(10, 400), "人次")
            + "，工作人员业务水平不断提升。"
        )
    parts.append(Part(key, overview + [_sub(rng, key, 4)], paras))

    for table in TABLE_PARTS:
        parts.append(Part(table, [heads[table]]))

    problems = "；".join(
        f"{NUMERALS[i]}是{p}" for i, p in enumerate(rng.sample(PROBLEMS, rng.randint(2, 3)))
    )
    steps = "；".join(
        f"{NUMERALS[i]}是{p}" for i, p in enumerate(rng.sample(IMPROVEMENTS, rng.randint(2, 3)))
    )
    top = [heads["problems_improvements"]]
    if split_problems:
        key = "problems_improvements.problems"
        parts.append(
            Part(key, top + [_sub(rng, key, 0)], [f"当前工作中仍存在一些不足：{problems}。"])
        )
        key = "problems_improvements.improvements"
        parts.append(Part(key, top + [_sub(rng, key, 1)], [f"针对上述问题，下一步将：{steps}。"]))
    else:
        parts.append(
            Part(
                "problems_improvements",
                top,
                [
                    f"{year}年，{who}政府信息公开工作取得了一定成效，但仍存在一些不足：{problems}。",
                    f"下一步，{who}将重点做好以下工作：{steps}。",
                ],
            )
        )
    parts.append(
        Part("other_matters", [heads["other_matters"]], [rng.choice(OTHER).format(year=year)])
    )
    return parts, facts


def preamble(org: str, year: int) -> str:
    return (
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制。"
        f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        f"如对本报告有任何疑问，请与{org}办公室联系。"
    )
