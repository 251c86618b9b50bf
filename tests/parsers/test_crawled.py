"""Crawled reports: the crawler's header block (parsers/header.py), bodies printed on one or two
very long lines and narrative broken into one text run a line (parsers/reflow.py). Small texts
written here for each rule, then the three real crawled reports of tests/data/real (copied from
the shared corpus; their table cells are scored elsewhere)."""

from __future__ import annotations

import pytest

from parsers import parse_file
from parsers.header import Header, read_header
from parsers.parse import parse_lines
from parsers.reflow import LONG_LINE, reflow
from tests.paths import DATA

REAL = DATA / "real"
REFLOWED = "the text was re-flowed"

HEADER = [
    "标题: 青山镇人民政府2023年政府信息公开工作年度报告",
    "发布时间: 2024-01-20 09:30",
    "文号: ",
    "发布机构: 青山镇",
    "栏目: 政府信息公开年报",
    "原文链接: https://www.example.gov.cn/xxgk/ndbg/202401/t20240120_1.htm",
    "本地目录: xxgk/ndbg/202401/1_青山镇人民政府2023年政府信息公开工作年度报告",
    "页面链接与图片详见 links.tsv(同目录)",
    "==================== 正文 ====================",
]
BODY = [
    "根据《中华人民共和国政府信息公开条例》要求，编制本报告。",
    "一、总体情况",
    "2023年，青山镇主动公开政府信息120条。",
    "五、存在的主要问题及改进情况",
    "公开内容不够全面，今后将加强培训。",
]


def keys(report) -> list[str]:
    return [s.key for s in report.sections]


# --- the crawler header ------------------------------------------------------------------------


def test_header_fields_and_where_the_body_starts():
    header = read_header(HEADER + BODY)
    assert header.body_start == len(HEADER) + 1
    assert header.title == "青山镇人民政府2023年政府信息公开工作年度报告"
    assert header.title_line == 1
    assert header.source_url == "https://www.example.gov.cn/xxgk/ndbg/202401/t20240120_1.htm"
    assert header.publisher == "青山镇"
    assert header.fields["文号"] == ""


def test_header_closed_by_a_colon_marker_and_an_original_link():
    lines = ["", "标题: X", "发布机构: ", "原始链接: http://a.gov.cn/b.htm", "正文:", *BODY]
    header = read_header(lines)
    assert (header.body_start, header.source_url) == (6, "http://a.gov.cn/b.htm")


@pytest.mark.parametrize(
    "lines",
    [
        # no body marker: a web page's metadata printed above an ordinary report stays text
        ["标题: 青山镇人民政府2023年政府信息公开工作年度报告", "发布机构: 青山镇", *BODY],
        # the file does not open with a field
        ["青山镇人民政府2023年政府信息公开工作年度报告", "发布机构: 青山镇", "正文:", *BODY],
        # one field is not a header
        ["附件: 1", "正文:", *BODY],
        # a paragraph before the marker is the report's text, not a crawler's note
        ["标题: X", "发布机构: Y", "根据" + "条例规定" * 30 + "。", "正文:", *BODY],
    ],
    ids=["no marker", "no field first", "one field", "paragraph"],
)
def test_no_header_without_fields_and_a_body_marker(lines):
    assert read_header(lines) == Header()


def test_header_lines_stay_out_of_the_sections():
    report = parse_lines(HEADER + BODY, source="t.txt")
    assert keys(report) == ["preamble", "overview", "problems_improvements"]
    assert report.sections[0].text == BODY[0]  # the preamble is the report's, not the page's
    assert not any("发布时间" in s.text or "links.tsv" in s.text for s in report.sections)
    assert (report.org, report.year) == ("青山镇人民政府", 2023)
    assert report.source_url == "https://www.example.gov.cn/xxgk/ndbg/202401/t20240120_1.htm"
    assert report.lines == HEADER + BODY  # nothing re-flowed: line numbers are the file's


def test_title_repeated_in_the_body_is_not_preamble():
    report = parse_lines([*HEADER, "青山镇人民政府2023年政府信息公开工作年度报告", *BODY[1:]])
    assert keys(report) == ["overview", "problems_improvements"]


def test_publisher_abbreviation_never_overrides_the_title():
    lines = [
        "标题: 莆田市科学技术局2021年政府信息公开工作年度报告",
        "发布机构: 莆田市科技局",
        "正文:",
        *BODY,
    ]
    report = parse_lines(lines)
    assert (report.org, report.org_level, report.year) == ("莆田市科学技术局", "部门", 2021)


