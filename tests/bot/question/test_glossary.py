"""English questions → Chinese search terms (`bot.question.glossary`)."""

import pytest

from bot.question.glossary import STOP, _stem, chinese_terms, glossary


@pytest.mark.parametrize(
    "question, expected",
    [
        ("What problems did Dayu town report?", ["问题", "不足"]),
        ("Does Liuwan publish through a WeChat official account?", ["发布", "微信公众号"]),
        ("How did the town train its staff on disclosure?", ["培训", "工作人员", "信息公开"]),
        ("What shortcomings and weaknesses remain?", ["不足", "短板", "薄弱"]),
        ("What rectification measures were taken?", ["整改", "措施"]),
        ("What are the plans for next year?", ["计划", "下一步"]),
        ("Is there a bulletin board for village affairs?", ["公开栏", "村务公开"]),
        ("How is confidentiality review done?", ["保密审查"]),
        ("Was an information processing fee charged?", ["信息处理费", "收费"]),
        ("How were requests on request handled and replied to?", ["申请", "依申请公开", "答复"]),
        ("How does the leading group supervise accountability?", ["领导小组", "监督", "责任追究"]),
        ("Policy interpretation on Weibo and new media", ["政策解读", "微博", "政务新媒体"]),
        ("safety in production and rural revitalisation", ["安全生产", "乡村振兴"]),
        ("Is the disclosure timely?", ["及时", "时效性"]),
    ],
)
def test_questions_map_to_domain_terms(question: str, expected: list[str]) -> None:
    terms = chinese_terms(question)
    assert [t for t in expected if t not in terms] == []


def test_exact_terms_in_order_of_appearance() -> None:
    assert chinese_terms("Does Liuwan publish through a WeChat official account?") == [
        "发布",
        "公开",
        "微信公众号",
        "公众号",
        "政务微信",
    ]
    assert chinese_terms("staff training") == ["工作人员", "人员", "培训", "业务培训"]


def test_phrases_beat_single_words() -> None:
    assert chinese_terms("government website") == ["政府网站", "门户网站"]
    assert "网站" not in chinese_terms("the government website")
    assert chinese_terms("official account") == ["微信公众号", "公众号", "政务微信"]
    assert "主要问题" in chinese_terms("main problems")
    assert chinese_terms("administrative review")[0] == "行政复议"
    assert chinese_terms("the leader in charge") == ["分管领导", "分管"]


@pytest.mark.parametrize(
    "forms",
    [
        ("post", "posts", "posted", "posting"),
        ("train", "trains", "trained", "training"),
        ("problem", "problems"),
        ("policy", "policies"),
        ("reply", "replies", "replied", "replying"),
        ("update", "updates", "updated", "updating"),
        ("standardise", "standardize", "standardised", "standardized"),
        ("weakness", "weaknesses"),
        ("shortcoming", "shortcomings"),
    ],
)
def test_stemming(forms: tuple[str, ...]) -> None:
    assert len({_stem(f) for f in forms}) == 1
    assert len({tuple(chinese_terms(f)) for f in forms}) == 1
    assert chinese_terms(forms[0])


def test_case_insensitive_and_word_boundaries() -> None:
    assert chinese_terms("WECHAT Official Account") == chinese_terms("wechat official account")
    assert chinese_terms("fees") == chinese_terms("fee")
    assert chinese_terms("feedback") != chinese_terms("fee")  # no match inside a word
    assert chinese_terms("trainee") == chinese_terms("training")


def test_chinese_and_unknown_words_give_nothing() -> None:
    assert chinese_terms("大峪镇存在哪些主要问题？") == []
    assert chinese_terms("刘湾镇是否通过微信公众号发布信息") == []
    assert chinese_terms("Dayu Gaoping Liuwan Chenqu Hudong") == []
    assert chinese_terms("What did the town say in the report?") == []
    assert chinese_terms("") == []


def test_mixed_text_skips_terms_already_there() -> None:
    assert chinese_terms("大峪镇 training") == ["培训", "业务培训"]
    assert chinese_terms("微信公众号 wechat official account") == ["政务微信"]


def test_no_duplicates() -> None:
    terms = chinese_terms(
        "Problems, issues and shortcomings: staff, personnel and training; trained staff; "
        "disclosure of information and information disclosure on the website and the portal"
    )
    assert len(terms) == len(set(terms))


def test_table_is_broad_and_clean() -> None:
    table = glossary()
    assert len(table) >= 250
    assert not [k for k in table if k in STOP]
    for english, terms in table.items():
        assert english and terms, english
        assert all(not t.isascii() or t == "APP" for t in terms), english
