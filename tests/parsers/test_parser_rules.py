"""Parser rules on small made-up reports: run-together digits, units, renderings, bad input."""

import pytest

from parsers import ParseError, parse_file
from parsers.parse import parse_lines

HEAD = "测试镇人民政府2024年政府信息公开工作年度报告\n一、总体情况\n2024年，本镇收到政府信息公开申请12件。\n"


def report(body: str):
    return parse_lines((HEAD + body).split("\n"), source="t.txt")


def values(rep, table, row):
    return {c.col: c.value for c in rep.cells if c.table == table and c.row == row}


def test_run_together_digits_split_when_exactly_one_split_fits():
    rep = report(
        "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容本年制发件数本年废止件数现行有效件数\n规章000\n"
        "三、收到和处理政府信息公开申请情况\n自然人\n其他\n总计\n一、本年新收政府信息公开申请数量120000012\n"
    )
    assert values(rep, "proactive", "regulations") == {"issued": 0, "repealed": 0, "in_force": 0}
    regulations = [c for c in rep.cells if c.row == "regulations"]
    assert {c.provenance for c in regulations} == {"aligned"}
    assert all("split 000 as 0|0|0" in c.note for c in regulations)
    # 7 columns whose total (R3.3) is the sum of the others: only 12|0|0|0|0|0|12 fits
    assert values(rep, "requests", "new_received") == {
        "natural_person": 12,
        "commercial_enterprise": 0,
        "research_institution": 0,
        "public_interest_org": 0,
        "legal_service_org": 0,
        "other_org": 0,
        "total": 12,
    }


def test_run_together_digits_left_unread_when_ambiguous():
    rep = report("二、主动公开政府信息情况\n第二十条第（一）项\n行政规范性文件77132470\n")
    cells = [c for c in rep.cells if c.row == "normative_documents"]
    assert [(c.value, c.provenance) for c in cells] == [(None, "unread")] * 3
    # the note names the printed digits and the competing values of each cell
    assert all("77132470" in c.note and "more than one way" in c.note for c in cells)
    assert any("行政规范性文件: 3 of 3 cells left unread" in w for w in rep.warnings)
    assert rep.status == "no_tables"  # nothing of its tables could be read


def test_amount_in_yuan_is_converted_to_wanyuan_and_raw_kept():
    rep = report(
        "二、主动公开政府信息情况\n第二十条第（八）项 |\n信息内容 | 本年收费金额（单位：元） |\n行政事业性收费 | 920 |\n"
    )
    cell = rep.cell("proactive", "administrative_fees", "fee_amount")
    assert (cell.value, cell.unit, cell.raw) == (0.092, "万元", "920")


def test_dash_and_slash_are_null_not_zero():
    rep = report(
        "二、主动公开政府信息情况\n第二十条第（六）项 |\n信息内容 | 本年处理决定数量 |\n行政处罚 | - |\n行政强制 | / |\n"
    )
    assert rep.cell("proactive", "administrative_penalty", "decisions").value is None
    assert rep.cell("proactive", "administrative_coercion", "decisions").value is None
    assert rep.cell("proactive", "administrative_coercion", "decisions").raw == "/"


def test_old_template_with_signed_change_and_markdown_table():
    rep = report(
        "二、主动公开政府信息情况\n| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n|---|---|---|---|\n"
        "| 行政许可 | 21 | -3 | 140 |\n| 其他对外管理服务事项 | 5 | 0 | 9 |\n"
    )
    assert rep.template == "gov2019"
    assert values(rep, "proactive", "administrative_licensing") == {
        "prev_year_items": 21,
        "items_change": -3,
        "decisions": 140,
    }
    assert rep.cell("proactive", "administrative_licensing", "prev_year_items").unit == "项"


def test_space_separated_request_rows_and_failing_check_is_flagged_not_dropped():
    rep = report(
        "三、收到和处理政府信息公开申请情况\n自然人 法人或其他组织 总计\n商业企业 科研机构 社会公益组织 法律服务机构 其他\n"
        "一、本年新收政府信息公开申请数量 10 1 0 0 0 0 11\n二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n"
        "（七）总计 9 1 0 0 0 0 10\n四、结转下年度继续办理 0 0 0 0 0 0 0\n"
    )
    assert values(rep, "requests", "new_received")["total"] == 11
    r31 = {c.scope: c.status for c in rep.checks if c.rule == "R3.1"}
    assert r31["natural_person"] == "fail" and r31["commercial_enterprise"] == "pass"
    x1 = next(c for c in rep.checks if c.rule == "X1")
    assert (x1.status, x1.lhs, x1.rhs) == ("fail", 12, 11)
    assert rep.check_status == "fail"


def test_table_four_fifteen_values_in_one_row():
    rep = report(
        "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
        + "\t".join(["1", "2", "0", "0", "3", "0", "0", "1", "0", "1", "", "", "", "", ""])
        + "\n"
    )
    assert values(rep, "review_litigation", "review") == {
        "upheld": 1,
        "corrected": 2,
        "other_outcome": 0,
        "pending": 0,
        "total": 3,
    }
    assert values(rep, "review_litigation", "litigation_after_review") == {
        "upheld": None,
        "corrected": None,
        "other_outcome": None,
        "pending": None,
        "total": None,
    }
    assert {c.scope: c.status for c in rep.checks if c.rule.startswith("R4")} == {
        "review": "pass",
        "litigation_direct": "pass",
        "litigation_after_review": "not_checkable",
    }


def test_not_a_report_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("买菜：土豆两斤，西红柿三个。\n明天开会。\n", encoding="utf-8")
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert (
        str(err.value)
        == f"{path}: no report sections or tables found; is this a 政府信息公开工作年度报告?"
    )


