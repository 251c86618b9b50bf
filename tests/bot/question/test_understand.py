"""Question understanding: organisations, years, metrics, intents, follow-ups and routes."""

import json
import subprocess
import sys

import pytest

from bot.question.orgnames import find_orgs
from bot.question.understand import OrgRef, Understanding, merge_followup, route, understand
from parsers import template as T

GAOPING = OrgRef("高平镇", "高平镇", "镇", (2021, 2025))
DAYU = OrgRef("大峪镇人民政府", "大峪镇", "镇", (2025,))
LIUWAN = OrgRef("刘湾镇人民政府", "刘湾镇", "镇", (2025,))
CHENQU = OrgRef("陈区镇人民政府", "陈区镇", "镇", (2024,))
HUDONG = OrgRef("湖东镇人民政府(陆丰市)", "湖东镇", "镇", (2025,))
GAOPING_ST = OrgRef("高平街道办事处", "高平街道", "街道", (2025,))
MARKET = OrgRef("某某区市场监督管理局", "某某区市场监督管理局", "部门", (2025,))
ORGS = [GAOPING, DAYU, LIUWAN, CHENQU, HUDONG, GAOPING_ST, MARKET]


def u_(question: str, latest_year: int | None = 2025) -> Understanding:
    return understand(question, ORGS, latest_year=latest_year)


def shorts(orgs) -> list[str]:
    return [o.org_short for o in orgs]


def cells(u: Understanding) -> list[tuple]:
    return [(m.table, m.row, m.col, m.kind) for m in u.metrics]


# --- organisations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question, expected, mention",
    [
        ("大峪镇人民政府2025年行政处罚多少件", ["大峪镇"], "大峪镇人民政府"),
        ("大峪镇2025年行政处罚多少件", ["大峪镇"], "大峪镇"),
        ("大峪2025年行政处罚多少件", ["大峪镇"], "大峪"),
        ("湖东镇2025年行政许可多少件", ["湖东镇"], "湖东镇"),
        ("陆丰市湖东镇行政许可", ["湖东镇"], "陆丰市湖东镇"),
        ("湖东镇人民政府（陆丰市）的报告", ["湖东镇"], "湖东镇人民政府(陆丰市)"),
        ("高平镇2025年行政处罚", ["高平镇"], "高平镇"),
        ("高平街道2025年收到申请多少件", ["高平街道"], "高平街道"),
        ("市场监督管理局2025年行政处罚多少件", ["某某区市场监督管理局"], "市场监督管理局"),
        ("Dayu town penalties in 2025", ["大峪镇"], "Dayu town"),
        ("Dayu Town penalties in 2025", ["大峪镇"], "Dayu Town"),
        ("penalties in Dayu in 2025", ["大峪镇"], "Dayu"),
        ("how many penalties did Dayuzhen have", ["大峪镇"], "Dayuzhen"),
        ("Gaoping subdistrict requests in 2025", ["高平街道"], "Gaoping subdistrict"),
        ("Hudong town licensing 2025", ["湖东镇"], "Hudong town"),
    ],
)
def test_org_names(question, expected, mention):
    u = u_(question)
    assert shorts(u.orgs) == expected
    assert u.org_mentions == [mention]
    assert not u.ambiguous and not u.unknown_orgs
    assert f"org {expected[0]} from '{mention}'" in u.reasons


def test_orgs_in_order_of_mention():
    u = u_("刘湾镇和大峪镇2025年行政许可哪个多")
    assert shorts(u.orgs) == ["刘湾镇", "大峪镇"]


def test_longest_name_wins():
    ping = OrgRef("平镇人民政府", "平镇", "镇", (2025,))
    u = understand("高平镇2025年行政处罚多少件", [GAOPING, ping])
    assert shorts(u.orgs) == ["高平镇"]
    assert shorts(understand("平镇2025年行政处罚", [GAOPING, ping]).orgs) == ["平镇"]


def test_bare_name_is_not_a_different_level():
    # 高平 in 高平市 is not the town 高平镇; the city in front of 陈区镇 only locates it
    u = u_("高平市陈区镇存在哪些主要问题")
    assert shorts(u.orgs) == ["陈区镇"]
    assert not u.ambiguous and not u.unknown_orgs


@pytest.mark.parametrize(
    "question, mention", [("高平2025年行政处罚多少件", "高平"), ("Gaoping fees", "Gaoping")]
)
def test_ambiguous_org(question, mention):
    u = u_(question)
    assert u.orgs == [] and list(u.ambiguous) == [mention]
    assert shorts(u.ambiguous[mention]) == ["高平镇", "高平街道"]


