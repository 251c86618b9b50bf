"""Organisations by every name they go by, on real crawled reports (tests/data/real) and the
samples: abbreviations, the bare place of a zone, pinyin and English, near misses, untitled ones."""

from __future__ import annotations

import shutil

import pytest

from bot.bot import Bot
from bot.question.model import OrgRef
from bot.question.understand import route, understand
from index.ingest import ingest_into
from parsers.aliases import aliases, bare_places, near_miss
from parsers.vocabulary import org_name
from tests.paths import DATA, ROOT


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("names")
    reports = folder / "reports"
    reports.mkdir()
    for f in [*sorted((DATA / "real").glob("*.txt")), *sorted((ROOT / "data/samples").glob("*"))]:
        shutil.copy(f, reports / f.name)
    untitled = DATA / "web" / "016.txt"  # an excerpt that names no organisation
    shutil.copy(untitled, reports / untitled.name)
    mp = pytest.MonkeyPatch()
    mp.setenv("GONGKAI_EMBED_MODEL", "hash")
    ingest_into(folder / "index", [reports], workers=1)
    b = Bot(folder / "index", use_llm=False)
    yield b
    b.close()
    mp.undo()


def ask(bot: Bot, question: str) -> dict:
    return bot.ask(question).to_json()


@pytest.mark.parametrize(
    "question",
    [
        "莆田市科学技术局2021年行政许可多少件？",  # full name
        "莆田市科技局2021年行政许可多少件？",  # the standard abbreviation (the crawler's 发布机构)
        "莆田科技局2021年行政许可多少件？",  # without 市
        "How many administrative licensing decisions did Putian Municipal Science and Technology"
        " Bureau make in 2021?",
    ],
)
def test_a_department_by_full_abbreviated_and_english_names(bot, question):
    answer = ask(bot, question)
    assert answer["route"] == "sql", answer["reasons"]
    assert {f["org"] for f in answer["facts"]} == {"莆田市科学技术局"}
    assert [f["value"] for f in answer["facts"]] == [27]


@pytest.mark.parametrize(
    "question", ["平潭2022年行政处罚多少件？", "Pingtan 2022 administrative penalty decisions"]
)
def test_a_zone_by_its_bare_place_in_chinese_and_pinyin(bot, question):
    answer = ask(bot, question)
    assert {f["org"] for f in answer["facts"]} == {"平潭综合实验区"}, answer["answer"]


@pytest.mark.parametrize(
    ("question", "reply"),
    [
        ("大裕镇2025年行政处罚多少件？", "未收录大裕镇的报告。您是不是要问：大峪镇？"),
        ("刘弯镇2025年行政处罚多少件？", "未收录刘弯镇的报告。您是不是要问：刘湾镇？"),
        (
            "How many administrative penalty decisions did Dayou town make in 2025?",
            "No report of Dayou town is indexed. Did you mean Dayu town (大峪镇)?",
        ),
    ],
)
def test_a_near_miss_gets_did_you_mean_not_not_indexed(bot, question, reply):
    answer = ask(bot, question)
    assert (answer["route"], answer["answer"]) == ("clarify", reply)


def test_a_name_far_from_every_indexed_one_is_not_indexed(bot):
    answer = ask(bot, "上海科委2019年行政处罚多少件？")  # an abbreviation of a body not indexed
    assert answer["route"] == "none"
    assert answer["answer"].startswith("无法回答：未收录上海科委2019年的报告。")
    meeting = ask(bot, "会议镇2025年行政处罚多少件？")  # 会议 is a term, 会议镇 a place
    assert (meeting["route"], meeting["facts"]) == ("none", [])
    assert meeting["answer"].startswith("无法回答：未收录会议镇2025年的报告。")


