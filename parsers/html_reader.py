"""Read an HTML report page into text lines (see `parsers.readers` for the line contract).

Narrative blocks (p, div, h1–h6, li, br …) become one line each; every row of a real `<table>`
becomes one tab-separated line with merged cells expanded into a grid. A table whose cells hold
other tables is page layout, not data: its cells are read as ordinary blocks.

A page whose <title> (or <meta name="ArticleTitle">) names a report starts with what the page
says of itself, written as a crawler's header (`标题:`, `发布时间:` from PubDate, `发布机构:` from
ContentSource, `原文链接:` from Url, then `正文:`), so the report keeps its title, date and address
even when its body prints none of them (see `parsers.header`).

Nothing a browser does not show as the page's text gets through: scripts, styles, frames, forms,
comments, `javascript:` links (page controls such as 打印本页, never report text), and elements
hidden with the `hidden` attribute or an inline `display:none`/`visibility:hidden`. Event-handler
attributes (onclick=…) are attributes, never text. A page whose only content is a frame says so.
"""

from __future__ import annotations

import re
from pathlib import Path

from parsers.errors import EmptyDocument, ParseError

DROP = ["script", "style", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
        "template", "head", "title", "meta", "link", "svg", "math", "canvas", "audio", "video",
        "select", "button", "textarea", "input", "datalist"]  # fmt: skip
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details",
    "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
SPACE = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")
MAX_SPAN = 1000  # a malformed colspan="99999" must not blow up a row


def read_html(text: str, path: str | Path) -> list[str]:
    """The page's text as lines. Raises ParseError when the page has no text at all."""
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as err:  # lxml gives up only on truly broken input: say so, don't crash
        raise ParseError(path, f"not a readable HTML page: {err}") from err
    frames = [t.get("src") for t in soup.find_all(["iframe", "frame"]) if t.get("src")]
    page = page_fields(soup)
    for tag in soup.find_all(DROP):
        tag.extract()
    for tag in soup.find_all(_hidden):
        tag.extract()
    lines = _Lines()
    lines.walk(soup)
    out = lines.done()
    if not any(out):
        if frames:
            raise EmptyDocument(
                path, f"the HTML page only frames another page ({str(frames[0])[:200]}); "
                "save that page instead",
            )  # fmt: skip
        raise EmptyDocument(path, "the HTML page has no text (only markup or scripts)")
    if page:  # as a crawler would write them: parsers.header reads them the same way
        out = [*(f"{k}: {v}" for k, v in page.items()), "正文:", *out]
    return out


# <meta name=…> of Chinese government sites → the crawler-header field it fills
META_FIELDS = {
    "articletitle": "标题",
    "pubdate": "发布时间",
    "firstpublishedtime": "发布时间",
    "contentsource": "发布机构",
    "url": "原文链接",
    "og:url": "原文链接",
}


def page_fields(soup) -> dict[str, str]:
    """The page's own description of the report, from <title> and <meta> tags: its title, date,
    publisher and address, as header fields; empty unless the title names a report."""
    fields: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = str(tag.get("name") or tag.get("property") or "").strip().lower()
        value = one_line(str(tag.get("content") or ""))
        if key in META_FIELDS and value and META_FIELDS[key] not in fields:
            fields[META_FIELDS[key]] = value
    title = one_line(soup.title.get_text(" ")) if soup.title else ""
    if title and "标题" not in fields:
        fields["标题"] = title
    if not any(w in fields.get("标题", "") for w in ("报告", "年报")):
        return {}
    if len(fields) < 2:
        fields["格式"] = "HTML"  # the page says no more; a header needs two fields
    return {
        k: fields[k] for k in ("标题", "发布时间", "发布机构", "原文链接", "格式") if k in fields
    }


def _hidden(tag) -> bool:
    """A `javascript:` link or an element the browser does not show."""
    if tag.name == "a" and str(tag.get("href") or "").strip().lower().startswith("javascript:"):
        return True
    return tag.has_attr("hidden") or bool(HIDDEN_STYLE.search(str(tag.get("style") or "")))