def test_same_short_name_in_two_places():
    other = OrgRef("湖东镇人民政府(海丰县)", "湖东镇", "镇", (2025,))
    orgs = [HUDONG, other]
    assert len(understand("湖东镇行政处罚", orgs).ambiguous["湖东镇"]) == 2
    assert understand("海丰县湖东镇行政处罚", orgs).orgs == [other]
    assert understand("湖东镇(陆丰市)行政处罚", orgs).orgs == [HUDONG]


@pytest.mark.parametrize(
    "question, unknown",
    [
        ("北京市2025年行政处罚多少件", ["北京市"]),
        ("中山街道行政处罚多少件", ["中山街道"]),
        ("石家庄市桥西区和大峪镇哪个行政处罚多", ["石家庄市桥西区"]),
        ("How many penalties did Beijing have in 2025?", ["Beijing"]),
        ("Beijing's penalties in 2025", ["Beijing"]),
        ("Huanggang city penalties", ["Huanggang city"]),
        ("Dayu county penalties", ["Dayu county"]),  # no 大峪县 is indexed
    ],
)
def test_unknown_orgs(question, unknown):
    assert u_(question).unknown_orgs == unknown


@pytest.mark.parametrize(
    "question",
    [
        "哪些镇有行政处罚",
        "政务公开专区建了多少个",
        "全市行政处罚",
        "Which towns in China had fees?",
    ],
)
def test_no_false_unknown_orgs(question):
    assert u_(question).unknown_orgs == []


def test_find_orgs_is_generic():
    orgs = (OrgRef("新华街道办事处", "新华街道", "街道", (2023,)),)
    assert [m.orgs for m in find_orgs("新华街道", orgs)] == [orgs]
    assert [m.text for m in find_orgs("xinhua subdistrict", orgs)] == ["xinhua subdistrict"]


# --- years --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question, years, relative",
    [
        ("大峪镇2025年行政处罚", [2025], None),
        ("大峪镇2025行政处罚", [2025], None),
        ("大峪镇二〇二五年行政处罚", [2025], None),
        ("大峪镇二零二五年行政处罚", [2025], None),
        ("大峪镇２０２５年行政处罚", [2025], None),
        ("Dayu penalties in 2021", [2021], None),
        ("Dayu penalties FY2024", [2024], None),
        ("大峪镇2021到2025年行政处罚", [2021, 2022, 2023, 2024, 2025], None),
        ("Dayu penalties between 2021 and 2023", [2021, 2022, 2023], None),
        ("大峪镇2021年和2025年行政处罚", [2021, 2025], None),
        ("大峪镇去年行政处罚多少件", [2025], "去年"),
        ("大峪镇前年行政处罚多少件", [2024], "前年"),
        ("大峪镇今年行政处罚多少件", [2025], "今年"),
        ("Dayu penalties last year", [2025], "last year"),
        ("近三年大峪镇行政处罚", [2023, 2024, 2025], "近三年"),
        ("大峪镇收到2025件申请吗", [], None),  # a count, not a year
        ("大峪镇2030条信息", [], None),
    ],
)
def test_years(question, years, relative):
    u = u_(question)
    assert u.years == years
    assert u.relative_year == relative


def test_relative_year_without_latest_year():
    u = u_("大峪镇去年行政处罚多少件", latest_year=None)
    assert u.years == [] and u.relative_year == "去年"
    assert route(u, ORGS) == ("clarify", ["'去年' needs the latest report year"])


# --- metrics --------------------------------------------------------------------------------------

P, R, L = "proactive", "requests", "review_litigation"


