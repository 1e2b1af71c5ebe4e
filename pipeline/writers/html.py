"""HTML writer: one self-contained page that prints like the DOCX and tells where figures come from.

The page carries the same words as the DOCX (the shared rules are in `text.py`) and the same
hierarchy of fonts and indents; print CSS sets A4 with the GB/T 9704 margins. On screen the
text sits on a white sheet, and every figure shows its provenance when the mouse rests on it,
so the office can check a number without opening the ledgers.
"""

from __future__ import annotations

from html import escape

from ..figures import Figure
from ..model import Document, Enumeration, FigureText, Heading, Inlines, Paragraph, Table, Text
from ..typography import title_lines, unbreakable
from .text import (
    attachment_label,
    attachment_lines,
    enumeration_paragraphs,
    heading_lead,
    recipient_line,
    signature_indents,
)

# Windows font names first (what the office has), then free stand-ins for Linux and macOS.
_FANGSONG = ('"仿宋_GB2312", "仿宋", "FangSong", "STFangsong", "FandolFang", '
             '"Noto Serif CJK SC", serif')
_HEITI = ('"黑体", "SimHei", "STHeiti", "FandolHei", "WenQuanYi Zen Hei", '
          '"Noto Sans CJK SC", sans-serif')
_KAITI = '"楷体_GB2312", "楷体", "KaiTi", "STKaiti", "FandolKai", "AR PL UKai CN", serif'
_SONG = '"宋体", "SimSun", "STSong", "FandolSong", "Noto Serif CJK SC", serif'
_XIAOBIAOSONG = ('"方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", '
                 '"Source Han Serif SC", serif')

_PAGE_NUMBER = f'content: "— " counter(page) " —"; font-family: {_SONG}; font-size: 14pt'
_STYLE = f"""
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm }}
@page :right {{ @bottom-right {{ {_PAGE_NUMBER}; padding-right: 14pt; vertical-align: top;
  padding-top: 7mm }} }}
@page :left {{ @bottom-left {{ {_PAGE_NUMBER}; padding-left: 14pt; vertical-align: top;
  padding-top: 7mm }} }}
@page landscape {{ size: A4 landscape }}
.landscape {{ page: landscape }}
html {{ background: #d9d9d9 }}
body {{ margin: 0; font-family: {_FANGSONG}; font-size: 16pt; line-height: 28pt; color: #000 }}
.sheet {{ box-sizing: border-box; max-width: 210mm; min-height: 297mm; margin: 8mm auto;
  padding: 37mm 26mm 35mm 28mm; background: #fff; box-shadow: 0 1mm 4mm rgba(0, 0, 0, .3) }}
p, h2, h3, h4, h5 {{ margin: 0; text-indent: 2em; font-size: 16pt; font-weight: normal;
  text-align: justify }}
header {{ margin-bottom: 28pt; text-align: center }}
h1 {{ margin: 0; font-family: {_XIAOBIAOSONG}; font-size: 22pt; font-weight: normal;
  line-height: 1.5 }}
.subtitle {{ text-indent: 0; text-align: center; font-family: {_KAITI} }}
.recipient {{ text-indent: 0 }}
h2, .run-in .level-1 {{ font-family: {_HEITI}; font-weight: normal }}
h3, .run-in .level-2 {{ font-family: {_KAITI}; font-weight: normal }}
h4, .run-in .level-3 {{ font-weight: bold }}
h5, .run-in .level-4 {{ font-weight: normal }}
h2, h3, h4, h5 {{ break-after: avoid }}
table {{ width: 100%; margin: 14pt 0; border-collapse: collapse; font-size: 14pt;
  line-height: 1.5 }}
caption {{ font-family: {_HEITI}; font-size: 16pt; line-height: 28pt; break-after: avoid;
  page-break-after: avoid }}
th, td {{ padding: 3pt 4pt; border: 1px solid #000; text-align: center }}
th {{ font-weight: bold }}
thead {{ break-after: avoid; page-break-after: avoid }}
.nobr {{ white-space: nowrap }}
thead {{ display: table-header-group }}
tr {{ break-inside: avoid }}
.attachments {{ margin-top: 28pt }}
.attachments p {{ padding-left: 5em; text-indent: 0 }}
.attachment-lead {{ margin-left: -3em }}
.attachment {{ break-before: page }}
.attachment-label {{ margin-bottom: 28pt; text-indent: 0; font-family: {_HEITI} }}
.signature {{ margin-top: 28pt }}
.signature p {{ text-indent: 0; text-align: right }}
@media screen {{ .figure {{ border-bottom: 1px dotted #888; cursor: help }} }}
@media print {{
  html {{ background: none }}
  .sheet {{ max-width: none; min-height: 0; margin: 0; padding: 0; box-shadow: none }}
}}
"""