def test_publisher_is_only_a_last_resort():
    untitled = ["标题: 2023年政府信息公开工作年度报告", "发布机构: 海陵区政府办", "正文:"]
    named = parse_lines(untitled + ["由城东街道办事处编制本报告。", *BODY[1:]])
    assert (named.org, named.year) == ("城东街道办事处", 2023)  # the text names it
    unnamed = parse_lines(untitled + ["一、总体情况", "2023年，我街道主动公开信息9条。"])
    assert (unnamed.org, unnamed.year) == ("海陵区政府办", 2023)
    assert "the organisation is not named in the text" not in unnamed.warnings


# --- one-line bodies ---------------------------------------------------------------------------

FILLER = "全年通过政府网站、政务新媒体等渠道持续公开政策文件和工作动态，及时回应社会关切。" * 25
TABLE_2 = (
    "第二十条第（一）项 信息内容 本年制发件数 本年废止件数 现行有效件数 规章000行政规范性文件1 0 5"
)
TABLE_3 = (
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和） 申请人情况 自然人 总计 "
    "一、本年新收政府信息公开申请数量 5000005二、上年结转政府信息公开申请数量 0000000"
    "三、本年度办理结果（一）予以公开 5000005（七）总计 5000005四、结转下年度继续办理 0000000"
)
TABLE_4 = "行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"
ONE_LINE = (
    "青山区2022年政府信息公开工作年度报告 本报告包括总体情况、主动公开政府信息情况、收到和处理政府"
    "信息公开申请情况、政府信息公开行政复议行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项"
    "等六个部分。 一、总体情况 2022年，青山区坚持统一、主动公开工作要求，扎实推进政务公开。 "
    f"（一）主动公开方面 全年共主动公开政府信息1200条。{FILLER} "
    "（二）依申请公开方面 全年收到政府信息公开申请5件。 "
    f"二、主动公开政府信息情况{TABLE_2} 三、收到和处理政府信息公开申请情况{TABLE_3} "
    f"四、政府信息公开行政法复议、行政诉讼情况{TABLE_4} "
    "五、存在的主要问题及改进情况（一）存在的主要问题：宣传形式单一。（二）改进措施：丰富宣传形式。"
    "六、其他需要报告的事项 无。"
)


def test_a_one_line_body_is_broken_at_its_headings():
    assert len(ONE_LINE) > LONG_LINE
    report = parse_lines(
        ["标题: 青山区2022年政府信息公开工作年度报告", "发布时间: 2023-01-01", "正文:", ONE_LINE]
    )
    assert keys(report) == [
        "preamble",
        "overview",
        "overview.proactive",
        "overview.on_request",
        "proactive_tables",
        "request_tables",
        "review_litigation_table",  # the heading's typo 行政法复议 does not hide it
        "problems_improvements",
        "problems_improvements.problems",
        "problems_improvements.improvements",
        "other_matters",
    ]
    assert report.lines[3:] == [
        "青山区2022年政府信息公开工作年度报告 本报告包括总体情况、主动公开政府信息情况、收到和处理政府"
        "信息公开申请情况、政府信息公开行政复议行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项"
        "等六个部分。",  # a list of the section names is no heading
        "一、总体情况",
        "2022年，青山区坚持统一、主动公开工作要求，扎实推进政务公开。",  # 统一、 is no heading
        "（一）主动公开方面",
        f"全年共主动公开政府信息1200条。{FILLER}",
        "（二）依申请公开方面",
        "全年收到政府信息公开申请5件。",
        "二、主动公开政府信息情况",
        TABLE_2,  # table sections stay as printed, their row labels 一、… 四、… included
        "三、收到和处理政府信息公开申请情况",
        TABLE_3,
        "四、政府信息公开行政法复议、行政诉讼情况",
        TABLE_4,
        "五、存在的主要问题及改进情况",
        "（一）存在的主要问题：",
        "宣传形式单一。",
        "（二）改进措施：",
        "丰富宣传形式。",
        "六、其他需要报告的事项",
        "无。",
    ]
    assert report.warnings[0] == (
        "the text was re-flowed (19 line breaks were added around inline headings); "
        "line numbers refer to the re-flowed text"
    )
    fact = next(f for f in report.text_facts if f.value == 1200)
    assert (fact.unit, fact.section) == ("条", "overview.proactive")
    assert fact.quote in report.lines[fact.line - 1]  # citations quote the re-flowed lines
    for section in report.sections:
        assert report.lines[section.lines[0] - 1].startswith(
            section.path[-1] if section.path else ""
        )


