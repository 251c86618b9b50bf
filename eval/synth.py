"""Synthetic report corpora with gold answers, to test and benchmark the parser and the bot at
100, 1,000 and 10,000 reports (`gongkai synth`).

    from eval.synth import write_corpus
    write_corpus(1000, "/tmp/corpus", seed=0, formats=("txt", "md"), broken=0.1)

writes `reports/` (one file per report), `gold_cells.jsonl` (one line per report: organisation,
year, template, the rendering (`style`) and the `corruptions` it applied, the rule deliberately
broken, every cell with its TRUE value or null for a blank, the numbers stated in the text) and
`gold_questions.jsonl` (questions in the format of `eval/cases.jsonl`, graded by `eval.score`).
The same n, seed and formats give byte-identical text files; DOCX and PDF files carry creation
times in their metadata. `styles=("dump", …)` keeps only those renderings (`eval.synth_render`);
`eval.parse_score` scores the parser on a corpus, per rendering and per corruption.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from eval import synth_numbers as N
from eval.synth_names import Org, plan_orgs
from eval.synth_render import REAL_STYLES, STYLES, render_file
from eval.synth_spec import Spec
from eval.synth_text import narrative, preamble

FORMATS = ("txt", "md", "html", "docx", "pdf")
TITLES = (
    "{org}{year}年政府信息公开工作年度报告",
    "{org}{year}年度政府信息公开工作年度报告",
    "{org} {year} 年政府信息公开工作年度报告",
    "{year}年{org}政府信息公开工作年度报告",
)
STYLE_WEIGHTS = {
    "tabs": 30,
    "split": 20,
    "pipes": 20,
    "pipe_cells": 15,
    "cells": 15,
    "markdown": 80,
    "dump": 25,  # the real-report renderings (REAL_STYLES) are drawn with their own generator,
    "dedup": 20,  # so that a seed gives the other renderings the same bytes as before they came
    "word": 25,
    "pdf_md": 60,
    "html": 3,
    "html_spacer": 2,
}
# One cell per line with nothing for a blank: a blank leaves no trace (and in `dedup` a run of
# equal cells prints once, so blank and 0 cannot be told apart). Only reports without blanks.
NO_BLANKS = ("cells", "dedup")
OLD_TOTAL_BLANK = 0.3  # share of gov2019 reports printing table 三's 总计 column blank


class SynthError(ValueError):
    """Bad arguments for the generator; the message says what is allowed."""


def _check_args(
    n: int, formats: tuple[str, ...], broken: float, styles: tuple[str, ...] | None = None
) -> None:
    if n < 1:
        raise SynthError(f"the number of reports must be at least 1, not {n}")
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise SynthError(
            f"unknown format {', '.join(bad) or '(none)'}; use one or more of: {', '.join(FORMATS)}"
        )
    if not 0 <= broken <= 1:
        raise SynthError(f"--broken is a fraction between 0 and 1, not {broken}")
    if styles is not None:
        known = {s for fmt in FORMATS for s in STYLES.get(fmt, (fmt,))}
        bad = [s for s in styles if s not in known]
        if bad or not styles:
            raise SynthError(
                f"unknown rendering {', '.join(bad) or '(none)'}; use one or more of: "
                + ", ".join(sorted(known))
            )
        for fmt in formats:
            if not set(STYLES.get(fmt, (fmt,))) & set(styles):
                raise SynthError(
                    f"no rendering of {', '.join(styles)} writes {fmt} files; {fmt} has: "
                    + ", ".join(STYLES.get(fmt, (fmt,)))
                )


def build_specs(
    n: int,
    seed: int = 0,
    formats: tuple[str, ...] = ("txt",),
    broken: float = 0.1,
    styles: Iterable[str] | None = None,
) -> list[Spec]:
    """The corpus plan: `n` reports, deterministic for `seed`. `styles`: the renderings to use
    (default: all, by STYLE_WEIGHTS); every format must have one of them."""
    styles = tuple(styles) if styles is not None else None
    _check_args(n, formats, broken, styles)
    orgs = plan_orgs(random.Random(f"orgs:{seed}"), n)
    breaking = set(random.Random(f"broken:{seed}").sample(range(n), round(broken * n)))
    specs: list[Spec] = []
    for k, org in enumerate(orgs):
        org_rng = random.Random(f"org:{seed}:{k}")
        other_org = org_rng.random() < 0.75
        carried = None
        for year in org.years:
            i = len(specs)
            rng = random.Random(f"report:{seed}:{i}")
            spec = _spec(
                rng, i, seed, org, year, other_org, carried, i in breaking, formats, styles
            )
            carried = N.carried_forward(spec.values)
            specs.append(spec)
    return specs


def _spec(
    rng: random.Random,
    i: int,
    seed: int,
    org: Org,
    year: int,
    other_org: bool,
    carried: dict[str, float] | None,
    breaking: bool,
    formats: tuple[str, ...],
    allowed: tuple[str, ...] | None = None,
) -> Spec:
    old = year <= 2020 or (year <= 2023 and rng.random() < 0.08)  # 2019 forms linger
    template = "gov2019" if old else "gov2021"
    values = N.make_values(rng, template, org.kind, other_org, carried)
    rule = rng.choice(N.RULES) if breaking else None
    extra = N.break_rule(rng, values, template, rule) if rule else 0
    blanks: list[str] = []
    unblanked = dict(values)
    if rule is None and rng.random() < 0.15:  # a broken report keeps every cell checkable
        blanks = N.add_blanks(rng, values, template, rng.choice((1, 1, 2)))
    own = random.Random(f"real:{seed}:{i}")  # draws added later, apart from `rng`
    if template == "gov2019" and rule is None and own.random() < OLD_TOTAL_BLANK:
        for key in N.blank_keys("total_column", template, values):
            values[key] = None
        blanks.append("total_column")
    mark = rng.choice(N.BLANK_MARKS)
    stated = unblanked.get(("requests", "new_received", "total"))  # the text tells it anyway
    if rule == "X1":
        stated = (stated or 0) + extra
    elif rng.random() < 0.2:
        stated = None  # the narrative gives no request count
    who = org.short if rng.random() < 0.8 else org.name
    scale = {"town": 800, "gov": 6000, "dept": 3000}[org.kind]
    parts, facts = narrative(rng, who, year, stated, rng.random() < 0.5, scale)
    fmt = formats[rng.randrange(len(formats))]
    style = _style(rng, own, fmt, bool(blanks), allowed)
    if style in NO_BLANKS and blanks:  # the only rendering allowed cannot show a blank cell
        values, blanks = unblanked, []
    title = rng.choice(TITLES).format(org=org.name, year=year)
    if style == "split" and rng.random() < 0.5:
        title = f"{org.name}\n{year}年政府信息公开工作年度报告"  # the title wrapped (sample 004)
    digest = hashlib.sha1(f"{seed}:{i}".encode()).hexdigest()[:12]
    return Spec(
        index=i,
        file=f"{i:05d}_{digest}.{fmt}",
        fmt=fmt,
        style=style,
        org=org,
        year=year,
        template=template,
        other_org=other_org,
        values=values,
        raws={k: mark for k, v in values.items() if v is None},
        parts=parts,
        facts=facts,
        title=title,
        preamble=preamble(org.name, year) if rng.random() < 0.4 else "",
        broken=rule,
        blanks=blanks,
        trailing_tab=rng.random() < 0.5,
    )


def _style(
    rng: random.Random,
    own: random.Random,
    fmt: str,
    blanks: bool,
    allowed: tuple[str, ...] | None,
) -> str:
    """The report's rendering. The older renderings are drawn from `rng` exactly as before the
    real-report ones (REAL_STYLES) came; whether one of those replaces it is drawn from `own`."""
    styles = [s for s in STYLES.get(fmt, (fmt,)) if allowed is None or s in allowed]
    older = [s for s in styles if s not in REAL_STYLES and not (s == "cells" and blanks)]
    real = [s for s in styles if s in REAL_STYLES and not (s in NO_BLANKS and blanks)]
    weight = STYLE_WEIGHTS.get
    style = rng.choices(older, [weight(s, 1) for s in older])[0] if older else None
    w_older, w_real = sum(weight(s, 1) for s in older), sum(weight(s, 1) for s in real)
    if real and (style is None or own.random() < w_real / (w_older + w_real)):
        style = own.choices(real, [weight(s, 1) for s in real])[0]
    return style or next(s for s in styles if s in NO_BLANKS)


def write_corpus(
    n: int,
    out: str | Path,
    seed: int = 0,
    formats: tuple[str, ...] = ("txt",),
    broken: float = 0.1,
    questions: int | None = None,
    styles: Iterable[str] | None = None,
    names: float = 0.0,
) -> dict[str, Any]:
    """Write `n` reports, their gold cells and gold questions under `out`; returns a summary.
    `styles`: the renderings to use (default: all). `names`: the share of reports given a hard
    name case (`eval.synth_names_hard`): a misprinted title, no organisation named (given in
    `manifest.csv` instead), or a re-encoded copy written beside it."""
    from eval.synth_questions import default_count, make_questions

    start = time.perf_counter()
    specs = build_specs(n, seed, tuple(formats), broken, styles)
    out = Path(out)
    folder = out / "reports"
    if folder.is_dir() and any(folder.iterdir()):
        raise SynthError(f"{folder} already holds files; choose a new or empty folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise SynthError(f"cannot create {folder}: {err.strerror or err}") from err
    corruptions: Counter[str] = Counter()
    manifest: list[str] = []
    hard: Counter[str] = Counter()
    with (out / "gold_cells.jsonl").open("w", encoding="utf-8") as gold:
        for spec in specs:
            rng = random.Random(f"render:{seed}:{spec.index}")
            case, spec = _name_case(spec, random.Random(f"names:{seed}:{spec.index}"), names)
            applied: list[str] = []
            data = render_file(spec, rng, applied)
            (folder / spec.file).write_bytes(data)
            line = spec.gold(applied)
            corruptions.update(line["corruptions"])
            if case.startswith("misprint:"):
                case, wrong = case.split(":", 1)
                line["aliases"] = [wrong]
            if case:
                hard[case] += 1
                line["name_case"] = case
            if case == "untitled":
                manifest.append(f"{spec.file},{spec.org.name},{spec.year}")
            gold.write(json.dumps(line, ensure_ascii=False) + "\n")
            if case == "copy":  # the same report again, re-encoded: other bytes, same cells
                copy = f"{spec.file.rsplit('.', 1)[0]}_copy.txt"
                (folder / copy).write_bytes(data.decode("utf-8").encode("gb18030"))
                again = {**line, "file": copy, "name_case": "copy", "copy_of": spec.file}
                gold.write(json.dumps(again, ensure_ascii=False) + "\n")
    if manifest:
        (out / "manifest.csv").write_text("file,org,year\n" + "\n".join(manifest) + "\n")
    k = default_count(n) if questions is None else questions
    header, cases = make_questions(specs, random.Random(f"questions:{seed}"), k)
    header["synth"] = {"n": n, "seed": seed, "formats": list(formats), "broken": broken}
    with (out / "gold_questions.jsonl").open("w", encoding="utf-8") as f:
        for row in (header, *cases):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return {
        "reports": len(specs),
        "orgs": len({s.org.name for s in specs}),
        "broken": sum(s.broken is not None for s in specs),
        "with_blanks": sum(bool(s.blanks) for s in specs),
        "questions": len(cases),
        "formats": dict(Counter(s.fmt for s in specs)),
        "styles": dict(Counter(s.style for s in specs)),
        "corruptions": dict(corruptions),
        "name_cases": dict(hard),
        "seconds": round(time.perf_counter() - start, 2),
        "out": str(out),
    }


def _name_case(spec: Spec, rng: random.Random, share: float) -> tuple[str, Spec]:
    """(the hard name case drawn for `spec`, or "", and the spec to write)."""
    from eval import synth_names_hard as H

    draw = rng.random()
    if draw >= share or spec.fmt not in ("txt", "md", "html"):
        return "", spec
    if draw < share / 3:  # (the html renderer prints the organisation, not the spec's title)
        drawn = H.misprint(spec, rng) if spec.fmt != "html" else None
        return (f"misprint:{drawn[1]}", drawn[0]) if drawn else ("", spec)
    if draw < 2 * share / 3:
        return "untitled", H.untitled(spec)
    return ("copy", spec) if spec.fmt == "txt" else ("", spec)
