"""`wenmi import`, the writing half: a reading turned into a Wenmi project that builds at once.

Each document becomes a report: its body as Wenmi Markdown (headings without their numbers,
run-in headings in the run-in form, 一是 paragraphs as lists), every figure a placeholder
declared in inputs/数字.yaml with the value as found, the title, subtitle, 署名 and date
in inputs/报告.yaml, and a genre template that prints exactly what the document had. Dates,
document numbers and other numbers kept as written carry the keep-marker `{#保留#}`, so
`wenmi check` does not list them. The files are made in memory (`project_files`) and
written by `write_project`, which never touches an existing project.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import WenmiError
from ..filenames import safe_file_name
from ..reading.lint import CODE_NEIGHBOUR, NUMBER
from .importer import ImportedDocument, Reading
from .outline import continuous_arabic, marker_of
from .placeholders import base_name, is_literal, placeholder
from .quantities import find_quantities

KEEP = "{#保留#}"
BODY_FOLDER = "正文"
GENRES = (("要点", "工作要点"), ("总结", "工作总结"), ("汇报", "工作汇报"), ("事迹", "先进事迹材料"),
          ("经验", "经验交流材料"), ("做法", "经验交流材料"), ("报告", "调研报告"))
INLINE_MARKS = re.compile(r"([\\`*_\[\]])")
BLOCK_START = re.compile(r"[#>]|[-+*](?=\s|$)|\d+[.)](?=\s|$)|[=\-]+$")
JINJA_OPEN = re.compile(r"\{(?=[{%#])")
SHI_ITEM = re.compile(r"(?<=[。；;])(?=[一二三四五六七八九十]{1,2}是)")

TEMPLATE = """{{#- 体裁：{genre}（由 wenmi import 生成）
    前置信息取自 inputs/报告.yaml 中本报告的配置；原文没有落款时署名为空，成文日期也不印出。
    正文由 inputs/正文/ 下的文件生成；标题层级编号（一、（一）1.（1））由文秘自动添加。 -#}}
---
标题: {{{{ 报告.标题 | tojson }}}}
副标题: {{{{ 报告.副标题 | tojson }}}}
主送: {{{{ 报告.主送 | tojson }}}}
署名: {{{{ 报告.署名 | tojson }}}}
日期: {{{{ (报告.日期 if 报告.署名 else "") | tojson }}}}
---

{{{{ 正文 }}}}
"""


@dataclass
class _Names:
    """Figure names in use across the project, and the surface each stands for."""
    surfaces: dict[str, str] = field(default_factory=dict)

    def claim(self, base: str, surface: str) -> tuple[str, bool]:
        """A free name for a figure (base, base_2, …), or the name an identical figure of
        the same clause words already has: (name, True when it is that earlier one)."""
        candidate, number = base, 1
        while candidate in self.surfaces:
            if self.surfaces[candidate] == surface:
                return candidate, True
            number += 1
            candidate = f"{base}_{number}"
        self.surfaces[candidate] = surface
        return candidate, False


@dataclass
class ProjectFiles:
    """The imported project before it is written: relative path → text, and counts."""
    files: dict[str, str]
    reports: list[str]
    figures: int                     # figures: entries declared
    kept: int                        # numbers kept as written (dates, document numbers…)


def project_files(reading: Reading, name: str | None = None) -> ProjectFiles:
    """Every file of the project for `reading`; `name` names the report (several documents:
    the name with -1, -2 …)."""
    names = _Names()
    files: dict[str, str] = {}
    reports, report_names, figure_lines = [], [], []
    genres: set[str] = set()
    kept = declared = 0
    taken: set[str] = set()
    for number, document in enumerate(reading.documents, start=1):
        wanted = name if name and len(reading.documents) == 1 else \
            f"{name}-{number}" if name else document.title or f"{reading.source.stem}-{number}"
        report = _unique(safe_file_name(wanted), taken)
        body, entries, kept_here = _body(document, names)
        kept += kept_here
        declared += len(entries)
        files[f"inputs/{BODY_FOLDER}/{report}.md"] = body
        genre = _genre(document.title)
        genres.add(genre)
        reports.append(_report_yaml(report, document, genre))
        figure_lines.append(f"\n  # {report}")
        figure_lines += [f"  {key}: {_flow(entry)}" for key, entry in entries]
        report_names.append(report)
    first = reading.documents[0]
    organization = first.closing.issuer if first.closing else next(
        (line for line in first.front if _organisation_line(line)), "（未注明单位）")
    files["inputs/项目.yaml"] = (
        f"# 由 wenmi import 从“{reading.source.name}”导入。\n"
        f"project:\n  organization: {json.dumps(organization, ensure_ascii=False)}\n"
        f"  year: {_year(first)}\n")
    files["inputs/报告.yaml"] = "reports:\n" + "\n".join(reports)
    files["inputs/数字.yaml"] = (
        "# 原文中的数字，按所在文档列出：value 为原文的数值，note 为原文所在的句子。\n"
        "# 与今年的台账对接时，把这里的条目改为 metrics（见 README“数字与指标”），正文不用改。\n"
        "figures:" + ("\n".join(figure_lines) if declared else " {}") + "\n")
    for genre in sorted(genres):
        files[f"templates/{genre}.md.j2"] = TEMPLATE.format(genre=genre)
    return ProjectFiles(files, report_names, declared, kept)


def _unique(report: str, taken: set[str]) -> str:
    candidate, number = report, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{report}（{number}）"
    taken.add(candidate.casefold())
    return candidate


def _genre(title: str) -> str:
    return next((genre for word, genre in GENRES if word in title), "工作总结")


def _organisation_line(line: str) -> bool:
    return len(line) <= 30 and bool(re.search(r"(?:工会|委员会|局|厅|办公室|政府|委|部|中心|协会)$", line))


def _year(document: ImportedDocument) -> int:
    if document.closing:
        return document.closing.date.year
    found = re.search(r"(?:19|20)\d{2}", document.title)
    return int(found.group()) if found else datetime.date.today().year


def _flow(entry: dict) -> str:
    """A figures: entry on one line, strings quoted as JSON (which YAML reads)."""
    parts = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in entry.items()]
    return "{" + ", ".join(parts) + "}"


def _report_yaml(report: str, document: ImportedDocument, genre: str) -> str:
    arabic = [h.marker for h in document.headings if h.marker and h.marker.kind == "arabic"]
    mark = Counter(m.mark for m in arabic).most_common(1)[0][0] if arabic else "."
    continuous = continuous_arabic(document.headings)
    closing = document.closing
    when = closing.date if closing else datetime.date.today()
    lines = [
        f"  {report}:",
        f"    genre: {genre}",
        f"    body: {BODY_FOLDER}/{report}.md",
        f"    title: {json.dumps(document.title, ensure_ascii=False)}",
        f"    subtitle: {json.dumps(document.front[0] if document.front else '', ensure_ascii=False)}",
        f"    issuer: {json.dumps(closing.issuer if closing else '', ensure_ascii=False)}",
        f"    date: {when.isoformat()}" + ("" if closing else "          # 原文没有成文日期，署名为空时不印出"),
        f"    chinese_date: {'true' if closing and closing.chinese else 'false'}",
        f"    numbering: {{continuous_level3: {'true' if continuous else 'false'}, level3_mark: \"{mark}\"}}",
        "    formats: [docx, html, md]",
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the body

def _body(document: ImportedDocument, names: _Names) -> tuple[str, list[tuple[str, dict]], int]:
    """The Markdown body of one document, its figures: entries, and how many numbers it
    keeps as written."""
    headings = {h.paragraph: h for h in document.headings}
    entries: list[tuple[str, dict]] = []
    kept = 0
    blocks: list[str] = []
    extra_front = document.front[1:]           # front[0] is the subtitle

    def text_of(paragraph: str, skip: int) -> str:
        nonlocal kept
        written, found, count = _with_placeholders(paragraph, skip, names)
        entries.extend(found)
        kept += count
        return written

    for line in extra_front:
        blocks.append(_block_safe(text_of(line, 0)))
    index = 0
    body = document.body
    while index < len(body):
        paragraph = body[index]
        heading = headings.get(index)
        marker = heading.marker if heading else None
        if marker is not None and marker.kind == "hanzi_shi":
            run = _shi_run(body, headings, index)
            if run:
                blocks.append("\n".join("- " + _block_safe(text_of(body[i], len(headings[i].marker.text)))
                                        for i in run))
                index = run[-1] + 1
                continue
        if heading is not None and marker is not None and marker.wenmi_level:
            blocks.append("#" * marker.wenmi_level + " " + _block_safe(text_of(paragraph, len(marker.text))))
        elif heading is not None and marker is None:
            blocks.append("#" * min(heading.styled or 1, 4) + " " + _block_safe(text_of(paragraph, 0)))
        elif (items := _inline_items(paragraph)) and not (blocks and blocks[-1].endswith(("：", ":"))):
            offsets = [len(marker_of(item).text) for item in items]
            written = [text_of(item, skip) for item, skip in zip(items, offsets)]
            blocks.append("\n".join("- " + _block_safe(w) for w in written) + "\n{: .合并 }")
        else:
            blocks.append(_block_safe(text_of(paragraph, 0)))
        index += 1
    return "\n\n".join(blocks) + "\n", entries, kept


def _shi_run(body: list[str], headings: dict, start: int) -> list[int]:
    """Consecutive paragraphs 一是, 二是, … from `start`, which Wenmi lists and numbers;
    empty when the series does not start at 一是 or is broken by other paragraphs."""
    run = []
    index = start
    while index in headings and headings[index].marker is not None \
            and headings[index].marker.kind == "hanzi_shi" \
            and headings[index].marker.number == len(run) + 1:
        run.append(index)
        index += 1
    return run if len(run) >= 2 else []


def _inline_items(paragraph: str) -> list[str]:
    """A paragraph "一是……。二是……。" cut into its items, numbered 1, 2, … in order."""
    first = marker_of(paragraph)
    if first is None or first.kind != "hanzi_shi" or first.number != 1:
        return []
    items = SHI_ITEM.split(paragraph)
    numbers = [marker_of(item) for item in items]
    if len(items) < 2 or any(m is None or m.kind != "hanzi_shi" or m.number != i
                             for i, m in enumerate(numbers, start=1)):
        return []
    return items


def _with_placeholders(paragraph: str, skip: int, names: _Names) -> tuple[str, list, int]:
    """The paragraph from `skip` on, its figures as placeholders, escaped for Markdown and
    Jinja, with keep-markers after the numbers kept as written."""
    pieces: list[str] = []
    entries: list[tuple[str, dict]] = []
    position = skip
    previous_end = 0
    for quantity in find_quantities(paragraph):
        if quantity.start < skip or is_literal(quantity):
            previous_end = quantity.end
            continue
        name, earlier = names.claim(base_name(paragraph, quantity, previous_end), quantity.surface)
        previous_end = quantity.end
        written = placeholder(quantity, name)
        if written is None:
            continue
        pieces.append(_literal(paragraph[position:quantity.start]))
        pieces.append(_escape_words(written.text))
        if not earlier:
            note = {"note": f"原文：{_clause(paragraph, quantity.start, quantity.end)}"}
            entries += [(key, entry | note) for key, entry in written.entries]
        position = quantity.end
    pieces.append(_literal(paragraph[position:]))
    text = "".join(pieces)
    kept = text.count(KEEP)
    return text, entries, kept


def _clause(text: str, start: int, end: int) -> str:
    opening = max(text.rfind(mark, 0, start) for mark in "，,；;。：:") + 1
    closing = min([i for i in (text.find(mark, end) for mark in "，,；;。") if i >= 0] or [len(text)])
    return text[opening:closing]


def _escape_words(text: str) -> str:
    """The words around a placeholder's braces ("余人次") escaped like any text."""
    return re.sub(r"(\{\{.*?\}\})|([\\`*_\[\]])", lambda m: m.group(1) or "\\" + m.group(2), text)


def _literal(text: str) -> str:
    """Text as written: Markdown's inline marks escaped, a Jinja opening broken, and a
    keep-marker after each number the lint would otherwise list."""
    text = INLINE_MARKS.sub(r"\\\1", text)
    text = JINJA_OPEN.sub("{{ '{' }}", text)
    pieces, position = [], 0
    for found in NUMBER.finditer(text):
        start, end = found.span()
        pieces.append(text[position:end])
        if not (CODE_NEIGHBOUR.match(text[start - 1:start] or " ") or CODE_NEIGHBOUR.match(text[end:end + 1] or " ")):
            pieces.append(KEEP)
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _block_safe(text: str) -> str:
    """A paragraph that Markdown cannot read as a heading, quote, list or rule."""
    found = BLOCK_START.match(text)
    return "\\" + text if found else text


# ---------------------------------------------------------------- writing

def write_project(files: ProjectFiles, target: Path) -> None:
    """Write the project into `target`, all or nothing: refused when `target` already holds
    inputs/ or templates/; the files are made in a hidden folder beside it and moved in."""
    shown = target.as_posix()
    if (target / "inputs").exists() or (target / "templates").exists():
        raise WenmiError("目标文件夹中已有项目（inputs/ 或 templates/），为免覆盖，未做任何改动",
                         file=shown, hint="用 --into 指定一个新的文件夹")
    if target.exists() and not target.is_dir():
        raise WenmiError("目标已存在，且不是文件夹", file=shown, hint="用 --into 指定一个新的文件夹")
    parent = target.resolve().parent
    staging = parent / f".{target.name}.wenmi-import-{os.getpid()}"
    try:
        for relative, text in files.files.items():
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (staging / "outputs").mkdir(parents=True, exist_ok=True)
        if not target.exists():
            staging.rename(target)
            return
        for child in staging.iterdir():
            if not (target / child.name).exists():
                child.rename(target / child.name)
    except OSError as error:
        raise WenmiError(f"无法写入项目文件夹：{error.strerror}", file=shown) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


# ---------------------------------------------------------------- the command

REMOVED_NAMES = {"junk": "网页杂项", "pinyin": "拼音注音", "duplicate": "重复段落", "markup": "Markdown 标记",
                 "space": "多余空格"}
REPAIRED_NAMES = {"mojibake": "乱码", "quote": "引号", "paragraph": "段落拆分"}


def record_lines(reading: Reading) -> list[str]:
    """The cleaning record: every removal and repair, where it was and what it was."""
    lines = [f"导入记录：{reading.source.name}（{_kind_name(reading)}）", ""]
    log = reading.log
    for removal in log.removed:
        why = f"（{removal.why}）" if removal.why else ""
        lines.append(f"删除 {REMOVED_NAMES[removal.kind]}{why}：{removal.place}：{removal.text!r}"[:300])
    for repair in log.repaired:
        lines.append(f"修复 {REPAIRED_NAMES[repair.kind]}：{repair.place}：{repair.before!r} → {repair.after!r}"[:300])
    lines += [f"疑似乱码，未能确认原文，请核对：{text}" for text in log.flagged]
    return lines


def _kind_name(reading: Reading) -> str:
    kind = {"docx": "Word 文档", "text": "纯文本", "markdown": "Markdown", "html": "网页"}[reading.kind]
    return f"{kind}，{reading.encoding} 编码" if reading.encoding else kind


def summary_lines(reading: Reading, files: ProjectFiles, target: Path) -> list[str]:
    """What `wenmi import` prints after writing the project."""
    removed = Counter(r.kind for r in reading.log.removed)
    repaired = Counter(r.kind for r in reading.log.repaired)
    cleaning = "、".join([f"去掉{REMOVED_NAMES[k]} {n} 处" for k, n in removed.items()]
                        + [f"修复{REPAIRED_NAMES[k]} {n} 处" for k, n in repaired.items()]) or "无需清理"
    lines = [f"已导入 {reading.source.name}（{_kind_name(reading)}）到 {target.as_posix()}：",
             f"  报告：{'、'.join(files.reports)}",
             f"  数字：{files.figures} 个，已写成占位符并在 inputs/数字.yaml 中声明；"
             f"日期、文号等 {files.kept} 处按原文保留",
             f"  清理：{cleaning}（逐条见 导入记录.txt）"]
    if reading.log.flagged:
        lines.append(f"  注意：{len(reading.log.flagged)} 处疑似乱码未能确认原文，已原样保留，见 导入记录.txt")
    lines.append(f"下一步：cd {target.as_posix()} && wenmi build")
    return lines
