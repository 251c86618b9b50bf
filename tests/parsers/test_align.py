"""The table decoder on small made-up tables, one corruption at a time: each test prints a table
the way some rendering damages it and checks what is read, what is left unread, and why."""

from parsers.parse import parse_lines

HEAD = (
    "测试镇人民政府2024年政府信息公开工作年度报告\n一、总体情况\n2024年，本镇依法公开政府信息。\n"
)
REQ_HEAD = (
    "三、收到和处理政府信息公开申请情况\n"
    "申请人情况\t\t\t\t\t\t\t\n\t自然人\t法人或其他组织\t\t\t\t\t总计\n"
    "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t\n"
)
ROWS = [  # label, 7 values (自然人 … 其他, 总计)
    ("一、本年新收政府信息公开申请数量", [5, 1, 0, 0, 0, 0, 6]),
    ("二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1]),
    ("（一）予以公开", [3, 1, 0, 0, 0, 0, 4]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [1, 0, 0, 0, 0, 0, 1]),
    ("1.属于国家秘密", [0] * 7),
    ("2.其他法律行政法规禁止公开", [0] * 7),
    ("3.危及“三安全一稳定”", [0] * 7),
    ("4.保护第三方合法权益", [0] * 7),
    ("5.属于三类内部事务信息", [0] * 7),
    ("6.属于四类过程性信息", [0] * 7),
    ("7.属于行政执法案卷", [0] * 7),
    ("8.属于行政查询事项", [0] * 7),
    ("1.本机关不掌握相关政府信息", [1, 0, 0, 0, 0, 0, 1]),
    ("2.没有现成信息需要另行制作", [0] * 7),
    ("3.补正后申请内容仍不明确", [0] * 7),
    ("1.信访举报投诉类申请", [0] * 7),
    ("2.重复申请", [0] * 7),
    ("3.要求提供公开出版物", [0] * 7),
    ("4.无正当理由大量反复申请", [0] * 7),
    ("5.要求行政机关确认或重新出具已获取信息", [0] * 7),
    ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", [0] * 7),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", [0] * 7),
    ("3.其他", [0] * 7),
    ("（七）总计", [5, 1, 0, 0, 0, 0, 6]),
    ("四、结转下年度继续办理", [1, 0, 0, 0, 0, 0, 1]),
]
KEYS = [
    "new_received", "carried_over", "granted", "partially_granted",
    *[f"denied_{k}" for k in ("state_secret", "prohibited_by_law", "security_stability",
                              "third_party_rights", "internal_affairs", "process_info",
                              "enforcement_file", "admin_query")],
    "unable_not_held", "unable_needs_creation", "unable_unclear",
    *[f"not_processed_{k}" for k in ("petition", "duplicate", "publication", "mass_repeat",
                                     "confirm_reissue")],
    "other_no_correction", "other_unpaid_fee", "other_misc", "result_total", "carried_forward",
]  # fmt: skip
COLS = [
    "natural_person",
    "commercial_enterprise",
    "research_institution",
    "public_interest_org",
    "legal_service_org",
    "other_org",
    "total",
]


def parse(body: str):
    return parse_lines((HEAD + body).split("\n"), source="t.txt")


def row(rep, table, key):
    return [c for c in rep.cells if c.table == table and c.row == key]


def request_values(rep):
    return {
        key: [c.value for c in sorted(row(rep, "requests", key), key=lambda c: COLS.index(c.col))]
        for key in KEYS
    }


def gold():
    return {key: [float(v) for v in vals] for key, (_, vals) in zip(KEYS, ROWS, strict=True)}


def test_cells_run_together_are_split_the_one_way_the_arithmetic_allows():
    body = (
        REQ_HEAD.split("\n")[0]
        + "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
    )
    body += "".join(label + "".join(str(v) for v in vals) for label, vals in ROWS) + "\n"
    rep = parse(body)
    assert request_values(rep) == gold()
    assert rep.status == "incomplete"  # tables 二 and 四 are not in this file
    new = row(rep, "requests", "new_received")
    assert {c.provenance for c in new} == {"aligned"}
    assert "split 5100006 as 5|1|0|0|0|0|6" in new[0].note


def test_a_crawl_that_dropped_repeated_lines_prints_runs_once():
    lines = []
    for label, vals in ROWS:
        lines.append(label)
        for v in vals:
            if str(v) != lines[-1]:
                lines.append(str(v))
    body = REQ_HEAD.replace("\t", "\n").replace("\n\n", "\n") + "\n".join(lines) + "\n"
    rep = parse(body)
    assert request_values(rep) == gold()
    zeros = row(rep, "requests", "denied_state_secret")
    assert all("0 printed once for 7 equal cells" in c.note for c in zeros)


def test_numbers_printed_on_the_line_before_their_label():
    body = "三、收到和处理政府信息公开申请情况\n| 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |\n"
    for label, vals in ROWS:
        body += "| | " + " | ".join(str(v) for v in vals) + " |\n"
        body += f"| {label} | | | | | | | |\n"
    rep = parse(body)
    assert request_values(rep) == gold()
    assert all(c.provenance == "aligned" for c in row(rep, "requests", "granted"))


