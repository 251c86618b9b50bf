"""Uploads on the web page: safe names, the type/size/count limits, storage only under
<index>/uploads/, and the message a browser shows for a file it may not upload."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from bot.web.uploads import (
    ALLOWED,
    MAX_NAME_BYTES,
    Rejected,
    TooManyFiles,
    UploadConfigError,
    UploadLimits,
    safe_name,
    screen,
    store_upload,
)
from parsers.readers import MAX_BYTES

KINDS = ".docx, .htm, .html, .markdown, .md, .pdf, .shtml, .text, .txt, .xhtml"


def test_allowed_types_are_the_parsers():
    from parsers.readers import SUFFIXES

    assert ALLOWED == tuple(sorted(SUFFIXES))
    assert ", ".join(ALLOWED) == KINDS


@pytest.mark.parametrize(
    "given, stored",
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\x.txt", "x.txt"),
        ("C:\\Users\\me\\年报.docx", "年报.docx"),
        ("/tmp/../report.md", "report.md"),
        ("a\x00b.txt", "ab.txt"),
        ("a\nb\r\tc.txt", "abc.txt"),
        ("\u202etxt.exe", "txt.exe"),  # a right-to-left override hiding the real suffix
        ("zero\u200bwidth.txt", "zerowidth.txt"),
        (".hidden.txt", "hidden.txt"),
        ("...txt", "txt"),
        ("..", "upload"),
        ("", "upload"),
        ("CON.txt", "_CON.txt"),
        ("nul.tar.md", "_nul.tar.md"),
        ("com1.pdf", "_com1.pdf"),
        ("console.txt", "console.txt"),
        ("ｒｅｐｏｒｔ．ｔｘｔ", "report.txt"),  # full width: NFKC
        ("a／b.txt", "b.txt"),  # a full-width slash is a slash after NFKC
        ("<img src=x onerror=alert(1)>.txt", "_img src=x onerror=alert(1)_.txt"),
        ('a:b*c?d"e|f`g.md', "a_b_c_d_e_f_g.md"),
        ("a..b.txt", "a_b.txt"),
        ("report. .txt", "report.txt"),
        ("  report 2024.TXT ", "report 2024.TXT"),
        ("大峪镇2025年报.txt", "大峪镇2025年报.txt"),
    ],
)
def test_safe_name(given: str, stored: str):
    assert safe_name(given) == stored


@pytest.mark.parametrize(
    "given",
    ["a" * 300 + ".txt", "报" * 300 + ".pdf", "x." + "y" * 300, "../" * 100 + "z" * 300 + ".md"],
)
def test_long_names_are_capped(given: str):
    name = safe_name(given)
    assert len(name.encode()) <= MAX_NAME_BYTES
    assert name[:1] == Path(given).name[:1]
    if len(Path(given).suffix) < 10:
        assert name.endswith(Path(given).suffix)


NASTY = [
    "../../etc/passwd.txt",
    "..\\..\\x.txt",
    "a\x00b.txt",
    "a" * 300 + ".txt",
    ".hidden.txt",
    "CON.txt",
    "\x01\x02.\x7f.txt",
    "./.././...",
    "🙂" * 100 + ".md",
    "ｃｏｎ．ｔｘｔ",
]


@pytest.mark.parametrize("given", NASTY, ids=range(len(NASTY)))
def test_safe_names_are_plain_file_names(given: str):
    name = safe_name(given)
    assert name and "/" not in name and "\\" not in name and ".." not in name
    assert not name.startswith(".")
    assert not any(unicodedata.category(ch).startswith("C") for ch in name)
    assert len(name.encode()) <= MAX_NAME_BYTES
    assert unicodedata.normalize("NFKC", name) == name
    assert safe_name(name) == name  # stable: storing it again keeps the name


def files(tmp_path: Path, *names: str, sizes: dict[str, int] | None = None):
    """(temporary file, name as uploaded) pairs, as the web page receives them."""
    out = []
    for i, name in enumerate(names):
        path = tmp_path / f"upload-{i}"
        path.write_bytes(b"x" * (sizes or {}).get(name, 10))
        out.append((path, name))
    return out


def test_screen_keeps_reports_and_rejects_others_by_name(tmp_path: Path):
    given = files(tmp_path, "年报.txt", "virus.exe", "../../a.PDF", "noext", "x.docx.sh")
    kept, rejected = screen(given, UploadLimits())
    assert kept == [(given[0][0], "年报.txt"), (given[2][0], "a.PDF")]
    assert rejected == [
        Rejected("virus.exe", f"unsupported file type '.exe'; use one of: {KINDS}"),
        Rejected("noext", f"unsupported file type (none); use one of: {KINDS}"),
        Rejected("x.docx.sh", f"unsupported file type '.sh'; use one of: {KINDS}"),
    ]


def test_screen_rejects_large_files_naming_the_limit(tmp_path: Path):
    limits = UploadLimits(max_bytes=2048)
    given = files(
        tmp_path, "big.txt", "ok.txt", "exact.txt", sizes={"big.txt": 3000, "exact.txt": 2048}
    )
    kept, rejected = screen(given, limits)
    assert [name for _, name in kept] == ["ok.txt", "exact.txt"]
    assert rejected == [Rejected("big.txt", "file is too large (2.9 KB; the limit is 2 KB)")]
    assert UploadLimits().size == f"{MAX_BYTES // 1024 // 1024} MB"  # the parser's limit


def test_too_many_files_are_refused(tmp_path: Path):
    given = files(tmp_path, *(f"r{i}.txt" for i in range(4)))
    assert len(screen(given[:3], UploadLimits(max_files=3))[0]) == 3
    with pytest.raises(TooManyFiles) as err:
        screen(given, UploadLimits(max_files=3))
    assert str(err.value) == (
        "Too many files in one upload: 4; the limit is 3. Nothing was ingested — upload them in "
        "batches of at most 3."
    )


def test_limits_from_environment():
    assert UploadLimits.from_env({}) == UploadLimits(MAX_BYTES, 20)
    env = {"GONGKAI_UPLOAD_MAX_MB": "1.5", "GONGKAI_UPLOAD_MAX_FILES": " 5 "}
    assert UploadLimits.from_env(env) == UploadLimits(int(1.5 * 1024 * 1024), 5)
    for name, value in [
        ("GONGKAI_UPLOAD_MAX_MB", "big"),
        ("GONGKAI_UPLOAD_MAX_MB", "0"),
        ("GONGKAI_UPLOAD_MAX_MB", "inf"),
        ("GONGKAI_UPLOAD_MAX_FILES", "-1"),
        ("GONGKAI_UPLOAD_MAX_FILES", "2.5"),
    ]:
        with pytest.raises(UploadConfigError) as err:
            UploadLimits.from_env({name: value})
        assert str(err.value) == (
            f"Invalid {name}={value!r}: it must be a positive number (GONGKAI_UPLOAD_MAX_MB: "
            f"megabytes per file, default {MAX_BYTES // 1024 // 1024}; GONGKAI_UPLOAD_MAX_FILES: "
            "files per upload, default 20)"
        )


def test_store_upload_stays_in_the_folder(tmp_path: Path):
    folder = tmp_path / "index" / "uploads"
    source = tmp_path / "tmp"
    for i, given in enumerate(NASTY):
        source.write_bytes(f"report {i}".encode())
        stored = store_upload(source, given, folder)
        assert stored.parent == folder.resolve(), given
        assert stored.read_bytes() == f"report {i}".encode()
    assert sorted(p.parent for p in tmp_path.rglob("*") if p.is_file()) == [
        tmp_path,
        *[folder] * len(NASTY),
    ]


def test_store_upload_never_overwrites_a_different_file(tmp_path: Path):
    folder = tmp_path / "uploads"
    one, two, three = (tmp_path / "1", tmp_path / "2", tmp_path / "3")
    one.write_text("first")
    two.write_text("second")
    three.write_text("third")
    assert store_upload(one, "r.txt", folder).name == "r.txt"
    assert store_upload(two, "../r.txt", folder).name == "r-2.txt"
    assert store_upload(one, "r.txt", folder).name == "r.txt"  # the same bytes: reused
    assert store_upload(three, "r.txt", folder).name == "r-3.txt"
    assert store_upload(two, "r.txt", folder).name == "r-2.txt"
    texts = {p.name: p.read_text() for p in folder.iterdir()}
    assert texts == {"r.txt": "first", "r-2.txt": "second", "r-3.txt": "third"}
    long = store_upload(two, "y" * 300 + ".txt", folder)
    longer = store_upload(three, "y" * 300 + ".txt", folder)
    assert longer.name == long.name[: -len(".txt") - 2] + "-2.txt"
    assert len(longer.name.encode()) <= MAX_NAME_BYTES


def test_store_upload_does_not_follow_a_link(tmp_path: Path):
    folder, outside = tmp_path / "uploads", tmp_path / "outside.txt"
    folder.mkdir()
    outside.write_text("keep me")
    (folder / "r.txt").symlink_to(outside)
    source = tmp_path / "new"
    source.write_text("new report")
    stored = store_upload(source, "r.txt", folder)
    assert (stored.name, outside.read_text()) == ("r-2.txt", "keep me")


# --- through the web app's ingest -------------------------------------------------------------


def test_web_ingest_screens_and_stores_safely(tmp_path: Path, samples_dir: Path):
    from bot.web.app import _ingest

    index = tmp_path / "index"
    upload = tmp_path / "gradio"
    upload.mkdir()
    report = upload / "大峪镇2025.txt"
    report.write_bytes((samples_dir / "001_da26bd1ac1c5269a.txt").read_bytes())
    (upload / "evil.sh").write_text("rm -rf /")
    (upload / "big.md").write_text("x" * 5000)
    limits = UploadLimits(max_bytes=4096 * 4, max_files=3)
    message = _ingest(
        [report, upload / "evil.sh", upload / "big.md"], index, None, lambda *a, **k: None, limits
    )
    assert message.splitlines() == [
        "**1 added, 0 replaced, 0 unchanged, 2 rejected.**",
        "- added `大峪镇2025.txt`: 大峪镇 2025, complete — 175 of 175 cells read",
        f"- rejected `evil.sh`: unsupported file type '.sh'; use one of: {KINDS}",
        "- rejected `big.md`: no report sections or tables found; "
        "is this a 政府信息公开工作年度报告?",
    ]
    assert sorted(p.name for p in (index / "uploads").iterdir()) == ["大峪镇2025.txt"]
    message = _ingest([report] * 4, index, None, lambda *a, **k: None, limits)
    assert message.startswith("Too many files in one upload: 4; the limit is 3.")
    small = UploadLimits(max_bytes=1024, max_files=3)
    message = _ingest([report], index, None, lambda *a, **k: None, small)
    size = report.stat().st_size
    assert message.splitlines()[1] == (
        f"- rejected `大峪镇2025.txt`: file is too large ({round(size / 1024, 1):g} KB; "
        "the limit is 1 KB)"
    )


# --- the page -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_app(tmp_path_factory: pytest.TempPathFactory):
    """The app in this process on the samples (hash embedder), taking at most 3 files of 4 KB."""
    import socket

    from bot.config import SAMPLES_DIR
    from bot.web.app import CSS, build_app
    from index.ingest import ingest_paths
    from index.store import Store
    from index.vectors import open_vectors

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GONGKAI_EMBED_MODEL", "hash")
        index = tmp_path_factory.mktemp("upload") / "index"
        with Store(index) as store:
            ingest_paths([SAMPLES_DIR], store, vectors=open_vectors(index))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        app = build_app(index, upload_limits=UploadLimits(max_bytes=4096, max_files=3))
        app.launch(server_name="127.0.0.1", server_port=port, css=CSS, prevent_thread_lock=True)
        yield f"http://127.0.0.1:{port}/", index
        app.close()


def test_api_upload_is_screened(small_app, tmp_path: Path):
    """A client that skips the page's own checks meets the same limits on the server."""
    from gradio_client import Client, handle_file
    from gradio_client.exceptions import AppError

    url, index = small_app
    (tmp_path / "virus.exe").write_text("MZ")
    (tmp_path / "big.txt").write_text("x" * 5000)
    (tmp_path / "empty.txt").write_text("")
    client = Client(url, verbose=False)
    with pytest.raises(AppError) as err:  # Gradio's own check of the component's file types
        client.predict([handle_file(tmp_path / "virus.exe")], api_name="/upload")
    assert str(err.value).startswith("Invalid file type. Please upload a file that is one of")
    message, _, _ = client.predict(
        [handle_file(tmp_path / "big.txt"), handle_file(tmp_path / "empty.txt")],
        api_name="/upload",
    )
    assert message.splitlines() == [
        "**0 added, 0 replaced, 0 unchanged, 2 rejected.**",
        "- rejected `big.txt`: file is too large (4.9 KB; the limit is 4 KB)",
        "- rejected `empty.txt`: the file is empty",
    ]
    message, _, _ = client.predict([handle_file(tmp_path / "empty.txt")] * 4, api_name="/upload")
    assert message.startswith("Too many files in one upload: 4; the limit is 3.")
    assert list((index / "uploads").iterdir()) == []


