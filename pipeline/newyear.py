"""`wenmi new-year`: roll a project into the next year, as every office does each December.

This year's ledgers become "previous", the new year's ledger files (the path with its year
moved on: 台账/2024/送温暖.csv → 台账/2025/送温暖.csv) are made with the same header and no row (a file already there — the new data, placed by the user — is kept),
years in report names, titles and body file names move on, 成文日期 move a year, bodies are
copied under their new names, and each typed-in figure keeps this year's value as last
year's and waits for its new one. `wenmi check` then lists every ledger and figure still
missing instead of reading them as 0. Nothing of the old year is overwritten: old ledgers,
bodies and outputs stay where they are; only the YAML specs are rewritten, with their
comments kept (ruamel.yaml round trip), after everything else has been prepared and a copy
of them kept in inputs/往年配置/<年度>/ (not read as specs: only inputs/*.yaml are).
"""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .errors import WenmiError
from .reading.specs import Project, SourceSpec, load_project

ARCHIVE = "往年配置"          # inputs/往年配置/<year>/: each year's specs as they were before the roll


@dataclass
class Roll:
    """What rolling a project did, for the command to report."""
    year: int
    ledgers_made: list[str] = field(default_factory=list)      # header only, waiting for data
    ledgers_kept: list[str] = field(default_factory=list)      # already there: used as they are
    bodies: list[str] = field(default_factory=list)            # copied under their new names
    reports: list[tuple[str, str]] = field(default_factory=list)   # (old name, new name)
    figures: list[str] = field(default_factory=list)           # typed-in figures waiting for values
    archive: str = ""                                          # where the old year's specs are kept
    unchanged: list[str] = field(default_factory=list)         # sources with no year in their path


def new_year(root: Path, year: int | None = None) -> Roll:
    """Roll the project at `root` from its year to `year` (the next one by default)."""
    project = load_project(root)
    year = year or project.year + 1
    if year <= project.year:
        raise WenmiError(f"新年度（{year}）应晚于项目当前年度（{project.year}）",
                         file="inputs/", hint="例如：wenmi new-year " + str(project.year + 1))
    shift = year - project.year
    roll = Roll(year)
    moved_files = {source.name: shifted(source.file, project.year, shift)
                   for source in project.sources.values()}
    roll.unchanged = [name for name, file in moved_files.items() if file == project.sources[name].file]
    moved_files = {name: file for name, file in moved_files.items() if name not in roll.unchanged}
    documents = _documents(project)
    # first everything that only adds files, then the specs
    for name, new_file in moved_files.items():
        source = project.sources[name]
        target = project.inputs / new_file
        if source.returns:      # units' returns: an empty folder for next year's to come in
            target.parent.mkdir(parents=True, exist_ok=True)
            roll.ledgers_made.append(project.shown(target))
            continue
        if target.exists():
            roll.ledgers_kept.append(project.shown(target))
            continue
        _header_only(project.inputs / source.file, target, source)
        roll.ledgers_made.append(project.shown(target))
    for data, _ in documents.values():
        for name, body in (data.get("reports") or {}).items():
            if isinstance(body, dict) and body.get("body"):
                new_body = shifted(str(body["body"]), project.year, shift)
                source, target = project.inputs / str(body["body"]), project.inputs / new_body
                if new_body != body["body"] and source.is_file() and not target.exists():
                    shutil.copyfile(source, target)
                    roll.bodies.append(project.shown(target))
    kept = project.inputs / ARCHIVE / str(project.year)
    kept.mkdir(parents=True, exist_ok=True)
    for path, (data, yaml) in documents.items():
        if not (kept / path.name).exists():
            shutil.copyfile(path, kept / path.name)
        _roll_specs(data, project, shift, moved_files, roll)
        _write(path, data, yaml)
    roll.archive = project.shown(kept)
    return roll


def shifted(text: str, year: int, shift: int) -> str:
    """`text` with every year from last year to next year moved on by `shift`: a report
    named 2024年度工作总结 becomes 2025年度工作总结, 2025年工作要点 2026年工作要点."""
    return re.sub(r"(?<![0-9])(\d{4})(?![0-9])",
                  lambda m: str(int(m.group(1)) + shift) if year - 1 <= int(m.group(1)) <= year + 1
                  else m.group(1), text)


