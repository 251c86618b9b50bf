"""The domain's words beyond the table template (`parsers.template`): report sections and the words
of their headings, table numerals, organisation levels with their Chinese and English names, and
number text. Parsers, SQL answers, question understanding and the web page all read them here;
nothing else defines them.

    >>> TABLE_NUMERALS["requests"], TABLE_SECTION["requests"]
    ('三', 'request_tables')
    >>> LEVELS["街道"], LEVEL_GROUPS["乡镇"], pool_zh("镇"), pool_en("乡镇")
    (('subdistrict', 'subdistricts'), ('镇', '乡'), '各镇', 'towns and townships')
    >>> EN_LEVEL_WORDS["township"]
    (('乡', '镇'), '乡镇')
    >>> number_text(30.0), number_text(12.5), number_text(None), number_text(0.1 + 0.2)
    ('30', '12.5', '', '0.3')
"""

from __future__ import annotations

from parsers import template as T

# --- sections -------------------------------------------------------------------------------
# Section keys (SCHEMA.md §1) and the words that identify their headings, checked in this order.
TOP_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "problems_improvements",
        (
            "存在的主要问题",
            "主要问题",
            "存在问题",
            "问题及改进",
            "问题和改进",
            "改进情况",
            "改进措施",
        ),
    ),
    ("other_matters", ("其他需要报告", "其它需要报告", "其他事项", "其它事项", "需要报告的事项")),
    ("review_litigation_table", ("行政复议", "行政诉讼")),
    ("request_tables", ("收到和处理", "依申请公开", "申请情况", "处理政府信息公开申请")),
    ("proactive_tables", ("主动公开",)),
    ("overview", ("总体情况", "概述", "基本情况", "工作概况", "总体概况")),
)
SUB_KEYS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "overview": (
        ("on_request", ("依申请", "申请公开")),
        ("proactive", ("主动公开",)),
        ("info_management", ("信息管理", "管理")),
        ("platforms", ("平台", "网站", "新媒体")),
        ("supervision", ("监督", "保障", "考核", "问责")),
    ),
    "problems_improvements": (
        ("problems", ("问题",)),
        ("improvements", ("改进", "整改", "措施")),
    ),
}
TABLE_SECTIONS = ("proactive_tables", "request_tables", "review_litigation_table")
PREAMBLE = "preamble"  # the text before the first heading
PREAMBLE_NAME = {"zh": "正文开头", "en": "opening text"}

# Words of a question that ask about a section (matched on simplified, lower-cased text).
SECTION_TERMS = {
    "overview": ("总体情况", "概述", "overview", "general situation"),
    "overview.proactive": ("主动公开工作", "主动公开情况"),
    "overview.on_request": ("依申请公开工作", "依申请公开情况"),
    "overview.info_management": ("政府信息管理", "信息管理", "information management"),
    "overview.platforms": (
        "平台建设",
        "政府网站",
        "网站",
        "新媒体",
        "公众号",
        "website",
        "platform",
    ),
    "overview.supervision": ("监督保障", "考核", "社会评议", "责任追究", "培训", "supervision"),
    "problems_improvements": (
        *("问题", "不足", "改进", "整改", "措施", "problem", "shortcoming", "improve", "issues"),
    ),
    "other_matters": ("其他需要报告", "其他事项", "信息处理费", "other matters", "processing fee"),
}

# --- tables ---------------------------------------------------------------------------------
CN_NUMERALS = "一二三四五六七八九十"
TABLE_NUMERALS = {t: CN_NUMERALS[info["section"] - 1] for t, info in T.TABLES.items()}  # 二 三 四
TABLE_SECTION = {
    "proactive": "proactive_tables",
    "requests": "request_tables",
    "review_litigation": "review_litigation_table",
}
assert set(TABLE_SECTION) == set(T.TABLES) and set(TABLE_SECTION.values()) == set(TABLE_SECTIONS)

