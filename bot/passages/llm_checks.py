"""The checks a language model's rewrite must pass before it replaces the extractive answer
(`bot.passages.llm.rewrite`): citations, numbers, links and markup, language, and no leak of instructions.

    >>> sources = "问题：收到多少申请？ 资料[1]：全年共收到申请12件。"
    >>> print(problem("共收到申请12件[1]。", sources, {2025}, passages={1, 2}, lang="zh"))
    None
    >>> problem("共收到申请42件[1]。", sources, {2025}, passages={1, 2}, lang="zh")
    'number 42 not in sources'
    >>> problem("共收到申请12件[3]。", sources, {2025}, passages={1, 2}, lang="zh")
    'citation [3] is not one of the passages [1, 2]'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.question.lexicon import CN_DIGITS, number

CITE_RE = re.compile(r"[\[【](\d+(?:\s*[,、]\s*\d+)*)[\]】]")
ARABIC_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
CN_NUM_RE = re.compile(r"[零〇一二两三四五六七八九十百千万]{2,}")
CN_NOT_NUMBERS = {"一一", "万一", "千万", "一五一十", "三三两两"}  # words, not quantities


def _plain(text: str) -> str:
    """NFKC (full-width digits and brackets), Chinese commas kept apart from thousands commas."""
    return unicodedata.normalize("NFKC", text.replace("，", "、"))


def _cn_value(numeral: str) -> float | None:
    if not re.search("[十百千万]", numeral):  # 二〇二三 → 2023: digit by digit
        return float("".join(str(CN_DIGITS[ch]) for ch in numeral))
    return number(numeral)


def numbers(text: str) -> list[tuple[str, float]]:
    """(as written, value) of each number in `text`, citation markers left out."""
    text = CITE_RE.sub(" ", _plain(text))
    found = [(m, float(m.replace(",", ""))) for m in ARABIC_RE.findall(text)]
    for m in CN_NUM_RE.findall(text):
        value = _cn_value(m)
        if m not in CN_NOT_NUMBERS and value is not None:
            found.append((m, value))
    return found


MARKUP_RE = re.compile(r"<\s*[A-Za-z!/?]|!\[|\]\(\s*\S")  # HTML tags, markdown images and links
URL_RE = re.compile(
    r"(?:https?|ftp|file|data|javascript):[\w\-.~:/?#@!$&'()*+,;=%\[\]]*|www\.[\w\-.]+"
)
LATIN_RE = re.compile(r"[A-Za-z]{2,}")
CJK_RE = re.compile(r"[\u3400-\u9fff]")
LEAK_RUN = 16  # this many characters of the system message in a row, not in the sources: a leak


def _leaked(answer: str, sources: str, instructions: Iterable[str]) -> str | None:
    """A run of `LEAK_RUN` characters of the instructions that the answer repeats."""
    flat, known = re.sub(r"\s+", "", answer), re.sub(r"\s+", "", sources)
    for system in instructions:
        rules = re.sub(r"\s+", "", _plain(system))
        for i in range(len(rules) - LEAK_RUN + 1):
            run = rules[i : i + LEAK_RUN]
            if run in flat and run not in known:
                return run
    return None


def problem(
    answer: str,
    sources: str,
    years: set[float],
    passages: set[int],
    lang: str = "zh",
    instructions: Iterable[str] = (),
) -> str | None:
    """Why the model's `answer` cannot be used, or None if it passes every check. `sources` is
    the text it may draw on (question, draft, passages), `years` the passages' years, `passages`
    the citation numbers it may use, `instructions` the system messages it must not repeat."""
    if not answer.strip():
        return "empty answer"
    if MARKUP_RE.search(answer):
        return "markup or a link in the answer"
    plain, known = _plain(answer), _plain(sources)
    for url in URL_RE.findall(plain):
        if url not in known:
            return f"link {url[:60]} not in sources"
    cited = [int(n) for group in CITE_RE.findall(plain) for n in re.split(r"[,、]", group)]
    if not cited:
        return "no citation"
    for n in cited:
        if n not in passages:
            return f"citation [{n}] is not one of the passages {sorted(passages)}"
    found = numbers(sources)  # a number passes by value (十八 = 18) or as written (十二五)
    values, written_forms = {v for _, v in found} | years, {w for w, _ in found}
    for written, value in numbers(answer):
        if value not in values and written not in written_forms:
            return f"number {written} not in sources"
    if lang == "zh":
        words = LATIN_RE.findall(URL_RE.sub(" ", CITE_RE.sub(" ", plain)))
        for word in words:
            if word.lower() not in known.lower():
                return f"word {word[:40]} not in sources"
        if len("".join(words)) > len(CJK_RE.findall(plain)):
            return "not written in Chinese"
    leak = _leaked(plain, known, instructions)
    if leak:
        return f"repeats the instructions ({leak})"
    return None
