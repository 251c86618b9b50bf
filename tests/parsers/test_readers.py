"""The format readers: encodings, merged-cell grids, dropped markup, and bad files refused with
a message that names the file. Every test writes a real file to tmp_path and reads it back."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from parsers.errors import ParseError
from parsers.readers import SUFFIXES, read_document
from tests.paths import ROOT

SAMPLES = sorted((ROOT / "data" / "samples").glob("*.txt"))
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ParseError) as info:
        read_document(path)
    return str(info.value)


# --- encodings --------------------------------------------------------------------------------

ENCODINGS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8 with BOM": lambda t: t.encode("utf-8-sig"),
    "gb18030": lambda t: t.encode("gb18030"),
    "gbk": lambda t: t.encode("gbk"),
    "utf-16 with BOM": lambda t: t.encode("utf-16"),
    "utf-16-le without BOM": lambda t: t.encode("utf-16-le"),
}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem[:3])
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_encoding_reads_to_the_same_lines(tmp_path, sample, encoding):
    text = sample.read_text(encoding="utf-8")
    expected = read_document(sample).lines
    path = write(tmp_path, sample.name, ENCODINGS[encoding](text))
    assert read_document(path).lines == expected
    assert any("\t" in line for line in expected)  # the table rows survive too


# --- HTML -------------------------------------------------------------------------------------

GRID_HTML = """<html><head><title>ignored</title><style>td{color:red}</style></head><body>
<h2>四、政府信息公开行政复议、行政诉讼情况</h2>
<table border="1">
  <tr><td colspan="2">行政复议</td><td rowspan="3">备注</td><td>诉讼</td></tr>
  <tr><td rowspan="2">结果
      维持</td><td>结果纠正</td><td>直接起诉</td></tr>
  <tr><td>0</td><td>&nbsp;1&nbsp;</td></tr>
  <tr><td>2</td><td colspan="3">3</td></tr>