# --- organisation levels --------------------------------------------------------------------
# The kind of body a report comes from (`Report.org_level`), with its English name and plural.
LEVELS: dict[str, tuple[str, str]] = {
    "镇": ("town", "towns"),
    "乡": ("township", "townships"),
    "街道": ("subdistrict", "subdistricts"),
    "县": ("county", "counties"),
    "区": ("district", "districts"),
    "市": ("city", "cities"),
    "部门": ("department", "departments"),
}
PLACE_LEVELS = ("镇", "乡", "街道", "县", "区", "市")  # named after a place; 部门 after their work
LEVEL_GROUPS = {"乡镇": ("镇", "乡")}  # a level a question may name that is several levels
# Chinese words for a level in questions (哪些街道办, 各单位: any level is "")
ZH_LEVEL_WORDS = {"乡镇": "乡镇", "街道办事处": "街道", "街道办": "街道"} | {
    lv: lv for lv in LEVELS
}
ZH_LEVEL_WORDS |= {"单位": ""}
# English and pinyin words for a level: (the levels an organisation named with the word may have,
# in order of preference; the level "which …s" asks for, None if the word is not used that way)
EN_LEVEL_WORDS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "township": (("乡", "镇"), "乡镇"),
    "town": (("镇", "乡"), "镇"),
    "zhen": (("镇",), None),
    "xiang": (("乡",), None),
    "subdistrict": (("街道",), "街道"),
    "street": (("街道",), "街道"),
    "jiedao": (("街道",), None),
    "county": (("县",), "县"),
    "district": (("区",), "区"),
    "city": (("市",), "市"),
    "department": ((), "部门"),
    "agency": ((), "部门"),
    "bureau": ((), "部门"),
}

# English words of organisation names → the Chinese they stand for (first found in the name wins).
ORG_WORDS_EN: dict[str, tuple[str, ...]] = {
    "bureau": ("局",),
    "office": ("办事处", "办公室", "办"),
    "commission": ("委员会", "委"),
    "committee": ("委员会", "委"),
    "management committee": ("管理委员会", "管委会"),
    "administration": ("管理局", "局"),
    "center": ("中心",),
    "centre": ("中心",),
    "department": ("局", "厅", "部"),
    "agency": ("局",),
    "district": ("区",),
    "county": ("县",),
    "city": ("市",),
    "town": ("镇",),
    "township": ("乡",),
    "subdistrict": ("街道办事处", "街道"),
    "street": ("街道",),
    "area": ("区",),
    "zone": ("区",),
    "scenic area": ("风景区", "景区"),
    "scenic": ("风景", "景"),
    "ecological": ("生态",),
    "eco": ("生态",),
    "tourism": ("旅游",),
    "urban rural": ("城乡",),
    "urban and rural": ("城乡",),
    "work": ("工作",),
    "social": ("社会",),
    "development": ("发展",),
    "reform": ("改革",),
    "market": ("市场",),
    "supervision": ("监督",),
    "regulation": ("监管",),
    "public security": ("公安",),
    "education": ("教育",),
    "finance": ("财政",),
    "civil affairs": ("民政",),
    "health": ("卫生健康", "卫健", "卫生"),
    "natural resources": ("自然资源",),
    "environment": ("环境",),
    "culture": ("文化",),
    "housing": ("住房",),
    "construction": ("建设",),
    "transport": ("交通运输", "交通"),
    "agriculture": ("农业",),
    "rural affairs": ("农村",),
    "water resources": ("水利",),
    "commerce": ("商务",),
    "emergency": ("应急",),
    "management": ("管理",),
    "audit": ("审计",),
    "statistics": ("统计",),
    "justice": ("司法",),
    "human resources": ("人力资源",),
    "social security": ("社会保障",),
    "high tech": ("高新",),
    "science and technology": ("科学技术", "科技"),
    "people's government": ("人民政府",),
    "municipal": ("市",),
    "provincial": ("省",),
    "general office": ("办公厅", "办公室"),
    "comprehensive experimental zone": ("综合实验区",),
    "experimental zone": ("实验区",),
    "comprehensive": ("综合",),
    "government": ("政府",),
    "service": ("服务",),
}