def _header_only(source: Path, target: Path, spec: SourceSpec) -> None:
    """A copy of a ledger with its header rows and no data row: CSV bytes as they are (the
    encoding and BOM kept), an XLSX with the declared sheet's rows below the header removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.suffix.lower() == ".xlsx":
        import openpyxl
        workbook = openpyxl.load_workbook(source)
        sheet = workbook[spec.sheet] if spec.sheet else workbook.worksheets[0]
        for merged in [r for r in sheet.merged_cells.ranges if r.max_row > spec.header_rows]:
            sheet.unmerge_cells(str(merged))
        if sheet.max_row > spec.header_rows:
            sheet.delete_rows(spec.header_rows + 1, sheet.max_row - spec.header_rows)
        workbook.save(target)
        return
    with source.open("rb") as stream:
        header = b"".join(stream.readline() for _ in range(spec.header_rows))
    target.write_bytes(header)


def _documents(project: Project) -> dict[Path, tuple]:
    """Every inputs/*.yaml, loaded for a round trip that keeps comments and layout."""
    from ruamel.yaml import YAML
    found = {}
    for path in sorted(project.inputs.glob("*.yaml")) + sorted(project.inputs.glob("*.yml")):
        yaml = YAML()
        yaml.preserve_quotes = True
        yaml.width = 4096
        found[path] = (yaml.load(path.read_text(encoding="utf-8")) or {}, yaml)
    return found


def _roll_specs(data, project: Project, shift: int, moved_files: dict[str, str], roll: Roll) -> None:
    if not hasattr(data, "get"):
        return
    if isinstance(data.get("project"), dict) and "year" in data["project"]:
        data["project"]["year"] = project.year + shift
    for name, body in (data.get("sources") or {}).items():
        if name in moved_files and isinstance(body, dict):
            key = "files" if "files" in body else "file"     # units' returns: a glob
            body["previous"] = body[key]
            body[key] = moved_files[name]
    for name, body in (data.get("figures") or {}).items():
        if isinstance(body, dict) and "value" in body:
            body["previous"] = body.pop("value")
            roll.figures.append(str(name))
    reports = data.get("reports") or {}
    for name in list(reports):
        body = reports[name]
        new_name = shifted(str(name), project.year, shift)
        if isinstance(body, dict):
            for key in ("body", "title", "subtitle", "output"):
                if isinstance(body.get(key), str):
                    body[key] = type(body[key])(shifted(body[key], project.year, shift))
            if isinstance(body.get("attachments"), list):
                for index, item in enumerate(body["attachments"]):
                    if isinstance(item, str):
                        body["attachments"][index] = shifted(item, project.year, shift)
            if isinstance(body.get("date"), (datetime.date, str)):
                body["date"] = _later(body["date"], project.year, shift)
        if new_name != name:
            _rename(reports, name, new_name)
            roll.reports.append((str(name), new_name))


def _rename(mapping, old: str, new: str) -> None:
    """A key renamed in place, its comments (and blank lines) going with it."""
    comments = mapping.ca.items.pop(old, None)
    mapping.insert(list(mapping).index(old), new, mapping.pop(old))
    if comments is not None:
        mapping.ca.items[new] = comments


def _later(when, year: int, shift: int):
    """A 成文日期 `shift` years on (29 February becomes 28 February)."""
    if isinstance(when, str):
        return type(when)(shifted(when, year, shift))
    try:
        return when.replace(year=when.year + shift)
    except ValueError:
        return when.replace(year=when.year + shift, day=28)


def _write(path: Path, data, yaml) -> None:
    """The rewritten spec, replacing the file in one step."""
    text = io.StringIO()
    yaml.dump(data, text)
    temporary = path.with_name(f".{path.name}.new-year.tmp")
    temporary.write_text(text.getvalue(), encoding="utf-8")
    os.replace(temporary, path)
