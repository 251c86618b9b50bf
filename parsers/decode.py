"""Decode the bytes of a text or HTML report: which encoding, and how damaged.

Websites serve reports as UTF-8, GBK/GB2312/GB18030, Big5 (traditional mirrors) and UTF-16 with
or without a byte-order mark. The rule, in order:

1. a byte-order mark (UTF-8, UTF-16, UTF-32) decides;
2. text that is valid UTF-8 is UTF-8;
3. otherwise every candidate (an HTML page's declared charset first, then UTF-8, GB18030, Big5,
   UTF-16-LE/BE) is decoded, and the one in which the report's own words (公开, 政府, 申请 …)
   appear most often wins, among those with few damaged bytes;
4. a text without such words (not a report, which the parser then says) is taken in the first
   of GB18030 and Big5 that decodes it cleanly;
5. anything else is refused as undecodable.

A few damaged bytes (a file cut mid-character, a flipped byte) are replaced by U+FFFD and counted,
so the reader can warn; more than that (over 2 + 0.5% of the characters) is refused.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from parsers.errors import DamagedFile

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip
CANDIDATES = ("utf-8", "gb18030", "big5hkscs", "utf-16-le", "utf-16-be")
ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs",
           "cp950": "big5hkscs", "utf8": "utf-8", "unicode": "utf-16-le"}  # fmt: skip
SHOWN = {"big5hkscs": "big5"}
REPORT_WORDS = ("公开", "公開", "政府", "信息", "資訊", "申请", "申請", "情况", "情況", "报告",
                "報告", "年度", "行政", "工作")  # fmt: skip
# C0 and C1 control characters other than tab and line breaks (\n \r \x0b \x0c \x85)
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
CHARSET = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)


def decode_text(data: bytes, path: str | Path, html: bool = False) -> tuple[str, str, int]:
    """(text, encoding, damaged characters replaced by U+FFFD). Raises DamagedFile."""
    for bom, enc in BOMS:
        if data.startswith(bom):
            text, bad = lenient(data, enc)
            if _too_damaged(text, bad):
                name = enc.replace("-sig", "").upper()
                raise DamagedFile(path, f"cannot decode the text: it starts with a {name} "
                                  f"byte-order mark but what follows is not valid {name}")  # fmt: skip
            return text, enc, bad
    try:
        return data.decode("utf-8"), "utf-8", 0
    except UnicodeDecodeError:
        pass
    candidates = list(CANDIDATES)
    declared = _declared_charset(data) if html else ""
    if declared:
        candidates.insert(0, ALIASES.get(declared, declared))
    best: tuple[int, str, str, int] | None = None
    for enc in dict.fromkeys(candidates):
        try:
            text, bad = lenient(data, enc)
        except (LookupError, ValueError):  # an unknown or non-text codec a page declared
            continue
        if _too_damaged(text, bad):
            continue
        hits = sum(text.count(word, 0, 200_000) for word in REPORT_WORDS)
        if hits and (best is None or hits > best[0]):
            best = (hits, text, enc, bad)
    if best is not None:
        _, text, enc, bad = best
        return text, SHOWN.get(enc, enc), bad
    for enc in ("gb18030", "big5hkscs"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if control_ratio(text) < 0.01:
            return text, SHOWN.get(enc, enc), 0
    raise DamagedFile(path, "cannot decode the text (tried UTF-8, GB18030/GBK, Big5 and UTF-16)")


def lenient(data: bytes, enc: str) -> tuple[str, int]:
    """`data` decoded with damaged bytes replaced, and how many replacements were made."""
    try:
        return data.decode(enc), 0
    except UnicodeDecodeError:
        text = data.decode(enc, errors="replace")
        return text, text.count("\ufffd")


def control_ratio(text: str) -> float:
    """Share of control characters: high for a binary or a wrong decoding."""
    if not text:
        return 1.0
    return len(CONTROL.findall(text)) / len(text)


def _too_damaged(text: str, bad: int) -> bool:
    return bad > 2 + len(text) // 200 or control_ratio(text[:100_000]) > 0.01


def _declared_charset(data: bytes) -> str:
    m = CHARSET.search(data[:4096])
    return m.group(1).decode("ascii").lower() if m else ""