@pytest.mark.slow
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs /usr/bin/chromium")
def test_browser_shows_why_a_file_is_refused(small_app, tmp_path: Path):
    from playwright.sync_api import expect, sync_playwright

    url, _ = small_app
    (tmp_path / "virus.exe").write_text("MZ")
    (tmp_path / "big.txt").write_text("x" * 10_000)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(60_000)
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_role("tab", name="Upload 上传").click()
        files = page.locator("input[type=file]")
        # a type the parsers do not read: the page refuses it at once, listing the types
        files.set_input_files([tmp_path / "virus.exe"])
        expect(
            page.get_by_text(f"Invalid file type: virus.exe. Only {KINDS} allowed.")
        ).to_be_visible()
        # a report file over the size limit: the server names it and the limit
        files.set_input_files([tmp_path / "big.txt"])
        page.locator("#gk-ingest").click()
        result = page.locator("#gk-upload-result")
        expect(result).to_contain_text("big.txt: file is too large (9.8 KB; the limit is 4 KB)")
        expect(result).to_contain_text("0 added, 0 replaced, 0 unchanged, 1 rejected.")
        browser.close()


def test_an_uploaded_copy_of_an_indexed_report_is_said_to_be_one(tmp_path: Path, samples_dir: Path):
    from bot.web.app import _ingest

    index, upload = tmp_path / "index", tmp_path / "gradio"
    upload.mkdir()
    original = upload / "dayu.txt"
    original.write_bytes((samples_dir / "001_da26bd1ac1c5269a.txt").read_bytes())
    copy = upload / "dayu_gbk.txt"
    copy.write_bytes(original.read_text(encoding="utf-8").encode("gb18030"))
    _ingest([original], index, None, lambda *a, **k: None)
    message = _ingest([copy], index, None, lambda *a, **k: None)
    assert message.splitlines()[0] == "**1 added, 0 replaced, 0 unchanged, 0 rejected.**"
    assert (
        "- `dayu_gbk.txt`: 与 `dayu.txt` 是同一份大峪镇人民政府 2025报告（副本，不重复计算）"
        in (message.splitlines())
    )
