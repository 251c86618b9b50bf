"""Hostile and broken report files, as thousands of websites serve them.

Each bad file gets one ParseError naming the file and the problem (never a traceback, never
"internal error"), and `gongkai ingest` into an index already holding the samples lists it as one
`FAILED <file>: <problem>` line, exits with the code for "some files failed" and leaves every
indexed row as it was. Damaged but readable files are read for what they hold, with warnings.
"""

from __future__ import annotations

import codecs
import io
import pickle
import random
import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.config import SAMPLES_DIR
from index.chunks import chunk_report
from index.store import DB_NAME
from parsers import ParseError, parse_file
from parsers.readers import MB

SAMPLES = sorted(SAMPLES_DIR.glob("*.txt"))
SAMPLE = SAMPLES[1]
SCANNED = "scanned PDF: no text to read (it has no text layer; run OCR first)"
SOME_FAILED = 0  # README: `gongkai ingest` exits 1 only when nothing at all could be ingested
NOT_A_REPORT = "no report sections or tables found; is this a 政府信息公开工作年度报告?"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(64)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def cells(report) -> list[tuple]:
    return sorted((c.table, c.row, c.col, c.value) for c in report.cells)


def sections(report) -> list[tuple]:
    return [(s.key, s.text) for s in report.sections]


def problem_of(path: Path, data: bytes | None = None) -> str:
    with pytest.raises(ParseError) as info:
        parse_file(path, data=data)
    err = info.value
    assert (err.path, str(err)) == (str(path), f"{path}: {err.problem}")
    return err.problem


@pytest.fixture(scope="module")
def rendered() -> dict[str, object]:
    from eval.render import render_docx, render_html, render_pdf

    report = parse_file(SAMPLE)
    return {
        "report": report,
        "pdf": render_pdf(report),
        "docx": render_docx(report),
        "html": render_html(report),
    }


