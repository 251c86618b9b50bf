"""What the web page shows of a report's reading (bot/web/render.py, bot/report_status.py): status
and completeness in the Reports tab, a report's unread cells and failed rules in words, cells
marked by provenance. Real SQLite in tmp_path, handmade Reports; no browser (see
tests/system/test_web.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import report_status as rs
from bot.web import render
from index.store import Store
from parsers import template as T
from parsers.report import Cell, Check

APPLICANTS = {"natural_person": 0.0, "commercial_enterprise": 0.0, "research_institution": 0.0,
              "public_interest_org": 0.0, "legal_service_org": 1.0, "total": 0.0}  # fmt: skip
RULE_ZH = (
    "R3.3（总计 = 各类申请人之和），表三「一、本年新收政府信息公开申请数量」行：总计 0 ≠ "
    "自然人 0 + 商业企业 0 + 科研机构 0 + 社会公益组织 0 + 法律服务机构 1 = 1"
)


def _cell(table, row, col, value, provenance="printed", note="", line=51) -> Cell:
    r = T.row_def(table, row)
    c = T.col_def(table, col, "gov2021", r.group)
    raw = "" if value is None or provenance == "inferred" else f"{value:g}"
    line = None if provenance == "unread" else line
    return Cell(table, row, col, r.zh, c.zh, value, raw, c.unit, line, provenance, r.group, note)


@pytest.fixture
def store(tmp_path: Path, report_factory):
    """Three reports: one partly read (incomplete), one failing R3.3, one complete with a
    blank cell."""
    partly = [
        _cell("proactive", "administrative_penalty", "decisions", 30.0, "aligned", "3|0 split"),
        _cell("proactive", "administrative_licensing", "decisions", 0.0, "inferred", "forced to 0"),
        _cell("proactive", "administrative_coercion", "decisions", None),  # left blank
        _cell("requests", "new_received", "natural_person", None, "unread", "5 numbers for 6 columns"),
        _cell("requests", "new_received", "total", 0.0),
        *[_cell("review_litigation", "review", c.key, None, "unread", "table 四 was not found")
          for c in T.REVIEW_COLS],
    ]  # fmt: skip
    failing = [_cell("requests", "new_received", c, v) for c, v in APPLICANTS.items()]
    check = Check("R3.3", "new_received", "fail", 0.0, 1.0, "0 ≠ 1")
    complete = [_cell("proactive", "administrative_penalty", "decisions", None)]
    with Store(tmp_path / "index") as s:
        for n, report in enumerate(
            [
                report_factory(cells=partly, checks=[], cells_expected=20, source="partly.txt"),
                report_factory(
                    cells=failing,
                    checks=[check],
                    org_short="会仪镇",
                    source="f.txt",
                    cells_expected=6,
                ),
                report_factory(cells=complete, checks=[], org_short="刘湾镇", source="c.txt"),
            ],
            1,
        ):
            s.add(report, f"/r/{report.source}", str(n) * 64)
        yield s


def test_reports_tab_shows_status_and_completeness_never_a_bare_pass(store):
    table = render.reports_table(store)
    rows = {r["file"]: r for r in table.to_dict("records")}
    assert rows["partly.txt"]["status 状态"] == "incomplete 不完整"
    assert rows["partly.txt"]["read 已读出"] == "4/20"
    assert rows["partly.txt"]["blank 留空"] == 1
    assert rows["partly.txt"]["problems 问题"] == "6栏未读出"
    assert rows["f.txt"]["status 状态"] == "fails_checks 勾稽关系不成立"
    assert rows["f.txt"]["problems 问题"] == "勾稽关系R3.3不成立（1处）"
    assert rows["c.txt"]["status 状态"] == "complete 完整" and rows["c.txt"]["blank 留空"] == 1
    assert "pass" not in table.to_string()


def test_a_reports_page_lists_its_unread_cells_and_marks_cells(store):
    (partly,) = [r["id"] for r in store.reports() if r["source_name"] == "partly.txt"]
    html = render.report_html(store, partly)
    assert "状态 status：<b>不完整 · 已读出 4/20 栏</b>" in html
    assert "<h4>未读出的栏目（6栏）</h4>" in html
    assert (
        "<li>表三 「一、本年新收政府信息公开申请数量」：自然人 — 5 numbers for 6 columns</li>"
        in html
    )
    assert "<li>表四 全部5栏 — table 四 was not found</li>" in html
    assert "报告留空 1 栏" in html
    # the legend, and each cell marked by how it was read, the note as its tooltip
    assert re.search(r'class="gk-legend">.*按模板对齐.*按勾稽关系推定.*未读出', html)
    assert '<td class="gk-aligned" title="按模板对齐 · 3|0 split · line 51">30</td>' in html
    assert '<td class="gk-inferred" title="按勾稽关系推定 · forced to 0 · line 51">0</td>' in html
    assert '<td class="gk-unread" title="未读出 · 5 numbers for 6 columns">未读出</td>' in html
    assert '<td title="报告留空（不是0） · line 51"></td>' in html  # blank: not 0, not unread
    assert "pass" not in html


def test_a_failing_rule_is_shown_in_words_with_its_cells(store):
    (failing,) = [r["id"] for r in store.reports() if r["source_name"] == "f.txt"]
    html = render.report_html(store, failing)
    assert "状态 status：<b>勾稽关系不成立 · 已读出 6/6 栏</b>" in html
    assert f"<h4>勾稽关系不成立</h4><ul><li>{RULE_ZH}</li></ul>" in html
    assert "new_received" not in html


def test_the_narrative_rule_in_words():
    check = {"rule": "X1", "scope": "new_received.total", "lhs": 12.0, "rhs": 11.0,
             "detail": "narrative line 12: 本年共收到政府信息公开申请12件"}  # fmt: skip
    assert rs.failed_rule(check, [], "gov2021", zh=True) == (
        "X1（正文所述收到的申请数 = 表三 本年新收申请·总计）：正文第12行「本年共收到政府信息公开申请12件」"
        "为 12，表三「一、本年新收政府信息公开申请数量·总计」为 11"
    )
    assert rs.failed_rule(check, [], "gov2021") == (
        "X1 (requests stated in the text = table 三 new requests, total): the text (line 12: "
        "“本年共收到政府信息公开申请12件”) says 12; table 三 一、本年新收政府信息公开申请数量·总计 is 11"
    )


def test_a_long_side_of_a_rule_names_its_non_zero_cells():
    from parsers.checks import RESULT_ROWS

    values = dict.fromkeys(RESULT_ROWS["gov2021"], 0.0) | {"granted": 2.0, "other_misc": 1.0}
    values["result_total"] = 4.0
    cells = rs.parsed_cells(_cell("requests", r, "total", v) for r, v in values.items())
    check = {"rule": "R3.2", "scope": "total", "lhs": 4.0, "rhs": 3.0}
    assert rs.failed_rule(check, cells, "gov2021", zh=True) == (
        "R3.2（办理结果总计 = （一）至（六）各项之和），表三「总计」列：（七）总计 4 ≠ "
        "（一）予以公开 2 + （六）其他处理 3.其他 1 + 其余19栏为0 = 3"
    )
    assert rs.failed_rule(check, cells[:3], "gov2021").startswith(
        "R3.2 (total handled = the sum of the outcomes （一）–（六）), table 三 column 总计: "
        "（七）总计 ? ≠ （一）予以公开 2 + （三）不予公开 2.其他法律行政法规禁止公开 ? + "
    )  # a cell the report lacks is named by the template, its value unknown


def test_the_facts_panel_says_unread_not_blank():
    answer = {"facts": [{"org": "湖东镇", "year": 2025, "row_label": "行政许可",
                         "col_label": "本年处理决定数量", "value": None, "unit": "件",
                         "source": "a.txt", "line": None, "provenance": "unread"},
                        {"org": "刘湾镇", "year": 2025, "row_label": "行政强制",
                         "col_label": "本年处理决定数量", "value": None, "unit": "件",
                         "source": "b.txt", "line": 3, "provenance": "printed"}]}  # fmt: skip
    assert list(render.facts_table(answer)["value"]) == ["未读出", ""]