@pytest.mark.parametrize(
    "question, expected",
    [
        ("大峪镇2025年行政处罚多少件", [(P, "administrative_penalty", "decisions", "cell")]),
        (
            "Dayu administrative penalties 2025",
            [(P, "administrative_penalty", "decisions", "cell")],
        ),
        ("大峪镇2025年行政许可多少件", [(P, "administrative_licensing", "decisions", "cell")]),
        ("Dayu licences 2025", [(P, "administrative_licensing", "decisions", "cell")]),
        ("大峪镇行政强制措施", [(P, "administrative_coercion", "decisions", "cell")]),
        ("大峪镇2025年收费金额", [(P, "administrative_fees", "fee_amount", "cell")]),
        ("Dayu fees 2025", [(P, "administrative_fees", "fee_amount", "cell")]),
        ("大峪镇规章废止了多少件", [(P, "regulations", "repealed", "cell")]),
        ("大峪镇现行有效的规范性文件", [(P, "normative_documents", "in_force", "cell")]),
        (
            "废止多少件",
            [
                (P, "regulations", "repealed", "cell"),
                (P, "normative_documents", "repealed", "cell"),
            ],
        ),
        ("大峪镇依申请公开多少件", [(R, "new_received", "total", "cell")]),
        ("大峪镇收到多少申请", [(R, "new_received", "total", "cell")]),
        ("how many requests did Dayu get", [(R, "new_received", "total", "cell")]),
        ("大峪镇予以公开多少件", [(R, "granted", "total", "cell")]),
        ("how many requests were granted in Dayu", [(R, "granted", "total", "cell")]),
        ("大峪镇部分公开多少件", [(R, "partially_granted", "total", "cell")]),
        ("大峪镇不予公开多少件", [(R, "denied", "total", "rowgroup")]),
        ("how many requests were denied in Dayu", [(R, "denied", "total", "rowgroup")]),
        ("大峪镇因国家秘密不予公开多少件", [(R, "denied_state_secret", "total", "cell")]),
        ("大峪镇无法提供多少件", [(R, "unable", "total", "rowgroup")]),
        ("大峪镇不予处理多少件", [(R, "not_processed", "total", "rowgroup")]),
        ("大峪镇重复申请多少件", [(R, "not_processed_duplicate", "total", "cell")]),
        ("大峪镇结转下年度多少件", [(R, "carried_forward", "total", "cell")]),
        ("大峪镇上年结转多少件", [(R, "carried_over", "total", "cell")]),
        ("大峪镇行政复议多少件", [(L, "review", "total", "cell")]),
        ("Dayu reconsideration cases", [(L, "review", "total", "cell")]),
        ("大峪镇行政复议被纠正多少件", [(L, "review", "corrected", "cell")]),
        ("pending reconsideration cases in Dayu", [(L, "review", "pending", "cell")]),
        ("大峪镇行政诉讼多少件", [(L, "litigation", "total", "rowgroup")]),
        ("Dayu litigation", [(L, "litigation", "total", "rowgroup")]),
        ("大峪镇复议后起诉多少件", [(L, "litigation_after_review", "total", "cell")]),
        ("大峪镇行政复议和行政诉讼情况", [(L, None, None, "table")]),
    ],
)
def test_metrics(question, expected):
    assert cells(u_(question)) == expected


def test_litigation_group_sums_both_lawsuit_rows():
    (metric,) = u_("大峪镇诉讼多少件").metrics
    assert metric.rows == ("litigation_direct", "litigation_after_review")
    assert (
        metric.label_zh == "行政诉讼·总计"
        and metric.label_en == "administrative litigation (total)"
    )


def test_metric_labels_come_from_the_template():
    (metric,) = u_("大峪镇行政处罚多少件").metrics
    assert metric.label_zh == "行政处罚·本年处理决定数量"
    assert metric.label_en == "administrative penalties (decisions this year)"
    assert "metric administrative_penalty from '行政处罚'" in u_("大峪镇行政处罚多少件").reasons


ALL_ROWS = [
    (table, row)
    for table, rows in ((P, T.PROACTIVE_ROWS), (R, T.REQUEST_ROWS), (L, T.REVIEW_ROWS))
    for row in rows
]


@pytest.mark.parametrize("table, row", ALL_ROWS, ids=lambda x: getattr(x, "key", x))
def test_every_template_row_has_words(table, row):
    """Each row's own terms lead to it (其他处理 is read as the summed group in both templates)."""
    for term in row.terms:
        zh = not term.isascii()
        u = u_(f"大峪镇2025年{term}多少件" if zh else f"how many {term} in Dayu in 2025")
        assert (table, row.key) in {(m.table, r) for m in u.metrics for r in m.rows}, term


@pytest.mark.parametrize(
    "question, applicant",
    [
        ("大峪镇2025年自然人申请多少件", "natural_person"),
        ("how many requests from natural persons did Dayu receive", "natural_person"),
        ("大峪镇2025年企业申请多少件", "commercial_enterprise"),
        ("how many requests from businesses did Dayu get", "commercial_enterprise"),
        ("大峪镇法人或其他组织申请多少件", "legal_person_subtotal"),
        ("大峪镇律师事务所申请几件", "legal_service_org"),
        ("大峪镇申请多少件", None),
    ],
)
def test_applicant(question, applicant):
    u = u_(question)
    assert u.applicant == applicant
    assert cells(u) == [(R, "new_received", applicant or "total", "cell")]