def test_a_number_broken_over_two_lines_is_joined_when_the_arithmetic_says_so():
    rows = [(label, list(vals)) for label, vals in ROWS]
    rows[0] = (rows[0][0], [162, 1, 0, 0, 0, 0, 163])
    rows[2] = (rows[2][0], [160, 1, 0, 0, 0, 0, 161])
    rows[-2] = (rows[-2][0], [161, 1, 0, 0, 0, 0, 162])
    body = REQ_HEAD
    for label, vals in rows:
        cells = [str(v) for v in vals]
        if label.startswith("一、"):
            cells[0] = "1\n62"  # the cell wrapped: "1" on this line, "62" on the next
        body += label + "\t" + "\t".join(cells) + "\n"
    rep = parse(body)
    assert [c.value for c in row(rep, "requests", "new_received")][:1] == [162.0]
    assert row(rep, "requests", "new_received")[-1].value == 163.0


def test_a_short_row_is_never_filled_from_the_left():
    body = (
        "二、主动公开政府信息情况\n| 第二十条第（一）项 | | | |\n|---|---|---|---|\n"
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
        "| 规章 | 0 | 0 | 3 |\n| 行政规范性文件 | 2 | 15 |\n"
    )
    rep = parse(body)
    assert [c.value for c in row(rep, "proactive", "regulations")] == [0, 0, 3]
    short = row(rep, "proactive", "normative_documents")
    assert [(c.value, c.provenance) for c in short] == [(None, "unread")] * 3
    assert all("more than one way" in c.note for c in short)


def test_an_old_template_blank_total_column_keeps_its_rows():
    body = "三、收到和处理政府信息公开申请情况\n" + "\t".join(
        [
            "申请人情况",
            "",
            "自然人",
            "商业企业",
            "科研机构",
            "社会公益组织",
            "法律服务机构",
            "其他",
            "总计",
        ]
    )
    old_rows = [r for r in ROWS if not r[0].startswith(("1.申请人", "2.申请人", "3.其他"))]
    old_rows.insert(20, ("（六）其他处理", [0] * 7))
    for label, vals in old_rows:
        body += "\n" + "\t".join([label, "", *[str(v) for v in vals[:6]], ""])
    rep = parse_lines(
        (
            "测试县人民政府2019年政府信息公开工作年度报告\n一、总体情况\n本县依法公开。\n" + body
        ).split("\n")
    )
    new = {c.col: c for c in row(rep, "requests", "new_received")}
    assert [new[c].value for c in COLS[:6]] == [5, 1, 0, 0, 0, 0]
    assert (new["total"].value, new["total"].provenance) == (6, "inferred")
    assert "printed blank" in new["total"].note


def test_page_footers_and_repeated_headers_inside_a_table_are_noise():
    body = REQ_HEAD
    for n, (label, vals) in enumerate(ROWS):
        body += label + "\t" + "\t".join(str(v) for v in vals) + "\n"
        if n == 11:
            body += (
                "— 7 —\n测试镇人民政府2024年政府信息公开工作年度报告\n" + REQ_HEAD.split("\n", 1)[1]
            )
    rep = parse(body)
    assert request_values(rep) == gold()


def test_a_wrong_split_that_breaks_the_arithmetic_is_not_taken_when_the_report_itself_breaks_it():
    rows = [(label, list(vals)) for label, vals in ROWS]
    rows[-2] = (rows[-2][0], [4, 1, 0, 0, 0, 0, 5])  # the report's own total is wrong (R3.1, R3.2)
    body = REQ_HEAD + "".join(label + " " + " ".join(map(str, v)) + "\n" for label, v in rows)
    rep = parse(body)
    assert [c.value for c in row(rep, "requests", "result_total")] == [4, 1, 0, 0, 0, 0, 5]
    assert rep.status == "fails_checks"
    assert {c.rule for c in rep.checks if c.status == "fail"} >= {"R3.2"}


def test_table_four_split_into_three_blocks():
    body = "四、政府信息公开行政复议、行政诉讼情况\n"
    for name, vals in (
        ("行政复议", "1 0 1 0 2"),
        ("未经复议直接起诉", "0 1 0 0 1"),
        ("复议后起诉", "0 0 0 1 1"),
    ):
        body += (
            f"{name}\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
            + vals.replace(" ", "\t")
            + "\n"
        )
    rep = parse(body)
    got = [c.value for c in rep.cells if c.table == "review_litigation"]
    assert got == [1, 0, 1, 0, 2, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1]


def test_the_narrative_settles_a_split_the_arithmetic_cannot():
    body = (
        "（一）主动公开情况\n本年度制发规范性文件12件，集中公开现行有效行政规范性文件103件。\n"
        "二、主动公开政府信息情况\n第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数"
        "规章000行政规范性文件125103\n"
    )
    rep = parse(body)
    cells = row(rep, "proactive", "normative_documents")
    assert [c.value for c in cells] == [12, 5, 103]
    assert "the narrative says" in cells[0].note
    without = parse(
        body.split("二、", 1)[0].replace("12件", "若干件").replace("103件", "若干件")
        + "二、"
        + body.split("二、", 1)[1]
    )
    assert [c.value for c in row(without, "proactive", "normative_documents")] == [None] * 3
