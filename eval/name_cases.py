"""Write the eval's organisation-name cases: one organisation asked about by each name it goes by.

    python -m eval.name_cases            # rewrite the o-cases (organisation names) in eval/cases.jsonl

Every organisation below is asked the same number question (its 行政处罚 decisions, a cell read
by hand in tests/data/web/facts.jsonl or tests/data/samples_gold.jsonl) by its full name, its short
name, the bare place, the region and short name, English with the place in pinyin, and the
English of its full title; a name one confusable character away must get "did you mean" with the
right organisation. The expected value comes from the hand-read gold, never from the bot; the
expected organisation is the indexed short name, graded exactly (`org`). The names are written by
hand: they are what people type, not what the parser produces.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "eval" / "cases.jsonl"
CELL = ["proactive", "administrative_penalty", "decisions"]
PREFIX = "o"  # o for organisation (n is taken by the narrative cases)

# file, year, indexed short name, then the names people use (None: not a form this one has);
# the last is a misprint or homophone of the short name (None: a long name a misprint of which
# is still read as a partial mention of it, see bot.question.orgmatch).
ORGS = [
    ("001_da26bd1ac1c5269a.txt", 2025, "大峪镇", "大峪镇人民政府", "大峪", None,
     "Dayu town", "Dayu Town People's Government", "大裕镇"),
    ("003_7a41bb3487badc4a.txt", 2025, "刘湾镇", "刘湾镇人民政府", "刘湾", None,
     "Liuwan town", "Liuwan Town People's Government", "刘弯镇"),
    ("004_62538884590742ab.txt", 2024, "陈区镇", "陈区镇人民政府", "陈区", "高平市陈区镇",
     "Chenqu town", "Chenqu Town People's Government", "陈曲镇"),
    ("001.txt", 2025, "湖东镇", "湖东镇人民政府", "湖东", "陆丰市湖东镇",
     "Hudong town", "Hudong Town People's Government", "湖冬镇"),
    ("002.txt", 2025, "徐望镇", "汉台区徐望镇人民政府", "徐望", "汉台区徐望镇",
     "Xuwang town", "Xuwang Town People's Government", "徐旺镇"),
    ("010.txt", 2020, "两城镇", "两城镇人民政府", "两城", "微山县两城镇",
     "Liangcheng town", "Liangcheng Town People's Government", "两成镇"),
    ("012.txt", 2020, "中埠镇", "中埠镇人民政府", "中埠", None,
     "Zhongbu town", "Zhongbu Town People's Government", "中部镇"),
    ("020.txt", 2021, "中山街道", "石家庄市桥西区中山街道办事处", "中山", "桥西区中山街道",
     "Zhongshan subdistrict", "Zhongshan Subdistrict Office", "中衫街道"),
    ("025.txt", 2019, "回澜镇", "乐至县回澜镇人民政府", "回澜", "乐至县回澜镇",
     "Huilan town", "Huilan Town People's Government", "回兰镇"),
    ("027.txt", 2021, "会仪镇", "会仪镇人民政府", "会仪", "绥江县会仪镇",
     "Huiyi town", "Huiyi Town People's Government", "会议镇"),
    ("039.txt", 2023, "七家子镇", "昌图县七家子镇人民政府", "七家子", "昌图县七家子镇",
     "Qijiazi town", "Qijiazi Town People's Government", "七佳子镇"),
    ("040.txt", 2023, "仙庵镇", "惠来县仙庵镇人民政府", "仙庵", "惠来县仙庵镇",
     "Xian'an town", "Xian'an Town People's Government", "仙安镇"),
    ("017.txt", 2022, "高新区社会发展局", "高新区社会发展局", None, None,
     None, "Gaoxin District Social Development Bureau", None),
]  # fmt: skip


def gold() -> dict[tuple[str, tuple[str, ...]], float]:
    """(file, cell key) → value, from the hand-read facts of the web excerpts and the samples."""
    out = {}
    for line in (ROOT / "tests/data/web/facts.jsonl").read_text(encoding="utf-8").splitlines():
        f = json.loads(line)
        if f.get("source") == "table":
            out[f["file"], tuple(f["key"])] = f["value"]
    for line in (ROOT / "tests/data/samples_gold.jsonl").read_text(encoding="utf-8").splitlines():
        f = json.loads(line)
        if "key" in f:
            out[f["file"], tuple(f["key"])] = f["value"]
    return out


def cases() -> list[dict]:
    values, out = gold(), []
    for file, year, short, full, bare, regional, en, en_full, misprint in ORGS:
        value = values[file, tuple(CELL)]
        evidence = f"{file}: 行政处罚 row, 本年处理决定数量 = {value} (hand-read gold)"
        zh = [("full", full), ("short", short), ("bare", bare), ("regional", regional)]
        asked = [(form, f"{name}{year}年行政处罚多少件？", "zh") for form, name in zh if name]
        asked += [
            (form, f"How many administrative penalty decisions did {name} make in {year}?", "en")
            for form, name in (("pinyin", en), ("english", en_full))
            if name
        ]
        for form, question, lang in asked:
            turn = {
                "question": question,
                "route": "sql",
                "expect": {
                    "values": [value],
                    "status": "zero" if value == 0 else "value",
                    "org": short,
                },
                "file": file,
                "cell": CELL,
                "evidence": evidence,
            }
            out.append({"tags": ["name", form, lang], "turns": [turn]})
        if not misprint:
            continue
        turn = {
            "question": f"{misprint}{year}年行政处罚多少件？",
            "route": "clarify",
            "expect": {"contains": ["您是不是要问", short]},
            "evidence": f"{misprint} is one confusable character from the indexed {short}",
        }
        out.append({"tags": ["name", "near_miss", "zh"], "turns": [turn]})
    for n, case in enumerate(out, 1):
        case["id"] = f"{PREFIX}{n:03d}"
    return [{"id": c["id"], **{k: v for k, v in c.items() if k != "id"}} for c in out]


def main() -> None:
    lines = CASES.read_text(encoding="utf-8").splitlines()
    kept = [ln for ln in lines if not json.loads(ln).get("id", "").startswith(PREFIX)]
    new = [json.dumps(c, ensure_ascii=False) for c in cases()]
    CASES.write_text("\n".join(kept + new) + "\n", encoding="utf-8")
    print(f"{len(new)} name cases written to {CASES}")


if __name__ == "__main__":
    main()
