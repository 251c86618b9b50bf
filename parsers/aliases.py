"""Every name an organisation goes by, from its full name, by general rules of Chinese government
naming (no list of particular organisations): standard abbreviations of bodies, the city or county
dropped before a department's name, the bare place of a zone, and near misses one confusable
character away.

    >>> sorted(aliases("莆田市科学技术局"))
    ['莆田市科学技术局', '莆田市科技局', '莆田科学技术局', '莆田科技局']
    >>> sorted(aliases("上海市科学技术委员会"))
    ['上海市科委', '上海市科学技术委员会', '上海科委', '上海科学技术委员会']
    >>> bare_places("平潭综合实验区")
    {'平潭'}
    >>> near_miss("大裕镇", "大峪镇"), near_miss("沐阳县", "沭阳县"), near_miss("大峪镇", "大岭镇")
    (True, True, False)
    >>> english_name("莆田市科学技术局"), english_name("沭阳县人民政府")
    ('Putian Municipal Science and Technology Bureau', "Shuyang County People's Government")
"""

from __future__ import annotations

import re
from functools import lru_cache

from parsers.vocabulary import ORG_ABBREVIATIONS, ORG_WORDS_EN, SIMILAR_CHARS, ZONE_SUFFIXES

# 莆田市 | 科学技术局: a city, county or district in front of a body that is not a place itself
REGION_HEAD = re.compile(
    r"^([\u4e00-\u9fff]{2,3}?)(?:市|县|区|州|盟|旗)(?!.*(?:镇|乡|街道)$)(.{2,})$"
)
LONGEST_FIRST = sorted(ORG_ABBREVIATIONS, key=len, reverse=True)


def aliases(org: str) -> set[str]:
    """`org` and the names it is also written as: abbreviated (科学技术局 → 科技局) and without the
    city or county before a department (莆田市科技局 → 莆田科技局)."""
    names = {org}
    for long in LONGEST_FIRST:
        if long in org:
            names |= {org.replace(long, short, 1) for short in ORG_ABBREVIATIONS[long]}
            break
    for name in list(names):
        m = REGION_HEAD.match(name)
        if m and not m.group(2).startswith(("人民政府", "政府")):
            names.add(m.group(1) + m.group(2))
    return {n for n in names if len(n) >= 3}


def bare_places(org: str) -> set[str]:
    """The place a zone is named after: 平潭综合实验区 → 平潭 (with 管委会 and the like removed)."""
    name = re.sub(r"(?:管理委员会|管委会)$", "", org)
    for suffix in ZONE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return {name[: -len(suffix)]}
    return set()


@lru_cache(maxsize=4096)
def _pinyin(ch: str) -> str:
    from pypinyin import lazy_pinyin  # loaded only when a near miss is looked for

    return lazy_pinyin(ch)[0]


def similar(a: str, b: str) -> bool:
    """Whether two characters are easily confused: they look alike or sound the same."""
    if a == b:
        return True
    if any(a in group and b in group for group in SIMILAR_CHARS):
        return True
    cjk = re.compile(r"[\u4e00-\u9fff]")
    return bool(cjk.match(a) and cjk.match(b)) and _pinyin(a) == _pinyin(b)


def near_miss(name: str, known: str) -> bool:
    """`name` is `known` with one character replaced by a confusable one (大裕镇 for 大峪镇)."""
    if len(name) != len(known) or name == known or len(name) < 3:
        return False
    diffs = [(a, b) for a, b in zip(name, known, strict=True) if a != b]
    return len(diffs) == 1 and similar(*diffs[0])


# the English of the Chinese pieces of organisation names, longest first (from ORG_WORDS_EN)
_ZH_EN: dict[str, str] = {}
for _en, _zhs in ORG_WORDS_EN.items():
    for _zh in _zhs:
        _ZH_EN.setdefault(_zh, _en)
ZH_PIECES = sorted(_ZH_EN, key=len, reverse=True)
PLACE_UNIT_EN = {"市": "Municipal", "县": "County", "区": "District"}
SMALL_WORDS = {"and", "of", "the"}


def english_name(org: str) -> str | None:
    """The organisation's name in English, the way such bodies write it: the place in pinyin, its
    unit, the body word by word ("Putian Municipal Science and Technology Bureau"); None when a
    piece has no English in the vocabulary (better no English than a wrong one)."""
    from pypinyin import lazy_pinyin

    name = re.sub(r"[(（][^)）]*[)）]", "", org)
    m = re.match(r"^([\u4e00-\u9fff]{2,3}?)(市|县|区)(.+)$", name)
    if not m:
        return None
    place = "".join(lazy_pinyin(m.group(1))).capitalize()
    words, rest = [place, PLACE_UNIT_EN[m.group(2)]], m.group(3)
    while rest:
        piece = next((z for z in ZH_PIECES if rest.startswith(z)), None)
        if piece is None:
            return None
        words += _ZH_EN[piece].split()
        rest = rest[len(piece) :]
    return " ".join(w if w in SMALL_WORDS else w[:1].upper() + w[1:] for w in words)
