"""Organisation names in questions: indexed ones (by full, short, bare or pinyin name) and unknown ones.

The caller gives the indexed organisations as `OrgRef`s; nothing here knows a specific name.

    >>> from bot.question.orgnames import OrgRef, find_orgs
    >>> orgs = (OrgRef("大峪镇人民政府", "大峪镇", "镇", (2025,)),)
    >>> [(m.text, m.orgs[0].org_short) for m in find_orgs("大峪2025年行政处罚", orgs)]
    [('大峪', '大峪镇')]
    >>> [(m.text, m.orgs[0].org_short) for m in find_orgs("penalties in dayu town", orgs)]
    [('dayu town', '大峪镇')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.question.lexicon import is_term, normalize
from bot.question.model import OrgRef
from bot.question.orgmatch import partial_matches, per_orgs
from parsers.aliases import aliases, bare_places, english_name, near_miss
from parsers.meta import short_name
from parsers.vocabulary import EN_LEVEL_WORDS, LEVELS


@dataclass(frozen=True)
class OrgMatch:
    start: int
    end: int
    text: str
    orgs: tuple[OrgRef, ...]  # one: matched; several: ambiguous; none: looks like a name, unknown
    how: str  # name | bare | pinyin | partial


LEVEL_SUFFIX = re.compile(r"(?:街道办事处|街道办|街道|镇|乡|县|区|市)$")
BRACKETS = re.compile(r"\(([^)]*)\)")
GOV = re.compile(r"(?:人民政府|政府)$")
NOT_LEVEL = re.compile(r"(?![镇乡县区市省村]|街道)")  # 高平 is not 高平市, 大峪 is not 大峪村
REGION = re.compile(r"^.{2,8}?(?:省|市|县|区)(?!场|域|委|政府|人民)(?=.{4})")
EN_LEVELS = {word: levels for word, (levels, _) in EN_LEVEL_WORDS.items() if levels}
SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|iao|ian|ing|uai|uan|ang|eng|ong|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui"
    r"|un|ue|a|o|e|i|u)"
)
PINYIN_WORD = re.compile(rf"(?:{SYLLABLE}){{2,6}}")
EN_STOP = {"china", "chinese", "english", "change", "women", "human", "banana", "canada", "none"}
EN_PLACE = re.compile(
    r"(?<![A-Za-z])([A-Za-z]+)(\s+(?:town|township|county|district|subdistrict"
    r"|city|province|prefecture|bureau)s?(?![a-z])|'s)?"
)
ZH_PLACE_END = re.compile(r"[\u4e00-\u9fff]*(?:省|市|县|区|镇|乡|街道|局|委员会|委|厅|办公室)")
ZH_STOP_PREFIX = re.compile(
    r"^(?:请问|请|哪些|哪个|哪一个|哪几个|哪|各个|各|所有|全部|每个|这些|那些|这个|那个|其他|其余"
    r"|本|该|全|我们|我|你|有|在|和|与|及|对|给|看看|查询|查|那么|那|还有)+"
)
ZH_GENERIC = re.compile(
    r"(?:城市|超市|都市|社区|园区|专区|辖区|地区|景区|小区|片区|城区|市区|山区|城乡|格局|布局|结局"
    r"|大局|当局)$|^(?:乡镇|城镇|全市|全县|全区|本市|本县|本区|街道|街道办|县区|区县|市县)$|什么|怎么|多少|哪"
)
# A name followed by one of these names a product or an account, not the organisation.
PRODUCT = re.compile(
    r"[\s)）\"”'’]*(?:\([^)]*\)\s*)?(?:app|客户端|公众号|微信号|微博|网站|网|号|频道)(?![a-z])",
    re.IGNORECASE,
)
ZH_SPLIT = re.compile(r"(?<=.)(?:的|和|与|及|或|跟|同|在|对比|比较|相比)")


def _key(text: str) -> str:
    return re.sub(r"\s+", "", normalize(text))


def _names(o: OrgRef) -> tuple[set[str], set[str]]:
    """(names that identify `o`, bare names without the level suffix)."""
    full, short = _key(o.org), _key(o.org_short or o.org)
    quals = BRACKETS.findall(full) + BRACKETS.findall(short)
    plain_full, plain_short = BRACKETS.sub("", full), BRACKETS.sub("", short)
    names = {full, short, plain_full, plain_short, GOV.sub("", plain_full)}
    for q in quals:
        names |= {q + plain_short, q + GOV.sub("", plain_full), f"{plain_short}({q})"}
    names |= {_key(a) for n in (plain_full, plain_short) for a in aliases(n)}
    names |= {_key(a) for a in o.aliases} | {_key(short_name(a)) for a in o.aliases}
    bare = {LEVEL_SUFFIX.sub("", plain_short)} | bare_places(plain_full) | bare_places(plain_short)
    if o.org_level == "部门":
        bare.add(REGION.sub("", plain_short))
    names = {n for n in names if len(n) >= 2}
    return names, {b for b in bare if len(b) >= 2 and b not in names and not is_term(b)}


@per_orgs
def _index(orgs: tuple[OrgRef, ...]) -> tuple[dict[str, tuple[str, list[OrgRef]]], list[int]]:
    """name → (how, orgs), and the lengths of the names, longest first. (A dictionary, not one
    regular expression of all names: with thousands of names that took a second to compile, again
    after every change to the index.)"""
    names: dict[str, list[OrgRef]] = {}
    bare: dict[str, list[OrgRef]] = {}
    for o in dict.fromkeys(orgs):
        n, b = _names(o)
        for key, into in [(k, names) for k in n] + [(k, bare) for k in b]:
            into.setdefault(key, []).append(o)
    index = {k: ("bare", v) for k, v in bare.items() if k not in names}
    index |= {k: ("name", v) for k, v in names.items()}
    return index, sorted({len(k) for k in index}, reverse=True)


def _names_in(text: str, orgs: tuple[OrgRef, ...]) -> Iterator[tuple[int, int, str]]:
    """(start, end, name) of indexed names in `text`, left to right without overlaps, the longest
    at each place; a bare name (大峪) only when no level follows (大峪村 is not 大峪镇)."""
    index, lengths = _index(orgs)
    i = 0
    while i < len(text):
        for n in lengths:
            name = text[i : i + n]
            if len(name) == n and name in index:
                if index[name][0] == "bare" and NOT_LEVEL.match(text, i + n) is None:
                    continue
                yield i, i + n, name
                i += n
                break
        else:
            i += 1


@per_orgs
def _pinyin_index(
    orgs: tuple[OrgRef, ...],
) -> tuple[dict[str, list[OrgRef]], re.Pattern[str] | None]:
    from pypinyin import lazy_pinyin  # 0.2 s to load: only for questions with Latin letters

    index: dict[str, list[OrgRef]] = {}
    spellings: set[str] = set()
    for o in dict.fromkeys(orgs):
        plain = BRACKETS.sub("", _key(o.org_short or o.org))
        bases = {LEVEL_SUFFIX.sub("", plain)} | bare_places(plain)
        for base in bases:
            if o.org_level == "部门" or not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", base):
                continue
            syllables = lazy_pinyin(base)
            index.setdefault("".join(syllables), []).append(o)
            spellings.add(r"[\s'-]?".join(re.escape(s) for s in syllables))
    if not index:
        return index, None
    levels = "|".join(sorted(EN_LEVELS, key=len, reverse=True)).replace("sub", r"sub[\s-]?")
    body = "|".join(sorted(spellings, key=len, reverse=True))
    return index, re.compile(rf"(?<![a-z])({body})(?:[\s-]*({levels}))?(?![a-z])")


def find_orgs(text: str, orgs: tuple[OrgRef, ...]) -> list[OrgMatch]:
    """Indexed organisations named in normalised `text` (see `lexicon.normalize`), in order.

    Longest match wins, so 高平镇 is never also 平镇. Pinyin ("Dayu town") is tried only on text
    with Latin letters; a level word (town, subdistrict…) narrows the candidates."""
    found: list[OrgMatch] = []
    index, _ = _index(orgs)
    for start, end, name in _names_in(text, orgs):
        if PRODUCT.match(text, end):  # 今日高平APP is an app, not 高平镇
            continue
        how, matched = index[name]
        found.append(OrgMatch(start, end, name, tuple(matched), how))
    rest = list(text)
    for f in found:
        rest[f.start : f.end] = " " * (f.end - f.start)
    if re.search("[a-z]", text):
        found += _pinyin_matches("".join(rest), orgs)
        for f in found:
            rest[f.start : f.end] = " " * (f.end - f.start)
    for start, end, mention, matched in partial_matches("".join(rest), orgs):
        found.append(OrgMatch(start, end, mention, matched, "partial"))
    return sorted(found, key=lambda f: f.start)


def _pinyin_matches(text: str, orgs: tuple[OrgRef, ...]) -> list[OrgMatch]:
    index, pattern = _pinyin_index(orgs)
    out = []
    for m in pattern.finditer(text) if pattern else ():
        if PRODUCT.match(text, m.end()):  # Jinri Gaoping app
            continue
        candidates = index[re.sub(r"[\s'-]", "", m.group(1))]
        if m.group(2):
            allowed = EN_LEVELS[re.sub(r"[\s-]", "", m.group(2))]
            candidates = [o for o in candidates if o.org_level in allowed]
        out.append(OrgMatch(m.start(), m.end(), m.group(), tuple(candidates), "pinyin"))
    return out


def _zh_place(text: str, start: int, end: int) -> tuple[int, int, str] | None:
    """The longest place name (xx县, xx镇, 黄冈市团风县, xx局…) that `text[start:end]` begins
    with once a leading connective (和, 与, 的…) and stop words (请问, 哪些…) are cut off."""
    part = text[start:end]
    joined = start > 0 and (text[start - 1] == "\0" or "\u4e00" <= text[start - 1] <= "\u9fff")
    if not joined and part[:1] in "的和与及或跟同":
        prefix = None  # nothing before it to join: 和平镇… is a name
    else:
        part = re.sub(r"^(?:的|和|与|及|或|跟|同|在|对比|比较|相比)", "", part)
        prefix = ZH_STOP_PREFIX.match(part)
    start = end - len(part)
    start += prefix.end() if prefix else 0
    m = ZH_PLACE_END.match(text[start:end])
    if m and len(m.group()) >= 2 and not ZH_GENERIC.search(m.group()):
        return start, start + m.end(), m.group()
    return None


def find_unknown(text: str, cased: str) -> list[tuple[int, int, str]]:
    """Spans that look like organisation names (北京市, xx镇, xx局, Beijing, Huanggang city) in the
    text left after known names and terms are masked (as NUL). `cased` is `text` before
    lower-casing, so capitalised English names can be seen."""
    out = []
    for run in re.finditer(r"[\u4e00-\u9fff]+", text):
        splits = [run.start() + m.start() for m in ZH_SPLIT.finditer(run.group())]
        bounds = [run.start()]
        for at in splits:  # 和/与/的/在… inside a name does not split it: 黄和县, 发展和改革局
            inside = (name := _zh_place(text, bounds[-1], run.end())) and name[1] > at
            if not inside or ((before := _zh_place(text, bounds[-1], at)) and before[1] == at):
                bounds.append(at)
        for start, end in zip(bounds, [*bounds[1:], run.end()], strict=True):
            if found := _zh_place(text, start, end):
                out.append(found)
    for m in EN_PLACE.finditer(cased):
        word = m.group(1).lower()
        if not PINYIN_WORD.fullmatch(word) or word in EN_STOP:
            continue
        initial = not cased[: m.start()].strip() or cased[: m.start()].rstrip()[-1] in ".?!"
        capital = m.group(1)[0].isupper()
        if m.group(2) and (capital or m.group(2) != "'s") or capital and not initial:
            end = m.end(1) if m.group(2) in (None, "'s") else m.end()
            out.append((m.start(), end, cased[m.start() : end]))
    return sorted(out)


def near_orgs(name: str, orgs: tuple[OrgRef, ...]) -> list[OrgRef]:
    """Indexed organisations with a name one confusable character from `name` (a misprint or a
    homophone: 大裕镇 for 大峪镇), for "did you mean". Empty when `name` is far from all."""
    index, _ = _index(orgs)
    key = _key(name)
    found = [o for known, (_, matched) in index.items() if near_miss(key, known) for o in matched]
    if not found and re.match(r"[a-z]", key):  # Dayou town: the place spelled one letter off
        word = re.split(r"[\s'-]+", name.strip().lower())[0]
        spelled, _ = _pinyin_index(orgs)
        found = [
            o for pinyin, matched in spelled.items()
            if len(word) >= 4 and pinyin != word and _one_edit(word, pinyin) for o in matched
        ]  # fmt: skip
    return list(dict.fromkeys(found))


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` becomes `b` by one letter changed, added or dropped."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def english_label(o: OrgRef) -> str:
    """How an English reply names `o`: Dayu town (大峪镇), Putian Municipal Science and Technology
    Bureau (莆田市科学技术局), or the Chinese name when there is no English for it."""
    from pypinyin import lazy_pinyin

    short = o.org_short or o.org
    if o.org_level in LEVELS and o.org_level != "部门":
        base = LEVEL_SUFFIX.sub("", BRACKETS.sub("", short))
        if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", base):
            return f"{''.join(lazy_pinyin(base)).capitalize()} {LEVELS[o.org_level][0]} ({short})"
    english = english_name(o.org)
    return f"{english} ({short})" if english else short
