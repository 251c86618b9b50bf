"""The header block a web crawler writes above a report's text.

Crawled reports open with the web page's fields, one `key: value` a line, closed by a line that
marks where the page's body starts::

    标题: 平潭综合实验区2022年度政府信息公开工作年度报告
    发布时间: 2023-02-20 15:07
    发布机构: 莆田市科技局            (may be empty, or an abbreviation)
    原文链接: https://www.pingtan.gov.cn/…
    页面链接与图片详见 links.tsv(同目录)   (a note of the crawler's own)
    ==================== 正文 ====================      (or "正文:")

These lines describe the web page, not the report: they are no part of its preamble. The title is
the report's title and a link field is where the report was published.

The rule is general: the file's first non-blank line is a `key: value` field (a short name of
letters, no digits or punctuation), at least `MIN_FIELDS` fields stand before a body marker (a line
that is only 正文, perhaps with a colon or between rules of = - * #), the marker comes within
`MAX_HEADER_LINES` lines, and any other line before it is a short note (`MAX_NOTE_CHARS`). Without a marker nothing is taken for a header: a page's metadata table
printed above an ordinary report (索引号: … | 发布机构: …) stays part of the text, as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A field line: "标题: …", "原文链接：https://…", "文号: " (empty value).
FIELD = re.compile(r"^\s*([A-Za-z\u4e00-\u9fff]{1,10})\s*[:：]\s*(.*?)\s*$")
BODY_MARKER = re.compile(r"^\s*(?:[=\-*#─—]{3,}\s*)?正\s*文\s*[:：]?\s*(?:[=\-*#─—]{3,})?\s*$")
MIN_FIELDS = 2  # one field could be a report's own first line ("附件: …"); two and a marker are not
MAX_HEADER_LINES = 30  # crawler headers hold about ten lines; a marker further down is text
# A line between the fields that is no field is a crawler's note, not a paragraph.
MAX_NOTE_CHARS = 80
TITLE_KEYS = ("标题", "题目", "名称", "title")
PUBLISHER_KEYS = ("发布机构", "发文机关", "发布单位", "来源", "信息来源")
URL = re.compile(r"^https?://\S+$", re.I)
DATE_KEYS = ("发布时间", "发布日期", "成文日期", "日期", "时间")
DATE = re.compile(r"(20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


@dataclass
class Header:
    """What the crawler header says; `body_start` is the 1-based line where the report begins
    (1 when the file has no header)."""

    fields: dict[str, str] = field(default_factory=dict)  # key → value, first occurrence
    body_start: int = 1
    title_line: int | None = None  # 1-based line of the 标题 field

    @property
    def title(self) -> str:
        return next((self.fields[k] for k in TITLE_KEYS if self.fields.get(k)), "")

    @property
    def publisher(self) -> str:
        """The publishing body as the page names it: may be an abbreviation (莆田市科技局) or a
        parent office that posts for its units, so only ever a last resort for the report's
        organisation."""
        return next((self.fields[k] for k in PUBLISHER_KEYS if self.fields.get(k)), "")

    @property
    def published(self) -> str:
        """When the page was published (发布时间…), as YYYY-MM-DD; "" when it does not say."""
        for key in DATE_KEYS:
            m = DATE.search(self.fields.get(key, ""))
            if m:
                return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
        return ""

    @property
    def source_url(self) -> str:
        """The first field whose value is a web address (原文链接, 原始链接, 网址, URL…)."""
        return next((v for v in self.fields.values() if URL.match(v)), "")


def read_header(lines: list[str]) -> Header:
    """The crawler header at the top of `lines`, or an empty Header when there is none."""
    first = next((i for i, t in enumerate(lines) if t.strip()), None)
    if first is None or not FIELD.match(lines[first]) or BODY_MARKER.match(lines[first]):
        return Header()
    fields: dict[str, str] = {}
    title_line = None
    n_fields = 0
    for i in range(first, min(len(lines), first + MAX_HEADER_LINES)):
        text = lines[i]
        if BODY_MARKER.match(text):
            return Header(fields, i + 2, title_line) if n_fields >= MIN_FIELDS else Header()
        m = FIELD.match(text)
        if not m:
            if len(text.strip()) > MAX_NOTE_CHARS:
                return Header()
            continue
        n_fields += 1
        key = m.group(1).lower()
        fields.setdefault(key, m.group(2))
        if key in TITLE_KEYS and title_line is None:
            title_line = i + 1
    return Header()