def write(document: Document) -> bytes:
    """The whole document as one UTF-8 HTML page with its style sheet inside."""
    subtitle = f'<p class="subtitle">{escape(document.subtitle)}</p>' if document.subtitle else ""
    body = [f"<header><h1>{_title(document.title, document.landscape)}</h1>{subtitle}</header>"]
    if recipient := recipient_line(document):
        body.append(f'<p class="recipient">{escape(recipient)}</p>')
    for block in document.blocks:
        body.extend(_block(block))
    body.extend(_attachments(document))
    body.extend(_signature(document))
    page = "\n".join([
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(document.title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f'<main class="sheet{" landscape" if document.landscape else ""}">',
        *body,
        "</main>",
        *_attachment_pages(document),
        "</body>",
        "</html>",
        "",
    ])
    return page.encode("utf-8")


def _block(block: Heading | Paragraph | Enumeration | Table) -> list[str]:
    """The HTML lines of one body block."""
    match block:
        case Heading(run_in=()):
            tag = f"h{block.level + 1}"
            return [f"<{tag}>{_inline(heading_lead(block))}</{tag}>"]
        case Heading():
            lead = f'<strong class="level-{block.level}">{_inline(heading_lead(block))}</strong>'
            return [f'<p class="run-in">{lead}{_inline(block.run_in)}</p>']
        case Paragraph():
            return [f"<p>{_inline(block.content)}</p>"]
        case Enumeration():
            return [f"<p>{_inline(paragraph)}</p>" for paragraph in enumeration_paragraphs(block)]
        case Table():
            return _table(block)
    raise TypeError(f"unknown block {block!r}")


def _table(table: Table) -> list[str]:
    """A bordered table whose header row repeats on every printed page."""
    header = "".join(f"<th>{escape(name)}</th>" for name in table.header)
    rows = ["<tr>" + "".join(f"<td>{_inline(cell)}</td>" for cell in row) + "</tr>"
            for row in table.rows]
    caption = [f"<caption>{_inline(table.caption)}</caption>"] if table.caption else []
    return ["<table>", *caption, f"<thead><tr>{header}</tr></thead>", "<tbody>", *rows, "</tbody>", "</table>"]


def _attachments(document: Document) -> list[str]:
    """附件说明: "附件：" hangs left so every numbered name starts in the same column."""
    lines = [f'<p><span class="attachment-lead">{escape(lead)}</span>{escape(name)}</p>'
             if lead else f"<p>{escape(name)}</p>"
             for lead, name in attachment_lines(document)]
    return ['<div class="attachments">', *lines, "</div>"] if lines else []


TEXT_WIDTH_MM = {False: 210 - 28 - 26, True: 297 - 28 - 26}   # between the margins, by landscape
TITLE_POINTS = 22
POINTS_PER_MM = 72 / 25.4


def _title(title: str, landscape: bool) -> str:
    """A title in the lines the DOCX breaks it into (typography.title_lines)."""
    width = TEXT_WIDTH_MM[landscape] * POINTS_PER_MM / TITLE_POINTS
    return "<br>".join(escape(line) for line in title_lines(title, width))


def _attachment_pages(document: Document) -> list[str]:
    """Each attachment on a sheet of its own: its label top left in 黑体, its title centred
    on the third line, then its blocks."""
    pages = []
    for index, attachment in enumerate(document.attachments):
        pages += ['<section class="sheet attachment">',
                  f'<p class="attachment-label">{escape(attachment_label(document, index))}</p>',
                  f"<header><h1>{_title(attachment.title, document.landscape)}</h1></header>"]
        pages += [line for block in attachment.blocks for line in _block(block)]
        pages.append("</section>")
    return pages


def _signature(document: Document) -> list[str]:
    """署名 and date, right-aligned with the insets GB/T 9704 asks for (see text.py)."""
    indents = signature_indents(document.issuer, document.date)
    lines = [f'<p style="padding-right: {indent:g}em">{escape(text)}</p>'
             for text, indent in zip((document.issuer, document.date), indents) if text]
    return ['<div class="signature">', *lines, "</div>"] if lines else []


def _inline(content: Inlines) -> str:
    """Escaped running text: bold spans in <strong>, figures in spans that carry provenance,
    each number with its unit in a span that does not wrap."""
    kept = _kept_together(content)
    opens, closes = {start for start, _ in kept}, {end for _, end in kept}
    cuts = sorted(opens | closes)
    parts, offset = [], 0
    for span in content:
        end = offset + len(span.text)
        pieces = [span] if isinstance(span, FigureText) else \
            [Text(span.text[a - offset:b - offset], span.bold)
             for a, b in zip([offset, *(c for c in cuts if offset < c < end)],
                             [*(c for c in cuts if offset < c < end), end])]
        for piece in pieces:
            if offset in opens:
                parts.append('<span class="nobr">')
            parts.append(_span_html(piece))
            offset += len(piece.text)
            if offset in closes:
                parts.append("</span>")
    return "".join(parts)


def _kept_together(content: Inlines) -> list[tuple[int, int]]:
    """Where a number and its unit stand in `content`: stretches widened to whole figure
    spans (a figure is never split) and merged where they then meet."""
    bounds, offset = [], 0
    for span in content:
        if isinstance(span, FigureText):
            bounds.append((offset, offset + len(span.text)))
        offset += len(span.text)
    merged: list[tuple[int, int]] = []
    for start, end in unbreakable("".join(span.text for span in content)):
        for low, high in bounds:
            if low < end and start < high:
                start, end = min(start, low), max(end, high)
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _span_html(span: Text | FigureText) -> str:
    if isinstance(span, FigureText):
        note = escape(_provenance_note(span.figure))
        return (f'<span class="figure" data-figure="{escape(span.figure.id)}" '
                f'title="{note}">{escape(span.text)}</span>')
    if span.bold:
        return f"<strong>{escape(span.text)}</strong>"
    return escape(span.text)


def _provenance_note(figure: Figure) -> str:
    """The hover text of a figure: what it is, how it was computed, from which rows."""
    provenance = figure.provenance
    lines = [f"指标：{figure.label}"]
    if provenance.rule:
        lines.append(f"计算：{provenance.rule}")
    lines.append(f"定义：{provenance.defined_at}")
    for source in provenance.sources:
        sheet = f"，工作表“{source.sheet}”" if source.sheet else ""
        condition = source.filter or "全部行"
        lines.append(f"数据：{source.source}（{source.file}{sheet}），条件：{condition}，"
                     f"行数：{source.rows}")
    if not provenance.sources:
        lines.append("数据：配置文件中直接填写的数值")
    return "\n".join(lines)
