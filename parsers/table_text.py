"""What a piece of a table's text is: a header word, a block heading (第二十条第（一）项), a page
footer, a number inside text (and its unit), a label; read by parsers.tokens and
parsers.stream_builder.
"""

from __future__ import annotations

import re

from parsers.normalize import clean, is_blank_mark, norm, parse_number

# Cells that belong to a table's header, never to a row label.
HEADER_WORDS = (
    "信息内容",
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "行政复议",
    "行政诉讼",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "未经复议直接起诉",
    "复议后起诉",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额",
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "处理决定数量",
    "采购项目数量",
    "采购总金额",
    "社会公益",
    "法律服务",
    "商业",
    "企业",
    "科研",
    "机构",
    "组织",
    "结果",
    "维持",
    "纠正",
    "尚未",
    "审结",
    "其他",
    "总计",
    "合计",
    "本年",
    "制发",
    "废止",
    "现行",
    "有效",
    "件数",
    "数量",
    "金额",
)
# One header word, or a note about units or the 勾稽关系, possibly printed one character per line.
HEADER_PIECE = re.compile(
    "|".join(re.escape(w) for w in sorted(HEADER_WORDS, key=len, reverse=True))
    + r"|\((?:单位|本列)[^()]*\)|单位:?[万元]+|[()/:,、.\s]"
)
BLOCK = re.compile(r"第二十条第?\(?([一二三四五六七八九十]{1,2})\)?项?")
# A page footer or page count: "— 7 —", "-7-", "第 3 页", "第3页 共8页", "3/8".
PAGE_NOISE = re.compile(
    r"^\s*(?:[-—–~]+\s*\d{1,4}\s*[-—–~]+|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
# A number inside text: digits (thousands commas allowed), a decimal part, an optional sign.
NUMBER = re.compile(r"([+-]?)(?<![\d.])((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)")
# What makes digits part of the words rather than a cell: 2022年, 12月, 4位, 第3页, 2.8万人次.
TEXT_AFTER = set("年月日号时位岁页期次%％人名家户万亿倍余多")
UNITS = ("万元", "元", "件", "项", "条", "个")
ITEM_NO = re.compile(r"(\d)([.、])\s*(?=[\u4e00-\u9fff\"“(（])")
CJK = re.compile(r"[\u4e00-\u9fff]")


def is_header_line(cells: list[str]) -> bool:
    texts = [c for c in cells if c.strip()]
    if texts and all(is_blank_mark(c) for c in texts):
        return False  # `/ / / / /`: a row of blank cells
    return bool(texts) and all(frag_kind(c) in ("header", "block") for c in texts)


def is_unit(cell: str) -> bool:
    return clean(cell).replace(" ", "") in UNITS


def cell_numbers(text: str) -> list[tuple[int, int, str, str]]:
    """(start, end, digits with sign, unit) of each number in `text` that is a cell value: not
    words (2022年, 第3页, 4位小数) and not an item number (`2.其他…`: the 2 numbers the label;
    in `00000002.其他` the digits before it are cells run into it)."""
    out = []
    for m in NUMBER.finditer(text):
        sign, digits = m.group(1), m.group(2)
        start, end = m.start(), m.end()
        after = text[end:].lstrip()[:2]
        unit = next((u for u in UNITS if after.startswith(u)), "")
        if not unit and after[:1] in TEXT_AFTER:
            continue
        if (
            text[start - 1 : start] == "第"
            or text[start - 1 : start].isalpha()
            and text[start - 1 : start].isascii()
        ):
            continue  # 第3项; a number inside a word or an address (A12)
        if not unit and "." not in digits and "," not in digits and ITEM_NO.match(text, end - 1):
            if len(digits) == 1:
                continue
            digits, end = digits[:-1], end - 1
        if unit:
            end = text.index(unit, end) + len(unit)
        out.append((start, end, sign + digits, unit if unit in ("万元", "元") else ""))
    return out


def cell_unit(cell: str) -> str:
    c = clean(cell).replace(" ", "")
    if c.endswith("万元"):
        return "万元"
    return "元" if c.endswith("元") else ""


def has_digits(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def cell_kind(cell: str) -> str:
    if not cell.strip():
        return "empty"
    ok, value = parse_number(cell)
    if ok:
        return "num" if value is not None else "blank"
    return "text"


def frag_kind(text: str) -> str:
    n = norm(text)
    if BLOCK.fullmatch(n) or (n.startswith("第二十条") and len(n) <= 12):
        return "block"
    if n and not HEADER_PIECE.sub("", n):
        return "header"
    return "text"