def test_applicant_applies_to_other_request_rows():
    assert cells(u_("大峪镇自然人申请予以公开多少件")) == [(R, "granted", "natural_person", "cell")]


@pytest.mark.parametrize(
    "question",
    [
        "大峪镇发布信息多少条",
        "how many items posted on the website by Dayu",
        "大峪镇建了多少个专区",
        "大峪镇培训多少次",
        "大峪镇信息处理费收了多少",
        "how much information processing fee did Dayu charge",
        "大峪镇主动公开政府信息多少条",
    ],
)
def test_narrative_numbers(question):
    u = u_(question)
    assert u.narrative_number and u.metrics == [] and u.wants_number
    assert route(u, ORGS)[0] == "sql"


def test_processing_fee_is_not_administrative_fees():
    assert u_("大峪镇信息处理费多少").metrics == []


# --- intents ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question, intent",
    [
        ("大峪镇2025年行政处罚多少件？", "value"),
        ("How many administrative penalties did Dayu town have in 2025?", "value"),
        ("哪些镇2025年有行政处罚", "list"),
        ("which towns had administrative penalties in 2025", "list"),
        ("2025年有多少个镇收到申请", "count"),
        ("how many towns received requests", "count"),
        ("2025年各镇行政许可总共多少", "total"),
        ("total licensing across all towns", "total"),
        ("哪个镇依申请公开最多", "max"),
        ("which town had the most requests", "max"),
        ("哪个镇行政处罚最少", "min"),
        ("which town had the fewest penalties", "min"),
        ("按行政处罚排名", "rank"),
        ("rank towns by penalties", "rank"),
        ("行政处罚前3名的镇", "rank"),
        ("大峪镇和刘湾镇哪个行政许可多", "compare"),
        ("compare Dayu and Liuwan on licensing", "compare"),
        ("大峪镇比刘湾镇行政处罚多吗", "compare"),
        ("大峪镇2021到2025年行政处罚变化", "trend"),
        ("how did Dayu's penalties change over the years", "trend"),
        ("大峪镇2021年和2025年行政处罚", "trend"),
        ("行政处罚超过10件的镇", "threshold"),
        ("towns with more than 10 penalties", "threshold"),
        ("陈区镇存在哪些主要问题？", "prose"),
        ("what problems did Chenqu town report", "prose"),
        ("大峪镇政府网站建设情况如何", "prose"),
    ],
)
def test_intents(question, intent):
    assert u_(question).intent == intent


def test_list_reads_level_metric_and_year():
    u = u_("which towns had administrative penalties in 2025")
    assert (u.level, u.years, u.intent_cue) == ("镇", [2025], "which towns")
    assert cells(u) == [(P, "administrative_penalty", "decisions", "cell")]
    assert u.lang == "en" and u_("哪些镇2025年有行政处罚").lang == "zh"


@pytest.mark.parametrize(
    "question, level",
    [
        ("哪些街道有行政复议", "街道"),
        ("which subdistricts had litigation", "街道"),
        ("各乡镇行政处罚排名", "乡镇"),
        ("rank townships by fees", "乡镇"),
        ("how many counties received requests", "县"),
        ("各部门行政许可总共多少", "部门"),
        ("大峪镇行政处罚多少件", None),
    ],
)
def test_level(question, level):
    assert u_(question).level == level


@pytest.mark.parametrize(
    "question, threshold",
    [
        ("行政处罚超过10件的镇", ("gt", 10)),
        ("行政处罚超过十件的镇", ("gt", 10)),
        ("行政处罚大于二十五件的镇", ("gt", 25)),
        ("行政处罚不少于5件的镇", ("ge", 5)),
        ("行政处罚5件以上的镇", ("ge", 5)),
        ("行政处罚少于3件的镇", ("lt", 3)),
        ("行政处罚不超过3件的镇", ("le", 3)),
        ("towns with more than 10 penalties", ("gt", 10)),
        ("towns with at least five penalties", ("ge", 5)),
        ("towns with fewer than 3 penalties", ("lt", 3)),
        ("towns with 5 or more penalties", ("ge", 5)),
        ("towns with fees over 1.5", ("gt", 1.5)),
    ],
)
def test_thresholds(question, threshold):
    u = u_(question)
    assert u.threshold == threshold and u.intent == "threshold"


