"""Gold questions for a synthetic corpus, in the format of eval/cases.jsonl (graded by eval.score).

Kinds: one cell's value (Chinese and English, the organisation by full or short name; zero and
blank cells get their `status`), which organisations of a level had a figure in a year (and how
many), two-turn follow-ups on another year, numbers stated in the narrative, questions about the
narrative answered from a section, and organisations the corpus does not have. Phrasings are built
from the template's labels and terms (`parsers.template`). Only unambiguous questions are asked:
an organisation whose short name is shared is named in full; a list has at most `MAX_LIST` names.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from eval.synth_names import Namer, unknown_places
from eval.synth_tables import fmt_value
from parsers import template as T

if TYPE_CHECKING:
    from eval.synth_spec import Spec

THRESHOLDS = {"route": 0.9, "sql_exact": 0.9, "citation": 0.8}
BROKEN_TEXT = ("dedup",)  # renderings whose narrative numbers are broken across lines: not asked
KINDS = {
    "value": 40,
    "followup": 15,
    "list": 10,
    "count": 5,
    "retrieval": 18,
    "narrative": 7,
    "none": 5,
}
MAX_LIST = 8
VAGUE_ROWS = {"other_misc"}  # 3.其他: no words of its own
VAGUE_WORDS = {"其他", "总计"}  # labels that say nothing alone (the 其他 column, （七）总计)
LEVELS = {  # org levels → (Chinese word, English word)
    ("镇",): ("镇", "towns"),
    ("乡",): ("乡", None),
    ("镇", "乡"): ("乡镇", "townships"),
    ("街道",): ("街道", "subdistricts"),
    ("县",): ("县", "counties"),
    ("区",): ("区", "districts"),
    ("市",): ("市", "cities"),
    ("部门",): ("部门", "departments"),
}
ZH_VALUE = (
    "{org}{year}年{row}{col}是多少？",
    "{org}{year}年{row}（{col}）有多少{unit}？",
    "{year}年{org}的{row}{col}多少{unit}",
    "请问{org}{year}年度{row}{col}为多少？",
)
ZH_APPLICANT = ("{org}{year}年{row}中，{col}有几件？", "{org}{year}年{col}{row}多少件？")
EN_VALUE = (
    "How many {row} ({col}) did {org} report in {year}?",
    "In its {year} report, what figure did {org} give for {row}, {col}?",
    "{org}, {year}: what is the number for {row} / {col}?",
)
EN_MONEY = ("How much did {org} report for {row} ({col}) in {year}, in 10,000 yuan?",)
ZH_FOLLOW = ("那{year}年呢？", "{year}年呢？", "那么{year}年的呢")
EN_FOLLOW = ("What about {year}?", "And in {year}?", "how about {year}?")
ZH_LIST = ("{year}年哪些{level}的{row}{col}大于0？", "{year}年哪些{level}有{row}？")
EN_LIST = ("Which {level} had {row} in {year}?", "In {year}, which {level} reported any {row}?")
ZH_COUNT = ("{year}年有几个{level}的{row}不为零？",)
EN_COUNT = ("How many {level} had {row} in {year}?",)
RETRIEVAL = {
    "problems_improvements": (
        "{org}{year}年政府信息公开工作存在哪些主要问题？",
        "{org}{year}年报告提出了哪些改进措施？",
        "What problems did {org} identify in its {year} report?",
        "What improvements does {org} plan according to its {year} report?",
    ),
    "overview.supervision": ("{org}{year}年在监督保障方面做了哪些工作？",),
    "overview.platforms": ("{org}{year}年政府信息公开平台建设情况如何？",),
}
NARRATIVE = {  # a stated number's clause words → questions
    "主动公开政府信息": ("{org}{year}年累计主动公开政府信息多少条？",),
    "政务公开业务培训": ("{org}{year}年组织开展政务公开业务培训多少次？",),
}


def default_count(n_reports: int) -> int:
    return max(20, min(3000, n_reports // 3))


def _plain(label: str) -> str:
    return re.sub(r"^(?:[一二三四五六七]、|（[一二三四五六七]）|\d\.)", "", label.split("·")[-1])


def _phrases(table: str, row: str, col: str, template: str) -> dict[str, Any]:
    """Chinese and English words for a cell, from the template's labels and terms."""
    rdef = T.row_def(table, row)
    cdef = T.col_def(table, col, template, rdef.group)
    zh_terms = [t for t in rdef.terms if re.search(r"[\u4e00-\u9fff]", t)]
    en_terms = [t for t in rdef.terms if t.isascii()]
    zh_cols = [t for t in cdef.terms if re.search(r"[\u4e00-\u9fff]", t)]
    en_cols = [t for t in cdef.terms if t.isascii()]
    plain = _plain(rdef.zh)
    zh_rows = [plain, *zh_terms[:1]] if plain not in VAGUE_WORDS else zh_terms[:1]
    return {
        "zh_row": zh_rows,
        "en_row": [rdef.en, *en_terms[:1]],
        "zh_col": [*([cdef.zh] if cdef.zh not in VAGUE_WORDS else []), *zh_cols[:1]],
        "en_col": [cdef.en, *en_cols[:1]],
        "unit": cdef.unit,
        "label": f"{plain} / {cdef.zh}",
    }


