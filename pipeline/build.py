"""The driver: read everything, then write everything.

`build()` reads the project top to bottom — specs → ledgers → figures (`inspected`) →
render → assemble → writers (`render_reports`, pipeline/batch.py). Each file made is
staged as a hidden temporary file beside its place (`Staging`); only when all are made are
they renamed into place, so any problem stops the build before an output is touched, a
reader never sees half a document and a failed build leaves the previous outputs as they
were.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import gc
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .assemble import assemble
from .batch import Progress, batch_files
from .checks import Inspection, inspect_project
from .errors import WenmiError
from .figures import Figure, FigureTable
from .lock import build_lock
from .manifest import (EDITED, NEW, UNCHANGED, Manifest, Output, figure_records, input_hashes,
                       inputs_fingerprint, new_build_id, output_record, set_aside, sha256, summary)
from .model import Document
from .problems import Problem
from .project import BatchSpec, Project, ReportSpec, load_project
from .redline import companion, redline_name
from .render import Renderer
from .writers import EXTENSIONS, WRITERS


@dataclass(frozen=True)
class Prepared:
    """Everything a build computed, before anything is written."""
    project: Project
    figures: dict[str, Figure | FigureTable]
    documents: dict[str, Document]
    outputs: tuple[Output, ...]
    warnings: tuple[Problem, ...] = ()   # what `wenmi check` would warn about


def inspected(root: Path, strict: bool = False, project: Project | None = None) -> Inspection:
    """The project read once: specs (unless already in `project`), every ledger, every
    figure (pipeline/checks.py). Every problem found on the way is raised together;
    warnings too when `strict`."""
    inspection = inspect_project(root, project)
    inspection.problems.stop_if_failed(strict)
    return inspection


def select_reports(project: Project, names: Iterable[str] = ()) -> list[ReportSpec]:
    """The named reports, in the order given; all reports when no name is given. Batch
    reports may be named too; `select_batches` picks those."""
    names = list(names)
    unknown = [name for name in names if name not in project.reports and name not in project.batches]
    if unknown:
        known = "、".join([*project.reports, *project.batches]) or "（无）"
        raise WenmiError(f"没有名为“{'、'.join(unknown)}”的报告；已声明的报告：{known}",
                         hint="用 wenmi list 查看全部报告")
    if not project.reports and not project.batches:
        raise WenmiError("项目中没有声明任何报告（reports）", file="inputs/")
    if names:
        return [project.reports[name] for name in names if name in project.reports]
    return list(project.reports.values())


def select_batches(project: Project, names: Iterable[str] = (), only: Iterable[str] = ()) -> list[BatchSpec]:
    """The named batch reports (all when no name is given); `only` needs exactly one."""
    names = list(names)
    selected = [project.batches[name] for name in (names or project.batches) if name in project.batches]
    if list(only) and len(selected) != 1:
        raise WenmiError("--only 须与一个批量报告名一起使用，例如：wenmi build 2024年度先进事迹材料 --only A01")
    return selected


def render_reports(inspection: Inspection, names: Iterable[str] = (), formats: Iterable[str] = (),
                   strict: bool = False) -> Prepared:
    """The selected ordinary reports of an inspected project, written in memory."""
    problems = inspection.problems
    project, figures = inspection.project, inspection.figures
    reports = select_reports(project, names)
    formats = checked_formats(formats)
    renderer = Renderer(project, figures)
    documents: dict[str, Document] = {}
    outputs: list[Output] = []
    for report in reports:
        with problems.collecting():   # one broken template does not hide the next report's
            markdown = renderer.render_report(report)
            document = assemble(markdown, report, figures, f"inputs/{report.body}")
            documents[report.name] = document
            text = summary(document)
            for fmt in formats or report.formats:
                path = project.outputs / f"{report.output}{EXTENSIONS[fmt]}"
                outputs.append(Output(report.name, fmt, path, WRITERS[fmt](document), text))
    problems.stop_if_failed(strict)
    return Prepared(project, figures, documents, tuple(outputs), tuple(problems.warnings))


def checked_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """The formats asked for (`--formats`), each one a writer exists for."""
    formats = tuple(formats)
    for fmt in formats:
        if fmt not in WRITERS:
            raise WenmiError(f"不支持的输出格式“{fmt}”；可用：{'、'.join(WRITERS)}")
    return formats


TEMPORARY_NAME = re.compile(r"\..+\.[0-9a-f]{8}\.tmp")     # Staging.temporary, any build's token


class Staging:
    """Where a build puts its files until every one of them is made.

    Each output to be written — new bytes, or with `force` a file edited by hand — is
    written as soon as it is made, by whichever process made it, to a hidden temporary file
    beside its final path, named with this build's token. `commit` then renames them into
    place, so a reader never sees half a document; `discard` removes them (and any folder
    made for them), so a failed build leaves the previous outputs as they were. Writing
    while other dossiers are still being rendered puts the file system's work on both
    cores.
    """

    def __init__(self, project: Project, manifest: Manifest, force: bool,
                 redline_time: datetime.datetime | None = None):
        self.outputs_folder = project.outputs
        self.manifest = manifest
        self.force = force
        self.redline_time = redline_time       # with --redline: the tracked changes' time
        self.token = os.urandom(4).hex()
        self.made_folders: list[Path] = []     # by this process, parents first
        self._remove_stale_temporaries()

    def temporary(self, path: Path) -> Path:
        return path.with_name(f".{path.name}.{self.token}.tmp")

    def _remove_stale_temporaries(self) -> None:
        """Remove the temporary files of an earlier build that was stopped before it could
        discard them (killed, or the power went). A build holds the project's build lock
        (pipeline/lock.py), so no other build's files can be among them."""
        if self.outputs_folder.is_dir():
            for path in self.outputs_folder.rglob(".*.tmp"):
                if TEMPORARY_NAME.fullmatch(path.name) and path.is_file():
                    path.unlink(missing_ok=True)

    def stage(self, output: Output) -> Output:
        """`output` staged: written to its temporary file when it is to be written, and
        returned with its hash and status (manifest.Manifest.status) in place of its bytes.
        A batch's first dossier is staged by the main process before any worker starts, so
        the folders are made (and noted) here. With `redline_time`, a DOCX written over an
        earlier one gets its （修订稿） made and staged too, by the same process: a
        correction every dossier cites makes a thousand of them, on every core."""
        staged = self._staged(output)
        if self.redline_time and output.format == "docx" and self.is_staged(staged) \
                and output.path.exists():
            try:
                marked = companion(output.path.read_bytes(), output.data, self.redline_time)
            except (OSError, ValueError) as error:
                raise WenmiError(f"无法为它生成修订稿：原文件不是可读的 DOCX（{error}）", file=str(output.path),
                                 hint="原文件可能被另存为其他格式；把它移出 outputs/ 后重新生成，"
                                      "或去掉 --redline") from None
            redline = Output(output.report, "docx", output.path.with_name(redline_name(output.path.stem)),
                             marked, output.text)
            staged = dataclasses.replace(staged, redline=self._staged(redline))
        return staged

    def _staged(self, output: Output) -> Output:
        digest = sha256(output.data)
        staged = dataclasses.replace(output, data=b"", sha256=digest,
                                     status=self.manifest.status(output.path, digest))
        if self.is_staged(staged):
            self._make_folder(output.path.parent)
            try:
                handle = os.open(self.temporary(output.path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
                with os.fdopen(handle, "wb") as stream:
                    stream.write(output.data)
            except OSError as error:
                raise WenmiError(f"无法写入输出文件：{error.strerror or error}", file=str(output.path),
                                 hint="检查 outputs/ 是否可写、磁盘空间是否充足") from None
        return staged

    def _make_folder(self, folder: Path) -> None:
        if folder.is_dir():
            return
        missing = [folder, *(parent for parent in folder.parents if not parent.exists())]
        folder.mkdir(parents=True, exist_ok=True)
        self.made_folders += reversed(missing)

    def commit(self, staged: Iterable[Output]) -> None:
        """Rename the staged outputs into place (Windows refuses while Word has one open)."""
        for output in staged:
            try:
                os.replace(self.temporary(output.path), output.path)
            except PermissionError:
                self.discard()
                raise WenmiError("无法覆盖输出文件，可能正在 Word 或 WPS 中打开",
                                 file=str(output.path), hint="关闭该文件后重新生成") from None

    def is_staged(self, output: Output) -> bool:
        """Whether `stage` wrote the output's temporary file: new bytes, or with `force` a
        file edited by hand."""
        return output.status == NEW or self.force and output.status == EDITED

    def discard(self) -> None:
        """Remove every temporary file of this build, whoever wrote it, and the folders
        made for them when they are left empty."""
        for temporary in self.outputs_folder.rglob(f".*.{self.token}.tmp"):
            temporary.unlink(missing_ok=True)
        for folder in reversed(self.made_folders):
            with contextlib.suppress(OSError):
                folder.rmdir()


@dataclass(frozen=True)
class Built:
    """What `wenmi build` did with each output, for the command to report."""
    project: Project
    prepared: Prepared | None = None       # None when no ordinary report needed rendering
    written: tuple[Output, ...] = ()       # rewritten: new or changed
    unchanged: tuple[Path, ...] = ()       # rendered again to the same bytes, left alone
    skipped: tuple[Path, ...] = ()         # inputs unchanged since the last build: not rendered
    protected: tuple[Path, ...] = ()       # edited by hand since written: left alone
    set_aside: tuple[Path, ...] = ()       # edited by hand, moved to outputs/.history/ (--force)
    retired: tuple[Path, ...] = ()         # a batch's files of nominees no longer in its sheet,
                                           # moved to outputs/.history/
    redlines: tuple[Output, ...] = ()      # （修订稿） companions (--redline)
    build_id: str = ""                     # "" when nothing was rendered


def build(root: Path, names: Iterable[str] = (), formats: Iterable[str] = (),
          strict: bool = False, *, force: bool = False, redline: bool = False,
          only: Iterable[str] = (), progress: Progress | None = None) -> Built:
    """The whole `wenmi build`, one at a time per project (pipeline/lock.py): render only the
    reports whose inputs changed since the manifest (pipeline/manifest.py) was written, write
    only the files whose bytes changed, never overwrite a file edited by hand (with `force`,
    move it to outputs/.history/ first and rebuild everything). Batch reports
    (pipeline/batch.py) are handled alike, file by file; `only` renders some of their
    nominees (编号) whatever changed, and a whole batch sets aside the files of nominees
    that left its sheet."""
    project = load_project(root)
    formats = checked_formats(formats)
    only = list(only)
    specs = [*select_reports(project, names), *select_batches(project, names, only)]
    with build_lock(project.root):
        manifest = Manifest.load(project)
        inputs = {spec.name: input_hashes(project, spec) for spec in specs}
        fingerprints = {name: inputs_fingerprint(hashes) for name, hashes in inputs.items()}
        skipped, stale = [], []
        for spec in specs:
            rendered_anyway = force or only and isinstance(spec, BatchSpec)
            current = [] if rendered_anyway else manifest.current_outputs(spec, fingerprints[spec.name], formats)
            skipped += current
            stale += [] if current else [spec]
        kept_edits = [path for path in skipped if manifest.edited(path)]   # reported as protected
        skipped = [path for path in skipped if path not in kept_edits]
        if not stale:
            return Built(project, skipped=tuple(skipped), protected=tuple(kept_edits))
        inspection = inspected(root, strict, project)
        build_id, now = new_build_id(project)
        staging = Staging(project, manifest, force, now if redline else None)
        # The ledgers, figures and specs just read live until the build ends. Frozen, they
        # are skipped by the collector's full collections, which then do not write to their
        # pages in forked dossier workers either. (The `wenmi` command runs with the
        # collector off, pipeline.wenmi; this is for callers that keep it on.)
        gc.freeze()
        try:
            batches = [spec for spec in stale if isinstance(spec, BatchSpec)]
            outputs = [output for spec in batches
                       for output in batch_files(project, spec, inspection.ledgers, inspection.figures,
                                                 staging.stage, formats, only, progress)]
            reports = [spec.name for spec in stale if isinstance(spec, ReportSpec)]
            prepared = render_reports(inspection, reports, formats, strict) if reports else None
            outputs += [staging.stage(output) for output in (prepared.outputs if prepared else ())]
            unchanged = [o for o in outputs if o.status == UNCHANGED]
            edited = [o for o in outputs if o.status == EDITED]
            written = [o for o in outputs if staging.is_staged(o)]
            redlines = [o.redline for o in written if o.redline]
            set_aside_to = [set_aside(project, o.path, now) for o in edited if force]
            made = {o.path for o in outputs}
            leftovers = [] if only else [path for spec in batches for path in manifest.recorded(spec.name)
                                         if path not in made]
            staging.commit(written + redlines)
        except BaseException:
            staging.discard()
            raise
        finally:
            gc.unfreeze()
        retired = [set_aside(project, path, now) for path in leftovers if path.exists()]
        records = {manifest.key(o.path): output_record(o, fingerprints[o.report], build_id)
                   for o in written + unchanged + edited}
        for o in edited if not force else ():
            # a protected file keeps the hash of what Wenmi wrote (so it stays protected)
            # and gets the new figures, which `wenmi refresh` puts into it
            records[manifest.key(o.path)]["sha256"] = manifest.outputs[manifest.key(o.path)]["sha256"]
        manifest.save(build_id, now, figure_records(inspection.figures, inspection.project.wording), records,
                      {spec.name: inputs[spec.name] for spec in stale},
                      dropped=[manifest.key(path) for path in leftovers])
        return Built(project, prepared, tuple(written), tuple(o.path for o in unchanged),
                     tuple(skipped), tuple(kept_edits) + tuple(o.path for o in edited if not force),
                     tuple(set_aside_to), tuple(retired), tuple(redlines), build_id)