def test_a_numbered_sentence_is_no_sub_heading():
    line = "一、总体情况 （一）强化组织协调，着力规范公开工作。" + FILLER
    assert reflow([line]).lines == [
        "一、总体情况",
        "（一）强化组织协调，着力规范公开工作。" + FILLER,
    ]


def test_headings_are_taken_in_order_only():
    # after 三, a 二、 or a second 三、 is a table row label or text, never a heading
    line = (
        "三、收到和处理政府信息公开申请情况 二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况"
        + FILLER
    )
    assert reflow([line]).lines == [
        "三、收到和处理政府信息公开申请情况",
        "二、主动公开政府信息情况 三、收到和处理政府信息公开申请情况" + FILLER,
    ]


def test_lines_shorter_than_a_long_line_are_never_reflowed():
    lines = [
        "一、总体情况 2023年，本镇主动公开信息12条。（二）依申请公开方面 收到申请3件。" + "。" * 800
    ]
    result = reflow(lines)
    assert result.lines is lines and result.warnings == []


def test_a_long_line_without_headings_is_left_as_it_is():
    lines = ["x" * 5000]
    assert reflow(lines).lines is lines


# --- fragmented narrative ----------------------------------------------------------------------

FRAGMENTED = [
    "根据《条例》规定，制定",
    "青山局",
    "2021",
    "年度报告。",
    "一、总体情况",
    "2021",
    "年度，我局",
    "扎实开展",
    "政府",
    "信息公开工作。",
    "（一）主动公开",
    "方面",
    "。",
    "2021",
    "年度我局主动公开政府信息",
    "50",
    "件，",
    "其中",
    "政策文件",
    "10",
    "件。",
    "（",
    "二",
    "）依申请公开",
    "方面。",
    "未收到",
    "申请。",
    "二、主动公开政府信息情况",
    "第二十条第（一）项",
    "信息内容",
    "本年制发件数",
    "规章",
    "0",
    "三、收到和处理政府信息公开申请情况",
    "一、本年新收政府信息公开申请数量",
    "0",
    "三、本年度办理结果",
    "（一）予以公开",
    "0",
    "四、结转下年度继续办理",
    "0",
    "四、政府信息公开行政复议、行政诉讼情况",
    "总计",
    "0",
    "五、存在的主要问题及改进情况",
    "宣传",
    "不够",
    "。",
    "下一步将",
    "加强宣传。",
]


def test_fragments_are_joined_into_paragraphs_outside_the_tables():
    report = parse_lines(
        ["标题: 青山局2021年政府信息公开工作年度报告", "发布机构: 青山局", "正文:", *FRAGMENTED]
    )
    table = FRAGMENTED[
        FRAGMENTED.index("二、主动公开政府信息情况") : FRAGMENTED.index(
            "五、存在的主要问题及改进情况"
        )
    ]
    assert report.lines[3:] == [
        "根据《条例》规定，制定青山局2021年度报告。",
        "一、总体情况",
        "2021年度，我局扎实开展政府信息公开工作。",
        "（一）主动公开方面。",
        "2021年度我局主动公开政府信息50件，其中政策文件10件。",
        "（二）依申请公开方面。",
        "未收到申请。",
        *table,  # one cell a line, as printed: the table reader needs them so
        "五、存在的主要问题及改进情况",
        "宣传不够。",
        "下一步将加强宣传。",
    ]
    assert keys(report) == [
        "preamble",
        "overview",
        "overview.proactive",
        "overview.on_request",
        "proactive_tables",
        "request_tables",
        "review_litigation_table",
        "problems_improvements",
    ]
    assert report.warnings[0].startswith(REFLOWED)
    fact = next(f for f in report.text_facts if f.value == 50)
    assert (fact.unit, fact.label, fact.section) == (
        "件",
        "2021年度我局主动公开政府信息",
        "overview.proactive",
    )
    assert fact.quote in report.lines[fact.line - 1]


def test_a_heading_broken_over_lines_is_joined_and_still_a_heading():
    lines = [
        *FRAGMENTED[:27],
        "四、政府信息公开行政",
        "复议、行政诉讼情况",
        "总计",
        "0",
        *FRAGMENTED[44:],
    ]
    report = parse_lines(lines)
    assert "四、政府信息公开行政复议、行政诉讼情况" in report.lines
    assert "review_litigation_table" in keys(report)


