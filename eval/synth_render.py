"""Print a synthetic report the ways real sites do: tab-separated cells, pipes on one line
(markdown tables), one cell per line, labels with split characters (PDF extraction), and HTML,
Word and PDF through `eval.render`.

Classic text styles, each for .txt or .md:
- `tabs`: cells separated by tabs, as Word/PDF text extraction gives them (sample 001);
- `split`: tabs, with labels spaced out and wrapped onto a second line (sample 004);
- `pipes`: `规章 | 0 | 0 | 0 |` (web excerpt 001); `markdown`: `| 规章 | 0 | 0 | 0 |` with rules;
- `pipe_cells`: one cell per line closed by a pipe, `|` alone for a blank (web excerpts 007, 017);
- `cells`: one cell per line with blank lines between (web excerpts 002, 005). A blank cell leaves
  no trace in it, so it is used only for reports without blank cells.

The renderings of crawled and converted reports (`REAL_STYLES`: `dump`, `dedup`, `word` in
`eval.synth_render_real`; `pdf_md`, `html_spacer` in `eval.synth_render_pdf`) corrupt the layout
the way real reports come; each names the corruptions it applied (gold `corruptions`).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from eval import synth_render_pdf, synth_render_real
from eval.synth_tables import (  # noqa: F401 (Line, fmt_value, to_report: this module's API)
    Line,
    fmt_value,
    split_label,
    table_rows,
    text_document,
    to_report,
)

if TYPE_CHECKING:
    from eval.synth_spec import Spec

STYLES = {
    "txt": ("tabs", "split", "pipes", "pipe_cells", "cells", "dump", "dedup", "word"),
    "md": ("markdown", "cells", "pdf_md"),
    "html": ("html", "html_spacer"),
}
REAL_STYLES = ("dump", "dedup", "word", "pdf_md", "html_spacer")
REAL_TEXT = {
    "dump": synth_render_real.render_dump,
    "dedup": synth_render_real.render_dedup,
    "word": synth_render_real.render_word,
    "pdf_md": synth_render_pdf.render_pdf_md,
}


# --- text styles -------------------------------------------------------------------------------


def _spaced(text: str) -> str:
    return " ".join(text)


GROUP_LABEL = ("三、", "（三）", "（四）", "（五）")


def _pdf_like(rng: random.Random, lines: list[Line]) -> list[Line]:
    """Labels as PDF text extraction gives them: short header words and group labels spaced
    out (自 然 人, （三） 不 予 公 开), long sub-item labels wrapped onto a second line."""
    out: list[Line] = []
    for line in lines:
        if line.kind == "header":
            spaced = [
                _spaced(c) if 2 <= len(c) <= 6 and rng.random() < 0.5 else c for c in line.labels
            ]
            out.append(line._replace(labels=spaced))
            continue
        if line.kind not in ("data", "total_only") or not line.labels:
            out.append(line)
            continue
        labels = list(line.labels)
        for i, c in enumerate(labels):
            if c.startswith(GROUP_LABEL) and rng.random() < 0.6:
                head = 2 if c.startswith("三、") else 3
                labels[i] = c[:head] + " " + _spaced(c[head:])
        cut = split_label(rng, labels[-1]) if rng.random() < 0.4 else None
        if cut:
            labels[-1] = cut[0]
            tail = [*[""] * (len(labels) - 1), cut[1]]
            out += [line._replace(labels=labels), Line("cont", tail, [""] * len(line.values))]
        else:
            out.append(line._replace(labels=labels))
    return out


def table_text(spec: Spec, table: str, style: str, rng: random.Random) -> list[str]:
    lines = table_rows(spec, table)
    if style == "split":
        lines = _pdf_like(rng, lines)
    out: list[str] = []
    for n, line in enumerate(lines):
        cells = line.cells
        if style == "cells":  # one cell per line, blank lines between; empty cells vanish
            out += [x for c in cells if c for x in (c, "")]
        elif style == "pipe_cells":  # one cell per line closed by a pipe; a blank value is "|"
            out += [f"{c} |" for c in line.labels if c] + [
                f"{v} |" if v else "|" for v in line.values
            ]
        elif style in ("tabs", "split"):
            # a row printing only its 总计 must end with it (sample 002)
            trailing = spec.trailing_tab and line.kind == "data" and line.labels
            out.append("\t".join(cells) + ("\t" if trailing else ""))
        elif style == "pipes":
            out.append(" | ".join(cells) + " |")
        else:  # markdown
            out.append("| " + " | ".join(cells) + " |")
            if n == 0:
                out.append("|" + "---|" * len(cells))
    return out


def render_text(spec: Spec, rng: random.Random, applied: list[str] | None = None) -> str:
    """The report as text in its style; a real-report style adds its corruptions to `applied`."""
    if spec.style in REAL_TEXT:
        return REAL_TEXT[spec.style](spec, rng, [] if applied is None else applied)
    tables = lambda table: table_text(spec, table, spec.style, rng)  # noqa: E731
    return text_document(
        spec, rng, tables, md=spec.style == "markdown", always_gap=spec.style == "cells"
    )


# --- HTML, Word and PDF through eval.render ----------------------------------------------------


def render_file(spec: Spec, rng: random.Random, applied: list[str] | None = None) -> bytes:
    """The report file's bytes. `applied` (if given) receives the names of the corruptions the
    rendering applied (see `eval.synth_render_real`, `eval.synth_render_pdf`)."""
    if spec.fmt in ("txt", "md"):
        return render_text(spec, rng, applied).encode("utf-8")
    from eval import render

    if spec.style == "html_spacer":
        html = synth_render_pdf.render_html_spacer(spec, rng, [] if applied is None else applied)
        return html.encode("utf-8")
    report = to_report(spec)
    if spec.fmt == "html":
        return render.render_html(report).encode("utf-8")
    if spec.fmt == "docx":
        return _fixed_zip(render.render_docx(report))
    from reportlab import rl_config

    invariant, rl_config.invariant = rl_config.invariant, 1  # no creation date or random id
    try:
        return render.render_pdf(report)
    finally:
        rl_config.invariant = invariant


def _fixed_zip(data: bytes) -> bytes:
    """The same .docx with every zip entry dated 1980-01-01, so equal input gives equal bytes."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, (1980, 1, 1, 0, 0, 0))
            fixed.compress_type, fixed.external_attr = info.compress_type, info.external_attr
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()
