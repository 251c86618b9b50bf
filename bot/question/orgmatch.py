"""Organisation names said in part or in English: 东湖风景区城乡工作办事处 for 武汉市东湖生态旅游
风景区城乡工作办事处, "Gaoxin District Social Development Bureau" for 高新区社会发展局.

`partial_matches(text, orgs)` finds, in normalised question text whose exact names are already
masked, spans that name an indexed organisation:

- Chinese: the mention's characters are an in-order subsequence of an indexed name (at most two
  gaps), end with its last character and cover at least `COVERAGE` of it;
- English: words before an institution word (bureau, office, …) that translate, word by word,
  into pieces of an indexed name in order: common organisation words through `EN_WORDS`, place
  names through the pinyin of the name's own characters (Gaoxin → 高新, Donghu → 东湖).

    >>> from bot.question.orgnames import OrgRef
    >>> orgs = (OrgRef("武汉市东湖生态旅游风景区城乡工作办事处", "东湖城乡工作办事处", "街道"),)
    >>> [(a, b, t) for a, b, t, _ in partial_matches("东湖风景区城乡工作办事处2025年", orgs)]
    [(0, 12, '东湖风景区城乡工作办事处')]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, TypeVar

from parsers.vocabulary import ORG_WORDS_EN as EN_WORDS

if TYPE_CHECKING:
    from bot.question.model import OrgRef

COVERAGE = 0.6
MAX_GAPS = 2
EN_SKIP = {"the", "of", "and", "for"}
INSTITUTION = re.compile(
    r"(?<![a-z])(?:bureau|office|commission|committee|administration|cent(?:er|re)|department"
    r"|agency)s?(?![a-z])"
)
WORD = re.compile(r"[a-z]+(?:'s)?")
T = TypeVar("T")


def per_orgs(fn: Callable[[tuple[OrgRef, ...]], T]) -> Callable[[tuple[OrgRef, ...]], T]:
    """Cache what `fn` builds from a tuple of organisations, like `lru_cache(maxsize=8)` but
    found by identity first: `bot.passages.retrieve.org_refs` hands out the same tuple until the index
    changes, and hashing thousands of names on every question would cost more than it saves."""
    entries: list[tuple[tuple[OrgRef, ...], T]] = []

    @wraps(fn)
    def cached(orgs: tuple[OrgRef, ...]) -> T:
        hit = next((e for e in entries if e[0] is orgs), None)
        if hit is None:
            hit = next((e for e in entries if len(e[0]) == len(orgs) and e[0] == orgs), None)
        if hit is None:
            hit = (orgs, fn(orgs))
        else:
            entries.remove(hit)
        entries.insert(0, hit)
        del entries[8:]
        return hit[1]

    return cached


def _plain(o: OrgRef) -> str:
    return re.sub(r"[(（][^)）]*[)）]|\s", "", o.org or o.org_short)


def partial_matches(
    text: str, orgs: tuple[OrgRef, ...]
) -> list[tuple[int, int, str, tuple[OrgRef, ...]]]:
    """(start, end, mention, organisations) for partial Chinese and English names in `text`."""
    found = _zh_partial(text, orgs)
    if INSTITUTION.search(text):
        found += _english(text, orgs)
    return sorted(found)


@per_orgs
def _long_names(orgs: tuple[OrgRef, ...]) -> dict[str, list[tuple[str, OrgRef]]]:
    """Last character → (plain name, organisation) for names of 6 or more characters (shorter
    ones are found whole, by bot.question.orgnames), in the organisations' order."""
    out: dict[str, list[tuple[str, OrgRef]]] = {}
    for o in dict.fromkeys(orgs):
        name = _plain(o)
        if len(name) >= 6:
            out.setdefault(name[-1], []).append((name, o))
    return out


def _zh_partial(text: str, orgs: tuple[OrgRef, ...]):
    best: dict[tuple[int, int], list[OrgRef]] = {}
    ending = _long_names(orgs)
    for end, ch in enumerate(text, 1):
        for name, o in ending.get(ch, ()):
            start, matched, gaps = _backward(text, end, name)
            if end - start >= 4 and matched / len(name) >= COVERAGE and gaps <= MAX_GAPS:
                best.setdefault((start, end), []).append(o)
    return [(a, b, text[a:b], tuple(os)) for (a, b), os in best.items()]


