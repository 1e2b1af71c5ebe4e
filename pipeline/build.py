"""The driver: plan, read, compose, write, commit.

`build()` is the recipe. It plans from the manifest which reports are stale (nothing is read
when none is), reads the project (specs → ledgers → figures, every problem at once), composes
every stale report into jobs — one per document, ordinary report or dossier — and has the
lane (pipeline/lane.py) make and write them, each file staged as a hidden temporary file
beside its place. Only when every one is made are they renamed into place, so any problem
stops the build before an output is touched and a failed build leaves the previous outputs
as they were. The heavy modules (pandas, Jinja2, python-docx) are imported only once the
plan says there is something to make.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import WenmiError
from .interrupts import deferred
from .keeping import STATE_FOLDER
from .keeping.lock import build_lock
from .keeping.manifest import (
    EDITED,
    UNCHANGED,
    Manifest,
    Output,
    figure_records,
    new_build_id,
    output_record,
    set_aside,
)
from .keeping.plan import plan
from .problems import Problem
from .reading.parsedspecs import ParsedSpecs
from .reading.specs import BatchSpec, Project, ReportSpec, SummarySpec, load_project
from .wording import WordingRules
from .writers import DOCUMENT_FORMATS

PARSED_SPECS = "specs.json"     # in .wenmi/: the YAML specs as the last build parsed them


@dataclass(frozen=True)
class Built:
    """What `wenmi build` did with each output, for the command to report."""
    project: Project
    written: tuple[Output, ...] = ()       # rewritten: new or changed
    unchanged: tuple[Path, ...] = ()       # rendered again to the same bytes, left alone
    skipped: tuple[Path, ...] = ()         # inputs unchanged since the last build: not rendered
    protected: tuple[Path, ...] = ()       # edited by hand since written: left alone
    set_aside: tuple[Path, ...] = ()       # edited by hand, moved to outputs/.history/ (--force)
    retired: tuple[Path, ...] = ()         # a batch's files of nominees no longer in its sheet,
                                           # moved to outputs/.history/
    redlines: tuple[Output, ...] = ()      # （修订稿） companions (--redline)
    build_id: str = ""                     # "" when nothing was rendered
    warnings: tuple[Problem, ...] = ()     # what `wenmi check` would warn about
    returns: dict = field(default_factory=dict)   # 报送情况 of each returns source, when rendered


def build(root: Path, names: Iterable[str] = (), formats: Iterable[str] = (),
          strict: bool = False, *, force: bool = False, redline: bool = False,
          only: Iterable[str] = (), progress=None) -> Built:
    """The whole `wenmi build`, one at a time per project (keeping/lock.py): make only the
    reports whose inputs changed since the last build, write only the files whose bytes
    changed, never overwrite a file edited by hand (with `force`, move it to
    outputs/.history/ first and make everything). `only` makes some nominees (编号) of one
    batch report whatever changed; a whole batch sets aside the files of nominees that left
    its sheet."""
    parsed = parsed_specs(root)
    project = load_project(root, parsed)
    formats, only = checked_formats(formats), list(only)
    specs = select_specs(project, names, only)
    with build_lock(project):
        parsed.save()
        manifest = Manifest.load(project)
        todo = plan(project, manifest, specs, formats, force=force, only=bool(only))
        if not todo.stale:
            return Built(project, skipped=todo.skipped, protected=todo.protected)
        from . import lane  # the heavy imports start here
        from .composing.jobs import compose_jobs
        from .keeping.staging import Staging
        from .reading.inspection import inspect_or_stop
        inspection = inspect_or_stop(root, strict, project)
        jobs, afterwards = compose_jobs(inspection, todo.stale, formats, only)
        build_id, now = new_build_id(project)
        staging = Staging(project.outputs, manifest, force, now if redline else None)
        gc.freeze()     # what was read lives until the end: spare it the collector's passes
        try:
            outputs, kept = lane.run(jobs, staging.stage, progress)
            outputs += lane.run([after(kept) for after in afterwards], staging.stage)[0]
            written = [o for o in outputs if staging.is_staged(o)]
            edited = [o for o in outputs if o.status == EDITED]
            set_aside_to = [set_aside(project, o.path, now) for o in edited if force]
            made = {o.path for o in outputs}
            leftovers = [] if only else [path for spec in todo.stale if isinstance(spec, BatchSpec)
                                         for path in manifest.recorded(spec.name) if path not in made]
        except BaseException:
            staging.discard()
            raise
        finally:
            gc.unfreeze()
        with deferred():        # a stop asked for now waits until the outputs are recorded
            staging.commit(written + [o.redline for o in written if o.redline])
            retired = [set_aside(project, path, now) for path in leftovers if path.exists()]
            _record(manifest, todo, outputs, force, leftovers, build_id, now, inspection, project.wording)
        return Built(project, tuple(written), tuple(o.path for o in outputs if o.status == UNCHANGED),
                     todo.skipped, todo.protected + tuple(o.path for o in edited if not force),
                     tuple(set_aside_to), tuple(retired), tuple(o.redline for o in written if o.redline),
                     build_id, tuple(inspection.problems.warnings), inspection.returns)


def parsed_specs(root: Path) -> ParsedSpecs:
    """The YAML specs of the project at `root` as the last build parsed them, in .wenmi/:
    what a build, `wenmi list` and `wenmi diff` need not parse again."""
    return ParsedSpecs(root / STATE_FOLDER / PARSED_SPECS)


def _record(manifest: Manifest, todo, outputs: list[Output], force: bool, dropped: list[Path],
            build_id: str, now, inspection, rules: WordingRules) -> None:
    """The new manifest: a record for every output made. A protected file keeps the hash of
    what Wenmi wrote (so it stays protected) and gets the new figures, which `wenmi
    refresh` puts into it."""
    records = {}
    for o in outputs:
        key = manifest.key(o.path)
        records[key] = output_record(o, todo.fingerprints[o.report], build_id)
        if o.status == EDITED and not force:
            records[key]["sha256"] = manifest.outputs[key]["sha256"]
    manifest.save(build_id, now, figure_records(inspection.figures, rules, inspection.returns), records,
                  {spec.name: todo.inputs[spec.name] for spec in todo.stale},
                  dropped=[manifest.key(path) for path in dropped])


def select_specs(project: Project, names: Iterable[str] = (), only: Iterable[str] = ()
                 ) -> list[ReportSpec | BatchSpec | SummarySpec]:
    """The named reports, ordinary ones first, then batch reports and 汇总表; all reports
    when no name is given. `only` needs exactly one batch report."""
    names = list(names)
    kinds = (project.reports, project.batches, project.summaries)
    unknown = [name for name in names if not any(name in kind for kind in kinds)]
    if unknown:
        known = "、".join(name for kind in kinds for name in kind) or "（无）"
        raise WenmiError(f"没有名为“{'、'.join(unknown)}”的报告；已声明的报告：{known}",
                         hint="用 wenmi list 查看全部报告")
    if not any(kinds):
        raise WenmiError("项目中没有声明任何报告（reports）", file="inputs/")
    reports, batches, summaries = ([kind[name] for name in (names or kind) if name in kind] for kind in kinds)
    if list(only) and len(batches) != 1:
        raise WenmiError("--only 须与一个批量报告名一起使用，例如：wenmi build 2024年度先进事迹材料 --only A01")
    return [*reports, *batches, *summaries]


def checked_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """The formats asked for (`--formats`), each one a report can be written as."""
    formats = tuple(formats)
    for fmt in formats:
        if fmt not in DOCUMENT_FORMATS:
            raise WenmiError(f"不支持的输出格式“{fmt}”；可用：{'、'.join(DOCUMENT_FORMATS)}")
    return formats


@dataclass(frozen=True)
class Checked:
    """What `wenmi check` found in a project that has no errors."""
    project: Project
    figures: dict
    nominees: int                          # documents of batch reports, one per nominee
    warnings: tuple[Problem, ...]
    returns: dict = field(default_factory=dict)   # 报送情况 of each returns source (ReturnsStatus)


def check(root: Path, strict: bool = False) -> Checked:
    """Everything a build would read and compose, nothing written: every report's and every
    nominee's document is made, so a template or story problem is found now. Each report
    is composed on its own, so one broken report does not hide the next one's problems.
    When something could not be read (a ledger, a metric), nothing can be composed; the
    templates, bodies and stories are then still checked for syntax and unknown names."""
    from .composing.jobs import compose_jobs
    from .composing.render import unknown_names
    from .reading.inspection import inspect_project
    inspection = inspect_project(root)
    problems, project, nominees = inspection.problems, inspection.project, 0
    if project is None or problems.errors:
        for spec in [*project.reports.values(), *project.batches.values()] if project else ():
            for error in unknown_names(project, spec):
                problems.error(error)
        problems.stop_if_failed(strict)
    for spec in select_specs(project):
        with problems.collecting():
            jobs, _ = compose_jobs(inspection, [spec])
            for job in jobs:
                with problems.collecting():
                    job.make()
            nominees += len(jobs) - 1 if isinstance(spec, BatchSpec) else 0   # less the roster
    problems.stop_if_failed(strict)
    return Checked(project, inspection.figures, nominees, tuple(problems.warnings), inspection.returns)