@pytest.mark.parametrize(
    "question", ["which towns had no penalties in 2025", "哪些镇2025年没有行政处罚"]
)
def test_list_of_zero_is_a_threshold(question):
    u = u_(question)
    assert (u.intent, u.threshold, u.level) == ("threshold", ("eq", 0), "镇")


@pytest.mark.parametrize(
    "question, limit",
    [("行政处罚前3名的镇", 3), ("行政处罚排名前五的镇", 5), ("top 3 towns by requests", 3)],
)
def test_rank_limit(question, limit):
    u = u_(question)
    assert (u.intent, u.rank_limit) == ("rank", limit)


@pytest.mark.parametrize(
    "question, prose, number",
    [
        ("大峪镇行政处罚多少件？存在什么问题？", True, True),
        ("陈区镇存在哪些主要问题？", False, False),
        ("大峪镇2025年行政处罚情况", False, True),
        ("大峪镇采取了哪些改进措施", True, False),
        ("describe Dayu's disclosure platforms", True, False),
        ("how did Dayu improve its website", True, False),
    ],
)
def test_prose_and_number_cues(question, prose, number):
    u = u_(question)
    assert u.wants_number == number
    assert u.wants_prose == (prose or u.intent == "prose")


def test_topics_and_sections_for_retrieval():
    u = u_("陈区镇存在哪些主要问题？")
    assert u.topics == ["问题"] and u.sections == ["problems_improvements"]
    assert u_("大峪镇2025年政府网站建设情况如何").topics == ["政府网站", "建设"]


def test_traditional_and_full_width():
    u = u_("大峪鎮２０２５年行政處罰多少件")
    assert shorts(u.orgs) == ["大峪镇"] and u.years == [2025] and u.intent == "value"
    assert cells(u) == [(P, "administrative_penalty", "decisions", "cell")]
    assert u_("哪些鎮有行政處罰").intent == "list"


def test_to_dict_is_json():
    u = u_("高平2025年行政处罚超过10件吗")
    data = json.loads(json.dumps(u.to_dict(), ensure_ascii=False))
    assert data["ambiguous"]["高平"][0]["org_short"] == "高平镇"
    assert data["metrics"][0]["row"] == "administrative_penalty"
    assert data["threshold"] == ["gt", 10]


# --- follow-ups -----------------------------------------------------------------------------------


def follow(first: str, second: str) -> Understanding:
    return merge_followup(u_(first), u_(second))


def test_followup_year_only():
    u = follow("高平镇2025年行政处罚多少件？", "那2021年呢？")
    assert (shorts(u.orgs), u.years, u.intent) == (["高平镇"], [2021], "value")
    assert cells(u) == [(P, "administrative_penalty", "decisions", "cell")]
    assert "carried over orgs 高平镇 from the previous question" in u.reasons
    assert u.question == "那2021年呢？"


def test_followup_year_only_english():
    u = follow("which towns had administrative penalties in 2025", "and 2021?")
    assert (u.level, u.years, u.intent, u.lang) == ("镇", [2021], "list", "en")


def test_followup_org_only():
    u = follow("大峪镇2025年行政处罚多少件？", "刘湾镇呢")
    assert (shorts(u.orgs), u.years, u.intent) == (["刘湾镇"], [2025], "value")
    assert cells(u) == [(P, "administrative_penalty", "decisions", "cell")]
    v = follow("How many penalties did Dayu town have in 2025?", "and 刘湾镇?")
    assert (shorts(v.orgs), v.years, v.lang) == (["刘湾镇"], [2025], "zh")


def test_followup_org_after_list_asks_for_its_value():
    u = follow("which towns had administrative penalties in 2025", "刘湾镇呢")
    assert (shorts(u.orgs), u.intent, u.level) == (["刘湾镇"], "value", None)


@pytest.mark.parametrize(
    "second, expected",
    [
        ("what about litigation?", (L, "litigation", "total", "rowgroup")),
        ("行政复议呢", (L, "review", "total", "cell")),
    ],
)
def test_followup_metric_only(second, expected):
    u = follow("How many penalties did Dayu town have in 2025?", second)
    assert (shorts(u.orgs), u.years, cells(u)) == (["大峪镇"], [2025], [expected])


