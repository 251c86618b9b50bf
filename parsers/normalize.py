"""Text normalisation for matching: simplified characters, ASCII punctuation, no spaces.

The original text is always kept for quotes; these forms are only compared.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Inline pinyin some mirror sites add after a character: 鎮(zhèn), 數(shù).
PINYIN_NOTE = re.compile(r"[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹḿ]{1,8}[)）]")
PUNCT = str.maketrans(
    {
        "（": "(",
        "）": ")",
        "，": ",",
        "：": ":",
        "；": ";",
        "！": "!",
        "？": "?",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "．": ".",
        "、": "、",
        "—": "-",
        "－": "-",
        "／": "/",
        "｜": "|",
        "　": " ",
        "【": "[",
        "】": "]",
        "〔": "[",
        "〕": "]",
    }
)
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
# Words a traditional-character mirror changes beyond the characters themselves.
MIRROR_WORDS = (("档案", "文件"),)


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Simplified-character form of `text`."""
    if text.isascii():
        return text
    import zhconv

    out = zhconv.convert(text, "zh-cn")
    for trad, simp in MIRROR_WORDS:
        out = out.replace(trad, simp)
    return out


@lru_cache(maxsize=65536)
def clean(text: str) -> str:
    """Printed text with pinyin notes removed, ASCII punctuation and digits, one space runs."""
    text = PINYIN_NOTE.sub("", text)
    text = text.translate(PUNCT).translate(FULLWIDTH_DIGITS)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """The matching form: simplified, cleaned, without any whitespace."""
    return re.sub(r"\s+", "", to_simplified(clean(text)))


# at most 15 digits before the point: more is no count a report prints (and not a finite float)
NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3}){1,4}|\d{1,15})(?:\.\d+)?$")
BLANK_MARKS = {"", "-", "/", "—", "--", "——", "／", "－", "无", "\\"}


def parse_number(raw: str) -> tuple[bool, float | None]:
    """(is_value_cell, value). Blank marks are value cells with value None; text is not a value cell."""
    s = clean(raw).replace(" ", "")
    if s in BLANK_MARKS:
        return True, None
    s = s.rstrip("件项条个元").replace("万元", "")
    if NUMBER.match(s):
        return True, float(s.replace(",", ""))
    return False, None


def is_number(raw: str) -> bool:
    s = clean(raw).replace(" ", "")
    return bool(s) and bool(NUMBER.match(s))


def is_blank_mark(raw: str) -> bool:
    return clean(raw).replace(" ", "") in BLANK_MARKS - {""}