# Standard abbreviations of Chinese government bodies (a general table, longest first when used):
# the full word → the short forms people write (莆田市科学技术局 is also 莆田市科技局). Not
# 人民政府 → 政府: 刘湾镇政府信息公开… would then read 刘湾镇政府 as the name.
ORG_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "科学技术委员会": ("科委",),
    "科学技术局": ("科技局",),
    "发展和改革委员会": ("发改委", "发展改革委"),
    "发展和改革局": ("发改局", "发展改革局"),
    "人力资源和社会保障局": ("人社局",),
    "人力资源和社会保障厅": ("人社厅",),
    "人民政府办公厅": ("政府办公厅", "府办公厅", "政府办"),
    "人民政府办公室": ("政府办公室", "政府办"),
    "住房和城乡建设局": ("住建局",),
    "住房和城乡建设委员会": ("住建委",),
    "市场监督管理局": ("市场监管局",),
    "卫生健康委员会": ("卫健委",),
    "卫生健康局": ("卫健局",),
    "自然资源和规划局": ("自然资源局", "自规局"),
    "农业农村局": ("农业局",),
    "文化和旅游局": ("文旅局",),
    "文化广电和旅游局": ("文广旅局", "文旅局"),
    "交通运输局": ("交通局",),
    "应急管理局": ("应急局",),
    "退役军人事务局": ("退役军人局",),
    "医疗保障局": ("医保局",),
    "城市管理局": ("城管局",),
    "城市管理综合行政执法局": ("城管执法局", "城管局"),
    "行政审批服务局": ("审批局", "行政审批局"),
    "工业和信息化局": ("工信局",),
    "教育体育局": ("教体局",),
    "生态环境局": ("环境局",),
    "街道办事处": ("街道", "街道办"),
    "管理委员会": ("管委会",),
}
# Kinds of area named after a place (平潭综合实验区 is also just 平潭), longest first when used.
ZONE_SUFFIXES = (
    "综合实验区",
    "经济技术开发区",
    "高新技术产业开发区",
    "经济开发区",
    "高新区",
    "开发区",
    "新区",
    "实验区",
    "风景区",
)
# Characters often confused in print (visually) beside those that sound the same (pinyin): a name
# one such character away from an indexed one is a near miss, not a new organisation.
SIMILAR_CHARS = ("沭沐", "己已巳", "未末", "戊戌戍", "日曰", "壶壸", "汩汨", "祗祇", "荼茶", "券卷")


def org_name(report: dict, lang: str = "zh") -> str:
    """What to call the organisation of a stored report: its short or full name, or, when the
    report names none, "未署名报告（文件 web_003.txt）": never `?` or a bare file name."""
    name = report.get("org_short") or report.get("org")
    if name:
        return name
    file = report.get("source_name") or "?"
    return f"未署名报告（文件 {file}）" if lang == "zh" else f"untitled report (file {file})"


def pool_zh(level: str) -> str:
    """All organisations of a level, in Chinese: 各镇, 各乡镇."""
    return f"各{level}"


def pool_en(level: str) -> str:
    """All organisations of a level, in English: towns, towns and townships."""
    if level in LEVEL_GROUPS:
        return " and ".join(LEVELS[member][1] for member in LEVEL_GROUPS[level])
    return LEVELS[level][1]


# --- numbers --------------------------------------------------------------------------------
def number_text(value: float | None) -> str:
    """A value as printed: 30 not 30.0, 12.5, blank (None) as an empty string, never 0; rounded
    to 6 decimals so float sums do not show their noise."""
    if value is None:
        return ""
    value = round(float(value), 6)
    return str(int(value)) if value.is_integer() else repr(value)