def _backward(text: str, end: int, name: str) -> tuple[int, int, int]:
    """Walk back from `end` while the text's characters appear in `name` in order: (start,
    characters matched, gaps skipped in the name)."""
    i, j, matched, gaps = end - 1, len(name) - 1, 0, 0
    while i >= 0 and j >= 0:
        if text[i] == name[j]:
            i, j, matched = i - 1, j - 1, matched + 1
            continue
        k = name.rfind(text[i], 0, j)
        if k < 0:
            break
        gaps, j = gaps + 1, k
    return i + 1, matched, gaps


@per_orgs
def _syllables(
    orgs: tuple[OrgRef, ...],
) -> tuple[list[tuple[OrgRef, str, list[str]]], dict[str, set[int]]]:
    """(organisation, plain name, its pinyin syllables) in order, and every word that 2–4
    consecutive syllables spell → the positions of the organisations whose names contain it."""
    from pypinyin import lazy_pinyin  # only for English questions

    spelled = [(o, _plain(o), lazy_pinyin(_plain(o))) for o in dict.fromkeys(orgs)]
    words: dict[str, set[int]] = {}
    for pos, (_, _, syl) in enumerate(spelled):
        for a in range(len(syl)):
            for b in range(a + 2, min(a + 4, len(syl)) + 1):
                words.setdefault("".join(syl[a:b]), set()).add(pos)
    return spelled, words


def _english(text: str, orgs: tuple[OrgRef, ...]):
    spelled, words_of = _syllables(orgs)
    out = []
    for inst in INSTITUTION.finditer(text):
        words = [m for m in WORD.finditer(text[: inst.end()]) if m.start() >= inst.start() - 120]
        words = words[-10:]
        tokens = [re.sub(r"'s$", "", w.group()) for w in words]
        for i in range(len(tokens)):
            while i < len(tokens) and tokens[i] in EN_SKIP:
                i += 1
            hits = []
            # a name is read only with a place name in its pinyin: only those can match
            candidates = sorted(set().union(*(words_of.get(t, ()) for t in tokens[i:])))
            for o, name, syl in (spelled[pos] for pos in candidates):
                covered = _translate(tokens[i:], name, syl)
                if covered and covered / len(name) >= COVERAGE:
                    hits.append((covered / len(name), o))
            if hits:
                top = max(h for h, _ in hits)
                chosen = tuple(o for h, o in hits if h == top)
                start = words[i].start()
                out.append((start, inst.end(), text[start : inst.end()], chosen))
                break
    return out


def _translate(tokens: list[str], name: str, syl: list[str]) -> int:
    """Characters of `name` covered by `tokens` read in order (0 if some token does not fit or
    no token is a pinyin place name)."""
    pos, covered, places, t = 0, 0, 0, 0
    while t < len(tokens):
        if tokens[t] in EN_SKIP:
            t += 1
            continue
        for n in (3, 2, 1):
            options = EN_WORDS.get(" ".join(tokens[t : t + n]), ())
            hit = next((x for x in options if name.find(x, pos) >= 0), None)
            if hit:
                pos = name.find(hit, pos) + len(hit)
                covered, t = covered + len(hit), t + n
                break
        else:
            span = _pinyin_span(tokens[t], syl, pos)
            if span is None:
                return 0
            covered, places, pos, t = covered + span[1] - span[0], places + 1, span[1], t + 1
    return covered if places else 0


def _pinyin_span(word: str, syl: list[str], pos: int) -> tuple[int, int] | None:
    """The characters of the name, from `pos` on, whose pinyin spells `word` (2–4 syllables)."""
    for a in range(pos, len(syl)):
        for b in range(a + 2, min(a + 4, len(syl)) + 1):
            if "".join(syl[a:b]) == word:
                return a, b
    return None