def test_a_few_short_lines_are_no_fragmented_text():
    lines = [
        "青山镇人民政府2023年政府信息公开工作年度报告",
        "一、总体情况",
        "（一）主动公开情况",
        "2023年，本镇主动公开信息12条。",
        "二、主动公开政府信息情况",
        "规章",
        "0",
        "五、存在的主要问题及改进情况",
        "宣传不够",
        "青山镇人民政府",
        "2024年1月20日",
    ]
    result = reflow(lines)
    assert result.lines is lines and result.warnings == []


# --- the real crawled reports ------------------------------------------------------------------

REAL_REPORTS = {
    "pingtan_2020.txt": (
        "平潭综合实验区",
        2020,
        "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202103/t20210305_80595.htm",
        [
            "preamble",
            "overview",  # its （一）（二） are themes (强化组织协调…), not the template's sub-sections
            "proactive_tables",
            "request_tables",
            "review_litigation_table",
            "problems_improvements",
            "problems_improvements.problems",
            "problems_improvements.improvements",
            "other_matters",
        ],
        [(2602, "条", "共公布政府信息2602条"), (21, "件", "共受理政府信息公开申请21件")],
    ),
    "pingtan_2022.txt": (
        "平潭综合实验区",
        2022,
        "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202302/t20230220_80629.htm",
        [
            "preamble",
            "overview",
            "overview.proactive",
            "overview.on_request",
            "overview.info_management",
            "overview.platforms",
            "overview.supervision",
            "proactive_tables",
            "request_tables",
            "review_litigation_table",  # printed 四、政府信息公开行政法复议、行政诉讼情况
            "problems_improvements",
            "other_matters",
        ],
        [(14571, "条", "共主动公开政府信息14571条"), (75, "件", "收到政府信息公开申请75件")],
    ),
    "putian_kjj_2021.txt": (
        "莆田市科学技术局",  # 发布机构 says 莆田市科技局
        2021,
        "https://www.putian.gov.cn/zfxxgk/bmzfxxgk/ptkjj/zfxxgk/zfxxgknb/202201/t20220113_1698102.htm",
        [
            "preamble",
            "overview",
            "overview.proactive",
            "overview.on_request",
            "overview.info_management",
            "overview.platforms",
            "overview.supervision",
            "proactive_tables",
            "request_tables",
            "review_litigation_table",
            "problems_improvements",
            "other_matters",
            "other_matters.part1",
            "other_matters.part2",
            "other_matters.part3",
            "other_matters.part4",
        ],
        [
            (50, "件", "主动公开政府信息50件"),
            (23, "期", "共刊发23期"),
            (28, "件", "共办理28件诉求件"),
        ],
    ),
}


@pytest.fixture(scope="module")
def real():
    return {name: parse_file(REAL / name) for name in REAL_REPORTS}


@pytest.mark.parametrize("name", REAL_REPORTS)
def test_real_report_metadata_sections_and_narrative_numbers(real, name):
    org, year, url, sections, facts = REAL_REPORTS[name]
    report = real[name]
    assert (report.org, report.year, report.source_url) == (org, year, url)
    assert keys(report) == sections
    assert report.warnings[0].startswith(REFLOWED)
    assert not any("发布时间" in s.text or "原文链接" in s.text for s in report.sections)
    for value, unit, words in facts:
        assert any(
            f.value == value and f.unit == unit and words in f.quote.replace(" ", "")
            for f in report.text_facts
        ), (value, words)
    for fact in report.text_facts:  # every number is quoted from the line it cites
        assert fact.quote in report.lines[fact.line - 1]


def test_real_one_line_tables_stay_as_printed(real):
    body = (REAL / "pingtan_2022.txt").read_text(encoding="utf-8").split("\n")[9]
    lines = real["pingtan_2022.txt"].lines
    table_2 = lines[lines.index("二、主动公开政府信息情况") + 1]
    assert table_2.startswith("第二十条第（一）项") and table_2 in body
    table_3 = lines[lines.index("三、收到和处理政府信息公开申请情况") + 1]
    assert table_3.endswith("四、结转下年度继续办理 0000000") and table_3 in body


def test_real_fragmented_tables_keep_their_lines(real):
    printed = (REAL / "putian_kjj_2021.txt").read_text(encoding="utf-8").split("\n")
    lines = real["putian_kjj_2021.txt"].lines
    start = lines.index("二、主动公开政府信息情况")
    end = lines.index("五、存在的主要问题及改进情况")
    first = printed.index("二、主动公开政府信息情况")
    assert lines[start:end] == printed[first : first + end - start]
    assert printed[first + end - start] == "五、存在的主要问题及改进情况"
    assert lines[:7] == printed[:7]  # the header is kept as printed, outside the sections