</table>
<p>表后文字。</p>
</body></html>"""


def test_html_rowspan_and_colspan_expand_into_a_grid(tmp_path):
    lines = read_document(write(tmp_path, "grid.html", GRID_HTML)).lines
    assert [line for line in lines if line] == [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议\t\t备注\t诉讼",
        "结果 维持\t结果纠正\t\t直接起诉",
        "\t0\t\t1",
        "2\t3\t\t",
        "表后文字。",
    ]


def test_html_drops_scripts_iframes_and_styles(tmp_path):
    page = """<html><head><script>var head = 1;</script></head><body>
    <p>一、总体<b>情况</b></p><script>document.write("脚本文字")</script>
    <iframe src="x.html">框架文字</iframe><noscript>请启用脚本</noscript>
    <style>.x{}</style><div>正文<span>继续</span><br>下一行</div><!-- 注释 -->
    <object>对象</object><template>模板</template></body></html>"""
    lines = read_document(write(tmp_path, "page.html", page)).lines
    assert lines == ["一、总体情况", "正文继续", "下一行"]


def test_html_layout_table_is_read_as_blocks_and_nested_data_table_as_rows(tmp_path):
    page = """<table><tr><td><p>标题</p><table border=1><tr><td>a</td><td>b</td></tr>
    </table></td></tr></table>"""
    lines = read_document(write(tmp_path, "layout.html", page)).lines
    assert [line for line in lines if line] == ["标题", "a\tb"]


def test_malformed_html_does_not_crash(tmp_path):
    page = "<p>一、总体情况<div><table><td>a<td rowspan=x colspan=-2>b</table></p></div>" + (
        "<div>" * 5000 + "深" + "</div>" * 10
    )
    lines = read_document(write(tmp_path, "bad.html", page)).lines
    assert [line for line in lines if line] == ["一、总体情况", "a\tb", "深"]


def test_html_with_only_scripts_is_refused(tmp_path):
    path = write(tmp_path, "empty.html", "<html><script>x()</script></html>")
    assert error_of(path) == f"{path}: the HTML page has no text (only markup or scripts)"


# --- DOCX -------------------------------------------------------------------------------------


def test_docx_merged_cells_and_document_order(tmp_path):
    import docx

    doc = docx.Document()
    doc.add_paragraph("一、总体情况")
    table = doc.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "行政复议"
    table.cell(0, 2).text = "诉讼"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "结果\n维持"
    table.cell(1, 1).text = "0"
    table.cell(1, 2).text = "1"
    table.cell(2, 1).text = "2"
    doc.add_paragraph("表后\t文字。")
    out = io.BytesIO()
    doc.save(out)
    lines = read_document(write(tmp_path, "t.docx", out.getvalue())).lines
    assert lines == [
        "一、总体情况",
        "",
        "行政复议\t\t诉讼",
        "结果 维持\t0\t1",
        "\t2\t",
        "",
        "表后 文字。",
    ]


def _docx_zip(tmp_path: Path, name: str, members: dict[str, bytes]) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return path


def test_docx_zip_bomb_is_refused_before_opening(tmp_path):
    path = _docx_zip(tmp_path, "bomb.docx", {"word/document.xml": b"<w:document/>"})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            chunk = bytes(1 << 20)
            for _ in range(300):  # 300 MB of zeros, about 300 KB on disk
                member.write(chunk)
    assert path.stat().st_size < 2_000_000
    assert error_of(path) == f"{path}: refused: the .docx expands to 300 MB (possible zip bomb)"


def test_docx_small_member_with_huge_ratio_is_refused(tmp_path):
    path = _docx_zip(
        tmp_path, "ratio.docx", {"word/document.xml": b"<w:document/>", "x.xml": bytes(20 << 20)}
    )
    assert error_of(path) == f"{path}: refused: the .docx expands to 20 MB (possible zip bomb)"


def test_docx_that_is_not_a_zip(tmp_path):
    path = write(tmp_path, "broken.docx", b"PK\x03\x04 this is not really a zip archive")
    assert error_of(path) == (
        f"{path}: damaged .docx: the zip archive is truncated or corrupt; download it again"
    )
    text = write(tmp_path, "text.docx", "一、总体情况")
    assert error_of(text) == (
        f"{text}: looks like a text file, not a Word file (often a web page saved in place of "
        "the document); rename it if it is the report"
    )


def test_zip_without_word_document(tmp_path):
    path = _docx_zip(tmp_path, "other.docx", {"content.xml": b"<x/>"})
    assert error_of(path) == f"{path}: not a .docx: no word/document.xml inside"


# --- PDF --------------------------------------------------------------------------------------


def _pdf(draw) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, **draw.get("options", {}))
    draw["page"](pdf)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_pdf_without_text_is_a_scan(tmp_path):
    data = _pdf({"page": lambda c: c.rect(100, 100, 300, 200, fill=1)})
    path = write(tmp_path, "scan.pdf", data)
    assert error_of(path) == (
        f"{path}: scanned PDF: no text to read (it has no text layer; run OCR first)"
    )


def test_corrupt_pdf(tmp_path):
    path = write(tmp_path, "corrupt.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog\n")
    assert error_of(path) == f"{path}: not a readable PDF: Unexpected EOF"


def test_encrypted_pdf_needs_a_password(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption

    data = _pdf(
        {
            "options": {"encrypt": StandardEncryption("secret", ownerPassword="owner")},
            "page": lambda c: c.drawString(100, 700, "hello"),
        }
    )
    path = write(tmp_path, "locked.pdf", data)
    assert error_of(path) == (
        f"{path}: encrypted PDF: it needs a password to open; save an unprotected copy and retry"
    )


def test_pdf_table_rows_and_text_in_page_order(tmp_path):
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    style = getSampleStyleSheet()["Normal"]
    out = io.BytesIO()
    table = Table(
        [["Review", "", "Note"], ["Upheld", "0", ""], ["", "1", "2"]],
        style=TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("SPAN", (0, 0), (1, 0)),
                ("SPAN", (0, 1), (0, 2)),
                ("SPAN", (2, 1), (2, 2)),
            ]  # fmt: skip
        ),
    )
    SimpleDocTemplate(out, pagesize=A4).build(
        [Paragraph("Before the table.", style), table, Paragraph("After the table.", style)]
    )
    lines = read_document(write(tmp_path, "t.pdf", out.getvalue())).lines
    assert lines == [
        "Before the table.", "", "Review\t\tNote", "Upheld\t0\t", "\t1\t", "", "After the table."
    ]  # fmt: skip


# --- any format -------------------------------------------------------------------------------


def test_empty_file(tmp_path):
    path = write(tmp_path, "empty.txt", b"")
    assert error_of(path) == f"{path}: the file is empty"


def test_png_renamed_txt(tmp_path):
    path = write(tmp_path, "picture.txt", PNG)
    assert error_of(path) == (
        f"{path}: looks like a PNG image, not a text file; a picture of a report needs OCR first"
    )


def test_unsupported_extension(tmp_path):
    path = write(tmp_path, "report.xls", b"whatever")
    assert error_of(path) == (
        f"{path}: unsupported file type '.xls'; use one of: " + ", ".join(sorted(SUFFIXES))
    )


def test_importing_parsers_loads_no_heavy_library():
    code = (
        "import sys, parsers, parsers.readers, parsers.html_reader, parsers.docx_reader, "
        "parsers.pdf_reader; print(sorted(m for m in ('bs4', 'docx', 'pdfplumber', 'pdfminer', "
        "'lxml', 'reportlab') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "[]"