# --- the bad files ------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _zip_bomb(_: dict) -> bytes:
    """A .docx whose document.xml packs 64 MB of markup into about 64 KB (1000:1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"<w:p/>" * (MB // 6) + b"    "
            for _ in range(64):
                member.write(chunk)
    return out.getvalue()


def _pdf(draw: Callable, **options) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, **options)
    draw(pdf)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _scan(pdf) -> None:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    pdf.drawImage(ImageReader(Image.new("RGB", (400, 560), "lightgray")), 50, 100, 400, 560)


def _scan_with_page_number(pdf) -> None:
    _scan(pdf)
    pdf.drawString(290, 40, "1")


def _many_pages(pdf) -> None:
    for n in range(500):
        pdf.drawString(100, 700, f"page {n + 1}")
        pdf.showPage()
    pdf.drawString(100, 700, "page 501")


def _encrypted(_: dict) -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption

    encrypt = StandardEncryption("secret", ownerPassword="owner")
    return _pdf(lambda c: c.drawString(100, 700, "report"), encrypt=encrypt)


def _empty_docx(_: dict) -> bytes:
    import docx

    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


def _garbage(_: dict) -> bytes:
    rng = random.Random(7)
    return bytes(rng.randrange(0x80, 0x100) for _ in range(4000))


def _sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


PORTAL = """<html><head><title>某区人民政府门户网站</title></head><body>
<nav><a href="/">首页</a> <a href="/news">要闻动态</a> <a href="javascript:void(0)">无障碍</a></nav>
<div class="news"><h3>今日要闻</h3><ul><li>区长调研春耕生产工作</li><li>全区召开安全生产会议</li>
</ul></div><footer>主办单位：某区人民政府办公室 网站标识码：1234567890</footer></body></html>"""

# name: (file name, bytes, the problem `gongkai ingest` prints for it)
BAD: dict[str, tuple[str, Callable[[dict], bytes], str]] = {
    "empty": ("empty.txt", lambda r: b"", "the file is empty"),
    "whitespace": ("blank.txt", lambda r: b" \n\t\r\n   \n", "the file holds only whitespace"),
    "utf16 whitespace": (
        "blank16.md",
        lambda r: "\u3000 \r\n \u3000\n".encode("utf-16"),
        "the file holds only whitespace",
    ),
    "png renamed txt": (
        "picture.txt",
        lambda r: PNG,
        "looks like a PNG image, not a text file; a picture of a report needs OCR first",
    ),
    "jpeg renamed txt": (
        "photo.txt",
        lambda r: JPEG,
        "looks like a JPEG image, not a text file; a picture of a report needs OCR first",
    ),
    "legacy doc renamed docx": (
        "old.docx",
        lambda r: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
        "looks like a legacy or password-protected Office file (.doc/.xls), not a Word file; "
        "save it as an unprotected .docx",
    ),
    "xlsx renamed docx": (
        "sheet.docx",
        lambda r: _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}),
        "looks like an Excel workbook (.xlsx), not a Word file",
    ),
    "text renamed pdf": (
        "report.pdf",
        lambda r: ("下载：" + _sample_text()).encode("utf-8"),
        "looks like a text file, not a PDF (often a web page saved in place of the document); "
        "rename it if it is the report",
    ),
    "web page renamed docx": (
        "report.docx",
        lambda r: b"<html><body><h1>404 Not Found</h1></body></html>",
        "looks like an HTML page, not a Word file (often a web page saved in place of the "
        "document); rename it if it is the report",
    ),
    "undecodable text": (
        "garbage.txt",
        _garbage,
        "cannot decode the text (tried UTF-8, GB18030/GBK, Big5 and UTF-16)",
    ),
    "utf8 bom then gbk": (
        "mixed.txt",
        lambda r: codecs.BOM_UTF8 + _sample_text().encode("gbk"),
        "cannot decode the text: it starts with a UTF-8 byte-order mark but what follows is "
        "not valid UTF-8",
    ),
    "50 MB": (
        "huge.txt",
        lambda r: b"x" * (50 * MB),
        "file is 50.0 MB, over the 30 MB limit; real reports are smaller "
        "(set GONGKAI_MAX_FILE_MB to raise the limit)",
    ),
    "a million characters": (
        "long.txt",
        lambda r: ("一、总体情况\n" + "政府信息公开。" * 160_000).encode("utf-8"),
        "the file holds 1.1 million characters of text, over the 1 million a report could need",
    ),
    "not a report": (
        "notes.txt",
        lambda r: "买菜：土豆两斤。\n明天开会。\n".encode(),
        NOT_A_REPORT,
    ),
    "html not a report": ("portal.html", lambda r: PORTAL.encode(), NOT_A_REPORT),
    "html only scripts": (
        "app.html",
        lambda r: b"<html><head><script>render()</script></head><body><div id=app></div></body>",
        "the HTML page has no text (only markup or scripts)",
    ),
    "html only a frame": (
        "frame.html",
        lambda r: b'<html><body><iframe src="report_2024.html"></iframe></body></html>',
        "the HTML page only frames another page (report_2024.html); save that page instead",
    ),
    "scanned pdf": ("scan.pdf", lambda r: _pdf(_scan), SCANNED),
    "scanned pdf with page number": ("scan1.pdf", lambda r: _pdf(_scan_with_page_number), SCANNED),
    "pdf of shapes": (
        "shapes.pdf",
        lambda r: _pdf(lambda c: c.rect(90, 90, 300, 200, fill=1)),
        SCANNED,
    ),
    "pdf of 501 pages": (
        "book.pdf",
        lambda r: _pdf(_many_pages),
        "the PDF has 501 pages, over the 500-page limit",
    ),
    "encrypted pdf": (
        "locked.pdf",
        _encrypted,
        "encrypted PDF: it needs a password to open; save an unprotected copy and retry",
    ),
    "corrupt pdf": (
        "corrupt.pdf",
        lambda r: b"%PDF-1.4\n1 0 obj << /Type /Catalog\n",
        "not a readable PDF: Unexpected EOF",
    ),
    "random bytes docx": (
        "random.docx",
        lambda r: random.Random(3).randbytes(5000),
        "looks like binary data, not a Word file",
    ),
    "zip without document.xml": (
        "other.docx",
        lambda r: _zip({"[Content_Types].xml": b"<Types/>", "word/styles.xml": b"<styles/>"}),
        "not a .docx: no word/document.xml inside",
    ),
    "truncated docx": (
        "cut.docx",
        lambda r: r["docx"][: len(r["docx"]) // 2],
        "damaged .docx: the zip archive is truncated or corrupt; download it again",
    ),
    "docx zip bomb": (
        "bomb.docx",
        _zip_bomb,
        "refused: the .docx expands to 64 MB (possible zip bomb)",
    ),
    "docx without text": ("blank.docx", _empty_docx, "the Word document has no text"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_file_raises_one_clear_parse_error(case, tmp_path, rendered):
    name, make, problem = BAD[case]
    data = make(rendered)
    path = tmp_path / name
    path.write_bytes(data)
    assert problem_of(path) == problem
    assert problem_of(path, data) == problem  # as `gongkai ingest` calls it, bytes in hand


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory) -> Path:
    """An index holding the five samples, built once (hash embedder); each test copies it."""
    folder = tmp_path_factory.mktemp("sample_index") / "index"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GONGKAI_EMBED_MODEL", "hash")
        mp.delenv("GONGKAI_INDEX", raising=False)
        mp.delenv("GONGKAI_CHROMA_URL", raising=False)
        result = CliRunner().invoke(main, ["ingest", str(SAMPLES_DIR), "--index", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def index_rows(folder: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(folder / DB_NAME)
    try:
        return {
            t: sorted(conn.execute(f"SELECT * FROM [{t}]").fetchall(), key=repr)
            for t in ("reports", "sections", "cells", "chunks")
        }
    finally:
        conn.close()


@pytest.mark.parametrize("case", BAD)
def test_ingest_lists_a_bad_file_once_and_changes_nothing(
    case, cli, tmp_path, sample_index, rendered
):
    name, make, problem = BAD[case]
    shutil.copytree(sample_index, tmp_path / "index")
    before = index_rows(tmp_path / "index")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / name).write_bytes(make(rendered))
    result = cli("ingest", SAMPLES_DIR, f"bad/{name}", "--index", "index")
    out = result.stdout + result.stderr
    assert result.exit_code == SOME_FAILED
    assert out.startswith(
        "Ingested 6 files into index: 0 added, 0 replaced, 5 unchanged, 1 failed; "
        "5 complete, 0 incomplete, 0 fails_checks, 0 no_tables; 0 passages embedded.\n"
    )
    assert [line for line in out.splitlines() if name in line] == [
        f"  FAILED bad/{name}: {problem}"
    ]
    assert "internal error" not in out and "Traceback" not in out
    assert index_rows(tmp_path / "index") == before


def test_parse_errors_pickle_whole():
    """A process pool sends a worker's ParseError back pickled: path and problem survive."""
    from parsers.errors import DamagedFile

    err = pickle.loads(pickle.dumps(DamagedFile("a.pdf", "not a readable PDF: x")))
    assert (type(err), err.path, err.problem, str(err)) == (
        DamagedFile, "a.pdf", "not a readable PDF: x", "a.pdf: not a readable PDF: x"
    )  # fmt: skip


