"""Real report excerpts in many renderings: every fact a careful reader can take is extracted."""

import pytest

from eval.facts_score import score
from parsers import parse_file
from tests.paths import DATA

WEB = DATA / "web"


def test_web_facts_extracted():
    result = score(WEB / "facts.jsonl", WEB)
    assert result.table_total == 207 and result.text_total == 122
    assert result.table_rate >= 0.98, result.misses
    assert result.text_rate >= 0.90, result.misses


@pytest.mark.parametrize("path", sorted(WEB.glob("*.txt")), ids=lambda p: p.name)
def test_every_excerpt_parses_without_inventing(path):
    report = parse_file(path)
    lines = report.lines
    for cell in report.cells:
        # a value never comes from nowhere: its raw text stands on its cited line
        if cell.value is not None:
            assert (
                cell.raw
                and cell.raw in lines[cell.line - 1].replace(" ", "")
                or cell.raw in lines[cell.line - 1]
            )


def test_blank_cells_are_null_not_zero():
    report = parse_file(WEB / "017.txt")  # all cells blank except 行政处罚 = 3
    penalty = report.cell("proactive", "administrative_penalty", "decisions")
    assert penalty.value == 3
    licensing = report.cell("proactive", "administrative_licensing", "decisions")
    assert licensing is not None and licensing.value is None
    assert [c.value for c in report.cells if c.row == "regulations"] == [None, None, None]


def test_traditional_mirror_keeps_original_quotes():
    report = parse_file(WEB / "021.txt")
    assert report.cell("proactive", "administrative_fees", "fee_amount").value == 190.457379
    assert report.org_short == "北坡镇" and report.year == 2022
    fact = next(f for f in report.text_facts if f.value == 132)
    assert "微信公眾號" in fact.quote  # the quote is as printed


def test_missing_label_row_is_not_guessed():
    report = parse_file(WEB / "002.txt")  # the 规章 label is blank on the page
    issued = report.cell("proactive", "regulations", "issued")
    assert (issued.value, issued.provenance) == (None, "unread")
    assert issued.note == "table 二 row 规章 was not found in table 二"
    assert report.cell("proactive", "normative_documents", "issued").value == 0


def test_old_template_detected_from_headers():
    assert parse_file(WEB / "010.txt").template == "gov2019"
    assert parse_file(WEB / "025.txt").template == "gov2019"
    assert parse_file(WEB / "001.txt").template == "gov2021"
