"""The same report indexed twice: a copy (same organisation, year and cells) is recorded as a copy
of the first and counted once; another report of the same organisation and year is listed."""

from __future__ import annotations

import shutil

from bot.bot import Bot
from index.ingest import ingest_into
from index.store import Store
from tests.paths import DATA, ROOT

DAYU = ROOT / "data/samples/001_da26bd1ac1c5269a.txt"


def test_a_re_encoded_copy_is_a_copy_counted_once(tmp_path, cli):
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(DAYU, reports / DAYU.name)
    copy = reports / "dayu_gbk.txt"  # the same report, re-encoded: other bytes, same cells
    copy.write_bytes(DAYU.read_text(encoding="utf-8").encode("gb18030"))
    result = cli("ingest", str(reports), "--index", str(tmp_path / "index"))
    assert result.exit_code == 0, result.output
    assert (
        "  COPY " in result.output
        and "dayu_gbk.txt: the same 大峪镇人民政府 2025 report as" in (result.output)
    )
    with Store(tmp_path / "index", create=False) as store:
        rows = {r["source_name"]: r for r in store.reports()}
    assert rows["dayu_gbk.txt"]["copy_of"] == rows[DAYU.name]["id"]
    assert rows[DAYU.name]["copy_of"] is None
    bot = Bot(tmp_path / "index", use_llm=False)
    try:
        answer = bot.ask("2025年各镇行政处罚合计多少件？").to_json()
    finally:
        bot.close()
    assert answer["result"] == 30  # not 60
    assert [f["source"] for f in answer["facts"]] == [DAYU.name]


def test_removing_the_original_leaves_the_copy_as_the_report(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(DAYU, reports / "a.txt")
    (reports / "b.txt").write_bytes(DAYU.read_text(encoding="utf-8").encode("gb18030"))
    ingest_into(tmp_path / "index", [reports], workers=1)
    (reports / "a.txt").write_text(
        "大峪镇人民政府2024年政府信息公开工作年度报告\n", encoding="utf-8"
    )
    ingest_into(
        tmp_path / "index", [reports / "a.txt"], workers=1
    )  # a.txt now holds another report
    with Store(tmp_path / "index", create=False) as store:
        rows = {r["source_name"]: r for r in store.reports()}
    assert rows["b.txt"]["copy_of"] is None


def test_another_report_of_the_same_organisation_and_year_is_listed(tmp_path, cli):
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("014.txt", "015.txt"):  # 拖市镇 2020 twice, read to different cells
        shutil.copy(DATA / "web" / name, reports / name)
    result = cli("ingest", str(reports), "--index", str(tmp_path / "index"))
    assert "  SAME ORGANISATION AND YEAR " in result.output
    assert (
        "015.txt: 拖市镇 2020 is indexed from 014.txt too, with other table cells" in result.output
    )
    with Store(tmp_path / "index", create=False) as store:
        assert [r["copy_of"] for r in store.reports()] == [None, None]