def test_a_folder_named_like_a_report_is_a_clear_error(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    assert problem_of(tmp_path / "folder.txt") == "cannot read the file: Is a directory"


# --- size ---------------------------------------------------------------------------------------


def test_size_is_checked_before_the_file_is_read(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(50 * MB)  # sparse: 50 MB on paper

    def never(self):
        raise AssertionError("read the bytes of a file over the limit")

    monkeypatch.setattr(Path, "read_bytes", never)
    assert problem_of(path).startswith("file is 50.0 MB, over the 30 MB limit")


def test_the_size_limit_is_configurable(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    path.write_bytes(b" " * (50 * MB))
    monkeypatch.setenv("GONGKAI_MAX_FILE_MB", "60")
    assert problem_of(path) == "the file holds only whitespace"  # past the size check
    monkeypatch.setenv("GONGKAI_MAX_FILE_MB", "40.5")
    assert problem_of(path).startswith("file is 50.0 MB, over the 40.5 MB limit")
    monkeypatch.setenv("GONGKAI_MAX_FILE_MB", "lots")
    assert problem_of(path) == "GONGKAI_MAX_FILE_MB='lots' must be a positive number of megabytes"


# --- wrong extension: the bytes decide ----------------------------------------------------------


@pytest.mark.parametrize(("real", "named"), [("pdf", "report.docx"), ("docx", "report.pdf")])
def test_a_pdf_or_word_file_under_the_wrong_name_is_read_as_what_it_is(
    real, named, tmp_path, rendered
):
    right = tmp_path / f"right.{real}"
    right.write_bytes(rendered[real])
    wrong = tmp_path / named
    wrong.write_bytes(rendered[real])
    expected = parse_file(right)
    got = parse_file(wrong)
    assert got.format == real
    what = {"pdf": "a PDF", "docx": "a Word file"}[real]
    assert got.warnings[0] == f"the file is named {wrong.suffix} but is {what}; read as {real}"
    assert cells(got) == cells(expected) == cells(rendered["report"])


def test_a_whole_html_page_saved_as_txt_is_read_as_html(tmp_path, rendered):
    page = rendered["html"].replace("<body>", "<body><script>var leak = '脚本内容';</script>", 1)
    path = tmp_path / "page.txt"
    path.write_text(page, encoding="utf-8")
    report = parse_file(path)
    assert report.format == "html"
    assert report.warnings[0] == "the file is named .txt but is an HTML page; read as html"
    assert cells(report) == cells(rendered["report"])
    assert not any("脚本内容" in line or "<" in line for line in report.lines)


def test_an_html_file_without_markup_keeps_its_lines(tmp_path):
    path = tmp_path / "plain.html"
    path.write_text(_sample_text(), encoding="utf-8")
    report = parse_file(path)
    assert report.format == "txt"
    assert cells(report) == cells(parse_file(SAMPLE))


# --- encodings ----------------------------------------------------------------------------------

ENCODED = {  # how a website may have saved the text, and the encoding the reader reports
    "gbk": (lambda t: t.encode("gbk"), "gb18030"),
    "gb18030": (lambda t: t.encode("gb18030"), "gb18030"),
    "utf-16 with BOM": (lambda t: t.encode("utf-16"), "utf-16"),
    "utf-16-be with BOM": (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16"),
    "utf-16-le without BOM": (lambda t: t.encode("utf-16-le"), "utf-16-le"),
    "utf-16-be without BOM": (lambda t: t.encode("utf-16-be"), "utf-16-be"),
    "utf-8 with BOM": (lambda t: t.encode("utf-8-sig"), "utf-8-sig"),
}


@pytest.mark.parametrize("sample", SAMPLES[:3], ids=lambda p: p.stem[:3])
@pytest.mark.parametrize("encoding", ENCODED)
def test_each_encoding_parses_to_the_same_report(tmp_path, sample, encoding):
    encode, name = ENCODED[encoding]
    expected = parse_file(sample)
    path = tmp_path / sample.name
    path.write_bytes(encode(sample.read_text(encoding="utf-8")))
    got = parse_file(path)
    assert got.encoding == name
    assert (cells(got), sections(got), got.org, got.year) == (
        cells(expected), sections(expected), expected.org, expected.year
    )  # fmt: skip
    assert got.cells and not any("damaged" in w for w in got.warnings)


@pytest.mark.parametrize("sample", SAMPLES[:3], ids=lambda p: p.stem[:3])
def test_big5_traditional_text_parses_like_its_utf8(tmp_path, sample):
    import zhconv

    traditional = zhconv.convert(sample.read_text(encoding="utf-8"), "zh-tw")
    utf8 = tmp_path / "utf8.txt"
    utf8.write_text(traditional, encoding="utf-8")
    big5 = tmp_path / "big5.txt"
    big5.write_bytes(traditional.encode("big5"))
    got, expected = parse_file(big5), parse_file(utf8)
    assert got.encoding == "big5"
    assert (cells(got), sections(got)) == (cells(expected), sections(expected))
    assert cells(got) == cells(parse_file(sample))  # the same numbers as the simplified original


def test_html_in_gbk_declaring_its_charset(tmp_path, rendered):
    page = rendered["html"].replace('charset="utf-8"', 'charset="gbk"')
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("gbk"))
    got = parse_file(path)
    assert (got.encoding, cells(got)) == ("gb18030", cells(rendered["report"]))


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_a_file_cut_mid_character_is_read_with_a_warning(tmp_path, encoding):
    data = _sample_text().rstrip().encode(encoding)
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:-1])  # the last character is Chinese: half of it is left
    report = parse_file(path)
    assert report.encoding == {"gbk": "gb18030"}.get(encoding, encoding)
    shown = report.encoding
    assert f"1 damaged character(s) could not be decoded as {shown}; shown as \ufffd" in (
        report.warnings
    )
    assert cells(report) == cells(parse_file(SAMPLE))


def test_control_characters_never_reach_the_report(tmp_path):
    text = _sample_text().replace("。", "。\x00\x1b\x7f", 3).replace("\n", "\x0c\n", 2)
    path = tmp_path / "ctl.txt"
    path.write_text(text, encoding="utf-8")
    report = parse_file(path)
    assert not any(ch in line for line in report.lines for ch in "\x00\x1b\x7f\x0c")
    assert cells(report) == cells(parse_file(SAMPLE))


# --- truncated, and reports without tables ------------------------------------------------------


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem[:3])
def test_a_report_cut_mid_table_keeps_what_is_there_and_invents_nothing(tmp_path, sample):
    full = parse_file(sample)
    lines = sample.read_text(encoding="utf-8").split("\n")
    rows = [i for i, line in enumerate(lines) if "\t" in line or "|" in line]
    cut = rows[len(rows) // 2]  # a table row in the middle, cut in half
    path = tmp_path / sample.name
    path.write_text("\n".join(lines[:cut] + [lines[cut][: len(lines[cut]) // 2]]), "utf-8")
    got = parse_file(path)
    printed = {(c.table, c.row, c.col): (c.value, c.line) for c in full.cells}
    read = [c for c in got.cells if c.provenance != "unread"]
    assert read and len(read) < len([c for c in full.cells if c.provenance != "unread"])
    for c in read:
        assert c.line <= cut + 1
        assert printed[(c.table, c.row, c.col)][0] == c.value, (c.row, c.col)
        if c.provenance == "printed":
            assert printed[(c.table, c.row, c.col)] == (c.value, c.line)
    assert got.status in ("incomplete", "fails_checks")
    assert "no cells read for table 四; the file may be cut short or the table missing" in (
        got.warnings
    )


def test_a_report_without_tables_is_kept_for_its_narrative(tmp_path, cli, sample_index):
    """A narrative-only report still answers questions by retrieval: it is ingested, with the
    warning "no table cells found", never rejected."""
    lines = [line for line in _sample_text().split("\n") if "\t" not in line and "|" not in line]
    path = tmp_path / "narrative.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    report = parse_file(path)
    full = parse_file(SAMPLE)
    assert "no table cells found" in report.warnings and report.status == "no_tables"
    assert {c.provenance for c in report.cells} == {"unread"}
    assert (report.org, report.year) == (full.org, full.year)
    assert {"overview.proactive", "problems_improvements"} <= {s.key for s in report.sections}

    shutil.copytree(sample_index, tmp_path / "index")
    result = cli("ingest", path, "--index", "index")
    assert result.exit_code == 0 and ": 1 added," in result.stdout
    rows = index_rows(tmp_path / "index")
    assert len(rows["reports"]) == 6 and len(rows["chunks"]) > len(
        index_rows(sample_index)["chunks"]
    )


# --- HTML with active content -------------------------------------------------------------------

INJECTED = (
    '<script>var s = "恶意EVIL脚本";</script><style>.x:after{content:"恶意EVIL样式"}</style>'
    '<iframe src="ad.html"><p>恶意EVIL框架</p></iframe><noscript>恶意EVIL无脚本</noscript>'
    '<p onclick="alert(\'恶意EVIL事件\')" onmouseover="steal()">本段正文应当保留。</p>'
    "<a href=\"javascript:alert('恶意EVIL链接')\">恶意EVIL链接文字</a>"
    '<a href=" JavaScript:void(0)" onclick="go()">恶意EVIL按钮</a>'
    "<div hidden>恶意EVIL隐藏</div><span style='display: none'>恶意EVIL样式隐藏</span>"
    "<!-- 恶意EVIL注释 --><object data='x.swf'>恶意EVIL对象</object>"
)


def test_html_active_content_never_reaches_sections_or_chunks(
    tmp_path, cli, rendered, sample_index
):
    page = rendered["html"]
    first_p = page.index("</p>") + len("</p>")
    path = tmp_path / "hostile.html"
    path.write_text(page[:first_p] + INJECTED + page[first_p:], encoding="utf-8")
    report = parse_file(path)
    assert cells(report) == cells(rendered["report"])
    texts = [s.text for s in report.sections] + [c.text for c in chunk_report(report)]
    texts += report.lines + [f.quote for f in report.text_facts]
    assert not [t for t in texts if "EVIL" in t or "alert" in t or "steal" in t]
    assert any("本段正文应当保留。" in t for t in texts)

    shutil.copytree(sample_index, tmp_path / "index")
    result = cli("ingest", path, "--index", "index")
    assert result.exit_code == 0 and ": 1 added," in result.stdout
    rows = index_rows(tmp_path / "index")
    stored = [repr(r) for table in ("sections", "chunks") for r in rows[table]]
    assert any("本段正文应当保留" in r for r in stored)
    assert not [r for r in stored if "EVIL" in r or "alert" in r]


def test_ingest_reads_damaged_but_readable_files_for_what_they_hold(
    tmp_path, cli, rendered, sample_index
):
    """Misnamed PDF/Word files, other encodings and a report cut mid-table are ingested (with the
    same cells as the library reads), none of them failed."""
    import zhconv

    text = _sample_text()
    folder = tmp_path / "web"
    folder.mkdir()
    files = {
        "pdf_named.docx": rendered["pdf"],
        "word_named.pdf": rendered["docx"],
        "gbk.txt": ("来源：网站\n" + text).encode("gbk"),
        "utf16.txt": ("来源：网站\n" + text).encode("utf-16-le"),
        "big5.txt": zhconv.convert(text, "zh-tw").encode("big5"),
        "cut.txt": text[: len(text) * 2 // 3].encode("utf-8"),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    shutil.copytree(sample_index, tmp_path / "index")
    result = cli("ingest", "web", "--index", "index")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "Ingested 6 files into index: 6 added, 0 replaced, 0 unchanged, 0 failed;"
    )
    conn = sqlite3.connect(tmp_path / "index" / DB_NAME)
    try:
        stored = dict(
            conn.execute(
                "SELECT r.source_path, COUNT(c.report_id) FROM reports r LEFT JOIN cells c"
                " ON c.report_id = r.id GROUP BY r.id"
            ).fetchall()
        )
    finally:
        conn.close()
    for name in files:
        assert stored[str((folder / name).resolve())] == len(parse_file(folder / name).cells) > 0


def test_a_long_run_of_digits_is_left_unread_not_split_every_way():
    """40 digits run together for the 7 columns of table 三 split over 3 million ways: the row
    is left unread with a warning, instead of trying them one by one."""
    from parsers.parse import parse_lines

    label = "一、本年新收政府信息公开申请数量"
    report = parse_lines(["一、总体情况", "三、收到和处理政府信息公开申请情况", label + "1" * 40])
    assert {c.value for c in report.cells} == {None}
    assert report.warnings[0] == (
        f"line 3: table 三 row {label}: 7 of 7 cells left unread (prints 40 digits run "
        f"together ('{'1' * 40}'); too many ways to split them into 7 values)"
    )
