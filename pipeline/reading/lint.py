"""Typed-in figure lint: numbers written straight into a report body or a genre template.

A figure typed by hand ("新建工会12个") does not change when the ledger does, so it survives a
regeneration as a stale number. Every number outside `{{ }}`, `{% %}` and `{# #}` is listed
as a warning with its file, line and column. An author keeps a deliberate literal (the 12351
hotline, a year in a slogan) with a Jinja comment, which prints nothing:

- `12351{#保留#}` — right after the number: keep this one;
- `{# 保留：12351、2035 #}` — anywhere in the file: keep these numbers throughout it.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import WenmiError, at_line
from ..inputfiles import read_text
from ..problems import Problems
from .specs import Project

KEEP_HERE = re.compile(r"\{#-?\s*保留\s*-?#\}")
KEEP_LIST = re.compile(r"\{#-?\s*保留[：:](?P<numbers>[^#]*)-?#\}")
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
# A number as typed in Chinese prose: ASCII or full-width digits, grouping, decimals, %/万/亿.
NUMBER = re.compile(r"[0-9０-９][0-9０-９,，.．]*[0-9０-９]|[0-9０-９]")
LIST_MARKER = re.compile(r"^[ \t]*[0-9]+[.)、][ \t]", re.M)
CODE_NEIGHBOUR = re.compile(r"[A-Za-z_\-]")   # QHFY2024-023, a case number, is not a figure


def typed_numbers(text: str) -> list[tuple[int, int, str]]:
    """(line, column, number) of every number typed into `text` and not kept by a marker."""
    kept = {number for found in KEEP_LIST.finditer(text)
            for number in NUMBER.findall(found.group("numbers"))}
    # Jinja and list markers are blanked out, keeping every character's position.
    blank = JINJA.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    blank = LIST_MARKER.sub(lambda m: " " * len(m.group()), blank)
    found = []
    for match in NUMBER.finditer(blank):
        start, end = match.span()
        before, after = blank[start - 1:start], blank[end:end + 1]
        if CODE_NEIGHBOUR.match(before or " ") or CODE_NEIGHBOUR.match(after or " "):
            continue
        if match.group() in kept or KEEP_HERE.match(text, end):
            continue
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        found.append((line, column, match.group()))
    return found


def lint_file(path: Path, shown: str, problems: Problems) -> None:
    """Warn about each typed-in number of one body or template file."""
    try:
        text = read_text(path, shown)
    except WenmiError:
        return   # rendering reports a missing or unreadable file as an error
    for line, column, number in typed_numbers(text):
        problems.warn(f"直接写入的数字“{number}”不来自台账，数据更新后不会随之改变", shown,
                      at_line(line, column),
                      hint="改用占位符（如 {{ 指标名 }}）；确需保留，在数字后紧跟 {#保留#}")


def lint_project(project: Project, problems: Problems) -> None:
    """Lint every report body, attachment file and genre template the reports use, each once."""
    files = {}
    for report in project.reports.values():
        files[project.inputs / report.body] = None
        files.update((project.inputs / a.body, None) for a in report.attachments if a.body)
        files[project.templates / f"{report.genre}.md.j2"] = None
    for path in files:
        lint_file(path, project.shown(path), problems)
