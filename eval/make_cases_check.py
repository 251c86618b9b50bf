"""Check the bot's eval set `eval/cases.jsonl`, and grep the raw report text so a human can re-check it.

    python3 eval/make_cases_check.py              # validate cases.jsonl, print counts and the grep table
    python3 eval/make_cases_check.py --no-grep    # validate and count only
    python3 eval/make_cases_check.py --grep 行政处罚 本年新收政府信息公开申请数量   # grep chosen row labels

Independent on purpose: it reads only the raw report files, the hand-verified gold
(`tests/data/samples_gold.jsonl`, `tests/data/web/facts.jsonl`, `tests/data/web/manifest.jsonl`) and the
cases. It never imports the project's parsers, index or bot.

What is checked:
- line 1 is the header (thresholds, index); every other line is one case: unique id, one of the
  tags zh/en, turns with question/route/expect, valid route, known expect keys and status;
- every `source.file` exists in data/samples or tests/data/web, and every `contains` phrase of a
  retrieval/hybrid turn stands in that file (whitespace ignored);
- single-cell turns (`file` + `cell`): the expected value/status equals the gold cell
  (samples_gold.jsonl for the samples, table facts of facts.jsonl for the web excerpts; a blank web
  cell must have no table fact);
- narrative turns (`file`, no `cell`): every expected number is printed in that file, unless the
  evidence shows it is derived (×, +);
- list/threshold/count/total/max/min/rank/compare/trend turns listed in AGG: the expectation is
  recomputed from the gold data (samples + web table facts + a few hand-verified narrative facts).
Exit code 1 when anything fails.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "eval" / "cases.jsonl"
SAMPLES = ROOT / "data" / "samples"
WEB = ROOT / "tests" / "data" / "web"
GOLD = ROOT / "tests" / "data" / "samples_gold.jsonl"
FACTS = WEB / "facts.jsonl"
MANIFEST = WEB / "manifest.jsonl"

ROUTES = {"sql", "retrieval", "hybrid", "clarify", "none"}
STATUSES = {"value", "zero", "blank", "no_report"}
EXPECT_KEYS = {"values", "status", "orgs", "org", "ordered", "source", "contains"}
TURN_KEYS = {"question", "route", "expect", "evidence", "file", "cell"}
SECTIONS = {
    "preamble",
    "overview",
    "overview.proactive",
    "overview.on_request",
    "overview.info_management",
    "overview.platforms",
    "overview.supervision",
    "problems_improvements",
    "problems_improvements.problems",
    "problems_improvements.improvements",
    "other_matters",
}

# Short name and level of the issuing body of every web excerpt, by hand from manifest.jsonl and the
# excerpt's own title/text. 016 and 024 do not name themselves (“我局”, “我镇”).
WEB_ORGS = {
    "001.txt": ("湖东镇", "镇"),
    "002.txt": ("徐望镇", "镇"),
    "005.txt": ("武汉市东湖生态旅游风景区城乡工作办事处", "街道"),
    "006.txt": ("西四镇", "镇"),
    "007.txt": ("连生乡", "乡"),
    "009.txt": ("建章路街道", "街道"),
    "010.txt": ("两城镇", "镇"),
    "012.txt": ("中埠镇", "镇"),
    "014.txt": ("拖市镇", "镇"),
    "015.txt": ("拖市镇", "镇"),
    "016.txt": ("中江县某局", "部门"),
    "017.txt": ("高新区社会发展局", "部门"),
    "020.txt": ("中山街道", "街道"),
    "021.txt": ("北坡镇", "镇"),
    "024.txt": ("琼海市某镇", "镇"),
    "025.txt": ("回澜镇", "镇"),
    "027.txt": ("会仪镇", "镇"),
    "029.txt": ("章安街道", "街道"),
    "031.txt": ("江干区市场监督管理局", "部门"),
    "036.txt": ("朝外街道", "街道"),
    "039.txt": ("七家子镇", "镇"),
    "040.txt": ("仙庵镇", "镇"),
    "041.txt": ("东坪镇", "镇"),
    "042.txt": ("荣成市", "市"),
    "046.txt": ("玉带乡", "乡"),
    "047.txt": ("黄平县", "县"),
    "050.txt": ("城东街道", "街道"),
}
# Narrative facts (facts.jsonl, source "text") that state how many disclosure requests were received.
RECEIVED_TEXT = {
    "text:收到政府信息公开申请(件)",
    "text:收到依申请公开(件)",
    "text:收到政府信息公开申请(份)",
    "text:受理政府信息公开申请(件)",
    "text:接收政府信息公开申请(件)",
    "text:收到申请公开政府信息(件)",
    "text:依申请公开(件)",
    "text:收到政府信息公开申请(条)",
}

PEN = ("proactive", "administrative_penalty", "decisions")
LIC = ("proactive", "administrative_licensing", "decisions")
COE = ("proactive", "administrative_coercion", "decisions")
FEE = ("proactive", "administrative_fees", "fee_amount")
NEW = ("requests", "new_received", "total")
REVIEW = ("review_litigation", "review", "total")
CARRY = ("requests", "carried_forward", "total")
RECEIVED = ("derived", "requests_received", "total")  # table 三 一、总计, else the narrative count
TOWN = {"镇"}


# ------------------------------------------------------------------------------------------ data
def load_jsonl(path: Path) -> list[dict]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


class Data:
    """Gold cells and report metadata: samples (samples_gold) and web excerpts (facts, manifest)."""

    def __init__(self) -> None:
        self.meta: dict[str, dict] = {}  # file -> {org, level, year, kind}
        self.cells: dict[
            tuple[str, tuple], float | None
        ] = {}  # (file, key) -> value (None = blank)
        self.text_facts: list[dict] = []
        for d in load_jsonl(GOLD):
            if "key" not in d:
                self.meta[d["file"]] = {
                    "org": d["org_short"],
                    "level": "镇",
                    "year": d["year"],
                    "kind": "sample",
                }
            else:
                self.cells[(d["file"], tuple(d["key"]))] = d["value"]
        for m in load_jsonl(MANIFEST):
            org, level = WEB_ORGS[m["file"]]
            self.meta[m["file"]] = {"org": org, "level": level, "year": m["year"], "kind": "web"}
        for f in load_jsonl(FACTS):
            if f["source"] == "table" and f.get("key") and f["key"][0]:
                self.cells[(f["file"], tuple(f["key"]))] = f["value"]
            elif f["source"] == "text":
                self.text_facts.append(f)

    def reports(self, year=None, levels=None) -> dict[tuple[str, int], str]:
        """(org, year) -> first file; mirrors of one report (014/015) count once."""
        out: dict[tuple[str, int], str] = {}
        for file in sorted(self.meta):
            m = self.meta[file]
            if (year is None or m["year"] == year) and (levels is None or m["level"] in levels):
                out.setdefault((m["org"], m["year"]), file)
        return out

    def value(self, file: str, key: tuple):
        if key == RECEIVED:
            if (file, NEW) in self.cells and self.cells[(file, NEW)] is not None:
                return self.cells[(file, NEW)]
            hits = [
                f["value"]
                for f in self.text_facts
                if f["file"] == file and f["metric"] in RECEIVED_TEXT
            ]
            return hits[0] if hits else None
        return self.cells.get((file, key))

    def values(self, key: tuple, year=None, levels=None) -> dict[str, float]:
        """org -> value for every report that prints the cell (blank or cut off = absent)."""
        out = {}
        for (org, _y), file in self.reports(year, levels).items():
            v = self.value(file, key)
            if v is not None:
                out[org] = v
        return out

    def one(self, org: str, year: int, key: tuple):
        files = [f for f, m in self.meta.items() if m["org"] == org and m["year"] == year]
        return self.value(sorted(files)[0], key)


D = Data()


def where(key, year=None, levels=None, pred=lambda v: v > 0):
    return sorted(o for o, v in D.values(key, year, levels).items() if pred(v))


def ranked(key, year=None, levels=None):
    return sorted(D.values(key, year, levels).items(), key=lambda kv: -kv[1])


def top(key, year=None, levels=None, lowest=False):
    vals = D.values(key, year, levels)
    best = (min if lowest else max)(vals.values())
    return {"orgs": sorted(o for o, v in vals.items() if v == best), "values": [best]}


def S(x):
    return {"orgs": sorted(x)}


# Expected answers recomputed from the gold data, by case id (first turn unless "id#turn").
AGG = {
    "l001": lambda: S(where(PEN, 2025, TOWN)),
    "l002": lambda: S(where(PEN, 2025, TOWN)),
    "l003": lambda: {"values": [len(where(PEN, 2025, TOWN))]},
    "l004": lambda: {"values": [sum(D.values(PEN, 2025, TOWN).values())]},
    "l005": lambda: {"values": [sum(D.values(LIC, 2025).values())]},
    "l006": lambda: top(LIC, 2025, TOWN),
    "l007": lambda: top(PEN, 2025, TOWN),
    "l008": lambda: top(PEN, 2023, TOWN),
    "l009": lambda: top(PEN, 2023, TOWN, lowest=True),
    "l010": lambda: {"orgs": [o for o, _ in ranked(LIC, 2021)], "ordered": True},
    "l011": lambda: {"orgs": [o for o, _ in ranked(LIC, 2025)][:2], "ordered": True},
    "l012": lambda: top(PEN, 2021, lowest=True),
    "l013": lambda: S(where(LIC, 2021, None, lambda v: v > 100)),
    "l014": lambda: S(where(PEN, None, TOWN, lambda v: v >= 30)),
    "l015": lambda: S(where(LIC, 2025, TOWN, lambda v: v > 200)),
    "l016": lambda: S(where(FEE)),
    "l017": lambda: top(FEE),
    "l018": lambda: S(o for o, _ in D.reports(2024)),
    "l019": lambda: {"values": [len(D.reports(2024))]},
    "l020": lambda: S(o for o, _ in D.reports(2025, TOWN)),
    "l021": lambda: {"values": [len(D.reports(2025))]},
    "l022": lambda: S(o for o, _ in D.reports(2023, TOWN)),
    "l023": lambda: S(where(RECEIVED, 2024)),
    "l024": lambda: top(RECEIVED, 2024),
    "l025": lambda: {"values": [sum(D.values(RECEIVED, 2024).values())]},
    "l026": lambda: S(where(COE, 2023, TOWN)),
    "l027": lambda: S(where(COE, 2021)),
    "l028": lambda: {"values": [sum(D.values(PEN, 2021).values())]},
    "l029": lambda: {"values": [len(where(PEN, 2025, TOWN, lambda v: v == 0))]},
    "l030": lambda: S(where(PEN, 2025, TOWN, lambda v: v == 0)),
    "l031": lambda: {"orgs": [o for o, _ in ranked(PEN, 2023, TOWN)], "ordered": True},
    "l032": lambda: {"orgs": [o for o, _ in ranked(PEN, 2025, TOWN)][:2], "ordered": True},
    "l033": lambda: {"values": sorted(y for o, y in D.reports() if o == "高平镇")},
    "l034": lambda: S(where(PEN, 2025, TOWN, lambda v: v > 10)),
    "l035": lambda: S(where(FEE, 2021)),
    "l036": lambda: S(o for o, _ in D.reports(2020, TOWN)),
    "l037": lambda: {"values": [sum(D.values(COE, 2025, TOWN).values())]},
    "l038": lambda: top(LIC, 2021, TOWN),
    "l039": lambda: {"values": [len(D.reports(2021))]},
    "l040": lambda: {"values": [len(where(PEN, 2023, TOWN))]},
    "c001": lambda: {"values": [D.one("高平镇", 2021, PEN), D.one("高平镇", 2025, PEN)]},
    "c002": lambda: {"values": [D.one("大峪镇", 2025, PEN), D.one("刘湾镇", 2025, PEN)]},
    "c003": lambda: {"values": [D.one("大峪镇", 2025, PEN), D.one("湖东镇", 2025, PEN)]},
    "c004": lambda: {"values": [D.one("湖东镇", 2025, LIC), D.one("徐望镇", 2025, LIC)]},
    "c005": lambda: {"values": [D.one("仙庵镇", 2023, PEN), D.one("七家子镇", 2023, PEN)]},
    "c006": lambda: {"values": [D.one("中山街道", 2021, LIC), D.one("会仪镇", 2021, LIC)]},
    "c007": lambda: {"values": [D.one("北坡镇", 2022, FEE), D.one("中山街道", 2021, FEE)]},
    "c009": lambda: {"values": [D.one("高平镇", 2021, NEW), D.one("高平镇", 2025, NEW)]},
    "c010": lambda: {"values": [D.one("刘湾镇", 2025, NEW), D.one("高平镇", 2025, NEW)]},
    "t001": lambda: {"values": [D.one("高平镇", y, PEN) for y in (2021, 2025)]},
    "t002": lambda: {"values": [D.one("高平镇", y, NEW) for y in (2021, 2025)]},
    "t003": lambda: {"values": [D.one("高平镇", y, LIC) for y in (2021, 2025)]},
    "t004": lambda: {"values": [D.one("高平镇", y, FEE) for y in (2021, 2025)]},
    "t005": lambda: {"values": [D.one("高平镇", y, REVIEW) for y in (2021, 2025)]},
    "m006#3": lambda: {"values": [D.one("大峪镇", 2025, PEN), D.one("湖东镇", 2025, PEN)]},
    "m010#1": lambda: S(where(PEN, 2025, TOWN)),
    "m010#2": lambda: {
        "orgs": top(PEN, 2025, TOWN)["orgs"],
        "values": top(PEN, 2025, TOWN)["values"],
    },
}


# ------------------------------------------------------------------------------------------ text
TRAD = str.maketrans(
    "處罰許強業費開結轉數請內規範門決項額單萬體況總計員鎮鄉書經濟區縣報類與條",
    "处罚许强业费开结转数请内规范门决项额单万体况总计员镇乡书经济区县报类与条",
)
PINYIN = re.compile(r"\([a-zA-Z\u00c0-\u024f\u0300-\u036f]+\)")


def report_files() -> dict[str, Path]:
    files = {p.name: p for p in sorted(SAMPLES.glob("*.txt"))}
    files.update({p.name: p for p in sorted(WEB.glob("*.txt"))})
    return files


FILES = report_files()


def read_text(name: str) -> str:
    return FILES[name].read_text(encoding="utf-8")


def plain(text: str) -> str:
    """Simplified, without inline pinyin, without whitespace (to find phrases)."""
    return re.sub(r"\s+", "", PINYIN.sub("", text).translate(TRAD))


GREP_LABELS = [
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政事业性收费",
    "行政事业型收费",
    "本年新收政府信息公开申请数量",
]
NUM = re.compile(r"^-?\d+(?:\.\d+)?$")


def grep_rows(labels: list[str]) -> None:
    """Per file: every occurrence of a row label and the numbers printed right after it.

    A table row reads `label | 1 | 2 |`, `label<TAB>1<TAB>2` or one cell per line; the numbers are
    taken until the next Chinese character. `~` marks an occurrence inside a sentence (narrative,
    not the table), `∅` a label followed by no number (blank cell, or the excerpt ends).
    """
    print("\n== grep of the raw report text (re-check by eye) ==")
    for name, path in FILES.items():
        m = D.meta.get(name, {})
        raw = PINYIN.sub("", path.read_text(encoding="utf-8")).translate(TRAD)
        lines = raw.splitlines()
        shown = []
        for label in labels:
            for lm in re.finditer(re.escape(label), raw):
                line_no = raw.count("\n", 0, lm.start()) + 1
                line = lines[line_no - 1]
                before = line[: line.find(label)] if label in line else ""
                in_table = not re.search(
                    r"[\u4e00-\u9fff]", re.sub(r"^[一二三四五六七八九十、（）()\s|]+", "", before)
                )
                nums = []
                for tok in re.split(r"[\s|]+", raw[lm.end() : lm.end() + 160]):
                    if not tok:
                        continue
                    if NUM.match(tok):
                        nums.append(tok)
                    else:
                        break
                mark = "" if in_table else "~"
                shown.append(f"{mark}{label}[L{line_no}]={','.join(nums) if nums else '∅'}")
        print(
            f"{name:28} {m.get('org', '?'):10} {m.get('year', '?')}  " + ("  ".join(shown) or "-")
        )


# ------------------------------------------------------------------------------------------ checks
def same_number(a, b) -> bool:
    return a is not None and b is not None and abs(float(a) - float(b)) < 1e-9


def check() -> int:
    errors: list[str] = []
    lines = CASES.read_text(encoding="utf-8").splitlines()
    try:
        header = json.loads(lines[0])
    except (IndexError, json.JSONDecodeError) as exc:
        print(f"FAIL: header line: {exc}")
        return 1
    if set(header) != {"thresholds", "index"} or "route" not in header["thresholds"]:
        errors.append("line 1 is not the header {thresholds, index}")
    for folder in header.get("index", []):
        if not (ROOT / folder).is_dir():
            errors.append(f"header index folder missing: {folder}")

    ids: set[str] = set()
    tags, routes, langs = Counter(), Counter(), Counter()
    turns_total, multi, checked = 0, 0, Counter()
    for no, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {no}: not JSON ({exc})")
            continue
        cid = case.get("id")
        where_ = f"line {no} ({cid})"
        if not cid or cid in ids:
            errors.append(f"{where_}: missing or duplicate id")
        ids.add(cid)
        ctags = case.get("tags") or []
        lang = [t for t in ctags if t in ("zh", "en")]
        if len(lang) != 1:
            errors.append(f"{where_}: needs exactly one of the tags zh/en")
        tags.update(ctags)
        langs.update(lang)
        turns = case.get("turns") or []
        if not turns:
            errors.append(f"{where_}: no turns")
        if len(turns) > 1:
            multi += 1
            if "multiturn" not in ctags:
                errors.append(f"{where_}: several turns but no 'multiturn' tag")
        for ti, turn in enumerate(turns, 1):
            turns_total += 1
            w = f"{where_} turn {ti}"
            for k in ("question", "route", "expect"):
                if k not in turn:
                    errors.append(f"{w}: missing {k}")
            if set(turn) - TURN_KEYS:
                errors.append(f"{w}: unknown turn keys {sorted(set(turn) - TURN_KEYS)}")
            route, exp = turn.get("route"), turn.get("expect", {})
            routes[route] += 1
            if route not in ROUTES:
                errors.append(f"{w}: bad route {route!r}")
            if not isinstance(exp, dict) or set(exp) - EXPECT_KEYS:
                errors.append(f"{w}: bad expect keys {sorted(set(exp) - EXPECT_KEYS)}")
                continue
            if "status" in exp and exp["status"] not in STATUSES:
                errors.append(f"{w}: bad status {exp['status']!r}")
            if "values" in exp and not all(isinstance(v, (int, float)) for v in exp["values"]):
                errors.append(f"{w}: values must be numbers")
            if "orgs" in exp and not all(isinstance(o, str) for o in exp["orgs"]):
                errors.append(f"{w}: orgs must be names")
            if route in ("retrieval", "hybrid") and "source" not in exp:
                errors.append(f"{w}: {route} turn without source")
            if route == "none" and exp.get("status") != "no_report":
                errors.append(f"{w}: route none should expect status no_report")
            if route == "sql" and not ({"values", "orgs", "status"} & set(exp)):
                errors.append(f"{w}: sql turn expects nothing")
            if exp.get("status") == "value" and not (exp.get("values") and exp["values"][0] > 0):
                errors.append(f"{w}: status value needs a positive value")
            if exp.get("status") == "zero" and exp.get("values") != [0]:
                errors.append(f"{w}: status zero needs values [0]")
            if exp.get("status") == "blank" and "values" in exp:
                errors.append(f"{w}: status blank must not list values")
            # source and contains
            src = exp.get("source")
            if src:
                f = src.get("file")
                if f not in FILES:
                    errors.append(f"{w}: source file {f!r} not in data/samples or tests/data/web")
                elif src.get("section") not in SECTIONS:
                    errors.append(f"{w}: unknown section {src.get('section')!r}")
                else:
                    body = plain(read_text(f))
                    for phrase in exp.get("contains", []):
                        if plain(phrase) not in body:
                            errors.append(f"{w}: contains {phrase!r} not found in {f}")
                    checked["source phrases"] += 1
            # single cells
            file, cell = turn.get("file"), turn.get("cell")
            if file is not None and file not in FILES:
                errors.append(f"{w}: file {file!r} not found")
            elif cell is not None:
                if not file:
                    errors.append(f"{w}: cell without file")
                    continue
                key = tuple(cell)
                kind = D.meta[file]["kind"]
                present = (file, key) in D.cells
                gold = D.cells.get((file, key))
                status = exp.get("status")
                if kind == "sample" and not present:
                    errors.append(f"{w}: no gold cell {file} {key}")
                elif status == "blank":
                    if gold is not None:
                        errors.append(f"{w}: expected blank but gold has {gold}")
                elif present and gold is None:
                    errors.append(
                        f"{w}: gold cell {file} {key} is blank: expect status 'blank', no values"
                    )
                elif not present:
                    errors.append(f"{w}: no hand-verified value for {file} {key}")
                else:
                    if not same_number(exp.get("values", [None])[0], gold):
                        errors.append(
                            f"{w}: expected {exp.get('values')} but gold {file} {key} = {gold}"
                        )
                    want = "zero" if gold == 0 else "value"
                    if status != want:
                        errors.append(f"{w}: status {status!r} but gold value {gold} → {want!r}")
                checked["single cells"] += 1
            elif file and "values" in exp and not src:
                text = PINYIN.sub("", read_text(file))
                printed = {float(x) for x in re.findall(r"\d+(?:\.\d+)?", text)}
                derived = any(ch in turn.get("evidence", "") for ch in "×+")
                for v in exp["values"]:
                    if float(v) not in printed and not derived:
                        errors.append(f"{w}: {v} is not printed in {file}")
                for phrase in exp.get("contains", []):
                    if plain(phrase) not in plain(text):
                        errors.append(f"{w}: contains {phrase!r} not found in {file}")
                checked["narrative numbers"] += 1
            # aggregates
            spec = AGG.get(f"{cid}#{ti}") or (AGG.get(cid) if ti == 1 else None)
            if spec:
                want = spec()
                for k, v in want.items():
                    got = exp.get(k)
                    if k == "orgs" and not want.get("ordered"):
                        got = sorted(got or [])
                    if k == "values":
                        ok = (
                            got is not None and len(got) == len(v) and all(map(same_number, got, v))
                        )
                    else:
                        ok = got == v
                    if not ok:
                        errors.append(f"{w}: {k} expected {got} but gold data give {v}")
                checked["aggregates"] += 1
    missing = [k for k in AGG if k.split("#")[0] not in ids]
    if missing:
        errors.append(f"AGG specs for unknown cases: {missing}")

    print(f"cases: {len(ids)}   turns: {turns_total}   multi-turn cases: {multi}")
    print(
        "languages: "
        + ", ".join(f"{k} {v} ({v / max(len(ids), 1):.0%})" for k, v in langs.most_common())
    )
    print(
        "tags:   "
        + ", ".join(f"{k} {v}" for k, v in sorted(tags.items(), key=lambda kv: (-kv[1], kv[0])))
    )
    print("routes (turns): " + ", ".join(f"{k} {v}" for k, v in routes.most_common()))
    print("verified mechanically: " + ", ".join(f"{k} {v}" for k, v in checked.items()))
    need = {
        "value": 40,
        "narrative": 10,
        "compare": 8,
        "trend": 4,
        "retrieval": 30,
        "hybrid": 5,
        "clarify": 5,
        "none": 8,
    }
    for t, n in need.items():
        if tags[t] < n:
            errors.append(f"coverage: tag {t} has {tags[t]} < {n}")
    agg = sum(tags[t] for t in ("list", "threshold", "count", "total", "max", "min", "rank"))
    if agg < 30:
        errors.append(f"coverage: list/threshold/count/total/max/min/rank {agg} < 30")
    if multi < 15:
        errors.append(f"coverage: multi-turn {multi} < 15")
    if len(ids) < 170:
        errors.append(f"coverage: {len(ids)} cases < 170")
    if errors:
        print(f"\nFAIL ({len(errors)}):")
        for e in errors:
            print("  " + e)
        return 1
    print("\nOK")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--grep"]:
        grep_rows(argv[1:] or GREP_LABELS)
        return 0
    rc = check()
    if "--no-grep" not in argv:
        grep_rows(GREP_LABELS)
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