def _status(value: float | None) -> str:
    return "blank" if value is None else "zero" if value == 0 else "value"


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _expect(value: float | None) -> dict[str, Any]:
    if value is None:
        return {"status": "blank"}
    return {"values": [_number(value)], "status": _status(value)}


def _evidence(spec: Spec, key: tuple[str, str, str], label: str) -> str:
    value = spec.values[key]
    shown = "blank (not reported)" if value is None else fmt_value(value)
    return f"{spec.file}: {label} = {shown}"


class Asker:
    def __init__(self, specs: list[Spec], rng: random.Random):
        self.specs, self.rng, self.names = specs, rng, Namer([s.org for s in specs])
        self.by_org_year = {(s.org.name, s.year): s for s in specs}
        pools: dict[tuple[int, tuple[str, ...]], list[Spec]] = defaultdict(list)
        for s in specs:
            for levels in LEVELS:
                if s.org.level in levels:
                    pools[(s.year, levels)].append(s)
        self.pools = sorted(pools.items())
        self.unknown = unknown_places(list({s.org.name: s.org for s in specs}.values()), rng, 20)

    def _cell(self, spec: Spec) -> tuple[str, str, str]:
        keys = [k for k in spec.values if k[1] not in VAGUE_ROWS]
        want = self.rng.choices(("value", "zero", "blank"), (50, 35, 15))[0]
        pool = [k for k in keys if _status(spec.values[k]) == want] or keys
        return self.rng.choice(pool)

    def value_turn(self, spec: Spec, key, lang: str, org_text: str | None = None) -> dict[str, Any]:
        rng = self.rng
        p = _phrases(*key, spec.template)
        if lang == "zh":
            org = org_text or self.names.zh(spec.org, rng)
            frames = ZH_APPLICANT if key[0] == "requests" and key[2] != "total" else ZH_VALUE
            unit = {"万元": "万元", "项": "项"}.get(p["unit"], "件")
            words = {"row": rng.choice(p["zh_row"]), "col": rng.choice(p["zh_col"]), "unit": unit}
        else:
            org = org_text or self.names.en(spec.org, rng)
            frames = EN_MONEY if p["unit"] == "万元" else EN_VALUE
            words = {"row": rng.choice(p["en_row"]), "col": rng.choice(p["en_col"])}
        question = rng.choice(frames).format(org=org, year=spec.year, **words)
        return {
            "question": question,
            "route": "sql",
            "expect": _expect(spec.values[key]),
            "file": spec.file,
            "cell": list(key),
            "evidence": _evidence(spec, key, p["label"]),
        }

    def value(self) -> tuple[list[str], list[dict]]:
        spec = self.rng.choice(self.specs)
        key, lang = self._cell(spec), self.rng.choice(("zh", "zh", "en"))
        turn = self.value_turn(spec, key, lang)
        status = _status(spec.values[key])
        return ["value", lang, *([status] if status != "value" else [])], [turn]

    def followup(self) -> tuple[list[str], list[dict]] | None:
        spec = self.rng.choice(self.specs)
        others = [self.by_org_year[(spec.org.name, y)] for y in spec.org.years if y != spec.year]
        key = self._cell(spec)
        others = [o for o in others if key in o.values]
        if not others:
            return None
        other, lang = self.rng.choice(others), self.rng.choice(("zh", "en"))
        first = self.value_turn(spec, key, lang)
        follow = self.rng.choice(ZH_FOLLOW if lang == "zh" else EN_FOLLOW)
        second = self.value_turn(other, key, lang)
        second["question"] = follow.format(year=other.year)
        return ["multiturn", "value", lang], [first, second]

    def _listing(self):
        """(year, level key, cell, the orgs with a value above 0) with a short answer."""
        for _ in range(30):
            (year, levels), pool = self.rng.choice(self.pools)
            spec = self.rng.choice(pool)
            keys = [k for k in spec.values if k[2] in ("total", "decisions", "fee_amount")]
            keys = [k for k in keys if k[1] not in VAGUE_ROWS]
            key = self.rng.choice(keys)
            hits = [s for s in pool if (s.values.get(key) or 0) > 0]
            if 1 <= len(hits) <= MAX_LIST and len(hits) < len(pool):
                return year, levels, key, hits, spec
        return None

    def listing(self, counting: bool = False) -> tuple[list[str], list[dict]] | None:
        found = self._listing()
        if found is None:
            return None
        year, levels, key, hits, spec = found
        zh_level, en_level = LEVELS[levels]
        lang = "zh" if en_level is None else self.rng.choice(("zh", "en"))
        p = _phrases(*key, spec.template)
        if lang == "zh":
            frames = ZH_COUNT if counting else ZH_LIST
            words = {"row": self.rng.choice(p["zh_row"]), "col": p["zh_col"][0], "level": zh_level}
        else:
            frames = EN_COUNT if counting else EN_LIST
            words = {"row": self.rng.choice(p["en_row"]), "level": en_level}
        question = self.rng.choice(frames).format(year=year, **words)
        names = self.names.listed([h.org for h in hits])
        expect = {"values": [len(hits)]} if counting else {"orgs": names}
        shown = ", ".join(
            f"{n} {fmt_value(h.values[key])}" for n, h in zip(names, hits, strict=True)
        )
        turn = {"question": question, "route": "sql", "expect": expect, "cell": list(key),
                "scope": {"year": year, "levels": list(levels)},
                "evidence": f"{year} {'/'.join(levels)} with {p['label']} > 0: {shown}"}  # fmt: skip
        return ["count" if counting else "list", lang], [turn]

    def retrieval(self) -> tuple[list[str], list[dict]]:
        spec = self.rng.choice(self.specs)
        section = self.rng.choices(list(RETRIEVAL), (70, 15, 15))[0]
        frame = self.rng.choice(RETRIEVAL[section])
        lang = "zh" if re.search(r"[\u4e00-\u9fff]", frame.split("{org}")[-1]) else "en"
        org = (
            self.names.zh(spec.org, self.rng) if lang == "zh" else self.names.en(spec.org, self.rng)
        )
        turn = {"question": frame.format(org=org, year=spec.year), "route": "retrieval",
                "expect": {"source": {"file": spec.file, "section": section}},
                "evidence": f"{spec.file} [{section}]"}  # fmt: skip
        return ["retrieval", "narrative", lang], [turn]

    def narrative(self) -> tuple[list[str], list[dict]] | None:
        spec = self.rng.choice(self.specs)
        options = [(f, q) for f in spec.facts for w, q in NARRATIVE.items() if w in f.quote]
        if not options or spec.style in BROKEN_TEXT:
            return None
        fact, frames = self.rng.choice(options)
        org = self.names.zh(spec.org, self.rng)
        turn = {"question": self.rng.choice(frames).format(org=org, year=spec.year),
                "route": "sql", "expect": {"values": [_number(fact.value)], "status": "value"},
                "file": spec.file, "evidence": f"{spec.file}: “{fact.quote}”"}  # fmt: skip
        return ["narrative", "zh"], [turn]

    def none(self) -> tuple[list[str], list[dict]]:
        place = self.rng.choice(self.unknown)
        year = self.rng.choice(self.specs).year
        turn = {"question": f"{place}{year}年行政处罚多少件？", "route": "none",
                "expect": {"status": "no_report"}, "evidence": f"no report of {place} exists"}  # fmt: skip
        return ["none", "zh"], [turn]


def make_questions(
    specs: list[Spec], rng: random.Random, k: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The header line and `k` cases (fewer if the corpus cannot give that many)."""
    asker = Asker(specs, rng)
    makers = {
        "value": asker.value,
        "followup": asker.followup,
        "list": asker.listing,
        "count": lambda: asker.listing(counting=True),
        "retrieval": asker.retrieval,
        "narrative": asker.narrative,
        "none": asker.none,
    }
    cases: list[dict[str, Any]] = []
    seen: set[str] = set()
    for _ in range(k * 5):
        if len(cases) >= k:
            break
        kind = rng.choices(list(KINDS), list(KINDS.values()))[0]
        made = makers[kind]()
        if made is None or made[1][0]["question"] in seen:
            continue
        seen.add(made[1][0]["question"])
        tags, turns = made
        cases.append({"id": f"s{len(cases) + 1:05d}", "tags": tags, "turns": turns})
    header = {"thresholds": dict(THRESHOLDS), "index": ["reports"]}
    return header, cases