def test_followup_prose():
    u = follow("陈区镇存在哪些主要问题？", "大峪镇呢？")
    assert (shorts(u.orgs), u.intent, u.wants_prose) == (["大峪镇"], "prose", True)


def test_followup_applicant_only():
    u = follow("大峪镇2025年依申请公开多少件", "自然人呢")
    assert cells(u) == [(R, "new_received", "natural_person", "cell")]


def test_full_question_is_not_changed():
    first = u_("大峪镇2025年行政处罚多少件？")
    for second in ("刘湾镇2025年行政许可多少件？", "那大峪镇2021年行政处罚多少件？"):
        current = u_(second)
        assert merge_followup(first, current) is current


# --- routes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question, expected",
    [
        ("大峪镇2025年行政处罚多少件？", "sql"),
        ("which towns had administrative penalties in 2025", "sql"),
        ("大峪镇和刘湾镇哪个行政许可多", "sql"),
        ("大峪镇2021到2025年行政处罚变化", "sql"),
        ("高平镇历年行政处罚变化", "sql"),  # a trend needs no year
        ("陈区镇存在哪些主要问题？", "retrieval"),
        ("陈区镇", "retrieval"),
        ("大峪镇行政处罚多少件？存在什么问题？", "hybrid"),
        ("高平2025年行政处罚多少件", "clarify"),
        ("高平镇行政处罚多少件", "clarify"),
        ("哪个镇依申请公开最多", "sql"),  # an aggregate without a year: every year
        ("依申请公开多少件", "clarify"),  # one number, but whose and when?
        ("北京市2025年行政处罚多少件", "none"),
        ("大峪镇2019年行政处罚多少件", "none"),
    ],
)
def test_routes(question, expected):
    assert route(u_(question), ORGS)[0] == expected


def test_route_reasons():
    assert route(u_("北京市2025年行政处罚多少件"), ORGS) == (
        "none",
        ["no 2025 report for 北京市 is indexed"],
    )
    assert route(u_("大峪镇2019年行政处罚多少件"), ORGS) == (
        "none",
        ["no 2019 report for 大峪镇 is indexed (years: 2025)"],
    )
    assert route(u_("高平镇行政处罚多少件"), ORGS) == (
        "clarify",
        ["高平镇 has reports for 2021, 2025; no year named"],
    )
    assert route(u_("高平行政处罚多少件"), ORGS) == (
        "clarify",
        ["'高平' could be 高平镇 or 高平街道办事处"],
    )
    assert route(u_("哪些镇有行政处罚"), ORGS) == (
        "sql",
        [
            "no year named: every indexed year, each report labelled with its year",
            "template metric: administrative_penalty",
        ],
    )
    assert route(u_("大峪镇行政处罚多少件？存在什么问题？"), ORGS) == (
        "hybrid",
        ["template metric: administrative_penalty", "prose question: 行政处罚, 问题"],
    )


def test_route_none_for_a_year_no_org_of_the_level_has():
    assert route(u_("哪些街道2021年有行政处罚"), ORGS) == (
        "none",
        ["no 2021 report is indexed for any 街道"],
    )


def test_route_partial_years_keep_going():
    u = u_("大峪镇和陈区镇2025年行政处罚哪个多")
    assert route(u, ORGS) == (
        "sql",
        [
            "no 2025 report for 陈区镇 is indexed (years: 2024)",
            "template metric: administrative_penalty",
        ],
    )


