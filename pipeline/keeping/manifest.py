"""The build manifest: what every output was made from, what it says, and what was written.

Stored as JSON in the project's .wenmi/ folder (beside inputs/, so it can be committed with
them; outputs/ holds only documents): `manifest.json` is the latest state, and every build that
wrote something leaves a copy as builds/<build-id>.json, so `wenmi diff` can compare any two
builds and `wenmi refresh` can recognise every text Wenmi ever put in a figure's place.
JSON rather than SQLite because the office (and git) can read and diff it, it is tens of
kilobytes (3 KB more per dossier of a batch), and no query needs more than loading it whole.

The hashes of every report's inputs are listed once, by report. One record per output
file, keyed by its path under outputs/ ("2024年度工作总结.docx", or "某报告/某乡镇.docx"
for a batch report): the fingerprint of those input hashes, its paragraphs, every figure it
cites (figure id, text, paragraph, DOCX bookmark) and the hash of the bytes written. (Each
record held all the hashes once: with a story file per nominee, a 1,000-dossier batch's
manifest grew to 98 MB.) A build compares the inputs' hashes before rendering anything and
the new bytes with the recorded ones before writing anything, so only outputs that changed
are rewritten; a file whose hash no longer matches was edited by hand and is protected.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from .. import __version__
from ..bundled import fallbacks
from ..errors import WenmiError
from ..figures import (LAST_YEAR_SUFFIX, Figure, FigureTable, SourceRef, figure_bookmark_name, figure_text,
                       last_year)
from ..inputfiles import MB, read_bytes
from ..reading.specs import BatchSpec, Project, ReportSpec, SummarySpec, source_paths
from ..translated import json_reason, os_reason
from ..wording import DEFAULT_RULES, WordingRules
from . import STATE_FOLDER

if TYPE_CHECKING:       # a build with nothing to do spares both: reading/returns.py imports
    from ..model import Bundle, Document      # pandas; text_record imports the model itself
    from ..reading.returns import ReturnsStatus

HISTORY = ".history"       # under outputs/: hand-edited files set aside by `build --force`
FORMAT_VERSION = 2          # 2: an output record holds its inputs' fingerprint
NEW, UNCHANGED, EDITED = "new", "unchanged", "edited"       # Manifest.status


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def input_hashes(project: Project, report: ReportSpec | BatchSpec | SummarySpec) -> dict[str, str]:
    """Hashes of every file a report's outputs depend on, by project-relative path.

    All specs, all declared ledgers and every template (the built-in ones the project does
    not override included) count, not only those the report
    names: a spec or template can reach the others (quotients, includes), and a
    conservative fingerprint only costs a render whose bytes then turn out unchanged.
    A report adds its body and its attachments' files; a batch report its folder of stories (the nominee sheet is a
    declared source). A 汇总表 reads no template and no other ledger: the specs and its
    returns are all it depends on.
    """
    files = sorted(project.inputs.glob("*.yaml"))
    if isinstance(report, SummarySpec):
        return _hashes(project, files + source_paths(project, project.sources[report.returns]))
    if isinstance(report, ReportSpec):
        files.append(project.inputs / report.body)
        files += [project.inputs / attachment.body for attachment in report.attachments if attachment.body]
    elif report.stories:
        files += sorted(path for path in (project.inputs / report.stories).rglob("*") if path.is_file())
    for source in project.sources.values():
        files += source_paths(project, source)
    files += sorted(path for path in project.templates.rglob("*") if path.is_file())
    files += fallbacks(project.templates)
    return _hashes(project, files)


def _hashes(project: Project, files: list[Path]) -> dict[str, str]:
    """The hashes of `files` and of this version of Wenmi (which may write them otherwise)."""
    hashes = {"wenmi": __version__}
    for path in files:
        # the build itself will say what is missing, or not a file it can read
        hashes[project.shown(path)] = _file_hash(path) or "（缺失）"
    return hashes


# ---------------------------------------------------------------- what a document says

def text_record(document: Document | Bundle) -> dict[str, list]:
    """What the manifest records of an output's text: its paragraphs, and every figure it
    cites — id, text, paragraph (from 1) and the DOCX bookmark around it. A bundle's
    documents are one file printed one after another (a batch's merged print file)."""
    from ..model import Bundle, FigureText, Text
    from ..writers.text import reading_order
    documents = document.documents if isinstance(document, Bundle) else (document,)
    front = [(Text(line),) for line in document.front()] if isinstance(document, Bundle) else []
    texts, found = [], []
    for number, content in enumerate(front + [content for document in documents
                                              for content in reading_order(document)], start=1):
        texts.append("".join(span.text for span in content))
        found += [{"figure": span.figure.id, "text": span.text, "paragraph": number,
                   "bookmark": figure_bookmark_name(span.figure.id, span.occurrence)}
                  for span in content if isinstance(span, FigureText)]
    return {"paragraphs": texts, "citations": found}


def figure_records(figures: dict[str, Figure | FigureTable], rules: WordingRules = DEFAULT_RULES,
                   returns: Mapping[str, ReturnsStatus] = MappingProxyType({})) -> dict[str, dict]:
    """Every citable figure (table cells and last year's values included) as plain data,
    its text in the project's default wording; a figure over units' returns with each unit's
    part (`unit_records`), so `wenmi diff` can name the unit whose return changed it."""
    records: dict[str, dict] = {}

    def add(figure: Figure) -> None:
        provenance = figure.provenance
        records[figure.id] = {
            "label": figure.label, "value": figure.value, "unit": figure.unit,
            "text": figure_text(figure, rules), "rule": provenance.rule,
            "defined_at": provenance.defined_at,
            "sources": [{"source": s.source, "file": s.file, "sheet": s.sheet,
                         "filter": s.filter, "rows": s.rows, **unit_records(figure, s, rules, returns)}
                        for s in provenance.sources]}
        if figure.previous is not None and LAST_YEAR_SUFFIX not in figure.id:
            add(last_year(figure))

    for figure in figures.values():
        for cell in ([row for _, row in figure.rows] if isinstance(figure, FigureTable) else [figure]):
            add(cell)
    return records


def unit_records(figure: Figure, source: SourceRef, rules: WordingRules,
                 returns: Mapping[str, ReturnsStatus]) -> dict:
    """A source's units and their parts of the figure ({} unless it is units' returns): each
    unit's value, its file (this year's returns: their 报送情况 knows it) and, when the parts
    add up to the figure (a sum or a count, not a rate of two), its text; and the returns left
    out, which a later build may count once corrected."""
    if not source.units:
        return {}
    status = returns.get(source.source)
    this_year = status is not None and status.files == source.file
    files = {unit_return.unit: unit_return.file for unit_return in status.returns} if this_year else {}
    adds_up = abs(sum(value for _, value in source.units) - figure.value) < 1e-6 * max(1, abs(figure.value))
    units = [{"unit": unit, "value": value, "file": files.get(unit, ""),
              **({"text": figure_text(replace(figure, value=value), rules)} if adds_up else {})}
             for unit, value in source.units]
    left_out = {faulty.unit: faulty.file for faulty in status.faulty} if this_year else {}
    return {"units": units, "left_out": left_out}


@dataclass(frozen=True)
class Output:
    """One file a build produces, with what its text says (`text_record`): its bytes in memory
    until it is staged (pipeline/build.py `Staging`), then their hash and its status, the
    bytes being in their file by then (a forked worker sends back no more than that)."""
    report: str
    format: str
    path: Path
    data: bytes                      # b"" once staged
    text: dict[str, list]
    status: str = ""                 # NEW, UNCHANGED or EDITED once staged
    sha256: str = ""                 # of the bytes, once staged
    redline: "Output | None" = None  # its （修订稿）, staged with it (build --redline)


def inputs_fingerprint(inputs: dict[str, str]) -> str:
    """One hash for all of a report's input hashes (`input_hashes`): what each of its
    output records holds, the hashes themselves being listed once per report."""
    return sha256(json.dumps(inputs, ensure_ascii=False, sort_keys=True).encode("utf-8"))


def output_record(output: Output, fingerprint: str, build_id: str) -> dict:
    """A staged output's record: `fingerprint` of its report's inputs (`inputs_fingerprint`)."""
    return {"report": output.report, "format": output.format, "build": build_id,
            "sha256": output.sha256, "inputs": fingerprint, **output.text}


# ---------------------------------------------------------------- the stored manifests

@dataclass
class Manifest:
    """The latest manifest of a project, loaded (or empty before the first build)."""
    project: Project
    data: dict = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.project.root / STATE_FOLDER

    @classmethod
    def load(cls, project: Project) -> "Manifest":
        path = project.root / STATE_FOLDER / "manifest.json"
        if not path.exists():
            return cls(project, {"outputs": {}, "figures": {}})
        return cls(project, _read_json(path, project))

    @property
    def outputs(self) -> dict[str, dict]:
        return self.data.get("outputs", {})

    def key(self, path: Path) -> str:
        """An output's key: its path under outputs/, with /."""
        return path.relative_to(self.project.outputs).as_posix()

    def current_outputs(self, report: ReportSpec | BatchSpec | SummarySpec, fingerprint: str,
                        formats: Iterable[str]) -> list[Path]:
        """The report's files, when all were written from its present inputs (their
        `inputs_fingerprint`) in every format asked for and are all still there; [] when
        the report must be rendered.

        A file edited by hand since counts as current: a render would give the bytes
        recorded and leave the file alone (`status` EDITED), so one edited dossier does not
        make every later build render its whole batch again. Decided from the manifest
        and the folder alone, before anything is rendered."""
        records = {key: record for key, record in self.outputs.items()
                   if record["report"] == report.name}
        if not set(formats or report.formats) <= {record["format"] for record in records.values()}:
            return []
        paths = [self.project.outputs / key for key in records]
        if all(record["inputs"] == fingerprint and path.is_file()
               for path, record in zip(paths, records.values())):
            return paths
        return []

    def edited(self, path: Path) -> bool:
        """Whether a recorded file is no longer what Wenmi wrote, nor what `wenmi refresh`
        last made of it (a file refreshed since the build holds its figures)."""
        record = self.outputs[self.key(path)]
        return _file_hash(path) not in (record["sha256"], record.get("refreshed"))

    def refreshed(self, path: Path, digest: str) -> None:
        """Note that `wenmi refresh` left the file at `path` with the bytes of hash `digest`
        and the figures of the latest build: the next build does not call it edited (it still
        protects it). A build that gives the file new figures makes a record without it."""
        self.outputs[self.key(path)]["refreshed"] = digest
        _write_json(self.folder / "manifest.json", self.data)

    def status(self, path: Path, digest: str) -> str:
        """UNCHANGED when writing bytes of hash `digest` to `path` would leave the file
        exactly as Wenmi wrote it, EDITED when the file changed after Wenmi wrote it, else
        NEW (new bytes, or a file Wenmi never recorded). The file is read once."""
        record = self.outputs.get(self.key(path))
        on_disk = _file_hash(path) if record else None
        if on_disk is None or record is None:
            return NEW
        if on_disk != record["sha256"]:
            return EDITED
        return UNCHANGED if digest == on_disk else NEW

    def recorded(self, report: str) -> list[Path]:
        """The files the manifest holds for a report (a batch's, from earlier builds too)."""
        return [self.project.outputs / key for key, record in self.outputs.items()
                if record["report"] == report]

    def save(self, build_id: str, time: datetime.datetime, figures: dict[str, dict],
             records: dict[str, dict], inputs: dict[str, dict[str, str]],
             dropped: Iterable[str] = ()) -> None:
        """Store the new state — `records` added or replaced, the `dropped` keys gone, the
        `inputs` (input hashes by report) of the reports rendered — and a copy of it under
        builds/ for `diff` and `refresh`."""
        outputs = {**self.outputs, **records}
        for key in dropped:
            outputs.pop(key, None)
        reports = {record["report"] for record in outputs.values()}
        inputs = {name: hashes for name, hashes in {**self.data.get("inputs", {}), **inputs}.items()
                  if name in reports}
        self.data = {"version": FORMAT_VERSION, "wenmi": __version__, "build": build_id,
                     "time": time.isoformat(timespec="seconds"), "figures": figures,
                     "inputs": inputs, "outputs": outputs}
        for path in (self.folder / "builds" / f"{build_id}.json", self.folder / "manifest.json"):
            _write_json(path, self.data)

    def builds(self) -> list[str]:
        """The ids of the recorded builds, oldest first."""
        return sorted(path.stem for path in (self.folder / "builds").glob("*.json"))

    def build(self, build_id: str) -> dict:
        """The manifest as one recorded build left it."""
        path = self.folder / "builds" / f"{build_id}.json"
        if not path.exists():
            known = "、".join(self.builds()[-5:]) or "（无）"
            raise WenmiError(f"没有编号为“{build_id}”的生成记录；最近的记录：{known}",
                             hint="用 wenmi diff 不带参数查看最近一次的变化")
        return _read_json(path, self.project)


def new_build_id(project: Project) -> tuple[str, datetime.datetime]:
    """A sortable id for a build ("20241220-153012"), unique in this project, and its time."""
    now = datetime.datetime.now().replace(microsecond=0)
    build_id, suffix = now.strftime("%Y%m%d-%H%M%S"), 1
    while (project.root / STATE_FOLDER / "builds" / f"{build_id}.json").exists():
        suffix += 1
        build_id = f"{now:%Y%m%d-%H%M%S}-{suffix}"
    return build_id, now


def set_aside(project: Project, path: Path, when: datetime.datetime) -> Path:
    """Move a hand-edited output to outputs/.history/, its name stamped with `when`."""
    relative = path.relative_to(project.outputs)
    target = project.outputs / HISTORY / relative.parent / f"{path.stem}.{when:%Y%m%d-%H%M%S}{path.suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(path, target)
    return target


def _json_text(data: dict) -> str:
    """`data` as JSON, keys sorted, with every entry of its dicts on a line of its own (one
    figure or output record a line), so git and a reader can follow a change line by line.
    Each line is a compact dump: the C encoder writes a thousand dossiers' records in a
    tenth of the time an indented dump takes."""
    def dumps(value) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def entry(key: str, value) -> str:
        if isinstance(value, dict) and value:
            inner = ",\n".join(f"  {dumps(name)}: {dumps(item)}" for name, item in sorted(value.items()))
            return f" {dumps(key)}: {{\n{inner}\n }}"
        return f" {dumps(key)}: {dumps(value)}"
    return "{\n" + ",\n".join(entry(key, value) for key, value in sorted(data.items())) + "\n}"


def _write_json(path: Path, data: dict) -> None:
    """`data` into `path` whole or not at all (a temporary file renamed into place)."""
    temporary = path.with_suffix(".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(_json_text(data) + "\n", encoding="utf-8")
        os.replace(temporary, path)
    except OSError as error:
        raise WenmiError(f"无法保存生成记录：{os_reason(error)}", file=f"{STATE_FOLDER}/{path.name}",
                         hint=f"检查项目文件夹中的 {STATE_FOLDER}/ 是否可写、磁盘空间是否充足") from None


def _file_hash(path: Path) -> str | None:
    """The hash of a regular file's bytes; None when there is none (or a pipe, a device)."""
    try:
        return sha256(path.read_bytes()) if path.is_file() else None
    except OSError:
        return None


RECORD_TEXTS = ("report", "format", "sha256")      # what every output record must hold


def _read_json(path: Path, project: Project) -> dict:
    """A stored manifest, refused unless it has the shape Wenmi writes."""
    shown = project.shown(path)
    hint = f"删除 {STATE_FOLDER}/ 后用 wenmi build --force 重新生成（手工修改过的输出会先移到 outputs/{HISTORY}/）"
    try:
        data = json.loads(read_bytes(path, shown, 1024 * MB))
    except json.JSONDecodeError as error:
        raise WenmiError(f"生成记录无法读取：{json_reason(error)}", file=shown, hint=hint) from None
    except ValueError:                          # not UTF-8
        raise WenmiError("生成记录无法读取：不是 UTF-8 编码的 JSON", file=shown, hint=hint) from None
    outputs = data.get("outputs", {}) if isinstance(data, dict) else None
    figures = data.get("figures", {}) if isinstance(data, dict) else None
    if not (isinstance(outputs, dict) and isinstance(figures, dict)
            and all(isinstance(record, dict) and all(isinstance(record.get(key), str) for key in RECORD_TEXTS)
                    and isinstance(record.get("citations", []), list)
                    and isinstance(record.get("paragraphs", []), list)
                    for record in outputs.values())
            and all(isinstance(figure, dict) for figure in figures.values())):
        raise WenmiError("生成记录的内容不是文秘写下的格式（可能被手工改过或被别的程序覆盖）",
                         file=shown, hint=hint)
    return data


def documents(manifest: dict) -> dict[str, dict]:
    """One output record per document (its key without the extension): all formats of a
    document say the same, so `diff` looks at one of them, the DOCX when there is one."""
    found: dict[str, dict] = {}
    for key, record in sorted(manifest.get("outputs", {}).items()):
        stem = key.rsplit(".", 1)[0]
        if stem not in found or record["format"] == "docx":
            found[stem] = record
    return found


def recorded_texts(manifest: Manifest, key: str) -> dict[str, set[str]]:
    """For one output, every text each of its bookmarks has held in any recorded build."""
    texts: dict[str, set[str]] = {}
    for build_id in manifest.builds():
        record = manifest.build(build_id).get("outputs", {}).get(key)
        for citation in (record or {}).get("citations", ()):
            texts.setdefault(citation["bookmark"], set()).add(citation["text"])
    return texts
