"""Round trip through every format: parse a report, render it as HTML, DOCX and PDF the way the
template prints it (eval.render), write the file, parse it back, and compare what was found."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.render import fmt, render_docx, render_html, render_pdf
from parsers import parse_file
from parsers.readers import read_document
from parsers.report import Cell, Report, Section
from parsers.template import template_cells
from tests.paths import ROOT

SAMPLES = sorted((ROOT / "data" / "samples").glob("*.txt"))
RENDERERS = {"html": render_html, "docx": render_docx, "pdf": render_pdf}


def facts(report: Report) -> set[tuple[str, str, str, float | None]]:
    return {(c.table, c.row, c.col, c.value) for c in report.cells}


def render_to(tmp_path: Path, report: Report, kind: str, stem: str = "report") -> Path:
    data = RENDERERS[kind](report)
    path = tmp_path / f"{stem}.{kind}"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize("kind", RENDERERS)
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem[:3])
def test_sample_round_trip(tmp_path, sample, kind):
    original = parse_file(sample)
    assert len(original.cells) >= 175
    back = parse_file(render_to(tmp_path, original, kind, sample.stem))
    assert back.format == kind
    assert (back.org, back.year, back.template) == (original.org, original.year, original.template)
    assert facts(back) == facts(original)
    assert {s.key for s in back.sections} == {s.key for s in original.sections}


# --- handmade reports with a distinct value in every cell ------------------------------------


def handmade(template: str = "gov2021", other_org: bool = True) -> Report:
    cells = []
    for i, spec in enumerate(template_cells(template, other_org=other_org), start=1):
        cells.append(Cell(spec.table, spec.row.key, spec.col.key, spec.row.zh, spec.col.zh,
                          float(i), "", spec.col.unit, None, group=spec.row.group))  # fmt: skip
    fee = next(c for c in cells if c.row == "administrative_fees")
    fee.value, fee.raw = 0.0125, "0.0125"
    sections = [
        Section("overview", ["一、总体情况"], "本年度主动公开政府信息1200条。", (1, 2)),
        Section("proactive_tables", ["二、主动公开政府信息情况"], "", (3, 3)),
        Section("request_tables", ["三、收到和处理政府信息公开申请情况"], "", (4, 4)),
        Section("review_litigation_table", ["四、政府信息公开行政复议、行政诉讼情况"], "", (5, 5)),
        Section("problems_improvements", ["五、存在的主要问题及改进情况"], "问题与改进。", (6, 7)),
        Section("other_matters", ["六、其他需要报告的事项"], "本年度未收取信息处理费。", (8, 9)),
    ]
    year = 2024 if template == "gov2021" else 2020
    return Report("handmade.txt", "示例县人民政府", "示例县", "县", year, template, sections, cells)


@pytest.mark.parametrize("kind", RENDERERS)
@pytest.mark.parametrize(
    "template,other_org", [("gov2021", True), ("gov2021", False), ("gov2019", True)]
)
def test_handmade_round_trip_keeps_every_value_in_its_place(tmp_path, kind, template, other_org):
    original = handmade(template, other_org)
    back = parse_file(render_to(tmp_path, original, kind))
    assert (back.org, back.year, back.template) == ("示例县人民政府", original.year, template)
    assert facts(back) == facts(original)


def test_rendered_tables_print_the_template_headers(tmp_path):
    lines = read_document(render_to(tmp_path, handmade(), "html")).lines
    # the page's <title> first, as a crawler's header (parsers.header), then the page's text
    assert lines[:3] == [
        "标题: 示例县人民政府2024年政府信息公开工作年度报告",
        "格式: HTML",
        "正文:",
    ]
    assert lines[3] == "示例县人民政府2024年政府信息公开工作年度报告"
    start = lines.index("第二十条第（八）项\t\t\t")
    assert lines[start : start + 3] == [
        "第二十条第（八）项\t\t\t",
        "信息内容\t本年收费金额（单位：万元）\t\t",
        "行政事业性收费\t0.0125\t\t",
    ]
    start = next(i for i, line in enumerate(lines) if line.startswith("（本列数据的勾稽关系为"))
    assert lines[start : start + 4] == [
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t\t申请人情况"
        + "\t" * 6,
        "\t\t\t自然人\t法人或其他组织\t\t\t\t\t总计",
        "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t",
        "一、本年新收政府信息公开申请数量\t\t\t11\t12\t13\t14\t15\t16\t17",
    ]
    assert "三、本年度办理结果\t（一）予以公开\t\t25\t26\t27\t28\t29\t30\t31" in lines
    assert "\t（三）不予公开\t1.属于国家秘密\t39\t40\t41\t42\t43\t44\t45" in lines
    assert "\t\t2.其他法律行政法规禁止公开\t46\t47\t48\t49\t50\t51\t52" in lines
    start = lines.index("行政复议\t\t\t\t\t行政诉讼" + "\t" * 9)
    assert lines[start + 1 : start + 4] == [
        "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
        "\t\t\t\t\t" + "\t".join(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2),
        "\t".join(str(n) for n in range(186, 201)),
    ]


def test_table_without_its_section_gets_the_template_heading(tmp_path):
    report = handmade()
    report.sections = [s for s in report.sections if s.key != "review_litigation_table"]
    lines = read_document(render_to(tmp_path, report, "html")).lines
    heading = lines.index("四、政府信息公开行政复议、行政诉讼情况")
    assert lines.index("五、存在的主要问题及改进情况") > heading
    assert lines[heading + 2].startswith("行政复议\t")


def test_value_formatting():
    def cell(value, raw=""):
        return Cell(
            "proactive", "regulations", "issued", "规章", "本年制发件数", value, raw, "件", 1
        )

    assert fmt(cell(30.0)) == "30"
    assert fmt(cell(0.0125)) == "0.0125"
    assert fmt(cell(-8.0)) == "-8"
    assert fmt(cell(None)) == ""
    assert fmt(cell(None, "-")) == "-"
    assert fmt(cell(1234.0, " 1,234 ")) == "1,234"
    assert fmt(None) == ""