def test_import_is_light():
    code = (
        "import sys, time; t = time.perf_counter(); import bot.question.understand; "
        "print(time.perf_counter() - t); "
        "print(any(m in sys.modules for m in ('jieba', 'torch', 'pypinyin', 'chromadb')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, heavy = out.stdout.split()
    assert float(seconds) < 0.3 and heavy == "False"


# --- aggregate wording, reports and narrative counts -----------------------------------------


@pytest.mark.parametrize(
    "question, intent, level, threshold",
    [
        ("2021年各单位行政处罚合计多少件", "total", None, None),
        ("2021年哪些单位的行政许可超过100件", "threshold", None, ("gt", 100)),
        ("2021年各单位行政许可数量从高到低排个序", "rank", None, None),
        (
            "How many towns reported zero administrative penalties in 2025?",
            "count",
            "镇",
            ("eq", 0),
        ),
        ("2025年行政处罚为0的镇有哪些", "threshold", "镇", ("eq", 0)),
        ("2025年有几个镇的行政处罚不为零", "count", "镇", None),
        ("Which reports show a non-zero administrative fee amount in 2025?", "list", None, None),
    ],
)
def test_aggregate_cues(question, intent, level, threshold):
    u = u_(question)
    assert (u.intent, u.level, u.threshold) == (intent, level, threshold)


def test_this_year_next_to_an_explicit_year_is_that_year():
    assert u_("Chenqu town 2024: total requests handled this year?").years == [2024]


def test_request_words_yield_to_a_specific_row():
    u = u_("高平镇2025年上年结转的政府信息公开申请有多少")
    assert cells(u) == [("requests", "carried_over", "total", "cell")]


def test_items_are_narrative_numbers():
    u = u_("高平镇2025年对外公开各类政府信息多少条？")
    assert u.narrative_number and not u.metrics and u.intent == "value"


@pytest.mark.parametrize(
    "question, kind, route_",
    [
        ("2024年有哪些单位的政府信息公开年报？", "reports", "sql"),
        ("高平镇有哪几年的年报？", "reports", "sql"),
        ("How many annual reports for 2025 are in the collection?", "reports", "sql"),
        ("高平镇2025年的报告说存在哪些主要问题", None, "retrieval"),
        ("What phone number is given in Chenqu town's annual report?", None, "retrieval"),
    ],
)
def test_reports_themselves(question, kind, route_):
    u = u_(question)
    assert [m.kind for m in u.metrics] == ([kind] if kind else [])
    assert route(u, ORGS)[0] == route_


def test_any_year_needs_no_year():
    u = u_("Which towns reported 30 or more administrative penalty decisions in any year?")
    assert (u.intent, u.years, route(u, ORGS)[0]) == ("threshold", [], "sql")


# --- question shapes: verbs, joined questions, who/where, yes/no, which-thing ------------------


@pytest.mark.parametrize(
    "question, expected",
    [
        ("How many administrative licences did Liuwan town issue in 2025?", "sql"),  # a verb
        ("What is the main issue in Liuwan's disclosure work?", "retrieval"),  # a noun
        ("行政许可有多少件？", "clarify"),  # one number: whose, and which year?
        ("How many reconsideration cases were there?", "clarify"),
        ("2025年行政许可有多少件", "sql"),  # a year: all organisations of that year
        ("哪个镇的行政许可最多？", "sql"),  # an aggregate without a year: every year
        ("大峪镇2025年行政处罚多少件？公开渠道有哪些？", "hybrid"),
        (
            "How many posts did Liuwan town publish in 2025, and which platforms did it use?",
            "hybrid",
        ),
        ("大峪镇2025年行政处罚多少件？行政许可多少件？", "sql"),  # two numbers, no prose
        ("大峪镇有政府信息公开考核制度吗？", "retrieval"),  # yes/no about a thing
        ("大峪镇2025年有行政处罚吗", "sql"),  # yes/no about a metric
        ("刘湾镇的依申请公开由谁负责？", "retrieval"),
        ("Where can I download Liuwan town's annual report?", "retrieval"),
        ("陈区镇通过哪些平台主动公开政府信息？", "retrieval"),  # which things, not which towns
        ("大峪镇和刘湾镇2025年谁的行政许可多", "sql"),  # 谁 between two organisations
        ("大峪镇和刘湾镇2025年行政许可哪个多", "sql"),
        ("Which plan improves the reward-and-penalty system?", "retrieval"),  # a compound word
    ],
)
def test_question_shapes(question, expected):
    assert route(u_(question), ORGS)[0] == expected


def test_aggregate_without_a_year_says_so():
    assert (
        "no year named: every indexed year, each report labelled with its year"
        in (route(u_("哪个镇的行政许可最多？"), ORGS)[1])
    )


def test_money_unit_asked_for():
    assert u_("大峪镇2025年行政事业性收费折合多少元").unit == "元"
    assert u_("大峪镇2025年行政事业性收费多少万元").unit == "万元"
    assert u_("大峪镇2025年行政许可多少件").unit is None


# --- partial and English organisation names, products named after places ------------------------

WESTLAKE = OrgRef(
    "杭州市西湖风景名胜区管理委员会", "杭州市西湖风景名胜区管理委员会", "部门", (2024,)
)


@pytest.mark.parametrize(
    "question, expected",
    [
        ("西湖风景区管理委员会2024年行政处罚多少件", [WESTLAKE.org_short]),  # in-order subsequence
        ("How many penalties did the Xihu scenic area management committee impose?", [WESTLAKE.org_short]),
        ("Moumou District Market Supervision Administration penalties in 2025", ["某某区市场监督管理局"]),
        ("管理委员会2024年行政处罚多少件", []),  # too little of the name
    ],
)  # fmt: skip
def test_partial_and_english_names(question, expected):
    assert shorts(understand(question, [*ORGS, WESTLAKE], 2025).orgs) == expected


def test_a_product_named_after_a_place_is_not_the_organisation():
    assert find_orgs("其中大峪app发布了多少条", tuple(ORGS)) == []
    assert find_orgs("through the dayu app", tuple(ORGS)) == []
    assert shorts(u_("大峪镇的政务app叫什么").orgs) == ["大峪镇"]


# --- follow-ups: pronouns, a number after prose, the total column, the previous answer --------


def test_followup_number_after_prose_keeps_its_intent():
    u = follow("刘湾镇存在哪些不足？", "2025年有没有行政诉讼？")
    assert (u.intent, shorts(u.orgs), u.years) == ("value", ["刘湾镇"], [2025])
    assert route(u, ORGS)[0] == "sql"


def test_followup_pronoun_carries_the_subject():
    u = follow("刘湾镇的政务微博叫什么？", "2025年它发了多少条")
    assert u.narrative_number and "微博" in u.topics and shorts(u.orgs) == ["刘湾镇"]


def test_followup_what_about_an_organisation():
    u = follow("How many penalties did Dayu town have in 2025?", "What about Liuwan town?")
    assert (shorts(u.orgs), u.intent, route(u, ORGS)[0]) == (["刘湾镇"], "value", "sql")


def test_followup_total_column():
    u = follow("刘湾镇2025年部分公开的申请里商业企业有几件？", "合计呢？")
    assert cells(u) == [(R, "partially_granted", "total", "cell")] and u.applicant is None


def test_followup_which_of_the_listed_organisations():
    first = u_("2025年哪些镇有行政许可")
    u = merge_followup(first, u_("其中哪个更多？"), [DAYU, HUDONG])
    assert (u.intent, shorts(u.orgs), u.years) == ("max", ["大峪镇", "湖东镇"], [2025])
    v = merge_followup(first, u_("Which of them had fewer?"), [DAYU, HUDONG])
    assert v.intent == "min"


def test_followup_unit_only():
    u = follow("大峪镇2025年行政事业性收费多少万元", "合多少元")
    assert (u.unit, cells(u)) == ("元", [(P, "administrative_fees", "fee_amount", "cell")])


# --- relative-year words inside metric names; connectives inside unknown names ---------------


@pytest.mark.parametrize(
    "question, years, row, col",
    [  # "last year"/"this year" belong to the row or column label here, not to the question
        ("高平镇2021年的carried over from last year是多少", [2021], "carried_over", "total"),
        (
            "What was carried over from last year at Dayu town in 2025?",
            [2025],
            "carried_over",
            None,
        ),
        (
            "高平镇2021年行政许可的change this year",
            [2021],
            "administrative_licensing",
            "items_change",
        ),
        (
            "Gaoping town 2021 licensing decisions this year",
            [2021],
            "administrative_licensing",
            None,
        ),
    ],
)
def test_relative_year_inside_a_metric_name(question, years, row, col):
    u = u_(question)
    assert u.years == years and u.relative_year is None
    assert u.metrics[0].row == row and (col is None or u.metrics[0].col == col)


def test_relative_year_outside_a_metric_name_still_counts():
    assert u_("What was carried over from last year at Dayu town last year?").years == [2025]


@pytest.mark.parametrize(
    "question, unknown",
    [
        ("清和县2024年收到多少申请", ["清和县"]),
        ("永与乡和大峪镇比较行政处罚", ["永与乡"]),
        ("东坪区发展和改革局有几件行政复议", ["东坪区发展和改革局"]),
        ("平和镇和安和镇的行政处罚", ["平和镇", "安和镇"]),
    ],
)
def test_unknown_names_with_connective_characters(question, unknown):
    assert u_(question).unknown_orgs == unknown


def test_unknown_name_with_a_connective_is_not_everyone():
    u = u_("和平镇与黄和县2025年各有多少行政处罚")
    assert u.unknown_orgs == ["和平镇", "黄和县"] and route(u, ORGS)[0] == "none"