def one_line(text: str) -> str:
    """Whitespace runs (newlines, tabs, nbsp, ideographic space) collapsed, ends stripped."""
    return SPACE.sub(" ", text).strip()


class _Lines:
    """Collects lines while walking a tree without recursion (junk HTML can nest very deep)."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.buf: list[str] = []

    def done(self) -> list[str]:
        self.flush()
        out: list[str] = []
        for line in self.out:
            if line or (out and out[-1]):  # no leading or doubled empty lines
                out.append(line)
        while out and not out[-1]:
            out.pop()
        return out

    def flush(self) -> None:
        line = one_line("".join(self.buf))
        self.buf = []
        if line:
            self.out.append(line)

    def walk(self, root) -> None:
        from bs4 import CData, NavigableString, Tag

        stack: list[tuple[object, bool]] = [(root, False)]
        while stack:
            node, leaving = stack.pop()
            if leaving:
                self.flush()
            elif isinstance(node, NavigableString):
                if type(node) in (NavigableString, CData):  # not comments, doctype, PIs
                    self.buf.append(str(node))
            elif isinstance(node, Tag):
                name = (node.name or "").lower()
                if name == "table" and not _is_layout_table(node):
                    self.flush()
                    caption = node.find("caption")
                    if caption is not None and caption.find_parent("table") is node:
                        self.out.append(one_line(caption.get_text(" ")))
                    self.out.extend(["", *table_lines(node), ""])
                    continue
                if name == "pre":
                    self.flush()
                    self.out.extend(filter(None, map(one_line, node.get_text().split("\n"))))
                    continue
                if name in BLOCKS:
                    self.flush()
                    stack.append((node, True))
                stack.extend((child, False) for child in reversed(list(node.children)))


def _own(table, names: tuple[str, ...]) -> list:
    """Descendants named `names` that belong to `table` itself, not to a table nested in it."""
    return [t for t in table.find_all(names) if t.find_parent("table") is table]


def _is_layout_table(table) -> bool:
    return any(cell.find("table") is not None for cell in _own(table, ("td", "th")))


def _span(tag, attr: str, rows_left: int) -> int:
    digits = re.match(r"\s*(\d{1,6})", str(tag.get(attr) or "1"))
    n = int(digits.group(1)) if digits else 1
    if n == 0 and attr == "rowspan":
        return max(rows_left, 1)  # rowspan="0" means: to the end of the table
    return min(max(n, 1), MAX_SPAN)


def _cell_text(cell) -> str:
    lines = _Lines()
    for child in list(cell.children):
        lines.walk(child)
    return " ".join(one_line(line.replace("\t", " ")) for line in lines.done() if line)


def _rows(table) -> list[list]:
    """The table's own cells grouped by row (cells lxml left outside any <tr> form a row too)."""
    rows: dict[int, list] = {}
    for cell in _own(table, ("td", "th")):
        tr = cell.find_parent("tr")
        parent = tr if tr is not None and tr.find_parent("table") is table else cell.parent
        rows.setdefault(id(parent), []).append(cell)
    return list(rows.values())


def table_lines(table) -> list[str]:
    """Rows of `table` as tab-joined lines, rowspan/colspan expanded into a grid.

    A cell with colspan=n gives its text and n-1 empty cells; a cell covered by a rowspan from
    above is empty. Every line is padded to the table's width; rows with no text are left out.
    """
    rows = _rows(table)
    grid: dict[tuple[int, int], str] = {}
    width = 0
    for r, cells in enumerate(rows):
        c = 0
        for cell in cells:
            while (r, c) in grid:
                c += 1
            colspan = _span(cell, "colspan", 1)
            rowspan = _span(cell, "rowspan", len(rows) - r)
            for dr in range(min(rowspan, len(rows) - r)):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = ""
            grid[(r, c)] = _cell_text(cell)
            c += colspan
            width = max(width, c)
    out = []
    for r in range(len(rows)):
        cells = [grid.get((r, c), "") for c in range(width)]
        if any(cells):
            out.append("\t".join(cells))
    return out