def test_a_report_naming_no_organisation_is_called_untitled_with_its_file(bot):
    zh = ask(bot, "2022年各单位行政处罚合计多少件？")
    assert "未署名报告（文件 016.txt）（40件）" in zh["answer"]
    en = ask(bot, "What is the total of administrative penalty decisions in 2022?")
    assert "untitled report (file 016.txt): 40" in en["answer"]
    for answer in (zh, en):
        assert "?" not in {f["org"] for f in answer["facts"]}
        assert "016.txt" not in {f["org"] for f in answer["facts"]}


def test_alias_rules_are_general():
    assert "江苏省人社厅" in aliases("江苏省人力资源和社会保障厅")
    assert "沭阳县住建局" in aliases("沭阳县住房和城乡建设局")
    assert "沭阳住建局" in aliases("沭阳县住房和城乡建设局")
    assert aliases("海陵区城东街道") == {"海陵区城东街道"}  # a place keeps its county
    assert bare_places("福州经济技术开发区管理委员会") == {"福州"}
    assert near_miss("沐阳县", "沭阳县") and not near_miss("沐阳县", "沭阳县人民政府")
    assert org_name({"org": "", "org_short": "", "source_name": "a.txt"}, "en") == (
        "untitled report (file a.txt)"
    )


def test_a_title_that_misprints_the_name_is_read_as_the_text_spells_it(tmp_path):
    """The title says 大裕镇 (a homophone); the report's text says 大峪镇: the report is 大峪镇's,
    found by either name, and answers say what the title printed."""
    text = (ROOT / "data/samples/001_da26bd1ac1c5269a.txt").read_text(encoding="utf-8")
    title = "大峪镇人民政府 2025 年政府信息公开工作年度报告"
    assert title in text
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "misprint.txt").write_text(text.replace(title, title.replace("峪", "裕"), 1))
    ingest_into(tmp_path / "index", [reports], workers=1)
    bot = Bot(tmp_path / "index", use_llm=False)
    try:
        for question in ("大裕镇2025年行政处罚多少件？", "大峪镇2025年行政处罚多少件？"):
            answer = bot.ask(question).to_json()
            assert answer["answer"] == (
                "大峪镇（报告标题作“大裕镇”）2025年行政处罚（本年处理决定数量）为30件。"
            )
            assert {f["org"] for f in answer["facts"]} == {"大峪镇"}
    finally:
        bot.close()


QINGHE = [
    OrgRef("清河市人民政府", "清河市", "市", (2022, 2023)),
    OrgRef("清河市农业农村局", "清河市农业农村局", "部门", (2021,)),
    OrgRef("清河市交通运输局", "清河市交通运输局", "部门", (2022,)),
    OrgRef("清河市宁乐镇人民政府", "宁乐镇", "镇", (2021,)),
]


def test_a_place_without_its_own_report_offers_the_organisations_under_it():
    u = understand("清河2021年行政处罚多少件？", QINGHE)
    assert route(u, QINGHE)[0] == "clarify"
    assert [o.org for o in u.related] == ["清河市农业农村局", "清河市宁乐镇人民政府"]
    u = understand("清河市2022年行政处罚多少件？", QINGHE)  # its own report: no question
    assert (route(u, QINGHE)[0], [o.org for o in u.orgs]) == ("sql", ["清河市人民政府"])


def test_a_level_under_a_place_means_the_organisations_of_that_level_there():
    u = understand("清河市的部门2021年行政处罚多少件？", QINGHE)
    assert [o.org for o in u.orgs] == ["清河市农业农村局", "清河市交通运输局"]
    assert (u.level, u.under) == ("部门", "清河市")
    u = understand("清河市各镇2021年行政处罚多少件？", QINGHE)
    assert [o.org_short for o in u.orgs] == ["宁乐镇"]


def test_english_answers_name_a_department_in_english_with_its_chinese_name(bot):
    answer = ask(bot, "How many administrative licensing decisions did Putian Science and Technology"
                 " Bureau make in 2021?")  # fmt: skip
    assert answer["answer"].startswith(
        "In 2021, Putian Municipal Science and Technology Bureau (莆田市科学技术局) reported "
    )
