"""Showing people what changed and where a figure comes from: the build summary,
`wenmi diff` (figures, then paragraphs, between two recorded builds) and `wenmi explain`
(a figure's rule and the ledger rows behind it). Everything here reads; nothing writes.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from ..errors import WenmiError
from ..figures import FigureTable
from ..reading.inspection import inspected
from ..reading.ledgers import Ledger
from ..reading.metrics import cell_text, kept_rows  # the very filter the figure was computed with
from ..reading.specs import Project
from .manifest import Manifest, documents
from .redline import paragraph_opcodes  # the alignment the （修订稿） marks

SHOWN_ROWS = 20
SINCE_LAST = "上次"
OPENING = 16                 # characters of a paragraph that name it in `wenmi diff`


# ---------------------------------------------------------------- wenmi diff

def changes(project: Project, since: str = SINCE_LAST) -> dict:
    """The difference between the latest recorded build and `since` (the build before it,
    or a build id), as plain data: what `wenmi diff --json` prints."""
    manifest = Manifest.load(project)
    builds = manifest.builds()
    if not builds:
        raise WenmiError("还没有生成记录", hint="先运行 wenmi build")
    if since == SINCE_LAST:
        if len(builds) < 2:
            raise WenmiError("只有一次生成记录，没有可以比较的上一次", hint="修改台账后再运行 wenmi build")
        since = builds[-2]
    old, new = manifest.build(since), manifest.build(builds[-1])
    old_documents, new_documents = documents(old), documents(new)
    figures = []
    for figure_id, record in new["figures"].items():
        before = old["figures"].get(figure_id)
        if before and (before["value"], before["text"]) != (record["value"], record["text"]):
            cited = [{"文件": name, "段落": c["paragraph"], "写法": c["text"],
                      "段首": opening(document["paragraphs"], c["paragraph"] - 1)}
                     for name, document in new_documents.items()
                     for c in document["citations"] if c["figure"] == figure_id]
            figures.append({"名称": figure_id, "说明": record["label"], "原数值": before["value"],
                            "新数值": record["value"], "原写法": before["text"],
                            "新写法": record["text"], "引用": cited})
    paragraphs = []
    for name, document in new_documents.items():
        earlier = old_documents.get(name, {}).get("paragraphs", [])
        for op, i1, i2, j1, j2 in paragraph_opcodes(earlier, document["paragraphs"]):
            if op != "equal":
                new_text = document["paragraphs"]
                paragraphs.append({"文件": name, "段落": j1 + 1, "原文": earlier[i1:i2],
                                   "新文": new_text[j1:j2],
                                   "段首": opening(new_text, j1) if j2 > j1 else opening(earlier, i1)})
    return {"自": since, "至": builds[-1], "数字": figures, "段落": paragraphs}


def opening(paragraphs: list[str], index: int) -> str:
    """The first words of a paragraph, quoted, so a change is found by reading, not counting."""
    text = paragraphs[index].strip() if 0 <= index < len(paragraphs) else ""
    return f"“{text[:OPENING]}……”" if len(text) > OPENING else f"“{text}”"


def diff_lines(found: dict) -> list[str]:
    """`changes` for a terminal, in Chinese."""
    lines = [f"生成记录 {found['自']} → {found['至']}"]
    if not found["数字"] and not found["段落"]:
        return lines + ["没有变化。"]
    lines.append(f"变化的数字（{len(found['数字'])} 个）：")
    for figure in found["数字"]:
        lines.append(f"  {figure['名称']}：{figure['原写法']} → {figure['新写法']}")
        places = "；".join(f"{c['文件']} 第{c['段落']}段 {c['段首']}（{c['写法']}）" for c in figure["引用"])
        lines.append(f"    引用于：{places or '（本次没有文件引用）'}")
    lines.append(f"变化的段落（{len(found['段落'])} 处）：")
    for change in found["段落"]:
        lines.append(f"  {change['文件']} 第{change['段落']}段 {change['段首']}：")
        lines += [f"    - {text}" for text in change["原文"]]
        lines += [f"    + {text}" for text in change["新文"]]
    return lines


# ---------------------------------------------------------------- wenmi explain

def explain_lines(root: Path, name: str) -> list[str]:
    """A figure's rule and definition, then for each ledger it reads the rows it used
    (the first SHOWN_ROWS, with their numbers in the file) and how many there are."""
    inspection = inspected(root)
    project, figures = inspection.project, inspection.figures
    figure = figures.get(name)
    if figure is None:
        close = difflib.get_close_matches(name, list(figures), n=3, cutoff=0.4)
        raise WenmiError(f"没有名为“{name}”的指标或数字",
                         hint=f"是否想查：{'、'.join(close)}" if close else "用 wenmi figures 查看全部")
    provenance = figure.provenance
    lines = [f"{figure.id}（{figure.label}）"]
    if isinstance(figure, FigureTable):
        lines += [f"  {key}：{cell_text(cell.value)}{cell.unit}" for key, cell in figure.rows]
    else:
        lines.append(f"  数值：{cell_text(figure.value)}{figure.unit}")
    lines.append(f"  规则：{provenance.rule}；定义于 {provenance.defined_at}")
    if not provenance.sources:
        lines.append("  数据：配置文件中直接填写的数值")
    metric = project.metrics.get(name)
    for operand in (metric.operands if metric and metric.quotient else ()):
        lines.append(f"  由“{operand}”计算，见 wenmi explain {operand}")
    if metric and not metric.quotient:
        lines += _rows_used(inspection.ledgers[metric.source], metric)
    return lines


def _rows_used(ledger: Ledger, metric) -> list[str]:
    rows = ledger.frame[kept_rows(metric, ledger)]
    sheet = f"，工作表“{ledger.sheet}”" if ledger.sheet else ""
    lines = [f"  来源：{ledger.file}{sheet}；条件：{metric.where or '全部行'}；"
             f"共 {len(rows)} 行（全表 {len(ledger.frame)} 行）"]
    shown = rows.head(SHOWN_ROWS)
    columns = [c for c in (metric.by, metric.column) if c] + [c for c in shown.columns
                                                            if c not in (metric.by, metric.column)][:4]
    lines.append("    行号  " + "  ".join(columns))
    for index, row in shown.iterrows():
        cells = "  ".join(cell_text(row[c]) for c in columns)
        lines.append(f"    {ledger.row_numbers[index]:>4}  {cells}")
    if len(rows) > SHOWN_ROWS:
        lines.append(f"    ……其余 {len(rows) - SHOWN_ROWS} 行未列出")
    return lines