def test_report_without_tables_is_kept_with_a_warning():
    rep = report("五、存在的主要问题及改进情况\n公开内容不够全面，今后将加强培训。\n")
    assert "no table cells found" in rep.warnings and rep.status == "no_tables"
    assert rep.cells and all(c.provenance == "unread" for c in rep.cells)
    assert any(s.key == "problems_improvements" for s in rep.sections)


def test_report_whose_tables_cannot_be_read_is_kept_for_its_text():
    rep = report(
        "二、主动公开政府信息情况\n（表格为图片，无法复制）\n"
        "三、收到和处理政府信息公开申请情况\n见附件。\n"
        "五、存在的主要问题及改进情况\n公开内容不够全面，今后将加强培训。\n"
    )
    assert rep.status == "no_tables" and rep.cells_read == 0
    assert [s.key for s in rep.sections] == [
        "overview",
        "proactive_tables",
        "request_tables",
        "problems_improvements",
    ]
    assert (rep.org, rep.year) == ("测试镇人民政府", 2024)
    assert "no table cells found" in rep.warnings


@pytest.mark.parametrize(
    "text",
    [
        # no section headings, no tables: the title names the report
        "青山镇人民政府2023年政府信息公开工作年度报告\n2023年，本镇主动公开政府信息120条，未收到申请。\n",
        # the opening sentence names it (a paragraph, not a title line)
        "根据《中华人民共和国政府信息公开条例》和上级有关文件要求，结合本镇工作实际，现将本镇2023年度"
        "政府信息公开工作年度报告公布如下，如对本报告有任何疑问，请与本镇党政办公室联系。全年公开信息9条。\n",
        # a crawler header's title names it; the body is only text
        "标题: 青山镇2023年政府信息公开年报\n发布机构: 青山镇\n正文:\n全年公开信息9条。\n",
    ],
    ids=["title", "opening", "crawler title"],
)
def test_a_text_that_names_itself_a_report_is_kept(tmp_path, text):
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    rep = parse_file(path)
    assert rep.status == "no_tables" and "no table cells found" in rep.warnings
    assert any(f.value in (120, 9) for f in rep.text_facts)


def test_a_crawled_page_that_is_no_report_is_refused(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text(
        "标题: 关于召开春耕生产工作会议的通知\n发布机构: 青山镇\n正文:\n定于3月1日召开会议。\n",
        encoding="utf-8",
    )
    with pytest.raises(ParseError) as err:
        parse_file(path)
    assert (
        str(err.value)
        == f"{path}: no report sections or tables found; is this a 政府信息公开工作年度报告?"
    )


@pytest.mark.parametrize(
    "opening, org",
    [
        ("2023年,城南街道在区委、区政府的领导下,认真落实《条例》。", "城南街道"),
        ("2022年，青山镇坚持以公开为常态、不公开为例外。", "青山镇"),
        ("2023年,我街道在区委的领导下认真落实《条例》。", ""),  # no name: 我街道
        ("2023年,全镇在县委的领导下认真落实《条例》。", ""),
    ],
)
def test_org_from_the_overview_opening_when_there_is_no_title(opening, org):
    text = (
        f"依据《条例》编制本报告。\n一、总体情况\n{opening}\n五、存在的主要问题及改进情况\n无。\n"
    )
    rep = parse_lines(text.split("\n"), source="t.txt")
    assert (rep.org_short, rep.year) == (org, 2023 if opening.startswith("2023") else 2022)


def test_a_sentence_is_never_an_organisation_name(tmp_path):
    """An untitled excerpt whose overview opens "2025年，中仓街道积极推动街道政务公开…": the
    organisation is 中仓街道, not the sentence up to the next 街道."""
    from parsers import parse_file

    path = tmp_path / "excerpt.txt"
    path.write_text(
        "一、总体情况\n2025年中仓街道积极推动街道政府信息公开工作走深走实，全年发布信息120条。\n",
        encoding="utf-8",
    )
    report = parse_file(path)
    assert (report.org, report.org_short, report.org_level) == ("中仓街道", "中仓街道", "街道")


def test_an_html_page_s_title_and_meta_tags_say_who_when_and_where(tmp_path):
    """A saved page whose body prints no title: its <title> and meta tags name the report."""
    from parsers import parse_file

    body = "<p>一、总体情况</p><p>本单位坚持公开为常态。全年发布信息120条。</p>"
    page = (
        "<html><head><title>莆田市科学技术局2021年政府信息公开工作年度报告</title>"
        '<meta name="PubDate" content="2022-01-13 17:09">'
        '<meta name="ContentSource" content="莆田市科技局">'
        '<meta name="Url" content="https://www.putian.gov.cn/a.htm"></head>'
        f"<body>{body}</body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    report = parse_file(path)
    assert (report.org, report.year, report.published, report.source_url) == (
        "莆田市科学技术局", 2021, "2022-01-13", "https://www.putian.gov.cn/a.htm",
    )  # fmt: skip
    assert [s.key for s in report.sections][:1] == ["overview"]


def test_a_file_named_like_a_title_names_a_report_that_does_not(tmp_path):
    from parsers import parse_file

    path = tmp_path / "仙庵镇人民政府2023年政府信息公开工作年度报告.txt"
    path.write_text("一、总体情况\n本镇坚持公开为常态。全年发布信息120条。\n", encoding="utf-8")
    report = parse_file(path)
    assert (report.org, report.org_short, report.year) == ("仙庵镇人民政府", "仙庵镇", 2023)
    unnamed = tmp_path / "001.txt"
    unnamed.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert parse_file(unnamed).org == ""
