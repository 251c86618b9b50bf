"""`gongkai ingest --manifest`: what a manifest says of a file overrides what is read from it;
a bad manifest is refused with the file, the line and the problem; where a report was published,
and when, reaches citations."""

from __future__ import annotations

import json
import shutil

import pytest

from bot.bot import Bot
from index.manifest import ManifestError, read_manifest
from index.store import Store
from tests.paths import DATA

UNTITLED = DATA / "web" / "016.txt"  # an excerpt that names no organisation (我局), year 2022


def test_a_manifest_names_an_untitled_report_and_a_change_to_it_is_read_again(tmp_path, cli):
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(UNTITLED, reports / "016.txt")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "file,org,year,url\n016.txt,中江县市场监督管理局,2022,https://example.gov.cn/r/016\n",
        encoding="utf-8",
    )
    index = tmp_path / "index"
    result = cli("ingest", str(reports), "--manifest", str(manifest), "--index", str(index))
    assert result.exit_code == 0, result.output
    with Store(index, create=False) as store:
        (row,) = store.reports()
    assert (row["org"], row["org_short"], row["org_level"], row["year"]) == (
        "中江县市场监督管理局", "中江县市场监督管理局", "部门", 2022,
    )  # fmt: skip
    assert row["source_url"] == "https://example.gov.cn/r/016"
    assert "organisation from the manifest: 中江县市场监督管理局 (read: )" in row["warnings"]
    bot = Bot(index, use_llm=False)
    try:
        answer = bot.ask("中江县市场监管局2022年行政处罚多少件？").to_json()
    finally:
        bot.close()
    assert [(f["org"], f["value"]) for f in answer["facts"]] == [("中江县市场监督管理局", 40)]
    assert answer["citations"][0]["url"] == "https://example.gov.cn/r/016"
    again = cli("ingest", str(reports), "--manifest", str(manifest), "--index", str(index))
    assert "0 added, 0 replaced, 1 unchanged" in again.output
    manifest.write_text("file,org,year\n016.txt,中江县市场监督管理局,2021\n", encoding="utf-8")
    changed = cli("ingest", str(reports), "--manifest", str(manifest), "--index", str(index))
    assert "0 added, 1 replaced, 0 unchanged" in changed.output
    with Store(index, create=False) as store:
        assert [r["year"] for r in store.reports()] == [2021]


def test_a_manifest_in_json_lines(tmp_path):
    manifest = tmp_path / "m.jsonl"
    rows = [{"file": "a.txt", "org": "大峪镇人民政府"}, {"file": "b.txt", "year": 2024}]
    manifest.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    assert read_manifest(manifest) == {"a.txt": {"org": "大峪镇人民政府"}, "b.txt": {"year": 2024}}


@pytest.mark.parametrize(
    ("text", "name", "message"),
    [
        ("org,year\nx,2021\n", "m.csv", "m.csv: the first line must name the columns, 'file' among them"),
        ("file,year\na.txt,20x1\n", "m.csv", "m.csv, line 2: year '20x1' is not a year"),
        ("file,region\na.txt,x\n", "m.csv", "m.csv, line 2: unknown column region; use file, org, year, url"),
        ('{"file": "a.txt"}\n[1]\n', "m.jsonl", "m.jsonl, line 2: expected an object with a 'file' field"),
        ("{oops\n", "m.jsonl", "m.jsonl, line 1: not JSON: Expecting property name enclosed in double quotes"),
    ],
)  # fmt: skip
def test_a_bad_manifest_is_refused_naming_the_line(tmp_path, text, name, message):
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as err:
        read_manifest(tmp_path / name)
    assert str(err.value) == f"{tmp_path / name}{message.removeprefix(name)}"


def test_a_bad_manifest_stops_the_ingest_before_anything_is_written(tmp_path, cli):
    (tmp_path / "m.csv").write_text("file,year\na.txt,1999\n", encoding="utf-8")
    index = tmp_path / "index"
    result = cli("ingest", str(UNTITLED), "--manifest", "m.csv", "--index", str(index))
    assert result.exit_code == 1
    assert result.stderr == "Error: m.csv, line 2: year '1999' is not a year\n"
    assert not index.exists()


def test_a_crawled_report_s_page_and_date_reach_its_citations(tmp_path):
    from index.ingest import ingest_into

    ingest_into(tmp_path / "index", [DATA / "real" / "putian_kjj_2021.txt"], workers=1)
    bot = Bot(tmp_path / "index", use_llm=False)
    try:
        (citation,) = bot.ask("莆田市科技局2021年行政许可多少件？").to_json()["citations"]
    finally:
        bot.close()
    assert citation["published"] == "2022-01-13"
    assert citation["url"].startswith("https://www.putian.gov.cn/")
