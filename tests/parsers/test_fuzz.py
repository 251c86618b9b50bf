"""Fuzzing the parser: whatever a website serves, `parse_file` returns a Report or raises
`parsers.errors.ParseError` — never anything else.

The sample and web reports are mutated the ways real files break: cut anywhere, lines shuffled,
dropped or doubled, cells dropped, junk and control characters injected, very long lines, other
encodings and damaged bytes; their HTML and Word renderings (eval/render.py) are cut and spliced
with hostile markup. Examples are derandomized (the same every run) and bounded so the file runs
in seconds; set GONGKAI_FUZZ_EXPLORE=1 (and GONGKAI_FUZZ_EXAMPLES=2000) to search afresh.
Every crash found is fixed in the parser and kept below as an explicit `@example`.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import random
import re
import zipfile
from functools import lru_cache

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from parsers import ParseError, Report, parse_file
from tests.paths import ROOT

SOURCES = (
    sorted((ROOT / "data" / "samples").glob("*.txt"))
    + sorted((ROOT / "tests" / "data" / "web").glob("*.txt"))
    + sorted((ROOT / "tests" / "data" / "real").glob("*.txt"))  # crawler headers, re-flowed text
)
TEXTS = [p.read_text(encoding="utf-8") for p in SOURCES]
EXAMPLES = int(os.environ.get("GONGKAI_FUZZ_EXAMPLES", "200"))


def fuzz(share: float = 1.0) -> settings:
    return settings(
        max_examples=max(5, int(EXAMPLES * share)),
        deadline=None,
        database=None,
        derandomize=not os.environ.get("GONGKAI_FUZZ_EXPLORE"),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def parses_or_refuses(name: str, data: bytes) -> Report | None:
    """The property: a Report that holds together, or a ParseError naming the file."""
    try:
        report = parse_file(name, data=data)
    except ParseError as err:
        assert err.path == name and err.problem and str(err) == f"{name}: {err.problem}"
        return None
    assert isinstance(report, Report)
    n = len(report.lines)
    # every read cell cites a line of the text; an unread one may have none, and says why
    assert all(1 <= c.line <= n for c in report.cells if c.line is not None)
    assert all(c.line is not None for c in report.cells if c.value is not None)
    assert all(c.note for c in report.cells if c.provenance == "unread")
    assert all(c.value is None or isinstance(c.value, float) for c in report.cells)
    assert report.status in ("complete", "incomplete", "fails_checks", "no_tables")
    assert all(1 <= s.lines[0] <= s.lines[1] <= max(n, 1) for s in report.sections if s.text)
    json.dumps(
        report.to_json(), ensure_ascii=False
    )  # what `gongkai parse --json` and the store use
    return report


# --- text ---------------------------------------------------------------------------------------

JUNK = st.text(
    alphabet=st.one_of(
        st.sampled_from(
            "\x00\x01\x08\x0b\x0c\x1b\x7f\x85\u2028\u2029\ufeff\u200b\u3000\ufffd\t|：，。；（）"
            "、-/—0123456789.一二三四五六七八九十总计合计件条万元年第二十条项规章其他"
        ),
        st.characters(codec="utf-8"),
    ),
    max_size=40,
)
LONG_UNITS = ["9", "一", "|", "\t", "，", "：", "规章 ", "0 ", "1,", "（", "a1"]


@st.composite
def mutated_text(draw) -> str:
    lines = draw(st.sampled_from(TEXTS)).split("\n")
    for op in draw(st.lists(st.integers(0, 8), min_size=1, max_size=6)):
        at = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == 0:  # cut anywhere, mid-line and mid-word included
            text = "\n".join(lines)
            lines = text[: draw(st.integers(0, len(text)))].split("\n")
        elif op == 1:
            random.Random(draw(st.integers(0, 2**16))).shuffle(lines)
        elif op == 2 and lines:
            del lines[at]
        elif op == 3 and lines:
            lines.insert(at, lines[at])
        elif op == 4 and lines:  # drop a cell
            sep = "\t" if "\t" in lines[at] else "|" if "|" in lines[at] else " "
            cells = lines[at].split(sep)
            del cells[draw(st.integers(0, len(cells) - 1))]
            lines[at] = sep.join(cells)
        elif op == 5 and lines:  # junk inside a line
            line = lines[at]
            cut = draw(st.integers(0, len(line)))
            lines[at] = line[:cut] + draw(JUNK) + line[cut:]
        elif op == 6:  # a very long line
            unit = draw(st.sampled_from(LONG_UNITS))
            lines.insert(at, draw(st.sampled_from(["", "规章 ", "合计"])) + unit * draw(
                st.integers(200, 20_000)
            ))  # fmt: skip
        elif op == 7:
            lines.insert(at, draw(JUNK))
        elif op == 8 and lines:  # a line repeated many times
            lines[at:at] = [lines[at]] * draw(st.integers(2, 300))
    return "\n".join(lines)


@fuzz()
@given(text=mutated_text(), suffix=st.sampled_from([".txt", ".md"]))
@example(
    text="二、主动公开政府信息情况\n规章 " + "1" * 40 + "x", suffix=".txt"
)  # regex backtracking
def test_mutated_text_parses_or_is_refused(text, suffix):
    parses_or_refuses("fuzz" + suffix, text.encode("utf-8"))


ENCODINGS = ["gbk", "gb18030", "big5", "utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"]


@st.composite
def encoded(draw) -> bytes:
    text = draw(mutated_text())
    if draw(st.booleans()):
        import zhconv

        text = zhconv.convert(text, "zh-tw")
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    for _ in range(draw(st.integers(0, 3))):  # damaged bytes
        if data:
            at = draw(st.integers(0, len(data) - 1))
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]  # cut mid-character
    return data


@fuzz()
@given(data=encoded())
@example(
    data=codecs.BOM_UTF8 + "二、主动公开政府信息情况\n规章".encode("gbk")
)  # bad bytes after a BOM
@example(data=codecs.BOM_UTF16_LE + "政府信息公开".encode("utf-16-le") + b"\x2f")  # odd length
@example(data="政府信息公开工作年度报告".encode("utf-16-le")[:-1])  # UTF-16 without BOM, cut
def test_other_encodings_and_damaged_bytes_parse_or_are_refused(data):
    parses_or_refuses("fuzz.txt", data)


# --- HTML ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def html_pages() -> list[str]:
    from eval.render import render_html

    pages = [render_html(parse_file(p)) for p in SOURCES[:5]]
    web = ["<html><body>" + "".join(f"<p>{line}</p>" for line in t.split("\n")) for t in TEXTS[5:9]]
    return pages + web


SNIPPETS = [
    "<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th>", "<td>9</td>" * 40,
    '<td colspan="99999">', '<td rowspan="0">', '<td rowspan="-1" colspan="x">', "<caption>",
    "<table><tr><td><table><tr><td>", "<script>", "</script>", "<style>", "<!--", "-->",
    "<![CDATA[", "]]>", "&#0;", "&#xD800;", "&#1114112;", "&nbsp;" * 30, "<div>" * 400, "<pre>",
    "<br>" * 50, "\x00", "<p hidden>", "<a href='javascript:x()'>", "<iframe src=x>", "<svg>",
    "<math>", "</html>", "<html>", "<?xml version='1.0'?>", '<meta charset="big5">', "<frameset>",
    "<td onclick='alert(1)'>", "<select><option>", "<template>", "<noscript>", "<object>",
]  # fmt: skip


@st.composite
def mutated_html(draw) -> str:
    page = draw(st.sampled_from(html_pages()))
    for op in draw(st.lists(st.integers(0, 3), min_size=1, max_size=6)):
        a = draw(st.integers(0, len(page)))
        b = draw(st.integers(a, min(len(page), a + 2000)))
        if op == 0:
            page = page[:a]
        elif op == 1:
            page = page[:a] + page[b:]
        elif op == 2:
            page = page[:b] + page[a:]  # a slice doubled
        else:
            page = page[:a] + draw(st.one_of(st.sampled_from(SNIPPETS), JUNK)) + page[a:]
    return page


@fuzz()
@given(page=mutated_html(), encoding=st.sampled_from(["utf-8", "gbk", "utf-16"]))
@example(
    page='<meta charset="idna"><p>政府信息公开</p>', encoding="gbk"
)  # codec raising UnicodeError
@example(page='<meta charset="punycode"><p>政府信息公开</p>', encoding="gbk")
@example(page=f'<table><tr><td colspan="{"9" * 5000}">规章</td></tr></table>', encoding="utf-8")
def test_mutated_html_parses_or_is_refused(page, encoding):
    parses_or_refuses("fuzz.html", page.encode(encoding, errors="replace"))


# --- Word and PDF -------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def docx_members() -> dict[str, bytes]:
    from eval.render import render_docx

    with zipfile.ZipFile(io.BytesIO(render_docx(parse_file(SOURCES[1])))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


ELEMENTS = {name: re.compile(rf"<w:{name}>.*?</w:{name}>".encode(), re.S)
            for name in ("tbl", "tr", "tc", "p", "r", "t")}  # fmt: skip
CELL_PROPS = [
    b'<w:gridSpan w:val="99999"/>', b'<w:gridSpan w:val="-3"/>', b'<w:gridSpan w:val="x"/>',
    b"<w:vMerge/>", b'<w:vMerge w:val="restart"/>', b'<w:hMerge w:val="continue"/>',
]  # fmt: skip
SPLICES = [  # well-formed pieces put between two elements
    b"<w:tc><w:p><w:r><w:t>9</w:t></w:r></w:p></w:tc>", b"<w:tr/>", b"<w:tc/>",
    b'<w:trPr><w:gridBefore w:val="1000"/><w:gridAfter w:val="-1"/></w:trPr>',
    b"<w:sdt><w:sdtContent><w:tc><w:p><w:r><w:t>7</w:t></w:r></w:p></w:tc></w:sdtContent></w:sdt>",
    b"<w:p><w:r><w:t>\xe4\xba\x8c\xe3\x80\x81</w:t><w:br/><w:tab/><w:cr/></w:r></w:p>",
    b"<w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>",
    b"<w:customXml><w:p><w:r><w:t>0</w:t></w:r></w:p></w:customXml>",
]  # fmt: skip
RAW_SNIPPETS = [b"<w:tc>", b"</w:tr>", b"\x00", b"&b;", b"<!DOCTYPE x [<!ENTITY b 'bbb'>]>"]


@st.composite
def mutated_xml(draw) -> bytes:
    """document.xml changed element-wise (so that it mostly still parses), now and then raw."""
    xml = docx_members()["word/document.xml"]
    for op in draw(st.lists(st.integers(0, 5), min_size=1, max_size=5)):
        found = list(ELEMENTS[draw(st.sampled_from(sorted(ELEMENTS)))].finditer(xml))
        if not found:
            continue
        m = found[draw(st.integers(0, len(found) - 1))]
        if op == 0:  # drop an element
            xml = xml[: m.start()] + xml[m.end() :]
        elif op == 1:  # double it
            xml = xml[: m.end()] + m.group() + xml[m.end() :]
        elif op == 2 and b"<w:tcPr>" in xml:  # odd merge properties on a cell
            at = draw(st.sampled_from([i.end() for i in re.finditer(b"<w:tcPr>", xml)]))
            xml = xml[:at] + draw(st.sampled_from(CELL_PROPS)) + xml[at:]
        elif op == 3:
            xml = xml[: m.end()] + draw(st.sampled_from(SPLICES)) + xml[m.end() :]
        elif op == 4:  # other text in a run
            t = draw(st.text(alphabet="0123456789一二三四、（）．.- \t|", max_size=12))
            xml = xml[: m.start()] + f"<w:t>{t}</w:t>".encode() + xml[m.end() :]
        else:  # raw damage: the XML no longer parses
            at = draw(st.integers(0, len(xml)))
            xml = xml[:at] + draw(st.sampled_from(RAW_SNIPPETS)) + xml[at:]
    return xml


@st.composite
def mutated_docx(draw) -> bytes:
    members = dict(docx_members())
    members["word/document.xml"] = draw(mutated_xml())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    data = out.getvalue()
    if draw(st.integers(0, 4)) == 0:  # damage the zip itself
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    if draw(st.integers(0, 4)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return data


@fuzz(0.5)
@given(data=mutated_docx(), suffix=st.sampled_from([".docx", ".pdf"]))
def test_mutated_word_files_parse_or_are_refused(data, suffix):
    parses_or_refuses("fuzz" + suffix, data)


def invariant_pdf(make):
    """A PDF from reportlab without its date and random id: the same bytes every run."""
    from reportlab import rl_config

    saved, rl_config.invariant = rl_config.invariant, 1
    try:
        return make()
    finally:
        rl_config.invariant = saved


@lru_cache(maxsize=1)
def small_pdf() -> bytes:
    from eval.render import render_pdf

    shortest = min(SOURCES[5:], key=lambda p: len(p.read_text(encoding="utf-8")))
    return invariant_pdf(lambda: render_pdf(parse_file(shortest)))


def broken_page_pdf() -> bytes:
    """A PDF whose page dictionary has an odd number of entries: pdfplumber opens it, fails on
    the page, and fails again when closed (which once replaced the ParseError)."""
    from reportlab.pdfgen import canvas

    def make() -> bytes:
        out = io.BytesIO()
        pdf = canvas.Canvas(out)
        pdf.drawString(100, 700, "report")
        pdf.showPage()
        pdf.save()
        return out.getvalue()

    data = invariant_pdf(make)
    assert b"/Rotate 0 " in data
    return data.replace(b"/Rotate 0 ", b"/Rotate   ")  # same length: the xref still holds


@st.composite
def mutated_pdf(draw) -> bytes:
    data = small_pdf()
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


@fuzz(0.1)
@given(data=mutated_pdf(), suffix=st.sampled_from([".pdf", ".docx", ".txt"]))
@example(data=broken_page_pdf(), suffix=".pdf")  # an error while closing hid the ParseError
def test_mutated_pdfs_parse_or_are_refused(data, suffix):
    parses_or_refuses("fuzz" + suffix, data)
